//! GeoJSON boundary files (ONS LSOA and ward layers) → areas in British National Grid metres.
//!
//! Features are deserialised straight into flat coordinate arrays with `serde_json` (no intermediate
//! `Value` tree), because the national LSOA file is 32 MB and must load in well under a second.

use super::crs::{CoordinateRange, Crs, CrsClaim, coordinate_range, crs_from_name, project_to_world};
use super::{LoadError, looks_like_html};
use crate::model::{Area, AreaCode, AreaKind, JoinReport, LsoaVintage, Severity};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// Areas read from one boundary file, in BNG metres.
#[derive(Clone, Debug)]
pub struct BoundaryFile {
    /// LSOAs of a vintage, or wards of a year.
    pub kind: AreaKind,
    /// The areas that loaded.
    pub areas: Vec<Area>,
    /// The CRS the file was in.
    pub crs: Crs,
    /// Features or records in the file, loaded or not.
    pub features_read: usize,
}

/// The most vertices one file may hold (about 160 MB of geometry); more is refused rather than exhausting memory.
pub const MAX_VERTICES: usize = 10_000_000;

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    crs: Option<CrsMember>,
    #[serde(borrow)]
    features: Option<Vec<RawFeature<'a>>>,
}

#[derive(Deserialize)]
struct CrsMember {
    properties: Option<CrsProperties>,
}

#[derive(Deserialize)]
struct CrsProperties {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    properties: Option<HashMap<String, serde_json::Value>>,
    #[serde(borrow)]
    geometry: Option<RawGeometry<'a>>,
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    coordinates: Option<&'a RawValue>,
}

/// A position `[x, y]` or `[x, y, z]`; extra ordinates are ignored.
struct Position([f64; 2]);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [x, y]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: f64 = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Position([x, y]))
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

type Ring = Vec<Position>;

/// Which properties hold the code, name and LA of an area, chosen from the first feature.
struct PropertyKeys {
    kind: AreaKind,
    code: String,
    name: Option<String>,
    la_code: Option<String>,
}

fn property_keys(properties: &HashMap<String, serde_json::Value>) -> Option<PropertyKeys> {
    let mut keys: Vec<&String> = properties.keys().collect();
    keys.sort();
    let find = |pred: &dyn Fn(&str) -> bool| {
        keys.iter()
            .find(|k| pred(&k.to_ascii_lowercase()))
            .map(|k| (*k).clone())
    };
    let (kind, code) = if let Some(code) = find(&|k| k == "lsoa11cd" || k == "lsoa11_code") {
        (AreaKind::Lsoa(LsoaVintage::Lsoa2011), code)
    } else if let Some(code) = find(&|k| k == "lsoa21cd" || k == "lsoa21_code") {
        (AreaKind::Lsoa(LsoaVintage::Lsoa2021), code)
    } else if let Some(code) = find(&|k| {
        k.len() == 6 && k.starts_with("wd") && k.ends_with("cd") && k[2..4].bytes().all(|b| b.is_ascii_digit())
    }) {
        let year = 2000 + code[2..4].parse::<u16>().unwrap_or(0);
        (AreaKind::Ward(year), code)
    } else {
        return None;
    };
    let lower = code.to_ascii_lowercase();
    let name_key = if lower.ends_with("cd") {
        format!("{}nm", &lower[..lower.len() - 2])
    } else {
        lower.replace("_code", "_name")
    };
    let name = find(&|k| k == name_key);
    let la_code = find(&|k| k == "ladcd_active" || (k.starts_with("lad") && k.ends_with("cd") && k.len() == 7));
    Some(PropertyKeys {
        kind,
        code,
        name,
        la_code,
    })
}

