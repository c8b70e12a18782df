//! A table as read from a CSV or an Excel workbook: header texts and rows of text, before anything is interpreted.

use super::{LoadError, TextEncoding, decode_text};
use csv::StringRecord;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Header and rows of a table, every cell as text. Row numbers are 1-based as a spreadsheet shows them (the header is row 1).
#[derive(Clone, Debug)]
pub struct RawTable {
    /// The file it came from.
    pub path: PathBuf,
    /// Header cells, trimmed.
    pub headers: Vec<String>,
    /// Data rows with their spreadsheet row numbers.
    pub rows: Vec<(usize, StringRecord)>,
    /// How the text was encoded.
    pub encoding: TextEncoding,
    /// The worksheet it was read from, for workbooks.
    pub sheet: Option<String>,
}

impl RawTable {
    /// Why a row cannot be trusted cell by cell, if it cannot: a cell that runs over lines (an unclosed quote) or a
    /// different number of cells from the header (typically a number like 13,915 written without quotes).
    pub fn row_shape_problem(&self, record: &StringRecord) -> Option<String> {
        if record.iter().any(|cell| cell.contains('\n')) {
            return Some("a quote in this row is never closed, so the rows after it ran into one cell; skipped".into());
        }
        let header = self.headers.len();
        if record.len() > header {
            // Rows wider than the header are kept only to the header's width plus one cell holding their real width.
            let cells = record
                .get(header)
                .and_then(|c| c.strip_prefix(WIDTH_MARK))
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(record.len());
            return Some(format!(
                "the row has {cells} cells but the header has {header} (a number such as 13,915 written without quotes?); skipped"
            ));
        }
        None
    }

    /// The index of the first column whose header passes `matches` (given the lower-cased header).
    pub fn column(&self, mut matches: impl FnMut(&str) -> bool) -> Option<usize> {
        self.headers.iter().position(|h| matches(&h.to_ascii_lowercase()))
    }
}

/// Most columns a table may have. The widest official table (IoD File 7) has 57; more is refused, not allocated.
pub const MAX_COLUMNS: usize = 1_000;

/// Most data rows a table may have. The national IMD tables and ONS lookups have about 35,000; an LSOA table cannot
/// have more than a few times that, and each row costs about 150 bytes beyond its text.
pub const MAX_ROWS: usize = 500_000;

/// Fewest bytes a data row of a CSV may average: an LSOA code alone is 9. Each row kept costs about 200 bytes of
/// memory beyond its text, so this bounds a table of many tiny rows at about 25 × the file's size.
pub const MIN_ROW_BYTES: usize = 8;

/// Rows a CSV may have whatever its size (a small table of short rows is fine).
const MIN_ROW_ALLOWANCE: usize = 1_024;

/// Longest line a CSV may have. An IMD row is under 1 KB; a longer line is not a table row.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Marks the extra cell that records how wide an over-wide row really was (see [`RawTable::row_shape_problem`]).
const WIDTH_MARK: &str = "\u{0}width=";

/// A compact copy of a row: its cells up to the header's width (trailing empty cells beyond the header dropped, as
/// Excel pads rows with commas), and, when a non-empty cell lies beyond it, one more cell saying how wide the row was.
/// Exactly sized, so no row keeps the capacity of the widest row read before it.
fn compact_record(cells: &StringRecord, header_len: usize) -> StringRecord {
    let total = cells.len();
    let beyond_header = cells.iter().skip(header_len).any(|c| !c.trim().is_empty());
    let kept: Vec<&str> = cells.iter().take(header_len).collect();
    let mark = beyond_header.then(|| format!("{WIDTH_MARK}{total}"));
    let bytes = kept.iter().map(|c| c.len()).sum::<usize>() + mark.as_ref().map_or(0, String::len);
    let mut record = StringRecord::with_capacity(bytes, kept.len() + usize::from(mark.is_some()));
    for cell in kept {
        record.push_field(cell);
    }
    if let Some(mark) = &mark {
        record.push_field(mark);
    }
    record
}

