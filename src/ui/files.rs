//! The window's files: the folder and file dialogs (behind traits, so tests need no desktop portal), the clipboard,
//! and saving, opening and exporting through them. No egui; what happened is said through
//! [`Session::say`](super::Session::say).

use super::export_formats::{ExportFormat, export_to};
use super::path_prompt::{FASTEST_CANCEL, PathPrompt, PromptKind, dialogs_work};
use super::report_export::{ReportRequest, report_options, report_options_for, write_report};
use super::session::Session;
use super::settings::Settings;
use crate::export::{render_report, save_lsoa_table_csv, save_png_atomic, save_selection_csv, save_selection_geojson};
use crate::model::AreaCode;
use crate::project::{PROJECT_EXTENSION, open_project, save_project};
use crate::render::MapView;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Asks the planner for a folder. Behind a trait so tests need no desktop portal.
pub trait FolderPicker {
    /// The folder chosen, or `None` if cancelled.
    fn pick_folder(&mut self) -> Option<PathBuf>;
    /// Whether the dialog can open at all (false: the window asks in its own path field instead).
    fn available(&mut self) -> bool {
        true
    }
}

/// The operating system's folder dialog.
pub struct NativeFolderPicker;

impl FolderPicker for NativeFolderPicker {
    fn pick_folder(&mut self) -> Option<PathBuf> {
        timed(|| {
            rfd::FileDialog::new()
                .set_title("Open a data folder (IMD tables, boundaries, lookups)")
                .pick_folder()
        })
    }

    fn available(&mut self) -> bool {
        native_dialogs_work()
    }
}

/// Whether the native dialogs work here: probed once ([`dialogs_work`]), and false from the first dialog that came
/// back empty faster than anyone could cancel it.
fn native_dialogs_work() -> bool {
    static PROBED: OnceLock<bool> = OnceLock::new();
    *PROBED.get_or_init(dialogs_work) && !FAILED_FAST.load(Ordering::Relaxed)
}

static FAILED_FAST: AtomicBool = AtomicBool::new(false);

/// Runs a native dialog, noting when it returned nothing too fast to have been shown.
fn timed(dialog: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    let started = Instant::now();
    let chosen = dialog();
    if chosen.is_none() && started.elapsed() < FASTEST_CANCEL {
        FAILED_FAST.store(true, Ordering::Relaxed);
    }
    chosen
}

/// Asks the planner where to save a file or which file to open. Behind a trait so tests need no desktop portal.
pub trait FilePicker {
    /// Where to save: `None` if cancelled. `extension` is without the dot. The dialog itself asks before replacing
    /// an existing file, so the app then saves over it.
    fn save_file(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf>;
    /// Which file to open: `None` if cancelled.
    fn open_file(&mut self, title: &str, extension: &str) -> Option<PathBuf>;
    /// Whether the dialogs can open at all (false: the window asks in its own path field instead).
    fn available(&mut self) -> bool {
        true
    }
}

/// The operating system's file dialogs.
pub struct NativeFilePicker;

impl FilePicker for NativeFilePicker {
    fn save_file(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf> {
        timed(|| {
            rfd::FileDialog::new()
                .set_title(title)
                .set_file_name(default_name)
                .add_filter(extension, &[extension])
                .save_file()
        })
    }

    fn open_file(&mut self, title: &str, extension: &str) -> Option<PathBuf> {
        timed(|| {
            rfd::FileDialog::new()
                .set_title(title)
                .add_filter(extension, &[extension])
                .pick_file()
        })
    }

    fn available(&mut self) -> bool {
        native_dialogs_work()
    }
}

/// No dialog can open (a desktop without a portal or zenity, as tests stand in for it): every path is asked for in
/// the window's own path field.
pub struct NoDialogs;

impl FolderPicker for NoDialogs {
    fn pick_folder(&mut self) -> Option<PathBuf> {
        None
    }

    fn available(&mut self) -> bool {
        false
    }
}

impl FilePicker for NoDialogs {
    fn save_file(&mut self, _title: &str, _default_name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }

