//! The planner's choices, remembered between runs (eframe persistence): data folder, the map's choices (LA, editions,
//! mode, palette, classes), colour-vision preview and which panels are open.

use crate::style::{Classification, ColourVision, DivergingPalette, MapChoices, MapMode};
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

/// What the planner chose. Plain data: no UI handles. It reads as its [`MapChoices`] (`settings.la`), so the map's
/// choices are written once; it is saved flat, as earlier versions saved it (see [`SavedSettings`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "SavedSettings", into = "SavedSettings")]
pub struct Settings {
    /// What the map shows: LA, editions, mode, palette, classes. The scene is rebuilt when these change.
    pub choices: MapChoices,
    /// The last data folder opened; `None` = the embedded Leeds default.
    pub data_folder: Option<PathBuf>,
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
    /// The folder last saved to or opened from through the in-window path field (used where no file dialog works).
    pub last_folder: Option<PathBuf>,
    /// The OpenStreetMap street basemap under the fills (off unless switched on: nothing is downloaded until then).
    pub show_basemap: bool,
    /// The basemap's tile server, a URL with `{z}`, `{x}`, `{y}` (e.g. a council's own); `None` =
    /// `$LOCALITY_MAP_TILE_URL`, else OpenStreetMap's.
    pub basemap_url: Option<String>,
    /// The area groups (a grouping file's or the named selections) as a layer of the main map: member LSOAs filled by
    /// their group's rank on the chosen measure, outlines dissolved, group names (`group_layer.rs`).
    pub show_group_layer: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            choices: MapChoices::default(),
            data_folder: None,
            show_transitions: true,
            show_lsoa_lines: true,
            show_ward_labels: true,
            colour_vision: ColourVision::Normal,
            show_distribution: true,
            tool: MapTool::Pan,
            last_folder: None,
            show_basemap: false,
            basemap_url: None,
            show_group_layer: false,
        }
    }
}

impl std::ops::Deref for Settings {
    type Target = MapChoices;
    fn deref(&self) -> &MapChoices {
        &self.choices
    }
}

impl std::ops::DerefMut for Settings {
    fn deref_mut(&mut self) -> &mut MapChoices {
        &mut self.choices
    }
}

/// The choices a scene depends on: a difference means rebuild.
pub type SceneKey = MapChoices;

impl Settings {
    /// The choices the scene is built from.
    pub fn scene_key(&self) -> SceneKey {
        self.choices.clone()
    }
}

/// Settings as eframe stores them (RON): one flat record, the shape earlier versions wrote, so their saved settings
/// still open. (RON cannot read a flattened struct holding an enum with data, such as [`Classification`], so the
/// record spells the fields out; `saved_settings_of_earlier_versions_open` checks it.)
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedSettings {
    data_folder: Option<PathBuf>,
    la: String,
    from: u16,
    to: u16,
    mode: MapMode,
    palette: DivergingPalette,
    classification: Classification,
    show_transitions: bool,
    show_lsoa_lines: bool,
    show_ward_labels: bool,
    colour_vision: ColourVision,
    show_distribution: bool,
    tool: MapTool,
    last_folder: Option<PathBuf>,
    show_basemap: bool,
    basemap_url: Option<String>,
    show_group_layer: bool,
}

impl Default for SavedSettings {
    fn default() -> Self {
        Settings::default().into()
    }
}

impl From<Settings> for SavedSettings {
    fn from(settings: Settings) -> Self {
        let choices = settings.choices;
        Self {
            data_folder: settings.data_folder,
            la: choices.la,
            from: choices.from,
            to: choices.to,
            mode: choices.mode,
            palette: choices.palette,
            classification: choices.classification,
            show_transitions: settings.show_transitions,
            show_lsoa_lines: settings.show_lsoa_lines,
            show_ward_labels: settings.show_ward_labels,
            colour_vision: settings.colour_vision,
            show_distribution: settings.show_distribution,
            tool: settings.tool,
            last_folder: settings.last_folder,
            show_basemap: settings.show_basemap,
            basemap_url: settings.basemap_url,
            show_group_layer: settings.show_group_layer,
        }
    }
}

impl From<SavedSettings> for Settings {
    fn from(saved: SavedSettings) -> Self {
        Self {
            choices: MapChoices {
                la: saved.la,
                from: saved.from,
                to: saved.to,
                mode: saved.mode,
                palette: saved.palette,
                classification: saved.classification,
            },
            data_folder: saved.data_folder,
            show_transitions: saved.show_transitions,
            show_lsoa_lines: saved.show_lsoa_lines,
            show_ward_labels: saved.show_ward_labels,
            colour_vision: saved.colour_vision,
            show_distribution: saved.show_distribution,
            tool: saved.tool,
            last_folder: saved.last_folder,
            show_basemap: saved.show_basemap,
            basemap_url: saved.basemap_url,
            show_group_layer: saved.show_group_layer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_of_earlier_versions_open() {
        // As an earlier version wrote them (RON, every field at the top level).
        let old = r#"(data_folder:Some("/data/iod"),la:"Bradford",from:2019,to:2025,mode:DecileLater,palette:OrangePurple,classification:Fixed([-500,-100,-20,20,100,500]),show_transitions:false,show_lsoa_lines:true,show_ward_labels:false,colour_vision:Normal,show_distribution:true,tool:Box)"#;
        let settings: Settings = ron::from_str(old).unwrap();
        assert_eq!(settings.la, "Bradford");
        assert_eq!(
            (settings.from, settings.to, settings.mode),
            (2019, 2025, MapMode::DecileLater)
        );
        assert_eq!(settings.tool, MapTool::Box);
        assert!(!settings.show_transitions);
        // And what this version writes reads back the same, in the same flat shape.
        let written = ron::to_string(&settings).unwrap();
        assert!(written.starts_with("(data_folder:"), "{written}");
        assert_eq!(ron::from_str::<Settings>(&written).unwrap(), settings);
        // A record missing fields takes their defaults.
        assert_eq!(
            ron::from_str::<Settings>("(la:\"Leeds\")").unwrap(),
            Settings::default()
        );
    }
}
