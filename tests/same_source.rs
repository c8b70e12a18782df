//! One source shipped in two formats is parsed once (`io::same_source`): the whole data folder's xlsx copies of
//! CSVs and its shapefile copy of a GeoJSON are not parsed, the figures equal the load that parses both, `validate`
//! reads both and says they were checked equal; a copy whose extent or headers differ is parsed as usual, and one
//! edited in a cell alone is reported by `validate`.

mod common;

use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{Dataset, Severity};
use std::path::{Path, PathBuf};
use std::process::Command;

fn load(folder: &Path, read_copies: bool) -> Dataset {
    let options = LoadOptions {
        read_copies,
        ..LoadOptions::default()
    };
    load_dataset(&DataSource::Folder(folder.to_path_buf()), &options).expect("the folder loads")
}

/// The report's entry for a file, by file name.
fn listed<'a>(dataset: &'a Dataset, name: &str) -> &'a locality_map::model::FileSummary {
    dataset
        .report
        .files
        .iter()
        .find(|f| f.path.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("{name} is listed"))
}

fn notes_about<'a>(dataset: &'a Dataset, name: &str) -> Vec<&'a locality_map::model::Problem> {
    dataset
        .report
        .problems
        .iter()
        .filter(|p| {
            p.path
                .as_ref()
                .is_some_and(|f| f.file_name().is_some_and(|n| n == name))
        })
        .collect()
}

/// The copies in the shared folder, as PROVENANCE.md describes them: the xlsx files the CSVs were saved from
/// (identical headers and row order), and the shapefile written from the EPSG:27700 GeoJSON.
const COPIES: [(&str, &str); 4] = [
    (
        "File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx",
        "File_1_ID_2015_Index_of_Multiple_Deprivation.csv",
    ),
    (
        "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx",
        "File_1_IoD2025_Index_of_Multiple_Deprivation.csv",
    ),
    (
        "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx",
        "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.csv",
    ),
    (
        "Leeds_E08000035_lsoa11_BGC_EPSG27700.shp",
        "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson",
    ),
];

#[test]
fn the_whole_folder_parses_each_source_once_with_the_figures_of_both() {
    let Some(folder) = common::national_data("the_whole_folder_parses_each_source_once_with_the_figures_of_both")
    else {
        return;
    };
    let once = load(&folder, false);
    let both = load(&folder, true);
    for (copy, twin) in COPIES {
        let entry = listed(&once, copy);
        assert!(
            entry.recognised_as.ends_with(&format!("not parsed: a copy of {twin}")),
            "{copy}: {}",
            entry.recognised_as
        );
        assert!(
            !listed(&once, twin).recognised_as.contains("not parsed"),
            "{twin} is parsed"
        );
        assert_eq!(entry.records, listed(&once, twin).records, "{copy}");
        assert!(
            notes_about(&once, copy)
                .iter()
                .any(|p| p.severity == Severity::Note && p.message.starts_with("not parsed")),
            "{copy}: the problems list says it was not parsed"
        );
        // Read in full, the same file is listed as parsed and said to be checked equal.
        assert!(!listed(&both, copy).recognised_as.contains("not parsed"), "{copy}");
        assert!(
            notes_about(&both, copy)
                .iter()
                .any(|p| p.severity == Severity::Note && p.message.starts_with("checked equal to")),
            "{copy}: {:?}",
            notes_about(&both, copy)
        );
    }
    // Nothing else was taken for a copy (File 3 of 2019 is an xlsx with no CSV twin: parsed).
    let unparsed = once
        .report
        .files
        .iter()
        .filter(|f| f.recognised_as.contains("not parsed"))
        .count();
    assert_eq!(unparsed, COPIES.len());
    assert!(
        !listed(&once, "File_3_-_IoD2019_Supplementary_Indices_-_IDACI_and_IDAOPI.xlsx")
            .recognised_as
            .contains("not parsed")
    );
    // The figures are those of the load that parses both, every edition's row, lookup and layer (with its sources,
    // which report exports name).
    assert_eq!(once.editions, both.editions);
    assert_eq!(once.ward_lookups, both.ward_lookups);
    assert_eq!(once.change_lookup, both.change_lookup);
    assert_eq!(once.wards_from_polygons, both.wards_from_polygons);
    assert_eq!(format!("{:?}", once.indicators), format!("{:?}", both.indicators));
    let layers = |d: &Dataset| {
        d.lsoa_layers
            .values()
            .chain(d.ward_layers.values())
            .map(|l| (l.kind, l.sources.clone(), l.areas.clone()))
            .collect::<Vec<_>>()
    };
    assert!(layers(&once) == layers(&both), "boundary layers differ");
    assert_eq!(once.report.files.len(), both.report.files.len(), "both list every file");
}

/// A scratch folder holding the embedded 2015 File 1 as a CSV and as an xlsx written from the same rows, changed
/// by `edit` (rows, cells) before it is written.
fn csv_and_workbook(prefix: &str, edit: impl FnOnce(&mut Vec<Vec<String>>)) -> PathBuf {
    let folder = common::scratch_for_this_process(prefix);
    std::fs::create_dir_all(&folder).unwrap();
    let csv = common::embedded_bytes("File_1_ID_2015_Index_of_Multiple_Deprivation.csv");
    std::fs::write(folder.join("File_1_ID_2015.csv"), &csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let mut rows: Vec<Vec<String>> = vec![reader.headers().unwrap().iter().map(str::to_string).collect()];
    rows.extend(
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect()),
    );
    edit(&mut rows);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r, c, n).map(|_| ()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save(folder.join("File_1_ID_2015.xlsx")).unwrap();
    folder
}

