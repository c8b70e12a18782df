//! The Locality Map window: menus, pickers, panels and the map, over data loaded off the UI thread.

use super::choropleth_map::{ChoroplethMap, MapMemory};
use super::distribution::{DistributionState, distribution_ui};
use super::loader::{LoadJob, LoadedData};
use super::panels::{
    ProfileSort, legend_ui, lsoa_tooltip_ui, priority_wards_ui, problems_ui, summary_ui, ward_profile_ui,
};
use super::scene::MapScene;
use super::selection_panel::{SelectionAction, selection_ui};
use super::settings::{MapTool, Settings};
use crate::analysis::{SelectionEdit, SelectionHistory, WardProfile, select_in_polygon};
use crate::io::DataSource;
use crate::model::{AreaCode, Index, normalise};
use crate::render::{MapView, ScreenRect};
use crate::style::{Classification, ColourVision, DivergingPalette, MapMode};
use egui::{Color32, RichText};
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
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
    distribution: DistributionState,
    picker: Box<dyn FolderPicker>,
    last_map_rect: Option<ScreenRect>,
    /// The choices the current scene was built for; a difference means rebuild.
    built_for: Option<SceneKey>,
    /// Process start, while waiting to report the first frame with a map (`LOCALITY_MAP_TIMING`).
    first_map_timer: Option<Instant>,
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
            distribution: DistributionState::default(),
            picker,
            last_map_rect: None,
            built_for: None,
            first_map_timer: None,
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
        let area = scene.areas.get(*scene.area_by_code.get(code)?)?;
        let [x, y] = self.memory.view.screen_from_world(screen).apply(area.interior_in_world);
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
            let mut modes = vec![MapMode::RankChange, MapMode::DecileLater, MapMode::DecileEarlier];
            if let Some(edition) = dataset.edition(to) {
                modes.extend(
                    edition
                        .indices_present()
                        .into_iter()
                        .filter(|i| *i != Index::Imd)
                        .map(MapMode::DomainLater),
                );
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
                ui.label(RichText::new("Contains OS data © Crown copyright and database right. Contains National Statistics data © Crown copyright and database right. OGL v3.0").small().weak());
            });
        });
    }

    fn windows(&mut self, ctx: &egui::Context) {
        if let Some(data) = self.data.clone() {
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
                        let limit = &mut self.rule_change_limit;
                        selection_action = selection_ui(ui, &scene.comparison, self.selection.current(), ward, limit);
                    } else {
                        ui.label("No map yet.");
                    }
                });
            });
        if let Some(ward) = ward_to_open {
            self.open_ward(ward);
        }
        match selection_action {
            SelectionAction::None => {}
            SelectionAction::Edit(edit) => self.selection.apply(&edit),
            SelectionAction::Undo => {
                self.selection.undo();
            }
            SelectionAction::Redo => {
                self.selection.redo();
            }
            SelectionAction::Focus(code) => self.select_lsoa(code, false),
        }
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
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
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
            let mut dismiss = false;
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
                    });
                });
            if dismiss {
                self.load_error = None;
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
                ui.centered_and_justified(|ui| {
                    ui.label("No data loaded. Use File, Open data folder…, or drop a folder here.")
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

impl eframe::App for LocalityMapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Opens the window. `data` overrides the remembered folder; with neither, the embedded Leeds default.
pub fn run_window(data: Option<PathBuf>) -> eframe::Result {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Locality Map")
            .with_inner_size([1400.0, 900.0])
            .with_drag_and_drop(true),
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
            let mut app = LocalityMapApp::new(settings, source, Box::new(NativeFolderPicker), &cc.egui_ctx);
            if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
                app.first_map_timer = Some(started);
            }
            Ok(Box::new(app))
        }),
    )
}
