//! The Locality Map window: menus, pickers, panels and the map, over data loaded off the UI thread.

use super::area_views::AreaViews;
use super::choropleth_map::{ChoroplethMap, MapMemory};
use super::distribution::{DistributionState, distribution_ui};
use super::league_table::LeagueTableState;
use super::loader::{LoadJob, LoadedData};
use super::panels::{
    ProfileSort, legend_ui, lsoa_tooltip_ui, priority_wards_ui, problems_ui, summary_ui, ward_profile_ui,
};
use super::scene::MapScene;
use super::selection_panel::{SelectionAction, SelectionPanelState, selection_ui};
use super::settings::{MapTool, Settings};
use crate::analysis::{SelectionEdit, SelectionHistory, WardProfile, select_in_polygon};
use crate::export::{
    ReportOptions, default_title, render_report, save_png_atomic, save_selection_csv, save_selection_geojson,
};
use crate::io::{
    DataFolderStatus, DataSource, OpenedProject, PROJECT_EXTENSION, Project, data_folder_for, open_project,
    save_project,
};
use crate::model::{AreaCode, Index, normalise};
use crate::render::{MapView, ScreenRect};
use crate::style::{Classification, ColourVision, DivergingPalette, MapMode};
use egui::{Color32, RichText};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Asks the planner for a folder. Behind a trait so tests need no desktop portal.
pub trait FolderPicker {
    /// The folder chosen, or `None` if cancelled.
    fn pick_folder(&mut self) -> Option<PathBuf>;
}

/// The operating system's folder dialog.
pub struct NativeFolderPicker;

impl FolderPicker for NativeFolderPicker {
    fn pick_folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a data folder (IMD tables, boundaries, lookups)")
            .pick_folder()
    }
}

/// Asks the planner where to save a file or which file to open. Behind a trait so tests need no desktop portal.
pub trait FilePicker {
    /// Where to save: `None` if cancelled. `extension` is without the dot. The dialog itself asks before replacing
    /// an existing file, so the app then saves over it.
    fn save_file(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf>;
    /// Which file to open: `None` if cancelled.
    fn open_file(&mut self, title: &str, extension: &str) -> Option<PathBuf>;
}

/// The operating system's file dialogs.
pub struct NativeFilePicker;

impl FilePicker for NativeFilePicker {
    fn save_file(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(default_name)
            .add_filter(extension, &[extension])
            .save_file()
    }

    fn open_file(&mut self, title: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter(extension, &[extension])
            .pick_file()
    }
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
struct DataConfirmation {
    folder: PathBuf,
    reason: String,
}

/// The LA picker's national choice (`AreaFilter::parse` reads it as England).
pub const ALL_ENGLAND: &str = "All England";

/// Key under which settings are persisted.
const SETTINGS_KEY: &str = "locality-map-settings";

/// The application.
pub struct LocalityMapApp {
    /// The planner's choices.
    pub settings: Settings,
    memory: MapMemory,
    data: Option<Arc<LoadedData>>,
    scene: Option<MapScene>,
    /// Why the current choices cannot be shown (the previous map stays).
    scene_error: Option<String>,
    job: Option<LoadJob>,
    /// Why the last load failed (the previous map stays).
    load_error: Option<String>,
    generation: u64,
    profile: Option<WardProfile>,
    profile_sort: ProfileSort,
    selected: Option<AreaCode>,
    highlighted: HashSet<AreaCode>,
    selection: SelectionHistory,
    rule_change_limit: i64,
    hovered_on_map: Option<AreaCode>,
    hovered_in_panel: Vec<AreaCode>,
    search: String,
    search_message: Option<String>,
    show_problems: bool,
    show_about: bool,
    league: LeagueTableState,
    /// The ward league and area groups windows.
    areas: AreaViews,
    distribution: DistributionState,
    picker: Box<dyn FolderPicker>,
    file_picker: Box<dyn FilePicker>,
    /// The project file last saved or opened (Ctrl+S saves there).
    project_path: Option<PathBuf>,
    /// Selections saved under a name.
    named_selections: BTreeMap<String, BTreeSet<AreaCode>>,
    /// The name typed in the selection panel.
    selection_name: String,
    /// The title for exported map images, when a project set one.
    report_title: Option<String>,
    /// The result of the last save, export or open.
    file_message: Option<FileMessage>,
    /// A view from an opened project, applied once its map is drawn.
    pending_view: Option<MapView>,
    /// A project's data folder waiting for the planner's yes or no.
    data_confirmation: Option<DataConfirmation>,
    /// Kept alive while the app runs: on Linux the copied image is served from it.
    clipboard: Option<arboard::Clipboard>,
    last_map_rect: Option<ScreenRect>,
    /// The choices the current scene was built for; a difference means rebuild.
    built_for: Option<SceneKey>,
    /// Process start, while waiting to report the first frame with a map (`LOCALITY_MAP_TIMING`).
    first_map_timer: Option<Instant>,
    /// `LOCALITY_MAP_FRAME_TIMES`: whole frames (ours, egui's and the renderer's) timed while repainting continuously.
    frame_timer: Option<FrameTimer>,
}

/// The settings a scene depends on.
type SceneKey = (String, u16, u16, MapMode, DivergingPalette, Classification);

fn scene_key(settings: &Settings) -> SceneKey {
    (
        settings.la.clone(),
        settings.from,
        settings.to,
        settings.mode,
        settings.palette,
        settings.classification.clone(),
    )
}

impl LocalityMapApp {
    /// Opens the window's state and starts loading `source` in the background.
    pub fn new(settings: Settings, source: DataSource, picker: Box<dyn FolderPicker>, ctx: &egui::Context) -> Self {
        let mut app = Self::empty(settings, picker);
        app.start_load(source, ctx);
        app
    }

    /// State over data already loaded (tests, benchmarks).
    pub fn with_data(settings: Settings, data: Arc<LoadedData>) -> Self {
        let mut app = Self::empty(settings, Box::new(NoPicker));
        app.data = Some(data);
        app.rebuild_scene();
        app
    }

