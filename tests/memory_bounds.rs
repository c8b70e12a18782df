//! Peak memory of every loader on a hostile file, measured (not timed): each case runs in a child process (this test
//! binary again, told which case by an environment variable) that reads the file and reports how much its peak
//! resident memory (`VmHWM` in `/proc/self/status`) grew. The bounds asserted are the ones stated in FUZZING.md.
//! Linux only (where `/proc` is); elsewhere the tests say so and pass.

mod common;

use locality_map::io::{ShapefileParts, read_csv, read_geojson, read_shapefile, read_workbook};
use locality_map::model::JoinReport;
use locality_map::project::open_project;
use std::path::{Path, PathBuf};
use std::process::Command;

const CASE: &str = "LOCALITY_MAP_MEMORY_CASE";
const MB: u64 = 1 << 20;

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// In the child: runs `load` and prints how far the peak resident memory rose above what it was before, in bytes.
/// In the parent: runs the child and returns that number, or `None` where /proc is missing.
fn peak_growth(case: &str, test_name: &str, load: impl FnOnce()) -> Option<u64> {
    if std::env::var(CASE).as_deref() == Ok(case) {
        let before = status_kb("VmRSS:").unwrap();
        load();
        let peak = status_kb("VmHWM:").unwrap();
        println!("\nPEAK_GROWTH_BYTES={}", peak.saturating_sub(before) * 1024);
        return None;
    }
    if status_kb("VmHWM:").is_none() {
        eprintln!("SKIP {test_name}: no /proc/self/status on this system, so peak memory cannot be measured");
        return None;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE, case)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let growth = stdout
        .lines()
        .find_map(|l| l.split("PEAK_GROWTH_BYTES=").nth(1))
        .unwrap_or_else(|| panic!("the child printed no measurement: {stdout}"))
        .parse()
        .unwrap();
    Some(growth)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lm-memory-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_within(growth: Option<u64>, file_bytes: u64, multiple: u64, plus: u64, what: &str) {
    if let Some(growth) = growth {
        let bound = multiple * file_bytes + plus;
        eprintln!(
            "{what}: peak grew {} MB for a {} MB file (bound {} MB)",
            growth / MB,
            file_bytes / MB,
            bound / MB
        );
        assert!(
            growth <= bound,
            "{what}: peak grew {growth} bytes, over {multiple} x {file_bytes} + {plus}"
        );
    }
}

/// A CSV that costs rows x the widest row where rows are not kept compact: a 1,000-column header and 4,000 rows of
/// one code and 999 empty cells, then one row with 100,000 trailing commas.
fn hostile_csv() -> Vec<u8> {
    let mut text = String::from("LSOA code (2011),IMD Rank");
    for i in 2..1000 {
        text.push_str(&format!(",c{i}"));
    }
    text.push('\n');
    for i in 0..4000 {
        text.push_str(&format!("E01{i:06},{}", i + 1));
        text.push_str(&",".repeat(998));
        text.push('\n');
    }
    text.push_str("E01999999,1");
    text.push_str(&",".repeat(100_000));
    text.push('\n');
    text.into_bytes()
}

#[test]
fn csv_memory_is_bounded_by_the_file() {
    let bytes = hostile_csv();
    let size = bytes.len() as u64;
    let growth = peak_growth("csv", "csv_memory_is_bounded_by_the_file", || {
        let table = read_csv(Path::new("hostile.csv"), &bytes).unwrap();
        assert_eq!(table.rows.len(), 4001);
    });
    assert_within(growth, size, 16, 64 * MB, "CSV");
}

#[test]
fn xlsx_memory_is_bounded_by_the_cells_present() {
    // 1.7 KB: three cells in A1:C2 and one at XFD1048576 (a dense range would be 17 billion cells).
    let path = Path::new("tests/malformed/xlsx_cell_at_xfd1048576.xlsx");
    let bytes = std::fs::read(path).unwrap();
    let growth = peak_growth("xlsx", "xlsx_memory_is_bounded_by_the_cells_present", || {
        let tables = read_workbook(path, &bytes).unwrap();
        let table = &tables[0];
        assert_eq!(table.headers.len(), 3);
        assert_eq!(table.rows.len(), 2, "the header's row and the far cell's row");
        assert!(
            table
                .row_shape_problem(&table.rows[1].1)
                .unwrap()
                .contains("16384 cells")
        );
    });
    assert_within(growth, bytes.len() as u64, 1000, 32 * MB, "xlsx");
}

#[test]
fn geojson_memory_is_bounded_by_the_file() {
    // One feature of 3 million positions written as tightly as JSON allows ("[0,0],"), the worst bytes per vertex.
    let mut text = String::from(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"LSOA11CD":"E01011372"},"geometry":{"type":"Polygon","coordinates":[["#,
    );
    text.push_str(&"[0,0],".repeat(3_000_000));
    text.push_str("[0,0]]]}}]}");
    let bytes = text.into_bytes();
    let size = bytes.len() as u64;
    let growth = peak_growth("geojson", "geojson_memory_is_bounded_by_the_file", || {
        let mut report = JoinReport::default();
        let _ = read_geojson(Path::new("hostile.geojson"), &bytes, &mut report);
    });
    assert_within(growth, size, 16, 64 * MB, "GeoJSON");
}

#[test]
fn shapefile_memory_is_bounded_by_the_files() {
    // One 60,000-point polygon record and a .shx of 500,000 entries all pointing at it (a 4 MB index).
    let points = 60_000i32;
    let ring: Vec<(f64, f64)> = (0..points)
        .map(|i| {
            let angle = -f64::from(i) / f64::from(points - 1) * std::f64::consts::TAU;
            (400_500.0 + 500.0 * angle.cos(), 400_500.0 + 500.0 * angle.sin())
        })
        .collect();
    let (shp, shx) = common::one_ring_shapefile(&ring, 500_000);
    let dbf = minimal_dbf("E01011372");
    let size = (shp.len() + shx.len() + dbf.len()) as u64;
    let growth = peak_growth("shapefile", "shapefile_memory_is_bounded_by_the_files", || {
        let parts = ShapefileParts {
            shp: &shp,
            shx: Some(&shx),
            dbf: Some(&dbf),
            prj: None,
        };
        let mut report = JoinReport::default();
        let file = read_shapefile(Path::new("hostile.shp"), parts, &mut report).unwrap();
        assert_eq!(file.areas.len(), 1);
    });
    assert_within(growth, size, 16, 64 * MB, "shapefile");
}

/// A one-record `.dbf` with a 9-character LSOA11CD field.
fn minimal_dbf(code: &str) -> Vec<u8> {
    let mut dbf = vec![0x03, 126, 1, 1];
    dbf.extend_from_slice(&1u32.to_le_bytes());
    dbf.extend_from_slice(&(32u16 + 32 + 1).to_le_bytes());
    dbf.extend_from_slice(&(1u16 + 9).to_le_bytes());
    dbf.extend_from_slice(&[0; 20]);
    let mut field = [0u8; 32];
    field[..8].copy_from_slice(b"LSOA11CD");
    field[11] = b'C';
    field[16] = 9;
    dbf.extend_from_slice(&field);
    dbf.push(0x0D);
    dbf.push(b' ');
    dbf.extend_from_slice(code.as_bytes());
    dbf.push(0x1A);
    dbf
}

#[test]
fn project_memory_is_bounded_whatever_the_file_says_its_size_is() {
    let dir = scratch("project");
    let path = dir.join("huge.lmap");
    std::fs::File::create(&path).unwrap().set_len(8 << 30).unwrap();
    let growth = peak_growth(
        "project",
        "project_memory_is_bounded_whatever_the_file_says_its_size_is",
        || {
            assert!(open_project(&path).is_err());
        },
    );
    assert_within(growth, 0, 0, 16 * MB, "project");
    std::fs::remove_file(&path).ok();
}

/// An `.ods` (a zip of XML, written here) whose first sheet holds `rows` rows of LSOA code and rank; with
/// `far_column_rows_repeated`, one more row with a value at column 16,384 repeated that many times (calamine would
/// expand it into a dense range of up to 100 million cells).
fn ods_workbook(rows: usize, far_column_rows_repeated: Option<u32>) -> Vec<u8> {
    use std::io::Write as _;
    let cell = |text: &str| {
        format!(r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#)
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="IMD">"#,
    );
    xml.push_str(&format!(
        "<table:table-row>{}{}</table:table-row>",
        cell("LSOA code (2011)"),
        cell("IMD Rank")
    ));
    for i in 0..rows {
        xml.push_str(&format!(
            r#"<table:table-row>{}<table:table-cell office:value-type="float" office:value="{}"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
            cell(&format!("E01{i:06}")),
            i + 1,
            i + 1
        ));
    }
    if let Some(repeated) = far_column_rows_repeated {
        xml.push_str(&format!(
            r#"<table:table-row table:number-rows-repeated="{repeated}">{}<table:table-cell table:number-columns-repeated="16382"/>{}</table:table-row>"#,
            cell("x"),
            cell("y")
        ));
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn ods_reads_a_well_formed_sheet() {
    let bytes = ods_workbook(3, None);
    let tables = read_workbook(Path::new("good.ods"), &bytes).unwrap();
    assert_eq!(tables[0].headers, ["LSOA code (2011)", "IMD Rank"]);
    assert_eq!(tables[0].rows.len(), 3);
    assert_eq!(&tables[0].rows[2].1[1], "3");
}

#[test]
fn ods_memory_is_bounded_by_the_cells_its_xml_holds() {
    // Under 1 KB: a row with a cell at column A and one at column XFD, repeated 1,000,000 times.
    let bytes = ods_workbook(3, Some(1_000_000));
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    let growth = peak_growth("ods", "ods_memory_is_bounded_by_the_cells_its_xml_holds", || {
        let error = read_workbook(Path::new("hostile.ods"), &bytes).unwrap_err().to_string();
        assert!(
            error.contains(r#"sheet "IMD": its cells span 1000004 rows by 16384 columns"#)
                && error.ends_with("hostile.ods"),
            "{error}"
        );
    });
    assert_within(growth, bytes.len() as u64, 1000, 32 * MB, "ods");
}

#[test]
fn csv_of_many_tiny_rows_is_bounded_by_the_file() {
    // 1 MB of two-byte rows: 524,287 rows, each of which would cost ~200 bytes kept (about 100 MB).
    let mut bytes = b"a\n".to_vec();
    bytes.extend_from_slice(&b"1\n".repeat(524_287));
    let size = bytes.len() as u64;
    let growth = peak_growth("csv_tiny_rows", "csv_of_many_tiny_rows_is_bounded_by_the_file", || {
        let error = read_csv(Path::new("tiny.csv"), &bytes).unwrap_err().to_string();
        assert!(
            error.contains("more than 132096 rows in 1024 KB, under 8 bytes a row") && error.ends_with("tiny.csv"),
            "{error}"
        );
    });
    assert_within(growth, size, 32, 4 * MB, "CSV of tiny rows");
}

/// One cell of a test `.xls`: row, column (0-based) and either text or a number.
enum XlsCell<'a> {
    Text(u16, u16, &'a str),
    Number(u16, u16, f64),
}

/// A BIFF8 `.xls` written here byte by byte (calamine cannot write one): a compound file of 512-byte sectors with
/// one FAT sector, one directory sector and a `Workbook` stream (padded to 4 KB, so it lives in regular sectors)
/// holding one sheet, "IMD", with `cells` as LABEL and NUMBER records and, if given, a DIMENSIONS record.
fn xls_workbook(cells: &[XlsCell<'_>], dimensions: Option<(u32, u32, u16, u16)>) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let bof = |kind: u16| [0x0600u16.to_le_bytes(), kind.to_le_bytes(), [0; 2], [0; 2]].concat();
    let bof = |kind: u16| [bof(kind), vec![0; 8]].concat();
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let sheet_record_at = globals.len();
    record(&mut globals, 0x0085, &[&[0u8; 4][..], &[0, 0, 3, 0], b"IMD"].concat());
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[sheet_record_at + 4..sheet_record_at + 8].copy_from_slice(&sheet_at.to_le_bytes());
    let mut stream = globals;
    record(&mut stream, 0x0809, &bof(0x0010));
    if let Some((first_row, end_row, first_column, end_column)) = dimensions {
        let data = [
            &first_row.to_le_bytes()[..],
            &end_row.to_le_bytes(),
            &first_column.to_le_bytes(),
            &end_column.to_le_bytes(),
            &[0, 0],
        ]
        .concat();
        record(&mut stream, 0x0200, &data);
    }
    for cell in cells {
        match cell {
            XlsCell::Text(row, column, text) => {
                let data = [
                    &row.to_le_bytes()[..],
                    &column.to_le_bytes(),
                    &[0, 0],
                    &(text.len() as u16).to_le_bytes(),
                    &[0],
                    text.as_bytes(),
                ]
                .concat();
                record(&mut stream, 0x0204, &data);
            }
            XlsCell::Number(row, column, value) => {
                let data = [
                    &row.to_le_bytes()[..],
                    &column.to_le_bytes(),
                    &[0, 0],
                    &value.to_le_bytes(),
                ]
                .concat();
                record(&mut stream, 0x0203, &data);
            }
        }
    }
    record(&mut stream, 0x000A, &[]);
    assert!(
        stream.len() <= 4096,
        "the test workbook's stream must fit its 8 sectors"
    );
    stream.resize(4096, 0);
    // Header, then sector 0 = FAT, sector 1 = directory, sectors 2..10 = the Workbook stream.
    let mut file = vec![0u8; 512];
    file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    file[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    file[26..28].copy_from_slice(&3u16.to_le_bytes());
    file[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    file[30..32].copy_from_slice(&9u16.to_le_bytes());
    file[32..34].copy_from_slice(&6u16.to_le_bytes());
    file[44..48].copy_from_slice(&1u32.to_le_bytes());
    file[48..52].copy_from_slice(&1u32.to_le_bytes());
    file[56..60].copy_from_slice(&4096u32.to_le_bytes());
    file[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    file[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for slot in file[76..512].chunks_exact_mut(4) {
        slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    file[76..80].copy_from_slice(&0u32.to_le_bytes());
    let mut fat: Vec<u32> = vec![0xFFFF_FFFD, 0xFFFF_FFFE];
    fat.extend((3..10).map(|next| next as u32));
    fat.push(0xFFFF_FFFE);
    fat.resize(128, 0xFFFF_FFFF);
    file.extend(fat.iter().flat_map(|entry| entry.to_le_bytes()));
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut entry = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        entry[..units.len()].copy_from_slice(&units);
        entry[64..66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        entry[66] = kind;
        entry[68..80].copy_from_slice(&[0xFF; 12]);
        entry[116..120].copy_from_slice(&start.to_le_bytes());
        entry[120..124].copy_from_slice(&size.to_le_bytes());
        entry
    };
    let mut directory = entry("Root Entry", 5, 0xFFFF_FFFE, 0);
    directory[76..80].copy_from_slice(&1u32.to_le_bytes());
    directory.extend(entry("Workbook", 2, 2, 4096));
    directory.resize(512, 0);
    file.extend(directory);
    file.extend(stream);
    file
}

#[test]
fn xls_reads_a_well_formed_sheet() {
    let cells = [
        XlsCell::Text(0, 0, "LSOA code (2011)"),
        XlsCell::Text(0, 1, "IMD Rank"),
        XlsCell::Text(1, 0, "E01011264"),
        XlsCell::Number(1, 1, 93.0),
    ];
    let bytes = xls_workbook(&cells, Some((0, 2, 0, 2)));
    let tables = read_workbook(Path::new("good.xls"), &bytes).unwrap();
    assert_eq!(tables[0].sheet.as_deref(), Some("IMD"));
    assert_eq!(tables[0].headers, ["LSOA code (2011)", "IMD Rank"]);
    assert_eq!(tables[0].rows.len(), 1);
    assert_eq!(&tables[0].rows[0].1[0], "E01011264");
    assert_eq!(&tables[0].rows[0].1[1], "93");
}

#[test]
fn xls_memory_is_bounded_by_the_cells_its_records_hold() {
    // 5.5 KB: a header at A1 and one number at IV65536, which calamine would spread into a dense range of
    // 65,536 x 256 = 16.7 million cells (over 500 MB).
    let cells = [
        XlsCell::Text(0, 0, "LSOA code (2011)"),
        XlsCell::Number(65_535, 255, 1.0),
    ];
    let bytes = xls_workbook(&cells, None);
    assert!(bytes.len() < 6 * 1024, "{} bytes", bytes.len());
    let growth = peak_growth("xls", "xls_memory_is_bounded_by_the_cells_its_records_hold", || {
        let error = read_workbook(Path::new("hostile.xls"), &bytes).unwrap_err().to_string();
        assert!(
            error.contains(r#"sheet "IMD": its cells span 65536 rows by 256 columns"#)
                && error.ends_with("hostile.xls"),
            "{error}"
        );
    });
    assert_within(growth, bytes.len() as u64, 1000, 32 * MB, "xls");
}

#[test]
fn xls_declaring_a_huge_sheet_is_refused_before_calamine_reserves_it() {
    // The cells are two, but the DIMENSIONS record declares 65,536 rows by 256 columns (calamine reserves that).
    let cells = [XlsCell::Text(0, 0, "LSOA code (2011)"), XlsCell::Number(1, 0, 1.0)];
    let bytes = xls_workbook(&cells, Some((0, 65_536, 0, 256)));
    let error = read_workbook(Path::new("declared.xls"), &bytes)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(r#"sheet "IMD""#) && error.contains("16777216 cells") && error.ends_with("declared.xls"),
        "{error}"
    );
}

#[test]
fn xls_whose_sector_chain_loops_is_refused() {
    // The directory's sector points back at itself: calamine would append it forever.
    let cells = [XlsCell::Text(0, 0, "LSOA code (2011)")];
    let mut bytes = xls_workbook(&cells, None);
    bytes[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    let error = read_workbook(Path::new("loop.xls"), &bytes).unwrap_err().to_string();
    assert!(
        error.contains("directory sector chain loops") && error.ends_with("loop.xls"),
        "{error}"
    );
}