/// Refuses bytes that are plainly not a text table: compressed files saved under a table's name.
fn refuse_binary(path: &Path, bytes: &[u8]) -> Result<(), LoadError> {
    let what = if bytes.starts_with(&[0x1f, 0x8b]) {
        "a gzip-compressed file (.gz): decompress it first"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "a zip archive (or an Excel workbook saved under a .csv name): unzip it, or save the sheet as CSV"
    } else if bytes.starts_with(b"BZh") || bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z']) {
        "a compressed file (bzip2 or xz): decompress it first"
    } else {
        return Ok(());
    };
    Err(LoadError::Unrecognised {
        detail: format!("row 1: this is not a CSV table but {what}"),
        path: path.to_path_buf(),
    })
}

/// Reads a CSV (any line endings; UTF-8, UTF-16 or Windows-1252; comma, tab or semicolon separated). Blank lines are
/// skipped. Memory is bounded by the file: at most [`MAX_COLUMNS`] columns, [`MAX_ROWS`] rows and
/// [`MAX_LINE_BYTES`] a line, and each row is kept only as wide as the header.
pub fn read_csv(path: &Path, bytes: &[u8]) -> Result<RawTable, LoadError> {
    refuse_binary(path, bytes)?;
    let (text, encoding) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    if let Some((line, _)) = text
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.len() > MAX_LINE_BYTES)
    {
        return Err(LoadError::Csv {
            row: line + 1,
            detail: format!(
                "the line is over {} KB long, which no table row is",
                MAX_LINE_BYTES >> 10
            ),
            path: path.to_path_buf(),
        });
    }
    // Excel saves "Unicode text" as tab-separated UTF-16, and CSV as semicolon-separated where the decimal mark
    // is a comma; sniff the delimiter from the header line.
    let first_line = text.lines().next().unwrap_or_default();
    let count = |c: char| first_line.matches(c).count();
    let delimiter = if count('\t') > count(',') && count('\t') >= count(';') {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(text.as_bytes()));
    let mut record = StringRecord::new();
    let headers: Vec<String> = match reader.read_record(&mut record) {
        Ok(true) => {
            if record.len() > MAX_COLUMNS {
                return Err(LoadError::Csv {
                    row: 1,
                    detail: format!(
                        "the header has {} columns, over the {MAX_COLUMNS} any IMD table or lookup has",
                        record.len()
                    ),
                    path: path.to_path_buf(),
                });
            }
            let mut headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
            // Trailing empty header cells (a row padded with commas) are not columns.
            while headers.last().is_some_and(String::is_empty) {
                headers.pop();
            }
            headers
        }
        Ok(false) => {
            return Err(LoadError::Empty {
                path: path.to_path_buf(),
            });
        }
        Err(error) => return Err(csv_error(path, 1, &error)),
    };
    let mut rows = Vec::new();
    // Each row kept costs about 200 bytes beyond its text, so rows must average MIN_ROW_BYTES of the file.
    let row_cap = MAX_ROWS.min(bytes.len() / MIN_ROW_BYTES + MIN_ROW_ALLOWANCE);
    // The csv reader skips blank lines and counts records, not lines; count lines from byte offsets so that
    // row numbers are the ones a spreadsheet or text editor shows.
    let text_bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    let mut i = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_error(path, i + 2, &error)),
        }
        i += 1;
        let offset = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted_to)
            .min(text_bytes.len());
        if offset > counted_to {
            line += text_bytes
                .get(counted_to..offset)
                .unwrap_or_default()
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = offset;
        }
        // The record's offset can sit before the line breaks (and blank lines) that precede it.
        let leading_breaks = text_bytes
            .get(offset..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'));
        let row_number = line + leading_breaks.filter(|b| **b == b'\n').count();
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == row_cap {
            return Err(LoadError::Csv {
                row: row_number,
                detail: if row_cap == MAX_ROWS {
                    format!("the table has more than {MAX_ROWS} rows, more than any LSOA table")
                } else {
                    format!(
                        "the table has more than {row_cap} rows in {} KB, under {MIN_ROW_BYTES} bytes a row, which no LSOA table row is",
                        bytes.len() >> 10
                    )
                },
                path: path.to_path_buf(),
            });
        }
        rows.push((row_number, compact_record(&record, headers.len())));
    }
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        rows,
        encoding,
        sheet: None,
    })
}

