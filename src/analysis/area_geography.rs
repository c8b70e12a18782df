//! Which LSOAs make up each area an edition is summarised over: the local authorities of an edition's own file, or
//! of another edition's ("recast", as MHCLG's IoD2019 File 14 recasts IoD2015 onto the 2019 districts); the wards of
//! an LA; and each LSOA's figures for one index.

use super::AnalysisError;
use super::area_measures::LsoaFigures;
use super::boundary_bridge::decile_of_rank;
use super::comparison::edition;
use crate::model::{AreaCode, Dataset, ImdEdition, Index, LsoaVintage, Persons, Population};
use std::collections::{BTreeMap, HashMap};

/// One area to summarise: its code (or a group's name), its name, and its LSOAs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaMembers {
    /// ONS code of an LA or ward; a group's name for planner-defined groups.
    pub code: String,
    /// Name.
    pub name: String,
    /// LSOAs of the summarised edition's vintage.
    pub lsoas: Vec<AreaCode>,
}

/// How many LSOAs an edition ranks nationally: a fact of the edition (32,844 in 2015 and 2019, 33,755 in 2025), so
/// that a file holding only some LSOAs still places them correctly; the count loaded for any other year.
pub fn national_lsoas(edition: &ImdEdition, index: Index) -> u32 {
    match edition.year {
        2015 | 2019 => 32_844,
        2025 => 33_755,
        _ => {
            let ranked = edition.rows.values().filter(|r| r.rank(index).is_some()).count();
            u32::try_from(ranked).unwrap_or(u32::MAX)
        }
    }
}

/// The population denominator MHCLG uses for an index (Technical Report 3.8.9), as published (File 6's working-age
/// population is in quarter-persons).
pub fn denominator(population: &Population, index: Index) -> Option<Persons> {
    match index {
        Index::Employment => population.working_age,
        Index::Idaci => population.children_0_15,
        Index::Idaopi => population.aged_60_plus,
        _ => population.total,
    }
}

/// The words for [`denominator`], for the "population source" statement of every output.
pub fn denominator_label(index: Index) -> &'static str {
    match index {
        Index::Employment => "working-age population (18-59/64)",
        Index::Idaci => "children aged 0-15",
        Index::Idaopi => "people aged 60 and over",
        _ => "total population",
    }
}

/// Every LSOA's figures for one index of one edition, with what is missing said once.
#[derive(Clone, Debug)]
pub struct IndexFigures {
    /// Edition year.
    pub year: u16,
    /// The index.
    pub index: Index,
    /// LSOAs of the edition.
    pub vintage: LsoaVintage,
    /// N: LSOAs ranked nationally.
    pub national_lsoas: u32,
    /// Figures by LSOA (only LSOAs ranked on the index).
    pub by_lsoa: HashMap<AreaCode, LsoaFigures>,
    /// The population denominators used, e.g. "IoD2019 population denominators: total population … (File_6…)".
    pub population_source: Option<String>,
    /// Why some measures are empty, one sentence each.
    pub missing: Vec<String>,
}

