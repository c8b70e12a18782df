//! Malformed inputs a planner really meets: failed downloads, Excel exports, wrong projections, broken shapefiles.
//!
//! Each fixture in `tests/malformed/` (see its README) is cut from the real data in `../shared/data` and broken in
//! one way. Each test checks two things a planner would notice: the loader names the fault (a specific `LoadError`,
//! or a problem in the `JoinReport` that gives the row or feature), and the good rows or features in the same file
//! still load. Rows are numbered as a spreadsheet shows them: the header is row 1.

mod common;

use locality_map::io::{
    BoundaryFile, Crs, DataSource, ImdTable, LoadError, LoadOptions, RawTable, ShapefileParts, TextEncoding,
    load_dataset, parse_imd_table, parse_lookup, read_csv, read_geojson, read_shapefile, read_workbook,
};
use locality_map::model::{AreaCode, JoinReport, Lookup, LsoaVintage, Problem, Severity};
use std::path::{Path, PathBuf};

const MALFORMED: &str = "tests/malformed";
/// The good files these tests set the broken ones against are the embedded default's copies of the official files.
const FILE2_2019: &str = common::EMBEDDED_FILE2_2019;
const LEEDS_LSOA11_BNG: &str = "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson";

fn fixture(name: &str) -> PathBuf {
    Path::new(MALFORMED).join(name)
}

fn bytes_of(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("fixture {} cannot be read: {e}", path.display()))
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).expect("a valid code in the test")
}

fn csv_table(name: &str) -> RawTable {
    let path = fixture(name);
    read_csv(&path, &bytes_of(&path)).unwrap_or_else(|e| panic!("{name} should read as a CSV: {e}"))
}

fn imd(name: &str, edition_hint: Option<u16>) -> (Result<ImdTable, LoadError>, JoinReport) {
    let mut report = JoinReport::default();
    let result = parse_imd_table(&csv_table(name), edition_hint, &mut report);
    (result, report)
}

fn geojson(name: &str) -> (Result<BoundaryFile, LoadError>, JoinReport) {
    let path = fixture(name);
    let mut report = JoinReport::default();
    let result = read_geojson(&path, &bytes_of(&path), &mut report);
    (result, report)
}

/// Reads `<stem>.shp` with whichever of its `.shx`, `.dbf` and `.prj` are on disk, as the folder loader does.
fn shapefile(stem: &str) -> (Result<BoundaryFile, LoadError>, JoinReport) {
    let path = fixture(&format!("{stem}.shp"));
    let sidecar = |ext: &str| std::fs::read(path.with_extension(ext)).ok();
    let (shp, shx, dbf, prj) = (bytes_of(&path), sidecar("shx"), sidecar("dbf"), sidecar("prj"));
    let parts = ShapefileParts {
        shp: &shp,
        shx: shx.as_deref(),
        dbf: dbf.as_deref(),
        prj: prj.as_deref(),
    };
    let mut report = JoinReport::default();
    let result = read_shapefile(&path, parts, &mut report);
    (result, report)
}

/// The problem reported at a place (`row 3`, `feature 2`), failing with the whole report if there is none.
fn problem_at<'a>(report: &'a JoinReport, location: &str) -> &'a Problem {
    report
        .problems
        .iter()
        .find(|p| p.location.as_deref() == Some(location))
        .unwrap_or_else(|| panic!("no problem reported at {location:?}; report: {:#?}", report.problems))
}

fn locations(report: &JoinReport) -> Vec<&str> {
    report.problems.iter().filter_map(|p| p.location.as_deref()).collect()
}

fn rank_of(table: &ImdTable, lsoa: &str) -> Option<u32> {
    let wanted = code(lsoa);
    let (_, row) = table.rows.iter().find(|(c, _)| *c == wanted)?;
    row.imd_rank().map(|r| r.get())
}

fn codes_of(file: &BoundaryFile) -> Vec<&str> {
    let mut codes: Vec<&str> = file.areas.iter().map(|a| a.code.as_str()).collect();
    codes.sort_unstable();
    codes
}

