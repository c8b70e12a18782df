//! The planner's choices that decide what a map of a comparison shows: the LA, the two editions, what the fill
//! shows, the palette and the class breaks. One type, used by the window's settings, the project file and as the
//! key the window rebuilds its map on, so the choices are never copied field by field.

use super::{Classification, DivergingPalette, MapMode};
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
