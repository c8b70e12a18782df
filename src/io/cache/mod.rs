//! The processed-data cache: after a load, the whole prepared `Dataset` (areas in world coordinates, editions,
//! lookups, indicators, the join report) is written to one versioned binary file in the platform's cache folder,
//! and read back on the next start by memory-mapping it and decoding straight from the mapped bytes.
//!
//! Never wrong: an entry is used only when its [`CacheKey`] (build, options, every source file's path, size,
//! modification time and XXH3-128 hash) equals the key of the load asked for now, and its XXH3-64 checksum holds.
//! Never stuck: a truncated, damaged or other-version file is ignored (with a one-line note) and rebuilt. Entries are
//! written with `save_atomic`, so a kill leaves the old entry or none, and two processes writing at once each rename
//! a complete file into place. Off with `--no-cache` or `LOCALITY_MAP_CACHE=off`.
//!
//! File layout: `LMCACHE1`, format version (u32), key length (u32), key, payload length (u64), payload (the encoded
//! `Dataset`), then XXH3-64 of everything before it (u64).

pub mod codec;
mod key;
mod model_codec;

pub use key::{CacheKey, FileStamp, Previous};

use crate::io::{DataSource, LoadError, LoadOptions, load_dataset, save_atomic};
use crate::model::Dataset;
use codec::{Corrupt, Reader, Writer};
use std::path::{Path, PathBuf};

/// Raised whenever the byte layout or the meaning of a field changes. 2: the entry in parts decoded in parallel;
/// 3: populations as `f64` people (File 6's working-age population is fractional), not whole `u32`s; 4: each area's
/// interior point, found once at load.
pub const FORMAT_VERSION: u32 = 4;

const MAGIC: &[u8; 8] = b"LMCACHE1";

/// Largest cache file read: far above the whole national folder's (about 40 MB), far below memory.
const MAX_CACHE_BYTES: u64 = 4 << 30;

/// Whether and where to cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    /// The folder entries live in; `None` turns the cache off.
    pub folder: Option<PathBuf>,
}

impl CacheSettings {
    /// The platform cache folder (`$XDG_CACHE_HOME/locality-map`, else `~/.cache/locality-map` on Linux), unless
    /// `no_cache` or `LOCALITY_MAP_CACHE=off` (also `0`, `false`, `no`).
    pub fn from_env(no_cache: bool) -> Self {
        let no_cache = no_cache || TURNED_OFF.load(std::sync::atomic::Ordering::Relaxed);
        let off = std::env::var("LOCALITY_MAP_CACHE")
            .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "off" | "0" | "false" | "no"));
        Self {
            folder: (!no_cache && !off).then(default_folder).flatten(),
        }
    }

    /// No cache: never read, never written.
    pub fn off() -> Self {
        Self { folder: None }
    }
}

/// Set by [`turn_off_for_this_process`]: the window's `--no-cache`, which reaches the loading thread this way.
static TURNED_OFF: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns the cache off for every later load in this process (`locality-map --no-cache` opening the window).
pub fn turn_off_for_this_process() {
    TURNED_OFF.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The platform cache folder for Locality Map, whether or not it exists.
pub fn default_folder() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("locality-map"))
}

/// What the cache did for a load.
#[derive(Clone, Debug, PartialEq)]
pub enum CacheOutcome {
    /// Turned off: nothing read or written.
    Off,
    /// Read from this entry.
    Hit(PathBuf),
    /// Loaded from the sources and saved to this entry (there was none, or the sources changed).
    Saved(PathBuf),
    /// The entry was unusable (truncated, damaged, another version): ignored, loaded from the sources, saved again.
    Rebuilt {
        /// The entry.
        path: PathBuf,
        /// Why it was ignored.
        why: String,
    },
    /// Loaded from the sources; the entry could not be saved (or the sources changed while they were read).
    NotSaved {
        /// One sentence.
        why: String,
    },
}

impl CacheOutcome {
    /// The one-line note to show, when there is something worth saying.
    pub fn note(&self) -> Option<String> {
        match self {
            Self::Rebuilt { path, why } => Some(format!(
                "the processed-data cache was ignored ({why}) and rebuilt — {}",
                path.display()
            )),
            Self::NotSaved { why } => Some(format!("the processed-data cache was not saved ({why})")),
            _ => None,
        }
    }

    /// True when the model came from the cache.
    pub fn is_hit(&self) -> bool {
        matches!(self, Self::Hit(_))
    }
}

