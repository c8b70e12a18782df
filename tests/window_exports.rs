//! The File menu's exports for planners' readers, clicked in the window as a planner would: each entry asks where
//! (a stubbed dialog answers), writes the file and says so in the status line. Each file is then opened the way its
//! reader would open it (calamine for the workbook, SQLite for the GeoPackage, the text of the PDF, SVG and HTML).

mod common;

use calamine::Reader as _;
use egui_kittest::kittest::Queryable as _;
use locality_map::ui::{FilePicker, LoadedData, LocalityMapApp, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn leeds() -> Arc<LoadedData> {
    common::window_leeds()
}

/// A save dialog that answers with one path and remembers what it was asked.
struct StubSave {
    path: PathBuf,
    asked: Arc<std::sync::Mutex<Vec<String>>>,
}

impl FilePicker for StubSave {
    fn save_file(&mut self, title: &str, default_name: &str, extension: &str) -> Option<PathBuf> {
        self.asked
            .lock()
            .unwrap()
            .push(format!("{title} | {default_name} | {extension}"));
        Some(self.path.clone())
    }

    fn open_file(&mut self, _title: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

/// Clicks File → `entry` in a fresh Leeds window whose save dialog answers `path`; returns what the dialog was
/// asked and the window's status text.
fn export_from_menu(entry: &str, path: &Path) -> (Vec<String>, String) {
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = StubSave {
        path: path.to_path_buf(),
        asked: asked.clone(),
    };
    let app = LocalityMapApp::with_data(Settings::default(), leeds()).with_file_picker(Box::new(picker));
    let mut harness = common::window::app_harness(app);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label(entry).click();
    harness.run_steps(3);
    let message = harness.state().file_message().expect("the export says what it did");
    let status = format!("{} {}", if message.ok { "ok:" } else { "failed:" }, message.text);
    // And the planner sees it in the window.
    harness.get_by_label_contains(&path.file_name().unwrap().to_string_lossy());
    let asked = asked.lock().unwrap().clone();
    (asked, status)
}

fn leeds_lsoa_codes() -> Vec<String> {
    common::embedded_rows(common::EMBEDDED_FILE2_2019)
        .into_iter()
        .filter(|row| row["Local Authority District code (2019)"] == "E08000035")
        .map(|row| row["LSOA code (2011)"].clone())
        .collect()
}

#[test]
fn the_workbook_entry_writes_a_workbook_excel_opens_with_the_summary_and_diagram_3() {
    let dir = common::scratch_for_this_process("lm-window-xlsx");
    let path = dir.join("leeds briefing.xlsx");
    let (asked, status) = export_from_menu("Export briefing workbook (Excel)…", &path);
    assert_eq!(asked.len(), 1, "the dialog was asked once: {asked:?}");
    assert!(asked[0].ends_with("| xlsx"), "{asked:?}");
    assert!(status.starts_with("ok: Saved"), "{status}");

    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("Excel can open the workbook");
    let sheets = workbook.sheet_names();
    for wanted in ["Read me", "Diagram 3"] {
        assert!(sheets.iter().any(|s| s == wanted), "{wanted} missing from {sheets:?}");
    }
    // A sheet for each priority ward: a ward with an LSOA ranked within 2019's 1% line (328 of 32,844), found here
    // from the published File 2 and the ward lookup, not from the library.
    let in_top1: std::collections::HashSet<String> = common::embedded_rows(common::EMBEDDED_FILE2_2019)
        .into_iter()
        .filter(|row| {
            common::number(&row["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]) <= 328
        })
        .map(|row| row["LSOA code (2011)"].clone())
        .collect();
    let priority: std::collections::BTreeSet<String> = common::embedded_rows(common::EMBEDDED_WARD_LOOKUP_2019)
        .into_iter()
        .filter(|row| in_top1.contains(&row["LSOA11CD"]))
        .map(|row| row["WD19NM"].clone())
        .collect();
    assert!(priority.len() >= 5, "{priority:?}");
    for ward in &priority {
        let sheet: String = ward.chars().take(31).collect();
        assert!(
            sheets.contains(&sheet),
            "no sheet for priority ward {ward} in {sheets:?}"
        );
    }
    // The read-me carries the licence.
    let read_me = workbook.worksheet_range("Read me").unwrap();
    let text: String = read_me.cells().map(|(_, _, cell)| cell.to_string()).collect();
    assert!(text.contains("Contains OS data"), "{text}");
}

#[test]
fn the_geopackage_entry_writes_every_leeds_lsoa_qgis_can_open() {
    let dir = common::scratch_for_this_process("lm-window-gpkg");
    let path = dir.join("leeds.gpkg");
    let (_, status) = export_from_menu("Export GeoPackage (QGIS)…", &path);
    assert!(status.starts_with("ok: Saved"), "{status}");

    let db = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let application_id: i64 = db.query_row("PRAGMA application_id", [], |row| row.get(0)).unwrap();
    assert_eq!(application_id, 0x4750_4B47, "the GeoPackage application id, 'GPKG'");
    let mut tables: Vec<String> = db
        .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables.sort();
    let lsoa_table = tables
        .iter()
        .find(|t| t.contains("lsoa"))
        .unwrap_or_else(|| panic!("an LSOA layer in {tables:?}"));
    let count: i64 = db
        .query_row(&format!("SELECT count(*) FROM \"{lsoa_table}\""), [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        count as usize,
        leeds_lsoa_codes().len(),
        "every Leeds LSOA of the 2011 geography"
    );
}

#[test]
fn the_pdf_svg_and_web_map_entries_write_their_formats_with_the_attribution() {
    let dir = common::scratch_for_this_process("lm-window-vectors");
    let codes = leeds_lsoa_codes();
    for (entry, name, magic) in [
        ("Export PDF report…", "leeds.pdf", &b"%PDF-"[..]),
        ("Export map as SVG…", "leeds.svg", &b"<?xml"[..]),
        ("Export web map (HTML)…", "leeds.html", &b"<!DOCTYPE html>"[..]),
    ] {
        let path = dir.join(name);
        let (_, status) = export_from_menu(entry, &path);
        assert!(status.starts_with("ok: Saved"), "{entry}: {status}");
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{entry}: starts {:?}",
            &bytes[..16.min(bytes.len())]
        );
        if name.ends_with(".pdf") {
            continue; // its text is compressed: tests/vector_report.rs reads it with pdftotext
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Contains OS data"), "{entry}: no attribution");
        if name.ends_with(".html") {
            // The web map carries every LSOA it draws, by code, for its tooltips and search.
            let missing: Vec<&String> = codes.iter().filter(|c| !text.contains(c.as_str())).collect();
            assert!(
                missing.is_empty(),
                "{} Leeds LSOAs missing from the web map",
                missing.len()
            );
        }
    }
}
