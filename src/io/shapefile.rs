//! ESRI Shapefiles (`.shp` with its `.shx`, `.dbf` and `.prj`) of LSOA or ward polygons → areas in BNG metres.

use super::boundary_file::{BoundaryFile, MAX_VERTICES, ParsedArea};
use super::boundary_rules::{Declared, check_polygons, drop_stray_areas, into_world_areas, settle_crs};
use super::crs::{CrsClaim, crs_from_wkt};
use super::{LoadError, decode_text};
use crate::model::{AreaCode, AreaKind, JoinReport, LsoaVintage, Severity};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape, ShapeReader};
use std::io::Cursor;
use std::path::Path;

/// The files of one shapefile, as bytes. Only `.shp` is always present; the rest may be missing.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShapefileParts<'a> {
    /// Geometry.
    pub shp: &'a [u8],
    /// Record offsets.
    pub shx: Option<&'a [u8]>,
    /// Attributes.
    pub dbf: Option<&'a [u8]>,
    /// CRS as WKT.
    pub prj: Option<&'a [u8]>,
}

fn field_text(value: &FieldValue) -> Option<String> {
    match value {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Some(s.trim().to_string()),
        FieldValue::Numeric(Some(n)) | FieldValue::Double(n) => Some(n.to_string()),
        FieldValue::Integer(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a polygon shapefile. The `.dbf` is required (it holds the codes); a missing `.shx` or `.prj` is worked around and reported.
pub fn read_shapefile(
    path: &Path,
    parts: ShapefileParts<'_>,
    report: &mut JoinReport,
) -> Result<BoundaryFile, LoadError> {
    let shp_error = |detail: String| LoadError::Shapefile {
        detail,
        path: path.to_path_buf(),
    };
    if parts.shp.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    let Some(dbf) = parts.dbf else {
        return Err(LoadError::MissingSidecar {
            missing: ".dbf",
            path: path.to_path_buf(),
        });
    };

    // Attributes first: without a code column the geometry is of no use.
    let mut dbf_reader = dbase::Reader::new(Cursor::new(dbf))
        .map_err(|e| shp_error(format!("the .dbf is damaged ({})", readable(&e))))?;
    let field_names: Vec<String> = dbf_reader.fields().iter().map(|f| f.name().to_string()).collect();
    // The .dbf reader gives each record as a map, so a repeated field name would silently keep the last value.
    let mut seen_fields = std::collections::HashSet::new();
    if let Some(repeated) = field_names.iter().find(|n| !seen_fields.insert(n.to_ascii_lowercase())) {
        return Err(shp_error(format!(
            "the .dbf has two fields named {repeated:?}, so which value is the area's cannot be told"
        )));
    }
    let find = |pred: &dyn Fn(&str) -> bool| field_names.iter().find(|n| pred(&n.to_ascii_lowercase())).cloned();
    let (kind, code_field) = if let Some(f) = find(&|n| n == "lsoa11cd") {
        (AreaKind::Lsoa(LsoaVintage::Lsoa2011), f)
    } else if let Some(f) = find(&|n| n == "lsoa21cd") {
        (AreaKind::Lsoa(LsoaVintage::Lsoa2021), f)
    } else if let Some(f) = find(&|n| n.len() == 6 && n.starts_with("wd") && n.ends_with("cd")) {
        (AreaKind::Ward(2000 + f[2..4].parse::<u16>().unwrap_or(0)), f)
    } else {
        return Err(LoadError::Unrecognised {
            detail: format!(
                "the .dbf has no LSOA or ward code field (LSOA11CD, LSOA21CD, WDnnCD); its fields are {}",
                field_names.join(", ")
            ),
            path: path.to_path_buf(),
        });
    };
    let name_field = find(&|n| n == format!("{}nm", &code_field.to_ascii_lowercase()[..code_field.len() - 2]));
    let la_field = find(&|n| n == "lad_cd" || (n.starts_with("lad") && n.ends_with("cd")));
    let mut records = Vec::new();
    for (i, record) in dbf_reader.iter_records().enumerate() {
        match record {
            Ok(record) => records.push(record),
            Err(_) => {
                report.warn_at(
                    path,
                    format!("record {}", i + 1),
                    ".dbf record cannot be read; this and later records skipped".to_string(),
                );
                break;
            }
        }
    }

    // The shapefile crate allocates the .shx index and each record's points from counts in the files before it
    // reads them, so a damaged count asks for gigabytes: check the counts against the bytes first.
    let shx = match parts.shx {
        Some(shx) if shx_declares_more_than_it_holds(shx) => {
            report.warn_at(
                path,
                "shx",
                "the .shx index is damaged (it declares more entries than it holds); read the .shp records in order",
            );
            None
        }
        Some(shx) => match shx_entries_problem(shx) {
            Some(why) => {
                report.warn_at(
                    path,
                    "shx",
                    format!("the .shx index cannot be trusted ({why}); read the .shp records in order"),
                );
                None
            }
            None => Some(shx),
        },
        None => None,
    };
    let (sane_records, damaged) = records_with_sane_counts(parts.shp, shx);
    let mut shape_reader = match shx {
        Some(shx) => ShapeReader::with_shx(Cursor::new(parts.shp), Cursor::new(shx)),
        None if parts.shx.is_some() => ShapeReader::new(Cursor::new(parts.shp)),
        None => {
            report.push(
                Severity::Note,
                Some(path.to_path_buf()),
                None,
                "no .shx index beside the .shp; read its records in order",
            );
            ShapeReader::new(Cursor::new(parts.shp))
        }
    }
    .map_err(|e| shp_error(e.to_string()))?;
    let shape_type = shape_reader.header().shape_type;
    let mut shapes = Vec::new();
    let mut stopped_early = false;
    for (i, shape) in shape_reader.iter_shapes().take(sane_records).enumerate() {
        match shape {
            Ok(shape) => shapes.push(shape),
            Err(e) => {
                report.warn_at(
                    path,
                    format!("record {}", i + 1),
                    format!("shape cannot be read ({e}); this and later shapes skipped"),
                );
                stopped_early = true;
                break;
            }
        }
    }
    if let Some(why) = damaged.filter(|_| !stopped_early) {
        report.warn_at(
            path,
            format!("record {}", sane_records + 1),
            format!("shape cannot be read ({why}); this and later shapes skipped"),
        );
    }
    if !matches!(
        shape_type,
        shapefile::ShapeType::Polygon | shapefile::ShapeType::PolygonM | shapefile::ShapeType::PolygonZ
    ) {
        return Err(LoadError::Unrecognised {
            detail: format!(
                "the shapefile holds {shape_type} shapes, not polygons (for example population-weighted centroids); not used as boundaries"
            ),
            path: path.to_path_buf(),
        });
    }
    if shapes.len() != records.len() {
        report.warn_at(
            path,
            "records",
            format!(
                "the .shp has {} shapes but the .dbf has {} records; read the first {}",
                shapes.len(),
                records.len(),
                shapes.len().min(records.len())
            ),
        );
    }

    let declared = match parts.prj.map(|bytes| decode_text(bytes).0.into_owned()) {
        Some(wkt) => match crs_from_wkt(&wkt) {
            CrsClaim::Known(crs) => Declared {
                crs: Some(crs),
                said_by: "the .prj",
                field: "prj",
            },
            CrsClaim::Unsupported(name) => {
                return Err(LoadError::UnsupportedCrs {
                    crs: name,
                    path: path.to_path_buf(),
                });
            }
        },
        None => Declared {
            crs: None,
            said_by: "no .prj beside the .shp, so the file",
            field: "prj",
        },
    };

    let records_read = shapes.len().max(records.len());
    let mut areas_raw = Vec::with_capacity(shapes.len());
    let mut seen = std::collections::HashMap::new();
    let mut vertices = 0usize;
    for (i, (shape, record)) in shapes.into_iter().zip(records).enumerate() {
        let at = format!("record {}", i + 1);
        let Some(code) = record
            .get(&code_field)
            .and_then(field_text)
            .as_deref()
            .and_then(AreaCode::parse)
        else {
            report.warn_at(path, at, format!("no valid {code_field} code; skipped"));
            continue;
        };
        if let Some(first) = seen.get(&code) {
            report.warn_at(
                path,
                at,
                format!("{code} appears again (first as record {first}); kept the first"),
            );
            continue;
        }
        let rings: Vec<Vec<Coord<f64>>> = match shape {
            Shape::Polygon(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_coords(r, |pt| Coord { x: pt.x, y: pt.y }))
                .collect(),
            Shape::PolygonM(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_coords(r, |pt| Coord { x: pt.x, y: pt.y }))
                .collect(),
            Shape::PolygonZ(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_coords(r, |pt| Coord { x: pt.x, y: pt.y }))
                .collect(),
            Shape::NullShape => {
                report.warn_at(path, at, format!("{code} has a null shape; skipped"));
                continue;
            }
            other => {
                report.warn_at(
                    path,
                    at,
                    format!("{code} is a {}, not a polygon; skipped", other.shapetype()),
                );
                continue;
            }
        };
        // A damaged .shp can hold NaN or infinite doubles; geometry code cannot order them, so the shape is unusable.
        if rings.iter().flatten().any(|c| !(c.x.is_finite() && c.y.is_finite())) {
            report.warn_at(
                path,
                at,
                format!("{code} has a coordinate that is not a finite number (a damaged .shp?); skipped"),
            );
            continue;
        }
        vertices += rings.iter().map(Vec::len).sum::<usize>();
        if vertices > MAX_VERTICES {
            return Err(shp_error(format!(
                "more than {MAX_VERTICES} vertices: too large to load"
            )));
        }
        let geometry = assemble_rings(rings, &mut |why| {
            report.warn_at(path, at.clone(), format!("{code}: {why}"));
        });
        if geometry.0.is_empty() {
            report.warn_at(
                path,
                at,
                format!("{code} has no ring with three or more points; skipped"),
            );
            continue;
        }
        seen.insert(code, i + 1);
        let name = name_field
            .as_ref()
            .and_then(|f| record.get(f))
            .and_then(field_text)
            .unwrap_or_default();
        let la_code = la_field
            .as_ref()
            .and_then(|f| record.get(f))
            .and_then(field_text)
            .as_deref()
            .and_then(AreaCode::parse);
        let geometry = check_polygons(path, &at, code.as_str(), geometry, report);
        areas_raw.push(ParsedArea {
            code,
            name,
            la_code,
            geometry,
            place: at,
        });
    }

    drop_stray_areas(path, &mut areas_raw, report);
    let settled = settle_crs(path, declared, &areas_raw, report)?;
    let areas = into_world_areas(path, settled, areas_raw, report);
    if areas.is_empty() {
        return Err(shp_error(format!(
            "none of its {records_read} records could be loaded (see the warnings)"
        )));
    }
    Ok(BoundaryFile {
        kind,
        features_read: records_read,
        areas,
        crs: settled.crs,
    })
}

fn be_i32(bytes: &[u8], at: usize) -> Option<i64> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])))
}

