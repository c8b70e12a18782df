//! One LA (or all England) compared between two editions: every LSOA with both ranks, the change and its 1% transition.

use super::boundary_bridge::{
    BRIDGE_CAVEAT, BRIDGE_METHOD, DIRECT_CAVEAT, DIRECT_METHOD, Earlier, LookupIndex, bridge_row,
};
use super::{AnalysisError, Transition, rank_change};
use crate::model::{AreaCode, BoundaryChange, Dataset, ImdEdition, ImdRow, Index, LsoaVintage, Persons, names_england};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which LSOAs to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaFilter {
    /// One local authority, by code or name.
    LocalAuthority(String),
    /// Every LSOA in England.
    England,
}

/// The 2011 → 2021 lookup that carries `earlier` onto `later`, or why the two cannot be compared.
pub fn change_lookup<'a>(
    dataset: &'a Dataset,
    earlier: &ImdEdition,
    later: &ImdEdition,
) -> Result<&'a crate::model::LsoaChangeLookup, AnalysisError> {
    match &dataset.change_lookup {
        Some(lookup) if earlier.vintage < later.vintage => Ok(lookup),
        _ => Err(AnalysisError::DifferentVintages {
            from: earlier.year,
            from_vintage: earlier.vintage.to_string(),
            to: later.year,
            to_vintage: later.vintage.to_string(),
        }),
    }
}

impl AreaFilter {
    /// The area's code and name: `E92000001` England, or the LA found in the first of `years` that has it.
    pub fn resolve(&self, dataset: &Dataset, years: [u16; 2]) -> Result<(AreaCode, String), AnalysisError> {
        match self {
            Self::England => Ok((
                AreaCode::parse("E92000001").unwrap_or_else(|| unreachable!()),
                "England".to_string(),
            )),
            Self::LocalAuthority(query) => find_la(dataset, query, years),
        }
    }

    /// `all` or `England` → England; anything else names an LA.
    pub fn parse(text: &str) -> Self {
        if names_england(text) {
            Self::England
        } else {
            Self::LocalAuthority(text.to_string())
        }
    }
}

/// One LSOA in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LsoaChange {
    /// LSOA code.
    pub lsoa_code: AreaCode,
    /// LSOA name.
    pub lsoa_name: String,
    /// Ward code, when the LSOA has a ward.
    pub ward_code: Option<AreaCode>,
    /// Ward name, or empty.
    pub ward_name: String,
    /// National IMD rank in the earlier edition.
    pub rank_from: Option<u32>,
    /// National IMD rank in the later edition.
    pub rank_to: Option<u32>,
    /// `rank_to - rank_from`; negative = worsened.
    pub change: Option<i64>,
    /// In the most deprived 1% in the earlier edition.
    pub in_top1_from: bool,
    /// In the most deprived 1% in the later edition.
    pub in_top1_to: bool,
    /// Movement relative to the 1%.
    pub transition: Transition,
    /// National decile in the earlier edition.
    pub decile_from: Option<u8>,
    /// National decile in the later edition.
    pub decile_to: Option<u8>,
    /// Total population (IoD population denominators), as published.
    pub population: Option<Persons>,
    /// Domain ranks in the later edition.
    pub domain_ranks_to: BTreeMap<Index, u32>,
    /// Domain ranks in the earlier edition.
    pub domain_ranks_from: BTreeMap<Index, u32>,
    /// Rank within its LA (1 = most deprived in the LA), earlier edition; ties share a rank.
    pub la_rank_from: Option<u32>,
    /// Rank within its LA, later edition.
    pub la_rank_to: Option<u32>,
    /// Earlier rank as a percentile of its edition's N (0–100, small = most deprived).
    pub percentile_from: Option<f64>,
    /// Later rank as a percentile of its edition's N.
    pub percentile_to: Option<f64>,
    /// `percentile_to - percentile_from`, in percentage points; negative = worsened relative to the rest of England.
    pub percentile_change: Option<f64>,
    /// Across the 2011 to 2021 boundary change: what the ONS lookup says happened to this LSOA. `None` when both
    /// editions rank the same LSOAs.
    pub boundary_change: Option<BoundaryChange>,
    /// Across the boundary change: the earlier-vintage LSOAs its earlier figures come from.
    pub earlier_lsoas: Vec<AreaCode>,
}

