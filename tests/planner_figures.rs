//! Figures a planner reads, on the embedded Leeds default, through the command line: an LA whose wards are not
//! loaded says so instead of printing zeros (issue 16.1), population in the 1% and the IMD 2025 population bridge
//! (16.3), editions in reverse or the same twice (16.4), problems ranked and counted by kind (16.5), and one CSV
//! vocabulary with the editions in the names (16.12). Expected values come from the embedded files' own rows.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command
        .current_dir(std::env::temp_dir())
        .env_remove("LOCALITY_MAP_DATA")
        .args(args);
    command.output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&run(args))).expect("JSON")
}

/// 2019 IMD ranks by LSOA from the embedded File 2, for one LA.
fn ranks_2019(la: &str) -> HashMap<String, u32> {
    common::embedded_ranks_2015_2019(la).1
}

/// Mid-2015 residents by 2011 LSOA, straight from the embedded File 6.
fn file6_population() -> HashMap<String, u64> {
    common::embedded_rows("File_6_-_IoD2019_Population_Denominators.csv")
        .into_iter()
        .map(|r| {
            let people = common::number(&r["Total population: mid 2015 (excluding prisoners)"]);
            (r["LSOA code (2011)"].clone(), u64::from(people))
        })
        .collect()
}

#[test]
fn bradford_on_the_embedded_default_says_its_wards_are_not_loaded_and_prints_no_zero() {
    let text = stdout(&run(&["summary", "--la", "Bradford"]));
    assert!(text.contains("wards: not loaded for Bradford"), "{text}");
    assert!(!text.contains("Priority wards (an LSOA in the 2019 1%): 0"), "{text}");
    assert!(!text.contains(" 0 wards"), "{text}");
    // Its 1% count is still right: it comes from the national tables, which the embedded default carries.
    let in_top1 = ranks_2019("E08000032").values().filter(|r| **r <= 328).count();
    assert!(in_top1 > 0);
    let summary = json(&["summary", "--la", "Bradford", "--json"]);
    assert_eq!(summary["top1"]["count_to"], in_top1);
    assert!(
        summary["wards"].is_null() && summary["priority_wards"].is_null(),
        "{summary}"
    );
    assert!(
        summary["ward_coverage"]["missing"]
            .as_str()
            .unwrap()
            .contains("not loaded for Bradford")
    );

    let changes = stdout(&run(&["changes", "--la", "Bradford", "--top1"]));
    let rows: Vec<&str> = changes.lines().filter(|l| l.starts_with("E01")).collect();
    let either = common::embedded_ranks_2015_2019("E08000032");
    let expected = either
        .0
        .iter()
        .filter(|(code, r)| **r <= 328 || either.1.get(*code).is_some_and(|r| *r <= 328))
        .count()
        + either
            .1
            .iter()
            .filter(|(c, r)| **r <= 328 && !either.0.contains_key(*c))
            .count();
    assert_eq!(rows.len(), expected, "{changes}");
    assert!(rows.iter().all(|r| r.contains("(ward not loaded)")), "{changes}");

    let england = stdout(&run(&["summary", "--la", "all"]));
    assert!(!england.contains("32844 LSOAs in 33 wards"), "{england}");
    assert!(england.contains("482 of the 32844 LSOAs of England only"), "{england}");
}

#[test]
fn population_in_the_1_percent_is_summed_from_file_6_in_summary_and_ward() {
    let population = file6_population();
    let leeds = ranks_2019("E08000035");
    let expected: u64 = leeds
        .iter()
        .filter(|(_, r)| **r <= 328)
        .map(|(c, _)| population[c])
        .sum();
    let summary = json(&["summary", "--la", "Leeds", "--json"]);
    assert_eq!(summary["top1"]["population_to"], expected);
    let text = stdout(&run(&["summary", "--la", "Leeds"]));
    assert!(text.contains("Population in the 1%"), "{text}");

    // The ward profile's counts and its editions[] agree, and both equal the sum over the ward's LSOAs.
    let profile = json(&["ward", "Killingbeck & Seacroft", "--json"]);
    let lookup = common::embedded_rows(common::EMBEDDED_WARD_LOOKUP_2019);
    let ward_lsoas: HashSet<String> = lookup
        .iter()
        .filter(|r| r.values().any(|v| v == "E05011400"))
        .filter_map(|r| r.values().find(|v| v.starts_with("E01")).cloned())
        .collect();
    assert!(ward_lsoas.len() > 10);
    let in_top1: u64 = ward_lsoas
        .iter()
        .filter(|c| leeds[*c] <= 328)
        .map(|c| population[c])
        .sum();
    assert_eq!(profile["counts"][1]["population_in_top1"], in_top1);
    let editions = profile["editions"].as_array().unwrap();
    for counts in profile["counts"].as_array().unwrap() {
        let column = editions.iter().find(|e| e["edition"] == counts["edition"]).unwrap();
        for key in ["in_top1", "in_decile1", "population_in_decile1", "population_in_top1"] {
            assert_eq!(column["counts"][key], counts[key], "{key} of {}", counts["edition"]);
            if key.starts_with("population") {
                assert!(counts[key].is_u64(), "{key} is known: {profile}");
            }
        }
    }
}

