//! Numbers to colours: fills for every LSOA of a comparison in the chosen mode, and the legend that matches them.

use super::{
    ClassBreaks, Classification, DECILES, DivergingPalette, Legend, LegendEntry, NO_DATA, RELATIVE_RANKS_CAVEAT, Rgba,
    classify::signed,
};
use crate::analysis::{EditionComparison, LsoaChange, decile_of_rank};
use crate::model::{AreaCode, Dataset, Index};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the map shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapMode {
    /// Later rank − earlier rank.
    #[default]
    RankChange,
    /// IMD decile in the later edition.
    DecileLater,
    /// IMD decile in the earlier edition.
    DecileEarlier,
    /// A domain's decile in the later edition (from its rank and N).
    DomainLater(Index),
    /// A domain's decile in the earlier edition.
    DomainEarlier(Index),
    /// Later percentile − earlier percentile (rank / N), in whole percentage points: comparable across editions of
    /// different N (2019's 32,844 LSOAs, 2025's 33,755).
    PercentileChange,
}

/// Fixed classes for percentile change, in percentage points (one point is about 330 ranks).
pub const PERCENTILE_CHANGE_BREAKS: [i64; 6] = [-10, -3, -1, 1, 3, 10];

impl MapMode {
    /// The change a map of two editions shows unless the planner chooses: percentile change when the editions rank
    /// different numbers of LSOAs (2019's 32,844 against 2025's 33,755, where a raw rank change mostly measures the
    /// 911 extra LSOAs), rank change otherwise.
    ///
    /// ```
    /// use locality_map::style::MapMode;
    /// assert_eq!(MapMode::default_change(32_844, 32_844), MapMode::RankChange);
    /// assert_eq!(MapMode::default_change(32_844, 33_755), MapMode::PercentileChange);
    /// ```
    pub fn default_change(ranked_from: u32, ranked_to: u32) -> Self {
        if ranked_from == ranked_to {
            Self::RankChange
        } else {
            Self::PercentileChange
        }
    }

    /// Label for pickers, naming the editions.
    pub fn label(self, from: u16, to: u16) -> String {
        match self {
            Self::RankChange => format!("Change in IMD rank, {from} to {to}"),
            Self::DecileLater => format!("IMD decile, {to}"),
            Self::DecileEarlier => format!("IMD decile, {from}"),
            Self::DomainLater(index) => format!("{} domain decile, {to}", index.label()),
            Self::DomainEarlier(index) => format!("{} domain decile, {from}", index.label()),
            Self::PercentileChange => format!("Change in IMD percentile, {from} to {to}"),
        }
    }
}

/// Fills by LSOA code, and the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct StyledMap {
    /// Fill for every LSOA in the comparison (no-data grey where there is no figure).
    pub fill_of: HashMap<AreaCode, Rgba>,
    /// The legend for exactly these fills.
    pub legend: Legend,
    /// The class of each LSOA with a figure (for linking the legend and the histogram to the map).
    pub class_of: HashMap<AreaCode, usize>,
}

/// The figure a mode maps for one LSOA (rank or percentile change, or a decile), as the map classes it: the histogram
/// bins the same figure. `ranked_later` and `ranked_earlier` are the editions' N (for domain deciles).
pub fn value_of(row: &LsoaChange, mode: MapMode, ranked_later: u32, ranked_earlier: u32) -> Option<i64> {
    match mode {
        MapMode::PercentileChange => row.percentile_change.map(|p| p.round() as i64),
        MapMode::DomainEarlier(index) => row
            .domain_ranks_from
            .get(&index)
            .map(|rank| i64::from(decile_of_rank(*rank, ranked_earlier))),
        MapMode::RankChange => row.change,
        MapMode::DecileLater => row.decile_to.map(i64::from),
        MapMode::DecileEarlier => row.decile_from.map(i64::from),
        MapMode::DomainLater(index) => row
            .domain_ranks_to
            .get(&index)
            .map(|rank| i64::from(decile_of_rank(*rank, ranked_later))),
    }
}

/// Styles a comparison of the loaded data, the later edition's N taken from it: what the window, the report and the
/// web map each colour their areas with.
pub fn style_loaded_comparison(
    dataset: &Dataset,
    comparison: &EditionComparison,
    mode: MapMode,
    classification: &Classification,
    palette: DivergingPalette,
) -> StyledMap {
    let ranked_later = dataset.edition(comparison.to).map_or(0, |e| e.ranked_count());
    style_comparison(comparison, mode, classification, palette, ranked_later)
}

