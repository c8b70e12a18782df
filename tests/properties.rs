//! Properties that must hold for any input, checked with proptest on generated editions and on the real Leeds data.
//!
//! Case counts are kept small (the real dataset loads once per binary) so the file runs in seconds in debug.

mod common;

use common::embedded_dataset;
use geo::{Coord, InteriorPoint as _};
use locality_map::analysis::{
    AreaFilter, EditionComparison, LaSummary, Transition, WardProfile, rank_change, top1_threshold,
};
use locality_map::io::{lonlat_from_world, world_from_lonlat};
use locality_map::model::{AreaCode, Dataset, ImdEdition, ImdRow, Index, IndexValue, LsoaVintage, Rank};
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const LEEDS: &str = "E08000035";

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Shrinking a failure on the real dataset is slow and rarely clearer than the first failing case.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

/// An edition of `ranks.len()` LSOAs (codes E01000000 + i) with the given IMD ranks; `None` = row without an IMD rank.
fn edition(year: u16, ranks: &[Option<u32>]) -> ImdEdition {
    let mut edition = ImdEdition::new(year, LsoaVintage::Lsoa2011);
    for (i, rank) in ranks.iter().enumerate() {
        let code = AreaCode::parse(&format!("E01{:06}", i)).expect("generated code is valid");
        let mut row = ImdRow {
            name: format!("LSOA {i}"),
            la_code: AreaCode::parse(LEEDS),
            la_name: "Leeds".into(),
            ..ImdRow::default()
        };
        if let Some(rank) = rank.and_then(Rank::new) {
            row.indices.insert(
                Index::Imd,
                IndexValue {
                    rank: Some(rank),
                    ..IndexValue::default()
                },
            );
        }
        edition.rows.insert(code, row);
    }
    edition
}

/// Two editions of the same LSOAs ranked by independent random permutations of 1..=N, with some rows unranked.
fn edition_pair() -> impl Strategy<Value = (Vec<Option<u32>>, Vec<Option<u32>>)> {
    (1usize..1500).prop_flat_map(|n| {
        let ranks: Vec<u32> = (1..=n as u32).collect();
        let permuted = || Just(ranks.clone()).prop_shuffle();
        let holes = || proptest::collection::vec(proptest::bool::weighted(0.03), n);
        (permuted(), holes(), permuted(), holes()).prop_map(|(a, ha, b, hb)| {
            let hide = |ranks: Vec<u32>, holes: Vec<bool>| {
                ranks
                    .into_iter()
                    .zip(holes)
                    .map(|(r, hidden)| (!hidden).then_some(r))
                    .collect::<Vec<_>>()
            };
            (hide(a, ha), hide(b, hb))
        })
    })
}

fn dataset_of(a: &[Option<u32>], b: &[Option<u32>]) -> Dataset {
    let mut dataset = Dataset::default();
    dataset.editions.insert(2015, edition(2015, a));
    dataset.editions.insert(2019, edition(2019, b));
    dataset
}

fn changes(comparison: &EditionComparison) -> BTreeMap<AreaCode, Option<i64>> {
    comparison.rows.iter().map(|r| (r.lsoa_code, r.change)).collect()
}

