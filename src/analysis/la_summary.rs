//! The LA summary: 1% counts and transitions, decile 1 counts and shares, priority wards, and the LA's national rank.

use super::{AnalysisError, ComparisonMethod, EditionComparison, Transition, WardCoverage, rank_las_by_decile1_share};
use crate::model::{AreaCode, Dataset};
use serde::Serialize;
use std::collections::BTreeMap;

/// The 1% block of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Top1Summary {
    /// 1% line of the earlier edition.
    pub threshold_from: u32,
    /// 1% line of the later edition.
    pub threshold_to: u32,
    /// LSOAs in the 1% in the earlier edition.
    pub count_from: usize,
    /// LSOAs in the 1% in the later edition.
    pub count_to: usize,
    /// Entered the 1%.
    pub moved_in: usize,
    /// Left the 1%.
    pub moved_out: usize,
    /// In the 1% in both.
    pub stayed: usize,
    /// Residents of the earlier edition's 1% LSOAs (its own LSOAs), when population is loaded for them.
    pub population_from: Option<u64>,
    /// Residents of the later edition's 1% LSOAs, when population is loaded for them.
    pub population_to: Option<u64>,
}

/// The decile 1 block of the summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decile1Summary {
    /// LSOAs in decile 1, earlier edition.
    pub count_from: usize,
    /// LSOAs in decile 1, later edition.
    pub count_to: usize,
    /// Share of the LA's LSOAs in decile 1 (0–1), earlier edition.
    pub share_from: f64,
    /// Share, later edition.
    pub share_to: f64,
    /// Population of the earlier edition's decile-1 LSOAs (its own LSOAs), when loaded for them.
    pub population_from: Option<u64>,
    /// Population of the later edition's decile-1 LSOAs, when population figures are loaded.
    pub population_to: Option<u64>,
}

/// A ward with at least one LSOA in the 1% in the later edition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriorityWard {
    /// Ward code.
    pub code: AreaCode,
    /// Ward name.
    pub name: String,
    /// Its LSOAs in the later edition's 1%.
    pub lsoas_in_top1: usize,
}

/// The LA's place among all LAs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LaRank {
    /// 1 = highest share of LSOAs in decile 1.
    pub rank: u32,
    /// Number of LAs in the edition.
    pub of: u32,
}

/// The LA summary printed by `locality-map summary`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaSummary {
    /// LA code.
    pub la_code: AreaCode,
    /// LA name.
    pub la_name: String,
    /// Earlier edition.
    pub from: u16,
    /// Later edition.
    pub to: u16,
    /// LSOAs in the LA (the later edition's, on its own boundaries).
    pub lsoas: usize,
    /// LSOAs in the LA in the earlier edition (differs from `lsoas` across the 2011 to 2021 boundary change).
    pub lsoas_from: usize,
    /// Wards the LSOAs fall in; `None` when no ward is loaded for any of them (see `ward_coverage`).
    pub wards: Option<usize>,
    /// How many LSOAs have a ward, and what to say where ward figures would be when some have none.
    pub ward_coverage: WardCoverage,
    /// The 1%.
    pub top1: Top1Summary,
    /// Decile 1.
    pub decile1: Decile1Summary,
    /// Wards with an LSOA in the later 1%, by name; `None` when no ward is loaded for the area's LSOAs.
    pub priority_wards: Option<Vec<PriorityWard>>,
    /// Rank by share of LSOAs in decile 1, later edition.
    pub la_rank_by_decile1_share: Option<LaRank>,
    /// Where population figures came from.
    pub population_source: Option<String>,
    /// Why there are no population figures for the later edition, said once; `None` when they are loaded.
    pub population_missing: Option<String>,
    /// LSOAs of the later edition without a population while others have one (split LSOAs under the bridge), so
    /// population sums leave them out.
    pub lsoas_without_population: usize,
    /// How the editions were compared, and the caveat.
    pub comparison: ComparisonMethod,
}

impl LaSummary {
    /// Summarises a comparison.
    pub fn new(dataset: &Dataset, comparison: &EditionComparison) -> Result<Self, AnalysisError> {
        let rows = &comparison.rows;
        let lsoas = rows.len();
        let count = |keep: &dyn Fn(&super::LsoaChange) -> bool| rows.iter().filter(|r| keep(r)).count();
        let share = |n: usize| {
            if lsoas == 0 { 0.0 } else { n as f64 / lsoas as f64 }
        };
        let decile1_to = count(&|r| r.in_decile1_to());
        // The earlier edition's own counts: across the boundary change, bridged rows would count a split parent twice.
        let own_from = comparison.earlier_counts;
        let decile1_from = own_from.decile1;
        let share_from = if own_from.lsoas == 0 {
            0.0
        } else {
            decile1_from as f64 / own_from.lsoas as f64
        };
        let population_to = comparison.population_of(rows.iter().filter(|r| r.in_decile1_to()));
        let ward_coverage = WardCoverage::of_comparison(comparison);
        let mut wards: BTreeMap<&AreaCode, (&str, usize)> = BTreeMap::new();
        for row in rows {
            if let Some(code) = &row.ward_code {
                wards.entry(code).or_insert((&row.ward_name, 0)).1 += usize::from(row.in_top1_to);
            }
        }
        let mut priority_wards: Vec<PriorityWard> = wards
            .iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(code, (name, n))| PriorityWard {
                code: *(*code),
                name: name.to_string(),
                lsoas_in_top1: *n,
            })
            .collect();
        priority_wards.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
        let later = super::comparison::edition(dataset, comparison.to)?;
        let ranking = rank_las_by_decile1_share(later);
        let la_rank_by_decile1_share = ranking
            .iter()
            .find(|la| la.code == comparison.la_code)
            .map(|la| LaRank {
                rank: la.rank,
                of: u32::try_from(ranking.len()).unwrap_or(u32::MAX),
            });
        Ok(Self {
            la_code: comparison.la_code,
            la_name: comparison.la_name.clone(),
            from: comparison.from,
            to: comparison.to,
            lsoas,
            lsoas_from: own_from.lsoas,
            wards: (!ward_coverage.none()).then_some(wards.len()),
            top1: Top1Summary {
                threshold_from: comparison.threshold_from,
                threshold_to: comparison.threshold_to,
                count_from: own_from.top1,
                count_to: count(&|r| r.in_top1_to),
                moved_in: comparison.count(Transition::MovedIn),
                moved_out: comparison.count(Transition::MovedOut),
                stayed: comparison.count(Transition::Stayed),
                population_from: own_from.top1_population,
                population_to: comparison.population_of(rows.iter().filter(|r| r.in_top1_to)),
            },
            decile1: Decile1Summary {
                count_from: decile1_from,
                count_to: decile1_to,
                share_from,
                share_to: share(decile1_to),
                population_from: own_from.decile1_population,
                population_to,
            },
            priority_wards: (!ward_coverage.none()).then_some(priority_wards),
            ward_coverage,
            la_rank_by_decile1_share,
            population_source: comparison.population_source.clone(),
            population_missing: comparison.population_missing.clone(),
            lsoas_without_population: comparison.without_population(rows),
            comparison: comparison.comparison.clone(),
        })
    }
}
