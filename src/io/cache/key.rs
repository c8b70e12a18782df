//! What a cache entry was made from: the build, the load options, and every source file's path, size, modification
//! time and XXH3 content hash. Two loads with equal keys read the same bytes with the same code, so they give the
//! same model; any change to a source (touched, replaced, truncated, added, removed) changes the key.

use super::codec::{Corrupt, Decode, Decoded, Encode, Reader, Writer, fields};
use crate::io::data_source::{list_data_files, max_bytes_for_extension, open_no_block};
use crate::io::{DataSource, LoadError, LoadOptions};
use rayon::prelude::*;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Sidecars a `.shp` is read with (see `data_source::read_sidecar`), in both cases.
const SIDECARS: [&str; 8] = ["shx", "dbf", "prj", "cpg", "SHX", "DBF", "PRJ", "CPG"];

/// One source file as it was when the cache was made. Two stamps are equal when path, size, modification time and
/// content hash are (the change time and inode only say whether the hash must be computed again).
#[derive(Clone, Debug)]
pub struct FileStamp {
    /// As listed (what messages name).
    pub path: PathBuf,
    /// Where it really is (links resolved): the loader treats files outside the data folder differently.
    pub canonical: PathBuf,
    /// Bytes; `u64::MAX` for something that is not a regular file.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime_ns: u64,
    /// XXH3-128 of the contents (0 when not read: not a regular file, or over the cap the loader refuses it at).
    pub hash: (u64, u64),
    /// Status change time (nanoseconds since 1970) and inode, where the platform has them (else 0): no write can
    /// leave both as they were, and neither can be set back by hand (unlike the modification time).
    pub changed: (u64, u64),
}

impl PartialEq for FileStamp {
    fn eq(&self, other: &Self) -> bool {
        (&self.path, &self.canonical, self.size, self.mtime_ns, self.hash)
            == (&other.path, &other.canonical, other.size, other.mtime_ns, other.hash)
    }
}

impl Eq for FileStamp {}

fields!(FileStamp {
    path,
    canonical,
    size,
    mtime_ns,
    hash,
    changed
});

/// How long before an entry was written a file must have last changed for its stored hash to be reused: a file
/// changed within the same tick of a coarse clock as the entry is hashed again (git's "racy" rule).
const SETTLED_NS: u64 = 2_000_000_000;

/// A stored key, and when its entry was written, from which unchanged files' hashes are reused.
#[derive(Clone, Copy, Debug)]
pub struct Previous<'a> {
    /// The key stored in the entry.
    pub key: &'a CacheKey,
    /// The entry file's modification time, nanoseconds since 1970.
    pub written_ns: u64,
}

/// Everything a cache entry depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    /// `CARGO_PKG_VERSION` of the build that wrote it.
    pub crate_version: String,
    /// The executable that wrote it (size, modification time): a rebuild with changed code never reads an older
    /// build's cache, even at the same version.
    pub build: (u64, u64),
    /// The load options (boundaries read, `--edition`, headers quoted, copies in another format read too).
    pub options: (bool, Option<u16>, bool, bool),
    /// The source's label, and its roots as given and as resolved.
    pub source: (String, Vec<(PathBuf, PathBuf)>),
    /// Every file read, sidecars included, sorted by path.
    pub files: Vec<FileStamp>,
    /// Entries the folder walk passed over, with why (they are in the report).
    pub skipped: Vec<(PathBuf, String)>,
}

impl Encode for CacheKey {
    fn encode(&self, w: &mut Writer) {
        let CacheKey {
            crate_version,
            build,
            options,
            source,
            files,
            skipped,
        } = self;
        w.put(crate_version);
        w.put(build);
        w.put(&options.0);
        w.put(&options.1);
        w.put(&options.2);
        w.put(&options.3);
        w.put(source);
        w.put(files);
        w.put(skipped);
    }
}

impl Decode for CacheKey {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Ok(Self {
            crate_version: r.get()?,
            build: r.get()?,
            options: (r.get()?, r.get()?, r.get()?, r.get()?),
            source: r.get()?,
            files: r.get()?,
            skipped: r.get()?,
        })
    }
}

impl CacheKey {
    /// The key of loading `source` with `options` now. Reads (and hashes) every source file, in parallel.
    pub fn of(source: &DataSource, options: &LoadOptions) -> Result<Self, LoadError> {
        Self::reusing(source, options, None)
    }

    /// The same key, reusing the hash `previous` stored for each file whose path, size, modification time, change
    /// time and inode are as stored and that last changed well before that entry was written; every other file is
    /// read and hashed.
    pub fn reusing(
        source: &DataSource,
        options: &LoadOptions,
        previous: Option<Previous<'_>>,
    ) -> Result<Self, LoadError> {
        let roots = match source {
            DataSource::Embedded => Vec::new(),
            DataSource::Folder(root) => vec![root.clone()],
            DataSource::Files(paths) => paths.clone(),
        };
        let mut paths = Vec::new();
        let mut skipped = Vec::new();
        let mut files = Vec::new();
        match source {
            DataSource::Embedded => {
                // Compiled in: the build identifies it, but hashing the few megabytes costs next to nothing.
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                for (name, bytes) in crate::io::embedded::FILES {
                    hasher.update(name.as_bytes());
                    hasher.update(bytes);
                }
                let digest = hasher.digest128();
                files.push(FileStamp {
                    path: PathBuf::from("embedded:"),
                    canonical: PathBuf::new(),
                    size: 0,
                    mtime_ns: 0,
                    hash: ((digest >> 64) as u64, digest as u64),
                    changed: (0, 0),
                });
            }
            _ => {
                for root in &roots {
                    let (found, passed_over) = list_data_files(root)?;
                    for path in found {
                        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp")) {
                            paths.extend(
                                SIDECARS
                                    .iter()
                                    .map(|ext| path.with_extension(ext))
                                    .filter(|p| std::fs::symlink_metadata(p).is_ok()),
                            );
                        }
                        paths.push(path);
                    }
                    skipped.extend(passed_over);
                }
                paths.sort();
                paths.dedup();
                let stored: std::collections::HashMap<&Path, &FileStamp> = previous
                    .map(|p| p.key.files.iter().map(|f| (f.path.as_path(), f)).collect())
                    .unwrap_or_default();
                let written_ns = previous.map_or(0, |p| p.written_ns);
                files = paths
                    .par_iter()
                    .map(|path| stamp(path, stored.get(path.as_path()).copied(), written_ns))
                    .collect();
            }
        }
        Ok(Self {
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            build: build_identity(),
            options: options_of(options),
            source: source_of(source),
            files,
            skipped,
        })
    }

    /// What names the entry's file: the source and options, not the files' contents (a changed file replaces the
    /// entry rather than adding one).
    pub fn entry_name(&self) -> String {
        name_of(self.options, &self.source)
    }

    /// The name of the entry a load of `source` with `options` uses, without reading any file.
    pub fn entry_name_of(source: &DataSource, options: &LoadOptions) -> String {
        name_of(options_of(options), &source_of(source))
    }
}

