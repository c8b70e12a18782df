//! `--width`, `--height` and `--dpi`, flattened into the commands that render report maps (`map`, `pack`), with
//! `--force` and the basemap options as [`PageOutput`].

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

/// What the commands that render report pages (`map`, `pack`) share: the page's size and resolution, whether a file
/// may be replaced, and the basemap under the map.
#[derive(Debug, Args)]
pub struct PageOutput {
    /// The page's size, and the resolution of its maps and tables.
    #[command(flatten)]
    pub size: ImageSize,
    /// `--force`: replace a file that is there.
    #[command(flatten)]
    pub overwrite: super::Overwrite,
    /// `--basemap` and its tile server.
    #[command(flatten)]
    pub basemap: super::basemap::BasemapArgs,
}

impl PageOutput {
    /// `options` at this size, over this basemap.
    pub fn applied_to(&self, options: ReportOptions) -> ReportOptions {
        ReportOptions {
            basemap: self.basemap.source(),
            ..self.size.applied_to(options)
        }
    }
}
