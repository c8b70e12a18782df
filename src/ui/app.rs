//! The Locality Map window: wires the [`Session`] (state), the chrome and panels (which draw it and return
//! [`AppCommand`]s), the map, and the [`Files`] (dialogs, clipboard). Each frame: take a finished load, turn keys into
//! commands, rebuild the scene if a choice changed, then draw each part and run the commands it returned.

use super::attribute_table::AttributeTableState;
use super::choropleth_map::MapMemory;
use super::chrome::Chrome;
use super::command::{AppCommand, AppWindow, WindowEffect, dispatch};
use super::export_dialog::ExportDialogState;
use super::files::{FilePicker, Files, FolderPicker, NativeFilePicker, NativeFolderPicker, NoPicker, SelectionFormat};
use super::frame_timer::{FrameTimer, report_first_map};
use super::loader::LoadedData;
use super::map_area::map_area;
use super::map_cache::MapCache;
use super::path_field::PathFieldState;
use super::scene::MapScene;
use super::session::{FileMessage, Session, ViewRequest};
use super::settings::Settings;
use super::shortcuts::shortcuts;
use super::side_panels::Panels;
use crate::analysis::{Selection, WardProfile};
use crate::io::DataSource;
use crate::model::AreaCode;
use crate::project::Project;
use crate::render::{MapView, ScreenRect};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Key under which settings are persisted.
const SETTINGS_KEY: &str = "locality-map-settings";

/// The application.
pub struct LocalityMapApp {
    /// The planner's choices (persisted between runs).
    pub settings: Settings,
    session: Session,
    /// Whether the session repaints this window's context yet.
    repaint_set: bool,
    memory: MapMemory,
    /// The map's image, meshes and outlines, kept between frames.
    cache: MapCache,
    chrome: Chrome,
    panels: Panels,
    files: Files,
    /// The attribute table window.
    attribute_table: AttributeTableState,
    /// The path field shown where no file dialog can open.
    path_field: PathFieldState,
    /// The report export dialog.
    export_dialog: ExportDialogState,
    /// The command that asked for the path the path field is asking for (run again with the answer).
    waiting_for_path: Option<AppCommand>,
    /// A rectangle just shown and the map's rect it was fitted to: fitted again if opening a panel (the ward
    /// profile) narrowed the map in the same frame.
    shown: Option<(geo::Rect<f64>, ScreenRect)>,
    /// Where the map was drawn last frame (a search hit is fitted into it).
    last_map_rect: Option<ScreenRect>,
    /// Process start, while waiting to report the first frame with a map (`LOCALITY_MAP_TIMING`).
    first_map_timer: Option<Instant>,
    /// `LOCALITY_MAP_FRAME_TIMES`: whole frames (ours, egui's and the renderer's) timed while repainting continuously.
    frame_timer: Option<FrameTimer>,
}

impl LocalityMapApp {
    /// Opens the window's state and starts loading `source` in the background.
    pub fn new(settings: Settings, source: DataSource, picker: Box<dyn FolderPicker>, ctx: &egui::Context) -> Self {
        let mut app = Self::empty(settings, Session::default(), picker);
        app.set_repaint(ctx);
        app.session.focus_load_on(&app.settings);
        app.session.start_load(source);
        app
    }

    /// State over data already loaded (tests, benchmarks).
    pub fn with_data(settings: Settings, data: Arc<LoadedData>) -> Self {
        let session = Session::with_data(data, &settings);
        let mut app = Self::empty(settings, session, Box::new(NoPicker));
        app.apply_view_request();
        app
    }

    fn empty(settings: Settings, session: Session, picker: Box<dyn FolderPicker>) -> Self {
        Self {
            settings,
            session,
            repaint_set: false,
            memory: MapMemory::default(),
            cache: MapCache::default(),
            chrome: Chrome::default(),
            panels: Panels::default(),
            files: Files::new(picker, Box::new(NoPicker)),
            attribute_table: AttributeTableState::default(),
            path_field: PathFieldState::default(),
            export_dialog: ExportDialogState::default(),
            waiting_for_path: None,
            shown: None,
            last_map_rect: None,
            first_map_timer: None,
            frame_timer: None,
        }
    }