/// A file-level error must end with ` — <path>` so the planner can find the file.
fn assert_names_file(error: &LoadError, name: &str) {
    let text = error.to_string();
    assert!(
        text.ends_with(&format!(" — {}", fixture(name).display())),
        "the message should end with the file's path: {text}"
    );
}

// ------------------------------------------------------------------------------------------------- GeoJSON

#[test]
fn truncated_download() {
    // A download cut off in the middle of the second feature (line 3): the planner needs the line to see it is cut short.
    let (result, _) = geojson("truncated_download.geojson");
    let error = result.expect_err("a truncated file cannot load");
    assert!(
        matches!(error, LoadError::BadJson { line: 3, .. }),
        "expected BadJson at line 3, got {error:?}"
    );
    assert_names_file(&error, "truncated_download.geojson");
}

#[test]
fn html_error_page() {
    // ArcGIS's sign-in page saved under a .geojson name: say "web page", not a JSON syntax error at line 1.
    let (result, _) = geojson("html_error_page.geojson");
    let error = result.expect_err("HTML is not boundaries");
    assert!(matches!(error, LoadError::Html { .. }), "got {error:?}");
    assert!(error.to_string().contains("web page"), "{error}");
    assert_names_file(&error, "html_error_page.geojson");
}

#[test]
fn whitespace_only() {
    let (result, _) = geojson("whitespace_only.geojson");
    assert!(matches!(result, Err(LoadError::Empty { .. })), "got {result:?}");
}

#[test]
fn single_feature_not_collection() {
    // One Feature on its own is valid GeoJSON, but not a layer of areas.
    let (result, _) = geojson("single_feature_not_collection.geojson");
    match result {
        Err(LoadError::Unrecognised { detail, .. }) => assert!(detail.contains("FeatureCollection"), "{detail}"),
        other => panic!("expected Unrecognised, got {other:?}"),
    }
}

#[test]
fn null_geometry() {
    let (result, report) = geojson("null_geometry.geojson");
    let file = result.expect("the other features load");
    assert_eq!(file.features_read, 3);
    assert_eq!(codes_of(&file), ["E01011374", "E01033033"], "features 1 and 3 load");
    let problem = problem_at(&report, "feature 2");
    assert_eq!(problem.severity, Severity::Warning);
    assert!(
        problem.message.contains("E01011426") && problem.message.contains("no geometry"),
        "{problem}"
    );
}

#[test]
fn point_geometry_not_polygon() {
    // Feature 2 is the LSOA's centroid, not its boundary: it cannot be drawn or hit-tested as an area.
    let (result, report) = geojson("point_geometry_not_polygon.geojson");
    let file = result.expect("the polygons load");
    assert_eq!(codes_of(&file), ["E01011374", "E01033033"]);
    let problem = problem_at(&report, "feature 2");
    assert!(problem.message.contains("Point"), "{problem}");
    assert_eq!(locations(&report), ["feature 2"], "only feature 2 is reported");
}

#[test]
fn ring_not_closed() {
    // Feature 1's outer ring lacks its closing vertex: closed and noted, and the area still loads.
    let (result, report) = geojson("ring_not_closed.geojson");
    let file = result.expect("all three load");
    assert_eq!(file.areas.len(), 3);
    let problem = problem_at(&report, "feature 1");
    assert_eq!(
        problem.severity,
        Severity::Note,
        "nothing was dropped, so a note: {problem}"
    );
    assert!(problem.message.contains("not closed"), "{problem}");
}

#[test]
fn duplicate_feature_codes() {
    let (result, report) = geojson("duplicate_feature_codes.geojson");
    let file = result.expect("the first copy loads");
    assert_eq!(file.features_read, 4);
    assert_eq!(file.areas.len(), 3);
    let problem = problem_at(&report, "feature 4");
    assert!(
        problem.message.contains("E01011374") && problem.message.contains("feature 1"),
        "{problem}"
    );
}

#[test]
fn feature_without_code() {
    let (result, report) = geojson("feature_without_code.geojson");
    let file = result.expect("the coded features load");
    assert_eq!(codes_of(&file), ["E01011374", "E01033033"]);
    assert!(problem_at(&report, "feature 2").message.contains("LSOA11CD"));
}

