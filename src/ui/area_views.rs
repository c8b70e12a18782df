//! The window's area-summary views in one place, so the app needs only a field and a few calls: the ward league,
//! the area groups map, their View-menu entries, and the LA league table's measure view.

use super::area_groups_view::{GroupInputs, GroupsState};
use super::session::Session;
use super::settings::Settings;
use super::ward_league::{MeasureChoice, WardLeagueState};
use crate::analysis::AreaSummaryTable;
use crate::model::{AreaCode, Dataset, normalise};
use egui::RichText;

/// The ward league and area groups windows.
#[derive(Default)]
pub struct AreaViews {
    /// The ward league window (also the ward profile's "Rank of wards" block).
    pub wards: WardLeagueState,
    /// The area groups window.
    pub groups: GroupsState,
}

impl AreaViews {
    /// Draws the open windows for the session's data and the chosen LA and editions; returns the ward the planner
    /// clicked in the ward league (a file the groups window asks for is left in its `file_request`).
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, settings: &mut Settings) -> Option<AreaCode> {
        let data = session.data()?;
        let (dataset, generation) = (&data.dataset, session.generation());
        let editions = (settings.from, settings.to);
        let clicked = self.wards.show(ctx, dataset, generation, &settings.la, editions);
        // Looked up only while the groups window is open: finding an LA walks the edition's rows (42% of an idle
        // Leeds frame when done every frame).
        let la_code = self
            .groups
            .open
            .then(|| dataset.find_la(editions.1, &settings.la).map(|(code, _)| code))
            .flatten();
        let named = session.named_selections();
        let inputs = GroupInputs {
            dataset,
            generation,
            year: editions.1,
            la: la_code.as_ref(),
            named,
        };
        self.groups.show(ctx, inputs, &mut settings.show_group_layer);
        clicked
    }
}

/// Both editions' LA summaries for one index, on the later edition's LA geography.
pub struct MeasureLeague {
    key: (u64, u16, u16, crate::model::Index),
    tables: Result<(AreaSummaryTable, AreaSummaryTable), String>,
}

/// The LA league table on any MHCLG measure of any index: both editions on the later edition's LAs (the earlier
/// recast), with the change in rank. Returns the LA clicked.
pub fn measure_league_ui(
    ui: &mut egui::Ui,
    cache: &mut Option<MeasureLeague>,
    dataset: &Dataset,
    generation: u64,
    (from, to): (u16, u16),
    choice: MeasureChoice,
    current_la: &str,
) -> Option<String> {
    let key = (generation, from, to, choice.index);
    if cache.as_ref().is_none_or(|c| c.key != key) {
        let tables = AreaSummaryTable::las(dataset, from, choice.index, Some(to))
            .and_then(|a| Ok((a, AreaSummaryTable::las(dataset, to, choice.index, None)?)))
            .map_err(|e| e.to_string());
        *cache = Some(MeasureLeague { key, tables });
    }
    let league = cache.as_ref()?;
    let (earlier, later) = match &league.tables {
        Ok(tables) => tables,
        Err(e) => {
            ui.label(e);
            return None;
        }
    };
    let measure = choice.measure;
    ui.label(RichText::new(format!("IMD {from}: {}", earlier.geography)).weak());
    for note in earlier.notes.iter().chain(&later.notes) {
        ui.label(RichText::new(format!("Note: {note}.")).weak());
    }
    let mut rows: Vec<_> = later.rows.iter().collect();
    rows.sort_by_key(|r| (measure.of(r).1.unwrap_or(u32::MAX), r.area_name.clone()));
    let mut clicked = None;
    let cell = |row: Option<&crate::analysis::AreaSummary>, index| -> (String, String) {
        let (value, rank) = row.map_or((None, None), |r| measure.of(r));
        (
            rank.map_or_else(|| "–".into(), |r| r.to_string()),
            value.map_or_else(|| "–".into(), |v| measure.format(v, index)),
        )
    };
    egui::ScrollArea::vertical()
        .id_salt("measure-league-scroll")
        .show(ui, |ui| {
            egui::Grid::new("measure-league-grid")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for header in [
                        "Local authority".to_string(),
                        format!("Rank {from}"),
                        format!("{} {from}", measure.label()),
                        format!("Rank {to}"),
                        format!("{} {to}", measure.label()),
                        "Rank change".to_string(),
                    ] {
                        ui.label(RichText::new(header).strong());
                    }
                    ui.end_row();
                    for row in rows {
                        let before = earlier.rows.iter().find(|r| r.area_code == row.area_code);
                        let current = normalise(&row.area_name) == normalise(current_la) || row.area_code == current_la;
                        if ui.selectable_label(current, &row.area_name).clicked() {
                            clicked = Some(row.area_name.clone());
                        }
                        let (rank_from, value_from) = cell(before, earlier.index);
                        let (rank_to, value_to) = cell(Some(row), later.index);
                        ui.label(rank_from);
                        ui.label(value_from);
                        ui.label(rank_to);
                        ui.label(value_to);
                        let change = before
                            .and_then(|b| measure.of(b).1)
                            .zip(measure.of(row).1)
                            .map_or_else(|| "–".into(), |(b, a)| format!("{:+}", i64::from(a) - i64::from(b)));
                        ui.label(change);
                        ui.end_row();
                    }
                });
        });
    clicked
}
