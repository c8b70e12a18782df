//! When the desktop has no file dialog: how that is detected, and the in-window path field's state and completion,
//! without egui. rfd needs an XDG desktop portal on the session bus or zenity/kdialog on `PATH`; with neither its
//! dialogs return at once with nothing, which a planner sees as a menu entry that does nothing. [`dialogs_work`] looks
//! for them before a dialog is opened, and a dialog that comes back empty faster than anyone could cancel it counts as
//! failed too; the window then asks for the path in a field of its own (`path_field.rs`), which lists the folder's
//! entries as the planner types.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// A dialog that returns with nothing sooner than this did not open (no person cancels a dialog that fast).
pub const FASTEST_CANCEL: Duration = Duration::from_millis(250);

/// What the path field is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// A file to write, with its extension (without the dot).
    Save {
        /// The extension the file gets.
        extension: String,
    },
    /// A file to read.
    Open {
        /// The extension expected.
        extension: String,
    },
    /// A folder.
    Folder,
}

/// A path the window asks for itself (the window runs the command that asked again once it is given).
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    /// What is asked for.
    pub kind: PromptKind,
    /// The dialog's title ("Save project").
    pub title: String,
    /// The name suggested for a new file.
    pub default_name: String,
}

impl PathPrompt {
    /// The text the field starts with: the last folder (else the current one) and, for a save, the suggested name.
    pub fn initial_text(&self, last_folder: Option<&Path>) -> String {
        let folder = last_folder
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        match self.kind {
            PromptKind::Save { .. } => folder.join(&self.default_name).display().to_string(),
            _ => format!("{}{}", folder.display(), std::path::MAIN_SEPARATOR),
        }
    }

    /// Why `text` cannot be used as the answer, if it cannot.
    pub fn problem(&self, text: &str) -> Option<String> {
        let path = Path::new(text.trim());
        if text.trim().is_empty() {
            return Some("Type a path.".into());
        }
        match &self.kind {
            PromptKind::Save { .. } => {
                let parent = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if !parent.is_dir() {
                    Some(format!("There is no folder {}", parent.display()))
                } else if path.is_dir() {
                    Some("That is a folder: add a file name.".into())
                } else {
                    None
                }
            }
            PromptKind::Open { .. } => (!path.is_file()).then(|| format!("There is no file {}", path.display())),
            PromptKind::Folder => (!path.is_dir()).then(|| format!("There is no folder {}", path.display())),
        }
    }
}

/// The folder to remember after a path was chosen: the path itself for a folder, else the folder it is in.
pub fn folder_of(kind: &PromptKind, path: &Path) -> Option<PathBuf> {
    match kind {
        PromptKind::Folder => Some(path.to_path_buf()),
        _ => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf),
    }
}

/// One entry offered while typing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The whole path it completes to (a folder ends in the separator, so typing goes on inside it).
    pub text: String,
    /// Its name, as listed.
    pub name: String,
    /// A folder.
    pub is_dir: bool,
}

/// At most this many entries are listed.
pub const MAX_COMPLETIONS: usize = 60;

/// The entries of the folder `text` is in whose names start with what follows the last separator (any case), folders
/// first then by name; for a file prompt only folders and files with `extension`. Hidden entries only when asked for
/// with a leading dot. An unreadable folder lists nothing.
pub fn completions(text: &str, kind: &PromptKind) -> Vec<Completion> {
    let (folder, prefix) = match text.rfind(std::path::is_separator) {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let dir = if folder.is_empty() {
        Path::new(".")
    } else {
        Path::new(folder)
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let wanted = prefix.to_lowercase();
    let extension = match kind {
        PromptKind::Save { extension } | PromptKind::Open { extension } => Some(extension.to_lowercase()),
        PromptKind::Folder => None,
    };
    let mut found: Vec<Completion> = entries
        .filter_map(Result::ok)
        // Bounded: a folder of a million files is not read to the end while typing.
        .take(5_000)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.to_lowercase().starts_with(&wanted) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = entry.path().is_dir();
            let fits = is_dir
                || extension.as_ref().is_none_or(|e| {
                    Path::new(&name)
                        .extension()
                        .is_some_and(|x| x.to_string_lossy().to_lowercase() == *e)
                });
            if !fits || (extension.is_none() && !is_dir) {
                return None;
            }
            let mut text = format!("{folder}{name}");
            if is_dir {
                text.push(std::path::MAIN_SEPARATOR);
            }
            Some(Completion { text, name, is_dir })
        })
        .collect();
    found.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    found.truncate(MAX_COMPLETIONS);
    found
}

/// Whether rfd's dialogs can open here: zenity or kdialog on `PATH`, or an XDG desktop portal on the session bus
/// (asked with `dbus-send` when it is installed; without it a bus is taken to have one, and a dialog that returns at
/// once is caught by [`FASTEST_CANCEL`]). Always true off Linux/BSD, where the system dialogs need nothing.
pub fn dialogs_work() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return true;
    }
    if std::env::var_os("LOCALITY_MAP_NO_DIALOGS").is_some() {
        return false;
    }
    if on_path("zenity") || on_path("kdialog") {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    portal_on_bus().unwrap_or(true)
}

/// Whether an executable of this name is in a folder of `PATH`.
pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// Asks the session bus whether the desktop portal runs or can be started; `None` when `dbus-send` is missing or fails.
fn portal_on_bus() -> Option<bool> {
    if !on_path("dbus-send") {
        return None;
    }
    let mut names = String::new();
    for method in ["ListNames", "ListActivatableNames"] {
        let output = std::process::Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--reply-timeout=1000",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                &format!("org.freedesktop.DBus.{method}"),
            ])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        names.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    Some(names.contains("org.freedesktop.portal.Desktop"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_lists_matching_entries_folders_first_and_the_extension_only() {
        let dir = std::env::temp_dir().join(format!("lm-complete-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("reports")).unwrap();
        for name in ["report.lmap", "readme.txt", "Rivers.lmap", "other.lmap", ".hidden.lmap"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let open = PromptKind::Open {
            extension: "lmap".into(),
        };
        let typed = format!("{}{}r", dir.display(), std::path::MAIN_SEPARATOR);
        let names: Vec<String> = completions(&typed, &open).into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["reports", "Rivers.lmap", "report.lmap"]);
        let folders: Vec<String> = completions(&typed, &PromptKind::Folder)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(folders, ["reports"]);
        let first = &completions(&typed, &open)[0];
        assert!(first.is_dir && first.text.ends_with(std::path::MAIN_SEPARATOR));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_save_needs_an_existing_folder_and_a_file_name() {
        let prompt = PathPrompt {
            kind: PromptKind::Save {
                extension: "lmap".into(),
            },
            title: "Save project".into(),
            default_name: "Leeds.lmap".into(),
        };
        let dir = std::env::temp_dir();
        assert!(prompt.problem(&dir.display().to_string()).is_some());
        assert!(prompt.problem("/no/such/folder/x.lmap").is_some());
        assert_eq!(prompt.problem(&dir.join("x.lmap").display().to_string()), None);
        assert!(prompt.initial_text(Some(&dir)).ends_with("Leeds.lmap"));
        assert_eq!(folder_of(&prompt.kind, &dir.join("x.lmap")), Some(dir.clone()));
    }
}
