//! CRS detection from `.prj` WKT (`io::crs_from_wkt`) and from GeoJSON `crs` names (`io::crs_from_name`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::{crs_from_name, crs_from_wkt, decode_text};

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode_text(data);
    let _ = crs_from_wkt(&text);
    let _ = crs_from_name(&text);
});
