//! Shapefiles built byte by byte (issue 15): rings wound the wrong way round, and a `.dbf` naming a field twice.

use locality_map::io::{LoadError, ShapefileParts, read_shapefile};
use locality_map::model::JoinReport;
use std::path::Path;

/// A `.shp` and its `.shx` holding one polygon record of one ring, in British National Grid metres.
fn one_ring_shapefile(ring: &[(f64, f64)]) -> (Vec<u8>, Vec<u8>) {
    let mut record = Vec::new();
    record.extend_from_slice(&5i32.to_le_bytes());
    let (xs, ys): (Vec<f64>, Vec<f64>) = ring.iter().copied().unzip();
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
    for v in [min(&xs), min(&ys), max(&xs), max(&ys)] {
        record.extend_from_slice(&v.to_le_bytes());
    }
    record.extend_from_slice(&1i32.to_le_bytes());
    record.extend_from_slice(&(ring.len() as i32).to_le_bytes());
    record.extend_from_slice(&0i32.to_le_bytes());
    for (x, y) in ring {
        record.extend_from_slice(&x.to_le_bytes());
        record.extend_from_slice(&y.to_le_bytes());
    }
    let words = (record.len() / 2) as i32;
    let header = |file_words: i32| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&file_words.to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&5i32.to_le_bytes());
        for (at, v) in [(36, min(&xs)), (44, min(&ys)), (52, max(&xs)), (60, max(&ys))] {
            h[at..at + 8].copy_from_slice(&v.to_le_bytes());
        }
        h
    };
    let mut shp = header(50 + 4 + words);
    shp.extend_from_slice(&1i32.to_be_bytes());
    shp.extend_from_slice(&words.to_be_bytes());
    shp.extend_from_slice(&record);
    let mut shx = header(50 + 4);
    shx.extend_from_slice(&50i32.to_be_bytes());
    shx.extend_from_slice(&words.to_be_bytes());
    (shp, shx)
}

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
    let (shp, shx) = one_ring_shapefile(ring);
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
