//! The `locality-map` command line as other tools call it: names, JSON keys, CSV header, exit codes.

mod common;

use std::process::{Command, Output};

fn locality_map(args: &[&str], data: Option<&std::path::Path>) -> Output {
    // Run from a temporary directory so nothing relative to the checkout can leak in.
    let cwd = std::env::temp_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command.current_dir(&cwd).env_remove("LOCALITY_MAP_DATA");
    if let Some(dir) = data {
        command.arg("--data").arg(dir);
    }
    command.args(args).output().expect("the binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn embedded_default_answers_for_leeds_without_a_data_folder() {
    let summary = json(&locality_map(
        &["summary", "--la", "Leeds", "--from", "2015", "--to", "2019", "--json"],
        None,
    ));
    assert_eq!(summary["la_code"], "E08000035");
    assert_eq!(summary["la_name"], "Leeds");
    assert_eq!(summary["lsoas"], 482);
    assert_eq!(summary["top1"]["threshold_from"], 328);
    assert_eq!(summary["top1"]["count_from"], 16);
    assert_eq!(summary["top1"]["count_to"], 12);
    assert_eq!(summary["data_source"], "embedded Leeds default");
    assert!(summary["population_source"].as_str().unwrap().contains("mid 2015"));
}

#[test]
fn summary_json_has_every_key_other_tools_read() {
    let summary = json(&locality_map(
        &["summary", "--la", "Leeds", "--from", "2015", "--to", "2019", "--json"],
        None,
    ));
    for key in [
        "la_code",
        "la_name",
        "lsoas",
        "top1",
        "decile1",
        "priority_wards",
        "la_rank_by_decile1_share",
    ] {
        assert!(!summary[key].is_null(), "missing {key}");
    }
    for key in [
        "threshold_from",
        "threshold_to",
        "count_from",
        "count_to",
        "moved_in",
        "moved_out",
        "stayed",
    ] {
        assert!(summary["top1"][key].is_u64(), "missing top1.{key}");
    }
    for key in ["count_from", "count_to", "share_from", "share_to", "population_to"] {
        assert!(summary["decile1"][key].is_number(), "missing decile1.{key}");
    }
    let ward = &summary["priority_wards"][0];
    assert!(ward["code"].is_string() && ward["name"].is_string() && ward["lsoas_in_top1"].is_u64());
    assert_eq!(summary["la_rank_by_decile1_share"]["of"], 317);
}

#[test]
fn changes_top1_csv_is_the_councils_diagram_3() {
    let output = locality_map(
        &[
            "changes", "--la", "Leeds", "--from", "2015", "--to", "2019", "--top1", "--csv",
        ],
        None,
    );
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    // The columns other tools rely on come first, in this order; later columns are only ever appended.
    let header = lines.next().unwrap();
    assert!(
        header.starts_with(
            "lsoa_code,lsoa_name,ward_code,ward_name,rank_from,rank_to,change,in_top1_from,in_top1_to,transition,decile_from,decile_to,"
        ),
        "{header}"
    );
    assert!(header.contains(",la_rank_from,la_rank_to,percentile_from,percentile_to,percentile_change,"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 16 + 12 - 9, "in the 1% in either edition");
    let e01011623 = rows.iter().find(|r| r.starts_with("E01011623")).unwrap();
    assert!(e01011623.contains(",1031,318,-713,false,true,moved_in,"), "{e01011623}");
    // Ordered by ward, then LSOA.
    let wards: Vec<&str> = rows.iter().map(|r| r.split(',').nth(3).unwrap()).collect();
    let mut sorted = wards.clone();
    sorted.sort();
    assert_eq!(wards, sorted);
}

#[test]
fn ward_json_profile() {
    let profile = json(&locality_map(
        &[
            "ward",
            "Killingbeck & Seacroft",
            "--from",
            "2015",
            "--to",
            "2019",
            "--json",
        ],
        None,
    ));
    assert_eq!(profile["code"], "E05011400");
    assert_eq!(profile["priority_ward"], true);
    assert_eq!(profile["counts"][1]["in_top1"], 3);
    assert!(profile["lsoas"].as_array().unwrap().len() > 10);
}

#[test]
fn validate_passes_on_the_shared_folder() {
    let Some(data) = common::national_data("validate_passes_on_the_shared_folder") else {
        return;
    };
    // The folder holds a derived IoD 2019 scores table whose headers name no year: it is dated by its content (its
    // scores follow the IMD 2019 ranks), with or without --edition.
    let without = locality_map(&["validate"], Some(&data));
    assert!(without.status.success(), "{}", String::from_utf8_lossy(&without.stderr));
    assert!(String::from_utf8_lossy(&without.stdout).contains("its scores follow the IMD 2019 ranks"));
    let output = locality_map(&["validate", "--edition", "2019"], Some(&data));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("LSOA 2011: 34753 areas"));
    assert!(text.contains("1909 Welsh LSOAs"));
    assert!(
        !text.contains("✗ catalogue expects"),
        "every catalogued file has its expected count:\n{text}"
    );
}

#[test]
fn validate_fails_clearly_on_a_folder_without_data() {
    let empty = std::env::temp_dir().join(format!("lm-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.csv"), "just,some\ntext,here\n").unwrap();
    let output = locality_map(&["validate"], Some(&empty));
    std::fs::remove_dir_all(&empty).ok();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("locality-map: no IMD table could be loaded"),
        "{stderr}"
    );
    assert!(stderr.contains("notes.csv"), "names the file: {stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn unknown_la_is_one_sentence_with_suggestions() {
    let output = locality_map(&["summary", "--la", "Leed"], None);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(common::lines_without_cache_notes(&stderr).len(), 1, "{stderr}");
    assert!(stderr.contains("did you mean Leeds?"), "{stderr}");
}

#[test]
fn missing_data_folder_is_named() {
    let output = locality_map(&["summary"], Some(std::path::Path::new("/no/such/folder")));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/no/such/folder") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

/// The keys of a JSON object and, one level down, of its object members: what other tools can rely on.
fn key_paths(value: &serde_json::Value) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for (key, member) in value.as_object().unwrap() {
        keys.insert(key.clone());
        if let Some(object) = member.as_object() {
            keys.extend(object.keys().map(|k| format!("{key}.{k}")));
        }
    }
    keys
}

#[test]
fn summary_2019_to_2025_has_the_same_keys_plus_the_comparison_method() {
    let before = json(&locality_map(
        &["summary", "--la", "Leeds", "--from", "2015", "--to", "2019", "--json"],
        None,
    ));
    let across = json(&locality_map(
        &["summary", "--la", "Leeds", "--from", "2019", "--to", "2025", "--json"],
        None,
    ));
    let missing: Vec<_> = key_paths(&before).difference(&key_paths(&across)).cloned().collect();
    assert!(
        missing.is_empty(),
        "keys missing across the boundary change: {missing:?}"
    );
    assert_eq!(across["top1"]["threshold_from"], 328);
    assert_eq!(across["top1"]["threshold_to"], 337);
    assert_eq!(across["lsoas"], 488);
    assert_eq!(across["comparison"]["method"], "lsoa11_to_lsoa21_lookup");
    assert!(
        across["comparison"]["caveat"]
            .as_str()
            .unwrap()
            .contains("less directly comparable")
    );
    assert_eq!(before["comparison"]["method"], "direct");
    // Priority wards are on the later edition's (2021-based) wards.
    assert!(
        across["priority_wards"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["code"].as_str().unwrap().starts_with("E05"))
    );
}

#[test]
fn reconcile_json_accounts_for_every_leeds_lsoa_and_lists_the_rows() {
    let report = json(&locality_map(
        &["reconcile", "--la", "Leeds", "--from", "2019", "--to", "2025", "--json"],
        None,
    ));
    assert_eq!(report["lsoas_from"], 482);
    assert_eq!(report["lsoas_to"], 488);
    assert_eq!(report["unaccounted"], 0);
    for letter in ["U", "S", "M", "X"] {
        let n = report["by_change"][letter]
            .as_u64()
            .unwrap_or_else(|| panic!("by_change.{letter}"));
        assert_eq!(
            report["rows"][letter].as_array().unwrap().len() as u64,
            n,
            "rows behind {letter}"
        );
    }
    let merged = &report["rows"]["M"][0];
    assert!(merged["lsoa11"].is_string() && merged["lsoa21"].is_string());
}

#[test]
fn the_embedded_default_compares_2019_with_2025_and_diagram3_works_across_it() {
    let output = locality_map(
        &[
            "changes", "--la", "Leeds", "--from", "2019", "--to", "2025", "--top1", "--csv",
        ],
        None,
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert!(row[column("in_top1_from")] == *"true" || row[column("in_top1_to")] == *"true");
        assert!(["U", "S", "M", "X"].contains(&&row[column("boundary_change")]));
        assert!(
            !row[column("earlier_lsoas")].is_empty(),
            "each 2021 LSOA names its 2011 parent(s)"
        );
    }
}

#[test]
fn league_csv_ranks_every_la() {
    // The embedded default carries the national IMD tables, so every LA is ranked.
    let output = locality_map(&["league", "--from", "2015", "--to", "2019", "--csv"], None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("la_code,la_name,lsoas_2015,"));
    assert!(text.lines().any(|l| l.starts_with("E08000035,Leeds,")));
}

fn png_size(path: &std::path::Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    ));
    let reader = decoder.read_info().unwrap();
    (reader.info().width, reader.info().height)
}

