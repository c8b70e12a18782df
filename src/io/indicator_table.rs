//! Tidy indicator tables: an area code column (LSOA `E01…`, ward `E05…`, LA `E06…`–`E09…`, recognised by the codes'
//! shape), a period column (`date`, `month`, `year`, `period`) and one or more value columns, or a `measure` column
//! with a `value` column (long format) — e.g. the claimant count as NOMIS / Trafford Data Lab publish it.

use super::{LoadError, RawTable};
use crate::model::{
    AreaCode, AreaLevel, IndicatorArea, IndicatorUnit, JoinReport, LsoaVintage, Period, Severity, SkippedRows, slug,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One value column (or one measure) of a table: values by area and period.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSeries {
    /// Name for the command line (see [`indicator_name`]).
    pub name: String,
    /// Title as the file gives it.
    pub title: String,
    /// Count, rate or %.
    pub unit: IndicatorUnit,
    /// Values; a repeated area and period keeps the first (reported).
    pub values: BTreeMap<(AreaCode, Period), f64>,
}

/// What one tidy or wide table holds.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorTable {
    /// The file.
    pub path: PathBuf,
    /// Which areas.
    pub level: AreaLevel,
    /// Names and LAs of its areas.
    pub areas: BTreeMap<AreaCode, IndicatorArea>,
    /// The value columns.
    pub series: Vec<TableSeries>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// Cells or rows not read, and why.
    pub skipped: SkippedRows,
}

/// The areas a code column holds, from the shape of its first codes.
fn level_of_codes(table: &RawTable, column: usize) -> Option<AreaLevel> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (_, record) in table.rows.iter().take(200) {
        let Some(code) = record.get(column).and_then(AreaCode::parse) else {
            continue;
        };
        let kind = match code.entity() {
            "E01" | "W01" => "lsoa",
            "E05" | "W05" => "ward",
            "E06" | "E07" | "E08" | "E09" | "W06" => "la",
            _ => continue,
        };
        *counts.entry(kind).or_default() += 1;
    }
    let (kind, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    let header = table
        .headers
        .get(column)
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_default();
    let digits: String = header.chars().filter(char::is_ascii_digit).collect();
    let year = digits.parse::<u16>().ok().map(|y| if y < 100 { 2000 + y } else { y });
    Some(match kind {
        "lsoa" if year == Some(2021) => AreaLevel::Lsoa(LsoaVintage::Lsoa2021),
        "lsoa" => AreaLevel::Lsoa(LsoaVintage::Lsoa2011),
        "ward" => AreaLevel::Ward(year),
        _ => AreaLevel::La,
    })
}

/// Area code columns with their level, finest first.
fn code_columns(table: &RawTable) -> Vec<(usize, AreaLevel)> {
    let mut found: Vec<(usize, AreaLevel)> = (0..table.headers.len())
        .filter(|i| {
            let h = table
                .headers
                .get(*i)
                .map(|h| h.to_ascii_lowercase())
                .unwrap_or_default();
            h.contains("code") || h.ends_with("cd") || h == "geography" || h == "area"
        })
        .filter_map(|i| level_of_codes(table, i).map(|l| (i, l)))
        .collect();
    let rank = |l: &AreaLevel| match l {
        AreaLevel::Lsoa(_) => 0,
        AreaLevel::Ward(_) => 1,
        AreaLevel::La => 2,
    };
    found.sort_by_key(|(i, l)| (rank(l), *i));
    found
}

/// The name column beside a code column: `wd15nm` for `wd15cd`, `LSOA name` for `LSOA code`.
fn name_column(table: &RawTable, code_column: usize) -> Option<usize> {
    let header = table.headers.get(code_column)?.to_ascii_lowercase();
    let wanted = [
        header.strip_suffix("cd").map(|s| format!("{s}nm")),
        header.strip_suffix("code").map(|s| format!("{s}name")),
    ];
    table.column(|h| wanted.iter().flatten().any(|w| w == h))
}

fn period_column(table: &RawTable) -> Option<usize> {
    table.column(|h| matches!(h, "date" | "month" | "year" | "period" | "time" | "reference period"))
}

/// True for a tidy table: a code column of LSOAs, wards or LAs and a period column whose first value is a period.
pub fn is_tidy_table(table: &RawTable) -> bool {
    let Some(period) = period_column(table) else {
        return false;
    };
    !code_columns(table).is_empty()
        && table
            .rows
            .first()
            .and_then(|(_, r)| r.get(period))
            .and_then(Period::parse)
            .is_some()
}

/// True for a wide table: a code column and at least two columns headed by periods (`2015`, `2015-01`).
pub fn is_wide_table(table: &RawTable) -> bool {
    !code_columns(table).is_empty() && table.headers.iter().filter(|h| Period::parse(h).is_some()).count() >= 2
}

