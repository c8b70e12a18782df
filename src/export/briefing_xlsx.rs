//! The briefing workbook for an LA (`briefing.xlsx`, written with `rust_xlsxwriter`): a Read me sheet (sources,
//! editions, licence and attribution, caveats, the date), the LA summary, the council's Diagram 3 with its orange /
//! red / green cells and a colour-blind-safe copy, every LSOA, one sheet per priority ward and the LA league table.
//! Numbers are numbers, codes are text, headers are frozen with filters on and columns sized to their contents.

use super::ExportError;
use super::change_columns::{CHANGES_CSV_COLUMNS, CellValue, ChangeColumn, LsoaField, SELECTION_COLUMNS, lsoa_fields};
use super::date::CivilDate;
use super::report_png::{attribution_lines, sources_text};
use super::save::save_atomic;
use super::table_png::{TABLE_IMPROVED, TABLE_TOP1, TABLE_WORSENED, diagram3_rows};
use crate::analysis::{EditionComparison, LaSummary, LeagueTable, LsoaChange, WardProfile};
use crate::model::Dataset;
use crate::style::{RELATIVE_RANKS_CAVEAT, Rgba};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Colour-blind-safe Diagram 3 fills (Okabe & Ito 2008, Tol 2021): orange for the 1%, dark wine for worsened and
/// blue for improved, apart under protanopia, deuteranopia and tritanopia alike.
pub const CB_SAFE_TOP1: Rgba = Rgba::hex(0xe69f00);
/// Colour-blind-safe fill for a worsened rank.
pub const CB_SAFE_WORSENED: Rgba = Rgba::hex(0x882255);
/// Colour-blind-safe fill for an improved rank.
pub const CB_SAFE_IMPROVED: Rgba = Rgba::hex(0x56b4e9);

/// The sheet names, in order, before the ward sheets.
pub const FIXED_SHEETS: [&str; 5] = [
    "Read me",
    "Summary",
    "Diagram 3",
    "Diagram 3 (colour-blind safe)",
    "All LSOAs",
];
/// The league table's sheet, last.
pub const LEAGUE_SHEET: &str = "LA league";

/// One cell: its value and optional fill.
struct Cell {
    value: CellValue,
    fill: Option<Rgba>,
}

impl From<CellValue> for Cell {
    fn from(value: CellValue) -> Self {
        Self { value, fill: None }
    }
}

fn text(s: impl Into<String>) -> CellValue {
    CellValue::Text(s.into())
}

fn number(n: Option<impl Into<f64>>) -> CellValue {
    n.map_or(CellValue::Empty, |n| CellValue::Number(n.into()))
}

/// A table column: header and number format.
struct Column {
    header: String,
    num_format: &'static str,
}

fn column(header: impl Into<String>, num_format: &'static str) -> Column {
    Column {
        header: header.into(),
        num_format,
    }
}

/// The number format a change-table column is shown with.
fn num_format_of(c: ChangeColumn) -> &'static str {
    use ChangeColumn::*;
    match c {
        Change => "+#,##0;-#,##0;0",
        PercentileFrom | PercentileTo => "0.000",
        PercentileChange => "+0.000;-0.000;0.000",
        RankFrom | RankTo | Population => "#,##0",
        _ => "0",
    }
}

