//! Official-data download: fetches the datasets of `boundaries/sources.toml` from their publishers (or from a mirror
//! URL or folder), verifies each against the catalogue (size and SHA-256 where catalogued, else the row count), and
//! writes it atomically. A failed or wrong download never replaces a file; a good file already present is kept.

use super::catalogue::{Catalogue, CatalogueEntry};
use super::save::{Replace, check_replaceable};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchSource {
    /// Each dataset's `download_url` in the catalogue (the publisher).
    Publishers,
    /// A base URL with the catalogue's `file_name` paths beneath it (`http://host/data/` + `imd2019/File_1….csv`).
    MirrorUrl(String),
    /// A folder laid out like `../shared/data`.
    MirrorFolder(PathBuf),
}

impl FetchSource {
    /// `None` → publishers; `http(s)://…` → a mirror URL; anything else → a mirror folder.
    pub fn from_arg(mirror: Option<&str>) -> Self {
        match mirror {
            None => Self::Publishers,
            Some(m) if m.starts_with("http://") || m.starts_with("https://") => Self::MirrorUrl(m.to_string()),
            Some(m) => Self::MirrorFolder(PathBuf::from(m)),
        }
    }
}

/// What happened to one dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchOutcome {
    /// Downloaded, verified and written.
    Written {
        /// Bytes written.
        bytes: u64,
    },
    /// Already present and matching the catalogue: not downloaded again.
    AlreadyPresent,
    /// Not attempted, with the reason (no download address known, not selected…).
    Skipped(String),
    /// Attempted and failed; nothing was replaced.
    Failed(String),
}

/// One line of the fetch report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchResult {
    /// Catalogue id.
    pub id: String,
    /// Target path.
    pub path: PathBuf,
    /// What happened.
    pub outcome: FetchOutcome,
}

/// Options for [`fetch_catalogue`].
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Data folder to fill.
    pub dest: PathBuf,
    /// Where from.
    pub source: FetchSource,
    /// Only these catalogue ids (all when empty).
    pub only: Vec<String>,
    /// What a present file that does not match the catalogue may be replaced as: [`Replace::Nothing`] keeps it;
    /// `--force` replaces a regular file, `--replace-symlink` a link too (a good file is never re-downloaded).
    pub replace: Replace,
    /// Give up on a connection that sends nothing for this long.
    pub read_timeout: Duration,
    /// Give up on a download that takes longer than this in all, however steadily it trickles.
    pub deadline: Duration,
}

/// The most a download may be when the catalogue does not give its size (the national boundary files are under 1 GB,
/// the cap for reading them).
pub const MAX_DOWNLOAD_BYTES: u64 = super::MAX_FILE_BYTES;

/// The most a download may be: the catalogued size plus 5% and 1 MB (a republished file may grow a little), else
/// the size the server announced (if no larger than [`MAX_DOWNLOAD_BYTES`]), else [`MAX_DOWNLOAD_BYTES`].
fn download_cap(entry: &CatalogueEntry, announced: Option<u64>) -> u64 {
    match (entry.bytes, announced) {
        (Some(bytes), _) => bytes + bytes / 20 + (1 << 20),
        (None, Some(announced)) => announced.min(MAX_DOWNLOAD_BYTES),
        (None, None) => MAX_DOWNLOAD_BYTES,
    }
}

/// Progress callback: (dataset id, bytes so far, total bytes if known).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, Option<u64>);

/// Fetches every selected catalogue dataset into `options.dest`.
pub fn fetch_catalogue(catalogue: &Catalogue, options: &FetchOptions, progress: Progress<'_>) -> Vec<FetchResult> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_response(Some(options.read_timeout))
        .timeout_recv_body(None)
        .timeout_per_read(Some(options.read_timeout))
        .build()
        .into();
    catalogue
        .datasets
        .iter()
        .filter(|d| options.only.is_empty() || options.only.contains(&d.id))
        .map(|entry| {
            let path = options.dest.join(&entry.file_name);
            let outcome = fetch_one(&agent, entry, &path, options, progress);
            FetchResult {
                id: entry.id.clone(),
                path,
                outcome,
            }
        })
        .collect()
}

