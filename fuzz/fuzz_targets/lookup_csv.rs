//! ONS lookup CSVs (LSOA → ward → LA, LSOA 2011 → 2021): `io::read_csv`, recognition and `io::parse_lookup`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::{is_change_lookup, is_ward_lookup, parse_lookup, read_csv};
use locality_map::model::JoinReport;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_csv(Path::new("fuzz.csv"), data) else {
        return;
    };
    let _ = (is_change_lookup(&table), is_ward_lookup(&table));
    let mut report = JoinReport::default();
    // Parse even when not recognised: the parser must cope with any headers.
    let _ = parse_lookup(&table, &mut report);
});