/// A value column's unit, from its header or measure name.
fn unit_of(header: &str) -> IndicatorUnit {
    let h = header.to_ascii_lowercase();
    if h.contains('%') || h.contains("percent") || h.contains("pct") || h.contains("proportion") {
        IndicatorUnit::Percent
    } else if h.contains("rate") {
        IndicatorUnit::Rate
    } else {
        IndicatorUnit::Count
    }
}

/// The command-line name of a series: its measure or column, or — for a generic column (`count`, `value`) — the
/// file's name without its period and geography words (`trafford_gm_claimant_count_wards_2015-01_2017-10` →
/// `trafford-gm-claimant-count`), with `-rate` / `-percent` added for those units.
pub fn indicator_name(file_stem: &str, column: &str) -> String {
    let generic = [
        "count", "value", "values", "n", "number", "total", "rate", "percent", "%", "pct",
    ];
    let column_lower = column.trim().to_ascii_lowercase();
    if !generic.contains(&column_lower.as_str()) {
        return slug(column);
    }
    let noise = [
        "lsoa", "lsoas", "lsoa11", "lsoa21", "ward", "wards", "la", "las", "lad", "lads", "lad15", "data",
    ];
    let words: Vec<String> = slug(file_stem)
        .split('-')
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()) && !noise.contains(w))
        .map(str::to_string)
        .collect();
    let base = if words.is_empty() {
        "indicator".to_string()
    } else {
        words.join("-")
    };
    match unit_of(column) {
        IndicatorUnit::Count => base,
        IndicatorUnit::Rate => format!("{base}-rate"),
        IndicatorUnit::Percent => format!("{base}-percent"),
    }
}

fn file_stem(table: &RawTable) -> String {
    table
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().trim_start_matches("embedded:").to_string())
        .unwrap_or_default()
}

/// Reads the areas of a row: the finest code column's code (or a skip reason), its name and its LA.
fn area_of_row(
    record: &csv::StringRecord,
    columns: &[(usize, AreaLevel)],
    names: &[Option<usize>],
) -> Result<IndicatorArea, &'static str> {
    let cell = |i: usize| record.get(i).map(str::trim).unwrap_or_default();
    let (Some((code_col, level)), Some(name_col)) = (columns.first(), names.first()) else {
        return Err("no area code column");
    };
    let text = cell(*code_col);
    let Some(code) = AreaCode::parse(text) else {
        return Err(if text.is_empty() {
            "no area code"
        } else {
            "not an ONS area code"
        });
    };
    let fits = match level {
        AreaLevel::Lsoa(_) => matches!(code.entity(), "E01" | "W01"),
        AreaLevel::Ward(_) => matches!(code.entity(), "E05" | "W05"),
        AreaLevel::La => matches!(code.entity(), "E06" | "E07" | "E08" | "E09" | "W06"),
    };
    if !fits {
        return Err("a code of another kind of area than the column's");
    }
    let la = columns
        .iter()
        .zip(names)
        .skip(1)
        .find(|((_, l), _)| *l == AreaLevel::La)
        .and_then(|((c, _), n)| {
            AreaCode::parse(cell(*c)).map(|code| (code, n.map(|n| cell(n).to_string()).unwrap_or_default()))
        });
    Ok(IndicatorArea {
        code,
        name: name_col.map(|n| cell(n).to_string()).unwrap_or_default(),
        la_code: la.as_ref().map(|(c, _)| *c),
        la_name: la.map(|(_, n)| n).unwrap_or_default(),
    })
}

/// The code columns of a table and the level of its first (the table's areas), or the error naming the file.
fn area_code_columns(table: &RawTable) -> Result<(Vec<(usize, AreaLevel)>, AreaLevel), LoadError> {
    let columns = code_columns(table);
    let Some((_, level)) = columns.first().copied() else {
        return Err(LoadError::MissingColumn {
            what: "area code",
            looked_for: "a column of E01 (LSOA), E05 (ward) or E06-E09 (LA) codes",
            path: table.path.clone(),
        });
    };
    Ok((columns, level))
}

impl IndicatorTable {
    /// The table read from `table` before any row is: no areas, no series.
    fn empty(table: &RawTable, level: AreaLevel) -> Self {
        Self {
            path: table.path.clone(),
            level,
            areas: BTreeMap::new(),
            series: Vec::new(),
            rows_read: table.rows.len(),
            skipped: SkippedRows::default(),
        }
    }
}

/// The rows and cells a parse skipped, by reason, with the first row of each (for the load report).
#[derive(Default)]
struct Skips {
    rows: SkippedRows,
    first_row: BTreeMap<String, usize>,
}

