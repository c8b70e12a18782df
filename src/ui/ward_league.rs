//! The ward league: every ward of the open LA with MHCLG's summary measures, ranked among the LA's wards, sortable,
//! priority wards marked; and the ward profile's "Rank of wards" block.

use super::tool_window::tool_window;
use crate::analysis::{AreaSummary, AreaSummaryTable, SummaryMeasure, WardProfile};
use crate::model::{AreaCode, Dataset, Index};
use egui::RichText;

/// The index and measure pickers shared by the league views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasureChoice {
    /// The index summarised.
    pub index: Index,
    /// The measure the table is sorted (and a map filled) by.
    pub measure: SummaryMeasure,
}

impl Default for MeasureChoice {
    fn default() -> Self {
        Self {
            index: Index::Imd,
            measure: SummaryMeasure::AverageScore,
        }
    }
}

impl MeasureChoice {
    /// Draws the two pickers; `indices` are those the edition carries.
    pub fn pickers(&mut self, ui: &mut egui::Ui, id: &str, indices: &[Index]) {
        ui.horizontal(|ui| {
            egui::ComboBox::new(format!("{id}-index"), "Index")
                .selected_text(self.index.label())
                .show_ui(ui, |ui| {
                    for index in indices {
                        ui.selectable_value(&mut self.index, *index, index.label());
                    }
                });
            egui::ComboBox::new(format!("{id}-measure"), "Measure")
                .selected_text(self.measure.label())
                .show_ui(ui, |ui| {
                    for measure in SummaryMeasure::ALL {
                        ui.selectable_value(&mut self.measure, measure, measure.label());
                    }
                });
        });
    }
}

/// A ward table cached for the choices it was built for.
struct CachedWards {
    key: (u64, u16, Index, String),
    table: Result<AreaSummaryTable, String>,
    /// The IMD's 1% count per ward (priority wards), whatever index is shown.
    top1: Vec<(String, u32)>,
}

/// The ward league window's state.
#[derive(Default)]
pub struct WardLeagueState {
    /// Shown.
    pub open: bool,
    /// The edition shown: the later of the two compared unless the planner picks the earlier.
    pub earlier: bool,
    /// Index and measure.
    pub choice: MeasureChoice,
    /// Sort descending by the measure's rank (most deprived last) instead of ascending.
    pub descending: bool,
    /// Sort by name instead of rank.
    pub by_name: bool,
    cache: Option<CachedWards>,
    imd_cache: Option<CachedWards>,
}

/// The ward table for (edition, index, LA), built once per data generation.
fn cached<'a>(
    slot: &'a mut Option<CachedWards>,
    dataset: &Dataset,
    generation: u64,
    year: u16,
    index: Index,
    la: &str,
) -> &'a CachedWards {
    let key = (generation, year, index, la.to_string());
    if slot.as_ref().is_none_or(|c| c.key != key) {
        let table = AreaSummaryTable::wards(dataset, year, index, la).map_err(|e| e.to_string());
        let imd = if index == Index::Imd {
            table.clone().ok()
        } else {
            AreaSummaryTable::wards(dataset, year, Index::Imd, la).ok()
        };
        let top1 = imd
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| (r.area_code.clone(), r.lsoas_in_top1.unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default();
        *slot = Some(CachedWards { key, table, top1 });
    }
    slot.as_ref().unwrap_or_else(|| unreachable!("just filled"))
}

