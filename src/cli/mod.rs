//! The headless `locality-map` command line: `summary`, `changes`, `ward`, `validate`, `map`, `pack`, `html`,
//! `export`.
//! Other tools rely on these names and JSON/CSV shapes; keep them.

mod areas;
mod basemap;
mod cache;
mod editions;
mod emerging;
mod error;
mod export;
mod export_selection;
mod fetch;
mod html;
mod image_size;
mod indicator;
mod indicator_scope;
mod indicators;
mod map;
mod map_groups;
mod map_indicator;
mod output;
mod overwrite;
mod pack;
mod trend;
mod validate;

pub use error::CliError;
pub use image_size::{ImageSize, PageOutput};
pub use overwrite::Overwrite;

use crate::analysis::{AreaFilter, EditionComparison, LaSummary, LeagueTable, Reconciliation, WardProfile};
use crate::io::cache::{CacheSettings, load_dataset_cached};
use crate::io::{DataSource, LoadOptions};
use crate::model::Dataset;
use crate::project::{DataFolderStatus, open_project};
use clap::{Args, Parser, Subcommand};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Locality Map: English Indices of Deprivation by LSOA and ward, for council planners.
#[derive(Debug, Parser)]
#[command(name = "locality-map", version, about, long_about = None)]
pub struct Cli {
    /// Data folder of official IMD, boundary and lookup files [default: $LOCALITY_MAP_DATA, else the embedded Leeds default]
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Use the data folder of this Locality Map project (.lmap) when --data is not given
    #[arg(long, global = true, value_name = "FILE")]
    pub project: Option<PathBuf>,
    /// Read the project's data folder even when it lies outside the project's folder (an absolute path, or one
    /// reached through ..); without this such a folder is refused
    #[arg(long, global = true)]
    pub trust_project_data: bool,
    /// IMD edition of tables whose headers name no year (2015, 2019 or 2025)
    #[arg(long, global = true, value_name = "YEAR")]
    pub edition: Option<u16>,
    /// Neither read nor write the processed-data cache (also LOCALITY_MAP_CACHE=off); see `locality-map cache`
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Read every file in full whatever the command needs: boundaries for table commands, and both copies of a
    /// source shipped in two formats (a check that the quicker loads give the same answers)
    #[arg(long, global = true)]
    pub read_all: bool,
    /// What to do; with none, the map window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// An LA's 1% counts and transitions, decile 1 shares, priority wards and national rank.
    Summary(SummaryArgs),
    /// Every LSOA of an LA with both ranks, the change and its 1% transition (`--top1`: the council's Diagram 3).
    Changes(ChangesArgs),
    /// A ward's profile: its LSOAs, 1% and 10% counts, population, domain ranks.
    Ward(WardArgs),
    /// What was found in the data folder, and every problem joining it.
    Validate,
    /// A report-ready map PNG of an LA: legend, 1% key, scale bar, north arrow, ward labels, attribution.
    Map(Box<map::MapArgs>),
    /// A briefing pack in a folder: LA map, Diagram 3 (CSV and PNG), workbook, PDF report, GeoPackage, and per priority
    /// ward a map, profile CSV and LSOA table.
    Pack(pack::PackArgs),
    /// How the LSOAs of an edition on 2011 boundaries map onto one on 2021 boundaries (ONS lookup: U, S, M, X).
    Reconcile(ReconcileArgs),
    /// Every LA ranked by share of LSOAs in decile 1 and by LSOAs in the 1%, in two editions, with the change.
    League(LeagueArgs),
    /// A single-file interactive web map of an LA (no network needed): hover for ranks, search by code or ward.
    Html(html::HtmlArgs),
    /// An LA's data as a GeoPackage (`.gpkg`: LSOA, ward and LA layers in EPSG:27700) or a briefing workbook (`.xlsx`).
    Export(export::ExportArgs),
    /// A project's named or current selection (or every LSOA of an LA) as the window writes it: selection CSV or
    /// GeoJSON, or with --table the attribute table CSV.
    ExportSelection(export_selection::ExportSelectionArgs),
    /// MHCLG's area summary measures (average rank and score, proportion in the 10%, extent, local concentration,
    /// scale) for every LA, the wards of an LA, or a planner's groups, ranked among their peers (`--edition YEAR`).
    Areas(areas::AreasArgs),
    /// Download the official datasets of the catalogue (boundaries/sources.toml), verified, into a data folder.
    Fetch(FetchArgs),
    /// Local indicators found (police.uk crime, claimant count, tidy/wide tables): name, unit, periods, geography, rows skipped.
    Indicators(indicators::IndicatorsArgs),
    /// One indicator by LSOA, ward or LA and period, as CSV: count, rate per 1,000 residents, population.
    Indicator(indicator::IndicatorArgs),
    /// Areas whose recent count is unusually high for their own baseline (one-sided Poisson exceedance test).
    Emerging(emerging::EmergingArgs),
    /// An area's monthly series of an indicator against its LA, as the indicators window exports it: the chart PNG
    /// (`--png`) or its months as CSV (`--csv`).
    Trend(trend::TrendArgs),
    /// The processed-data cache (the prepared model saved after a load, so the next start reads one file):
    /// `status` lists its entries, `clear` removes them.
    Cache(cache::CacheArgs),
}