impl IndexFigures {
    /// Reads one index of an edition.
    pub fn new(edition: &ImdEdition, index: Index) -> Self {
        let n = national_lsoas(edition, index);
        let mut by_lsoa = HashMap::with_capacity(edition.rows.len());
        let (mut scores, mut people) = (0usize, 0usize);
        for (code, row) in &edition.rows {
            let Some(value) = row.indices.get(&index) else { continue };
            let Some(rank) = value.rank else { continue };
            let population = row
                .population
                .as_ref()
                .and_then(|p| denominator(p, index))
                .map(f64::from);
            let score = value.score.map(published_score);
            scores += usize::from(score.is_some());
            people += usize::from(population.is_some());
            let decile = value.decile.map_or_else(|| decile_of_rank(rank.get(), n), |d| d.get());
            by_lsoa.insert(
                *code,
                LsoaFigures {
                    rank: rank.get(),
                    in_decile1: decile == 1,
                    score,
                    population,
                },
            );
        }
        let mut missing = Vec::new();
        let year = edition.year;
        if by_lsoa.is_empty() {
            missing.push(format!("IMD {year} has no {} ranks loaded", index.label()));
        }
        if people == 0 {
            missing.push(format!(
                "the IoD{year} population denominators ({}) are not loaded, so average rank, average score, extent, local concentration and scale cannot be computed for IMD {year}; only the proportion of LSOAs in the most deprived 10% is given",
                denominator_label(index)
            ));
        } else if people < by_lsoa.len() {
            missing.push(format!(
                "{} of the {} LSOAs ranked on {} in IMD {year} have no population denominator; areas containing them have no population-weighted measures",
                by_lsoa.len() - people,
                by_lsoa.len(),
                index.label()
            ));
        }
        if scores == 0 && !by_lsoa.is_empty() {
            missing.push(format!(
                "no IMD {year} {} scores are loaded, so average score{} cannot be computed",
                index.label(),
                if has_scale(index) { " and scale" } else { "" }
            ));
        }
        if has_scale(index) && scores > 0 && people > 0 {
            missing.push(format!(
                "the {} scale is estimated as the sum of rate × denominator: MHCLG sums the domain numerators, which the published (shrinkage-estimated, 3-decimal) rates do not give back, so it runs a little high (Leeds IoD2019 income: 110,659 against the published 110,344)",
                index.label()
            ));
        }
        let population_source = (people > 0).then(|| {
            let file = edition.population_source.clone().unwrap_or_default();
            format!("{}; for {}: {}", file, index.label(), denominator_label(index))
        });
        Self {
            year,
            index,
            vintage: edition.vintage,
            national_lsoas: n,
            by_lsoa,
            population_source,
            missing,
        }
    }

    /// The figures of an area's LSOAs (LSOAs not ranked on the index are left out).
    pub fn of(&self, lsoas: &[AreaCode]) -> Vec<LsoaFigures> {
        lsoas.iter().filter_map(|c| self.by_lsoa.get(c).copied()).collect()
    }
}

/// True for the two indices MHCLG publishes a scale for.
pub fn has_scale(index: Index) -> bool {
    matches!(index, Index::Income | Index::Employment)
}

/// Scores are published as decimals (three places) and held as `f32`; the shortest decimal that reads back as the
/// same `f32` is the published figure, so sums are sums of the published figures, not of binary approximations.
fn published_score(score: f32) -> f64 {
    format!("{score}").parse().unwrap_or(f64::from(score))
}

/// The local authority each LSOA of an edition belongs to on some edition's geography, and what that geography is.
#[derive(Clone, Debug)]
pub struct LaGeography {
    /// The edition whose file names the LAs.
    pub on: u16,
    /// In words, e.g. "local authorities of IMD 2019 (LAD 2019), IMD 2015 recast onto them".
    pub description: String,
    /// LA code of each LSOA of the summarised edition.
    pub la_of: HashMap<AreaCode, AreaCode>,
    /// LA names.
    pub names: BTreeMap<AreaCode, String>,
    /// LSOAs that could not be placed in an LA of the geography, and why, when any.
    pub unplaced: Option<String>,
}

