//! The `.lmap` project file: any bytes either parse or give a `ProjectError`; a project that parses is written and
//! read back with the same data folder and LA; its data folder is only ever resolved (never read), and a folder that
//! leaves the project's own is flagged for confirmation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::project::{DataFolder, DataFolderStatus, parse_project, resolve_data_folder, write_project};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(project) = parse_project(&text, Path::new("fuzz.lmap")) else {
        return;
    };
    if let DataFolder::Folder(folder) = &project.data {
        let status = resolve_data_folder(Path::new("/projects/leeds"), folder);
        if folder.is_absolute() || folder.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            // Absolute, or climbing: either refused silently-safe (needs confirmation) or still inside the folder.
            if let DataFolderStatus::Ready(path) | DataFolderStatus::Missing(path) = &status {
                assert!(path.starts_with("/projects/leeds"), "{folder:?} resolved to {path:?} without asking");
            }
        }
    }
    let mut written = Vec::new();
    write_project(&project, &mut written).expect("a parsed project can be written");
    let again = parse_project(std::str::from_utf8(&written).expect("UTF-8"), Path::new("fuzz.lmap"))
        .expect("a written project reads back");
    assert_eq!((&again.data, &again.choices.la), (&project.data, &project.choices.la));
});
