//! The GeoPackage (`.gpkg`, OGC 12-128r18, the SQLite format QGIS and ArcGIS open natively) of a comparison: the LSOAs
//! with every attribute of the changes table, population and domain ranks; the wards with their 1% counts; the LA (its
//! LSOAs dissolved) with its summary figures. Geometry in British National Grid (EPSG:27700) as the standard
//! GeoPackage blob (header, envelope, little-endian WKB MultiPolygon). Built in memory with bundled SQLite, then
//! saved atomically.

use super::ExportError;
use super::change_columns::{CHANGES_CSV_COLUMNS, CellValue, ChangeColumn, LsoaField, lsoa_fields};
use super::save::save_atomic;
use crate::analysis::{EditionComparison, LaSummary, LsoaChange};
use crate::model::{AreaCode, Dataset, Persons, rect_union};
use geo::{BoundingRect as _, MultiPolygon, Rect};
use rayon::prelude::*;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::collections::BTreeMap;
use std::path::Path;

/// The British National Grid's WKT, as EPSG publishes it in WKT 1 (what `gpkg_spatial_ref_sys.definition` holds).
const BNG_WKT: &str = r#"PROJCS["OSGB 1936 / British National Grid",GEOGCS["OSGB 1936",DATUM["OSGB_1936",SPHEROID["Airy 1830",6377563.396,299.3249646,AUTHORITY["EPSG","7001"]],TOWGS84[446.448,-125.157,542.06,0.15,0.247,0.842,-20.489],AUTHORITY["EPSG","6277"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4277"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",49],PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],PARAMETER["false_northing",-100000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","27700"]]"#;

/// The BNG's EPSG code, the `srs_id` of every layer.
pub const BNG_SRS_ID: i32 = 27700;
/// The layers written, in order: LSOAs, wards, the LA.
pub const GPKG_LAYERS: [&str; 3] = ["lsoas", "wards", "local_authority"];

fn build_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Build {
        what: "GeoPackage",
        message: e.to_string(),
    }
}

/// One attribute column: name, SQL type and the value of each feature.
struct Attribute {
    name: String,
    sql_type: &'static str,
}

fn attribute(name: impl Into<String>, sql_type: &'static str) -> Attribute {
    Attribute {
        name: name.into(),
        sql_type,
    }
}

/// The SQL type a change-table column is stored as.
fn sql_type_of(c: ChangeColumn) -> &'static str {
    use ChangeColumn::*;
    match c {
        LsoaCode | LsoaName | WardCode | WardName | Transition | BoundaryChange | EarlierLsoas => "TEXT",
        InTop1From | InTop1To => "BOOLEAN",
        PercentileFrom | PercentileTo | PercentileChange => "REAL",
        _ => "INTEGER",
    }
}

fn sql_value(value: CellValue, sql_type: &str) -> Value {
    match value {
        CellValue::Text(s) => Value::Text(s),
        // A fraction stays a REAL (SQLite keeps it so in an INTEGER column): a publisher's quarter-person is not cut.
        CellValue::Number(n) if sql_type == "INTEGER" && n.fract() == 0.0 => Value::Integer(n as i64),
        CellValue::Number(n) => Value::Real(n),
        CellValue::Bool(b) => Value::Integer(i64::from(b)),
        CellValue::Empty => Value::Null,
    }
}

