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
            choices: settings.choices.clone(),
            view: Some(view),
            named_selections: self.named_selections.clone(),
            selection: self.selection.current().codes.clone(),
            report_title: self.report_title.clone(),
            ward_profile: self.profile.as_ref().map(|p| p.code),
            colour_vision: Some(settings.colour_vision),
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
        settings.choices = project.choices;
        self.named_selections = project.named_selections;
        self.selection.apply(&SelectionEdit::Replace(project.selection));
        self.report_title = project.report_title;
        if let Some(vision) = project.colour_vision {
            settings.colour_vision = vision;
        }
        self.indicators
            .restore(project.indicator, project.named_selection_indicators);
        self.pending_view = project.view;
        // Opened once the project's own map is built (`take_pending_view`).
        self.pending_ward = project.ward_profile;
        self.project_path = Some(path.to_path_buf());
        self.profile = None;
        self.data_confirmation = None;
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let current = self.data.as_ref().map(|d| d.source.clone());
        self.focus_load_on(settings);
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

impl Session {
    /// The ward profile an opened project had open, opened once its map is built for `settings` (called with the
    /// pending view).
    pub(super) fn open_pending_ward(&mut self) {
        if let Some(ward) = self.pending_ward.take() {
            self.open_ward(ward);
        }
    }
}

/// True when the data open now is this folder.
fn same_folder(current: Option<&DataSource>, folder: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    matches!(current, Some(DataSource::Folder(dir)) if canonical(dir) == canonical(folder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;
    use crate::style::ColourVision;
    use crate::ui::loader::embedded_leeds as leeds;

    #[test]
    fn the_open_ward_profile_and_colour_vision_come_back_and_older_files_still_open() {
        let gipton = AreaCode::parse("E05011394").unwrap();
        let settings = Settings {
            colour_vision: ColourVision::Deuteranopia,
            ..Settings::default()
        };
        let mut session = Session::with_data(leeds(), &settings);
        let ward = session
            .scene()
            .unwrap()
            .wards
            .iter()
            .find(|w| w.name.starts_with("Gipton"))
            .unwrap()
            .code;
        assert_eq!(ward, gipton, "Gipton & Harehills in the 2019 ward lookup");
        session.open_ward(ward);
        let path = Path::new("/projects/leeds/p.lmap");
        let project = session.to_project(&settings, MapView::default(), path);
        let json = serde_json::to_string(&project).unwrap();
        assert!(json.contains("\"ward_profile\":\"E05011394\""), "{json}");
        assert!(json.contains("\"colour_vision\":\"Deuteranopia\""), "{json}");

        let mut fresh_settings = Settings::default();
        let mut fresh = Session::with_data(leeds(), &fresh_settings);
        let reread: Project = serde_json::from_str(&json).unwrap();
        fresh.apply_project(
            OpenedProject {
                project: reread,
                data: DataFolderStatus::Embedded,
            },
            path,
            &mut fresh_settings,
        );
        assert_eq!(fresh_settings.colour_vision, ColourVision::Deuteranopia);
        fresh.rebuild_if_changed(&fresh_settings);
        fresh.take_pending_view(&fresh_settings);
        assert_eq!(
            fresh.profile().map(|p| p.code),
            Some(gipton),
            "the profile is open again"
        );

        // A version-1 file from before these fields: opens, no profile, the window's colour vision kept.
        let old =
            r#"{"format":"locality-map-project","version":1,"data":"embedded","la":"Leeds","from":2015,"to":2019}"#;
        let old: Project = serde_json::from_str(old).unwrap();
        let mut kept = Settings {
            colour_vision: ColourVision::Protanopia,
            ..Settings::default()
        };
        let mut older = Session::with_data(leeds(), &kept);
        older.apply_project(
            OpenedProject {
                project: old,
                data: DataFolderStatus::Embedded,
            },
            path,
            &mut kept,
        );
        older.rebuild_if_changed(&kept);
        older.take_pending_view(&kept);
        assert_eq!(kept.colour_vision, ColourVision::Protanopia);
        assert!(older.profile().is_none());
    }
}
