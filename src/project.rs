//! The project file (`.lmap`): what a planner was looking at, so it can be reopened or handed to a colleague. JSON:
//! `{"format": "locality-map-project", "version": 1, ...}` with the data folder (or the embedded default), LA,
//! editions, map mode, palette, class breaks, view, named selections, the current selection, the report title, the
//! open ward profile, the colour-vision preview and the local indicator shown (also per named selection) — the last
//! three added within version 1: older files lack them and open as before.
//!
//! Opening is careful about the data folder, because a project file may come from someone else: a relative folder
//! is resolved against the project file's own folder; an absolute folder, or a relative one whose `..` components
//! climb out of the project's folder, is never read silently — [`DataFolderStatus::NeedsConfirmation`] says so and
//! the window asks (the command line requires a flag). A missing folder still opens the project, selections and all.
//!
//! Its own layer, above `render`: the file stores style choices and a `render::MapView`, so it may use them; `io`
//! below it only provides the atomic save.

mod indicator;

pub use indicator::{IndicatorChoice, IndicatorLevelChoice, IndicatorMeasureChoice};

use crate::io::{SaveError, save_atomic};
use crate::model::AreaCode;
use crate::render::MapView;
use crate::style::{ColourVision, MapChoices};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// The `format` every project file carries.
pub const PROJECT_FORMAT: &str = "locality-map-project";
/// The newest version this build reads and the one it writes.
pub const PROJECT_VERSION: u32 = 1;
/// Largest project file read: a project is a few kilobytes (selections of a few thousand codes at most).
pub const MAX_PROJECT_BYTES: u64 = 16 << 20;
/// The file extension, without the dot.
pub const PROJECT_EXTENSION: &str = "lmap";

/// Where a project's data comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataFolder {
    /// The Leeds default compiled into the app.
    #[default]
    Embedded,
    /// A folder of official downloads: relative to the project file's folder, or absolute.
    Folder(PathBuf),
}

/// A saved project. Unknown fields are ignored on reading (a newer minor addition does not stop an older build);
/// missing ones take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    /// Always [`PROJECT_FORMAT`].
    pub format: String,
    /// The version written; a file newer than [`PROJECT_VERSION`] is refused with a clear message.
    pub version: u32,
    /// The data the project was made from.
    pub data: DataFolder,
    /// LA, editions, map mode, palette and class breaks: stored flat, as `"la"`, `"from"`, … beside the rest.
    #[serde(flatten)]
    pub choices: MapChoices,
    /// The map view (centre and scale), when one was saved.
    pub view: Option<MapView>,
    /// Selections saved under a name.
    pub named_selections: BTreeMap<String, BTreeSet<AreaCode>>,
    /// The current selection.
    pub selection: BTreeSet<AreaCode>,
    /// The title for exported reports, when the planner set one.
    pub report_title: Option<String>,
    /// The ward whose profile was open (absent in files written before it was kept: none is opened).
    pub ward_profile: Option<AreaCode>,
    /// The colour-vision preview (absent in older files: the window's own choice stays).
    pub colour_vision: Option<ColourVision>,
    /// The local indicator shown, if any (absent in projects from before indicators).
    pub indicator: Option<IndicatorChoice>,
    /// The local indicator each named selection was saved with, by the selection's name.
    pub named_selection_indicators: BTreeMap<String, IndicatorChoice>,
}

impl Default for Project {
    fn default() -> Self {
        Self {
            format: PROJECT_FORMAT.into(),
            version: PROJECT_VERSION,
            data: DataFolder::Embedded,
            choices: MapChoices::default(),
            view: None,
            named_selections: BTreeMap::new(),
            selection: BTreeSet::new(),
            report_title: None,
            ward_profile: None,
            colour_vision: None,
            indicator: None,
            named_selection_indicators: BTreeMap::new(),
        }
    }
}

/// Why a project could not be saved or opened: one sentence naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// Reading failed.
    #[error("cannot read the project file ({source}) — {path}")]
    Read {
        /// The project file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Not JSON, or not a Locality Map project.
    #[error("this is not a Locality Map project file: {reason} — {path}")]
    NotAProject {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Written by a newer Locality Map.
    #[error(
        "the project is version {version}, made by a newer Locality Map, and this one reads version {PROJECT_VERSION} (please update Locality Map) — {path}"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: u64,
    },
    /// Saving failed.
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// What opening found about the project's data folder. Nothing is read from the folder here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataFolderStatus {
    /// Use the embedded default.
    Embedded,
    /// A folder inside the project's folder that exists: safe to load.
    Ready(PathBuf),
    /// The folder does not exist; the project opened without it (its selections are kept).
    Missing(PathBuf),
    /// The folder is absolute or lies outside the project's folder: ask before reading it.
    NeedsConfirmation {
        /// The folder as resolved.
        path: PathBuf,
        /// Why it needs confirming, one sentence.
        reason: String,
    },
}

