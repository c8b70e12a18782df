//! The local indicators window through egui_kittest on real City of London police.uk months: the indicator layer
//! renders on the LSOAs (hover names one), a ward's trend chart holds that ward's monthly counts (counted here from
//! the raw CSVs and the ONS lookup), and the emerging-issues list opens an area.

mod common;

use egui_kittest::{Harness, SnapshotOptions, kittest::Queryable as _};
use locality_map::analysis::{EmergingOptions, Level, aggregate, scan_emerging};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{AreaCode, Dataset};
use locality_map::ui::{
    EmergingSort, Files, IndicatorAction, IndicatorTab, IndicatorWindowState, NoPicker, run_trend_export, sorted_rows,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

fn shared() -> Option<PathBuf> {
    common::national_data("window_indicators")
}

fn dataset() -> Option<Arc<Dataset>> {
    Some(common::police::window_dataset(&shared()?))
}

struct State {
    window: IndicatorWindowState,
    dataset: Arc<Dataset>,
    actions: Vec<IndicatorAction>,
    selection: BTreeSet<AreaCode>,
}

fn harness(window: IndicatorWindowState) -> Option<Harness<'static, State>> {
    harness_with(window, dataset()?, BTreeSet::new())
}

fn harness_with(
    window: IndicatorWindowState,
    dataset: Arc<Dataset>,
    selection: BTreeSet<AreaCode>,
) -> Option<Harness<'static, State>> {
    let state = State {
        window,
        dataset,
        actions: Vec::new(),
        selection,
    };
    let mut harness = Harness::builder().with_size([1200.0, 820.0]).build_ui_state(
        |ui, state: &mut State| {
            if let Some(action) = state.window.body(ui, &state.dataset, 1, None, &state.selection) {
                state.actions.push(action);
            }
        },
        state,
    );
    harness
        .ctx
        .global_style_mut(|style| style.interaction.tooltip_delay = 0.0);
    harness.run_steps(3);
    Some(harness)
}

/// Aldersgate's ward code (City of London, 2024 wards), from the ONS lookup.
fn aldersgate(data: &std::path::Path) -> String {
    let mut lookup = csv::Reader::from_path(data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv")).unwrap();
    lookup
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[2] == "Aldersgate")
        .map(|r| r[3].to_string())
        .unwrap()
}

/// The window on the Trends tab with Aldersgate's chart drawn: the data folder, the ward code and the harness.
fn aldersgate_trend() -> Option<(PathBuf, String, Harness<'static, State>)> {
    let data = shared()?;
    let ward = aldersgate(&data);
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Trends;
    window.focus = Some(code(&ward));
    let mut harness = harness(window)?;
    harness.run_steps(2);
    Some((data, ward, harness))
}

/// Hovers the map over an LSOA's interior point and returns the window's hover text.
fn hover_lsoa(
    harness: &mut Harness<'static, State>,
    map: &locality_map::ui::IndicatorMapResponse,
    lsoa: &str,
) -> String {
    let layer = harness.state().dataset.lsoa_layers.values().next().unwrap();
    let area = layer.get(&code(lsoa)).unwrap().clone();
    let inside = geo::InteriorPoint::interior_point(&area.geometry_in_world).unwrap();
    let at = map.screen_from_world.unwrap().apply(inside.0);
    harness.hover_at(egui::pos2(at[0], at[1]));
    harness.run_steps(3);
    harness.state().window.hover_text.clone().expect("hover text")
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

#[test]
fn the_indicator_layer_renders_on_the_city_of_london_lsoas() {
    let Some(mut harness) = harness(IndicatorWindowState::default()) else {
        return;
    };
    let map = harness.state().window.last_map.clone().expect("the map was drawn");
    assert!(map.triangles > 500, "{} triangles", map.triangles);
    harness.get_by_label_contains("All crime and anti-social behaviour");
    harness.get_by_label_contains("2021 LSOAs (splits, merges) drawn on their 2011 parents");
    // Hover E01000001 (City of London 001A): the tooltip names it.
    let text = hover_lsoa(&mut harness, &map, "E01000001");
    assert!(text.contains("E01000001"), "{text}");
    if let Ok(image) = harness.render() {
        image
            .save(std::env::temp_dir().join("locality-map-indicator-window.png"))
            .ok();
    }
}

/// The 2021 LSOAs of a 2024 ward, from the ONS lookup.
fn ward_lsoas(data: &std::path::Path, ward: &str) -> BTreeSet<String> {
    let mut lookup = csv::Reader::from_path(data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv")).unwrap();
    lookup
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] == ward)
        .map(|r| r[1].to_string())
        .collect()
}