fn count(n: usize) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Builds the GeoPackage in memory and returns its bytes.
pub fn geopackage_bytes(dataset: &Dataset, comparison: &EditionComparison) -> Result<Vec<u8>, ExportError> {
    let layer = super::map_layer::lsoa_layer_of(dataset, comparison)?;
    let (from, to) = (comparison.from, comparison.to);
    let mut db = Connection::open_in_memory().map_err(build_error)?;
    create_core_tables(&db)?;
    let tx = db.transaction().map_err(build_error)?;

    // LSOAs: every changes-table column, population, domain ranks of both editions.
    let fields = lsoa_fields(&CHANGES_CSV_COLUMNS);
    let sql_type = |field: &LsoaField| match field {
        LsoaField::Change(c) => sql_type_of(*c),
        LsoaField::DomainRank(..) => "INTEGER",
    };
    let attributes: Vec<Attribute> = fields
        .iter()
        .map(|f| attribute(f.header((from, to)), sql_type(f)))
        .collect();
    let lsoa_features = comparison.rows.par_iter().filter_map(|row| {
        let area = layer.get(&row.lsoa_code)?;
        let values: Vec<Value> = fields.iter().map(|f| sql_value(f.value(row), sql_type(f))).collect();
        Some((gpkg_geometry(&area.geometry_in_world, area.bbox_in_world), values))
    });
    let lsoa_features: Vec<(Vec<u8>, Vec<Value>)> = lsoa_features.collect();
    let description = format!(
        "{} LSOAs ({}), IMD {from} to {to}: ranks, change, 1% transition, deciles, population, domain ranks",
        comparison.la_name, comparison.vintage
    );
    write_layer(&tx, GPKG_LAYERS[0], &description, &attributes, &lsoa_features)?;

    // Wards: the comparison's wards that have a boundary, with their counts.
    let mut wards: BTreeMap<AreaCode, (String, Vec<&LsoaChange>)> = BTreeMap::new();
    for row in &comparison.rows {
        if let Some(code) = row.ward_code {
            wards
                .entry(code)
                .or_insert_with(|| (row.ward_name.clone(), Vec::new()))
                .1
                .push(row);
        }
    }
    let ward_layer = dataset.ward_layer_for(comparison.vintage);
    let ward_attributes = vec![
        attribute("ward_code", "TEXT"),
        attribute("ward_name", "TEXT"),
        attribute("la_code", "TEXT"),
        attribute("lsoas", "INTEGER"),
        attribute(format!("in_top1_{from}"), "INTEGER"),
        attribute(format!("in_top1_{to}"), "INTEGER"),
        attribute(format!("in_decile1_{to}"), "INTEGER"),
        attribute("priority_ward", "BOOLEAN"),
        attribute("population", "INTEGER"),
    ];
    let ward_features: Vec<(Vec<u8>, Vec<Value>)> = wards
        .iter()
        .filter_map(|(code, (name, rows))| {
            let area = ward_layer?.get(code)?;
            let top1_to = rows.iter().filter(|r| r.in_top1_to).count();
            // Residents are a count: summed as published, rounded once to whole people.
            let population = rows
                .iter()
                .map(|r| r.population)
                .sum::<Option<Persons>>()
                .map(Persons::whole_people);
            let values = vec![
                Value::Text(code.to_string()),
                Value::Text(if name.is_empty() {
                    area.name.clone()
                } else {
                    name.clone()
                }),
                Value::Text(comparison.la_code.to_string()),
                count(rows.len()),
                count(rows.iter().filter(|r| r.in_top1_from).count()),
                count(top1_to),
                count(rows.iter().filter(|r| r.in_decile1_to()).count()),
                Value::Integer(i64::from(top1_to > 0)),
                population.map_or(Value::Null, |p| Value::Integer(p as i64)),
            ];
            Some((gpkg_geometry(&area.geometry_in_world, area.bbox_in_world), values))
        })
        .collect();
    let description = format!(
        "Wards of {} with their LSOAs' 1% and decile 1 counts",
        comparison.la_name
    );
    write_layer(&tx, GPKG_LAYERS[1], &description, &ward_attributes, &ward_features)?;

    // The LA (or each LA, for England): its LSOAs dissolved into one outline.
    let summary = LaSummary::new(dataset, comparison).map_err(build_error)?;
    let la_attributes = vec![
        attribute("la_code", "TEXT"),
        attribute("la_name", "TEXT"),
        attribute("lsoas", "INTEGER"),
        attribute(format!("in_top1_{from}"), "INTEGER"),
        attribute(format!("in_top1_{to}"), "INTEGER"),
        attribute(format!("decile1_{from}"), "INTEGER"),
        attribute(format!("decile1_{to}"), "INTEGER"),
        attribute(format!("decile1_share_{to}"), "REAL"),
        attribute("priority_wards", "INTEGER"),
    ];
    type LaParts<'r> = (Vec<&'r MultiPolygon<f64>>, Vec<&'r LsoaChange>);
    let mut by_la: BTreeMap<AreaCode, LaParts<'_>> = BTreeMap::new();
    let later = dataset.edition(to);
    for row in &comparison.rows {
        let la = later
            .and_then(|e| e.rows.get(&row.lsoa_code))
            .and_then(|r| r.la_code)
            .unwrap_or(comparison.la_code);
        let entry = by_la.entry(la).or_default();
        entry.1.push(row);
        if let Some(area) = layer.get(&row.lsoa_code) {
            entry.0.push(&area.geometry_in_world);
        }
    }
    let national = by_la.len() > 1;
    let la_names: BTreeMap<AreaCode, String> = if national {
        dataset.local_authorities(to).into_iter().collect()
    } else {
        BTreeMap::from([(comparison.la_code, comparison.la_name.clone())])
    };
    let la_features: Vec<(Vec<u8>, Vec<Value>)> = by_la
        .into_par_iter()
        .filter_map(|(code, (parts, rows))| {
            let outline = geo::unary_union(parts.into_iter().flat_map(|m| m.0.iter()));
            let bbox = outline.bounding_rect()?;
            let name = la_names.get(&code).cloned().unwrap_or_default();
            let lsoas = rows.len();
            let decile1_to = rows.iter().filter(|r| r.in_decile1_to()).count();
            let values = vec![
                Value::Text(code.to_string()),
                Value::Text(name),
                count(lsoas),
                count(rows.iter().filter(|r| r.in_top1_from).count()),
                count(rows.iter().filter(|r| r.in_top1_to).count()),
                count(rows.iter().filter(|r| r.in_decile1_from()).count()),
                count(decile1_to),
                Value::Real(if lsoas == 0 {
                    0.0
                } else {
                    decile1_to as f64 / lsoas as f64
                }),
                if national {
                    Value::Null
                } else {
                    summary.priority_wards.as_ref().map_or(Value::Null, |w| count(w.len()))
                },
            ];
            Some((gpkg_geometry(&outline, bbox), values))
        })
        .collect();
    let description = format!("{}: the LSOAs dissolved, with the LA's summary", comparison.la_name);
    write_layer(&tx, GPKG_LAYERS[2], &description, &la_attributes, &la_features)?;
    tx.commit().map_err(build_error)?;
    let data = db.serialize(rusqlite::MAIN_DB).map_err(build_error)?;
    Ok(data.to_vec())
}

