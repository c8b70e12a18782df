//! `map`: one report-ready map of an LA, rendered headlessly with the same styling as the window: a PNG, or vectors
//! with real text (`FILE.pdf`, `FILE.svg`), chosen by the extension of `--out`.

use super::{CliResult, LaChange};
use crate::export::{
    Paper, ReportOptions, default_title, paper_options, render_report, save_pdf_report, save_png_atomic,
    save_svg_report,
};
use crate::model::Dataset;
use crate::style::{MapFill, MapMode};
use clap::Args;
use std::path::PathBuf;

/// `map` arguments.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// File to write: `.png` (pixels), `.pdf` or `.svg` (vectors and real text)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Paper for a PDF or SVG (sets the page in points, replacing --width/--height)
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Portrait instead of landscape (with --paper)
    #[arg(long)]
    pub portrait: bool,
    /// PDF only: add one page per priority ward after the LA's page
    #[arg(long)]
    pub ward_pages: bool,
    /// Title [default: "LA: change in IMD rank, FROM to TO"]
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub output: super::PageOutput,
    /// What the map shows: rank-change, percentile-change (suits editions of different N, e.g. 2019 to 2025),
    /// decile-to, decile-from, or indicator:NAME (a local indicator, see `locality-map indicators`)
    /// [default: rank-change, or percentile-change when the editions rank different numbers of LSOAs]
    #[arg(long, value_parser = parse_layer)]
    pub layer: Option<LayerChoice>,
    #[command(flatten)]
    pub indicator: super::map_indicator::IndicatorMapArgs,
    #[command(flatten)]
    pub group_layer: super::map_groups::GroupMapArgs,
    /// Show this ward of the LA (name or code), brought forward and the rest veiled, as the window's "the open ward"
    #[arg(long, value_name = "WARD", conflicts_with_all = ["extent", "selection"])]
    pub ward: Option<String>,
    /// Show this named selection of --project (its LSOAs' extent), as the window's "the selection"
    #[arg(long, value_name = "NAME", conflicts_with = "extent")]
    pub selection: Option<String>,
    /// Show this rectangle in British National Grid metres: MIN_X,MIN_Y,MAX_X,MAX_Y (the window's "current view")
    #[arg(long, value_name = "X0,Y0,X1,Y1", value_parser = parse_extent)]
    pub extent: Option<geo::Rect<f64>>,
}

fn parse_extent(text: &str) -> Result<geo::Rect<f64>, String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{text:?} is not four numbers MIN_X,MIN_Y,MAX_X,MAX_Y"))?;
    match numbers.as_slice() {
        [x0, y0, x1, y1] if x1 > x0 && y1 > y0 && numbers.iter().all(|n| n.is_finite()) => Ok(geo::Rect::new(
            geo::Coord { x: *x0, y: *y0 },
            geo::Coord { x: *x1, y: *y1 },
        )),
        _ => Err(format!(
            "{text:?} is not MIN_X,MIN_Y,MAX_X,MAX_Y with MAX above MIN (BNG metres)"
        )),
    }
}

/// `--layer`: an IMD layer or a local indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerChoice {
    /// An IMD comparison layer.
    Imd(Layer),
    /// `indicator:NAME`.
    Indicator(String),
}

fn parse_layer(text: &str) -> Result<LayerChoice, String> {
    use clap::ValueEnum as _;
    if let Some(name) = text.strip_prefix("indicator:") {
        return if name.trim().is_empty() {
            Err("indicator: needs a name, e.g. indicator:crime".into())
        } else {
            Ok(LayerChoice::Indicator(name.trim().to_string()))
        };
    }
    Layer::from_str(text, true).map(LayerChoice::Imd).map_err(|_| {
        format!("{text:?} is not a layer: rank-change, percentile-change, decile-to, decile-from or indicator:NAME")
    })
}

impl MapArgs {
    /// The indicator name of `--layer indicator:NAME`.
    pub fn indicator_layer(&self) -> Option<&str> {
        match &self.layer {
            Some(LayerChoice::Indicator(name)) => Some(name),
            _ => None,
        }
    }

    /// The IMD map mode: `--layer`'s, else the change that suits the editions' N ([`MapMode::default_change`]).
    fn imd_mode(&self, comparison: &crate::analysis::EditionComparison) -> MapMode {
        match self.layer {
            Some(LayerChoice::Imd(layer)) => layer.mode(),
            _ => MapMode::default_change(comparison.ranked_from, comparison.ranked_to),
        }
    }
}

/// The `--paper` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// 210 × 297 mm
    A4,
    /// 297 × 420 mm
    A3,
}

/// What `--out`'s extension asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Png,
    Pdf,
    Svg,
}

