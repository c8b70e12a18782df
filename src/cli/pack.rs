//! `pack`: a briefing pack for an LA in one folder — the LA map, the Diagram 3 table (CSV and PNG), the briefing
//! workbook (`briefing.xlsx`), the vector report (`report.pdf`: the LA page and a page per priority ward), the
//! GeoPackage (`areas.gpkg`), and per priority ward (or every ward) a map zoomed to the ward, its profile as CSV and
//! its LSOA table as a PNG. Every file is saved atomically, and nothing is replaced without `--force`.

use super::{CliResult, LaChange, output};
use crate::analysis::{EditionComparison, LaSummary, WardProfile};
use crate::export::{
    ExportError, Paper, ReportOptions, TableOptions, default_title, paper_options, render_diagram3, render_rank_table,
    render_report, save_atomic, save_briefing_xlsx, save_geopackage, save_pdf_report, save_png_atomic, ward_extent,
    write_selection_csv,
};
use crate::model::{AreaCode, Dataset, escape_path};
use crate::style::{MapFill, MapMode};
use clap::Args;
use std::path::{Path, PathBuf};

/// The files at the top of the pack.
const ROOT_FILES: [&str; 7] = [
    "overview.png",
    "diagram3.csv",
    "diagram3.png",
    "diagram3_colour_safe.png",
    "briefing.xlsx",
    "report.pdf",
    "areas.gpkg",
];

/// `pack` arguments.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// Folder to write the pack into (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A folder for every ward of the LA, not just the priority wards
    #[arg(long)]
    pub all_wards: bool,
    /// The maps' size and resolution, `--force` and the basemap.
    #[command(flatten)]
    pub output: super::PageOutput,
}

/// One ward's folder.
struct WardPlan {
    code: AreaCode,
    name: String,
    folder: PathBuf,
}

/// Writes the pack: every file into a hidden staging folder beside `--out`, then into place — the staging folder
/// renamed to `--out` when that does not exist yet, else each file moved over its old copy — so a pack killed midway
/// leaves no half-written pack under `--out` (and a later run removes the staging folder it left).
pub fn run(dataset: &Dataset, args: &PackArgs) -> CliResult {
    let comparison = args.area.compare(dataset)?;
    let wards = plan_wards(dataset, &comparison, Path::new(""), args.all_wards)?;
    let mut files: Vec<PathBuf> = ROOT_FILES.iter().map(PathBuf::from).collect();
    for ward in &wards {
        files.extend(
            ["map.png", "profile.csv", "lsoas.png"]
                .iter()
                .map(|f| ward.folder.join(f)),
        );
    }
    for file in &files {
        let target = args.out.join(file);
        args.output.overwrite.check(&target)?;
    }
    remove_stale_staging(&args.out);
    let staging = staging_folder(&args.out);
    std::fs::remove_dir_all(&staging).ok();
    let written = write_pack(dataset, args, &comparison, &wards, &staging);
    let placed = written.and_then(|()| put_pack_in_place(&staging, &args.out, &files));
    std::fs::remove_dir_all(&staging).ok();
    let diagram3_rows = placed?;
    let which = if args.all_wards { "wards" } else { "priority wards" };
    super::print(&format!(
        "Wrote {} files to {}: overview, Diagram 3 ({diagram3_rows} LSOAs), briefing workbook, PDF report, GeoPackage and {} {which}.\n",
        files.len(),
        escape_path(&args.out),
        wards.len()
    ))
}

/// `.<name>.pack-<pid>` beside the pack's folder (same file system, so the final rename is atomic).
fn staging_folder(out: &Path) -> PathBuf {
    let name = out.file_name().map_or_else(|| "pack".into(), |n| n.to_string_lossy());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.pack-{}", std::process::id()))
}

/// Removes staging folders of our naming left beside `out` by packs that were killed (their process is gone).
fn remove_stale_staging(out: &Path) {
    let Some(name) = out.file_name() else { return };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::io::remove_leftovers(parent, &format!(".{}.pack-", name.to_string_lossy()), true);
    for folder in std::iter::once(out.to_path_buf()).chain(
        std::fs::read_dir(out)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path()),
    ) {
        for file in ROOT_FILES.into_iter().chain(["map.png", "profile.csv", "lsoas.png"]) {
            crate::io::remove_stale_temp_files(&folder.join(file));
        }
    }
}

/// Moves the finished pack from `staging` to `out`. Returns the number of Diagram 3 rows (for the summary line).
fn put_pack_in_place(staging: &Path, out: &Path, files: &[PathBuf]) -> Result<usize, String> {
    let rows = std::fs::read_to_string(staging.join("diagram3.csv"))
        .map(|t| t.lines().count().saturating_sub(1))
        .unwrap_or(0);
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(staging, out)
            .map(|()| rows)
            .map_err(|e| format!("cannot move the finished pack into place ({e}) — {}", escape_path(out)));
    }
    for (moved, file) in files.iter().enumerate() {
        let (from, to) = (staging.join(file), out.join(file));
        let result = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&from, &to));
        if let Err(e) = result {
            return Err(format!(
                "the pack is incomplete: {moved} of its {} files were put in place, then moving {} failed ({e}) — {}",
                files.len(),
                escape_path(file),
                escape_path(out)
            ));
        }
    }
    Ok(rows)
}

