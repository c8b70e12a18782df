//! `pack`: a briefing pack for an LA in one folder — the LA map, the Diagram 3 table (CSV and PNG), and per priority
//! ward (or every ward) a map zoomed to the ward, its profile as CSV and its LSOA table as a PNG. Every file is saved
//! atomically, and nothing is replaced without `--force`.

use super::{CliError, CliResult, EditionPair, output};
use crate::analysis::{EditionComparison, LaSummary, WardProfile};
use crate::export::{
    ExportError, ReportOptions, TableOptions, default_title, render_diagram3, render_rank_table, render_report,
    save_atomic, save_png_atomic, write_selection_csv,
};
use crate::model::{AreaCode, Dataset, rect_union};
use crate::style::MapMode;
use clap::Args;
use std::path::{Path, PathBuf};

/// `pack` arguments.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// Local authority name or code
    #[arg(long, default_value = "Leeds")]
    pub la: String,
    #[command(flatten)]
    pub editions: EditionPair,
    /// Folder to write the pack into (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A folder for every ward of the LA, not just the priority wards
    #[arg(long)]
    pub all_wards: bool,
    /// Map width in pixels [default: 3508, A4 landscape at 300 dpi]
    #[arg(long)]
    pub width: Option<u32>,
    /// Map height in pixels [default: 2480]
    #[arg(long)]
    pub height: Option<u32>,
    /// Resolution in dots per inch for the maps and tables
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f32,
    /// Replace files that exist
    #[arg(long)]
    pub force: bool,
}

/// One ward's folder.
struct WardPlan {
    code: AreaCode,
    name: String,
    folder: PathBuf,
}

/// Writes the pack.
pub fn run(dataset: &Dataset, args: &PackArgs) -> CliResult {
    let comparison = super::compare(dataset, &args.la, args.editions)?;
    let wards = plan_wards(dataset, &comparison, &args.out, args.all_wards)?;
    let mut files: Vec<PathBuf> = ["overview.png", "diagram3.csv", "diagram3.png"]
        .iter()
        .map(|f| args.out.join(f))
        .collect();
    for ward in &wards {
        files.extend(
            ["map.png", "profile.csv", "lsoas.png"]
                .iter()
                .map(|f| ward.folder.join(f)),
        );
    }
    if !args.force
        && let Some(existing) = files.iter().find(|f| f.exists())
    {
        return Err(CliError::Exists { path: existing.clone() });
    }
    for folder in std::iter::once(&args.out).chain(wards.iter().map(|w| &w.folder)) {
        std::fs::create_dir_all(folder).map_err(|source| CliError::CreateFolder {
            path: folder.clone(),
            source,
        })?;
    }
    let saved = |result: Result<(), ExportError>| result.map_err(CliError::from);
    let a4 = ReportOptions::a4_landscape_300dpi(default_title(
        &comparison.la_name,
        MapMode::RankChange,
        comparison.from,
        comparison.to,
    ));
    let map_options = ReportOptions {
        width_px: args.width.unwrap_or(a4.width_px),
        height_px: args.height.unwrap_or(a4.height_px),
        dpi: args.dpi,
        ..a4
    };
    let (from, to) = (comparison.from, comparison.to);
    let date = map_options.export_date;

    let overview = render_report(dataset, &comparison, &map_options)?;
    saved(save_png_atomic(&overview.image, &files[0], args.dpi, args.force))?;
    let diagram3: Vec<_> = crate::export::diagram3_rows(&comparison);
    let csv = output::changes_csv(&diagram3)?;
    saved(save_atomic(&files[1], args.force, |out| out.write_all(csv.as_bytes())))?;
    let table = render_diagram3(&comparison, args.dpi, date)?;
    saved(save_png_atomic(&table.image, &files[2], args.dpi, args.force))?;

    for ward in &wards {
        let profile = WardProfile::new(dataset, ward.code.as_str(), Some(comparison.la_code.as_str()), from, to)?;
        let options = ReportOptions {
            title: format!(
                "{}, {}: change in IMD rank, {from} to {to}",
                ward.name, comparison.la_name
            ),
            extent: ward_extent(dataset, &comparison, &ward.code),
            focus_ward: Some(ward.code),
            ..map_options.clone()
        };
        let map = render_report(dataset, &comparison, &options)?;
        saved(save_png_atomic(
            &map.image,
            &ward.folder.join("map.png"),
            args.dpi,
            args.force,
        ))?;
        let rows: Vec<_> = profile.lsoas.iter().collect();
        saved(save_atomic(&ward.folder.join("profile.csv"), args.force, |out| {
            write_selection_csv(out, &rows, from, to)
        }))?;
        let in_top1 = rows.iter().filter(|r| r.in_top1_to).count();
        let population = profile
            .population
            .map_or_else(String::new, |p| format!("; population {p}"));
        let table_options = TableOptions {
            title: format!("{}, {}: LSOAs, IMD {from} and {to}", ward.name, comparison.la_name),
            subtitle: format!(
                "{} LSOAs; {in_top1} in the most deprived 1% in {to} (rank <= {}){population}.",
                rows.len(),
                comparison.threshold_to
            ),
            dpi: args.dpi,
            export_date: date,
        };
        let table = render_rank_table(&rows, from, to, &table_options)?;
        saved(save_png_atomic(
            &table.image,
            &ward.folder.join("lsoas.png"),
            args.dpi,
            args.force,
        ))?;
    }
    let which = if args.all_wards { "wards" } else { "priority wards" };
    super::print(&format!(
        "Wrote {} files to {}: overview, Diagram 3 ({} LSOAs) and {} {which}.\n",
        files.len(),
        args.out.display(),
        diagram3.len(),
        wards.len()
    ))
}

