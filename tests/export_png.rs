//! The report PNG export: pixel size and DPI, styled colours at known LSOAs, legend and attribution drawn, the 1%
//! outline present, atomic saving that refuses to overwrite, a snapshot, and the `map` command end to end.

mod common;

use egui_kittest::{SnapshotOptions, try_image_snapshot_options};
use geo::{Contains as _, Distance as _, Euclidean, InteriorPoint as _, LineString, Point};
use locality_map::analysis::{AreaFilter, EditionComparison, Transition};
use locality_map::export::{CivilDate, MapReport, ReportOptions, default_title, render_report, save_png_atomic};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{AreaCode, Dataset};
use locality_map::render::ScreenRect;
use locality_map::style::{MapMode, Rgba, TOP1_ORANGE};
use std::path::PathBuf;
use std::sync::OnceLock;

fn leeds() -> &'static (Dataset, EditionComparison) {
    static DATA: OnceLock<(Dataset, EditionComparison)> = OnceLock::new();
    DATA.get_or_init(|| {
        let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
        let comparison =
            EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).expect("Leeds compares");
        (dataset, comparison)
    })
}

fn options(width_px: u32, height_px: u32, dpi: f32) -> ReportOptions {
    ReportOptions {
        width_px,
        height_px,
        dpi,
        export_date: CivilDate::from_days_since_epoch(20_089),
        ..ReportOptions::a4_landscape_300dpi(default_title("Leeds", MapMode::RankChange, 2015, 2019))
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-export-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rgb_at(report: &MapReport, x: i64, y: i64) -> Option<[u8; 3]> {
    let p = report.image.pixel(u32::try_from(x).ok()?, u32::try_from(y).ok()?)?;
    Some([p.red(), p.green(), p.blue()])
}

/// Share of sample points inside the LSOA, away from its boundary (so off its outlines), whose pixel has exactly its
/// styled fill. Points are the projected interior point and a grid over the LSOA; a majority must match (a ward label
/// may cover a few).
fn share_with_fill(report: &MapReport, dataset: &Dataset, code: &str, fill: Rgba) -> f64 {
    let code = AreaCode::parse(code).unwrap();
    let area = dataset
        .lsoa_layers
        .values()
        .find_map(|l| l.get(&code))
        .expect("boundary loaded");
    let geometry = &area.geometry_in_world;
    let interior = geometry.interior_point().expect("interior point");
    let metres_per_px = 1.0 / report.screen_from_world.points_per_metre;
    let bbox = area.bbox_in_world;
    let grid = (1..12).flat_map(|i| {
        (1..12).map(move |j| {
            Point::new(
                bbox.min().x + bbox.width() * f64::from(i) / 12.0,
                bbox.min().y + bbox.height() * f64::from(j) / 12.0,
            )
        })
    });
    let boundary: Vec<LineString<f64>> = geometry
        .iter()
        .flat_map(|p| std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned()))
        .collect();
    let samples: Vec<Point<f64>> = std::iter::once(interior)
        .chain(grid)
        .filter(|p| geometry.contains(p))
        .filter(|p| {
            boundary
                .iter()
                .all(|ring| Euclidean.distance(p, ring) > 6.0 * metres_per_px)
        })
        .collect();
    assert!(!samples.is_empty(), "{code}: too small to sample");
    let want = [fill.0[0], fill.0[1], fill.0[2]];
    let matching = samples
        .iter()
        .filter(|p| {
            let [x, y] = report.screen_from_world.apply(p.0);
            rgb_at(report, x.round() as i64, y.round() as i64) == Some(want)
        })
        .count();
    matching as f64 / samples.len() as f64
}

fn dark_pixels_in(report: &MapReport, rect: ScreenRect) -> usize {
    let mut dark = 0;
    for y in rect.min[1] as u32..rect.max[1] as u32 {
        for x in rect.min[0] as u32..rect.max[0] as u32 {
            if let Some(p) = report.image.pixel(x, y)
                && p.red() < 90
                && p.green() < 90
                && p.blue() < 90
            {
                dark += 1;
            }
        }
    }
    dark
}

fn png_size_and_dpi(path: &std::path::Path) -> (u32, u32, Option<png::PixelDimensions>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height, info.pixel_dims)
}

