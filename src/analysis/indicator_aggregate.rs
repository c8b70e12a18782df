//! An indicator at the planner's level — LSOA, ward, local authority or a group of LSOAs — by summing counts and
//! populations and re-deriving rates from the sums (never averaging rates).

use super::indicator_population::{LsoaPopulations, lsoa_populations};
use crate::model::{AreaCode, AreaLevel, Dataset, Indicator, IndicatorUnit, LsoaVintage, Period, normalise};
use serde::Serialize;
use std::collections::BTreeMap;

/// The level to tabulate at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// LSOAs.
    Lsoa,
    /// Wards.
    Ward,
    /// Local authorities.
    La,
}

/// Why an indicator cannot be tabulated as asked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndicatorError {
    /// No indicator of that name.
    #[error("no indicator {name:?} is loaded (loaded: {loaded})")]
    NotFound {
        /// What was asked for.
        name: String,
        /// The names loaded.
        loaded: String,
    },
    /// A finer level than the data.
    #[error("{name} is given by {given}; it cannot be split into {wanted}")]
    TooFine {
        /// Indicator.
        name: String,
        /// Its level.
        given: String,
        /// The level asked for.
        wanted: String,
    },
    /// A rate or percentage cannot be summed over areas.
    #[error(
        "{name} is a {unit} as published: rates and percentages are never summed or averaged across areas; tabulate it at its own level ({given})"
    )]
    NotACount {
        /// Indicator.
        name: String,
        /// Its unit.
        unit: String,
        /// Its level.
        given: String,
    },
    /// No LA matched.
    #[error("no LA {query:?} among this indicator's areas{hint} (found: {found})")]
    LaNotFound {
        /// What was typed.
        query: String,
        /// " — did you mean …?" or empty.
        hint: String,
        /// Some LAs that are there.
        found: String,
    },
}

/// One area's series at the chosen level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaSeries {
    /// ONS code (or a group's made-up label code, see [`group_series`]).
    pub code: AreaCode,
    /// Name.
    pub name: String,
    /// Its local authority, when known.
    pub la_code: Option<AreaCode>,
    /// Its local authority's name.
    pub la_name: String,
    /// Values per period (counts for count indicators), `NaN` where not given.
    pub values: Vec<f64>,
    /// Residents: the sum over its LSOAs, `None` when any is unknown.
    pub population: Option<f64>,
    /// LSOAs (or areas of the indicator) summed into it.
    pub members: Vec<AreaCode>,
}

impl AreaSeries {
    /// Rate per 1,000 residents for a count, `None` without a population.
    pub fn rate_per_1000(&self, count: f64) -> Option<f64> {
        self.population
            .filter(|p| *p > 0.0 && !count.is_nan())
            .map(|p| count / p * 1_000.0)
    }
}

/// An indicator tabulated at one level.
#[derive(Clone, Debug, Serialize)]
pub struct AggregatedIndicator {
    /// Indicator name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Unit of `values`.
    pub unit: IndicatorUnit,
    /// The level of the rows.
    pub level: Level,
    /// Periods.
    pub periods: Vec<Period>,
    /// One row per area, sorted by code.
    pub rows: Vec<AreaSeries>,
    /// Where populations come from, or why there are none.
    pub population_source: String,
    /// Areas of the indicator that could not be placed in a ward or LA (counted here, not in any row).
    pub unplaced: Vec<AreaCode>,
    /// Rows of the files counted on no area, by period (police.uk rows with no LSOA).
    pub without_area: BTreeMap<Period, u64>,
    /// Licence and attribution line.
    pub attribution: Option<String>,
}

/// Where one LSOA (or ward) of the indicator goes at the chosen level: (code, name, LA code, LA name).
type Target = (AreaCode, String, Option<AreaCode>, String);

/// Names of LAs as the loaded editions and lookups give them.
fn la_names(dataset: &Dataset) -> BTreeMap<AreaCode, String> {
    let mut names = BTreeMap::new();
    for edition in dataset.editions.values() {
        for row in edition.rows.values() {
            if let Some(code) = row.la_code {
                names.entry(code).or_insert_with(|| row.la_name.clone());
            }
        }
    }
    for lookup in dataset.ward_lookups.values() {
        for ward in lookup.by_lsoa.values() {
            if let Some(code) = ward.la_code
                && !ward.la_name.is_empty()
            {
                names.insert(code, ward.la_name.clone());
            }
        }
    }
    names
}

/// The LA of each 2021 LSOA in the 2011 → 2021 lookup (its LAD22 column).
fn la_of_2021_lsoas(dataset: &Dataset) -> BTreeMap<AreaCode, AreaCode> {
    dataset
        .change_lookup
        .iter()
        .flat_map(|l| l.rows.iter())
        .filter_map(|r| r.la_code.map(|la| (r.lsoa21, la)))
        .collect()
}

