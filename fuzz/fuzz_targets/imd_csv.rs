//! IMD tables as CSV: `io::read_csv`, header recognition (`io::is_imd_table`) and `io::parse_imd_table`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::{LoadError, is_imd_table, parse_imd_table, read_csv};
use locality_map::model::JoinReport;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_csv(Path::new("fuzz.csv"), data) else {
        return;
    };
    let _ = is_imd_table(&table);
    let mut report = JoinReport::default();
    // Parse even when the headers are not recognised, and again with `--edition` when they name no year.
    if let Err(LoadError::UnknownEdition { .. }) = parse_imd_table(&table, None, &mut report) {
        let _ = parse_imd_table(&table, Some(2019), &mut report);
    }
});
