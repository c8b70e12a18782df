//! The map window through egui's own test harness: the Leeds map renders, hover shows ranks, clicking opens the ward
//! profile, the legend follows the mode, search jumps, bad data leaves the map intact. Snapshots in tests/snapshots/.

mod common;

use egui_kittest::{Harness, SnapshotOptions, kittest::Queryable as _};
use locality_map::io::DataSource;
use locality_map::model::AreaCode;
use locality_map::style::{MapChoices, MapMode};
use locality_map::ui::{LoadedData, LocalityMapApp, Settings};
use std::sync::Arc;

const SIZE: [f32; 2] = [1400.0, 900.0];

/// The embedded Leeds default, loaded once for all tests.
fn leeds() -> Arc<LoadedData> {
    common::window_leeds()
}

fn harness(settings: Settings) -> Harness<'static, LocalityMapApp> {
    common::window::harness_sized(LocalityMapApp::with_data(settings, leeds()), SIZE, true)
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn snapshot_options() -> SnapshotOptions {
    // llvmpipe and GPU rasterisers differ in anti-aliasing; a small per-pixel tolerance absorbs that, not layout changes.
    SnapshotOptions::new().threshold(2.0).max_failed_pixels(200)
}

/// Compares the window with its snapshot where a renderer can start (see `common::renderer_available`).
fn snapshot(harness: &mut Harness<'static, LocalityMapApp>, name: &str) {
    if common::renderer_available(name) {
        harness.snapshot_options(name, &snapshot_options());
    }
}

#[test]
fn leeds_map_renders_with_legend_and_summary() {
    let mut harness = harness(Settings::default());
    let scene = harness.state().scene().expect("a scene");
    assert_eq!(scene.areas.len(), 482, "every Leeds LSOA is drawn");
    assert_eq!(scene.wards.len(), 33);
    harness.get_by_label("Change in IMD rank, 2015 to 2019");
    harness.get_by_label("Leeds (E08000035)");
    harness.get_by_label_contains("Priority wards (6)");
    snapshot(&mut harness, "leeds_rank_change_2015_2019");
}

#[test]
fn hovering_a_known_lsoa_shows_its_ranks() {
    let mut harness = harness(Settings::default());
    // E01011623 rose from 1031 to 318: into the 1%.
    let at = harness.state().screen_position_of(&code("E01011623")).expect("drawn");
    harness.hover_at(at);
    harness.run_steps(3);
    harness.get_by_label_contains("(E01011623)");
    harness.get_by_label("1031");
    harness.get_by_label("318");
    harness.get_by_label("Change in rank: −713 (more deprived)");
    assert_eq!(
        harness.query_all_by_label("Moved into the 1%").count(),
        2,
        "in the legend and in the tooltip"
    );
}

#[test]
fn clicking_an_lsoa_opens_its_ward_profile() {
    let mut harness = harness(Settings::default());
    // E01011372 is in Hunslet & Riverside (ranks 22 → 38), per the ONS ward lookup.
    let at = harness.state().screen_position_of(&code("E01011372")).expect("drawn");
    harness.hover_at(at);
    harness.run_steps(2);
    common::window::click_at(&mut harness, at);
    harness.run_steps(3);
    let profile = harness.state().profile().expect("a ward profile opened");
    assert_eq!(profile.name, "Hunslet & Riverside");
    let scene = harness.state().scene().unwrap();
    let expected_lsoas = scene
        .comparison
        .rows
        .iter()
        .filter(|r| r.ward_code == Some(profile.code))
        .count();
    let expected_top1_2019 = scene
        .comparison
        .rows
        .iter()
        .filter(|r| r.ward_code == Some(profile.code) && r.in_top1_to)
        .count();
    assert_eq!(profile.lsoas.len(), expected_lsoas);
    assert_eq!(profile.counts[1].in_top1, expected_top1_2019);
    assert_eq!(profile.counts[1].in_top1, 2);
    harness.get_by_label("Hunslet & Riverside");
    harness.get_by_label("Priority ward: an LSOA in the most deprived 1%");
    assert_eq!(harness.state().selected(), Some(&code("E01011372")));
    snapshot(&mut harness, "ward_profile_hunslet_and_riverside");
}