impl LsoaChange {
    /// In decile 1 (most deprived 10%) in the earlier edition.
    pub fn in_decile1_from(&self) -> bool {
        self.decile_from == Some(1)
    }

    /// In decile 1 in the later edition.
    pub fn in_decile1_to(&self) -> bool {
        self.decile_to == Some(1)
    }
}

/// Every LSOA of an area compared between two editions on the same LSOA boundaries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditionComparison {
    /// LA code, or `E92000001` for England.
    pub la_code: AreaCode,
    /// LA name, or `England`.
    pub la_name: String,
    /// Earlier edition year.
    pub from: u16,
    /// Later edition year.
    pub to: u16,
    /// LSOA boundaries both editions rank.
    pub vintage: LsoaVintage,
    /// 1% line of the earlier edition, from its own N.
    pub threshold_from: u32,
    /// 1% line of the later edition, from its own N.
    pub threshold_to: u32,
    /// Rows ordered by ward name, then LSOA code (LSOAs without a ward last).
    pub rows: Vec<LsoaChange>,
    /// Where population figures came from (for IMD 2025: mid-2015 residents carried across the boundary change
    /// where exact, see [`super::WHOLE_POPULATION_BRIDGE_METHOD`]).
    pub population_source: Option<String>,
    /// Why there are no population figures, said once where they would be; `None` when they are loaded.
    pub population_missing: Option<String>,
    /// N of the earlier edition.
    pub ranked_from: u32,
    /// N of the later edition.
    pub ranked_to: u32,
    /// The earlier edition's own LSOAs in the area (on its own boundaries), for counts that must not be bridged.
    pub earlier_counts: EditionCounts,
    /// How the editions were compared, and why care is needed.
    pub comparison: ComparisonMethod,
}

/// One edition's own counts over an area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EditionCounts {
    /// LSOAs of the edition in the area.
    pub lsoas: usize,
    /// In the edition's 1%.
    pub top1: usize,
    /// In decile 1.
    pub decile1: usize,
    /// Residents of its LSOAs in its 1% (its own LSOAs' denominators), when loaded.
    pub top1_population: Option<u64>,
    /// Residents of its LSOAs in decile 1, when loaded.
    pub decile1_population: Option<u64>,
}

/// How two editions were compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComparisonMethod {
    /// `direct` (same LSOAs) or `lsoa11_to_lsoa21_lookup`.
    pub method: &'static str,
    /// The rule, in words.
    pub rule: &'static str,
    /// What a reader must keep in mind.
    pub caveat: &'static str,
}

impl ComparisonMethod {
    /// True when the earlier edition's figures were bridged onto the later edition's LSOAs.
    pub fn is_bridged(&self) -> bool {
        self.method != "direct"
    }
}

/// Refuses the same edition twice and editions in reverse order: change is always later − earlier.
///
/// ```
/// use locality_map::analysis::{AnalysisError, check_edition_order};
/// assert!(check_edition_order(2015, 2019).is_ok());
/// assert_eq!(check_edition_order(2019, 2019), Err(AnalysisError::SameEdition { year: 2019 }));
/// assert!(matches!(check_edition_order(2019, 2015), Err(AnalysisError::ReversedEditions { .. })));
/// ```
pub fn check_edition_order(from: u16, to: u16) -> Result<(), AnalysisError> {
    match from.cmp(&to) {
        std::cmp::Ordering::Less => Ok(()),
        std::cmp::Ordering::Equal => Err(AnalysisError::SameEdition { year: from }),
        std::cmp::Ordering::Greater => Err(AnalysisError::ReversedEditions { from, to }),
    }
}