/// Builds the GeoPackage and saves it atomically.
pub fn save_geopackage(
    dataset: &Dataset,
    comparison: &EditionComparison,
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    let bytes = geopackage_bytes(dataset, comparison)?;
    save_atomic(path, overwrite, |out| out.write_all(&bytes))?;
    Ok(())
}

/// The GeoPackage's required tables (spec §1.1.2, §1.1.3, §2.1.5) and its application id and version: 1.3, what
/// we write (1.4 changed the R-tree triggers; GDAL 3.6, as Debian 12 and many QGIS installs ship it, warns on 1.4).
fn create_core_tables(db: &Connection) -> Result<(), ExportError> {
    db.execute_batch(
        "PRAGMA application_id = 1196444487;
         PRAGMA user_version = 10300;
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
           description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
           srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));",
    )
    .map_err(build_error)?;
    let srs: [(&str, i32, &str, i32, &str, &str); 3] = [
        (
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system",
        ),
        (
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system",
        ),
        (
            "OSGB 1936 / British National Grid",
            BNG_SRS_ID,
            "EPSG",
            BNG_SRS_ID,
            BNG_WKT,
            "British National Grid",
        ),
    ];
    for (name, id, org, org_id, definition, description) in srs {
        db.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![name, id, org, org_id, definition, description],
        )
        .map_err(build_error)?;
    }
    // WGS 84 is required by the spec even when no layer uses it.
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude')",
        [r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#],
    )
    .map_err(build_error)?;
    Ok(())
}