impl Skips {
    fn skip(&mut self, row: usize, why: String) {
        self.first_row.entry(why.clone()).or_insert(row);
        self.rows.add(why);
    }

    /// The row's area; `None`, the row skipped, when it is broken (see `row_shape_problem`) or has no usable code.
    fn row_area(
        &mut self,
        table: &RawTable,
        (row, record): (usize, &csv::StringRecord),
        columns: &[(usize, AreaLevel)],
        names: &[Option<usize>],
    ) -> Option<IndicatorArea> {
        let area = match table.row_shape_problem(record) {
            Some(problem) => Err(problem),
            None => area_of_row(record, columns, names).map_err(str::to_string),
        };
        area.map_err(|why| self.skip(row, why)).ok()
    }

    /// Files the skips with the table and one warning a reason in the report.
    fn report(self, table: &mut IndicatorTable, report: &mut JoinReport) {
        for (why, count) in &self.rows.by_reason {
            let row = self.first_row.get(why).copied().unwrap_or(0);
            report.push(
                Severity::Warning,
                Some(table.path.clone()),
                Some(format!("row {row}")),
                format!("{count} indicator cells or rows skipped: {why} (first at row {row})"),
            );
        }
        table.skipped = self.rows;
    }
}

/// Reads a tidy table. Rows with unknown codes or periods and non-numeric values are skipped and reported.
pub fn parse_tidy_table(table: &RawTable, report: &mut JoinReport) -> Result<IndicatorTable, LoadError> {
    let (columns, level) = area_code_columns(table)?;
    let Some(period_col) = period_column(table) else {
        return Err(LoadError::MissingColumn {
            what: "period",
            looked_for: "date, month, year, period",
            path: table.path.clone(),
        });
    };
    let names: Vec<Option<usize>> = columns.iter().map(|(c, _)| name_column(table, *c)).collect();
    let structural: Vec<usize> = columns
        .iter()
        .map(|(c, _)| *c)
        .chain(names.iter().flatten().copied())
        .chain([period_col])
        .collect();
    let measure_col = table.column(|h| matches!(h, "measure" | "indicator" | "variable" | "measures"));
    let value_col = table.column(|h| matches!(h, "value" | "obs_value" | "values"));
    let stem = file_stem(table);
    let mut out = IndicatorTable::empty(table, level);
    let mut skips = Skips::default();
    // Long format: one series per measure. Wide-by-column: one series per numeric column.
    let value_columns: Vec<usize> = match (measure_col, value_col) {
        (Some(_), Some(v)) => vec![v],
        _ => (0..table.headers.len())
            .filter(|i| !structural.contains(i))
            .filter(|i| {
                let cells: Vec<&str> = table
                    .rows
                    .iter()
                    .take(200)
                    .filter_map(|(_, r)| r.get(*i))
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect();
                !cells.is_empty() && cells.iter().filter(|c| parse_number(c).is_some()).count() * 2 >= cells.len()
            })
            .collect(),
    };
    if value_columns.is_empty() {
        return Err(LoadError::Unrecognised {
            detail: "an indicator table (area codes and periods) with no numeric value column".into(),
            path: table.path.clone(),
        });
    }
    let mut series_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut duplicates = 0usize;
    for (row, record) in &table.rows {
        let Some(area) = skips.row_area(table, (*row, record), &columns, &names) else {
            continue;
        };
        let mut skip = |why: String| skips.skip(*row, why);
        let Some(period) = record.get(period_col).and_then(Period::parse) else {
            skip("not a period (YYYY-MM, YYYY-MM-DD or YYYY)".into());
            continue;
        };
        let code = area.code;
        out.areas.entry(code).or_insert(area);
        for &col in &value_columns {
            let header = table.headers.get(col).cloned().unwrap_or_default();
            let (name, title) = match measure_col {
                Some(m) => {
                    let measure = record.get(m).map(str::trim).unwrap_or_default().to_string();
                    (slug(&measure), measure)
                }
                None => (indicator_name(&stem, &header), header.clone()),
            };
            let text = record.get(col).map(str::trim).unwrap_or_default();
            let Some(value) = parse_number(text) else {
                skip(if text.is_empty() {
                    format!("{header}: empty")
                } else {
                    format!("{header}: not a number")
                });
                continue;
            };
            let index = *series_index.entry(name.clone()).or_insert_with(|| {
                out.series.push(TableSeries {
                    unit: unit_of(&title),
                    name,
                    title,
                    values: BTreeMap::new(),
                });
                out.series.len() - 1
            });
            if let Some(series) = out.series.get_mut(index)
                && series.values.insert((code, period), value).is_some()
            {
                duplicates += 1;
            }
        }
    }
    if duplicates > 0 {
        report.push(
            Severity::Warning,
            Some(table.path.clone()),
            None,
            format!("{duplicates} values repeat an area and period already given; the last was kept"),
        );
    }
    skips.report(&mut out, report);
    Ok(out)
}