/// [`load_dataset`] through the cache: the cached model when its key matches, else a load from the sources that is
/// then saved. The model is the same either way, field for field.
pub fn load_dataset_cached(
    source: &DataSource,
    options: &LoadOptions,
    settings: &CacheSettings,
) -> Result<(Dataset, CacheOutcome), LoadError> {
    let Some(folder) = &settings.folder else {
        return Ok((load_dataset(source, options)?, CacheOutcome::Off));
    };
    let started = std::time::Instant::now();
    let path = folder.join(CacheKey::entry_name_of(source, options));
    let mut why_ignored = None;
    // The stored key first: files unchanged since it was written keep their hashes, the rest are hashed now.
    let opened = match open_entry(&path) {
        Ok(opened) => opened,
        Err(Corrupt(why)) => {
            why_ignored = Some(why.to_string());
            None
        }
    };
    let previous = opened.as_ref().map(|(_, stored, written_ns, _)| Previous {
        key: stored,
        written_ns: *written_ns,
    });
    let key = CacheKey::reusing(source, options, previous)?;
    let keyed = started.elapsed();
    if let Some((map, stored, _, payload)) = &opened
        && *stored == key
    {
        match decode_payload(&map[payload.clone()]) {
            Ok(dataset) => {
                if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
                    eprintln!(
                        "cache: {} files stamped in {:.0} ms, entry decoded in {:.0} ms",
                        key.files.len(),
                        keyed.as_secs_f64() * 1e3,
                        (started.elapsed() - keyed).as_secs_f64() * 1e3
                    );
                }
                return Ok((dataset, CacheOutcome::Hit(path)));
            }
            Err(Corrupt(why)) => why_ignored = Some(why.to_string()),
        }
    }
    let dataset = load_dataset(source, options)?;
    // Saved only if nothing changed while the files were read: the key must describe the bytes the model came from.
    let outcome = match CacheKey::of(source, options) {
        Ok(after) if after == key => match write_entry(&path, &key, &dataset) {
            Ok(()) => match why_ignored {
                Some(why) => CacheOutcome::Rebuilt { path, why },
                None => CacheOutcome::Saved(path),
            },
            Err(e) => CacheOutcome::NotSaved { why: e },
        },
        _ => CacheOutcome::NotSaved {
            why: "the data files changed while they were read".into(),
        },
    };
    Ok((dataset, outcome))
}

/// The cached model when an entry for this load exists and its key still matches, and nothing else: no file is
/// parsed and nothing saved. `None` (the cache off, no entry, a stale or damaged one) means the files must be read
/// — by [`load_dataset_cached`], which says why and saves the entry. The window asks this first so that a warm
/// start loads in one step, and only a cold one is staged.
pub fn load_if_fresh(
    source: &DataSource,
    options: &LoadOptions,
    settings: &CacheSettings,
) -> Result<Option<(Dataset, CacheOutcome)>, LoadError> {
    let Some(folder) = &settings.folder else {
        return Ok(None);
    };
    let path = folder.join(CacheKey::entry_name_of(source, options));
    let Ok(Some((map, stored, written_ns, payload))) = open_entry(&path) else {
        return Ok(None);
    };
    let previous = Previous {
        key: &stored,
        written_ns,
    };
    if CacheKey::reusing(source, options, Some(previous))? != stored {
        return Ok(None);
    }
    Ok(decode_payload(&map[payload]).ok().map(|d| (d, CacheOutcome::Hit(path))))
}

/// Opens an entry: its mapping, its key and when it was written; `Ok(None)` when there is none, `Err` when it is there
/// but unusable (the magic, version, checksum or key do not hold).
fn open_entry(path: &Path) -> Result<Option<Opened>, Corrupt> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() <= MAX_CACHE_BYTES => {}
        _ => return Err(Corrupt("not a regular file of a sensible size")),
    }
    let written_ns = key::modified_ns(path);
    // SAFETY: the mapping is only read. Entries are replaced by renaming a new file over them, never rewritten in
    // place, so the mapped file does not change under us; a user truncating it by hand mid-read is the one case
    // that could fault (as with any memory-mapped reader).
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|_| Corrupt("it cannot be mapped"))?;
    let (stored, payload) = split_entry(&map)?;
    let payload = payload.as_ptr() as usize - map.as_ptr() as usize
        ..payload.as_ptr() as usize - map.as_ptr() as usize + payload.len();
    Ok(Some((map, stored, written_ns, payload)))
}

/// An entry opened: its mapping, its key, when it was written (ns since 1970), and where its payload lies.
type Opened = (memmap2::Mmap, CacheKey, u64, std::ops::Range<usize>);

/// Checks and decodes an entry's bytes in full: the magic and version, the checksum, the key, then the model.
pub fn decode_entry(bytes: &[u8]) -> Result<(CacheKey, Dataset), Corrupt> {
    let (key, payload) = split_entry(bytes)?;
    Ok((key, decode_payload(payload)?))
}

/// The entry's key, and its payload's bytes (checked by the checksum, not yet decoded).
fn split_entry(bytes: &[u8]) -> Result<(CacheKey, &[u8]), Corrupt> {
    let (key_bytes, rest) = check_header(bytes)?;
    let key = key::decode_key(key_bytes)?;
    let mut r = Reader::new(rest);
    let length = r.u64()?;
    let payload = r.take(usize::try_from(length).map_err(|_| Corrupt("the payload is too large"))?)?;
    if r.remaining() != 0 {
        return Err(Corrupt("bytes after the payload"));
    }
    Ok((key, payload))
}