/// Creates a feature table, registers it and inserts its features.
fn write_layer(
    db: &Connection,
    table: &str,
    description: &str,
    attributes: &[Attribute],
    features: &[(Vec<u8>, Vec<Value>)],
) -> Result<(), ExportError> {
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let columns: Vec<String> = attributes
        .iter()
        .map(|a| format!("{} {}", quote(&a.name), a.sql_type))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, {});",
        quote(table),
        columns.join(", ")
    ))
    .map_err(build_error)?;
    let bbox = features
        .iter()
        .filter_map(|(blob, _)| envelope_of_blob(blob))
        .reduce(rect_union);
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            table,
            description,
            bbox.map(|b| b.min().x),
            bbox.map(|b| b.min().y),
            bbox.map(|b| b.max().x),
            bbox.map(|b| b.max().y),
            BNG_SRS_ID
        ],
    )
    .map_err(build_error)?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
        rusqlite::params![table, BNG_SRS_ID],
    )
    .map_err(build_error)?;
    let names: Vec<String> = attributes.iter().map(|a| quote(&a.name)).collect();
    let placeholders: Vec<String> = (0..=attributes.len()).map(|i| format!("?{}", i + 1)).collect();
    let mut insert = db
        .prepare(&format!(
            "INSERT INTO {} (geom, {}) VALUES ({})",
            quote(table),
            names.join(", "),
            placeholders.join(", ")
        ))
        .map_err(build_error)?;
    for (blob, values) in features {
        let row = std::iter::once(Value::Blob(blob.clone())).chain(values.iter().cloned());
        insert.execute(params_from_iter(row)).map_err(build_error)?;
    }
    write_rtree_index(db, table, features)
}

/// The spatial index QGIS and GDAL use to draw and query a layer without reading every geometry (spec extension F.3,
/// `gpkg_rtree_index`): an SQLite R*Tree of each feature's envelope, filled from the envelopes already in the blobs
/// (fids follow insertion order from 1), and the spec's triggers that keep it in step when a reader edits the layer.
/// The triggers call GDAL's `ST_*` functions, so they are created after our own inserts: SQLite resolves functions
/// only when a trigger fires.
fn write_rtree_index(db: &Connection, table: &str, features: &[(Vec<u8>, Vec<Value>)]) -> Result<(), ExportError> {
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS gpkg_extensions (
           table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
           scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));",
    )
    .map_err(build_error)?;
    db.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index',
         'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        [table],
    )
    .map_err(build_error)?;
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let t = quote(table);
    let rtree = quote(&format!("rtree_{table}_geom"));
    db.execute_batch(&format!(
        "CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);"
    ))
    .map_err(build_error)?;
    let mut insert = db
        .prepare(&format!("INSERT INTO {rtree} VALUES (?1, ?2, ?3, ?4, ?5)"))
        .map_err(build_error)?;
    for (fid, (blob, _)) in (1_i64..).zip(features) {
        if let Some(b) = envelope_of_blob(blob) {
            insert
                .execute(rusqlite::params![fid, b.min().x, b.max().x, b.min().y, b.max().y])
                .map_err(build_error)?;
        }
    }
    let name = |suffix: &str| quote(&format!("rtree_{table}_geom_{suffix}"));
    let values = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)";
    db.execute_batch(&format!(
        "CREATE TRIGGER {insert} AFTER INSERT ON {t} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
         BEGIN INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {values}); END;
         CREATE TRIGGER {update1} AFTER UPDATE OF geom ON {t}
         WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
         BEGIN INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {values}); END;
         CREATE TRIGGER {update2} AFTER UPDATE OF geom ON {t}
         WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
         BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; END;
         CREATE TRIGGER {update3} AFTER UPDATE ON {t}
         WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
         BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {values}); END;
         CREATE TRIGGER {update4} AFTER UPDATE ON {t}
         WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
         BEGIN DELETE FROM {rtree} WHERE id IN (OLD.fid, NEW.fid); END;
         CREATE TRIGGER {delete} AFTER DELETE ON {t} WHEN old.geom NOT NULL
         BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; END;",
        insert = name("insert"),
        update1 = name("update1"),
        update2 = name("update2"),
        update3 = name("update3"),
        update4 = name("update4"),
        delete = name("delete"),
    ))
    .map_err(build_error)
}

