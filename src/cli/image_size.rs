//! `--width`, `--height` and `--dpi`, flattened into the commands that render report maps (`map`, `pack`).

use crate::export::ReportOptions;
use clap::Args;

/// The size and resolution of a rendered map.
#[derive(Clone, Copy, Debug, Args)]
pub struct ImageSize {
    /// Image width in pixels [default: 3508, A4 landscape at 300 dpi]
    #[arg(long)]
    pub width: Option<u32>,
    /// Image height in pixels [default: 2480]
    #[arg(long)]
    pub height: Option<u32>,
    /// Resolution in dots per inch (type size, and the DPI recorded in PNGs)
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f32,
}

impl ImageSize {
    /// `options` at this size: the width and height given, else the options' own, and this resolution.
    pub fn applied_to(self, options: ReportOptions) -> ReportOptions {
        ReportOptions {
            width_px: self.width.unwrap_or(options.width_px),
            height_px: self.height.unwrap_or(options.height_px),
            dpi: self.dpi,
            ..options
        }
    }
}