#[test]
fn priority_ward_list_opens_a_profile() {
    let mut harness = harness(Settings::default());
    // The list sits low in the left panel, possibly scrolled out of view: use the accessibility action.
    harness
        .get_by_label("Killingbeck & Seacroft — 3 in the 1%")
        .click_accesskit();
    harness.run_steps(3);
    let profile = harness
        .state()
        .profile()
        .unwrap_or_else(|| panic!("opened; scene error: {:?}", harness.state().scene_error()));
    assert_eq!(profile.code.as_str(), "E05011400");
    assert_eq!(profile.counts[1].in_top1, 3);
}

#[test]
fn legend_follows_the_mode() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("−500 or less");
    harness.state_mut().settings.mode = MapMode::DecileLater;
    harness.run_steps(3);
    harness.get_by_label("IMD decile, 2019");
    harness.get_by_label("1 (most deprived 10%)");
    assert!(
        harness.query_by_label("−500 or less").is_none(),
        "the change classes are gone"
    );
    let legend = &harness.state().scene().unwrap().styled.legend;
    assert_eq!(
        legend
            .entries
            .iter()
            .find(|e| e.label.starts_with("1 "))
            .map(|e| e.count),
        Some(114),
        "114 Leeds LSOAs in decile 1 in 2019"
    );
    snapshot(&mut harness, "leeds_decile_2019");
}

#[test]
fn search_jumps_to_an_lsoa() {
    let mut harness = harness(Settings::default());
    let before = harness.state().view();
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("E01011372");
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.selected(), Some(&code("E01011372")));
    let after = app.view();
    assert!(
        after.metres_per_point < before.metres_per_point / 3.0,
        "zoomed in: {before:?} → {after:?}"
    );
    let at = app.screen_position_of(&code("E01011372")).unwrap();
    let centre = egui::Pos2::new(SIZE[0] / 2.0, SIZE[1] / 2.0);
    assert!(
        (at - centre).length() < 400.0,
        "the LSOA is near the middle of the window: {at:?}"
    );
}

#[test]
fn keyboard_zooms_and_fits() {
    let mut harness = harness(Settings::default());
    let fitted = harness.state().view();
    // Leave the name field so the keys reach the map.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.key_press(egui::Key::Plus);
    harness.run_steps(2);
    assert!((harness.state().view().metres_per_point - fitted.metres_per_point / 1.5).abs() < 1e-6);
    harness.key_press(egui::Key::ArrowLeft);
    harness.run_steps(2);
    assert!(harness.state().view().center_in_world.x < fitted.center_in_world.x);
    harness.key_press(egui::Key::Num0);
    harness.run_steps(3);
    assert_eq!(harness.state().view(), fitted);
}