/// An opened project and what to do about its data.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedProject {
    /// The project as saved.
    pub project: Project,
    /// Whether its data folder can be loaded.
    pub data: DataFolderStatus,
}

/// Reads a project file. A newer version, another format or bad JSON is an error; a missing or unsafe data folder is
/// not (see [`OpenedProject::data`]).
pub fn open_project(path: &Path) -> Result<OpenedProject, ProjectError> {
    let bytes = crate::io::read_capped(path, MAX_PROJECT_BYTES).map_err(|error| ProjectError::Read {
        path: path.into(),
        source: match error {
            crate::io::LoadError::Io { source, .. } => source,
            crate::io::LoadError::Unrecognised { detail, .. } => std::io::Error::other(detail),
            crate::io::LoadError::TooLarge { size_mb, limit_mb, .. } => std::io::Error::other(format!(
                "it is {size_mb} MB, over the {limit_mb} MB limit for a project file"
            )),
            other => std::io::Error::other(other.to_string()),
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ProjectError::NotAProject {
        path: path.into(),
        reason: "it is not UTF-8 text".into(),
    })?;
    let project = parse_project(&text, path)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let data = match &project.data {
        DataFolder::Embedded => DataFolderStatus::Embedded,
        DataFolder::Folder(data) => resolve_data_folder(folder, data),
    };
    Ok(OpenedProject { project, data })
}

/// Parses a project's text; `path` is only for messages.
pub fn parse_project(text: &str, path: &Path) -> Result<Project, ProjectError> {
    let not_a_project = |reason: String| ProjectError::NotAProject {
        path: path.into(),
        reason,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| not_a_project(e.to_string()))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(PROJECT_FORMAT) => {}
        Some(other) => return Err(not_a_project(format!("its format is {other:?}"))),
        None => return Err(not_a_project(format!("it has no \"format\": \"{PROJECT_FORMAT}\""))),
    }
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| not_a_project("it has no version number".into()))?;
    if version > u64::from(PROJECT_VERSION) {
        return Err(ProjectError::TooNew {
            path: path.into(),
            version,
        });
    }
    serde_json::from_value(value).map_err(|e| not_a_project(e.to_string()))
}

/// Where a project's data folder is and whether it may be read without asking. `project_folder` is the folder the
/// project file is in. `..` that climbs above `project_folder` at any point, any absolute path, or a folder that
/// resolves (through symbolic links) to somewhere outside the project's folder needs confirmation.
///
/// ```
/// use locality_map::project::{DataFolderStatus, resolve_data_folder};
/// use std::path::Path;
/// let status = resolve_data_folder(Path::new("/projects/leeds"), Path::new("../../etc/passwd"));
/// assert!(matches!(status, DataFolderStatus::NeedsConfirmation { .. }));
/// let status = resolve_data_folder(Path::new("/projects/leeds"), Path::new("/etc"));
/// assert!(matches!(status, DataFolderStatus::NeedsConfirmation { .. }));
/// ```
pub fn resolve_data_folder(project_folder: &Path, data: &Path) -> DataFolderStatus {
    if data.is_absolute() || data.has_root() || data.components().any(|c| matches!(c, Component::Prefix(_))) {
        return DataFolderStatus::NeedsConfirmation {
            path: data.into(),
            reason: format!(
                "the project names the data folder {} by an absolute path, outside the project's folder",
                data.display()
            ),
        };
    }
    let mut depth: i64 = 0;
    let mut resolved = project_folder.to_path_buf();
    for component in data.components() {
        match component {
            Component::ParentDir => {
                depth -= 1;
                resolved.push("..");
            }
            Component::Normal(part) => {
                depth += 1;
                resolved.push(part);
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => unreachable!("absolute paths returned above"),
        }
        if depth < 0 {
            return DataFolderStatus::NeedsConfirmation {
                path: resolved_rest(project_folder, data),
                reason: format!(
                    "the project's data folder {} lies outside the project's folder",
                    data.display()
                ),
            };
        }
    }
    if !resolved.is_dir() {
        return DataFolderStatus::Missing(resolved);
    }
    // The text stays inside; the folder itself may not: a `data` that is a symbolic link to somewhere else is
    // outside the project's folder however its path reads. Compare the resolved (canonical) paths.
    match (
        std::fs::canonicalize(project_folder_or_here(project_folder)),
        std::fs::canonicalize(&resolved),
    ) {
        (Ok(project), Ok(real)) if real.starts_with(&project) => DataFolderStatus::Ready(resolved),
        (Ok(_), Ok(real)) => DataFolderStatus::NeedsConfirmation {
            path: resolved,
            reason: format!(
                "the project's data folder {} is a link to {}, outside the project's folder",
                crate::model::escape_path(data),
                crate::model::escape_path(&real)
            ),
        },
        _ => DataFolderStatus::NeedsConfirmation {
            path: resolved,
            reason: format!(
                "the project's data folder {} cannot be resolved to check that it lies inside the project's folder",
                crate::model::escape_path(data)
            ),
        },
    }
}

/// `""` (a project file named without a folder) is the current folder.
fn project_folder_or_here(folder: &Path) -> &Path {
    if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }
}

