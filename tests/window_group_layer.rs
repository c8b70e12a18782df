//! The area groups as a layer of the main map, through egui_kittest on the embedded Leeds default with Leeds' ten
//! Community Committee areas (tests/fixtures/leeds_community_committees.csv): switched on in the View menu, the
//! member LSOAs take their group's rank colour and the legend names the measure, index, edition and population
//! source; the groups are listed in the selection panel and a click selects the group's LSOAs; the report exported
//! from the window carries the layer.
//!
//! Screenshots: `LOCALITY_MAP_SHOTS=/tmp/shots` writes the rendered window with the layer there.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::analysis::Transition;
use locality_map::model::AreaCode;
use locality_map::render::RANK_CLASS_COLOURS;
use locality_map::style::MapChoices;
use locality_map::ui::{LocalityMapApp, Settings};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/leeds_community_committees.csv"
    ))
}

/// The fixture read directly: ward name → committee.
fn committee_of_ward() -> HashMap<String, String> {
    common::rows_of_csv(&std::fs::read(fixture()).unwrap())
        .into_iter()
        .map(|r| (r["ward_name"].clone(), r["group"].clone()))
        .collect()
}

fn harness() -> Harness<'static, LocalityMapApp> {
    let settings = Settings {
        choices: MapChoices {
            from: 2015,
            to: 2019,
            ..MapChoices::default()
        },
        // No 1% markers over the LSOAs sampled.
        show_transitions: false,
        ..Settings::default()
    };
    let mut app = LocalityMapApp::with_data(settings, common::window_leeds());
    app.open_grouping_file(fixture());
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut LocalityMapApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

fn switch_layer_on(harness: &mut Harness<'static, LocalityMapApp>) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness
        .get_by_label("Area groups layer (fill by rank, dissolved outlines)")
        .click();
    harness.run_steps(2);
    // Close the menu.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(4);
}

/// The LSOAs of Inner East, from the fixture's wards and the map's own ward of each LSOA.
fn inner_east(app: &LocalityMapApp) -> BTreeSet<AreaCode> {
    let committees = committee_of_ward();
    app.scene()
        .unwrap()
        .comparison
        .rows
        .iter()
        .filter(|r| committees.get(&r.ward_name).map(String::as_str) == Some("Inner East"))
        .map(|r| r.lsoa_code)
        .collect()
}

fn shot(harness: &mut Harness<'static, LocalityMapApp>, name: &str) {
    let Some(folder) = std::env::var_os("LOCALITY_MAP_SHOTS") else {
        return;
    };
    let image = harness.render().expect("renders");
    let path = std::path::Path::new(&folder).join(format!("{name}.png"));
    let file = std::fs::File::create(&path).expect("shot file");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), image.width(), image.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(image.as_raw())
        .unwrap();
}

#[test]
fn the_group_layer_fills_member_lsoas_by_rank_and_its_legend_names_the_measure() {
    let mut harness = harness();
    // Off by default: no group legend.
    assert!(
        harness
            .query_by_label_contains("Average rank — IMD (IMD 2019)")
            .is_none()
    );
    let renders = common::renderer_available("the_group_layer_fills_member_lsoas_by_rank");
    let before = renders.then(|| harness.render().expect("renders"));
    switch_layer_on(&mut harness);
    // The embedded default has no scores: average score (the default measure) has no figure, and the legend says so.
    harness.get_by_label("Average score — IMD (IMD 2019)");
    harness.get_by_label_contains("no IMD 2019 IMD scores are loaded");
    // Average rank instead, from the legend's own picker.
    harness.get_by_label("Measure").click();
    harness.run_steps(2);
    harness.get_by_label("Average rank").click();
    harness.run_steps(4);
    harness.get_by_label("Average rank — IMD (IMD 2019)");
    // Population source and edition under the legend.
    harness.get_by_label_contains("IMD 2019 IMD, groups of leeds_community_committees.csv; population: IoD2019");
    // The ten committees ranked, Inner East first (three of Leeds' most deprived wards).
    let layer = harness.state().session().group_layer().cloned().expect("a layer");
    assert_eq!(layer.groups.len(), 10);
    let first = &layer.groups[layer.ranked_order()[0]];
    assert_eq!(first.name, "Inner East");
    harness.get_by_label_contains("1.  Inner East  ");
    let Some(before) = before else { return };
    shot(&mut harness, "group_layer_leeds_committees");
    let after = harness.render().expect("renders");
    // Inner East's LSOAs (outside the 1%) now show the most deprived class's colour, bar the few whose interior point
    // lies under a group name, a dissolved outline or a line.
    let app = harness.state();
    let scene = app.scene().unwrap();
    let members = inner_east(app);
    let samples: Vec<egui::Pos2> = scene
        .comparison
        .rows
        .iter()
        .filter(|r| members.contains(&r.lsoa_code) && r.transition == Transition::Outside)
        .filter_map(|r| app.screen_position_of(&r.lsoa_code))
        .collect();
    assert!(samples.len() >= 20, "{} samples", samples.len());
    let at = |image: &image::RgbaImage, p: egui::Pos2| image.get_pixel(p.x as u32, p.y as u32).0;
    let expected = RANK_CLASS_COLOURS[0].0;
    let near = |a: [u8; 4], b: [u8; 4]| a.iter().zip(b).take(3).all(|(x, y)| x.abs_diff(y) <= 12);
    let changed = samples
        .iter()
        .filter(|p| !near(at(&before, **p), at(&after, **p)))
        .count();
    let others: Vec<[u8; 4]> = samples
        .iter()
        .map(|p| at(&after, *p))
        .filter(|c| !near(*c, expected))
        .collect();
    assert!(
        changed >= samples.len() * 8 / 10,
        "{changed} of {} changed",
        samples.len()
    );
    assert!(
        others.len() <= samples.len() * 3 / 10,
        "{} of {} not in the darkest class: {others:?}",
        others.len(),
        samples.len()
    );
}

#[test]
fn a_click_on_a_group_in_the_selection_panel_selects_its_lsoas() {
    let mut harness = harness();
    switch_layer_on(&mut harness);
    let expected = inner_east(harness.state());
    assert!(expected.len() > 40, "{}", expected.len());
    // Fold the legend away, so the selection section is in view.
    harness.get_by_label("Legend").click();
    harness.run_steps(3);
    harness
        .get_by_label(&format!("Inner East ({} LSOAs)", expected.len()))
        .click();
    harness.run_steps(3);
    let selected: BTreeSet<AreaCode> = harness.state().selection().codes.iter().copied().collect();
    assert_eq!(selected, expected);
}
