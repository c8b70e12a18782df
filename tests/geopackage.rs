//! The GeoPackage of Leeds 2015 → 2019, re-read with SQLite: the required tables, 482 LSOAs with their attributes,
//! geometry blobs decoded here from the spec (not by the writer's code) into valid polygons matching the boundaries,
//! wards and the LA; and `ogrinfo` (GDAL) lists the layers without errors where it is installed.

use geo::{Area as _, Validation as _};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::save_geopackage;
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-gpkg-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Decodes a GeoPackage blob (spec 2.1.3) with an XY envelope and a little-endian WKB (Multi)Polygon.
fn decode(blob: &[u8]) -> (i32, [f64; 4], MultiPolygon<f64>) {
    assert_eq!(&blob[..2], b"GP");
    assert_eq!(blob[2], 0, "version 1");
    let flags = blob[3];
    assert_eq!(flags & 1, 1, "little-endian header");
    assert_eq!((flags >> 1) & 7, 1, "XY envelope");
    let srs = i32::from_le_bytes(blob[4..8].try_into().unwrap());
    let f = |at: usize| f64::from_le_bytes(blob[at..at + 8].try_into().unwrap());
    let envelope = [f(8), f(16), f(24), f(32)];
    let mut at = 40;
    let u32_at = |at: &mut usize| {
        let v = u32::from_le_bytes(blob[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    };
    assert_eq!(blob[at], 1);
    at += 1;
    assert_eq!(u32_at(&mut at), 6, "MultiPolygon");
    let polygons = u32_at(&mut at);
    let mut out = Vec::new();
    for _ in 0..polygons {
        assert_eq!(blob[at], 1);
        at += 1;
        assert_eq!(u32_at(&mut at), 3, "Polygon");
        let rings = u32_at(&mut at);
        let mut parsed = Vec::new();
        for _ in 0..rings {
            let n = u32_at(&mut at);
            let mut coords = Vec::new();
            for _ in 0..n {
                coords.push(Coord { x: f(at), y: f(at + 8) });
                at += 16;
            }
            parsed.push(LineString::new(coords));
        }
        let exterior = parsed.remove(0);
        out.push(Polygon::new(exterior, parsed));
    }
    assert_eq!(at, blob.len(), "nothing after the geometry");
    (srs, envelope, MultiPolygon::new(out))
}

#[test]
fn leeds_geopackage_has_482_lsoas_with_attributes_and_valid_geometry() {
    let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
    let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let dir = temp_dir("leeds");
    let path = dir.join("areas.gpkg");
    save_geopackage(&dataset, &comparison, &path, false).unwrap();
    assert!(
        save_geopackage(&dataset, &comparison, &path, false).is_err(),
        "no overwrite without asking"
    );

    let db = Connection::open(&path).unwrap();
    let application_id: i64 = db.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(application_id, 0x4750_4B47, "'GPKG'");
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let layers: Vec<(String, String, i64)> = db
        .prepare("SELECT table_name, data_type, srs_id FROM gpkg_contents ORDER BY table_name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = layers.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(names, ["local_authority", "lsoas", "wards"]);
    assert!(layers.iter().all(|l| l.1 == "features" && l.2 == 27700));
    let srs_wkt: String = db
        .query_row(
            "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 27700",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(srs_wkt.contains("British National Grid") && srs_wkt.contains("27700"));
    let geometry_columns: i64 = db
        .query_row(
            "SELECT count(*) FROM gpkg_geometry_columns WHERE column_name = 'geom' AND geometry_type_name = 'MULTIPOLYGON'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(geometry_columns, 3);

    let by_code: HashMap<&str, _> = comparison.rows.iter().map(|r| (r.lsoa_code.as_str(), r)).collect();
    let layer = dataset.lsoa_layers.get(&comparison.vintage).unwrap();
    let mut statement = db
        .prepare("SELECT lsoa_code, ward_name, rank_2015, rank_2019, change, in_top1_2019, population, income_rank_2019, geom FROM lsoas")
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut n = 0;
    let mut with_population = 0;
    while let Some(row) = rows.next().unwrap() {
        n += 1;
        let code: String = row.get(0).unwrap();
        let expected = by_code[code.as_str()];
        assert_eq!(row.get::<_, String>(1).unwrap(), expected.ward_name);
        assert_eq!(row.get::<_, Option<i64>>(2).unwrap(), expected.rank_from.map(i64::from));
        assert_eq!(row.get::<_, Option<i64>>(3).unwrap(), expected.rank_to.map(i64::from));
        assert_eq!(row.get::<_, Option<i64>>(4).unwrap(), expected.change);
        assert_eq!(row.get::<_, bool>(5).unwrap(), expected.in_top1_to);
        with_population += usize::from(row.get::<_, Option<i64>>(6).unwrap().is_some());
        assert!(
            row.get::<_, Option<i64>>(7).unwrap().is_some(),
            "{code}: 2019 domain ranks are loaded"
        );
        let (srs, envelope, geometry) = decode(&row.get::<_, Vec<u8>>(8).unwrap());
        assert_eq!(srs, 27700);
        assert!(geometry.is_valid(), "{code}: valid geometry");
        let area = layer.get(&expected.lsoa_code).unwrap();
        assert!((geometry.unsigned_area() - area.geometry_in_world.unsigned_area()).abs() < 1.0);
        let b = area.bbox_in_world;
        assert_eq!(envelope, [b.min().x, b.max().x, b.min().y, b.max().y]);
        // British National Grid metres around Leeds.
        assert!((400_000.0..460_000.0).contains(&envelope[0]) && (410_000.0..470_000.0).contains(&envelope[2]));
    }
    assert_eq!(n, 482);
    assert_eq!(with_population, 482, "2019 population denominators are loaded");

    let wards: i64 = db.query_row("SELECT count(*) FROM wards", [], |r| r.get(0)).unwrap();
    assert_eq!(wards, 33);
    let priority: i64 = db
        .query_row("SELECT count(*) FROM wards WHERE priority_ward", [], |r| r.get(0))
        .unwrap();
    let expected_priority = {
        let mut w: Vec<_> = comparison
            .rows
            .iter()
            .filter(|r| r.in_top1_to)
            .filter_map(|r| r.ward_code)
            .collect();
        w.sort();
        w.dedup();
        w.len() as i64
    };
    assert_eq!(priority, expected_priority);
    let (la_code, lsoas, blob): (String, i64, Vec<u8>) = db
        .query_row("SELECT la_code, lsoas, geom FROM local_authority", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((la_code.as_str(), lsoas), ("E08000035", 482));
    let (_, _, outline) = decode(&blob);
    let total: f64 = comparison
        .rows
        .iter()
        .filter_map(|r| layer.get(&r.lsoa_code))
        .map(|a| a.geometry_in_world.unsigned_area())
        .sum();
    assert!(
        (outline.unsigned_area() - total).abs() / total < 1e-3,
        "the LA outline covers its LSOAs: {} vs {total}",
        outline.unsigned_area()
    );
    drop(rows);
    drop(statement);
    drop(db);
    ogrinfo_lists_the_layers(&path);
    std::fs::remove_dir_all(&dir).ok();
}

/// `ogrinfo -so -al`: every layer with its feature count and no error; skipped loudly without GDAL (failed on CI).
fn ogrinfo_lists_the_layers(path: &std::path::Path) {
    let output = match std::process::Command::new("ogrinfo")
        .arg("-so")
        .arg("-al")
        .arg(path)
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "ogrinfo is needed on CI (apt-get install gdal-bin): {e}"
            );
            eprintln!("SKIPPED: ogrinfo not installed ({e}); install gdal-bin to check the GeoPackage with GDAL");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "ogrinfo failed:\n{stderr}");
    assert!(
        !stderr.contains("ERROR") && !stdout.contains("ERROR"),
        "ogrinfo reported:\n{stderr}{stdout}"
    );
    assert!(!stderr.contains("Warning"), "ogrinfo warned:\n{stderr}");
    for (layer, count) in [("lsoas", 482), ("wards", 33), ("local_authority", 1)] {
        let block = stdout
            .split("Layer name: ")
            .find(|b| b.starts_with(layer))
            .unwrap_or_else(|| panic!("{layer} listed:\n{stdout}"));
        assert!(block.contains(&format!("Feature Count: {count}")), "{layer}:\n{block}");
        assert!(block.contains("Geometry: Multi Polygon"), "{layer}:\n{block}");
        assert!(
            block.contains("British National Grid") || block.contains("27700"),
            "{layer}:\n{block}"
        );
    }
}

/// QGIS draws and queries a layer through its R-tree (GeoPackage extension F.3): one entry per feature whose box is
/// the geometry's own (decoded here from the blob), registered in `gpkg_extensions`, and GDAL reports it in use.
#[test]
fn every_layer_has_a_spatial_index_of_its_features_envelopes() {
    let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
    let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let dir = temp_dir("rtree");
    let path = dir.join("areas.gpkg");
    save_geopackage(&dataset, &comparison, &path, false).unwrap();
    let db = Connection::open(&path).unwrap();
    for layer in ["lsoas", "wards", "local_authority"] {
        let registered: i64 = db
            .query_row(
                "SELECT count(*) FROM gpkg_extensions WHERE table_name = ?1 AND column_name = 'geom'
                 AND extension_name = 'gpkg_rtree_index'",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(registered, 1, "{layer} registered");
        let features: Vec<(i64, Vec<u8>)> = db
            .prepare(&format!("SELECT fid, geom FROM {layer}"))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut boxes: HashMap<i64, [f64; 4]> = db
            .prepare(&format!("SELECT id, minx, maxx, miny, maxy FROM rtree_{layer}_geom"))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(boxes.len(), features.len(), "{layer}: one entry per feature");
        for (fid, blob) in &features {
            let (_, _, geometry) = decode(blob);
            let bbox = geo::BoundingRect::bounding_rect(&geometry).unwrap();
            let entry = boxes.remove(fid).unwrap();
            // SQLite's R*Tree stores 32-bit floats, rounded outwards: within a metre, never inside the geometry.
            assert!(
                entry[0] <= bbox.min().x && entry[0] > bbox.min().x - 1.0,
                "{layer} {fid}"
            );
            assert!(
                entry[1] >= bbox.max().x && entry[1] < bbox.max().x + 1.0,
                "{layer} {fid}"
            );
            assert!(
                entry[2] <= bbox.min().y && entry[2] > bbox.min().y - 1.0,
                "{layer} {fid}"
            );
            assert!(
                entry[3] >= bbox.max().y && entry[3] < bbox.max().y + 1.0,
                "{layer} {fid}"
            );
        }
    }
    // A window around Leeds city centre (Park Square, BNG 429,700 433,500) finds a handful of LSOAs, not all.
    let near: i64 = db
        .query_row(
            "SELECT count(*) FROM rtree_lsoas_geom WHERE maxx >= 429200 AND minx <= 430200
             AND maxy >= 433000 AND miny <= 434000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((1..60).contains(&near), "{near} LSOAs near the centre");
    drop(db);
    if let Ok(output) = std::process::Command::new("ogrinfo")
        .arg(&path)
        .args(["-sql", "SELECT HasSpatialIndex('lsoas', 'geom')", "-q"])
        .output()
    {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("= 1"), "GDAL sees the index:\n{stdout}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
