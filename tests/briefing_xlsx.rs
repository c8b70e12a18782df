//! The briefing workbook, re-read with calamine (sheets, headers, numbers as numbers, codes as text, the 19 Diagram 3
//! rows of Leeds 2015 → 2019) and its fills read from the package's own XML (calamine does not read fills).

use calamine::{Data, Reader, Xlsx};
use locality_map::analysis::{AreaFilter, EditionComparison, LaSummary};
use locality_map::export::{
    CB_SAFE_TOP1, CB_SAFE_WORSENED, CivilDate, FIXED_SHEETS, LEAGUE_SHEET, TABLE_IMPROVED, TABLE_TOP1, TABLE_WORSENED,
    briefing_workbook,
};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use locality_map::style::Rgba;
use std::collections::HashMap;
use std::io::{Cursor, Read as _};
use std::sync::OnceLock;

fn leeds() -> &'static (Dataset, EditionComparison, Vec<u8>) {
    static DATA: OnceLock<(Dataset, EditionComparison, Vec<u8>)> = OnceLock::new();
    DATA.get_or_init(|| {
        let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
        let comparison =
            EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).expect("Leeds compares");
        let bytes = briefing_workbook(&dataset, &comparison, CivilDate::from_days_since_epoch(20_089)).unwrap();
        (dataset, comparison, bytes)
    })
}

fn workbook() -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(leeds().2.clone())).expect("calamine opens the workbook")
}

fn sheet(name: &str) -> calamine::Range<Data> {
    let range = workbook().worksheet_range(name).expect("sheet exists");
    // Bound what a broken file could make calamine allocate: no sheet here is near this.
    assert!(
        range.get_size().0 < 40_000 && range.get_size().1 < 100,
        "{name} is {:?}",
        range.get_size()
    );
    range
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn float(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

#[test]
fn the_sheets_are_read_me_summary_diagram_3_lsoas_each_priority_ward_and_the_league() {
    let (dataset, comparison, _) = leeds();
    let summary = LaSummary::new(dataset, comparison).unwrap();
    let names = workbook().sheet_names();
    assert_eq!(&names[..5], &FIXED_SHEETS.map(String::from));
    assert_eq!(names.last().map(String::as_str), Some(LEAGUE_SHEET));
    let ward_sheets = &names[5..names.len() - 1];
    assert_eq!(
        ward_sheets.len(),
        summary.priority_wards.as_ref().expect("Leeds wards are loaded").len()
    );
    assert!(
        summary.priority_wards.as_ref().expect("Leeds wards are loaded").len() >= 5,
        "Leeds has several priority wards"
    );
    for (sheet_name, ward) in ward_sheets.iter().zip(summary.priority_wards.iter().flatten()) {
        assert!(
            ward.name.starts_with(sheet_name.split(" E0").next().unwrap()),
            "{sheet_name} / {}",
            ward.name
        );
        let range = sheet(sheet_name);
        let expected = comparison
            .rows
            .iter()
            .filter(|r| r.ward_code == Some(ward.code))
            .count();
        assert_eq!(range.height() - 1, expected, "{sheet_name}: one row per LSOA");
    }
    let read_me = sheet("Read me");
    let all: Vec<String> = read_me.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    let joined = all.join("\n");
    for needed in [
        "Contains OS data © Crown copyright and database right 2025",
        "Contains National Statistics data © Crown copyright and database right 2025",
        "Open Government Licence v3.0",
        "2025-01-01",
        "rank <= 328",
        "IMD ranks are relative",
    ] {
        assert!(joined.contains(needed), "Read me lacks {needed:?}:\n{joined}");
    }
}

#[test]
fn diagram_3_has_the_19_leeds_rows_with_numbers_as_numbers_and_codes_as_text() {
    let (_, comparison, _) = leeds();
    let range = sheet("Diagram 3");
    let rows: Vec<&[Data]> = range.rows().collect();
    let headers: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        headers,
        [
            "Ward",
            "Ward code",
            "LSOA code",
            "LSOA name",
            "Rank 2015",
            "Rank 2019",
            "Change",
            "1% transition"
        ]
    );
    let body = &rows[1..];
    assert_eq!(body.len(), 19, "Leeds has 19 LSOAs in the 1% in 2015 or 2019");
    let by_code: HashMap<&str, _> = comparison.rows.iter().map(|r| (r.lsoa_code.as_str(), r)).collect();
    for row in body {
        let code = text(&row[2]);
        let expected = by_code[code.as_str()];
        assert_eq!(text(&row[0]), expected.ward_name);
        assert!(text(&row[1]).starts_with("E05"));
        assert_eq!(float(&row[4]), f64::from(expected.rank_from.unwrap()));
        assert_eq!(float(&row[5]), f64::from(expected.rank_to.unwrap()));
        assert_eq!(float(&row[6]), expected.change.unwrap() as f64);
        assert!(expected.in_top1_from || expected.in_top1_to);
    }
    let league = sheet(LEAGUE_SHEET);
    assert!(league.height() > 300, "every English LA: {}", league.height());
    let first: Vec<&Data> = league.rows().nth(1).unwrap().iter().collect();
    assert!(text(first[0]).starts_with('E'));
    assert!(
        float(first[4]) > 0.0 && float(first[4]) <= 1.0,
        "decile 1 share is a fraction"
    );
    let lsoas = sheet("All LSOAs");
    assert_eq!(lsoas.height() - 1, 482);
}

/// The package's parts: cell style index → fill colour, and for a sheet each cell reference's style index.
fn fills_of(sheet_xml_part: &str) -> HashMap<String, Option<Rgba>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(leeds().2.clone())).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let styles = part("xl/styles.xml");
    let sheet = part(sheet_xml_part);
    let between = |s: &str, open: &str, close: &str| -> String {
        let a = s.find(open).unwrap_or(0);
        let b = s[a..].find(close).map_or(s.len(), |b| a + b);
        s[a..b].to_string()
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let a = tag.find(&key)? + key.len();
        Some(tag[a..a + tag[a..].find('"')?].to_string())
    };
    let fills_xml = between(&styles, "<fills", "</fills>");
    let fills: Vec<Option<Rgba>> = fills_xml
        .split("<fill>")
        .skip(1)
        .map(|f| {
            let fg = f.find("<fgColor")?;
            let rgb = attr(&f[fg..], "rgb")?;
            let v = u32::from_str_radix(&rgb[rgb.len() - 6..], 16).ok()?;
            Some(Rgba::hex(v))
        })
        .collect();
    let xfs_xml = between(&styles, "<cellXfs", "</cellXfs>");
    let xf_fill: Vec<usize> = xfs_xml
        .split("<xf ")
        .skip(1)
        .map(|xf| attr(&format!(" {xf}"), "fillId").map_or(0, |v| v.parse().unwrap()))
        .collect();
    sheet
        .split("<c ")
        .skip(1)
        .filter_map(|c| {
            let c = format!(" {c}");
            let reference = attr(&c, "r")?;
            let style: usize = attr(&c, "s").map_or(0, |s| s.parse().unwrap());
            Some((reference, fills.get(*xf_fill.get(style)?).copied().flatten()))
        })
        .collect()
}