fn fetch_one(
    agent: &ureq::Agent,
    entry: &CatalogueEntry,
    path: &Path,
    options: &FetchOptions,
    progress: Progress<'_>,
) -> FetchOutcome {
    // What a killed fetch of this file left is removed first, whatever this run then does (even if it fails early).
    if let (Some(folder), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
        super::save::remove_leftovers(folder, &format!(".{name}.part-"), false);
    }
    if path.exists() {
        match verify(entry, path) {
            Ok(()) => return FetchOutcome::AlreadyPresent,
            Err(problem) if options.replace == Replace::Nothing => {
                return FetchOutcome::Skipped(naming(
                    path,
                    &format!("present but {problem}; left as it is (use --force to replace it)"),
                ));
            }
            Err(_) => {}
        }
    }
    let opened: Result<(Box<dyn Read>, Option<u64>), String> = match &options.source {
        FetchSource::MirrorFolder(folder) => {
            let source = folder.join(&entry.file_name);
            // Only a regular file is copied: a mirror "file" that is /dev/zero or a FIFO would never end.
            if let Ok(metadata) = std::fs::metadata(&source)
                && !metadata.is_file()
            {
                return FetchOutcome::Failed(naming(
                    &source,
                    "the mirror's copy is not a regular file (a device, pipe or folder); not copied",
                ));
            }
            File::open(&source)
                .map(|file| {
                    let total = file.metadata().ok().map(|m| m.len());
                    (Box::new(file) as Box<dyn Read>, total)
                })
                .map_err(|e| naming(&source, &format!("cannot read the mirror's copy ({e})")))
        }
        FetchSource::MirrorUrl(base) => open_url(
            agent,
            &format!("{}/{}", base.trim_end_matches('/'), encode_path(&entry.file_name)),
        ),
        FetchSource::Publishers => {
            let Some(url) = &entry.download_url else {
                return FetchOutcome::Skipped(format!(
                    "the catalogue has no direct download address; get it from {}",
                    entry.landing_page.as_deref().unwrap_or(&entry.publisher)
                ));
            };
            let extension = |p: &str| Path::new(p).extension().map(|e| e.to_ascii_lowercase());
            if extension(url) != extension(&entry.file_name) {
                // The catalogue's CSV is a save of the publisher's workbook (IoD 2019): fetch the workbook under its
                // own name beside it; the app reads both. It is checked by its row count, as read by the app.
                let Some(published_name) = url.rsplit('/').next().filter(|n| !n.is_empty()) else {
                    return FetchOutcome::Failed(format!(
                        "the download address names no file — {}",
                        crate::model::escape_text(url)
                    ));
                };
                let workbook_path = path.with_file_name(published_name);
                if workbook_path.exists() && verify_rows(entry, &workbook_path).is_ok() {
                    return FetchOutcome::AlreadyPresent;
                }
                let workbook_entry = CatalogueEntry {
                    sha256: None,
                    bytes: None,
                    file_name: published_name.to_string(),
                    ..entry.clone()
                };
                return match open_url(agent, url) {
                    Ok((reader, total)) => {
                        write_verified(&workbook_entry, &workbook_path, (reader, total), options, progress)
                    }
                    Err(e) => FetchOutcome::Failed(e),
                };
            }
            open_url(agent, url)
        }
    };
    match opened {
        Ok(opened) => write_verified(entry, path, opened, options, progress),
        Err(e) => FetchOutcome::Failed(e),
    }
}

/// Percent-encodes the characters of catalogue file names that URLs cannot carry as they are.
fn encode_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '(' => "%28".to_string(),
            ')' => "%29".to_string(),
            _ => c.to_string(),
        })
        .collect()
}

fn open_url(agent: &ureq::Agent, url: &str) -> Result<(Box<dyn Read>, Option<u64>), String> {
    let response = agent
        .get(url)
        .call()
        .map_err(|e| format!("the download failed ({e}) — {}", crate::model::escape_text(url)))?;
    let total = response.body().content_length();
    Ok((Box::new(response.into_body().into_reader()), total))
}