/// Builds the workbook in memory.
pub fn briefing_workbook(
    dataset: &Dataset,
    comparison: &EditionComparison,
    export_date: CivilDate,
) -> Result<Vec<u8>, ExportError> {
    let xlsx = |e: XlsxError| ExportError::Build {
        what: "workbook",
        message: e.to_string(),
    };
    let summary = LaSummary::new(dataset, comparison).map_err(|e| ExportError::Build {
        what: "workbook",
        message: e.to_string(),
    })?;
    let (from, to) = (comparison.from, comparison.to);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();

    let read_me = workbook.add_worksheet().set_name(FIXED_SHEETS[0]).map_err(xlsx)?;
    write_read_me(read_me, dataset, comparison, export_date, &bold).map_err(xlsx)?;

    let sheet = workbook.add_worksheet().set_name(FIXED_SHEETS[1]).map_err(xlsx)?;
    write_summary(sheet, &summary, &bold).map_err(xlsx)?;

    let diagram3 = diagram3_rows(comparison);
    for (name, fills) in [
        (FIXED_SHEETS[2], [TABLE_TOP1, TABLE_WORSENED, TABLE_IMPROVED]),
        (FIXED_SHEETS[3], [CB_SAFE_TOP1, CB_SAFE_WORSENED, CB_SAFE_IMPROVED]),
    ] {
        let sheet = workbook.add_worksheet().set_name(name).map_err(xlsx)?;
        write_diagram3(sheet, &diagram3, from, to, fills).map_err(xlsx)?;
    }

    let all: Vec<&LsoaChange> = comparison.rows.iter().collect();
    let sheet = workbook.add_worksheet().set_name(FIXED_SHEETS[4]).map_err(xlsx)?;
    write_lsoas(sheet, &all, &CHANGES_CSV_COLUMNS, from, to).map_err(xlsx)?;

    let mut used = std::collections::BTreeSet::new();
    // All of England has hundreds of priority wards: their sheets are left to the LAs' own workbooks.
    let national = comparison.la_code.as_str() == "E92000001";
    for ward in summary.priority_wards.iter().flatten().filter(|_| !national) {
        let profile = WardProfile::new(dataset, ward.code.as_str(), Some(comparison.la_code.as_str()), from, to)
            .map_err(|e| ExportError::Build {
                what: "workbook",
                message: e.to_string(),
            })?;
        let rows: Vec<&LsoaChange> = profile.lsoas.iter().collect();
        let name = sheet_name(&ward.name, ward.code.as_str(), &mut used);
        let sheet = workbook.add_worksheet().set_name(&name).map_err(xlsx)?;
        write_lsoas(sheet, &rows, &SELECTION_COLUMNS, from, to).map_err(xlsx)?;
    }

    let sheet = workbook.add_worksheet().set_name(LEAGUE_SHEET).map_err(xlsx)?;
    match LeagueTable::new(dataset, from, to) {
        Ok(league) => write_league(sheet, &league).map_err(xlsx)?,
        Err(e) => {
            // Right, or say why not: the sheet is there and says what it lacks.
            sheet
                .write_string(
                    0,
                    0,
                    format!("The LA league table cannot be built from the data loaded: {e}"),
                )
                .map_err(xlsx)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx)
}

/// Builds the workbook and saves it atomically.
pub fn save_briefing_xlsx(
    dataset: &Dataset,
    comparison: &EditionComparison,
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
    export_date: CivilDate,
) -> Result<(), ExportError> {
    let bytes = briefing_workbook(dataset, comparison, export_date)?;
    save_atomic(path, overwrite, |out| out.write_all(&bytes))?;
    Ok(())
}

/// A sheet name from a ward name: at most 31 characters, none of `[]:*?/\`, unique (the code is used on a clash).
pub fn sheet_name(ward: &str, code: &str, used: &mut std::collections::BTreeSet<String>) -> String {
    let clean: String = ward
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let mut name: String = clean.chars().take(31).collect();
    let reserved = FIXED_SHEETS
        .iter()
        .chain([&LEAGUE_SHEET])
        .any(|s| s.eq_ignore_ascii_case(&name));
    if name.is_empty() || reserved || used.contains(&name.to_lowercase()) {
        let keep = 30usize.saturating_sub(code.len());
        name = format!("{} {code}", clean.chars().take(keep).collect::<String>())
            .trim()
            .to_string();
    }
    used.insert(name.to_lowercase());
    name
}

fn write_read_me(
    sheet: &mut Worksheet,
    dataset: &Dataset,
    comparison: &EditionComparison,
    date: CivilDate,
    bold: &Format,
) -> Result<(), XlsxError> {
    let (from, to) = (comparison.from, comparison.to);
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 110)?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{}: Indices of Deprivation briefing, IMD {from} to {to}",
            comparison.la_name
        ),
        &title,
    )?;
    let mut lines: Vec<(String, String)> = vec![
        (
            "Local authority".into(),
            format!("{} ({})", comparison.la_name, comparison.la_code),
        ),
        (
            "Editions compared".into(),
            format!("English Indices of Deprivation {from} and {to}"),
        ),
        (
            "Most deprived 1%".into(),
            format!(
                "Rank <= {} of {} in {from}; rank <= {} of {} in {to} (floor(N / 100) of each edition's own N).",
                comparison.threshold_from, comparison.ranked_from, comparison.threshold_to, comparison.ranked_to
            ),
        ),
        (
            "Ranks and change".into(),
            format!("Rank 1 = most deprived. Change = {to} rank - {from} rank: negative = more deprived (worsened)."),
        ),
        ("Sources".into(), sources_text(dataset, comparison)),
        ("Comparison".into(), comparison.comparison.rule.to_string()),
        ("Caveat".into(), comparison.comparison.caveat.to_string()),
        ("Caveat".into(), RELATIVE_RANKS_CAVEAT.to_string()),
        (
            "Population".into(),
            comparison
                .population_source
                .clone()
                .unwrap_or_else(|| "No population denominators are loaded: population cells are empty.".into()),
        ),
    ];
    for (i, line) in attribution_lines(date.year).into_iter().enumerate() {
        lines.push((if i == 2 { "Licence" } else { "Attribution" }.into(), line));
    }
    lines.extend([
        (
            "Diagram 3 colours".into(),
            "Orange: in the most deprived 1% in that edition. Red: rank worsened. Green: rank improved. The \
             colour-blind-safe sheet uses orange, dark wine and blue, and every sheet names the transition in words."
                .into(),
        ),
        (
            "Sheets".into(),
            "Summary; Diagram 3 (LSOAs in the 1% in either edition); All LSOAs; one sheet per priority ward (a ward \
             with at least one LSOA in the 1%; not for all of England); LA league (every LA ranked by share of LSOAs in decile 1)."
                .into(),
        ),
        (
            "Exported".into(),
            format!("{} with Locality Map {}", date.iso(), env!("CARGO_PKG_VERSION")),
        ),
    ]);
    for (i, (key, value)) in lines.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_string_with_format(row, 0, key, bold)?;
        sheet.write_string_with_format(row, 1, value, &wrap)?;
    }
    Ok(())
}

