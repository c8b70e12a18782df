//! One source shipped in two formats — a publisher's `File_1_….xlsx` beside the CSV saved from it, the same LSOA
//! boundaries as GeoJSON and as a shapefile — is parsed once.
//!
//! The rule ([`COPY_RULE`]): two files are taken as copies of one source when their names have the same stem
//! (compared without case: the publisher's file name, kept when a file is saved in another format), they are of one
//! family (a CSV and an `.xlsx`; a GeoJSON and a shapefile), and a check that parses nothing of the copy agrees with
//! the file that was parsed: for a workbook, a sheet whose recorded extent (`<dimension ref=…>`) is the CSV's rows
//! and columns exactly, and whose first row (read from the start of its XML and the shared strings) is the CSV's
//! header, cell for cell; for a shapefile, its
//! `.dbf` holds exactly the GeoJSON's area codes, one record each, its records as many vertices, and the GeoJSON
//! sorts first (so it is the file the merge would keep). Then the faster format is parsed (the CSV, the
//! GeoJSON) and the copy takes its figures, named as a source of them as if it had been read. Anything else — no
//! twin, another format (`.xls`, `.ods`), a check that fails or cannot be made — is parsed as usual, so a doubtful
//! case costs time, never figures. What the check cannot see is a cell edited in one copy alone: `validate` reads
//! both and compares every row, and says so.

use super::LoadError;
use super::boundary_file::BoundaryFile;
use super::data_source::{read_file, read_sidecar};
use super::imd_table::ImdTable;
use super::parse_file::{Parsed, TableShape};
use crate::model::{AreaCode, JoinReport, Lookup, Severity, escape_path};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The rule, in the words the report uses.
pub const COPY_RULE: &str = "the same file name in another format, with the same header row and extent (by the workbook's first row and recorded dimension) or the same area codes and vertex count (by the .dbf and record headers)";

/// What a copy's twin is: which format of the pair is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    /// A workbook beside its CSV: the CSV is parsed.
    Table,
    /// A shapefile beside its GeoJSON: the GeoJSON is parsed.
    Boundaries,
}

/// The copies among `paths`: each copy with the file that is parsed in its place. Only one twin per copy: a stem
/// with two CSVs (or two GeoJSONs) in different folders pairs only where one sits in the copy's own folder.
pub(crate) fn copies_in(paths: &[PathBuf]) -> BTreeMap<PathBuf, (PathBuf, Family)> {
    let extension = |p: &Path| p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().to_lowercase());
    let mut by_stem: BTreeMap<String, Vec<&PathBuf>> = BTreeMap::new();
    for path in paths {
        if let Some(stem) = stem(path) {
            by_stem.entry(stem).or_default().push(path);
        }
    }
    let mut copies = BTreeMap::new();
    for group in by_stem.values().filter(|g| g.len() > 1) {
        for copy in group {
            let (family, parsed_extensions): (Family, &[&str]) = match extension(copy).as_deref() {
                Some("xlsx") => (Family::Table, &["csv"]),
                Some("shp") => (Family::Boundaries, &["geojson", "json"]),
                _ => continue,
            };
            let twins: Vec<&&PathBuf> = group
                .iter()
                .filter(|p| extension(p).is_some_and(|e| parsed_extensions.contains(&e.as_str())))
                .collect();
            let beside: Vec<&&PathBuf> = twins.iter().copied().filter(|p| p.parent() == copy.parent()).collect();
            let twin = match (beside.as_slice(), twins.as_slice()) {
                ([one], _) | ([], [one]) => one,
                _ => continue,
            };
            copies.insert((*copy).clone(), ((**twin).clone(), family));
        }
    }
    copies
}