/// `fetch` arguments.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Data folder to fill [default: --data, else ./locality-map-data]
    #[arg(long, value_name = "DIR")]
    pub dest: Option<PathBuf>,
    /// Fetch from a mirror instead of the publishers: a base URL or a folder laid out like the data folder
    #[arg(long, value_name = "URL_OR_DIR")]
    pub mirror: Option<String>,
    /// Only these catalogue ids (repeatable); see boundaries/sources.toml
    #[arg(long, value_name = "ID")]
    pub only: Vec<String>,
    /// `--force`: replace a present file that does not match the catalogue (a good file is never downloaded again).
    #[command(flatten)]
    pub overwrite: Overwrite,
    /// Seconds without data before a download is abandoned
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Seconds a single download may take in all before it is abandoned (a server trickling data)
    #[arg(long, default_value_t = 1800)]
    pub deadline: u64,
}

/// `reconcile` arguments.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Local authority name or code [default: all of England]
    #[arg(long)]
    pub la: Option<String>,
    /// Earlier edition (2011 LSOAs)
    #[arg(long, default_value_t = 2019)]
    pub from: u16,
    /// Later edition (2021 LSOAs)
    #[arg(long, default_value_t = 2025)]
    pub to: u16,
    /// JSON, with the lookup rows behind every count
    #[arg(long)]
    pub json: bool,
}

/// `league` arguments.
#[derive(Debug, Args)]
pub struct LeagueArgs {
    /// The two editions compared.
    #[command(flatten)]
    pub editions: EditionPair,
    /// Both editions on the LA geography of this edition [default: --to's, the earlier edition recast onto it]
    #[arg(long, value_name = "YEAR")]
    pub on: Option<u16>,
    /// CSV instead of a table
    #[arg(long)]
    pub csv: bool,
    /// JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Which two editions to compare.
#[derive(Debug, Args, Clone, Copy)]
pub struct EditionPair {
    /// Earlier edition
    #[arg(long, default_value_t = 2015)]
    pub from: u16,
    /// Later edition
    #[arg(long, default_value_t = 2019)]
    pub to: u16,
}

/// `summary` arguments.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// One JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `changes` arguments.
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The LA and the two editions compared.
    #[command(flatten)]
    pub area: LaChange,
    /// Only LSOAs in the most deprived 1% in either edition
    #[arg(long)]
    pub top1: bool,
    /// CSV instead of a table
    #[arg(long)]
    pub csv: bool,
}

