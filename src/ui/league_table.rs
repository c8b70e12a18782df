//! The LA league table window: every LA ranked by share of LSOAs in decile 1 and by LSOAs in the 1%, for the two
//! chosen editions, with the change; sortable; clicking an LA opens it on the map.

use super::tool_window::tool_window;
use crate::analysis::{LeagueEntry, LeagueRow, LeagueTable};
use crate::model::Dataset;
use egui::RichText;

/// Which column the table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeagueColumn {
    /// LA name.
    Name,
    /// Later edition's rank by decile-1 share.
    #[default]
    RankTo,
    /// Earlier edition's rank by decile-1 share.
    RankFrom,
    /// LSOAs in the later 1%.
    Top1To,
    /// Change in rank.
    RankChange,
}

/// The window's state: the table for the editions it was built for, and the sort.
#[derive(Default)]
pub struct LeagueTableState {
    /// Shown.
    pub open: bool,
    table: Option<(u64, LeagueTable)>,
    error: Option<String>,
    sort: LeagueColumn,
    descending: bool,
    filter: String,
    /// Rank on one of MHCLG's measures of any index instead of decile-1 share and 1% count.
    by_measure: bool,
    choice: super::ward_league::MeasureChoice,
    measure_cache: Option<super::MeasureLeague>,
}

impl LeagueTableState {
    /// Draws the window; returns the name of the LA the planner clicked.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        dataset: &Dataset,
        generation: u64,
        from: u16,
        to: u16,
        current_la: &str,
    ) -> Option<String> {
        if !self.open {
            return None;
        }
        let stale = self
            .table
            .as_ref()
            .is_none_or(|(g, t)| *g != generation || t.from != from || t.to != to);
        if stale {
            match LeagueTable::new(dataset, from, to) {
                Ok(table) => {
                    self.table = Some((generation, table));
                    self.error = None;
                }
                Err(e) => {
                    self.table = None;
                    self.error = Some(e.to_string());
                }
            }
        }
        let mut open = self.open;
        let mut clicked = None;
        tool_window(ctx, "Local authority league table", &mut open, [720.0, 520.0], |ui| {
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.by_measure, false, "Decile-1 share and 1% count");
                ui.radio_value(&mut self.by_measure, true, "MHCLG summary measure");
            });
            if self.by_measure {
                let indices = dataset.edition(to).map(|e| e.indices_present()).unwrap_or_default();
                self.choice.pickers(ui, "la-league", &indices);
                clicked = super::measure_league_ui(
                    ui,
                    &mut self.measure_cache,
                    dataset,
                    generation,
                    (from, to),
                    self.choice,
                    current_la,
                );
            } else {
                clicked = self.body(ui, current_la);
            }
        });
        self.open = open;
        clicked
    }

    fn body(&mut self, ui: &mut egui::Ui, current_la: &str) -> Option<String> {
        if let Some(error) = &self.error {
            ui.label(error);
            return None;
        }
        let Some((_, table)) = &self.table else { return None };
        ui.label(format!(
            "All {} LAs by share of LSOAs in the most deprived 10% (decile 1) and LSOAs in the most deprived 1%, IMD {} and {}. Click an LA to open it.",
            table.rows.len(),
            table.from,
            table.to
        ));
        ui.horizontal(|ui| {
            let label = ui.label("Find");
            ui.text_edit_singleline(&mut self.filter).labelled_by(label.id);
        });
        let wanted = crate::model::normalise(&self.filter);
        let mut rows: Vec<&LeagueRow> = table
            .rows
            .iter()
            .filter(|r| wanted.is_empty() || crate::model::normalise(&r.la_name).contains(&wanted))
            .collect();
        let key = |r: &LeagueRow| -> (i64, String) {
            let rank = |e: Option<LeagueEntry>| e.map_or(i64::MAX, |e| i64::from(e.rank_by_decile1_share));
            match self.sort {
                LeagueColumn::Name => (0, r.la_name.clone()),
                LeagueColumn::RankTo => (rank(r.to), r.la_name.clone()),
                LeagueColumn::RankFrom => (rank(r.from), r.la_name.clone()),
                LeagueColumn::Top1To => (-r.to.map_or(-1, |e| i64::from(e.top1)), r.la_name.clone()),
                LeagueColumn::RankChange => (r.rank_change.unwrap_or(i64::MAX), r.la_name.clone()),
            }
        };
        rows.sort_by_key(|r| key(r));
        if self.descending {
            rows.reverse();
        }
        let (from, to) = (table.from, table.to);
        let mut clicked = None;
        let mut sort_clicked = None;
        egui::ScrollArea::vertical().id_salt("league-scroll").show(ui, |ui| {
            egui::Grid::new("league-grid")
                .striped(true)
                .num_columns(9)
                .show(ui, |ui| {
                    let headers = [
                        ("Local authority".to_string(), Some(LeagueColumn::Name)),
                        (format!("Rank {from}"), Some(LeagueColumn::RankFrom)),
                        (format!("D1 {from}"), None),
                        (format!("1% {from}"), None),
                        (format!("Rank {to}"), Some(LeagueColumn::RankTo)),
                        (format!("D1 {to}"), None),
                        (format!("1% {to}"), Some(LeagueColumn::Top1To)),
                        ("Rank change".to_string(), Some(LeagueColumn::RankChange)),
                        ("1% change".to_string(), None),
                    ];
                    for (label, column) in headers {
                        match column {
                            Some(column) => {
                                let marker = if self.sort == column {
                                    if self.descending { " (desc)" } else { " (asc)" }
                                } else {
                                    ""
                                };
                                if ui.button(format!("{label}{marker}")).clicked() {
                                    sort_clicked = Some(column);
                                }
                            }
                            None => {
                                ui.label(RichText::new(label).strong());
                            }
                        }
                    }
                    ui.end_row();
                    let dash = || "-".to_string();
                    for row in rows {
                        let current = crate::model::normalise(&row.la_name) == crate::model::normalise(current_la)
                            || row.la_code.as_str() == current_la;
                        if ui.selectable_label(current, &row.la_name).clicked() {
                            clicked = Some(row.la_name.clone());
                        }
                        for entry in [row.from, row.to] {
                            ui.label(entry.map_or_else(dash, |e| e.rank_by_decile1_share.to_string()));
                            ui.label(entry.map_or_else(dash, |e| format!("{:.1}%", e.decile1_share * 100.0)));
                            ui.label(entry.map_or_else(dash, |e| e.top1.to_string()));
                        }
                        ui.label(row.rank_change.map_or_else(dash, |c| format!("{c:+}")));
                        ui.label(row.top1_change.map_or_else(dash, |c| format!("{c:+}")));
                        ui.end_row();
                    }
                });
        });
        if let Some(column) = sort_clicked {
            self.descending = self.sort == column && !self.descending;
            self.sort = column;
        }
        clicked
    }
}
