//! The planner's choices that decide what a map of a comparison shows: the LA, the two editions, what the fill
//! shows, the palette and the class breaks. One type, used by the window's settings, the project file and as the
//! key the window rebuilds its map on, so the choices are never copied field by field.

use super::{Classification, DivergingPalette, MapMode, StyledMap, style_comparison};
use crate::analysis::EditionComparison;
use crate::model::Dataset;
use serde::{Deserialize, Serialize};

/// What a map of a comparison shows. Missing fields take their defaults when read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapChoices {
    /// Local authority name or code.
    pub la: String,
    /// Earlier edition.
    pub from: u16,
    /// Later edition.
    pub to: u16,
    /// What the fill shows.
    pub mode: MapMode,
    /// Diverging palette for rank change.
    pub palette: DivergingPalette,
    /// Class breaks for rank change.
    pub classification: Classification,
}

impl Default for MapChoices {
    /// Leeds, IMD 2015 to 2019, rank change in the default palette and fixed breaks.
    fn default() -> Self {
        Self {
            la: "Leeds".into(),
            from: 2015,
            to: 2019,
            mode: MapMode::RankChange,
            palette: DivergingPalette::default(),
            classification: Classification::default(),
        }
    }
}

impl MapChoices {
    /// How the map's areas are filled: its mode, class breaks and palette.
    pub fn fill(&self) -> MapFill {
        MapFill {
            mode: self.mode,
            classification: self.classification.clone(),
            palette: self.palette,
        }
    }
}

/// How a comparison's areas are filled: what the fill shows, the class breaks and the palette. The report page and
/// the web map take it whole, from the window's choices or the command line's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapFill {
    /// What the fill shows.
    pub mode: MapMode,
    /// Class breaks for rank change.
    pub classification: Classification,
    /// Diverging palette for rank change.
    pub palette: DivergingPalette,
}

impl MapFill {
    /// `mode` in the default breaks and palette.
    pub fn of_mode(mode: MapMode) -> Self {
        Self {
            mode,
            ..Self::default()
        }
    }

    /// Styles a comparison; `ranked_later` is the later edition's N (for domain deciles).
    pub fn style(&self, comparison: &EditionComparison, ranked_later: u32) -> StyledMap {
        style_comparison(comparison, self.mode, &self.classification, self.palette, ranked_later)
    }

    /// Styles a comparison of loaded editions (the later edition's N from `dataset`).
    pub fn style_loaded(&self, dataset: &Dataset, comparison: &EditionComparison) -> StyledMap {
        self.style(
            comparison,
            dataset.edition(comparison.to).map_or(0, |e| e.ranked_count()),
        )
    }
}