fn text_property(properties: &HashMap<String, serde_json::Value>, key: &str) -> Option<String> {
    match properties.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a GeoJSON FeatureCollection of LSOA or ward polygons.
///
/// Features without geometry, with a non-polygon geometry, without a code, or with a repeated code are skipped and
/// reported with their feature number (1-based); everything else loads.
pub fn read_geojson(path: &Path, bytes: &[u8], report: &mut JoinReport) -> Result<BoundaryFile, LoadError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    if looks_like_html(body) {
        return Err(LoadError::Html {
            path: path.to_path_buf(),
        });
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(LoadError::Unrecognised {
            detail: "not GeoJSON: a GeoJSON file is a JSON object starting with '{'".into(),
            path: path.to_path_buf(),
        });
    }
    let document: Document = serde_json::from_slice(body).map_err(|e| LoadError::BadJson {
        line: e.line(),
        column: e.column(),
        detail: json_detail(&e),
        path: path.to_path_buf(),
    })?;
    let unrecognised = |detail: String| LoadError::Unrecognised {
        detail,
        path: path.to_path_buf(),
    };
    if document.kind.as_deref() != Some("FeatureCollection") {
        return Err(unrecognised(format!(
            "this is GeoJSON of type {:?}, not a FeatureCollection of areas",
            document.kind.as_deref().unwrap_or("(none)")
        )));
    }
    let features = document.features.unwrap_or_default();
    let Some(keys) = features
        .iter()
        .filter_map(|f| f.properties.as_ref())
        .find_map(property_keys)
    else {
        return Err(unrecognised(
            "no feature has an LSOA or ward code property (LSOA11CD, LSOA21CD, WDnnCD)".into(),
        ));
    };
    let declared = match document
        .crs
        .and_then(|c| c.properties)
        .and_then(|p| p.name)
        .filter(|n| !n.trim().is_empty())
    {
        Some(name) => match crs_from_name(&name) {
            CrsClaim::Known(crs) => Some(crs),
            CrsClaim::Unsupported(name) => {
                return Err(LoadError::UnsupportedCrs {
                    crs: name,
                    path: path.to_path_buf(),
                });
            }
        },
        None => None,
    };

    let mut parsed: Vec<(AreaCode, String, Option<AreaCode>, MultiPolygon<f64>)> = Vec::with_capacity(features.len());
    let mut feature_numbers = Vec::with_capacity(features.len());
    let mut first_feature_of: HashMap<AreaCode, usize> = HashMap::with_capacity(features.len());
    let mut vertices = 0usize;
    for (i, feature) in features.iter().enumerate() {
        let at = format!("feature {}", i + 1);
        let Some(properties) = &feature.properties else {
            report.warn_at(path, at, "no properties; skipped");
            continue;
        };
        let Some(code) = text_property(properties, &keys.code)
            .as_deref()
            .and_then(AreaCode::parse)
        else {
            report.warn_at(path, at, format!("no valid {} code; skipped", keys.code));
            continue;
        };
        if let Some(first) = first_feature_of.get(&code) {
            report.warn_at(
                path,
                at,
                format!("{code} appears again (first as feature {first}); kept the first"),
            );
            continue;
        }
        let Some(geometry) = &feature.geometry else {
            report.warn_at(path, at, format!("{code} has no geometry (null); skipped"));
            continue;
        };
        let polygons = match read_polygons(geometry) {
            Ok(polygons) => polygons,
            Err(why) => {
                report.warn_at(path, at, format!("{code}: {why}; skipped"));
                continue;
            }
        };
        let (geometry, fixes) = build_multipolygon(polygons);
        if let Some(fix) = fixes {
            report.push(
                Severity::Note,
                Some(path.to_path_buf()),
                Some(at.clone()),
                format!("{code}: {fix}"),
            );
        }
        if geometry.0.is_empty() {
            report.warn_at(
                path,
                at,
                format!("{code} has no ring with at least three distinct points; skipped"),
            );
            continue;
        }
        vertices += geometry
            .0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum::<usize>();
        if vertices > MAX_VERTICES {
            return Err(unrecognised(format!(
                "more than {MAX_VERTICES} vertices: too large to load; split or simplify the file"
            )));
        }
        first_feature_of.insert(code, i + 1);
        let name = keys
            .name
            .as_deref()
            .and_then(|k| text_property(properties, k))
            .unwrap_or_default();
        let la_code = keys
            .la_code
            .as_deref()
            .and_then(|k| text_property(properties, k))
            .as_deref()
            .and_then(AreaCode::parse);
        parsed.push((code, name, la_code, geometry));
        feature_numbers.push(i + 1);
    }

    drop_stray_features(path, &mut parsed, &feature_numbers, report);
    if parsed.is_empty() {
        return Err(unrecognised(format!(
            "none of its {} features could be loaded (see the warnings)",
            features.len()
        )));
    }
    let crs = settle_crs(path, declared, &parsed, report)?;
    let areas = into_world_areas(path, crs, parsed, report);
    Ok(BoundaryFile {
        kind: keys.kind,
        areas,
        crs: match crs {
            Settled::Swapped => Crs::Wgs84,
            Settled::As(c) => c,
        },
        features_read: features.len(),
    })
}