/// "1st", "2nd", "23rd".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl WardLeagueState {
    /// Draws the window; returns the code of the ward the planner clicked.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        dataset: &Dataset,
        generation: u64,
        la: &str,
        editions: (u16, u16),
    ) -> Option<AreaCode> {
        let mut open = self.open;
        let clicked = tool_window(ctx, "Ward league", &mut open, [760.0, 560.0], |ui| {
            self.body(ui, dataset, generation, la, editions)
        });
        self.open = open;
        clicked.flatten()
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        generation: u64,
        la: &str,
        (from, to): (u16, u16),
    ) -> Option<AreaCode> {
        ui.horizontal(|ui| {
            ui.label("Edition");
            ui.radio_value(&mut self.earlier, false, format!("IMD {to}"));
            ui.radio_value(&mut self.earlier, true, format!("IMD {from}"));
        });
        let year = if self.earlier { from } else { to };
        let indices = dataset.edition(year).map(|e| e.indices_present()).unwrap_or_default();
        self.choice.pickers(ui, "ward-league", &indices);
        let choice = self.choice;
        let cache = cached(&mut self.cache, dataset, generation, year, choice.index, la);
        let table = match &cache.table {
            Ok(table) => table,
            Err(e) => {
                ui.label(e);
                return None;
            }
        };
        ui.label(RichText::new(table.provenance()).weak());
        for note in &table.notes {
            ui.label(RichText::new(format!("Note: {note}.")).weak());
        }
        let mut rows: Vec<&AreaSummary> = table.rows.iter().collect();
        if self.by_name {
            rows.sort_by(|a, b| a.area_name.cmp(&b.area_name));
        } else {
            // A measure with no figures (its input not loaded) sorts by average rank instead of by name.
            let by = if rows.iter().any(|r| choice.measure.of(r).1.is_some()) {
                choice.measure
            } else {
                SummaryMeasure::AverageRank
            };
            rows.sort_by_key(|r| (by.of(r).1.unwrap_or(u32::MAX), r.area_name.clone()));
        }
        if self.descending {
            rows.reverse();
        }
        let top1 = |code: &str| cache.top1.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n);
        let mut clicked = None;
        let mut sort_by = None;
        egui::ScrollArea::vertical()
            .id_salt("ward-league-scroll")
            .show(ui, |ui| {
                egui::Grid::new("ward-league-grid")
                    .striped(true)
                    .num_columns(9)
                    .show(ui, |ui| {
                        if ui.button("Ward").clicked() {
                            sort_by = Some(None);
                        }
                        ui.label(RichText::new("LSOAs").strong());
                        ui.label(RichText::new("Priority").strong());
                        for measure in SummaryMeasure::ALL {
                            let marker = if !self.by_name && choice.measure == measure {
                                if self.descending { " (desc)" } else { " (asc)" }
                            } else {
                                ""
                            };
                            if ui.button(format!("{}{marker}", measure.label())).clicked() {
                                sort_by = Some(Some(measure));
                            }
                        }
                        ui.end_row();
                        for row in rows {
                            let in_top1 = top1(&row.area_code);
                            if ui.selectable_label(false, &row.area_name).clicked() {
                                clicked = AreaCode::parse(&row.area_code);
                            }
                            ui.label(row.lsoas.to_string());
                            if in_top1 > 0 {
                                ui.label(
                                    RichText::new(format!("Priority ({in_top1} in 1%)"))
                                        .color(egui::Color32::from_rgb(0xd9, 0x5f, 0x02)),
                                )
                                .on_hover_text("A priority ward: at least one LSOA in the most deprived 1% nationally");
                            } else {
                                ui.label("");
                            }
                            for measure in SummaryMeasure::ALL {
                                let (value, rank) = measure.of(row);
                                let text = match (value, rank) {
                                    (Some(v), Some(r)) => format!("{} ({})", measure.format(v, table.index), r),
                                    _ => "–".to_string(),
                                };
                                let strong = choice.measure == measure;
                                ui.label(if strong {
                                    RichText::new(text).strong()
                                } else {
                                    RichText::new(text)
                                });
                            }
                            ui.end_row();
                        }
                    });
            });
        match sort_by {
            Some(None) => {
                self.descending = self.by_name && !self.descending;
                self.by_name = true;
            }
            Some(Some(measure)) => {
                self.descending = !self.by_name && self.choice.measure == measure && !self.descending;
                self.by_name = false;
                self.choice.measure = measure;
            }
            None => {}
        }
        clicked
    }

    /// The ward profile's "Rank of wards" block: where the open ward stands among its LA's wards on each IMD measure
    /// of the later edition.
    pub fn rank_block(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        generation: u64,
        profile: &WardProfile,
        year: u16,
    ) {
        ui.separator();
        ui.label(RichText::new("Rank of wards").strong());
        let la = profile.la_code.to_string();
        let cache = cached(&mut self.imd_cache, dataset, generation, year, Index::Imd, &la);
        let Ok(table) = &cache.table else {
            ui.label("No ward summary for this LA.");
            return;
        };
        let Some(row) = table.rows.iter().find(|r| r.area_code == profile.code.as_str()) else {
            ui.label(format!("{} is not among the wards of IMD {year}.", profile.name));
            return;
        };
        for (line, figure) in ward_rank_lines(row, &profile.name, &profile.la_name, year) {
            ui.label(if figure {
                RichText::new(line)
            } else {
                RichText::new(line).weak()
            });
        }
        if let Some(national) = row.national_rank_of_average {
            ui.label(
                RichText::new(format!(
                    "Its average rank sits where an LSOA ranked {national:.0} of {} would nationally.",
                    table.national_lsoas
                ))
                .weak(),
            );
        }
        if ui.button("Open the ward league…").clicked() {
            self.open = true;
        }
    }
}

/// The "Rank of wards" lines of a ward's IMD summary row, e.g. `Gipton & Harehills: 1st of 33 Leeds wards on
/// average score (…, IMD 2019)`, each with whether it has a figure (a measure without one says so; no scale line).
pub fn ward_rank_lines(row: &AreaSummary, ward: &str, la: &str, year: u16) -> Vec<(String, bool)> {
    let peers = row.peers;
    SummaryMeasure::ALL
        .into_iter()
        .filter_map(|measure| match measure.of(row) {
            (Some(value), Some(rank)) => Some((
                format!(
                    "{ward}: {} of {peers} {la} wards on {} ({}, IMD {year})",
                    ordinal(rank),
                    measure.label().to_lowercase(),
                    measure.format(value, Index::Imd)
                ),
                true,
            )),
            _ if measure == SummaryMeasure::Scale => None,
            _ => Some((
                format!("{}: no figure (see the ward league's notes)", measure.label()),
                false,
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 33, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "33rd", "101st", "111th"
            ]
        );
    }
}