/// The partition laws of the 1% transitions for one comparison.
fn check_transitions_partition(comparison: &EditionComparison) -> Result<(), TestCaseError> {
    let all = [
        Transition::Stayed,
        Transition::MovedIn,
        Transition::MovedOut,
        Transition::Outside,
    ];
    let total: usize = all.iter().map(|t| comparison.count(*t)).sum();
    prop_assert_eq!(total, comparison.rows.len(), "every LSOA has exactly one transition");
    let in_from = comparison.rows.iter().filter(|r| r.in_top1_from).count();
    let in_to = comparison.rows.iter().filter(|r| r.in_top1_to).count();
    prop_assert_eq!(
        comparison.count(Transition::Stayed) + comparison.count(Transition::MovedOut),
        in_from
    );
    prop_assert_eq!(
        comparison.count(Transition::Stayed) + comparison.count(Transition::MovedIn),
        in_to
    );
    for row in &comparison.rows {
        let in_from = row.rank_from.is_some_and(|r| r <= comparison.threshold_from);
        let in_to = row.rank_to.is_some_and(|r| r <= comparison.threshold_to);
        prop_assert_eq!(
            row.transition,
            Transition::from_membership(in_from, in_to),
            "{}",
            row.lsoa_code
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn rank_change_is_antisymmetric(a in any::<u32>(), b in any::<u32>()) {
        prop_assert_eq!(rank_change(a, b), -rank_change(b, a));
        prop_assert_eq!(rank_change(a, a), 0);
    }

    #[test]
    fn top1_threshold_is_floor_of_n_over_100(n in any::<u32>()) {
        let threshold = top1_threshold(n);
        prop_assert_eq!(threshold, n / 100);
        prop_assert!(u64::from(threshold) * 100 <= u64::from(n) && u64::from(threshold + 1) * 100 > u64::from(n));
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// The 1% line of an edition is floor(N/100) of the edition's national N (32,844 for 2019), however many of its
    /// rows are loaded: a generated edition of a few hundred rows is an extract, and says so.
    #[test]
    fn edition_top1_line_is_floor_of_the_editions_n_over_100((a, _) in edition_pair()) {
        let edition = edition(2019, &a);
        let ranked = a.iter().flatten().count() as u32;
        prop_assert_eq!(edition.ranked_count(), 32_844);
        prop_assert_eq!(edition.loaded_ranked_count(), ranked);
        prop_assert_eq!(edition.top1_threshold(), 328);
        prop_assert!(edition.is_extract());
    }

    /// change(a → b) = −change(b → a) for every LSOA of a comparison, and the same LSOAs appear both ways: the
    /// ranks of one dataset's 2015 as the other's 2019 and the other way round (a comparison runs earlier → later
    /// only; asking for it backwards is refused, see `real_leeds_..._and_backwards_is_refused`).
    #[test]
    fn comparison_change_is_antisymmetric((a, b) in edition_pair()) {
        let dataset = dataset_of(&a, &b);
        let swapped = dataset_of(&b, &a);
        let forward = EditionComparison::new(&dataset, &AreaFilter::England, 2015, 2019).expect("compares");
        let backward = EditionComparison::new(&swapped, &AreaFilter::England, 2015, 2019).expect("compares");
        let (forward, backward) = (changes(&forward), changes(&backward));
        prop_assert_eq!(forward.len(), backward.len());
        for (code, change) in &forward {
            prop_assert_eq!(change.map(|c| -c), backward[code], "{}", code);
        }
    }

    /// Stayed / moved in / moved out / neither partition the LSOAs, consistently with each edition's 1% line.
    #[test]
    fn transitions_partition_generated_editions((a, b) in edition_pair()) {
        let dataset = dataset_of(&a, &b);
        let comparison = EditionComparison::new(&dataset, &AreaFilter::England, 2015, 2019).expect("compares");
        prop_assert_eq!(comparison.rows.len(), a.len());
        prop_assert_eq!((comparison.threshold_from, comparison.threshold_to), (328, 328));
        check_transitions_partition(&comparison)?;
    }
}

/// Leeds 2015 → 2019 on the real data, its LA summary and every ward's profile, computed once.
struct Leeds {
    comparison: EditionComparison,
    summary: LaSummary,
    profiles: BTreeMap<AreaCode, WardProfile>,
}

fn leeds() -> &'static Leeds {
    static LEEDS_DATA: OnceLock<Leeds> = OnceLock::new();
    LEEDS_DATA.get_or_init(|| {
        let dataset = embedded_dataset();
        let comparison = EditionComparison::new(dataset, &AreaFilter::LocalAuthority("Leeds".into()), 2015, 2019)
            .expect("Leeds compares 2015 → 2019");
        let summary = LaSummary::new(dataset, &comparison).expect("Leeds summary");
        let wards: BTreeSet<AreaCode> = comparison.rows.iter().filter_map(|r| r.ward_code).collect();
        let profiles = wards
            .into_iter()
            .map(|code| {
                let profile = WardProfile::new(dataset, code.as_str(), Some("Leeds"), 2015, 2019)
                    .unwrap_or_else(|e| panic!("ward {code}: {e}"));
                (code, profile)
            })
            .collect();
        Leeds {
            comparison,
            summary,
            profiles,
        }
    })
}

#[test]
fn real_leeds_transitions_partition_and_backwards_is_refused() {
    let dataset = embedded_dataset();
    let leeds = leeds();
    check_transitions_partition(&leeds.comparison).expect("partition");
    assert_eq!(changes(&leeds.comparison).len(), 482, "Leeds has 482 LSOAs (2011)");
    // Change is later − earlier: 2019 → 2015 is said to be backwards, never computed with its sign flipped silently.
    let backward = EditionComparison::new(dataset, &AreaFilter::LocalAuthority("Leeds".into()), 2019, 2015)
        .expect_err("2019 → 2015 is backwards");
    let message = backward.to_string();
    assert!(
        message.contains("reverse order") && message.contains("--from 2015 --to 2019"),
        "{message}"
    );
}

#[test]
fn real_leeds_ward_totals_equal_la_totals() {
    let leeds = leeds();
    let sum = |f: &dyn Fn(&WardProfile) -> usize| leeds.profiles.values().map(f).sum::<usize>();
    let with_ward = leeds.comparison.rows.iter().filter(|r| r.ward_code.is_some()).count();
    assert_eq!(with_ward, leeds.summary.lsoas, "every Leeds LSOA has a ward");
    assert_eq!(sum(&|p| p.lsoas.len()), leeds.summary.lsoas);
    assert_eq!(sum(&|p| p.counts[0].in_top1), leeds.summary.top1.count_from);
    assert_eq!(sum(&|p| p.counts[1].in_top1), leeds.summary.top1.count_to);
    assert_eq!(sum(&|p| p.counts[0].in_decile1), leeds.summary.decile1.count_from);
    assert_eq!(sum(&|p| p.counts[1].in_decile1), leeds.summary.decile1.count_to);
    assert_eq!(
        leeds.profiles.len(),
        leeds.summary.wards.expect("Leeds wards are loaded")
    );
    let priority: BTreeSet<AreaCode> = leeds.summary.priority_wards.iter().flatten().map(|w| w.code).collect();
    let flagged: BTreeSet<AreaCode> = leeds
        .profiles
        .iter()
        .filter(|(_, p)| p.priority_ward)
        .map(|(c, _)| *c)
        .collect();
    assert_eq!(priority, flagged);
}

proptest! {
    #![proptest_config(config(64))]

    /// For any subset of Leeds wards, taken in any order, their profiles add up to the LA comparison's rows in them.
    #[test]
    fn real_leeds_ward_subsets_add_up(picked in subsequence((0..33usize).collect::<Vec<_>>(), 0..=33).prop_shuffle()) {
        let leeds = leeds();
        let codes: Vec<AreaCode> = leeds.profiles.keys().copied().collect();
        let chosen: Vec<AreaCode> = picked.iter().filter_map(|i| codes.get(*i).copied()).collect();
        let chosen_set: BTreeSet<AreaCode> = chosen.iter().copied().collect();
        let rows = || leeds.comparison.rows.iter().filter(|r| r.ward_code.is_some_and(|w| chosen_set.contains(&w)));
        let (mut lsoas, mut top1_from, mut top1_to, mut d1_to) = (0, 0, 0, 0);
        for code in &chosen {
            let profile = &leeds.profiles[code];
            lsoas += profile.lsoas.len();
            top1_from += profile.counts[0].in_top1;
            top1_to += profile.counts[1].in_top1;
            d1_to += profile.counts[1].in_decile1;
        }
        prop_assert_eq!(lsoas, rows().count());
        prop_assert_eq!(top1_from, rows().filter(|r| r.in_top1_from).count());
        prop_assert_eq!(top1_to, rows().filter(|r| r.in_top1_to).count());
        prop_assert_eq!(d1_to, rows().filter(|r| r.in_decile1_to()).count());
    }

    /// Hit-testing the interior point of a random Leeds LSOA returns that LSOA.
    #[test]
    fn real_leeds_interior_point_hits_its_lsoa(pick in 0..482usize) {
        let leeds = leeds();
        let layer = &embedded_dataset().lsoa_layers[&LsoaVintage::Lsoa2011];
        let code = leeds.comparison.rows[pick % leeds.comparison.rows.len()].lsoa_code;
        let area = layer.get(&code).expect("every Leeds LSOA has a boundary");
        let inside = area.geometry_in_world.interior_point().expect("an LSOA has an interior point");
        let hit = layer.area_at(inside.0).map(|a| a.code);
        prop_assert_eq!(hit, Some(code));
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// WGS84 → BNG → WGS84 returns within 1 mm anywhere in Great Britain's extent.
    #[test]
    fn wgs84_bng_round_trip_within_a_millimetre(lon in -8.2f64..1.8, lat in 49.9f64..60.9) {
        let start = Coord { x: lon, y: lat };
        let world = world_from_lonlat(start).expect("projects");
        let back = lonlat_from_world(world).expect("projects back");
        let metres_per_degree = 6_371_000.0 * std::f64::consts::PI / 180.0;
        let dy = (back.y - start.y) * metres_per_degree;
        let dx = (back.x - start.x) * metres_per_degree * lat.to_radians().cos();
        prop_assert!(dx.hypot(dy) < 0.001, "{start:?} → {world:?} → {back:?}: {:.4} m", dx.hypot(dy));
    }
}