/// The serde_json message without its own " at line L column C" suffix (we print the place ourselves).
fn json_detail(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn read_polygons(geometry: &RawGeometry) -> Result<Vec<Vec<Ring>>, String> {
    let Some(coordinates) = geometry.coordinates else {
        return Err(format!("{} geometry has no coordinates", geometry.kind));
    };
    let parse_error =
        |e: serde_json::Error| format!("{} coordinates are malformed ({})", geometry.kind, json_detail(&e));
    match geometry.kind.as_str() {
        "Polygon" => serde_json::from_str::<Vec<Ring>>(coordinates.get())
            .map(|p| vec![p])
            .map_err(parse_error),
        "MultiPolygon" => serde_json::from_str::<Vec<Vec<Ring>>>(coordinates.get()).map_err(parse_error),
        other => Err(format!("geometry is a {other}, not a Polygon or MultiPolygon")),
    }
}

/// Builds polygons, closing unclosed rings and dropping degenerate ones. Returns what was fixed, if anything.
fn build_multipolygon(polygons: Vec<Vec<Ring>>) -> (MultiPolygon<f64>, Option<String>) {
    let mut closed = 0;
    let mut dropped = 0;
    let mut ring_of = |ring: Vec<Position>| -> Option<LineString<f64>> {
        let mut coords: Vec<Coord<f64>> = ring.into_iter().map(|Position([x, y])| Coord { x, y }).collect();
        if coords.first() != coords.last()
            && let Some(first) = coords.first().copied()
        {
            coords.push(first);
            closed += 1;
        }
        let ring = LineString::new(coords);
        // Four points that are all the same (or on one line) enclose nothing.
        if ring.0.len() < 4 || twice_area(&ring.0) == 0.0 {
            dropped += 1;
            return None;
        }
        Some(ring)
    };
    let mut out = Vec::with_capacity(polygons.len());
    for rings in polygons {
        let mut rings = rings.into_iter();
        let Some(exterior) = rings.next().and_then(&mut ring_of) else {
            continue;
        };
        let interiors = rings.filter_map(&mut ring_of).collect();
        out.push(Polygon::new(exterior, interiors));
    }
    let fixes = match (closed, dropped) {
        (0, 0) => None,
        (c, 0) => Some(format!("{c} ring(s) were not closed; closed them")),
        (0, d) => Some(format!("{d} ring(s) had fewer than three points; dropped them")),
        (c, d) => Some(format!("{c} ring(s) closed and {d} degenerate ring(s) dropped")),
    };
    (MultiPolygon::new(out), fixes)
}

/// Twice the signed area of a closed ring (shoelace), without building a polygon.
fn twice_area(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum()
}

#[derive(Clone, Copy)]
enum Settled {
    As(Crs),
    Swapped,
}

/// Drops features whose coordinates are in a different system from the rest of the file — typically a feature
/// exported at (0, 0) — so that one bad feature cannot make a whole WGS84 file look like grid metres.
fn drop_stray_features(
    path: &Path,
    parsed: &mut Vec<(AreaCode, String, Option<AreaCode>, MultiPolygon<f64>)>,
    feature_numbers: &[usize],
    report: &mut JoinReport,
) {
    use geo::BoundingRect as _;
    let classes: Vec<CoordinateRange> = parsed
        .iter()
        .map(|(_, _, _, g)| {
            g.bounding_rect()
                .map_or(CoordinateRange::Unknown, |r| coordinate_range(r.min(), r.max()))
        })
        .collect();
    let known = [
        CoordinateRange::LonLat,
        CoordinateRange::LatLon,
        CoordinateRange::BngMetres,
    ];
    let Some(majority) = known
        .into_iter()
        .max_by_key(|k| classes.iter().filter(|c| *c == k).count())
    else {
        return;
    };
    let majority_count = classes.iter().filter(|c| **c == majority).count();
    // Only act on a clear majority; a file of mixed systems is left to the whole-file check, which rejects it.
    if majority_count * 2 <= classes.len() || majority_count == classes.len() {
        return;
    }
    let mut keep = classes.iter().map(|c| *c == majority);
    let mut index = 0;
    parsed.retain(|(code, _, _, geometry)| {
        let kept = keep.next().unwrap_or(true);
        if !kept {
            let place = feature_numbers
                .get(index)
                .map_or_else(|| "feature".to_string(), |n| format!("feature {n}"));
            let at = geometry
                .bounding_rect()
                .map(|r| format!(" (near {:.1}, {:.1})", r.min().x, r.min().y))
                .unwrap_or_default();
            report.warn_at(
                path,
                place,
                format!("{code}: its coordinates{at} are not in the same system as the rest of the file; skipped"),
            );
        }
        index += 1;
        kept
    });
}

/// Checks the declared CRS against the coordinates, trusting the coordinates when they clearly disagree (and saying so).
fn settle_crs(
    path: &Path,
    declared: Option<Crs>,
    parsed: &[(AreaCode, String, Option<AreaCode>, MultiPolygon<f64>)],
    report: &mut JoinReport,
) -> Result<Settled, LoadError> {
    use geo::BoundingRect as _;
    let bbox = parsed
        .iter()
        .filter_map(|(_, _, _, g)| g.bounding_rect())
        .reduce(crate::model::rect_union);
    let Some(bbox) = bbox else {
        return Ok(Settled::As(declared.unwrap_or(Crs::Wgs84)));
    };
    let range = coordinate_range(bbox.min(), bbox.max());
    let said = declared.map_or("no CRS (so WGS84, as GeoJSON requires)".to_string(), |c| {
        c.epsg().to_string()
    });
    match (declared.unwrap_or(Crs::Wgs84), range) {
        (Crs::Wgs84, CoordinateRange::LonLat) | (Crs::Bng, CoordinateRange::BngMetres) => {
            Ok(Settled::As(declared.unwrap_or(Crs::Wgs84)))
        }
        (_, CoordinateRange::BngMetres) => {
            report.warn_at(
                path,
                "crs",
                format!(
                    "the file declares {said} but its coordinates are British National Grid metres; read as EPSG:27700"
                ),
            );
            Ok(Settled::As(Crs::Bng))
        }
        (_, CoordinateRange::LonLat) => {
            report.warn_at(
                path,
                "crs",
                format!("the file declares {said} but its coordinates are longitude/latitude; read as WGS84"),
            );
            Ok(Settled::As(Crs::Wgs84))
        }
        (_, CoordinateRange::LatLon) => {
            report.warn_at(
                path,
                "crs",
                "coordinates are latitude/longitude (axes swapped); read them as longitude/latitude",
            );
            Ok(Settled::Swapped)
        }
        (_, CoordinateRange::Unknown) => Err(LoadError::Unrecognised {
            detail: format!(
                "coordinates span ({:.1}, {:.1})–({:.1}, {:.1}), which is neither longitude/latitude over Great Britain nor British National Grid metres",
                bbox.min().x,
                bbox.min().y,
                bbox.max().x,
                bbox.max().y
            ),
            path: path.to_path_buf(),
        }),
    }
}

/// Reprojects parsed geometry to BNG (in parallel: it is the costly step for national files) and builds areas.
fn into_world_areas(
    path: &Path,
    crs: Settled,
    parsed: Vec<(AreaCode, String, Option<AreaCode>, MultiPolygon<f64>)>,
    report: &mut JoinReport,
) -> Vec<Area> {
    use geo::MapCoordsInPlace as _;
    use rayon::prelude::*;
    let results: Vec<Result<Area, String>> = parsed
        .into_par_iter()
        .map(|(code, name, la_code, mut geometry)| {
            match crs {
                Settled::As(Crs::Bng) => {}
                Settled::Swapped => {
                    geometry.map_coords_in_place(|c| Coord { x: c.y, y: c.x });
                    if !project_to_world(&mut geometry) {
                        return Err(format!("{code}: a coordinate could not be projected; skipped"));
                    }
                }
                Settled::As(Crs::Wgs84) => {
                    if !project_to_world(&mut geometry) {
                        return Err(format!("{code}: a coordinate could not be projected; skipped"));
                    }
                }
            }
            Area::new(code, name, la_code, geometry).ok_or_else(|| format!("{code}: empty geometry; skipped"))
        })
        .collect();
    let mut areas = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(area) => areas.push(area),
            Err(why) => report.push(Severity::Warning, Some(path.to_path_buf()), None, why),
        }
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"[[[-1.55,53.80],[-1.54,53.80],[-1.54,53.81],[-1.55,53.81],[-1.55,53.80]]]"#;

    fn read(text: &str) -> (Result<BoundaryFile, LoadError>, JoinReport) {
        let mut report = JoinReport::default();
        (
            read_geojson(Path::new("t.geojson"), text.as_bytes(), &mut report),
            report,
        )
    }

    #[test]
    fn lsoa_polygon_is_projected_to_bng() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"LSOA11CD":"E01011372","LSOA11NM":"Leeds 111B"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        );
        let (file, report) = read(&text);
        let file = file.unwrap();
        assert_eq!(file.kind, AreaKind::Lsoa(LsoaVintage::Lsoa2011));
        assert_eq!(file.areas[0].name, "Leeds 111B");
        let min = file.areas[0].bbox_in_world.min();
        assert!(
            (429_000.0..430_000.0).contains(&min.x) && (433_000.0..434_500.0).contains(&min.y),
            "{min:?}"
        );
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn null_geometry_and_points_are_skipped_by_feature_number() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"WD19CD":"E05011400","WD19NM":"A"}},"geometry":null}},
            {{"type":"Feature","properties":{{"WD19CD":"E05011401","WD19NM":"B"}},"geometry":{{"type":"Point","coordinates":[-1.5,53.8]}}}},
            {{"type":"Feature","properties":{{"WD19CD":"E05011402","WD19NM":"C"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        );
        let (file, report) = read(&text);
        let file = file.unwrap();
        assert_eq!(file.kind, AreaKind::Ward(2019));
        assert_eq!(file.areas.len(), 1);
        let places: Vec<_> = report
            .problems
            .iter()
            .map(|p| p.location.clone().unwrap_or_default())
            .collect();
        assert_eq!(places, ["feature 1", "feature 2"]);
    }

    #[test]
    fn truncated_file_names_line_and_column() {
        let (file, _) = read("{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feat");
        match file {
            Err(LoadError::BadJson { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected BadJson, got {other:?}"),
        }
    }
}
