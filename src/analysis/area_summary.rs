//! Area summaries: MHCLG's summary measures for every LA of an edition (on any edition's LA geography), for the
//! wards of an LA, or for groups a planner defines, each ranked among its peers.

use super::area_geography::{AreaMembers, IndexFigures, LaGeography, has_scale, wards_of_la};
use super::area_measures::{
    average_rank, average_score, extent, local_concentration, population, proportion_most_deprived_10pct,
    rank_most_deprived_first, scale,
};
use super::comparison::{edition, find_la};
use super::{AnalysisError, top1_threshold};
use crate::model::{AreaCode, Dataset, Index};
use serde::Serialize;
use std::collections::BTreeMap;

/// What kind of areas a table summarises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// Local authority districts.
    La,
    /// The wards of one LA.
    Ward,
    /// Planner-defined groups (a grouping file, or named selections).
    Group,
}

/// One area's summary measures for one index, with its rank among its peers on each (1 = most deprived).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaSummary {
    /// LA or ward code; a group's name.
    pub area_code: String,
    /// Name.
    pub area_name: String,
    /// LSOAs ranked on the index in the area.
    pub lsoas: u32,
    /// The area's population on the index's denominator, when loaded.
    pub population: Option<f64>,
    /// Population-weighted mean turned-round rank (higher = more deprived).
    pub average_rank: Option<f64>,
    /// Rank among peers on average rank.
    pub rank_of_average_rank: Option<u32>,
    /// Population-weighted mean score.
    pub average_score: Option<f64>,
    /// Rank among peers on average score.
    pub rank_of_average_score: Option<u32>,
    /// Share of the area's LSOAs in the most deprived 10% nationally.
    pub proportion_most_deprived_10pct: Option<f64>,
    /// Rank among peers on that share.
    pub rank_of_proportion: Option<u32>,
    /// Extent (weighted share of the population in the most deprived 30%).
    pub extent: Option<f64>,
    /// Rank among peers on extent.
    pub rank_of_extent: Option<u32>,
    /// Local concentration.
    pub local_concentration: Option<f64>,
    /// Rank among peers on local concentration.
    pub rank_of_local_concentration: Option<u32>,
    /// People income or employment deprived (Income and Employment only).
    pub scale: Option<f64>,
    /// Rank among peers on scale.
    pub rank_of_scale: Option<u32>,
    /// Areas ranked alongside it.
    pub peers: u32,
    /// The national LSOA rank its average rank corresponds to (N + 1 − average rank): where the area sits in the
    /// national distribution of LSOAs.
    pub national_rank_of_average: Option<f64>,
    /// LSOAs of the area in the edition's most deprived 1% (IMD only; rank ≤ floor(N / 100)).
    pub lsoas_in_top1: Option<u32>,
}

/// A summary measure, as the pickers and the league views name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryMeasure {
    /// Average rank.
    AverageRank,
    /// Average score.
    AverageScore,
    /// Proportion of LSOAs in the most deprived 10% nationally.
    Proportion,
    /// Extent.
    Extent,
    /// Local concentration.
    LocalConcentration,
    /// Income or employment scale.
    Scale,
}

impl SummaryMeasure {
    /// Every measure, in MHCLG's order.
    pub const ALL: [SummaryMeasure; 6] = [
        Self::AverageRank,
        Self::AverageScore,
        Self::Proportion,
        Self::Extent,
        Self::LocalConcentration,
        Self::Scale,
    ];

    /// The name planners know it by.
    pub fn label(self) -> &'static str {
        match self {
            Self::AverageRank => "Average rank",
            Self::AverageScore => "Average score",
            Self::Proportion => "Proportion of LSOAs in most deprived 10%",
            Self::Extent => "Extent",
            Self::LocalConcentration => "Local concentration",
            Self::Scale => "Scale",
        }
    }

    /// The value and the rank of an area on this measure.
    pub fn of(self, area: &AreaSummary) -> (Option<f64>, Option<u32>) {
        match self {
            Self::AverageRank => (area.average_rank, area.rank_of_average_rank),
            Self::AverageScore => (area.average_score, area.rank_of_average_score),
            Self::Proportion => (area.proportion_most_deprived_10pct, area.rank_of_proportion),
            Self::Extent => (area.extent, area.rank_of_extent),
            Self::LocalConcentration => (area.local_concentration, area.rank_of_local_concentration),
            Self::Scale => (area.scale, area.rank_of_scale),
        }
    }

    /// The value as MHCLG publishes it: average rank and local concentration to 2 decimals, average score to 3,
    /// proportion and extent to 4, the income scale whole and the employment scale to 2; halves rounded up.
    pub fn format(self, value: f64, index: Index) -> String {
        let decimals = match self {
            Self::AverageRank | Self::LocalConcentration => 2,
            Self::AverageScore => 3,
            Self::Proportion | Self::Extent => 4,
            Self::Scale if index == Index::Income => 0,
            Self::Scale => 2,
        };
        format_half_up(value, decimals)
    }
}

