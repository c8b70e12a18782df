//! A ward's profile: its LSOAs with both ranks and the change, counts in the 1% and 10%, population and domain ranks.

use super::{AnalysisError, EditionComparison, LsoaChange, comparison::edition};
use crate::model::{AreaCode, Dataset, Index, normalise};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Counts for one edition within the ward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WardCounts {
    /// Edition year.
    pub edition: u16,
    /// LSOAs in the national 1%.
    pub in_top1: usize,
    /// LSOAs in national decile 1 (10%).
    pub in_decile1: usize,
    /// Population living in decile-1 LSOAs (on the profile's LSOAs), when population is loaded for them.
    pub population_in_decile1: Option<u64>,
    /// Population living in LSOAs in the 1%, when population is loaded for them.
    pub population_in_top1: Option<u64>,
}

/// One edition's view of the ward, on the profile's (later edition's) LSOAs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WardEditionColumn {
    /// Edition year.
    pub edition: u16,
    /// The ward's LSOAs in this edition's 1% and decile 1 (bridged editions: any 2011 parent in it).
    pub counts: WardCounts,
    /// IMD rank of each of the ward's LSOAs (bridged through the ONS lookup when on other boundaries).
    pub ranks: BTreeMap<AreaCode, u32>,
    /// Brought onto the later edition's LSOAs through the 2011 to 2021 lookup.
    pub bridged: bool,
}

/// A ward profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WardProfile {
    /// Ward code.
    pub code: AreaCode,
    /// Ward name.
    pub name: String,
    /// Its LA's code.
    pub la_code: AreaCode,
    /// Its LA's name.
    pub la_name: String,
    /// Has an LSOA in the later edition's 1%.
    pub priority_ward: bool,
    /// Earlier and later edition counts.
    pub counts: [WardCounts; 2],
    /// Total population of its LSOAs.
    pub population: Option<u64>,
    /// Where population figures came from.
    pub population_source: Option<String>,
    /// Why there is no population, said once where it would be; `None` when loaded.
    pub population_missing: Option<String>,
    /// Its LSOAs without a population while others have one (left out of the population sums).
    pub lsoas_without_population: usize,
    /// Per domain, how many of its LSOAs are in that domain's decile 1 in the later edition (ranks ≤ N/10).
    pub domain_lsoas_in_decile1: BTreeMap<Index, usize>,
    /// Its LSOAs, by code.
    pub lsoas: Vec<LsoaChange>,
    /// Every loaded edition up to the later one that can be put on its LSOAs (e.g. 2015, 2019 and 2025), oldest first.
    pub editions: Vec<WardEditionColumn>,
}

