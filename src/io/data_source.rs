//! Where data comes from: a folder the planner chose (walked safely), or the Leeds default built into the binary.

use super::LoadError;
use flate2::read::GzDecoder;
use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// A data folder, or the embedded Leeds default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// A folder of official downloads.
    Folder(PathBuf),
    /// The small Leeds default compiled into the binary.
    Embedded,
    /// Files (or folders) dropped on the window, read together.
    Files(Vec<PathBuf>),
}

impl DataSource {
    /// `--data DIR`, else `$LOCALITY_MAP_DATA`, else the embedded default.
    pub fn from_args(data: Option<PathBuf>) -> Self {
        match data.or_else(|| {
            std::env::var_os("LOCALITY_MAP_DATA")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        }) {
            Some(dir) => Self::Folder(dir),
            None => Self::Embedded,
        }
    }

    /// For display.
    pub fn label(&self) -> String {
        match self {
            Self::Folder(dir) => dir.display().to_string(),
            Self::Embedded => "embedded Leeds default".into(),
            Self::Files(paths) => match paths.as_slice() {
                [one] => one.display().to_string(),
                many => format!("{} dropped files", many.len()),
            },
        }
    }
}

/// One file's name and bytes. Embedded files are named `embedded:…` with their `.gz` removed.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path (or embedded name) for messages.
    pub path: PathBuf,
    /// Its bytes, decompressed.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// The lower-case extension.
    pub fn extension(&self) -> String {
        self.path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase()
    }
}

/// Largest file read: a GeoJSON or shapefile over 1 GB is refused with a clear message instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Largest CSV (or text) table read. The national IMD tables and ONS lookups are 2–5 MB; 256 MB is fifty times that.
pub const MAX_TABLE_BYTES: u64 = 256 << 20;

/// Largest workbook (`.xlsx`, `.xls`, `.ods`) read, compressed as on disk. The official IMD workbooks are 1.5–2.3 MB.
pub const MAX_WORKBOOK_BYTES: u64 = 128 << 20;

/// The cap for a file of this (lower-case) extension, sidecars included.
pub fn max_bytes_for_extension(extension: &str) -> u64 {
    match extension {
        "csv" | "tsv" | "txt" => MAX_TABLE_BYTES,
        "xlsx" | "xls" | "ods" => MAX_WORKBOOK_BYTES,
        _ => MAX_FILE_BYTES,
    }
}

/// Extensions read as data; sidecars (`.shx`, `.dbf`, `.prj`, `.cpg`) travel with their `.shp`.
const DATA_EXTENSIONS: [&str; 9] = ["csv", "tsv", "txt", "xlsx", "xls", "ods", "geojson", "json", "shp"];
const SIDECAR_EXTENSIONS: [&str; 4] = ["shx", "dbf", "prj", "cpg"];

/// Data files found under a folder, and entries skipped with why.
pub type FolderListing = (Vec<PathBuf>, Vec<(PathBuf, String)>);

/// Lists the data files under a folder, depth-first, sorted by path. Symbolic-link loops are detected and skipped.
/// Returns the files and the names of entries skipped with why.
pub fn list_data_files(root: &Path) -> Result<FolderListing, LoadError> {
    let metadata = std::fs::metadata(root).map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Ok((vec![root.to_path_buf()], Vec::new()));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut visited = HashSet::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let canonical = match std::fs::canonicalize(&dir) {
            Ok(c) => c,
            Err(e) => {
                skipped.push((dir, format!("cannot be opened ({e})")));
                continue;
            }
        };
        if !visited.insert(canonical) {
            skipped.push((
                dir,
                "a folder link that leads back to a folder already read (a loop); skipped".into(),
            ));
            continue;
        }
        if depth > 16 {
            skipped.push((dir, "more than 16 folders deep; skipped".into()));
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                skipped.push((dir, format!("cannot be read ({e})")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => stack.push((path, depth + 1)),
                Ok(m) if m.is_file() => {
                    let ext = path
                        .extension()
                        .and_then(|e| e.to_str())
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    if DATA_EXTENSIONS.contains(&ext.as_str()) {
                        files.push(path);
                    }
                }
                Ok(m) => {
                    let ext = path
                        .extension()
                        .and_then(|e| e.to_str())
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    if DATA_EXTENSIONS.contains(&ext.as_str()) || SIDECAR_EXTENSIONS.contains(&ext.as_str()) {
                        skipped.push((path, format!("{}; skipped", not_regular(&m))));
                    }
                }
                Err(e) => skipped.push((path, format!("cannot be read ({e}); a broken or looping link?"))),
            }
        }
    }
    files.sort();
    Ok((files, skipped))
}