/// Looks up an edition or says which are loaded.
///
/// An edition whose files loaded but gave no IMD rank (a header-only or misread File 1 beside a good File 6) is
/// refused: its counts would all be zeros that look like answers.
pub fn edition(dataset: &Dataset, year: u16) -> Result<&ImdEdition, AnalysisError> {
    let edition = dataset.edition(year).ok_or_else(|| AnalysisError::EditionMissing {
        year,
        available: dataset
            .editions
            .keys()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    if !edition.has_imd_ranks() {
        return Err(AnalysisError::NoRanks {
            year,
            files: edition.sources.len(),
        });
    }
    Ok(edition)
}

/// Finds an LA in the later edition, then the earlier; suggests near names (typos forgiven, see
/// [`super::place_search`]) when none matches.
pub fn find_la(dataset: &Dataset, query: &str, years: [u16; 2]) -> Result<(AreaCode, String), AnalysisError> {
    if let Some(found) = years.iter().find_map(|y| dataset.find_la(*y, query)) {
        return Ok(found);
    }
    let mut las = dataset.local_authorities(years[0]);
    if las.is_empty() {
        las = dataset.local_authorities(years[1]);
    }
    let similar: Vec<String> = super::place_search::similar_names(query, las.iter().map(|(_, n)| n.as_str()), 5)
        .into_iter()
        .map(str::to_string)
        .collect();
    Err(AnalysisError::LaNotFound {
        query: query.to_string(),
        year: years[0],
        hint: super::place_search::did_you_mean(" — ", &similar),
    })
}

impl EditionComparison {
    /// Compares two editions over an LA (or England). Editions on different LSOA boundaries (2019 → 2025) are
    /// compared on the later edition's LSOAs through the ONS 2011 → 2021 lookup (see [`super::boundary_bridge`]).
    pub fn new(dataset: &Dataset, area: &AreaFilter, from: u16, to: u16) -> Result<Self, AnalysisError> {
        check_edition_order(from, to)?;
        let earlier = edition(dataset, from)?;
        let later = edition(dataset, to)?;
        let bridge = if earlier.vintage == later.vintage {
            None
        } else {
            Some((
                LookupIndex::new(change_lookup(dataset, earlier, later)?),
                Earlier::new(dataset, earlier),
            ))
        };
        let (la_code, la_name) = area.resolve(dataset, [to, from])?;
        let in_area = |row: &ImdRow| matches!(area, AreaFilter::England) || row.la_code.as_ref() == Some(&la_code);
        let mut codes: Vec<&AreaCode> = later.rows.iter().filter(|(_, r)| in_area(r)).map(|(c, _)| c).collect();
        if bridge.is_none() {
            codes.extend(
                earlier
                    .rows
                    .iter()
                    .filter(|(c, r)| in_area(r) && !later.rows.contains_key(*c))
                    .map(|(c, _)| c),
            );
        }
        let (threshold_from, threshold_to) = (earlier.top1_threshold(), later.top1_threshold());
        let (ranked_from, ranked_to) = (earlier.ranked_count(), later.ranked_count());
        let population_edition = population_edition(dataset, later);
        // No denominators of the later edition's own LSOAs (IMD 2025): whole 2011 LSOAs carried across, where exact.
        let bridged_population = match population_edition {
            None if later.vintage == LsoaVintage::Lsoa2021 => super::whole_lsoa_populations_2021(dataset),
            _ => None,
        };
        let population_of = |code: &AreaCode| -> Option<Persons> {
            match (population_edition, &bridged_population) {
                (Some(e), _) => e.rows.get(code).and_then(ImdRow::population_total),
                (None, Some(b)) => b.get(code).and_then(|p| Persons::new(p.round())),
                (None, None) => None,
            }
        };
        let domain_ranks = |row: Option<&ImdRow>| -> BTreeMap<Index, u32> {
            row.map(|r| {
                r.indices
                    .iter()
                    .filter_map(|(i, v)| v.rank.map(|rank| (i, rank.get())))
                    .collect()
            })
            .unwrap_or_default()
        };
        let percentile =
            |rank: Option<u32>, n: u32| rank.filter(|_| n > 0).map(|r| 100.0 * f64::from(r) / f64::from(n));
        let mut la_of: Vec<Option<AreaCode>> = Vec::with_capacity(codes.len());
        let mut rows: Vec<LsoaChange> = codes
            .into_iter()
            .map(|code| {
                let row_to = later.rows.get(code);
                let (row_from, bridged) = match &bridge {
                    None => (earlier.rows.get(code), None),
                    Some((index, prepared)) => (None, bridge_row(index, prepared, code)),
                };
                la_of.push(row_to.or(row_from).and_then(|r| r.la_code));
                let rank_from = match &bridged {
                    None => row_from.and_then(ImdRow::imd_rank).map(|r| r.get()),
                    Some(b) => b.rank,
                };
                let rank_to = row_to.and_then(ImdRow::imd_rank).map(|r| r.get());
                let in_top1_from = match &bridged {
                    None => rank_from.is_some_and(|r| r <= threshold_from),
                    Some(b) => b.any_parent_in_top1,
                };
                let in_top1_to = rank_to.is_some_and(|r| r <= threshold_to);
                let ward = dataset.ward_of(later.vintage, code);
                let (percentile_from, percentile_to) =
                    (percentile(rank_from, ranked_from), percentile(rank_to, ranked_to));
                LsoaChange {
                    lsoa_code: *code,
                    lsoa_name: row_to.or(row_from).map(|r| r.name.clone()).unwrap_or_default(),
                    ward_code: ward.map(|w| w.ward.ward_code),
                    ward_name: ward.map(|w| w.ward.ward_name.clone()).unwrap_or_default(),
                    rank_from,
                    rank_to,
                    change: rank_from.zip(rank_to).map(|(a, b)| rank_change(a, b)),
                    in_top1_from,
                    in_top1_to,
                    transition: Transition::from_membership(in_top1_from, in_top1_to),
                    decile_from: match &bridged {
                        None => row_from.and_then(ImdRow::imd_decile).map(|d| d.get()),
                        Some(b) => b.decile,
                    },
                    decile_to: row_to.and_then(ImdRow::imd_decile).map(|d| d.get()),
                    population: population_of(code),
                    domain_ranks_to: domain_ranks(row_to),
                    domain_ranks_from: match &bridged {
                        None => domain_ranks(row_from),
                        Some(b) => b.domain_ranks.clone(),
                    },
                    la_rank_from: None,
                    la_rank_to: None,
                    percentile_from,
                    percentile_to,
                    percentile_change: percentile_from.zip(percentile_to).map(|(a, b)| b - a),
                    boundary_change: bridged.as_ref().map(|b| b.change),
                    earlier_lsoas: bridged.map(|b| b.parents).unwrap_or_default(),
                }
            })
            .collect();
        rank_within_las(&mut rows, &la_of);
        rows.sort_by(|a, b| {
            (a.ward_name.is_empty(), &a.ward_name, &a.lsoa_code).cmp(&(
                b.ward_name.is_empty(),
                &b.ward_name,
                &b.lsoa_code,
            ))
        });
        let earlier_counts = {
            let own: Vec<(&AreaCode, &ImdRow)> = earlier.rows.iter().filter(|(_, r)| in_area(r)).collect();
            let earlier_population = self::population_edition(dataset, earlier);
            let population_where = |keep: &dyn Fn(&ImdRow) -> bool| {
                earlier_population.map(|e| {
                    own.iter()
                        .filter(|(_, r)| keep(r))
                        .filter_map(|(c, _)| e.rows.get(*c).and_then(ImdRow::population_total))
                        .sum::<Persons>()
                        .whole_people()
                })
            };
            let own_rows: Vec<&ImdRow> = own.iter().map(|(_, r)| *r).collect();
            let own = own_rows;
            EditionCounts {
                top1_population: population_where(&|r| r.imd_rank().is_some_and(|rank| rank.get() <= threshold_from)),
                decile1_population: population_where(&|r| r.imd_decile().is_some_and(|d| d.get() == 1)),
                lsoas: own.len(),
                top1: own
                    .iter()
                    .filter(|r| r.imd_rank().is_some_and(|rank| rank.get() <= threshold_from))
                    .count(),
                decile1: own
                    .iter()
                    .filter(|r| r.imd_decile().is_some_and(|d| d.get() == 1))
                    .count(),
            }
        };
        let comparison = if bridge.is_some() {
            ComparisonMethod {
                method: "lsoa11_to_lsoa21_lookup",
                rule: BRIDGE_METHOD,
                caveat: BRIDGE_CAVEAT,
            }
        } else {
            ComparisonMethod {
                method: "direct",
                rule: DIRECT_METHOD,
                caveat: DIRECT_CAVEAT,
            }
        };
        Ok(Self {
            la_code,
            la_name,
            from,
            to,
            vintage: later.vintage,
            threshold_from,
            threshold_to,
            rows,
            population_source: match (population_edition, &bridged_population) {
                (Some(e), _) => e.population_source.clone(),
                (None, Some(b)) => Some(b.source.clone()),
                (None, None) => None,
            },
            population_missing: (population_edition.is_none() && bridged_population.is_none())
                .then(|| population_missing(later)),
            ranked_from,
            ranked_to,
            earlier_counts,
            comparison,
        })
    }

    /// LSOAs in the 1% in either edition: the council's "Diagram 3".
    pub fn top1_rows(&self) -> impl Iterator<Item = &LsoaChange> {
        self.rows.iter().filter(|r| r.in_top1_from || r.in_top1_to)
    }

    /// The residents of some of its rows, or `None` when no population is loaded for the later edition's LSOAs. Rows
    /// without a figure (split 2021 LSOAs under the bridge) count nothing: see [`Self::without_population`]. Summed
    /// as published, then rounded once to whole people ([`Persons::whole_people`]).
    pub fn population_of<'a>(&self, rows: impl IntoIterator<Item = &'a LsoaChange>) -> Option<u64> {
        self.population_source.as_ref().map(|_| {
            rows.into_iter()
                .filter_map(|r| r.population)
                .sum::<Persons>()
                .whole_people()
        })
    }

    /// How many of these rows have no population while others do (so a sum over them is short by those LSOAs).
    pub fn without_population<'a>(&self, rows: impl IntoIterator<Item = &'a LsoaChange>) -> usize {
        if self.population_source.is_none() {
            return 0;
        }
        rows.into_iter().filter(|r| r.population.is_none()).count()
    }

    /// How many rows have each transition.
    pub fn count(&self, transition: Transition) -> usize {
        self.rows.iter().filter(|r| r.transition == transition).count()
    }
}