    fn open_file(&mut self, _title: &str, _extension: &str) -> Option<PathBuf> {
        None
    }

    fn available(&mut self) -> bool {
        false
    }
}

/// Dialogs that are always cancelled (tests and benchmarks that never open one).
pub struct NoPicker;

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

/// How a selection is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectionFormat {
    /// The selection table as CSV.
    Csv,
    /// The selected LSOAs' boundaries with their figures, as GeoJSON.
    GeoJson,
}

impl SelectionFormat {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
        }
    }
}

/// The dialogs and the clipboard.
pub struct Files {
    folder_picker: Box<dyn FolderPicker>,
    file_picker: Box<dyn FilePicker>,
    /// Kept alive while the app runs: on Linux the copied image is served from it.
    clipboard: Option<arboard::Clipboard>,
    /// A path the window is asking for in its own field, the dialogs not working.
    prompt: Option<PathPrompt>,
    /// The path field's answer, given to the command it asked for when that runs again.
    answer: Option<PathBuf>,
}

impl Default for Files {
    fn default() -> Self {
        Self::new(Box::new(NoPicker), Box::new(NoPicker))
    }
}

impl Files {
    /// Files through these dialogs.
    pub fn new(folder_picker: Box<dyn FolderPicker>, file_picker: Box<dyn FilePicker>) -> Self {
        Self {
            folder_picker,
            file_picker,
            clipboard: None,
            prompt: None,
            answer: None,
        }
    }

    /// The path the window is asking for in its own field, if any.
    pub fn prompt(&self) -> Option<&PathPrompt> {
        self.prompt.as_ref()
    }

    /// Takes the prompt being answered; `answer` (`None`: cancelled) is given to the next dialog asked for.
    pub fn answer_prompt(&mut self, answer: Option<PathBuf>) -> Option<PathPrompt> {
        self.answer = answer;
        self.prompt.take()
    }

    /// Forgets an answer no dialog asked for.
    pub fn clear_answer(&mut self) {
        self.answer = None;
    }