#[test]
fn imd_2025_population_is_the_file_6_bridge_where_exact_and_labelled() {
    // Independently: a 2021 LSOA gets a population only when every 2011 parent lies wholly in it.
    let lookup = common::embedded_rows("Leeds_E08000035_lookup_lsoa11_lsoa21_ltla22.csv");
    let mut children: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut parents: HashMap<&str, HashSet<&str>> = HashMap::new();
    for row in &lookup {
        children
            .entry(&row["lsoa11_code"])
            .or_default()
            .insert(&row["lsoa21_code"]);
        parents
            .entry(&row["lsoa21_code"])
            .or_default()
            .insert(&row["lsoa11_code"]);
    }
    let population = file6_population();
    let exact = |lsoa21: &str| -> Option<u64> {
        parents[lsoa21]
            .iter()
            .map(|p| (children[p].len() == 1).then(|| population[*p]))
            .sum()
    };
    let ranks_2025: Vec<(String, u32)> = common::embedded_rows("File_1_IoD2025_Index_of_Multiple_Deprivation.csv")
        .into_iter()
        .filter(|r| r["Local Authority District code (2024)"] == "E08000035")
        .map(|r| {
            let rank = common::number(&r["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]);
            (r["LSOA code (2021)"].clone(), rank)
        })
        .collect();
    assert_eq!(ranks_2025.len(), 488);
    let expected: u64 = ranks_2025
        .iter()
        .filter(|(_, r)| *r <= 337)
        .filter_map(|(c, _)| exact(c))
        .sum();
    let without = ranks_2025.iter().filter(|(c, _)| exact(c).is_none()).count();
    let summary = json(&["summary", "--la", "Leeds", "--from", "2019", "--to", "2025", "--json"]);
    assert_eq!(summary["top1"]["population_to"], expected);
    assert_eq!(summary["lsoas_without_population"], without);
    let source = summary["population_source"].as_str().unwrap();
    assert!(source.contains("2021 LSOAs") && source.contains("File 6"), "{source}");
    assert!(summary["population_missing"].is_null());
}

#[test]
fn editions_in_reverse_are_put_in_order_with_a_word_and_the_same_twice_is_refused() {
    let reversed = run(&["summary", "--from", "2019", "--to", "2015", "--json"]);
    let stderr = String::from_utf8_lossy(&reversed.stderr).into_owned();
    assert!(
        stderr.contains("reverse order") && stderr.contains("2015 → 2019"),
        "{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout(&reversed)).unwrap();
    assert_eq!(
        (summary["from"].as_u64(), summary["to"].as_u64()),
        (Some(2015), Some(2019))
    );

    let same = run(&["changes", "--from", "2015", "--to", "2015"]);
    assert!(!same.status.success());
    assert!(same.stdout.is_empty());
    assert!(String::from_utf8_lossy(&same.stderr).contains("both editions"));

    // Editions of different N: the table shows percentile change and says why.
    let text = stdout(&run(&["changes", "--from", "2019", "--to", "2025"]));
    assert!(
        text.contains("Pctl ch") && text.contains("Percentile change is shown because IMD 2025 ranks 33755"),
        "{text}"
    );
}

#[test]
fn problems_are_ranked_and_counted_by_kind_and_the_embedded_notes_explain_themselves() {
    let text = stdout(&run(&["validate"]));
    // The embedded default opens clean: its notes are expected and each says why.
    assert!(text.contains("Problems: 0 errors, 0 warnings, 4 notes"), "{text}");
    let notes = &text[text.find("  Notes").expect("a notes section")..];
    assert!(
        notes.contains("the embedded default carries Leeds boundaries only"),
        "{text}"
    );
    assert!(notes.contains("the embedded Leeds lookup is ONS's best fit"), "{text}");
    let summary = run(&["summary"]);
    assert!(
        common::lines_without_cache_notes(&String::from_utf8_lossy(&summary.stderr)).is_empty(),
        "no problem line for notes alone"
    );
    // A folder copy of the same files is not the curated default: its Leeds-only boundaries and the ward
    // mismatches are warnings, listed before the notes, and the stderr line counts each kind apart.
    let folder = common::embedded_folder().to_string_lossy().into_owned();
    let text = stdout(&run(&["--data", &folder, "validate"]));
    let warnings = text.find("  Warnings").expect("a warnings section");
    assert!(
        text[warnings..].contains("another ward than the ONS best-fit lookup"),
        "{text}"
    );
    assert!(text[warnings..].contains("no national LSOA 2021 boundaries"), "{text}");
    assert!(text.contains("Problems: 0 errors, 4 warnings, 0 notes"), "{text}");
}

#[test]
fn the_full_folder_ranks_real_warnings_above_expected_notes() {
    let Some(data) = common::national_data("the_full_folder_ranks_real_warnings_above_expected_notes") else {
        return;
    };
    let text = stdout(&run(&["--data", &data.to_string_lossy(), "validate"]));
    let warnings = &text[text.find("  Warnings").expect("warnings")..text.find("  Notes").expect("notes")];
    assert!(warnings.contains("no national LSOA 2021 boundaries"), "{text}");
    assert!(warnings.contains("another ward than the ONS best-fit lookup"), "{text}");
    let notes = &text[text.find("  Notes").unwrap()..];
    for expected in [
        "no LSOA or ward code field",
        "Point shapes",
        "which is more detailed",
        "Welsh LSOAs",
    ] {
        assert!(notes.contains(expected), "{expected} is a note: {text}");
    }
}

#[test]
fn changes_csv_keeps_its_contract_columns_and_adds_the_years() {
    let text = stdout(&run(&["changes", "--csv", "--top1"]));
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("lsoa_code,lsoa_name,ward_code,ward_name,rank_from,rank_to,change,"),
        "{header}"
    );
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("{name}: {header}"))
    };
    assert!(
        at("rank_2015") > at("earlier_lsoas"),
        "year columns come after the contract's"
    );
    let leeds = common::embedded_ranks_2015_2019("E08000035");
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[at("rank_from")], cells[at("rank_2015")]);
        assert_eq!(cells[at("rank_2019")], leeds.1[cells[0]].to_string());
    }
}
