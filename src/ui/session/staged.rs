//! A staged load in the session: the first part is shown as soon as it can draw the map asked for, and the rest
//! replaces it when it comes, keeping the view, the selection, the focused LSOA and the open ward profile.

use super::Session;
use crate::io::LoadFocus;
use crate::model::Index;
use crate::style::{MapChoices, MapMode};
use crate::ui::loader::{LoadFailure, LoadNews, LoadedData};
use crate::ui::settings::Settings;
use std::sync::Arc;

/// The load focus of a map: its LA, its two editions and the index its fill ranks by.
pub fn focus_of(choices: &MapChoices) -> LoadFocus {
    let index = match choices.mode {
        MapMode::DomainLater(index) | MapMode::DomainEarlier(index) => index,
        _ => Index::Imd,
    };
    LoadFocus {
        la: choices.la.clone(),
        editions: [choices.from, choices.to],
        index,
    }
}

impl Session {
    /// Stages the next load for these choices (what the map asks for first).
    pub fn focus_load_on(&mut self, choices: &MapChoices) {
        self.load_focus = Some(focus_of(choices));
    }

    /// The first part of a staged load shown while the rest loads, if that is what is shown.
    pub fn first_part(&self) -> Option<&crate::ui::staged_load::FirstPart> {
        self.data.as_ref()?.first_part.as_ref()
    }

    /// True while figures that need the rest of a staged load cannot be given yet.
    pub fn rest_loading(&self) -> bool {
        self.first_part().is_some() && self.job.is_some()
    }

    pub(super) fn take_news(&mut self, news: LoadNews, settings: &mut Settings) {
        match news {
            LoadNews::First(data) => self.show_first_part(data, settings),
            LoadNews::Done(result) => {
                self.job = None;
                if self.first_part().is_some() {
                    self.swap_in_rest(result, settings);
                } else {
                    self.finish_load(result, settings);
                }
            }
        }
    }

    /// Shows the first part if it can draw the map asked for; otherwise nothing changes and the whole load decides
    /// (it may fall back to another LA, or say why the choice cannot be shown).
    fn show_first_part(&mut self, data: Arc<LoadedData>, settings: &mut Settings) {
        let previous = self.data.replace(data);
        let (profile, selected, highlighted) = (self.profile.take(), self.selected.take(), self.highlighted.clone());
        self.highlighted.clear();
        self.rebuild_scene(settings);
        if self.scene.is_some() {
            self.load_error = None;
            settings.data_folder = self.data.as_ref().and_then(|d| super::remembered_folder(&d.source));
            return;
        }
        self.data = previous;
        (self.profile, self.selected, self.highlighted) = (profile, selected, highlighted);
        self.scene_error = None;
        self.scene_error_text = None;
        self.unshown_summary = None;
        if self.data.is_some() {
            self.rebuild_scene(settings);
        }
    }

    /// The whole load replaces its first part under the same view; the scene is rebuilt on it (the ward profile too).
    fn swap_in_rest(&mut self, result: Result<Arc<LoadedData>, LoadFailure>, settings: &mut Settings) {
        match result {
            Ok(data) => {
                self.data = Some(data.clone());
                self.keep_view = true;
                self.rebuild_scene(settings);
                self.keep_view = false;
                if self.scene.is_none() {
                    self.finish_load(Ok(data), settings);
                }
            }
            Err(failure) => {
                self.load_error = Some(format!(
                    "The map shows the first part of the data only: the rest could not be loaded. {failure}"
                ))
            }
        }
    }
}

#[cfg(test)]
#[path = "staged_tests.rs"]
mod tests;
