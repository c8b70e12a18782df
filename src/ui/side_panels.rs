//! The panels around the map: the distribution plots below it, the legend, LA summary, priority wards and selection on
//! the left, the ward profile on the right. They draw the session and return [`AppCommand`]s.
//!
//! A new panel goes in its own file with a `…_ui(ui, …) -> Option<AppCommand>` (or `Vec`) function, and is called
//! from one of these (or given its own `egui::Panel` here).

use super::area_groups_view::named_selections_ui;
use super::area_views::AreaViews;
use super::command::AppCommand;
use super::distribution::{DistributionState, distribution_ui};
use super::panels::{ProfileSort, legend_ui, priority_wards_ui, summary_ui, ward_profile_ui};
use super::selection_panel::{SelectionAction, SelectionPanelState, selection_ui};
use super::session::Session;
use super::settings::Settings;
use crate::analysis::SelectionEdit;
use crate::model::AreaCode;
use std::collections::BTreeMap;

/// The panels' own state.
pub struct Panels {
    /// How the ward profile's table is sorted.
    pub profile_sort: ProfileSort,
    /// The selection panel's "changed by at least" rule.
    pub rule_change_limit: i64,
    /// The name typed in the selection panel.
    pub selection_name: String,
    /// The distribution plots' state.
    pub distribution: DistributionState,
    /// The LSOA under the pointer on the map (the plots mark it).
    pub hovered_on_map: Option<AreaCode>,
    /// LSOAs under the pointer in a panel (the map outlines them).
    pub hovered_in_panel: Vec<AreaCode>,
    /// The ward league and area groups windows (`area_views.rs`), whose ward ranks the profile shows too.
    pub areas: AreaViews,
    /// The profile's local indicator trend and emerging flag (`profile_indicator.rs`).
    pub indicator: super::profile_indicator::ProfileIndicator,
    /// Each named selection's figure on the indicators window's indicator and months, shown beneath its name.
    pub named_indicator_figures: BTreeMap<String, String>,
}

impl Default for Panels {
    fn default() -> Self {
        Self {
            profile_sort: ProfileSort::default(),
            rule_change_limit: -100,
            selection_name: String::new(),
            distribution: DistributionState::default(),
            hovered_on_map: None,
            hovered_in_panel: Vec::new(),
            areas: AreaViews::default(),
            indicator: Default::default(),
            named_indicator_figures: BTreeMap::new(),
        }
    }
}

impl From<SelectionAction> for Option<AppCommand> {
    fn from(action: SelectionAction) -> Self {
        Some(match action {
            SelectionAction::None => return None,
            SelectionAction::Edit(edit) => AppCommand::EditSelection(edit),
            SelectionAction::Undo => AppCommand::Undo,
            SelectionAction::Redo => AppCommand::Redo,
            SelectionAction::Focus(code) => AppCommand::Focus(code),
            SelectionAction::SaveNamed(name) => AppCommand::SaveNamed(name),
            SelectionAction::OpenNamed(name) => AppCommand::OpenNamed(name),
            SelectionAction::RenameNamed(old, new) => AppCommand::RenameNamed(old, new),
            SelectionAction::DeleteNamed(name) => AppCommand::DeleteNamed(name),
        })
    }
}

/// A section of the left panel under a header that folds it away.
fn section(ui: &mut egui::Ui, title: &str, open: bool, body: impl FnOnce(&mut egui::Ui)) {
    egui::CollapsingHeader::new(egui::RichText::new(title).strong())
        .id_salt(("left-panel", title))
        .default_open(open)
        .show(ui, body);
}