/// Whether an `.xlsx` is the workbook the CSV of `shape` was saved from, by what can be read without parsing its
/// sheets: `Ok` when one sheet's recorded extent is the CSV's exactly (header row plus data rows, as many columns as
/// headers) and that sheet's first row is the CSV's header, cell for cell. `Err` says which part disagreed (the
/// workbook is then parsed as usual).
pub(crate) fn workbook_matches(bytes: &[u8], shape: &TableShape) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a readable zip ({e})"))?;
    let sheets: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .map(|n| n.into_owned())
        .collect();
    let wanted = (shape.data_rows + 1, shape.headers.len());
    let mut matching_sheet = None;
    for name in &sheets {
        let start = inflated_start(&mut zip, name, 16 << 10)?;
        if dimension_of(&start) == Some(wanted) {
            matching_sheet = Some(start);
            break;
        }
    }
    let Some(sheet_start) = matching_sheet else {
        return Err(format!(
            "no sheet records an extent of {} rows by {} columns",
            wanted.0, wanted.1
        ));
    };
    let cells = first_row_cells(&sheet_start).ok_or("its header row cannot be read from the sheet's start")?;
    let strings = if cells.iter().any(|(_, cell)| matches!(cell, Cell::Shared(_))) {
        inflated_start(&mut zip, "xl/sharedStrings.xml", MAX_SHARED_STRINGS_BYTES)?
    } else {
        Vec::new()
    };
    let mut headers = vec![String::new(); shape.headers.len()];
    for (column, cell) in cells {
        let text = match cell {
            Cell::Text(text) => text,
            Cell::Shared(index) => shared_string(&strings, index).ok_or("a header's shared string is missing")?,
        };
        *headers
            .get_mut(column)
            .ok_or("its header row is wider than the CSV's")? = text.trim().to_string();
    }
    if headers != shape.headers {
        return Err("its header row is not the CSV's".into());
    }
    Ok(())
}

/// Most of a workbook's shared strings inflated for the check (the national IMD workbooks' are a few MB); a header
/// beyond them fails the check, and the workbook is parsed as usual.
const MAX_SHARED_STRINGS_BYTES: u64 = 64 << 20;

/// A header cell: its text, or the index of its shared string.
enum Cell {
    Text(String),
    Shared(usize),
}

/// The cells of a sheet's first row (0-based column, content), read from the start of its XML.
fn first_row_cells(sheet_start: &[u8]) -> Option<Vec<(usize, Cell)>> {
    let data = memchr::memmem::find(sheet_start, b"<sheetData")?;
    let row_start = data + memchr::memmem::find(&sheet_start[data..], b"<row")?;
    let row_end = row_start + memchr::memmem::find(&sheet_start[row_start..], b"</row>")?;
    let row = std::str::from_utf8(&sheet_start[row_start..row_end]).ok()?;
    let mut cells = Vec::new();
    for cell in row.split("<c ").skip(1) {
        let tag_end = cell.find('>')?;
        let tag = &cell[..tag_end];
        let attribute = |name: &str| {
            let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
            Some(&tag[at..at + tag[at..].find('"')?])
        };
        // A cell without its reference follows the one before (as the format allows).
        let column = match attribute("r") {
            Some(reference) => cell_position(reference)?.0 - 1,
            None => cells.last().map_or(0, |(c, _): &(usize, Cell)| c + 1),
        };
        if tag.ends_with('/') {
            continue;
        }
        let body = &cell[tag_end + 1..];
        let between = |open: &str, close: &str| {
            let at = body.find(open)?;
            let from = at + body[at..].find('>')? + 1;
            Some(&body[from..from + body[from..].find(close)?])
        };
        let content = match attribute("t") {
            Some("s") => Cell::Shared(between("<v", "</v>")?.trim().parse().ok()?),
            Some("inlineStr") => Cell::Text(unescaped(between("<t", "</t>")?)),
            _ => Cell::Text(unescaped(between("<v", "</v>").unwrap_or(""))),
        };
        cells.push((column, content));
    }
    Some(cells)
}