    fn empty(settings: Settings, picker: Box<dyn FolderPicker>) -> Self {
        Self {
            settings,
            memory: MapMemory::default(),
            data: None,
            scene: None,
            scene_error: None,
            job: None,
            load_error: None,
            generation: 0,
            profile: None,
            profile_sort: ProfileSort::default(),
            selected: None,
            highlighted: HashSet::new(),
            selection: SelectionHistory::default(),
            rule_change_limit: -100,
            hovered_on_map: None,
            hovered_in_panel: Vec::new(),
            search: String::new(),
            search_message: None,
            show_problems: false,
            show_about: false,
            league: LeagueTableState::default(),
            areas: AreaViews::default(),
            distribution: DistributionState::default(),
            picker,
            file_picker: Box::new(NoPicker),
            project_path: None,
            named_selections: BTreeMap::new(),
            selection_name: String::new(),
            report_title: None,
            file_message: None,
            pending_view: None,
            data_confirmation: None,
            clipboard: None,
            last_map_rect: None,
            built_for: None,
            first_map_timer: None,
            frame_timer: None,
        }
    }

    /// Uses these save and open dialogs (the native ones in the window; stubs in tests).
    pub fn with_file_picker(mut self, picker: Box<dyn FilePicker>) -> Self {
        self.file_picker = picker;
        self
    }

    /// Selections saved under a name.
    pub fn named_selections(&self) -> &BTreeMap<String, BTreeSet<AreaCode>> {
        &self.named_selections
    }

    /// The project file last saved or opened.
    pub fn project_path(&self) -> Option<&Path> {
        self.project_path.as_deref()
    }

    /// The result of the last save, export or open, if any.
    pub fn file_message(&self) -> Option<&FileMessage> {
        self.file_message.as_ref()
    }

    fn say(&mut self, ok: bool, text: impl Into<String>) {
        self.file_message = Some(FileMessage { ok, text: text.into() });
    }

    /// The state as a project saved at `project_file` (the data folder is stored relative to it when inside it).
    pub fn project(&self, project_file: &Path) -> Project {
        let folder = match self.data.as_ref().map(|d| &d.source) {
            Some(DataSource::Folder(dir)) => Some(dir.as_path()),
            _ => None,
        };
        Project {
            data: data_folder_for(project_file, folder),
            la: self.settings.la.clone(),
            from: self.settings.from,
            to: self.settings.to,
            mode: self.settings.mode,
            palette: self.settings.palette,
            classification: self.settings.classification.clone(),
            view: Some(self.memory.view),
            named_selections: self.named_selections.clone(),
            selection: self.selection.current().codes.clone(),
            report_title: self.report_title.clone(),
            ..Project::default()
        }
    }

    /// Saves the project where it was last saved or opened, else asks where (Ctrl+S).
    pub fn save_project(&mut self) {
        match self.project_path.clone() {
            Some(path) => self.save_project_to(&path),
            None => self.save_project_as(),
        }
    }

    /// Asks where, then saves the project there.
    pub fn save_project_as(&mut self) {
        let name = format!("{}.{PROJECT_EXTENSION}", file_stem_for(&self.settings.la));
        if let Some(path) = self.file_picker.save_file("Save project", &name, PROJECT_EXTENSION) {
            self.save_project_to(&path);
        }
    }

    /// Saves the project to a file, atomically, replacing it (the save dialog has already asked).
    pub fn save_project_to(&mut self, path: &Path) {
        let path = with_extension(path, PROJECT_EXTENSION);
        match save_project(&path, &self.project(&path), true) {
            Ok(()) => {
                self.say(true, format!("Saved the project to {}", path.display()));
                self.project_path = Some(path);
            }
            Err(e) => self.say(false, format!("Could not save the project: {e}")),
        }
    }

    /// Asks which project to open, then opens it.
    pub fn open_project_dialog(&mut self, ctx: &egui::Context) {
        if let Some(path) = self.file_picker.open_file("Open project", PROJECT_EXTENSION) {
            self.open_project_from(&path, ctx);
        }
    }

    /// Opens a project file: its choices, view and selections now; its data folder loaded if it is safe and present,
    /// asked about if it lies outside the project's folder, reported if missing (selections are kept either way).
    pub fn open_project_from(&mut self, path: &Path, ctx: &egui::Context) {
        match open_project(path) {
            Ok(opened) => self.apply_project(opened, path, ctx),
            Err(e) => self.say(false, format!("Could not open the project: {e}")),
        }
    }

    fn apply_project(&mut self, opened: OpenedProject, path: &Path, ctx: &egui::Context) {
        let project = opened.project;
        self.settings.la = project.la;
        self.settings.from = project.from;
        self.settings.to = project.to;
        self.settings.mode = project.mode;
        self.settings.palette = project.palette;
        self.settings.classification = project.classification;
        self.named_selections = project.named_selections;
        self.selection.apply(&SelectionEdit::Replace(project.selection));
        self.report_title = project.report_title;
        self.pending_view = project.view;
        self.project_path = Some(path.to_path_buf());
        self.profile = None;
        self.data_confirmation = None;
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let current = self.data.as_ref().map(|d| d.source.clone());
        match opened.data {
            DataFolderStatus::Embedded => {
                if current != Some(DataSource::Embedded) {
                    self.start_load(DataSource::Embedded, ctx);
                }
                self.say(true, format!("Opened {name} (embedded Leeds data)"));
            }
            DataFolderStatus::Ready(folder) => {
                if !same_folder(current.as_ref(), &folder) {
                    self.start_load(DataSource::Folder(folder.clone()), ctx);
                }
                self.say(true, format!("Opened {name} with the data in {}", folder.display()));
            }
            DataFolderStatus::Missing(folder) => self.say(
                false,
                format!(
                    "Opened {name}, but its data folder {} is missing: the map shows the data already open and the \
                     project's selections are kept. Use File, Open data folder… to point at the data.",
                    folder.display()
                ),
            ),
            DataFolderStatus::NeedsConfirmation { path: folder, reason } => {
                if same_folder(current.as_ref(), &folder) {
                    self.say(true, format!("Opened {name} with the data already open"));
                } else {
                    self.say(true, format!("Opened {name}; its data folder needs your confirmation"));
                    self.data_confirmation = Some(DataConfirmation { folder, reason });
                }
            }
        }
    }