impl WardProfile {
    /// Finds a ward by code or name (optionally within an LA) and profiles it.
    pub fn new(dataset: &Dataset, ward: &str, la: Option<&str>, from: u16, to: u16) -> Result<Self, AnalysisError> {
        let later = edition(dataset, to)?;
        let wanted = normalise(ward);
        let la_code = la
            .map(|q| super::comparison::find_la(dataset, q, [to, from]))
            .transpose()?
            .map(|(c, _)| c);
        if dataset.wards_of_lsoas(later.vintage).next().is_none() {
            return Err(AnalysisError::NoWardsLoaded {
                query: ward.to_string(),
                lsoa_year: later.vintage.year(),
                edition: later.year,
            });
        }
        let mut matches: BTreeMap<AreaCode, (String, Option<AreaCode>)> = BTreeMap::new();
        {
            for (lsoa, assignment) in dataset.wards_of_lsoas(later.vintage) {
                let w = assignment.ward;
                let la_of_lsoa = later.rows.get(lsoa).and_then(|r| r.la_code).or(w.la_code);
                let name_or_code = normalise(w.ward_code.as_str()) == wanted || normalise(&w.ward_name) == wanted;
                if name_or_code && la_code.as_ref().is_none_or(|c| la_of_lsoa.as_ref() == Some(c)) {
                    matches.entry(w.ward_code).or_insert((w.ward_name.clone(), la_of_lsoa));
                }
            }
        }
        let (code, (name, ward_la)) = match matches.len() {
            0 => {
                return Err(AnalysisError::WardNotFound {
                    query: ward.to_string(),
                    hint: ward_hint(dataset, later.vintage, ward, la_code.as_ref()),
                });
            }
            1 => matches.into_iter().next().unwrap_or_else(|| unreachable!()),
            count => {
                let choices = matches
                    .iter()
                    .map(|(c, (_, la))| match la_name_of(dataset, la.as_ref(), "") {
                        name if name.is_empty() => format!("{c} in an unknown LA"),
                        name => format!("{c} in {name}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(AnalysisError::WardAmbiguous {
                    query: ward.to_string(),
                    count,
                    choices,
                });
            }
        };
        let la_query = ward_la.map(|c| c.to_string()).unwrap_or_default();
        let area = super::AreaFilter::LocalAuthority(la_query);
        let comparison = EditionComparison::new(dataset, &area, from, to)?;
        let editions = edition_columns(dataset, &area, &code, to);
        let ward_rows = || comparison.rows.iter().filter(|r| r.ward_code.as_ref() == Some(&code));
        let population_where =
            |keep: &dyn Fn(&LsoaChange) -> bool| comparison.population_of(ward_rows().filter(|r| keep(r)));
        let counts = [
            WardCounts {
                edition: from,
                in_top1: ward_rows().filter(|r| r.in_top1_from).count(),
                in_decile1: ward_rows().filter(|r| r.in_decile1_from()).count(),
                population_in_decile1: population_where(&|r| r.in_decile1_from()),
                population_in_top1: population_where(&|r| r.in_top1_from),
            },
            WardCounts {
                edition: to,
                in_top1: ward_rows().filter(|r| r.in_top1_to).count(),
                in_decile1: ward_rows().filter(|r| r.in_decile1_to()).count(),
                population_in_decile1: population_where(&|r| r.in_decile1_to()),
                population_in_top1: population_where(&|r| r.in_top1_to),
            },
        ];
        let population = comparison.population_of(ward_rows());
        let lsoas_without_population = comparison.without_population(ward_rows());
        let population_missing = comparison.population_missing.clone();
        let lsoas: Vec<LsoaChange> = comparison
            .rows
            .into_iter()
            .filter(|r| r.ward_code.as_ref() == Some(&code))
            .collect();
        let decile_line = later.ranked_count() / 10;
        let domain_lsoas_in_decile1 = later
            .indices_present()
            .into_iter()
            .map(|index| {
                (
                    index,
                    lsoas
                        .iter()
                        .filter(|r| r.domain_ranks_to.get(&index).is_some_and(|rank| *rank <= decile_line))
                        .count(),
                )
            })
            .collect();
        let in_top1_to = counts[1].in_top1;
        let mut lsoas = lsoas;
        lsoas.sort_by_key(|a| a.lsoa_code);
        Ok(Self {
            code,
            name,
            la_code: comparison.la_code,
            la_name: comparison.la_name,
            priority_ward: in_top1_to > 0,
            counts,
            population,
            population_source: comparison.population_source,
            population_missing,
            lsoas_without_population,
            domain_lsoas_in_decile1,
            lsoas,
            editions,
        })
    }
}

/// The ward in every edition that compares with `to`: each earlier edition through a comparison with `to` (bridged
/// across the boundary change when needed), and `to` itself. Editions that cannot be compared are left out.
fn edition_columns(dataset: &Dataset, area: &super::AreaFilter, ward: &AreaCode, to: u16) -> Vec<WardEditionColumn> {
    // The same counts as the profile's own `counts` for the same edition (one rule for both, so they never disagree).
    let column = |comparison: &EditionComparison, year: u16, rows: &[&LsoaChange], earlier: bool, bridged: bool| {
        let pick = |r: &LsoaChange| if earlier { r.rank_from } else { r.rank_to };
        let in_top1 = |r: &&&LsoaChange| if earlier { r.in_top1_from } else { r.in_top1_to };
        let in_decile1 = |r: &&&LsoaChange| {
            if earlier {
                r.in_decile1_from()
            } else {
                r.in_decile1_to()
            }
        };
        WardEditionColumn {
            edition: year,
            counts: WardCounts {
                edition: year,
                in_top1: rows.iter().filter(in_top1).count(),
                in_decile1: rows.iter().filter(in_decile1).count(),
                population_in_decile1: comparison.population_of(rows.iter().filter(in_decile1).copied()),
                population_in_top1: comparison.population_of(rows.iter().filter(in_top1).copied()),
            },
            ranks: rows
                .iter()
                .filter_map(|r| pick(r).map(|rank| (r.lsoa_code, rank)))
                .collect(),
            bridged,
        }
    };
    let mut columns = Vec::new();
    for year in dataset.editions.keys().copied().filter(|y| *y < to) {
        let Ok(comparison) = EditionComparison::new(dataset, area, year, to) else {
            continue;
        };
        let rows: Vec<&LsoaChange> = comparison
            .rows
            .iter()
            .filter(|r| r.ward_code.as_ref() == Some(ward))
            .collect();
        columns.push(column(
            &comparison,
            year,
            &rows,
            true,
            comparison.comparison.is_bridged(),
        ));
        if columns.len() == 1 {
            // The later edition itself, once, from the same rows.
            columns.push(column(&comparison, to, &rows, false, false));
        }
    }
    columns.sort_by_key(|c| c.edition);
    columns
}

/// "; did you mean Armley (Leeds)?" from the ward names most like `ward` (typos forgiven, see
/// [`super::place_search`]), within the LA asked for if one was; empty when nothing is near.
fn ward_hint(dataset: &Dataset, vintage: crate::model::LsoaVintage, ward: &str, la: Option<&AreaCode>) -> String {
    let mut wards: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, assignment) in dataset.wards_of_lsoas(vintage) {
        let w = assignment.ward;
        if la.is_none_or(|c| w.la_code.as_ref() == Some(c)) {
            let la_name = la_name_of(dataset, w.la_code.as_ref(), &w.la_name);
            wards.entry(w.ward_name.clone()).or_default().insert(la_name);
        }
    }
    let similar = super::place_search::similar_names(ward, wards.keys().map(String::as_str), 5);
    let named: Vec<String> = similar
        .into_iter()
        .map(|name| {
            let las: Vec<&str> = wards[name]
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            if las.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({})", las.join(", "))
            }
        })
        .collect();
    super::place_search::did_you_mean("; ", &named)
}

