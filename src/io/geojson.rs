//! GeoJSON boundary files (ONS LSOA and ward layers) → areas in British National Grid metres.
//!
//! Features are deserialised straight into flat coordinate arrays with `serde_json` (no intermediate
//! `Value` tree), because the national LSOA file is 32 MB and must load in well under a second.

use super::boundary_file::{BoundaryFile, MAX_VERTICES, ParsedArea};
use super::boundary_rules::{Declared, check_polygons, drop_stray_areas, into_world_areas, settle_crs};
use super::crs::{Crs, CrsClaim, crs_from_name};
use super::{LoadError, looks_like_html};
use crate::model::{AreaCode, AreaKind, JoinReport, LsoaVintage, Severity};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

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
    properties: Option<Properties>,
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

/// A feature's properties, with the keys that appear more than once (JSON allows it; a map would silently keep
/// the last). The first value of a key is kept.
#[derive(Default)]
struct Properties {
    map: HashMap<String, serde_json::Value>,
    /// Keys repeated with a different value.
    conflicting: Vec<String>,
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PropertiesVisitor;
        impl<'de> Visitor<'de> for PropertiesVisitor {
            type Value = Properties;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of properties")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Properties, A::Error> {
                let mut properties = Properties::default();
                while let Some((key, value)) = access.next_entry::<String, serde_json::Value>()? {
                    match properties.map.get(&key) {
                        Some(first) if *first != value => {
                            if !properties.conflicting.contains(&key) {
                                properties.conflicting.push(key);
                            }
                        }
                        Some(_) => {}
                        None => {
                            properties.map.insert(key, value);
                        }
                    }
                }
                Ok(properties)
            }
        }
        deserializer.deserialize_map(PropertiesVisitor)
    }
}

thread_local! {
    /// Vertices the file being read may still hold: counted down as positions are parsed, so a single 900 MB feature
    /// is stopped at the cap instead of being built whole first.
    static VERTEX_BUDGET: Cell<usize> = const { Cell::new(usize::MAX) };
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
                let left = VERTEX_BUDGET.get();
                if left == 0 {
                    return Err(de::Error::custom(format!(
                        "more than {MAX_VERTICES} vertices: too large to load; split or simplify the file"
                    )));
                }
                VERTEX_BUDGET.set(left - 1);
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

fn property_keys(properties: &Properties) -> Option<PropertyKeys> {
    let mut keys: Vec<&String> = properties.map.keys().collect();
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

fn text_property(properties: &Properties, key: &str) -> Option<String> {
    match properties.map.get(key)? {
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
            CrsClaim::Known(crs) => Declared {
                crs: Some(crs),
                said_by: "the crs member",
                field: "crs",
            },
            CrsClaim::Unsupported(name) => {
                return Err(LoadError::UnsupportedCrs {
                    crs: name,
                    path: path.to_path_buf(),
                });
            }
        },
        None => Declared {
            crs: Some(Crs::Wgs84),
            said_by: "the file has no crs member, which",
            field: "crs",
        },
    };

    let mut parsed: Vec<ParsedArea> = Vec::with_capacity(features.len());
    let mut first_feature_of: HashMap<AreaCode, usize> = HashMap::with_capacity(features.len());
    // Positions count down this budget as they are parsed (see `Position`): the cap holds during parsing.
    VERTEX_BUDGET.set(MAX_VERTICES);
    let result = (|| {
        for (i, feature) in features.iter().enumerate() {
            read_feature(path, &keys, i, feature, &mut first_feature_of, &mut parsed, report)?;
        }
        Ok(())
    })();
    VERTEX_BUDGET.set(usize::MAX);
    result?;

    drop_stray_areas(path, &mut parsed, report);
    if parsed.is_empty() {
        return Err(unrecognised(format!(
            "none of its {} features could be loaded (see the warnings)",
            features.len()
        )));
    }
    let settled = settle_crs(path, declared, &parsed, report)?;
    let areas = into_world_areas(path, settled, parsed, report);
    Ok(BoundaryFile {
        kind: keys.kind,
        areas,
        crs: settled.crs,
        features_read: features.len(),
    })
}

/// Reads feature `i` (0-based) into `parsed`, or reports why it was skipped. Fails only when the file's vertex cap
/// is reached.
fn read_feature(
    path: &Path,
    keys: &PropertyKeys,
    i: usize,
    feature: &RawFeature,
    first_feature_of: &mut HashMap<AreaCode, usize>,
    parsed: &mut Vec<ParsedArea>,
    report: &mut JoinReport,
) -> Result<(), LoadError> {
    let at = format!("feature {}", i + 1);
    let Some(properties) = &feature.properties else {
        report.warn_at(path, at, "no properties; skipped");
        return Ok(());
    };
    let identifying = [Some(&keys.code), keys.name.as_ref(), keys.la_code.as_ref()];
    if let Some(key) = properties.conflicting.iter().find(|k| identifying.contains(&Some(*k))) {
        report.warn_at(
            path,
            at,
            format!("the property {key:?} appears twice with different values, so which area this is cannot be told; skipped"),
        );
        return Ok(());
    }
    if !properties.conflicting.is_empty() {
        report.push(
            Severity::Note,
            Some(path.to_path_buf()),
            Some(at.clone()),
            format!(
                "the properties {} appear twice with different values; kept the first of each",
                properties.conflicting.join(", ")
            ),
        );
    }
    let Some(code) = text_property(properties, &keys.code)
        .as_deref()
        .and_then(AreaCode::parse)
    else {
        report.warn_at(path, at, format!("no valid {} code; skipped", keys.code));
        return Ok(());
    };
    if let Some(first) = first_feature_of.get(&code) {
        report.warn_at(
            path,
            at,
            format!("{code} appears again (first as feature {first}); kept the first"),
        );
        return Ok(());
    }
    let Some(geometry) = &feature.geometry else {
        report.warn_at(path, at, format!("{code} has no geometry (null); skipped"));
        return Ok(());
    };
    let polygons = match read_polygons(geometry) {
        Ok(polygons) => polygons,
        Err(_) if VERTEX_BUDGET.get() == 0 => {
            return Err(LoadError::Unrecognised {
                detail: format!(
                    "{at}: more than {MAX_VERTICES} vertices: too large to load; split or simplify the file"
                ),
                path: path.to_path_buf(),
            });
        }
        Err(why) => {
            report.warn_at(path, at, format!("{code}: {why}; skipped"));
            return Ok(());
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
        return Ok(());
    }
    let geometry = check_polygons(path, &at, code.as_str(), geometry, report);
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
    parsed.push(ParsedArea {
        code,
        name,
        la_code,
        geometry,
        place: at,
    });
    Ok(())
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