    /// Asks where, then writes the selection as CSV (`geojson` false) or GeoJSON.
    pub fn export_selection(&mut self, geojson: bool) {
        let Some(scene) = &self.scene else { return };
        let extension = if geojson { "geojson" } else { "csv" };
        let codes = self.selection.current().codes.clone();
        if codes.is_empty() {
            self.say(
                false,
                "Nothing is selected: select LSOAs on the map or in the selection panel first.",
            );
            return;
        }
        let name = format!("{}-selection.{extension}", file_stem_for(&scene.comparison.la_name));
        let title = format!("Export selection as {}", extension.to_uppercase());
        let Some(path) = self.file_picker.save_file(&title, &name, extension) else {
            return;
        };
        let path = with_extension(&path, extension);
        let result = if geojson {
            save_selection_geojson(&path, true, &scene.data.dataset, &scene.comparison, &codes)
        } else {
            save_selection_csv(&path, true, &scene.comparison, &codes)
        };
        match result {
            Ok(n) => self.say(true, format!("Exported {n} LSOAs to {}", path.display())),
            Err(e) => self.say(false, format!("Could not export the selection: {e}")),
        }
    }

    /// The report options for the current choices at a size (the map of the whole LA).
    fn report_options(&self, width_px: u32, height_px: u32, dpi: f32) -> Option<ReportOptions> {
        let scene = self.scene.as_ref()?;
        let c = &scene.comparison;
        let title = self
            .report_title
            .clone()
            .unwrap_or_else(|| default_title(&c.la_name, self.settings.mode, c.from, c.to));
        Some(ReportOptions {
            width_px,
            height_px,
            dpi,
            mode: self.settings.mode,
            classification: self.settings.classification.clone(),
            palette: self.settings.palette,
            show_transitions: self.settings.show_transitions,
            show_ward_labels: self.settings.show_ward_labels,
            ..ReportOptions::a4_landscape_300dpi(title)
        })
    }

    /// Asks where, then renders the LA map as an A4 landscape 300 dpi report PNG and saves it atomically.
    pub fn export_map_image(&mut self) {
        let Some(scene) = &self.scene else { return };
        let name = format!("{}-map.png", file_stem_for(&scene.comparison.la_name));
        let Some(path) = self.file_picker.save_file("Export map image", &name, "png") else {
            return;
        };
        let path = with_extension(&path, "png");
        let Some(options) = self.report_options(3508, 2480, 300.0) else {
            return;
        };
        let result = render_report(&scene.data.dataset, &scene.comparison, &options)
            .and_then(|report| save_png_atomic(&report.image, &path, options.dpi, true));
        match result {
            Ok(()) => self.say(true, format!("Saved the map image to {}", path.display())),
            Err(e) => self.say(false, format!("Could not export the map image: {e}")),
        }
    }

    /// Renders the LA map (A4 landscape at 150 dpi) and puts it on the clipboard. A machine without a clipboard (no
    /// display) gets a message, not a crash.
    pub fn copy_map_image(&mut self) {
        let Some(scene) = &self.scene else { return };
        let Some(options) = self.report_options(1754, 1240, 150.0) else {
            return;
        };
        let report = match render_report(&scene.data.dataset, &scene.comparison, &options) {
            Ok(report) => report,
            Err(e) => return self.say(false, format!("Could not draw the map image: {e}")),
        };
        let (width, height) = (report.image.width() as usize, report.image.height() as usize);
        let bytes = report.image.take_demultiplied();
        let clipboard = match self.clipboard.take() {
            Some(clipboard) => Ok(clipboard),
            None => arboard::Clipboard::new(),
        };
        let result = clipboard.and_then(|mut clipboard| {
            let copied = clipboard.set_image(arboard::ImageData {
                width,
                height,
                bytes: bytes.into(),
            });
            self.clipboard = Some(clipboard);
            copied
        });
        match result {
            Ok(()) => self.say(
                true,
                format!("Copied the map image ({width} x {height} pixels) to the clipboard"),
            ),
            Err(e) => self.say(false, format!("Could not copy the map image to the clipboard: {e}")),
        }
    }

    fn handle_selection_action(&mut self, action: SelectionAction) {
        match action {
            SelectionAction::None => {}
            SelectionAction::Edit(edit) => self.selection.apply(&edit),
            SelectionAction::Undo => {
                self.selection.undo();
            }
            SelectionAction::Redo => {
                self.selection.redo();
            }
            SelectionAction::Focus(code) => self.select_lsoa(code, false),
            SelectionAction::SaveNamed(name) => {
                let codes = self.selection.current().codes.clone();
                self.say(true, format!("Saved {} LSOAs as \"{name}\"", codes.len()));
                self.named_selections.insert(name, codes);
                self.selection_name.clear();
            }
            SelectionAction::OpenNamed(name) => {
                if let Some(codes) = self.named_selections.get(&name) {
                    self.selection.apply(&SelectionEdit::Replace(codes.clone()));
                }
            }
            SelectionAction::RenameNamed(old, new) => {
                if self.named_selections.contains_key(&new) {
                    self.say(false, format!("There is already a selection called \"{new}\""));
                } else if let Some(codes) = self.named_selections.remove(&old) {
                    self.named_selections.insert(new, codes);
                    self.selection_name.clear();
                }
            }
            SelectionAction::DeleteNamed(name) => {
                self.named_selections.remove(&name);
            }
        }
    }

    /// The scene shown, if any.
    pub fn scene(&self) -> Option<&MapScene> {
        self.scene.as_ref()
    }

    /// The ward profile open, if any.
    pub fn profile(&self) -> Option<&WardProfile> {
        self.profile.as_ref()
    }

    /// The map's view (centre and zoom).
    pub fn view(&self) -> MapView {
        self.memory.view
    }

    /// The LSOAs selected for resource flexing.
    pub fn selection(&self) -> &crate::analysis::Selection {
        self.selection.current()
    }

    /// The focused LSOA (clicked, or a profile row).
    pub fn selected(&self) -> Option<&AreaCode> {
        self.selected.as_ref()
    }

    /// Where an LSOA's marker point is on screen now, if it is drawn (for tests and automation).
    pub fn screen_position_of(&self, code: &AreaCode) -> Option<egui::Pos2> {
        let scene = self.scene.as_ref()?;
        let screen = self.last_map_rect?;
        let interior_in_world = match scene.area_by_code.get(code) {
            Some(index) => scene.areas.get(*index)?.interior_in_world,
            // Areas drawn without IMD data (Welsh LSOAs nationally) are in the layer only.
            None => {
                let layer = scene.layer();
                let area = &layer.areas[layer.areas.binary_search_by(|a| a.code.cmp(code)).ok()?];
                geo::InteriorPoint::interior_point(&area.geometry_in_world)?.0
            }
        };
        let [x, y] = self.memory.view.screen_from_world(screen).apply(interior_in_world);
        Some(egui::Pos2::new(x, y))
    }

