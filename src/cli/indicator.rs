//! `indicator NAME --level lsoa|ward|la --csv`: one row per area and period with the count, the rate per 1,000
//! residents and the population (columns `area_code,area_name,period,count,rate_per_1000,population`).

use super::CliResult;
use crate::analysis::{AggregatedIndicator, IndicatorError, Level, aggregate};
use crate::model::{Dataset, Indicator, IndicatorUnit, Period};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;

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
}

impl LevelArg {
    /// The analysis level.
    pub fn level(self) -> Level {
        match self {
            Self::Lsoa => Level::Lsoa,
            Self::Ward => Level::Ward,
            Self::La => Level::La,
        }
    }
}

/// `indicator` arguments.
#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// Indicator name (see `locality-map indicators`), e.g. crime, crime-burglary
    pub name: String,
    /// Areas of the rows
    #[arg(long, value_enum, default_value_t = LevelArg::Lsoa)]
    pub level: LevelArg,
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

/// Parses `--from` / `--to`.
pub fn period_arg(text: Option<&str>, flag: &str) -> Result<Option<Period>, String> {
    text.map(|t| Period::parse(t).ok_or_else(|| format!("{flag} {t:?} is not a period (YYYY-MM or YYYY)")))
        .transpose()
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

/// The CSV text of a table, periods limited to `from..=to`.
pub fn indicator_csv(
    table: &AggregatedIndicator,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let count = table.unit == IndicatorUnit::Count;
    if count {
        writer.write_record(INDICATOR_CSV_COLUMNS)?;
    } else {
        writer.write_record(PUBLISHED_VALUE_CSV_COLUMNS)?;
    }
    for row in &table.rows {
        for (period, value) in table.periods.iter().zip(&row.values) {
            if from.is_some_and(|f| *period < f) || to.is_some_and(|t| *period > t) {
                continue;
            }
            let (code, period) = (row.code.to_string(), period.to_string());
            if count {
                let rate = row.rate_per_1000(*value).map(|r| format!("{r:.4}")).unwrap_or_default();
                let population = row.population.map(number).unwrap_or_default();
                writer.write_record([code, row.name.clone(), period, number(*value), rate, population])?;
            } else {
                writer.write_record([
                    code,
                    row.name.clone(),
                    period,
                    number(*value),
                    table.unit.label().to_string(),
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

/// Runs the command.
pub fn run(dataset: &Dataset, args: &IndicatorArgs) -> CliResult {
    let indicator = find(dataset, &args.name)?;
    let from = period_arg(args.from.as_deref(), "--from")?;
    let to = period_arg(args.to.as_deref(), "--to")?;
    let table = aggregate(dataset, indicator, args.level.level(), args.la.as_deref()).map_err(|e| e.to_string())?;
    if args.per_1000 && table.rows.iter().all(|r| r.population.is_none()) {
        return Err(format!("--per-1000: {}", table.population_source).into());
    }
    eprint!("{}", table_notes(&table, indicator));
    let csv = indicator_csv(&table, from, to).map_err(|e| e.to_string())?;
    super::print(&csv)
}
