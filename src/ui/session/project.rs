//! The session and the project file: what a saved `.lmap` gets from the session, and what opening one does to it.

use super::{DataConfirmation, Session};
use crate::analysis::SelectionEdit;
use crate::io::DataSource;
use crate::project::{DataFolderStatus, OpenedProject, Project, data_folder_for};
use crate::render::MapView;
use crate::ui::settings::Settings;
use std::path::{Path, PathBuf};

impl Session {
    /// The state as a project saved at `project_file` (the data folder is stored relative to it when inside it).
    pub fn to_project(&self, settings: &Settings, view: MapView, project_file: &Path) -> Project {
        let folder = match self.data.as_ref().map(|d| &d.source) {
            Some(DataSource::Folder(dir)) => Some(dir.as_path()),
            _ => None,
        };
        Project {
            data: data_folder_for(project_file, folder),
            la: settings.la.clone(),
            from: settings.from,
            to: settings.to,
            mode: settings.mode,
            palette: settings.palette,
            classification: settings.classification.clone(),
            view: Some(view),
            named_selections: self.named_selections.clone(),
            selection: self.selection.current().codes.clone(),
            report_title: self.report_title.clone(),
            indicator: self.indicators.current.clone(),
            named_selection_indicators: self.indicators.by_selection.clone(),
            ..Project::default()
        }
    }

    /// Remembers where the project was saved.
    pub fn saved_to(&mut self, path: PathBuf) {
        self.say(true, format!("Saved the project to {}", path.display()));
        self.project_path = Some(path);
    }

    /// Applies an opened project: its choices, view and selections now; its data folder loaded if it is safe and
    /// present, asked about if it lies outside the project's folder, reported if missing (selections kept either way).
    pub fn apply_project(&mut self, opened: OpenedProject, path: &Path, settings: &mut Settings) {
        let project = opened.project;
        settings.la = project.la;
        settings.from = project.from;
        settings.to = project.to;
        settings.mode = project.mode;
        settings.palette = project.palette;
        settings.classification = project.classification;
        self.named_selections = project.named_selections;
        self.selection.apply(&SelectionEdit::Replace(project.selection));
        self.report_title = project.report_title;
        self.indicators
            .restore(project.indicator, project.named_selection_indicators);
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
                    self.start_load(DataSource::Embedded);
                }
                self.say(true, format!("Opened {name} (embedded Leeds data)"));
            }
            DataFolderStatus::Ready(folder) => {
                if !same_folder(current.as_ref(), &folder) {
                    self.start_load(DataSource::Folder(folder.clone()));
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
}

/// True when the data open now is this folder.
fn same_folder(current: Option<&DataSource>, folder: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    matches!(current, Some(DataSource::Folder(dir)) if canonical(dir) == canonical(folder))
}
