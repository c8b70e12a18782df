//! The map window's finding and reading aids through egui_kittest, on the embedded Leeds data: the search field lists
//! several matches as the planner types and a pick zooms to the LSOA with its neighbours; the LA picker filters as
//! typed; the Help menu's shortcut sheet lists the real bindings; the histogram bins what the map shows, in the
//! colour-vision preview, and a click on a bar selects its LSOAs; the street basemap fetches from a tile server only
//! once switched on (no socket before), caches tiles on disk, and draws them under the fills.
//!
//! Screenshots: `LOCALITY_MAP_SHOTS=/tmp/shots` writes the rendered window of the search list and the basemap there.

mod common;

use egui_kittest::{Harness, kittest::NodeT as _, kittest::Queryable as _};
use locality_map::io::TileSource;
use locality_map::model::AreaCode;
use locality_map::style::{ColourVision, MapMode};
use locality_map::ui::{
    DistributionResponse, DistributionState, LoadedData, LocalityMapApp, SHORTCUTS, Session, Settings, distribution_ui,
};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const SIZE: [f32; 2] = [1400.0, 900.0];

fn leeds() -> Arc<LoadedData> {
    common::window_leeds()
}

fn harness_of(app: LocalityMapApp) -> Harness<'static, LocalityMapApp> {
    common::window::harness_sized(app, SIZE, false)
}

fn harness(settings: Settings) -> Harness<'static, LocalityMapApp> {
    harness_of(LocalityMapApp::with_data(settings, leeds()))
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

/// Writes the rendered window to `$LOCALITY_MAP_SHOTS/NAME.png` when asked and a renderer can start.
fn shot(harness: &mut Harness<'static, LocalityMapApp>, name: &str) {
    let Some(folder) = std::env::var_os("LOCALITY_MAP_SHOTS") else {
        return;
    };
    if !common::renderer_available(name) {
        return;
    }
    let image = harness.render().expect("renders");
    let path = std::path::Path::new(&folder).join(format!("{name}.png"));
    let file = std::fs::File::create(&path).expect("shot file");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), image.width(), image.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(image.as_raw()).unwrap();
}

#[test]
fn typing_in_search_lists_several_matches_and_a_pick_shows_the_lsoa_with_its_neighbours() {
    let mut harness = harness(Settings::default());
    let fitted = harness.state().view();
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("Leeds 111");
    harness.run_steps(3);
    // Leeds 111A, 111B, … each listed, with ward and LA, not just the first.
    let listed: Vec<String> = harness
        .query_all_by_label_contains("Leeds 111")
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("LSOA"))
        .collect();
    assert!(listed.len() >= 3, "several matches: {listed:?}");
    assert!(listed.iter().all(|l| l.contains(", Leeds")), "{listed:?}");
    shot(&mut harness, "search_list_leeds_111");
    // The second entry, picked with the mouse.
    let second = listed[1].clone();
    harness.get_by_label(&second).click();
    harness.run_steps(4);
    let app = harness.state();
    let picked = code(second.rsplit(' ').next().unwrap());
    assert_eq!(app.selected(), Some(&picked), "{second}");
    let view = app.view();
    assert!(view.metres_per_point < fitted.metres_per_point / 3.0, "zoomed in");
    // Not a 200 m close-up: at least about 2 km of context across the map.
    let map_width_m = view.metres_per_point * 900.0;
    assert!(map_width_m > 1_500.0, "{map_width_m:.0} m across");
    assert!(
        harness.query_all_by_label_contains("Leeds 111").count() <= 2,
        "the list closed"
    );
}

#[test]
fn a_typo_in_search_still_lists_the_ward() {
    let mut harness = harness(Settings::default());
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("Harehils");
    harness.run_steps(3);
    harness.get_by_label_contains("Ward  Gipton & Harehills, Leeds");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(
        harness.state().profile().map(|p| p.name.as_str()),
        Some("Gipton & Harehills")
    );
}

#[test]
fn the_la_picker_filters_as_typed() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("Local authority").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Bradford").is_some(), "listed before filtering");
    let filter = harness.get_by_label("Filter");
    assert!(filter.is_focused(), "the filter has the cursor as the list opens");
    filter.type_text("Leds");
    harness.run_steps(3);
    assert!(harness.query_by_label("Bradford").is_none(), "filtered out");
    // The typo still finds Leeds; Enter takes it.
    assert!(harness.query_all_by_label("Leeds").count() >= 1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().settings.la, "Leeds");
}

