//! The local indicators window through egui_kittest on the real City of London police months: the Groups tab sums
//! the indicator over a grouping file's LSOAs and a named selection (rates from summed File 6 populations, recomputed
//! here from the raw CSVs), and "Export map PNG…" writes the report page through the in-window path field when no
//! dialog can open, its City of London LSOAs filled in class order of their counts (counted here).

mod common;

use common::police::{change_codes, file6_populations, raw_counts};
use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::analysis::{IndicatorMeasure, Level, Window, WindowStat, aggregate};
use locality_map::export::{CivilDate, IndicatorMap, IndicatorMapSize, render_indicator_map};
use locality_map::io::parse_group_file;
use locality_map::model::{AreaCode, Dataset, Period};
use locality_map::style::SEQUENTIAL_FIVE;
use locality_map::ui::{Files, GroupOrigin, IndicatorTab, IndicatorWindowState, NoDialogs, run_indicator_map_export};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

fn dataset(data: &Path) -> Arc<Dataset> {
    common::police::window_dataset(data)
}

struct State {
    window: IndicatorWindowState,
    dataset: Arc<Dataset>,
}

fn harness(window: IndicatorWindowState, dataset: Arc<Dataset>) -> Harness<'static, State> {
    let mut harness = Harness::builder().with_size([1200.0, 820.0]).build_ui_state(
        |ui, state: &mut State| {
            state.window.body(ui, &state.dataset, 1, None, &BTreeSet::new());
        },
        State { window, dataset },
    );
    harness.run_steps(3);
    harness
}

/// Counts per (LSOA, month) of the raw police CSVs, and the last 12 months they cover.
fn last_year(data: &Path) -> (BTreeMap<(String, String), u64>, BTreeSet<String>) {
    let raw = raw_counts(&data.join("indicators/police_uk_city_of_london"));
    let months: BTreeSet<String> = raw.keys().map(|(_, m)| m.clone()).collect();
    let last: BTreeSet<String> = months.iter().rev().take(12).cloned().collect();
    (raw, last)
}

fn total(raw: &BTreeMap<(String, String), u64>, months: &BTreeSet<String>, lsoa: &str) -> f64 {
    months
        .iter()
        .map(|m| raw.get(&(lsoa.to_string(), m.clone())).copied().unwrap_or(0))
        .sum::<u64>() as f64
}

#[test]
fn the_groups_tab_sums_counts_and_populations_for_a_file_and_a_named_selection() {
    let Some(data) = common::national_data("window_indicator_groups_tab") else {
        return;
    };
    let (raw, months) = last_year(&data);
    let populations = file6_populations(&data);
    let changes = change_codes(&data);
    // Unchanged police LSOAs (File 6's own populations), by code: two groups of three, and a named pair.
    let lsoas: Vec<&String> = raw
        .keys()
        .map(|(l, _)| l)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|c| changes.get(*c).map(String::as_str) == Some("U") && populations.contains_key(*c))
        .take(8)
        .collect();
    let (file_lsoas, named_lsoas) = lsoas.split_at(6);
    let mut text = String::from("lsoa_code,group\n");
    for (i, code) in file_lsoas.iter().enumerate() {
        text.push_str(&format!("{code},{}\n", if i < 3 { "North" } else { "South" }));
    }
    let file = parse_group_file(Path::new("groups.csv"), text.as_bytes()).unwrap();
    let named: BTreeMap<String, BTreeSet<AreaCode>> = [(
        "Pair".to_string(),
        named_lsoas.iter().map(|c| AreaCode::parse(c).unwrap()).collect(),
    )]
    .into();
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Groups;
    window.groups.set_groups(Some((1, &file)), &named);
    let mut harness = harness(window, dataset(&data));
    harness.run_steps(2);
    harness.get_by_label("named selection");
    let rows = harness.state().window.groups.last_rows.clone();
    let expected = [
        (GroupOrigin::File, "North", &file_lsoas[..3]),
        (GroupOrigin::File, "South", &file_lsoas[3..]),
        (GroupOrigin::NamedSelection, "Pair", named_lsoas),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (row, (origin, name, members)) in rows.iter().zip(expected) {
        assert_eq!((row.origin, row.name.as_str()), (origin, name));
        let count: f64 = members.iter().map(|c| total(&raw, &months, c)).sum();
        let population: f64 = members.iter().map(|c| populations[c.as_str()]).sum();
        assert_eq!(row.count, Some(count), "{name}: last 12 months");
        let rate = row.rate_per_1000.expect("a rate");
        assert!((rate - count / population * 1_000.0).abs() < 1e-9, "{name}: {rate}");
        let mean = members
            .iter()
            .map(|c| total(&raw, &months, c) / populations[c.as_str()] * 1_000.0)
            .sum::<f64>()
            / members.len() as f64;
        if members.len() > 1 {
            assert!(
                (rate - mean).abs() > 0.01,
                "{name}: not the mean of its LSOAs' rates ({mean})"
            );
        }
        assert_eq!(row.lsoas_with_figures, (members.len(), members.len()));
    }
    // The selection panel's line beneath the named selection: the same figures.
    let pair = &rows[2];
    let dataset = Arc::clone(&harness.state().dataset);
    let figures = harness.state_mut().window.named_selection_figures(&dataset, 1);
    let figure = &figures["Pair"];
    assert!(figure.starts_with("crime, total "), "{figure}");
    let count = format!(": {} (", pair.count.unwrap());
    let rate = format!("{:.2} per 1,000 residents", pair.rate_per_1000.unwrap());
    assert!(figure.contains(&count) && figure.contains(&rate), "{figure}");
}