#[test]
fn a_workbook_with_the_csvs_extent_and_headers_is_not_parsed() {
    let folder = csv_and_workbook("same-source-equal", |_| {});
    let once = load(&folder, false);
    let both = load(&folder, true);
    assert!(
        listed(&once, "File_1_ID_2015.xlsx")
            .recognised_as
            .contains("not parsed")
    );
    assert_eq!(once.editions, both.editions);
    assert!(
        notes_about(&both, "File_1_ID_2015.xlsx")
            .iter()
            .any(|p| p.message.starts_with("checked equal to File_1_ID_2015.csv"))
    );
    std::fs::remove_dir_all(&folder).ok();
}

#[test]
fn a_workbook_with_a_row_more_or_other_headers_is_parsed() {
    for (prefix, edit) in [
        (
            "same-source-row",
            Box::new(|rows: &mut Vec<Vec<String>>| {
                let last = rows.last().unwrap().clone();
                rows.push(last);
            }) as Box<dyn FnOnce(&mut Vec<Vec<String>>)>,
        ),
        (
            "same-source-header",
            Box::new(|rows: &mut Vec<Vec<String>>| rows[0][0] = "LSOA code (2011) ".to_string() + "x"),
        ),
    ] {
        let folder = csv_and_workbook(prefix, edit);
        let once = load(&folder, false);
        let entry = listed(&once, "File_1_ID_2015.xlsx");
        assert!(
            !entry.recognised_as.contains("not parsed"),
            "{prefix}: {}",
            entry.recognised_as
        );
        std::fs::remove_dir_all(&folder).ok();
    }
}

#[test]
fn validate_reports_a_copy_edited_in_one_cell() {
    // The same extent and headers, one rank changed: the check that parses nothing cannot see it, so the quick
    // load reads the CSV alone, and `validate` (reading both) says they differ and which loads read one.
    let folder = csv_and_workbook("same-source-cell", |rows| {
        let rank = rows[0].iter().position(|h| h.contains("Rank")).unwrap();
        rows[1][rank] = if rows[1][rank] == "1" { "2".into() } else { "1".into() };
    });
    let once = load(&folder, false);
    assert!(
        listed(&once, "File_1_ID_2015.xlsx")
            .recognised_as
            .contains("not parsed")
    );
    let both = load(&folder, true);
    let warning = notes_about(&both, "File_1_ID_2015.xlsx")
        .into_iter()
        .find(|p| p.severity == Severity::Warning)
        .expect("validate warns of the difference");
    assert!(warning.message.contains("1 rows differ"), "{}", warning.message);
    assert!(
        warning.message.contains("read only File_1_ID_2015.csv"),
        "{}",
        warning.message
    );
    std::fs::remove_dir_all(&folder).ok();
}

fn cli(cache_home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .env("XDG_CACHE_HOME", cache_home)
        .env_remove("LOCALITY_MAP_CACHE")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn every_command_says_the_same_with_the_quick_load_and_the_full_one() {
    let Some(folder) = common::national_data("every_command_says_the_same_with_the_quick_load_and_the_full_one") else {
        return;
    };
    let home = common::scratch_for_this_process("same-source-cli");
    let out = common::scratch_for_this_process("same-source-cli-out");
    std::fs::create_dir_all(&out).unwrap();
    let data = folder.display().to_string();
    let png = |name: &str| out.join(name).display().to_string();
    let commands: Vec<Vec<String>> = [
        vec!["summary", "--la", "Leeds"],
        vec![
            "summary",
            "--la",
            "Manchester",
            "--from",
            "2019",
            "--to",
            "2025",
            "--json",
        ],
        vec!["changes", "--la", "Leeds", "--csv"],
        vec!["ward", "Gipton and Harehills", "--json"],
        vec!["league", "--csv"],
        vec!["reconcile", "--la", "Leeds"],
        vec!["areas", "--edition", "2019"],
        vec!["indicators"],
        vec![
            "map", "--la", "Leeds", "--width", "500", "--height", "500", "--force", "--out", "PNG",
        ],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    for args in &commands {
        let run = |read_all: bool| {
            let name = format!("{}-{read_all}.png", args[0]);
            let mut full: Vec<String> = vec!["--data".into(), data.clone()];
            if read_all {
                full.push("--read-all".into());
            }
            full.extend(args.iter().map(|a| if a == "PNG" { png(&name) } else { a.clone() }));
            let full: Vec<&str> = full.iter().map(String::as_str).collect();
            let output = cli(&home, &full);
            let file = std::fs::read(png(&name)).ok();
            (output, file)
        };
        let (quick, quick_png) = run(false);
        let (full, full_png) = run(true);
        assert!(
            quick.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&quick.stderr)
        );
        assert_eq!(quick.status.code(), full.status.code(), "{args:?}");
        assert!(quick.stdout == full.stdout, "{args:?}: stdout differs");
        assert!(quick_png == full_png, "{args:?}: the PNG differs");
    }
    std::fs::remove_dir_all(&home).ok();
    std::fs::remove_dir_all(&out).ok();
}
