//! The selection panel: live summary of the LSOAs selected for resource flexing, selection by rule, and the list.

use super::panels::edition_table;
use crate::analysis::{EditionComparison, Selection, SelectionEdit, SelectionRule, SelectionSummary};
use crate::model::AreaCode;
use crate::style::signed;
use egui::RichText;

/// What the planner asked for in the panel.
pub enum SelectionAction {
    /// Nothing.
    None,
    /// Change the selection.
    Edit(SelectionEdit),
    /// Undo the last edit.
    Undo,
    /// Redo.
    Redo,
    /// Focus an LSOA (show it on the map and in its ward profile).
    Focus(AreaCode),
}

/// Draws the panel. `ward` is the ward whose profile is open, for "select all in ward".
pub fn selection_ui(
    ui: &mut egui::Ui,
    comparison: &EditionComparison,
    selection: &Selection,
    ward: Option<(AreaCode, String)>,
    change_limit: &mut i64,
) -> SelectionAction {
    let mut action = SelectionAction::None;
    let summary = SelectionSummary::new(comparison, selection);
    ui.label(RichText::new(format!("Selection ({} LSOAs)", summary.lsoas)).strong());
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("All in the 1%")
            .on_hover_text(format!("In the most deprived 1% in {}", comparison.to))
            .clicked()
        {
            action = SelectionAction::Edit(SelectionEdit::Replace(SelectionRule::Top1Later.select(comparison)));
        }
        if ui
            .button("Decile 1")
            .on_hover_text(format!("In the most deprived 10% in {}", comparison.to))
            .clicked()
        {
            action = SelectionAction::Edit(SelectionEdit::Replace(SelectionRule::Decile1Later.select(comparison)));
        }
        if let Some((code, name)) = &ward
            && ui.button(format!("All in {name}")).clicked()
        {
            action = SelectionAction::Edit(SelectionEdit::Replace(SelectionRule::InWard(*code).select(comparison)));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Change at most");
        ui.add(egui::DragValue::new(change_limit).speed(10.0).range(-40_000..=40_000))
            .labelled_by(label.id);
        if ui.button("Select").clicked() {
            action = SelectionAction::Edit(SelectionEdit::Replace(
                SelectionRule::ChangeAtMost(*change_limit).select(comparison),
            ));
        }
    });
    ui.horizontal(|ui| {
        if ui.button("Undo").on_hover_text("Ctrl+Z").clicked() {
            action = SelectionAction::Undo;
        }
        if ui.button("Redo").on_hover_text("Ctrl+Shift+Z").clicked() {
            action = SelectionAction::Redo;
        }
        if ui.button("Clear").clicked() {
            action = SelectionAction::Edit(SelectionEdit::Clear);
        }
    });
    if summary.lsoas == 0 {
        ui.label(RichText::new("Click an LSOA, shift-click to add, or drag a box or lasso (toolbar).").weak());
        return action;
    }
    let rows = [
        ("In the 1%", summary.top1_from.to_string(), summary.top1_to.to_string()),
        (
            "In the 10%",
            summary.decile1_from.to_string(),
            summary.decile1_to.to_string(),
        ),
    ];
    edition_table(ui, "selection-summary", [comparison.from, comparison.to], true, &rows);
    ui.label(format!("Wards touched: {}", summary.wards_touched));
    if let Some(population) = summary.population {
        ui.label(format!("Population: {population}"));
    }
    if let Some(median) = summary.median_change {
        ui.label(format!("Median change in rank: {}", signed(median.round() as i64)));
    }
    egui::ScrollArea::vertical()
        .id_salt("selection-list")
        .max_height(220.0)
        .show(ui, |ui| {
            let mut rows: Vec<_> = comparison
                .rows
                .iter()
                .filter(|r| selection.codes.contains(&r.lsoa_code))
                .collect();
            rows.sort_by_key(|r| (r.change.unwrap_or(i64::MAX), r.lsoa_code));
            egui::Grid::new("selection-list-grid")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    for row in rows {
                        if ui.link(row.lsoa_code.as_str()).on_hover_text(&row.lsoa_name).clicked() {
                            action = SelectionAction::Focus(row.lsoa_code);
                        }
                        ui.label(row.change.map_or_else(|| "–".into(), signed));
                        if ui.small_button("Remove").clicked() {
                            action = SelectionAction::Edit(SelectionEdit::Remove([row.lsoa_code].into()));
                        }
                        ui.end_row();
                    }
                });
        });
    action
}
