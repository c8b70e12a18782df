//! MHCLG's area summary measures, checked three ways: against values this test computes itself from the raw
//! published files (read with the independent CSV reader in `common`, not the library's loaders), against MHCLG's
//! published File 10 figures for every LA (fixture), and against the figures MHCLG publishes for Leeds.

mod common;

use locality_map::analysis::{AreaSummaryTable, LeagueTable, SummaryMeasure};
use locality_map::model::Index;
use std::collections::HashMap;

const FILE2: &str = "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv";
const FILE6: &str = "imd2019/File_6_-_IoD2019_Population_Denominators.csv";
const SCORES: &str = "imd2019/IoD2019_Scores_IMD_Income_Employment_derived.csv";
const LA_COL: &str = "Local Authority District code (2019)";
const N: f64 = 32_844.0;

/// Leeds, Birmingham (the largest LA), Middlesbrough (most deprived by proportion), City of London (6 LSOAs) and
/// the Isles of Scilly (1 LSOA).
const LAS: [&str; 5] = ["E08000035", "E08000025", "E06000002", "E09000001", "E06000053"];

/// A figure per LSOA code.
type ByLsoa = HashMap<String, f64>;

/// The ward lookup rows, total populations and IMD scores by LSOA, straight from the raw files.
fn raw_leeds_inputs() -> (Vec<HashMap<String, String>>, ByLsoa, ByLsoa) {
    let lookup =
        common::raw_rows("lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv");
    let people = common::raw_rows(FILE6)
        .into_iter()
        .map(|r| {
            (
                r["LSOA code (2011)"].clone(),
                f64::from(common::number(&r["Total population: mid 2015 (excluding prisoners)"])),
            )
        })
        .collect();
    let scores = common::raw_rows(SCORES)
        .into_iter()
        .map(|r| {
            (
                r["LSOA code (2011)"].clone(),
                r["Index of Multiple Deprivation (IMD) Score"].parse().unwrap(),
            )
        })
        .collect();
    (lookup, people, scores)
}

/// One LSOA as the raw files give it, for one index.
#[derive(Clone, Copy)]
struct Raw {
    rank: f64,
    decile: u32,
    score: Option<f64>,
    people: f64,
}

/// Every LA's LSOAs for one index, straight from Files 2 and 6 and the scores CSV.
fn raw_by_la(index_prefix: &str, population_col: &str, score_col: Option<&str>) -> HashMap<String, Vec<Raw>> {
    let people: HashMap<String, f64> = common::raw_rows(FILE6)
        .into_iter()
        .map(|r| {
            (
                r["LSOA code (2011)"].clone(),
                f64::from(common::number(&r[population_col])),
            )
        })
        .collect();
    let scores: HashMap<String, f64> = match score_col {
        Some(col) => common::raw_rows(SCORES)
            .into_iter()
            .map(|r| (r["LSOA code (2011)"].clone(), r[col].parse::<f64>().unwrap()))
            .collect(),
        None => HashMap::new(),
    };
    let rank_col = format!("{index_prefix} Rank (where 1 is most deprived)");
    let decile_col = format!("{index_prefix} Decile (where 1 is most deprived 10% of LSOAs)");
    let mut by_la: HashMap<String, Vec<Raw>> = HashMap::new();
    for row in common::raw_rows(FILE2) {
        let code = &row["LSOA code (2011)"];
        by_la.entry(row[LA_COL].clone()).or_default().push(Raw {
            rank: f64::from(common::number(&row[&rank_col])),
            decile: common::number(&row[&decile_col]),
            score: scores.get(code).copied(),
            people: people[code],
        });
    }
    by_la
}

