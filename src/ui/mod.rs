//! The desktop window (egui/eframe): the map widget, its panels, and the app that holds them. The only module that
//! depends on egui.

mod app;
mod choropleth_map;
mod distribution;
mod emerging_list;
mod indicator_map;
mod indicator_trend;
mod indicator_window;
mod league_table;
mod loader;
mod map_canvas;
mod panels;
mod scene;
mod selection_panel;
mod settings;

pub use app::{
    ALL_ENGLAND, FilePicker, FolderPicker, LocalityMapApp, NativeFilePicker, NativeFolderPicker, run_window,
};
pub use choropleth_map::{ChoroplethMap, MapMemory, MapResponse, to_color32};
pub use distribution::{DistributionResponse, DistributionState, distribution_ui};
pub use emerging_list::{EmergingSort, emerging_list_ui, sorted_rows};
pub use indicator_map::{IndicatorMapResponse, IndicatorMapState, indicator_map_ui};
pub use indicator_trend::{TrendLines, sparkline_ui, trend_chart_ui, trend_lines};
pub use indicator_window::{IndicatorAction, IndicatorTab, IndicatorWindowState, MeasureChoice};
pub use league_table::{LeagueColumn, LeagueTableState};
pub use loader::{LoadJob, LoadMessage, LoadedData, load_data};
pub use map_canvas::rasterise;
pub use panels::{ProfileSort, legend_ui, lsoa_tooltip_ui, problems_ui, summary_ui, ward_profile_ui};
pub use scene::{MapScene, SceneArea, SceneWard};
pub use selection_panel::{SelectionAction, SelectionPanelState, selection_ui};
pub use settings::{MapTool, Settings};
