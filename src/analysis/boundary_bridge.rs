//! Bringing an earlier edition's ranks (2011 LSOAs) onto a later edition's LSOAs (2021) through the ONS
//! LSOA (2011) → LSOA (2021) lookup, so that IMD 2015/2019 can be compared with IMD 2025.
//!
//! The rule, stated once here and quoted in every output that uses it ([`BRIDGE_METHOD`]):
//! - unchanged (U) and split (S): a 2021 LSOA takes its one 2011 parent's ranks (each child of a split is compared
//!   with the whole parent);
//! - merged (M) and irregular (X): the population-weighted mean of its 2011 parents' ranks (mid-2015 populations from
//!   the IoD 2019 File 6; equal weights where a parent has none), rounded to the nearest whole rank;
//! - a 2021 LSOA counts as in the earlier 1% (or decile 1) when any of its parents was, so no LSOA that was in the 1%
//!   drops out of the council's Diagram 3 because it was merged.

use crate::model::{AreaCode, BoundaryChange, Dataset, ImdEdition, ImdRow, Index, LsoaChangeLookup};
use std::collections::{BTreeMap, BTreeSet};

/// How cross-vintage comparisons are made, for JSON, CSV header comments and the window.
pub const BRIDGE_METHOD: &str = "2011 LSOA ranks brought onto 2021 LSOAs with the ONS LSOA (2011) to LSOA (2021) lookup: \
unchanged (U) and split (S) LSOAs take their 2011 parent's rank; merged (M) and irregular (X) LSOAs take the \
population-weighted mean rank of their 2011 parents (mid-2015 populations, equal weights where missing), rounded; \
an LSOA is in the earlier 1% or decile 1 when any parent was";

/// Why such comparisons need care, shown beside every cross-vintage legend and export.
pub const BRIDGE_CAVEAT: &str = "IMD 2025 ranks 33,755 LSOAs on 2021 boundaries and IMD 2015/2019 rank 32,844 on 2011 \
boundaries: MHCLG advises that IMD 2025 is less directly comparable with earlier editions. Ranks are relative; compare \
percentiles (rank / N) as well as ranks, and each edition's 1% uses its own N";

/// The method for editions on the same boundaries.
pub const DIRECT_METHOD: &str = "both editions rank the same LSOAs: change = later rank - earlier rank";

/// The caveat for any two editions.
pub const DIRECT_CAVEAT: &str = "ranks are relative: a change in rank shows a change relative to other LSOAs, not an \
absolute change in deprivation";

/// The earlier edition's figures for one later LSOA.
#[derive(Clone, Debug, PartialEq)]
pub struct BridgedRow {
    /// The lookup's verdict for this later LSOA: X if any row is irregular, M if it has several parents, else U or S.
    pub change: BoundaryChange,
    /// Its earlier-vintage parents, in code order.
    pub parents: Vec<AreaCode>,
    /// IMD rank (exact for U/S, rounded weighted mean for M/X).
    pub rank: Option<u32>,
    /// The parent's decile for U/S, else the decile of the bridged rank.
    pub decile: Option<u8>,
    /// Any parent in the earlier 1%.
    pub any_parent_in_top1: bool,
    /// Any parent in the earlier decile 1.
    pub any_parent_in_decile1: bool,
    /// Domain ranks, bridged as the IMD rank is.
    pub domain_ranks: BTreeMap<Index, u32>,
}

/// The lookup indexed both ways.
#[derive(Debug, Default)]
pub struct LookupIndex<'a> {
    /// Later LSOA → (earlier LSOA, change letter) rows.
    pub parents_of: BTreeMap<AreaCode, Vec<(AreaCode, BoundaryChange)>>,
    /// Earlier LSOA → later LSOAs.
    pub children_of: BTreeMap<AreaCode, Vec<AreaCode>>,
    /// The lookup itself.
    pub lookup: Option<&'a LsoaChangeLookup>,
}

impl<'a> LookupIndex<'a> {
    /// Indexes a 2011 → 2021 lookup.
    pub fn new(lookup: &'a LsoaChangeLookup) -> Self {
        let mut index = Self {
            lookup: Some(lookup),
            ..Self::default()
        };
        for row in &lookup.rows {
            index
                .parents_of
                .entry(row.lsoa21)
                .or_default()
                .push((row.lsoa11, row.change));
            index.children_of.entry(row.lsoa11).or_default().push(row.lsoa21);
        }
        for parents in index.parents_of.values_mut() {
            parents.sort();
            parents.dedup();
        }
        index
    }
}

