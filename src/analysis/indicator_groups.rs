//! A count indicator over the planner's groups (a grouping file's wards and LSOAs, or named selections): each
//! group's counts and populations summed over its LSOAs and its rate re-derived from the sums — never a mean of its
//! members' rates.

use super::area_geography::AreaMembers;
use super::area_groups::{ResolvedGroups, resolve_groups_among};
use super::indicator_aggregate::{AggregatedIndicator, AreaSeries, IndicatorError, Level, group_series};
use crate::model::{AreaCode, Dataset, GroupFile, IndicatorUnit, LsoaVintage};
use std::collections::{BTreeMap, BTreeSet};

/// One group's series.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupIndicator {
    /// The group's name (as the grouping file or the selection names it).
    pub name: String,
    /// Counts and population summed over the member LSOAs that have figures; `series.code` is its first such
    /// LSOA (a group has no ONS code), `series.la_code` its LA when all its members share one.
    pub series: AreaSeries,
    /// LSOAs the group names.
    pub lsoas: usize,
    /// Its LSOAs with no row in the indicator (no figures, so in neither its counts nor its population).
    pub without_figures: Vec<AreaCode>,
}

/// Resolves a grouping file against an LSOA-level indicator table: its LSOAs, and the wards of the ward lookup of
/// `vintage` in the table's LAs (ward names repeat across England, so only the indicator's LAs are searched; a
/// table limited to one LA searches that LA). A ward's LSOAs without figures stay members, reported by
/// [`indicator_groups`].
pub fn resolve_indicator_groups(
    dataset: &Dataset,
    lsoas: &AggregatedIndicator,
    vintage: LsoaVintage,
    file: &GroupFile,
) -> ResolvedGroups {
    let mut la_of: BTreeMap<AreaCode, Option<AreaCode>> = lsoas.rows.iter().map(|r| (r.code, r.la_code)).collect();
    let las: BTreeSet<AreaCode> = lsoas.rows.iter().filter_map(|r| r.la_code).collect();
    for (lsoa, assignment) in dataset.wards_of_lsoas(vintage) {
        if let Some(la) = assignment.ward.la_code.filter(|la| las.contains(la)) {
            la_of.entry(*lsoa).or_insert(Some(la));
        }
    }
    resolve_groups_among(dataset, vintage, |code| la_of.get(code).copied(), None, file)
}

/// The indicator over each group: counts and populations of its LSOAs summed, the rate re-derived from the sums.
/// The table must be an LSOA-level count (a published rate or percentage is never summed).
pub fn indicator_groups(
    lsoas: &AggregatedIndicator,
    groups: &[AreaMembers],
) -> Result<Vec<GroupIndicator>, IndicatorError> {
    if lsoas.unit != IndicatorUnit::Count {
        return Err(IndicatorError::NotACount {
            name: lsoas.name.clone(),
            unit: lsoas.unit.label().into(),
            given: format!("{:?}", lsoas.level).to_lowercase(),
        });
    }
    if lsoas.level != Level::Lsoa {
        return Err(IndicatorError::TooFine {
            name: lsoas.name.clone(),
            given: format!("{:?}", lsoas.level).to_lowercase(),
            wanted: "the LSOAs of groups".into(),
        });
    }
    let with_figures: BTreeMap<AreaCode, &AreaSeries> = lsoas.rows.iter().map(|r| (r.code, r)).collect();
    Ok(groups
        .iter()
        .map(|group| {
            let (found, without_figures): (Vec<AreaCode>, Vec<AreaCode>) =
                group.lsoas.iter().partition(|c| with_figures.contains_key(c));
            let code = found.first().or(group.lsoas.first()).copied();
            let mut series = match code {
                Some(code) => group_series(lsoas, &found, code, &group.name),
                None => empty_series(lsoas, &group.name),
            };
            let las: BTreeSet<(Option<AreaCode>, &str)> = found
                .iter()
                .filter_map(|c| with_figures.get(c))
                .map(|r| (r.la_code, r.la_name.as_str()))
                .collect();
            if let [(la_code, la_name)] = las.into_iter().collect::<Vec<_>>().as_slice() {
                series.la_code = *la_code;
                series.la_name = la_name.to_string();
            }
            GroupIndicator {
                name: group.name.clone(),
                series,
                lsoas: group.lsoas.len(),
                without_figures,
            }
        })
        .collect())
}

