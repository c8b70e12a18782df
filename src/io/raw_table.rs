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
        let (cells, header) = (record.len(), self.headers.len());
        if cells > header {
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

/// Reads a CSV (any line endings; UTF-8, UTF-16 or Windows-1252). Blank lines are skipped.
pub fn read_csv(path: &Path, bytes: &[u8]) -> Result<RawTable, LoadError> {
    let (text, encoding) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    // Excel saves "Unicode text" as tab-separated UTF-16; sniff the delimiter from the header line.
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(text.as_bytes()));
    let mut records = reader.records();
    let headers = match records.next() {
        Some(Ok(record)) => record.iter().map(|h| h.trim().to_string()).collect(),
        Some(Err(error)) => return Err(csv_error(path, 1, &error)),
        None => {
            return Err(LoadError::Empty {
                path: path.to_path_buf(),
            });
        }
    };
    let mut rows = Vec::new();
    // The csv reader skips blank lines and counts records, not lines; count lines from byte offsets so that
    // row numbers are the ones a spreadsheet or text editor shows.
    let text_bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    for (i, record) in records.enumerate() {
        let record = record.map_err(|error| csv_error(path, i + 2, &error))?;
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
        rows.push((row_number, record));
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
    use calamine::{Data, Reader as _};
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
    let read_sheets = || -> Result<Vec<(String, calamine::Range<Data>)>, LoadError> {
        let mut workbook =
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| spreadsheet_error(e.to_string()))?;
        let mut sheets = Vec::new();
        for sheet in workbook.sheet_names() {
            let range = workbook
                .worksheet_range(&sheet)
                .map_err(|e| spreadsheet_error(format!("sheet {sheet:?}: {e}")))?;
            sheets.push((sheet, range));
        }
        Ok(sheets)
    };
    let sheets = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read_sheets)).unwrap_or_else(|_| {
        Err(spreadsheet_error(
            "the spreadsheet reader failed on it (a damaged workbook?)".into(),
        ))
    })?;
    let mut tables = Vec::new();
    for (sheet, range) in sheets {
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let mut rows_iter = range.rows().enumerate().map(|(i, cells)| {
            let record: StringRecord = cells
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    other => other.to_string(),
                })
                .collect();
            (first_row + i + 1, record)
        });
        let Some((_, header)) = rows_iter.by_ref().find(|(_, r)| r.iter().any(|c| !c.trim().is_empty())) else {
            continue;
        };
        let headers = header.iter().map(|h| h.trim().to_string()).collect();
        let rows = rows_iter
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        tables.push(RawTable {
            path: path.to_path_buf(),
            headers,
            rows,
            encoding: TextEncoding::Utf8,
            sheet: Some(sheet),
        });
    }
    Ok(tables)
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