fn write_summary(sheet: &mut Worksheet, s: &LaSummary, bold: &Format) -> Result<(), XlsxError> {
    let (from, to) = (s.from, s.to);
    let share = Format::new().set_num_format("0.0%");
    let count = Format::new().set_num_format("#,##0");
    sheet.set_column_width(0, 48)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 14)?;
    sheet.write_string_with_format(0, 0, "Measure", bold)?;
    sheet.write_string_with_format(0, 1, from.to_string(), bold)?;
    sheet.write_string_with_format(0, 2, to.to_string(), bold)?;
    sheet.set_freeze_panes(1, 0)?;
    let rows: Vec<(&str, Option<f64>, Option<f64>, &Format)> = vec![
        ("LSOAs", Some(s.lsoas_from as f64), Some(s.lsoas as f64), &count),
        ("Wards", None, s.wards.map(|w| w as f64), &count),
        (
            "1% threshold (rank <=)",
            Some(f64::from(s.top1.threshold_from)),
            Some(f64::from(s.top1.threshold_to)),
            &count,
        ),
        (
            "LSOAs in the most deprived 1%",
            Some(s.top1.count_from as f64),
            Some(s.top1.count_to as f64),
            &count,
        ),
        ("  stayed in the 1%", None, Some(s.top1.stayed as f64), &count),
        ("  moved into the 1%", None, Some(s.top1.moved_in as f64), &count),
        ("  moved out of the 1%", None, Some(s.top1.moved_out as f64), &count),
        (
            "LSOAs in decile 1 (most deprived 10%)",
            Some(s.decile1.count_from as f64),
            Some(s.decile1.count_to as f64),
            &count,
        ),
        (
            "Share of LSOAs in decile 1",
            Some(s.decile1.share_from),
            Some(s.decile1.share_to),
            &share,
        ),
        (
            "Population in the 1% LSOAs",
            s.top1.population_from.map(|p| p as f64),
            s.top1.population_to.map(|p| p as f64),
            &count,
        ),
        (
            "Population in decile 1 LSOAs",
            s.decile1.population_from.map(|p| p as f64),
            s.decile1.population_to.map(|p| p as f64),
            &count,
        ),
        (
            "National rank by share in decile 1 (1 = highest)",
            None,
            s.la_rank_by_decile1_share.as_ref().map(|r| f64::from(r.rank)),
            &count,
        ),
        (
            "  of LAs",
            None,
            s.la_rank_by_decile1_share.as_ref().map(|r| f64::from(r.of)),
            &count,
        ),
        (
            "Priority wards (an LSOA in the 1%)",
            None,
            s.priority_wards.as_ref().map(|w| w.len() as f64),
            &count,
        ),
    ];
    for (i, (label, a, b, format)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *label)?;
        for (col, value) in [(1, a), (2, b)] {
            if let Some(v) = value {
                sheet.write_number_with_format(row, col, *v, format)?;
            }
        }
    }
    // A figure that depends on data not loaded says so in its cell, never an empty cell that reads as nothing.
    let not_loaded = [
        ("Wards", s.ward_coverage.missing.as_deref()),
        ("Priority wards (an LSOA in the 1%)", s.ward_coverage.missing.as_deref()),
        ("Population in the 1% LSOAs", s.population_missing.as_deref()),
        ("Population in decile 1 LSOAs", s.population_missing.as_deref()),
    ];
    for (i, (label, _, b, _)) in rows.iter().enumerate() {
        if let Some((_, Some(why))) = not_loaded.iter().find(|(l, _)| l == label)
            && b.is_none()
        {
            sheet.write_string(i as u32 + 1, 2, format!("not known — {why}"))?;
        }
    }
    let top = rows.len() as u32 + 3;
    sheet.write_string_with_format(top, 0, "Priority ward", bold)?;
    sheet.write_string_with_format(top, 1, "Ward code", bold)?;
    sheet.write_string_with_format(top, 2, format!("LSOAs in the 1% ({to})"), bold)?;
    for (i, w) in s.priority_wards.iter().flatten().enumerate() {
        let row = top + 1 + i as u32;
        sheet.write_string(row, 0, &w.name)?;
        sheet.write_string(row, 1, w.code.as_str())?;
        sheet.write_number(row, 2, w.lsoas_in_top1 as f64)?;
    }
    Ok(())
}

