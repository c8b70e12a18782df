//! Messages and outputs (issue 15): project and save errors name the file last; `--replace-symlink` replaces a link
//! itself, never its target.

mod support;

use locality_map::project::open_project;
use std::path::Path;
use support::*;

#[test]
fn project_and_save_messages_are_one_sentence_with_the_file_last() {
    use locality_map::io::save_atomic;
    use locality_map::project::{ProjectError, parse_project};
    let path = Path::new("plans/ward\u{202e}.lmap");
    let cases: Vec<(ProjectError, &str)> = vec![
        (
            parse_project("not json", path).unwrap_err(),
            "this is not a Locality Map project file",
        ),
        (
            parse_project(r#"{"format": "something-else", "version": 1}"#, path).unwrap_err(),
            "its format is \"something-else\"",
        ),
        (
            parse_project(r#"{"format": "locality-map-project", "version": 99}"#, path).unwrap_err(),
            "the project is version 99, made by a newer Locality Map",
        ),
        (
            open_project(Path::new("/nonexistent/plans.lmap")).unwrap_err(),
            "cannot read the project file (",
        ),
    ];
    for (error, wording) in cases {
        let message = error.to_string();
        assert!(message.starts_with(wording) || message.contains(wording), "{message}");
        assert!(
            message.ends_with(" — plans/ward\u{202e}.lmap") || message.ends_with(" — /nonexistent/plans.lmap"),
            "{message}"
        );
        assert_eq!(message.matches(" — ").count(), 1, "{message}");
    }
    let dir = scratch("save-message");
    let inside_missing_folder = dir.join("no-such-folder").join("out.csv");
    let message = save_atomic(&inside_missing_folder, false, |_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("cannot write the file ("), "{message}");
    assert!(
        message.ends_with(&format!(" — {}", inside_missing_folder.display())),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn replace_symlink_replaces_the_link_itself_never_its_target() {
    let (dir, target, link) = folder_with_a_link("replace-symlink");
    let args = |extra: &[&'static str]| {
        let mut args = vec!["map", "--out", link.to_str().unwrap()];
        args.extend_from_slice(&SMALL_IMAGE);
        args.extend_from_slice(extra);
        args
    };
    let without_force = cli(&args(&["--replace-symlink"]), None);
    assert!(!without_force.status.success(), "--replace-symlink needs --force");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    let output = cli(&args(&["--force", "--replace-symlink"]), None);
    assert!(output.status.success(), "{}", texts(&output).1);
    assert!(
        !std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link is now the map"
    );
    assert!(std::fs::read(&link).unwrap().starts_with(b"\x89PNG"));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "keep me",
        "the link's target is untouched"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Every command that writes files follows one rule (issue 15): `--force` replaces regular files only; a symbolic
/// link is refused, naming it last, unless `--replace-symlink` is given too, and then the link itself is replaced.
#[test]
fn every_writing_command_refuses_a_symlink_unless_asked_and_never_writes_through_it() {
    let dir = scratch("every-writer-symlink");
    let target = dir.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let commands: [(&str, Vec<&str>); 4] = [
        ("map.svg", vec!["map", "--width", "400", "--height", "300", "--out"]),
        ("page.html", vec!["html", "--out"]),
        ("briefing.xlsx", vec!["export", "--out"]),
        ("areas.png", vec!["areas", "--level", "ward", "--la", "Leeds", "--png"]),
    ];
    for (name, command) in commands {
        let link = dir.join(name);
        std::fs::remove_file(&link).ok();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let run = |extra: &[&str]| {
            let mut args = command.clone();
            args.push(link.to_str().unwrap());
            args.extend_from_slice(extra);
            cli(&args, None)
        };
        let refused = run(&["--force"]);
        let (_, stderr) = texts(&refused);
        assert!(!refused.status.success(), "{name}: {stderr}");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("symbolic link") && l.ends_with(link.to_str().unwrap())),
            "{name}: {stderr}"
        );
        assert!(
            std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
            "{name}"
        );
        let replaced = run(&["--force", "--replace-symlink"]);
        assert!(replaced.status.success(), "{name}: {}", texts(&replaced).1);
        assert!(
            std::fs::symlink_metadata(&link).unwrap().is_file(),
            "{name}: the link is now the output"
        );
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "keep me",
            "{name}: the target is untouched"
        );
    }
    // A pack refuses a link among its files before writing anything.
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::os::unix::fs::symlink(&target, pack.join("overview.png")).unwrap();
    let output = cli(&["pack", "--out", pack.to_str().unwrap(), "--force"], None);
    let (_, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("symbolic link") && stderr.contains("overview.png"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&pack).unwrap().count(), 1, "nothing else was written");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    std::fs::remove_dir_all(&dir).ok();
}
