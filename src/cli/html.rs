//! `html`: the single-file interactive web map of an LA (no network needed to open it).

use super::map::Layer;
use super::{CliResult, LaChange};
use crate::export::{WebMapOptions, default_title, save_web_map};
use crate::model::Dataset;
use crate::style::{MapFill, MapMode};
use clap::Args;
use std::path::PathBuf;

/// `html` arguments.
#[derive(Debug, Args)]
pub struct HtmlArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// What the map shows [default: rank-change, or percentile-change when the editions rank different numbers of LSOAs]
    #[arg(long, value_enum)]
    pub layer: Option<Layer>,
    /// HTML file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Title [default: "LA: change in IMD rank, FROM to TO"]
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub overwrite: super::Overwrite,
}

/// Builds and saves the page, then says how big it is.
pub fn run(dataset: &Dataset, args: &HtmlArgs) -> CliResult {
    args.overwrite.check(&args.out)?;
    let comparison = args.area.compare(dataset)?;
    let mode = args.layer.map_or_else(
        || MapMode::default_change(comparison.ranked_from, comparison.ranked_to),
        Layer::mode,
    );
    let options = WebMapOptions {
        title: args
            .title
            .clone()
            .unwrap_or_else(|| default_title(&comparison.la_name, mode, comparison.from, comparison.to)),
        fill: MapFill::of_mode(mode),
        export_date: crate::export::CivilDate::today(),
    };
    let map = save_web_map(dataset, &comparison, &options, &args.out, args.overwrite.replace())?;
    super::print(&format!(
        "Wrote {} ({:.1} MB): {} LSOAs, {} vertices simplified to {:.0} m.\n",
        args.out.display(),
        map.html.len() as f64 / 1e6,
        comparison.rows.len(),
        map.geometry.vertices,
        map.geometry.tolerance_m
    ))
}
