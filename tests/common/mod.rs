//! Shared helpers for the integration tests: where the real data lives, and an independent CSV reader.
#![allow(dead_code)]

use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `../shared/data`, beside the checkout.
pub fn shared_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

/// The whole shared data folder, loaded once per test binary.
pub fn shared_dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        load_dataset(&DataSource::Folder(shared_data()), &LoadOptions::default()).expect("../shared/data loads")
    })
}

/// Reads a CSV from the shared folder into rows keyed by the exact header text, numbers left as published.
/// Deliberately independent of the library's own header recognition.
pub fn raw_rows(relative: &str) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(shared_data().join(relative)).expect("shared file exists");
    let text = String::from_utf8(bytes).expect("utf-8");
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers.iter().cloned().zip(r.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// A published number such as `"29,199"`.
pub fn number(text: &str) -> u32 {
    text.replace(',', "").parse().expect("a whole number")
}

/// IMD ranks by LSOA code from a File 1, using the given exact column names.
pub fn ranks(relative: &str, code_col: &str, rank_col: &str, la_col: &str, la: &str) -> HashMap<String, u32> {
    raw_rows(relative)
        .into_iter()
        .filter(|r| r[la_col] == la)
        .map(|r| (r[code_col].clone(), number(&r[rank_col])))
        .collect()
}

pub const FILE1_2015: &str = "imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv";
pub const FILE1_2019: &str = "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv";
pub const RANK_2015: &str = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)";
pub const RANK_2019: &str = "Index of Multiple Deprivation (IMD) Rank";

/// 2015 and 2019 ranks of an LA's LSOAs, straight from the two File 1 CSVs.
pub fn ranks_2015_2019(la_code: &str) -> (HashMap<String, u32>, HashMap<String, u32>) {
    (
        ranks(
            FILE1_2015,
            "LSOA code (2011)",
            RANK_2015,
            "Local Authority District code (2013)",
            la_code,
        ),
        ranks(
            FILE1_2019,
            "LSOA code (2011)",
            RANK_2019,
            "Local Authority District code (2019)",
            la_code,
        ),
    )
}

/// `../shared/data` when it is there; otherwise a loud skip line and `None` (under
/// `LOCALITY_MAP_REQUIRE_TEST_DATA=1` a missing folder fails the test instead).
pub fn national_data(test: &str) -> Option<PathBuf> {
    let folder = shared_data();
    if folder.join("imd2019").is_dir() {
        return Some(folder);
    }
    if std::env::var("LOCALITY_MAP_REQUIRE_TEST_DATA").is_ok_and(|v| v == "1") {
        panic!(
            "{test}: {} is missing and LOCALITY_MAP_REQUIRE_TEST_DATA=1",
            folder.display()
        );
    }
    eprintln!(
        "SKIPPED {test}: the national data folder {} is not there",
        folder.display()
    );
    None
}
