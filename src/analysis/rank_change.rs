//! Rank change between editions, the most deprived 1% line, and 1% transitions.

use serde::{Deserialize, Serialize};

/// Rank change from an earlier to a later edition: `later - earlier`.
/// Negative means the area became more deprived (worsened); positive, less deprived (improved).
///
/// ```
/// use locality_map::analysis::rank_change;
/// assert_eq!(rank_change(1_200, 300), -900); // worsened
/// assert_eq!(rank_change(22, 38), 16); // improved
/// ```
pub fn rank_change(earlier: u32, later: u32) -> i64 {
    i64::from(later) - i64::from(earlier)
}

/// The most deprived 1% of an edition of N LSOAs: rank ≤ floor(N / 100). A fact of the edition, so it is defined
/// in the model (`ImdEdition::top1_threshold` uses it) and offered here beside the other 1% rules.
///
/// ```
/// use locality_map::analysis::top1_threshold;
/// assert_eq!(top1_threshold(32_844), 328); // IMD 2015 and 2019
/// assert_eq!(top1_threshold(33_755), 337); // IMD 2025
/// ```
pub use crate::model::top1_threshold;

/// Where an LSOA went between two editions with respect to the most deprived 1%.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// In the 1% in both editions.
    Stayed,
    /// Entered the 1% in the later edition.
    MovedIn,
    /// Left the 1% in the later edition.
    MovedOut,
    /// In neither.
    Outside,
}

impl Transition {
    /// From membership of the 1% in the earlier and later editions.
    ///
    /// ```
    /// use locality_map::analysis::Transition;
    /// assert_eq!(Transition::from_membership(false, true), Transition::MovedIn);
    /// ```
    pub fn from_membership(in_top1_earlier: bool, in_top1_later: bool) -> Self {
        match (in_top1_earlier, in_top1_later) {
            (true, true) => Self::Stayed,
            (false, true) => Self::MovedIn,
            (true, false) => Self::MovedOut,
            (false, false) => Self::Outside,
        }
    }

    /// The CSV/JSON name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Stayed => "stayed",
            Self::MovedIn => "moved_in",
            Self::MovedOut => "moved_out",
            Self::Outside => "outside",
        }
    }

    /// Planner's wording.
    pub fn label(self) -> &'static str {
        match self {
            Self::Stayed => "Stayed in the 1%",
            Self::MovedIn => "Moved into the 1%",
            Self::MovedOut => "Moved out of the 1%",
            Self::Outside => "Not in the 1%",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_1_percent_line_falls_between_328_and_329() {
        let threshold = top1_threshold(32_844);
        let in_top1 = |rank: u32| rank <= threshold;
        assert!(in_top1(328) && !in_top1(329));
    }

    #[test]
    fn change_is_antisymmetric() {
        for (a, b) in [(1, 32_844), (328, 329), (500, 500)] {
            assert_eq!(rank_change(a, b), -rank_change(b, a));
        }
    }
}