/// Decile of a rank among N, as MHCLG publishes them: ceil(10 × rank / N), so decile 1 is ranks ≤ floor(N / 10)
/// (3,284 of 32,844; checked against every row of the IoD 2019 File 1).
///
/// ```
/// use locality_map::analysis::decile_of_rank;
/// assert_eq!(decile_of_rank(1, 32_844), 1);
/// assert_eq!(decile_of_rank(3_284, 32_844), 1);
/// assert_eq!(decile_of_rank(3_285, 32_844), 2);
/// assert_eq!(decile_of_rank(32_844, 32_844), 10);
/// ```
pub fn decile_of_rank(rank: u32, ranked: u32) -> u8 {
    let ranked = u64::from(ranked.max(1));
    (u64::from(rank.max(1)) * 10).div_ceil(ranked).clamp(1, 10) as u8
}

/// The earlier edition with what every bridged row needs, worked out once: N and the 1% line each scan every row.
pub struct Earlier<'a> {
    /// The edition.
    pub edition: &'a ImdEdition,
    /// Its N.
    pub ranked: u32,
    /// Its 1% line.
    pub threshold: u32,
    /// Where its populations (the merge weights) come from.
    pub population: Option<&'a ImdEdition>,
}

impl<'a> Earlier<'a> {
    /// Prepares an edition for bridging.
    pub fn new(dataset: &'a Dataset, edition: &'a ImdEdition) -> Self {
        let ranked = edition.ranked_count();
        Self {
            edition,
            ranked,
            threshold: super::top1_threshold(ranked),
            population: super::population_edition(dataset, edition),
        }
    }
}