/// The measures computed here, the plain way: (average rank, average score, proportion, extent, local concentration, scale).
fn expected(lsoas: &[Raw]) -> [Option<f64>; 6] {
    let total: f64 = lsoas.iter().map(|l| l.people).sum();
    let average_rank = lsoas.iter().map(|l| l.people * (N + 1.0 - l.rank)).sum::<f64>() / total;
    let all_scored = lsoas.iter().all(|l| l.score.is_some());
    let average_score = all_scored.then(|| lsoas.iter().map(|l| l.people * l.score.unwrap()).sum::<f64>() / total);
    let proportion = lsoas.iter().filter(|l| l.decile == 1).count() as f64 / lsoas.len() as f64;
    let weight = |rank: f64| {
        let percentile = (rank / N * 100.0).ceil();
        if percentile <= 10.0 {
            1.0
        } else if percentile <= 30.0 {
            0.95 - (percentile - 11.0) * (0.9 / 19.0)
        } else {
            0.0
        }
    };
    let extent = lsoas.iter().map(|l| l.people * weight(l.rank)).sum::<f64>() / total;
    let mut sorted = lsoas.to_vec();
    sorted.sort_by(|a, b| a.rank.total_cmp(&b.rank));
    let mut left = total * 0.1;
    let mut sum = 0.0;
    for l in &sorted {
        let take = l.people.min(left);
        sum += take * (N + 1.0 - l.rank);
        left -= take;
        if left <= 0.0 {
            break;
        }
    }
    let concentration = sum / (total * 0.1);
    let scale = all_scored.then(|| lsoas.iter().map(|l| l.people * l.score.unwrap()).sum::<f64>());
    [
        Some(average_rank),
        average_score,
        Some(proportion),
        Some(extent),
        Some(concentration),
        scale,
    ]
}

