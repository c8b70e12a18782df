//! `areas`: MHCLG's area summary measures (average rank, average score, proportion in the most deprived 10%, extent,
//! local concentration, scale) for every LA, the wards of an LA, or a planner's groups, each ranked among its peers.

use super::CliResult;
use crate::analysis::{
    AreaLevel, AreaMembers, AreaSummary, AreaSummaryTable, LaGeography, SummaryMeasure, format_half_up,
    groups_from_selections, resolve_groups, wards_of_la,
};
use crate::export::{AreaMapGeometry, AreaMapOptions, render_area_map, save_png_atomic};
use crate::io::read_group_file;
use crate::model::{Dataset, Index};
use crate::project::open_project;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The CSV columns, in this order; other tools rely on them.
pub const AREAS_CSV_COLUMNS: [&str; 17] = [
    "area_code",
    "area_name",
    "lsoas",
    "population",
    "average_rank",
    "rank_of_average_rank",
    "average_score",
    "rank_of_average_score",
    "proportion_most_deprived_10pct",
    "rank_of_proportion",
    "extent",
    "rank_of_extent",
    "local_concentration",
    "rank_of_local_concentration",
    "scale",
    "rank_of_scale",
    "peers",
];

/// `--index`: the names typed, and the index each stands for.
pub(super) const INDEX_NAMES: [(&str, Index); 10] = [
    ("imd", Index::Imd),
    ("income", Index::Income),
    ("employment", Index::Employment),
    ("education", Index::Education),
    ("health", Index::Health),
    ("crime", Index::Crime),
    ("barriers", Index::Housing),
    ("living", Index::LivingEnvironment),
    ("idaci", Index::Idaci),
    ("idaopi", Index::Idaopi),
];

/// `--measure`: the names typed, and the measure each stands for.
pub(super) const MEASURE_NAMES: [(&str, SummaryMeasure); 6] = [
    ("average-rank", SummaryMeasure::AverageRank),
    ("average-score", SummaryMeasure::AverageScore),
    ("proportion", SummaryMeasure::Proportion),
    ("extent", SummaryMeasure::Extent),
    ("local-concentration", SummaryMeasure::LocalConcentration),
    ("scale", SummaryMeasure::Scale),
];

/// A parser of the names of `table` (each listed in `--help` with its label) into what each stands for.
pub(super) fn named<T: Copy + Send + Sync + 'static>(
    table: &'static [(&'static str, T)],
    label: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        table
            .iter()
            .map(|(name, value)| PossibleValue::new(*name).help(label(*value))),
    )
    .try_map(move |typed| {
        table
            .iter()
            .find(|(name, _)| *name == typed)
            .map(|(_, value)| *value)
            .ok_or_else(|| format!("{typed:?} is not one of the choices"))
    })
}

/// Which areas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// Every local authority district of the edition.
    La,
    /// The wards of `--la`.
    Ward,
    /// The groups of `--groups FILE` (or the project's named selections).
    Group,
}

/// `areas` arguments. The edition is the global `--edition YEAR`.
#[derive(Debug, Args)]
pub struct AreasArgs {
    /// Index to summarise
    #[arg(long, value_parser = named(&INDEX_NAMES, Index::label), default_value = "imd")]
    pub index: Index,
    /// LAs, the wards of --la, or the groups of --groups
    #[arg(long, value_enum, default_value = "la")]
    pub level: LevelArg,
    /// Local authority (name or code): whose wards, or within which a grouping file's ward names are matched
    #[arg(long)]
    pub la: Option<String>,
    /// Grouping file: a CSV with ward_code, ward_name or lsoa_code, then group
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// Summarise on the LA geography of this edition (e.g. IMD 2015 on the 2019 LAs) [default: the edition's own]
    #[arg(long, value_name = "YEAR")]
    pub on: Option<u16>,
    /// CSV with the columns area_code … peers (notes on stderr)
    #[arg(long)]
    pub csv: bool,
    /// JSON with the edition, geography, population source and notes
    #[arg(long)]
    pub json: bool,
    /// Also write a map of the areas filled by their rank on --measure, outlines dissolved from their LSOAs (PNG)
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// The measure the map is filled by [default: average-score where the edition's scores are loaded, else
    /// average-rank where its populations are, else proportion]
    #[arg(long, value_parser = named(&MEASURE_NAMES, SummaryMeasure::label), requires = "png")]
    pub measure: Option<SummaryMeasure>,
    #[command(flatten)]
    pub overwrite: super::Overwrite,
}

