//! Published facts about Leeds and a second LA, checked on the official files: Leeds on the embedded default (which the
//! repository carries), what needs the national lookups and boundaries on `../shared/data`.

mod common;

use common::*;
use locality_map::analysis::{AreaFilter, EditionComparison, LaSummary, Transition, WardProfile};
use locality_map::model::{AreaCode, LsoaVintage};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn leeds() -> EditionComparison {
    EditionComparison::new(embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap()
}

#[test]
fn leeds_has_482_lsoas_in_33_wards() {
    let comparison = leeds();
    assert_eq!(comparison.la_code.as_str(), "E08000035");
    assert_eq!(comparison.rows.len(), 482);
    let wards: BTreeSet<_> = comparison.rows.iter().filter_map(|r| r.ward_code).collect();
    assert_eq!(wards.len(), 33);
    assert!(
        comparison.rows.iter().all(|r| r.ward_code.is_some()),
        "every Leeds LSOA has a ward"
    );
}

#[test]
fn leeds_has_16_lsoas_in_the_1_percent_in_2015_and_12_in_2019() {
    let summary = LaSummary::new(embedded_dataset(), &leeds()).unwrap();
    assert_eq!((summary.top1.threshold_from, summary.top1.threshold_to), (328, 328));
    assert_eq!((summary.top1.count_from, summary.top1.count_to), (16, 12));
    assert_eq!((summary.decile1.count_from, summary.decile1.count_to), (105, 114));
}

#[test]
fn leeds_ranks_equal_the_official_files() {
    let comparison = leeds();
    let by_code: BTreeMap<&str, _> = comparison.rows.iter().map(|r| (r.lsoa_code.as_str(), r)).collect();
    // From PROVENANCE.md's validation table (checked against the MHCLG files).
    for (code, rank_2015, rank_2019) in [
        ("E01011372", 22, 38),
        ("E01011368", 37, 88),
        ("E01011662", 123, 60),
        ("E01033035", 66, 355),
        ("E01011623", 1031, 318),
        ("E01011624", 328, 501),
        ("E01011363", 229, 134),
    ] {
        let row = by_code[code];
        assert_eq!(
            (row.rank_from, row.rank_to),
            (Some(rank_2015), Some(rank_2019)),
            "{code}"
        );
        assert_eq!(row.change, Some(i64::from(rank_2019) - i64::from(rank_2015)), "{code}");
    }
    // And every Leeds rank, against the raw CSVs read independently.
    let (raw_2015, raw_2019) = embedded_ranks_2015_2019("E08000035");
    for row in &comparison.rows {
        assert_eq!(
            row.rank_from,
            raw_2015.get(row.lsoa_code.as_str()).copied(),
            "{}",
            row.lsoa_code
        );
        assert_eq!(
            row.rank_to,
            raw_2019.get(row.lsoa_code.as_str()).copied(),
            "{}",
            row.lsoa_code
        );
    }
}

/// Where a check reads its data: the loaded dataset, and the same files read raw.
struct Sources {
    dataset: &'static locality_map::model::Dataset,
    ranks: (HashMap<String, u32>, HashMap<String, u32>),
    ward_lookup: Vec<HashMap<String, String>>,
}

fn embedded_sources() -> Sources {
    Sources {
        dataset: embedded_dataset(),
        ranks: embedded_ranks_2015_2019("E08000035"),
        ward_lookup: embedded_rows(EMBEDDED_WARD_LOOKUP_2019),
    }
}

/// Transitions and priority wards, derived from the raw CSVs and the raw ward lookup without the library.
fn check_transitions_and_priority_wards(la_name: &str, sources: Sources) {
    let Sources {
        dataset,
        ranks: (raw_2015, raw_2019),
        ward_lookup: lookup,
    } = sources;
    let comparison = EditionComparison::new(dataset, &AreaFilter::parse(la_name), 2015, 2019).unwrap();
    let in_1pc = |rank: Option<&u32>| rank.is_some_and(|r| *r <= 32_844 / 100);
    let mut expected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for code in raw_2019.keys() {
        let label = match (in_1pc(raw_2015.get(code)), in_1pc(raw_2019.get(code))) {
            (true, true) => "stayed",
            (false, true) => "moved_in",
            (true, false) => "moved_out",
            (false, false) => "outside",
        };
        expected.entry(label).or_default().insert(code.clone());
    }
    let mut actual: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for row in &comparison.rows {
        actual
            .entry(row.transition.key())
            .or_default()
            .insert(row.lsoa_code.to_string());
    }
    assert_eq!(actual, expected, "{la_name} transitions");

    let ward_of: BTreeMap<String, String> = lookup
        .into_iter()
        .map(|r| (r["LSOA11CD"].clone(), r["WD19CD"].clone()))
        .collect();
    let mut expected_priority: BTreeMap<String, usize> = BTreeMap::new();
    for (code, rank) in &raw_2019 {
        if in_1pc(Some(rank)) {
            *expected_priority.entry(ward_of[code].clone()).or_default() += 1;
        }
    }
    let summary = LaSummary::new(dataset, &comparison).unwrap();
    let actual_priority: BTreeMap<String, usize> = summary
        .priority_wards
        .iter()
        .flatten()
        .map(|w| (w.code.to_string(), w.lsoas_in_top1))
        .collect();
    assert_eq!(actual_priority, expected_priority, "{la_name} priority wards");
}

#[test]
fn leeds_transitions_and_priority_wards_match_an_independent_count() {
    check_transitions_and_priority_wards("Leeds", embedded_sources());
    let summary = LaSummary::new(embedded_dataset(), &leeds()).unwrap();
    assert_eq!(
        (summary.top1.stayed, summary.top1.moved_in, summary.top1.moved_out),
        (9, 3, 7)
    );
    assert_eq!(
        summary.priority_wards.as_ref().expect("Leeds wards are loaded").len(),
        6
    );
}

#[test]
fn middlesbrough_transitions_and_priority_wards_match_an_independent_count() {
    // Middlesbrough's wards come from the national lookup, which only the national folder has.
    let Some(dataset) = national_dataset("middlesbrough_transitions_and_priority_wards_match_an_independent_count")
    else {
        return;
    };
    let sources = Sources {
        dataset,
        ranks: ranks_2015_2019("E06000002"),
        ward_lookup: raw_rows(
            "lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv",
        ),
    };
    check_transitions_and_priority_wards("Middlesbrough", sources);
}

#[test]
fn population_comes_from_file_6_mid_2015() {
    let comparison = leeds();
    let source = comparison.population_source.clone().unwrap();
    assert!(source.contains("mid 2015") && source.contains("File_6"), "{source}");
    let file6 = embedded_rows("File_6_-_IoD2019_Population_Denominators.csv");
    let population: BTreeMap<String, u64> = file6
        .iter()
        .map(|r| {
            (
                r["LSOA code (2011)"].clone(),
                u64::from(number(&r["Total population: mid 2015 (excluding prisoners)"])),
            )
        })
        .collect();
    let expected: u64 = comparison
        .rows
        .iter()
        .filter(|r| r.decile_to == Some(1))
        .map(|r| population[r.lsoa_code.as_str()])
        .sum();
    let summary = LaSummary::new(embedded_dataset(), &comparison).unwrap();
    assert_eq!(summary.decile1.population_to, Some(expected));
}

#[test]
fn leeds_rank_among_las_by_decile1_share_is_computed_over_all_317() {
    // The embedded 2019 table is the national File 2; its IMD decile column is File 1's.
    let rows = embedded_rows(EMBEDDED_FILE2_2019);
    let mut by_la: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for r in &rows {
        let entry = by_la
            .entry(r["Local Authority District code (2019)"].clone())
            .or_default();
        entry.0 += 1;
        entry.1 +=
            u32::from(r["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"] == "1");
    }
    let share = |(n, d1): (u32, u32)| f64::from(d1) / f64::from(n);
    let leeds_share = share(by_la["E08000035"]);
    let higher = by_la.values().filter(|v| share(**v) > leeds_share).count();
    let summary = LaSummary::new(embedded_dataset(), &leeds()).unwrap();
    let rank = summary.la_rank_by_decile1_share.unwrap();
    assert_eq!((rank.rank as usize, rank.of as usize), (higher + 1, by_la.len()));
    assert_eq!(rank.of, 317);
}

#[test]
fn armley_profile_counts_its_lsoas_and_the_1_percent() {
    let profile = WardProfile::new(embedded_dataset(), "Armley", Some("Leeds"), 2015, 2019).unwrap();
    let lookup = embedded_rows(EMBEDDED_WARD_LOOKUP_2019);
    let armley: BTreeSet<String> = lookup
        .into_iter()
        .filter(|r| r["WD19NM"] == "Armley" && r["LAD19NM"] == "Leeds")
        .map(|r| r["LSOA11CD"].clone())
        .collect();
    let profiled: BTreeSet<String> = profile.lsoas.iter().map(|r| r.lsoa_code.to_string()).collect();
    assert_eq!(profiled, armley);
    let (raw_2015, raw_2019) = embedded_ranks_2015_2019("E08000035");
    let count = |ranks: &std::collections::HashMap<String, u32>| armley.iter().filter(|c| ranks[*c] <= 328).count();
    assert_eq!(profile.counts[0].in_top1, count(&raw_2015));
    assert_eq!(profile.counts[1].in_top1, count(&raw_2019));
    assert!(profile.priority_ward);
    assert!(
        profile.lsoas.iter().all(|r| r.domain_ranks_to.len() >= 8),
        "2019 File 2 domain ranks are joined"
    );
    assert!(profile.lsoas.iter().any(|r| r.transition != Transition::Outside));
}

#[test]
fn ward_polygons_give_the_ward_when_no_lookup_is_loaded() {
    // A folder with the Leeds LSOA and 2019 ward boundaries and the 2019 table, but no lookup.
    let dir = std::env::temp_dir().join(format!("lm-no-lookup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        EMBEDDED_FILE2_2019,
        "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson",
        "Leeds_E08000035_wards_2019_BGC_WGS84.geojson",
    ] {
        std::fs::write(dir.join(name), embedded_bytes(name)).unwrap();
    }
    let dataset =
        locality_map::io::load_dataset(&locality_map::io::DataSource::Folder(dir.clone()), &Default::default())
            .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let wards: BTreeMap<_, _> = dataset.wards_of_lsoas(LsoaVintage::Lsoa2011).collect();
    assert_eq!(wards.len(), 482, "every Leeds LSOA gets a ward from the polygons");
    assert!(
        wards
            .values()
            .all(|w| w.source == locality_map::model::WardSource::Polygon)
    );
    let distinct: BTreeSet<_> = wards.values().map(|w| w.ward.ward_code).collect();
    assert_eq!(distinct.len(), 33);
    // Most agree with the ONS best-fit lookup (which uses population-weighted centroids).
    let shared = embedded_dataset();
    let agree = wards
        .iter()
        .filter(|(code, w)| {
            shared.ward_of(LsoaVintage::Lsoa2011, code).map(|s| &s.ward.ward_code) == Some(&w.ward.ward_code)
        })
        .count();
    assert!(agree >= 440, "only {agree} of 482 agree with the lookup");
}

#[test]
fn national_file_reports_welsh_lsoas_as_no_imd_data() {
    let Some(dataset) = national_dataset("national_file_reports_welsh_lsoas_as_no_imd_data") else {
        return;
    };
    let layer = &dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    assert_eq!(layer.areas.len(), 34_753);
    let welsh = layer.areas.iter().filter(|a| a.code.is_welsh()).count();
    assert_eq!(welsh, 1_909);
    let edition = &dataset.editions[&2019];
    let english_joined = layer
        .areas
        .iter()
        .filter(|a| edition.rows.contains_key(&a.code))
        .count();
    assert_eq!(english_joined, 32_844);
    assert!(
        dataset
            .report
            .problems
            .iter()
            .any(|p| p.message.contains("1909 Welsh LSOAs") && p.message.contains("no IMD data")),
        "the Welsh LSOAs are reported, not dropped silently"
    );
    assert!(AreaCode::parse("W01000001").is_some_and(|c| layer.get(&c).is_some()));
}
