//! `Session` on the embedded Leeds data, without a window.

use super::*;
use crate::project::{DataFolder, DataFolderStatus, OpenedProject, Project, resolve_data_folder};
use crate::style::MapChoices;

use crate::ui::loader::embedded_leeds as leeds;

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

#[test]
fn a_session_over_leeds_builds_its_scene_and_asks_for_a_fit() {
    let settings = Settings::default();
    let mut session = Session::with_data(leeds(), &settings);
    let scene = session.scene().expect("a scene");
    // 482 Leeds LSOAs (2011) in 33 wards, as the ONS lookups list them.
    assert_eq!((scene.areas.len(), scene.wards.len()), (482, 33));
    assert_eq!(session.take_view_request(), Some(ViewRequest::Fit));
    assert!(!session.rebuild_if_changed(&settings), "nothing changed");
}

#[test]
fn changing_a_choice_rebuilds_and_an_unshowable_one_says_why_instead_of_showing_leeds() {
    let mut settings = Settings::default();
    let mut session = Session::with_data(leeds(), &settings);
    let first = session.generation();
    settings.to = 2025;
    settings.from = 2019;
    assert!(session.rebuild_if_changed(&settings));
    assert_eq!(session.scene().unwrap().areas.len(), 488, "2021 LSOAs");
    assert!(session.generation() > first);
    settings.la = "Bradford".into();
    assert!(session.rebuild_if_changed(&settings));
    // The embedded default has Leeds boundaries only: no map at all rather than Leeds under Bradford's name, the
    // reason, and Bradford's own figures from the national tables.
    assert!(session.scene().is_none());
    assert!(session.profile().is_none());
    let error = session.scene_error_text().expect("a reason");
    assert!(error.contains("Bradford"), "{error}");
    let summary = session.unshown_summary().expect("Bradford's figures from the tables");
    assert_eq!(summary.la_name, "Bradford");
    assert_eq!(
        summary.priority_wards, None,
        "no Bradford wards are loaded: not known, not 0"
    );
    assert!(
        summary
            .ward_coverage
            .missing
            .as_deref()
            .unwrap()
            .contains("not loaded for Bradford")
    );
    settings.la = "Leeds".into();
    assert!(session.rebuild_if_changed(&settings));
    assert_eq!(session.scene().unwrap().comparison.la_name, "Leeds");
    assert!(session.unshown_summary().is_none() && session.scene_error_text().is_none());
}

#[test]
fn search_finds_lsoas_by_code_and_wards_by_name_and_says_when_nothing_matches() {
    let mut settings = Settings::default();
    let mut session = Session::with_data(leeds(), &settings);
    session.take_view_request();
    assert_eq!(
        session.search("e01011372", &mut settings),
        Some(SearchHit::Lsoa(code("E01011372")))
    );
    assert_eq!(session.selected(), Some(&code("E01011372")));
    // E01011372 lies in Hunslet & Riverside (ONS ward lookup).
    assert_eq!(session.profile().map(|p| p.name.as_str()), Some("Hunslet & Riverside"));
    assert!(matches!(session.take_view_request(), Some(ViewRequest::Show(_))));

    let hit = session.search("Killingbeck", &mut settings);
    assert_eq!(hit, Some(SearchHit::Ward(code("E05011400"))));
    assert_eq!(
        session.search_message(),
        Some("Ward E05011400: Killingbeck & Seacroft, Leeds")
    );
    let ward_lsoas = session.highlighted().len();
    let expected = session
        .scene()
        .unwrap()
        .comparison
        .rows
        .iter()
        .filter(|r| r.ward_code == Some(code("E05011400")))
        .count();
    assert_eq!(ward_lsoas, expected);

    assert_eq!(session.search("Atlantis", &mut settings), None);
    assert_eq!(session.search_message(), Some("Nothing called \"Atlantis\" in Leeds"));
}

#[test]
fn clicks_select_and_undo_redo_walk_the_history() {
    let mut session = Session::with_data(leeds(), &Settings::default());
    session.click(code("E01011372"), false);
    session.click(code("E01011623"), true);
    assert_eq!(session.selection().codes.len(), 2);
    assert!(session.undo());
    assert_eq!(session.selection().codes, [code("E01011372")].into());
    assert!(session.redo());
    assert_eq!(session.selection().codes.len(), 2);
    session.save_named("pilot".into());
    session.edit_selection(&SelectionEdit::Replace(BTreeSet::new()));
    session.open_named("pilot");
    assert_eq!(session.selection().codes.len(), 2);
    assert!(!session.rename_named("pilot", "pilot".into()), "the name is taken");
    assert!(session.rename_named("pilot", "flexing".into()));
    assert!(session.named_selections().contains_key("flexing"));
}

#[test]
fn a_project_round_trips_through_the_session() {
    let mut settings = Settings {
        choices: MapChoices {
            mode: crate::style::MapMode::DecileLater,
            ..MapChoices::default()
        },
        ..Settings::default()
    };
    let mut session = Session::with_data(leeds(), &settings);
    session.click(code("E01011372"), false);
    session.save_named("one".into());
    let view = MapView::default();
    let path = std::env::temp_dir().join("lm-session-test.lmap");
    let project = session.to_project(&settings, view, &path);
    assert_eq!(project.data, DataFolder::Embedded);
    assert_eq!(project.choices.mode, crate::style::MapMode::DecileLater);

    let mut fresh = Session::with_data(leeds(), &Settings::default());
    settings = Settings::default();
    let opened = OpenedProject {
        project,
        data: DataFolderStatus::Embedded,
    };
    fresh.apply_project(opened, &path, &mut settings);
    assert_eq!(settings.mode, crate::style::MapMode::DecileLater);
    assert_eq!(fresh.selection().codes, [code("E01011372")].into());
    assert_eq!(fresh.named_selections().len(), 1);
    assert!(!fresh.is_loading(), "the embedded data is already open");
    assert!(fresh.rebuild_if_changed(&settings));
    assert_eq!(fresh.take_pending_view(&settings), Some(view));
}

#[test]
fn a_project_naming_a_folder_outside_it_waits_for_an_answer() {
    let mut settings = Settings::default();
    let mut session = Session::with_data(leeds(), &settings);
    let status = resolve_data_folder(Path::new("/projects/leeds"), Path::new("/etc"));
    let opened = OpenedProject {
        project: Project::default(),
        data: status,
    };
    session.apply_project(opened, Path::new("/projects/leeds/x.lmap"), &mut settings);
    assert!(session.data_confirmation().is_some());
    assert!(!session.is_loading(), "nothing read before the answer");
    session.answer_data_confirmation(false);
    assert!(session.data_confirmation().is_none());
    assert!(!session.is_loading());
}

#[test]
fn a_failed_load_keeps_the_map_and_says_why() {
    let mut settings = Settings::default();
    let mut session = Session::with_data(leeds(), &settings);
    let empty = std::env::temp_dir().join(format!("lm-session-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    session.start_load(DataSource::Folder(empty.clone()));
    session.wait_for_load(&mut settings);
    std::fs::remove_dir_all(&empty).ok();
    let error = session.load_error().expect("reported");
    assert!(error.contains("No IMD table"), "{error}");
    assert_eq!(session.scene().map(|s| s.areas.len()), Some(482));
}
