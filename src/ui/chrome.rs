//! The window's chrome: menu bar, toolbar, status bar, the banners above the map and the dialogs. It draws the
//! session and the settings and returns [`AppCommand`]s; it changes nothing else itself (a checkbox or a picker edits
//! the settings it is bound to, as a planner's choice).
//!
//! A new menu entry is one `if ui.button(..).clicked() { commands.push(..) }` here and, if it needs new work, one
//! [`AppCommand`] variant with its arm in [`dispatch`](super::command::dispatch).

use super::command::{AppCommand, AppWindow};
use super::files::SelectionFormat;
use super::help::{HelpState, help_menu_ui, help_windows};
use super::indicator_window::{IndicatorAction, IndicatorWindowState};
use super::la_picker::la_picker_ui;
use super::league_table::LeagueTableState;
use super::loader::LoadedData;
use super::place_search_box::{PlaceSearchState, place_search_ui};
use super::session::Session;
use super::settings::{MapTool, Settings};
use crate::model::Index;
use crate::style::{Classification, ColourVision, DivergingPalette, MapMode};
use egui::{Color32, RichText};

pub use super::la_picker::ALL_ENGLAND;

/// The chrome's own state: the search field and which windows are open.
#[derive(Default)]
pub struct Chrome {
    /// The search field, its list of matches and the places it searches (`place_search_box.rs`).
    pub search: PlaceSearchState,
    /// The Help menu's windows (`help.rs`).
    pub help: HelpState,
    /// The problems window is open.
    pub show_problems: bool,
    /// The About window is open.
    pub show_about: bool,
    /// The LA league table (its own window).
    pub league: LeagueTableState,
    /// The local indicators window (`indicator_window.rs`).
    pub indicators: IndicatorWindowState,
}

