//! `locality-map trend`: the indicators window's trend exports from the command line, on the real City of London
//! police months and the Greater Manchester claimant table. Expected counts come from the raw CSVs, read here.

mod common;

use common::police::{police_folder, raw_counts};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn trend(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .env("LOCALITY_MAP_CACHE", "off")
        .arg("--data")
        .arg(data)
        .arg("trend")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The CSV's (period, count) of one area, BOM checked.
fn csv_counts(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let rows = common::rows_of_csv(&bytes);
    rows.iter().map(|r| (r["period"].clone(), r["count"].clone())).collect()
}

/// A PNG's size and pixels.
fn decode(path: &Path) -> ((u32, u32), Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    ((info.width, info.height), pixels)
}

#[test]
fn trend_png_and_csv_of_police_lsoas_match_the_raw_months() {
    let Some(data) = common::national_data("cli_trend_police") else {
        return;
    };
    let dir = common::scratch_for_this_process("lm-cli-trend");
    let folder = police_folder(&data, &dir);
    let raw = raw_counts(&data.join("indicators/police_uk_city_of_london"));
    // The two City LSOAs with most rows.
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for ((lsoa, _), n) in &raw {
        if !lsoa.is_empty() {
            *totals.entry(lsoa.as_str()).or_default() += n;
        }
    }
    let mut busiest: Vec<_> = totals.into_iter().filter(|(c, _)| c.starts_with("E0100")).collect();
    busiest.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let (a, b) = (busiest[0].0, busiest[1].0);
    let mut pngs = Vec::new();
    for code in [a, b] {
        let png = dir.join(format!("{code}.png"));
        let csv = dir.join(format!("{code}.csv"));
        ok(&trend(
            &folder,
            &[
                "crime",
                "--area",
                code,
                "--level",
                "lsoa",
                "--png",
                png.to_str().unwrap(),
            ],
        ));
        ok(&trend(
            &folder,
            &[
                "crime",
                "--area",
                code,
                "--level",
                "lsoa",
                "--csv",
                csv.to_str().unwrap(),
            ],
        ));
        let months = csv_counts(&csv);
        assert_eq!(months.len(), 24, "{code}");
        for (period, count) in months {
            let expected = raw.get(&(code.to_string(), period.clone())).copied().unwrap_or(0);
            assert_eq!(count, expected.to_string(), "{code} {period}");
        }
        let (size, pixels) = decode(&png);
        assert_eq!(size, (2339, 1654));
        pngs.push(pixels);
    }
    assert_ne!(pngs[0], pngs[1], "two areas, two charts");
    // An existing file is kept without --force, replaced with it.
    let png = dir.join(format!("{a}.png"));
    let again = trend(&folder, &["crime", "--area", a, "--png", png.to_str().unwrap()]);
    assert!(!again.status.success());
    ok(&trend(
        &folder,
        &["crime", "--area", a, "--png", png.to_str().unwrap(), "--force"],
    ));
    // An unknown area is a named error with suggestions.
    let bad = trend(
        &folder,
        &[
            "crime",
            "--area",
            "City of Londn 001A",
            "--csv",
            dir.join("x.csv").to_str().unwrap(),
        ],
    );
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("no area \"City of Londn 001A\""), "{message}");
    assert!(message.contains("did you mean City of London 001"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_ward_of_the_claimant_table_charts() {
    let Some(data) = common::national_data("cli_trend_claimant") else {
        return;
    };
    let dir = common::scratch_for_this_process("lm-cli-trend-claimant");
    let png = dir.join("astley.png");
    let csv = dir.join("astley.csv");
    let folder = data.join("indicators/claimant_count_greater_manchester");
    for out in [["--png", png.to_str().unwrap()], ["--csv", csv.to_str().unwrap()]] {
        let mut args = vec!["trafford-gm-claimant-count-ward", "--area", "E05000650"];
        args.extend(out);
        ok(&trend(&folder, &args));
    }
    assert_eq!(decode(&png).0, (2339, 1654));
    let months = csv_counts(&csv);
    assert_eq!(months.len(), 34);
    assert_eq!(months[0].0, "2015-01");
    std::fs::remove_dir_all(&dir).ok();
}

/// The binary's result for arguments that fail in parsing (no data is read).
fn parse_only(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .env("LOCALITY_MAP_CACHE", "off")
        .arg("trend")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn png_and_csv_together_is_an_error_and_one_is_required() {
    let dir = common::scratch_for_this_process("lm-cli-trend-conflict");
    let (png, csv) = (dir.join("t.png"), dir.join("t.csv"));
    let both = parse_only(&[
        "crime",
        "--area",
        "E01000001",
        "--png",
        png.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(2), "a usage error");
    let message = String::from_utf8_lossy(&both.stderr);
    assert!(message.contains("--png") && message.contains("--csv"), "{message}");
    assert!(message.contains("cannot be used with"), "{message}");
    assert!(!png.exists() && !csv.exists(), "nothing written");
    let neither = parse_only(&["crime", "--area", "E01000001"]);
    assert_eq!(neither.status.code(), Some(2));
    let message = String::from_utf8_lossy(&neither.stderr);
    assert!(message.contains("--png") && message.contains("required"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}