#[test]
fn opening_a_folder_without_data_keeps_the_map_and_says_why() {
    let mut harness = harness(Settings::default());
    let empty = std::env::temp_dir().join(format!("lm-window-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(
        empty.join("broken.geojson"),
        "{\"type\":\"FeatureCollection\",\"features\":[",
    )
    .unwrap();
    let ctx = harness.ctx.clone();
    harness.state_mut().start_load(DataSource::Folder(empty.clone()), &ctx);
    for _ in 0..500 {
        harness.step();
        if !harness.state().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(2);
    std::fs::remove_dir_all(&empty).ok();
    let app = harness.state();
    let error = app.load_error().expect("the failure is reported");
    assert!(error.contains("No IMD table"), "{error}");
    assert_eq!(
        app.scene().map(|s| s.areas.len()),
        Some(482),
        "the Leeds map is still there"
    );
    harness.get_by_label_contains("Could not open the data");
    harness.get_by_label("The previous map is still shown.");
    // The way out: fetch the official files (`locality-map fetch` from the window).
    harness.get_by_label("Download the official data into a folder…");
}

#[test]
fn menus_open_and_every_entry_can_be_drawn() {
    let mut harness = harness(Settings::default());
    for menu in ["File", "View", "Help"] {
        harness.get_by_label(menu).click();
        harness.run_steps(2);
        harness.key_press(egui::Key::Escape);
        harness.run_steps(2);
    }
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Colour-vision preview").hover();
    harness.run_steps(2);
    harness.get_by_label("Deuteranopia (no green cones)").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().settings.colour_vision,
        locality_map::style::ColourVision::Deuteranopia
    );
}

#[test]
fn box_drag_selects_the_lsoas_inside_and_undo_restores() {
    let mut harness = harness(Settings {
        tool: locality_map::ui::MapTool::Box,
        ..Settings::default()
    });
    let from = harness.state().screen_position_of(&code("E01011372")).unwrap() - egui::vec2(60.0, 60.0);
    let to = from + egui::vec2(120.0, 120.0);
    let press = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    harness.event(egui::Event::PointerMoved(from));
    harness.event(press(from, true));
    harness.run_steps(1);
    for step in 1..=6 {
        harness.event(egui::Event::PointerMoved(from + (to - from) * (step as f32 / 6.0)));
        harness.run_steps(1);
    }
    harness.event(press(to, false));
    harness.run_steps(3);
    let app = harness.state();
    let selected = app.selection().codes.clone();
    assert!(
        selected.contains(&code("E01011372")),
        "the LSOA in the middle of the box is selected"
    );
    assert!(selected.len() >= 3, "{} selected", selected.len());
    harness.get_by_label(&format!("Selection ({} LSOAs)", selected.len()));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().selection().codes.is_empty(), "Ctrl+Z undoes the box");
}

#[test]
fn imd_2025_renders_on_2021_lsoas_with_the_caveat() {
    let mut harness = harness(common::window::comparing(2019, 2025));
    let scene = harness.state().scene().expect("2019 -> 2025 maps");
    assert_eq!(scene.areas.len(), 488, "every Leeds 2021 LSOA is drawn");
    // Editions of different N open on percentile change, and the legend says why.
    harness.get_by_label("Change in IMD percentile, 2019 to 2025");
    harness.get_by_label_contains("Percentile change is shown because IMD 2025 ranks 33755 LSOAs");
    // The planner can still choose rank change; the legend then warns.
    harness.state_mut().settings.mode = MapMode::RankChange;
    harness.run_steps(3);
    harness.get_by_label("Change in IMD rank, 2019 to 2025");
    harness.get_by_label_contains("Caution: IMD 2025 ranks 33755 LSOAs");
    harness.get_by_label_contains("less directly comparable");
    snapshot(&mut harness, "leeds_rank_change_2019_2025");
}

#[test]
fn a_split_lsoa_tooltip_names_its_2011_parent() {
    let mut harness = harness(common::window::comparing(2019, 2025));
    // E01035040 (Leeds 044G) is one of two 2021 LSOAs split from E01032945 (Leeds 044F), per the ONS lookup.
    let at = harness.state().screen_position_of(&code("E01035040")).expect("drawn");
    harness.hover_at(at);
    harness.run_steps(3);
    harness.get_by_label_contains("(E01035040)");
    harness.get_by_label_contains("Split from 2011 LSOA E01032945");
    harness.get_by_label("Rank in the LA");
}

#[test]
fn the_league_table_opens_an_la() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("LA league table…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("LAs by share of LSOAs in the most deprived 10%");
    harness.get_by_label("Find").click();
    harness.run_steps(1);
    harness.get_by_label("Find").type_text("Bradford");
    harness.run_steps(3);
    harness.get_by_label("Bradford").click();
    harness.run_steps(3);
    assert_eq!(harness.state().settings.la, "Bradford");
    // The embedded default carries Leeds boundaries only: the window says so rather than showing a blank map.
    let error = harness
        .state()
        .scene_error()
        .expect("no Bradford boundaries in the embedded default");
    assert!(error.contains("Bradford"), "{error}");
}

/// Save and open dialogs that always answer with one path.
struct StubFiles(std::path::PathBuf);

impl locality_map::ui::FilePicker for StubFiles {
    fn save_file(&mut self, _title: &str, _default_name: &str, _extension: &str) -> Option<std::path::PathBuf> {
        Some(self.0.clone())
    }