impl Chrome {
    /// The File, View and Help menus.
    pub fn menu_bar(&mut self, ui: &mut egui::Ui, session: &Session, settings: &mut Settings) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| file_menu(ui, session, &mut commands));
            ui.menu_button("View", |ui| view_menu(ui, settings, &mut commands));
            ui.menu_button("Help", |ui| {
                help_menu_ui(ui, &mut commands);
                ui.separator();
                if ui.button("About and attribution…").clicked() {
                    commands.push(AppCommand::Show(AppWindow::About));
                }
            });
        });
        commands
    }

    /// LA, editions, what the map shows, search and the drag tool.
    pub fn toolbar(&mut self, ui: &mut egui::Ui, session: &Session, settings: &mut Settings) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        let Some(data) = session.data() else { return commands };
        ui.horizontal_wrapped(|ui| {
            choice_pickers(ui, data, settings);
            ui.separator();
            commands.extend(place_search_ui(ui, &mut self.search, session));
            ui.separator();
            ui.label("Drag to");
            ui.selectable_value(&mut settings.tool, MapTool::Pan, "Pan")
                .on_hover_text("Drag moves the map");
            ui.selectable_value(&mut settings.tool, MapTool::Box, "Select box")
                .on_hover_text("Drag a box to select LSOAs (shift adds); middle-drag pans");
            ui.selectable_value(&mut settings.tool, MapTool::Lasso, "Select lasso")
                .on_hover_text("Draw round LSOAs to select them (shift adds); middle-drag pans");
            if let Some(message) = session.search_message() {
                ui.label(RichText::new(message).weak());
            }
        });
        commands
    }

    /// Where the data came from, its problems, what is missing, and the attribution.
    pub fn status_bar(&mut self, ui: &mut egui::Ui, session: &Session) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            if let Some(data) = session.data() {
                ui.label(format!("Data: {}", data.source.label()));
                // The first part's report lists what it did not read yet: the problems wait for the whole load.
                if data.first_part.is_none() && super::problems_list::problems_link_ui(ui, &data.dataset.report) {
                    commands.push(AppCommand::Show(AppWindow::Problems));
                }
            }
            super::staged_status::rest_loading_ui(ui, session);
            if let Some(scene) = session.scene()
                && scene.missing_boundaries > 0
            {
                let text = format!("{} LSOAs have no boundary loaded", scene.missing_boundaries);
                ui.label(RichText::new(text).color(Color32::from_rgb(0x99, 0x5a, 0)));
            }
            if let Some(scene) = session.scene()
                && scene.without_imd_data > 0
            {
                ui.label(RichText::new(format!("{} areas have no IMD data (grey)", scene.without_imd_data)).weak());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Truncated (full text on hover) rather than drawn over the labels on the left in a narrow window.
                let attribution = "Contains OS data © Crown copyright and database right. Contains National \
                                   Statistics data © Crown copyright and database right. OGL v3.0";
                ui.add(egui::Label::new(RichText::new(attribution).small().weak()).truncate())
                    .on_hover_text(attribution);
            });
        });
        commands
    }

    /// The banners above the map: a failed load, the last file message, why the choices cannot be shown, the load
    /// running, and the way in when there is no data at all.
    pub fn banners(&self, ui: &mut egui::Ui, session: &Session) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        if let Some(message) = session.load_error() {
            egui::Frame::new()
                .fill(Color32::from_rgb(0xfd, 0xe0, 0xdc))
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!("Could not open the data: {message}"))
                                .color(Color32::from_rgb(0x80, 0x10, 0x10)),
                        );
                        if session.scene().is_some() {
                            ui.label("The previous map is still shown.");
                        }
                        if ui.button("Dismiss").clicked() {
                            commands.push(AppCommand::DismissLoadError);
                        }
                        if ui.button("Download the official data into a folder…").clicked() {
                            commands.extend([AppCommand::DismissLoadError, AppCommand::DownloadOfficialData]);
                        }
                    });
                });
        }
        if let Some(message) = session.file_message() {
            let (fill, ink) = if message.ok {
                (Color32::from_rgb(0xe5, 0xf5, 0xe0), Color32::from_rgb(0x10, 0x50, 0x10))
            } else {
                (Color32::from_rgb(0xfd, 0xe0, 0xdc), Color32::from_rgb(0x80, 0x10, 0x10))
            };
            egui::Frame::new().fill(fill).inner_margin(6.0).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&message.text).color(ink));
                    if ui.small_button("Dismiss").clicked() {
                        commands.push(AppCommand::DismissFileMessage);
                    }
                });
            });
        }
        if let Some(message) = session.scene_error_text() {
            ui.label(RichText::new(message).color(Color32::from_rgb(0x99, 0x5a, 0)));
        }
        // The rest of a staged load is shown in the status bar, under a map already drawn.
        if let Some(job) = session.job().filter(|job| job.first_part.is_none()) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("{} ({:.1} s)", job.stage, job.started.elapsed().as_secs_f32()));
            });
        }
        if session.data().is_none() && session.job().is_none() {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.label("No data loaded. Use File, Open data folder…, or drop a folder here.");
                if ui.button("Download the official data into a folder…").clicked() {
                    commands.push(AppCommand::DownloadOfficialData);
                }
            });
        }
        commands
    }

    /// The data-folder question, the league table, the problems and About windows.
    pub fn dialogs(&mut self, ctx: &egui::Context, session: &Session, settings: &Settings) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        help_windows(ctx, &mut self.help);
        if let Some(confirmation) = session.data_confirmation() {
            egui::Window::new("Open the project's data folder?")
                .collapsible(false)
                .default_width(520.0)
                .show(ctx, |ui| {
                    ui.label(format!("{}.", confirmation.reason));
                    ui.label(RichText::new(confirmation.folder.display().to_string()).monospace());
                    ui.label("Only open it if you trust where this project file came from.");
                    ui.horizontal(|ui| {
                        if ui.button("Open this folder").clicked() {
                            commands.push(AppCommand::AnswerDataConfirmation(true));
                        }
                        if ui.button("Keep the current data").clicked() {
                            commands.push(AppCommand::AnswerDataConfirmation(false));
                        }
                    });
                });
        }
        let waiting = super::staged_status::WaitingWindows {
            windows: vec![
                ("Local authority league table", &mut self.league.open, [720.0, 520.0]),
                ("Local indicators", &mut self.indicators.open, [900.0, 640.0]),
            ],
        };
        let waiting = super::staged_status::waiting_windows_ui(ctx, session, waiting);
        if let Some(data) = session.data() {
            let (from, to) = (settings.from, settings.to);
            if !waiting
                && let Some(la) = self
                    .league
                    .show(ctx, &data.dataset, session.generation(), from, to, &settings.la)
            {
                commands.push(AppCommand::ChooseLa(la));
            }
            let ward = session.profile().map(|p| p.code);
            let selection = &session.selection().codes;
            if !waiting
                && let Some(IndicatorAction::OpenArea(code)) =
                    self.indicators
                        .show(ctx, &data.dataset, session.generation(), ward, selection)
            {
                commands.push(AppCommand::Search(code.to_string()));
            }
            egui::Window::new("Problems found in the data")
                .open(&mut self.show_problems)
                .default_width(620.0)
                .show(ctx, |ui| super::problems_list::problems_ui(ui, &data.dataset.report));
        }
        egui::Window::new("About Locality Map")
            .open(&mut self.show_about)
            .show(ctx, |ui| {
                ui.label(
                    "Locality Map shows where deprivation got better or worse, from the English Indices of Deprivation \
                 (MHCLG) and ONS boundaries.",
                );
                ui.label(
                    "Rank 1 = most deprived. Change = later rank − earlier rank; negative = more deprived. The most \
                 deprived 1% is rank ≤ floor(N/100) of each edition.",
                );
                ui.separator();
                ui.label("Contains OS data © Crown copyright and database right 2026.");
                ui.label("Contains National Statistics data © Crown copyright and database right 2026.");
                ui.label("Contains public sector information licensed under the Open Government Licence v3.0.");
            });
        commands
    }
}