fn csv_error(path: &Path, row: usize, error: &csv::Error) -> LoadError {
    let row = error
        .position()
        .map_or(row, |p| usize::try_from(p.line()).unwrap_or(row));
    LoadError::Csv {
        row,
        detail: error.to_string(),
        path: path.to_path_buf(),
    }
}

/// Reads every worksheet of an Excel workbook (`.xlsx`, `.xls`, `.ods`), each as a table whose first non-empty row is its header.
pub fn read_workbook(path: &Path, bytes: &[u8]) -> Result<Vec<RawTable>, LoadError> {
    use calamine::Reader as _;
    if bytes.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    let spreadsheet_error = |detail: String| LoadError::Spreadsheet {
        detail,
        path: path.to_path_buf(),
    };
    // An .xlsx or .ods is a zip: refuse one that says it unpacks to more than the cap before inflating anything.
    if let Some(unpacked) = zip_unpacked_bytes(bytes)
        && unpacked > MAX_WORKBOOK_UNPACKED_BYTES
    {
        return Err(spreadsheet_error(format!(
            "it unpacks to {} MB, over the {} MB limit for a workbook",
            unpacked >> 20,
            MAX_WORKBOOK_UNPACKED_BYTES >> 20
        )));
    }
    // calamine can panic on a damaged workbook (calamine 0.38 overflows a u32 on a cell reference with too many
    // column letters, which panics where overflow checks are on: debug builds and tests). Contain that here: the
    // planner gets a sentence about the file, not a crash.
    let read_sheets = || -> Result<Vec<(String, Vec<SparseCell>)>, LoadError> {
        if is_xlsx(bytes) {
            return read_xlsx_cells(bytes).map_err(spreadsheet_error);
        }
        // An .ods is read by calamine as a dense range: refuse one whose range would exceed what its XML holds.
        if bytes.starts_with(b"PK") {
            // An .xlsb is read by calamine as dense ranges too, and no planner's IMD file is one.
            if bytes.windows(XLSB_WORKBOOK_PART.len()).any(|w| w == XLSB_WORKBOOK_PART) {
                return Err(spreadsheet_error(
                    "it is a binary workbook (.xlsb), which is not read: save it as .xlsx".into(),
                ));
            }
            super::ods_extent::check_ods_extent(bytes, MAX_WORKBOOK_UNPACKED_BYTES).map_err(spreadsheet_error)?;
        }
        // An .xls is parsed by calamine into dense ranges when opened: refuse one whose ranges exceed its cell records.
        super::xls_extent::check_xls_extent(bytes).map_err(spreadsheet_error)?;
        let mut workbook =
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| spreadsheet_error(e.to_string()))?;
        let mut sheets = Vec::new();
        for sheet in workbook.sheet_names() {
            let range = workbook
                .worksheet_range(&sheet)
                .map_err(|e| spreadsheet_error(format!("sheet {sheet:?}: {e}")))?;
            let cells = range
                .used_cells()
                .filter_map(|(row, col, cell)| {
                    let (row, col) = (u32::try_from(row).ok()?, u32::try_from(col).ok()?);
                    let start = range.start().unwrap_or((0, 0));
                    Some((row + start.0, col + start.1, cell_text(cell)))
                })
                .filter(|(_, _, text)| !text.is_empty())
                .collect();
            sheets.push((sheet, cells));
        }
        Ok(sheets)
    };
    let sheets = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read_sheets)).unwrap_or_else(|_| {
        Err(spreadsheet_error(
            "the spreadsheet reader failed on it (a damaged workbook?)".into(),
        ))
    })?;
    let mut tables = Vec::new();
    for (sheet, cells) in sheets {
        if let Some(table) = table_from_cells(path, &sheet, cells)? {
            tables.push(table);
        }
    }
    Ok(tables)
}