    /// Why the current choices cannot be shown, if they cannot.
    pub fn scene_error(&self) -> Option<&str> {
        self.scene_error.as_deref()
    }

    /// Why the last load failed, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// True while a load runs.
    pub fn is_loading(&self) -> bool {
        self.job.is_some()
    }

    /// Starts loading a data source; the current map stays until it succeeds.
    pub fn start_load(&mut self, source: DataSource, ctx: &egui::Context) {
        let ctx = ctx.clone();
        self.job = Some(LoadJob::start(source, move || ctx.request_repaint()));
    }

    fn finish_load(&mut self, result: Result<Arc<LoadedData>, String>) {
        match result {
            Ok(data) => {
                self.settings.data_folder = match &data.source {
                    DataSource::Folder(dir) => Some(dir.clone()),
                    _ => None,
                };
                let previous = self.data.replace(data);
                self.load_error = None;
                self.profile = None;
                self.selected = None;
                self.highlighted.clear();
                self.rebuild_scene();
                if self.scene.is_none() {
                    // The new data cannot show the chosen LA: fall back to its first LA rather than a blank map.
                    if let Some(first) = self
                        .data
                        .as_ref()
                        .and_then(|d| d.dataset.local_authorities(self.settings.to).into_iter().next())
                    {
                        self.settings.la = first.1;
                        self.rebuild_scene();
                    }
                }
                if self.scene.is_none() {
                    self.load_error = self.scene_error.clone();
                    self.data = previous;
                    self.rebuild_scene();
                }
            }
            Err(message) => self.load_error = Some(message),
        }
    }

    /// Rebuilds what the map shows from the data and the settings; keeps the old scene if the new one fails.
    fn rebuild_scene(&mut self) {
        let Some(data) = self.data.clone() else { return };
        self.generation += 1;
        self.built_for = Some(scene_key(&self.settings));
        match MapScene::build(data, &self.settings, self.generation) {
            Ok(scene) => {
                let new_extent = self.scene.as_ref().is_none_or(|old| {
                    old.comparison.la_code != scene.comparison.la_code || !Arc::ptr_eq(&old.data, &scene.data)
                });
                if new_extent {
                    self.memory.fit_requested = true;
                }
                if let Some(ward) = self.profile.as_ref().map(|p| p.code) {
                    self.profile = scene.ward_profile(&ward).ok();
                }
                self.scene = Some(scene);
                self.scene_error = None;
            }
            Err(message) => self.scene_error = Some(message),
        }
    }

    fn open_ward(&mut self, ward: AreaCode) {
        if let Some(scene) = &self.scene {
            match scene.ward_profile(&ward) {
                Ok(profile) => self.profile = Some(profile),
                Err(message) => self.scene_error = Some(message),
            }
        }
    }

    fn select_lsoa(&mut self, code: AreaCode, open_ward: bool) {
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

    fn zoom_to(&mut self, bbox: geo::Rect<f64>) {
        if let Some(screen) = self.last_map_rect {
            let padded = geo::Rect::new(
                geo::Coord {
                    x: bbox.min().x - 300.0,
                    y: bbox.min().y - 300.0,
                },
                geo::Coord {
                    x: bbox.max().x + 300.0,
                    y: bbox.max().y + 300.0,
                },
            );
            self.memory.view = MapView::fit(padded, screen);
        }
    }

    /// Finds an LSOA by code or name, or a ward by name, and jumps to it.
    pub fn search_for(&mut self, query: &str) {
        let Some(scene) = &self.scene else { return };
        let wanted = normalise(query);
        if wanted.is_empty() {
            return;
        }
        let layer = scene.layer();
        let lsoa = scene.areas.iter().find(|a| {
            let row = scene.row(a);
            normalise(row.lsoa_code.as_str()) == wanted || normalise(&row.lsoa_name) == wanted
        });
        if let Some(area) = lsoa {
            let code = scene.row(area).lsoa_code;
            let bbox = layer.areas[area.layer_index].bbox_in_world;
            self.search_message = Some(format!("{} {}", code, scene.row(area).lsoa_name));
            self.highlighted = HashSet::from([code]);
            self.select_lsoa(code, true);
            self.zoom_to(bbox);
            return;
        }
        let ward = scene
            .wards
            .iter()
            .find(|w| normalise(&w.name) == wanted || normalise(w.code.as_str()) == wanted)
            .or_else(|| scene.wards.iter().find(|w| normalise(&w.name).contains(&wanted)));
        if let Some(ward) = ward {
            let (code, bbox, name) = (ward.code, ward.bbox_in_world, ward.name.clone());
            self.search_message = Some(format!("Ward {name}"));
            self.highlighted = scene
                .comparison
                .rows
                .iter()
                .filter(|r| r.ward_code == Some(code))
                .map(|r| r.lsoa_code)
                .collect();
            self.open_ward(code);
            self.zoom_to(bbox);
            return;
        }
        let partial = scene
            .areas
            .iter()
            .find(|a| normalise(&scene.row(a).lsoa_name).contains(&wanted));
        if let Some(area) = partial {
            let query = scene.row(area).lsoa_code.to_string();
            self.search_for(&query);
            return;
        }
        self.search_message = Some(format!("Nothing called {query:?} in {}", scene.comparison.la_name));
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open data folder…").clicked() {
                    self.open_folder(ui.ctx());
                }
                if ui.button("Use the embedded Leeds default").clicked() {
                    self.start_load(DataSource::Embedded, ui.ctx());
                }
                if ui.button("Download the official data into a folder…").clicked() {
                    self.download_official_data(ui.ctx());
                }
                ui.separator();
                if ui.button("Open project…").clicked() {
                    self.open_project_dialog(ui.ctx());
                }
                if ui
                    .add(egui::Button::new("Save project").shortcut_text("Ctrl+S"))
                    .clicked()
                {
                    self.save_project();
                }
                if ui.button("Save project as…").clicked() {
                    self.save_project_as();
                }
                ui.separator();
                let has_map = self.scene.is_some();
                let has_selection = !self.selection.current().codes.is_empty();
                if ui
                    .add_enabled(has_map && has_selection, egui::Button::new("Export selection as CSV…"))
                    .clicked()
                {
                    self.export_selection(false);
                }
                if ui
                    .add_enabled(
                        has_map && has_selection,
                        egui::Button::new("Export selection as GeoJSON…"),
                    )
                    .clicked()
                {
                    self.export_selection(true);
                }
                if ui
                    .add_enabled(has_map, egui::Button::new("Export map image…"))
                    .clicked()
                {
                    self.export_map_image();
                }
                if ui
                    .add_enabled(has_map, egui::Button::new("Copy map image to clipboard"))
                    .clicked()
                {
                    self.copy_map_image();
                }
                ui.separator();
                if ui.button("Problems found in the data…").clicked() {
                    self.show_problems = true;
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(
                    &mut self.settings.show_transitions,
                    "1% transitions (stayed, moved in, moved out)",
                );
                ui.checkbox(&mut self.settings.show_lsoa_lines, "LSOA boundaries");
                ui.checkbox(&mut self.settings.show_ward_labels, "Ward names");
                ui.checkbox(&mut self.settings.show_distribution, "Distribution panel");
                ui.separator();
                ui.menu_button("Palette", |ui| {
                    for palette in DivergingPalette::ALL {
                        ui.radio_value(&mut self.settings.palette, palette, palette.label());
                    }
                });
                ui.menu_button("Classes", |ui| {
                    ui.radio_value(
                        &mut self.settings.classification,
                        Classification::default(),
                        "Fixed: ±20, ±100, ±500 ranks",
                    );
                    ui.radio_value(
                        &mut self.settings.classification,
                        Classification::Quantiles,
                        "Quantiles (7 equal groups)",
                    );
                });
                ui.menu_button("Colour-vision preview", |ui| {
                    for vision in ColourVision::ALL {
                        ui.radio_value(&mut self.settings.colour_vision, vision, vision.label());
                    }
                });
                ui.separator();
                if ui.button("LA league table…").clicked() {
                    self.league.open = true;
                }
                self.areas.menu_items(ui);
                if ui.button("Fit to the LA (0)").clicked() {
                    self.memory.fit_requested = true;
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("About and attribution…").clicked() {
                    self.show_about = true;
                }
            });
        });
    }

