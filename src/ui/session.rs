//! The window's state without the window: the loaded data and the load running, the scene for the planner's choices,
//! the selection with its history, the ward profile, named selections, the project file and the messages about it.
//! No egui: everything here is unit-tested on the embedded Leeds data without a window. The window draws it and
//! turns the planner's clicks and keys into [`AppCommand`](super::AppCommand)s that change it.

mod editions;
mod indicator_memory;
mod project;
mod search;
mod staged;

pub use search::SearchHit;

pub use indicator_memory::IndicatorMemory;

use super::loader::{LoadJob, LoadedData};
use super::scene::{MapScene, SceneError};
use super::settings::{SceneKey, Settings};
use crate::analysis::{Selection, SelectionEdit, SelectionHistory, WardProfile};
use crate::io::DataSource;
use crate::model::AreaCode;
use crate::render::MapView;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The LA summary of the settings' choices from the tables alone, if they can be compared.
fn unshown_summary(dataset: &crate::model::Dataset, settings: &Settings) -> Option<crate::analysis::LaSummary> {
    use crate::analysis::{AreaFilter, EditionComparison, LaSummary};
    let comparison =
        EditionComparison::new(dataset, &AreaFilter::parse(&settings.la), settings.from, settings.to).ok()?;
    LaSummary::new(dataset, &comparison).ok()
}

/// A message about a file the planner saved, exported or opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMessage {
    /// False when something went wrong.
    pub ok: bool,
    /// One sentence.
    pub text: String,
}

/// A project whose data folder lies outside its own folder: the planner is asked before it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataConfirmation {
    /// The folder the project names.
    pub folder: PathBuf,
    /// Why it needs confirming, one sentence.
    pub reason: String,
}

/// How the map's view should change: asked for by the session, carried out by the window (which knows the map's size).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewRequest {
    /// Fit the whole LA (a new LA or new data, key 0, "Fit to the LA").
    Fit,
    /// Show this world rectangle, with a margin (a search hit).
    Show(geo::Rect<f64>),
}

/// Called from a background thread when the window should draw again (a load progressed or finished).
pub type Repaint = Arc<dyn Fn() + Send + Sync>;

/// The window's state (see the module documentation).
pub struct Session {
    data: Option<Arc<LoadedData>>,
    scene: Option<MapScene>,
    /// Why the current choices cannot be shown (the previous map stays).
    scene_error: Option<SceneError>,
    /// The same, as the sentence shown.
    scene_error_text: Option<String>,
    /// When the chosen LA cannot be mapped (no boundaries or wards loaded for it), its summary from the tables alone,
    /// shown with the reason instead of any other LA's map.
    unshown_summary: Option<crate::analysis::LaSummary>,
    /// The editions the mode was last settled for (see `editions.rs`).
    settled_editions: Option<(u16, u16)>,
    job: Option<LoadJob>,
    /// What the next load is staged for (`session/staged.rs`): the LA and editions of the map asked for.
    load_focus: Option<crate::io::LoadFocus>,
    /// Set while the rest of a staged load replaces its first part: the view stays where the planner left it.
    keep_view: bool,
    /// Why the last load failed (the previous map stays).
    load_error: Option<String>,
    generation: u64,
    /// The choices the current scene was built for; a difference means rebuild.
    built_for: Option<SceneKey>,
    profile: Option<WardProfile>,
    selected: Option<AreaCode>,
    highlighted: HashSet<AreaCode>,
    selection: SelectionHistory,
    /// Selections saved under a name.
    named_selections: BTreeMap<String, BTreeSet<AreaCode>>,
    /// The project file last saved or opened (Ctrl+S saves there).
    project_path: Option<PathBuf>,
    /// The title for exported map images, when a project set one.
    report_title: Option<String>,
    /// The result of the last save, export or open.
    file_message: Option<FileMessage>,
    /// A view from an opened project, applied once its map is drawn.
    pending_view: Option<MapView>,
    /// The ward profile an opened project had open, opened with its view.
    pending_ward: Option<AreaCode>,
    /// A project's data folder waiting for the planner's yes or no.
    data_confirmation: Option<DataConfirmation>,
    /// What the last search found, or that it found nothing.
    search_message: Option<String>,
    view_request: Option<ViewRequest>,
    /// The map was zoomed to a ward's profile (Escape goes back to the LA).
    zoomed_to_ward: bool,
    /// The local indicator shown, and each named selection's (`session/indicator_memory.rs`).
    indicators: IndicatorMemory,
    /// The area groups as a layer of the main map, built by the window each frame (`group_layer.rs`).
    group_layer: Option<Arc<crate::render::GroupLayer>>,
    repaint: Repaint,
}

impl Default for Session {
    fn default() -> Self {
        Self::new(Arc::new(|| {}))
    }
}