/// The workbook part of an `.xlsb` (binary Office Open XML) zip.
const XLSB_WORKBOOK_PART: &[u8] = b"xl/workbook.bin";

/// One cell present in a sheet: 0-based row and column, and its text (never empty).
type SparseCell = (u32, u32, String);

/// Most cells a workbook may hold (the widest official workbook, IoD File 7, has about 1.9 million).
pub const MAX_WORKBOOK_CELLS: usize = 4_000_000;

/// The text of a cell as a table cell: whole floats without `.0` (Excel stores every number as a float).
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// True for an Office Open XML workbook (a zip holding `xl/workbook.xml`), which can be read cell by cell.
fn is_xlsx(bytes: &[u8]) -> bool {
    const WORKBOOK_PART: &[u8] = b"xl/workbook.xml";
    bytes.starts_with(b"PK") && bytes.windows(WORKBOOK_PART.len()).any(|w| w == WORKBOOK_PART)
}

/// Reads the cells actually present in each sheet of an `.xlsx`, one at a time: a workbook with a single cell at
/// XFD1048576 costs one cell, not the 17-billion-cell rectangle a dense range would build.
fn read_xlsx_cells(bytes: &[u8]) -> Result<Vec<(String, Vec<SparseCell>)>, String> {
    use calamine::Reader as _;
    let mut workbook = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut sheets = Vec::new();
    let mut total = 0usize;
    for sheet in workbook.sheet_names() {
        let mut reader = workbook
            .worksheet_cells_reader(&sheet)
            .map_err(|e| format!("sheet {sheet:?}: {e}"))?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| format!("sheet {sheet:?}: {e}"))? {
            let (row, col) = cell.get_position();
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            total += 1;
            if total > MAX_WORKBOOK_CELLS {
                return Err(format!(
                    "it holds more than {MAX_WORKBOOK_CELLS} cells, more than any IMD workbook"
                ));
            }
            cells.push((row, col, text));
        }
        sheets.push((sheet, cells));
    }
    Ok(sheets)
}

/// Builds a table from a sheet's cells: the first row with a cell is the header; each row is as wide as its last
/// cell within the header (cells beyond the header mark the row as over-wide, see [`RawTable::row_shape_problem`]).
fn table_from_cells(path: &Path, sheet: &str, mut cells: Vec<SparseCell>) -> Result<Option<RawTable>, LoadError> {
    cells.sort_unstable_by_key(|(row, col, _)| (*row, *col));
    let mut by_row = cells.chunk_by(|a, b| a.0 == b.0);
    let Some(header_cells) = by_row.next() else {
        return Ok(None);
    };
    let width = header_cells.last().map_or(0, |c| c.1 as usize + 1);
    if width > MAX_COLUMNS {
        return Err(LoadError::Spreadsheet {
            detail: format!(
                "sheet {sheet:?}, row {}: the header reaches column {width}, over the {MAX_COLUMNS} columns any IMD table or lookup has",
                header_cells[0].0 + 1
            ),
            path: path.to_path_buf(),
        });
    }
    let mut headers = vec![String::new(); width];
    for (_, col, text) in header_cells {
        headers[*col as usize] = text.trim().to_string();
    }
    let mut rows = Vec::new();
    for row_cells in by_row {
        let row_number = row_cells[0].0 as usize + 1;
        if rows.len() == MAX_ROWS {
            return Err(LoadError::Spreadsheet {
                detail: format!(
                    "sheet {sheet:?}, row {row_number}: more than {MAX_ROWS} rows, more than any LSOA table"
                ),
                path: path.to_path_buf(),
            });
        }
        let last = row_cells.last().map_or(0, |c| c.1 as usize + 1);
        let mut record_cells = vec![""; last.min(width)];
        for (_, col, text) in row_cells.iter().filter(|c| (c.1 as usize) < width) {
            record_cells[*col as usize] = text;
        }
        let mut record: StringRecord = record_cells.into_iter().collect();
        if last > width {
            record.push_field(&format!("{WIDTH_MARK}{last}"));
        }
        rows.push((row_number, record));
    }
    Ok(Some(RawTable {
        path: path.to_path_buf(),
        headers,
        rows,
        encoding: TextEncoding::Utf8,
        sheet: Some(sheet.to_string()),
    }))
}

