//! Atomic saving for every file the app writes (report PNGs, CSV and GeoJSON exports, project files): the content goes
//! to a hidden temporary file beside the target (same folder, so the same file system), is flushed and synced, then
//! renamed over the target and the folder synced. An interrupted or failed save leaves the previous file untouched and
//! no temporary file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a save failed: one sentence naming the file.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The target exists and overwriting was not asked for.
    #[error("the file already exists and was not replaced — {path}")]
    Exists {
        /// The target.
        path: PathBuf,
    },
    /// The target is there but is not a regular file (a device, a FIFO, a folder) or is a symbolic link: `--force`
    /// replaces files, never anything else, and never writes through a link to somewhere else.
    #[error("{what}, so it was not replaced (give the path of a regular file) — {path}")]
    NotRegular {
        /// What it is.
        what: &'static str,
        /// The target.
        path: PathBuf,
    },
    /// Writing, syncing or renaming failed (including an error from the content writer).
    #[error("cannot write the file ({source}) — {path}")]
    Io {
        /// The target.
        path: PathBuf,
        /// What the system or the writer said.
        #[source]
        source: std::io::Error,
    },
}

/// Writes `path` atomically with whatever `write` puts into the writer it is given. Refuses to replace an existing
/// file unless `overwrite` (checked again at the moment of the rename, where the platform allows, so a file created
/// meanwhile is not clobbered either). If `write` returns an error, nothing under `path` changes.
///
/// ```
/// use std::io::Write as _;
/// let dir = std::env::temp_dir().join(format!("lm-doc-save-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("a.txt");
/// locality_map::io::save_atomic(&path, true, |w| w.write_all(b"hello")).unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"hello");
/// assert!(locality_map::io::save_atomic(&path, false, |w| w.write_all(b"x")).is_err());
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn save_atomic(
    path: &Path,
    overwrite: impl Into<Replace>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    save_atomic_to(path, overwrite.into(), write)
}

/// What a save may replace at its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Nothing: an existing target is an error.
    Nothing,
    /// A regular file (`--force`).
    RegularFile,
    /// A regular file, or a symbolic link, which is replaced itself (its target is never touched), as
    /// `--replace-symlink` asks.
    RegularFileOrLink,
}

impl Replace {
    /// [`Replace::RegularFile`] when `overwrite`, else [`Replace::Nothing`].
    pub fn from_overwrite(overwrite: bool) -> Self {
        if overwrite { Self::RegularFile } else { Self::Nothing }
    }
}

impl From<bool> for Replace {
    fn from(overwrite: bool) -> Self {
        Self::from_overwrite(overwrite)
    }
}

/// Whether a save may write `path` under `replace`: nothing there, a regular file it may replace, or (only under
/// [`Replace::RegularFileOrLink`]) a symbolic link. Every save checks it, and commands check their outputs with it
/// before any work, so the rule is the same for every command and the window.
pub fn check_replaceable(path: &Path, replace: Replace) -> Result<(), SaveError> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() && replace == Replace::RegularFileOrLink => Ok(()),
        Ok(metadata) if metadata.file_type().is_symlink() => Err(SaveError::NotRegular {
            what: "the target is a symbolic link",
            path: path.into(),
        }),
        Ok(metadata) if !metadata.is_file() => Err(SaveError::NotRegular {
            what: if metadata.is_dir() {
                "the target is a folder"
            } else {
                "the target is a device, pipe or socket, not a regular file"
            },
            path: path.into(),
        }),
        Ok(_) if replace == Replace::Nothing => Err(SaveError::Exists { path: path.into() }),
        _ => Ok(()),
    }
}

/// [`save_atomic`] with the choice of what may be replaced. A symbolic link at `path` is replaced only under
/// [`Replace::RegularFileOrLink`], and then the link itself is renamed over: the file it pointed at is left as it was.
pub fn save_atomic_to(
    path: &Path,
    replace: Replace,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let overwrite = replace != Replace::Nothing;
    let io_error = |source| SaveError::Io {
        path: path.into(),
        source,
    };
    check_replaceable(path, replace)?;
    remove_stale_temp_files(path);
    let temp = temp_path_beside(path);
    let result = write_and_sync(&temp, write)
        .map_err(io_error)
        .and_then(|()| put_in_place(&temp, path, overwrite));
    if result.is_err() {
        // The temporary file is ours and useless now; the error that matters is the one returned.
        std::fs::remove_file(&temp).ok();
        return result;
    }
    sync_folder_of(path);
    Ok(())
}

