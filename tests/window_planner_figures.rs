//! The window on the embedded Leeds default, as a planner reads it (issue 16): an LA without boundaries or wards says
//! so in the map area and the left panel instead of showing Leeds under its name; population in the 1% is in the
//! summary; editions picked in reverse are put in order with a word; problems are counted by kind, notes folded.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::ui::{LoadedData, LocalityMapApp, Settings};
use std::sync::Arc;

fn leeds() -> Arc<LoadedData> {
    common::window_leeds()
}

fn harness(settings: Settings) -> Harness<'static, LocalityMapApp> {
    let app = LocalityMapApp::with_data(settings, leeds());
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut LocalityMapApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

/// Saves what the window shows to /tmp/shots/NAME.png when a renderer can start (for looking at, not comparing).
fn shot(harness: &mut Harness<'static, LocalityMapApp>, name: &str) {
    if common::renderer_available(name)
        && let Ok(image) = harness.render()
    {
        std::fs::create_dir_all("/tmp/shots").ok();
        image.save(format!("/tmp/shots/{name}.png")).ok();
    }
}

#[test]
fn bradford_on_the_embedded_default_says_why_it_is_not_mapped_and_never_shows_leeds() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("Leeds (E08000035)");
    harness.state_mut().settings.la = "Bradford".into();
    harness.run_steps(4);
    assert!(harness.state().scene().is_none(), "no map under Bradford's name");
    assert!(harness.state().profile().is_none());
    harness.get_by_label("Bradford is not mapped");
    assert!(
        harness.query_by_label("Leeds (E08000035)").is_none(),
        "no Leeds summary under Bradford"
    );
    // Bradford's own figures from the national tables, and what is missing said where ward figures would be.
    harness.get_by_label("Bradford (E08000032)");
    harness.get_by_label("Priority wards: not known");
    assert!(
        harness
            .query_all_by_label_contains("Wards: not loaded for Bradford")
            .next()
            .is_some()
    );
    shot(&mut harness, "bradford_not_mapped");
}

#[test]
fn the_summary_shows_the_population_in_the_1_percent() {
    let harness = harness(Settings::default());
    harness.get_by_label("Population in the 1%");
    harness.get_by_label("Population in decile 1");
}

#[test]
fn editions_picked_in_reverse_are_put_in_order_and_the_same_twice_is_refused() {
    let mut harness = harness(Settings::default());
    (harness.state_mut().settings.from, harness.state_mut().settings.to) = (2025, 2019);
    harness.run_steps(4);
    let settings = &harness.state().settings;
    assert_eq!((settings.from, settings.to), (2019, 2025));
    harness.get_by_label_contains("the editions were put in order");
    harness.get_by_label("Change in IMD percentile, 2019 to 2025");
    harness.state_mut().settings.from = 2025;
    harness.run_steps(4);
    assert!(harness.state().scene().is_none(), "2025 → 2025 is not a comparison");
    assert!(
        harness
            .query_all_by_label_contains("chosen as both editions")
            .next()
            .is_some()
    );
}

#[test]
fn the_problems_link_counts_notes_apart_and_the_window_folds_them() {
    let mut harness = harness(Settings::default());
    assert!(
        harness
            .query_all_by_label_contains("problems in the data")
            .next()
            .is_none()
    );
    harness.get_by_label("4 notes on the data (nothing lost)…").click();
    harness.run_steps(3);
    harness.get_by_label("Notes (4) — expected, or nothing was lost");
    assert!(
        harness
            .query_all_by_label_contains("carries Leeds boundaries only")
            .next()
            .is_none(),
        "notes are folded until opened"
    );
    harness
        .get_by_label("Notes (4) — expected, or nothing was lost")
        .click();
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_label_contains("carries Leeds boundaries only")
            .next()
            .is_some()
    );
    shot(&mut harness, "problems_list");
}