fn resolved_rest(project_folder: &Path, data: &Path) -> PathBuf {
    project_folder.join(data)
}

/// How a data folder is written into a project saved at `project_file`: relative when it lies inside the project's
/// folder (so the pair can be moved or shared together), else absolute (and will be confirmed on opening).
pub fn data_folder_for(project_file: &Path, data: Option<&Path>) -> DataFolder {
    let Some(data) = data else {
        return DataFolder::Embedded;
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let data_abs = absolute(data);
    let folder_abs = absolute(project_file.parent().unwrap_or(Path::new("")));
    match data_abs.strip_prefix(&folder_abs) {
        Ok(inside) if !inside.components().any(|c| c == Component::ParentDir) => {
            let inside = if inside.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                inside.to_path_buf()
            };
            DataFolder::Folder(inside)
        }
        _ => DataFolder::Folder(data_abs),
    }
}

/// Writes a project as pretty JSON (what [`save_project`] saves).
pub fn write_project(project: &Project, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let stamped = Project {
        format: PROJECT_FORMAT.into(),
        version: PROJECT_VERSION,
        ..project.clone()
    };
    serde_json::to_writer_pretty(&mut *out, &stamped).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// Saves a project atomically (the previous file survives a failed save). Replaces an existing file only when
/// `overwrite`.
pub fn save_project(
    path: &Path,
    project: &Project,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ProjectError> {
    Ok(save_atomic(path, overwrite, |out| write_project(project, out))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_folders_inside_the_project_resolve_and_escapes_are_flagged() {
        let here = std::env::temp_dir();
        assert!(matches!(
            resolve_data_folder(&here, Path::new("no-such-data-folder-xyz")),
            DataFolderStatus::Missing(p) if p == here.join("no-such-data-folder-xyz")
        ));
        assert!(matches!(
            resolve_data_folder(&here, Path::new("a/../b")),
            DataFolderStatus::Missing(_)
        ));
        for escaping in ["..", "a/../../b", "../../etc/passwd", "./../x"] {
            assert!(
                matches!(
                    resolve_data_folder(&here, Path::new(escaping)),
                    DataFolderStatus::NeedsConfirmation { .. }
                ),
                "{escaping}"
            );
        }
    }

    #[test]
    fn newer_versions_and_other_formats_are_refused_and_unknown_fields_tolerated() {
        let path = Path::new("x.lmap");
        let newer = r#"{"format": "locality-map-project", "version": 2, "la": "Leeds"}"#;
        let message = parse_project(newer, path).unwrap_err().to_string();
        assert!(message.contains("newer Locality Map"), "{message}");
        let other = r#"{"format": "something-else", "version": 1}"#;
        assert!(matches!(
            parse_project(other, path),
            Err(ProjectError::NotAProject { .. })
        ));
        let extra = r#"{"format": "locality-map-project", "version": 1, "la": "Bradford", "added_later": [1, 2]}"#;
        assert_eq!(parse_project(extra, path).unwrap().choices.la, "Bradford");
    }

    #[test]
    fn projects_from_before_indicators_open_and_the_indicator_round_trips() {
        let path = Path::new("x.lmap");
        let old = r#"{"format": "locality-map-project", "version": 1, "la": "Leeds", "named_selections": {"east": ["E01011295"]}}"#;
        let opened = parse_project(old, path).unwrap();
        assert_eq!(opened.indicator, None);
        assert!(opened.named_selection_indicators.is_empty());
        assert_eq!(opened.named_selections.len(), 1);
        let choice = IndicatorChoice {
            name: "Burglary".into(),
            level: IndicatorLevelChoice::Ward,
            measure: IndicatorMeasureChoice::Change,
            months: 3,
            per_1000: true,
        };
        let project = Project {
            indicator: Some(choice.clone()),
            named_selection_indicators: BTreeMap::from([("east".to_string(), choice.clone())]),
            ..opened
        };
        let mut bytes = Vec::new();
        write_project(&project, &mut bytes).unwrap();
        let back = parse_project(std::str::from_utf8(&bytes).unwrap(), path).unwrap();
        assert_eq!(back.indicator, Some(choice.clone()));
        assert_eq!(back.named_selection_indicators["east"], choice);
    }

    #[test]
    fn data_folders_inside_the_project_folder_are_saved_relative() {
        let project = Path::new("/p/leeds/project.lmap");
        assert_eq!(
            data_folder_for(project, Some(Path::new("/p/leeds/data"))),
            DataFolder::Folder("data".into())
        );
        assert_eq!(
            data_folder_for(project, Some(Path::new("/elsewhere/data"))),
            DataFolder::Folder("/elsewhere/data".into())
        );
        assert_eq!(data_folder_for(project, None), DataFolder::Embedded);
    }
}
