//! `indicator NAME --level lsoa|ward|la --csv`: one row per area and period with the count, the rate per 1,000
//! residents and the population (columns `area_code,area_name,period,count,rate_per_1000,population`); `--level
//! group` sums the LSOAs of the planner's groups (`--groups FILE` or the named selections of `--project`).

use super::CliResult;
use super::indicator_scope::groups_of_indicator;
pub use super::indicator_scope::{IndicatorScope, PeriodRange, period_arg};
use crate::analysis::{AggregatedIndicator, AreaSeries, IndicatorError, Level, aggregate};
use crate::model::{Dataset, Indicator, IndicatorUnit, Period};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::Path;

pub use crate::export::INDICATOR_CSV_COLUMNS;

/// The CSV columns of a rate or percentage indicator (never summed, never re-based).
pub const PUBLISHED_VALUE_CSV_COLUMNS: [&str; 5] = ["area_code", "area_name", "period", "value", "unit"];

/// `--level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// LSOAs
    Lsoa,
    /// Wards
    Ward,
    /// Local authorities
    La,
    /// The planner's groups: `--groups FILE` or the named selections of `--project` (`indicator` and `trend`)
    Group,
}

impl LevelArg {
    /// The analysis level; the planner's groups are not one (only `indicator` and `trend` sum to them).
    pub fn level(self) -> Result<Level, String> {
        match self {
            Self::Lsoa => Ok(Level::Lsoa),
            Self::Ward => Ok(Level::Ward),
            Self::La => Ok(Level::La),
            Self::Group => Err("--level group is for `indicator` and `trend` (with --groups FILE or --project)".into()),
        }
    }
}

/// `indicator` arguments.
#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// Indicator name (see `locality-map indicators`), e.g. crime, crime-burglary
    pub name: String,
    /// Areas of the rows (group: --groups FILE, or the named selections of --project)
    #[arg(long, value_enum, default_value_t = LevelArg::Lsoa)]
    pub level: LevelArg,
    /// `--la`, `--from`, `--to`, `--per-1000`, `--groups`.
    #[command(flatten)]
    pub scope: IndicatorScope,
    /// CSV (the only output form)
    #[arg(long)]
    pub csv: bool,
}

/// Finds an indicator by name, or says which are loaded.
pub fn find<'a>(dataset: &'a Dataset, name: &str) -> Result<&'a Indicator, String> {
    dataset.indicators.find(name).ok_or_else(|| {
        IndicatorError::NotFound {
            name: name.into(),
            loaded: {
                let names = dataset.indicators.names();
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            },
        }
        .to_string()
    })
}

fn number(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.4}")
    }
}

/// The CSV text of a table, periods limited to `range`.
pub fn indicator_csv(table: &AggregatedIndicator, range: PeriodRange) -> Result<String, csv::Error> {
    let rows = table.rows.iter().map(|row| (row.code.to_string(), row));
    rows_csv(table.unit, &table.periods, rows, range)
}