/// The bounding box of an LSOA as the good BNG file gives it, to check that a repaired file lands in the same place.
fn reference_bbox(lsoa: &str) -> geo::Rect<f64> {
    let path = Path::new(LEEDS_LSOA11_BNG);
    let bytes = common::embedded_bytes(LEEDS_LSOA11_BNG);
    let file = read_geojson(path, &bytes, &mut JoinReport::default()).expect("the good Leeds file loads");
    let wanted = code(lsoa);
    file.areas
        .iter()
        .find(|a| a.code == wanted)
        .map(|a| a.bbox_in_world)
        .expect("the LSOA is in Leeds")
}

fn assert_same_place(file: &BoundaryFile, lsoa: &str, tolerance_m: f64) {
    let wanted = code(lsoa);
    let got = file
        .areas
        .iter()
        .find(|a| a.code == wanted)
        .expect("area loaded")
        .bbox_in_world;
    let expected = reference_bbox(lsoa);
    let (a, b) = (got.center(), expected.center());
    let distance = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
    assert!(
        distance < tolerance_m,
        "{lsoa} is {distance:.0} m from where the BNG file puts it"
    );
}

#[test]
fn latlon_swapped() {
    // [lat, lon] instead of [lon, lat]: without the fix Leeds would land in the sea off Somalia.
    let (result, report) = geojson("latlon_swapped.geojson");
    let file = result.expect("swapped axes are read");
    assert_eq!(file.areas.len(), 3);
    let problem = problem_at(&report, "crs");
    assert!(problem.message.contains("swapped"), "{problem}");
    for lsoa in ["E01011374", "E01011426", "E01033033"] {
        assert_same_place(&file, lsoa, 50.0);
    }
}

#[test]
fn bng_declared_as_wgs84() {
    // The crs member says CRS84, but the numbers are eastings and northings: trust the numbers, and say so.
    let (result, report) = geojson("bng_declared_as_wgs84.geojson");
    let file = result.expect("read as BNG");
    assert_eq!(file.crs, Crs::Bng);
    assert_eq!(file.areas.len(), 3);
    assert!(problem_at(&report, "crs").message.contains("EPSG:27700"));
    assert_same_place(&file, "E01011426", 1.0);
}

#[test]
fn null_island_feature() {
    // Feature 2 was geocoded to (0, 0). Its outlying bounding box must not flip the CRS guess for the whole file: the
    // planner should be told about feature 2, and features 1 and 3 should still be drawn in Leeds.
    let (result, report) = geojson("null_island_feature.geojson");
    let file = result.expect("the Leeds features load");
    assert_eq!(file.crs, Crs::Wgs84, "report: {:#?}", report.problems);
    for lsoa in ["E01011374", "E01033033"] {
        assert_same_place(&file, lsoa, 50.0);
    }
    problem_at(&report, "feature 2");
}

#[test]
fn unsupported_crs_3857() {
    let (result, _) = geojson("unsupported_crs_3857.geojson");
    match result {
        Err(LoadError::UnsupportedCrs { ref crs, .. }) => assert!(crs.contains("3857"), "{crs}"),
        other => panic!("expected UnsupportedCrs, got {other:?}"),
    }
}

#[test]
fn web_mercator_metres_undeclared() {
    // No crs member (so WGS84 by the standard), but the numbers are Web Mercator metres: neither degrees nor the grid.
    let (result, _) = geojson("web_mercator_metres_undeclared.geojson");
    match result {
        Err(LoadError::Unrecognised { detail, .. }) => assert!(detail.contains("neither"), "{detail}"),
        other => panic!("expected Unrecognised, got {other:?}"),
    }
}

// ------------------------------------------------------------------------------------------------- CSV tables

#[test]
fn zero_bytes() {
    let path = fixture("zero_bytes.csv");
    let result = read_csv(&path, &bytes_of(&path));
    let error = result.expect_err("nothing to read");
    assert!(matches!(error, LoadError::Empty { .. }), "got {error:?}");
    assert_names_file(&error, "zero_bytes.csv");
}