/// The most a workbook may unpack to (the sum of its zip entries). The official IMD workbooks unpack to under 40 MB.
pub const MAX_WORKBOOK_UNPACKED_BYTES: u64 = 512 << 20;

/// The total unpacked size a zip's central directory declares, if `bytes` is a zip whose directory can be read.
/// A zip64 entry (sizes over 4 GB) counts as `u64::MAX`.
fn zip_unpacked_bytes(bytes: &[u8]) -> Option<u64> {
    const END_OF_DIRECTORY: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const DIRECTORY_ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    if !bytes.starts_with(b"PK") || bytes.len() < 22 {
        return None;
    }
    // The end-of-directory record is the last 22 bytes plus a comment of up to 64 KiB.
    let search_from = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (search_from..=bytes.len() - 22)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(&END_OF_DIRECTORY[..]))?;
    let entries = u16_at(end + 10)?;
    let mut at = usize::try_from(u32_at(end + 16)?).ok()?;
    let mut total = 0u64;
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(&DIRECTORY_ENTRY[..]) {
            return None;
        }
        let unpacked = u32_at(at + 24)?;
        total = total.saturating_add(if unpacked == 0xFFFF_FFFF { u64::MAX } else { unpacked });
        let variable = u16_at(at + 28)? + u16_at(at + 30)? + u16_at(at + 32)?;
        at = at.checked_add(46 + usize::try_from(variable).ok()?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_bom_and_blank_lines() {
        let table = read_csv(Path::new("t.csv"), b"\xEF\xBB\xBFa,b\r\n1,2\r\n\r\n3,4\r\n").unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(
            table.rows[1].0, 4,
            "row numbers count the blank line, as a spreadsheet does"
        );
    }

    #[test]
    fn a_binary_workbook_is_refused_by_name_before_calamine_reads_it() {
        // An .xlsb as Excel writes one: a zip with the binary workbook part (whose sheets calamine would read as
        // dense ranges, unbounded by what the file holds).
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, body) in [
            ("[Content_Types].xml", &b"<Types/>"[..]),
            ("xl/workbook.bin", &[0x83, 0x01, 0x00][..]),
            ("xl/worksheets/sheet1.bin", &[0x81, 0x01, 0x00][..]),
        ] {
            zip.start_file(name, options).unwrap();
            std::io::Write::write_all(&mut zip, body).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let message = read_workbook(Path::new("imd.xlsb"), &bytes).unwrap_err().to_string();
        assert!(
            message.contains(".xlsb") && message.contains("save it as .xlsx"),
            "{message}"
        );
        assert!(message.ends_with("imd.xlsb"), "the file named last: {message}");
    }

    #[test]
    fn empty_file_is_named() {
        assert!(matches!(
            read_csv(Path::new("e.csv"), b" \n"),
            Err(LoadError::Empty { .. })
        ));
    }

    #[test]
    fn zip_bomb_refused_before_inflating() {
        // A zip whose one entry declares 4,000,000,000 bytes unpacked (the data itself is never reached).
        let mut zip = Vec::new();
        let name = b"xl/worksheets/sheet1.xml";
        let directory_at = 0u32;
        zip.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02]);
        zip.extend_from_slice(&[0; 20]);
        zip.extend_from_slice(&4_000_000_000u32.to_le_bytes());
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0; 16]);
        zip.extend_from_slice(name);
        let directory_len = zip.len() as u32;
        zip.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
        zip.extend_from_slice(&directory_len.to_le_bytes());
        zip.extend_from_slice(&directory_at.to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        assert_eq!(zip_unpacked_bytes(&zip), Some(4_000_000_000));
        let error = read_workbook(Path::new("bomb.xlsx"), &zip).unwrap_err();
        assert!(error.to_string().contains("unpacks to 3814 MB"), "{error}");
    }
}
