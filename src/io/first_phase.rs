//! The first part of a staged load: only what a map of one LA (or England) between two editions needs, so the
//! window can draw it while the rest loads behind it (`ui::loader`). The rest is the whole load, done as ever.
//!
//! Files are still recognised by their contents, never their names: each table's first rows are parsed by the same
//! code as a whole load (a 64 KB head), and kept for the first part when they are an IMD table of one of the two
//! editions with the index shown, or a lookup the comparison needs. Workbooks and everything else wait. Boundary
//! files are read smallest first, in rounds of similar size, until the LA's LSOAs of the later edition are all
//! covered: an LA's own files cover it long before a national file is reached, and England reads them all.

use super::LoadError;
use super::data_source::{DataSource, embedded_file, embedded_path, open_no_block};
use super::load::{assemble_dataset, list_source_paths, parse_disk_files, parse_embedded_file};
use super::parse_file::{LoadOptions, Parsed, parse_table};
use super::raw_table::read_csv;
use super::same_source::FileResult;
use crate::model::{AreaCode, AreaKind, Dataset, Index, JoinReport, Lookup, LsoaVintage, names_england, normalise};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::Instant;

/// How much of a table is read to recognise it.
const HEAD_BYTES: u64 = 64 * 1024;

/// What a first view shows: the LA (a name or code, or "All England") and the two editions it compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFocus {
    /// Local authority name or code, or `All England`.
    pub la: String,
    /// Earlier and later edition.
    pub editions: [u16; 2],
    /// The index whose ranks the map shows (the IMD, or a domain).
    pub index: Index,
}

/// The first part of a load.
#[derive(Debug)]
pub struct FirstPhase {
    /// The model of the files read so far (the same code as a whole load assembled it).
    pub dataset: Dataset,
    /// Files read.
    pub files_read: usize,
    /// Files left for the rest of the load.
    pub files_left: usize,
}

/// One data file not yet read.
enum Candidate {
    Disk(PathBuf),
    Embedded(&'static str, &'static [u8]),
}

impl Candidate {
    fn path(&self) -> PathBuf {
        match self {
            Self::Disk(path) => path.clone(),
            Self::Embedded(name, _) => embedded_path(name),
        }
    }

    fn extension(&self) -> String {
        let path = self.path();
        path.extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// Bytes (compressed, for the embedded files): only the order of reading depends on it.
    fn size(&self) -> u64 {
        match self {
            Self::Disk(path) => std::fs::metadata(path).map_or(u64::MAX, |m| m.len()),
            Self::Embedded(_, gz) => gz.len() as u64,
        }
    }

    /// The first `HEAD_BYTES`, cut after the last whole line.
    fn head(&self) -> Option<Vec<u8>> {
        let mut head = Vec::new();
        match self {
            Self::Disk(path) => {
                open_no_block(path).ok()?.take(HEAD_BYTES).read_to_end(&mut head).ok()?;
            }
            Self::Embedded(_, gz) => {
                let _ = flate2::read::GzDecoder::new(*gz)
                    .take(HEAD_BYTES)
                    .read_to_end(&mut head);
            }
        }
        if head.len() as u64 == HEAD_BYTES {
            head.truncate(head.iter().rposition(|b| *b == b'\n')? + 1);
        }
        Some(head)
    }
}

/// What the first part does with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Table,
    Boundaries,
    Later,
}