/// The text of shared string `index`: every `<t>` run of its `<si>` element, unescaped.
fn shared_string(strings: &[u8], index: usize) -> Option<String> {
    let finder = memchr::memmem::Finder::new(b"<si>");
    let mut at = 0;
    for _ in 0..index {
        at += finder.find(&strings[at..])? + 4;
    }
    let start = at + finder.find(&strings[at..])? + 4;
    let end = start + memchr::memmem::find(&strings[start..], b"</si>")?;
    let item = std::str::from_utf8(&strings[start..end]).ok()?;
    let mut text = String::new();
    for run in item.split("<t").skip(1) {
        let from = run.find('>')? + 1;
        if run[..from].ends_with("/>") {
            continue;
        }
        text.push_str(&unescaped(&run[from..from + run[from..].find("</t>")?]));
    }
    Some(text)
}

/// XML text with its entities (the five named ones, character references) replaced; as it stands when it has an
/// entity XML does not define.
fn unescaped(text: &str) -> String {
    quick_xml::escape::unescape(text).map_or_else(|_| text.to_owned(), std::borrow::Cow::into_owned)
}

/// Up to `limit` bytes from the start of a zip entry, inflated.
fn inflated_start(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut start = Vec::new();
    entry
        .take(limit)
        .read_to_end(&mut start)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(start)
}

/// The rows and columns of a sheet's `<dimension ref="A1:F32845"/>` (1 by 1 for a single cell reference).
fn dimension_of(sheet_start: &[u8]) -> Option<(usize, usize)> {
    let at = memchr::memmem::find(sheet_start, b"<dimension ref=\"")? + b"<dimension ref=\"".len();
    let end = at + memchr::memchr(b'"', sheet_start.get(at..)?)?;
    let reference = std::str::from_utf8(&sheet_start[at..end]).ok()?;
    let (first, last) = reference.split_once(':').unwrap_or((reference, reference));
    let (c0, r0) = cell_position(first)?;
    let (c1, r1) = cell_position(last)?;
    Some((r1.checked_sub(r0)? + 1, c1.checked_sub(c0)? + 1))
}

/// `F32845` → (column 6, row 32845), both 1-based.
fn cell_position(reference: &str) -> Option<(usize, usize)> {
    let letters = reference.bytes().take_while(u8::is_ascii_uppercase).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = reference
        .bytes()
        .take(letters)
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    let row = reference[letters..].parse().ok()?;
    Some((column, row))
}

/// Whether a shapefile holds the areas of the GeoJSON parsed in its place: its `.dbf` exactly the GeoJSON's area
/// codes, one record each, in a field named as ONS names code fields (`LSOA11CD`, `LSOA21CD`, `WDnnCD`), and its
/// records as many vertices in all as the GeoJSON's areas (counted from the record headers the `.shx` points at).
pub(crate) fn shapefile_matches(shp: &[u8], shx: &[u8], dbf: &[u8], parsed: &BoundaryFile) -> Result<(), String> {
    use geo::CoordsIter as _;
    use shapefile::dbase::{FieldValue, Reader};
    let vertices: usize = parsed.areas.iter().map(|a| a.geometry_in_world.coords_count()).sum();
    let points = shapefile_points(shp, shx).ok_or("its .shx or record headers cannot be followed")?;
    if points != vertices {
        return Err(format!(
            "its records hold {points} points, the GeoJSON's areas {vertices} vertices"
        ));
    }
    let mut reader = Reader::new(std::io::Cursor::new(dbf)).map_err(|e| format!("its .dbf cannot be read ({e})"))?;
    let code_field = reader
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .find(|n| {
            let n = n.to_ascii_lowercase();
            n == "lsoa11cd" || n == "lsoa21cd" || (n.len() == 6 && n.starts_with("wd") && n.ends_with("cd"))
        })
        .ok_or("its .dbf has no LSOA or ward code field")?;
    let mut codes = Vec::new();
    for record in reader.iter_records() {
        let record = record.map_err(|e| format!("a .dbf record cannot be read ({e})"))?;
        let code = match record.get(&code_field) {
            Some(FieldValue::Character(Some(text))) => AreaCode::parse(text.trim()),
            _ => None,
        };
        codes.push(code.ok_or("a .dbf record has no area code")?);
    }
    let wanted: BTreeSet<AreaCode> = parsed.areas.iter().map(|a| a.code).collect();
    let found: BTreeSet<AreaCode> = codes.iter().copied().collect();
    if codes.len() != parsed.features_read || found != wanted {
        return Err(format!(
            "its .dbf lists {} records ({} codes), the GeoJSON {} features ({} areas loaded)",
            codes.len(),
            found.len(),
            parsed.features_read,
            wanted.len()
        ));
    }
    Ok(())
}