/// Renders and saves every file of the pack under `base`.
fn write_pack(
    dataset: &Dataset,
    args: &PackArgs,
    comparison: &EditionComparison,
    wards: &[WardPlan],
    base: &Path,
) -> Result<(), String> {
    for folder in std::iter::once(base.to_path_buf()).chain(wards.iter().map(|w| base.join(&w.folder))) {
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create the folder ({e}) — {}", escape_path(&folder)))?;
    }
    let saved = |result: Result<(), ExportError>| result.map_err(|e| e.to_string());
    let mode = MapMode::default_change(comparison.ranked_from, comparison.ranked_to);
    let a4 =
        ReportOptions::a4_landscape_300dpi(default_title(&comparison.la_name, mode, comparison.from, comparison.to));
    let map_options = ReportOptions {
        fill: MapFill::of_mode(mode),
        ..args.output.applied_to(a4)
    };
    let (from, to) = (comparison.from, comparison.to);
    let date = map_options.export_date;

    let overview = render_report(dataset, comparison, &map_options).map_err(|e| e.to_string())?;
    saved(save_png_atomic(
        &overview.image,
        &base.join("overview.png"),
        args.output.size.dpi,
        false,
    ))?;
    let diagram3: Vec<_> = crate::export::diagram3_rows(comparison);
    // A file for Excel: the byte-order mark, and the editions' years beside the contract's from/to columns.
    let csv = output::changes_csv(&diagram3, (from, to), true).map_err(|e| e.to_string())?;
    saved(save_atomic(&base.join("diagram3.csv"), false, |out| {
        out.write_all(csv.as_bytes())
    }))?;
    let table = render_diagram3(comparison, args.output.size.dpi, date).map_err(|e| e.to_string())?;
    saved(save_png_atomic(
        &table.image,
        &base.join("diagram3.png"),
        args.output.size.dpi,
        false,
    ))?;
    // The same table for colour-blind readers (red/blue ends of RdBu; both carry shapes and signs).
    let safe = crate::export::render_diagram3_with(
        comparison,
        args.output.size.dpi,
        date,
        crate::export::TableColours::COLOUR_BLIND_SAFE,
    )
    .map_err(|e| e.to_string())?;
    saved(save_png_atomic(
        &safe.image,
        &base.join("diagram3_colour_safe.png"),
        args.output.size.dpi,
        false,
    ))?;
    saved(save_briefing_xlsx(
        dataset,
        comparison,
        &base.join("briefing.xlsx"),
        false,
        date,
    ))?;
    let on_a4 = paper_options(&map_options, Paper::A4, true);
    saved(save_pdf_report(
        dataset,
        comparison,
        &on_a4,
        true,
        &base.join("report.pdf"),
        false,
    ))?;
    saved(save_geopackage(dataset, comparison, &base.join("areas.gpkg"), false))?;

    for ward in wards {
        let folder = base.join(&ward.folder);
        let profile = WardProfile::new(dataset, ward.code.as_str(), Some(comparison.la_code.as_str()), from, to)
            .map_err(|e| e.to_string())?;
        let options = ReportOptions {
            title: format!(
                "{}, {}{}",
                ward.name,
                comparison.la_name,
                default_title("", mode, from, to)
            ),
            extent: ward_extent(dataset, comparison, &ward.code),
            focus_ward: Some(ward.code),
            ..map_options.clone()
        };
        let map = render_report(dataset, comparison, &options).map_err(|e| e.to_string())?;
        saved(save_png_atomic(
            &map.image,
            &folder.join("map.png"),
            args.output.size.dpi,
            false,
        ))?;
        let rows: Vec<_> = profile.lsoas.iter().collect();
        saved(save_atomic(&folder.join("profile.csv"), false, |out| {
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
            dpi: args.output.size.dpi,
            export_date: date,
            colours: crate::export::TableColours::COUNCIL,
        };
        let table = render_rank_table(&rows, from, to, &table_options).map_err(|e| e.to_string())?;
        saved(save_png_atomic(
            &table.image,
            &folder.join("lsoas.png"),
            args.output.size.dpi,
            false,
        ))?;
    }
    Ok(())
}

/// The wards to write, each with a folder named by the slug of its name (the code is added if two names collide).
fn plan_wards(
    dataset: &Dataset,
    comparison: &EditionComparison,
    out: &Path,
    all: bool,
) -> Result<Vec<WardPlan>, String> {
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
        let summary = LaSummary::new(dataset, comparison).map_err(|e| e.to_string())?;
        let Some(priority) = summary.priority_wards else {
            return Err(format!(
                "the pack's ward folders need wards; {}",
                summary.ward_coverage.missing.unwrap_or_default()
            ));
        };
        priority.into_iter().map(|w| (w.code, w.name)).collect()
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