impl Panels {
    /// The histogram and scatter below the map (when switched on and there is a map).
    pub fn distribution(&mut self, ui: &mut egui::Ui, session: &Session, settings: &Settings) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        if !settings.show_distribution || session.scene().is_none() {
            return commands;
        }
        egui::Panel::bottom("distribution")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                if let Some(scene) = session.scene() {
                    let response = distribution_ui(
                        ui,
                        scene,
                        &mut self.distribution,
                        self.hovered_on_map.as_ref(),
                        settings.colour_vision,
                    );
                    self.hovered_in_panel = response.hovered;
                    if let Some(brushed) = response.brushed {
                        commands.push(AppCommand::EditSelection(SelectionEdit::Replace(
                            brushed.into_iter().collect(),
                        )));
                    }
                }
            });
        commands
    }

    /// Legend, LA summary, priority wards and the selection, on the left.
    pub fn left(&mut self, ui: &mut egui::Ui, session: &Session, settings: &Settings) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        egui::Panel::left("legend")
            .resizable(true)
            .default_size(290.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let Some(scene) = session.scene() else {
                        super::missing_data::unshown_panel_ui(ui, session);
                        return;
                    };
                    // Collapsible sections, the priority wards and the selection before the summary, so that they are
                    // reached without scrolling at 1400 × 900 (each remembers whether it is open).
                    section(ui, "Legend", true, |ui| {
                        let layer = session.group_layer().filter(|_| settings.show_group_layer);
                        let lsoas = || scene.comparison.rows.iter().map(|r| &r.lsoa_code);
                        legend_ui(
                            ui,
                            &scene.styled.legend,
                            settings.show_transitions,
                            scene.comparison.to,
                            settings.colour_vision,
                            layer.is_none_or(|l| !l.fills_all(lsoas())),
                        );
                        if settings.show_group_layer {
                            let layer = layer.map(|l| l.as_ref());
                            let groups = &mut self.areas.groups;
                            super::group_layer::group_legend_ui(ui, groups, layer, scene, settings.colour_vision);
                        }
                    });
                    let open = session.profile().map(|p| p.code);
                    section(ui, "Priority wards", true, |ui| {
                        let ward_to_open = priority_wards_ui(ui, &scene.summary, open.as_ref());
                        commands.extend(ward_to_open.map(AppCommand::OpenWard));
                    });
                    let ward = session.profile().map(|p| (p.code, p.name.clone()));
                    section(ui, "Selection", true, |ui| {
                        let state = SelectionPanelState {
                            change_limit: &mut self.rule_change_limit,
                            named: session.named_selections(),
                            name: &mut self.selection_name,
                            indicator_figures: &self.named_indicator_figures,
                        };
                        let action = selection_ui(ui, &scene.comparison, session.selection(), ward, state);
                        commands.extend(Option::<AppCommand>::from(action));
                        if let Some(layer) = session.group_layer() {
                            commands.extend(super::group_layer::groups_selection_ui(ui, layer));
                        }
                    });
                    section(ui, "LA summary", true, |ui| {
                        summary_ui(ui, &scene.summary, session.rest_loading())
                    });
                    named_selections_ui(ui, &scene.data.dataset, scene.comparison.to, session.named_selections());
                });
            });
        commands
    }

    /// The open ward's profile, on the right.
    pub fn ward_profile(&mut self, ui: &mut egui::Ui, session: &Session) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        let Some(profile) = session.profile() else {
            return commands;
        };
        egui::Panel::right("ward-profile")
            .resizable(true)
            .default_size(430.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Close ward profile").clicked() {
                        commands.push(AppCommand::CloseProfile);
                    }
                    if ui
                        .button("Back to the LA")
                        .on_hover_text("Show the whole LA again (Escape or 0)")
                        .clicked()
                    {
                        commands.push(AppCommand::Fit);
                    }
                });
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if session.rest_loading() {
                        super::missing_data::missing_ui(ui, Some(super::missing_data::REST_LOADING));
                    }
                    let clicked = ward_profile_ui(ui, profile, &mut self.profile_sort, session.selected());
                    commands.extend(clicked.map(AppCommand::Focus));
                    if let Some(scene) = session.scene() {
                        let year = scene.comparison.to;
                        self.areas
                            .wards
                            .rank_block(ui, &scene.data.dataset, session.generation(), profile, year);
                        let choice = session.indicator_memory().current.as_ref();
                        self.indicator
                            .block(ui, &scene.data.dataset, session.generation(), profile, choice);
                    }
                });
            });
        commands
    }
}
