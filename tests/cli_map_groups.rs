//! `map --groups FILE` end to end on the embedded Leeds default with Leeds' ten Community Committee areas: the PNG
//! differs from the plain map inside the committees' LSOAs, each filled with its committee's rank class (derived here
//! from the raw files); the legend and title name the measure; a grouping file naming an unknown ward is a named error
//! that still writes the map with the other groups.

mod common;

use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::{ReportOptions, default_title, render_report};
use locality_map::render::RANK_CLASS_COLOURS;
use locality_map::style::MapMode;
use std::path::{Path, PathBuf};

const SIZE: [&str; 6] = ["--width", "1500", "--height", "1000", "--dpi", "100"];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/leeds_community_committees.csv")
}

fn map(dir: &Path, out: &str, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .current_dir(dir)
        .env_remove("LOCALITY_MAP_DATA")
        .args(["map", "--la", "Leeds", "--from", "2015", "--to", "2019", "--out", out])
        .args(SIZE)
        .args(extra)
        .output()
        .unwrap()
}

fn rgb_pixels(path: &Path) -> (Vec<u8>, usize, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (pixels, info.color_type.samples(), info.width)
}

/// Each committee LSOA (outside the 1% in both editions) at its pixel farthest from its edges, with its expected
/// class; the plain map's pixel there is checked against the library's own render, so the points are where the CLI
/// drew them.
fn samples() -> Vec<([u32; 2], usize)> {
    let dataset = common::embedded_dataset();
    let comparison = EditionComparison::new(dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let options = ReportOptions {
        width_px: 1500,
        height_px: 1000,
        dpi: 100.0,
        ..ReportOptions::a4_landscape_300dpi(default_title("Leeds", MapMode::RankChange, 2015, 2019))
    };
    let report = render_report(dataset, &comparison, &options).unwrap();
    let transform = report.screen_from_world;
    let class_of = common::committee_class_by_lsoa(&fixture());
    let (ranks_2015, ranks_2019) = common::embedded_ranks_2015_2019("E08000035");
    let layer = dataset
        .lsoa_layers
        .values()
        .find(|l| l.get(&comparison.rows[0].lsoa_code).is_some())
        .unwrap();
    let mut samples = Vec::new();
    for area in &layer.areas {
        let code = area.code.to_string();
        let Some(class) = class_of.get(&code) else { continue };
        if ranks_2015[&code] <= common::ONE_PERCENT_2011 || ranks_2019[&code] <= common::ONE_PERCENT_2011 {
            continue;
        }
        let rings: Vec<Vec<[f32; 2]>> = area
            .geometry_in_world
            .0
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| ring.0.iter().map(|c| transform.apply(*c)).collect())
            .collect();
        if let Some((point, clearance)) = common::farthest_from_edges(&rings)
            && clearance >= 3.0
        {
            samples.push(([point[0] as u32, point[1] as u32], *class));
        }
    }
    samples
}

fn rgb_at((pixels, channels, width): &(Vec<u8>, usize, u32), [x, y]: [u32; 2]) -> [u8; 3] {
    let at = (y as usize * *width as usize + x as usize) * channels;
    [pixels[at], pixels[at + 1], pixels[at + 2]]
}

fn near(a: [u8; 3], b: [u8; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12)
}

/// How many samples show their committee's class in `groups` and something else in `plain`.
fn filled_by_class(plain: &Path, groups: &Path, samples: &[([u32; 2], usize)]) -> (usize, Vec<String>) {
    let (plain, groups) = (rgb_pixels(plain), rgb_pixels(groups));
    let mut wrong = Vec::new();
    for (point, class) in samples {
        let (before, after) = (rgb_at(&plain, *point), rgb_at(&groups, *point));
        if !near(after, RANK_CLASS_COLOURS[*class].0) || near(before, RANK_CLASS_COLOURS[*class].0) {
            wrong.push(format!("{point:?} class {class}: {before:?} -> {after:?}"));
        }
    }
    (samples.len() - wrong.len(), wrong)
}

