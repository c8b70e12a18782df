//! The planner's choices, remembered between runs (eframe persistence): data folder, LA, editions, mode, palette,
//! classes, colour-vision preview and which panels are open.

use crate::style::{Classification, ColourVision, DivergingPalette, MapMode};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What a drag on the map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapTool {
    /// Drag pans the map.
    #[default]
    Pan,
    /// Drag draws a box; LSOAs inside are selected.
    Box,
    /// Drag draws a freehand shape; LSOAs inside are selected.
    Lasso,
}

/// What the planner chose. Plain data: no UI handles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The last data folder opened; `None` = the embedded Leeds default.
    pub data_folder: Option<PathBuf>,
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
    /// Show 1% transitions (stayed / moved in / moved out) rather than just the later 1%.
    pub show_transitions: bool,
    /// Thin LSOA boundaries.
    pub show_lsoa_lines: bool,
    /// Ward names on the map.
    pub show_ward_labels: bool,
    /// Colour-vision preview.
    pub colour_vision: ColourVision,
    /// The distribution panel (histogram and scatter).
    pub show_distribution: bool,
    /// What a drag on the map does.
    pub tool: MapTool,
    /// The OpenStreetMap street basemap under the fills (off unless switched on: nothing is downloaded until then).
    pub show_basemap: bool,
    /// The basemap's tile server, a URL with `{z}`, `{x}`, `{y}` (e.g. a council's own); `None` =
    /// `$LOCALITY_MAP_TILE_URL`, else OpenStreetMap's.
    pub basemap_url: Option<String>,
}

/// The choices a scene depends on (LA, editions, mode, palette, classes): a difference means rebuild.
pub type SceneKey = (String, u16, u16, MapMode, DivergingPalette, Classification);

impl Settings {
    /// The choices the scene is built from.
    pub fn scene_key(&self) -> SceneKey {
        (
            self.la.clone(),
            self.from,
            self.to,
            self.mode,
            self.palette,
            self.classification.clone(),
        )
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_folder: None,
            la: "Leeds".into(),
            from: 2015,
            to: 2019,
            mode: MapMode::RankChange,
            palette: DivergingPalette::default(),
            classification: Classification::default(),
            show_transitions: true,
            show_lsoa_lines: true,
            show_ward_labels: true,
            colour_vision: ColourVision::Normal,
            show_distribution: true,
            tool: MapTool::Pan,
            show_basemap: false,
            basemap_url: None,
        }
    }
}
