//! Selections for resource flexing: a set of LSOAs with undo and redo, selection by rule or by a drawn polygon, and the
//! live summary planners read (LSOAs, wards, population, 1% and 10% counts, median change).

use super::{EditionComparison, LsoaChange};
use crate::model::{AreaCode, AreaLayer};
use geo::{Contains as _, Polygon};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A set of LSOAs, by code (sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The LSOAs selected.
    pub codes: BTreeSet<AreaCode>,
}

/// One change to a selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectionEdit {
    /// Select exactly these.
    Replace(BTreeSet<AreaCode>),
    /// Add these.
    Add(BTreeSet<AreaCode>),
    /// Remove these.
    Remove(BTreeSet<AreaCode>),
    /// Add those not selected and remove those that are (shift-click).
    Toggle(BTreeSet<AreaCode>),
    /// Select nothing.
    Clear,
}

impl Selection {
    /// The selection after an edit.
    pub fn edited(&self, edit: &SelectionEdit) -> Self {
        let mut codes = self.codes.clone();
        match edit {
            SelectionEdit::Replace(new) => codes = new.clone(),
            SelectionEdit::Add(new) => codes.extend(new.iter().copied()),
            SelectionEdit::Remove(gone) => codes.retain(|c| !gone.contains(c)),
            SelectionEdit::Toggle(flip) => {
                for code in flip {
                    if !codes.remove(code) {
                        codes.insert(*code);
                    }
                }
            }
            SelectionEdit::Clear => codes.clear(),
        }
        Self { codes }
    }
}

/// A selection with its undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct SelectionHistory {
    current: Selection,
    undo: Vec<Selection>,
    redo: Vec<Selection>,
}

impl SelectionHistory {
    /// The current selection.
    pub fn current(&self) -> &Selection {
        &self.current
    }

    /// Applies an edit; an edit that changes nothing is not recorded.
    ///
    /// ```
    /// use locality_map::analysis::{SelectionEdit, SelectionHistory};
    /// use locality_map::model::AreaCode;
    /// let a = AreaCode::parse("E01011372").unwrap();
    /// let mut history = SelectionHistory::default();
    /// history.apply(&SelectionEdit::Add([a].into()));
    /// assert_eq!(history.current().codes.len(), 1);
    /// assert!(history.undo());
    /// assert!(history.current().codes.is_empty());
    /// assert!(history.redo());
    /// assert!(history.current().codes.contains(&a));
    /// ```
    pub fn apply(&mut self, edit: &SelectionEdit) {
        let next = self.current.edited(edit);
        if next != self.current {
            self.undo.push(std::mem::replace(&mut self.current, next));
            self.redo.clear();
        }
    }

    /// Goes back one edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(previous) => {
                self.redo.push(std::mem::replace(&mut self.current, previous));
                true
            }
            None => false,
        }
    }

    /// Re-applies an undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.current, next));
                true
            }
            None => false,
        }
    }
}

/// Selection by rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectionRule {
    /// Rank change at most this (e.g. −100: worsened by 100 ranks or more).
    ChangeAtMost(i64),
    /// In decile 1 in the later edition.
    Decile1Later,
    /// In the most deprived 1% in the later edition.
    Top1Later,
    /// In the most deprived 1% in either edition.
    Top1Either,
    /// In a ward.
    InWard(AreaCode),
}

impl SelectionRule {
    /// True when the LSOA meets the rule.
    pub fn matches(&self, row: &LsoaChange) -> bool {
        match self {
            Self::ChangeAtMost(limit) => row.change.is_some_and(|c| c <= *limit),
            Self::Decile1Later => row.in_decile1_to(),
            Self::Top1Later => row.in_top1_to,
            Self::Top1Either => row.in_top1_from || row.in_top1_to,
            Self::InWard(ward) => row.ward_code.as_ref() == Some(ward),
        }
    }

    /// The LSOAs of a comparison meeting the rule.
    pub fn select(&self, comparison: &EditionComparison) -> BTreeSet<AreaCode> {
        comparison
            .rows
            .iter()
            .filter(|r| self.matches(r))
            .map(|r| r.lsoa_code)
            .collect()
    }
}

