//! Everything the planner can ask the window to do, as one enum, and the one place that does it.
//!
//! Menus, the toolbar, keyboard shortcuts, panels and the map only *produce* [`AppCommand`]s; [`dispatch`] runs them
//! against the [`Session`] and the [`Files`]. A new menu entry or panel button is a new variant (or an existing one)
//! and an arm here; nothing else needs to know. No egui: the dispatcher is unit-tested without a window.

use super::files::{Files, SelectionFormat};
use super::session::Session;
use super::settings::Settings;
use crate::analysis::SelectionEdit;
use crate::io::DataSource;
use crate::model::AreaCode;
use crate::render::MapView;
use std::path::PathBuf;

/// One thing the planner asked for.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum AppCommand {
    /// Ask for a data folder and load it (File, Open data folder…; Ctrl+O).
    OpenDataFolder,
    /// Load the embedded Leeds default.
    UseEmbeddedData,
    /// Ask for a folder, download the official data into it, then load it.
    DownloadOfficialData,
    /// Files or a folder dropped on the window.
    LoadDropped(Vec<PathBuf>),
    /// Ask for a project file and open it.
    OpenProject,
    /// Save the project where it was last saved or opened, else ask where (Ctrl+S).
    SaveProject,
    /// Ask where, then save the project there (Ctrl+Shift+S).
    SaveProjectAs,
    /// Ask where, then write the selection.
    ExportSelection(SelectionFormat),
    /// Ask where, then save the LA map as an A4 landscape 300 dpi report PNG.
    ExportMapImage,
    /// Export the LA as a workbook, PDF, SVG, web map or GeoPackage.
    ExportAs(super::export_formats::ExportFormat),
    /// Put the LA map (A4 landscape, 150 dpi) on the clipboard.
    CopyMapImage,
    /// Open one of the app's windows (the problems list, About, Help, the league tables, …).
    Show(AppWindow),
    /// Close the window.
    Quit,
    /// Fit the map to the LA (key 0).
    Fit,
    /// Undo the last selection change (Ctrl+Z).
    Undo,
    /// Redo it (Ctrl+Shift+Z).
    Redo,
    /// Drop the focus and the search highlight; after opening a ward's profile, go back to the LA (Escape).
    ClearFocus,
    /// Find an LSOA or ward and show it (Enter in the search field; an area opened from another window).
    Search(String),
    /// Show a place picked from the search field's list of matches (an LA is mapped; a ward or LSOA of another LA
    /// maps that LA first).
    ShowPlace(crate::analysis::Place),
    /// Show an LSOA of the map with its neighbours (a row picked in the attribute table).
    ShowLsoa(AreaCode),
    /// Map another LA (from the league table), fitted.
    ChooseLa(String),
    /// Open a ward's profile: outlined on the map and zoomed to (Escape or "Back to the LA" goes back).
    OpenWard(AreaCode),
    /// Close the ward profile.
    CloseProfile,
    /// Focus an LSOA (a profile or selection row) without opening its ward.
    Focus(AreaCode),
    /// An LSOA clicked on the map; `add` when shift or ctrl was held.
    Click {
        /// The LSOA.
        code: AreaCode,
        /// Toggle it in the selection rather than select only it.
        add: bool,
    },
    /// Change the selection (box, lasso, rules, brushing, the panel's buttons).
    EditSelection(SelectionEdit),
    /// Keep the current selection under a name.
    SaveNamed(String),
    /// Make a named selection the current one.
    OpenNamed(String),
    /// Rename a named selection: old name, new name.
    RenameNamed(String, String),
    /// Forget a named selection.
    DeleteNamed(String),
    /// The planner's answer about a project's data folder outside the project's own: open it or not.
    AnswerDataConfirmation(bool),
    /// Dismiss the banner about a failed load.
    DismissLoadError,
    /// Dismiss the banner about the last save, export or open.
    DismissFileMessage,
    /// Ask where, then write the report the export dialog describes.
    ExportReport(Box<super::report_export::ReportRequest>),
    /// Ask where, then write these LSOAs (in this order) as the attribute table CSV.
    ExportLsoaTable(Vec<AreaCode>),
    /// The in-window path field's answer (`None`: cancelled): the window runs the command that asked again with it.
    AnswerPath(Option<PathBuf>),
    /// Ask which grouping file to open, or where to save the group map, for the area groups window.
    GroupsFile(super::area_groups_view::GroupsFileRequest),
    /// Ask where, then write the trend the indicators window shows (PNG chart or CSV).
    ExportTrend(Box<(super::TrendFormat, super::TrendToExport)>),
    /// Ask where, then write the indicator map the indicators window shows (the report PNG of `map --layer`).
    ExportIndicatorMap(Box<super::IndicatorMapToExport>),
}

/// A window the app opens over the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppWindow {
    /// The problems found in the data.
    Problems,
    /// About Locality Map.
    About,
    /// A Help window (shortcut sheet, how to read the map, the README's data section).
    Help(super::help::HelpTopic),
    /// The LA league table.
    LeagueTable,
    /// The local indicators.
    Indicators,
    /// The ward league (MHCLG's area measures for the LA's wards).
    WardLeague,
    /// The area groups.
    AreaGroups,
    /// The attribute table (every LSOA with its figures).
    AttributeTable,
    /// The report export dialog.
    ExportDialog,
}