fn file_menu(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<AppCommand>) {
    let mut entry = |ui: &mut egui::Ui, enabled: bool, button: egui::Button<'_>, command: AppCommand| {
        if ui.add_enabled(enabled, button).clicked() {
            commands.push(command);
        }
    };
    entry(
        ui,
        true,
        egui::Button::new("Open data folder…"),
        AppCommand::OpenDataFolder,
    );
    entry(
        ui,
        true,
        egui::Button::new("Use the embedded Leeds default"),
        AppCommand::UseEmbeddedData,
    );
    let download = egui::Button::new("Download the official data into a folder…");
    entry(ui, true, download, AppCommand::DownloadOfficialData);
    ui.separator();
    entry(ui, true, egui::Button::new("Open project…"), AppCommand::OpenProject);
    let save = egui::Button::new("Save project").shortcut_text("Ctrl+S");
    entry(ui, true, save, AppCommand::SaveProject);
    entry(
        ui,
        true,
        egui::Button::new("Save project as…"),
        AppCommand::SaveProjectAs,
    );
    ui.separator();
    let has_map = session.scene().is_some();
    let has_selection = !session.selection().codes.is_empty();
    for (label, format) in [
        ("Export selection as CSV…", SelectionFormat::Csv),
        ("Export selection as GeoJSON…", SelectionFormat::GeoJson),
    ] {
        let command = AppCommand::ExportSelection(format);
        entry(ui, has_map && has_selection, egui::Button::new(label), command);
    }
    let report = egui::Button::new("Export report (title, extent, size, DPI)…");
    entry(ui, has_map, report, AppCommand::Show(AppWindow::ExportDialog));
    entry(
        ui,
        has_map,
        egui::Button::new("Export map image…"),
        AppCommand::ExportMapImage,
    );
    let copy = egui::Button::new("Copy map image to clipboard");
    entry(ui, has_map, copy, AppCommand::CopyMapImage);
    for format in super::export_formats::ExportFormat::ALL {
        entry(
            ui,
            has_map,
            egui::Button::new(format.label()),
            AppCommand::ExportAs(format),
        );
    }
    ui.separator();
    entry(
        ui,
        true,
        egui::Button::new("Problems found in the data…"),
        AppCommand::Show(AppWindow::Problems),
    );
    ui.separator();
    entry(ui, true, egui::Button::new("Quit"), AppCommand::Quit);
}

