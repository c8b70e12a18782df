//! The single-file web map of Leeds 2015 → 2019: self-contained (nothing fetched), a few MB at most, and in a real
//! headless Chromium (Debian's `chromium`) it draws the styled fills at known LSOAs and hovering an LSOA shows its
//! ranks, change and ward. Without Chromium the browser checks are skipped loudly (and fail on CI).

use geo::{Distance as _, Euclidean, InteriorPoint as _};
use locality_map::analysis::{AreaFilter, EditionComparison, Transition};
use locality_map::export::{CivilDate, WebMapOptions, default_title, web_map};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use locality_map::style::{Classification, DivergingPalette, MapFill, MapMode, NO_DATA, style_comparison};
use std::path::{Path, PathBuf};
use std::process::Command;

fn leeds() -> (Dataset, EditionComparison) {
    let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
    let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    (dataset, comparison)
}

fn options() -> WebMapOptions {
    WebMapOptions {
        title: default_title("Leeds", MapMode::RankChange, 2015, 2019),
        fill: MapFill::of_mode(MapMode::RankChange),
        export_date: CivilDate::from_days_since_epoch(20_089),
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-html-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_page_is_one_self_contained_file_of_a_few_megabytes() {
    let (dataset, comparison) = leeds();
    let map = web_map(&dataset, &comparison, &options()).unwrap();
    let html = &map.html;
    eprintln!(
        "Leeds web map: {} bytes, {} vertices",
        html.len(),
        map.geometry.vertices
    );
    assert!(html.len() < 3_000_000, "{} bytes", html.len());
    for fetched in ["<link", " src=", "http://", "https://", "import(", "fetch("] {
        assert!(!html.contains(fetched), "the page would fetch something: {fetched}");
    }
    for needed in [
        "Contains OS data © Crown copyright and database right 2025",
        "Contains National Statistics data © Crown copyright and database right 2025",
        "Leeds: change in IMD rank, 2015 to 2019",
        "E01011264",
        "Gipton &amp; Harehills",
    ] {
        let needed = needed.replace("&amp;", "&");
        assert!(
            html.contains(&needed) || html.contains(&needed.replace('&', "&amp;")),
            "{needed}"
        );
    }
}

/// Debian's chromium, or `None` (with a loud skip; a failure on CI).
fn chromium() -> Option<&'static str> {
    for candidate in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(candidate);
        }
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "chromium is needed on CI (apt-get install chromium)"
    );
    eprintln!("SKIPPED: no chromium; install Debian's chromium to test the web map in a browser");
    None
}

fn run_chromium(browser: &str, profile: &Path, extra: &[String], url: &str) -> std::process::Output {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1400,900",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command.args(extra).arg(url);
    command.output().expect("chromium runs")
}