    fn open_file(&mut self, _title: &str, _extension: &str) -> Option<std::path::PathBuf> {
        Some(self.0.clone())
    }
}

fn harness_for(app: LocalityMapApp) -> Harness<'static, LocalityMapApp> {
    common::window::harness_sized(app, SIZE, false)
}

fn click_menu_entry(harness: &mut Harness<'static, LocalityMapApp>, menu: &str, entry: &str) {
    harness.get_by_label(menu).click();
    harness.run_steps(2);
    harness.get_by_label(entry).click();
    harness.run_steps(3);
}

#[test]
fn a_saved_project_reopens_with_its_la_editions_view_and_selections() {
    let dir = std::env::temp_dir().join(format!("lm-window-project-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("leeds.lmap");
    let settings = Settings {
        choices: MapChoices {
            mode: MapMode::DecileLater,
            ..MapChoices::default()
        },
        ..Settings::default()
    };
    let app = LocalityMapApp::with_data(settings, leeds()).with_file_picker(Box::new(StubFiles(path.clone())));
    let mut harness = harness_for(app);

    // Select the 2019 1%, keep it under a name, then select something else.
    // The selection panel is below the fold of the left panel: accessibility clicks reach it without scrolling.
    harness.get_by_label("All in the 1%").click_accesskit();
    harness.run_steps(2);
    let top1 = harness.state().selection().codes.clone();
    assert_eq!(top1.len(), 12);
    let name = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Name");
    name.focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Name")
        .type_text("Flexing pilot");
    harness.run_steps(2);
    harness.get_by_label("Save selection as").click_accesskit();
    harness.run_steps(2);
    assert_eq!(harness.state().named_selections().get("Flexing pilot"), Some(&top1));
    harness.get_by_label("Flexing pilot (12 LSOAs)");
    harness.get_by_label("Decile 1").click_accesskit();
    harness.run_steps(2);
    let decile1 = harness.state().selection().codes.clone();
    assert!(decile1.len() > 12);
    let fitted = harness.state().view();
    // Leave the name field so the keys reach the map.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.key_press(egui::Key::Plus);
    harness.run_steps(2);
    harness.key_press(egui::Key::ArrowLeft);
    harness.run_steps(2);
    let view = harness.state().view();
    assert!(
        view.metres_per_point < fitted.metres_per_point * 0.9,
        "zoomed in before saving"
    );

    click_menu_entry(&mut harness, "File", "Save project as…");
    assert_eq!(harness.state().project_path(), Some(path.as_path()));
    harness.get_by_label_contains("Saved the project to");
    assert!(path.exists());

    // A fresh window, other choices, opens the project.
    let fresh =
        LocalityMapApp::with_data(Settings::default(), leeds()).with_file_picker(Box::new(StubFiles(path.clone())));
    let mut reopened = harness_for(fresh);
    assert_eq!(reopened.state().settings.mode, MapMode::RankChange);
    click_menu_entry(&mut reopened, "File", "Open project…");
    reopened.run_steps(3);
    let app = reopened.state();
    assert_eq!(app.settings.la, "Leeds");
    assert_eq!((app.settings.from, app.settings.to), (2015, 2019));
    assert_eq!(app.settings.mode, MapMode::DecileLater);
    assert_eq!(app.selection().codes, decile1, "the current selection");
    assert_eq!(app.named_selections().get("Flexing pilot"), Some(&top1));
    let restored = app.view();
    assert!(
        (restored.center_in_world.x - view.center_in_world.x).abs() < 1e-6
            && (restored.metres_per_point - view.metres_per_point).abs() < 1e-9,
        "{restored:?} vs {view:?}"
    );
    reopened.get_by_label("Flexing pilot (12 LSOAs)");
    reopened.get_by_label("Open").click_accesskit();
    reopened.run_steps(2);
    assert_eq!(reopened.state().selection().codes, top1, "a named selection reopens");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn copying_the_map_image_reports_rather_than_panics() {
    let mut harness = harness(Settings::default());
    harness.state_mut().copy_map_image();
    harness.run_steps(2);
    let message = harness.state().file_message().expect("a message either way").clone();
    if message.ok {
        assert!(message.text.contains("Copied the map image"), "{}", message.text);
    } else {
        // A machine without a display has no clipboard: said in the window, not a crash.
        assert!(
            message.text.starts_with("Could not copy the map image"),
            "{}",
            message.text
        );
    }
    harness.get_by_label(&message.text);
}

#[test]
fn a_project_naming_a_folder_outside_it_asks_before_reading_it() {
    let dir = std::env::temp_dir().join(format!("lm-window-unsafe-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("elsewhere.lmap");
    std::fs::write(
        &path,
        r#"{"format": "locality-map-project", "version": 1, "data": {"folder": "/etc"}, "la": "Leeds",
            "selection": ["E01011372"], "from_a_later_build": {"ignored": true}}"#,
    )
    .unwrap();
    let app = LocalityMapApp::with_data(Settings::default(), leeds()).with_file_picker(Box::new(StubFiles(path)));
    let mut harness = harness_for(app);
    click_menu_entry(&mut harness, "File", "Open project…");
    assert!(
        !harness.state().is_loading(),
        "nothing is read before the planner answers"
    );
    assert_eq!(harness.state().selection().codes, [code("E01011372")].into());
    harness.get_by_label("Open the project's data folder?");
    harness.get_by_label_contains("by an absolute path");
    harness.get_by_label("Keep the current data").click();
    harness.run_steps(3);
    assert!(!harness.state().is_loading());
    assert!(harness.query_by_label("Open the project's data folder?").is_none());
    assert_eq!(
        harness.state().scene().map(|s| s.areas.len()),
        Some(482),
        "the map stays"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn while_panning_the_last_map_image_moves_with_the_pointer_until_the_next_is_drawn() {
    if !common::renderer_available("while_panning_the_last_map_image_moves_with_the_pointer_until_the_next_is_drawn") {
        return;
    }
    let mut harness = harness(Settings::default());
    let before = harness.render().expect("renders");
    let start = harness.state().screen_position_of(&code("E01011372")).expect("drawn");
    let delta = egui::vec2(41.0, 27.0);
    // Points around the city centre, all well inside the map before and after the move, and above the pointer (its
    // tooltip opens below it).
    let samples: Vec<egui::Pos2> = (-8..8)
        .flat_map(|i| (-12..-1).map(move |j| start + egui::vec2(i as f32 * 17.0, j as f32 * 13.0)))
        .collect();
    let colour_at = |image: &image::RgbaImage, p: egui::Pos2| *image.get_pixel(p.x as u32, p.y as u32);
    let agreeing = |a: &image::RgbaImage, b: &image::RgbaImage, shift: egui::Vec2| {
        samples
            .iter()
            .filter(|p| {
                let (x, y) = (colour_at(a, **p), colour_at(b, **p + shift));
                x.0.iter().zip(y.0).all(|(u, v)| u.abs_diff(v) <= 8)
            })
            .count()
    };

    harness.drag_at(start);
    harness.run_steps(1);
    harness.hover_at(start + delta);
    harness.run_steps(1);
    // The frame the view moved in: the image drawn for the old view stands in, moved by the drag (the exact image
    // is being drawn on the worker).
    let during = harness.render().expect("renders");
    let moved_along = agreeing(&before, &during, delta);
    let left_behind = agreeing(&before, &during, egui::Vec2::ZERO);
    assert!(
        moved_along >= samples.len() * 95 / 100,
        "the map moved with the pointer: {moved_along} of {} samples agree",
        samples.len()
    );
    assert!(
        left_behind < moved_along * 3 / 4,
        "{left_behind} agree unmoved, {moved_along} moved"
    );

    harness.drop_at(start + delta);
    harness.run_steps(2);
    // Settled: the image drawn for the new view is the moved one.
    let after = harness.render().expect("renders");
    let settled = agreeing(&before, &after, delta);
    assert!(
        settled >= samples.len() * 95 / 100,
        "{settled} of {} samples agree",
        samples.len()
    );
    assert_eq!(
        harness.state().screen_position_of(&code("E01011372")),
        Some(start + delta),
        "the view moved by the drag"
    );
}
