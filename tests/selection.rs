//! Selections on the real Leeds polygons: box and concave lasso against an independent brute-force count, rules,
//! and the live summary against the engine.

mod common;

use geo::{Contains as _, Coord, InteriorPoint as _, LineString, Polygon, Rect};
use locality_map::analysis::{
    AreaFilter, EditionComparison, LaSummary, Selection, SelectionRule, SelectionSummary, select_in_polygon,
};
use locality_map::model::{AreaCode, LsoaVintage};
use std::collections::BTreeSet;

fn leeds() -> EditionComparison {
    EditionComparison::new(common::embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap()
}

/// Every Leeds LSOA whose interior point is inside the polygon, by checking all 482 one by one (no R-tree).
fn brute_force(polygon: &Polygon<f64>, comparison: &EditionComparison) -> BTreeSet<AreaCode> {
    let layer = &common::embedded_dataset().lsoa_layers[&LsoaVintage::Lsoa2011];
    comparison
        .rows
        .iter()
        .filter_map(|row| layer.get(&row.lsoa_code))
        .filter(|area| polygon.contains(&area.geometry_in_world.interior_point().unwrap()))
        .map(|area| area.code)
        .collect()
}

fn candidates(comparison: &EditionComparison) -> BTreeSet<AreaCode> {
    comparison.rows.iter().map(|r| r.lsoa_code).collect()
}

#[test]
fn box_selection_matches_a_brute_force_count() {
    let comparison = leeds();
    // Central Leeds: 4 km × 4 km around the city centre.
    let rect = Rect::new(
        Coord {
            x: 428_000.0,
            y: 431_500.0,
        },
        Coord {
            x: 432_000.0,
            y: 435_500.0,
        },
    );
    let polygon = rect.to_polygon();
    let layer = &common::embedded_dataset().lsoa_layers[&LsoaVintage::Lsoa2011];
    let selected = select_in_polygon(layer, &candidates(&comparison), &polygon);
    let expected = brute_force(&polygon, &comparison);
    assert!(expected.len() > 20, "the box holds many LSOAs: {}", expected.len());
    assert_eq!(selected, expected);
}

#[test]
fn concave_lasso_leaves_out_the_notch() {
    let comparison = leeds();
    // A U open to the north: two arms 2 km wide with a 2 km notch between them.
    let u = Polygon::new(
        LineString::from(vec![
            (426_000.0, 430_000.0),
            (432_000.0, 430_000.0),
            (432_000.0, 436_000.0),
            (430_000.0, 436_000.0),
            (430_000.0, 432_000.0),
            (428_000.0, 432_000.0),
            (428_000.0, 436_000.0),
            (426_000.0, 436_000.0),
            (426_000.0, 430_000.0),
        ]),
        vec![],
    );
    let layer = &common::embedded_dataset().lsoa_layers[&LsoaVintage::Lsoa2011];
    let selected = select_in_polygon(layer, &candidates(&comparison), &u);
    assert_eq!(selected, brute_force(&u, &comparison));
    let notch = Rect::new(
        Coord {
            x: 428_200.0,
            y: 432_200.0,
        },
        Coord {
            x: 429_800.0,
            y: 435_800.0,
        },
    )
    .to_polygon();
    let in_notch = brute_force(&notch, &comparison);
    assert!(!in_notch.is_empty(), "LSOAs sit in the notch");
    assert!(in_notch.is_disjoint(&selected), "none of them is selected by the U");
}

#[test]
fn rules_and_summary_agree_with_the_engine() {
    let comparison = leeds();
    let summary = LaSummary::new(common::embedded_dataset(), &comparison).unwrap();
    let top1 = Selection {
        codes: SelectionRule::Top1Later.select(&comparison),
    };
    let selected = SelectionSummary::new(&comparison, &top1);
    assert_eq!(selected.lsoas, summary.top1.count_to);
    assert_eq!(selected.top1_to, 12);
    assert_eq!(
        selected.wards_touched,
        summary.priority_wards.as_ref().expect("Leeds wards are loaded").len(),
        "the 1% LSOAs lie in the priority wards"
    );
    let decile1 = Selection {
        codes: SelectionRule::Decile1Later.select(&comparison),
    };
    let selected = SelectionSummary::new(&comparison, &decile1);
    assert_eq!(selected.decile1_to, summary.decile1.count_to);
    assert_eq!(selected.population, summary.decile1.population_to);
    let worsened = Selection {
        codes: SelectionRule::ChangeAtMost(-500).select(&comparison),
    };
    let selected = SelectionSummary::new(&comparison, &worsened);
    assert_eq!(
        selected.lsoas,
        comparison
            .rows
            .iter()
            .filter(|r| r.change.is_some_and(|c| c <= -500))
            .count()
    );
    assert!(selected.median_change.is_some_and(|m| m <= -500.0));
}
