//! MHCLG's higher-level area summary measures (IoD2019 Technical Report, section 3.8 and Appendix N), one function
//! each: average rank, average score, proportion of LSOAs in the most deprived 10% nationally, extent, local
//! concentration and scale; and the ranking of areas on a measure.
//!
//! Every function takes the area's LSOAs as [`LsoaFigures`] for one index and returns `None` when an input it needs
//! is missing (a population or a score), never a zero standing in for it.

/// One LSOA's published figures for one index, as the summary measures use them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LsoaFigures {
    /// National rank on the index, 1 = most deprived.
    pub rank: u32,
    /// In the most deprived 10% nationally on the index (published decile 1).
    pub in_decile1: bool,
    /// The index's score (a rate for Income and Employment), where loaded.
    pub score: Option<f64>,
    /// The index's population denominator: total population for the IMD and most domains, working-age for
    /// Employment, children aged 0–15 for IDACI, people aged 60 and over for IDAOPI.
    pub population: Option<f64>,
}

/// The rank "turned round" so the most deprived of `n` LSOAs counts highest: `n + 1 − rank` (N.1.2).
///
/// ```
/// use locality_map::analysis::turned_round_rank;
/// assert_eq!(turned_round_rank(1, 32_844), 32_844.0);
/// assert_eq!(turned_round_rank(32_844, 32_844), 1.0);
/// ```
pub fn turned_round_rank(rank: u32, n: u32) -> f64 {
    f64::from(n) + 1.0 - f64::from(rank)
}

/// The national percentile an LSOA's rank falls in: rank / N × 100, rounded up (Appendix N, 5.3.26).
///
/// ```
/// use locality_map::analysis::national_percentile;
/// assert_eq!(national_percentile(9_000, 32_844), 28); // the Technical Report's example
/// assert_eq!(national_percentile(3_284, 32_844), 10);
/// assert_eq!(national_percentile(3_285, 32_844), 11);
/// ```
pub fn national_percentile(rank: u32, n: u32) -> u32 {
    // In integers, so a rank exactly on a percentile line is never pushed over it by rounding.
    let n = u64::from(n.max(1));
    u32::try_from((u64::from(rank) * 100).div_ceil(n)).unwrap_or(u32::MAX)
}

/// The extent weight of an LSOA: 1 in the most deprived 10%, then from 0.95 at the 11th percentile down by
/// (0.95 − 0.05) / 19 a percentile to 0.05 at the 30th, and 0 beyond.
///
/// ```
/// use locality_map::analysis::extent_weight;
/// assert_eq!(extent_weight(500, 32_844), 1.0);
/// assert!((extent_weight(9_000, 32_844) - 0.1447).abs() < 5e-5); // 28th percentile, the report's 0.1447
/// assert!((extent_weight(9_853, 32_844) - 0.05).abs() < 1e-12); // 30th percentile
/// assert_eq!(extent_weight(9_854, 32_844), 0.0); // 31st
/// ```
pub fn extent_weight(rank: u32, n: u32) -> f64 {
    match national_percentile(rank, n) {
        0..=10 => 1.0,
        p @ 11..=30 => 0.95 - (0.95 - 0.05) / 19.0 * f64::from(p - 11),
        _ => 0.0,
    }
}

/// The area's population on the index's denominator, if every LSOA has one.
pub fn population(lsoas: &[LsoaFigures]) -> Option<f64> {
    lsoas.iter().map(|l| l.population).sum()
}

/// Σ population × value / Σ population over the area; `None` if any input is missing or the population is 0.
fn population_weighted_mean(lsoas: &[LsoaFigures], value: impl Fn(&LsoaFigures) -> Option<f64>) -> Option<f64> {
    let mut weighted = 0.0;
    let mut total = 0.0;
    for lsoa in lsoas {
        let people = lsoa.population?;
        weighted += people * value(lsoa)?;
        total += people;
    }
    (total > 0.0).then(|| weighted / total)
}

/// Average rank: the population-weighted mean of the LSOAs' turned-round ranks (N.1.4–N.1.7).
///
/// ```
/// use locality_map::analysis::{LsoaFigures, average_rank};
/// // The Technical Report's example: populations 1,200 … 1,700, ranks 3,000 … 20,000 → 25,240.
/// let lsoas: Vec<LsoaFigures> = [(3_000, 1_200.0), (10_000, 1_800.0), (500, 1_400.0), (1_000, 1_500.0), (20_000, 1_700.0)]
///     .into_iter()
///     .map(|(rank, people)| LsoaFigures { rank, in_decile1: false, score: None, population: Some(people) })
///     .collect();
/// assert!((average_rank(&lsoas, 32_844).unwrap() - 25_240.0).abs() < 0.5);
/// ```
pub fn average_rank(lsoas: &[LsoaFigures], n: u32) -> Option<f64> {
    population_weighted_mean(lsoas, |l| Some(turned_round_rank(l.rank, n)))
}