/// The edition whose population denominators apply to LSOAs of this edition's vintage: its own, else another on the same boundaries.
/// (IMD 2015 has none here; the IoD 2019 File 6 gives mid-2015 populations for the same 2011 LSOAs.)
pub fn population_edition<'a>(dataset: &'a Dataset, edition: &'a ImdEdition) -> Option<&'a ImdEdition> {
    if edition.has_population() {
        return Some(edition);
    }
    dataset
        .editions
        .values()
        .rev()
        .find(|e| e.vintage == edition.vintage && e.has_population())
}

/// The one sentence said where a population would be when an edition's LSOAs have none.
fn population_missing(edition: &ImdEdition) -> String {
    match edition.vintage {
        LsoaVintage::Lsoa2021 => format!(
            "no IMD {} population denominators are loaded (2021 LSOAs); IoD2019 File 6 with the ONS LSOA \
             (2011) to LSOA (2021) lookup would give mid-2015 residents where the boundaries allow",
            edition.year
        ),
        LsoaVintage::Lsoa2011 => format!(
            "no population denominators for IMD {}'s 2011 LSOAs are loaded (IoD2019 File 6)",
            edition.year
        ),
    }
}

/// Fills `la_rank_from` / `la_rank_to`: 1 = most deprived LSOA of its LA; ties share the lower rank.
fn rank_within_las(rows: &mut [LsoaChange], la_of: &[Option<AreaCode>]) {
    let mut by_la: BTreeMap<Option<AreaCode>, Vec<usize>> = BTreeMap::new();
    for (i, la) in la_of.iter().enumerate() {
        by_la.entry(*la).or_default().push(i);
    }
    for members in by_la.values() {
        for (get, set) in [
            (
                (|r: &LsoaChange| r.rank_from) as fn(&LsoaChange) -> Option<u32>,
                (|r: &mut LsoaChange, v| r.la_rank_from = v) as fn(&mut LsoaChange, Option<u32>),
            ),
            (|r: &LsoaChange| r.rank_to, |r: &mut LsoaChange, v| r.la_rank_to = v),
        ] {
            let mut ranked: Vec<(u32, usize)> = members.iter().filter_map(|&i| get(&rows[i]).map(|r| (r, i))).collect();
            ranked.sort_unstable();
            let mut previous: Option<(u32, u32)> = None;
            for (position, (rank, i)) in ranked.into_iter().enumerate() {
                let within = match previous {
                    Some((last_rank, last_within)) if last_rank == rank => last_within,
                    _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
                };
                previous = Some((rank, within));
                set(&mut rows[i], Some(within));
            }
        }
    }
}