/// Loads the part of `source` a map of `focus` needs (see the module documentation). Fails only where a whole load
/// would (the folder cannot be read).
pub fn load_first_phase(
    source: &DataSource,
    options: &LoadOptions,
    focus: &LoadFocus,
) -> Result<FirstPhase, LoadError> {
    let started = Instant::now();
    let mut report = JoinReport::default();
    let (candidates, roots) = match source {
        DataSource::Embedded => (
            super::embedded::FILES
                .iter()
                .map(|(name, gz)| Candidate::Embedded(name, gz))
                .collect::<Vec<_>>(),
            Vec::new(),
        ),
        _ => {
            let (paths, roots) = list_source_paths(source, &mut report)?;
            (paths.into_iter().map(Candidate::Disk).collect(), roots)
        }
    };
    let vintages: Vec<LsoaVintage> = focus
        .editions
        .iter()
        .filter_map(|y| super::imd_table::vintage_of_edition(*y))
        .collect();
    let roles: Vec<Role> = candidates
        .par_iter()
        .map(|c| role_of(c, options, focus, &vintages))
        .collect();
    let chosen = |role: Role| -> Vec<&Candidate> {
        candidates
            .iter()
            .zip(&roles)
            .filter(|(_, r)| **r == role)
            .map(|(c, _)| c)
            .collect()
    };
    let mut results = parse_all(&chosen(Role::Table), &roots, options, &mut report);
    let needed = lsoas_needed(&results, focus);
    let mut boundaries = chosen(Role::Boundaries);
    boundaries.sort_by_key(|c| c.size());
    let mut next = 0;
    // Rounds of files within four times the size of the round's smallest, until the LA is covered.
    while next < boundaries.len() {
        if let Some((vintage, codes)) = &needed
            && covered(&results, *vintage, codes)
        {
            break;
        }
        let smallest = boundaries[next].size();
        let end = boundaries[next..]
            .iter()
            .position(|c| c.size() > smallest.saturating_mul(4))
            .map_or(boundaries.len(), |i| next + i);
        results.extend(parse_all(&boundaries[next..end], &roots, options, &mut report));
        next = end;
    }
    // A round can take in LSOA boundaries of a vintage neither edition shown uses (the 2021 file beside the 2011
    // one): they wait for the rest, so the first part holds only what its map draws.
    results.retain(|file| match &file.parsed {
        Ok(Parsed::Boundaries(b)) => match b.kind {
            AreaKind::Lsoa(vintage) => vintages.contains(&vintage),
            _ => true,
        },
        _ => true,
    });
    results.sort_by(|a, b| a.path.cmp(&b.path));
    let files_read = results.len();
    let files_left = candidates.len() - files_read;
    if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
        eprintln!(
            "first part: {files_read} of {} files recognised and read in {:.0} ms",
            candidates.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let dataset = assemble_dataset(source, results, report, options, started);
    Ok(FirstPhase {
        dataset,
        files_read,
        files_left,
    })
}

/// Reads a file's head to tell whether the first part needs it.
fn role_of(candidate: &Candidate, options: &LoadOptions, focus: &LoadFocus, vintages: &[LsoaVintage]) -> Role {
    match candidate.extension().as_str() {
        "geojson" | "json" | "shp" => return Role::Boundaries,
        "xlsx" | "xls" | "ods" => return Role::Later,
        _ => {}
    }
    let Some(head) = candidate.head() else {
        return Role::Later;
    };
    let Ok(table) = read_csv(&candidate.path(), &head) else {
        return Role::Later;
    };
    let options = LoadOptions {
        quote_headers: false,
        ..options.clone()
    };
    match parse_table(&table, &options, &mut JoinReport::default()) {
        Ok(Parsed::Imd(table))
            if focus.editions.contains(&table.year)
                && table.rows.iter().any(|(_, row)| row.rank(focus.index).is_some()) =>
        {
            Role::Table
        }
        Ok(Parsed::Lookup(Lookup::Ward(vintage, _))) if vintages.contains(&vintage) => Role::Table,
        Ok(Parsed::Lookup(Lookup::Change(_))) if vintages.first() != vintages.last() => Role::Table,
        _ => Role::Later,
    }
}

fn parse_all(
    candidates: &[&Candidate],
    roots: &[PathBuf],
    options: &LoadOptions,
    report: &mut JoinReport,
) -> Vec<FileResult> {
    let disk: Vec<PathBuf> = candidates
        .iter()
        .filter_map(|c| match c {
            Candidate::Disk(path) => Some(path.clone()),
            Candidate::Embedded(..) => None,
        })
        .collect();
    let mut results = parse_disk_files(&disk, roots, options, report);
    results.par_extend(candidates.par_iter().filter_map(|c| match c {
        Candidate::Embedded(name, gz) => Some(parse_embedded(name, gz, options)),
        Candidate::Disk(_) => None,
    }));
    results
}

fn parse_embedded(name: &str, gz: &[u8], options: &LoadOptions) -> FileResult {
    match embedded_file(name, gz) {
        Ok(file) => parse_embedded_file(file, options),
        Err(source) => {
            let path = embedded_path(name);
            FileResult::new(
                path.clone(),
                Err(LoadError::Io { path, source }),
                JoinReport::default(),
                Instant::now(),
            )
        }
    }
}

/// The later edition's LSOAs in the focus LA, with their vintage; `None` when every boundary file is needed
/// (England, or an LA the tables read do not name).
fn lsoas_needed(results: &[FileResult], focus: &LoadFocus) -> Option<(LsoaVintage, HashSet<AreaCode>)> {
    if names_england(&focus.la) {
        return None;
    }
    let wanted = normalise(&focus.la);
    let mut vintage = None;
    let mut codes = HashSet::new();
    for result in results {
        let Ok(Parsed::Imd(table)) = &result.parsed else {
            continue;
        };
        if table.year != focus.editions[1] {
            continue;
        }
        vintage = Some(table.vintage);
        codes.extend(
            table
                .rows
                .iter()
                .filter(|(_, row)| {
                    normalise(&row.la_name) == wanted || row.la_code.is_some_and(|c| normalise(c.as_str()) == wanted)
                })
                .map(|(code, _)| *code),
        );
    }
    (!codes.is_empty()).then_some((vintage?, codes))
}

/// Whether the LSOA boundaries read so far hold every one of `codes`.
fn covered(results: &[FileResult], vintage: LsoaVintage, codes: &HashSet<AreaCode>) -> bool {
    let mut found = HashSet::new();
    for result in results {
        if let Ok(Parsed::Boundaries(file)) = &result.parsed
            && file.kind == AreaKind::Lsoa(vintage)
        {
            found.extend(file.areas.iter().map(|a| a.code));
        }
    }
    codes.iter().all(|c| found.contains(c))
}