/// Styles a comparison. `ranked_later` is the later edition's N (for domain deciles).
pub fn style_comparison(
    comparison: &EditionComparison,
    mode: MapMode,
    classification: &Classification,
    palette: DivergingPalette,
    ranked_later: u32,
) -> StyledMap {
    let values: Vec<i64> = comparison
        .rows
        .iter()
        .filter_map(|r| value_of(r, mode, ranked_later, comparison.ranked_from))
        .collect();
    let (breaks, colours, labels, subtitle) = match mode {
        MapMode::RankChange => {
            let breaks = ClassBreaks::resolve(classification, &values);
            let colours = spread(&palette.seven(), breaks.class_count());
            let labels = breaks.labels();
            let subtitle = "Change = later rank − earlier rank. Negative = more deprived (worsened); positive = less deprived (improved).";
            (breaks, colours, labels, subtitle)
        }
        MapMode::PercentileChange => {
            let breaks = match classification {
                Classification::Quantiles => ClassBreaks::resolve(classification, &values),
                Classification::Fixed(_) => ClassBreaks {
                    breaks: PERCENTILE_CHANGE_BREAKS.to_vec(),
                },
            };
            let colours = spread(&palette.seven(), breaks.class_count());
            let labels = breaks.labels().into_iter().map(|l| format!("{l} points")).collect();
            let subtitle = "Change in percentile (rank / N, each edition's own N), percentage points. Negative = more deprived relative to England.";
            (breaks, colours, labels, subtitle)
        }
        _ => {
            let labels = (1..=10)
                .map(|d| match d {
                    1 => "1 (most deprived 10%)".to_string(),
                    10 => "10 (least deprived)".to_string(),
                    _ => d.to_string(),
                })
                .collect();
            let subtitle = "National deciles: 1 = most deprived 10% of LSOAs in England.";
            (
                ClassBreaks {
                    breaks: (2..=10).collect(),
                },
                DECILES.to_vec(),
                labels,
                subtitle,
            )
        }
    };
    let mut fill_of = HashMap::with_capacity(comparison.rows.len());
    let mut class_of = HashMap::with_capacity(comparison.rows.len());
    let mut counts = vec![0usize; colours.len()];
    let mut no_data = 0usize;
    for row in &comparison.rows {
        match value_of(row, mode, ranked_later, comparison.ranked_from) {
            Some(v) => {
                let class = breaks.class_of(v).min(colours.len().saturating_sub(1));
                fill_of.insert(row.lsoa_code, colours.get(class).copied().unwrap_or(NO_DATA));
                class_of.insert(row.lsoa_code, class);
                if let Some(count) = counts.get_mut(class) {
                    *count += 1;
                }
            }
            None => {
                fill_of.insert(row.lsoa_code, NO_DATA);
                no_data += 1;
            }
        }
    }
    let mut entries: Vec<LegendEntry> = colours
        .iter()
        .zip(labels)
        .zip(&counts)
        .map(|((colour, label), count)| LegendEntry {
            colour: *colour,
            label,
            count: *count,
        })
        .collect();
    if no_data > 0 {
        entries.push(LegendEntry {
            colour: NO_DATA,
            label: "No data".into(),
            count: no_data,
        });
    }
    let mut notes = vec![RELATIVE_RANKS_CAVEAT.to_string()];
    if comparison.comparison.is_bridged() {
        notes.push(format!("{}.", comparison.comparison.caveat));
        notes.push(format!(
            "{} 2021 LSOAs; {} ranks brought onto them with the ONS 2011 to 2021 lookup (split: parent's rank; merged: population-weighted mean).",
            comparison.rows.len(),
            comparison.from
        ));
    }
    if let Some(note) = different_n_note(mode, comparison) {
        notes.insert(0, note);
    }
    if mode == MapMode::RankChange && matches!(classification, Classification::Quantiles) {
        let shown: Vec<String> = breaks.breaks.iter().map(|b| signed(*b)).collect();
        notes.push(format!(
            "Classes are quantiles of the {} LSOAs shown; breaks at {}.",
            values.len(),
            shown.join(", ")
        ));
    }
    let legend = Legend {
        title: mode.label(comparison.from, comparison.to),
        subtitle: subtitle.into(),
        entries,
        notes,
    };
    StyledMap {
        fill_of,
        legend,
        class_of,
    }
}

/// Why percentile change is the right measure (or a warning on raw rank change) when the editions rank different
/// numbers of LSOAs; `None` when they rank the same number, or the map shows no change.
pub fn different_n_note(mode: MapMode, comparison: &EditionComparison) -> Option<String> {
    let (n_from, n_to) = (comparison.ranked_from, comparison.ranked_to);
    if n_from == n_to {
        return None;
    }
    let (from, to) = (comparison.from, comparison.to);
    let gap = n_from.abs_diff(n_to);
    match mode {
        MapMode::PercentileChange => Some(format!(
            "Percentile change is shown because IMD {to} ranks {n_to} LSOAs and IMD {from} {n_from}: a raw rank change would \
             shift ranks by up to {gap} for the difference in N alone."
        )),
        MapMode::RankChange => Some(format!(
            "Caution: IMD {to} ranks {n_to} LSOAs and IMD {from} {n_from}, so raw rank changes include up to {gap} ranks \
             that are only the difference in N; percentile change compares like with like."
        )),
        _ => None,
    }
}

/// Picks `n` colours spread across a diverging palette (keeping the middle neutral when `n` is odd).
fn spread(palette: &[Rgba; 7], n: usize) -> Vec<Rgba> {
    if n >= 7 {
        return palette.to_vec();
    }
    (0..n)
        .map(|i| palette[if n <= 1 { 3 } else { i * 6 / (n - 1) }])
        .collect()
}
