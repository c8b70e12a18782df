//! Tables a careless or hostile colleague might hand over (issue 15): every one must give the right Leeds answers
//! for what still loads, or say loudly why not. Built from the embedded Leeds default, edited inside each test.

mod support;

use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::io::{parse_imd_table, read_csv};
use locality_map::model::{JoinReport, Severity};
use std::path::Path;
use support::*;

const LEEDS_LA: &str = "E08000035";

fn is_leeds(line: &str) -> bool {
    line.split(',').nth(2) == Some(LEEDS_LA)
}

/// Replaces cell `column` (0-based) of the row of `code` in a CSV without quoted cells in that row.
fn set_cell(text: &str, code: &str, column: usize, value: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with(code) {
                let mut cells: Vec<&str> = line.split(',').collect();
                cells[column] = value;
                cells.join(",")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn leeds_only_extracts_keep_the_national_1_percent_line_and_say_they_are_extracts() {
    // What many councils' observatories publish: the LA's rows of File 1/2 (482 rows), not the 32,844.
    let dir = embedded_copy("extract", |name, bytes| {
        let text = String::from_utf8(bytes.clone()).unwrap();
        Some(match name {
            FILE2_2019 | FILE1_2015 => keep_rows(&text, is_leeds).into_bytes(),
            _ => bytes,
        })
    });
    let dataset = load(&dir);
    assert_eq!(dataset.edition(2019).unwrap().loaded_ranked_count(), 482);
    assert_eq!(dataset.edition(2019).unwrap().top1_threshold(), 328);
    assert_eq!(dataset.edition(2015).unwrap().top1_threshold(), 328);
    assert_eq!(leeds_answers(&dataset), LEEDS);
    one_problem(
        &dataset,
        Severity::Note,
        &["IMD 2019", "482 of the 32844", "an extract"],
    );
    let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let row = comparison
        .rows
        .iter()
        .find(|r| r.lsoa_code.as_str() == "E01011372")
        .unwrap();
    let percentile = row.percentile_to.unwrap();
    assert!((percentile - 100.0 * 38.0 / 32_844.0).abs() < 1e-9, "{percentile}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_rank_above_the_editions_n_is_an_error_naming_the_row_and_the_rest_loads() {
    // City of London 001A (row 2) given a rank no 2019 LSOA can have (33,000 > 32,844: a 2025 rank?).
    let dir = embedded_copy(
        "rank-above-n",
        edit_text(FILE2_2019, |t| set_cell(t, "E01000001", 4, "33000")),
    );
    let dataset = load(&dir);
    let problem = one_problem(
        &dataset,
        Severity::Error,
        &["row 2", "E01000001", "33000", "32844", FILE2_2019],
    );
    assert_eq!(problem.location.as_deref(), Some("row 2"));
    assert_eq!(leeds_answers(&dataset), LEEDS);
    let output = cli(&["validate"], Some(&dir));
    assert!(
        !output.status.success(),
        "validate fails when a figure could not be used"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_edition_with_no_usable_ranks_is_refused_not_reported_as_zeros() {
    fn header_only(text: &str) -> Vec<u8> {
        format!("{}\n", text.lines().next().unwrap()).into_bytes()
    }
    fn gzip(text: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }
    for (name, broken, says) in [
        ("header-only", header_only as fn(&str) -> Vec<u8>, "no data rows"),
        ("gzip", gzip, "not a CSV table"),
    ] {
        let dir = embedded_copy(name, |file, bytes| {
            if file == FILE2_2019 {
                Some(broken(&String::from_utf8(bytes).unwrap()))
            } else {
                Some(bytes)
            }
        });
        let dataset = load(&dir);
        one_problem(&dataset, Severity::Error, &[says, FILE2_2019]);
        // File 6 still loads, so IMD 2019 exists: but without ranks it must not be compared.
        let error = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).unwrap_err();
        assert!(
            error.to_string().contains("IMD 2019 has no IMD ranks loaded"),
            "{error}"
        );
        for command in [vec!["summary"], vec!["changes", "--csv"], vec!["map", "--out", "x.png"]] {
            let output = cli(&command, Some(&dir));
            let (stdout, stderr) = texts(&output);
            assert!(!output.status.success(), "{command:?} must fail: {stdout}");
            assert!(
                stderr.contains("IMD 2019 has no IMD ranks loaded"),
                "{command:?}: {stderr}"
            );
            assert!(stderr.contains("in the data: run validate"), "{command:?}: {stderr}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn a_semicolon_separated_file_is_read_by_its_separator() {
    let dir = embedded_copy("semicolon", edit_text(FILE2_2019, |t| t.replace(',', ";")));
    let dataset = load(&dir);
    assert_eq!(leeds_answers(&dataset), LEEDS);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_command_says_when_the_load_reported_problems() {
    let dir = embedded_copy(
        "one-line",
        edit_text(FILE2_2019, |t| set_cell(t, "E01000001", 4, "abc")),
    );
    for command in [
        vec!["summary"],
        vec!["changes", "--top1"],
        vec!["ward", "Gipton and Harehills"],
        vec!["league"],
    ] {
        let output = cli(&command, Some(&dir));
        let (_, stderr) = texts(&output);
        assert!(output.status.success(), "{command:?}: {stderr}");
        assert!(
            stderr.contains("1 warning and ") && stderr.contains(" in the data: run validate"),
            "{command:?}: {stderr}"
        );
    }
    let output = cli(&["summary"], None);
    assert!(
        !texts(&output).1.contains("in the data"),
        "the embedded default loads clean"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn parse(
    csv: &str,
) -> (
    Result<locality_map::io::ImdTable, locality_map::io::LoadError>,
    JoinReport,
) {
    let mut report = JoinReport::default();
    let table = read_csv(Path::new("t.csv"), csv.as_bytes()).unwrap();
    (parse_imd_table(&table, Some(2019), &mut report), report)
}

#[test]
fn numbers_are_read_strictly() {
    // Decimal commas and malformed thousands groups are errors at the row, never a different number.
    let csv = "LSOA code (2011);Local Authority District code (2019);Index of Multiple Deprivation (IMD) Rank\n\
               E01000001;E09000001;13915,0\nE01000002;E09000001;\"1,2,3\"\nE01000003;E09000001;3,28\n\
               E01000004;E09000001;\"29,199\"\nE01000005;E09000001;328.0\n";
    let (table, report) = parse(csv);
    let table = table.unwrap();
    let rank = |code: &str| {
        table
            .rows
            .iter()
            .find(|(c, _)| c.as_str() == code)
            .and_then(|(_, r)| r.imd_rank())
            .map(|r| r.get())
    };
    assert_eq!(
        [
            rank("E01000001"),
            rank("E01000002"),
            rank("E01000003"),
            rank("E01000004"),
            rank("E01000005")
        ],
        [None, None, None, Some(29_199), Some(328)]
    );
    let places: Vec<_> = report
        .problems
        .iter()
        .map(|p| p.location.clone().unwrap_or_default())
        .collect();
    assert_eq!(places, ["row 2", "row 3", "row 4"]);
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.message.contains("thousands separator"))
    );
    // Scores: a comma is a decimal comma, refused.
    let (_, report) = parse("LSOA code (2011),Index of Multiple Deprivation (IMD) Score\nE01000001,\"34,567\"\n");
    assert!(
        report.problems[0].message.contains("decimal comma"),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_second_column_of_the_same_figure_never_replaces_the_first() {
    let csv = "LSOA code (2011),Index of Multiple Deprivation (IMD) Rank,Local Authority District code (2019),IMD Rank\n\
               E01011372,38,E08000035,9999\n";
    let (table, report) = parse(csv);
    assert_eq!(table.unwrap().rows[0].1.imd_rank().map(|r| r.get()), Some(38));
    let problem = &report.problems[0];
    assert_eq!(problem.location.as_deref(), Some("row 1"));
    assert!(
        problem.message.contains("columns B") && problem.message.contains("and D"),
        "{problem}"
    );
}

#[test]
fn a_decile_that_contradicts_its_rank_is_reported_and_the_ranks_decile_used() {
    // Leeds 086C, rank 38 in 2019 (decile 1), given decile 5.
    let dir = embedded_copy("decile", edit_text(FILE2_2019, |t| set_cell(t, "E01011372", 5, "5")));
    let needles = ["E01011372", "decile 5 contradicts rank 38", FILE2_2019];
    load_reporting_one_problem(&dir, Severity::Warning, &needles);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_stray_file_of_the_same_edition_does_not_win_because_it_sorts_first() {
    // A planner's edited copy of the Leeds rows, named to sort before the official file, with one rank changed
    // (Leeds 086C: 38 → 3000, out of the 1%).
    let dir = embedded_copy("stray", |_, bytes| Some(bytes));
    let official = std::fs::read_to_string(dir.join(FILE2_2019)).unwrap();
    let stray = set_cell(&keep_rows(&official, is_leeds), "E01011372", 4, "3000");
    std::fs::write(dir.join("aaa_leeds_copy.csv"), stray).unwrap();
    let dataset = load(&dir);
    assert_eq!(leeds_answers(&dataset), LEEDS, "the official file's figures are kept");
    let problem = one_problem(
        &dataset,
        Severity::Warning,
        &["disagree with", FILE2_2019, "aaa_leeds_copy.csv"],
    );
    assert!(
        problem.message.contains("official download"),
        "the rule is stated: {problem}"
    );
    assert!(
        problem.to_string().ends_with("aaa_leeds_copy.csv"),
        "blames the stray file: {problem}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn names_that_start_like_formulas_are_neutralised_in_every_csv() {
    let hostile = "=HYPERLINK(\"http://evil.example\";\"click\")";
    let dir = embedded_copy(
        "formula",
        edit_text(FILE2_2019, |t| set_cell(t, "E01011372", 1, hostile)),
    );
    let output = cli(&["changes", "--csv", "--top1"], Some(&dir));
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let line = stdout.lines().find(|l| l.starts_with("E01011372")).unwrap();
    assert!(line.contains("'=HYPERLINK"), "{line}");
    assert!(
        !line.contains(",=HYPERLINK") && !line.contains(",\"=HYPERLINK"),
        "{line}"
    );
    assert!(
        line.contains(",-") || line.contains(",1"),
        "numbers stay numbers: {line}"
    );
    // The pack's CSVs go through the same writers.
    let out = scratch("formula-pack");
    let pack = out.join("pack");
    let mut args = vec!["pack", "--out", pack.to_str().unwrap()];
    args.extend_from_slice(&SMALL_IMAGE);
    let output = cli(&args, Some(&dir));
    assert!(output.status.success(), "{}", texts(&output).1);
    let diagram3 = std::fs::read_to_string(out.join("pack/diagram3.csv")).unwrap();
    assert!(diagram3.contains("'=HYPERLINK"), "{diagram3}");
    let mut found = false;
    for ward in std::fs::read_dir(out.join("pack")).unwrap().flatten() {
        if let Ok(profile) = std::fs::read_to_string(ward.path().join("profile.csv")) {
            assert!(!profile.contains(",=HYPERLINK") && !profile.contains(",\"=HYPERLINK"));
            found |= profile.contains("'=HYPERLINK");
        }
    }
    assert!(found, "the ward profile CSV of the LSOA's ward neutralises it too");
    // The league table's CSV: an LA name that starts like a formula.
    let la_dir = embedded_copy(
        "formula-league",
        edit_text(FILE2_2019, |t| {
            t.replace(",E08000035,Leeds,", ",E08000035,@SUM(1+1)*cmd,")
        }),
    );
    let output = cli(&["league", "--csv"], Some(&la_dir));
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains(",'@SUM(1+1)*cmd,"), "{stdout}");
    std::fs::remove_dir_all(&la_dir).ok();
    std::fs::remove_dir_all(&out).ok();
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn file_names_with_controls_or_bidi_characters_are_escaped_in_every_message() {
    let dir = embedded_copy("escape", |_, bytes| Some(bytes));
    std::fs::write(
        dir.join("notes\nwarning: forged line\u{202E}vsc.csv"),
        "just,text\n1,2\n",
    )
    .unwrap();
    let output = cli(&["validate"], Some(&dir));
    let (stdout, _) = texts(&output);
    assert!(!stdout.lines().any(|l| l.starts_with("warning: forged")), "{stdout}");
    assert!(!stdout.contains('\u{202E}'), "{stdout}");
    assert!(
        stdout.contains("notes\\nwarning: forged line\\u{202e}vsc.csv"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn validate_exits_non_zero_when_a_file_could_not_be_used() {
    let dir = embedded_copy("validate-exit", |_, bytes| Some(bytes));
    let clean = cli(&["validate"], Some(&dir));
    assert!(clean.status.success(), "{}", texts(&clean).1);
    std::fs::write(dir.join("broken.csv"), [0x1f, 0x8b, 8, 0, 0, 0]).unwrap();
    let failed = cli(&["validate"], Some(&dir));
    let (stdout, stderr) = texts(&failed);
    assert!(!failed.status.success());
    assert!(stdout.contains("Failed: 1 errors"), "{stdout}");
    assert!(stderr.contains("could not be used"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}