/// 1 = highest value; ties share the lowest rank.
fn rank_among(value: f64, all: impl Iterator<Item = f64>) -> u32 {
    1 + all.filter(|v| *v > value).count() as u32
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn check_index(index: Index, prefix: &str, population_col: &str, score_col: Option<&str>, with_scale: bool) {
    let Some(data) = common::national_data("area_summaries") else {
        return;
    };
    let dataset = common::national_tables(data);
    let table = AreaSummaryTable::las(dataset, 2019, index, None).unwrap();
    assert_eq!(table.rows.len(), 317);
    let raw = raw_by_la(prefix, population_col, score_col);
    let all: HashMap<&String, [Option<f64>; 6]> = raw.iter().map(|(la, l)| (la, expected(l))).collect();
    for la in LAS {
        let row = table.rows.iter().find(|r| r.area_code == la).unwrap();
        let want = all[&la.to_string()];
        assert_eq!(row.lsoas as usize, raw[la].len(), "{la}");
        for (i, measure) in SummaryMeasure::ALL.into_iter().enumerate() {
            let (got, got_rank) = measure.of(row);
            let want_value = if measure == SummaryMeasure::Scale && !with_scale {
                None
            } else {
                want[i]
            };
            match (got, want_value) {
                (Some(g), Some(w)) => {
                    assert!(close(g, w), "{la} {index:?} {measure:?}: {g} vs {w}");
                    let rank = rank_among(w, all.values().filter_map(|v| v[i]));
                    assert_eq!(got_rank, Some(rank), "{la} {index:?} rank of {measure:?}");
                }
                (None, None) => assert_eq!(got_rank, None),
                other => panic!("{la} {index:?} {measure:?}: {other:?}"),
            }
        }
        assert_eq!(row.peers, 317);
    }
}

#[test]
fn imd_measures_match_an_independent_calculation_for_las_of_every_size() {
    check_index(
        Index::Imd,
        "Index of Multiple Deprivation (IMD)",
        "Total population: mid 2015 (excluding prisoners)",
        Some("Index of Multiple Deprivation (IMD) Score"),
        false,
    );
}

#[test]
fn income_measures_use_total_population_and_give_a_scale() {
    check_index(
        Index::Income,
        "Income",
        "Total population: mid 2015 (excluding prisoners)",
        Some("Income Score (rate)"),
        true,
    );
}

#[test]
fn employment_measures_use_the_working_age_population() {
    check_index(
        Index::Employment,
        "Employment",
        "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
        Some("Employment Score (rate)"),
        true,
    );
}

#[test]
fn health_has_no_scores_loaded_so_average_score_is_empty_and_said_why() {
    check_index(
        Index::Health,
        "Health Deprivation and Disability",
        "Total population: mid 2015 (excluding prisoners)",
        None,
        false,
    );
    let Some(data) = common::national_data("area_summaries_health_note") else {
        return;
    };
    let dataset = common::national_tables(data);
    let table = AreaSummaryTable::las(dataset, 2019, Index::Health, None).unwrap();
    assert!(table.notes.iter().any(|n| n.contains("scores")), "{:?}", table.notes);
}

/// File 10's name for an index's measure: (value column, rank column).
fn file10_columns(index: Index, measure: SummaryMeasure) -> Option<(String, String)> {
    let prefix = match index {
        Index::Imd => "IMD",
        Index::Income => "Income",
        Index::Employment => "Employment",
        Index::Education => "Education, Skills and Training",
        Index::Health => "Health Deprivation and Disability",
        Index::Crime => "Crime",
        Index::Housing => "Barriers to Housing and Services",
        Index::LivingEnvironment => "Living Environment",
        Index::Idaci => "IDACI",
        Index::Idaopi => "IDAOPI",
    };
    // "Average rank" → "Rank of average rank": only the first letter turns small ("LSOAs" stays).
    let pair = |what: &str| {
        let small = what[..1].to_lowercase() + &what[1..];
        (format!("{prefix} - {what}"), format!("{prefix} - Rank of {small}"))
    };
    match measure {
        SummaryMeasure::AverageRank => Some(pair("Average rank")),
        SummaryMeasure::AverageScore => Some(pair("Average score")),
        SummaryMeasure::Proportion => Some(pair("Proportion of LSOAs in most deprived 10% nationally")),
        SummaryMeasure::Extent if index == Index::Imd => {
            Some(("IMD 2019 - Extent".into(), "IMD 2019 - Rank of extent".into()))
        }
        SummaryMeasure::LocalConcentration if index == Index::Imd => Some((
            "IMD 2019 - Local concentration".into(),
            "IMD 2019 - Rank of local concentration".into(),
        )),
        SummaryMeasure::Scale if matches!(index, Index::Income | Index::Employment) => {
            Some((format!("{prefix} scale"), format!("Rank of {prefix} Scale")))
        }
        _ => None,
    }
}

/// MHCLG's File 10 (fixture, every column): every LA, every index, every measure, as published.
///
/// Proportions need only the ranks: they and their ranks must all agree. Extent, average rank and local
/// concentration also weight by File 6's populations, and File 6's notes say those went through ONS disclosure
/// control, "resulting in some count modification to the original estimates used in the calculation of the
/// IoD2019", so some LAs' figures land a step away (for Leeds ±1 person in three LSOAs would be enough). Those LAs
/// differ on almost every index at once (173 LAs agree on all seven indices weighted by total population, 29 on
/// none; independent misses would give about 72 and 0). Average scores also differ because the LSOA scores are
/// published rounded to 3 decimals; Employment because the CSV here has File 6's working-age denominators (which
/// are in quarter-persons) rounded whole; the scales because MHCLG sums numerators that no file here carries.
#[test]
fn every_la_matches_mhclgs_published_file10() {
    let Some(data) = common::national_data("area_summaries_file10") else {
        return;
    };
    let dataset = common::national_tables(data);
    let published = common::rows_of_csv(include_bytes!("fixtures/imd2019_file10_lad_summaries.csv"));
    assert_eq!(published.len(), 317);
    // (index, measure, LAs allowed to differ as published, how far at most); the proportions must all agree.
    let mut checks = vec![
        (Index::Imd, SummaryMeasure::AverageScore, 12, 0.0011),
        (Index::Imd, SummaryMeasure::Extent, 1, 0.0001),
        (Index::Imd, SummaryMeasure::LocalConcentration, 49, 0.19),
        (Index::Income, SummaryMeasure::AverageScore, 9, 0.0011),
        (Index::Employment, SummaryMeasure::AverageScore, 13, 0.0011),
        (Index::Income, SummaryMeasure::Scale, 317, 0.0132),
        (Index::Employment, SummaryMeasure::Scale, 317, 0.007),
    ];
    for (index, allowed, within) in [
        (Index::Imd, 60, 0.14),
        (Index::Income, 83, 0.09),
        (Index::Employment, 313, 1.08),
        (Index::Education, 60, 0.13),
        (Index::Health, 51, 0.2),
        (Index::Crime, 51, 0.12),
        (Index::Housing, 65, 0.23),
        (Index::LivingEnvironment, 51, 0.2),
        (Index::Idaci, 121, 0.77),
        (Index::Idaopi, 111, 1.92),
    ] {
        checks.push((index, SummaryMeasure::AverageRank, allowed, within));
        checks.push((index, SummaryMeasure::Proportion, 0, 0.0));
    }
    for (index, measure, allowed, within) in checks {
        let (column, rank_column) = file10_columns(index, measure).unwrap();
        let table = AreaSummaryTable::las(dataset, 2019, index, None).unwrap();
        let mut differ = Vec::new();
        for la in &published {
            let code = &la["Local Authority District code (2019)"];
            let row = table.rows.iter().find(|r| &r.area_code == code).unwrap();
            let (value, rank) = measure.of(row);
            let got: f64 = measure.format(value.unwrap(), index).parse().unwrap();
            let want: f64 = la[&column].parse().unwrap();
            if (got - want).abs() > 1e-9 {
                differ.push((code.clone(), got, want));
            } else if measure == SummaryMeasure::Proportion {
                assert_eq!(
                    rank,
                    Some(la[&rank_column].parse().unwrap()),
                    "{code} {index:?} rank of {measure:?}"
                );
            }
        }
        let far = |(_, got, want): &&(String, f64, f64)| {
            let apart = (got - want).abs() - 1e-9; // published decimals are not exact in binary
            // Scales as a share of the published figure; Rushmoor's IDAOPI average rank (123 apart) is the one
            // miss no population rounding explains: its IDAOPI rank-1 LSOA would need 421 older people, not 284.
            if measure == SummaryMeasure::Scale {
                apart / want > within
            } else {
                apart > within
            }
        };
        let odd: Vec<_> = differ
            .iter()
            .filter(far)
            .filter(|d| !(index == Index::Idaopi && d.0 == "E07000092"))
            .collect();
        assert!(
            differ.len() <= allowed && odd.is_empty(),
            "{index:?} {measure:?}: {} differ: {odd:?}",
            differ.len()
        );
    }
}

/// MHCLG's published IoD2019 IMD summary of Leeds (E08000035) among the 317 LAs.
#[test]
fn leeds_2019_imd_as_mhclg_publishes_it() {
    let Some(data) = common::national_data("area_summaries_leeds") else {
        return;
    };
    let dataset = common::national_tables(data);
    let table = AreaSummaryTable::las(dataset, 2019, Index::Imd, None).unwrap();
    let leeds = table.rows.iter().find(|r| r.area_code == "E08000035").unwrap();
    let shown = |m: SummaryMeasure| {
        let (value, rank) = m.of(leeds);
        (m.format(value.unwrap(), Index::Imd), rank.unwrap())
    };
    assert_eq!(shown(SummaryMeasure::AverageScore), ("27.301".into(), 55));
    assert_eq!(shown(SummaryMeasure::Proportion), ("0.2365".into(), 33));
    assert_eq!(shown(SummaryMeasure::Extent), ("0.3284".into(), 50));
    // Published: average rank 18,909.26 (92nd) and local concentration 32,257.45 (28th). The ranks agree; File 6's
    // published populations give 18,909.24 and 32,257.44, and no rule does better: File 6 is the disclosure-
    // controlled copy of the denominators MHCLG used (see every_la_matches_mhclgs_published_file10).
    assert_eq!(shown(SummaryMeasure::AverageRank).1, 92);
    assert_eq!(shown(SummaryMeasure::LocalConcentration).1, 28);
    assert!((leeds.average_rank.unwrap() - 18_909.26).abs() < 0.03);
    assert!((leeds.local_concentration.unwrap() - 32_257.45).abs() < 0.02);
    assert_eq!(leeds.peers, 317);
}

#[test]
fn ward_league_ranks_leeds_wards_among_themselves() {
    let Some(data) = common::national_data("area_summaries_wards") else {
        return;
    };
    let dataset = common::national_tables(data);
    let table = AreaSummaryTable::wards(dataset, 2019, Index::Imd, "Leeds").unwrap();
    assert_eq!(table.rows.len(), 33);
    assert_eq!(table.rows.iter().map(|r| r.lsoas).sum::<u32>(), 482);
    let mut ranks: Vec<u32> = table.rows.iter().filter_map(|r| r.rank_of_average_score).collect();
    ranks.sort_unstable();
    assert_eq!(ranks, (1..=33).collect::<Vec<_>>());
    // Independent: each ward's average score from the raw lookup, File 6 and the scores.
    let (lookup, people, scores) = raw_leeds_inputs();
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for row in lookup.iter().filter(|r| r["LAD19CD"] == "E08000035") {
        let entry = sums.entry(row["WD19CD"].clone()).or_default();
        entry.0 += people[&row["LSOA11CD"]] * scores[&row["LSOA11CD"]];
        entry.1 += people[&row["LSOA11CD"]];
    }
    for row in &table.rows {
        let (weighted, total) = sums[&row.area_code];
        assert!(close(row.average_score.unwrap(), weighted / total), "{}", row.area_name);
    }
}

#[test]
fn imd2015_is_recast_onto_the_2019_las_and_its_missing_population_is_said_once() {
    let Some(data) = common::national_data("area_summaries_recast") else {
        return;
    };
    let dataset = common::national_tables(data);
    let own = AreaSummaryTable::las(dataset, 2015, Index::Imd, None).unwrap();
    let recast = AreaSummaryTable::las(dataset, 2015, Index::Imd, Some(2019)).unwrap();
    assert_eq!(own.rows.len(), 326, "LAD 2013");
    assert_eq!(recast.rows.len(), 317, "LAD 2019");
    // No IoD2015 population denominators here: empty, never zero, and said once.
    assert!(
        recast
            .rows
            .iter()
            .all(|r| r.average_rank.is_none() && r.extent.is_none())
    );
    assert_eq!(
        recast
            .notes
            .iter()
            .filter(|n| n.contains("population denominators"))
            .count(),
        1
    );
    // Independently: 2015 decile-1 counts of every 2019 LA, from the two File 1 CSVs.
    let la_2019: HashMap<String, String> = common::raw_rows(common::FILE1_2019)
        .into_iter()
        .map(|r| (r["LSOA code (2011)"].clone(), r[LA_COL].clone()))
        .collect();
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for row in common::raw_rows(common::FILE1_2015) {
        let entry = counts.entry(la_2019[&row["LSOA code (2011)"]].clone()).or_default();
        entry.0 += 1;
        entry.1 +=
            u32::from(row["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"] == "1");
    }
    for row in &recast.rows {
        let (lsoas, decile1) = counts[&row.area_code];
        assert_eq!(row.lsoas, lsoas, "{}", row.area_name);
        assert!(close(
            row.proportion_most_deprived_10pct.unwrap(),
            f64::from(decile1) / f64::from(lsoas)
        ));
    }
    // The league's change column compares like with like: every 2019 LA has a recast 2015 figure.
    let league = LeagueTable::new(dataset, 2015, 2019).unwrap();
    assert_eq!(league.rows.len(), 317);
    assert!(league.rows.iter().all(|r| r.rank_change.is_some()));
    let kept = LeagueTable::on(dataset, 2015, 2019, 2015).unwrap();
    assert_eq!(kept.rows.len(), 326);
}

#[test]
fn imd2025_without_population_gives_proportions_only() {
    let Some(data) = common::national_data("area_summaries_2025") else {
        return;
    };
    let dataset = common::national_tables(data);
    let table = AreaSummaryTable::las(dataset, 2025, Index::Imd, None).unwrap();
    assert_eq!(table.rows.len(), 296);
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.average_rank.is_none() && r.proportion_most_deprived_10pct.is_some())
    );
    let leeds = table.rows.iter().find(|r| r.area_code == "E08000035").unwrap();
    assert_eq!(leeds.lsoas, 488);
    assert!(close(leeds.proportion_most_deprived_10pct.unwrap(), 84.0 / 488.0));
    assert_eq!(
        table.notes.iter().filter(|n| n.contains("IoD2025 population")).count(),
        1
    );
}