/// Runs `areas`. `edition` is the global `--edition`; `project` the global `--project` (its named selections are
/// the groups when no `--groups` file is given).
pub fn run(dataset: &Dataset, args: &AreasArgs, edition: Option<u16>, project: Option<&Path>) -> CliResult {
    let year = edition
        .or_else(|| dataset.editions.keys().copied().find(|y| *y == 2019))
        .or_else(|| dataset.editions.keys().next_back().copied())
        .ok_or("no IMD edition is loaded")?;
    let index = args.index;
    let mut partial_error = None;
    let mut members: Option<Vec<AreaMembers>> = None;
    let table = match args.level {
        LevelArg::La => {
            if args.png.is_some() {
                let on = args.on.unwrap_or(year);
                members = Some(LaGeography::new(dataset, year, on).map_err(|e| e.to_string())?.areas());
            }
            AreaSummaryTable::las(dataset, year, index, args.on)
        }
        LevelArg::Ward => {
            let la = args.la.as_deref().ok_or("--level ward needs --la NAME (whose wards)")?;
            if args.png.is_some() {
                let summarised = dataset
                    .edition(year)
                    .ok_or_else(|| format!("IMD {year} is not loaded"))?;
                let (code, _) =
                    crate::analysis::comparison::find_la(dataset, la, [year, year]).map_err(|e| e.to_string())?;
                members = Some(wards_of_la(dataset, summarised, &code));
            }
            AreaSummaryTable::wards(dataset, year, index, la)
        }
        LevelArg::Group => {
            let summarised = dataset
                .edition(year)
                .ok_or_else(|| format!("IMD {year} is not loaded"))?;
            let la = match args.la.as_deref() {
                Some(name) => Some(
                    crate::analysis::comparison::find_la(dataset, name, [year, year])
                        .map_err(|e| e.to_string())?
                        .0,
                ),
                None => None,
            };
            let (groups, described) = match (&args.groups, project) {
                (Some(path), _) => {
                    let file = read_group_file(path).map_err(|e| e.to_string())?;
                    let resolved = resolve_groups(dataset, summarised, la.as_ref(), &file);
                    partial_error = resolved.unknown_error(&file);
                    let file_name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    (resolved.groups, format!("groups of {file_name}"))
                }
                (None, Some(project)) => {
                    let opened = open_project(project).map_err(|e| e.to_string())?;
                    let groups = groups_from_selections(&opened.project.named_selections);
                    (groups, format!("named selections of {}", project.display()))
                }
                (None, None) => {
                    return Err("--level group needs --groups FILE (or --project with named selections)".into());
                }
            };
            let table = AreaSummaryTable::groups(dataset, year, index, &groups, &described);
            members = Some(groups);
            table
        }
    }
    .map_err(|e| e.to_string())?;
    if let (Some(path), Some(members)) = (&args.png, &members) {
        let measure = args.measure.unwrap_or_else(|| table.default_map_measure());
        write_map(dataset, &table, members, measure, path, args.overwrite)?;
    }
    let text = if args.csv {
        eprintln!("locality-map: {}", table.provenance());
        for note in &table.notes {
            eprintln!("locality-map: note: {note}");
        }
        areas_csv(&table).map_err(|e| e.to_string())?
    } else if args.json {
        areas_json(&table)
    } else {
        areas_text(&table)
    };
    super::print(&text)?;
    match partial_error {
        Some(message) => Err(message.into()),
        None => Ok(()),
    }
}