/// The CSV text of rows labelled by code (an ONS code, or a group's name), periods limited to `range`: counts with
/// their rate and population ([`INDICATOR_CSV_COLUMNS`]), published values with their unit.
pub fn rows_csv<'a>(
    unit: IndicatorUnit,
    periods: &[Period],
    rows: impl Iterator<Item = (String, &'a AreaSeries)>,
    range: PeriodRange,
) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let count = unit == IndicatorUnit::Count;
    if count {
        writer.write_record(INDICATOR_CSV_COLUMNS)?;
    } else {
        writer.write_record(PUBLISHED_VALUE_CSV_COLUMNS)?;
    }
    for (code, row) in rows {
        for (period, value) in periods.iter().zip(&row.values) {
            if !range.contains(*period) {
                continue;
            }
            let period = period.to_string();
            if count {
                let rate = row.rate_per_1000(*value).map(|r| format!("{r:.4}")).unwrap_or_default();
                let population = row.population.map(number).unwrap_or_default();
                writer.write_record([code.clone(), row.name.clone(), period, number(*value), rate, population])?;
            } else {
                writer.write_record([
                    code.clone(),
                    row.name.clone(),
                    period,
                    number(*value),
                    unit.label().to_string(),
                ])?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What stderr says beside the CSV: denominator, rows on no area, areas not placed, attribution.
pub fn table_notes(table: &AggregatedIndicator, indicator: &Indicator) -> String {
    let mut text = String::new();
    writeln!(
        text,
        "{}: {} ({}), {} rows of {:?} areas",
        indicator.name,
        indicator.title,
        indicator.level,
        table.rows.len(),
        table.level
    )
    .ok();
    writeln!(text, "population (rate denominator): {}", table.population_source).ok();
    if !table.without_area.is_empty() {
        let by: Vec<String> = table.without_area.iter().map(|(p, n)| format!("{p} {n}")).collect();
        writeln!(
            text,
            "rows with no LSOA or location (in no area row): {}",
            by.join(", ")
        )
        .ok();
    }
    if !table.unplaced.is_empty() {
        let codes: Vec<String> = table.unplaced.iter().take(10).map(ToString::to_string).collect();
        writeln!(
            text,
            "{} areas could not be placed in a {:?} (no lookup row): {}{}",
            table.unplaced.len(),
            table.level,
            codes.join(", "),
            if table.unplaced.len() > 10 { ", …" } else { "" }
        )
        .ok();
    }
    for note in indicator.notes.iter().filter(|n| !n.starts_with("rows with no LSOA")) {
        writeln!(text, "note: {note}").ok();
    }
    if let Some(a) = &table.attribution {
        writeln!(text, "{a}").ok();
    }
    text
}

/// Runs the command; `project` is the global `--project` (its named selections are the groups of `--level group`
/// when no `--groups` file is given).
pub fn run(dataset: &Dataset, args: &IndicatorArgs, project: Option<&Path>) -> CliResult {
    let indicator = find(dataset, &args.name)?;
    let range = args.scope.range()?;
    if args.level == LevelArg::Group {
        return run_groups(dataset, indicator, args, range, project);
    }
    if args.scope.groups.is_some() {
        return Err("--groups needs --level group".into());
    }
    let table =
        aggregate(dataset, indicator, args.level.level()?, args.scope.la.as_deref()).map_err(|e| e.to_string())?;
    if args.scope.per_1000 && table.rows.iter().all(|r| r.population.is_none()) {
        return Err(format!("--per-1000: {}", table.population_source).into());
    }
    eprint!("{}", table_notes(&table, indicator));
    let csv = indicator_csv(&table, range).map_err(|e| e.to_string())?;
    super::print(&csv)
}

/// `--level group`: one row per group and period (`area_code` and `area_name` are the group's name); a grouping
/// file's unknown wards or LSOAs are the named error, after the other groups are printed.
fn run_groups(
    dataset: &Dataset,
    indicator: &Indicator,
    args: &IndicatorArgs,
    range: PeriodRange,
    project: Option<&Path>,
) -> CliResult {
    let found = groups_of_indicator(dataset, indicator, &args.scope, project)?;
    if args.scope.per_1000 && found.groups.iter().all(|g| g.series.population.is_none()) {
        return Err(format!("--per-1000: {}", found.lsoas.population_source).into());
    }
    let mut notes = table_notes(&found.lsoas, indicator);
    writeln!(
        notes,
        "summed to {} {}: counts and populations of their LSOAs added, rates re-derived from the sums",
        found.groups.len(),
        found.described
    )
    .ok();
    for note in &found.notes {
        writeln!(notes, "note: {note}").ok();
    }
    eprint!("{notes}");
    let rows = found.groups.iter().map(|g| (g.name.clone(), &g.series));
    let csv = rows_csv(found.lsoas.unit, &found.lsoas.periods, rows, range).map_err(|e| e.to_string())?;
    super::print(&csv)?;
    match found.unknown {
        Some(message) => Err(message.into()),
        None => Ok(()),
    }
}
