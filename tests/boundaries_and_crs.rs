//! Boundary files in both coordinate systems and both formats agree once projected to British National Grid.

mod common;

use common::national_data;
use locality_map::io::{ShapefileParts, read_geojson, read_shapefile};
use locality_map::model::{AreaKind, JoinReport, LsoaVintage};
use std::collections::BTreeMap;

fn geojson(data: &std::path::Path, name: &str) -> locality_map::io::BoundaryFile {
    let path = data.join("boundaries").join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut report = JoinReport::default();
    let file = read_geojson(&path, &bytes, &mut report).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    file
}

#[test]
fn wgs84_leeds_lsoas_project_onto_the_published_bng_file_within_a_centimetre() {
    // The WGS84 copy of the 2011 Leeds LSOAs is not embedded.
    let Some(data) = national_data("wgs84_leeds_lsoas_project_onto_the_published_bng_file_within_a_centimetre") else {
        return;
    };
    let wgs84 = geojson(&data, "Leeds_E08000035_lsoa11_BGC_WGS84.geojson");
    let bng = geojson(&data, "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson");
    assert_eq!(wgs84.crs.epsg(), "EPSG:4326");
    assert_eq!(bng.crs.epsg(), "EPSG:27700");
    assert_eq!(wgs84.areas.len(), 482);
    let bng_by_code: BTreeMap<_, _> = bng.areas.iter().map(|a| (a.code, a)).collect();
    let mut worst = 0.0f64;
    for area in &wgs84.areas {
        let other = bng_by_code[&area.code];
        use geo::CoordsIter as _;
        assert_eq!(
            area.geometry_in_world.coords_count(),
            other.geometry_in_world.coords_count(),
            "{}",
            area.code
        );
        for (a, b) in area
            .geometry_in_world
            .coords_iter()
            .zip(other.geometry_in_world.coords_iter())
        {
            worst = worst.max((a.x - b.x).hypot(a.y - b.y));
        }
    }
    assert!(worst < 0.01, "worst vertex differs by {worst} m");
}

#[test]
fn shapefile_and_geojson_give_the_same_leeds_lsoas() {
    let Some(data) = national_data("shapefile_and_geojson_give_the_same_leeds_lsoas") else {
        return;
    };
    let dir = data.join("shapefile/leeds_lsoa11_bgc_27700");
    let stem = dir.join("Leeds_E08000035_lsoa11_BGC_EPSG27700");
    let read = |ext: &str| std::fs::read(stem.with_extension(ext)).unwrap();
    let (shp, shx, dbf, prj) = (read("shp"), read("shx"), read("dbf"), read("prj"));
    let mut report = JoinReport::default();
    let parts = ShapefileParts {
        shp: &shp,
        shx: Some(&shx),
        dbf: Some(&dbf),
        prj: Some(&prj),
    };
    let file = read_shapefile(&stem.with_extension("shp"), parts, &mut report).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(file.kind, AreaKind::Lsoa(LsoaVintage::Lsoa2011));
    assert_eq!(file.crs.epsg(), "EPSG:27700", "read from the ESRI WKT .prj");
    let geojson = geojson(&data, "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson");
    let by_code: BTreeMap<_, _> = geojson.areas.iter().map(|a| (a.code, a)).collect();
    assert_eq!(file.areas.len(), 482);
    for area in &file.areas {
        let other = by_code[&area.code];
        assert_eq!(area.name, other.name);
        let (a, b) = (area.bbox_in_world, other.bbox_in_world);
        assert!(
            (a.min().x - b.min().x).abs() < 1e-6 && (a.max().y - b.max().y).abs() < 1e-6,
            "{}",
            area.code
        );
        use geo::Area as _;
        let (area_a, area_b) = (
            area.geometry_in_world.unsigned_area(),
            other.geometry_in_world.unsigned_area(),
        );
        assert!(
            (area_a - area_b).abs() < 1e-3 * area_b,
            "{}: holes and parts assembled the same",
            area.code
        );
    }
}

/// Every `step`-th area is found by a hit test at its own interior point.
fn check_hit_test(dataset: &locality_map::model::Dataset, step: usize) -> usize {
    use geo::InteriorPoint as _;
    let layer = &dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    let mut checked = 0;
    for area in layer.areas.iter().step_by(step) {
        let point = area.geometry_in_world.interior_point().unwrap();
        assert_eq!(layer.area_at(point.0).map(|a| &a.code), Some(&area.code));
        checked += 1;
    }
    checked
}

#[test]
fn hit_test_finds_every_leeds_lsoa_at_its_interior_point() {
    assert_eq!(check_hit_test(common::embedded_dataset(), 1), 482);
}

#[test]
fn hit_test_finds_the_lsoa_at_its_interior_point_nationally() {
    let Some(dataset) = common::national_dataset("hit_test_finds_the_lsoa_at_its_interior_point_nationally") else {
        return;
    };
    assert!(check_hit_test(dataset, 97) > 300);
}
