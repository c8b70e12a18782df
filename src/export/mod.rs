//! Report exports: map PNGs rendered headlessly from the same model and style as the window (`tiny-skia` for shapes,
//! `ab_glyph` for text), the Diagram 3 table picture, selection exports (CSV, GeoJSON), and atomic saving.

mod area_map;
mod basemap_underlay;
mod briefing_xlsx;
mod change_columns;
mod date;
mod error;
mod furniture;
mod geopackage;
mod group_layer_paint;
mod indicator_map_page;
mod indicator_png;
mod inset_locator;
mod lsoa_table;
mod map_layer;
mod page_text;
mod report_png;
mod save;
mod selection_table;
mod surface;
mod table_png;
mod text;
mod trend_chart;
mod vector_pdf;
mod vector_report;
mod vector_svg;
mod web_map;

pub use area_map::{AreaMapGeometry, AreaMapOptions, RANK_CLASS_COLOURS, rank_class_colour, render_area_map};
pub use basemap_underlay::{FILL_WEIGHT_OVER_BASEMAP, underlay_basemap};
pub use briefing_xlsx::{
    CB_SAFE_IMPROVED, CB_SAFE_TOP1, CB_SAFE_WORSENED, FIXED_SHEETS, LEAGUE_SHEET, briefing_workbook,
    save_briefing_xlsx, sheet_name,
};
pub use change_columns::{CHANGES_CSV_COLUMNS, CHANGES_CSV_YEAR_COLUMNS, CellValue, ChangeColumn, SELECTION_COLUMNS};
pub use date::CivilDate;
pub use error::ExportError;
pub use geopackage::{BNG_SRS_ID, GPKG_LAYERS, geopackage_bytes, gpkg_geometry, save_geopackage};
pub use group_layer_paint::{GROUP_LINE, draw_group_legend};
pub use indicator_map_page::{
    IndicatorMap, IndicatorMapSize, RenderedIndicatorMap, emerging_statement, indicator_map_title,
    render_indicator_map, save_indicator_map,
};
pub use indicator_png::{IndicatorPage, IndicatorPageOptions, render_indicator_page};
pub use inset_locator::InsetLocator;
pub use lsoa_table::{domains_present, lsoa_table_columns, save_lsoa_table_csv, write_lsoa_table_csv};
pub use map_layer::{MapContent as ReportMapContent, MapPainter};
pub use report_png::{MapReport, PageLayout, ReportOptions, default_title, render_report, vector_report_page};
pub use save::{pixels_per_metre, save_atomic, save_png_atomic, write_png};
pub use selection_table::{
    UTF8_BOM, save_selection_csv, save_selection_geojson, selected_rows, selection_columns, selection_geojson,
    selection_properties, write_selection_csv,
};
pub use surface::{LineStyle, RasterSurface, Surface, VectorOp, VectorPage};
pub use table_png::{
    RankTable, TABLE_IMPROVED, TABLE_TOP1, TABLE_WORSENED, TableColours, TableOptions, diagram3_rows, render_diagram3,
    render_diagram3_with, render_rank_table,
};
pub use text::{Align, TextPainter, TextStyle};
pub use trend_chart::{
    INDICATOR_CSV_COLUMNS, TREND_LA_CSV_COLUMNS, TREND_PNG_SIZE_PX, TrendExport, UNKNOWN_TREND_SOURCE,
    render_trend_png, save_trend_csv, save_trend_png, trend_csv_columns, write_trend_csv,
};
pub use vector_pdf::pdf_of_pages;
pub use vector_report::{Paper, paper_options, pdf_report, save_pdf_report, save_svg_report, svg_report, ward_extent};
pub use vector_svg::{SVG_FONT_FAMILY, svg_of_page};
pub use web_map::{WebMap, WebMapGeometry, WebMapOptions, save_web_map, web_map};