/// Average score: the population-weighted mean of the LSOAs' scores (N.1.8–N.1.10).
///
/// ```
/// use locality_map::analysis::{LsoaFigures, average_score};
/// let lsoas: Vec<LsoaFigures> = [(45.90, 1_200.0), (26.51, 1_800.0), (65.67, 1_400.0), (59.14, 1_500.0), (13.64, 1_700.0)]
///     .into_iter()
///     .map(|(score, people)| LsoaFigures { rank: 1, in_decile1: false, score: Some(score), population: Some(people) })
///     .collect();
/// assert_eq!(format!("{:.2}", average_score(&lsoas).unwrap()), "40.35");
/// ```
pub fn average_score(lsoas: &[LsoaFigures]) -> Option<f64> {
    population_weighted_mean(lsoas, |l| l.score)
}

/// Proportion of the area's LSOAs in the most deprived 10% nationally (5.3.23–5.3.24). Needs no population.
///
/// ```
/// use locality_map::analysis::{LsoaFigures, proportion_most_deprived_10pct};
/// let lsoas: Vec<LsoaFigures> = (0..65)
///     .map(|i| LsoaFigures { rank: 1 + i, in_decile1: i < 18, score: None, population: None })
///     .collect();
/// assert_eq!(format!("{:.3}", proportion_most_deprived_10pct(&lsoas).unwrap()), "0.277");
/// ```
pub fn proportion_most_deprived_10pct(lsoas: &[LsoaFigures]) -> Option<f64> {
    if lsoas.is_empty() {
        return None;
    }
    let in_decile1 = lsoas.iter().filter(|l| l.in_decile1).count();
    Some(in_decile1 as f64 / lsoas.len() as f64)
}

/// Extent: the share of the area's population living in the most deprived 30% of LSOAs nationally, weighted by
/// [`extent_weight`] (5.3.25–5.3.27).
///
/// ```
/// use locality_map::analysis::{LsoaFigures, extent};
/// // The Technical Report's example: 70,000 people; LSOAs ranked 500, 1,000, 3,000 and 9,000 → 0.0623.
/// let mut lsoas: Vec<LsoaFigures> = [(500, 1_400.0), (1_000, 1_500.0), (3_000, 1_200.0), (9_000, 1_800.0)]
///     .into_iter()
///     .map(|(rank, people)| LsoaFigures { rank, in_decile1: rank <= 3_284, score: None, population: Some(people) })
///     .collect();
/// lsoas.push(LsoaFigures { rank: 20_000, in_decile1: false, score: None, population: Some(70_000.0 - 5_900.0) });
/// assert_eq!(format!("{:.4}", extent(&lsoas, 32_844).unwrap()), "0.0623");
/// ```
pub fn extent(lsoas: &[LsoaFigures], n: u32) -> Option<f64> {
    population_weighted_mean(lsoas, |l| Some(extent_weight(l.rank, n)))
}

/// Local concentration: the population-weighted mean turned-round rank of the area's most deprived LSOAs that
/// together hold exactly 10% of its population, the last of them counted in part (N.1.11–N.1.14).
///
/// ```
/// use locality_map::analysis::{LsoaFigures, local_concentration};
/// // The Technical Report's example: 70,000 people, so the most deprived 7,000 → 26,302.14.
/// let mut lsoas: Vec<LsoaFigures> = [(500, 1_400.0), (1_000, 1_500.0), (3_000, 1_200.0), (10_000, 1_800.0), (20_000, 1_700.0)]
///     .into_iter()
///     .map(|(rank, people)| LsoaFigures { rank, in_decile1: false, score: None, population: Some(people) })
///     .collect();
/// lsoas.push(LsoaFigures { rank: 30_000, in_decile1: false, score: None, population: Some(70_000.0 - 7_600.0) });
/// assert_eq!(format!("{:.2}", local_concentration(&lsoas, 32_844).unwrap()), "26302.14");
/// ```
pub fn local_concentration(lsoas: &[LsoaFigures], n: u32) -> Option<f64> {
    let total = population(lsoas)?;
    if total <= 0.0 {
        return None;
    }
    let mut by_deprivation: Vec<(u32, f64)> = lsoas.iter().map(|l| (l.rank, l.population.unwrap_or(0.0))).collect();
    by_deprivation.sort_by_key(|(rank, _)| *rank);
    let wanted = total / 10.0;
    let (mut counted, mut weighted) = (0.0, 0.0);
    for (rank, people) in by_deprivation {
        let take = people.min(wanted - counted);
        if take <= 0.0 {
            break;
        }
        weighted += take * turned_round_rank(rank, n);
        counted += take;
    }
    Some(weighted / wanted)
}

