//! The indicator window's "beside deprivation" tab: each LSOA's IMD decile beside its indicator value, so a planner
//! can see deprived areas whose figures are rising.

use super::indicator_trend::sparkline_ui;
use crate::analysis::{AggregatedIndicator, AreaSeries, IndicatorMeasure, measure_value};
use crate::model::{AreaCode, Dataset};
use egui::RichText;
use std::collections::BTreeSet;

/// An LSOA's IMD decile in the latest loaded edition listing its code, with that edition's year.
pub(super) fn decile_of(dataset: &Dataset, code: &AreaCode) -> Option<(u16, u8)> {
    dataset
        .editions
        .values()
        .rev()
        .find_map(|e| e.rows.get(code).and_then(|r| r.imd_decile()).map(|d| (e.year, d.get())))
}

/// `IMD 2019 decile 3`, for hover texts and lists; `None` when no loaded edition lists the code.
pub(super) fn decile_text(dataset: &Dataset, code: &AreaCode) -> Option<String> {
    decile_of(dataset, code).map(|(year, d)| format!("IMD {year} decile {d}"))
}

/// Each LSOA's IMD decile (latest edition holding its code) beside its rate and change, most deprived first.
pub fn deprivation_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    lsoas: Option<&AggregatedIndicator>,
    measure: IndicatorMeasure,
    per_1000: bool,
    flagged: &BTreeSet<AreaCode>,
) {
    let Some(lsoas) = lsoas else {
        ui.label("This indicator is not given by LSOA, so it cannot be set beside LSOA deciles.");
        return;
    };
    let decile_of = |code: &AreaCode| decile_of(dataset, code);
    type Row<'a> = (Option<(u16, u8)>, &'a AreaSeries, Option<f64>);
    let mut rows: Vec<Row<'_>> = lsoas
        .rows
        .iter()
        .map(|r| {
            (
                decile_of(&r.code),
                r,
                measure_value(r, &lsoas.periods, measure, per_1000),
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        let d = |x: &Option<(u16, u8)>| x.map_or(99, |(_, d)| d);
        d(&a.0)
            .cmp(&d(&b.0))
            .then(b.2.unwrap_or(f64::MIN).total_cmp(&a.2.unwrap_or(f64::MIN)))
    });
    ui.label(format!("IMD decile (1 = most deprived 10% in England) beside {}; deciles come from the latest loaded edition listing the code (2021 codes that are new since 2011 have none in IMD 2019).", measure.label()));
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .id_salt("deprivation-scroll")
        .show(ui, |ui| {
            egui::Grid::new("deprivation-grid").striped(true).show(ui, |ui| {
                for h in ["LSOA", "IMD decile", "Value", "Trend", "Emerging"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (decile, row, value) in rows {
                    ui.label(format!("{} {}", row.code, row.name));
                    ui.label(decile.map_or("not in a loaded IMD".to_string(), |(year, d)| {
                        format!("{d} (IMD {year})")
                    }));
                    ui.label(value.map_or("no data".to_string(), |v| format!("{v:.2}")));
                    sparkline_ui(ui, &row.values, egui::vec2(100.0, 16.0));
                    ui.label(if flagged.contains(&row.code) { "emerging" } else { "" });
                    ui.end_row();
                }
            });
        });
}