/// `ward` arguments.
#[derive(Debug, Args)]
pub struct WardArgs {
    /// Ward name or code
    pub ward: String,
    /// Local authority, when several wards share the name
    #[arg(long)]
    pub la: Option<String>,
    /// The two editions compared.
    #[command(flatten)]
    pub editions: EditionPair,
    /// JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// A command's outcome: its failure stays typed until `run` prints it as one sentence.
pub type CliResult = Result<(), CliError>;

/// Runs a sub-command, printing to stdout and errors to stderr.
pub fn run(cli: Cli) -> ExitCode {
    let Some(mut command) = cli.command else {
        eprintln!("locality-map: no command given; try `locality-map --help`");
        return ExitCode::from(2);
    };
    match editions::settle_editions(&mut command) {
        Ok(Some(note)) => eprintln!("locality-map: {note}"),
        Ok(None) => {}
        Err(error) => {
            eprintln!("locality-map: {error}");
            return ExitCode::from(2);
        }
    }
    if let Command::Fetch(args) = &command {
        return fetch::run(args, cli.data.as_deref());
    }
    if let Command::Cache(args) = &command {
        return cache::run(args);
    }
    let cache = crate::io::cache::CacheSettings::from_env(cli.no_cache);
    let source = match data_source(cli.data, cli.project.as_deref(), cli.trust_project_data) {
        Ok(source) => source,
        Err(message) => {
            eprintln!("locality-map: {}", crate::model::escape_text(&message.to_string()));
            return ExitCode::FAILURE;
        }
    };
    let boundaries = cli.read_all
        || matches!(
            command,
            Command::Validate
                | Command::Map(_)
                | Command::Pack(_)
                | Command::Html(_)
                | Command::Export(_)
                | Command::ExportSelection(_)
                | Command::Indicators(_)
        )
        || matches!(&command, Command::Areas(a) if a.png.is_some());
    // Indicator commands need no IMD table (File 6 only for rates, which they say when it is absent).
    let needs_imd = !matches!(
        command,
        Command::Indicators(_) | Command::Indicator(_) | Command::Emerging(_) | Command::Trend(_)
    ) && !matches!(&command, Command::Map(args) if args.indicator_layer().is_some());
    let options = LoadOptions {
        boundaries,
        // For `areas`, --edition names the edition to summarise (undated score tables are dated by their content).
        edition_hint: cli.edition.filter(|_| !matches!(command, Command::Areas(_))),
        // `validate` reads a source shipped in two formats twice and compares them; everything else reads it once.
        read_copies: cli.read_all || matches!(command, Command::Validate),
        ..LoadOptions::default()
    };
    let started = std::time::Instant::now();
    let timing = std::env::var_os("LOCALITY_MAP_TIMING").is_some();
    let result = load(&source, &options, &cache, boundaries, needs_imd)
        .inspect(|_| {
            if timing {
                eprintln!("cli: data ready in {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
            }
        })
        .inspect(|dataset| {
            if !matches!(command, Command::Validate) {
                warn_of_problems(dataset);
            }
        })
        .and_then(|dataset| match &command {
            Command::Summary(args) => summary(&dataset, args),
            Command::Changes(args) => changes(&dataset, args),
            Command::Ward(args) => ward(&dataset, args),
            Command::Validate => validate::run(&dataset),
            Command::Map(args) => map::run(&dataset, args, cli.project.as_deref()),
            Command::Reconcile(args) => reconcile(&dataset, args),
            Command::League(args) => league(&dataset, args),
            Command::Fetch(_) | Command::Cache(_) => Ok(()),
            Command::Pack(args) => pack::run(&dataset, args),
            Command::Html(args) => html::run(&dataset, args),
            Command::Export(args) => export::run(&dataset, args),
            Command::ExportSelection(args) => export_selection::run(&dataset, args, cli.project.as_deref()),
            Command::Areas(args) => areas::run(&dataset, args, cli.edition, cli.project.as_deref()),
            Command::Indicators(args) => indicators::run(&dataset, args),
            Command::Indicator(args) => indicator::run(&dataset, args, cli.project.as_deref()),
            Command::Emerging(args) => emerging::run(&dataset, args),
            Command::Trend(args) => trend::run(&dataset, args, cli.project.as_deref()),
        });
    if timing {
        eprintln!(
            "cli: load and command took {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("locality-map: {}", crate::model::escape_text(&message.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// One line on stderr when the load reported errors or warnings, each kind counted apart (notes too, so the line
/// never hides how many there are), so that no command's answer hides them. Notes alone print nothing.
fn warn_of_problems(dataset: &Dataset) {
    let report = &dataset.report;
    if report.count_at_least(crate::model::Severity::Warning) > 0
        && let Some(counts) = report.counts_in_words()
    {
        eprintln!("locality-map: {counts} in the data: run validate to see them, worst first");
    }
}

/// `--data`, else the data folder of `--project` (checked: a folder outside the project's folder needs
/// `--trust-project-data`), else `$LOCALITY_MAP_DATA` or the embedded default.
fn data_source(data: Option<PathBuf>, project: Option<&std::path::Path>, trust: bool) -> Result<DataSource, CliError> {
    let Some(project) = project.filter(|_| data.is_none()) else {
        return Ok(DataSource::from_args(data));
    };
    let opened = open_project(project)?;
    match opened.data {
        DataFolderStatus::Embedded => Ok(DataSource::Embedded),
        DataFolderStatus::Ready(folder) => Ok(DataSource::Folder(folder)),
        DataFolderStatus::Missing(folder) => Err(CliError::Message(format!(
            "the project's data folder {} is missing; give the data with --data DIR",
            crate::model::escape_path(&folder)
        ))),
        DataFolderStatus::NeedsConfirmation { path, .. } if trust => Ok(DataSource::Folder(path)),
        DataFolderStatus::NeedsConfirmation { reason, .. } => Err(CliError::Message(format!(
            "{reason}, so it is not read without --trust-project-data (or give the data with --data DIR)"
        ))),
    }
}

/// Loads the data; tables-only commands read boundaries only when no ward lookup is loaded (wards then come from polygons).
fn load(
    source: &DataSource,
    options: &LoadOptions,
    cache: &CacheSettings,
    boundaries: bool,
    needs_imd: bool,
) -> Result<Dataset, CliError> {
    let dataset = load_cached(source, options, cache)?;
    if needs_imd && let Some(reason) = dataset.unusable_reason() {
        return Err(CliError::Message(reason));
    }
    if !needs_imd && dataset.indicators.by_name.is_empty() {
        let first_error = dataset
            .report
            .problems
            .iter()
            .find(|p| p.severity == crate::model::Severity::Error);
        return Err(CliError::Message(match first_error {
            Some(problem) => format!(
                "no local indicator could be loaded from {}; first problem: {problem}",
                dataset.source_label
            ),
            None => format!(
                "no local indicator (police.uk street-level CSV, tidy or wide table of area codes by period) was found in {}",
                dataset.source_label
            ),
        }));
    }
    if !boundaries && needs_imd && dataset.ward_lookups.is_empty() {
        return load_cached(
            source,
            &LoadOptions {
                boundaries: true,
                ..options.clone()
            },
            cache,
        );
    }
    Ok(dataset)
}

/// A load through the processed-data cache; its note (an entry ignored and rebuilt, or not saved), if any, is one
/// line on stderr, so that stdout is the same with or without the cache.
fn load_cached(source: &DataSource, options: &LoadOptions, cache: &CacheSettings) -> Result<Dataset, CliError> {
    let (dataset, outcome) = load_dataset_cached(source, options, cache)?;
    if let Some(note) = outcome.note() {
        eprintln!("locality-map: note: {}", crate::model::escape_text(&note));
    }
    Ok(dataset)
}

/// `--la`, `--from` and `--to`: which LA's change between which two editions (every command that compares one).
#[derive(Debug, Args)]
pub struct LaChange {
    /// Local authority name or code, or `all` for England
    #[arg(long, default_value = "Leeds")]
    pub la: String,
    /// The two editions compared.
    #[command(flatten)]
    pub editions: EditionPair,
}

impl LaChange {
    /// The comparison the command asks for, or its one-sentence error.
    fn compare(&self, dataset: &Dataset) -> Result<EditionComparison, CliError> {
        let EditionPair { from, to } = self.editions;
        Ok(EditionComparison::new(dataset, &AreaFilter::parse(&self.la), from, to)?)
    }
}

fn summary(dataset: &Dataset, args: &SummaryArgs) -> CliResult {
    let comparison = args.area.compare(dataset)?;
    let summary = LaSummary::new(dataset, &comparison)?;
    let text = if args.json {
        output::summary_json(&summary, dataset)
    } else {
        output::summary_text(&summary, dataset)
    };
    print(&text)
}

fn changes(dataset: &Dataset, args: &ChangesArgs) -> CliResult {
    let comparison = args.area.compare(dataset)?;
    let rows: Vec<_> = if args.top1 {
        comparison.top1_rows().collect()
    } else {
        comparison.rows.iter().collect()
    };
    let text = if args.csv {
        output::changes_csv(&rows, (comparison.from, comparison.to), false)?
    } else {
        output::changes_text(&comparison, &rows)
    };
    print(&text)
}

fn reconcile(dataset: &Dataset, args: &ReconcileArgs) -> CliResult {
    let area = args.la.as_deref().map_or(AreaFilter::England, AreaFilter::parse);
    let report = Reconciliation::new(dataset, &area, args.from, args.to)?;
    print(&if args.json {
        output::to_json(&report)
    } else {
        report.text()
    })
}

fn league(dataset: &Dataset, args: &LeagueArgs) -> CliResult {
    let (from, to) = (args.editions.from, args.editions.to);
    let table = LeagueTable::on(dataset, from, to, args.on.unwrap_or(to))?;
    let text = if args.csv {
        eprintln!("locality-map: both editions on the {}", table.geography);
        for note in &table.notes {
            eprintln!("locality-map: note: {note}");
        }
        table.csv()?
    } else if args.json {
        output::to_json(&table)
    } else {
        output::league_text(&table)
    };
    print(&text)
}

fn ward(dataset: &Dataset, args: &WardArgs) -> CliResult {
    let profile = WardProfile::new(
        dataset,
        &args.ward,
        args.la.as_deref(),
        args.editions.from,
        args.editions.to,
    )?;
    let text = if args.json {
        output::to_json(&profile)
    } else {
        output::ward_text(&profile)
    };
    print(&text)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(e)),
        _ => Ok(()),
    }
}