#[test]
fn the_help_menu_lists_every_real_shortcut_and_explains_the_map() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("Keyboard shortcuts…").click();
    harness.run_steps(3);
    for shortcut in SHORTCUTS {
        harness.get_by_label(&shortcut.keys_text());
        harness.get_by_label(shortcut.description);
    }
    harness.get_by_label("Zoom in");
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("How to read this map…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("the 1% is rank ≤ 328");
    harness.get_by_label_contains("the 1% is rank ≤ 337");
    harness.get_by_label_contains("Negative means the area became more deprived relative to England");
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness
        .get_by_label("Data: using your own data folder (README)…")
        .click();
    harness.run_steps(3);
    harness.get_by_label_contains("Point --data");
}

/// A histogram alone over a Leeds scene, remembering what it answered last.
struct Histogram {
    session: Session,
    state: DistributionState,
    vision: ColourVision,
    last: DistributionResponse,
}

fn histogram(mode: MapMode, vision: ColourVision) -> Harness<'static, Histogram> {
    let settings = Settings {
        choices: locality_map::style::MapChoices {
            mode,
            ..Default::default()
        },
        ..Settings::default()
    };
    let state = Histogram {
        session: Session::with_data(leeds(), &settings),
        state: DistributionState::default(),
        vision,
        last: DistributionResponse::default(),
    };
    Harness::builder().with_size([900.0, 260.0]).build_ui_state(
        |ui, h: &mut Histogram| {
            let scene = h.session.scene().unwrap();
            h.last = distribution_ui(ui, scene, &mut h.state, None, h.vision);
        },
        state,
    )
}

#[test]
fn clicking_a_histogram_bar_selects_exactly_its_lsoas() {
    let mut harness = histogram(MapMode::DecileLater, ColourVision::Normal);
    harness.run_steps(2);
    // Sweep along the bottom of the histogram until the pointer is over a bar, then click it.
    let mut clicked = None;
    for x in (60..440).step_by(6) {
        let at = egui::pos2(x as f32, 200.0);
        harness.hover_at(at);
        harness.run_steps(1);
        let hovered = harness.state().last.hovered.clone();
        if hovered.len() > 20 {
            common::window::click_at(&mut harness, at);
            harness.run_steps(1);
            clicked = Some((hovered, harness.state().last.brushed.clone()));
            break;
        }
    }
    let (hovered, brushed) = clicked.expect("a bar under the sweep");
    let brushed = brushed.expect("the click selects");
    assert_eq!(brushed, hovered, "the bar's LSOAs");
    // They share one decile of 2019 (a bar of the decile layer, not of rank change).
    let scene = harness.state().session.scene().unwrap();
    let deciles: std::collections::BTreeSet<u8> = scene
        .comparison
        .rows
        .iter()
        .filter(|r| brushed.contains(&r.lsoa_code))
        .filter_map(|r| r.decile_to)
        .collect();
    assert_eq!(deciles.len(), 1, "{deciles:?}");
}

#[test]
fn the_histogram_follows_the_colour_vision_preview() {
    if !common::renderer_available("the_histogram_follows_the_colour_vision_preview") {
        return;
    }
    let mut normal = histogram(MapMode::RankChange, ColourVision::Normal);
    normal.run_steps(2);
    let mut grey = histogram(MapMode::RankChange, ColourVision::Greyscale);
    grey.run_steps(2);
    let (a, b) = (normal.render().unwrap(), grey.render().unwrap());
    let saturated = |image: &image::RgbaImage| {
        image
            .pixels()
            .filter(|p| {
                let [r, g, b, _] = p.0.map(i32::from);
                r.max(g).max(b) - r.min(g).min(b) > 60
            })
            .count()
    };
    assert!(saturated(&a) > 500, "coloured bars: {}", saturated(&a));
    assert!(
        saturated(&b) < saturated(&a) / 10,
        "greyscale preview: {} vs {}",
        saturated(&b),
        saturated(&a)
    );
}

