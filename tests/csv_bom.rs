//! One byte-order-mark rule for every CSV (README, "Outputs"): a CSV written to a file is for Excel and starts with the
//! UTF-8 BOM; a CSV written to stdout is for other tools and has none, its header byte-exact as their contracts have
//! it. Every file writer is listed here: the pack's CSVs (found by walking the pack, so a new one is covered),
//! `export-selection` (selection and attribute-table columns) and the indicators window's trend CSV.

mod common;

use locality_map::analysis::AreaSeries;
use locality_map::export::{TrendExport, UTF8_BOM, save_trend_csv};
use locality_map::model::{AreaCode, Period};
use std::path::{Path, PathBuf};
use std::process::Command;

fn locality_map(args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .current_dir(std::env::temp_dir())
        .env_remove("LOCALITY_MAP_DATA")
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn csv_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            csv_files_under(&path, found);
        } else if path.extension().is_some_and(|e| e == "csv") {
            found.push(path);
        }
    }
}

#[test]
fn every_csv_file_starts_with_a_bom_and_stdout_csv_never_does() {
    let dir = common::scratch_for_this_process("csv-bom");
    let text = |p: &Path| p.display().to_string();
    let pack = dir.join("pack");
    locality_map(&[
        "pack",
        "--la",
        "Leeds",
        "--from",
        "2015",
        "--to",
        "2019",
        "--width",
        "700",
        "--height",
        "500",
        "--dpi",
        "72",
        "--out",
        &text(&pack),
    ]);
    let mut files = Vec::new();
    csv_files_under(&pack, &mut files);
    // diagram3.csv and a profile.csv per priority ward (Leeds 2019: six).
    assert!(files.iter().any(|f| f.ends_with("diagram3.csv")), "{files:?}");
    assert!(
        files.iter().filter(|f| f.ends_with("profile.csv")).count() >= 6,
        "{files:?}"
    );
    let selection = dir.join("selection.csv");
    let table = dir.join("table.csv");
    locality_map(&["export-selection", "--all", "--out", &text(&selection)]);
    locality_map(&["export-selection", "--all", "--table", "--out", &text(&table)]);
    files.extend([selection, table]);
    let trend = dir.join("trend.csv");
    let area = AreaSeries {
        code: AreaCode::parse("E05011400").unwrap(),
        name: "Gipton & Harehills".into(),
        la_code: None,
        la_name: "Leeds".into(),
        values: vec![3.0, 4.0],
        population: None,
        members: Vec::new(),
    };
    let periods = [Period { year: 2024, month: 1 }, Period { year: 2024, month: 2 }];
    let export = TrendExport {
        indicator: "All crime",
        source: "police.uk (Open Government Licence v3.0)",
        periods: &periods,
        area: &area,
        la: None,
    };
    save_trend_csv(&trend, &export, false).unwrap();
    files.push(trend);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert!(bytes.starts_with(UTF8_BOM), "{} has no BOM", file.display());
        assert!(!bytes[3..].starts_with(UTF8_BOM), "{} has two", file.display());
    }

    // stdout: no BOM, and the contract headers as they were.
    for (args, header_start) in [
        (
            &["changes", "--la", "Leeds", "--csv"][..],
            "lsoa_code,lsoa_name,ward_code,ward_name,rank_from,rank_to,change",
        ),
        (&["changes", "--la", "Leeds", "--top1", "--csv"][..], "lsoa_code,"),
        (
            &["areas", "--level", "ward", "--la", "Leeds", "--csv"][..],
            "area_code,",
        ),
        (&["league", "--csv"][..], "la_code,la_name,lsoas_2015,"),
    ] {
        let out = locality_map(args).stdout;
        assert!(!out.starts_with(UTF8_BOM), "{args:?} writes a BOM to stdout");
        let first = String::from_utf8_lossy(&out)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(first.starts_with(header_start), "{args:?}: {first}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
