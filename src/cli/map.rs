//! `map`: one report-ready map PNG of an LA, rendered headlessly with the same styling as the window.

use super::{CliResult, EditionPair};
use crate::export::{ExportError, ReportOptions, default_title, render_report, save_png_atomic_to};
use crate::model::Dataset;
use crate::style::MapMode;
use clap::Args;
use std::path::PathBuf;

/// `map` arguments.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Local authority name or code
    #[arg(long, default_value = "Leeds")]
    pub la: String,
    #[command(flatten)]
    pub editions: EditionPair,
    /// PNG file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Image width in pixels [default: 3508, A4 landscape at 300 dpi]
    #[arg(long)]
    pub width: Option<u32>,
    /// Image height in pixels [default: 2480]
    #[arg(long)]
    pub height: Option<u32>,
    /// Title [default: "LA: change in IMD rank, FROM to TO"]
    #[arg(long)]
    pub title: Option<String>,
    /// Resolution in dots per inch (type size and the PNG's recorded DPI)
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f32,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
    /// With --force: if the file is a symbolic link, replace the link itself with the map (never the file it points at)
    #[arg(long, requires = "force")]
    pub replace_symlink: bool,
    /// What the map shows (percentile-change suits editions of different N, e.g. 2019 to 2025)
    #[arg(long, value_enum, default_value_t = Layer::RankChange)]
    pub layer: Layer,
}

/// The `--layer` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Layer {
    /// Later rank - earlier rank
    RankChange,
    /// Later percentile - earlier percentile (rank / N)
    PercentileChange,
    /// IMD decile in the later edition
    DecileTo,
    /// IMD decile in the earlier edition
    DecileFrom,
}

impl Layer {
    /// The map mode it draws.
    pub fn mode(self) -> MapMode {
        match self {
            Self::RankChange => MapMode::RankChange,
            Self::PercentileChange => MapMode::PercentileChange,
            Self::DecileTo => MapMode::DecileLater,
            Self::DecileFrom => MapMode::DecileEarlier,
        }
    }
}

/// Renders and saves the map.
pub fn run(dataset: &Dataset, args: &MapArgs) -> CliResult {
    if !args.force && args.out.exists() {
        return Err(exists_message(&args.out));
    }
    let comparison = super::compare(dataset, &args.la, args.editions)?;
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| default_title(&comparison.la_name, args.layer.mode(), comparison.from, comparison.to));
    let a4 = ReportOptions::a4_landscape_300dpi(title);
    let options = ReportOptions {
        width_px: args.width.unwrap_or(a4.width_px),
        height_px: args.height.unwrap_or(a4.height_px),
        dpi: args.dpi,
        mode: args.layer.mode(),
        ..a4
    };
    let report = render_report(dataset, &comparison, &options).map_err(|e| e.to_string())?;
    let replace = match (args.force, args.replace_symlink) {
        (true, true) => crate::io::Replace::RegularFileOrLink,
        (force, _) => crate::io::Replace::from_overwrite(force),
    };
    save_png_atomic_to(&report.image, &args.out, options.dpi, replace).map_err(|e| match e {
        ExportError::Save(crate::io::SaveError::Exists { path }) => exists_message(&path),
        e => e.to_string(),
    })
}

fn exists_message(path: &std::path::Path) -> String {
    format!(
        "{} already exists; pass --force to replace it",
        crate::model::escape_path(path)
    )
}