#[test]
fn missing_rank_column() {
    // File 1 with its rank and decile columns deleted: LSOA codes but no deprivation figures at all.
    let (result, _) = imd("missing_rank_column.csv", None);
    let error = result.expect_err("nothing to map");
    match &error {
        LoadError::MissingColumn { what, .. } => assert!(what.contains("rank"), "{what}"),
        other => panic!("expected MissingColumn, got {other:?}"),
    }
    assert!(error.to_string().starts_with("row 1:"), "the header is row 1: {error}");
}

#[test]
fn non_numeric_rank() {
    let (result, report) = imd("non_numeric_rank.csv", None);
    let table = result.expect("the other rows load");
    assert_eq!(table.year, 2019);
    assert_eq!(table.rows.len(), 6, "the row is kept, with its rank blank");
    assert_eq!(rank_of(&table, "E01011265"), None);
    assert_eq!(rank_of(&table, "E01011264"), Some(13_915));
    let problem = problem_at(&report, "row 3");
    assert!(
        problem.message.contains("E01011265") && problem.message.contains("n/a"),
        "{problem}"
    );
    assert_eq!(locations(&report), ["row 3"]);
}

#[test]
fn ranks_as_decimals() {
    // Excel's "General" format writes 13915.0; that is still a rank. 13915.5 is not.
    let (result, report) = imd("ranks_as_decimals.csv", None);
    let table = result.expect("loads");
    assert_eq!(rank_of(&table, "E01011264"), Some(13_915));
    assert_eq!(rank_of(&table, "E01011267"), None);
    let ranked = table.rows.iter().filter(|(_, r)| r.imd_rank().is_some()).count();
    assert_eq!(ranked, 5);
    assert!(problem_at(&report, "row 5").message.contains("whole number"));
    assert_eq!(locations(&report), ["row 5"]);
}

