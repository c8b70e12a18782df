//! `map --layer indicator:NAME`: the report PNG of a local indicator — one period, the last N months, or their change
//! against the N months before — as counts or rates per 1,000 residents, for an LA or every area of the indicator;
//! drawn by `export::save_indicator_map`, as the local indicators window exports it.

use super::CliResult;
use super::indicator::{LevelArg, find, period_arg};
use super::map::MapArgs;
use crate::analysis::{IndicatorMeasure, Window, WindowStat, aggregate};
use crate::export::{
    CivilDate, IndicatorMap, IndicatorMapSize, indicator_map_title, render_indicator_map, save_png_atomic,
};
use crate::model::{AreaLevel, Dataset};
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
        .transpose()?
        .unwrap_or(match indicator.level {
            AreaLevel::Lsoa(_) => crate::analysis::Level::Lsoa,
            AreaLevel::Ward(_) => crate::analysis::Level::Ward,
            AreaLevel::La => crate::analysis::Level::La,
        });
    // `--la all` (or the default Leeds when the indicator has no Leeds area) maps every area of the indicator.
    let la = (!args.area.la.eq_ignore_ascii_case("all")).then_some(args.area.la.as_str());
    let (table, one_la) = match aggregate(dataset, indicator, level, la) {
        Ok(t) => (t, la.is_some()),
        Err(crate::analysis::IndicatorError::LaNotFound { .. }) if args.area.la == "Leeds" => (
            aggregate(dataset, indicator, level, None).map_err(|e| e.to_string())?,
            false,
        ),
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
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| indicator_map_title(&table, one_la, indicator));
    let size = IndicatorMapSize {
        width_px: args.output.size.width.unwrap_or(IndicatorMapSize::A4_300_DPI.width_px),
        height_px: args
            .output
            .size
            .height
            .unwrap_or(IndicatorMapSize::A4_300_DPI.height_px),
        dpi: args.output.size.dpi,
    };
    let map = IndicatorMap {
        dataset,
        indicator,
        table: &table,
        measure,
        per_1000: args.indicator.per_1000,
    };
    let rendered = render_indicator_map(&map, &title, size, CivilDate::today())?;
    for note in &rendered.notes {
        eprintln!("{note}");
    }
    Ok(save_png_atomic(
        &rendered.page.image,
        &args.out,
        size.dpi,
        args.output.overwrite.replace(),
    )?)
}