/// An LA's name from any loaded edition, else the name the lookup gave, else its code.
fn la_name_of(dataset: &Dataset, code: Option<&AreaCode>, given: &str) -> String {
    if !given.is_empty() {
        return given.to_string();
    }
    let Some(code) = code else { return String::new() };
    dataset
        .editions
        .keys()
        .rev()
        .find_map(|year| dataset.find_la(*year, code.as_str()))
        .map_or_else(|| code.to_string(), |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// A two-LSOA ward: one LSOA at rank 328 (in the 1%), one at 329 (not).
    fn two_lsoa_dataset() -> Dataset {
        let mut dataset = Dataset::default();
        for (year, ranks) in [(2015u16, [400u32, 200]), (2019, [328, 329])] {
            let mut edition = ImdEdition::new(year, LsoaVintage::Lsoa2011);
            for (i, rank) in ranks.into_iter().enumerate() {
                let mut row = ImdRow {
                    name: format!("Test 00{i}"),
                    la_code: AreaCode::parse("E08000035"),
                    la_name: "Leeds".into(),
                    ..Default::default()
                };
                row.indices.insert(
                    Index::Imd,
                    IndexValue {
                        rank: Rank::new(rank),
                        decile: Decile::new(1),
                        score: None,
                    },
                );
                edition
                    .rows
                    .insert(AreaCode::parse(&format!("E0100000{i}")).unwrap(), row);
            }
            // Pad to N = 32,844 so the 1% line is 328.
            for i in 0..32_842u32 {
                let mut row = ImdRow {
                    la_code: AreaCode::parse("E08000001"),
                    ..Default::default()
                };
                row.indices.insert(
                    Index::Imd,
                    IndexValue {
                        rank: Rank::new(1000 + i),
                        ..Default::default()
                    },
                );
                edition
                    .rows
                    .insert(AreaCode::parse(&format!("E02{:06}", i)).unwrap(), row);
            }
            dataset.editions.insert(year, edition);
        }
        let ward = WardOfLsoa {
            ward_code: AreaCode::parse("E05000001").unwrap(),
            ward_name: "Test Ward".into(),
            la_code: AreaCode::parse("E08000035"),
            la_name: "Leeds".into(),
        };
        let by_lsoa = (0..2)
            .map(|i| (AreaCode::parse(&format!("E0100000{i}")).unwrap(), ward.clone()))
            .collect();
        dataset.ward_lookups.insert(
            LsoaVintage::Lsoa2011,
            WardLookup {
                ward_year: 2019,
                by_lsoa,
                sources: vec![],
            },
        );
        dataset
    }

    #[test]
    fn rank_328_is_in_the_1_percent_and_329_is_not() {
        let profile = WardProfile::new(&two_lsoa_dataset(), "test ward", None, 2015, 2019).unwrap();
        assert_eq!(profile.lsoas.len(), 2);
        assert_eq!(profile.counts[1].in_top1, 1);
        assert_eq!(profile.counts[0].in_top1, 1, "rank 200 in 2015 is in the 1%");
        assert!(profile.priority_ward);
        let transitions: Vec<_> = profile.lsoas.iter().map(|r| r.transition).collect();
        assert_eq!(
            transitions,
            [
                crate::analysis::Transition::MovedIn,
                crate::analysis::Transition::MovedOut
            ]
        );
        assert_eq!(profile.lsoas[0].change, Some(-72));
    }

    #[test]
    fn unknown_ward_suggests_names() {
        let err = WardProfile::new(&two_lsoa_dataset(), "Test", None, 2015, 2019).unwrap_err();
        assert!(err.to_string().contains("Test Ward"), "{err}");
    }
}
