//! IMD tables and lookups as Excel workbooks: `io::read_workbook` (calamine), then every sheet as the loader reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::{is_change_lookup, is_imd_table, is_ward_lookup, parse_imd_table, parse_lookup, read_workbook};
use locality_map::model::JoinReport;
use std::path::Path;

fuzz_target!(
    init: {
        // `io::read_workbook` contains panics inside calamine and reports them as a damaged workbook; libFuzzer's panic
        // hook would abort before that, so restore the default hook. A panic anywhere else still aborts the run
        // (libfuzzer-sys treats any panic escaping this closure as a crash).
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
    let Ok(sheets) = read_workbook(Path::new("fuzz.xlsx"), data) else {
        return;
    };
    let mut report = JoinReport::default();
    for sheet in &sheets {
        if is_change_lookup(sheet) || is_ward_lookup(sheet) {
            let _ = parse_lookup(sheet, &mut report);
        } else if is_imd_table(sheet) {
            let _ = parse_imd_table(sheet, Some(2019), &mut report);
        }
    }
    }
);
