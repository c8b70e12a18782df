//! `export`: an LA's data in a format other tools open: `FILE.gpkg` (GeoPackage for QGIS/ArcGIS: LSOA, ward and LA
//! layers in EPSG:27700) or `FILE.xlsx` (the briefing workbook), chosen by the extension of `--out`.

use super::{CliResult, LaChange};
use crate::export::{CivilDate, save_briefing_xlsx, save_geopackage};
use crate::model::Dataset;
use clap::Args;
use std::path::PathBuf;

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// File to write: `.gpkg` or `.xlsx`
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub overwrite: super::Overwrite,
}

/// Writes the file.
pub fn run(dataset: &Dataset, args: &ExportArgs) -> CliResult {
    let extension = args.out.extension().map(|e| e.to_string_lossy().to_lowercase());
    let gpkg = match extension.as_deref() {
        Some("gpkg") => true,
        Some("xlsx") => false,
        _ => {
            return Err(format!(
                "{} does not end in .gpkg or .xlsx, so the format to write is not known",
                args.out.display()
            )
            .into());
        }
    };
    args.overwrite.check(&args.out)?;
    let comparison = args.area.compare(dataset)?;
    let saved = if gpkg {
        save_geopackage(dataset, &comparison, &args.out, args.overwrite.replace())
    } else {
        save_briefing_xlsx(
            dataset,
            &comparison,
            &args.out,
            args.overwrite.replace(),
            CivilDate::today(),
        )
    };
    saved?;
    super::print(&format!(
        "Wrote {} ({} LSOAs of {}).\n",
        args.out.display(),
        comparison.rows.len(),
        comparison.la_name
    ))
}
