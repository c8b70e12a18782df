//! LSOA / ward boundary GeoJSON: `io::read_geojson` on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::read_geojson;
use locality_map::model::JoinReport;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut report = JoinReport::default();
    let _ = read_geojson(Path::new("fuzz.geojson"), data, &mut report);
});
