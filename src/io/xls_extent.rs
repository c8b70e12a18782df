//! How large the rectangles calamine would build for each sheet of an `.xls` (BIFF) workbook, measured from its cell
//! records before calamine reads it. calamine parses every sheet of an `.xls` into a dense range spanning its cells
//! when it opens the file (and reserves what each sheet's DIMENSIONS record declares), so a 5 KB file with one cell at
//! A1 and one at IV65536 asks for 16.7 million cells. It also follows the compound file's sector chains without
//! checking for loops, so a chain that points back at itself grows or spins forever. Both are checked here first.

/// Cells the dense ranges may hold beyond what the workbook stream could describe cell by cell: room for a title, a
/// gap and notes around a small table.
pub const XLS_EXTENT_FLOOR_CELLS: u64 = 65_536;

/// Workbook-stream bytes per cell the dense ranges may cost at most. The most compact cell record, one value of a
/// MULRK run, is 6 bytes; a lone NUMBER or LABELSST record is 14. A sheet written cell by cell never needs more than
/// one cell per 4 bytes.
pub const XLS_STREAM_BYTES_PER_CELL: u64 = 4;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FIRST_SPECIAL_SECTOR: u32 = 0xFFFF_FFFA;
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Refuses an `.xls` whose sheets would make dense ranges larger than its workbook stream could describe cell by cell
/// (one cell per [`XLS_STREAM_BYTES_PER_CELL`] bytes, plus [`XLS_EXTENT_FLOOR_CELLS`]), naming the sheet, and one whose
/// sector chains loop or leave the file. `Ok` for bytes that are not a compound file (calamine then says why).
pub fn check_xls_extent(bytes: &[u8]) -> Result<(), String> {
    if !bytes.starts_with(&OLE_SIGNATURE) || bytes.len() < 512 {
        return Ok(());
    }
    let file = CompoundFile::open(bytes)?;
    let Some(stream) = file.stream_named(&["Workbook", "Book"])? else {
        return Ok(());
    };
    let budget = stream.len() as u64 / XLS_STREAM_BYTES_PER_CELL + XLS_EXTENT_FLOOR_CELLS;
    let mut total = 0u64;
    for (name, position) in sheet_positions(&stream) {
        let extent = sheet_extent(stream.get(position..).unwrap_or_default());
        total = total.saturating_add(extent.cells());
        if total > budget {
            return Err(format!(
                "sheet {name:?}: its cells span {} rows by {} columns ({} cells with what its DIMENSIONS record declares), more than its {} KB of cell records could hold",
                extent.rows,
                extent.columns,
                extent.cells(),
                stream.len() >> 10
            ));
        }
    }
    Ok(())
}

/// Rows × columns calamine would allocate for one sheet: its values' rectangle, the DIMENSIONS reservation (the
/// larger of the two is what it holds at once) and its formulas' rectangle.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SheetExtent {
    /// Rows of the values' rectangle (or of the declared one, when larger).
    pub rows: u64,
    /// Columns of that rectangle.
    pub columns: u64,
    /// Cells declared by the DIMENSIONS record.
    pub declared_cells: u64,
    /// Cells of the formulas' rectangle.
    pub formula_cells: u64,
}

impl SheetExtent {
    /// The cells all of its rectangles hold together.
    pub fn cells(&self) -> u64 {
        self.rows
            .saturating_mul(self.columns)
            .max(self.declared_cells)
            .saturating_add(self.formula_cells)
    }
}

/// The smallest rectangle holding positions, as calamine's `Range::from_sparse` builds it.
#[derive(Default)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, column: u32) {
        let (r0, r1, c0, c1) = self.0.unwrap_or((row, row, column, column));
        self.0 = Some((r0.min(row), r1.max(row), c0.min(column), c1.max(column)));
    }

    fn rows_columns(&self) -> (u64, u64) {
        self.0.map_or((0, 0), |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)
        })
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// BIFF records as calamine reads them: type, then the data (CONTINUE records are separate records here, which
/// holds no cell position). Stops at the first record that runs past the stream.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let kind = u16_at(rest, 0)?;
        let len = usize::from(u16_at(rest, 2)?);
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((kind, data))
    })
}

