//! Class breaks: which class a value falls in, with labels a planner can read.

use serde::{Deserialize, Serialize};

/// How rank change is cut into classes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Classification {
    /// Fixed breaks in ranks (`≤ −500 … ≥ 500`), the same for every LA, so maps compare.
    Fixed(Vec<i64>),
    /// Seven classes holding equal numbers of the LSOAs shown.
    Quantiles,
}

impl Default for Classification {
    fn default() -> Self {
        Self::Fixed(DEFAULT_CHANGE_BREAKS.to_vec())
    }
}

/// The default change breaks: ≤ −500, −500…−100, −100…−20, ±20, 20…100, 100…500, ≥ 500.
pub const DEFAULT_CHANGE_BREAKS: [i64; 6] = [-500, -100, -20, 20, 100, 500];

/// Breaks resolved for a set of values: `breaks[i]` is the upper bound (exclusive) of class `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassBreaks {
    /// Ascending inner boundaries; classes = breaks + 1.
    pub breaks: Vec<i64>,
}

impl ClassBreaks {
    /// Resolves a classification for the values shown (quantiles need them).
    pub fn resolve(classification: &Classification, values: &[i64]) -> Self {
        match classification {
            Classification::Fixed(breaks) => Self { breaks: breaks.clone() },
            Classification::Quantiles => Self {
                breaks: quantile_breaks(values, 7),
            },
        }
    }

    /// Which class a value falls in (0-based). Breaks are symmetric about zero: a value on a negative break joins the
    /// class below it (−500 is in "−500 or less"), one on a positive break the class above (+500 in "+500 or more").
    ///
    /// ```
    /// use locality_map::style::ClassBreaks;
    /// let breaks = ClassBreaks { breaks: vec![-500, -100, -20, 20, 100, 500] };
    /// assert_eq!(breaks.class_of(-713), 0); // worsened a lot
    /// assert_eq!(breaks.class_of(-500), 0);
    /// assert_eq!(breaks.class_of(0), 3);    // about the same
    /// assert_eq!(breaks.class_of(20), 4);
    /// ```
    pub fn class_of(&self, value: i64) -> usize {
        self.breaks
            .iter()
            .filter(|b| if **b < 0 { value > **b } else { value >= **b })
            .count()
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        self.breaks.len() + 1
    }

    /// A label per class, e.g. `−500 to −101` (ranks are whole numbers, so bounds are shown inclusive).
    pub fn labels(&self) -> Vec<String> {
        let n = self.class_count();
        (0..n)
            .map(|i| {
                let low = i
                    .checked_sub(1)
                    .and_then(|j| self.breaks.get(j))
                    .map(|b| if *b < 0 { b + 1 } else { *b });
                let high = self.breaks.get(i).map(|b| if *b <= 0 { *b } else { b - 1 });
                match (low, high) {
                    (None, Some(h)) => format!("{} or less", signed(h)),
                    (Some(l), None) => format!("{} or more", signed(l)),
                    (Some(l), Some(h)) if l == h => signed(l),
                    (Some(l), Some(h)) => format!("{} to {}", signed(l), signed(h)),
                    (None, None) => "all".into(),
                }
            })
            .collect()
    }
}

/// `+120`, `−713` (a true minus sign, as in print), `0`.
pub fn signed(value: i64) -> String {
    match value.cmp(&0) {
        std::cmp::Ordering::Less => format!("−{}", value.unsigned_abs()),
        std::cmp::Ordering::Equal => "0".into(),
        std::cmp::Ordering::Greater => format!("+{value}"),
    }
}

/// Breaks that put about the same number of values in each of `classes` classes (duplicates removed).
fn quantile_breaks(values: &[i64], classes: usize) -> Vec<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return Vec::new();
    }
    let mut breaks: Vec<i64> = (1..classes)
        .filter_map(|k| sorted.get(k * sorted.len() / classes).copied())
        .collect();
    breaks.dedup();
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_labels_read_like_the_issue() {
        let breaks = ClassBreaks::resolve(&Classification::default(), &[]);
        assert_eq!(
            breaks.labels(),
            [
                "−500 or less",
                "−499 to −100",
                "−99 to −20",
                "−19 to +19",
                "+20 to +99",
                "+100 to +499",
                "+500 or more"
            ]
        );
    }

    #[test]
    fn quantiles_split_evenly() {
        let values: Vec<i64> = (0..700).collect();
        let breaks = ClassBreaks::resolve(&Classification::Quantiles, &values);
        assert_eq!(breaks.class_count(), 7);
        let counts: Vec<usize> = (0..7)
            .map(|c| values.iter().filter(|v| breaks.class_of(**v) == c).count())
            .collect();
        assert!(counts.iter().all(|n| *n == 100), "{counts:?}");
    }
}
