//! A shapefile set (.shp, .shx, .dbf, .prj): `io::read_shapefile` on four byte strings cut from one input.
//!
//! Input layout: four little-endian u32 lengths (shp, shx, dbf, prj), then the four bodies one after another.
//! Lengths are clamped to what is left; an empty .shx, .dbf or .prj stands for a missing sidecar.
//! `fuzz/make_corpus.py` writes seeds in this layout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::{ShapefileParts, read_shapefile};
use locality_map::model::JoinReport;
use std::path::Path;

fn split(data: &[u8]) -> [&[u8]; 4] {
    let mut lengths = [0usize; 4];
    for (i, length) in lengths.iter_mut().enumerate() {
        *length = data
            .get(i * 4..i * 4 + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    }
    let mut rest = data.get(16..).unwrap_or_default();
    let mut parts: [&[u8]; 4] = [&[]; 4];
    for (part, length) in parts.iter_mut().zip(lengths) {
        let (head, tail) = rest.split_at(length.min(rest.len()));
        *part = head;
        rest = tail;
    }
    parts
}

fuzz_target!(|data: &[u8]| {
    let [shp, shx, dbf, prj] = split(data);
    let parts = ShapefileParts {
        shp,
        shx: (!shx.is_empty()).then_some(shx),
        dbf: (!dbf.is_empty()).then_some(dbf),
        prj: (!prj.is_empty()).then_some(prj),
    };
    let mut report = JoinReport::default();
    let _ = read_shapefile(Path::new("fuzz.shp"), parts, &mut report);
});
