//! `indicators`: what local indicators were found in the data folder — name, unit, periods, geography, rows, rows
//! skipped and why, how files were combined, and whether their areas can be drawn.

use super::CliResult;
use super::output::to_json;
use crate::analysis::{Level, aggregate, draw_plan};
use crate::model::{AreaLevel, Dataset, Indicator, Period};
use clap::Args;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `indicators` arguments.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// One indicator as listed.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    name: &'a str,
    title: &'a str,
    unit: &'static str,
    geography: String,
    periods: usize,
    first_period: Option<Period>,
    last_period: Option<Period>,
    areas: usize,
    rows: usize,
    rows_skipped: usize,
    skipped_why: &'a BTreeMap<String, usize>,
    rows_without_area_by_period: &'a BTreeMap<Period, u64>,
    sources: Vec<String>,
    attribution: Option<&'a str>,
    notes: &'a [String],
    drawing: String,
}

fn drawing(dataset: &Dataset, indicator: &Indicator) -> String {
    let level = match indicator.level {
        AreaLevel::Lsoa(_) => Level::Lsoa,
        AreaLevel::Ward(_) => Level::Ward,
        AreaLevel::La => Level::La,
    };
    match aggregate(dataset, indicator, level, None) {
        Ok(table) => draw_plan(dataset, indicator, &table).note,
        Err(e) => e.to_string(),
    }
}

fn listed<'a>(dataset: &Dataset, indicator: &'a Indicator) -> Listed<'a> {
    Listed {
        name: &indicator.name,
        title: &indicator.title,
        unit: indicator.unit.label(),
        geography: indicator.level.to_string(),
        periods: indicator.periods.len(),
        first_period: indicator.periods.first().copied(),
        last_period: indicator.periods.last().copied(),
        areas: indicator.areas.len(),
        rows: indicator.rows_read,
        rows_skipped: indicator.skipped.total(),
        skipped_why: &indicator.skipped.by_reason,
        rows_without_area_by_period: &indicator.without_area,
        sources: indicator.sources.iter().map(|p| p.display().to_string()).collect(),
        attribution: indicator.attribution.as_deref(),
        notes: &indicator.notes,
        drawing: drawing(dataset, indicator),
    }
}

/// Prints the list.
pub fn run(dataset: &Dataset, args: &IndicatorsArgs) -> CliResult {
    let list: Vec<Listed<'_>> = dataset
        .indicators
        .by_name
        .values()
        .map(|i| listed(dataset, i))
        .collect();
    if args.json {
        return super::print(&to_json(&list));
    }
    if list.is_empty() {
        return super::print(&format!(
            "No local indicators found in {} (police.uk street-level CSVs, tidy or wide tables of LSOA/ward/LA codes by period).\n",
            dataset.source_label
        ));
    }
    let mut text = String::new();
    for l in &list {
        let span = match (l.first_period, l.last_period) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            _ => "no periods".into(),
        };
        writeln!(text, "{}  ({})", l.name, l.title).ok();
        writeln!(
            text,
            "  unit {}, {}, {} periods {span}, {} areas",
            l.unit, l.geography, l.periods, l.areas
        )
        .ok();
        writeln!(
            text,
            "  {} rows read from {} files; {} skipped",
            l.rows,
            l.sources.len(),
            l.rows_skipped
        )
        .ok();
        for (why, n) in l.skipped_why {
            writeln!(text, "    skipped {n}: {why}").ok();
        }
        if !l.rows_without_area_by_period.is_empty() {
            let by: Vec<String> = l
                .rows_without_area_by_period
                .iter()
                .map(|(p, n)| format!("{p} {n}"))
                .collect();
            writeln!(
                text,
                "  rows with no LSOA (counted in totals, on no area): {}",
                by.join(", ")
            )
            .ok();
        }
        for note in l.notes.iter().filter(|n| !n.starts_with("rows with no LSOA")) {
            writeln!(text, "  note: {note}").ok();
        }
        writeln!(text, "  map: {}", l.drawing).ok();
        if let Some(a) = l.attribution {
            writeln!(text, "  {a}").ok();
        }
    }
    super::print(&text)
}
