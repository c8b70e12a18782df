//! The desktop window (egui/eframe): the map widget, its panels, and the app that holds them. The only module that
//! depends on egui.

mod app;
mod area_groups_view;
mod area_views;
mod choropleth_map;
mod distribution;
mod league_table;
mod loader;
mod map_canvas;
mod panels;
mod scene;
mod selection_panel;
mod settings;
mod ward_league;

pub use app::{
    ALL_ENGLAND, FilePicker, FolderPicker, LocalityMapApp, NativeFilePicker, NativeFolderPicker, run_window,
};
pub use area_groups_view::{GroupSource, GroupsState, named_selections_ui};
pub use area_views::{AreaViews, MeasureLeague, measure_league_ui};
pub use choropleth_map::{ChoroplethMap, MapMemory, MapResponse, to_color32};
pub use distribution::{DistributionResponse, DistributionState, distribution_ui};
pub use league_table::{LeagueColumn, LeagueTableState};
pub use loader::{LoadJob, LoadMessage, LoadedData, load_data};
pub use map_canvas::rasterise;
pub use panels::{ProfileSort, legend_ui, lsoa_tooltip_ui, problems_ui, summary_ui, ward_profile_ui};
pub use scene::{MapScene, SceneArea, SceneWard};
pub use selection_panel::{SelectionAction, SelectionPanelState, selection_ui};
pub use settings::{MapTool, Settings};
pub use ward_league::{MeasureChoice, WardLeagueState, ordinal};
