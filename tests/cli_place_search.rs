//! The command line forgives typed place names: an LA or ward a letter off gets "did you mean …?", and a ward name
//! several LAs share is listed with the LAs' names (every command taking --la or a ward).

mod common;

use std::process::{Command, Output};

fn locality_map(args: &[&str], data: Option<&std::path::Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command
        .current_dir(std::env::temp_dir())
        .env_remove("LOCALITY_MAP_DATA");
    if let Some(dir) = data {
        command.arg("--data").arg(dir);
    }
    command.args(args).output().expect("the binary runs")
}

/// The one-line error a failed command printed.
fn error_line(output: &Output) -> String {
    assert!(!output.status.success(), "should fail");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let errors: Vec<&str> = common::lines_without_cache_notes(&stderr)
        .into_iter()
        .filter(|l| !l.contains("problem"))
        .collect();
    assert_eq!(errors.len(), 1, "one sentence: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    errors[0].to_string()
}

#[test]
fn a_mistyped_la_gets_did_you_mean_leeds_from_every_command_taking_la() {
    for args in [
        &["summary", "--la", "Leds"][..],
        &["changes", "--la", "Leds", "--top1"],
        &["ward", "Armley", "--la", "Leds"],
        &["reconcile", "--la", "Leds"],
        &["areas", "--level", "ward", "--la", "Leds"],
        &["map", "--la", "Leds", "--out", "never-written.png"],
        &["html", "--la", "Leds", "--out", "never-written.html"],
        &["pack", "--la", "Leds", "--out", "never-written-pack"],
    ] {
        let line = error_line(&locality_map(args, None));
        assert!(line.contains("no LA \"Leds\""), "{args:?}: {line}");
        assert!(line.contains("did you mean Leeds?"), "{args:?}: {line}");
    }
    // Swapped letters and a missing one, too.
    let line = error_line(&locality_map(&["summary", "--la", "Bradfrod"], None));
    assert!(line.contains("did you mean Bradford?"), "{line}");
    // Nothing near: no suggestion rather than a wild one.
    let line = error_line(&locality_map(&["summary", "--la", "Atlantis"], None));
    assert!(!line.contains("did you mean"), "{line}");
}

#[test]
fn a_mistyped_ward_gets_its_nearest_names_with_their_la() {
    let line = error_line(&locality_map(&["ward", "Harehils"], None));
    assert!(line.contains("no ward \"Harehils\""), "{line}");
    assert!(line.contains("did you mean Gipton & Harehills (Leeds)?"), "{line}");
    let line = error_line(&locality_map(&["ward", "Armly", "--la", "Leeds"], None));
    assert!(line.contains("did you mean Armley (Leeds)?"), "{line}");
}

#[test]
fn a_ward_name_several_las_share_is_listed_with_the_las_names() {
    let Some(data) = common::national_data("a_ward_name_several_las_share_is_listed_with_the_las_names") else {
        return;
    };
    // Seaton is a ward of East Devon (E05011802) and of Hartlepool (E05008951) in the ONS 2019 lookup.
    let line = error_line(&locality_map(&["ward", "Seaton"], Some(&data)));
    assert!(line.contains("E05011802 in East Devon"), "{line}");
    assert!(line.contains("E05008951 in Hartlepool"), "{line}");
    let profile = locality_map(&["ward", "Seaton", "--la", "Hartlepool", "--json"], Some(&data));
    assert!(profile.status.success(), "{}", String::from_utf8_lossy(&profile.stderr));
}