    /// Uses this tile server and cache for the street basemap when it is switched on (tests; a council's own server
    /// is set in the settings or `$LOCALITY_MAP_TILE_URL`).
    pub fn with_tile_source(mut self, source: crate::io::TileSource) -> Self {
        self.cache.basemap.set_source(source);
        self
    }

    /// The street basemap's state (whether it started, tiles downloaded and ready).
    pub fn basemap(&self) -> &super::basemap::Basemap {
        &self.cache.basemap
    }

    /// Uses these save and open dialogs (the native ones in the window; stubs in tests).
    pub fn with_file_picker(mut self, picker: Box<dyn FilePicker>) -> Self {
        self.files.set_file_picker(picker);
        self
    }

    fn set_repaint(&mut self, ctx: &egui::Context) {
        let ctx = ctx.clone();
        self.session.set_repaint(Arc::new(move || ctx.request_repaint()));
        self.repaint_set = true;
    }

    /// The window's state.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Runs one command as if the planner had chosen it.
    pub fn run(&mut self, command: AppCommand, ctx: &egui::Context) {
        let asked_before = self.files.prompt().is_some();
        let again = command.clone();
        match dispatch(
            command,
            &mut self.session,
            &mut self.settings,
            &mut self.files,
            self.memory.view,
        ) {
            Some(WindowEffect::Quit) => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Some(WindowEffect::Show(window)) => self.open_window(window),
            Some(WindowEffect::ClearSelectionName) => self.panels.selection_name.clear(),
            Some(WindowEffect::GroupsFileChosen(request, path)) => self.panels.areas.groups.use_file(request, path),
            Some(WindowEffect::PathAnswered(answered)) => {
                let waiting = self.waiting_for_path.take();
                if answered && let Some(command) = waiting {
                    self.run(command, ctx);
                }
                self.files.clear_answer();
            }
            None => {}
        }
        // A command whose dialog could not open: kept to run again when the path field is answered.
        if !asked_before && self.files.prompt().is_some() {
            self.waiting_for_path = Some(again);
        }
        self.apply_view_request();
    }

    fn open_window(&mut self, window: AppWindow) {
        match window {
            AppWindow::Problems => self.chrome.show_problems = true,
            AppWindow::About => self.chrome.show_about = true,
            AppWindow::Help(topic) => self.chrome.help.open(topic),
            AppWindow::LeagueTable => self.chrome.league.open = true,
            AppWindow::Indicators => self.chrome.indicators.open = true,
            AppWindow::WardLeague => self.panels.areas.wards.open = true,
            AppWindow::AreaGroups => self.panels.areas.groups.open = true,
            AppWindow::AttributeTable => self.attribute_table.open = true,
            AppWindow::ExportDialog => self.export_dialog.open = true,
        }
    }

    fn run_all(&mut self, commands: Vec<AppCommand>, ctx: &egui::Context) {
        for command in commands {
            self.run(command, ctx);
        }
    }

    /// Carries out the view change the session asked for.
    fn apply_view_request(&mut self) {
        match self.session.take_view_request() {
            Some(ViewRequest::Fit) => self.memory.fit_requested = true,
            Some(ViewRequest::Show(bbox)) => {
                if let Some(screen) = self.last_map_rect {
                    self.memory.view = MapView::fit(bbox, screen);
                    self.shown = Some((bbox, screen));
                }
            }
            None => {}
        }
    }

    /// Selections saved under a name.
    pub fn named_selections(&self) -> &BTreeMap<String, BTreeSet<AreaCode>> {
        self.session.named_selections()
    }

    /// Opens a grouping file into the area groups (their window, the map layer, the selection panel), as the groups
    /// window's "Open grouping file…" does.
    pub fn open_grouping_file(&mut self, path: PathBuf) {
        self.panels.areas.groups.open_file(path);
    }

    /// The project file last saved or opened.
    pub fn project_path(&self) -> Option<&Path> {
        self.session.project_path()
    }