/// Scale: the number of people deprived, Σ rate × denominator population (Income and Employment; N.1.15–N.1.18).
///
/// An estimate: MHCLG sums the domain numerators, which are not in the published rank and score files. The
/// published Income and Employment scores are shrinkage estimates of the rates (rounded to 3 decimals), so
/// rate × denominator does not give the numerator back: for Leeds (IoD2019) it gives 110,659 income-deprived
/// people against MHCLG's 110,344, and 50,509.53 employment-deprived against 50,428.75. The table says so.
///
/// ```
/// use locality_map::analysis::{LsoaFigures, scale};
/// let lsoas = [
///     LsoaFigures { rank: 1, in_decile1: true, score: Some(0.25), population: Some(1_000.0) },
///     LsoaFigures { rank: 2, in_decile1: true, score: Some(0.10), population: Some(1_500.0) },
/// ];
/// assert_eq!(scale(&lsoas), Some(400.0));
/// ```
pub fn scale(lsoas: &[LsoaFigures]) -> Option<f64> {
    lsoas.iter().map(|l| Some(l.score? * l.population?)).sum()
}

/// Ranks areas on a measure, 1 = the highest value (the most deprived); ties share the lowest rank ("1224"), as
/// MHCLG ranks its summaries. Areas without a value get no rank and do not count.
///
/// ```
/// use locality_map::analysis::rank_most_deprived_first;
/// let ranks = rank_most_deprived_first(&[Some(0.2), Some(0.5), None, Some(0.2), Some(0.0)]);
/// assert_eq!(ranks, [Some(2), Some(1), None, Some(2), Some(4)]);
/// ```
pub fn rank_most_deprived_first(values: &[Option<f64>]) -> Vec<Option<u32>> {
    let mut order: Vec<(f64, usize)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (v, i)))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut ranks = vec![None; values.len()];
    let mut previous: Option<(f64, u32)> = None;
    for (position, (value, i)) in order.into_iter().enumerate() {
        let rank = match previous {
            Some((last, last_rank)) if last == value => last_rank,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        previous = Some((value, rank));
        ranks[i] = Some(rank);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lsoa(rank: u32, people: f64) -> LsoaFigures {
        LsoaFigures {
            rank,
            in_decile1: rank <= 3_284,
            score: None,
            population: Some(people),
        }
    }

    #[test]
    fn missing_population_gives_no_figure_not_zero() {
        let mut lsoas = vec![lsoa(10, 1_000.0), lsoa(20, 1_000.0)];
        lsoas[1].population = None;
        assert_eq!(average_rank(&lsoas, 32_844), None);
        assert_eq!(extent(&lsoas, 32_844), None);
        assert_eq!(local_concentration(&lsoas, 32_844), None);
        assert_eq!(average_score(&lsoas), None);
        assert_eq!(proportion_most_deprived_10pct(&lsoas), Some(1.0));
    }

    #[test]
    fn local_concentration_of_one_lsoa_is_its_rank() {
        let lsoas = [lsoa(100, 1_500.0)];
        assert_eq!(local_concentration(&lsoas, 32_844), Some(32_745.0));
    }

    #[test]
    fn local_concentration_counts_the_last_lsoa_in_part() {
        // 10% of 10,000 = 1,000: all 600 of rank 1, then 400 of the 900 at rank 2.
        let lsoas = [lsoa(2, 900.0), lsoa(1, 600.0), lsoa(30_000, 8_500.0)];
        let expected = (600.0 * 32_844.0 + 400.0 * 32_843.0) / 1_000.0;
        assert!((local_concentration(&lsoas, 32_844).unwrap() - expected).abs() < 1e-9);
    }

    #[test]
    fn extent_weights_step_down_each_percentile() {
        let n = 32_844;
        let weights: Vec<f64> = (10..=31).map(|p| extent_weight(p * n / 100, n)).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(extent_weight(1, n), 1.0);
    }

    #[test]
    fn empty_area_has_no_figures() {
        assert_eq!(proportion_most_deprived_10pct(&[]), None);
        assert_eq!(average_rank(&[], 100), None);
        assert_eq!(local_concentration(&[], 100), None);
    }
}