/// Each sheet's name (as far as it can be read) and where its substream starts, from the globals' BoundSheet8
/// records up to their EOF.
fn sheet_positions(stream: &[u8]) -> Vec<(String, usize)> {
    let mut sheets = Vec::new();
    for (kind, data) in records(stream) {
        match kind {
            0x000A => break,
            0x0085 => {
                let Some(position) = u32_at(data, 0) else { continue };
                let name_len = usize::from(data.get(6).copied().unwrap_or(0));
                let wide = data.get(7).is_some_and(|flags| flags & 1 != 0);
                let name = if wide {
                    let units: Vec<u16> = (0..name_len).filter_map(|i| u16_at(data, 8 + 2 * i)).collect();
                    String::from_utf16_lossy(&units)
                } else {
                    data.get(8..(8 + name_len).min(data.len()))
                        .map(|b| b.iter().map(|&c| char::from(c)).collect())
                        .unwrap_or_default()
                };
                let name = crate::model::escape_text(&name).into_owned();
                sheets.push((name, usize::try_from(position).unwrap_or(usize::MAX)));
            }
            _ => {}
        }
    }
    sheets
}

/// The rectangles calamine builds for the sheet whose substream starts `stream` (its own BOF first; embedded chart
/// substreams skipped as calamine skips them). Every record calamine turns into a cell counts.
fn sheet_extent(stream: &[u8]) -> SheetExtent {
    let (mut values, mut formulas) = (Bounds::default(), Bounds::default());
    let mut declared_cells = 0u64;
    let (mut seen_bof, mut depth) = (false, 0usize);
    let at = |data: &[u8]| Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
    for (kind, data) in records(stream) {
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => declared_cells = declared_cells.max(dimensions_cells(data)),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                if let Some((row, column)) = at(data) {
                    values.add(row, column);
                }
            }
            // MULRK: a row, the first column, the values, and the last column in its final two bytes.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|end| u16_at(data, end));
                if let (Some((row, first)), Some(last)) = (at(data), last) {
                    values.add(row, first);
                    values.add(row, u32::from(last));
                }
            }
            0x0006 => {
                if let Some((row, column)) = at(data) {
                    values.add(row, column);
                    formulas.add(row, column);
                }
            }
            _ => {}
        }
    }
    let (rows, columns) = values.rows_columns();
    let (formula_rows, formula_columns) = formulas.rows_columns();
    SheetExtent {
        rows,
        columns,
        declared_cells,
        formula_cells: formula_rows.saturating_mul(formula_columns),
    }
}

/// The cells calamine reserves for a DIMENSIONS record, computed as it does (a last row or column before the first
/// wraps around in its arithmetic, so it counts as unbounded here).
fn dimensions_cells(data: &[u8]) -> u64 {
    let (first_row, end_row, mut first_column, end_column) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).unwrap_or(0)),
            u32::from(u16_at(data, 2).unwrap_or(0)),
            u32::from(u16_at(data, 4).unwrap_or(0)),
            u32::from(u16_at(data, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            u32::from(u16_at(data, 8).unwrap_or(0)),
            u32::from(u16_at(data, 10).unwrap_or(0)),
        ),
        _ => return 0,
    };
    if first_column > 0xFF || end_column < first_column {
        first_column = 0;
    }
    if end_row == 0 || end_column == 0 {
        return 1;
    }
    let span = |first: u32, end: u32| (end - 1).checked_sub(first).map_or(u64::MAX, |d| u64::from(d) + 1);
    span(first_row, end_row).saturating_mul(span(first_column, end_column))
}

/// The parts of a compound (OLE2) file needed to read one stream, every chain walked at most once per sector.
struct CompoundFile<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    fat: Vec<u32>,
    directory: Vec<u8>,
}

