//! `trend NAME --area CODE_OR_NAME (--png FILE | --csv FILE)`: the trend chart or table the indicators window
//! exports — the area's monthly series against its LA's — through the same export code (same page, furniture and
//! BOM-prefixed CSV), saved atomically under the `--force` rule of every writer.

use super::indicator::{LevelArg, find, period_arg};
use super::{CliResult, Overwrite};
use crate::analysis::place_search::{did_you_mean, similar_names};
use crate::analysis::{AggregatedIndicator, AreaSeries, Level, aggregate};
use crate::export::{CivilDate, TrendExport, save_trend_csv, save_trend_png};
use crate::model::{Dataset, Period};
use clap::{ArgGroup, Args};
use std::path::PathBuf;

/// `trend` arguments.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("output").required(true).args(["png", "csv"])))]
pub struct TrendArgs {
    /// Indicator name (see `locality-map indicators`), e.g. crime, claimant-count
    pub name: String,
    /// The area charted: an ONS code or a name (LSOA, ward or LA)
    #[arg(long, value_name = "CODE_OR_NAME")]
    pub area: String,
    /// Level of the area [default: the first of lsoa, ward, la that has it]
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Only areas in this local authority (name or code)
    #[arg(long)]
    pub la: Option<String>,
    /// First period (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<String>,
    /// Last period (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<String>,
    /// Insist on rates per 1,000 residents: fail when no population denominators are loaded
    #[arg(long)]
    pub per_1000: bool,
    /// Write the chart PNG (2339 × 1654 px, 200 dpi) here
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// Write the months as CSV (UTF-8 with BOM) here
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// `--force`: replace an existing output file.
    #[command(flatten)]
    pub overwrite: Overwrite,
}

/// The area in `table` whose code or name is `query` (case-insensitive).
fn lookup<'a>(table: &'a AggregatedIndicator, query: &str) -> Option<&'a AreaSeries> {
    let q = query.trim();
    table
        .rows
        .iter()
        .find(|r| r.code.to_string().eq_ignore_ascii_case(q))
        .or_else(|| table.rows.iter().find(|r| r.name.eq_ignore_ascii_case(q)))
}

/// Keeps the periods from `from` to `to` (inclusive) and the values that go with them.
fn clip(periods: &[Period], series: &AreaSeries, from: Option<Period>, to: Option<Period>) -> AreaSeries {
    let mut out = series.clone();
    out.values = periods
        .iter()
        .zip(&series.values)
        .filter(|(p, _)| from.is_none_or(|f| **p >= f) && to.is_none_or(|t| **p <= t))
        .map(|(_, v)| *v)
        .collect();
    out
}

/// Writes the trend file asked for.
pub fn run(dataset: &Dataset, args: &TrendArgs) -> CliResult {
    let out = args
        .png
        .as_ref()
        .or(args.csv.as_ref())
        .ok_or("give --png FILE or --csv FILE")?;
    args.overwrite.check(out)?;
    let indicator = find(dataset, &args.name)?;
    let from = period_arg(args.from.as_deref(), "--from")?;
    let to = period_arg(args.to.as_deref(), "--to")?;
    let levels = match args.level {
        Some(level) => vec![level.level()],
        None => vec![Level::Lsoa, Level::Ward, Level::La],
    };
    let mut tables = Vec::new();
    for level in levels.iter().copied() {
        match aggregate(dataset, indicator, level, args.la.as_deref()) {
            Ok(t) => tables.push(t),
            Err(e) if args.level.is_some() => return Err(e.to_string().into()),
            Err(_) => {}
        }
    }
    let Some((table, area)) = tables.iter().find_map(|t| lookup(t, &args.area).map(|a| (t, a))) else {
        let names: Vec<&str> = tables
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| r.name.as_str()))
            .collect();
        let hint: Vec<String> = similar_names(&args.area, names, 5)
            .into_iter()
            .map(String::from)
            .collect();
        return Err(format!(
            "no area {:?} in {}{}",
            args.area,
            indicator.name,
            did_you_mean("; ", &hint)
        )
        .into());
    };
    if args.per_1000 && area.population.is_none() {
        return Err(format!("--per-1000: {}", table.population_source).into());
    }
    // Its LA, as the window draws it beside the area (the LA table of the same indicator).
    let la = aggregate(dataset, indicator, Level::La, None)
        .ok()
        .and_then(|las| las.rows.iter().find(|r| Some(r.code) == area.la_code).cloned());
    let periods: Vec<Period> = table
        .periods
        .iter()
        .copied()
        .filter(|p| from.is_none_or(|f| *p >= f) && to.is_none_or(|t| *p <= t))
        .collect();
    if periods.is_empty() {
        return Err(format!(
            "{} has no periods in the range asked (it covers {})",
            indicator.name,
            indicator.period_span()
        )
        .into());
    }
    let area = clip(&table.periods, area, from, to);
    let la = la.map(|l| clip(&table.periods, &l, from, to));
    let source = table
        .attribution
        .clone()
        .unwrap_or_else(|| crate::export::UNKNOWN_TREND_SOURCE.into());
    let trend = TrendExport {
        indicator: &indicator.name,
        source: &source,
        periods: &periods,
        area: &area,
        la: la.as_ref(),
    };
    let replace = args.overwrite.replace();
    if let Some(png) = &args.png {
        save_trend_png(png, &trend, CivilDate::today(), replace)?;
    }
    if let Some(csv) = &args.csv {
        save_trend_csv(csv, &trend, replace)?;
    }
    eprintln!(
        "{}: {} against {} ({} periods) -> {}",
        indicator.name,
        area.name,
        la.as_ref().map_or("its LA (not placed)", |l| l.name.as_str()),
        periods.len(),
        out.display()
    );
    Ok(())
}
