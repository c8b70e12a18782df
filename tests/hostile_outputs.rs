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
    let dir = scratch("replace-symlink");
    let target = dir.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = dir.join("map.png");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "map",
            "--out",
            link.to_str().unwrap(),
            "--width",
            "400",
            "--height",
            "300",
            "--dpi",
            "50",
        ];
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
