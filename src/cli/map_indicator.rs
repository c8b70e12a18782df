//! `map --layer indicator:NAME`: the report PNG of a local indicator — one period, the last N months, or their change
//! against the N months before — as counts or rates per 1,000 residents, for an LA or every area of the indicator.

use super::CliResult;
use super::indicator::{LevelArg, find, period_arg};
use super::map::MapArgs;
use crate::analysis::{EmergingOptions, IndicatorMeasure, Window, WindowStat, aggregate, draw_plan, scan_emerging};
use crate::export::{CivilDate, ExportError, IndicatorPageOptions, render_indicator_page, save_png_atomic};
use crate::model::{AreaLevel, Dataset};
use crate::style::style_indicator;
use clap::Args;

/// The indicator options of `map`.
#[derive(Debug, Args)]
pub struct IndicatorMapArgs {
    /// Indicator map: areas drawn [default: the indicator's own]
    #[arg(long = "indicator-level", value_enum)]
    pub level: Option<LevelArg>,
    /// Indicator map: one period (YYYY-MM) instead of a window
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// Indicator map: the window of the last N periods (summed)
    #[arg(long, default_value_t = 12)]
    pub months: usize,
    /// Indicator map: the monthly mean of the last N periods instead of their total
    #[arg(long, conflicts_with_all = ["change", "change_count", "period"])]
    pub mean: bool,
    /// Indicator map: the % change of the last N periods against the N before
    #[arg(long, conflicts_with = "change_count")]
    pub change: bool,
    /// Indicator map: the change of the last N periods against the N before, in counts (or rates with --per-1000)
    #[arg(long)]
    pub change_count: bool,
    /// Indicator map: rates per 1,000 residents (IoD2019 File 6 populations) instead of counts
    #[arg(long)]
    pub per_1000: bool,
}

/// Renders and saves the indicator map.
pub fn run(dataset: &Dataset, args: &MapArgs, name: &str) -> CliResult {
    let indicator = find(dataset, name)?;
    let level = args
        .indicator
        .level
        .map(LevelArg::level)
        .unwrap_or(match indicator.level {
            AreaLevel::Lsoa(_) => crate::analysis::Level::Lsoa,
            AreaLevel::Ward(_) => crate::analysis::Level::Ward,
            AreaLevel::La => crate::analysis::Level::La,
        });
    // `--la all` (or the default Leeds when the indicator has no Leeds area) maps every area of the indicator.
    let la = (!args.area.la.eq_ignore_ascii_case("all")).then_some(args.area.la.as_str());
    let table = match aggregate(dataset, indicator, level, la) {
        Ok(t) => t,
        Err(crate::analysis::IndicatorError::LaNotFound { .. }) if args.area.la == "Leeds" => {
            aggregate(dataset, indicator, level, None).map_err(|e| e.to_string())?
        }
        Err(e) => return Err(e.to_string().into()),
    };
    let measure = match period_arg(args.indicator.period.as_deref(), "--period")? {
        Some(p) => {
            if !table.periods.contains(&p) {
                return Err(format!(
                    "{} has no period {p} (it covers {})",
                    indicator.name,
                    indicator.period_span()
                )
                .into());
            }
            IndicatorMeasure::Period(p)
        }
        None => {
            let later =
                Window::last(&table.periods, args.indicator.months).map_err(|e| format!("{}: {e}", indicator.name))?;
            if args.indicator.change || args.indicator.change_count {
                let earlier = later
                    .before(&table.periods, args.indicator.months)
                    .map_err(|e| format!("{}: {e}", indicator.name))?;
                IndicatorMeasure::Change {
                    earlier,
                    later,
                    percent: args.indicator.change,
                }
            } else if args.indicator.mean {
                IndicatorMeasure::Window(later, WindowStat::Mean)
            } else {
                IndicatorMeasure::Window(later, WindowStat::Sum)
            }
        }
    };
    if args.indicator.per_1000 && table.rows.iter().all(|r| r.population.is_none()) {
        return Err(format!("--per-1000: {}", table.population_source).into());
    }
    let plan = draw_plan(dataset, indicator, &table);
    eprintln!("{}", plan.note);
    let style = style_indicator(&table, &plan, measure, args.indicator.per_1000);
    let (width_px, height_px) = (args.size.width.unwrap_or(3508), args.size.height.unwrap_or(2480));
    let px_per_pt = (args.size.dpi / 72.0)
        .min(width_px as f32 / 842.0)
        .min(height_px as f32 / 595.0);
    let place = match (la, table.rows.first()) {
        (Some(_), Some(row)) if !row.la_name.is_empty() => row.la_name.clone(),
        _ => "All areas".into(),
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("{place}: {}", indicator.title));
    let options = IndicatorPageOptions {
        width_px,
        height_px,
        px_per_pt,
        title,
        export_date: CivilDate::today(),
        emerging: emerging_outlines(&table, &plan),
    };
    let page = render_indicator_page(&plan, &style, &options).map_err(|e| match e {
        ExportError::NoBoundaries { .. } | ExportError::NoAreas { .. } => {
            format!("{} cannot be mapped: {}", indicator.name, plan.note)
        }
        e => e.to_string(),
    })?;
    Ok(save_png_atomic(
        &page.image,
        &args.out,
        args.size.dpi,
        args.overwrite.replace(),
    )?)
}

/// The areas the default emerging-issue test flags in the mapped table, and the statement keyed with them; `None`
/// when the test cannot run (it says why on stderr).
fn emerging_outlines(
    table: &crate::analysis::AggregatedIndicator,
    plan: &crate::analysis::DrawPlan<'_>,
) -> Option<(std::collections::BTreeSet<crate::model::AreaCode>, String)> {
    let options = EmergingOptions::default();
    let scan = scan_emerging(table, &options);
    if let Some(why) = &scan.not_run {
        eprintln!("emerging issues not marked: {why}");
        return None;
    }
    let flagged: std::collections::BTreeSet<_> = scan.flagged().map(|a| a.code).collect();
    // The shapes drawn for the flagged areas (a 2021 LSOA may be drawn on its 2011 parent's shape).
    let shapes = plan
        .units
        .iter()
        .filter(|u| {
            u.rows
                .iter()
                .any(|i| table.rows.get(*i).is_some_and(|r| flagged.contains(&r.code)))
        })
        .flat_map(|u| u.shapes.iter().copied())
        .collect();
    let statement = format!(
        "last {} months above their own baseline, one-sided Poisson p < {}, at least {} events",
        options.recent_months, options.p_threshold, options.min_count
    );
    Some((shapes, statement))
}
