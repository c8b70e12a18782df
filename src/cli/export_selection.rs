//! `export-selection`: what the window's selection and attribute table exports write, headlessly: a project's named
//! selection (or its current one) as the selection CSV or GeoJSON, or with `--table` as the attribute table CSV (every
//! domain's ranks too); `--all` writes every LSOA of the LA instead of a selection.

use super::{CliResult, EditionPair, LaChange};
use crate::export::{ExportError, save_lsoa_table_csv, save_selection_csv, save_selection_geojson};
use crate::model::{AreaCode, Dataset};
use crate::project::open_project;
use clap::Args;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `export-selection` arguments.
#[derive(Debug, Args)]
pub struct ExportSelectionArgs {
    /// The named selection of the project (--project) to write; without it, the project's current selection
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Every LSOA of the LA instead of a selection (no project needed)
    #[arg(long, conflicts_with = "name")]
    pub all: bool,
    /// Local authority name or code [default: the project's, else Leeds]
    #[arg(long)]
    pub la: Option<String>,
    /// Earlier edition [default: the project's, else 2015]
    #[arg(long)]
    pub from: Option<u16>,
    /// Later edition [default: the project's, else 2019]
    #[arg(long)]
    pub to: Option<u16>,
    /// The attribute table's columns (the selection's and every domain's ranks in both editions); CSV only
    #[arg(long)]
    pub table: bool,
    /// File to write: `.csv` or `.geojson`
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Writes the file. `project` is the global `--project`.
pub fn run(dataset: &Dataset, args: &ExportSelectionArgs, project: Option<&Path>) -> CliResult {
    let extension = args.out.extension().map(|e| e.to_string_lossy().to_lowercase());
    let geojson = match extension.as_deref() {
        Some("csv") => false,
        Some("geojson" | "json") if !args.table => true,
        Some("geojson" | "json") => return Err("--table writes CSV only: give --out FILE.csv".into()),
        _ => {
            return Err(format!(
                "{} does not end in .csv or .geojson, so the format to write is not known",
                args.out.display()
            )
            .into());
        }
    };
    let opened = match project {
        Some(path) => Some(open_project(path).map_err(|e| e.to_string())?.project),
        None if args.all => None,
        None => {
            return Err("a selection comes from a project: give --project FILE.lmap (or --all for every LSOA)".into());
        }
    };
    let area = LaChange {
        la: args
            .la
            .clone()
            .or_else(|| opened.as_ref().map(|p| p.choices.la.clone()))
            .unwrap_or_else(|| "Leeds".into()),
        editions: EditionPair {
            from: args.from.or(opened.as_ref().map(|p| p.choices.from)).unwrap_or(2015),
            to: args.to.or(opened.as_ref().map(|p| p.choices.to)).unwrap_or(2019),
        },
    };
    let comparison = area.compare(dataset)?;
    let (codes, what): (BTreeSet<AreaCode>, String) = match (&opened, &args.name) {
        _ if args.all => (
            comparison.rows.iter().map(|r| r.lsoa_code).collect(),
            format!("every LSOA of {}", comparison.la_name),
        ),
        (Some(project), Some(name)) => match project.named_selections.get(name) {
            Some(codes) => (codes.clone(), format!("the selection \"{name}\"")),
            None => {
                let names: Vec<&str> = project.named_selections.keys().map(String::as_str).collect();
                let known = if names.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("it has {}", names.join(", "))
                };
                return Err(format!("the project has no selection named \"{name}\" ({known})").into());
            }
        },
        (Some(project), None) => (project.selection.clone(), "the project's current selection".into()),
        (None, _) => return Err("a selection comes from a project: give --project FILE.lmap".into()),
    };
    if codes.is_empty() {
        return Err(format!("{what} is empty, so nothing was written").into());
    }
    let outside = codes
        .iter()
        .filter(|c| !comparison.rows.iter().any(|r| r.lsoa_code == **c))
        .count();
    let written = if args.table {
        let ordered: Vec<AreaCode> = comparison
            .rows
            .iter()
            .map(|r| r.lsoa_code)
            .filter(|c| codes.contains(c))
            .collect();
        save_lsoa_table_csv(&args.out, args.force, &comparison, &ordered)
    } else if geojson {
        save_selection_geojson(&args.out, args.force, dataset, &comparison, &codes)
    } else {
        save_selection_csv(&args.out, args.force, &comparison, &codes)
    }
    .map_err(|e| match e {
        ExportError::Save(crate::io::SaveError::Exists { path }) => {
            format!("{} already exists; pass --force to replace it", path.display())
        }
        e => e.to_string(),
    })?;
    let mut text = format!(
        "Wrote {written} LSOAs ({what}, {} IMD {} to {}) to {}.\n",
        comparison.la_name,
        comparison.from,
        comparison.to,
        args.out.display()
    );
    if outside > 0 {
        text.push_str(&format!(
            "{outside} LSOAs of the selection are not in {} for these editions and were left out.\n",
            comparison.la_name
        ));
    }
    super::print(&text)
}
