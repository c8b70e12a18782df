//! The indicator map's legend beside it and the hover text of an area (its value as the legend writes it, the IMD
//! decile of each LSOA, the emerging-issue flag, and how it is drawn).

use super::indicator_deprivation::decile_text;
use crate::analysis::{AggregatedIndicator, AreaSeries};
use crate::model::{AreaCode, Dataset};
use crate::style::IndicatorStyle;
use egui::RichText;
use std::collections::BTreeSet;

/// The hover text of a unit: names, value, each LSOA's IMD decile, the emerging flag, and how it is drawn.
pub(super) fn unit_text(
    dataset: &Dataset,
    table: &AggregatedIndicator,
    plan: &crate::analysis::DrawPlan<'_>,
    style: &IndicatorStyle,
    unit: usize,
    flagged: &BTreeSet<AreaCode>,
) -> Option<String> {
    let drawn = plan.units.get(unit)?;
    let rows: Vec<&AreaSeries> = drawn.rows.iter().filter_map(|i| table.rows.get(*i)).collect();
    let names: Vec<String> = rows
        .iter()
        .map(|r| match decile_text(dataset, &r.code) {
            Some(decile) => format!("{} {} ({decile})", r.code, r.name),
            None => format!("{} {}", r.code, r.name),
        })
        .collect();
    let value = style
        .units
        .get(unit)
        .and_then(|s| s.value)
        .map_or("no data".to_string(), |v| style.value_classes.value_text(v));
    let mut text = format!("{}\n{value}", names.join("\n"));
    if rows.iter().any(|r| flagged.contains(&r.code)) {
        text.push_str("\nEmerging issue: ");
        text.push_str(&crate::analysis::EmergingOptions::default().rule());
    }
    if let Some(label) = &drawn.label {
        text.push('\n');
        text.push_str(label);
    }
    Some(text)
}

pub(super) fn legend_ui(ui: &mut egui::Ui, style: &IndicatorStyle) {
    ui.set_max_width(250.0);
    ui.label(RichText::new(&style.heading).strong());
    for (colour, label) in &style.classes {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
            let [r, g, b, a] = colour.0;
            ui.painter()
                .rect_filled(rect, 1.0, egui::Color32::from_rgba_unmultiplied(r, g, b, a));
            ui.label(label);
        });
    }
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
        ui.painter().rect_stroke(
            rect,
            1.0,
            egui::Stroke::new(2.5, egui::Color32::from_rgb(0, 90, 200)),
            egui::StrokeKind::Inside,
        );
        ui.label("Emerging issue");
    });
    for line in &style.lines {
        ui.label(RichText::new(line).weak());
    }
}