/// The points of every polygon record of a `.shp`, from the record headers its `.shx` points at (no coordinate is
/// read); `None` when an offset or count falls outside the file or a record is not a polygon.
fn shapefile_points(shp: &[u8], shx: &[u8]) -> Option<usize> {
    let i32_at = |bytes: &[u8], at: usize, big: bool| -> Option<i64> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(i64::from(if big {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        }))
    };
    let mut points = 0usize;
    for entry in shx.get(100..)?.chunks(8) {
        let offset = usize::try_from(i32_at(entry, 0, true)? * 2).ok()?;
        let content = offset + 8;
        match i32_at(shp, content, false)? {
            0 => {}
            5 | 15 | 25 => points += usize::try_from(i32_at(shp, content + 40, false)?).ok()?,
            _ => return None,
        }
    }
    Some(points)
}

/// Where two parsed IMD tables differ (`validate` compares a copy with its twin row by row), or `None`.
pub(crate) fn tables_differ(a: &ImdTable, b: &ImdTable) -> Option<String> {
    if (a.year, a.vintage) != (b.year, b.vintage) {
        return Some(format!("IMD {} against IMD {}", a.year, b.year));
    }
    if a.rows.len() != b.rows.len() {
        return Some(format!("{} rows against {}", a.rows.len(), b.rows.len()));
    }
    let differing: Vec<&AreaCode> = a
        .rows
        .iter()
        .zip(&b.rows)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| &x.0)
        .collect();
    if let Some(first) = differing.first() {
        return Some(format!("{} rows differ, the first {first}", differing.len()));
    }
    (a.population_header != b.population_header).then(|| "the population columns differ".to_string())
}

/// Where two parsed lookups differ, or `None` (their source paths aside).
pub(crate) fn lookups_differ(a: &Lookup, b: &Lookup) -> Option<String> {
    let without_sources = |l: &Lookup| {
        let mut l = l.clone();
        match &mut l {
            Lookup::Ward(_, w) => w.sources.clear(),
            Lookup::Change(c) => c.sources.clear(),
        }
        l
    };
    (without_sources(a) != without_sources(b)).then(|| "their rows differ".to_string())
}

/// Where two parsed boundary files differ, or `None`: kind, codes, names, LAs, and each area's vertex count and
/// extent (a shapefile orders and orients its rings by its own convention, so coordinates are not compared in order).
pub(crate) fn boundaries_differ(a: &BoundaryFile, b: &BoundaryFile) -> Option<String> {
    if a.kind != b.kind || a.areas.len() != b.areas.len() {
        return Some(format!(
            "{} {} against {} {}",
            a.areas.len(),
            a.kind,
            b.areas.len(),
            b.kind
        ));
    }
    fn by_code(f: &BoundaryFile) -> BTreeMap<AreaCode, &crate::model::Area> {
        f.areas.iter().map(|x| (x.code, x)).collect()
    }
    let (a, b) = (by_code(a), by_code(b));
    let differing = a
        .iter()
        .filter(|(code, x)| {
            b.get(code).is_none_or(|y| {
                use geo::CoordsIter as _;
                let shape = |a: &crate::model::Area| {
                    let (min, max) = (a.bbox_in_world.min(), a.bbox_in_world.max());
                    (
                        a.geometry_in_world.coords_count(),
                        [min.x, min.y, max.x, max.y].map(f64::to_bits),
                    )
                };
                (&x.name, x.la_code, shape(x)) != (&y.name, y.la_code, shape(y))
            })
        })
        .count();
    (differing > 0).then(|| format!("{differing} areas differ (codes, names, vertex counts or extents)"))
}

