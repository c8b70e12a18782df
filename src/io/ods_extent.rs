//! How large a rectangle calamine would build for each sheet of an `.ods` workbook, measured from its `content.xml`
//! before calamine reads it. calamine reads an `.ods` into a dense range spanning every non-empty cell (expanding
//! `number-rows-repeated` and `number-columns-repeated`), so a few hundred bytes can ask for 100 million cells.

use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// Cells a sheet's dense range may hold beyond what its XML could describe cell by cell: room for a title, a gap and
/// notes around a small table.
pub const ODS_EXTENT_FLOOR_CELLS: u64 = 65_536;

/// XML bytes per cell the dense ranges may cost at most. The shortest cell element, `<table:table-cell/>`, is 19 bytes;
/// a cell with a value is over 40. So a sheet written cell by cell never needs more than one cell per 8 bytes.
pub const ODS_XML_BYTES_PER_CELL: u64 = 8;

/// One sheet's dense extent: its name and the rows × columns from its first to its last non-empty cell.
#[derive(Debug, PartialEq, Eq)]
pub struct SheetExtent {
    /// The sheet's name (`table:name`).
    pub sheet: String,
    /// Rows spanned (repeats expanded).
    pub rows: u64,
    /// Columns spanned (repeats expanded).
    pub columns: u64,
}

/// Refuses an `.ods` whose sheets would make a dense range larger than its `content.xml` could describe cell by cell
/// (one cell per [`ODS_XML_BYTES_PER_CELL`] bytes, plus [`ODS_EXTENT_FLOOR_CELLS`]), naming the sheet. `Ok` for bytes
/// that are not a readable `.ods` (calamine then says why).
pub fn check_ods_extent(bytes: &[u8], max_unpacked: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(entry) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = Vec::new();
    if entry.take(max_unpacked).read_to_end(&mut xml).is_err() {
        return Ok(());
    }
    let budget = xml.len() as u64 / ODS_XML_BYTES_PER_CELL + ODS_EXTENT_FLOOR_CELLS;
    let mut total = 0u64;
    for extent in sheet_extents(&xml) {
        let cells = extent.rows.saturating_mul(extent.columns);
        total = total.saturating_add(cells);
        if total > budget {
            return Err(format!(
                "sheet {:?}: its cells span {} rows by {} columns ({cells} cells, repeats expanded), more than its {} KB of XML could hold cell by cell",
                extent.sheet,
                extent.rows,
                extent.columns,
                xml.len() >> 10
            ));
        }
    }
    Ok(())
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.into_inner() == name)
        .map(|a| a.value.into_owned())
}

fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// The dense extent of every sheet in `content.xml`. A cell counts as non-empty when it declares a value type or has
/// content (an upper bound of what calamine keeps); XML that stops parsing ends the scan there.
pub fn sheet_extents(xml: &[u8]) -> Vec<SheetExtent> {
    struct Sheet {
        name: String,
        row: u64,
        row_repeats: u64,
        column: u64,
        row_has_content: bool,
        first_row: Option<u64>,
        last_row: u64,
        first_column: u64,
        last_column: u64,
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let mut extents = Vec::new();
    loop {
        let (element, has_children) = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) => (e.into_owned(), true),
            Ok(Event::Empty(e)) => (e.into_owned(), false),
            Ok(Event::End(e)) => {
                match (e.name().into_inner(), sheet.as_mut()) {
                    ("table:table-row", Some(s)) => {
                        let last = s.row.saturating_add(s.row_repeats - 1);
                        if s.row_has_content {
                            s.first_row.get_or_insert(s.row);
                            s.last_row = last;
                        }
                        s.row = last.saturating_add(1);
                    }
                    ("table:table", Some(_)) => {
                        let s = sheet.take().expect("matched Some");
                        let (rows, columns) = match s.first_row {
                            Some(first) => (s.last_row - first + 1, s.last_column - s.first_column + 1),
                            None => (0, 0),
                        };
                        extents.push(SheetExtent {
                            sheet: s.name,
                            rows,
                            columns,
                        });
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        match (element.name().into_inner(), sheet.as_mut()) {
            ("table:table", _) => {
                sheet = Some(Sheet {
                    name: attribute(&element, "table:name").unwrap_or_default(),
                    row: 0,
                    row_repeats: 1,
                    column: 0,
                    row_has_content: false,
                    first_row: None,
                    last_row: 0,
                    first_column: u64::MAX,
                    last_column: 0,
                });
            }
            ("table:table-row", Some(s)) => {
                let repeated = repeats(&element, "table:number-rows-repeated");
                if has_children {
                    s.row_repeats = repeated;
                    s.column = 0;
                    s.row_has_content = false;
                } else {
                    s.row = s.row.saturating_add(repeated);
                }
            }
            ("table:table-cell" | "table:covered-table-cell", Some(s)) => {
                let across = repeats(&element, "table:number-columns-repeated");
                if has_children || attribute(&element, "office:value-type").is_some() {
                    s.row_has_content = true;
                    s.first_column = s.first_column.min(s.column);
                    s.last_column = s.last_column.max(s.column.saturating_add(across - 1));
                }
                s.column = s.column.saturating_add(across);
            }
            _ => {}
        }
        buf.clear();
    }
    extents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_expand_from_the_first_to_the_last_non_empty_cell() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Notes"><table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row></table:table>
            <table:table table:name="IMD"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/></table:table-row>
            <table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="10"><table:table-cell table:number-columns-repeated="4" office:value-type="float" office:value="1"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let extents = sheet_extents(xml);
        assert_eq!(
            extents,
            [
                SheetExtent {
                    sheet: "Notes".into(),
                    rows: 0,
                    columns: 0
                },
                SheetExtent {
                    sheet: "IMD".into(),
                    rows: 11,
                    columns: 4
                },
            ]
        );
    }
}