impl Session {
    /// An empty session; `repaint` is called from the loader's thread when there is something new to draw.
    pub fn new(repaint: Repaint) -> Self {
        Self {
            data: None,
            scene: None,
            scene_error: None,
            scene_error_text: None,
            unshown_summary: None,
            settled_editions: None,
            job: None,
            load_focus: None,
            keep_view: false,
            load_error: None,
            generation: 0,
            built_for: None,
            profile: None,
            selected: None,
            highlighted: HashSet::new(),
            selection: SelectionHistory::default(),
            named_selections: BTreeMap::new(),
            project_path: None,
            report_title: None,
            file_message: None,
            pending_view: None,
            pending_ward: None,
            data_confirmation: None,
            search_message: None,
            view_request: None,
            zoomed_to_ward: false,
            indicators: IndicatorMemory::default(),
            group_layer: None,
            repaint,
        }
    }

    /// A session over data already loaded, its scene built for `settings` (tests, benchmarks).
    pub fn with_data(data: Arc<LoadedData>, settings: &Settings) -> Self {
        let mut session = Self {
            data: Some(data),
            ..Self::default()
        };
        session.rebuild_scene(settings);
        session
    }

    /// Who is told to repaint when a load progresses.
    pub fn set_repaint(&mut self, repaint: Repaint) {
        self.repaint = repaint;
    }

    /// The data loaded, if any.
    pub fn data(&self) -> Option<&Arc<LoadedData>> {
        self.data.as_ref()
    }

    /// The scene shown, if any.
    pub fn scene(&self) -> Option<&MapScene> {
        self.scene.as_ref()
    }

    /// Why the current choices cannot be shown, if they cannot.
    pub fn scene_error(&self) -> Option<&SceneError> {
        self.scene_error.as_ref()
    }

    /// The same as the sentence the window shows.
    pub fn scene_error_text(&self) -> Option<&str> {
        self.scene_error_text.as_deref()
    }

    /// Why the last load failed, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// Forgets the last load's failure (the banner was dismissed).
    pub fn dismiss_load_error(&mut self) {
        self.load_error = None;
    }

    /// The load running, if any.
    pub fn job(&self) -> Option<&LoadJob> {
        self.job.as_ref()
    }

    /// True while a load runs.
    pub fn is_loading(&self) -> bool {
        self.job.is_some()
    }

    /// Bumped whenever the scene is rebuilt.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The area groups as a map layer (shown when View ▸ Area groups layer is on), if any groups are open.
    pub fn group_layer(&self) -> Option<&Arc<crate::render::GroupLayer>> {
        self.group_layer.as_ref()
    }

    /// Sets the area groups' map layer (the window builds it from its groups window).
    pub fn set_group_layer(&mut self, layer: Option<Arc<crate::render::GroupLayer>>) {
        self.group_layer = layer;
    }

    /// The ward profile open, if any.
    pub fn profile(&self) -> Option<&WardProfile> {
        self.profile.as_ref()
    }

    /// Closes the ward profile.
    pub fn close_profile(&mut self) {
        self.profile = None;
    }

    /// The focused LSOA (clicked, searched for, or a profile row).
    pub fn selected(&self) -> Option<&AreaCode> {
        self.selected.as_ref()
    }

    /// LSOAs pointed out by the last search.
    pub fn highlighted(&self) -> &HashSet<AreaCode> {
        &self.highlighted
    }

    /// Drops the focus and the search highlight (Escape).
    pub fn clear_focus(&mut self) {
        self.selected = None;
        self.highlighted.clear();
    }

    /// The LSOAs selected for resource flexing.
    pub fn selection(&self) -> &Selection {
        self.selection.current()
    }

    /// Changes the selection (one undo step).
    pub fn edit_selection(&mut self, edit: &SelectionEdit) {
        self.selection.apply(edit);
    }

    /// Undoes the last selection change; whether there was one.
    pub fn undo(&mut self) -> bool {
        self.selection.undo()
    }

    /// Redoes the last undone selection change; whether there was one.
    pub fn redo(&mut self) -> bool {
        self.selection.redo()
    }

    /// Selections saved under a name.
    pub fn named_selections(&self) -> &BTreeMap<String, BTreeSet<AreaCode>> {
        &self.named_selections
    }

    /// Keeps the current selection under `name` (replacing one of that name).
    pub fn save_named(&mut self, name: String) {
        let codes = self.selection.current().codes.clone();
        self.say(true, format!("Saved {} LSOAs as \"{name}\"", codes.len()));
        self.indicators.saved(&name);
        self.named_selections.insert(name, codes);
    }

    /// Makes a named selection the current one.
    pub fn open_named(&mut self, name: &str) {
        if let Some(codes) = self.named_selections.get(name) {
            self.selection.apply(&SelectionEdit::Replace(codes.clone()));
            self.indicators.opened(name);
        }
    }