/// The wards to write, each with a folder named by the slug of its name (the code is added if two names collide).
fn plan_wards(
    dataset: &Dataset,
    comparison: &EditionComparison,
    out: &Path,
    all: bool,
) -> Result<Vec<WardPlan>, CliError> {
    let mut wards: Vec<(AreaCode, String)> = if all {
        let mut wards: Vec<(AreaCode, String)> = comparison
            .rows
            .iter()
            .filter_map(|r| r.ward_code.map(|c| (c, r.ward_name.clone())))
            .collect();
        wards.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        wards.dedup_by(|a, b| a.0 == b.0);
        wards
    } else {
        let summary = LaSummary::new(dataset, comparison)?;
        summary.priority_wards.into_iter().map(|w| (w.code, w.name)).collect()
    };
    wards.retain(|(_, name)| !name.is_empty());
    let mut used = std::collections::BTreeSet::new();
    Ok(wards
        .into_iter()
        .map(|(code, name)| {
            let mut slug = slug(&name);
            if slug.is_empty() || !used.insert(slug.clone()) {
                slug = format!("{slug}-{}", code.as_str().to_lowercase())
                    .trim_start_matches('-')
                    .to_string();
                used.insert(slug.clone());
            }
            WardPlan {
                code,
                name,
                folder: out.join(slug),
            }
        })
        .collect())
}

/// A folder name from a ward name: lower-case ASCII letters and digits, words joined by `-`
/// (`Hunslet & Riverside` → `hunslet-riverside`).
pub fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The ward's boundary box (else its LSOAs' boxes), with a margin so neighbouring context shows.
fn ward_extent(dataset: &Dataset, comparison: &EditionComparison, ward: &AreaCode) -> Option<geo::Rect<f64>> {
    let from_ward_layer = dataset
        .ward_layer_for(comparison.vintage)
        .and_then(|layer| layer.get(ward))
        .map(|area| area.bbox_in_world);
    let bbox = from_ward_layer.or_else(|| {
        let layer = dataset.lsoa_layers.get(&comparison.vintage)?;
        comparison
            .rows
            .iter()
            .filter(|r| r.ward_code.as_ref() == Some(ward))
            .filter_map(|r| layer.get(&r.lsoa_code).map(|a| a.bbox_in_world))
            .reduce(rect_union)
    })?;
    let margin = 0.08 * bbox.width().max(bbox.height()).max(500.0);
    Some(geo::Rect::new(
        geo::Coord {
            x: bbox.min().x - margin,
            y: bbox.min().y - margin,
        },
        geo::Coord {
            x: bbox.max().x + margin,
            y: bbox.max().y + margin,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn ward_names_become_folder_names() {
        assert_eq!(slug("Hunslet & Riverside"), "hunslet-riverside");
        assert_eq!(slug("Burmantofts and Richmond Hill"), "burmantofts-and-richmond-hill");
        assert_eq!(slug("  St. Mary's  "), "st-mary-s");
        assert_eq!(slug("Gipton & Harehills"), "gipton-harehills");
    }
}