/// Writes the map of the areas (A4 landscape at 150 dpi) filled by their rank on `measure`.
fn write_map(
    dataset: &Dataset,
    table: &AreaSummaryTable,
    members: &[AreaMembers],
    measure: SummaryMeasure,
    path: &Path,
    overwrite: super::Overwrite,
) -> CliResult {
    overwrite.check(path)?;
    let vintage = dataset
        .edition(table.edition)
        .map(|e| e.vintage)
        .ok_or("edition not loaded")?;
    let layer = dataset
        .lsoa_layers
        .get(&vintage)
        .ok_or_else(|| format!("no {vintage} boundaries are loaded, so the areas cannot be mapped"))?;
    let geometry = AreaMapGeometry::build(layer, vintage, members);
    let dpi = 150.0;
    let options = AreaMapOptions {
        width_px: 1754,
        height_px: 1240,
        px_per_pt: dpi / 72.0,
        title: format!(
            "{} by {} — {}",
            table.geography,
            measure.label().to_lowercase(),
            table.index.label()
        ),
        year: crate::export::CivilDate::today().year,
        labels: true,
    };
    let pixmap = render_area_map(&geometry, table, measure, &options).map_err(|e| e.to_string())?;
    save_png_atomic(&pixmap, path, dpi, overwrite.replace())?;
    eprintln!("locality-map: wrote {}", path.display());
    Ok(())
}

/// A measure's cell as MHCLG publishes it, or empty.
fn cell(measure: SummaryMeasure, value: Option<f64>, index: Index) -> String {
    value.map(|v| measure.format(v, index)).unwrap_or_default()
}

/// The table as CSV, columns [`AREAS_CSV_COLUMNS`]; empty cells where an input is missing.
pub fn areas_csv(table: &AreaSummaryTable) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(AREAS_CSV_COLUMNS)?;
    let rank = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_default();
    for row in &table.rows {
        let mut record = vec![
            row.area_code.clone(),
            row.area_name.clone(),
            row.lsoas.to_string(),
            row.population.map(|p| format_half_up(p, 0)).unwrap_or_default(),
        ];
        for measure in SummaryMeasure::ALL {
            let (value, position) = measure.of(row);
            record.push(cell(measure, value, table.index));
            record.push(rank(position));
        }
        record.push(row.peers.to_string());
        // Names come from planners' files: one that starts like a formula gets a leading `'` (OWASP).
        writer.write_record(record.iter().map(|cell| crate::model::csv_safe_cell(cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The table as JSON: full-precision values, and the edition, geography, population source and notes.
pub fn areas_json(table: &AreaSummaryTable) -> String {
    #[derive(Serialize)]
    struct WithProvenance<'a> {
        #[serde(flatten)]
        table: &'a AreaSummaryTable,
        index_name: &'static str,
        statement: String,
    }
    super::output::to_json(&WithProvenance {
        table,
        index_name: table.index.label(),
        statement: table.provenance(),
    })
}

/// The table as text, most deprived on average score first (else on average rank, else on the proportion).
pub fn areas_text(table: &AreaSummaryTable) -> String {
    let mut out = String::new();
    let level = match table.level {
        AreaLevel::La => "Local authorities",
        AreaLevel::Ward => "Wards",
        AreaLevel::Group => "Groups",
    };
    let _ = writeln!(out, "{level}: {}\n", table.provenance());
    let _ = writeln!(
        out,
        "{:<36} {:>5} {:>10} {:>5} {:>8} {:>5} {:>7} {:>5} {:>7} {:>5} {:>9} {:>5} {:>9} {:>5}",
        "Area",
        "LSOAs",
        "Avg rank",
        "Rank",
        "Avg scr",
        "Rank",
        "Prop10",
        "Rank",
        "Extent",
        "Rank",
        "Local c.",
        "Rank",
        "Scale",
        "Rank"
    );
    let mut rows: Vec<&AreaSummary> = table.rows.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.rank_of_average_score
                .or(r.rank_of_average_rank)
                .or(r.rank_of_proportion)
                .unwrap_or(u32::MAX),
            r.area_code.clone(),
        )
    });
    for row in rows {
        let mut line = format!("{:<36} {:>5}", truncate(&row.area_name, 36), row.lsoas);
        for measure in SummaryMeasure::ALL {
            let (value, position) = measure.of(row);
            let width = match measure {
                SummaryMeasure::AverageRank => 10,
                SummaryMeasure::LocalConcentration | SummaryMeasure::Scale => 9,
                SummaryMeasure::AverageScore => 8,
                _ => 7,
            };
            let _ = write!(
                line,
                " {:>width$} {:>5}",
                cell(measure, value, table.index),
                position.map(|p| p.to_string()).unwrap_or_default()
            );
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "\n{} areas ranked (1 = most deprived; ties share the lowest rank).",
        table.rows.first().map_or(0, |r| r.peers)
    );
    for note in &table.notes {
        let _ = writeln!(out, "Note: {note}.");
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}