    /// Renames a named selection; false (and a message) when the new name is taken.
    pub fn rename_named(&mut self, old: &str, new: String) -> bool {
        if self.named_selections.contains_key(&new) {
            self.say(false, format!("There is already a selection called \"{new}\""));
            false
        } else if let Some(codes) = self.named_selections.remove(old) {
            self.indicators.renamed(old, &new);
            self.named_selections.insert(new, codes);
            true
        } else {
            false
        }
    }

    /// Forgets a named selection.
    pub fn delete_named(&mut self, name: &str) {
        self.named_selections.remove(name);
        self.indicators.by_selection.remove(name);
    }

    /// The project file last saved or opened.
    pub fn project_path(&self) -> Option<&Path> {
        self.project_path.as_deref()
    }

    /// The report title a project set, if any.
    pub fn report_title(&self) -> Option<&str> {
        self.report_title.as_deref()
    }

    /// Sets the title for exported maps (saved with the project); an empty one means the default.
    pub fn set_report_title(&mut self, title: String) {
        self.report_title = (!title.trim().is_empty()).then_some(title);
    }

    /// Zooms the map to a ward of the scene (its profile was opened), remembering that Escape should go back.
    pub fn show_ward(&mut self, ward: &AreaCode) {
        let bbox = self
            .scene
            .as_ref()
            .and_then(|s| s.wards.iter().find(|w| &w.code == ward))
            .map(|w| w.bbox_in_world);
        if let Some(bbox) = bbox {
            self.show(bbox);
            self.zoomed_to_ward = true;
        }
    }

    /// Whether the map was zoomed to a ward, forgetting it (the view is going back to the LA).
    pub fn take_ward_zoom(&mut self) -> bool {
        std::mem::take(&mut self.zoomed_to_ward)
    }

    /// The result of the last save, export or open, if any.
    pub fn file_message(&self) -> Option<&FileMessage> {
        self.file_message.as_ref()
    }

    /// Forgets the file message (its banner was dismissed).
    pub fn dismiss_file_message(&mut self) {
        self.file_message = None;
    }

    /// Says how a save, export or open went.
    pub fn say(&mut self, ok: bool, text: impl Into<String>) {
        self.file_message = Some(FileMessage { ok, text: text.into() });
    }

    /// A project's data folder waiting for the planner's answer.
    pub fn data_confirmation(&self) -> Option<&DataConfirmation> {
        self.data_confirmation.as_ref()
    }

    /// The planner's answer about a project's data folder: `open` loads it, else the current data stays.
    pub fn answer_data_confirmation(&mut self, open: bool) {
        if let Some(confirmation) = self.data_confirmation.take()
            && open
        {
            self.start_load(DataSource::Folder(confirmation.folder));
        }
    }

    /// What the last search found, or that it found nothing.
    pub fn search_message(&self) -> Option<&str> {
        self.search_message.as_deref()
    }

    /// Asks the window to fit the LA.
    pub fn request_fit(&mut self) {
        self.view_request = Some(ViewRequest::Fit);
    }

    /// The view change asked for since the last call (the window carries it out).
    pub fn take_view_request(&mut self) -> Option<ViewRequest> {
        self.view_request.take()
    }

    /// An opened project's view, once its own map is built for `settings` and no load is running.
    pub fn take_pending_view(&mut self, settings: &Settings) -> Option<MapView> {
        let map_up = self.job.as_ref().is_none_or(|job| job.first_part.is_some());
        if map_up && self.built_for.as_ref() == Some(&settings.scene_key()) {
            self.open_pending_ward();
            self.pending_view.take()
        } else {
            None
        }
    }

    /// Starts loading a data source; the current map stays until it succeeds.
    pub fn start_load(&mut self, source: DataSource) {
        let repaint = self.repaint.clone();
        self.job = Some(LoadJob::start(source, self.load_focus.clone(), move || repaint()));
    }

    /// Downloads the catalogue's official datasets into `folder`, then opens it.
    pub fn start_download(&mut self, folder: PathBuf) {
        let repaint = self.repaint.clone();
        self.job = Some(LoadJob::fetch_then_load(folder, move || repaint()));
    }

    /// Takes a finished load, if one finished: the data replaces the old (the map follows), or its error is kept to
    /// show. Whether a load finished.
    pub fn poll(&mut self, settings: &mut Settings) -> bool {
        let Some(news) = self.job.as_mut().and_then(LoadJob::poll) else {
            return false;
        };
        self.take_news(news, settings);
        true
    }

