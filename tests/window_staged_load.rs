//! The window on a cold start (no processed-data cache): the map is drawn from the first part of the load — the
//! LA's boundaries and the two editions shown — while the rest is read behind it, with the progress in the status
//! bar and "loading…" where figures need the rest; then the rest replaces it under the same view.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::io::DataSource;
use locality_map::model::LsoaVintage;
use locality_map::ui::{AppCommand, AppWindow, LocalityMapApp, NoPicker, Settings};

#[test]
fn the_map_shows_before_the_rest_of_the_data_and_everything_is_there_after() {
    // A warm cache answers in one step; this test is of the cold start.
    locality_map::io::cache::turn_off_for_this_process();
    let mut harness = Harness::builder().with_size([1400.0, 900.0]).build_ui_state(
        |ui, app: &mut LocalityMapApp| app.show(ui),
        LocalityMapApp::new(
            Settings::default(),
            DataSource::Embedded,
            Box::new(NoPicker),
            &egui::Context::default(),
        ),
    );
    // Frames until the first data arrives: the session takes one piece of news per frame, so this frame shows the
    // first part even if the rest finished meanwhile.
    for _ in 0..3000 {
        harness.step();
        if harness.state().session().data().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run_steps(2);
    let app = harness.state();
    let data = app.session().data().expect("the first part arrived");
    let part = data
        .first_part
        .clone()
        .expect("a cold start is staged: the first data is its first part");
    assert_eq!(data.dataset.editions.keys().copied().collect::<Vec<_>>(), [2015, 2019]);
    assert!(!data.dataset.lsoa_layers.contains_key(&LsoaVintage::Lsoa2021));
    let scene = app.scene().expect("the map is drawn from the first part");
    assert_eq!(scene.areas.len(), 482);
    assert!(app.map_rect().is_some(), "the map was laid out");
    let view = app.view();
    let still_loading = app.is_loading();
    if still_loading {
        // The progress is in the status bar, and a window whose figures need the rest says so.
        harness.get_by_label_contains(&format!("loading the other {}", part.files_left));
        // The LA summary's population line says it already; the league window adds its own.
        let loading_before = harness.query_all_by_label_contains("loading…").count();
        let ctx = harness.ctx.clone();
        harness.state_mut().run(AppCommand::Show(AppWindow::LeagueTable), &ctx);
        harness.run_steps(2);
        let loading_after = harness.query_all_by_label_contains("loading…").count();
        assert!(loading_after > loading_before, "{loading_before} → {loading_after}");
    }

    for _ in 0..3000 {
        harness.step();
        if !harness.state().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run_steps(3);
    let app = harness.state();
    let data = app.session().data().expect("the whole load");
    assert!(data.first_part.is_none(), "the rest replaced the first part");
    assert_eq!(
        data.dataset.editions.keys().copied().collect::<Vec<_>>(),
        [2015, 2019, 2025]
    );
    assert!(data.dataset.lsoa_layers.contains_key(&LsoaVintage::Lsoa2021));
    assert!(data.dataset.editions[&2019].has_population());
    assert_eq!(app.scene().map(|s| s.areas.len()), Some(482));
    assert_eq!(app.view(), view, "the view stayed where it was");
    assert!(harness.query_by_label_contains("loading the other").is_none());
    if still_loading {
        // The league now has its figures.
        assert!(harness.query_by_label_contains("loading…").is_none());
        harness.get_by_label("Local authority league table");
    }
}