impl LaGeography {
    /// The LAs of `on`'s file for the LSOAs of `of`. Editions on different LSOA boundaries are joined through the
    /// ONS LSOA (2011) → LSOA (2021) lookup: an LSOA goes to the LA holding most of its counterparts.
    pub fn new(dataset: &Dataset, of: u16, on: u16) -> Result<Self, AnalysisError> {
        let summarised = edition(dataset, of)?;
        let geography = edition(dataset, on)?;
        let mut names = BTreeMap::new();
        for row in geography.rows.values() {
            if let Some(code) = row.la_code {
                names.entry(code).or_insert_with(|| row.la_name.clone());
            }
        }
        let mut la_of = HashMap::with_capacity(summarised.rows.len());
        let mut by_code = 0usize;
        if summarised.vintage == geography.vintage {
            for code in summarised.rows.keys() {
                if let Some(la) = geography.rows.get(code).and_then(|r| r.la_code) {
                    la_of.insert(*code, la);
                }
            }
        } else {
            let lookup = dataset.change_lookup.as_ref().ok_or(AnalysisError::DifferentVintages {
                from: of,
                from_vintage: summarised.vintage.to_string(),
                to: on,
                to_vintage: geography.vintage.to_string(),
            })?;
            let mut votes: HashMap<AreaCode, BTreeMap<AreaCode, u32>> = HashMap::new();
            for row in &lookup.rows {
                let (mine, theirs) = if summarised.vintage == LsoaVintage::Lsoa2011 {
                    (row.lsoa11, row.lsoa21)
                } else {
                    (row.lsoa21, row.lsoa11)
                };
                if let Some(la) = geography.rows.get(&theirs).and_then(|r| r.la_code) {
                    *votes.entry(mine).or_default().entry(la).or_default() += 1;
                }
            }
            for (code, row) in &summarised.rows {
                let best = votes
                    .get(code)
                    .and_then(|v| v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))));
                match best {
                    Some((la, _)) => {
                        la_of.insert(*code, *la);
                    }
                    // Not in the lookup loaded (e.g. one LA's rows): an LA whose code both files use is the same LA.
                    None => {
                        if let Some(la) = row.la_code.filter(|la| names.contains_key(la)) {
                            la_of.insert(*code, la);
                            by_code += 1;
                        }
                    }
                }
            }
        }
        let unplaced_count = summarised.rows.len() - la_of.len();
        let mut unplaced = (unplaced_count > 0).then(|| {
            format!("{unplaced_count} LSOAs of IMD {of} have no local authority in IMD {on}'s file and are left out")
        });
        if by_code > 0 {
            let note = format!(
                "{by_code} LSOAs of IMD {of} are not in the loaded LSOA (2011) to LSOA (2021) lookup and were placed by their LA code, which IMD {on} also uses"
            );
            unplaced = Some(match unplaced {
                Some(first) => format!("{first}; {note}"),
                None => note,
            });
        }
        let la_year = la_year_of(on);
        let description = if of == on {
            format!("local authorities as IMD {on} names them (LAD {la_year})")
        } else if summarised.vintage == geography.vintage {
            format!(
                "IMD {of} recast onto the local authorities of IMD {on} (LAD {la_year}): each LSOA in the LA IMD {on}'s file names for it"
            )
        } else {
            format!(
                "IMD {of} recast onto the local authorities of IMD {on} (LAD {la_year}) through the ONS LSOA (2011) to LSOA (2021) lookup: each LSOA in the LA holding most of its counterparts"
            )
        };
        Ok(Self {
            on,
            description,
            la_of,
            names,
            unplaced,
        })
    }

    /// Every LA of the geography with its LSOAs, by LA code.
    pub fn areas(&self) -> Vec<AreaMembers> {
        let mut by_la: BTreeMap<AreaCode, Vec<AreaCode>> = BTreeMap::new();
        for (lsoa, la) in &self.la_of {
            by_la.entry(*la).or_default().push(*lsoa);
        }
        by_la
            .into_iter()
            .map(|(la, mut lsoas)| {
                lsoas.sort_unstable();
                AreaMembers {
                    code: la.to_string(),
                    name: self.names.get(&la).cloned().unwrap_or_default(),
                    lsoas,
                }
            })
            .collect()
    }
}

/// The LAD year an edition's file uses.
fn la_year_of(year: u16) -> u16 {
    match year {
        2015 => 2013,
        2019 => 2019,
        2025 => 2024,
        other => other,
    }
}

/// The wards of one LA with their LSOAs (of the edition's vintage), by ward code: from the ONS lookup, else the
/// ward polygons. A ward's LA is the lookup's; for wards found from polygons, the LA of the LSOA in the edition.
pub fn wards_of_la(dataset: &Dataset, edition: &ImdEdition, la: &AreaCode) -> Vec<AreaMembers> {
    let mut wards: BTreeMap<AreaCode, (String, Vec<AreaCode>)> = BTreeMap::new();
    for (lsoa, assignment) in dataset.wards_of_lsoas(edition.vintage) {
        let Some(row) = edition.rows.get(lsoa) else { continue };
        let ward_la = assignment.ward.la_code.or(row.la_code);
        if ward_la.as_ref() != Some(la) {
            continue;
        }
        let entry = wards
            .entry(assignment.ward.ward_code)
            .or_insert_with(|| (assignment.ward.ward_name.clone(), Vec::new()));
        entry.1.push(*lsoa);
    }
    wards
        .into_iter()
        .map(|(code, (name, mut lsoas))| {
            lsoas.sort_unstable();
            lsoas.dedup();
            AreaMembers {
                code: code.to_string(),
                name,
                lsoas,
            }
        })
        .collect()
}