/// A GeoPackage geometry blob (spec §2.1.3): `GP`, version 0, flags (little-endian, XY envelope), the SRS id, the
/// envelope as min x, max x, min y, max y, then the geometry as little-endian WKB.
pub fn gpkg_geometry(geometry: &MultiPolygon<f64>, bbox: Rect<f64>) -> Vec<u8> {
    let points: usize = geometry
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| r.0.len())
                .sum::<usize>()
        })
        .sum();
    let mut out = Vec::with_capacity(8 + 32 + 9 + points * 16 + geometry.0.len() * 32);
    out.extend_from_slice(b"GP");
    out.push(0); // version 1.0
    out.push(0b0000_0011); // standard binary, not empty, envelope [minx, maxx, miny, maxy], little-endian
    out.extend_from_slice(&BNG_SRS_ID.to_le_bytes());
    for v in [bbox.min().x, bbox.max().x, bbox.min().y, bbox.max().y] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let u32_le =
        |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    out.push(1);
    u32_le(&mut out, 6); // MultiPolygon
    u32_le(&mut out, geometry.0.len());
    for polygon in geometry {
        out.push(1);
        u32_le(&mut out, 3); // Polygon
        u32_le(&mut out, 1 + polygon.interiors().len());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            u32_le(&mut out, ring.0.len());
            for c in &ring.0 {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
    out
}

/// The envelope recorded in a blob written by [`gpkg_geometry`].
fn envelope_of_blob(blob: &[u8]) -> Option<Rect<f64>> {
    let f = |i: usize| -> Option<f64> { Some(f64::from_le_bytes(blob.get(8 + i * 8..16 + i * 8)?.try_into().ok()?)) };
    let (min_x, max_x, min_y, max_y) = (f(0)?, f(1)?, f(2)?, f(3)?);
    Some(Rect::new(
        geo::coord! { x: min_x, y: min_y },
        geo::coord! { x: max_x, y: max_y },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    #[test]
    fn a_square_encodes_as_the_standard_blob() {
        let square = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
            vec![],
        )]);
        let bbox = square.bounding_rect().unwrap();
        let blob = gpkg_geometry(&square, bbox);
        assert_eq!(&blob[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 27700);
        assert_eq!(envelope_of_blob(&blob), Some(bbox));
        // WKB: little-endian MultiPolygon of one Polygon of one ring of five points.
        let wkb = &blob[40..];
        assert_eq!(wkb[0], 1);
        assert_eq!(u32::from_le_bytes(wkb[1..5].try_into().unwrap()), 6);
        assert_eq!(u32::from_le_bytes(wkb[5..9].try_into().unwrap()), 1);
        assert_eq!(u32::from_le_bytes(wkb[10..14].try_into().unwrap()), 3);
        assert_eq!(u32::from_le_bytes(wkb[18..22].try_into().unwrap()), 5);
        assert_eq!(wkb.len(), 22 + 5 * 16);
        assert_eq!(f64::from_le_bytes(wkb[22 + 16..22 + 24].try_into().unwrap()), 2.0);
    }
}