/// Diagram 3: rank cells filled where the LSOA is in that edition's 1%, change cells by direction.
fn write_diagram3(
    sheet: &mut Worksheet,
    rows: &[&LsoaChange],
    from: u16,
    to: u16,
    [top1, worsened, improved]: [Rgba; 3],
) -> Result<(), XlsxError> {
    let columns = vec![
        column("Ward", "@"),
        column("Ward code", "@"),
        column("LSOA code", "@"),
        column("LSOA name", "@"),
        column(format!("Rank {from}"), "#,##0"),
        column(format!("Rank {to}"), "#,##0"),
        column("Change", "+#,##0;-#,##0;0"),
        column("1% transition", "@"),
    ];
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let fill_if = |on: bool, colour: Rgba| on.then_some(colour);
            let change_fill = r.change.and_then(|c| match c.signum() {
                -1 => Some(worsened),
                1 => Some(improved),
                _ => None,
            });
            vec![
                text(&r.ward_name).into(),
                ChangeColumn::WardCode.value(r).into(),
                text(r.lsoa_code.as_str()).into(),
                text(&r.lsoa_name).into(),
                Cell {
                    value: number(r.rank_from),
                    fill: fill_if(r.in_top1_from, top1),
                },
                Cell {
                    value: number(r.rank_to),
                    fill: fill_if(r.in_top1_to, top1),
                },
                Cell {
                    value: number(r.change.map(|c| c as f64)),
                    fill: change_fill,
                },
                text(r.transition.label()).into(),
            ]
        })
        .collect();
    write_table(sheet, &columns, cells)
}

/// LSOA rows through the shared change-table columns, then the domain ranks of both editions.
fn write_lsoas(
    sheet: &mut Worksheet,
    rows: &[&LsoaChange],
    change_columns: &[ChangeColumn],
    from: u16,
    to: u16,
) -> Result<(), XlsxError> {
    let fields = lsoa_fields(change_columns);
    let num_format = |field: &LsoaField| match field {
        LsoaField::Change(c) => num_format_of(*c),
        LsoaField::DomainRank(..) => "#,##0",
    };
    let columns: Vec<Column> = fields
        .iter()
        .map(|f| column(f.header((from, to)), num_format(f)))
        .collect();
    let cells = rows
        .iter()
        .map(|r| fields.iter().map(|f| Cell::from(f.value(r))).collect())
        .collect();
    write_table(sheet, &columns, cells)
}

