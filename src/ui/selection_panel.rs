//! The selection panel: live summary of the LSOAs selected for resource flexing, selection by rule, named selections
//! (save under a name, reopen, rename, delete), and the list.

use super::panels::edition_table;
use crate::analysis::{EditionComparison, Selection, SelectionEdit, SelectionRule, SelectionSummary};
use crate::model::AreaCode;
use crate::style::signed;
use egui::RichText;
use std::collections::{BTreeMap, BTreeSet};

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
    /// Save the current selection under this name.
    SaveNamed(String),
    /// Make this named selection the current one.
    OpenNamed(String),
    /// Rename a named selection (old name, new name).
    RenameNamed(String, String),
    /// Delete a named selection.
    DeleteNamed(String),
}

/// Named selections: a name field, "Save selection as", and per name Open, Rename (to the name typed) and Delete.
/// Each saved name shows its local indicator figure (`figures`) beneath it.
fn named_selections_ui(
    ui: &mut egui::Ui,
    selection: &Selection,
    (named, figures): (&BTreeMap<String, BTreeSet<AreaCode>>, &BTreeMap<String, String>),
    name: &mut String,
    action: &mut SelectionAction,
) {
    ui.label(RichText::new(format!("Named selections ({})", named.len())).strong());
    let typed = name.trim().to_string();
    ui.horizontal(|ui| {
        let label = ui.label("Name");
        ui.add(
            egui::TextEdit::singleline(name)
                .hint_text("e.g. Flexing pilot")
                .desired_width(150.0),
        )
        .labelled_by(label.id);
    });
    let can_save = !typed.is_empty() && !selection.codes.is_empty();
    if ui
        .add_enabled(can_save, egui::Button::new("Save selection as"))
        .on_hover_text("Keep the current selection under the name typed (saved in the project file)")
        .clicked()
    {
        *action = SelectionAction::SaveNamed(typed.clone());
    }
    for (saved, codes) in named {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{saved} ({} LSOAs)", codes.len()));
            if ui
                .small_button("Open")
                .on_hover_text(format!("Select the LSOAs of {saved}"))
                .clicked()
            {
                *action = SelectionAction::OpenNamed(saved.clone());
            }
            let can_rename = !typed.is_empty() && typed != *saved;
            if ui
                .add_enabled(can_rename, egui::Button::new("Rename").small())
                .on_hover_text("Rename to the name typed above")
                .on_disabled_hover_text("Type the new name above first")
                .clicked()
            {
                *action = SelectionAction::RenameNamed(saved.clone(), typed.clone());
            }
            if ui.small_button("Delete").clicked() {
                *action = SelectionAction::DeleteNamed(saved.clone());
            }
        });
        if let Some(figure) = figures.get(saved) {
            ui.label(RichText::new(figure).weak());
        }
    }
}

/// What the selection panel edits besides the selection itself.
pub struct SelectionPanelState<'a> {
    /// The threshold for "change at most".
    pub change_limit: &'a mut i64,
    /// Selections saved under a name.
    pub named: &'a BTreeMap<String, BTreeSet<AreaCode>>,
    /// The name being typed.
    pub name: &'a mut String,
    /// Each named selection's figure on the local indicator chosen in the indicators window, e.g. "crime, total
    /// 2024-05 to 2025-04: 812 (31.20 per 1,000 residents)" (empty without indicators).
    pub indicator_figures: &'a BTreeMap<String, String>,
}

/// Draws the panel. `ward` is the ward whose profile is open, for "select all in ward".
pub fn selection_ui(
    ui: &mut egui::Ui,
    comparison: &EditionComparison,
    selection: &Selection,
    ward: Option<(AreaCode, String)>,
    state: SelectionPanelState<'_>,
) -> SelectionAction {
    let change_limit = state.change_limit;
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
    named_selections_ui(
        ui,
        selection,
        (state.named, state.indicator_figures),
        state.name,
        &mut action,
    );
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
    if let Some(population) = summary.population_in_top1_to {
        ui.label(format!("Population in the 1% ({}): {population}", comparison.to));
    }
    if let Some(why) = &summary.population_missing {
        super::missing_data::missing_ui(ui, Some(&format!("population: not known — {why}")));
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