fn le_i32(bytes: &[u8], at: usize) -> Option<i64> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// True when the .shx header declares a length beyond the bytes there (the reader would allocate for all of it).
fn shx_declares_more_than_it_holds(shx: &[u8]) -> bool {
    be_i32(shx, 24).is_none_or(|words| words * 2 > shx.len() as i64)
}

/// Why the `.shx` entries cannot be a true index, if they cannot: every entry must point past the file header and
/// past the end of the entry before it (records are distinct and in order). An index whose entries all point at one
/// record would draw every area as the same polygon, and re-read that record once per entry.
fn shx_entries_problem(shx: &[u8]) -> Option<String> {
    let mut previous_end: Option<(usize, i64)> = None;
    for (i, at) in (100..shx.len()).step_by(8).enumerate() {
        let (Some(offset), Some(length)) = (be_i32(shx, at), be_i32(shx, at + 4)) else {
            break;
        };
        let (offset, length) = (offset * 2, length * 2);
        if offset < 100 || length < 0 {
            return Some(format!(
                "entry {} points at byte {offset}, inside the file header",
                i + 1
            ));
        }
        if let Some((previous, end)) = previous_end
            && offset < end
        {
            return Some(if offset <= previous_offset(shx, previous) {
                format!(
                    "entries {} and {} point at the same or an earlier record (byte {offset})",
                    previous,
                    i + 1
                )
            } else {
                format!("entry {} points inside the record of entry {previous}", i + 1)
            });
        }
        previous_end = Some((i + 1, offset + 8 + length));
    }
    None
}