/// Rounds half away from zero (as Excel and MHCLG's tables do; Rust's formatting rounds half to even).
///
/// ```
/// use locality_map::analysis::format_half_up;
/// assert_eq!(format_half_up(0.15625, 4), "0.1563");
/// assert_eq!(format_half_up(18_909.2435, 2), "18909.24");
/// assert_eq!(format_half_up(110_659.487, 0), "110659");
/// ```
pub fn format_half_up(value: f64, decimals: usize) -> String {
    let factor = 10f64.powi(i32::try_from(decimals).unwrap_or(0));
    // The tiny nudge carries values like 0.15625 (stored a hair under) over the half, as a decimal calculator would.
    let rounded = ((value * factor) + value.signum() * 1e-9).round() / factor;
    format!("{rounded:.decimals$}")
}

/// Summary measures of a set of areas for one index of one edition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaSummaryTable {
    /// Edition year.
    pub edition: u16,
    /// Index summarised.
    pub index: Index,
    /// LAs, wards or groups.
    pub level: AreaLevel,
    /// Which areas, on which edition's geography, in words.
    pub geography: String,
    /// The population denominators used, or why none.
    pub population_source: Option<String>,
    /// N: LSOAs the edition ranks nationally.
    pub national_lsoas: u32,
    /// The areas, ordered by code (groups in the order given).
    pub rows: Vec<AreaSummary>,
    /// Why some cells are empty, and anything left out, one sentence each.
    pub notes: Vec<String>,
}

/// Reads one measure of an area.
type Getter = fn(&AreaSummary) -> Option<f64>;
/// Sets the area's rank on that measure.
type Setter = fn(&mut AreaSummary, Option<u32>);

/// See [`AreaSummaryTable::default_map_measure`].
fn default_map_measure(rows: &[AreaSummary]) -> SummaryMeasure {
    [SummaryMeasure::AverageScore, SummaryMeasure::AverageRank]
        .into_iter()
        .find(|measure| rows.iter().any(|r| measure.of(r).0.is_some()))
        .unwrap_or(SummaryMeasure::Proportion)
}

/// Computes every measure for each area and ranks the areas among themselves.
pub fn summarise(figures: &IndexFigures, areas: &[AreaMembers], top1_line: Option<u32>) -> Vec<AreaSummary> {
    let n = figures.national_lsoas;
    let with_scale = has_scale(figures.index);
    let mut rows: Vec<AreaSummary> = areas
        .iter()
        .map(|area| {
            let lsoas = figures.of(&area.lsoas);
            let average = average_rank(&lsoas, n);
            AreaSummary {
                area_code: area.code.clone(),
                area_name: area.name.clone(),
                lsoas: u32::try_from(lsoas.len()).unwrap_or(u32::MAX),
                population: population(&lsoas),
                average_rank: average,
                rank_of_average_rank: None,
                average_score: average_score(&lsoas),
                rank_of_average_score: None,
                proportion_most_deprived_10pct: proportion_most_deprived_10pct(&lsoas),
                rank_of_proportion: None,
                extent: extent(&lsoas, n),
                rank_of_extent: None,
                local_concentration: local_concentration(&lsoas, n),
                rank_of_local_concentration: None,
                scale: if with_scale { scale(&lsoas) } else { None },
                rank_of_scale: None,
                peers: 0,
                national_rank_of_average: average.map(|a| f64::from(n) + 1.0 - a),
                lsoas_in_top1: top1_line.map(|line| {
                    let count = lsoas.iter().filter(|l| l.rank <= line).count();
                    u32::try_from(count).unwrap_or(u32::MAX)
                }),
            }
        })
        .collect();
    let ranked_on = |value: fn(&AreaSummary) -> Option<f64>, rows: &[AreaSummary]| {
        rank_most_deprived_first(&rows.iter().map(value).collect::<Vec<_>>())
    };
    let columns: [(Getter, Setter); 6] = [
        (|r| r.average_rank, |r, v| r.rank_of_average_rank = v),
        (|r| r.average_score, |r, v| r.rank_of_average_score = v),
        (|r| r.proportion_most_deprived_10pct, |r, v| r.rank_of_proportion = v),
        (|r| r.extent, |r, v| r.rank_of_extent = v),
        (|r| r.local_concentration, |r, v| r.rank_of_local_concentration = v),
        (|r| r.scale, |r, v| r.rank_of_scale = v),
    ];
    for (value, set) in columns {
        let ranks = ranked_on(value, &rows);
        for (row, rank) in rows.iter_mut().zip(ranks) {
            set(row, rank);
        }
    }
    let peers = u32::try_from(rows.iter().filter(|r| r.lsoas > 0).count()).unwrap_or(u32::MAX);
    for row in &mut rows {
        row.peers = peers;
    }
    rows
}

