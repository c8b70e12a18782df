//! IMD 2025 on 2021 LSOAs, compared with IMD 2019 on 2011 LSOAs through the ONS lookup: counts checked against the
//! raw CSVs, the reconciliation against the lookup's own rows, and the bridging rule against File 6 populations.

mod common;

use common::{EMBEDDED_FILE2_2019, RANK_2015, embedded_dataset, embedded_rows, national_dataset, number, raw_rows};
use locality_map::analysis::{AreaFilter, EditionComparison, LaSummary, LeagueTable, Reconciliation, Transition};
use locality_map::model::{AreaCode, BoundaryChange, LsoaVintage};
use std::collections::{BTreeMap, HashMap};

// Leeds is checked on the embedded default's own copies of the official files (national tables, Leeds lookup rows).
const FILE1_2025: &str = "File_1_IoD2025_Index_of_Multiple_Deprivation.csv";
const RANK_2025: &str = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)";
/// The 2019 IMD ranks: the embedded default carries File 2, whose IMD rank column is File 1's under a longer name.
const RANK_2019: &str = RANK_2015;
const LOOKUP_LEEDS: &str = "Leeds_E08000035_lookup_lsoa11_lsoa21_ltla22.csv";
const LOOKUP_NATIONAL: &str = "lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv";
const FILE6_2019: &str = "File_6_-_IoD2019_Population_Denominators.csv";
const LEEDS: &str = "E08000035";

