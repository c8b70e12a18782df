//! Helpers for the hostile-input tests: the embedded Leeds default written out as a data folder (with edits), the
//! Leeds answers every test checks what still loads against, and the command line.
#![allow(dead_code)]

use locality_map::analysis::{AreaFilter, EditionComparison, LaSummary};
use locality_map::io::{DataSource, LoadOptions, embedded_files, load_dataset};
use locality_map::model::{Dataset, Problem, Severity};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The 2019 domains file of the embedded default (it carries the IMD 2019 ranks and deciles).
pub const FILE2_2019: &str = "File_2_-_IoD2019_Domains_of_Deprivation.csv";
/// The 2015 File 1 of the embedded default.
pub const FILE1_2015: &str = "File_1_ID_2015_Index_of_Multiple_Deprivation.csv";
/// The 2019 population file of the embedded default.
pub const FILE6_2019: &str = "File_6_-_IoD2019_Population_Denominators.csv";

/// A fresh empty folder under the system's temporary folder.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lm-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the embedded Leeds default into a fresh folder, passing each file's name and bytes through `edit` (which
/// returns the bytes to write, or `None` to leave the file out). Returns the folder.
pub fn embedded_copy(name: &str, mut edit: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>) -> PathBuf {
    let dir = scratch(name);
    for file in embedded_files().unwrap() {
        let file_name = file.path.to_string_lossy().trim_start_matches("embedded:").to_string();
        if let Some(bytes) = edit(&file_name, file.bytes) {
            std::fs::write(dir.join(&file_name), bytes).unwrap();
        }
    }
    dir
}

/// Edits the text of one file, leaving the rest as they are.
pub fn edit_text(target: &'static str, f: impl Fn(&str) -> String) -> impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>> {
    move |name, bytes| {
        if name == target {
            Some(f(&String::from_utf8(bytes).unwrap()).into_bytes())
        } else {
            Some(bytes)
        }
    }
}

/// Keeps the header and the rows a predicate accepts (given the row's text).
pub fn keep_rows(text: &str, mut keep: impl FnMut(&str) -> bool) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines.filter(|l| keep(l)) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Loads a folder as the app does.
pub fn load(dir: &Path) -> Dataset {
    load_dataset(&DataSource::Folder(dir.to_path_buf()), &LoadOptions::default()).unwrap()
}

/// (1% counts 2015, 2019), (decile 1 counts 2015, 2019), priority wards in 2019, for Leeds.
pub fn leeds_answers(dataset: &Dataset) -> ((usize, usize), (usize, usize), usize) {
    let comparison = EditionComparison::new(dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let summary = LaSummary::new(dataset, &comparison).unwrap();
    (
        (summary.top1.count_from, summary.top1.count_to),
        (summary.decile1.count_from, summary.decile1.count_to),
        summary.priority_wards.as_ref().expect("Leeds wards are loaded").len(),
    )
}

/// The published Leeds answers for 2015 → 2019 (Leeds City Council; MHCLG File 1s).
pub const LEEDS: ((usize, usize), (usize, usize), usize) = ((16, 12), (105, 114), 6);

/// The problems of a severity at least `at_least` whose text (as shown) contains every needle.
pub fn problems_with<'a>(dataset: &'a Dataset, at_least: Severity, needles: &[&str]) -> Vec<&'a Problem> {
    dataset
        .report
        .problems
        .iter()
        .filter(|p| p.severity >= at_least)
        .filter(|p| {
            let text = p.to_string();
            needles.iter().all(|n| text.contains(n))
        })
        .collect()
}

/// Asserts exactly one problem (at least `at_least`) contains all the needles, and returns it.
pub fn one_problem<'a>(dataset: &'a Dataset, at_least: Severity, needles: &[&str]) -> &'a Problem {
    let found = problems_with(dataset, at_least, needles);
    assert!(
        !found.is_empty(),
        "no problem with {needles:?}; report:\n{}",
        dataset
            .report
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    found[0]
}

/// Loads `dir` and asserts that one problem (at least `at_least`) holds every needle and that Leeds' answers are still
/// [`LEEDS`]: a hostile edit reported, and nothing else lost. Returns the dataset for further checks.
pub fn load_reporting_one_problem(dir: &Path, at_least: Severity, needles: &[&str]) -> Dataset {
    let dataset = load(dir);
    one_problem(&dataset, at_least, needles);
    assert_eq!(leeds_answers(&dataset), LEEDS);
    dataset
}

/// The image-size arguments of a small, quick export: 400 × 300 pixels at 50 dpi.
pub const SMALL_IMAGE: [&str; 6] = ["--width", "400", "--height", "300", "--dpi", "50"];

/// A fresh scratch folder `name` holding `precious.txt` ("keep me") and `map.png`, a symbolic link to it; returns the
/// folder, the file and the link.
#[cfg(unix)]
pub fn folder_with_a_link(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    let target = dir.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = dir.join("map.png");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    (dir, target, link)
}

/// Runs the command line on a data folder.
pub fn cli(args: &[&str], data: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command.args(args).env_remove("LOCALITY_MAP_DATA");
    if let Some(data) = data {
        command.arg("--data").arg(data);
    }
    command.output().expect("the binary runs")
}

/// Stdout and stderr as text.
pub fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