    /// Asks for a folder, downloads the catalogue's official datasets into it, then opens it.
    fn download_official_data(&mut self, ctx: &egui::Context) {
        if let Some(folder) = self.picker.pick_folder() {
            let repaint_ctx = ctx.clone();
            self.job = Some(LoadJob::fetch_then_load(folder, move || repaint_ctx.request_repaint()));
        }
    }

    fn open_folder(&mut self, ctx: &egui::Context) {
        if let Some(folder) = self.picker.pick_folder() {
            self.start_load(DataSource::Folder(folder), ctx);
        }
    }

    fn toolbar(&mut self, ui: &mut egui::Ui) {
        let Some(data) = self.data.clone() else { return };
        let dataset = &data.dataset;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Local authority");
            let las = data
                .local_authorities
                .get(&self.settings.to)
                .map(Vec::as_slice)
                .unwrap_or_default();
            egui::ComboBox::from_id_salt("la-picker")
                .width(200.0)
                .selected_text(&self.settings.la)
                .show_ui(ui, |ui| {
                    // Every LSOA in the boundary files, the LSOAs without IMD data (e.g. Welsh) in the no-data colour.
                    ui.selectable_value(&mut self.settings.la, ALL_ENGLAND.to_string(), ALL_ENGLAND);
                    ui.separator();
                    for (_, name) in las {
                        ui.selectable_value(&mut self.settings.la, name.clone(), name);
                    }
                })
                .response
                .labelled_by(label.id);
            let years: Vec<u16> = dataset.editions.keys().copied().collect();
            for (label, value, salt) in [
                ("From", &mut self.settings.from, "from"),
                ("to", &mut self.settings.to, "to"),
            ] {
                let label = ui.label(label);
                egui::ComboBox::from_id_salt(salt)
                    .width(70.0)
                    .selected_text(value.to_string())
                    .show_ui(ui, |ui| {
                        for year in &years {
                            ui.selectable_value(value, *year, format!("IMD {year}"));
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            let label = ui.label("Show");
            let (from, to) = (self.settings.from, self.settings.to);
            let mut modes = vec![
                MapMode::RankChange,
                MapMode::PercentileChange,
                MapMode::DecileLater,
                MapMode::DecileEarlier,
            ];
            // Every domain of both editions is a layer.
            for (year, layer) in [
                (to, MapMode::DomainLater as fn(Index) -> MapMode),
                (from, MapMode::DomainEarlier),
            ] {
                if let Some(indices) = data.indices_present.get(&year) {
                    modes.extend(indices.iter().copied().filter(|i| *i != Index::Imd).map(layer));
                }
            }
            egui::ComboBox::from_id_salt("mode")
                .width(240.0)
                .selected_text(self.settings.mode.label(from, to))
                .show_ui(ui, |ui| {
                    for mode in modes {
                        ui.selectable_value(&mut self.settings.mode, mode, mode.label(from, to));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label("Search");
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text("LSOA code, name or ward")
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
            if search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let query = self.search.clone();
                self.search_for(&query);
            }
            ui.separator();
            ui.label("Drag to");
            ui.selectable_value(&mut self.settings.tool, MapTool::Pan, "Pan")
                .on_hover_text("Drag moves the map");
            ui.selectable_value(&mut self.settings.tool, MapTool::Box, "Select box")
                .on_hover_text("Drag a box to select LSOAs (shift adds); middle-drag pans");
            ui.selectable_value(&mut self.settings.tool, MapTool::Lasso, "Select lasso")
                .on_hover_text("Draw round LSOAs to select them (shift adds); middle-drag pans");
            if let Some(message) = &self.search_message {
                ui.label(RichText::new(message).weak());
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(data) = &self.data {
                ui.label(format!("Data: {}", data.source.label()));
                let problems = data.dataset.report.problems.len();
                if problems > 0 && ui.link(format!("{problems} problems in the data…")).clicked() {
                    self.show_problems = true;
                }
            }
            if let Some(scene) = &self.scene
                && scene.missing_boundaries > 0 {
                    ui.label(RichText::new(format!("{} LSOAs have no boundary loaded", scene.missing_boundaries)).color(Color32::from_rgb(0x99, 0x5a, 0)));
                }
            if let Some(scene) = &self.scene
                && scene.without_imd_data > 0 {
                    ui.label(RichText::new(format!("{} areas have no IMD data (grey)", scene.without_imd_data)).weak());
                }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Truncated (full text on hover) rather than drawn over the labels on the left in a narrow window.
                let attribution = "Contains OS data © Crown copyright and database right. Contains National Statistics data © Crown copyright and database right. OGL v3.0";
                ui.add(egui::Label::new(RichText::new(attribution).small().weak()).truncate())
                    .on_hover_text(attribution);
            });
        });
    }

    fn windows(&mut self, ctx: &egui::Context) {
        if let Some(confirmation) = &self.data_confirmation {
            let mut answer = None;
            egui::Window::new("Open the project's data folder?")
                .collapsible(false)
                .default_width(520.0)
                .show(ctx, |ui| {
                    ui.label(format!("{}.", confirmation.reason));
                    ui.label(RichText::new(confirmation.folder.display().to_string()).monospace());
                    ui.label("Only open it if you trust where this project file came from.");
                    ui.horizontal(|ui| {
                        if ui.button("Open this folder").clicked() {
                            answer = Some(true);
                        }
                        if ui.button("Keep the current data").clicked() {
                            answer = Some(false);
                        }
                    });
                });
            if let Some(open) = answer
                && let Some(confirmation) = self.data_confirmation.take()
                && open
            {
                self.start_load(DataSource::Folder(confirmation.folder), ctx);
            }
        }
        if let Some(data) = self.data.clone() {
            let (from, to) = (self.settings.from, self.settings.to);
            if let Some(la) = self
                .league
                .show(ctx, &data.dataset, self.generation, from, to, &self.settings.la)
            {
                self.settings.la = la;
                self.memory.fit_requested = true;
            }
            let (la, named) = (&self.settings.la, &self.named_selections);
            if let Some(ward) = self.areas.show(
                ctx,
                &data.dataset,
                self.generation,
                la,
                (from, to),
                named,
                self.file_picker.as_mut(),
            ) {
                self.open_ward(ward);
            }
            egui::Window::new("Problems found in the data")
                .open(&mut self.show_problems)
                .default_width(620.0)
                .show(ctx, |ui| problems_ui(ui, &data.dataset.report));
        }
        egui::Window::new("About Locality Map").open(&mut self.show_about).show(ctx, |ui| {
            ui.label("Locality Map shows where deprivation got better or worse, from the English Indices of Deprivation (MHCLG) and ONS boundaries.");
            ui.label("Rank 1 = most deprived. Change = later rank − earlier rank; negative = more deprived. The most deprived 1% is rank ≤ floor(N/100) of each edition.");
            ui.separator();
            ui.label("Contains OS data © Crown copyright and database right 2026.");
            ui.label("Contains National Statistics data © Crown copyright and database right 2026.");
            ui.label("Contains public sector information licensed under the Open Government Licence v3.0.");
        });
    }

    /// Draws the whole window into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Light, like the reports the maps go into.
        if ctx.theme() != egui::Theme::Light {
            ctx.set_theme(egui::Theme::Light);
        }
        if let Some(job) = &mut self.job
            && let Some(result) = job.poll()
        {
            self.job = None;
            self.finish_load(result);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            let source = if let [one] = dropped.as_slice() {
                DataSource::Folder(one.clone())
            } else {
                DataSource::Files(dropped)
            };
            self.start_load(source, &ctx);
        }
        if !ctx.egui_wants_keyboard_input() {
            let (fit, escape, open) = ctx.input(|i| {
                (
                    i.key_pressed(egui::Key::Num0),
                    i.key_pressed(egui::Key::Escape),
                    i.modifiers.command && i.key_pressed(egui::Key::O),
                )
            });
            if fit {
                self.memory.fit_requested = true;
            }
            if escape {
                self.selected = None;
                self.highlighted.clear();
            }
            let (undo, redo) = ctx.input(|i| {
                let z = i.modifiers.command && i.key_pressed(egui::Key::Z);
                (z && !i.modifiers.shift, z && i.modifiers.shift)
            });
            if undo {
                self.selection.undo();
            }
            if redo {
                self.selection.redo();
            }
            if open {
                self.open_folder(&ctx);
            }
            let (save, save_as) = ctx.input(|i| {
                let s = i.modifiers.command && i.key_pressed(egui::Key::S);
                (s && !i.modifiers.shift, s && i.modifiers.shift)
            });
            if save {
                self.save_project();
            }
            if save_as {
                self.save_project_as();
            }
        }
        self.rebuild_if_choices_changed();

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.settings.show_distribution && self.scene.is_some() {
            egui::Panel::bottom("distribution")
                .resizable(true)
                .default_size(230.0)
                .show(ui, |ui| {
                    if let Some(scene) = &self.scene {
                        let response = distribution_ui(
                            ui,
                            scene,
                            &mut self.distribution,
                            self.hovered_on_map.as_ref(),
                            self.settings.colour_vision,
                        );
                        self.hovered_in_panel = response.hovered;
                        if let Some(brushed) = response.brushed {
                            self.selection
                                .apply(&SelectionEdit::Replace(brushed.into_iter().collect()));
                        }
                    }
                });
        }
        let mut ward_to_open = None;
        let mut selection_action = SelectionAction::None;
        egui::Panel::left("legend")
            .resizable(true)
            .default_size(290.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if let Some(scene) = &self.scene {
                        legend_ui(
                            ui,
                            &scene.styled.legend,
                            self.settings.show_transitions,
                            scene.comparison.to,
                            self.settings.colour_vision,
                        );
                        ui.separator();
                        summary_ui(ui, &scene.summary);
                        ui.separator();
                        let open = self.profile.as_ref().map(|p| p.code);
                        ward_to_open = priority_wards_ui(ui, &scene.summary, open.as_ref());
                        ui.separator();
                        let ward = self.profile.as_ref().map(|p| (p.code, p.name.clone()));
                        let state = SelectionPanelState {
                            change_limit: &mut self.rule_change_limit,
                            named: &self.named_selections,
                            name: &mut self.selection_name,
                        };
                        selection_action = selection_ui(ui, &scene.comparison, self.selection.current(), ward, state);
                        super::named_selections_ui(
                            ui,
                            &scene.data.dataset,
                            scene.comparison.to,
                            &self.named_selections,
                        );
                    } else {
                        ui.label("No map yet.");
                    }
                });
            });
        if let Some(ward) = ward_to_open {
            self.open_ward(ward);
        }
        self.handle_selection_action(selection_action);
        if self.profile.is_some() {
            let mut close = false;
            let mut clicked = None;
            egui::Panel::right("ward-profile")
                .resizable(true)
                .default_size(430.0)
                .show(ui, |ui| {
                    if ui.button("Close ward profile").clicked() {
                        close = true;
                    }
                    if let Some(profile) = &self.profile {
                        egui::ScrollArea::vertical().show(ui, |ui| {
                            clicked = ward_profile_ui(ui, profile, &mut self.profile_sort, self.selected.as_ref());
                            if let Some(data) = &self.data {
                                let year = self.settings.to;
                                self.areas
                                    .wards
                                    .rank_block(ui, &data.dataset, self.generation, profile, year);
                            }
                        });
                    }
                });
            if close {
                self.profile = None;
            }
            if let Some(code) = clicked {
                self.select_lsoa(code, false);
            }
        }
        // No fill: the map covers most of the panel with its own image, and the window is cleared to the panel colour
        // (`clear_color`), so filling it too would shade most of the window's pixels twice (on a machine without a
        // GPU each full-window pass costs llvmpipe a few milliseconds).
        let central = egui::Frame::central_panel(ui.style()).fill(Color32::TRANSPARENT);
        egui::CentralPanel::default()
            .frame(central)
            .show(ui, |ui| self.central(ui));
        self.windows(&ctx);
        if self.scene.is_some()
            && let Some(started) = self.first_map_timer.take()
        {
            eprintln!(
                "first frame with the map after {:.0} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
        }

        if self.rebuild_if_choices_changed() {
            ctx.request_repaint();
        }
    }