/// Decodes an entry's payload alone (the model), without the header and checksum: for the fuzz target, which would
/// otherwise hardly ever get past the checksum.
pub fn decode_model(payload: &[u8]) -> Result<Dataset, Corrupt> {
    decode_payload(payload)
}

/// Decodes an entry's key alone, without the header and checksum (the fuzz target).
pub fn decode_key(bytes: &[u8]) -> Result<CacheKey, Corrupt> {
    key::decode_key(bytes)
}

fn decode_payload(payload: &[u8]) -> Result<Dataset, Corrupt> {
    let mut payload = Reader::new(payload);
    let dataset: Dataset = payload.get()?;
    if payload.remaining() != 0 {
        return Err(Corrupt("the payload has bytes left over"));
    }
    Ok(dataset)
}

/// Checks the magic, version and checksum; returns the key's bytes and what follows it (without the checksum).
fn check_header(bytes: &[u8]) -> Result<(&[u8], &[u8]), Corrupt> {
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len()).map_err(|_| Corrupt("truncated"))? != MAGIC {
        return Err(Corrupt("not a Locality Map cache file"));
    }
    let version = r.u32().map_err(|_| Corrupt("truncated"))?;
    if version != FORMAT_VERSION {
        return Err(Corrupt(if version > FORMAT_VERSION {
            "made by a newer version of Locality Map"
        } else {
            "made by an older version of Locality Map"
        }));
    }
    let Some(body_end) = bytes.len().checked_sub(8).filter(|end| *end >= MAGIC.len() + 4) else {
        return Err(Corrupt("truncated"));
    };
    let (body, sum) = bytes.split_at(body_end);
    let mut sum_bytes = [0u8; 8];
    sum_bytes.copy_from_slice(sum);
    if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum_bytes) {
        return Err(Corrupt("checksum mismatch: truncated or damaged"));
    }
    let mut r = Reader::new(&body[MAGIC.len() + 4..]);
    let key_bytes = r.bytes()?;
    Ok((key_bytes, r.take(r.remaining())?))
}

/// Encodes an entry (what [`decode_entry`] reads).
pub fn encode_entry(key: &CacheKey, dataset: &Dataset) -> Vec<u8> {
    let mut key_bytes = Writer::default();
    key_bytes.put(key);
    let mut payload = Writer::default();
    payload.put(dataset);
    let mut w = Writer::default();
    w.bytes.reserve(payload.bytes.len() + key_bytes.bytes.len() + 64);
    w.bytes.extend_from_slice(MAGIC);
    w.u32(FORMAT_VERSION);
    w.bytes(&key_bytes.bytes);
    w.u64(payload.bytes.len() as u64);
    w.bytes.extend_from_slice(&payload.bytes);
    drop(payload);
    let sum = xxhash_rust::xxh3::xxh3_64(&w.bytes);
    w.u64(sum);
    w.bytes
}

/// Saves `dataset` as the entry for `key` in `folder` (what a load does after reading the files); returns its path.
pub fn save_entry(folder: &Path, key: &CacheKey, dataset: &Dataset) -> Result<PathBuf, String> {
    let path = folder.join(key.entry_name());
    write_entry(&path, key, dataset).map(|()| path)
}

fn write_entry(path: &Path, key: &CacheKey, dataset: &Dataset) -> Result<(), String> {
    let folder = path.parent().ok_or("the cache folder has no parent")?;
    std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let bytes = encode_entry(key, dataset);
    save_atomic(path, true, |w| w.write_all(&bytes)).map_err(|e| e.to_string())
}

/// One entry, for `locality-map cache status`.
#[derive(Clone, Debug)]
pub struct EntryStatus {
    /// Its file.
    pub path: PathBuf,
    /// Bytes on disk.
    pub bytes: u64,
    /// What it was made from (the source's label and file count), or why it cannot be read.
    pub made_from: Result<(String, usize), String>,
}

/// The entries in a cache folder, sorted by file name.
pub fn entries(folder: &Path) -> Vec<EntryStatus> {
    let mut found: Vec<EntryStatus> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".lmcache"))
        .map(|e| {
            let path = e.path();
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            let made_from = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| {
                let (key, _) = check_header(&b).map_err(|c| c.0.to_string())?;
                let key = key::decode_key(key).map_err(|c| c.0.to_string())?;
                Ok((key.source.0, key.files.len()))
            });
            EntryStatus { path, bytes, made_from }
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// Removes every entry (and temporary files of killed writes) from a cache folder; returns how many files went.
/// Only files of the cache's own naming are touched.
pub fn clear(folder: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    let listing = match std::fs::read_dir(folder) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in listing.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".lmcache") || (name.starts_with('.') && name.contains(".lmcache.tmp-"));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}