    /// The result of the last save, export or open, if any.
    pub fn file_message(&self) -> Option<&FileMessage> {
        self.session.file_message()
    }

    /// The state as a project saved at `project_file` (the data folder is stored relative to it when inside it).
    pub fn project(&self, project_file: &Path) -> Project {
        self.session.to_project(&self.settings, self.memory.view, project_file)
    }

    /// Saves the project where it was last saved or opened, else asks where (Ctrl+S).
    pub fn save_project(&mut self) {
        self.files
            .save_project(&mut self.session, &self.settings, self.memory.view);
    }

    /// Asks where, then saves the project there.
    pub fn save_project_as(&mut self) {
        self.files
            .save_project_as(&mut self.session, &self.settings, self.memory.view);
    }

    /// Saves the project to a file, atomically, replacing it (the save dialog has already asked).
    pub fn save_project_to(&mut self, path: &Path) {
        super::files::save_project_to(&mut self.session, &self.settings, self.memory.view, path);
    }

    /// Asks which project to open, then opens it.
    pub fn open_project_dialog(&mut self, ctx: &egui::Context) {
        self.set_repaint(ctx);
        self.files.open_project_dialog(&mut self.session, &mut self.settings);
    }

    /// Opens a project file: its choices, view and selections now; its data folder loaded if it is safe and present,
    /// asked about if it lies outside the project's folder, reported if missing (selections are kept either way).
    pub fn open_project_from(&mut self, path: &Path, ctx: &egui::Context) {
        self.set_repaint(ctx);
        super::files::open_project_from(&mut self.session, &mut self.settings, path);
    }

    /// Asks where, then writes the selection as CSV (`geojson` false) or GeoJSON.
    pub fn export_selection(&mut self, geojson: bool) {
        let format = if geojson {
            SelectionFormat::GeoJson
        } else {
            SelectionFormat::Csv
        };
        self.files.export_selection(&mut self.session, format);
    }

    /// Asks where, then renders the LA map as an A4 landscape 300 dpi report PNG and saves it atomically.
    pub fn export_map_image(&mut self) {
        self.files.export_map_image(&mut self.session, &self.settings);
    }

    /// Renders the LA map (A4 landscape at 150 dpi) and puts it on the clipboard. A machine without a clipboard (no
    /// display) gets a message, not a crash.
    pub fn copy_map_image(&mut self) {
        self.files.copy_map_image(&mut self.session, &self.settings);
    }

    /// The scene shown, if any.
    pub fn scene(&self) -> Option<&MapScene> {
        self.session.scene()
    }

    /// The ward profile open, if any.
    pub fn profile(&self) -> Option<&WardProfile> {
        self.session.profile()
    }

    /// The map's view (centre and zoom).
    pub fn view(&self) -> MapView {
        self.memory.view
    }

    /// The LSOAs selected for resource flexing.
    pub fn selection(&self) -> &Selection {
        self.session.selection()
    }

    /// The focused LSOA (clicked, or a profile row).
    pub fn selected(&self) -> Option<&AreaCode> {
        self.session.selected()
    }

    /// Where an LSOA's marker point is on screen now, if it is drawn (for tests and automation).
    pub fn screen_position_of(&self, code: &AreaCode) -> Option<egui::Pos2> {
        let scene = self.session.scene()?;
        let screen = self.last_map_rect?;
        let interior_in_world = match scene.area_by_code.get(code) {
            Some(index) => scene.areas.get(*index)?.interior_in_world,
            // Areas drawn without IMD data (Welsh LSOAs nationally) are in the layer only.
            None => {
                let layer = scene.layer();
                let area = layer.areas.get(layer.index_of(code)?)?;
                area.interior_in_world?
            }
        };
        let [x, y] = self.memory.view.screen_from_world(screen).apply(interior_in_world);
        Some(egui::Pos2::new(x, y))
    }

    /// World (BNG metres) → screen points for the map as last drawn (for tests and automation).
    pub fn screen_from_world(&self) -> Option<crate::render::ScreenFromWorld> {
        Some(self.memory.view.screen_from_world(self.last_map_rect?))
    }