#[test]
fn ranks_with_thousands_separators() {
    // "13,915" is how MHCLG's own CSV writes ranks; a non-breaking space separator comes from a French-locale Excel.
    let (result, report) = imd("ranks_with_thousands_separators.csv", None);
    let table = result.expect("loads");
    assert_eq!(rank_of(&table, "E01011264"), Some(13_915));
    assert_eq!(rank_of(&table, "E01011266"), Some(29_666));
    assert_eq!(rank_of(&table, "E01011268"), Some(6_082));
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

#[test]
fn unquoted_thousands_separators() {
    // 13,915 written without quotes splits into two cells, "13" and "915": rank 13 would be silently wrong, so each
    // row must be reported (or the rank left blank), never read as 13. Every row of this fixture is broken, so the
    // file as a whole could not be used, and says so.
    let (result, report) = imd("unquoted_thousands_separators.csv", None);
    match result {
        Ok(table) => {
            for (lsoa, fragment, whole) in [("E01011264", 13, 13_915), ("E01011268", 6, 6_082)] {
                let rank = rank_of(&table, lsoa);
                assert!(
                    rank.is_none() || rank == Some(whole),
                    "{lsoa}: rank read as {rank:?} (the fragment {fragment} before the comma)"
                );
            }
        }
        Err(error) => assert!(error.to_string().contains("none of the table's 6 data rows"), "{error}"),
    }
    for row in 2..=7 {
        problem_at(&report, &format!("row {row}"));
    }
}

#[test]
fn duplicate_codes_different_ranks() {
    let (result, report) = imd("duplicate_codes_different_ranks.csv", None);
    let table = result.expect("loads");
    assert_eq!(table.rows.len(), 6, "the repeat is not a seventh LSOA");
    assert_eq!(rank_of(&table, "E01011265"), Some(20_368), "the first row is kept");
    let problem = problem_at(&report, "row 8");
    assert!(
        problem.message.contains("E01011265") && problem.message.contains("row 3"),
        "{problem}"
    );
}

#[test]
fn welsh_lsoas_in_english_table() {
    // Cardiff LSOAs from an England-and-Wales join: the English IMD does not rank them.
    let (result, report) = imd("welsh_lsoas_in_english_table.csv", None);
    let table = result.expect("the English rows load");
    assert_eq!(table.rows.len(), 4);
    assert!(table.rows.iter().all(|(c, _)| !c.is_welsh()));
    let problem = problem_at(&report, "row 5");
    assert!(
        problem.message.contains("3 Welsh"),
        "counts all three, from row 5: {problem}"
    );
}

#[test]
fn bom_crlf_file1_2019() {
    // Excel on Windows: a byte-order mark, CRLF line ends, and a blank line after row 4.
    let table = csv_table("bom_crlf_file1_2019.csv");
    assert_eq!(table.headers[0], "LSOA code (2011)", "no BOM left on the first header");
    assert_eq!(table.rows.len(), 6);
    assert_eq!(
        table.rows[3].0, 6,
        "the row after the blank line is row 6, as a spreadsheet shows it"
    );
    let mut report = JoinReport::default();
    let imd = parse_imd_table(&table, None, &mut report).expect("loads");
    assert_eq!(imd.year, 2019);
    let last = &imd.rows[5].1;
    assert_eq!(last.name, "Leeds 011B", "no carriage return left in a cell");
    assert_eq!(
        last.imd_decile().map(|d| d.get()),
        Some(5),
        "the last column parses despite the \\r"
    );
    assert_eq!(rank_of(&imd, "E01011267"), Some(9_111));
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

#[test]
fn latin1_names() {
    // An old Excel "CSV" save: Windows-1252, so "Môn" is the single byte 0xF4, which is not valid UTF-8.
    let table = csv_table("latin1_names.csv");
    assert_eq!(table.encoding, TextEncoding::Windows1252);
    let mut report = JoinReport::default();
    let lookup = parse_lookup(&table, &mut report).expect("loads");
    let Lookup::Ward(vintage, lookup) = lookup else {
        panic!("expected a ward lookup")
    };
    assert_eq!((vintage, lookup.ward_year), (LsoaVintage::Lsoa2021, 2024));
    assert_eq!(lookup.by_lsoa.len(), 5);
    assert_eq!(lookup.by_lsoa[&code("W01000014")].ward_name, "Canolbarth Môn");
    assert_eq!(lookup.by_lsoa[&code("E01032499")].ward_name, "Armley");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

#[test]
fn utf16_excel_unicode_text() {
    // Excel's "Unicode Text": UTF-16LE with a BOM, tab-separated, numbers with bare thousands separators.
    let table = csv_table("utf16_excel_unicode_text.csv");
    assert_eq!(table.encoding, TextEncoding::Utf16);
    assert_eq!(table.headers.len(), 6, "split on tabs, not commas");
    let mut report = JoinReport::default();
    let imd = parse_imd_table(&table, None, &mut report).expect("loads");
    assert_eq!((imd.year, imd.rows.len()), (2019, 6));
    assert_eq!(
        rank_of(&imd, "E01011264"),
        Some(13_915),
        "13,915 inside a tab-separated cell"
    );
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

#[test]
fn mixed_editions_2021_codes_2019_headers() {
    // IMD 2025 rows pasted under the 2019 headers. Rows 5–7 carry codes created in 2021 (no 2011 LSOA is numbered
    // above E01033768), so the file cannot be IMD 2019 on 2011 LSOAs. The planner must be told, not shown 2025 ranks
    // as 2019 ones.
    let (result, report) = imd("mixed_editions_2021_codes_2019_headers.csv", None);
    if let Ok(table) = result {
        assert!(
            report.problems.iter().any(|p| p.message.contains("E01035040")),
            "the 2021-only code should be reported; loaded {} rows as IMD {} with report {:#?}",
            table.rows.len(),
            table.year,
            report.problems
        );
    }
}

#[test]
fn lsoa2021_header_with_lad2019_header() {
    // The headers contradict each other: 2021 LSOA codes, but 2019 districts (so IMD 2019, which ranks 2011 LSOAs).
    let (result, _) = imd("lsoa2021_header_with_lad2019_header.csv", None);
    match result {
        Err(LoadError::Unrecognised { detail, .. }) => {
            assert!(detail.contains("LSOA 2021") && detail.contains("IMD 2019"), "{detail}")
        }
        other => panic!("expected Unrecognised, got {other:?}"),
    }
}

#[test]
fn no_year_in_headers() {
    let (result, _) = imd("no_year_in_headers.csv", None);
    let error = result.expect_err("the edition cannot be guessed");
    assert!(matches!(error, LoadError::UnknownEdition { .. }), "got {error:?}");
    assert!(
        error.to_string().contains("--edition"),
        "tells the planner what to do: {error}"
    );
    // With the edition given, every row loads.
    let (result, report) = imd("no_year_in_headers.csv", Some(2019));
    let table = result.expect("loads with --edition 2019");
    assert_eq!((table.year, table.rows.len()), (2019, 6));
    assert!(report.problems.is_empty());
}

#[test]
fn lookup_with_unknown_codes() {
    // Row 4 has a truncated code, row 6 a name in the code column. Row 7's E01099999 is well formed but no LSOA:
    // that can only be caught against an IMD table (see the folder test).
    let table = csv_table("lookup_with_unknown_codes.csv");
    let mut report = JoinReport::default();
    let Lookup::Ward(vintage, lookup) = parse_lookup(&table, &mut report).expect("loads") else {
        panic!("expected a ward lookup")
    };
    assert_eq!((vintage, lookup.ward_year), (LsoaVintage::Lsoa2011, 2019));
    assert_eq!(lookup.by_lsoa.len(), 4);
    assert_eq!(lookup.by_lsoa[&code("E01011552")].ward_name, "Ardsley & Robin Hood");
    assert!(problem_at(&report, "row 4").message.contains("E0101155"));
    assert!(problem_at(&report, "row 6").message.contains("Leeds 107A"));
    assert_eq!(locations(&report), ["row 4", "row 6"]);
}

#[test]
fn decile_11_and_rank_0() {
    let (result, report) = imd("decile_11_and_rank_0.csv", None);
    let table = result.expect("loads");
    assert_eq!(table.rows.len(), 6);
    assert!(problem_at(&report, "row 3").message.contains("decile \"11\""));
    assert!(problem_at(&report, "row 5").message.contains("rank \"0\""));
    assert_eq!(rank_of(&table, "E01011267"), None, "rank 0 is left blank");
    assert_eq!(rank_of(&table, "E01011265"), Some(20_368), "row 3 keeps its good rank");
}

#[test]
fn unterminated_quote() {
    // Row 5 opens a quote that never closes; the csv reader runs that cell to the end of the file.
    let (result, report) = imd("unterminated_quote.csv", None);
    let table = result.expect("rows before the stray quote load");
    assert_eq!(rank_of(&table, "E01011264"), Some(13_915));
    assert_eq!(rank_of(&table, "E01011266"), Some(29_666));
    let problem = problem_at(&report, "row 5");
    assert!(problem.message.contains("quote"), "{problem}");
}

// ------------------------------------------------------------------------------------------------- Workbooks

#[test]
fn imd_on_second_sheet() {
    // MHCLG workbooks open on a Notes sheet; the data is on the second.
    let path = fixture("imd_on_second_sheet.xlsx");
    let sheets = read_workbook(&path, &bytes_of(&path)).expect("a valid workbook");
    assert_eq!(sheets.len(), 2);
    assert_eq!(sheets[1].sheet.as_deref(), Some("IMD2019"));
    let dataset = load_dataset(&DataSource::Folder(path.clone()), &LoadOptions::default()).expect("loads");
    let edition = dataset.edition(2019).expect("IMD 2019 found on sheet 2");
    assert_eq!(edition.rows.len(), 6);
    assert_eq!(
        edition.rows[&code("E01011264")].imd_rank().map(|r| r.get()),
        Some(13_915)
    );
    assert_eq!(
        dataset.report.count_at_least(Severity::Warning),
        0,
        "{:#?}",
        dataset.report.problems
    );
}

#[test]
fn csv_renamed_as_xlsx() {
    let path = fixture("csv_renamed_as_xlsx.xlsx");
    let error = read_workbook(&path, &bytes_of(&path)).expect_err("not a workbook");
    assert!(matches!(error, LoadError::Spreadsheet { .. }), "got {error:?}");
    assert_names_file(&error, "csv_renamed_as_xlsx.xlsx");
}

// ------------------------------------------------------------------------------------------------- Shapefiles

#[test]
fn missing_dbf() {
    // Without the .dbf there are no LSOA codes, so the shapes cannot be joined to anything.
    let (result, _) = shapefile("missing_dbf");
    let error = result.expect_err("codes are in the .dbf");
    assert!(
        matches!(error, LoadError::MissingSidecar { missing: ".dbf", .. }),
        "got {error:?}"
    );
    assert_names_file(&error, "missing_dbf.shp");
}

#[test]
fn missing_shx() {
    // The .shx is only an index: records can be read in order without it. Loads, with a note.
    let (result, report) = shapefile("missing_shx");
    let file = result.expect("loads without the index");
    assert_eq!(codes_of(&file), ["E01011374", "E01011426", "E01033033"]);
    assert!(
        report.problems.iter().any(|p| p.message.contains(".shx")),
        "{:#?}",
        report.problems
    );
}

#[test]
fn prj_web_mercator() {
    let (result, _) = shapefile("prj_web_mercator");
    match result {
        Err(LoadError::UnsupportedCrs { ref crs, .. }) => assert!(crs.contains("Mercator"), "{crs}"),
        other => panic!("expected UnsupportedCrs, got {other:?}"),
    }
}

#[test]
fn dbf_fewer_records() {
    // Four shapes, three attribute records: the first three pair up; the planner is told the counts differ.
    let (result, report) = shapefile("dbf_fewer_records");
    let file = result.expect("the paired records load");
    assert_eq!(codes_of(&file), ["E01011374", "E01011426", "E01033033"]);
    let problem = problem_at(&report, "records");
    assert!(
        problem.message.contains("4 shapes") && problem.message.contains("3 records"),
        "{problem}"
    );
}

#[test]
fn dbf_fewer_records_counts_every_shape() {
    // `features_read` is documented as "features or records in the file, loaded or not" (GeoJSON counts them so).
    let (result, _) = shapefile("dbf_fewer_records");
    assert_eq!(result.expect("loads").features_read, 4);
}

#[test]
fn truncated_shp() {
    // An interrupted copy: the .shp stops part-way through record 3. Records 1 and 2 are whole and load.
    let (result, report) = shapefile("truncated_shp");
    let file = result.expect("the whole records load");
    assert_eq!(codes_of(&file), ["E01011374", "E01011426"]);
    let problem = problem_at(&report, "record 3");
    assert_eq!(problem.severity, Severity::Warning);
}

#[test]
fn point_centroids_not_polygons() {
    // ONS population-weighted centroids share the LSOA11CD field but are points, not boundaries.
    let (result, _) = shapefile("point_centroids_not_polygons");
    match result {
        Err(LoadError::Unrecognised { detail, .. }) => assert!(detail.contains("not polygons"), "{detail}"),
        other => panic!("expected Unrecognised, got {other:?}"),
    }
}

// ------------------------------------------------------------------------------------------------- Folders

/// A fresh, empty folder under the system temp dir, unique to this process and test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-malformed-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_into(dir: &Path, from: &Path) -> PathBuf {
    let to = dir.join(from.file_name().expect("a file name"));
    std::fs::copy(from, &to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    to
}

#[test]
fn folder_with_good_leeds_data_and_bad_files() {
    let dir = scratch_dir("folder");
    for name in [FILE2_2019, LEEDS_LSOA11_BNG] {
        std::fs::write(dir.join(name), common::embedded_bytes(name)).expect("write a good file");
    }
    // Every bad file carries only real Leeds codes (or Welsh ones), so it cannot change the good counts.
    let bad = [
        "truncated_download.geojson",
        "html_error_page.geojson",
        "null_geometry.geojson",
        "unsupported_crs_3857.geojson",
        "zero_bytes.csv",
        "non_numeric_rank.csv",
        "no_year_in_headers.csv",
        "duplicate_codes_different_ranks.csv",
        "welsh_lsoas_in_english_table.csv",
        "lookup_with_unknown_codes.csv",
        "csv_renamed_as_xlsx.xlsx",
        "missing_dbf.shp",
        "prj_web_mercator.shp",
    ];
    for name in bad {
        copy_into(&dir, &fixture(name));
    }
    for sidecar in ["missing_dbf.shx", "missing_dbf.prj"].into_iter().chain([
        "prj_web_mercator.shx",
        "prj_web_mercator.dbf",
        "prj_web_mercator.prj",
    ]) {
        copy_into(&dir, &fixture(sidecar));
    }

    let dataset = load_dataset(&DataSource::Folder(dir.clone()), &LoadOptions::default())
        .expect("bad files never fail the whole load");
    let edition = dataset.edition(2019).expect("IMD 2019 loaded");
    assert_eq!(
        edition.rows.len(),
        32_844,
        "every English LSOA, no Welsh ones, no repeats"
    );
    assert_eq!(
        edition.ranked_count(),
        32_844,
        "the good file's ranks win over the bad files' blanks"
    );
    let layer = dataset
        .lsoa_layers
        .get(&LsoaVintage::Lsoa2011)
        .expect("LSOA 2011 layer");
    assert_eq!(layer.areas.len(), 482, "all of Leeds");

    for name in bad {
        let path = dir.join(name);
        assert!(
            dataset
                .report
                .problems
                .iter()
                .any(|p| p.path.as_deref() == Some(path.as_path())),
            "{name} is not in the report: {:#?}",
            dataset.report.problems
        );
    }
    // File-level failures are errors whose message ends with the path.
    for name in [
        "truncated_download.geojson",
        "html_error_page.geojson",
        "unsupported_crs_3857.geojson",
        "zero_bytes.csv",
        "no_year_in_headers.csv",
        "csv_renamed_as_xlsx.xlsx",
        "missing_dbf.shp",
        "prj_web_mercator.shp",
    ] {
        let path = dir.join(name);
        let problem = dataset
            .report
            .problems
            .iter()
            .find(|p| p.path.as_deref() == Some(path.as_path()))
            .expect("reported");
        assert_eq!(problem.severity, Severity::Error, "{problem}");
        assert!(
            problem.message.ends_with(&format!(" — {}", path.display())),
            "{problem}"
        );
    }
    // Row-level problems keep their place.
    let non_numeric = dir.join("non_numeric_rank.csv");
    assert!(
        dataset
            .report
            .problems
            .iter()
            .any(|p| { p.path.as_deref() == Some(non_numeric.as_path()) && p.location.as_deref() == Some("row 3") })
    );
    // The well-formed but unknown code in the lookup is caught against IMD 2019.
    let lookup = dir.join("lookup_with_unknown_codes.csv");
    assert!(
        dataset
            .report
            .problems
            .iter()
            .any(|p| p.path.as_deref() == Some(lookup.as_path()) && p.message.contains("E01099999")),
        "{:#?}",
        dataset.report.problems
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn folder_with_symlink_loop() {
    // A link inside the data folder pointing back at it: the walk must stop and say so, not recurse forever.
    let dir = scratch_dir("symlink-loop");
    copy_into(&dir, &fixture("bom_crlf_file1_2019.csv"));
    let link = dir.join("loop");
    std::os::unix::fs::symlink(&dir, &link).expect("symlink");
    let (sender, receiver) = std::sync::mpsc::channel();
    let source = DataSource::Folder(dir.clone());
    std::thread::spawn(move || {
        let _ = sender.send(load_dataset(&source, &LoadOptions::default()));
    });
    let dataset = receiver
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the load finishes within a minute")
        .expect("loads");
    assert_eq!(
        dataset.edition(2019).map(|e| e.rows.len()),
        Some(6),
        "the file is read once"
    );
    let problem = dataset
        .report
        .problems
        .iter()
        .find(|p| p.path.as_deref() == Some(link.as_path()))
        .unwrap_or_else(|| panic!("the loop is not reported: {:#?}", dataset.report.problems));
    assert!(problem.message.contains("loop"), "{problem}");
    let _ = std::fs::remove_dir_all(&dir);
}