    /// Asks where to save: the path field's answer if one is waiting, else the dialog, else the path field.
    pub(super) fn ask_save(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf> {
        if let Some(answer) = self.answer.take() {
            return Some(answer);
        }
        if self.file_picker.available() {
            let chosen = self.file_picker.save_file(title, default_name, extension);
            if chosen.is_some() || self.file_picker.available() {
                return chosen;
            }
        }
        let kind = PromptKind::Save {
            extension: extension.into(),
        };
        self.prompt = Some(PathPrompt {
            kind,
            title: title.into(),
            default_name: default_name.into(),
        });
        None
    }

    /// Asks which file to open, the same way as [`Files::ask_save`].
    pub(super) fn ask_open(&mut self, title: &str, extension: &str) -> Option<PathBuf> {
        if let Some(answer) = self.answer.take() {
            return Some(answer);
        }
        if self.file_picker.available() {
            let chosen = self.file_picker.open_file(title, extension);
            if chosen.is_some() || self.file_picker.available() {
                return chosen;
            }
        }
        let kind = PromptKind::Open {
            extension: extension.into(),
        };
        self.prompt = Some(PathPrompt {
            kind,
            title: title.into(),
            default_name: String::new(),
        });
        None
    }

    /// Uses these save and open dialogs.
    pub fn set_file_picker(&mut self, picker: Box<dyn FilePicker>) {
        self.file_picker = picker;
    }

    /// Asks for a folder.
    pub fn pick_folder(&mut self) -> Option<PathBuf> {
        if let Some(answer) = self.answer.take() {
            return Some(answer);
        }
        if self.folder_picker.available() {
            let chosen = self.folder_picker.pick_folder();
            if chosen.is_some() || self.folder_picker.available() {
                return chosen;
            }
        }
        self.prompt = Some(PathPrompt {
            kind: PromptKind::Folder,
            title: "Open a data folder (IMD tables, boundaries, lookups)".into(),
            default_name: String::new(),
        });
        None
    }

    /// Saves the project where it was last saved or opened, else asks where (Ctrl+S).
    pub fn save_project(&mut self, session: &mut Session, settings: &Settings, view: MapView) {
        match session.project_path().map(Path::to_path_buf) {
            Some(path) => save_project_to(session, settings, view, &path),
            None => self.save_project_as(session, settings, view),
        }
    }

    /// Asks where, then saves the project there.
    pub fn save_project_as(&mut self, session: &mut Session, settings: &Settings, view: MapView) {
        let name = format!("{}.{PROJECT_EXTENSION}", file_stem_for(&settings.la));
        if let Some(path) = self.ask_save("Save project", &name, PROJECT_EXTENSION) {
            save_project_to(session, settings, view, &path);
        }
    }

    /// Asks which project to open, then opens it.
    pub fn open_project_dialog(&mut self, session: &mut Session, settings: &mut Settings) {
        if let Some(path) = self.ask_open("Open project", PROJECT_EXTENSION) {
            open_project_from(session, settings, &path);
        }
    }

    /// Asks where, then writes the selection.
    pub fn export_selection(&mut self, session: &mut Session, format: SelectionFormat) {
        if let Some((ok, text)) = self.write_selection(session, format) {
            session.say(ok, text);
        }
    }

    fn write_selection(&mut self, session: &Session, format: SelectionFormat) -> Option<(bool, String)> {
        let scene = session.scene()?;
        let extension = format.extension();
        let codes = &session.selection().codes;
        if codes.is_empty() {
            let text = "Nothing is selected: select LSOAs on the map or in the selection panel first.";
            return Some((false, text.into()));
        }
        let name = format!("{}-selection.{extension}", file_stem_for(&scene.comparison.la_name));
        let title = format!("Export selection as {}", extension.to_uppercase());
        let path = with_extension(&self.ask_save(&title, &name, extension)?, extension);
        let result = match format {
            SelectionFormat::GeoJson => {
                save_selection_geojson(&path, true, &scene.data.dataset, &scene.comparison, codes)
            }
            SelectionFormat::Csv => save_selection_csv(&path, true, &scene.comparison, codes),
        };
        Some(match result {
            Ok(n) => (true, format!("Exported {n} LSOAs to {}", path.display())),
            Err(e) => (false, format!("Could not export the selection: {e}")),
        })
    }

    /// Asks where, then writes the report the export dialog asked for (title, extent, size, DPI, format).
    pub fn export_report(&mut self, session: &mut Session, settings: &Settings, request: &ReportRequest) {
        let options = match report_options_for(session, settings, request) {
            Ok(options) => options,
            Err(reason) => return session.say(false, reason),
        };
        let Some(scene) = session.scene() else { return };
        let extension = request.format.extension();
        let name = format!("{}-report.{extension}", file_stem_for(&scene.comparison.la_name));
        let Some(path) = self.ask_save("Export report", &name, extension) else {
            return;
        };
        let path = with_extension(&path, extension);
        let (ok, text) = write_report(scene, &options, request.format, &path);
        session.say(ok, text);
    }

    /// Asks where, then writes the attribute table's rows (in this order) as CSV.
    pub fn export_lsoa_table(&mut self, session: &mut Session, codes: &[AreaCode]) {
        let Some(scene) = session.scene() else { return };
        let name = format!("{}-lsoas.csv", file_stem_for(&scene.comparison.la_name));
        let Some(path) = self.ask_save("Export the attribute table as CSV", &name, "csv") else {
            return;
        };
        let path = with_extension(&path, "csv");
        let (ok, text) = match save_lsoa_table_csv(&path, true, &scene.comparison, codes) {
            Ok(n) => (true, format!("Exported {n} LSOAs to {}", path.display())),
            Err(e) => (false, format!("Could not export the table: {e}")),
        };
        session.say(ok, text);
    }

    /// Asks where, then renders the LA map as an A4 landscape 300 dpi report PNG and saves it atomically.
    pub fn export_map_image(&mut self, session: &mut Session, settings: &Settings) {
        if let Some((ok, text)) = self.write_map_image(session, settings) {
            session.say(ok, text);
        }
    }

    fn write_map_image(&mut self, session: &Session, settings: &Settings) -> Option<(bool, String)> {
        let scene = session.scene()?;
        let name = format!("{}-map.png", file_stem_for(&scene.comparison.la_name));
        let path = with_extension(&self.ask_save("Export map image", &name, "png")?, "png");
        let options = report_options(session, settings, 3508, 2480, 300.0)?;
        let result = render_report(&scene.data.dataset, &scene.comparison, &options)
            .and_then(|report| save_png_atomic(&report.image, &path, options.dpi, true));
        Some(match result {
            Ok(()) => (true, format!("Saved the map image to {}", path.display())),
            Err(e) => (false, format!("Could not export the map image: {e}")),
        })
    }

    /// Asks where, then writes the LA in one of the reader formats (briefing workbook, PDF report, SVG map, web map,
    /// GeoPackage).
    pub fn export_as(&mut self, session: &mut Session, settings: &Settings, format: ExportFormat) {
        let Some(scene) = session.scene() else { return };
        let Some(report) = report_options(session, settings, 842, 595, 72.0) else {
            return;
        };
        let extension = format.extension();
        let name = format!("{}.{extension}", file_stem_for(&scene.comparison.la_name));
        let Some(path) = self.ask_save(format.label().trim_end_matches('…'), &name, extension) else {
            return;
        };
        let path = with_extension(&path, extension);
        let (ok, text) = export_to(scene, &report, format, &path);
        session.say(ok, text);
    }

    /// Renders the LA map (A4 landscape at 150 dpi) and puts it on the clipboard. A machine without a clipboard (no
    /// display) gets a message, not a crash.
    pub fn copy_map_image(&mut self, session: &mut Session, settings: &Settings) {
        if let Some((ok, text)) = self.copy_image(session, settings) {
            session.say(ok, text);
        }
    }

    fn copy_image(&mut self, session: &Session, settings: &Settings) -> Option<(bool, String)> {
        let scene = session.scene()?;
        let options = report_options(session, settings, 1754, 1240, 150.0)?;
        let report = match render_report(&scene.data.dataset, &scene.comparison, &options) {
            Ok(report) => report,
            Err(e) => return Some((false, format!("Could not draw the map image: {e}"))),
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
        Some(match result {
            Ok(()) => (
                true,
                format!("Copied the map image ({width} x {height} pixels) to the clipboard"),
            ),
            Err(e) => (false, format!("Could not copy the map image to the clipboard: {e}")),
        })
    }
}

/// Saves the project to a file, atomically, replacing it (the save dialog has already asked).
pub fn save_project_to(session: &mut Session, settings: &Settings, view: MapView, path: &Path) {
    let path = with_extension(path, PROJECT_EXTENSION);
    match save_project(&path, &session.to_project(settings, view, &path), true) {
        Ok(()) => session.saved_to(path),
        Err(e) => session.say(false, format!("Could not save the project: {e}")),
    }
}

/// Opens a project file (see [`Session::apply_project`]).
pub fn open_project_from(session: &mut Session, settings: &mut Settings, path: &Path) {
    match open_project(path) {
        Ok(opened) => session.apply_project(opened, path, settings),
        Err(e) => session.say(false, format!("Could not open the project: {e}")),
    }
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
pub(super) fn with_extension(path: &Path, extension: &str) -> PathBuf {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(extension);
        PathBuf::from(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_la_names_and_get_their_extension() {
        assert_eq!(
            file_stem_for("Kingston upon Hull, City of"),
            "Kingston-upon-Hull--City-of"
        );
        assert_eq!(file_stem_for("!!"), "locality-map");
        assert_eq!(
            with_extension(Path::new("a/leeds"), "lmap"),
            PathBuf::from("a/leeds.lmap")
        );
        assert_eq!(
            with_extension(Path::new("a/leeds.LMAP"), "lmap"),
            PathBuf::from("a/leeds.LMAP")
        );
    }
}