    /// Where the map was last drawn, in screen points.
    pub fn map_rect(&self) -> Option<ScreenRect> {
        self.last_map_rect
    }

    /// Why the current choices cannot be shown, if they cannot.
    pub fn scene_error(&self) -> Option<&str> {
        self.session.scene_error_text()
    }

    /// Why the last load failed, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.session.load_error()
    }

    /// True while a load runs.
    pub fn is_loading(&self) -> bool {
        self.session.is_loading()
    }

    /// Starts loading a data source; the current map stays until it succeeds.
    pub fn start_load(&mut self, source: DataSource, ctx: &egui::Context) {
        self.set_repaint(ctx);
        self.session.focus_load_on(&self.settings);
        self.session.start_load(source);
    }

    /// Finds an LSOA by code or name, or a ward by name, and jumps to it.
    pub fn search_for(&mut self, query: &str) {
        self.session.search(query, &mut self.settings);
        self.apply_view_request();
    }

    /// Rebuilds the scene when a choice changed; whether it did.
    fn rebuild_if_changed(&mut self) -> bool {
        self.session.settle_editions(&mut self.settings);
        let changed = self.session.rebuild_if_changed(&self.settings);
        self.apply_view_request();
        changed
    }

    /// Draws the whole window into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Light, like the reports the maps go into.
        if ctx.theme() != egui::Theme::Light {
            ctx.set_theme(egui::Theme::Light);
        }
        if !self.repaint_set {
            self.set_repaint(&ctx);
        }
        self.session.poll(&mut self.settings);
        self.apply_view_request();
        self.run_all(shortcuts(&ctx), &ctx);
        self.rebuild_if_changed();

        let (session, settings) = (&self.session, &mut self.settings);
        let chrome = &mut self.chrome;
        let commands = egui::Panel::top("menu").show(ui, |ui| chrome.menu_bar(ui, session, settings));
        self.run_all(commands.inner, &ctx);
        let (session, settings, chrome) = (&self.session, &mut self.settings, &mut self.chrome);
        let commands = egui::Panel::top("toolbar").show(ui, |ui| chrome.toolbar(ui, session, settings));
        self.run_all(commands.inner, &ctx);
        let (session, chrome) = (&self.session, &mut self.chrome);
        let commands = egui::Panel::bottom("status").show(ui, |ui| chrome.status_bar(ui, session));
        self.run_all(commands.inner, &ctx);
        // The area groups' map layer, built (cached) from the groups window for the panels, the map and exports.
        let layer = super::group_layer::current_layer(&mut self.panels.areas.groups, &self.session);
        self.session.set_group_layer(layer);
        // The left panel first, so it runs the window's full height (at 1400 × 900 the priority wards and the
        // selection are then reached without scrolling); the distribution plots sit under the map only.
        let commands = self.panels.left(ui, &self.session, &self.settings);
        self.run_all(commands, &ctx);
        let commands = self.panels.distribution(ui, &self.session, &self.settings);
        self.run_all(commands, &ctx);
        let commands = self.panels.ward_profile(ui, &self.session);
        self.run_all(commands, &ctx);
        self.central(ui, &ctx);
        let commands = self.chrome.dialogs(&ctx, &self.session, &self.settings);
        self.run_all(commands, &ctx);
        self.remember_indicator(&ctx);
        self.area_views(&ctx);
        self.tool_windows(&ctx);
        report_first_map(&mut self.first_map_timer, self.session.scene().is_some());

        if self.rebuild_if_changed() {
            ctx.request_repaint();
        }
    }

    /// The attribute table, and the path field when a dialog could not open.
    fn tool_windows(&mut self, ctx: &egui::Context) {
        let visible = self.last_map_rect.map(|r| self.memory.view.visible_world(r));
        let commands = self.attribute_table.show(ctx, &self.session, visible);
        self.run_all(commands, ctx);
        if self.export_dialog.open
            && let Some(command) = self.export_dialog.show(ctx, &self.session, visible)
        {
            self.run(command, ctx);
        }
        if let Some(prompt) = self.files.prompt().cloned()
            && let Some(command) = self.path_field.show(ctx, &prompt, self.settings.last_folder.as_deref())
        {
            self.run(command, ctx);
        }
    }

    /// The path the window is asking for in its own field (no file dialog could open), if any.
    pub fn path_prompt(&self) -> Option<&super::path_prompt::PathPrompt> {
        self.files.prompt()
    }

    /// The indicators window tells the session what it shows (for projects and named selections), takes up a
    /// choice an opened project or named selection brought back, and has its trend exports run.
    fn remember_indicator(&mut self, ctx: &egui::Context) {
        let dataset = self.session.data().map(Arc::clone);
        let dataset = dataset.as_ref().map(|d| &d.dataset);
        if let Some(choice) = self.session.take_pending_indicator() {
            self.chrome.indicators.apply_choice(&choice, dataset);
        }
        self.session
            .set_indicator_choice(self.chrome.indicators.choice(dataset));
        if let Some(request) = self.chrome.indicators.trend_export_request.take() {
            self.run(AppCommand::ExportTrend(Box::new(request)), ctx);
        }
        self.chrome
            .indicators
            .groups
            .set_groups(self.panels.areas.groups.file(), self.session.named_selections());
        let figures = dataset.map(|d| {
            self.chrome
                .indicators
                .named_selection_figures(d, self.session.generation())
        });
        self.panels.named_indicator_figures = figures.unwrap_or_default();
        if let Some(request) = self.chrome.indicators.map_export_request.take() {
            self.run(AppCommand::ExportIndicatorMap(Box::new(request)), ctx);
        }
    }

    /// The ward league and area groups windows (a ward clicked there opens its profile).
    fn area_views(&mut self, ctx: &egui::Context) {
        let areas = &mut self.panels.areas;
        let waiting = super::staged_status::WaitingWindows {
            windows: vec![
                ("Ward league", &mut areas.wards.open, [760.0, 560.0]),
                ("Area groups", &mut areas.groups.open, [900.0, 620.0]),
            ],
        };
        if super::staged_status::waiting_windows_ui(ctx, &self.session, waiting) {
            return;
        }
        if let Some(ward) = self.panels.areas.show(ctx, &self.session, &mut self.settings) {
            self.run(AppCommand::OpenWard(ward), ctx);
        }
        if let Some(request) = self.panels.areas.groups.file_request.take() {
            self.run(AppCommand::GroupsFile(request), ctx);
        }
    }

    fn central(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        // No fill: the map covers most of the panel with its own image, and the window is cleared to the panel colour
        // (`clear_color`), so filling it too would shade most of the window's pixels twice (on a machine without a
        // GPU each full-window pass costs llvmpipe a few milliseconds).
        let central = egui::Frame::central_panel(ui.style()).fill(egui::Color32::TRANSPARENT);
        let (session, settings, chrome) = (&self.session, &self.settings, &self.chrome);
        let (memory, cache) = (&mut self.memory, &mut self.cache);
        let (panels, map_rect) = (&mut self.panels, &mut self.last_map_rect);
        let commands = egui::CentralPanel::default().frame(central).show(ui, |ui| {
            let mut commands = chrome.banners(ui, session);
            super::missing_data::unshown_map_ui(ui, session, &settings.la);
            commands.extend(map_area(ui, session, settings, memory, cache, panels, map_rect));
            commands
        });
        if let Some((bbox, fitted_to)) = self.shown.take()
            && let Some(screen) = self.last_map_rect
            && screen != fitted_to
        {
            self.memory.view = MapView::fit(bbox, screen);
            ctx.request_repaint();
        }
        // A project's view, once its own map has been fitted (not while its data is still loading).
        if self.session.scene().is_some()
            && let Some(view) = self.session.take_pending_view(&self.settings)
        {
            self.memory.view = view;
            ctx.request_repaint();
        }
        self.run_all(commands.inner, ctx);
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