    /// Rebuilds the scene when the LA, editions, mode, palette or classes changed (from the UI or from outside).
    fn rebuild_if_choices_changed(&mut self) -> bool {
        let changed = self.data.is_some() && self.built_for.as_ref() != Some(&scene_key(&self.settings));
        if changed {
            self.rebuild_scene();
        }
        changed
    }

    fn central(&mut self, ui: &mut egui::Ui) {
        if let Some(message) = self.load_error.clone() {
            let (mut dismiss, mut download) = (false, false);
            egui::Frame::new()
                .fill(Color32::from_rgb(0xfd, 0xe0, 0xdc))
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!("Could not open the data: {message}"))
                                .color(Color32::from_rgb(0x80, 0x10, 0x10)),
                        );
                        if self.scene.is_some() {
                            ui.label("The previous map is still shown.");
                        }
                        dismiss = ui.button("Dismiss").clicked();
                        download = ui.button("Download the official data into a folder…").clicked();
                    });
                });
            if dismiss {
                self.load_error = None;
            }
            if download {
                self.load_error = None;
                self.download_official_data(ui.ctx());
            }
        }
        if let Some(message) = self.file_message.clone() {
            let (fill, ink) = if message.ok {
                (Color32::from_rgb(0xe5, 0xf5, 0xe0), Color32::from_rgb(0x10, 0x50, 0x10))
            } else {
                (Color32::from_rgb(0xfd, 0xe0, 0xdc), Color32::from_rgb(0x80, 0x10, 0x10))
            };
            let mut dismiss = false;
            egui::Frame::new().fill(fill).inner_margin(6.0).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&message.text).color(ink));
                    dismiss = ui.small_button("Dismiss").clicked();
                });
            });
            if dismiss {
                self.file_message = None;
            }
        }
        if let Some(message) = &self.scene_error {
            ui.label(RichText::new(message).color(Color32::from_rgb(0x99, 0x5a, 0)));
        }
        if let Some(job) = &self.job {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("{} ({:.1} s)", job.stage, job.started.elapsed().as_secs_f32()));
            });
        }
        let Some(scene) = &self.scene else {
            if self.job.is_none() {
                ui.vertical_centered(|ui| {
                    ui.add_space(ui.available_height() / 3.0);
                    ui.label("No data loaded. Use File, Open data folder…, or drop a folder here.");
                    if ui.button("Download the official data into a folder…").clicked() {
                        self.download_official_data(ui.ctx());
                    }
                });
            }
            return;
        };
        let highlighted: HashSet<usize> = self
            .highlighted
            .iter()
            .chain(&self.hovered_in_panel)
            .filter_map(|c| scene.area_by_code.get(c).copied())
            .collect();
        let selected = self.selected.and_then(|c| scene.area_by_code.get(&c).copied());
        let selection: HashSet<usize> = self
            .selection
            .current()
            .codes
            .iter()
            .filter_map(|c| scene.area_by_code.get(c).copied())
            .collect();
        let rect = ui.available_rect_before_wrap();
        self.last_map_rect = Some(ScreenRect {
            min: [rect.min.x, rect.min.y],
            max: [rect.max.x, rect.max.y],
        });
        let map = ChoroplethMap {
            scene,
            memory: &mut self.memory,
            settings: &self.settings,
            highlighted: &highlighted,
            selection: &selection,
            selected,
        }
        .show(ui);
        self.hovered_on_map = map.hovered.map(|i| scene.row(&scene.areas[i]).lsoa_code);
        // A project's view, once its own map has been fitted (not while its data is still loading).
        if self.job.is_none()
            && self.built_for.as_ref() == Some(&scene_key(&self.settings))
            && let Some(view) = self.pending_view.take()
        {
            self.memory.view = view;
            ui.ctx().request_repaint();
        }
        if let Some(layer_index) = map.hovered_without_data {
            let area = &scene.layer().areas[layer_index];
            let text = format!(
                "{} ({}): no IMD data for IMD {} and {}{}",
                area.name,
                area.code,
                scene.comparison.from,
                scene.comparison.to,
                if area.code.is_welsh() {
                    ". Welsh LSOAs are ranked by the Welsh Index (WIMD), not the English IMD."
                } else {
                    "."
                }
            );
            map.response.clone().on_hover_text_at_pointer(text);
        }
        if let Some(index) = map.hovered {
            let row = scene.row(&scene.areas[index]).clone();
            let comparison = &scene.comparison;
            map.response
                .clone()
                .on_hover_ui_at_pointer(|ui| lsoa_tooltip_ui(ui, &row, comparison));
        }
        let drawn = map.drawn.map(|(polygon, add)| {
            let candidates: BTreeSet<AreaCode> = scene.comparison.rows.iter().map(|r| r.lsoa_code).collect();
            (select_in_polygon(scene.layer(), &candidates, &polygon), add)
        });
        let clicked = map
            .clicked
            .map(|(index, add)| (scene.row(&scene.areas[index]).lsoa_code, add));
        if let Some((code, add)) = clicked {
            if add {
                self.selection.apply(&SelectionEdit::Toggle([code].into()));
            } else {
                self.selection.apply(&SelectionEdit::Replace([code].into()));
                self.select_lsoa(code, true);
            }
        }
        if let Some((inside, add)) = drawn {
            self.selection.apply(&if add {
                SelectionEdit::Add(inside)
            } else {
                SelectionEdit::Replace(inside)
            });
        }
    }
}

