//! The single-file web map of Leeds 2015 → 2019: self-contained (nothing fetched), a few MB at most, and in a real
//! headless Chromium (Debian's `chromium`) it draws the styled fills at known LSOAs and hovering an LSOA shows its
//! ranks, change and ward. Without Chromium the browser checks are skipped loudly (and fail on CI).

use geo::InteriorPoint as _;
use locality_map::analysis::{AreaFilter, EditionComparison, Transition};
use locality_map::export::{CivilDate, WebMapOptions, default_title, web_map};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use locality_map::style::{Classification, DivergingPalette, MapMode, NO_DATA, style_comparison};
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
        mode: MapMode::RankChange,
        classification: Classification::default(),
        palette: DivergingPalette::default(),
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

fn attribute<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let at = dom.find(&key)? + key.len();
    Some(&dom[at..at + dom[at..].find('"')?])
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

    // The page reports its view (scale and offsets in CSS pixels) on the body.
    let dom = run_chromium(browser, &dir.join("profile-1"), &["--dump-dom".into()], &url);
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let view_json = attribute(&dom, "data-view")
        .expect("the page drew and recorded its view")
        .replace("&quot;", "\"");
    let view: serde_json::Value = serde_json::from_str(&view_json).unwrap();
    let (scale, tx, ty) = (
        view["scale"].as_f64().unwrap(),
        view["tx"].as_f64().unwrap(),
        view["ty"].as_f64().unwrap(),
    );
    let (left, top) = (
        view["map"]["left"].as_f64().unwrap(),
        view["map"]["top"].as_f64().unwrap(),
    );
    let geometry = map.geometry;
    let to_css = |c: geo::Coord<f64>| -> (f64, f64) {
        let qx = ((c.x - geometry.origin_in_world.x) / geometry.step_m).round();
        let qy = ((c.y - geometry.origin_in_world.y) / geometry.step_m).round();
        (qx * scale + tx, -qy * scale + ty)
    };

    let shot = dir.join("shot.png");
    let out = run_chromium(
        browser,
        &dir.join("profile-2"),
        &[format!("--screenshot={}", shot.display())],
        &url,
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
    let layer = dataset.lsoa_layers.get(&comparison.vintage).unwrap();
    let (mut checked, mut matched) = (0, 0);
    for row in comparison
        .rows
        .iter()
        .filter(|r| r.transition == Transition::Outside)
        .step_by(12)
    {
        let area = layer.get(&row.lsoa_code).unwrap();
        let interior = area.geometry_in_world.interior_point().unwrap().0;
        let (x, y) = to_css(interior);
        let want = styled.fill_of.get(&row.lsoa_code).copied().unwrap_or(NO_DATA).0;
        let Some(got) = pixel(x, y) else { continue };
        checked += 1;
        if (0..3).all(|k| got[k].abs_diff(want[k]) <= 3) {
            matched += 1;
        } else {
            eprintln!("{}: at ({x:.0}, {y:.0}) {got:?}, styled {want:?}", row.lsoa_code);
        }
    }
    assert!(checked >= 30, "{checked} LSOAs sampled");
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
        &format!("{url}#hover={x:.1},{y:.1}"),
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