    /// Waits for the running load (tests).
    pub fn wait_for_load(&mut self, settings: &mut Settings) {
        while self.job.is_some() {
            if !self.poll(settings) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    fn finish_load(&mut self, result: Result<Arc<LoadedData>, super::loader::LoadFailure>, settings: &mut Settings) {
        match result {
            Ok(data) => {
                settings.data_folder = remembered_folder(&data.source);
                let previous = self.data.replace(data);
                self.load_error = None;
                self.profile = None;
                self.selected = None;
                self.highlighted.clear();
                self.rebuild_scene(settings);
                if self.scene.is_none() {
                    // The new data cannot show the chosen LA: fall back to its first LA rather than a blank map.
                    let (chosen, refusal) = (settings.la.clone(), self.scene_error_text.clone());
                    if let Some(first) = self
                        .data
                        .as_ref()
                        .and_then(|d| d.dataset.local_authorities(settings.to).into_iter().next())
                    {
                        settings.la = first.1;
                        self.rebuild_scene(settings);
                    }
                    if self.scene.is_none() {
                        // Nothing of the new data can be shown: the previous map stays, for the LA it was of, with
                        // the reason the chosen LA could not be shown (not the fallback's).
                        settings.la = chosen;
                        self.load_error = refusal;
                        self.data = previous;
                        self.rebuild_scene(settings);
                    }
                }
            }
            Err(failure) => self.load_error = Some(failure.to_string()),
        }
    }

    /// Rebuilds the scene when the LA, editions, mode, palette or classes changed; whether it did.
    pub fn rebuild_if_changed(&mut self, settings: &Settings) -> bool {
        let changed = self.data.is_some() && self.built_for.as_ref() != Some(&settings.scene_key());
        self.focus_load_on(settings);
        if changed {
            self.rebuild_scene(settings);
        }
        changed
    }

    /// Rebuilds what the map shows from the data and the settings; keeps the old scene if the new one fails.
    fn rebuild_scene(&mut self, settings: &Settings) {
        let Some(data) = self.data.clone() else { return };
        self.generation += 1;
        self.built_for = Some(settings.scene_key());
        match MapScene::build(data.clone(), settings, self.generation) {
            Ok(scene) => {
                let new_extent = self.scene.as_ref().is_none_or(|old| {
                    old.comparison.la_code != scene.comparison.la_code || !Arc::ptr_eq(&old.data, &scene.data)
                });
                if new_extent && !self.keep_view {
                    self.view_request = Some(ViewRequest::Fit);
                }
                if let Some(ward) = self.profile.as_ref().map(|p| p.code) {
                    self.profile = scene.ward_profile(&ward).ok();
                }
                self.scene = Some(scene);
                self.scene_error = None;
                self.scene_error_text = None;
                self.unshown_summary = None;
            }
            Err(error) => {
                // Never another LA's (or edition's) map under the new choice's name: the map, the profile and what
                // points into them go, and the panels say why, with the LA's figures from the tables when they exist.
                self.scene = None;
                self.profile = None;
                self.highlighted.clear();
                self.unshown_summary = unshown_summary(&data.dataset, settings);
                self.set_scene_error(error);
            }
        }
    }

    /// The chosen LA's summary when it cannot be mapped but its tables can be compared.
    pub fn unshown_summary(&self) -> Option<&crate::analysis::LaSummary> {
        self.unshown_summary.as_ref()
    }

    fn set_scene_error(&mut self, error: SceneError) {
        self.scene_error_text = Some(error.to_string());
        self.scene_error = Some(error);
    }

    /// Opens a ward's profile for the current editions.
    pub fn open_ward(&mut self, ward: AreaCode) {
        if let Some(scene) = &self.scene {
            match scene.ward_profile(&ward) {
                Ok(profile) => self.profile = Some(profile),
                Err(error) => self.set_scene_error(error),
            }
        }
    }

    /// Focuses an LSOA; with `open_ward`, opens its ward's profile too.
    pub fn focus(&mut self, code: AreaCode, open_ward: bool) {
        self.selected = Some(code);
        if open_ward {
            let ward = self
                .scene
                .as_ref()
                .and_then(|s| s.area_by_code.get(&code).map(|i| s.row(&s.areas[*i]).ward_code))
                .flatten();
            if let Some(ward) = ward {
                self.open_ward(ward);
            }
        }
    }

    /// A click on an LSOA: with `add` it joins (or leaves) the selection, else it becomes the selection, focused, with
    /// its ward's profile open.
    pub fn click(&mut self, code: AreaCode, add: bool) {
        if add {
            self.selection.apply(&SelectionEdit::Toggle([code].into()));
        } else {
            self.selection.apply(&SelectionEdit::Replace([code].into()));
            self.focus(code, true);
        }
    }
}

/// The data folder the settings remember for a loaded source: the folder, or none for the embedded default.
fn remembered_folder(source: &DataSource) -> Option<std::path::PathBuf> {
    match source {
        DataSource::Folder(dir) => Some(dir.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