struct NoPicker;

impl FolderPicker for NoPicker {
    fn pick_folder(&mut self) -> Option<PathBuf> {
        None
    }
}

impl FilePicker for NoPicker {
    fn save_file(&mut self, _title: &str, _default_name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }

    fn open_file(&mut self, _title: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

/// True when the data open now is this folder.
fn same_folder(current: Option<&DataSource>, folder: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    matches!(current, Some(DataSource::Folder(dir)) if canonical(dir) == canonical(folder))
}

/// A file name stem from an LA name: `Leeds`, `Kingston-upon-Hull`.
fn file_stem_for(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "locality-map".into()
    } else {
        stem.into()
    }
}

/// The path with the extension added when the dialog returned a name without it.
fn with_extension(path: &Path, extension: &str) -> PathBuf {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(extension);
        PathBuf::from(name)
    }
}

impl eframe::App for LocalityMapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Some(timer) = &mut self.frame_timer {
            timer.tick(ui.ctx(), self.memory.view.metres_per_point);
        }
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    /// The panels' colour: the central panel is left unfilled (see `show`).
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }
}

/// Opens the window. `data` overrides the remembered folder; with neither, the embedded Leeds default.
///
/// Drawn with OpenGL (`glow`) unless `LOCALITY_MAP_RENDERER=wgpu`: on a machine without a GPU (Mesa llvmpipe) the
/// national map needs about 55 MB less that way, wgpu's staging and buffer copies being the difference. If the first
/// renderer cannot start, the other is tried before giving up.
pub fn run_window(data: Option<PathBuf>) -> eframe::Result {
    let started = Instant::now();
    let wgpu_first = std::env::var("LOCALITY_MAP_RENDERER").is_ok_and(|r| r.eq_ignore_ascii_case("wgpu"));
    let (first, second) = if wgpu_first {
        (eframe::Renderer::Wgpu, eframe::Renderer::Glow)
    } else {
        (eframe::Renderer::Glow, eframe::Renderer::Wgpu)
    };
    match open_with(first, data.clone(), started) {
        Ok(()) => Ok(()),
        Err(error) => {
            eprintln!("locality-map: the {first} renderer could not start ({error}); trying {second}");
            open_with(second, data, started)
        }
    }
}

