//! `trend NAME --area CODE_OR_NAME (--png FILE | --csv FILE)`: the trend chart or table the indicators window
//! exports — the area's monthly series against its LA's — through the same export code (same page, furniture and
//! BOM-prefixed CSV), saved atomically under the `--force` rule of every writer. `--level group` charts one of the
//! planner's groups (`--groups FILE` or the named selections of `--project`), its counts summed over its LSOAs.

use super::indicator::{IndicatorScope, LevelArg, PeriodRange, find};
use super::indicator_scope::groups_of_indicator;
use super::{CliResult, Overwrite};
use crate::analysis::place_search::{did_you_mean, similar_names};
use crate::analysis::{AggregatedIndicator, AreaSeries, Level, aggregate};
use crate::export::{CivilDate, TrendExport, save_trend_csv, save_trend_png};
use crate::model::{Dataset, Indicator, Period};
use clap::{ArgGroup, Args};
use std::path::{Path, PathBuf};

/// `trend` arguments.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("output").required(true).args(["png", "csv"])))]
pub struct TrendArgs {
    /// Indicator name (see `locality-map indicators`), e.g. crime, claimant-count
    pub name: String,
    /// The area charted: an ONS code or a name (LSOA, ward or LA), or a group's name with --level group
    #[arg(long, value_name = "CODE_OR_NAME")]
    pub area: String,
    /// Level of the area [default: the first of lsoa, ward, la that has it]; group: --groups FILE or the named
    /// selections of --project
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// `--la`, `--from`, `--to`, `--per-1000`, `--groups`.
    #[command(flatten)]
    pub scope: IndicatorScope,
    /// Write the chart PNG (2339 × 1654 px, 200 dpi) here (or --csv: one file per run)
    #[arg(long, value_name = "FILE", conflicts_with = "csv")]
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

/// Keeps the values of the periods in `range`.
fn clip(periods: &[Period], series: &AreaSeries, range: PeriodRange) -> AreaSeries {
    let mut out = series.clone();
    out.values = periods
        .iter()
        .zip(&series.values)
        .filter(|(p, _)| range.contains(**p))
        .map(|(_, v)| *v)
        .collect();
    out
}

/// The "did you mean" error for an area not found among `names`.
fn no_area<'a>(query: &str, indicator: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let hint: Vec<String> = similar_names(query, names, 5).into_iter().map(String::from).collect();
    format!("no area {query:?} in {indicator}{}", did_you_mean("; ", &hint))
}

/// The area charted and the tables it was found in: (the table, the area, the indicator's LA table if made).
type Found = (AggregatedIndicator, AreaSeries, Option<AggregatedIndicator>);

/// A planner's group (`--level group`), summed from the LSOA table.
fn find_group(
    dataset: &Dataset,
    indicator: &Indicator,
    args: &TrendArgs,
    project: Option<&Path>,
) -> Result<Found, String> {
    let found = groups_of_indicator(dataset, indicator, &args.scope, project)?;
    if let Some(unknown) = &found.unknown {
        eprintln!("locality-map: {unknown}");
    }
    let query = args.area.trim();
    let Some(group) = found.groups.iter().find(|g| g.name.eq_ignore_ascii_case(query)) else {
        return Err(no_area(
            query,
            &indicator.name,
            found.groups.iter().map(|g| g.name.as_str()),
        ));
    };
    for note in found
        .notes
        .iter()
        .filter(|n| n.starts_with(&format!("{}:", group.name)))
    {
        eprintln!("note: {note}");
    }
    let series = group.series.clone();
    Ok((found.lsoas, series, None))
}

/// An LSOA, ward or LA: the first level (or the one asked) whose table has it.
fn find_area(dataset: &Dataset, indicator: &Indicator, args: &TrendArgs) -> Result<Found, String> {
    let levels = match args.level {
        Some(level) => vec![level.level()?],
        None => vec![Level::Lsoa, Level::Ward, Level::La],
    };
    let mut tables = Vec::new();
    for level in levels.iter().copied() {
        match aggregate(dataset, indicator, level, args.scope.la.as_deref()) {
            Ok(t) => tables.push(t),
            Err(e) if args.level.is_some() => return Err(e.to_string()),
            Err(_) => {}
        }
    }
    let found = tables
        .iter()
        .enumerate()
        .find_map(|(i, t)| lookup(t, &args.area).map(|a| (i, a.clone())));
    let Some((index, area)) = found else {
        let names = tables.iter().flat_map(|t| t.rows.iter().map(|r| r.name.as_str()));
        return Err(no_area(&args.area, &indicator.name, names));
    };
    // The LA table made above (when no --level was given) is the one its LA is drawn from.
    let la_table = tables
        .iter()
        .position(|t| t.level == Level::La)
        .map(|i| tables[i].clone());
    let table = tables.swap_remove(index);
    Ok((table, area, la_table))
}

/// Writes the trend file asked for; `project` is the global `--project` (its named selections are the groups of
/// `--level group` when no `--groups` file is given).
pub fn run(dataset: &Dataset, args: &TrendArgs, project: Option<&Path>) -> CliResult {
    let out = args
        .png
        .as_ref()
        .or(args.csv.as_ref())
        .ok_or("give --png FILE or --csv FILE")?;
    args.overwrite.check(out)?;
    let indicator = find(dataset, &args.name)?;
    let range = args.scope.range()?;
    let (table, area, la_table) = if args.level == Some(LevelArg::Group) {
        find_group(dataset, indicator, args, project)?
    } else if args.scope.groups.is_some() {
        return Err("--groups needs --level group".into());
    } else {
        find_area(dataset, indicator, args)?
    };
    if args.scope.per_1000 && area.population.is_none() {
        return Err(format!("--per-1000: {}", table.population_source).into());
    }
    // Its LA, as the window draws it beside the area (the LA table of the same indicator).
    let la_table = match la_table {
        Some(t) => Some(t),
        None => aggregate(dataset, indicator, Level::La, None).ok(),
    };
    let la = la_table.and_then(|las| las.rows.into_iter().find(|r| Some(r.code) == area.la_code));
    let periods: Vec<Period> = table.periods.iter().copied().filter(|p| range.contains(*p)).collect();
    if periods.is_empty() {
        return Err(format!(
            "{} has no periods in the range asked (it covers {})",
            indicator.name,
            indicator.period_span()
        )
        .into());
    }
    let area = clip(&table.periods, &area, range);
    let la = la.map(|l| clip(&table.periods, &l, range));
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
