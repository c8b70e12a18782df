//! The "Emerging issues" list: flagged areas with recent vs expected, ratio and p-value, sortable; clicking a row
//! opens the area. The method is stated above the list.

use crate::analysis::{EmergingArea, EmergingScan};
use crate::model::AreaCode;
use egui::RichText;

/// Sort column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmergingSort {
    /// Area name.
    Area,
    /// Recent count.
    Recent,
    /// Recent / expected.
    Ratio,
    /// p-value (smallest first).
    #[default]
    PValue,
}

/// The rows in the chosen order (flagged only unless `all`).
pub fn sorted_rows(scan: &EmergingScan, sort: EmergingSort, all: bool) -> Vec<&EmergingArea> {
    let mut rows: Vec<&EmergingArea> = scan.tested.iter().filter(|a| all || a.flagged).collect();
    match sort {
        EmergingSort::Area => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        EmergingSort::Recent => rows.sort_by(|a, b| b.recent.total_cmp(&a.recent)),
        EmergingSort::Ratio => rows.sort_by(|a, b| b.ratio.total_cmp(&a.ratio)),
        EmergingSort::PValue => rows.sort_by(|a, b| a.p_value.total_cmp(&b.p_value)),
    }
    rows
}

/// Draws the list; returns the area clicked. `decile` gives an LSOA's IMD decile text (wards have none), so a
/// deprived area whose figures are rising shows as such.
pub fn emerging_list_ui(
    ui: &mut egui::Ui,
    scan: &EmergingScan,
    decile: &dyn Fn(&AreaCode) -> Option<String>,
    indicator: &str,
    sort: &mut EmergingSort,
    all: &mut bool,
) -> Option<AreaCode> {
    ui.label(RichText::new(&scan.method).weak());
    if let Some(why) = &scan.not_run {
        ui.label(format!("Not run: {why}"));
        return None;
    }
    if let Some(w) = scan.recent {
        ui.label(format!(
            "Recent window {}: {} areas tested, {} flagged, {} not tested.",
            w.label(),
            scan.tested.len(),
            scan.flagged().count(),
            scan.untested
        ));
    }
    ui.checkbox(all, "Show every tested area");
    let mut clicked = None;
    let salt = format!("{:?}", scan.level);
    egui::ScrollArea::vertical()
        .max_height(260.0)
        .id_salt(("emerging-scroll", &salt))
        .show(ui, |ui| {
            egui::Grid::new(("emerging-grid", &salt))
                .striped(true)
                .num_columns(8)
                .show(ui, |ui| {
                    for (label, column) in [
                        ("Area", Some(EmergingSort::Area)),
                        ("Indicator", None),
                        ("Recent", Some(EmergingSort::Recent)),
                        ("Expected", None),
                        ("Ratio", Some(EmergingSort::Ratio)),
                        ("p", Some(EmergingSort::PValue)),
                        ("Flag", None),
                        ("IMD decile", None),
                    ] {
                        match column {
                            Some(c) => {
                                let text = if *sort == c {
                                    format!("{label} (sorted)")
                                } else {
                                    label.to_string()
                                };
                                if ui.button(RichText::new(text).strong()).clicked() {
                                    *sort = c;
                                }
                            }
                            None => {
                                ui.label(RichText::new(label).strong());
                            }
                        }
                    }
                    ui.end_row();
                    for row in sorted_rows(scan, *sort, *all) {
                        let name = if row.name.is_empty() {
                            row.code.to_string()
                        } else {
                            format!("{} ({})", row.name, row.code)
                        };
                        if ui.link(name).on_hover_text("Open this area").clicked() {
                            clicked = Some(row.code);
                        }
                        ui.label(indicator);
                        ui.label(format!("{}", row.recent));
                        ui.label(format!("{:.1}", row.expected));
                        ui.label(format!("{:.2}", row.ratio));
                        ui.label(format!("{:.2e}", row.p_value));
                        ui.label(if row.flagged { "emerging" } else { "" });
                        ui.label(decile(&row.code).unwrap_or_default());
                        ui.end_row();
                    }
                });
        });
    clicked
}