#[test]
fn a_grouping_file_with_unknown_wards_names_them_and_still_summarises_the_rest() {
    let Some(data) = common::national_data("area_summaries_groups_cli") else {
        return;
    };
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/leeds_community_committees.csv"
    );
    let mut text = std::fs::read_to_string(fixture).unwrap();
    text.push_str("Armly,Inner West\nNowhere Town,Outer West\n");
    let groups = std::env::temp_dir().join(format!("lm-groups-{}.csv", std::process::id()));
    std::fs::write(&groups, text).unwrap();
    let png = std::env::temp_dir().join(format!("lm-groups-{}.png", std::process::id()));
    std::fs::remove_file(&png).ok();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .arg("--data")
        .arg(&data)
        .args([
            "areas",
            "--edition",
            "2019",
            "--level",
            "group",
            "--la",
            "Leeds",
            "--csv",
            "--groups",
        ])
        .arg(&groups)
        .arg("--png")
        .arg(&png)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "unknown wards are an error");
    assert!(
        stderr.contains("\"Armly\" (row 35)") && stderr.contains("\"Nowhere Town\" (row 36)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&groups.display().to_string()),
        "names the file: {stderr}"
    );
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "area_code,area_name,lsoas,population,average_rank,rank_of_average_rank,average_score,rank_of_average_score,proportion_most_deprived_10pct,rank_of_proportion,extent,rank_of_extent,local_concentration,rank_of_local_concentration,scale,rank_of_scale,peers"
    );
    let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(str::to_string).collect()).collect();
    assert_eq!(rows.len(), 10, "all ten committees, the known wards of each");
    assert_eq!(rows.iter().map(|r| r[2].parse::<u32>().unwrap()).sum::<u32>(), 482);
    let inner_east = rows.iter().find(|r| r[0] == "Inner East").unwrap();
    assert_eq!(inner_east[7], "1", "the most deprived committee on average score");
    assert!(rows.iter().all(|r| r[16] == "10"));
    // Independently: Inner East's average score from the lookup, File 6 and the scores.
    let (lookup, people, scores) = raw_leeds_inputs();
    let wards = [
        "Burmantofts & Richmond Hill",
        "Gipton & Harehills",
        "Killingbeck & Seacroft",
    ];
    let (mut weighted, mut total) = (0.0, 0.0);
    for row in lookup
        .iter()
        .filter(|r| r["LAD19CD"] == "E08000035" && wards.contains(&r["WD19NM"].as_str()))
    {
        weighted += people[&row["LSOA11CD"]] * scores[&row["LSOA11CD"]];
        total += people[&row["LSOA11CD"]];
    }
    assert_eq!(inner_east[6], format!("{:.3}", weighted / total));
    let (w, h) = {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
        let reader = decoder.read_info().unwrap();
        (reader.info().width, reader.info().height)
    };
    assert_eq!((w, h), (1754, 1240));
    std::fs::remove_file(&groups).ok();
    std::fs::remove_file(&png).ok();
}