/// One file's outcome, before the files are merged.
pub(crate) struct FileResult {
    pub path: PathBuf,
    pub parsed: Result<Parsed, LoadError>,
    pub report: JoinReport,
    pub load_millis: f64,
    /// A CSV's headers and rows, kept for the check of its workbook twin.
    pub shape: Option<TableShape>,
    /// For a copy taken unparsed: the twin whose figures it took.
    pub copy_of: Option<PathBuf>,
}

impl FileResult {
    pub(crate) fn new(path: PathBuf, parsed: Result<Parsed, LoadError>, report: JoinReport, started: Instant) -> Self {
        Self {
            path,
            parsed,
            report,
            load_millis: started.elapsed().as_secs_f64() * 1e3,
            shape: None,
            copy_of: None,
        }
    }
}

/// A copy in another format takes its twin's figures when the check of `same_source` agrees (`None`: parse it).
pub(crate) fn take_copy(
    copy: &Path,
    twin: &FileResult,
    family: Family,
    inside: &(dyn Fn(&Path, &mut JoinReport) -> bool + Sync),
) -> Option<FileResult> {
    let started = Instant::now();
    let parsed = match (&twin.parsed, family) {
        (Ok(Parsed::Imd(table)), Family::Table) => {
            let bytes = read_file(copy).ok()?;
            workbook_matches(&bytes, twin.shape.as_ref()?).ok()?;
            Parsed::Imd(table.clone())
        }
        (Ok(Parsed::Lookup(lookup)), Family::Table) => {
            let bytes = read_file(copy).ok()?;
            workbook_matches(&bytes, twin.shape.as_ref()?).ok()?;
            let mut lookup = lookup.clone();
            match &mut lookup {
                Lookup::Ward(_, l) => l.sources = vec![copy.to_path_buf()],
                Lookup::Change(l) => l.sources = vec![copy.to_path_buf()],
            }
            Parsed::Lookup(lookup)
        }
        // Only where the GeoJSON sorts first: with as many vertices, it is then the file whose areas the merge keeps.
        (Ok(Parsed::Boundaries(file)), Family::Boundaries) if twin.path.as_path() < copy => {
            let shp = read_file(copy).ok()?;
            let (shx, dbf) = (read_sidecar(copy, "shx").ok()??, read_sidecar(copy, "dbf").ok()??);
            shapefile_matches(&shp, &shx, &dbf, file).ok()?;
            Parsed::Boundaries(file.clone())
        }
        _ => return None,
    };
    let mut report = JoinReport::default();
    inside(copy, &mut report);
    let twin_name = escape_path(Path::new(twin.path.file_name().unwrap_or_default()));
    report.push(
        Severity::Note,
        Some(copy.to_path_buf()),
        None,
        format!(
            "not parsed: a copy of {twin_name} in another format ({COPY_RULE}), so its figures are that file's; `validate` reads both and compares every row"
        ),
    );
    Some(FileResult {
        copy_of: Some(twin.path.clone()),
        ..FileResult::new(copy.to_path_buf(), Ok(parsed), report, started)
    })
}