#[test]
fn the_map_with_groups_fills_each_committee_by_its_rank_class_and_names_the_measure() {
    let dir = common::scratch_for_this_process("cli-map-groups");
    let fixture = fixture();
    let groups: Vec<&std::ffi::OsStr> = vec![
        "--groups".as_ref(),
        fixture.as_os_str(),
        "--measure".as_ref(),
        "average-rank".as_ref(),
    ];
    for (out, extra) in [
        ("plain.png", &[][..]),
        ("groups.png", &groups[..]),
        ("groups.svg", &groups[..]),
    ] {
        let output = map(&dir, out, extra);
        assert!(
            output.status.success(),
            "{out}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let samples = samples();
    let classes: std::collections::BTreeSet<usize> = samples.iter().map(|(_, c)| *c).collect();
    assert!(
        samples.len() >= 300 && classes.len() == 5,
        "{} samples, classes {classes:?}",
        samples.len()
    );
    let (right, wrong) = filled_by_class(&dir.join("plain.png"), &dir.join("groups.png"), &samples);
    // The ten group names and the ward names (each on a halo) cover some sampled points: 25 of 450 at this size.
    assert!(wrong.len() <= samples.len() / 10, "{right} right; wrong: {wrong:#?}");
    // The measure in the legend and the title (the SVG's real text, drawn from the same page).
    let svg = std::fs::read_to_string(dir.join("groups.svg")).unwrap();
    // The words of the text elements, joined (a long title wraps over lines).
    let svg: String = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split('<').next()?.trim()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(svg.contains("Average rank — IMD 2019"), "legend names the measure");
    assert!(
        svg.contains("area groups by average rank, IMD 2019"),
        "title names the measure: {svg}"
    );
    assert!(svg.contains("population: IoD2019 population"), "population source");
}

#[test]
fn an_unknown_ward_in_the_grouping_file_is_a_named_error_and_the_map_is_still_written() {
    let dir = common::scratch_for_this_process("cli-map-groups-unknown");
    let mut text = std::fs::read_to_string(fixture()).unwrap();
    text.push_str("Armly,Inner West\n");
    let file = dir.join("committees-typo.csv");
    std::fs::write(&file, text).unwrap();
    let plain = map(&dir, "plain.png", &[]);
    assert!(plain.status.success());
    let groups: Vec<&std::ffi::OsStr> = vec![
        "--groups".as_ref(),
        file.as_os_str(),
        "--measure".as_ref(),
        "average-rank".as_ref(),
    ];
    let output = map(&dir, "groups.png", &groups);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "an unknown ward is an error");
    assert!(stderr.contains("\"Armly\" (row 35)"), "{stderr}");
    assert!(stderr.contains(&file.display().to_string()), "names the file: {stderr}");
    let samples = samples();
    let (_, wrong) = filled_by_class(&dir.join("plain.png"), &dir.join("groups.png"), &samples);
    assert!(wrong.len() <= samples.len() / 10, "the other groups drawn: {wrong:#?}");
}

/// The words of an SVG's text elements, joined (a long title wraps over lines).
fn svg_words(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).unwrap();
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split('<').next()?.trim()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn without_a_measure_on_data_without_scores_the_groups_are_filled_by_average_rank_and_no_change_key_is_shown() {
    let dir = common::scratch_for_this_process("cli-map-groups-default");
    // The embedded default has ranks but no IMD scores: an average-score map would leave every group unfilled.
    let fixture = fixture();
    let groups: Vec<&std::ffi::OsStr> = vec!["--groups".as_ref(), fixture.as_os_str()];
    for out in ["plain.svg", "groups.svg"] {
        let output = map(&dir, out, if out == "plain.svg" { &[] } else { &groups[..] });
        assert!(
            output.status.success(),
            "{out}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let (plain, groups) = (svg_words(&dir.join("plain.svg")), svg_words(&dir.join("groups.svg")));
    assert!(groups.contains("Groups: Average rank — IMD 2019"), "{groups}");
    assert!(
        groups.contains("1.  Inner East"),
        "groups ranked in the legend: {groups}"
    );
    // The committees cover every Leeds LSOA, so no LSOA keeps its rank-change fill: its key would describe colours
    // the map does not show. The plain map has it.
    assert!(plain.contains("Change in IMD rank"), "{plain}");
    assert!(!groups.contains("Change in IMD rank"), "{groups}");
    assert!(
        groups.contains("Most deprived 1% of England"),
        "the 1% key stays: {groups}"
    );
}
