//! The toolbar's search field with its list of matches as the planner types: LSOA codes and names, wards and LAs,
//! ranked by [`PlaceIndex`] (exact, prefix, word, part, then a typo or two away), the map's own LA first. Up and down
//! move through the list, Enter or a click shows the place; Enter with no list open searches the map.

use super::command::AppCommand;
use super::loader::LoadedData;
use super::session::Session;
use crate::analysis::{MatchQuality, PlaceIndex, PlaceKind};
use egui::RichText;
use std::sync::Arc;

/// Matches listed under the field.
pub const LISTED_MATCHES: usize = 12;

/// The field's text, the index it searches and the matches for the text.
#[derive(Default)]
pub struct PlaceSearchState {
    /// What was typed.
    pub text: String,
    /// The places of the loaded data's later edition, built once per load and edition.
    index: Option<(Arc<LoadedData>, u16, PlaceIndex)>,
    /// The matches listed for `matches_for` (place positions in the index, with their quality).
    matches: Vec<(usize, MatchQuality)>,
    matches_for: Option<(String, String)>,
    /// The list is open.
    open: bool,
    /// The entry Up and Down moved to.
    chosen: usize,
}

impl PlaceSearchState {
    /// The places searched, for the data and edition shown (rebuilt when either changes).
    fn index_for(&mut self, data: &Arc<LoadedData>, year: u16) -> &PlaceIndex {
        let stale = self
            .index
            .as_ref()
            .is_none_or(|(d, y, _)| !Arc::ptr_eq(d, data) || *y != year);
        if stale {
            self.index = Some((data.clone(), year, PlaceIndex::of_dataset(&data.dataset, year)));
            self.matches_for = None;
        }
        &self.index.as_ref().unwrap_or_else(|| unreachable!()).2
    }

    /// Recomputes the matches when the text or the map's LA changed: the LA's own places first, then the rest.
    fn refresh(&mut self, data: &Arc<LoadedData>, year: u16, la_name: &str) {
        let key = (self.text.clone(), la_name.to_string());
        if self.matches_for.as_ref() == Some(&key) && self.index.is_some() {
            return;
        }
        let text = self.text.clone();
        let index = self.index_for(data, year);
        let mut found: Vec<(usize, MatchQuality, bool)> = index
            .search(&text, 200, |_| true)
            .into_iter()
            .map(|m| {
                let elsewhere = m.place.kind != PlaceKind::LocalAuthority && m.place.la_name != la_name;
                (m.position, m.quality, elsewhere)
            })
            .collect();
        // Stable: the index's order within each group.
        found.sort_by_key(|(_, quality, elsewhere)| (*quality, *elsewhere));
        self.matches = found.into_iter().take(LISTED_MATCHES).map(|(i, q, _)| (i, q)).collect();
        self.matches_for = Some(key);
        self.chosen = 0;
    }
}

/// Draws the labelled field and, while typing, the list of matches; returns what was chosen.
pub fn place_search_ui(ui: &mut egui::Ui, state: &mut PlaceSearchState, session: &Session) -> Vec<AppCommand> {
    let mut commands = Vec::new();
    let label = ui.label("Search");
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut state.text)
                .hint_text("LSOA code or name, ward, LA")
                .desired_width(200.0),
        )
        .labelled_by(label.id);
    let (Some(data), Some(scene)) = (session.data(), session.scene()) else {
        return commands;
    };
    let year = scene.comparison.to;
    let la_name = scene.comparison.la_name.clone();
    if field.changed() {
        state.open = !state.text.trim().is_empty();
    }
    if field.gained_focus() && !state.text.trim().is_empty() {
        state.open = true;
    }
    if state.open {
        state.refresh(data, year, &la_name);
    }
    let (up, down, enter, escape) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    let typing = field.has_focus() || field.lost_focus();
    if state.open && typing {
        if down {
            state.chosen = (state.chosen + 1).min(state.matches.len().saturating_sub(1));
        }
        if up {
            state.chosen = state.chosen.saturating_sub(1);
        }
        if escape {
            state.open = false;
        }
    }
    let mut picked: Option<usize> = None;
    if field.lost_focus() && enter {
        if state.open && !state.matches.is_empty() {
            picked = Some(state.chosen);
        } else {
            commands.push(AppCommand::Search(state.text.clone()));
        }
    }
    let mut open = state.open;
    let list = egui::Popup::from_response(&field)
        .open_bool(&mut open)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .width(field.rect.width().max(460.0))
        .show(|ui| {
            let places = state.index.as_ref().map(|(_, _, i)| i.places()).unwrap_or_default();
            if state.matches.is_empty() {
                ui.label(RichText::new(format!("Nothing like {:?}", state.text)).weak());
            }
            let mut clicked = None;
            for (n, (position, quality)) in state.matches.iter().enumerate() {
                let Some(place) = places.get(*position) else { continue };
                let typo = matches!(quality, MatchQuality::Typos(_));
                let text = format!("{}  {}  {}", place.kind.label(), place.describe(), place.code);
                let entry = ui.selectable_label(n == state.chosen, text);
                let entry = if typo {
                    entry.on_hover_text("Near match (a typing error or two away)")
                } else {
                    entry
                };
                if entry.clicked() {
                    clicked = Some(n);
                }
            }
            clicked
        });
    if let Some(n) = list.and_then(|r| r.inner) {
        picked = Some(n);
    }
    state.open = open;
    if let Some(n) = picked {
        let places = state.index.as_ref().map(|(_, _, i)| i.places()).unwrap_or_default();
        if let Some(place) = state.matches.get(n).and_then(|(i, _)| places.get(*i)) {
            state.text = place.name.clone();
            commands.push(AppCommand::ShowPlace(place.clone()));
        }
        state.open = false;
        state.matches_for = None;
    }
    commands
}