/// Reads a wide table: one row per area, one column per period.
pub fn parse_wide_table(table: &RawTable, report: &mut JoinReport) -> Result<IndicatorTable, LoadError> {
    let (columns, level) = area_code_columns(table)?;
    let names: Vec<Option<usize>> = columns.iter().map(|(c, _)| name_column(table, *c)).collect();
    let period_columns: Vec<(usize, Period)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Period::parse(h).map(|p| (i, p)))
        .collect();
    let stem = file_stem(table);
    let mut series = TableSeries {
        name: indicator_name(&stem, "value"),
        title: stem.clone(),
        unit: unit_of(&stem),
        values: BTreeMap::new(),
    };
    let mut out = IndicatorTable::empty(table, level);
    let mut skips = Skips::default();
    for (row, record) in &table.rows {
        let Some(area) = skips.row_area(table, (*row, record), &columns, &names) else {
            continue;
        };
        let mut skip = |why: String| skips.skip(*row, why);
        for (col, period) in &period_columns {
            let text = record.get(*col).map(str::trim).unwrap_or_default();
            match parse_number(text) {
                Some(value) => {
                    series.values.insert((area.code, *period), value);
                }
                None if text.is_empty() => {}
                None => skip(format!("{period}: not a number")),
            }
        }
        out.areas.entry(area.code).or_insert(area);
    }
    out.series.push(series);
    skips.report(&mut out, report);
    Ok(out)
}

/// A number as tables write them: `1,234`, `12.5`, `7%`; suppressed cells (`*`, `..`, `-`) are not numbers.
fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv;
    use std::path::Path;

    #[test]
    fn claimant_style_ward_table_reads_counts_and_rates_with_las() {
        let text = "date,count,rate,wd15cd,wd15nm,lad15cd,lad15nm\n\
                    2015-01-01,155,1.7,E05000650,Astley Bridge,E08000001,Bolton\n\
                    2015-02-01,150,1.6,E05000650,Astley Bridge,E08000001,Bolton\n\
                    2015-02-01,x,1.6,E05000651,Bradshaw,E08000001,Bolton\n\
                    2015-02-01,3,1.6,Z123,Nowhere,E08000001,Bolton\n";
        let table = read_csv(
            Path::new("trafford_gm_claimant_count_wards_2015-01_2017-10.csv"),
            text.as_bytes(),
        )
        .unwrap();
        assert!(is_tidy_table(&table));
        let mut report = JoinReport::default();
        let parsed = parse_tidy_table(&table, &mut report).unwrap();
        assert_eq!(parsed.level, AreaLevel::Ward(Some(2015)));
        let names: Vec<&str> = parsed.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["trafford-gm-claimant-count", "trafford-gm-claimant-count-rate"]);
        assert_eq!(parsed.series[0].values.len(), 2);
        assert_eq!(parsed.series[1].unit, IndicatorUnit::Rate);
        let bolton = AreaCode::parse("E08000001").unwrap();
        assert_eq!(parsed.areas.values().next().unwrap().la_code, Some(bolton));
        assert_eq!(parsed.skipped.by_reason.get("count: not a number"), Some(&1));
        assert_eq!(parsed.skipped.by_reason.get("not an ONS area code"), Some(&1));
        assert!(report.problems.iter().any(|p| p.message.contains("not a number")));
    }

    #[test]
    fn long_format_measures_and_wide_tables() {
        let text = "date,lsoa11cd,lsoa11nm,measure,value\n2017-10-01,E01004766,Bolton 005A,Claimant count,25\n";
        let table = read_csv(Path::new("x.csv"), text.as_bytes()).unwrap();
        let parsed = parse_tidy_table(&table, &mut JoinReport::default()).unwrap();
        assert_eq!(parsed.level, AreaLevel::Lsoa(LsoaVintage::Lsoa2011));
        assert_eq!(parsed.series[0].name, "claimant-count");
        let wide = "LSOA code,LSOA name,2019,2020,2021\nE01000001,City 001A,3,4,\n";
        let table = read_csv(Path::new("empty_homes_by_lsoa.csv"), wide.as_bytes()).unwrap();
        assert!(is_wide_table(&table) && !is_tidy_table(&table));
        let parsed = parse_wide_table(&table, &mut JoinReport::default()).unwrap();
        assert_eq!(parsed.series[0].name, "empty-homes-by");
        assert_eq!(parsed.series[0].values.len(), 2);
    }
}