fn write_league(sheet: &mut Worksheet, league: &LeagueTable) -> Result<(), XlsxError> {
    let (from, to) = (league.from, league.to);
    let mut columns = vec![column("la_code", "@"), column("la_name", "@")];
    for year in [to, from] {
        columns.extend([
            column(format!("lsoas_{year}"), "#,##0"),
            column(format!("decile1_{year}"), "#,##0"),
            column(format!("decile1_share_{year}"), "0.0%"),
            column(format!("rank_by_decile1_share_{year}"), "0"),
            column(format!("top1_{year}"), "#,##0"),
            column(format!("rank_by_top1_{year}"), "0"),
        ]);
    }
    columns.push(column("rank_change", "+0;-0;0"));
    columns.push(column("top1_change", "+0;-0;0"));
    let cells = league
        .rows
        .iter()
        .map(|r| {
            let mut cells: Vec<Cell> = vec![text(r.la_code.as_str()).into(), text(&r.la_name).into()];
            for entry in [&r.to, &r.from] {
                cells.extend(
                    [
                        entry.map(|e| f64::from(e.lsoas)),
                        entry.map(|e| f64::from(e.decile1)),
                        entry.map(|e| e.decile1_share),
                        entry.map(|e| f64::from(e.rank_by_decile1_share)),
                        entry.map(|e| f64::from(e.top1)),
                        entry.map(|e| f64::from(e.rank_by_top1)),
                    ]
                    .map(|v| Cell::from(number(v))),
                );
            }
            cells.push(number(r.rank_change.map(|v| v as f64)).into());
            cells.push(number(r.top1_change.map(|v| v as f64)).into());
            cells
        })
        .collect();
    write_table(sheet, &columns, cells)
}

/// A table from A1: bold headers, frozen, filtered; numbers as numbers in their formats; widths from the contents.
fn write_table(sheet: &mut Worksheet, columns: &[Column], rows: Vec<Vec<Cell>>) -> Result<(), XlsxError> {
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let formats: Vec<Format> = columns
        .iter()
        .map(|c| Format::new().set_num_format(c.num_format))
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.header.chars().count().min(24)).collect();
    for (col, c) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, &c.header, &header)?;
    }
    for (i, cells) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells.iter().enumerate() {
            let Some(base) = formats.get(col) else { continue };
            let format = match cell.fill {
                Some(fill) => base
                    .clone()
                    .set_background_color(xlsx_colour(fill))
                    .set_font_color(ink_on(fill)),
                None => base.clone(),
            };
            let c = col as u16;
            let shown = match &cell.value {
                CellValue::Text(s) => {
                    sheet.write_string_with_format(row, c, s, &format)?;
                    s.chars().count()
                }
                CellValue::Number(n) => {
                    sheet.write_number_with_format(row, c, *n, &format)?;
                    format!("{n:.0}").len() + 2
                }
                CellValue::Bool(b) => {
                    sheet.write_boolean_with_format(row, c, *b, &format)?;
                    5
                }
                CellValue::Empty => {
                    if cell.fill.is_some() {
                        sheet.write_blank(row, c, &format)?;
                    }
                    0
                }
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(shown);
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width).clamp(6, 60) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = rows.len().max(1) as u32;
    sheet.autofilter(0, 0, last_row, columns.len().saturating_sub(1) as u16)?;
    Ok(())
}

fn xlsx_colour(c: Rgba) -> Color {
    let [r, g, b, _] = c.0;
    Color::RGB((u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b))
}

/// White text on a dark fill, near-black on a light one.
fn ink_on(fill: Rgba) -> Color {
    if fill.luminance() < 0.35 {
        Color::White
    } else {
        Color::RGB(0x1e1e1e)
    }
}

#[cfg(test)]
#[path = "briefing_xlsx_tests.rs"]
mod tests;