fn name_of(options: (bool, Option<u16>, bool, bool), source: &(String, Vec<(PathBuf, PathBuf)>)) -> String {
    let mut w = Writer::default();
    w.put(&options.0);
    w.put(&options.1);
    w.put(&options.2);
    w.put(&options.3);
    w.put(source);
    format!("{:032x}.lmcache", xxhash_rust::xxh3::xxh3_128(&w.bytes))
}

fn options_of(options: &LoadOptions) -> (bool, Option<u16>, bool, bool) {
    let LoadOptions {
        boundaries,
        edition_hint,
        quote_headers,
        read_copies,
    } = options;
    (*boundaries, *edition_hint, *quote_headers, *read_copies)
}

/// The source's label, and its roots as given and as resolved.
fn source_of(source: &DataSource) -> (String, Vec<(PathBuf, PathBuf)>) {
    let roots = match source {
        DataSource::Embedded => Vec::new(),
        DataSource::Folder(root) => vec![root.clone()],
        DataSource::Files(paths) => paths.clone(),
    };
    (
        source.label(),
        roots
            .iter()
            .map(|r| (r.clone(), std::fs::canonicalize(r).unwrap_or_default()))
            .collect(),
    )
}

/// The running executable's size and modification time (0, 0 where it cannot be told).
fn build_identity() -> (u64, u64) {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| (m.len(), mtime_ns(&m)))
        .unwrap_or((0, 0))
}

fn mtime_ns(metadata: &std::fs::Metadata) -> u64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// A file's stamp. Only regular files within their kind's cap are read (never a FIFO or device: they are stamped
/// by their metadata alone, and the loader refuses them anyway); `stored`'s hash is reused when nothing about the
/// file has changed since well before its entry was written.
fn stamp(path: &Path, stored: Option<&FileStamp>, written_ns: u64) -> FileStamp {
    let canonical = std::fs::canonicalize(path).unwrap_or_default();
    let Ok(metadata) = std::fs::metadata(path) else {
        return FileStamp {
            path: path.to_path_buf(),
            canonical,
            size: u64::MAX,
            mtime_ns: 0,
            hash: (0, 0),
            changed: (0, 0),
        };
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let size = if metadata.is_file() { metadata.len() } else { u64::MAX };
    let changed = change_stamp(&metadata);
    let mtime_ns = mtime_ns(&metadata);
    let unchanged = stored.filter(|s| {
        changed != (0, 0)
            && (s.canonical.as_path(), s.size, s.mtime_ns, s.changed) == (canonical.as_path(), size, mtime_ns, changed)
            && changed.0.saturating_add(SETTLED_NS) < written_ns
            && mtime_ns.saturating_add(SETTLED_NS) < written_ns
    });
    let hash = match unchanged {
        Some(stored) => stored.hash,
        None if metadata.is_file() && size <= max_bytes_for_extension(&extension) => {
            hash_file(path).unwrap_or((u64::MAX, u64::MAX))
        }
        None => (0, 0),
    };
    FileStamp {
        path: path.to_path_buf(),
        canonical,
        size,
        mtime_ns,
        hash,
        changed,
    }
}

/// The change time (ns) and inode; (0, 0) where the platform has neither.
fn change_stamp(metadata: &std::fs::Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let ns = u64::try_from(metadata.ctime()).unwrap_or(0) * 1_000_000_000
            + u64::try_from(metadata.ctime_nsec()).unwrap_or(0);
        (ns, metadata.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        (0, 0)
    }
}

/// A file's modification time, nanoseconds since 1970 (0 where it cannot be told).
pub(super) fn modified_ns(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| mtime_ns(&m))
}

/// XXH3-128 of a file, read in 1 MB pieces (the file is never mapped: one truncated meanwhile must not crash us).
fn hash_file(path: &Path) -> std::io::Result<(u64, u64)> {
    let mut file = open_no_block(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer)? {
            0 => break,
            n => hasher.update(&buffer[..n]),
        }
    }
    let digest = hasher.digest128();
    Ok(((digest >> 64) as u64, digest as u64))
}

/// Decodes a key, for `cache status` and the reader.
pub fn decode_key(bytes: &[u8]) -> Result<CacheKey, Corrupt> {
    let mut r = Reader::new(bytes);
    let key = r.get()?;
    if r.remaining() != 0 {
        return Err(Corrupt("the cache's key has bytes left over"));
    }
    Ok(key)
}