impl<'a> CompoundFile<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let sector_size = match u16_at(bytes, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err("its compound-file header names no valid sector size (a damaged .xls?)".into()),
        };
        let mut file = CompoundFile {
            bytes,
            sector_size,
            fat: Vec::new(),
            directory: Vec::new(),
        };
        // The FAT's own sectors: 109 listed in the header, then a chain of DIFAT sectors (each ending with the next).
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
        let mut difat = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
        let mut steps = 0usize;
        while difat < FIRST_SPECIAL_SECTOR {
            steps += 1;
            if steps > file.sector_count() {
                return Err(file.damaged("DIFAT"));
            }
            let sector = file.sector(difat).ok_or_else(|| file.damaged("DIFAT"))?;
            let mut entries: Vec<u32> = (0..sector.len() / 4).filter_map(|i| u32_at(sector, 4 * i)).collect();
            difat = entries.pop().unwrap_or(END_OF_CHAIN);
            fat_sectors.extend(entries);
        }
        for id in fat_sectors.into_iter().filter(|id| *id < FIRST_SPECIAL_SECTOR) {
            let sector = file.sector(id).ok_or_else(|| file.damaged("FAT"))?;
            file.fat
                .extend((0..sector.len() / 4).filter_map(|i| u32_at(sector, 4 * i)));
        }
        let directory_start = u32_at(bytes, 48).unwrap_or(END_OF_CHAIN);
        file.directory = file.chain(directory_start, &file.fat, usize::MAX, false, "directory")?;
        Ok(file)
    }

    fn sector_count(&self) -> usize {
        self.bytes.len() / self.sector_size + 1
    }

    /// A regular sector's bytes (sector 0 follows the 512-byte header; a 4 KB-sector file's header fills sector -1).
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (usize::try_from(id).ok()? + 1).checked_mul(self.sector_size)?;
        let end = (start + self.sector_size).min(self.bytes.len());
        self.bytes.get(start..end).filter(|s| !s.is_empty())
    }

    fn damaged(&self, what: &str) -> String {
        format!("its {what} sector chain loops or runs past the end of the file (a damaged .xls?)")
    }

    /// The bytes of the chain starting at `start`, up to `len`; `mini` reads 64-byte sectors of the mini stream.
    /// A chain longer than the file has sectors loops: refused.
    fn chain(&self, mut id: u32, table: &[u32], len: usize, mini: bool, what: &str) -> Result<Vec<u8>, String> {
        let (mini_stream, size) = if mini {
            (self.mini_stream()?, 64)
        } else {
            (Vec::new(), self.sector_size)
        };
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != END_OF_CHAIN && out.len() < len {
            steps += 1;
            if steps > self.bytes.len() / size + 1 {
                return Err(self.damaged(what));
            }
            let sector = if mini {
                let start = usize::try_from(id).unwrap_or(usize::MAX).saturating_mul(64);
                mini_stream.get(start..(start + 64).min(mini_stream.len()))
            } else {
                self.sector(id)
            };
            let sector = sector.filter(|s| !s.is_empty()).ok_or_else(|| self.damaged(what))?;
            out.extend_from_slice(&sector[..sector.len().min(len - out.len())]);
            id = *table
                .get(usize::try_from(id).unwrap_or(usize::MAX))
                .ok_or_else(|| self.damaged(what))?;
        }
        Ok(out)
    }

    /// (name, start sector, length) of each directory entry.
    fn entries(&self) -> impl Iterator<Item = (String, u32, usize)> + '_ {
        self.directory.chunks_exact(128).map(move |entry| {
            let units: Vec<u16> = (0..32)
                .filter_map(|i| u16_at(entry, 2 * i))
                .take_while(|u| *u != 0)
                .collect();
            let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
            let len = if self.sector_size == 512 {
                u64::from(u32_at(entry, 120).unwrap_or(0))
            } else {
                u64::from(u32_at(entry, 120).unwrap_or(0)) | (u64::from(u32_at(entry, 124).unwrap_or(0)) << 32)
            };
            (
                String::from_utf16_lossy(&units),
                start,
                usize::try_from(len).unwrap_or(usize::MAX),
            )
        })
    }

    fn mini_stream(&self) -> Result<Vec<u8>, String> {
        let (_, start, len) = self.entries().next().ok_or_else(|| self.damaged("directory"))?;
        self.chain(start, &self.fat, len, false, "mini stream")
    }

    /// The first stream among `names` (case-insensitive, as calamine looks them up), read as calamine reads it:
    /// from the mini stream when under 4 KB.
    fn stream_named(&self, names: &[&str]) -> Result<Option<Vec<u8>>, String> {
        let Some((_, start, len)) = names
            .iter()
            .find_map(|name| self.entries().find(|(entry, _, _)| entry.eq_ignore_ascii_case(name)))
        else {
            return Ok(None);
        };
        if len < 4096 {
            let mini_fat_start = u32_at(self.bytes, 60).unwrap_or(END_OF_CHAIN);
            let mini_fat_sectors = usize::try_from(u32_at(self.bytes, 64).unwrap_or(0)).unwrap_or(usize::MAX);
            let mini_fat_bytes = mini_fat_sectors.saturating_mul(self.sector_size);
            let mini_fat = self.chain(mini_fat_start, &self.fat, mini_fat_bytes, false, "mini FAT")?;
            let mini_fat: Vec<u32> = (0..mini_fat.len() / 4)
                .filter_map(|i| u32_at(&mini_fat, 4 * i))
                .collect();
            return self.chain(start, &mini_fat, len, true, "workbook stream").map(Some);
        }
        self.chain(start, &self.fat, len, false, "workbook stream").map(Some)
    }
}