/// The LA of an LSOA: its ward's LA, else the 2011 → 2021 lookup's (2021 LSOAs), else an edition's.
fn la_of_lsoa(
    dataset: &Dataset,
    vintage: LsoaVintage,
    code: &AreaCode,
    from_change_lookup: &BTreeMap<AreaCode, AreaCode>,
) -> Option<AreaCode> {
    if let Some(la) = dataset.ward_of(vintage, code).and_then(|w| w.ward.la_code) {
        return Some(la);
    }
    if vintage == LsoaVintage::Lsoa2021
        && let Some(la) = from_change_lookup.get(code)
    {
        return Some(*la);
    }
    dataset
        .editions
        .values()
        .rev()
        .filter(|e| e.vintage == vintage)
        .find_map(|e| e.rows.get(code).and_then(|r| r.la_code))
}

/// Tabulates an indicator at a level, optionally for one LA (name or code).
pub fn aggregate(
    dataset: &Dataset,
    indicator: &Indicator,
    level: Level,
    la: Option<&str>,
) -> Result<AggregatedIndicator, IndicatorError> {
    let own = match indicator.level {
        AreaLevel::Lsoa(_) => Level::Lsoa,
        AreaLevel::Ward(_) => Level::Ward,
        AreaLevel::La => Level::La,
    };
    if level < own {
        return Err(IndicatorError::TooFine {
            name: indicator.name.clone(),
            given: indicator.level.to_string(),
            wanted: format!("{level:?}").to_lowercase(),
        });
    }
    if level != own && indicator.unit != IndicatorUnit::Count {
        return Err(IndicatorError::NotACount {
            name: indicator.name.clone(),
            unit: indicator.unit.label().into(),
            given: indicator.level.to_string(),
        });
    }
    let names = la_names(dataset);
    let la_name = |code: Option<AreaCode>, fallback: &str| {
        code.and_then(|c| names.get(&c).cloned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    let populations: Option<LsoaPopulations> = match indicator.level {
        AreaLevel::Lsoa(vintage) if indicator.unit == IndicatorUnit::Count => lsoa_populations(dataset, vintage),
        _ => None,
    };
    let population_source = match (&populations, indicator.level) {
        (Some(p), _) => p.source.clone(),
        (None, AreaLevel::Lsoa(_)) if indicator.unit == IndicatorUnit::Count => {
            "no population denominators loaded (IoD2019 File 6, and for 2021 LSOAs the ONS 2011 to 2021 lookup): no rates".into()
        }
        (None, AreaLevel::Lsoa(_)) => format!("not applicable: {} is a {} as published", indicator.name, indicator.unit.label()),
        (None, level) => format!("no population denominators for {level}: no rates"),
    };
    let from_change_lookup = match indicator.level {
        AreaLevel::Lsoa(LsoaVintage::Lsoa2021) => la_of_2021_lsoas(dataset),
        _ => BTreeMap::new(),
    };
    // Where each area of the indicator goes.
    let mut targets: Vec<Option<Target>> = Vec::with_capacity(indicator.areas.len());
    for area in &indicator.areas {
        let target = match (indicator.level, level) {
            (_, l) if l == own => {
                let la_code = match indicator.level {
                    AreaLevel::Lsoa(v) => area
                        .la_code
                        .or_else(|| la_of_lsoa(dataset, v, &area.code, &from_change_lookup)),
                    _ => area.la_code,
                };
                Some((area.code, area.name.clone(), la_code, la_name(la_code, &area.la_name)))
            }
            (AreaLevel::Lsoa(v), Level::Ward) => dataset.ward_of(v, &area.code).map(|w| {
                let la = w.ward.la_code;
                (
                    w.ward.ward_code,
                    w.ward.ward_name.clone(),
                    la,
                    la_name(la, &w.ward.la_name),
                )
            }),
            (AreaLevel::Lsoa(v), Level::La) => area
                .la_code
                .or_else(|| la_of_lsoa(dataset, v, &area.code, &from_change_lookup))
                .map(|la| {
                    (
                        la,
                        la_name(Some(la), &area.la_name),
                        Some(la),
                        la_name(Some(la), &area.la_name),
                    )
                }),
            (_, _) => area.la_code.map(|la| {
                (
                    la,
                    la_name(Some(la), &area.la_name),
                    Some(la),
                    la_name(Some(la), &area.la_name),
                )
            }),
        };
        targets.push(target);
    }
    let la_filter = match la {
        None => None,
        Some(query) => {
            let wanted = normalise(query);
            let matches = move |code: &Option<AreaCode>, name: &str| {
                code.is_some_and(|c| normalise(c.as_str()) == wanted) || normalise(name) == wanted
            };
            if !targets.iter().flatten().any(|t| matches(&t.2, &t.3)) {
                let mut found: Vec<String> = targets
                    .iter()
                    .flatten()
                    .map(|t| t.3.clone())
                    .filter(|n| !n.is_empty())
                    .collect();
                found.sort();
                found.dedup();
                let similar: Vec<String> =
                    super::place_search::similar_names(query, found.iter().map(String::as_str), 5)
                        .into_iter()
                        .map(str::to_string)
                        .collect();
                return Err(IndicatorError::LaNotFound {
                    query: query.into(),
                    hint: super::place_search::did_you_mean(" — ", &similar),
                    found: found.into_iter().take(8).collect::<Vec<_>>().join(", "),
                });
            }
            Some(matches)
        }
    };
    let n = indicator.periods.len();
    let mut rows: BTreeMap<AreaCode, AreaSeries> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (i, (area, target)) in indicator.areas.iter().zip(&targets).enumerate() {
        let Some((code, name, la_code, la_name)) = target else {
            unplaced.push(area.code);
            continue;
        };
        if let Some(matches) = &la_filter
            && !matches(la_code, la_name)
        {
            continue;
        }
        let row = rows.entry(*code).or_insert_with(|| AreaSeries {
            code: *code,
            name: name.clone(),
            la_code: *la_code,
            la_name: la_name.clone(),
            values: vec![f64::NAN; n],
            population: Some(0.0),
            members: Vec::new(),
        });
        for (slot, value) in row.values.iter_mut().zip(indicator.series(i)) {
            if !value.is_nan() {
                *slot = if slot.is_nan() { *value } else { *slot + value };
            }
        }
        let population = populations.as_ref().and_then(|p| p.get(&area.code));
        row.population = row.population.zip(population).map(|(a, b)| a + b);
        row.members.push(area.code);
    }
    Ok(AggregatedIndicator {
        name: indicator.name.clone(),
        title: indicator.title.clone(),
        unit: indicator.unit,
        level,
        periods: indicator.periods.clone(),
        rows: rows.into_values().collect(),
        population_source,
        unplaced,
        without_area: indicator.without_area.clone(),
        attribution: indicator.attribution.clone(),
    })
}

/// One series for a group of LSOAs of an LSOA-level table (a planner's selection): counts and populations summed.
pub fn group_series(table: &AggregatedIndicator, members: &[AreaCode], code: AreaCode, name: &str) -> AreaSeries {
    let mut series = AreaSeries {
        code,
        name: name.to_string(),
        la_code: None,
        la_name: String::new(),
        values: vec![f64::NAN; table.periods.len()],
        population: Some(0.0),
        members: Vec::new(),
    };
    for row in table.rows.iter().filter(|r| members.contains(&r.code)) {
        for (slot, value) in series.values.iter_mut().zip(&row.values) {
            if !value.is_nan() {
                *slot = if slot.is_nan() { *value } else { *slot + value };
            }
        }
        series.population = series.population.zip(row.population).map(|(a, b)| a + b);
        series.members.push(row.code);
    }
    if series.members.is_empty() {
        series.population = None;
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IndicatorArea, WardLookup, WardOfLsoa};

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).unwrap()
    }

    #[test]
    fn wards_sum_counts_and_populations() {
        let area = |c: &str| IndicatorArea {
            code: code(c),
            name: c.into(),
            la_code: None,
            la_name: String::new(),
        };
        let periods = vec![Period::month(2024, 1).unwrap()];
        let mut indicator = Indicator::new(
            "x",
            "X",
            IndicatorUnit::Count,
            AreaLevel::Lsoa(LsoaVintage::Lsoa2011),
            periods,
            vec![area("E01000001"), area("E01000002")],
        );
        indicator.set(0, 0, 10.0);
        indicator.set(1, 0, 2.0);
        let mut dataset = Dataset::default();
        let mut lookup = WardLookup::default();
        for c in ["E01000001", "E01000002"] {
            lookup.by_lsoa.insert(
                code(c),
                WardOfLsoa {
                    ward_code: code("E05000001"),
                    ward_name: "Ward".into(),
                    la_code: Some(code("E08000035")),
                    la_name: "Leeds".into(),
                },
            );
        }
        dataset.ward_lookups.insert(LsoaVintage::Lsoa2011, lookup);
        let table = aggregate(&dataset, &indicator, Level::Ward, Some("leeds")).unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].values, vec![12.0]);
        assert_eq!(
            table.rows[0].population, None,
            "no File 6 loaded: no population, so no rate"
        );
        assert!(matches!(
            aggregate(&dataset, &indicator, Level::La, Some("York")),
            Err(IndicatorError::LaNotFound { .. })
        ));
    }
}
