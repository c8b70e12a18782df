//! The window under hostile data (issue 15): an edition whose ranks did not load (a header-only File 1/2 beside a good
//! File 6) is never compared — the window says why, in words, and keeps what it could show.

mod common;
mod support;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::io::DataSource;
use locality_map::ui::{LoadedData, LocalityMapApp, Settings, load_data};
use std::sync::Arc;
use support::*;

const NO_RANKS: &str = "IMD 2019 has no IMD ranks loaded";

/// The embedded Leeds default with its 2019 ranks file cut to the header: IMD 2019 still "loads" (File 6 gives its
/// population), but no rank of it does.
fn folder_without_2019_ranks(name: &str) -> std::path::PathBuf {
    embedded_copy(name, |file, bytes| {
        if file == FILE2_2019 {
            let text = String::from_utf8(bytes).unwrap();
            Some(format!("{}\n", text.lines().next().unwrap()).into_bytes())
        } else {
            Some(bytes)
        }
    })
}

fn loaded(source: DataSource) -> Arc<LoadedData> {
    let (dataset, meshes) = load_data(&source, &|_| {}).expect("the 2015 edition still loads");
    Arc::new(LoadedData::new(source, dataset, meshes, 0.0))
}

fn harness(app: LocalityMapApp) -> Harness<'static, LocalityMapApp> {
    common::window::app_harness(app)
}

#[test]
fn the_window_refuses_to_compare_an_edition_whose_ranks_did_not_load_and_says_so() {
    let dir = folder_without_2019_ranks("window-no-ranks");
    let data = loaded(DataSource::Folder(dir.clone()));
    assert!(
        data.dataset.edition(2019).is_some(),
        "IMD 2019 is there (File 6), without ranks"
    );
    // Default choices: Leeds, 2015 to 2019.
    let mut harness = harness(LocalityMapApp::with_data(Settings::default(), data));
    let app = harness.state();
    assert!(
        app.scene().is_none(),
        "no map of a comparison with an edition of no ranks"
    );
    let error = app.scene_error().expect("the refusal is reported");
    assert!(error.contains(NO_RANKS) && error.contains("run validate"), "{error}");
    harness.run_steps(2);
    // Said where the map would be and in the panel beside it.
    assert!(harness.query_all_by_label_contains(NO_RANKS).count() >= 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn opening_such_a_folder_keeps_the_map_shown_and_says_why() {
    let mut harness = harness(LocalityMapApp::with_data(
        Settings::default(),
        loaded(DataSource::Embedded),
    ));
    assert_eq!(harness.state().scene().map(|s| s.areas.len()), Some(482));
    let dir = folder_without_2019_ranks("window-open-no-ranks");
    let ctx = harness.ctx.clone();
    harness.state_mut().start_load(DataSource::Folder(dir.clone()), &ctx);
    // Bounded by steps, not time: the load runs on its own thread; each step yields to it.
    for _ in 0..6_000 {
        harness.step();
        if !harness.state().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(!harness.state().is_loading(), "the load finished");
    harness.run_steps(2);
    let app = harness.state();
    // The new data cannot show the chosen editions: the map shown stays, with the refusal beside it.
    let error = app.scene_error().or(app.load_error()).expect("the refusal is reported");
    assert!(error.contains(NO_RANKS), "{error}");
    let scene = app.scene().expect("the previous map is still shown");
    assert_eq!(scene.areas.len(), 482);
    assert_eq!(
        scene.comparison.rows.iter().filter(|r| r.rank_to.is_some()).count(),
        482,
        "what is shown is the embedded data's comparison, with its 2019 ranks, not zeros"
    );
    assert!(harness.query_all_by_label_contains(NO_RANKS).count() >= 1);
    std::fs::remove_dir_all(&dir).ok();
}
