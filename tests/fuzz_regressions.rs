//! Inputs that crashed, hung or exhausted memory in a fuzz target (see FUZZING.md), kept as regression tests.
//!
//! Each file in `tests/fuzz_regressions/` is named `TARGET_what.ext` and fed to the library exactly as the fuzz target
//! of that name feeds it (`fuzz/fuzz_targets/TARGET.rs`). Every file must load without a panic, quickly; the files
//! listed in `EXPECTED` must also give the named result.

use locality_map::io::{
    LoadError, crs_from_name, crs_from_wkt, decode_text, is_change_lookup, is_imd_table, is_ward_lookup,
    parse_imd_table, parse_lookup, read_csv, read_geojson, read_shapefile, read_workbook,
};
use locality_map::model::JoinReport;
use std::path::{Path, PathBuf};

const FOLDER: &str = "tests/fuzz_regressions";

/// What a regression input must give: `Ok`, or the name of a `LoadError` variant; and a text the report must hold
/// (none when empty).
const EXPECTED: &[(&str, &str, &str)] = &[
    // A NaN coordinate in a .shp record reached geo's winding order (`is_cw`), which panicked; that record is now
    // skipped and reported, and the file's other records load.
    ("shapefile_nan_coordinate.bin", "Ok", "not a finite number"),
    // A .shp record declaring 1.3 billion points made the shapefile crate ask for 21 GB before reading any; the
    // counts are now checked against the record's bytes first and that record and the ones after it are skipped
    // (the file's header then names no polygon type, so it is refused as not boundaries).
    (
        "shapefile_huge_point_count.bin",
        "Unrecognised",
        "1 parts and 1342177299 points, more than its 352 bytes hold",
    ),
    // The same through a part start: a ring's size is the gap between part starts, and a negative start made the
    // crate ask for 134 million points (2 GB). Part starts are now checked to rise within the record's points.
    (
        "shapefile_huge_point_count_no_shx.bin",
        "Shapefile",
        "part 1 starts at point -134545408, outside the record's 18 points",
    ),
    // A cell reference with too many column letters overflowed a u32 inside calamine 0.38 (a panic where overflow
    // checks are on); `read_workbook` now contains a panic in calamine and names the file as a damaged workbook.
    ("imd_xlsx_cell_reference_overflow.xlsx", "Spreadsheet", ""),
];

/// The shapefile target's input layout, as the target cuts it.
#[path = "../fuzz/shapefile_input.rs"]
mod shapefile_input;

fn variant(error: &LoadError) -> &'static str {
    match error {
        LoadError::Io { .. } => "Io",
        LoadError::Empty { .. } => "Empty",
        LoadError::TooLarge { .. } => "TooLarge",
        LoadError::Html { .. } => "Html",
        LoadError::BadJson { .. } => "BadJson",
        LoadError::Unrecognised { .. } => "Unrecognised",
        LoadError::UnsupportedCrs { .. } => "UnsupportedCrs",
        LoadError::MissingSidecar { .. } => "MissingSidecar",
        LoadError::Shapefile { .. } => "Shapefile",
        LoadError::MissingColumn { .. } => "MissingColumn",
        LoadError::UnknownEdition { .. } => "UnknownEdition",
        LoadError::Spreadsheet { .. } => "Spreadsheet",
        LoadError::Csv { .. } => "Csv",
    }
}

/// Runs one input through its target's loader; returns `Ok` or the error variant of the main call, and the report.
fn run(path: &Path) -> (String, JoinReport) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let data = std::fs::read(path).expect("regression input");
    let mut report = JoinReport::default();
    let outcome = |result: Result<(), LoadError>| result.map_or_else(|e| variant(&e).to_string(), |()| "Ok".into());
    let (target, _) = name.split_once('_').unwrap_or((name, ""));
    let result = match target {
        "geojson" => outcome(read_geojson(Path::new("fuzz.geojson"), &data, &mut report).map(drop)),
        "shapefile" => {
            let parts = shapefile_input::shapefile_parts(&data);
            outcome(read_shapefile(Path::new("fuzz.shp"), parts, &mut report).map(drop))
        }
        "prj" => {
            let (text, _) = decode_text(&data);
            let _ = (crs_from_wkt(&text), crs_from_name(&text));
            "Ok".into()
        }
        "imd" if name.starts_with("imd_xlsx") => outcome(read_workbook(Path::new("fuzz.xlsx"), &data).map(|sheets| {
            for sheet in &sheets {
                if is_change_lookup(sheet) || is_ward_lookup(sheet) {
                    let _ = parse_lookup(sheet, &mut report);
                } else if is_imd_table(sheet) {
                    let _ = parse_imd_table(sheet, Some(2019), &mut report);
                }
            }
        })),
        "imd" => outcome(read_csv(Path::new("fuzz.csv"), &data).and_then(|table| {
            let _ = is_imd_table(&table);
            match parse_imd_table(&table, None, &mut report) {
                Err(LoadError::UnknownEdition { .. }) => parse_imd_table(&table, Some(2019), &mut report).map(drop),
                other => other.map(drop),
            }
        })),
        "lookup" => outcome(read_csv(Path::new("fuzz.csv"), &data).and_then(|table| {
            let _ = (is_change_lookup(&table), is_ward_lookup(&table));
            parse_lookup(&table, &mut report).map(drop)
        })),
        other => panic!("{name}: no fuzz target {other:?}; name regression files TARGET_what.ext"),
    };
    (result, report)
}

#[test]
fn every_fuzz_finding_loads_without_a_panic() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(FOLDER)
        .expect("tests/fuzz_regressions")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in &paths {
        // A watchdog for hangs only (generous, so a slow machine never fails it): each finding runs in a thread.
        let (sender, receiver) = std::sync::mpsc::channel();
        let input = path.clone();
        std::thread::spawn(move || {
            let _ = sender.send(run(&input));
        });
        let (result, report) = match receiver.recv_timeout(std::time::Duration::from_secs(300)) {
            Ok(answer) => answer,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("{}: no answer in 5 minutes (a hang)", path.display())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("{}: the loader panicked", path.display()),
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if let Some((_, expected, reported)) = EXPECTED.iter().find(|(n, _, _)| *n == name) {
            assert_eq!(result, *expected, "{name}");
            assert!(
                reported.is_empty() || report.problems.iter().any(|p| p.message.contains(reported)),
                "{name}: no problem reported containing {reported:?}: {:#?}",
                report.problems
            );
        }
    }
    for (name, _, _) in EXPECTED {
        assert!(Path::new(FOLDER).join(name).is_file(), "{name} is listed but missing");
    }
}