fn leeds_2019_to_2025() -> EditionComparison {
    EditionComparison::new(embedded_dataset(), &AreaFilter::parse("Leeds"), 2019, 2025).expect("2019 -> 2025 compares")
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

/// 2019 ranks of Leeds' 2011 LSOAs, straight from the CSV.
fn raw_2019_leeds() -> HashMap<String, u32> {
    common::ranks_of(
        embedded_rows(EMBEDDED_FILE2_2019),
        "LSOA code (2011)",
        RANK_2019,
        "Local Authority District code (2019)",
        LEEDS,
    )
}

/// 2025 ranks of Leeds' 2021 LSOAs, straight from the CSV.
fn raw_2025_leeds() -> HashMap<String, (u32, u32)> {
    embedded_rows(FILE1_2025)
        .into_iter()
        .filter(|r| r["Local Authority District code (2024)"] == LEEDS)
        .map(|r| {
            let decile_col = r
                .keys()
                .find(|k| k.starts_with("Index of Multiple Deprivation (IMD) Decile"))
                .unwrap();
            (
                r["LSOA code (2021)"].clone(),
                (number(&r[RANK_2025]), number(&r[decile_col])),
            )
        })
        .collect()
}

#[test]
fn leeds_2025_counts_equal_a_count_of_the_raw_file() {
    let raw = raw_2025_leeds();
    let comparison = leeds_2019_to_2025();
    assert_eq!(comparison.vintage, LsoaVintage::Lsoa2021);
    assert_eq!(raw.len(), 488);
    assert_eq!(comparison.rows.len(), 488, "Leeds has 488 2021 LSOAs");
    assert_eq!(
        (comparison.threshold_from, comparison.threshold_to),
        (328, 337),
        "each edition's own N"
    );
    assert_eq!((comparison.ranked_from, comparison.ranked_to), (32_844, 33_755));
    let top1 = raw.values().filter(|(rank, _)| *rank <= 337).count();
    let decile1 = raw.values().filter(|(_, decile)| *decile == 1).count();
    let summary = LaSummary::new(embedded_dataset(), &comparison).unwrap();
    assert_eq!(summary.top1.count_to, top1);
    assert_eq!(summary.decile1.count_to, decile1);
    // The 2019 side counts 2019's own 482 LSOAs, not bridged rows (a split parent must not count twice).
    let raw_2019 = raw_2019_leeds();
    assert_eq!(summary.lsoas_from, 482);
    assert_eq!(
        summary.top1.count_from,
        raw_2019.values().filter(|r| **r <= 328).count()
    );
    assert!(summary.comparison.is_bridged());
    for row in &comparison.rows {
        assert_eq!(row.rank_to, Some(raw[row.lsoa_code.as_str()].0), "{}", row.lsoa_code);
    }
}

#[test]
fn leeds_reconciliation_equals_the_lookup_rows() {
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for row in embedded_rows(LOOKUP_LEEDS)
        .into_iter()
        .filter(|r| r["ltla22_code"] == LEEDS)
    {
        *expected.entry(row["change_code"].clone()).or_default() += 1;
    }
    let report = Reconciliation::new(embedded_dataset(), &AreaFilter::parse("Leeds"), 2019, 2025).unwrap();
    assert_eq!((report.lsoas_from, report.lsoas_to, report.unaccounted), (482, 488, 0));
    for (letter, n) in &report.by_change {
        assert_eq!(*n, expected.get(*letter).copied().unwrap_or(0), "change {letter}");
        assert_eq!(report.rows[letter].len(), *n);
    }
    assert_eq!(
        report.by_change.values().sum::<usize>(),
        expected.values().sum::<usize>()
    );
}

#[test]
fn england_reconciliation_accounts_for_every_lsoa() {
    let Some(dataset) = national_dataset("england_reconciliation_accounts_for_every_lsoa") else {
        return;
    };
    let report = Reconciliation::new(dataset, &AreaFilter::England, 2019, 2025).unwrap();
    assert_eq!((report.lsoas_from, report.lsoas_to), (32_844, 33_755));
    assert_eq!(
        report.unaccounted, 0,
        "{:?} {:?}",
        report.unaccounted_from, report.unaccounted_to
    );
    let english_rows = raw_rows(LOOKUP_NATIONAL)
        .iter()
        .filter(|r| r["lsoa11_code"].starts_with("E01") || r["lsoa21_code"].starts_with("E01"))
        .count();
    assert_eq!(report.by_change.values().sum::<usize>(), english_rows);
    assert!(report.by_change["X"] > 0, "irregular rows are listed, not dropped");
}

#[test]
fn split_children_take_the_parent_rank_and_merges_the_population_weighted_mean() {
    let raw_2019: HashMap<String, u32> = embedded_rows(EMBEDDED_FILE2_2019)
        .into_iter()
        .map(|r| (r["LSOA code (2011)"].clone(), number(&r[RANK_2019])))
        .collect();
    let population: HashMap<String, f64> = embedded_rows(FILE6_2019)
        .into_iter()
        .map(|r| {
            let total = r.keys().find(|k| k.starts_with("Total population")).unwrap().clone();
            (r["LSOA code (2011)"].clone(), f64::from(number(&r[&total])))
        })
        .collect();
    let mut parents: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in embedded_rows(LOOKUP_LEEDS)
        .into_iter()
        .filter(|r| r["ltla22_code"] == LEEDS)
    {
        parents
            .entry(row["lsoa21_code"].clone())
            .or_default()
            .push((row["lsoa11_code"].clone(), row["change_code"].clone()));
    }
    let comparison = leeds_2019_to_2025();
    let (mut splits, mut merges) = (0, 0);
    for row in &comparison.rows {
        let list = &parents[row.lsoa_code.as_str()];
        let mut expected_parents: Vec<AreaCode> = list.iter().map(|(p, _)| code(p)).collect();
        expected_parents.sort();
        assert_eq!(row.earlier_lsoas, expected_parents, "{}", row.lsoa_code);
        let expected = if list.len() == 1 {
            if list[0].1 == "S" {
                splits += 1;
                assert_eq!(row.boundary_change, Some(BoundaryChange::Split));
            }
            raw_2019[&list[0].0]
        } else {
            merges += 1;
            assert_eq!(row.boundary_change, Some(BoundaryChange::Merged));
            let total: f64 = list.iter().map(|(p, _)| population[p]).sum();
            let mean: f64 = list
                .iter()
                .map(|(p, _)| f64::from(raw_2019[p]) * population[p])
                .sum::<f64>()
                / total;
            mean.round() as u32
        };
        assert_eq!(row.rank_from, Some(expected), "{}", row.lsoa_code);
        assert_eq!(row.change, Some(i64::from(row.rank_to.unwrap()) - i64::from(expected)));
        let percentile = 100.0 * (f64::from(row.rank_to.unwrap()) / 33_755.0 - f64::from(expected) / 32_844.0);
        assert!((row.percentile_change.unwrap() - percentile).abs() < 1e-9);
    }
    assert!(
        splits >= 14 && merges >= 1,
        "Leeds has split and merged LSOAs ({splits}, {merges})"
    );
}

#[test]
fn diagram3_across_the_boundary_change_keeps_every_lsoa_that_was_in_the_1_percent() {
    let comparison = leeds_2019_to_2025();
    let raw_2019 = raw_2019_leeds();
    let top1_2019: Vec<&String> = raw_2019.iter().filter(|(_, r)| **r <= 328).map(|(c, _)| c).collect();
    let diagram3: Vec<_> = comparison.top1_rows().collect();
    for parent in top1_2019 {
        assert!(
            diagram3.iter().any(|r| r.earlier_lsoas.contains(&code(parent))),
            "2019 1% LSOA {parent} is in the 2019 -> 2025 Diagram 3"
        );
    }
    let moved = comparison.count(Transition::MovedIn) + comparison.count(Transition::Stayed);
    assert_eq!(moved, raw_2025_leeds().values().filter(|(r, _)| *r <= 337).count());
}

#[test]
fn within_la_ranks_put_the_most_deprived_lsoa_first() {
    let comparison = EditionComparison::new(embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap();
    let mut by_rank: Vec<_> = comparison.rows.iter().filter(|r| r.rank_to.is_some()).collect();
    by_rank.sort_by_key(|r| r.rank_to);
    let within: Vec<u32> = by_rank.iter().map(|r| r.la_rank_to.unwrap()).collect();
    assert_eq!(
        within,
        (1..=482).collect::<Vec<u32>>(),
        "national order restricted to Leeds is 1..482"
    );
    assert!(
        comparison
            .rows
            .iter()
            .all(|r| r.boundary_change.is_none() && r.earlier_lsoas.is_empty())
    );
}

#[test]
fn league_table_ranks_every_la_in_both_editions() {
    // On the later edition's LAs (the default): IMD 2019 is recast onto the 296 LAs of 2025, so the change compares
    // like with like. The embedded lookup has Leeds' rows only; the other LSOAs go by the LA codes both files use.
    let recast = LeagueTable::new(embedded_dataset(), 2019, 2025).unwrap();
    assert_eq!(recast.rows.len(), 296, "LAs in IMD 2025");
    let leeds = recast.rows.iter().find(|r| r.la_code.as_str() == LEEDS).unwrap();
    assert_eq!(leeds.from.unwrap().lsoas, 482, "Leeds' 2011 LSOAs, through the lookup");
    assert!(leeds.rank_change.is_some());
    // On the 2019 LAs: the 317 of IMD 2019, with IMD 2025 recast onto them.
    let table = LeagueTable::on(embedded_dataset(), 2019, 2025, 2019).unwrap();
    assert_eq!(
        table.rows.iter().filter(|r| r.from.is_some()).count(),
        317,
        "LAs in IMD 2019"
    );
    let leeds = table.rows.iter().find(|r| r.la_code.as_str() == LEEDS).unwrap();
    assert_eq!(
        leeds.from.unwrap().rank_by_decile1_share,
        33,
        "as the LA summary says for 2019"
    );
    let table = recast;
    let leeds = table.rows.iter().find(|r| r.la_code.as_str() == LEEDS).unwrap();
    let raw = raw_2025_leeds();
    assert_eq!(
        leeds.to.unwrap().top1 as usize,
        raw.values().filter(|(r, _)| *r <= 337).count()
    );
    assert_eq!(leeds.to.unwrap().lsoas, 488);
    // The table is ordered by the 2025 rank, and the first LA has the highest 2025 share.
    let first = table.rows[0].to.unwrap();
    assert_eq!(first.rank_by_decile1_share, 1);
    assert!(
        table
            .rows
            .iter()
            .filter_map(|r| r.to)
            .all(|e| e.decile1_share <= first.decile1_share)
    );
}

#[test]
fn comparing_backwards_across_the_boundary_change_is_a_clear_error() {
    let error = EditionComparison::new(embedded_dataset(), &AreaFilter::parse("Leeds"), 2025, 2019).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("reverse order") && message.contains("--from 2019 --to 2025"),
        "{message}"
    );
}

#[test]
fn deciles_computed_from_ranks_equal_the_published_deciles() {
    // Domain and bridged deciles are computed from ranks; the rule must reproduce MHCLG's own IMD deciles exactly.
    // Both embedded tables are national: 2019 File 2 (whose IMD columns are File 1's) and 2025 File 1.
    for (file, n) in [(EMBEDDED_FILE2_2019, 32_844), (FILE1_2025, 33_755)] {
        let rows = embedded_rows(file);
        let decile_col = rows[0]
            .keys()
            .find(|k| k.starts_with("Index of Multiple Deprivation (IMD) Decile"))
            .unwrap()
            .clone();
        let rank_col = rows[0].keys().find(|k| k.contains("IMD) Rank")).unwrap().clone();
        assert_eq!(rows.len(), n);
        for row in &rows {
            let rank = number(&row[&rank_col]);
            assert_eq!(
                u32::from(locality_map::analysis::decile_of_rank(rank, n as u32)),
                number(&row[&decile_col]),
                "{file}: rank {rank}"
            );
        }
    }
}
