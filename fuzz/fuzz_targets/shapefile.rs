//! A shapefile set (.shp, .shx, .dbf, .prj): `io::read_shapefile` on four byte strings cut from one input.
//!
//! Input layout: `fuzz/shapefile_input.rs` (four u32 LE lengths, then the bodies); `fuzz/make_corpus.py` writes seeds
//! in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::read_shapefile;
use locality_map::model::JoinReport;
use std::path::Path;

#[path = "../shapefile_input.rs"]
mod shapefile_input;

fuzz_target!(|data: &[u8]| {
    let mut report = JoinReport::default();
    let _ = read_shapefile(Path::new("fuzz.shp"), shapefile_input::shapefile_parts(data), &mut report);
});
