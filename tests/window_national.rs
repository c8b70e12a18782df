//! The map window on the national file: "All England" renders every LSOA (Welsh ones as no data), with LA outlines and
//! the 1% highlighted; hovering and clicking an LSOA work at the national zoom. Snapshot in tests/snapshots/.

mod common;

use egui_kittest::{SnapshotOptions, kittest::Queryable as _};
use geo::Area as _;
use locality_map::style::ColourVision;
use locality_map::ui::{LocalityMapApp, Settings};

#[test]
fn all_england_renders_and_hover_and_click_work_nationally() {
    // Relative (tests run in the package root), so the status bar, and so the snapshot, does not name the checkout.
    let Some(folder) = common::national_data("all_england_renders_and_hover_and_click_work_nationally") else {
        return;
    };
    let folder = if std::env::var_os("LOCALITY_MAP_TEST_DATA").is_some() {
        folder
    } else {
        "../shared/data".into()
    };
    // Bands built before the first frame, so the snapshot does not depend on the background thread's timing.
    let data = common::window::window_data_of(folder);
    let settings = Settings {
        show_distribution: false,
        ..common::window::all_england()
    };
    let app = LocalityMapApp::with_data(settings, data);
    let mut harness = common::window::harness_sized(app, [1000.0, 760.0], true);

    let scene = harness.state().scene().expect("a national scene");
    assert!(scene.national);
    assert_eq!(scene.areas.len(), 32_844);
    assert_eq!(scene.without_imd_data, 1_909);
    harness.get_by_label("England (E92000001)");
    harness.get_by_label("Change in IMD rank, 2015 to 2019");
    harness.get_by_label_contains("1909 areas have no IMD data (grey)");
    let renders = common::renderer_available("all_england_renders_and_hover_and_click_work_nationally");
    if renders {
        harness.snapshot_options(
            "all_england_rank_change_2015_2019",
            &SnapshotOptions::new().threshold(2.0).max_failed_pixels(400),
        );
    }

    // The largest English LSOA: big enough to point at from the national view.
    let scene = harness.state().scene().unwrap();
    let largest = scene
        .areas
        .iter()
        .max_by(|a, b| {
            let area =
                |s: &locality_map::ui::SceneArea| scene.layer().areas[s.layer_index].geometry_in_world.unsigned_area();
            area(a).total_cmp(&area(b))
        })
        .expect("areas");
    let code = scene.row(largest).lsoa_code;
    let ward = scene.row(largest).ward_name.clone();
    let at = harness.state().screen_position_of(&code).expect("drawn");
    harness.hover_at(at);
    harness.run_steps(3);
    harness.get_by_label_contains(&format!("({code})"));
    common::window::click_at(&mut harness, at);
    harness.run_steps(3);
    assert_eq!(harness.state().selected(), Some(&code));
    let profile = harness.state().profile().expect("its ward profile opened");
    assert_eq!(profile.name, ward);

    // A Welsh LSOA is drawn and says why it has no colour: W01000470 (Powys 001D, 42 km², several pixels wide here).
    let welsh = locality_map::model::AreaCode::parse("W01000470").unwrap();
    let at = harness
        .state()
        .screen_position_of(&welsh)
        .expect("Welsh LSOAs are drawn nationally");
    harness.hover_at(at);
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_label_contains("(W01000470): no IMD data for IMD 2015 and 2019")
            .next()
            .is_some(),
        "the Welsh LSOA's tooltip says it has no IMD data"
    );

    // Zoomed out, panning moves the meshes kept from the last frame instead of rebuilding them: after a drag the
    // map must look exactly as a fresh build at the same view draws it (a wrong shift would move every area).
    harness.key_press(egui::Key::Escape);
    harness.key_press(egui::Key::Num0);
    harness.run_steps(2);
    let start = harness.state().screen_position_of(&code).expect("drawn");
    let step = egui::vec2(7.3, -4.1);
    harness.drag_at(start);
    harness.run_steps(1);
    for k in 1..=6 {
        harness.hover_at(start + step * k as f32);
        harness.run_steps(1);
    }
    harness.drop_at(start + step * 6.0);
    harness.run_steps(2);
    let moved = harness.state().screen_position_of(&code).expect("still drawn");
    assert!(
        (moved - start).length() > 40.0,
        "the drag panned the map: {start:?} -> {moved:?}"
    );
    if !renders {
        return;
    }
    let panned = harness.render().expect("renders");
    // Changing the colour-vision preview there and back forces a fresh build at the same view.
    harness.state_mut().settings.colour_vision = ColourVision::Deuteranopia;
    harness.run_steps(2);
    harness.state_mut().settings.colour_vision = ColourVision::Normal;
    harness.run_steps(2);
    let rebuilt = harness.render().expect("renders");
    assert_eq!(panned.dimensions(), rebuilt.dimensions());
    let differing = panned
        .pixels()
        .zip(rebuilt.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0).any(|(x, y)| x.abs_diff(y) > 8))
        .count();
    assert!(
        differing < 50,
        "{differing} pixels differ between the panned map and a fresh build of the same view"
    );
}