fn view_menu(ui: &mut egui::Ui, settings: &mut Settings, commands: &mut Vec<AppCommand>) {
    ui.checkbox(
        &mut settings.show_transitions,
        "1% transitions (stayed, moved in, moved out)",
    );
    ui.checkbox(&mut settings.show_lsoa_lines, "LSOA boundaries");
    ui.checkbox(&mut settings.show_ward_labels, "Ward names");
    ui.checkbox(&mut settings.show_distribution, "Distribution panel");
    ui.checkbox(
        &mut settings.show_basemap,
        "Street basemap (OpenStreetMap; downloads map tiles)",
    )
    .on_hover_text("Off until switched on: nothing is downloaded before. Tiles are cached on disk.");
    super::group_layer::layer_checkbox(ui, settings);
    ui.separator();
    ui.menu_button("Palette", |ui| {
        for palette in DivergingPalette::ALL {
            ui.radio_value(&mut settings.palette, palette, palette.label());
        }
    });
    ui.menu_button("Classes", |ui| {
        ui.radio_value(
            &mut settings.classification,
            Classification::default(),
            "Fixed: ±20, ±100, ±500 ranks",
        );
        ui.radio_value(
            &mut settings.classification,
            Classification::Quantiles,
            "Quantiles (7 equal groups)",
        );
    });
    ui.menu_button("Colour-vision preview", |ui| {
        for vision in ColourVision::ALL {
            ui.radio_value(&mut settings.colour_vision, vision, vision.label());
        }
    });
    ui.separator();
    if ui.button("LA league table…").clicked() {
        commands.push(AppCommand::Show(AppWindow::LeagueTable));
    }
    if ui.button("Local indicators…").clicked() {
        commands.push(AppCommand::Show(AppWindow::Indicators));
    }
    if ui.button("Attribute table…").clicked() {
        commands.push(AppCommand::Show(AppWindow::AttributeTable));
    }
    if ui.button("Ward league…").clicked() {
        commands.push(AppCommand::Show(AppWindow::WardLeague));
    }
    if ui.button("Area groups map…").clicked() {
        commands.push(AppCommand::Show(AppWindow::AreaGroups));
    }
    if ui.button("Fit to the LA (0)").clicked() {
        commands.push(AppCommand::Fit);
    }
}

/// The LA, the two editions and what the fill shows: pickers bound to the settings.
fn choice_pickers(ui: &mut egui::Ui, data: &LoadedData, settings: &mut Settings) {
    let las = data
        .local_authorities
        .get(&settings.to)
        .map(Vec::as_slice)
        .unwrap_or_default();
    la_picker_ui(ui, las, &mut settings.la);
    let years: Vec<u16> = data.dataset.editions.keys().copied().collect();
    let choices = &mut settings.choices;
    for (label, value, salt) in [("From", &mut choices.from, "from"), ("to", &mut choices.to, "to")] {
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
    let (from, to) = (settings.from, settings.to);
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
        .selected_text(settings.mode.label(from, to))
        .show_ui(ui, |ui| {
            for mode in modes {
                ui.selectable_value(&mut settings.mode, mode, mode.label(from, to));
            }
        })
        .response
        .labelled_by(label.id);
}