/// What a command leaves for the window itself to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WindowEffect {
    /// Close the window.
    Quit,
    /// Open one of its windows.
    Show(AppWindow),
    /// Empty the selection panel's name field (the name was used).
    ClearSelectionName,
    /// The path field was answered (true) or cancelled: run the command that asked again, or forget it.
    PathAnswered(bool),
    /// The file the area groups window asked for was chosen.
    GroupsFileChosen(super::area_groups_view::GroupsFileRequest, PathBuf),
}

/// Runs one command. `view` is the map's view now (a saved project keeps it).
pub fn dispatch(
    command: AppCommand,
    session: &mut Session,
    settings: &mut Settings,
    files: &mut Files,
    view: MapView,
) -> Option<WindowEffect> {
    match command {
        AppCommand::OpenDataFolder => {
            if let Some(folder) = files.pick_folder() {
                session.start_load(DataSource::Folder(folder));
            }
        }
        AppCommand::UseEmbeddedData => session.start_load(DataSource::Embedded),
        AppCommand::DownloadOfficialData => {
            if let Some(folder) = files.pick_folder() {
                session.start_download(folder);
            }
        }
        AppCommand::LoadDropped(mut paths) => {
            let source = if paths.len() == 1 {
                DataSource::Folder(paths.remove(0))
            } else {
                DataSource::Files(paths)
            };
            session.start_load(source);
        }
        AppCommand::OpenProject => files.open_project_dialog(session, settings),
        AppCommand::SaveProject => files.save_project(session, settings, view),
        AppCommand::SaveProjectAs => files.save_project_as(session, settings, view),
        AppCommand::ExportSelection(format) => files.export_selection(session, format),
        AppCommand::ExportMapImage => files.export_map_image(session, settings),
        AppCommand::ExportAs(format) => files.export_as(session, settings, format),
        AppCommand::CopyMapImage => files.copy_map_image(session, settings),
        AppCommand::Show(window) => return Some(WindowEffect::Show(window)),
        AppCommand::Quit => return Some(WindowEffect::Quit),
        AppCommand::Fit => {
            session.take_ward_zoom();
            session.request_fit();
        }
        AppCommand::Undo => {
            session.undo();
        }
        AppCommand::Redo => {
            session.redo();
        }
        AppCommand::ClearFocus => {
            session.clear_focus();
            // Escape after opening a ward's profile goes back to the LA.
            if session.take_ward_zoom() {
                session.request_fit();
            }
        }
        AppCommand::Search(query) => {
            session.search(&query, settings);
        }
        AppCommand::ShowPlace(place) => {
            session.show_place(&place, settings);
        }
        AppCommand::ShowLsoa(code) => session.show_lsoa(&code),
        AppCommand::ChooseLa(la) => {
            settings.la = la;
            session.request_fit();
        }
        AppCommand::OpenWard(ward) => {
            session.open_ward(ward);
            if session.profile().is_some_and(|p| p.code == ward) {
                session.show_ward(&ward);
            }
        }
        AppCommand::CloseProfile => session.close_profile(),
        AppCommand::Focus(code) => session.focus(code, false),
        AppCommand::Click { code, add } => session.click(code, add),
        AppCommand::EditSelection(edit) => session.edit_selection(&edit),
        AppCommand::SaveNamed(name) => {
            session.save_named(name);
            return Some(WindowEffect::ClearSelectionName);
        }
        AppCommand::OpenNamed(name) => session.open_named(&name),
        AppCommand::RenameNamed(old, new) => {
            if session.rename_named(&old, new) {
                return Some(WindowEffect::ClearSelectionName);
            }
        }
        AppCommand::DeleteNamed(name) => session.delete_named(&name),
        AppCommand::AnswerDataConfirmation(open) => session.answer_data_confirmation(open),
        AppCommand::DismissLoadError => session.dismiss_load_error(),
        AppCommand::DismissFileMessage => session.dismiss_file_message(),
        AppCommand::ExportReport(request) => files.export_report(session, settings, &request),
        AppCommand::ExportLsoaTable(codes) => files.export_lsoa_table(session, &codes),
        AppCommand::GroupsFile(request) => {
            use super::area_groups_view::GroupsFileRequest;
            let chosen = match request {
                GroupsFileRequest::Open => files.ask_open(request.title(), "csv"),
                GroupsFileRequest::ExportMap => files
                    .ask_save(request.title(), "group-map.png", "png")
                    .map(|path| super::files::with_extension(&path, "png")),
            };
            return chosen.map(|path| WindowEffect::GroupsFileChosen(request, path));
        }
        AppCommand::ExportTrend(request) => {
            let (format, trend) = *request;
            if let Some((ok, text)) = super::run_trend_export(files, format, &trend) {
                session.say(ok, text);
            }
        }
        AppCommand::ExportIndicatorMap(request) => {
            let data = session.data().map(std::sync::Arc::clone);
            match data {
                Some(data) => {
                    if let Some((ok, text)) = super::run_indicator_map_export(files, &data.dataset, &request) {
                        session.say(ok, text);
                    }
                }
                None => session.say(false, "No data is loaded, so there is no indicator map to export."),
            }
        }
        AppCommand::AnswerPath(answer) => {
            let prompt = files.answer_prompt(answer.clone());
            if let (Some(prompt), Some(path)) = (prompt, answer) {
                let folder = super::path_prompt::folder_of(&prompt.kind, &path);
                settings.last_folder = folder.or(settings.last_folder.take());
                return Some(WindowEffect::PathAnswered(true));
            }
            files.clear_answer();
            return Some(WindowEffect::PathAnswered(false));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::MapChoices;
    use crate::ui::files::{FilePicker, FolderPicker};
    use crate::ui::session::ViewRequest;

    use crate::ui::loader::embedded_leeds as leeds;

    /// Dialogs that always answer with one path.
    struct Always(PathBuf);

    impl FilePicker for Always {
        fn save_file(&mut self, _title: &str, _default_name: &str, _extension: &str) -> Option<PathBuf> {
            Some(self.0.clone())
        }

        fn open_file(&mut self, _title: &str, _extension: &str) -> Option<PathBuf> {
            Some(self.0.clone())
        }
    }

    impl FolderPicker for Always {
        fn pick_folder(&mut self) -> Option<PathBuf> {
            Some(self.0.clone())
        }
    }

    fn code(text: &str) -> AreaCode {
        AreaCode::parse(text).unwrap()
    }

    #[test]
    fn save_then_save_again_writes_where_it_saved_and_open_restores() {
        let dir = std::env::temp_dir().join(format!("lm-dispatch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("leeds");
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        let mut files = Files::new(Box::new(Always(dir.clone())), Box::new(Always(path.clone())));
        let view = MapView::default();
        let run = |c, s: &mut Session, st: &mut Settings, f: &mut Files| dispatch(c, s, st, f, view);

        run(
            AppCommand::Click {
                code: code("E01011372"),
                add: false,
            },
            &mut session,
            &mut settings,
            &mut files,
        );
        assert_eq!(
            run(AppCommand::SaveProject, &mut session, &mut settings, &mut files),
            None
        );
        // The dialog's name gets the extension.
        let saved = dir.join("leeds.lmap");
        assert_eq!(session.project_path(), Some(saved.as_path()));
        assert!(
            session.file_message().is_some_and(|m| m.ok),
            "{:?}",
            session.file_message()
        );
        // Saved again without asking: to the same file, whatever the dialog would say.
        files = Files::new(
            Box::new(Always(dir.clone())),
            Box::new(Always(dir.join("elsewhere.lmap"))),
        );
        run(AppCommand::SaveProject, &mut session, &mut settings, &mut files);
        assert!(!dir.join("elsewhere.lmap").exists());

        let mut fresh_settings = Settings {
            choices: MapChoices {
                la: "Bradford".into(),
                ..MapChoices::default()
            },
            ..Settings::default()
        };
        let mut fresh = Session::with_data(leeds(), &Settings::default());
        files = Files::new(Box::new(Always(dir.clone())), Box::new(Always(saved.clone())));
        run(AppCommand::OpenProject, &mut fresh, &mut fresh_settings, &mut files);
        assert_eq!(fresh_settings.la, "Leeds");
        assert_eq!(fresh.selection().codes, [code("E01011372")].into());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn keyboard_commands_change_the_session_and_window_commands_come_back() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        session.take_view_request();
        let mut files = Files::default();
        let view = MapView::default();
        let mut run = |c| dispatch(c, &mut session, &mut settings, &mut files, view);
        run(AppCommand::Click {
            code: code("E01011372"),
            add: false,
        });
        run(AppCommand::Click {
            code: code("E01011623"),
            add: true,
        });
        run(AppCommand::Undo);
        assert_eq!(run(AppCommand::Quit), Some(WindowEffect::Quit));
        assert_eq!(
            run(AppCommand::Show(AppWindow::LeagueTable)),
            Some(WindowEffect::Show(AppWindow::LeagueTable))
        );
        assert_eq!(
            run(AppCommand::SaveNamed("a".into())),
            Some(WindowEffect::ClearSelectionName)
        );
        run(AppCommand::Fit);
        run(AppCommand::ChooseLa("Bradford".into()));
        assert_eq!(session.selection().codes, [code("E01011372")].into());
        assert_eq!(session.take_view_request(), Some(ViewRequest::Fit));
        assert_eq!(settings.la, "Bradford");
        // Nothing is selected in a fresh session: exporting it says so rather than writing an empty file.
        let mut empty = Session::with_data(leeds(), &Settings::default());
        let _ = dispatch(
            AppCommand::ExportSelection(SelectionFormat::Csv),
            &mut empty,
            &mut Settings::default(),
            &mut Files::default(),
            view,
        );
        assert!(
            empty
                .file_message()
                .is_some_and(|m| !m.ok && m.text.starts_with("Nothing is selected"))
        );
    }
}