/// Monthly all-crime counts of one ward's LSOAs, from the raw CSVs (the later download of a month — fewer "Under
/// investigation" — and earlier rows only for Crime IDs it lacks) and the ONS LSOA 2021 → ward 2024 lookup.
fn independent_ward_counts(data: &std::path::Path, ward: &str) -> BTreeMap<String, f64> {
    let members = ward_lsoas(data, ward);
    let mut by_month: BTreeMap<String, Vec<Vec<csv::StringRecord>>> = BTreeMap::new();
    for entry in std::fs::read_dir(data.join("indicators/police_uk_city_of_london")).unwrap() {
        let rows: Vec<csv::StringRecord> = csv::Reader::from_path(entry.unwrap().path())
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .collect();
        by_month.entry(rows[0][1].to_string()).or_default().push(rows);
    }
    let mut counts = BTreeMap::new();
    for (month, mut downloads) in by_month {
        downloads.sort_by_key(|rows| rows.iter().filter(|r| &r[10] == "Under investigation").count());
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut n = 0.0;
        for (i, rows) in downloads.iter().enumerate() {
            for r in rows {
                let counted = if r[0].is_empty() { i == 0 } else { !seen.contains(&r[0]) };
                if counted && members.contains(&r[7]) {
                    n += 1.0;
                }
            }
            seen.extend(rows.iter().map(|r| r[0].to_string()));
        }
        counts.insert(month, n);
    }
    counts
}

#[test]
fn a_ward_trend_chart_shows_its_monthly_counts() {
    let Some((data, ward, harness)) = aldersgate_trend() else {
        return;
    };
    harness.get_by_label_contains("Aldersgate against City of London");
    let lines = harness.state().window.last_trend.clone().expect("a chart");
    let expected = independent_ward_counts(&data, &ward);
    let got: Vec<f64> = lines.counts.iter().map(|p| p[1]).collect();
    let want: Vec<f64> = expected.values().copied().collect();
    assert_eq!(got, want);
    assert_eq!(lines.counts.len(), 24);
    // Rates: each point is the count per 1,000 of one population (the ward's summed residents).
    let ratios: Vec<f64> = lines
        .area
        .iter()
        .zip(&lines.counts)
        .filter(|(_, c)| c[1] > 0.0)
        .map(|(r, c)| c[1] / r[1])
        .collect();
    assert!(lines.per_1000);
    assert!(ratios.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-6), "{ratios:?}");
    assert!(!lines.la.is_empty(), "the LA line is drawn");
    assert_eq!(
        lines.last_year.len(),
        12,
        "the same month a year earlier, for the second year"
    );
}

#[test]
fn the_emerging_issues_list_opens_an_area() {
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Emerging;
    window.emerging_all = true;
    let Some(mut harness) = harness(window) else { return };
    assert_eq!(
        harness
            .query_all_by_label_contains("One-sided Poisson exceedance test")
            .count(),
        2,
        "the method above the LSOA and the ward lists"
    );
    // The first LSOA row of the list (sorted by p-value).
    let dataset = harness.state().dataset.clone();
    let crime = dataset.indicators.find("crime").unwrap();
    let table = aggregate(&dataset, crime, Level::Lsoa, None).unwrap();
    let scan = scan_emerging(&table, &EmergingOptions::default());
    let row = sorted_rows(&scan, EmergingSort::PValue, true)
        .first()
        .copied()
        .cloned()
        .expect("a tested LSOA");
    let first = format!("{} ({})", row.name, row.code);
    let code_text = row.code.to_string();
    harness.get_by_label(&first).click();
    harness.run_steps(3);
    let state = harness.state();
    assert_eq!(state.actions, vec![IndicatorAction::OpenArea(code(&code_text))]);
    assert_eq!(state.window.tab, IndicatorTab::Trends);
    assert_eq!(state.window.focus, Some(code(&code_text)));
}

/// A save dialog that always answers with one path.
struct StubFiles(PathBuf);

impl locality_map::ui::FilePicker for StubFiles {
    fn save_file(&mut self, _title: &str, _default_name: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.0.clone())
    }

    fn open_file(&mut self, _title: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.0.clone())
    }
}

