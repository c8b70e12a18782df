//! The area groups as a layer of the main map, through egui_kittest on the embedded Leeds default with Leeds' ten
//! Community Committee areas (tests/fixtures/leeds_community_committees.csv): switched on in the View menu, the
//! member LSOAs take their group's rank colour and the legend names the measure, index, edition and population
//! source; the groups are listed in the selection panel and a click selects the group's LSOAs; the report exported
//! from the window carries the layer.
//!
//! Screenshots: `LOCALITY_MAP_SHOTS=/tmp/shots` writes the rendered window with the layer there.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
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
    assert!(harness.query_by_label_contains("Average rank — IMD 2019").is_none());
    // The rank-change key while the map shows rank change …
    assert!(harness.query_by_label_contains("Change in IMD rank").is_some());
    let renders = common::renderer_available("the_group_layer_fills_member_lsoas_by_rank");
    let before = renders.then(|| harness.render().expect("renders"));
    switch_layer_on(&mut harness);
    // The embedded default has no scores: average score (the default measure) has no figure, and the legend says so.
    harness.get_by_label("Average score — IMD 2019");
    harness.get_by_label_contains("no IMD 2019 IMD scores are loaded");
    // … and not once the committees (every Leeds LSOA) fill the map: it would describe colours not shown.
    assert!(harness.query_by_label_contains("Change in IMD rank").is_none());
    harness.get_by_label("Most deprived 1% nationally");
    // Average rank instead, from the legend's own picker.
    harness.get_by_label("Measure").click();
    harness.run_steps(2);
    harness.get_by_label("Average rank").click();
    harness.run_steps(4);
    harness.get_by_label("Average rank — IMD 2019");
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
    // Every committee's LSOAs show their committee's rank class, derived here from the raw files. Each LSOA is
    // sampled at the point of its polygon farthest from its edges (where no outline or 1% line is drawn), LSOAs in
    // the 1% in either edition and those under a group's name are left out.
    let app = harness.state();
    let expected_class = common::committee_class_by_lsoa(&fixture());
    let in_the_1pc = lsoas_in_the_1pc();
    let transform = app.screen_from_world().expect("the map was drawn");
    let map = app.map_rect().expect("the map was drawn");
    let labels: Vec<[f32; 4]> = layer
        .groups
        .iter()
        .zip(&layer.geometry.label_in_world)
        .filter_map(|(group, point)| {
            let [x, y] = transform.apply((*point)?);
            // 13-point names centred on the point, on a 1-point halo: a generous box around them.
            let half_width = group.name.chars().count() as f32 * 4.5 + 6.0;
            Some([x - half_width, y - 12.0, x + half_width, y + 12.0])
        })
        .collect();
    let scene = app.scene().unwrap();
    let mut samples: Vec<(egui::Pos2, usize)> = Vec::new();
    for area in &scene.layer().areas {
        let code = area.code.to_string();
        let Some(class) = expected_class.get(&code) else {
            continue;
        };
        if in_the_1pc.contains(&code) {
            continue;
        }
        let rings: Vec<Vec<[f32; 2]>> = area
            .geometry_in_world
            .0
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| ring.0.iter().map(|c| transform.apply(*c)).collect())
            .collect();
        let Some((point, clearance)) = common::farthest_from_edges(&rings) else {
            continue;
        };
        let under_label = labels
            .iter()
            .any(|[x0, y0, x1, y1]| (*x0..=*x1).contains(&point[0]) && (*y0..=*y1).contains(&point[1]));
        // Well inside the map (not under its frame, scale bar or north arrow) and clear of outlines.
        let inside_map = point[0] > map.min[0] + 40.0
            && point[0] < map.max[0] - 60.0
            && point[1] > map.min[1] + 60.0
            && point[1] < map.max[1] - 50.0;
        if clearance >= 3.0 && !under_label && inside_map {
            samples.push((egui::Pos2::new(point[0], point[1]), *class));
        }
    }
    assert!(samples.len() >= 150, "{} samples", samples.len());
    let classes_seen: BTreeSet<usize> = samples.iter().map(|(_, class)| *class).collect();
    assert_eq!(classes_seen.len(), 5, "every class sampled: {classes_seen:?}");
    let at = |image: &image::RgbaImage, p: egui::Pos2| image.get_pixel(p.x as u32, p.y as u32).0;
    let near = |a: [u8; 4], b: [u8; 4]| a.iter().zip(b).take(3).all(|(x, y)| x.abs_diff(y) <= 12);
    let changed = samples
        .iter()
        .filter(|(p, _)| !near(at(&before, *p), at(&after, *p)))
        .count();
    let wrong: Vec<(egui::Pos2, usize, [u8; 4])> = samples
        .iter()
        .map(|(p, class)| (*p, *class, at(&after, *p)))
        .filter(|(_, class, colour)| !near(*colour, RANK_CLASS_COLOURS[*class].0))
        .collect();
    assert!(
        changed >= samples.len() * 8 / 10,
        "{changed} of {} changed",
        samples.len()
    );
    assert!(
        wrong.len() <= samples.len() * 3 / 10,
        "{} of {} not in their committee's class: {wrong:?}",
        wrong.len(),
        samples.len()
    );
}

/// Leeds LSOAs in the national 1% in 2015 or 2019 (their outlines are drawn over the fill).
fn lsoas_in_the_1pc() -> BTreeSet<String> {
    let (ranks_2015, ranks_2019) = common::embedded_ranks_2015_2019("E08000035");
    ranks_2015
        .iter()
        .chain(&ranks_2019)
        .filter(|(_, rank)| **rank <= common::ONE_PERCENT_2011)
        .map(|(code, _)| code.clone())
        .collect()
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
