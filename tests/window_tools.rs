//! The window's planner tools through egui's test harness (issue 16): the ward profile outlined and zoomed to on the
//! map, ward names and 1% markers placed by the shared rule, the attribute table (sort, filter, selection reaching the
//! map, CSV), and the in-window path field that stands in for file dialogs a desktop cannot open.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::model::AreaCode;
use locality_map::render::{LabelStyle, overlapping_pairs, place_ward_labels, transition_marker_positions};
use locality_map::ui::{AppCommand, AppWindow, LoadedData, LocalityMapApp, NoDialogs, Settings};
use std::sync::Arc;

const SIZE: [f32; 2] = [1400.0, 900.0];

fn leeds() -> Arc<LoadedData> {
    common::window_leeds()
}

fn harness_for(app: LocalityMapApp) -> Harness<'static, LocalityMapApp> {
    common::window::harness_sized(app, SIZE, false)
}

fn harness() -> Harness<'static, LocalityMapApp> {
    harness_for(LocalityMapApp::with_data(Settings::default(), leeds()))
}

fn run(harness: &mut Harness<'static, LocalityMapApp>, command: AppCommand) {
    let ctx = harness.ctx.clone();
    harness.state_mut().run(command, &ctx);
    harness.run_steps(4);
}

/// The window where no file dialog can open (the path field asks instead), its last folder `folder`.
fn without_dialogs(folder: &std::path::Path) -> Harness<'static, LocalityMapApp> {
    let settings = Settings {
        last_folder: Some(folder.to_path_buf()),
        ..Settings::default()
    };
    harness_for(LocalityMapApp::with_data(settings, leeds()).with_file_picker(Box::new(NoDialogs)))
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lm-window-tools-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Dark pixels (the ward outline's ink, text) inside the ward's box on screen, as the map is drawn now.
fn dark_pixels_in_ward(harness: &mut Harness<'static, LocalityMapApp>, ward: &AreaCode) -> usize {
    let image = harness.render().expect("renders");
    let app = harness.state();
    let scene = app.scene().expect("a scene");
    let transform = app.screen_from_world().expect("drawn");
    let map = app.map_rect().expect("drawn");
    let bbox = scene
        .wards
        .iter()
        .find(|w| &w.code == ward)
        .expect("the ward")
        .bbox_in_world;
    let [x0, y1] = transform.apply(bbox.min());
    let [x1, y0] = transform.apply(bbox.max());
    let (x0, x1) = (x0.max(map.min[0]) as u32, x1.min(map.max[0] - 1.0) as u32);
    let (y0, y1) = (y0.max(map.min[1]) as u32, y1.min(map.max[1] - 1.0) as u32);
    let mut dark = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = image.get_pixel(x, y).0;
            if u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) < 3 * 50 {
                dark += 1;
            }
        }
    }
    dark
}