/// MHCLG's scale sums the domain numerators, which no rank or score file carries; rate × denominator from the
/// published (shrinkage-estimated) rates runs high. The figure is close but is said to be an estimate.
#[test]
fn leeds_2019_scales_are_close_to_mhclgs_and_said_to_be_estimates() {
    let Some(data) = common::national_data("area_summaries_scales") else {
        return;
    };
    let dataset = common::national_tables(data);
    for (index, published) in [(Index::Income, 110_344.0), (Index::Employment, 50_428.75)] {
        let table = AreaSummaryTable::las(dataset, 2019, index, None).unwrap();
        let leeds = table.rows.iter().find(|r| r.area_code == "E08000035").unwrap();
        let scale = leeds.scale.unwrap();
        assert!(
            scale >= published && (scale - published) / published < 0.005,
            "{index:?}: {scale} against the published {published}"
        );
        assert!(
            table
                .notes
                .iter()
                .any(|n| n.contains("scale is estimated") && n.contains("numerators")),
            "{index:?}: {:?}",
            table.notes
        );
    }
}

/// MHCLG's File 6 as published (`.xlsx`, working-age population in quarter-persons), given by
/// `LOCALITY_MAP_FILE6_XLSX`: with it, Employment average ranks agree with File 10 for most LAs (the rounded CSV
/// copy in ../shared/data agrees for 4). The rest differ by File 6's disclosure control (see
/// every_la_matches_mhclgs_published_file10).
/// The workbook is not in ../shared/data, so the test is ignored by default (a skip would be one CI refuses): run it
/// with `LOCALITY_MAP_FILE6_XLSX=… cargo test --test area_summaries -- --ignored`.
#[test]
#[ignore = "needs MHCLG's File 6 xlsx: set LOCALITY_MAP_FILE6_XLSX and run with --ignored"]
fn employment_average_rank_with_file6_as_published_matches_file10() {
    let xlsx = std::env::var_os("LOCALITY_MAP_FILE6_XLSX")
        .map(std::path::PathBuf::from)
        .expect("set LOCALITY_MAP_FILE6_XLSX to MHCLG's File_6_-_IoD2019_Population_Denominators.xlsx");
    let Some(data) = common::national_data("area_summaries_file6_xlsx") else {
        return;
    };
    // File 2's ranks beside the published workbook, and nothing else: the CSV copy of File 6 must not be read.
    let folder = common::scratch_for_this_process("file6-xlsx-file10");
    std::fs::copy(data.join(FILE2), folder.join("File_2.csv")).unwrap();
    std::fs::copy(&xlsx, folder.join("File_6.xlsx")).unwrap_or_else(|e| panic!("{}: {e}", xlsx.display()));
    let options = locality_map::io::LoadOptions {
        boundaries: false,
        ..locality_map::io::LoadOptions::default()
    };
    let dataset =
        locality_map::io::load_dataset(&locality_map::io::DataSource::Folder(folder.clone()), &options).unwrap();
    let warnings = dataset.report.count_at_least(locality_map::model::Severity::Warning);
    assert_eq!(warnings, 0, "{:#?}", dataset.report.ranked());
    let table = AreaSummaryTable::las(&dataset, 2019, Index::Employment, None).unwrap();
    let published = common::rows_of_csv(include_bytes!("fixtures/imd2019_file10_lad_summaries.csv"));
    let mut agree = 0;
    for la in &published {
        let code = &la["Local Authority District code (2019)"];
        let row = table.rows.iter().find(|r| &r.area_code == code).unwrap();
        let got = row
            .average_rank
            .unwrap_or_else(|| panic!("{code}: no Employment average rank"));
        let shown: f64 = SummaryMeasure::AverageRank
            .format(got, Index::Employment)
            .parse()
            .unwrap();
        let want: f64 = la["Employment - Average rank"].parse().unwrap();
        agree += usize::from((shown - want).abs() < 1e-9);
    }
    eprintln!(
        "Employment average rank: {agree} of {} LAs as File 10 publishes it",
        published.len()
    );
    assert!(agree >= 230, "only {agree} of 317 LAs agree with File 10");
    std::fs::remove_dir_all(&folder).ok();
}