fn tile_png() -> Vec<u8> {
    // Land colour with a grid of white "streets" and a dark line every 64 px: easy to tell from the map's fills.
    let mut pixels = Vec::with_capacity(256 * 256 * 3);
    for y in 0..256u32 {
        for x in 0..256u32 {
            let street = x % 32 < 3 || y % 32 < 3;
            let major = x % 64 < 2 || y % 64 < 2;
            pixels.extend_from_slice(match (major, street) {
                (true, _) => &[120, 110, 150],
                (_, true) => &[255, 255, 255],
                _ => &[236, 222, 190],
            });
        }
    }
    common::rgb_png(256, 256, &pixels)
}

fn run_until(harness: &mut Harness<'static, LocalityMapApp>, done: impl Fn(&LocalityMapApp) -> bool) {
    let started = Instant::now();
    while !done(harness.state()) && started.elapsed() < Duration::from_secs(20) {
        harness.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_basemap_fetches_only_once_switched_on_then_from_its_cache() {
    let (url, connections) = common::tile_server(tile_png());
    let cache = common::scratch_for_this_process("basemap-tiles");
    let source = || TileSource::new(url.clone(), cache.clone());
    let mut harness = harness_of(LocalityMapApp::with_data(Settings::default(), leeds()).with_tile_source(source()));
    // Off by default: many frames, zoomed in and out, and not one connection or thread.
    assert!(!harness.state().settings.show_basemap);
    harness.key_press(egui::Key::Plus);
    harness.run_steps(5);
    harness.key_press(egui::Key::Minus);
    harness.run_steps(5);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(connections.load(Ordering::SeqCst), 0, "no socket while off");
    assert!(!harness.state().basemap().started());

    // Switched on: tiles are fetched from the server and drawn.
    harness.state_mut().settings.show_basemap = true;
    run_until(&mut harness, |app| {
        app.basemap().ready() >= 4 && app.basemap().pending() == 0
    });
    let app = harness.state();
    assert!(
        app.basemap().ready() >= 4,
        "tiles ready: {} ({:?})",
        app.basemap().ready(),
        app.basemap().last_error()
    );
    let downloaded = app.basemap().downloaded();
    assert!(downloaded >= 4 && connections.load(Ordering::SeqCst) >= downloaded);
    let cached = std::fs::read_dir(&cache).map(|d| d.count()).unwrap_or(0);
    assert!(cached > 0, "tiles kept on disk under {}", cache.display());
    harness.run_steps(3);
    shot(&mut harness, "basemap_on_leeds");

    // A new window on the same cache: the same tiles without a download.
    let before = connections.load(Ordering::SeqCst);
    let settings = Settings {
        show_basemap: true,
        ..Settings::default()
    };
    let mut again = harness_of(LocalityMapApp::with_data(settings, leeds()).with_tile_source(source()));
    run_until(&mut again, |app| {
        app.basemap().ready() >= 4 && app.basemap().pending() == 0
    });
    assert!(again.state().basemap().ready() >= 4);
    assert_eq!(again.state().basemap().downloaded(), 0, "from the cache");
    assert_eq!(connections.load(Ordering::SeqCst), before);
    std::fs::remove_dir_all(&cache).ok();
}

#[test]
fn the_basemap_shows_under_the_fills_with_its_attribution() {
    if !common::renderer_available("the_basemap_shows_under_the_fills_with_its_attribution") {
        return;
    }
    let (url, _) = common::tile_server(tile_png());
    let cache = common::scratch_for_this_process("basemap-pixels");
    let settings = Settings {
        show_basemap: true,
        ..Settings::default()
    };
    let mut on =
        harness_of(LocalityMapApp::with_data(settings, leeds()).with_tile_source(TileSource::new(url, cache.clone())));
    run_until(&mut on, |app| app.basemap().ready() >= 4);
    on.run_steps(3);
    let mut off = harness(Settings::default());
    let (with, without) = (on.render().unwrap(), off.render().unwrap());
    // The tiles' lilac "major roads" (120, 110, 150) appear only with the basemap on (blended under the fills or
    // bare outside the LA).
    let lilac = |image: &image::RgbaImage| {
        image
            .pixels()
            .filter(|p| {
                let [r, g, b, _] = p.0.map(i32::from);
                (r - 120).abs() < 12 && (g - 110).abs() < 12 && (b - 150).abs() < 12
            })
            .count()
    };
    assert!(lilac(&with) > 2_000, "{}", lilac(&with));
    assert!(lilac(&without) < 50, "{}", lilac(&without));
    std::fs::remove_dir_all(&cache).ok();
}
