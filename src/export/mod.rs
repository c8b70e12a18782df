//! Report exports: map PNGs rendered headlessly from the same model and style as the window (`tiny-skia` for shapes,
//! `ab_glyph` for text), and atomic PNG saving with the DPI recorded.

mod date;
mod error;
mod furniture;
mod map_layer;
mod page_text;
mod report_png;
mod save;
mod text;

pub use date::CivilDate;
pub use error::ExportError;
pub use report_png::{MapReport, ReportOptions, default_title, render_report};
pub use save::{pixels_per_metre, save_png_atomic, write_png};
pub use text::{Align, TextPainter, TextStyle};
