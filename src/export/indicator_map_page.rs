//! The indicator map PNG as `map --layer indicator:NAME` and the local indicators window both export it: the table's
//! draw plan and classes, the areas the default emerging-issue test flags outlined and keyed with its rule, and the
//! page with its full furniture (indicator, unit, period, denominator, how areas are drawn, source and licence).

use super::ExportError;
use super::date::CivilDate;
use super::indicator_png::{IndicatorPage, IndicatorPageOptions, render_indicator_page};
use super::save::save_png_atomic;
use crate::analysis::{AggregatedIndicator, DrawPlan, EmergingOptions, IndicatorMeasure, draw_plan, scan_emerging};
use crate::model::{AreaCode, Dataset, Indicator};
use crate::style::style_indicator;
use std::collections::BTreeSet;
use std::path::Path;

/// What one indicator map shows.
#[derive(Clone, Copy, Debug)]
pub struct IndicatorMap<'a> {
    /// The loaded data (boundaries, the 2011 → 2021 bridge).
    pub dataset: &'a Dataset,
    /// The indicator.
    pub indicator: &'a Indicator,
    /// The indicator at the level drawn (one LA or every area).
    pub table: &'a AggregatedIndicator,
    /// One period, a window or a change.
    pub measure: IndicatorMeasure,
    /// Rates per 1,000 residents instead of counts.
    pub per_1000: bool,
}

/// The page's size in pixels and its resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IndicatorMapSize {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Dots per inch (text scales with it, within the page).
    pub dpi: f32,
}

impl IndicatorMapSize {
    /// A4 landscape at 300 dpi: what `map` writes by default and the window exports.
    pub const A4_300_DPI: Self = Self {
        width_px: 3508,
        height_px: 2480,
        dpi: 300.0,
    };
}

/// A rendered indicator map and what the caller should say beside it.
pub struct RenderedIndicatorMap {
    /// The page and where its map lies.
    pub page: IndicatorPage,
    /// How the areas were drawn (e.g. 2021 LSOAs on their 2011 parents' shapes), then why emerging issues are not
    /// marked when the test could not run.
    pub notes: Vec<String>,
}

/// The default title: the LA's name when the table is one LA's, else "All areas", then the indicator's title.
pub fn indicator_map_title(table: &AggregatedIndicator, one_la: bool, indicator: &Indicator) -> String {
    let place = match table.rows.first() {
        Some(row) if one_la && !row.la_name.is_empty() => row.la_name.clone(),
        _ => "All areas".into(),
    };
    format!("{place}: {}", indicator.title)
}

/// The statement keyed with the emerging-issue outlines: the window and the rule of [`EmergingOptions::rule`].
pub fn emerging_statement(options: &EmergingOptions) -> String {
    format!(
        "last {} months against their own baseline, {}",
        options.recent_months,
        options.rule()
    )
}

/// The shapes drawn for the areas the default emerging-issue test flags, and the statement keyed with them; `Err`
/// with why when the test cannot run.
fn emerging_outlines(table: &AggregatedIndicator, plan: &DrawPlan<'_>) -> Result<(BTreeSet<AreaCode>, String), String> {
    let options = EmergingOptions::default();
    let scan = scan_emerging(table, &options);
    if let Some(why) = &scan.not_run {
        return Err(format!("emerging issues not marked: {why}"));
    }
    let flagged: BTreeSet<AreaCode> = scan.flagged().map(|a| a.code).collect();
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
    Ok((shapes, emerging_statement(&options)))
}

/// Renders the indicator map page; `Err` names why it cannot be drawn (no boundaries for its areas, say).
pub fn render_indicator_map(
    map: &IndicatorMap<'_>,
    title: &str,
    size: IndicatorMapSize,
    export_date: CivilDate,
) -> Result<RenderedIndicatorMap, String> {
    let plan = draw_plan(map.dataset, map.indicator, map.table);
    let mut notes = vec![plan.note.clone()];
    let style = style_indicator(map.table, &plan, map.measure, map.per_1000);
    let px_per_pt = (size.dpi / 72.0)
        .min(size.width_px as f32 / 842.0)
        .min(size.height_px as f32 / 595.0);
    let emerging = match emerging_outlines(map.table, &plan) {
        Ok(outlines) => Some(outlines),
        Err(why) => {
            notes.push(why);
            None
        }
    };
    let options = IndicatorPageOptions {
        width_px: size.width_px,
        height_px: size.height_px,
        px_per_pt,
        title: title.to_string(),
        export_date,
        emerging,
    };
    let page = render_indicator_page(&plan, &style, &options).map_err(|e| match e {
        ExportError::NoBoundaries { .. } | ExportError::NoAreas { .. } => {
            format!("{} cannot be mapped: {}", map.indicator.name, plan.note)
        }
        e => e.to_string(),
    })?;
    Ok(RenderedIndicatorMap { page, notes })
}

/// Renders the indicator map and saves it as a PNG (atomically; an existing file only with `replace`); the notes
/// to say beside it.
pub fn save_indicator_map(
    path: &Path,
    map: &IndicatorMap<'_>,
    title: &str,
    size: IndicatorMapSize,
    replace: bool,
) -> Result<Vec<String>, String> {
    let rendered = render_indicator_map(map, title, size, CivilDate::today())?;
    save_png_atomic(&rendered.page.image, path, size.dpi, replace).map_err(|e| e.to_string())?;
    Ok(rendered.notes)
}