/// `validate` reads every copy too: each is compared with its twin, and the report says what was found.
pub(crate) fn compare_copies(
    copies: &BTreeMap<PathBuf, (PathBuf, Family)>,
    done: &BTreeMap<PathBuf, FileResult>,
    report: &mut JoinReport,
) {
    for (copy, (twin, _)) in copies {
        let (Some(copy_result), Some(twin_result)) = (done.get(copy), done.get(twin)) else {
            continue;
        };
        let difference = match (&copy_result.parsed, &twin_result.parsed) {
            (Ok(Parsed::Imd(a)), Ok(Parsed::Imd(b))) => tables_differ(a, b),
            (Ok(Parsed::Lookup(a)), Ok(Parsed::Lookup(b))) => lookups_differ(a, b),
            (Ok(Parsed::Boundaries(a)), Ok(Parsed::Boundaries(b))) => boundaries_differ(a, b),
            _ => continue,
        };
        let twin_name = escape_path(Path::new(twin.file_name().unwrap_or_default()));
        match difference {
            None => report.push(
                Severity::Note,
                Some(copy.clone()),
                None,
                format!("checked equal to {twin_name}, every row compared: the same source in another format; other commands and the window read only {twin_name}"),
            ),
            Some(why) => report.push(
                Severity::Warning,
                Some(copy.clone()),
                None,
                format!("has the name of {twin_name} but not its figures ({why}); both are merged here by the usual rules, but other commands and the window read only {twin_name} when the headers and row counts agree: rename one of them to have both read"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_stem_and_family() {
        let paths: Vec<PathBuf> = [
            "d/imd2015/File_1.csv",
            "d/imd2015/File_1.xlsx",
            "d/imd2019/Other.xlsx",
            "d/boundaries/Leeds_lsoa11.geojson",
            "d/shapefile/leeds/Leeds_LSOA11.shp",
            "d/a/data.csv",
            "d/b/data.csv",
            "d/c/data.xlsx",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let copies = copies_in(&paths);
        assert_eq!(
            copies.get(Path::new("d/imd2015/File_1.xlsx")),
            Some(&(PathBuf::from("d/imd2015/File_1.csv"), Family::Table))
        );
        assert_eq!(
            copies.get(Path::new("d/shapefile/leeds/Leeds_LSOA11.shp")),
            Some(&(PathBuf::from("d/boundaries/Leeds_lsoa11.geojson"), Family::Boundaries))
        );
        // Two CSVs of that name elsewhere, neither beside it: which one it copies cannot be told, so it is read.
        assert!(!copies.contains_key(Path::new("d/c/data.xlsx")));
        assert_eq!(copies.len(), 2);
    }

    #[test]
    fn header_row_from_the_sheet_and_shared_strings() {
        let sheet = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>2</v></c><c r="C1" t="inlineStr"><is><t>Rank &amp; decile</t></is></c></row><row r="2">"#;
        let strings = br#"<sst count="3"><si><t>E01000001</t></si><si><r><t>LSOA </t></r><r><t xml:space="preserve">name</t></r></si><si><t>LSOA code (2011)</t></si></sst>"#;
        let cells = first_row_cells(sheet).unwrap();
        let texts: Vec<(usize, String)> = cells
            .into_iter()
            .map(|(c, cell)| match cell {
                Cell::Text(t) => (c, t),
                Cell::Shared(i) => (c, shared_string(strings, i).unwrap()),
            })
            .collect();
        assert_eq!(
            texts,
            vec![(0, "LSOA code (2011)".to_string()), (2, "Rank & decile".to_string())]
        );
        assert_eq!(shared_string(strings, 1).as_deref(), Some("LSOA name"));
        assert_eq!(shared_string(strings, 3), None);
    }

    #[test]
    fn dimension_references() {
        assert_eq!(
            dimension_of(br#"<worksheet><dimension ref="A1:F32845"/><sheetData>"#),
            Some((32845, 6))
        );
        assert_eq!(dimension_of(br#"<dimension ref="B2:AA3"/>"#), Some((2, 26)));
        assert_eq!(dimension_of(br#"<dimension ref="A1"/>"#), Some((1, 1)));
        assert_eq!(dimension_of(br#"<dimension ref="F1:A1"/>"#), None);
        assert_eq!(dimension_of(b"<sheetData>"), None);
    }
}
