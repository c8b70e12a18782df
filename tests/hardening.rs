//! Files too large to read: every loader is capped before it reads, and a huge file of one repeated feature loads
//! bounded. Big inputs are made at run time in a temporary folder (sparse where only the size matters), never committed.

mod common;

use locality_map::io::{
    DataSource, LoadError, LoadOptions, MAX_FILE_BYTES, MAX_TABLE_BYTES, MAX_WORKBOOK_BYTES, load_dataset, read_file,
};
use locality_map::model::{LsoaVintage, Severity};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Held by every test here while it measures or reads: the byte counts below are the process's, so tests that read
/// big files must not overlap.
static READING: Mutex<()> = Mutex::new(());

/// Bytes this process has read through `read` calls so far (`rchar` in `/proc/self/io`): how much work a load did,
/// whatever the machine's speed. `None` where /proc is missing.
fn bytes_read_so_far() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines().find_map(|l| l.strip_prefix("rchar:"))?.trim().parse().ok()
}

/// Asserts that `work` read at most `limit` bytes (or says it cannot measure).
fn assert_reads_at_most<T>(limit: u64, what: &str, work: impl FnOnce() -> T) -> T {
    let before = bytes_read_so_far();
    let result = work();
    match (before, bytes_read_so_far()) {
        (Some(before), Some(after)) => {
            let read = after.saturating_sub(before);
            eprintln!("{what}: read {read} bytes (at most {limit})");
            assert!(read <= limit, "{what}: read {read} bytes, over {limit}");
        }
        _ => eprintln!("SKIP the read count of {what}: no /proc/self/io on this system"),
    }
    result
}

/// A fresh temporary folder for one test.
fn scratch(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("lm-hardening-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&folder).ok();
    std::fs::create_dir_all(&folder).expect("temp folder");
    folder
}

/// A sparse file of `size` bytes: no disk space used, but the size the loader sees.
fn sparse(path: &Path, size: u64) {
    let file = std::fs::File::create(path).expect("create");
    file.set_len(size).expect("set_len");
}

fn assert_too_large(path: &Path, limit: u64) {
    // Refused from its size: not one block of it is read.
    match assert_reads_at_most(64 << 10, "a file over its cap", || read_file(path)) {
        Err(LoadError::TooLarge { limit_mb, .. }) => assert_eq!(limit_mb, limit >> 20),
        other => panic!(
            "{}: expected TooLarge, got {:?}",
            path.display(),
            other.map(|b| b.len())
        ),
    }
}

#[test]
fn each_kind_of_file_is_refused_over_its_cap_before_it_is_read() {
    let _reading = READING.lock().unwrap_or_else(|e| e.into_inner());
    let folder = scratch("caps");
    let cases = [
        ("boundaries.geojson", MAX_FILE_BYTES),
        ("boundaries.json", MAX_FILE_BYTES),
        ("boundaries.shp", MAX_FILE_BYTES),
        ("File_1.csv", MAX_TABLE_BYTES),
        ("File_1.txt", MAX_TABLE_BYTES),
        ("File_1.xlsx", MAX_WORKBOOK_BYTES),
        ("File_1.ods", MAX_WORKBOOK_BYTES),
    ];
    for (name, limit) in cases {
        let path = folder.join(name);
        sparse(&path, limit + 1);
        assert_too_large(&path, limit);
        // At the cap exactly it is read (sparse zeros: cheap for the smaller caps only).
        if limit <= MAX_TABLE_BYTES {
            sparse(&path, limit);
            assert_eq!(read_file(&path).expect("at the cap").len() as u64, limit);
        }
        std::fs::remove_file(&path).ok();
    }
    std::fs::remove_dir_all(&folder).ok();
}

#[test]
fn a_geojson_over_1_gb_in_a_data_folder_is_reported_and_the_rest_loads() {
    let _reading = READING.lock().unwrap_or_else(|e| e.into_inner());
    let folder = scratch("folder");
    sparse(&folder.join("national.geojson"), MAX_FILE_BYTES + 1);
    std::fs::copy(
        "tests/malformed/bom_crlf_file1_2019.csv",
        folder.join("File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"),
    )
    .expect("copy a small real table");
    // The 1 GB file is never read: the load reads the small table and little else.
    let dataset = assert_reads_at_most(16 << 20, "a folder with a 1 GB GeoJSON", || {
        load_dataset(&DataSource::Folder(folder.clone()), &LoadOptions::default()).expect("loads")
    });
    let problem = dataset
        .report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .expect("the big file is reported");
    assert!(
        problem.message.contains("over the 1024 MB limit"),
        "{}",
        problem.message
    );
    assert!(dataset.editions.contains_key(&2019), "the table beside it still loads");
    std::fs::remove_dir_all(&folder).ok();
}

#[test]
fn a_shapefile_sidecar_over_the_cap_is_refused_not_read() {
    let Some(data) = common::national_data("a_shapefile_sidecar_over_the_cap_is_refused_not_read") else {
        return;
    };
    let _reading = READING.lock().unwrap_or_else(|e| e.into_inner());
    let folder = scratch("sidecar");
    let real = data.join("shapefile/london_sport/london_sport");
    for ext in ["shp", "shx", "prj"] {
        std::fs::copy(real.with_extension(ext), folder.join(format!("london_sport.{ext}"))).expect("copy");
    }
    sparse(&folder.join("london_sport.dbf"), MAX_FILE_BYTES + 1);
    let dataset = load_dataset(&DataSource::Folder(folder.clone()), &LoadOptions::default()).expect("loads");
    let problem = dataset
        .report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .expect("the sidecar is reported");
    assert!(
        problem.message.contains("over the 1024 MB limit") && problem.message.contains("london_sport.dbf"),
        "{}",
        problem.message
    );
    std::fs::remove_dir_all(&folder).ok();
}

/// 200 MB of one real Leeds LSOA feature repeated: parsed once, every repeat reported as a repeat, one area loaded,
/// reading the file once.
#[test]
fn two_hundred_mb_of_one_repeated_feature_loads_bounded() {
    let _reading = READING.lock().unwrap_or_else(|e| e.into_inner());
    let text = String::from_utf8(common::embedded_bytes("Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson"))
        .expect("real Leeds boundaries");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let feature = serde_json::to_string(&value["features"][0]).expect("feature");
    let head = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":["#;
    let repeats = (200usize << 20) / (feature.len() + 1) + 1;

    let folder = scratch("repeated");
    let path = folder.join("repeated.geojson");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        out.write_all(head.as_bytes()).expect("write");
        for i in 0..repeats {
            if i > 0 {
                out.write_all(b",").expect("write");
            }
            out.write_all(feature.as_bytes()).expect("write");
        }
        out.write_all(b"]}").expect("write");
    }
    let size = std::fs::metadata(&path).expect("written").len();
    assert!(size >= 200 << 20, "{size} bytes");

    // Bounded work: the file is read once (not once per repeat), whatever the machine's speed.
    let dataset = assert_reads_at_most(size + (16 << 20), "200 MB of one repeated feature", || {
        load_dataset(&DataSource::Folder(folder.clone()), &LoadOptions::default()).expect("loads")
    });
    std::fs::remove_dir_all(&folder).ok();

    let layer = &dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    assert_eq!(layer.areas.len(), 1, "one area, however often it is repeated");
    let repeats_reported = dataset
        .report
        .problems
        .iter()
        .filter(|p| p.message.contains("appears again"))
        .count();
    assert_eq!(repeats_reported, repeats - 1, "every repeat is named");
}
