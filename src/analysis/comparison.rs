//! One LA (or all England) compared between two editions: every LSOA with both ranks, the change and its 1% transition.

use super::{AnalysisError, Transition, rank_change};
use crate::model::{AreaCode, Dataset, ImdEdition, ImdRow, Index, LsoaVintage, normalise};
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

impl AreaFilter {
    /// `all` or `England` → England; anything else names an LA.
    pub fn parse(text: &str) -> Self {
        match normalise(text).as_str() {
            "all" | "england" | "all england" => Self::England,
            _ => Self::LocalAuthority(text.to_string()),
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
    /// Total population (IoD population denominators).
    pub population: Option<u32>,
    /// Domain ranks in the later edition.
    pub domain_ranks_to: BTreeMap<Index, u32>,
    /// Domain ranks in the earlier edition.
    pub domain_ranks_from: BTreeMap<Index, u32>,
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
    /// Where population figures came from.
    pub population_source: Option<String>,
}

/// Looks up an edition or says which are loaded.
pub fn edition(dataset: &Dataset, year: u16) -> Result<&ImdEdition, AnalysisError> {
    dataset.edition(year).ok_or_else(|| AnalysisError::EditionMissing {
        year,
        available: dataset
            .editions
            .keys()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Finds an LA in the later edition, then the earlier; suggests near names when none matches.
pub fn find_la(dataset: &Dataset, query: &str, years: [u16; 2]) -> Result<(AreaCode, String), AnalysisError> {
    if let Some(found) = years.iter().find_map(|y| dataset.find_la(*y, query)) {
        return Ok(found);
    }
    let wanted = normalise(query);
    let similar: Vec<String> = dataset
        .local_authorities(years[0])
        .into_iter()
        .filter(|(_, name)| normalise(name).contains(&wanted) || wanted.contains(&normalise(name)))
        .map(|(code, name)| format!("{name} ({code})"))
        .take(5)
        .collect();
    let hint = if similar.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", similar.join(", "))
    };
    Err(AnalysisError::LaNotFound {
        query: query.to_string(),
        year: years[0],
        hint,
    })
}

impl EditionComparison {
    /// Compares two editions over an LA (or England).
    pub fn new(dataset: &Dataset, area: &AreaFilter, from: u16, to: u16) -> Result<Self, AnalysisError> {
        let earlier = edition(dataset, from)?;
        let later = edition(dataset, to)?;
        if earlier.vintage != later.vintage {
            return Err(AnalysisError::DifferentVintages {
                from,
                from_vintage: earlier.vintage.to_string(),
                to,
                to_vintage: later.vintage.to_string(),
            });
        }
        let (la_code, la_name) = match area {
            AreaFilter::England => (
                AreaCode::parse("E92000001").unwrap_or_else(|| unreachable!()),
                "England".to_string(),
            ),
            AreaFilter::LocalAuthority(query) => find_la(dataset, query, [to, from])?,
        };
        let in_area = |row: &ImdRow| matches!(area, AreaFilter::England) || row.la_code.as_ref() == Some(&la_code);
        let mut codes: Vec<&AreaCode> = later.rows.iter().filter(|(_, r)| in_area(r)).map(|(c, _)| c).collect();
        codes.extend(
            earlier
                .rows
                .iter()
                .filter(|(c, r)| in_area(r) && !later.rows.contains_key(*c))
                .map(|(c, _)| c),
        );
        let (threshold_from, threshold_to) = (earlier.top1_threshold(), later.top1_threshold());
        let population_edition = population_edition(dataset, later);
        let mut rows: Vec<LsoaChange> = codes
            .into_iter()
            .map(|code| {
                let row_from = earlier.rows.get(code);
                let row_to = later.rows.get(code);
                let rank_from = row_from.and_then(ImdRow::imd_rank).map(|r| r.get());
                let rank_to = row_to.and_then(ImdRow::imd_rank).map(|r| r.get());
                let in_top1_from = rank_from.is_some_and(|r| r <= threshold_from);
                let in_top1_to = rank_to.is_some_and(|r| r <= threshold_to);
                let ward = dataset.ward_of(later.vintage, code);
                let domain_ranks = |row: Option<&ImdRow>| -> BTreeMap<Index, u32> {
                    row.map(|r| {
                        r.indices
                            .iter()
                            .filter_map(|(i, v)| v.rank.map(|rank| (i, rank.get())))
                            .collect()
                    })
                    .unwrap_or_default()
                };
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
                    decile_from: row_from.and_then(ImdRow::imd_decile).map(|d| d.get()),
                    decile_to: row_to.and_then(ImdRow::imd_decile).map(|d| d.get()),
                    population: population_edition
                        .and_then(|e| e.rows.get(code))
                        .and_then(ImdRow::population_total),
                    domain_ranks_to: domain_ranks(row_to),
                    domain_ranks_from: domain_ranks(row_from),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.ward_name.is_empty(), &a.ward_name, &a.lsoa_code).cmp(&(
                b.ward_name.is_empty(),
                &b.ward_name,
                &b.lsoa_code,
            ))
        });
        Ok(Self {
            la_code,
            la_name,
            from,
            to,
            vintage: later.vintage,
            threshold_from,
            threshold_to,
            rows,
            population_source: population_edition.and_then(|e| e.population_source.clone()),
        })
    }

    /// LSOAs in the 1% in either edition: the council's "Diagram 3".
    pub fn top1_rows(&self) -> impl Iterator<Item = &LsoaChange> {
        self.rows.iter().filter(|r| r.in_top1_from || r.in_top1_to)
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