fn write_and_sync(temp: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(temp)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write(&mut out)?;
    out.flush()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

/// Renames the finished temporary file over the target. Without `overwrite`, a hard link makes the final step fail
/// if the target appeared since the check (file systems without hard links fall back to the checked rename).
fn put_in_place(temp: &Path, path: &Path, overwrite: bool) -> Result<(), SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.into(),
        source,
    };
    if !overwrite {
        match std::fs::hard_link(temp, path) {
            Ok(()) => {
                std::fs::remove_file(temp).ok();
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(SaveError::Exists { path: path.into() });
            }
            Err(_) if path.exists() => return Err(SaveError::Exists { path: path.into() }),
            Err(_) => {}
        }
    }
    std::fs::rename(temp, path).map_err(io_error)
}

/// `.<name>.tmp-<pid>-<n>` in the target's folder (same file system, so the rename is atomic; unique per save).
pub fn temp_path_beside(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Removes temporary files of our own naming (`.<name>.tmp-<pid>-<n>`) beside `path` left by a save that was killed:
/// only those of processes that are no longer running, so a save under way elsewhere is never disturbed.
pub fn remove_stale_temp_files(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    remove_leftovers(folder, &format!(".{}.tmp-", name.to_string_lossy()), false);
}

/// Removes the entries of `folder` named `<prefix><pid>` or `<prefix><pid>-<n>` (our temporary files and staging
/// folders) whose process is no longer running: regular files, or folders when `folders`. What a killed save, pack
/// or download left behind; never anything of another name, and never what a running process is writing.
pub fn remove_leftovers(folder: &Path, prefix: &str, folders: bool) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let (pid, counter) = rest.split_once('-').unwrap_or((rest, "0"));
        let (Ok(pid), true) = (pid.parse::<u32>(), counter.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        let Ok(kind) = entry.file_type() else { continue };
        if process_is_running(pid) {
            continue;
        }
        if folders && kind.is_dir() {
            std::fs::remove_dir_all(entry.path()).ok();
        } else if !folders && kind.is_file() {
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

/// Whether a process id is in use. Where that cannot be told, a process is assumed to be running (nothing removed).
fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new(&format!("/proc/{pid}")).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Makes the rename durable. Best effort: some file systems cannot sync a folder, and the file is already complete.
fn sync_folder_of(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder).and_then(|f| f.sync_all()).ok();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lm-save-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn temp_file_is_hidden_beside_the_target() {
        let temp = temp_path_beside(Path::new("/a/b/map.png"));
        assert_eq!(temp.parent(), Some(Path::new("/a/b")));
        assert!(temp.file_name().unwrap().to_string_lossy().starts_with(".map.png.tmp-"));
    }

    #[test]
    fn a_failing_writer_leaves_the_old_file_and_no_temp_file() {
        let dir = scratch("fail");
        let path = dir.join("out.csv");
        save_atomic(&path, false, |w| w.write_all(b"old")).unwrap();
        let result = save_atomic(&path, true, |w| {
            w.write_all(b"half of the new")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(matches!(result, Err(SaveError::Io { .. })), "{result:?}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(&dir), ["out.csv"]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn existing_files_are_kept_unless_overwrite() {
        let dir = scratch("exists");
        let path = dir.join("out.csv");
        save_atomic(&path, false, |w| w.write_all(b"one")).unwrap();
        let refused = save_atomic(&path, false, |w| w.write_all(b"two"));
        assert!(matches!(refused, Err(SaveError::Exists { .. })));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        save_atomic(&path, true, |w| w.write_all(b"three")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        assert_eq!(entries(&dir), ["out.csv"]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