#[test]
fn pack_writes_a_folder_per_priority_ward_and_refuses_to_overwrite() {
    let data = common::embedded_folder();
    let out = std::env::temp_dir().join(format!("lm-pack-{}", std::process::id()));
    std::fs::remove_dir_all(&out).ok();
    let out_arg = out.to_string_lossy().into_owned();
    let args = [
        "pack", "--la", "Leeds", "--from", "2015", "--to", "2019", "--out", &out_arg, "--width", "1200", "--height",
        "850", "--dpi", "100",
    ];
    let first = locality_map(&args, Some(data));
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));

    assert_eq!(png_size(&out.join("overview.png")), (1200, 850));
    let starts = |name: &str, magic: &[u8]| std::fs::read(out.join(name)).unwrap().starts_with(magic);
    assert!(starts("briefing.xlsx", b"PK\x03\x04"), "briefing.xlsx is a zip package");
    assert!(starts("report.pdf", b"%PDF-"), "report.pdf");
    assert!(starts("areas.gpkg", b"SQLite format 3\0"), "areas.gpkg");
    let (w, h) = png_size(&out.join("diagram3.png"));
    assert!(w > 500 && h > 300, "{w}×{h}");
    let diagram3 = std::fs::read_to_string(out.join("diagram3.csv")).unwrap();
    assert_eq!(diagram3.lines().count(), 1 + 16 + 12 - 9);
    // For Excel: a byte-order mark, and the editions named beside the contract's from/to columns.
    let header = diagram3
        .strip_prefix('\u{feff}')
        .expect("diagram3.csv starts with a BOM")
        .lines()
        .next()
        .unwrap();
    assert!(
        header.starts_with("lsoa_code,lsoa_name,ward_code,ward_name,rank_from,rank_to,"),
        "{header}"
    );
    assert!(
        header.contains(",rank_2015,rank_2019,in_top1_2015,in_top1_2019,"),
        "{header}"
    );
    let mut wards: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    wards.sort();
    assert_eq!(wards.len(), 6, "Leeds has 6 priority wards: {wards:?}");
    assert!(wards.contains(&"hunslet-riverside".to_string()), "{wards:?}");
    for ward in &wards {
        let folder = out.join(ward);
        assert_eq!(png_size(&folder.join("map.png")), (1200, 850), "{ward}");
        let (w, h) = png_size(&folder.join("lsoas.png"));
        assert!(w > 400 && h > 200, "{ward}: {w}×{h}");
        let profile = std::fs::read_to_string(folder.join("profile.csv")).unwrap();
        let mut lines = profile.trim_start_matches('\u{feff}').lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("lsoa_code,lsoa_name,ward_code,ward_name,rank_2015,rank_2019")
        );
        assert!(lines.count() >= 5, "{ward}: a ward has several LSOAs");
    }

    let again = locality_map(&args, Some(data));
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    // One sentence (beside the one-line notice that the data folder has problems: see `validate`).
    let sentences = stderr
        .lines()
        .filter(|l| !l.contains("in the data: run validate"))
        .count();
    assert_eq!(sentences, 1, "{stderr}");
    assert!(
        stderr.contains("the file already exists; pass --force to replace it — ") && stderr.contains("overview.png"),
        "{stderr}"
    );

    let mut forced: Vec<&str> = args.to_vec();
    forced.push("--force");
    let third = locality_map(&forced, Some(data));
    assert!(third.status.success(), "{}", String::from_utf8_lossy(&third.stderr));
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_projects_data_folder_outside_it_needs_a_flag() {
    let data = std::fs::canonicalize(common::embedded_folder()).unwrap();
    let dir = std::env::temp_dir().join(format!("lm-cli-project-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let project = dir.join("leeds.lmap");
    let text = serde_json::json!({
        "format": "locality-map-project",
        "version": 1,
        "data": {"folder": data},
        "la": "Leeds",
    });
    std::fs::write(&project, text.to_string()).unwrap();
    let project_arg = project.to_string_lossy().into_owned();
    let args = ["--project", &project_arg, "summary", "--json"];
    let refused = locality_map(&args, None);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("absolute path") && stderr.contains("--trust-project-data"),
        "{stderr}"
    );
    let mut trusted = args.to_vec();
    trusted.insert(2, "--trust-project-data");
    let summary = json(&locality_map(&trusted, None));
    assert_eq!(summary["la_name"], "Leeds");
    assert_ne!(
        summary["data_source"], "embedded Leeds default",
        "the project's folder was read"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn map_html_and_export_choose_the_format_by_extension() {
    let data = common::embedded_folder();
    let out = std::env::temp_dir().join(format!("lm-formats-{}", std::process::id()));
    std::fs::remove_dir_all(&out).ok();
    std::fs::create_dir_all(&out).unwrap();
    let path = |name: &str| out.join(name).to_string_lossy().into_owned();
    for (args, file, magic) in [
        (
            vec![
                "map",
                "--la",
                "Leeds",
                "--out",
                &path("m.pdf"),
                "--paper",
                "a3",
                "--portrait",
            ],
            "m.pdf",
            &b"%PDF-"[..],
        ),
        (
            vec!["map", "--la", "Leeds", "--out", &path("m.svg")],
            "m.svg",
            &b"<?xml"[..],
        ),
        (
            vec!["html", "--la", "Leeds", "--out", &path("m.html")],
            "m.html",
            &b"<!DOCTYPE html>"[..],
        ),
        (
            vec!["export", "--la", "Leeds", "--out", &path("m.gpkg")],
            "m.gpkg",
            &b"SQLite format 3\0"[..],
        ),
        (
            vec!["export", "--la", "Leeds", "--out", &path("m.xlsx")],
            "m.xlsx",
            &b"PK"[..],
        ),
    ] {
        let run = locality_map(&args, Some(data));
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(std::fs::read(out.join(file)).unwrap().starts_with(magic), "{file}");
        let again = locality_map(&args, Some(data));
        assert!(!again.status.success(), "{file} is not replaced without --force");
    }
    let unknown = locality_map(&["map", "--la", "Leeds", "--out", &path("m.tiff")], Some(data));
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("does not end in .png, .pdf or .svg"));
    std::fs::remove_dir_all(&out).ok();
}