#[test]
fn a4_and_square_pngs_have_the_requested_size_and_dpi() {
    let (dataset, comparison) = leeds();
    let dir = temp_dir("sizes");
    for (w, h) in [(3508, 2480), (3000, 3000)] {
        let report = render_report(dataset, comparison, &options(w, h, 300.0)).unwrap();
        assert_eq!((report.image.width(), report.image.height()), (w, h));
        let path = dir.join(format!("{w}x{h}.png"));
        save_png_atomic(&report.image, &path, 300.0, false).unwrap();
        let (pw, ph, dims) = png_size_and_dpi(&path);
        assert_eq!((pw, ph), (w, h));
        let dims = dims.expect("pHYs written");
        assert_eq!(
            (dims.xppu, dims.yppu, dims.unit),
            (11_811, 11_811, png::Unit::Meter),
            "300 dpi"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn known_lsoas_are_drawn_in_their_styled_fill() {
    let (dataset, comparison) = leeds();
    // Markers sit on interior points and the Hunslet & Riverside label covers E01011372: leave both out here.
    let options = ReportOptions {
        show_transitions: false,
        show_ward_labels: false,
        ..options(3508, 2480, 300.0)
    };
    let report = render_report(dataset, comparison, &options).unwrap();
    let ranked = dataset.edition(2019).unwrap().ranked_count();
    let styled = options.fill.style(comparison, ranked);
    let worsened = comparison
        .rows
        .iter()
        .find(|r| r.change.is_some_and(|c| c <= -500))
        .unwrap();
    let improved = comparison
        .rows
        .iter()
        .find(|r| r.change.is_some_and(|c| c >= 500))
        .unwrap();
    let slight = comparison
        .rows
        .iter()
        .find(|r| r.change.is_some_and(|c| (-99..=-20).contains(&c)))
        .unwrap();
    let codes = [
        "E01011623", // moved into the 1%
        "E01011372", // Hunslet & Riverside
        "E01033035",
        worsened.lsoa_code.as_str(),
        improved.lsoa_code.as_str(),
        slight.lsoa_code.as_str(),
    ];
    for code in codes {
        let fill = styled.fill_of[&AreaCode::parse(code).unwrap()];
        let share = share_with_fill(&report, dataset, code, fill);
        assert!(
            share > 0.5,
            "{code}: only {share:.2} of the pixels have its fill {}",
            fill.to_hex()
        );
    }
}

#[test]
fn legend_attribution_and_the_1pc_outline_are_drawn() {
    let (dataset, comparison) = leeds();
    let report = render_report(dataset, comparison, &options(3508, 2480, 300.0)).unwrap();
    assert!(dark_pixels_in(&report, report.legend_rect_px) > 5_000, "legend text");
    assert!(
        dark_pixels_in(&report, report.attribution_rect_px) > 5_000,
        "attribution text"
    );
    let r = report.map_rect_px;
    let orange = [TOP1_ORANGE.0[0], TOP1_ORANGE.0[1], TOP1_ORANGE.0[2]];
    let orange_pixels = (r.min[1] as i64..r.max[1] as i64)
        .flat_map(|y| (r.min[0] as i64..r.max[0] as i64).map(move |x| (x, y)))
        .filter(|(x, y)| rgb_at(&report, *x, *y) == Some(orange))
        .count();
    assert!(orange_pixels > 1_000, "{orange_pixels} orange pixels: the 1% outline");
    assert!(comparison.rows.iter().any(|r| r.transition == Transition::MovedIn));
    // With markers and labels on, LSOAs outside the 1% still show their fill.
    let options = options(3508, 2480, 300.0);
    let ranked = dataset.edition(2019).unwrap().ranked_count();
    let styled = options.fill.style(comparison, ranked);
    let sampled: Vec<f64> = comparison
        .rows
        .iter()
        .filter(|r| r.transition == Transition::Outside)
        .step_by(10)
        .map(|row| share_with_fill(&report, dataset, row.lsoa_code.as_str(), styled.fill_of[&row.lsoa_code]))
        .collect();
    let good = sampled.iter().filter(|s| **s > 0.5).count();
    // Ward labels (white halo) and neighbours' markers cover some small central LSOAs (5 of 47 here); most must show.
    assert!(
        good * 5 >= sampled.len() * 4,
        "{good} of {} LSOAs show their fill",
        sampled.len()
    );
}

#[test]
fn saving_refuses_to_overwrite_and_leaves_no_temporary_file() {
    let (dataset, comparison) = leeds();
    let report = render_report(dataset, comparison, &options(800, 600, 96.0)).unwrap();
    let dir = temp_dir("atomic");
    let path = dir.join("map.png");
    save_png_atomic(&report.image, &path, 96.0, false).unwrap();
    let first = std::fs::read(&path).unwrap();
    let error = save_png_atomic(&report.image, &path, 96.0, false).unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
    assert!(error.to_string().ends_with("map.png"), "names the file: {error}");
    assert_eq!(std::fs::read(&path).unwrap(), first, "untouched");
    save_png_atomic(&report.image, &path, 96.0, true).unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["map.png"], "no temporary file left");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn small_export_matches_its_snapshot() {
    let (dataset, comparison) = leeds();
    let report = render_report(dataset, comparison, &options(1200, 850, 100.0)).unwrap();
    let (w, h) = (report.image.width(), report.image.height());
    let image = image::RgbaImage::from_raw(w, h, report.image.take_demultiplied()).unwrap();
    // Same renderer everywhere; the tolerance only absorbs float rounding in anti-aliased edges.
    let options = SnapshotOptions::new().threshold(1.0).max_failed_pixels(50);
    if let Err(error) = try_image_snapshot_options(&image, "export_leeds_1200", &options) {
        panic!("{error}");
    }
}

#[test]
fn shared_data_a4_export_has_styled_fills() {
    // The whole folder: Leeds drawn from whichever boundaries the national load picks.
    let Some(dataset) = common::national_dataset("shared_data_a4_export_has_styled_fills") else {
        return;
    };
    let comparison = EditionComparison::new(dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let options = ReportOptions {
        show_transitions: false,
        show_ward_labels: false,
        ..options(3508, 2480, 300.0)
    };
    let report = render_report(dataset, &comparison, &options).unwrap();
    assert_eq!((report.image.width(), report.image.height()), (3508, 2480));
    let ranked = dataset.edition(2019).unwrap().ranked_count();
    let styled = options.fill.style(&comparison, ranked);
    // E01033035 is a sliver in the national generalised boundaries, too thin to sample away from its outline.
    for code in ["E01011623", "E01011372"] {
        let fill = styled.fill_of[&AreaCode::parse(code).unwrap()];
        assert!(share_with_fill(&report, dataset, code, fill) > 0.5, "{code}");
    }
}

#[test]
fn map_command_writes_the_png_and_will_not_overwrite_without_force() {
    let dir = temp_dir("cli");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
            .current_dir(&dir)
            .env_remove("LOCALITY_MAP_DATA")
            .args([
                "map", "--la", "Leeds", "--out", "m.png", "--width", "1500", "--height", "1000",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let (w, h, dims) = png_size_and_dpi(&dir.join("m.png"));
    assert_eq!((w, h), (1500, 1000));
    assert_eq!(dims.map(|d| d.xppu), Some(11_811));
    let second = run(&[]);
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        stderr.trim(),
        "locality-map: the file already exists; pass --force to replace it — m.png"
    );
    let third = run(&["--force"]);
    assert!(third.status.success(), "{}", String::from_utf8_lossy(&third.stderr));
    std::fs::remove_dir_all(dir).ok();
}