/// LSOAs among `candidates` whose interior point lies inside `polygon_in_world` (a box or a freehand lasso, concave or
/// not). The R-tree narrows the search to areas whose boxes meet the polygon's box.
pub fn select_in_polygon(
    layer: &AreaLayer,
    candidates: &BTreeSet<AreaCode>,
    polygon_in_world: &Polygon<f64>,
) -> BTreeSet<AreaCode> {
    use geo::BoundingRect as _;
    let Some(bbox) = polygon_in_world.bounding_rect() else {
        return BTreeSet::new();
    };
    layer
        .areas_in_envelope_unsorted(bbox)
        .filter(|(_, area)| candidates.contains(&area.code))
        .filter(|(_, area)| area.interior_in_world.is_some_and(|p| polygon_in_world.contains(&p)))
        .map(|(_, area)| area.code)
        .collect()
}

/// What the selection panel shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectionSummary {
    /// LSOAs selected (of those in the comparison).
    pub lsoas: usize,
    /// Distinct wards they fall in.
    pub wards_touched: usize,
    /// Their total population, when known.
    pub population: Option<u64>,
    /// Residents of those in the later edition's 1%, when population is known.
    pub population_in_top1_to: Option<u64>,
    /// Why there is no population, when there is none.
    pub population_missing: Option<String>,
    /// In the 1%, earlier edition.
    pub top1_from: usize,
    /// In the 1%, later edition.
    pub top1_to: usize,
    /// In decile 1, earlier edition.
    pub decile1_from: usize,
    /// In decile 1, later edition.
    pub decile1_to: usize,
    /// Median rank change (the mean of the middle two for an even count).
    pub median_change: Option<f64>,
}

impl SelectionSummary {
    /// Summarises the selected rows of a comparison.
    pub fn new(comparison: &EditionComparison, selection: &Selection) -> Self {
        let rows: Vec<&LsoaChange> = comparison
            .rows
            .iter()
            .filter(|r| selection.codes.contains(&r.lsoa_code))
            .collect();
        let wards: BTreeSet<_> = rows.iter().filter_map(|r| r.ward_code).collect();
        let population = comparison.population_of(rows.iter().copied());
        let population_in_top1_to = comparison.population_of(rows.iter().copied().filter(|r| r.in_top1_to));
        let mut changes: Vec<i64> = rows.iter().filter_map(|r| r.change).collect();
        changes.sort_unstable();
        let median_change = match changes.len() {
            0 => None,
            n if n % 2 == 1 => changes.get(n / 2).map(|c| *c as f64),
            n => Some((changes[n / 2 - 1] + changes[n / 2]) as f64 / 2.0),
        };
        Self {
            lsoas: rows.len(),
            wards_touched: wards.len(),
            population,
            population_in_top1_to,
            population_missing: comparison.population_missing.clone(),
            top1_from: rows.iter().filter(|r| r.in_top1_from).count(),
            top1_to: rows.iter().filter(|r| r.in_top1_to).count(),
            decile1_from: rows.iter().filter(|r| r.in_decile1_from()).count(),
            decile1_to: rows.iter().filter(|r| r.in_decile1_to()).count(),
            median_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> BTreeSet<AreaCode> {
        list.iter().map(|c| AreaCode::parse(c).unwrap()).collect()
    }

    #[test]
    fn toggle_adds_and_removes() {
        let start = Selection {
            codes: codes(&["E01000001", "E01000002"]),
        };
        let after = start.edited(&SelectionEdit::Toggle(codes(&["E01000002", "E01000003"])));
        assert_eq!(after.codes, codes(&["E01000001", "E01000003"]));
    }

    #[test]
    fn a_new_edit_after_undo_drops_the_redo_stack() {
        let mut history = SelectionHistory::default();
        history.apply(&SelectionEdit::Add(codes(&["E01000001"])));
        history.apply(&SelectionEdit::Add(codes(&["E01000002"])));
        assert!(history.undo());
        history.apply(&SelectionEdit::Add(codes(&["E01000003"])));
        assert!(!history.redo(), "the undone edit cannot come back over a new one");
        assert_eq!(history.current().codes, codes(&["E01000001", "E01000003"]));
        history.apply(&SelectionEdit::Add(codes(&["E01000003"])));
        assert!(
            history.undo() && history.current().codes == codes(&["E01000001"]),
            "a no-op edit is not recorded"
        );
    }
}
