//! The attribute table window: every LSOA of the LA (or of the map's view) with both ranks, change, deciles,
//! population, ward and each domain; sorted by clicking a header, filtered by typing, linked to the map (clicking a
//! row selects it there, shift or ctrl adds it; "Select these" selects every row shown) and exported to CSV. Rows and
//! sorting live in `attribute_rows.rs`; this file only draws and returns [`AppCommand`]s.

use super::attribute_rows::{TableColumn, TableOrder, shown_rows, table_columns};
use super::command::AppCommand;
use super::session::Session;
use crate::analysis::SelectionEdit;
use crate::model::AreaCode;
use egui::{Align, Color32, Layout, RichText};
use std::collections::BTreeSet;

/// The window's own state.
#[derive(Default)]
pub struct AttributeTableState {
    /// The window is open.
    pub open: bool,
    /// Sort and filter.
    pub order: TableOrder,
    /// Only the LSOAs in the map's view.
    pub only_in_view: bool,
}

const ROW_HEIGHT: f32 = 20.0;

impl AttributeTableState {
    /// Draws the window when open; `visible_in_world` is the map's view (for "only in view").
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        visible_in_world: Option<geo::Rect<f64>>,
    ) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        let Some(scene) = session.scene() else { return commands };
        let mut open = self.open;
        egui::Window::new(format!("Attribute table — {}", scene.comparison.la_name))
            .id(egui::Id::unique("attribute-table"))
            .open(&mut open)
            .default_size([980.0, 520.0])
            .resizable(true)
            .show(ctx, |ui| {
                let comparison = &scene.comparison;
                let in_view = |code: &AreaCode| {
                    let Some(visible) = visible_in_world.filter(|_| self.only_in_view) else {
                        return true;
                    };
                    scene
                        .area_by_code
                        .get(code)
                        .and_then(|i| scene.areas.get(*i))
                        .is_some_and(|a| geo::Intersects::intersects(&visible, &a.interior_in_world))
                };
                let rows = shown_rows(comparison, &self.order, &in_view);
                let codes: Vec<AreaCode> = rows
                    .iter()
                    .filter_map(|i| comparison.rows.get(*i))
                    .map(|r| r.lsoa_code)
                    .collect();
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label("Filter");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.order.filter)
                            .hint_text("LSOA code, name or ward")
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                    ui.checkbox(&mut self.only_in_view, "Only LSOAs in the map's view");
                    ui.label(format!("{} of {} LSOAs", rows.len(), comparison.rows.len()));
                    if ui
                        .add_enabled(!codes.is_empty(), egui::Button::new("Select these"))
                        .on_hover_text("Make the rows shown the selection on the map")
                        .clicked()
                    {
                        let set: BTreeSet<AreaCode> = codes.iter().copied().collect();
                        commands.push(AppCommand::EditSelection(SelectionEdit::Replace(set)));
                    }
                    if ui
                        .add_enabled(!codes.is_empty(), egui::Button::new("Export CSV…"))
                        .on_hover_text("The rows shown, in this order, with every column (UTF-8 for Excel)")
                        .clicked()
                    {
                        commands.push(AppCommand::ExportLsoaTable(codes.clone()));
                    }
                });
                ui.label(
                    RichText::new(
                        "Click a row to select it on the map; shift or ctrl adds it. Click a header to sort.",
                    )
                    .weak(),
                );
                ui.separator();
                let columns = table_columns(comparison);
                let selection = &session.selection().codes;
                egui::ScrollArea::horizontal()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.vertical(|ui| {
                            self.header_ui(ui, &columns, comparison.from, comparison.to);
                            ui.separator();
                            egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(
                                ui,
                                ROW_HEIGHT,
                                rows.len(),
                                |ui, range| {
                                    for i in rows.get(range).unwrap_or_default() {
                                        let Some(row) = comparison.rows.get(*i) else { continue };
                                        let selected = selection.contains(&row.lsoa_code);
                                        if let Some(add) = row_ui(ui, &columns, row, selected) {
                                            commands.push(AppCommand::Click {
                                                code: row.lsoa_code,
                                                add,
                                            });
                                            // A plain click also brings the LSOA into view; adding to the
                                            // selection (shift/ctrl) leaves the view where the planner put it.
                                            if !add {
                                                commands.push(AppCommand::ShowLsoa(row.lsoa_code));
                                            }
                                        }
                                    }
                                },
                            );
                        });
                    });
            });
        self.open = open;
        commands
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, columns: &[TableColumn], from: u16, to: u16) {
        ui.horizontal(|ui| {
            for column in columns {
                let mut text = column.header(from, to);
                if self.order.sort == *column {
                    text.push_str(if self.order.descending { " (desc)" } else { " (asc)" });
                }
                let button = egui::Button::new(RichText::new(text).strong()).frame(false);
                let response = ui.add_sized([column.width(), ROW_HEIGHT], button);
                let hover = match column {
                    TableColumn::DomainFrom(index) | TableColumn::DomainTo(index) => {
                        format!("{} domain rank (1 = most deprived). Click to sort.", index.label())
                    }
                    TableColumn::Change => "Later rank − earlier rank; negative = more deprived. Click to sort.".into(),
                    _ => "Click to sort".into(),
                };
                if response.on_hover_text(hover).clicked() {
                    self.order.sort_by(*column);
                }
            }
        });
    }
}

/// One row; `Some(add)` when clicked (`add`: shift or ctrl held).
fn row_ui(
    ui: &mut egui::Ui,
    columns: &[TableColumn],
    row: &crate::analysis::LsoaChange,
    selected: bool,
) -> Option<bool> {
    let mut clicked = None;
    ui.horizontal(|ui| {
        for column in columns {
            let text = column.text(row);
            let size = [column.width(), ROW_HEIGHT];
            if *column == TableColumn::Code {
                let response = ui.add_sized(size, egui::Button::selectable(selected, text));
                if response.clicked() {
                    clicked = Some(ui.input(|i| i.modifiers.shift || i.modifiers.command));
                }
                continue;
            }
            let colour = match (column, row.change) {
                (TableColumn::Change, Some(c)) if c < 0 => Color32::from_rgb(0xa0, 0x20, 0x20),
                (TableColumn::Change, Some(c)) if c > 0 => Color32::from_rgb(0x10, 0x60, 0x20),
                _ => ui.visuals().text_color(),
            };
            let align = if column.numeric() { Align::Max } else { Align::Min };
            ui.allocate_ui_with_layout(
                size.into(),
                Layout::left_to_right(Align::Center).with_main_align(align),
                |ui| {
                    ui.set_min_size(size.into());
                    ui.add(egui::Label::new(RichText::new(text).color(colour)).truncate());
                },
            );
        }
    });
    clicked
}