/// Bridges the earlier edition onto one later LSOA. `None` when the lookup does not list it.
pub fn bridge_row(index: &LookupIndex<'_>, earlier: &Earlier<'_>, later_code: &AreaCode) -> Option<BridgedRow> {
    let Earlier {
        edition: earlier,
        ranked,
        threshold,
        population,
    } = *earlier;
    let parents_rows = index.parents_of.get(later_code)?;
    let parents: Vec<AreaCode> = parents_rows
        .iter()
        .map(|(code, _)| *code)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let change = if parents_rows.iter().any(|(_, c)| *c == BoundaryChange::Irregular) {
        BoundaryChange::Irregular
    } else if parents.len() > 1 {
        BoundaryChange::Merged
    } else {
        parents_rows[0].1
    };
    let rows: Vec<&ImdRow> = parents.iter().filter_map(|p| earlier.rows.get(p)).collect();
    let any_parent_in_top1 = rows
        .iter()
        .any(|r| r.imd_rank().is_some_and(|rank| rank.get() <= threshold));
    let any_parent_in_decile1 = rows.iter().any(|r| r.imd_decile().is_some_and(|d| d.get() == 1));
    if rows.len() == 1 && parents.len() == 1 {
        let row = rows[0];
        return Some(BridgedRow {
            change,
            parents,
            rank: row.imd_rank().map(|r| r.get()),
            decile: row.imd_decile().map(|d| d.get()),
            any_parent_in_top1,
            any_parent_in_decile1,
            domain_ranks: row
                .indices
                .iter()
                .filter_map(|(i, v)| v.rank.map(|r| (i, r.get())))
                .collect(),
        });
    }
    // Several parents (or a parent the earlier edition lacks): weight by mid-2015 population where every parent has one.
    let weights: Vec<f64> = parents
        .iter()
        .map(|p| {
            population
                .and_then(|e| e.rows.get(p))
                .and_then(ImdRow::population_total)
                .map(f64::from)
        })
        .collect::<Option<Vec<_>>>()
        .filter(|w| w.iter().sum::<f64>() > 0.0)
        .unwrap_or_else(|| vec![1.0; parents.len()]);
    let weighted_rank = |index: Index| -> Option<u32> {
        let mut total = 0.0;
        let mut weight = 0.0;
        for (parent, w) in parents.iter().zip(&weights) {
            let rank = earlier.rows.get(parent)?.rank(index)?;
            total += f64::from(rank.get()) * w;
            weight += w;
        }
        (weight > 0.0).then(|| (total / weight).round() as u32)
    };
    let rank = weighted_rank(Index::Imd);
    let present: BTreeSet<Index> = rows.iter().flat_map(|r| r.indices.iter().map(|(i, _)| i)).collect();
    let domain_ranks = present
        .into_iter()
        .filter_map(|i| weighted_rank(i).map(|r| (i, r)))
        .collect();
    Some(BridgedRow {
        change,
        parents,
        rank,
        decile: rank.map(|r| decile_of_rank(r, ranked)),
        any_parent_in_top1,
        any_parent_in_decile1,
        domain_ranks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IndexValue, LsoaChangeRow, LsoaVintage, Population, Rank};

    fn code(text: &str) -> AreaCode {
        AreaCode::parse(text).unwrap()
    }

    fn edition(ranks: &[(&str, u32, u32)]) -> ImdEdition {
        let mut edition = ImdEdition::new(2019, LsoaVintage::Lsoa2011);
        for (c, rank, population) in ranks {
            let mut row = ImdRow::default();
            row.indices.insert(
                Index::Imd,
                IndexValue {
                    rank: Rank::new(*rank),
                    ..IndexValue::default()
                },
            );
            row.population = Some(Population {
                total: Some((*population).into()),
                ..Population::default()
            });
            edition.rows.insert(code(c), row);
        }
        edition.population_source = Some("test".into());
        edition
    }

    fn lookup(rows: &[(&str, &str, &str)]) -> LsoaChangeLookup {
        LsoaChangeLookup {
            rows: rows
                .iter()
                .map(|(a, b, c)| LsoaChangeRow {
                    lsoa11: code(a),
                    lsoa21: code(b),
                    change: BoundaryChange::from_letter(c).unwrap(),
                    la_code: None,
                })
                .collect(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn merged_lsoas_take_the_population_weighted_mean_rank() {
        // Two parents, ranks 100 (population 3,000) and 500 (population 1,000): (300,000 + 500,000) / 4,000 = 200.
        let earlier = edition(&[("E01000001", 100, 3_000), ("E01000002", 500, 1_000)]);
        let lookup = lookup(&[("E01000001", "E01099999", "M"), ("E01000002", "E01099999", "M")]);
        let index = LookupIndex::new(&lookup);
        let bridged = bridge_row(&index, &Earlier::new(&Dataset::default(), &earlier), &code("E01099999")).unwrap();
        assert_eq!(bridged.change, BoundaryChange::Merged);
        assert_eq!(bridged.rank, Some(200));
        assert_eq!(bridged.parents.len(), 2);
        assert!(bridged.any_parent_in_top1 || earlier.top1_threshold() < 100);
    }

    #[test]
    fn each_child_of_a_split_takes_the_parent_rank() {
        let earlier = edition(&[("E01000001", 250, 3_000)]);
        let lookup = lookup(&[("E01000001", "E01099998", "S"), ("E01000001", "E01099999", "S")]);
        let index = LookupIndex::new(&lookup);
        for child in ["E01099998", "E01099999"] {
            let bridged = bridge_row(&index, &Earlier::new(&Dataset::default(), &earlier), &code(child)).unwrap();
            assert_eq!((bridged.change, bridged.rank), (BoundaryChange::Split, Some(250)));
            assert_eq!(bridged.parents, vec![code("E01000001")]);
        }
        assert!(bridge_row(&index, &Earlier::new(&Dataset::default(), &earlier), &code("E01000001")).is_none());
    }

    #[test]
    fn any_irregular_row_makes_the_lsoa_irregular() {
        let earlier = edition(&[("E01000001", 10, 1), ("E01000002", 20, 1)]);
        let lookup = lookup(&[("E01000001", "E01099999", "X"), ("E01000002", "E01099999", "M")]);
        let dataset = Dataset::default();
        let prepared = Earlier::new(&dataset, &earlier);
        let bridged = bridge_row(&LookupIndex::new(&lookup), &prepared, &code("E01099999")).unwrap();
        assert_eq!((bridged.change, bridged.rank), (BoundaryChange::Irregular, Some(15)));
    }
}