/// Streams `reader` into a temporary file beside `path`, verifies it, and renames it into place only if it passes.
fn write_verified(
    entry: &CatalogueEntry,
    path: &Path,
    (mut reader, total): (Box<dyn Read>, Option<u64>),
    options: &FetchOptions,
    progress: Progress<'_>,
) -> FetchOutcome {
    // What is there is replaced only as every command replaces files: a regular file, a link only when asked.
    if let Err(refused) = check_replaceable(path, options.replace) {
        return FetchOutcome::Failed(refused.to_string());
    }
    let deadline = options.deadline;
    let started = std::time::Instant::now();
    let cap = download_cap(entry, total);
    if let Some(announced) = total
        && announced > cap
    {
        return FetchOutcome::Failed(naming(
            path,
            &format!(
                "the server announces {announced} bytes, more than the {cap} expected for this dataset; not downloaded"
            ),
        ));
    }
    let Some(folder) = path.parent() else {
        return FetchOutcome::Failed(naming(path, "the destination has no folder"));
    };
    if let Err(e) = std::fs::create_dir_all(folder) {
        return FetchOutcome::Failed(naming(folder, &format!("cannot create the folder ({e})")));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("download");
    super::save::remove_leftovers(folder, &format!(".{name}.part-"), false);
    let temp = folder.join(format!(".{name}.part-{}", std::process::id()));
    let result = (|| -> Result<u64, String> {
        let cannot_write = |e: std::io::Error| format!("cannot write the download ({e})");
        let file = File::create(&temp).map_err(cannot_write)?;
        let mut out = BufWriter::new(file);
        let mut buffer = vec![0u8; 256 * 1024];
        let mut written = 0u64;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("the download stopped after {written} bytes: {e}")),
            };
            written += n as u64;
            if written > cap {
                return Err(format!(
                    "the download passed {cap} bytes, more than expected for this dataset (an endless or wrong file?); stopped"
                ));
            }
            if started.elapsed() > deadline {
                return Err(format!(
                    "the download took over {} seconds in all ({written} bytes so far); stopped (see --deadline)",
                    deadline.as_secs()
                ));
            }
            out.write_all(&buffer[..n]).map_err(cannot_write)?;
            progress(&entry.id, written, total.or(entry.bytes));
        }
        if let Some(expected) = total
            && written != expected
        {
            return Err(format!("the download stopped after {written} of {expected} bytes"));
        }
        let file = out.into_inner().map_err(|e| cannot_write(e.into_error()))?;
        file.sync_all().map_err(cannot_write)?;
        verify(entry, &temp)?;
        Ok(written)
    })();
    match result {
        Ok(bytes) => match std::fs::rename(&temp, path) {
            Ok(()) => {
                if let Ok(dir) = File::open(folder) {
                    let _ = dir.sync_all();
                }
                FetchOutcome::Written { bytes }
            }
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                FetchOutcome::Failed(naming(path, &format!("cannot move the download into place ({e})")))
            }
        },
        Err(problem) => {
            let _ = std::fs::remove_file(&temp);
            FetchOutcome::Failed(naming(path, &problem))
        }
    }
}

/// One sentence about a file: what happened, then the file (escaped) last, as every message names it.
fn naming(path: &Path, what: &str) -> String {
    format!("{what} — {}", crate::model::escape_path(path))
}

/// Checks a file against its catalogue entry: size and SHA-256 when catalogued, else (CSV) the data row count.
pub fn verify(entry: &CatalogueEntry, path: &Path) -> Result<(), String> {
    let length = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if let Some(bytes) = entry.bytes
        && bytes != length
    {
        return Err(format!("it has {length} bytes where the catalogue expects {bytes}"));
    }
    if let Some(expected) = &entry.sha256 {
        let mut file = File::open(path).map_err(|e| e.to_string())?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buffer).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let actual: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if !actual.eq_ignore_ascii_case(expected) {
            return Err(format!(
                "its SHA-256 is {actual}, not the catalogue's {expected} (a different or damaged file)"
            ));
        }
        return Ok(());
    }
    verify_rows(entry, path)
}

/// Checks the data row count of a table (CSV, or the largest sheet of a workbook) as the app reads it.
fn verify_rows(entry: &CatalogueEntry, path: &Path) -> Result<(), String> {
    let Some(expected) = entry.expected_rows else {
        return Ok(());
    };
    let is = |ext: &str| {
        Path::new(&entry.file_name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    let rows = if is("csv") {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        super::read_csv(path, &bytes).map_err(|e| e.to_string())?.rows.len()
    } else if is("xlsx") || is("xls") {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        super::read_workbook(path, &bytes)
            .map_err(|e| e.to_string())?
            .iter()
            .map(|t| t.rows.len())
            .max()
            .unwrap_or(0)
    } else {
        return Ok(());
    };
    if rows != expected {
        return Err(format!(
            "it has {rows} data rows where the catalogue expects {expected}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_argument_picks_url_or_folder() {
        assert_eq!(FetchSource::from_arg(None), FetchSource::Publishers);
        assert_eq!(
            FetchSource::from_arg(Some("http://127.0.0.1:8000/data")),
            FetchSource::MirrorUrl("http://127.0.0.1:8000/data".into())
        );
        assert_eq!(
            FetchSource::from_arg(Some("../shared/data")),
            FetchSource::MirrorFolder("../shared/data".into())
        );
    }

    #[test]
    fn file_names_are_encoded_for_urls() {
        assert_eq!(
            encode_path("lookups/Lower_Layer_(2011).csv"),
            "lookups/Lower_Layer_%282011%29.csv"
        );
    }
}