/// The counts column of an exported trend CSV (after its byte-order mark), by period.
fn exported_counts(path: &std::path::Path) -> BTreeMap<String, f64> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the CSV starts with a BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(&reader.headers().unwrap()[3], "count");
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[2].to_string(), r[3].parse().unwrap()))
        .collect()
}

#[test]
fn a_ward_trend_exports_as_png_and_csv() {
    let Some((data, ward, mut harness)) = aldersgate_trend() else {
        return;
    };
    if common::renderer_available("a_ward_trend_exports_as_png_and_csv") {
        harness.snapshot_options(
            "indicator_trend_aldersgate",
            &SnapshotOptions::new().threshold(2.0).max_failed_pixels(600),
        );
    }
    let dir = std::env::temp_dir().join(format!("lm-trend-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (button, file) in [
        ("Export trend CSV…", "aldersgate.csv"),
        ("Export trend PNG…", "aldersgate.png"),
    ] {
        harness.get_by_label(button).click();
        harness.run_steps(2);
        let path = dir.join(file);
        let (format, trend) = harness
            .state_mut()
            .window
            .trend_export_request
            .take()
            .expect("the export was asked for");
        let mut files = Files::new(Box::new(NoPicker), Box::new(StubFiles(path.clone())));
        let (ok, message) = run_trend_export(&mut files, format, &trend).expect("a file was chosen");
        assert!(ok, "{message}");
        assert!(message.contains("Aldersgate"), "{message}");
        harness.run_steps(2);
        assert!(harness.state().window.trend_export_request.is_none(), "asked once");
    }
    let expected = independent_ward_counts(&data, &ward);
    assert_eq!(exported_counts(&dir.join("aldersgate.csv")), expected);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(dir.join("aldersgate.png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (2339, 1654));
    let channels = info.color_type.samples();
    let area_line = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3] == [33, 102, 172])
        .count();
    assert!(area_line > 1_000, "the ward's line is drawn ({area_line} pixels)");
    if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The ward profile's local indicator block, as the profile draws it for Aldersgate (a hand-made profile of the
/// ward: the block uses its code, name and LA).
#[test]
fn the_ward_profile_shows_the_wards_trend_and_its_emerging_test() {
    let Some(data) = shared() else { return };
    let Some(dataset) = dataset() else { return };
    let ward = aldersgate(&data);
    let counts = |edition| locality_map::analysis::WardCounts {
        edition,
        in_top1: 0,
        in_decile1: 0,
        population_in_decile1: None,
        population_in_top1: None,
    };
    let profile = locality_map::analysis::WardProfile {
        code: code(&ward),
        name: "Aldersgate".into(),
        la_code: code("E09000001"),
        la_name: "City of London".into(),
        priority_ward: false,
        counts: [counts(2015), counts(2019)],
        population: None,
        population_source: None,
        population_missing: None,
        lsoas_without_population: 0,
        domain_lsoas_in_decile1: BTreeMap::new(),
        lsoas: Vec::new(),
        editions: Vec::new(),
    };
    struct Profile {
        block: locality_map::ui::ProfileIndicator,
        dataset: Arc<Dataset>,
        profile: locality_map::analysis::WardProfile,
    }
    let state = Profile {
        block: locality_map::ui::ProfileIndicator::default(),
        dataset,
        profile,
    };
    let mut harness = Harness::builder().with_size([430.0, 420.0]).build_ui_state(
        |ui, s: &mut Profile| s.block.block(ui, &s.dataset, 1, &s.profile, None),
        state,
    );
    harness.run_steps(3);
    harness.get_by_label("Local indicator: crime");
    let lines = harness.state().block.last_trend.clone().expect("the ward's chart");
    let want: Vec<f64> = independent_ward_counts(&data, &ward).values().copied().collect();
    assert_eq!(lines.counts.iter().map(|p| p[1]).collect::<Vec<_>>(), want);
    let tested = harness.state().block.last_emerging.clone().expect("the ward is tested");
    let flag = if tested.flagged {
        "Emerging issue"
    } else {
        "Not flagged"
    };
    harness.get_by_label_contains(&format!("{flag}: {} in the last 3 months", tested.recent));
    harness.get_by_label_contains("Poisson");
    // The ward's LSOA table: a sparkline per LSOA of the ward (ONS lookup), whose series add up to the ward's months.
    let sparklines = harness.state().block.last_sparklines.clone();
    let members = ward_lsoas(&data, &ward);
    assert_eq!(sparklines.len(), members.len(), "{sparklines:?} {members:?}");
    for (lsoa, _) in &sparklines {
        assert!(members.contains(lsoa.as_str()), "{lsoa} is not in {ward}");
        harness.get_by_label_contains(lsoa.as_str());
    }
    let summed: Vec<f64> = (0..want.len())
        .map(|m| sparklines.iter().map(|(_, values)| values[m]).sum())
        .collect();
    assert_eq!(summed, want);
    if common::renderer_available("the_ward_profile_shows_the_wards_trend_and_its_emerging_test") {
        harness.snapshot_options(
            "ward_profile_indicator_aldersgate",
            &SnapshotOptions::new().threshold(2.0).max_failed_pixels(600),
        );
    }
}

#[test]
fn a_selections_trend_chart_sums_its_lsoas() {
    let Some(data) = shared() else { return };
    let Some(dataset) = dataset() else { return };
    let ward = aldersgate(&data);
    let selection: BTreeSet<AreaCode> = ward_lsoas(&data, &ward).iter().map(|c| code(c)).collect();
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Trends;
    let Some(mut harness) = harness_with(window, dataset, selection.clone()) else {
        return;
    };
    harness.run_steps(2);
    harness.get_by_label_contains(&format!("of {} LSOAs have figures", selection.len()));
    let lines = harness
        .state()
        .window
        .last_selection_trend
        .clone()
        .expect("the selection's chart");
    let want: Vec<f64> = independent_ward_counts(&data, &ward).values().copied().collect();
    assert_eq!(lines.counts.iter().map(|p| p[1]).collect::<Vec<_>>(), want);
    assert!(lines.per_1000, "the selection's residents are summed into a rate");
    assert_eq!(lines.last_year.len(), 12, "same month last year, dashed");
}

/// IMD 2019 deciles by LSOA code, read here from File 1.
fn file1_deciles(data: &std::path::Path) -> BTreeMap<String, u8> {
    let mut reader =
        csv::Reader::from_path(data.join("imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |start: &str| headers.iter().position(|h| h.starts_with(start)).expect(start);
    let (code_col, decile_col) = (col("LSOA code"), col("Index of Multiple Deprivation (IMD) Decile"));
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[code_col].to_string(), r[decile_col].trim().parse().unwrap()))
        .collect()
}

#[test]
fn an_lsoas_imd_decile_shows_beside_its_rate_in_the_tooltip_the_table_and_the_emerging_list() {
    let Some(data) = shared() else { return };
    let deciles = file1_deciles(&data);
    // The map's tooltip.
    let Some(mut harness) = harness(IndicatorWindowState::default()) else {
        return;
    };
    let map = harness.state().window.last_map.clone().unwrap();
    let text = hover_lsoa(&mut harness, &map, "E01000001");
    assert!(
        text.contains(&format!("(IMD 2019 decile {})", deciles["E01000001"])),
        "{text}"
    );

    // The "Deprivation and rate" tab: one row per LSOA of the indicator, with its decile where IMD 2019 has the code.
    let dataset = harness.state().dataset.clone();
    let crime = dataset.indicators.find("crime").unwrap();
    let table = aggregate(&dataset, crime, Level::Lsoa, None).unwrap();
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Deprivation;
    let mut harness = harness_with(window, dataset.clone(), BTreeSet::new()).unwrap();
    harness.run_steps(2);
    let mut by_decile: BTreeMap<u8, usize> = BTreeMap::new();
    let mut not_in = 0;
    for row in &table.rows {
        match deciles.get(row.code.as_str()) {
            Some(d) => *by_decile.entry(*d).or_default() += 1,
            None => not_in += 1,
        }
    }
    assert!(
        not_in > 0 && by_decile.values().sum::<usize>() > 100,
        "{by_decile:?} {not_in}"
    );
    for (decile, n) in &by_decile {
        assert_eq!(
            harness.query_all_by_label(&format!("{decile} (IMD 2019)")).count(),
            *n,
            "decile {decile}"
        );
    }
    assert_eq!(harness.query_all_by_label("not in a loaded IMD").count(), not_in);

    // The emerging-issues list: each tested LSOA with its decile.
    let scan = scan_emerging(&table, &EmergingOptions::default());
    let mut window = IndicatorWindowState::default();
    window.tab = IndicatorTab::Emerging;
    window.emerging_all = true;
    let harness = harness_with(window, dataset, BTreeSet::new()).unwrap();
    assert_eq!(
        harness.query_all_by_label("IMD decile").count(),
        2,
        "the LSOA and the ward lists"
    );
    for decile in 1..=10u8 {
        let want = scan
            .tested
            .iter()
            .filter(|a| deciles.get(a.code.as_str()) == Some(&decile))
            .count();
        let got = harness.query_all_by_label(&format!("IMD 2019 decile {decile}")).count();
        assert_eq!(got, want, "decile {decile}");
    }
}

#[test]
fn crime_points_are_binned_zoomed_out_and_name_their_crime_type_close_in() {
    let mut window = IndicatorWindowState::default();
    window.show_points = true;
    let Some(mut harness) = harness(window) else { return };
    let map = harness.state().window.last_map.clone().unwrap();
    let dataset = harness.state().dataset.clone();
    let points = &dataset.indicators.crime_points;
    assert!(points.len() > 10_000, "{} points", points.len());
    assert!(map.points_binned, "the fitted City map is zoomed out");
    assert!(
        map.point_marks > 0 && map.point_marks < points.len() / 10,
        "{} cells",
        map.point_marks
    );
    // Close in on the anonymised point holding the most reports.
    let mut at_point: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, p) in points.iter().enumerate() {
        at_point
            .entry((p.point_in_world.x.round() as i64, p.point_in_world.y.round() as i64))
            .or_default()
            .push(i);
    }
    let (_, busiest) = at_point.iter().max_by_key(|(_, v)| v.len()).unwrap();
    let target = points[busiest[0]].point_in_world;
    harness.state_mut().window.set_map_view(locality_map::render::MapView {
        center_in_world: target,
        metres_per_point: 1.0,
    });
    harness.run_steps(2);
    let map = harness.state().window.last_map.clone().unwrap();
    assert!(!map.points_binned, "single points close in");
    let s = map.screen_from_world.unwrap().apply(target);
    harness.hover_at(egui::pos2(s[0], s[1]));
    harness.run_steps(3);
    let map = harness.state().window.last_map.clone().unwrap();
    let text = map.hovered_point.expect("a point under the pointer");
    let first = &points[busiest[0]];
    let kind = &dataset.indicators.crime_types[usize::from(first.crime_type)];
    assert!(text.contains(&format!("{kind}, {}", first.month)), "{text}");
    assert!(
        text.starts_with(&format!("{} reports at this point", busiest.len())),
        "{text}"
    );
    let tooltip = harness.state().window.hover_text.clone().unwrap();
    assert!(tooltip.starts_with(&text), "{tooltip}");
    assert!(
        harness.query_all_by_label_contains(&text).count() >= 1,
        "the tooltip is shown"
    );
}

#[test]
fn the_claimant_ward_table_charts_and_the_map_says_its_2015_wards_cannot_be_drawn() {
    let Some(data) = shared() else { return };
    let folder = data.join("indicators/claimant_count_greater_manchester");
    let files = vec![
        folder.clone(),
        data.join("boundaries/Leeds_E08000035_wards_2022_BGC_WGS84.geojson"),
    ];
    let dataset = Arc::new(load_dataset(&DataSource::Files(files), &LoadOptions::default()).unwrap());
    let mut window = IndicatorWindowState::default();
    window.indicator = "trafford-gm-claimant-count-ward".into();
    window.level = Level::Ward;
    let mut harness = harness_with(window, dataset, BTreeSet::new()).unwrap();
    harness.run_steps(2);
    harness.get_by_label_contains("no boundaries for 2015 ward codes are loaded");
    harness.get_by_label_contains("wards cannot be drawn (tables and charts only)");
    assert_eq!(harness.state().window.last_map.as_ref().map(|m| m.triangles), Some(0));
    // The chart of a ward: Astley Bridge's published counts, month by month.
    harness.state_mut().window.tab = IndicatorTab::Trends;
    harness.state_mut().window.focus = Some(code("E05000650"));
    harness.run_steps(3);
    let mut reader =
        csv::Reader::from_path(folder.join("trafford_gm_claimant_count_wards_2015-01_2017-10.csv")).unwrap();
    let want: Vec<f64> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] == "E05000650")
        .map(|r| r[1].parse().unwrap())
        .collect();
    let lines = harness.state().window.last_trend.clone().expect("a chart");
    assert_eq!(lines.counts.iter().map(|p| p[1]).collect::<Vec<_>>(), want);
    assert_eq!(want.len(), 34);
    harness.get_by_label_contains("Astley Bridge against Bolton");
}