/// Reads a file with the size cap for its kind ([`max_bytes_for_extension`]): a larger file is refused from its size
/// on disk before any of it is read, and a file that grows while it is read stops at the cap.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    read_capped(path, max_bytes_for_extension(&extension))
}

/// Reads a file of at most `limit` bytes. Only regular files are opened, and without blocking: a FIFO or a device
/// named like a data file (`data.shx` made with `mkfifo`) is refused from its metadata, and one swapped in between
/// the check and the open cannot block the read either.
pub(crate) fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let too_large = |size: u64| {
        if limit < 1 << 20 {
            // Sidecar-sized limits are kilobytes; "0 MB over the 0 MB limit" would say nothing.
            LoadError::Unrecognised {
                detail: format!(
                    "the file is over {} KB, the limit for this kind of file (it should be a few hundred bytes)",
                    limit >> 10
                ),
                path: path.to_path_buf(),
            }
        } else {
            LoadError::TooLarge {
                size_mb: size >> 20,
                limit_mb: limit >> 20,
                path: path.to_path_buf(),
            }
        }
    };
    let not_a_file = |metadata: &std::fs::Metadata| LoadError::Unrecognised {
        detail: format!("{}, so it is not read", not_regular(metadata)),
        path: path.to_path_buf(),
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        return Err(not_a_file(&metadata));
    }
    let file = open_no_block(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(not_a_file(&metadata));
    }
    let size = metadata.len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens for reading with `O_NONBLOCK` where there is one: opening a FIFO then never waits for a writer.
pub(crate) fn open_no_block(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a path that is not a regular file is, for the message.
fn not_regular(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO), not a regular file";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device, not a regular file";
        }
        if kind.is_socket() {
            return "a socket, not a regular file";
        }
    }
    if metadata.is_dir() {
        "a folder, not a file"
    } else {
        "not a regular file"
    }
}

/// The cap for a shapefile sidecar: a `.prj` (WKT) or `.cpg` (an encoding name) is a few hundred bytes, so 64 KiB
/// is generous; the `.shx` and `.dbf` scale with the records and take the shapefile cap.
pub fn max_sidecar_bytes(extension: &str) -> u64 {
    match extension {
        "prj" | "cpg" => MAX_TEXT_SIDECAR_BYTES,
        _ => MAX_FILE_BYTES,
    }
}

/// Largest `.prj` or `.cpg` read.
pub const MAX_TEXT_SIDECAR_BYTES: u64 = 64 << 10;

/// Reads the sidecar of a `.shp` with the given extension, trying lower and upper case: `None` when there is none.
/// A sidecar over its cap ([`max_sidecar_bytes`]) is refused like any other file, not read whole.
pub fn read_sidecar(shp: &Path, extension: &str) -> Result<Option<Vec<u8>>, LoadError> {
    debug_assert!(SIDECAR_EXTENSIONS.contains(&extension));
    for ext in [extension.to_string(), extension.to_ascii_uppercase()] {
        match read_capped(&shp.with_extension(ext), max_sidecar_bytes(extension)) {
            Ok(bytes) => return Ok(Some(bytes)),
            Err(LoadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(None)
}

/// The embedded Leeds default: national IMD tables and Leeds boundaries and lookups, gzip-compressed at build time.
pub fn embedded_files() -> Result<Vec<SourceFile>, LoadError> {
    let mut files = Vec::new();
    for (name, gz) in super::embedded::FILES {
        files.push(embedded_file(name, gz).map_err(|source| LoadError::Io {
            path: PathBuf::from(name),
            source,
        })?);
    }
    Ok(files)
}

/// One embedded file, decompressed, under its `embedded:` path.
pub(crate) fn embedded_file(name: &str, gz: &[u8]) -> std::io::Result<SourceFile> {
    let mut bytes = Vec::new();
    GzDecoder::new(gz).read_to_end(&mut bytes)?;
    Ok(SourceFile {
        path: embedded_path(name),
        bytes,
    })
}

/// Where an embedded file is said to be (`embedded:imd2019/File_1….csv`), in reports and cache keys alike.
pub(crate) fn embedded_path(name: &str) -> PathBuf {
    PathBuf::from(format!("embedded:{}", name.trim_end_matches(".gz")))
}