/// The byte offset entry `n` (1-based) of a `.shx` points at.
fn previous_offset(shx: &[u8], n: usize) -> i64 {
    be_i32(shx, 100 + 8 * (n - 1)).map_or(0, |words| words * 2)
}

/// How many records, in the order the shapefile reader visits them (by the .shx offsets when there is one, else one
/// after another up to the header's file length), have part and point counts that fit in the bytes that follow; and,
/// if the walk stopped at a record whose counts do not fit, why. Other damage is left to the reader to report.
fn records_with_sane_counts(shp: &[u8], shx: Option<&[u8]>) -> (usize, Option<String>) {
    let Some(file_length) = be_i32(shp, 24).map(|words| words * 2) else {
        return (usize::MAX, None);
    };
    let mut offsets = shx.map(|shx| {
        (100..shx.len())
            .step_by(8)
            .map_while(move |at| be_i32(shx, at).map(|words| words * 2))
    });
    let (mut position, mut sane) = (100i64, 0usize);
    while position < file_length {
        if let Some(offsets) = offsets.as_mut() {
            match offsets.next() {
                Some(offset) => position = offset,
                None => break,
            }
        }
        let Some(start) = usize::try_from(position).ok() else {
            break;
        };
        let (Some(content_words), Some(shape_type)) = (be_i32(shp, start + 4), le_i32(shp, start + 8)) else {
            break;
        };
        let available = shp.len().saturating_sub(start + 8) as i64;
        let content = start + 8;
        // Byte offsets of the counts and the bytes each part and point needs, by shape type.
        let counts = match shape_type {
            3 | 5 | 13 | 15 | 23 | 25 => Some((le_i32(shp, content + 36), le_i32(shp, content + 40), 4, 44)),
            31 => Some((le_i32(shp, content + 36), le_i32(shp, content + 40), 8, 44)),
            8 | 18 | 28 => Some((Some(0), le_i32(shp, content + 36), 0, 40)),
            _ => None,
        };
        if let Some((parts, points, bytes_per_part, fixed)) = counts {
            let (Some(parts), Some(points)) = (parts, points) else {
                break;
            };
            let needed = fixed + parts.max(0) * bytes_per_part + points.max(0) * 16;
            if parts < 0 || points < 0 || needed > available.min(content_words * 2) {
                let why = format!(
                    "the record says {parts} parts and {points} points, more than its {} bytes hold",
                    available.min(content_words * 2).max(0)
                );
                return (sane, Some(why));
            }
            // Each ring's size is the gap between part starts, so the starts must rise within 0..=points.
            let mut previous = 0;
            for part in 0..usize::try_from(parts).unwrap_or(0) {
                let start_of_part = le_i32(shp, content + fixed as usize + 4 * part).unwrap_or(-1);
                if start_of_part < previous || start_of_part > points {
                    let why = format!(
                        "part {} starts at point {start_of_part}, outside the record's {points} points",
                        part + 1
                    );
                    return (sane, Some(why));
                }
                previous = start_of_part;
            }
        }
        sane += 1;
        if content_words < 0 {
            break;
        }
        position += 8 + content_words * 2;
    }
    (usize::MAX, None)
}

