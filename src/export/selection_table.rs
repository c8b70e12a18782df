//! A selection of LSOAs as a table and as map features, for planners to take into Excel or a GIS: CSV (UTF-8 with a
//! byte-order mark, so Excel reads the names correctly) and GeoJSON (WGS84 longitude/latitude, as RFC 7946 requires).
//! The rows are the comparison's own `LsoaChange` rows, in comparison order (ward, then LSOA code).

use super::ExportError;
use super::change_columns::SELECTION_COLUMNS;
use super::save::save_atomic;
use crate::analysis::{EditionComparison, LsoaChange};
use crate::io::lonlat_from_world;
use crate::model::{AreaCode, Dataset};
use geo::{LineString, MultiPolygon};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// The UTF-8 byte-order mark Excel looks for.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The rows of a comparison whose LSOA is in `codes`, in comparison order.
pub fn selected_rows<'a>(comparison: &'a EditionComparison, codes: &BTreeSet<AreaCode>) -> Vec<&'a LsoaChange> {
    comparison
        .rows
        .iter()
        .filter(|r| codes.contains(&r.lsoa_code))
        .collect()
}

/// The column names, with the edition years in them: `lsoa_code, lsoa_name, ward_code, ward_name, rank_2015,
/// rank_2019, change, decile_2015, decile_2019, in_top1_2015, in_top1_2019, population`, then `transition`,
/// `la_rank_2015`, `la_rank_2019`, `percentile_2015`, `percentile_2019`, `percentile_change` (see
/// [`SELECTION_COLUMNS`]).
pub fn selection_columns(from: u16, to: u16) -> Vec<String> {
    SELECTION_COLUMNS.iter().map(|c| c.header(Some((from, to)))).collect()
}

/// One row's values as JSON, keyed by [`selection_columns`] (unknown values are `null`).
pub fn selection_properties(row: &LsoaChange, from: u16, to: u16) -> Map<String, Value> {
    SELECTION_COLUMNS
        .iter()
        .map(|c| (c.header(Some((from, to))), c.json(row)))
        .collect()
}

/// Writes the rows as CSV: the byte-order mark, one header row, then one row per LSOA. Unknown values are empty
/// cells; the 1% columns are `true`/`false`; a cell that starts like a formula gets a leading `'` (OWASP).
pub fn write_selection_csv(out: &mut dyn Write, rows: &[&LsoaChange], from: u16, to: u16) -> std::io::Result<()> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(selection_columns(from, to))?;
    for r in rows {
        let cells = SELECTION_COLUMNS.iter().map(|c| c.cell(r));
        writer.write_record(cells.map(|cell| crate::model::csv_safe_cell(&cell).into_owned()))?;
    }
    writer.flush()
}

/// The rows as a GeoJSON FeatureCollection: each LSOA's boundary in WGS84 (degrees, 6 decimals ≈ 0.1 m) with the
/// same properties as the CSV. An LSOA without a loaded boundary is a feature with a `null` geometry, so the counts
/// still match the CSV. The collection also records the editions and the LA.
pub fn selection_geojson(dataset: &Dataset, comparison: &EditionComparison, rows: &[&LsoaChange]) -> Value {
    let layer = dataset.lsoa_layers.get(&comparison.vintage);
    let features: Vec<Value> = rows
        .iter()
        .map(|row| {
            let geometry = layer
                .and_then(|l| l.get(&row.lsoa_code))
                .and_then(|area| multipolygon_lonlat(&area.geometry_in_world));
            json!({
                "type": "Feature",
                "id": row.lsoa_code.as_str(),
                "geometry": geometry,
                "properties": selection_properties(row, comparison.from, comparison.to),
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "name": format!("{} selection, IMD {} to {}", comparison.la_name, comparison.from, comparison.to),
        "la_code": comparison.la_code.as_str(),
        "features": features,
    })
}

/// A BNG multipolygon as GeoJSON MultiPolygon geometry in lon/lat; `None` if any vertex cannot be projected.
fn multipolygon_lonlat(geometry: &MultiPolygon<f64>) -> Option<Value> {
    let ring = |line: &LineString<f64>| -> Option<Value> {
        line.0
            .iter()
            .map(|c| lonlat_from_world(*c).map(|p| json!([round6(p.x), round6(p.y)])))
            .collect::<Option<Vec<Value>>>()
            .map(Value::Array)
    };
    let polygons = geometry
        .0
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(ring)
                .collect::<Option<Vec<Value>>>()
                .map(Value::Array)
        })
        .collect::<Option<Vec<Value>>>()?;
    Some(json!({"type": "MultiPolygon", "coordinates": polygons}))
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Saves the selected rows as CSV, atomically; refuses to replace a file unless `overwrite`.
pub fn save_selection_csv(
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
    comparison: &EditionComparison,
    codes: &BTreeSet<AreaCode>,
) -> Result<usize, ExportError> {
    let rows = selected_rows(comparison, codes);
    save_atomic(path, overwrite, |out| {
        write_selection_csv(out, &rows, comparison.from, comparison.to)
    })?;
    Ok(rows.len())
}

/// Saves the selected rows as GeoJSON, atomically; refuses to replace a file unless `overwrite`.
pub fn save_selection_geojson(
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
    dataset: &Dataset,
    comparison: &EditionComparison,
    codes: &BTreeSet<AreaCode>,
) -> Result<usize, ExportError> {
    let rows = selected_rows(comparison, codes);
    let collection = selection_geojson(dataset, comparison, &rows);
    save_atomic(path, overwrite, |out| {
        serde_json::to_writer(&mut *out, &collection).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })?;
    Ok(rows.len())
}