#[test]
fn opening_a_ward_profile_outlines_the_ward_zooms_to_it_and_escape_goes_back() {
    let mut harness = harness();
    let fitted = harness.state().view();
    // Killingbeck & Seacroft: a priority ward (3 LSOAs in the 2019 1%).
    let ward = code("E05011400");
    run(&mut harness, AppCommand::OpenWard(ward));
    assert_eq!(harness.state().profile().map(|p| p.code), Some(ward));
    let zoomed = harness.state().view();
    assert!(
        zoomed.metres_per_point < fitted.metres_per_point * 0.6,
        "zoomed to the ward: {} → {} m per point",
        fitted.metres_per_point,
        zoomed.metres_per_point
    );
    let scene = harness.state().scene().unwrap();
    let bbox = scene.wards.iter().find(|w| w.code == ward).unwrap().bbox_in_world;
    let centre = bbox.center();
    let on_screen = harness.state().screen_from_world().unwrap().apply(centre);
    let map = harness.state().map_rect().unwrap();
    let map_centre = map.center();
    assert!(
        (on_screen[0] - map_centre[0]).abs() < 5.0 && (on_screen[1] - map_centre[1]).abs() < 5.0,
        "the ward is in the middle of the map: {on_screen:?} vs {map_centre:?}"
    );
    if common::renderer_available("opening_a_ward_profile_outlines_the_ward_zooms_to_it_and_escape_goes_back") {
        let with_profile = dark_pixels_in_ward(&mut harness, &ward);
        // The same view without the profile: no outline (the map is wider without the profile panel, so the ward's
        // pixels are found again through the new transform).
        run(&mut harness, AppCommand::CloseProfile);
        assert_eq!(harness.state().view(), zoomed, "closing the profile keeps the view");
        let without = dark_pixels_in_ward(&mut harness, &ward);
        assert!(
            with_profile > without + 500,
            "the outline adds dark pixels inside the ward's box: {with_profile} with the profile, {without} without"
        );
        run(&mut harness, AppCommand::OpenWard(ward));
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(4);
    let back = harness.state().view();
    assert!(
        back.metres_per_point > zoomed.metres_per_point * 1.5,
        "Escape went back to the LA: {} m per point",
        back.metres_per_point
    );
    // "Back to the LA" does the same from the profile panel.
    run(&mut harness, AppCommand::OpenWard(ward));
    harness.get_by_label("Back to the LA").click();
    harness.run_steps(4);
    assert!(harness.state().view().metres_per_point > zoomed.metres_per_point * 1.5);
}

#[test]
fn priority_wards_are_named_at_la_zoom_clear_of_the_1pc_markers_which_do_not_overlap() {
    let harness = harness();
    let app = harness.state();
    let scene = app.scene().expect("a scene");
    let transform = app.screen_from_world().expect("drawn");
    let map = app.map_rect().expect("drawn");
    let radius = 5.0;
    let markers = transition_marker_positions(
        &scene.areas,
        &scene.comparison,
        scene.layer(),
        &transform,
        map,
        radius,
        false,
    );
    let raw: Vec<[f32; 2]> = markers
        .iter()
        .map(|m| transform.apply(scene.areas[m.area].interior_in_world))
        .collect();
    let placed: Vec<[f32; 2]> = markers.iter().map(|m| m.centre).collect();
    let (before, after) = (overlapping_pairs(&raw, radius), overlapping_pairs(&placed, radius));
    eprintln!(
        "1% markers at LA zoom: {} markers, {before} overlapping pairs before, {after} after",
        raw.len()
    );
    assert!(before > 0, "central Leeds has overlapping markers at LA zoom");
    assert!(after < before, "{after} pairs still overlap of {before}");

    // Text about 6.5 points a character, 13 high: roughly the window's 11.5-point font.
    let size_of = |name: &str| [6.5 * name.chars().count() as f32, 13.0];
    let style = LabelStyle {
        size_of: &size_of,
        pad: 1.5,
        line_height: 14.0,
    };
    let labels = place_ward_labels(
        &scene.wards,
        &scene.comparison,
        None,
        &transform,
        map,
        &style,
        &placed,
        radius,
    );
    let named: Vec<&str> = labels.iter().map(|l| scene.wards[l.ward].name.as_str()).collect();
    let priority: Vec<&str> = scene
        .summary
        .priority_wards
        .iter()
        .flatten()
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(priority.len(), 6);
    for ward in &priority {
        assert!(named.contains(ward), "{ward} is named at LA zoom; named: {named:?}");
    }
    for label in &labels {
        let [w, h] = size_of(&scene.wards[label.ward].name);
        for m in &placed {
            let dx = (m[0] - label.centre[0]).abs() - w / 2.0;
            let dy = (m[1] - label.centre[1]).abs() - h / 2.0;
            assert!(
                dx >= radius - 0.01 || dy >= radius - 0.01,
                "{} covers a marker",
                scene.wards[label.ward].name
            );
        }
    }
}

#[test]
fn the_attribute_table_sorts_filters_and_its_selection_reaches_the_map() {
    let mut harness = harness();
    run(&mut harness, AppCommand::Show(AppWindow::AttributeTable));
    harness.get_by_label_contains("482 of 482 LSOAs");
    let rows = harness.state().scene().unwrap().comparison.rows.clone();
    // Sorted by rank 2019: the most deprived first (ties by code).
    harness.get_by_label("Rank 2019").click();
    harness.run_steps(3);
    let most_deprived = rows
        .iter()
        .filter(|r| r.rank_to.is_some())
        .min_by_key(|r| (r.rank_to, r.lsoa_code))
        .unwrap()
        .lsoa_code;
    harness.get_by_label("Rank 2019 (asc)");
    // A click on its row selects it on the map, and brings it into view with its neighbours.
    let whole_la = harness.state().view();
    harness.get_by_label(most_deprived.as_str()).click();
    harness.run_steps(3);
    assert_eq!(harness.state().selection().codes, [most_deprived].into());
    assert_eq!(harness.state().selected(), Some(&most_deprived));
    let shown = harness.state().view();
    assert!(
        shown.metres_per_point < whole_la.metres_per_point / 2.0,
        "zoomed to the LSOA: {shown:?} from {whole_la:?}"
    );
    let on_screen = harness.state().screen_position_of(&most_deprived).expect("on the map");
    assert!(
        (0.0..1400.0).contains(&on_screen.x) && (0.0..900.0).contains(&on_screen.y),
        "{on_screen:?}"
    );
    // Reversed: the least deprived first, and the most deprived row is no longer on screen.
    harness.get_by_label("Rank 2019 (asc)").click();
    harness.run_steps(3);
    let least_deprived = rows
        .iter()
        .filter(|r| r.rank_to.is_some())
        .max_by_key(|r| (r.rank_to, std::cmp::Reverse(r.lsoa_code)))
        .unwrap()
        .lsoa_code;
    harness.get_by_label(least_deprived.as_str());
    // Filtered to a ward, "Select these" makes its LSOAs the selection.
    let filter = harness.get_by_label("Filter");
    filter.click();
    filter.type_text("Hunslet & Riverside");
    harness.run_steps(3);
    let in_ward: std::collections::BTreeSet<AreaCode> = rows
        .iter()
        .filter(|r| r.ward_name == "Hunslet & Riverside")
        .map(|r| r.lsoa_code)
        .collect();
    harness.get_by_label_contains(&format!("{} of 482 LSOAs", in_ward.len()));
    harness.get_by_label("Select these").click();
    harness.run_steps(3);
    assert_eq!(harness.state().selection().codes, in_ward);
    // Undo (the map's selection history) brings back the single row.
    run(&mut harness, AppCommand::Undo);
    assert_eq!(harness.state().selection().codes, [most_deprived].into());
}

#[test]
fn without_file_dialogs_the_path_field_saves_the_project_and_exports_the_table() {
    let dir = scratch("fallback");
    let mut harness = without_dialogs(&dir);
    run(&mut harness, AppCommand::SaveProjectAs);
    let prompt = harness
        .state()
        .path_prompt()
        .cloned()
        .expect("the path field asks instead");
    assert_eq!(prompt.title, "Save project");
    harness.get_by_label("Save to this path").click();
    harness.run_steps(4);
    let saved = dir.join("Leeds.lmap");
    assert!(
        saved.is_file(),
        "saved through the path field: {:?}",
        harness.state().file_message()
    );
    assert!(harness.state().path_prompt().is_none());
    assert_eq!(harness.state().project_path(), Some(saved.as_path()));
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains("\"la\""), "{text}");

    // The attribute table's CSV through the same field.
    run(&mut harness, AppCommand::Show(AppWindow::AttributeTable));
    harness.get_by_label("Export CSV…").click();
    harness.run_steps(3);
    harness.get_by_label("Save to this path").click();
    harness.run_steps(4);
    let csv = std::fs::read(dir.join("Leeds-lsoas.csv")).expect("the table was exported");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "with a byte-order mark for Excel");
    let rows = common::rows_of_csv(&csv);
    assert_eq!(rows.len(), 482);
    assert!(rows[0].contains_key("rank_2015") && rows[0].contains_key("rank_2019"));
    assert!(rows[0].contains_key("income_rank_2019"), "{:?}", rows[0].keys());

    // Cancelling asks nothing more and writes nothing.
    run(&mut harness, AppCommand::ExportMapImage);
    assert!(harness.state().path_prompt().is_some());
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.state().path_prompt().is_none());
    assert!(!dir.join("Leeds-map.png").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn without_file_dialogs_the_area_groups_window_opens_a_grouping_file_and_exports_its_map() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let file = fixtures.join("leeds_community_committees.csv");
    // What the file says, read here: its rows and its distinct groups.
    let rows = common::rows_of_csv(&std::fs::read(&file).unwrap());
    let groups: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["group"].as_str()).collect();
    assert!(groups.len() > 3, "{groups:?}");
    let mut harness = without_dialogs(&fixtures);
    run(&mut harness, AppCommand::Show(AppWindow::AreaGroups));
    harness.get_by_label("Open grouping file…").click();
    harness.run_steps(4);
    let prompt = harness
        .state()
        .path_prompt()
        .cloned()
        .expect("the path field asks instead of the dialog");
    assert!(prompt.title.starts_with("Open a grouping file"), "{}", prompt.title);
    // The field starts in the last folder and lists its CSVs: pick the grouping file from the list.
    harness.get_by_label("leeds_community_committees.csv").click();
    harness.run_steps(2);
    harness.get_by_label("Open this file").click();
    harness.run_steps(6);
    assert!(harness.state().path_prompt().is_none());
    harness.get_by_label_contains(&format!(
        "{} rows in {} groups from {}",
        rows.len(),
        groups.len(),
        file.display()
    ));
    // Every group of the file is ranked in the window's table (the selection panel lists the groups too).
    for group in &groups {
        let shown = harness.query_all_by_label_contains(&format!("{group} (")).count();
        assert!(shown >= 1, "{group} not shown");
    }

    // The group map's PNG through the same field.
    let dir = scratch("groups");
    harness.get_by_label("Export group map as PNG…").click();
    harness.run_steps(4);
    let prompt = harness.state().path_prompt().cloned().expect("asked where");
    assert_eq!(prompt.title, "Export group map");
    harness.state_mut().settings.last_folder = Some(dir.clone());
    run(&mut harness, AppCommand::AnswerPath(Some(dir.join("committees"))));
    let png = std::fs::read(dir.join("committees.png")).expect("the group map was saved");
    assert!(png.starts_with(b"\x89PNG"));
    harness.get_by_label_contains("Saved the group map to");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_export_dialog_writes_the_open_ward_with_its_title_size_and_dpi_through_the_path_field() {
    let dir = scratch("export-dialog");
    let mut harness = without_dialogs(&dir);
    run(&mut harness, AppCommand::OpenWard(code("E05011394")));
    assert_eq!(
        harness.state().profile().map(|p| p.name.as_str()),
        Some("Gipton & Harehills")
    );
    run(&mut harness, AppCommand::Show(AppWindow::ExportDialog));
    let title = harness.get_by_label("Title");
    title.click();
    harness.run_steps(1);
    harness.get_by_label("Title").type_text("Inner East briefing");
    harness.run_steps(1);
    harness.get_by_label("The open ward: Gipton & Harehills").click();
    harness.get_by_label("150").click();
    harness.run_steps(3);
    harness.get_by_label_contains("1754 × 1240 pixels at 150 dpi");
    harness.get_by_label("Export…").click();
    harness.run_steps(4);
    assert_eq!(
        harness.state().path_prompt().map(|p| p.default_name.clone()),
        Some("Leeds-report.png".to_string())
    );
    harness.get_by_label("Save to this path").click();
    harness.run_steps(4);
    let png = dir.join("Leeds-report.png");
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png).expect("the report PNG was written"),
    ));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (1754, 1240), "A4 landscape at 150 dpi");
    let dpm = info.pixel_dims.expect("the DPI is recorded");
    assert_eq!(dpm.xppu, (150.0_f64 / 0.0254).round() as u32);

    // The same choices as SVG: the title typed is the page's title, and the ward map's inset locator is there.
    run(&mut harness, AppCommand::Show(AppWindow::ExportDialog));
    harness.get_by_label("SVG").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    harness.run_steps(4);
    harness.get_by_label("Save to this path").click();
    harness.run_steps(4);
    let svg = std::fs::read_to_string(dir.join("Leeds-report.svg")).expect("the SVG was written");
    assert!(svg.contains(">Inner East briefing</text>"), "the title typed");
    assert!(svg.contains("Gipton &amp; Harehills"), "the ward named on its map");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn at_1400_by_900_the_priority_wards_and_selection_show_without_scrolling_and_the_panels_fold() {
    let mut harness = harness();
    // Every priority ward's entry and the selection panel are on screen, not below the fold.
    for text in [
        "Priority wards (6)",
        "Killingbeck & Seacroft — 3 in the 1%",
        "Selection (0 LSOAs)",
    ] {
        let rect = harness.get_by_label(text).rect();
        assert!(
            rect.max.y < SIZE[1] - 30.0,
            "{text} is at {rect:?}, off a 900-point window"
        );
    }
    // The caveat is at the body size (3 lines of it in the left panel), not small italic.
    let body = harness.ctx.style_of(egui::Theme::Light).text_styles[&egui::TextStyle::Body].size;
    let caveat = harness.get_by_label_contains("IMD ranks are relative").rect();
    assert!(caveat.height() >= 2.5 * body, "caveat {caveat:?} at body size {body}");
    // Folding the legend takes its classes away and moves the selection up.
    let before = harness.get_by_label("Selection (0 LSOAs)").rect().min.y;
    harness.get_by_label("Legend").click();
    harness.run_steps(4);
    assert!(
        harness.query_by_label_contains("Most deprived 1% nationally").is_none(),
        "folded"
    );
    let after = harness.get_by_label("Selection (0 LSOAs)").rect().min.y;
    assert!(
        after < before - 150.0,
        "the selection moved up from {before} to {after}"
    );
}