/// The dbase crate prints some errors as `Error { kind: …, record_num: … }`; keep the sentence inside.
fn readable(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    match text.split_once("kind: ") {
        Some((_, rest)) => rest.split([',', '}']).next().unwrap_or(rest).trim().to_string(),
        None => text,
    }
}

fn ring_coords<P>(ring: PolygonRing<P>, to_coord: impl Fn(&P) -> Coord<f64>) -> Vec<Coord<f64>> {
    ring.into_inner().iter().map(to_coord).collect()
}

/// Groups rings into polygons: an ESRI outer ring is clockwise, a hole counter-clockwise; each hole goes to the
/// smallest outer ring containing it. A hole inside no outer ring is not a hole (it would paint over neighbours):
/// as GDAL does, it becomes an outer ring of its own, and `report` is told.
fn assemble_rings(rings: Vec<Vec<Coord<f64>>>, report: &mut dyn FnMut(String)) -> MultiPolygon<f64> {
    use geo::orient::{Direction, Orient as _};
    use geo::winding_order::Winding as _;
    use geo::{Area as _, coordinate_position::CoordPos, coordinate_position::CoordinatePosition as _};
    let mut outers: Vec<Polygon<f64>> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for coords in rings {
        let mut ring = LineString::new(coords);
        ring.close();
        if ring.0.len() < 4 {
            continue;
        }
        if ring.is_cw() {
            outers.push(Polygon::new(ring, vec![]))
        } else {
            holes.push(ring)
        }
    }
    if outers.is_empty() {
        // Rings wound the other way round: treat them all as outer rings rather than lose the area, and say so.
        outers = holes.drain(..).map(|r| Polygon::new(r, vec![])).collect();
        report(format!(
            "all {} ring(s) run counter-clockwise, the wrong way round for outer rings by the shapefile rule; orientation fixed and read as outer rings",
            outers.len()
        ));
    }
    let mut orphans = 0;
    for hole in holes {
        let inside = |p: &Polygon<f64>| hole.0.iter().all(|c| p.coordinate_position(c) != CoordPos::Outside);
        let owner = outers
            .iter()
            .enumerate()
            .filter(|(_, p)| inside(p))
            .min_by(|(_, a), (_, b)| a.unsigned_area().total_cmp(&b.unsigned_area()))
            .map(|(i, _)| i);
        match owner.and_then(|i| outers.get_mut(i)) {
            Some(polygon) => polygon.interiors_push(hole),
            None => {
                orphans += 1;
                outers.push(Polygon::new(hole, vec![]));
            }
        }
    }
    if orphans > 0 {
        report(format!(
            "{orphans} counter-clockwise ring(s) (holes, by the shapefile rule) lie inside no outer ring; read as outer rings"
        ));
    }
    MultiPolygon::new(outers).orient(Direction::Default)
}