fn format_of(path: &std::path::Path) -> Result<Format, String> {
    // Something that is there and not a file (a folder, a device) is never replaced, whatever its name says.
    if let Ok(metadata) = std::fs::symlink_metadata(path)
        && metadata.is_dir()
    {
        return Err(format!(
            "the output is a folder, not a regular file, so it is not replaced — {}",
            crate::model::escape_path(path)
        ));
    }
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    match extension.as_deref() {
        Some("png") => Ok(Format::Png),
        Some("pdf") => Ok(Format::Pdf),
        Some("svg") => Ok(Format::Svg),
        _ => Err(format!(
            "the output does not end in .png, .pdf or .svg, so the format to write is not known — {}",
            crate::model::escape_path(path)
        )),
    }
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

/// The extent and the ward brought forward that `--ward`, `--selection` or `--extent` ask for.
fn extent_of(
    dataset: &Dataset,
    comparison: &crate::analysis::EditionComparison,
    args: &MapArgs,
    project: Option<&std::path::Path>,
) -> Result<(Option<geo::Rect<f64>>, Option<crate::model::AreaCode>), String> {
    if let Some(wanted) = &args.ward {
        let lower = wanted.trim().to_lowercase();
        if comparison.rows.iter().all(|r| r.ward_code.is_none()) {
            return Err(format!(
                "no ward lookup or ward boundaries are loaded for {}'s LSOAs, so --ward {wanted:?} cannot be found; add an ONS LSOA to ward lookup or ward boundaries to the data folder",
                comparison.la_name
            ));
        }
        let ward = comparison
            .rows
            .iter()
            .filter_map(|r| r.ward_code.map(|c| (c, r.ward_name.as_str())))
            .find(|(code, name)| name.to_lowercase() == lower || code.as_str().eq_ignore_ascii_case(&lower))
            .map(|(code, _)| code)
            .ok_or_else(|| format!("{} has no ward called {wanted:?}", comparison.la_name))?;
        let bbox = crate::export::ward_extent(dataset, comparison, &ward)
            .ok_or_else(|| format!("ward {wanted:?} has no boundary loaded"))?;
        return Ok((Some(bbox), Some(ward)));
    }
    if let Some(name) = &args.selection {
        let project = project.ok_or("--selection names a selection of a project: give --project FILE.lmap")?;
        let opened = crate::project::open_project(project).map_err(|e| e.to_string())?;
        let codes = opened
            .project
            .named_selections
            .get(name)
            .ok_or_else(|| format!("the project has no selection named {name:?}"))?;
        let layer = dataset
            .lsoa_layers
            .get(&comparison.vintage)
            .ok_or_else(|| format!("no {} boundaries are loaded", comparison.vintage))?;
        let bbox = codes
            .iter()
            .filter_map(|c| layer.get(c))
            .map(|a| a.bbox_in_world)
            .reduce(crate::model::rect_union)
            .ok_or_else(|| format!("no LSOA of the selection {name:?} has a boundary loaded"))?;
        return Ok((Some(bbox), None));
    }
    Ok((args.extent, None))
}

/// Renders and saves the map. `project` is the global `--project` (for `--selection`).
pub fn run(dataset: &Dataset, args: &MapArgs, project: Option<&std::path::Path>) -> CliResult {
    let format = format_of(&args.out)?;
    args.output.overwrite.check(&args.out)?;
    if let Some(name) = args.indicator_layer() {
        if args.output.basemap.basemap {
            return Err("--basemap is drawn under the IMD layers only, not yet under an indicator layer".into());
        }
        return super::map_indicator::run(dataset, args, name);
    }
    let comparison = args.area.compare(dataset)?;
    let mode = args.imd_mode(&comparison);
    let (groups, unknown_groups) = match super::map_groups::group_layer(dataset, &comparison, &args.group_layer)? {
        Some((layer, unknown)) => (Some(layer), unknown),
        None => (None, None),
    };
    let title = args.title.clone().unwrap_or_else(|| match &groups {
        Some(groups) => format!("{}: {}", comparison.la_name, groups.title),
        None => default_title(&comparison.la_name, mode, comparison.from, comparison.to),
    });
    let a4 = ReportOptions::a4_landscape_300dpi(title);
    let (extent, focus_ward) = extent_of(dataset, &comparison, args, project)?;
    let options = ReportOptions {
        extent,
        focus_ward,
        groups,
        fill: MapFill::of_mode(mode),
        ..args.output.applied_to(a4)
    };
    let options = match args.paper {
        Some(paper) => {
            let paper = match paper {
                PaperArg::A4 => Paper::A4,
                PaperArg::A3 => Paper::A3,
            };
            let on_paper = paper_options(&options, paper, !args.portrait);
            if format == Format::Png {
                // Pixels at the asked resolution for the same sheet.
                let scale = options.dpi / 72.0;
                ReportOptions {
                    width_px: (on_paper.width_px as f32 * scale).round() as u32,
                    height_px: (on_paper.height_px as f32 * scale).round() as u32,
                    ..options
                }
            } else {
                on_paper
            }
        }
        None => options,
    };
    let replace = args.output.overwrite.replace();
    let saved = match format {
        Format::Png => render_report(dataset, &comparison, &options)
            .and_then(|report| save_png_atomic(&report.image, &args.out, options.dpi, replace)),
        Format::Pdf => save_pdf_report(dataset, &comparison, &options, args.ward_pages, &args.out, replace),
        Format::Svg => save_svg_report(dataset, &comparison, &options, &args.out, replace),
    };
    saved?;
    // The map is written with the groups that were found; the rows naming nothing known are the error.
    match unknown_groups {
        Some(message) => Err(message.into()),
        None => Ok(()),
    }
}
