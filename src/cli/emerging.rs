//! `emerging NAME`: areas (LSOAs and wards, or one level) whose recent count is unusually high for their own
//! baseline, by the one-sided Poisson exceedance test stated in the output.

use super::CliResult;
use super::indicator::{LevelArg, find};
use super::output::to_json;
use crate::analysis::{EmergingOptions, EmergingScan, Level, aggregate, scan_emerging};
use crate::model::{AreaLevel, Dataset};
use clap::Args;
use serde::Serialize;

/// The CSV columns, in order.
pub const EMERGING_CSV_COLUMNS: [&str; 11] = [
    "level",
    "area_code",
    "area_name",
    "la_name",
    "recent_from",
    "recent_to",
    "recent",
    "expected",
    "ratio",
    "p_value",
    "baseline",
];

/// `emerging` arguments.
#[derive(Debug, Args)]
pub struct EmergingArgs {
    /// Indicator name (a count), e.g. crime, crime-anti-social-behaviour
    pub name: String,
    /// Only areas in this local authority (name or code)
    #[arg(long)]
    pub la: Option<String>,
    /// Months in the recent window, ending at the last month loaded
    #[arg(long, default_value_t = 3)]
    pub recent: usize,
    /// Flag when P(X >= recent | expected) is at most this
    #[arg(long, default_value_t = 0.01)]
    pub p_threshold: f64,
    /// Flag only areas with at least this many in the recent window
    #[arg(long, default_value_t = 5.0)]
    pub min_count: f64,
    /// One level only [default: the indicator's own level and wards]
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// List every tested area, not only the flagged ones
    #[arg(long)]
    pub all: bool,
    /// CSV
    #[arg(long)]
    pub csv: bool,
    /// JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs the scans.
pub fn run(dataset: &Dataset, args: &EmergingArgs) -> CliResult {
    let indicator = find(dataset, &args.name)?;
    if !(args.p_threshold > 0.0 && args.p_threshold < 1.0) {
        return Err(format!("--p-threshold {} must lie between 0 and 1", args.p_threshold).into());
    }
    let options = EmergingOptions {
        recent_months: args.recent.clamp(1, 24),
        p_threshold: args.p_threshold,
        min_count: args.min_count,
        ..EmergingOptions::default()
    };
    let levels: Vec<Level> = match (args.level, indicator.level) {
        (Some(l), _) => vec![l.level()?],
        (None, AreaLevel::Lsoa(_)) => vec![Level::Lsoa, Level::Ward],
        (None, AreaLevel::Ward(_)) => vec![Level::Ward],
        (None, AreaLevel::La) => vec![Level::La],
    };
    let mut scans = Vec::new();
    for level in levels {
        let table = aggregate(dataset, indicator, level, args.la.as_deref()).map_err(|e| e.to_string())?;
        if level == Level::Ward && table.rows.is_empty() && args.level.is_none() {
            eprintln!("wards: no LSOA → ward lookup places these LSOAs in wards; ward scan skipped");
            continue;
        }
        scans.push(scan_emerging(&table, &options));
    }
    for scan in &scans {
        if let Some(why) = &scan.not_run {
            return Err(format!("{}: {why}", indicator.name).into());
        }
    }
    if args.json {
        #[derive(Serialize)]
        struct Out<'a> {
            indicator: &'a str,
            method: String,
            attribution: Option<&'a str>,
            scans: &'a [EmergingScan],
        }
        let mut shown: Vec<EmergingScan> = scans.clone();
        if !args.all {
            for s in &mut shown {
                s.tested.retain(|a| a.flagged);
            }
        }
        return super::print(&to_json(&Out {
            indicator: &indicator.name,
            method: options.method(),
            attribution: indicator.attribution.as_deref(),
            scans: &shown,
        }));
    }
    eprintln!("method: {}", options.method());
    for scan in &scans {
        eprintln!(
            "{:?}: {} tested, {} flagged, {} not tested (months missing or no events in the baseline)",
            scan.level,
            scan.tested.len(),
            scan.flagged().count(),
            scan.untested
        );
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        writer.write_record(EMERGING_CSV_COLUMNS)?;
        for scan in &scans {
            let (from, to) = scan
                .recent
                .map(|w| (w.from.to_string(), w.to.to_string()))
                .unwrap_or_default();
            for a in scan.tested.iter().filter(|a| args.all || a.flagged) {
                writer.write_record([
                    format!("{:?}", scan.level).to_lowercase(),
                    a.code.to_string(),
                    a.name.clone(),
                    a.la_name.clone(),
                    from.clone(),
                    to.clone(),
                    format!("{}", a.recent),
                    format!("{:.4}", a.expected),
                    format!("{:.4}", a.ratio),
                    format!("{:.6e}", a.p_value),
                    a.baseline.label(),
                ])?;
            }
        }
        Ok(())
    };
    write(&mut writer).map_err(|e| e.to_string())?;
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    if !args.csv {
        eprintln!("(CSV below; pass --json for JSON)");
    }
    super::print(&String::from_utf8_lossy(&bytes))
}