fn open_with(renderer: eframe::Renderer, data: Option<PathBuf>, started: Instant) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Locality Map")
            .with_inner_size([1400.0, 900.0])
            .with_drag_and_drop(true),
        renderer,
        // Dithering smooths gradients the map does not have (flat fills), and computing its noise for every pixel cost
        // llvmpipe about 2 ms a frame.
        dithering: false,
        ..Default::default()
    };
    eframe::run_native(
        "Locality Map",
        options,
        Box::new(move |cc| {
            let mut settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            let source = match data
                .or_else(|| std::env::var_os("LOCALITY_MAP_DATA").map(PathBuf::from))
                .or_else(|| settings.data_folder.clone())
            {
                Some(dir) => DataSource::Folder(dir),
                None => DataSource::Embedded,
            };
            if source == DataSource::Embedded {
                settings.data_folder = None;
            }
            if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
                eprintln!("window created after {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
            }
            let mut app = LocalityMapApp::new(settings, source, Box::new(NativeFolderPicker), &cc.egui_ctx)
                .with_file_picker(Box::new(NativeFilePicker));
            if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
                app.first_map_timer = Some(started);
            }
            if std::env::var_os("LOCALITY_MAP_FRAME_TIMES").is_some() {
                app.frame_timer = Some(FrameTimer::default());
            }
            Ok(Box::new(app))
        }),
    )
}

/// Times whole frames in the real window: the interval between one frame's start and the next while repainting
/// continuously, so it includes the renderer (on a machine without a GPU, Mesa's llvmpipe rasterising). Prints the
/// median and the slowest of every 60 frames with the zoom and whether a button was held (panning).
#[derive(Default)]
struct FrameTimer {
    last: Option<Instant>,
    intervals_ms: Vec<f64>,
    dragging: bool,
}

impl FrameTimer {
    fn tick(&mut self, ctx: &egui::Context, metres_per_point: f64) {
        ctx.request_repaint();
        let now = Instant::now();
        let dragging = ctx.input(|i| i.pointer.any_down());
        if dragging != self.dragging {
            // A new phase: do not mix idle and panning frames.
            self.intervals_ms.clear();
            self.dragging = dragging;
        } else if let Some(last) = self.last {
            self.intervals_ms.push((now - last).as_secs_f64() * 1e3);
        }
        self.last = Some(now);
        if self.intervals_ms.len() == 60 {
            self.intervals_ms.sort_by(f64::total_cmp);
            eprintln!(
                "frames: median {:.1} ms, slowest {:.1} ms, at {:.0} m per point, {}",
                self.intervals_ms[30],
                self.intervals_ms[59],
                metres_per_point,
                if dragging { "panning" } else { "idle" }
            );
            self.intervals_ms.clear();
        }
    }
}
