//! `export-selection` and `map --ward/--selection/--extent`: every export the window offers, from the command line.

mod common;

use std::process::{Command, Output};

fn locality_map(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command
        .current_dir(std::env::temp_dir())
        .env_remove("LOCALITY_MAP_DATA");
    command.args(args).output().expect("the binary runs")
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn scratch() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lm-cli-export-selection-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_projects_named_and_current_selections_export_as_the_window_writes_them() {
    let dir = scratch();
    let project = dir.join("leeds.lmap");
    let text = serde_json::json!({
        "format": "locality-map-project",
        "version": 1,
        "la": "Leeds",
        "from": 2015,
        "to": 2019,
        "named_selections": {"two in the 1%": ["E01011372", "E01011623"]},
        "selection": ["E01011372"],
    });
    std::fs::write(&project, text.to_string()).unwrap();
    let project = project.to_string_lossy().into_owned();
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();

    let csv = out("named.csv");
    succeeded(&locality_map(&[
        "--project",
        &project,
        "export-selection",
        "--name",
        "two in the 1%",
        "--out",
        &csv,
    ]));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let rows = common::rows_of_csv(&bytes);
    let codes: Vec<&str> = rows.iter().map(|r| r["lsoa_code"].as_str()).collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.contains(&"E01011372") && codes.contains(&"E01011623"));
    // E01011623 rose from 1031 to 318 (the embedded 2015 and 2019 files).
    let row = rows.iter().find(|r| r["lsoa_code"] == "E01011623").unwrap();
    assert_eq!((row["rank_2015"].as_str(), row["rank_2019"].as_str()), ("1031", "318"));

    let geojson = out("current.geojson");
    succeeded(&locality_map(&[
        "--project",
        &project,
        "export-selection",
        "--out",
        &geojson,
    ]));
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    assert_eq!(value["features"].as_array().map(Vec::len), Some(1));
    assert_eq!(value["features"][0]["id"], "E01011372");

    let table = out("all.csv");
    succeeded(&locality_map(&[
        "export-selection",
        "--all",
        "--table",
        "--out",
        &table,
    ]));
    let rows = common::rows_of_csv(&std::fs::read(&table).unwrap());
    assert_eq!(rows.len(), 482);
    assert!(rows[0].contains_key("income_rank_2019"));

    let unknown = locality_map(&[
        "--project",
        &project,
        "export-selection",
        "--name",
        "nope",
        "--out",
        &out("x.csv"),
    ]);
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no selection named \"nope\"") && stderr.contains("two in the 1%"),
        "{stderr}"
    );

    // The map of the selection, of a ward and of a rectangle: the window's report extents.
    for extra in [
        vec!["--project", &project, "map", "--selection", "two in the 1%"],
        vec!["map", "--ward", "Killingbeck & Seacroft"],
        vec!["map", "--extent", "428000,432000,432000,436000"],
    ] {
        let png = out("m.png");
        let mut args = extra.clone();
        args.extend([
            "--out", &png, "--width", "900", "--height", "640", "--dpi", "96", "--force",
        ]);
        succeeded(&locality_map(&args));
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"), "{extra:?}");
    }
    let bad = locality_map(&["map", "--ward", "Nowhere", "--out", &out("n.png")]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no ward called"));
    std::fs::remove_dir_all(&dir).ok();
}