#[test]
fn diagram_3_cells_carry_the_council_fills_and_the_colour_blind_safe_copy_its_own() {
    let (_, comparison, _) = leeds();
    let range = sheet("Diagram 3");
    let by_code: HashMap<&str, _> = comparison.rows.iter().map(|r| (r.lsoa_code.as_str(), r)).collect();
    // Sheets are numbered in workbook order: Diagram 3 is the third, its colour-blind-safe copy the fourth.
    for (part, top1, worsened, improved) in [
        ("xl/worksheets/sheet3.xml", TABLE_TOP1, TABLE_WORSENED, TABLE_IMPROVED),
        (
            "xl/worksheets/sheet4.xml",
            CB_SAFE_TOP1,
            CB_SAFE_WORSENED,
            locality_map::export::CB_SAFE_IMPROVED,
        ),
    ] {
        let fills = fills_of(part);
        let (mut orange, mut red, mut green) = (0, 0, 0);
        for (i, row) in range.rows().enumerate().skip(1) {
            let r = by_code[text(&row[2]).as_str()];
            let n = i + 1; // spreadsheet rows are 1-based
            let fill = |col: char| fills.get(&format!("{col}{n}")).copied().flatten();
            assert_eq!(fill('E'), r.in_top1_from.then_some(top1), "{part} E{n}");
            assert_eq!(fill('F'), r.in_top1_to.then_some(top1), "{part} F{n}");
            let change = r.change.unwrap();
            let expected = if change < 0 {
                Some(worsened)
            } else if change > 0 {
                Some(improved)
            } else {
                None
            };
            assert_eq!(fill('G'), expected, "{part} G{n}");
            orange += usize::from(fill('E').is_some()) + usize::from(fill('F').is_some());
            red += usize::from(change < 0);
            green += usize::from(change > 0);
        }
        // Leeds: 16 in the 1% in 2015, 12 in 2019; both kinds of change occur.
        assert_eq!(orange, 16 + 12, "{part}");
        assert!(red > 0 && green > 0, "{part}: {red} worsened, {green} improved");
        // Headers frozen and filtered.
        let mut zip = zip::ZipArchive::new(Cursor::new(leeds().2.clone())).unwrap();
        let mut xml = String::new();
        zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("state=\"frozen\""), "{part}: header frozen");
        assert!(
            xml.contains("<autoFilter ref=\"A1:H20\""),
            "{part}: filter on the table"
        );
        assert!(xml.contains("<col "), "{part}: column widths set");
    }
}