impl AreaSummaryTable {
    /// The measure a map of these areas is filled by when none is asked for: the first of average score, average rank
    /// and the proportion in the most deprived 10% that some area has (scores and populations may not be loaded; the
    /// proportion needs ranks only), so a map is not left without fills while a measure could fill it.
    pub fn default_map_measure(&self) -> SummaryMeasure {
        default_map_measure(&self.rows)
    }

    /// Every LA of `edition`, on the LA geography of edition `on` (its own when `None`).
    pub fn las(dataset: &Dataset, year: u16, index: Index, on: Option<u16>) -> Result<Self, AnalysisError> {
        let summarised = edition(dataset, year)?;
        let geography = LaGeography::new(dataset, year, on.unwrap_or(year))?;
        let figures = IndexFigures::new(summarised, index);
        let areas = geography.areas();
        let mut notes = figures.missing.clone();
        notes.extend(geography.unplaced.clone());
        let top1 = (index == Index::Imd).then(|| top1_threshold(figures.national_lsoas));
        Ok(Self {
            edition: year,
            index,
            level: AreaLevel::La,
            geography: geography.description.clone(),
            population_source: figures.population_source.clone(),
            national_lsoas: figures.national_lsoas,
            rows: summarise(&figures, &areas, top1),
            notes,
        })
    }

    /// The wards of one LA (by name or code), ranked among the LA's wards.
    pub fn wards(dataset: &Dataset, year: u16, index: Index, la: &str) -> Result<Self, AnalysisError> {
        let summarised = edition(dataset, year)?;
        let (la_code, la_name) = find_la(dataset, la, [year, year])?;
        let wards = wards_of_la(dataset, summarised, &la_code);
        let figures = IndexFigures::new(summarised, index);
        let mut notes = figures.missing.clone();
        let ward_year = dataset.ward_lookups.get(&summarised.vintage).map(|l| l.ward_year);
        if wards.is_empty() {
            notes.push(format!(
                "no ward lookup or ward boundaries for {la_name}'s {}s are loaded, so it has no wards to summarise",
                summarised.vintage
            ));
        }
        let top1 = (index == Index::Imd).then(|| top1_threshold(figures.national_lsoas));
        Ok(Self {
            edition: year,
            index,
            level: AreaLevel::Ward,
            geography: format!(
                "wards of {la_name} ({la_code}){}, ranked among its {} wards",
                ward_year
                    .map(|y| format!(" as the ONS ward {y} lookup gives them"))
                    .unwrap_or_default(),
                wards.len()
            ),
            population_source: figures.population_source.clone(),
            national_lsoas: figures.national_lsoas,
            rows: summarise(&figures, &wards, top1),
            notes,
        })
    }

    /// The ward league of every LA at once (one pass over the ward lookup and the edition), by LA code.
    pub fn ward_leagues(dataset: &Dataset, year: u16, index: Index) -> Result<BTreeMap<AreaCode, Self>, AnalysisError> {
        let summarised = edition(dataset, year)?;
        let figures = IndexFigures::new(summarised, index);
        let top1 = (index == Index::Imd).then(|| top1_threshold(figures.national_lsoas));
        let mut by_la: BTreeMap<AreaCode, BTreeMap<AreaCode, (String, Vec<AreaCode>)>> = BTreeMap::new();
        for (lsoa, assignment) in dataset.wards_of_lsoas(summarised.vintage) {
            let Some(row) = summarised.rows.get(lsoa) else { continue };
            let Some(la) = assignment.ward.la_code.or(row.la_code) else {
                continue;
            };
            by_la
                .entry(la)
                .or_default()
                .entry(assignment.ward.ward_code)
                .or_insert_with(|| (assignment.ward.ward_name.clone(), Vec::new()))
                .1
                .push(*lsoa);
        }
        let la_names: BTreeMap<AreaCode, String> = dataset.local_authorities(year).into_iter().collect();
        Ok(by_la
            .into_iter()
            .map(|(la, wards)| {
                let members: Vec<AreaMembers> = wards
                    .into_iter()
                    .map(|(code, (name, lsoas))| AreaMembers {
                        code: code.to_string(),
                        name,
                        lsoas,
                    })
                    .collect();
                let la_name = la_names.get(&la).cloned().unwrap_or_default();
                let table = Self {
                    edition: year,
                    index,
                    level: AreaLevel::Ward,
                    geography: format!("wards of {la_name} ({la}), ranked among its {} wards", members.len()),
                    population_source: figures.population_source.clone(),
                    national_lsoas: figures.national_lsoas,
                    rows: summarise(&figures, &members, top1),
                    notes: figures.missing.clone(),
                };
                (la, table)
            })
            .collect())
    }

