//! What of an area's data is loaded: how many of its LSOAs have a ward, and the sentence said where a ward figure
//! would be when some or all have none (the embedded default carries Leeds wards only). A figure that depends on data
//! not loaded says so; it is never a zero.

use super::{EditionComparison, LsoaChange};
use serde::Serialize;

/// How many of a comparison's LSOAs have a ward (from the ONS lookup or the ward boundaries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WardCoverage {
    /// LSOAs compared.
    pub lsoas: usize,
    /// Of them, with a ward.
    pub with_ward: usize,
    /// The sentence shown where ward figures would be when some LSOAs have no ward; `None` when all have one.
    pub missing: Option<String>,
}

impl WardCoverage {
    /// Counts the rows with a ward; `area` names the LA (or England) in the sentence.
    pub fn of(rows: &[LsoaChange], area: &str) -> Self {
        let lsoas = rows.len();
        let with_ward = rows.iter().filter(|r| r.ward_code.is_some()).count();
        let missing = if with_ward == lsoas {
            None
        } else if with_ward == 0 {
            Some(format!(
                "wards: not loaded for {area} — open a folder with the ONS ward lookup (LSOA to ward) for it"
            ))
        } else {
            Some(format!(
                "wards: loaded for {with_ward} of the {lsoas} LSOAs of {area} only — ward figures count those; open a \
                 folder with the national ONS ward lookup for the rest"
            ))
        };
        Self {
            lsoas,
            with_ward,
            missing,
        }
    }

    /// Of a comparison.
    pub fn of_comparison(comparison: &EditionComparison) -> Self {
        Self::of(&comparison.rows, &comparison.la_name)
    }

    /// No LSOA of the area has a ward: every ward figure is unknown.
    pub fn none(&self) -> bool {
        self.with_ward == 0 && self.lsoas > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;

    fn row(ward: Option<&str>) -> LsoaChange {
        LsoaChange {
            lsoa_code: AreaCode::parse("E01000001").unwrap(),
            lsoa_name: String::new(),
            ward_code: ward.and_then(AreaCode::parse),
            ward_name: ward.unwrap_or_default().into(),
            rank_from: None,
            rank_to: None,
            change: None,
            in_top1_from: false,
            in_top1_to: false,
            transition: crate::analysis::Transition::Outside,
            decile_from: None,
            decile_to: None,
            population: None,
            domain_ranks_to: Default::default(),
            domain_ranks_from: Default::default(),
            la_rank_from: None,
            la_rank_to: None,
            percentile_from: None,
            percentile_to: None,
            percentile_change: None,
            boundary_change: None,
            earlier_lsoas: Vec::new(),
        }
    }

    #[test]
    fn no_ward_says_not_loaded_some_says_how_many_all_says_nothing() {
        let none = WardCoverage::of(&[row(None), row(None)], "Bradford");
        assert!(none.none());
        assert!(none.missing.as_deref().unwrap().contains("not loaded for Bradford"));
        let some = WardCoverage::of(&[row(Some("E05000001")), row(None)], "England");
        assert!(!some.none());
        assert!(some.missing.as_deref().unwrap().contains("1 of the 2 LSOAs of England"));
        let all = WardCoverage::of(&[row(Some("E05000001"))], "Leeds");
        assert_eq!(all.missing, None);
    }
}
