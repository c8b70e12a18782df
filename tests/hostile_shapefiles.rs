//! Shapefiles built byte by byte (issue 15): rings wound the wrong way round, and a `.dbf` naming a field twice.

mod common;

use locality_map::io::{LoadError, ShapefileParts, read_shapefile};
use locality_map::model::JoinReport;
use std::path::Path;

/// A one-record `.dbf` of 9-character text fields, each holding `code`.
fn dbf_with_fields(fields: &[&str], code: &str) -> Vec<u8> {
    let mut dbf = vec![0x03, 126, 1, 1];
    dbf.extend_from_slice(&1u32.to_le_bytes());
    dbf.extend_from_slice(&(32u16 + 32 * fields.len() as u16 + 1).to_le_bytes());
    dbf.extend_from_slice(&(1u16 + 9 * fields.len() as u16).to_le_bytes());
    dbf.extend_from_slice(&[0; 20]);
    for name in fields {
        let mut field = [0u8; 32];
        field[..name.len()].copy_from_slice(name.as_bytes());
        field[11] = b'C';
        field[16] = 9;
        dbf.extend_from_slice(&field);
    }
    dbf.push(0x0D);
    dbf.push(b' ');
    for _ in fields {
        dbf.extend_from_slice(code.as_bytes());
    }
    dbf.push(0x1A);
    dbf
}

fn read(ring: &[(f64, f64)], fields: &[&str]) -> (Result<locality_map::io::BoundaryFile, LoadError>, JoinReport) {
    let (shp, shx) = common::one_ring_shapefile(ring, 1);
    let dbf = dbf_with_fields(fields, "E01011372");
    // The real British National Grid .prj kept with the malformed examples.
    let prj = std::fs::read("tests/malformed/missing_shx.prj").unwrap();
    let parts = ShapefileParts {
        shp: &shp,
        shx: Some(&shx),
        dbf: Some(&dbf),
        prj: Some(&prj),
    };
    let mut report = JoinReport::default();
    let result = read_shapefile(Path::new("areas.shp"), parts, &mut report);
    (result, report)
}

const CLOCKWISE: [(f64, f64); 5] = [
    (430_000.0, 433_000.0),
    (430_000.0, 434_000.0),
    (431_000.0, 434_000.0),
    (431_000.0, 433_000.0),
    (430_000.0, 433_000.0),
];

#[test]
fn a_ring_wound_the_wrong_way_is_read_as_an_outer_ring_and_the_record_named() {
    let (result, report) = read(&CLOCKWISE, &["LSOA11CD"]);
    assert_eq!(result.unwrap().areas.len(), 1);
    assert!(
        report.problems.is_empty(),
        "a clockwise outer ring is as ESRI writes it: {:?}",
        report.problems
    );

    let counter_clockwise: Vec<(f64, f64)> = CLOCKWISE.iter().rev().copied().collect();
    let (result, report) = read(&counter_clockwise, &["LSOA11CD"]);
    let file = result.unwrap();
    assert_eq!(file.areas.len(), 1, "the area is kept");
    let problem = report
        .problems
        .iter()
        .find(|p| p.message.contains("orientation fixed"))
        .unwrap_or_else(|| panic!("no orientation warning: {:?}", report.problems));
    assert!(
        problem
            .message
            .starts_with("E01011372: all 1 ring(s) run counter-clockwise"),
        "{problem}"
    );
    assert!(problem.location.is_some(), "the record is named: {problem}");
    assert!(problem.to_string().ends_with("areas.shp"), "{problem}");
}

#[test]
fn a_dbf_naming_a_field_twice_is_refused() {
    let (result, _) = read(&CLOCKWISE, &["LSOA11CD", "lsoa11cd"]);
    let Err(error) = result else {
        panic!("a .dbf naming LSOA11CD twice was read")
    };
    let message = error.to_string();
    assert!(
        message.contains("the .dbf has two fields named \"lsoa11cd\", so which value is the area's cannot be told"),
        "{message}"
    );
    assert!(message.ends_with("areas.shp"), "{message}");
}