    /// Planner-defined groups of LSOAs (a grouping file or named selections), ranked among themselves.
    pub fn groups(
        dataset: &Dataset,
        year: u16,
        index: Index,
        groups: &[AreaMembers],
        described_as: &str,
    ) -> Result<Self, AnalysisError> {
        let summarised = edition(dataset, year)?;
        let figures = IndexFigures::new(summarised, index);
        let top1 = (index == Index::Imd).then(|| top1_threshold(figures.national_lsoas));
        Ok(Self {
            edition: year,
            index,
            level: AreaLevel::Group,
            geography: described_as.to_string(),
            population_source: figures.population_source.clone(),
            national_lsoas: figures.national_lsoas,
            rows: summarise(&figures, groups, top1),
            notes: figures.missing.clone(),
        })
    }

    /// The row of an area by code.
    pub fn row(&self, code: &AreaCode) -> Option<&AreaSummary> {
        self.rows.iter().find(|r| r.area_code == code.as_str())
    }

    /// One line a reader needs with every figure: edition, index, geography and population source.
    pub fn provenance(&self) -> String {
        format!(
            "IMD {} {}, {}; population: {}",
            self.edition,
            self.index.label(),
            self.geography,
            self.population_source.as_deref().unwrap_or("none loaded")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::LsoaFigures;
    use std::collections::HashMap;

    fn figures(rows: &[(&str, u32, f64)]) -> IndexFigures {
        let by_lsoa: HashMap<AreaCode, LsoaFigures> = rows
            .iter()
            .map(|(code, rank, people)| {
                (
                    AreaCode::parse(code).unwrap(),
                    LsoaFigures {
                        rank: *rank,
                        in_decile1: *rank <= 3_284,
                        score: None,
                        population: Some(*people),
                    },
                )
            })
            .collect();
        IndexFigures {
            year: 2019,
            index: Index::Imd,
            vintage: crate::model::LsoaVintage::Lsoa2011,
            national_lsoas: 32_844,
            by_lsoa,
            population_source: None,
            missing: Vec::new(),
        }
    }

    fn area(code: &str, lsoas: &[&str]) -> AreaMembers {
        AreaMembers {
            code: code.into(),
            name: code.into(),
            lsoas: lsoas.iter().map(|c| AreaCode::parse(c).unwrap()).collect(),
        }
    }

    #[test]
    fn areas_rank_among_themselves_with_shared_ties() {
        let f = figures(&[
            ("E01000001", 10, 1_000.0),
            ("E01000002", 20_000, 1_000.0),
            ("E01000003", 10, 1_000.0),
        ]);
        let rows = summarise(
            &f,
            &[
                area("A", &["E01000001"]),
                area("B", &["E01000002"]),
                area("C", &["E01000003"]),
            ],
            Some(328),
        );
        let ranks: Vec<_> = rows.iter().map(|r| r.rank_of_average_rank).collect();
        assert_eq!(ranks, [Some(1), Some(3), Some(1)]);
        assert!(rows.iter().all(|r| r.peers == 3));
        assert_eq!(rows[0].lsoas_in_top1, Some(1));
        assert_eq!(rows[1].scale, None, "no scale for the IMD");
    }

    #[test]
    fn a_map_is_filled_by_average_rank_without_scores_and_by_proportion_without_populations() {
        let areas = [area("A", &["E01000001"]), area("B", &["E01000002"])];
        let with_people = figures(&[("E01000001", 10, 1_000.0), ("E01000002", 20_000, 1_000.0)]);
        let rows = summarise(&with_people, &areas, Some(328));
        assert_eq!(default_map_measure(&rows), SummaryMeasure::AverageRank);
        let mut without_people = with_people;
        for lsoa in without_people.by_lsoa.values_mut() {
            lsoa.population = None;
        }
        let rows = summarise(&without_people, &areas, Some(328));
        assert!(
            rows.iter().all(|r| r.average_rank.is_none()),
            "no populations, no average rank"
        );
        assert_eq!(default_map_measure(&rows), SummaryMeasure::Proportion);
        assert_eq!(rows[0].proportion_most_deprived_10pct, Some(1.0));
    }

    #[test]
    fn published_rounding_is_half_up() {
        assert_eq!(SummaryMeasure::Proportion.format(0.15625, Index::Imd), "0.1563");
        assert_eq!(SummaryMeasure::Scale.format(50_428.75, Index::Employment), "50428.75");
        assert_eq!(SummaryMeasure::Scale.format(110_343.6, Index::Income), "110344");
    }
}
