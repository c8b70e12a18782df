//! The desktop window (egui/eframe). The only module that depends on egui.
//!
//! State and logic without egui: [`Session`] (data, load, scene, selection, profile, project), [`Settings`] (the
//! planner's choices), [`MapScene`] (what the map shows), [`AppCommand`] with [`dispatch`] (everything the planner can
//! ask for, run in one place) and [`Files`] (dialogs, clipboard, save/open/export). Drawing: the chrome (menus,
//! toolbar, status bar, banners, dialogs), the side panels and the map widget, which return commands.

#[cfg(test)]
mod agreement_tests;
mod app;
mod area_groups_view;
mod area_views;
mod attribute_rows;
mod attribute_table;
mod basemap;
mod choropleth_map;
mod chrome;
mod command;
mod distribution;
mod emerging_list;
mod export_dialog;
mod export_formats;
mod files;
mod frame_timer;
mod group_layer;
mod help;
mod indicator_choice;
mod indicator_deprivation;
mod indicator_groups_view;
mod indicator_legend;
mod indicator_map;
mod indicator_map_export;
mod indicator_trend;
mod indicator_trend_export;
mod indicator_window;
mod la_picker;
mod league_table;
mod loader;
mod map_area;
mod map_cache;
mod map_canvas;
mod mesh_sink;
mod missing_data;
mod national_meshes;
mod paint;
mod panels;
mod path_field;
mod path_prompt;
mod place_search_box;
mod problems_list;
mod profile_indicator;
mod rasterise;
mod report_export;
mod scene;
mod selection_panel;
mod session;
mod settings;
mod shortcuts;
mod side_panels;
mod staged_load;
mod staged_status;
mod tool_window;
mod ward_league;

pub use app::{LocalityMapApp, run_window};
pub use area_groups_view::{GroupInputs, GroupSource, GroupsFileRequest, GroupsState, named_selections_ui};
pub use area_views::{AreaViews, MeasureLeague, measure_league_ui};
pub use attribute_rows::{TableColumn, TableOrder, shown_rows, table_columns};
pub use attribute_table::AttributeTableState;
pub use basemap::{Basemap, FILL_ALPHA_OVER_BASEMAP};
pub use choropleth_map::{ChoroplethMap, MapMemory, MapResponse};
pub use chrome::{ALL_ENGLAND, Chrome};
pub use command::{AppCommand, AppWindow, WindowEffect, dispatch};
pub use distribution::{DistributionResponse, DistributionState, distribution_ui};
pub use emerging_list::{EmergingSort, emerging_list_ui, sorted_rows};
pub use export_dialog::ExportDialogState;
pub use export_formats::{ExportFormat, export_to};
pub use files::{
    FilePicker, Files, FolderPicker, NativeFilePicker, NativeFolderPicker, NoDialogs, NoPicker, SelectionFormat,
};
pub use help::{HelpState, HelpTopic, README_DATA_HEADING, reading_paragraphs, readme_data_section};
pub use indicator_groups_view::{GroupFigure, GroupOrigin, IndicatorGroupsState};
pub use indicator_map::{IndicatorMapResponse, IndicatorMapState, indicator_map_ui};
pub use indicator_map_export::{IndicatorMapToExport, run_indicator_map_export};
pub use indicator_trend::{TrendLines, sparkline_ui, trend_chart_ui, trend_lines};
pub use indicator_trend_export::{TrendFormat, TrendToExport, run_trend_export};
pub use indicator_window::{IndicatorAction, IndicatorTab, IndicatorWindowState, MeasureChoice};
pub use la_picker::filtered_las;
pub use league_table::{LeagueColumn, LeagueTableState};
pub use loader::{DownloadProblem, LoadFailure, LoadJob, LoadMessage, LoadNews, LoadedData, load_data};
pub use map_cache::MapCache;
pub use paint::to_color32;
pub use panels::{ProfileSort, legend_ui, lsoa_tooltip_ui, summary_ui, ward_profile_ui};
pub use path_prompt::{Completion, PathPrompt, PromptKind, completions, dialogs_work};
pub use place_search_box::{LISTED_MATCHES, PlaceSearchState, place_search_ui};
pub use problems_list::problems_ui;
pub use profile_indicator::ProfileIndicator;
pub use rasterise::rasterise;
pub use report_export::{ReportExtent, ReportFormat, ReportRequest};
pub use scene::{MapScene, SceneArea, SceneError, SceneWard};
pub use selection_panel::{SelectionAction, SelectionPanelState, selection_ui};
pub use session::{DataConfirmation, FileMessage, Repaint, SearchHit, Session, ViewRequest};
pub use settings::{MapTool, SceneKey, Settings};
pub use shortcuts::{MAP_KEYS, MapKey, MapKeyAction, Modifier, SHORTCUTS, Shortcut, map_key_actions, shortcuts};
pub use side_panels::Panels;
pub use staged_load::FirstPart;
pub use ward_league::{MeasureChoice as AreaMeasureChoice, WardLeagueState, ordinal, ward_rank_lines};
