//! The vector report of Leeds 2015 → 2019: the PDF's text (poppler's `pdftotext`) has the title, the legend labels
//! and the attribution; rendered to pixels (`pdftoppm`) it shows the same colours as the PNG export at known LSOAs;
//! the ward pages follow; the SVG carries the same words and fills. Without poppler-utils the PDF checks that need it
//! are skipped loudly (and fail on CI).

use geo::InteriorPoint as _;
use locality_map::analysis::{AreaFilter, EditionComparison, LaSummary, Transition};
use locality_map::export::{
    CivilDate, Paper, ReportOptions, TextPainter, default_title, paper_options, pdf_report, render_report, svg_report,
};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use locality_map::style::{MapFill, MapMode};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn leeds() -> &'static (Dataset, EditionComparison) {
    static DATA: OnceLock<(Dataset, EditionComparison)> = OnceLock::new();
    DATA.get_or_init(|| {
        let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
        let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
        (dataset, comparison)
    })
}

fn base() -> ReportOptions {
    ReportOptions {
        export_date: CivilDate::from_days_since_epoch(20_089),
        ..ReportOptions::a4_landscape_300dpi(default_title("Leeds", MapMode::RankChange, 2015, 2019))
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-pdf-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A poppler tool, or `None` with a loud skip (a failure on CI).
fn poppler(tool: &str) -> Option<&str> {
    if Command::new(tool).arg("-v").output().is_ok() {
        return Some(tool);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{tool} is needed on CI (apt-get install poppler-utils)"
    );
    eprintln!("SKIPPED: {tool} not installed; install poppler-utils to check the PDF");
    None
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the page should say: the title, every legend label, the 1% key and the attribution, as the font shows them.
fn expected_phrases(dataset: &Dataset, comparison: &EditionComparison) -> Vec<String> {
    let painter = TextPainter::new();
    let styled = MapFill::of_mode(MapMode::RankChange).style(comparison, dataset.edition(2019).unwrap().ranked_count());
    let mut phrases = vec![
        "Leeds: change in IMD rank, 2015 to 2019".to_string(),
        "Most deprived 1% of England".to_string(),
        "Contains OS data © Crown copyright and database right 2025".to_string(),
        "Contains National Statistics data © Crown copyright and database right 2025".to_string(),
        "Exported 2025-01-01".to_string(),
        "Stayed in the 1%".to_string(),
    ];
    phrases.extend(styled.legend.entries.iter().map(|e| e.label.clone()));
    phrases
        .into_iter()
        .map(|p| painter.displayable(&p).into_owned())
        .collect()
}

#[test]
fn the_pdf_has_real_text_the_same_colours_as_the_png_and_a_page_per_priority_ward() {
    let (dataset, comparison) = leeds();
    let on_a4 = paper_options(&base(), Paper::A4, true);
    let pdf = pdf_report(dataset, comparison, &on_a4, true).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = temp_dir("report");
    let path = dir.join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    eprintln!("Leeds report.pdf: {} bytes", pdf.len());

    let Some(pdftotext) = poppler("pdftotext") else { return };
    let out = Command::new(pdftotext)
        .arg("-f")
        .arg("1")
        .arg("-l")
        .arg("1")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = words(&String::from_utf8_lossy(&out.stdout));
    for phrase in expected_phrases(dataset, comparison) {
        assert!(text.contains(&words(&phrase)), "page 1 lacks {phrase:?}:\n{text}");
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = words(&String::from_utf8_lossy(&info.stdout));
    let summary = LaSummary::new(dataset, comparison).unwrap();
    assert!(
        info.contains(&format!(
            "Pages: {}",
            1 + summary.priority_wards.as_ref().expect("Leeds wards are loaded").len()
        )),
        "{info}"
    );
    assert!(info.contains("Page size: 842 x 595 pts"), "{info}");
    let ward = &summary.priority_wards.as_ref().expect("Leeds wards are loaded")[0];
    let out = Command::new(pdftotext)
        .arg("-f")
        .arg("2")
        .arg("-l")
        .arg("2")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(words(&String::from_utf8_lossy(&out.stdout)).contains(&format!("{}, Leeds", ward.name)));

    // Pixels: the PDF page rendered at 150 dpi against the PNG export of the same page at 150 dpi.
    let Some(pdftoppm) = poppler("pdftoppm") else { return };
    let (width, height) = (1754, 1240);
    let prefix = dir.join("page");
    let out = Command::new(pdftoppm)
        .args([
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-scale-to-x",
            "1754",
            "-scale-to-y",
            "1240",
        ])
        .arg(&path)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rendered = read_png(&prefix.with_extension("png"));
    let png_options = ReportOptions {
        width_px: width,
        height_px: height,
        dpi: 150.0,
        ..base()
    };
    let png = render_report(dataset, comparison, &png_options).unwrap();
    let layer = dataset.lsoa_layers.get(&comparison.vintage).unwrap();
    let (mut checked, mut matched) = (0, 0);
    for row in comparison
        .rows
        .iter()
        .filter(|r| r.transition == Transition::Outside)
        .step_by(10)
    {
        let interior = layer
            .get(&row.lsoa_code)
            .unwrap()
            .geometry_in_world
            .interior_point()
            .unwrap()
            .0;
        let [x, y] = png.screen_from_world.apply(interior);
        let (x, y) = (x.round() as u32, y.round() as u32);
        let Some(p) = png.image.pixel(x, y) else { continue };
        let want = [p.red(), p.green(), p.blue()];
        let got = rendered.at(x, y);
        checked += 1;
        if (0..3).all(|k| got[k].abs_diff(want[k]) <= 4) {
            matched += 1;
        } else {
            eprintln!("{}: PDF {got:?}, PNG {want:?} at ({x}, {y})", row.lsoa_code);
        }
    }
    assert!(checked >= 40, "{checked}");
    assert!(
        matched * 10 >= checked * 9,
        "{matched} of {checked} LSOAs match the PNG's colour"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_svg_has_the_words_as_text_and_a_path_per_fill_class() {
    let (dataset, comparison) = leeds();
    let svg = svg_report(dataset, comparison, &paper_options(&base(), Paper::A3, false)).unwrap();
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("width=\"842pt\" height=\"1191pt\""));
    let text: String = svg
        .split("<text ")
        .skip(1)
        .filter(|t| !t.contains("aria-hidden"))
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].to_string()))
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&amp;", "&");
    for phrase in expected_phrases(dataset, comparison) {
        let first_word = phrase.split_whitespace().next().unwrap().to_string();
        assert!(text.contains(&first_word), "SVG lacks {phrase:?}");
    }
    assert!(text.contains("Leeds: change in IMD rank, 2015 to 2019"));
    let styled = MapFill::of_mode(MapMode::RankChange).style(comparison, dataset.edition(2019).unwrap().ranked_count());
    for entry in &styled.legend.entries {
        let fill = format!("fill=\"{}\"", entry.colour.to_hex());
        assert!(svg.contains(&fill), "{fill} drawn");
    }
}

struct Rgb {
    width: u32,
    channels: usize,
    data: Vec<u8>,
}

impl Rgb {
    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * self.channels;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }
}

fn read_png(path: &Path) -> Rgb {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut data).unwrap();
    Rgb {
        width: frame.width,
        channels: frame.color_type.samples(),
        data,
    }
}