/// The pixel at a point of a decoded RGBA/RGB PNG.
fn pixel(pixels: &[u8], width: u32, channels: usize, at: [f32; 2]) -> [u8; 3] {
    let i = (at[1] as usize * width as usize + at[0] as usize) * channels;
    [pixels[i], pixels[i + 1], pixels[i + 2]]
}

#[test]
fn the_indicator_map_exports_through_the_path_field_with_the_city_lsoas_in_class_order() {
    let Some(data) = common::national_data("window_indicator_map_export") else {
        return;
    };
    let dataset = dataset(&data);
    let mut harness = harness(IndicatorWindowState::default(), Arc::clone(&dataset));
    harness.get_by_label("Export map PNG…").click();
    harness.run_steps(2);
    let request = harness
        .state_mut()
        .window
        .map_export_request
        .take()
        .expect("the export was asked for");
    // No dialog can open: the window asks in its path field, and the answer runs the export again.
    let mut files = Files::new(Box::new(NoDialogs), Box::new(NoDialogs));
    assert!(run_indicator_map_export(&mut files, &dataset, &request).is_none());
    assert!(files.prompt().is_some(), "asked in the path field");
    let dir = common::scratch_for_this_process("lm-window-indicator-map");
    let path = dir.join("city-crime.png");
    files.answer_prompt(Some(path.clone()));
    let (ok, message) = run_indicator_map_export(&mut files, &dataset, &request).expect("saved");
    assert!(ok, "{message}");
    // The PNG: A4 landscape at 300 dpi.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (3508, 2480));
    let channels = info.color_type.samples();
    // Where each LSOA lands on the page: the same page drawn again (the window's choice: the last 12 months' total).
    let (raw, months) = last_year(&data);
    let periods: Vec<Period> = months.iter().map(|m| Period::parse(m).unwrap()).collect();
    let window = Window {
        from: periods[0],
        to: *periods.last().unwrap(),
    };
    assert_eq!(request.measure, IndicatorMeasure::Window(window, WindowStat::Sum));
    let indicator = dataset.indicators.find("crime").unwrap();
    let table = aggregate(&dataset, indicator, Level::Lsoa, None).unwrap();
    let map = IndicatorMap {
        dataset: &dataset,
        indicator,
        table: &table,
        measure: request.measure,
        per_1000: false,
    };
    let page = render_indicator_map(&map, "", IndicatorMapSize::A4_300_DPI, CivilDate::today())
        .unwrap()
        .page;
    let layer = dataset.lsoa_layers.values().next().unwrap();
    let changes = change_codes(&data);
    // The City's six LSOAs (all busy), and the two quietest police LSOAs drawn on their own shapes.
    let mut quiet: Vec<(f64, &str)> = raw
        .keys()
        .map(|(l, _)| l.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|c| changes.get(*c).map(String::as_str) == Some("U"))
        .filter(|c| AreaCode::parse(c).is_some_and(|code| layer.get(&code).is_some()))
        .map(|c| (total(&raw, &months, c), c))
        .filter(|(n, _)| *n > 0.0)
        .collect();
    quiet.sort_by(|a, b| a.0.total_cmp(&b.0));
    let city = [
        "E01000001",
        "E01000002",
        "E01000003",
        "E01000005",
        "E01032739",
        "E01032740",
    ];
    let mut classes: Vec<(f64, usize, String)> = Vec::new();
    for code in city.into_iter().chain(quiet.iter().take(2).map(|(_, c)| *c)) {
        assert_eq!(changes[code], "U", "{code} is drawn on its own shape");
        let area = layer.get(&AreaCode::parse(code).unwrap()).unwrap();
        let inside = geo::InteriorPoint::interior_point(&area.geometry_in_world).unwrap();
        let at = page.pixel_from_world.apply(inside.0);
        let colour = pixel(&pixels[..info.buffer_size()], info.width, channels, at);
        let class = SEQUENTIAL_FIVE
            .iter()
            .position(|c| c.0[..3] == colour)
            .unwrap_or_else(|| panic!("{code} at {at:?} is {colour:?}, not a class colour"));
        classes.push((total(&raw, &months, code), class, code.to_string()));
    }
    classes.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in classes.windows(2) {
        assert!(pair[0].1 <= pair[1].1, "more crime, a darker class: {classes:?}");
    }
    let distinct: BTreeSet<usize> = classes.iter().map(|c| c.1).collect();
    assert!(
        distinct.len() >= 2,
        "busy and quiet LSOAs fall in different classes: {classes:?}"
    );
    if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
}