/// A group none of whose LSOAs could be parsed: no values, no population.
fn empty_series(lsoas: &AggregatedIndicator, name: &str) -> AreaSeries {
    AreaSeries {
        code: AreaCode::parse("E00000000").unwrap_or_else(|| unreachable!("a well-formed code")),
        name: name.to_string(),
        la_code: None,
        la_name: String::new(),
        values: vec![f64::NAN; lsoas.periods.len()],
        population: None,
        members: Vec::new(),
    }
}

/// Notes on groups whose LSOAs are not all in the indicator, e.g. "Inner West: 2 of its 30 LSOAs have no figures".
pub fn group_notes(groups: &[GroupIndicator]) -> Vec<String> {
    groups
        .iter()
        .filter(|g| !g.without_figures.is_empty())
        .map(|g| {
            let shown: Vec<String> = g.without_figures.iter().take(5).map(ToString::to_string).collect();
            format!(
                "{}: {} of its {} LSOAs have no figures in this indicator (left out of its counts and population: {}{})",
                g.name,
                g.without_figures.len(),
                g.lsoas,
                shown.join(", "),
                if g.without_figures.len() > 5 { ", …" } else { "" }
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Period;

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).unwrap()
    }

    fn row(c: &str, count: f64, population: f64) -> AreaSeries {
        AreaSeries {
            code: code(c),
            name: c.into(),
            la_code: Some(code("E09000001")),
            la_name: "City of London".into(),
            values: vec![count],
            population: Some(population),
            members: vec![code(c)],
        }
    }

    fn table() -> AggregatedIndicator {
        AggregatedIndicator {
            name: "crime".into(),
            title: "All crime".into(),
            unit: IndicatorUnit::Count,
            level: Level::Lsoa,
            periods: vec![Period::month(2024, 1).unwrap()],
            rows: vec![row("E01000001", 10.0, 1_000.0), row("E01000002", 30.0, 3_000.0)],
            population_source: String::new(),
            unplaced: Vec::new(),
            without_area: BTreeMap::new(),
            attribution: None,
        }
    }

    #[test]
    fn a_group_sums_counts_and_populations_then_divides() {
        let mut table = table();
        table.rows[1] = row("E01000002", 5.0, 100.0);
        let groups = [AreaMembers {
            code: "G".into(),
            name: "G".into(),
            lsoas: vec![code("E01000001"), code("E01000002"), code("E01000003")],
        }];
        let out = indicator_groups(&table, &groups).unwrap();
        let g = &out[0];
        assert_eq!(g.series.values, vec![15.0]);
        assert_eq!(g.series.population, Some(1_100.0));
        let rate = g.series.rate_per_1000(15.0).unwrap();
        assert!((rate - 15.0 / 1_100.0 * 1_000.0).abs() < 1e-12);
        // The members' rates are 10 and 50 per 1,000: their mean (30) is not the group's rate.
        assert!((rate - 30.0).abs() > 1.0);
        assert_eq!(g.without_figures, vec![code("E01000003")]);
        assert_eq!(g.series.la_name, "City of London");
        assert_eq!(group_notes(&out).len(), 1);
    }

    #[test]
    fn a_rate_is_never_summed_over_a_group() {
        let mut table = table();
        table.unit = IndicatorUnit::Rate;
        assert!(matches!(
            indicator_groups(&table, &[]),
            Err(IndicatorError::NotACount { .. })
        ));
    }
}