#[test]
fn in_chromium_the_fills_are_drawn_at_known_lsoas_and_hovering_shows_the_tooltip() {
    let Some(browser) = chromium() else { return };
    let (dataset, comparison) = leeds();
    let map = web_map(&dataset, &comparison, &options()).unwrap();
    let dir = temp_dir("browser");
    let page = dir.join("leeds.html");
    std::fs::write(&page, &map.html).unwrap();
    let url = format!("file://{}", page.display());

    // A view chosen here (the page opens at `#view=scale,tx,ty`): Leeds fitted into 1,000 x 640 CSS pixels.
    let geometry = map.geometry;
    let layer = dataset.lsoa_layers.get(&comparison.vintage).unwrap();
    let bbox = comparison
        .rows
        .iter()
        .filter_map(|r| layer.get(&r.lsoa_code))
        .map(|a| a.bbox_in_world)
        .reduce(locality_map::model::rect_union)
        .unwrap();
    let (width_steps, height_steps) = (bbox.width() / geometry.step_m, bbox.height() / geometry.step_m);
    let scale = (1000.0 / width_steps).min(640.0 / height_steps);
    let (tx, ty) = (20.0, 20.0 + height_steps * scale);
    let view = format!("view={scale},{tx},{ty}");
    let to_css = |c: geo::Coord<f64>| -> (f64, f64) {
        let qx = ((c.x - geometry.origin_in_world.x) / geometry.step_m).round();
        let qy = ((c.y - geometry.origin_in_world.y) / geometry.step_m).round();
        (qx * scale + tx, -qy * scale + ty)
    };
    let (left, top) = (0.0, 0.0); // the map is the page's top-left cell

    let shot = dir.join("shot.png");
    let out = run_chromium(
        browser,
        &dir.join("profile-2"),
        &[format!("--screenshot={}", shot.display())],
        &format!("{url}#{view}"),
    );
    assert!(
        shot.exists(),
        "screenshot written: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let pixel = |x: f64, y: f64| -> Option<[u8; 3]> {
        let (x, y) = ((x + left).round() as i64, (y + top).round() as i64);
        if x < 0 || y < 0 || x >= i64::from(frame.width) || y >= i64::from(frame.height) {
            return None;
        }
        let i = (y as usize * frame.width as usize + x as usize) * channels;
        Some([pixels[i], pixels[i + 1], pixels[i + 2]])
    };

    let styled = style_comparison(
        &comparison,
        MapMode::RankChange,
        &Classification::default(),
        DivergingPalette::default(),
        dataset.edition(2019).unwrap().ranked_count(),
    );
    // Ward names sit at the wards' interior points: LSOA points under a name's box are not sampled.
    let labels: Vec<(f64, f64)> = dataset
        .ward_layer_for(comparison.vintage)
        .map(|wards| {
            wards
                .areas
                .iter()
                .filter_map(|w| w.geometry_in_world.interior_point())
                .map(|p| to_css(p.0))
                .collect()
        })
        .unwrap_or_default();
    let metres_per_css_px = geometry.step_m / scale;
    let (mut checked, mut matched) = (0, 0);
    for row in comparison.rows.iter().filter(|r| r.transition == Transition::Outside) {
        let area = layer.get(&row.lsoa_code).unwrap();
        let interior = area.geometry_in_world.interior_point().unwrap();
        let (x, y) = to_css(interior.0);
        // Off the LSOA's outline (2.5 CSS pixels) and clear of ward names.
        let edge = area
            .geometry_in_world
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| Euclidean.distance(&interior, ring))
            .fold(f64::INFINITY, f64::min);
        let under_label = labels
            .iter()
            .any(|(lx, ly)| (x - lx).abs() < 95.0 && (y - ly).abs() < 11.0);
        if edge < 2.5 * metres_per_css_px || under_label {
            continue;
        }
        let want = styled.fill_of.get(&row.lsoa_code).copied().unwrap_or(NO_DATA).0;
        let Some(got) = pixel(x, y) else { continue };
        checked += 1;
        if (0..3).all(|k| got[k].abs_diff(want[k]) <= 3) {
            matched += 1;
        } else {
            eprintln!("{}: at ({x:.0}, {y:.0}) {got:?}, styled {want:?}", row.lsoa_code);
        }
    }
    assert!(checked >= 100, "{checked} LSOAs sampled");
    // Ward names may cover a few interior points.
    assert!(
        matched * 10 >= checked * 9,
        "{matched} of {checked} LSOAs show their styled fill"
    );

    // Hover over one LSOA in the 1%: the tooltip names it, its ward, both ranks and the change.
    let row = comparison
        .rows
        .iter()
        .find(|r| r.transition == Transition::Stayed)
        .unwrap();
    let area = layer.get(&row.lsoa_code).unwrap();
    // Beside its marker, still inside it: the interior point nudged a little.
    let interior = area.geometry_in_world.interior_point().unwrap().0;
    let (x, y) = to_css(interior);
    let hovered = run_chromium(
        browser,
        &dir.join("profile-3"),
        &["--dump-dom".into()],
        &format!("{url}#{view}&hover={x:.1},{y:.1}"),
    );
    let dom = String::from_utf8_lossy(&hovered.stdout).to_string();
    let tooltip_at = dom.find("id=\"tooltip\"").expect("tooltip element");
    let tooltip = &dom[tooltip_at..tooltip_at + dom[tooltip_at..].find("</div></div>").unwrap_or(600)];
    assert!(!tooltip.contains("hidden"), "tooltip shown: {tooltip}");
    let ward = row.ward_name.replace('&', "&amp;");
    for needed in [
        row.lsoa_code.to_string(),
        format!("Ward: {ward}"),
        format!("Rank 2015: {}", row.rank_from.unwrap()),
        format!("Rank 2019: {}", row.rank_to.unwrap()),
        "Stayed in the 1%".to_string(),
    ] {
        assert!(tooltip.contains(&needed), "tooltip lacks {needed:?}: {tooltip}");
    }
    let change = row.change.unwrap();
    let digits = change.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if change < 0 {
        "\u{2212}"
    } else if change > 0 {
        "+"
    } else {
        ""
    };
    let change_text = format!("{sign}{grouped}");
    assert!(tooltip.contains(&format!("Change: {change_text}")), "{tooltip}");
    std::fs::remove_dir_all(&dir).ok();
}
