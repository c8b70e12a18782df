//! Report exports: map PNGs rendered headlessly from the same model and style as the window (`tiny-skia` for shapes,
//! `ab_glyph` for text), the Diagram 3 table picture, selection exports (CSV, GeoJSON), and atomic saving.

mod change_columns;
mod date;
mod error;
mod furniture;
mod indicator_png;
mod map_layer;
mod page_text;
mod report_png;
mod save;
mod selection_table;
mod table_png;
mod text;

pub use change_columns::{CHANGES_CSV_COLUMNS, ChangeColumn, SELECTION_COLUMNS};
pub use date::CivilDate;
pub use error::ExportError;
pub use indicator_png::{IndicatorPage, IndicatorPageOptions, render_indicator_page};
pub use map_layer::{MapContent as ReportMapContent, MapPainter};
pub use report_png::{MapReport, ReportOptions, default_title, render_report};
pub use save::{pixels_per_metre, save_atomic, save_png_atomic, save_png_atomic_to, write_png};
pub use selection_table::{
    UTF8_BOM, save_selection_csv, save_selection_geojson, selected_rows, selection_columns, selection_geojson,
    selection_properties, write_selection_csv,
};
pub use table_png::{
    RankTable, TABLE_IMPROVED, TABLE_TOP1, TABLE_WORSENED, TableOptions, diagram3_rows, render_diagram3,
    render_rank_table,
};
pub use text::{Align, TextPainter, TextStyle};
