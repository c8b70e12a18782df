//! police.uk street-level crime downloads (`YYYY-MM-<force>-street.csv`), recognised by their header: one row per
//! crime or anti-social behaviour report, with an anonymised point and the LSOA (2021 codes) it falls in.

use super::{LoadError, RawTable, world_from_lonlat};
use crate::model::{AreaCode, JoinReport, Period, Severity, SkippedRows};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The outcome police.uk gives a crime before any other: a later download of a month has fewer rows with it.
pub const UNDER_INVESTIGATION: &str = "Under investigation";

/// One row of a street-level file.
#[derive(Clone, Debug, PartialEq)]
pub struct PoliceRow {
    /// Spreadsheet row (1-based, header = 1).
    pub row: usize,
    /// The anonymised crime id; empty for anti-social behaviour.
    pub crime_id: Option<String>,
    /// The month the row is reported in.
    pub month: Period,
    /// The force whose area it falls within.
    pub falls_within: String,
    /// LSOA code (2021) and name, when given.
    pub lsoa: Option<(AreaCode, String)>,
    /// Crime type as published, e.g. `Burglary`, `Anti-social behaviour`.
    pub crime_type: String,
    /// Last outcome category (changes between downloads).
    pub outcome: String,
    /// The anonymised point in BNG metres, when given.
    pub point_in_world: Option<geo::Coord<f64>>,
}

/// One street-level file.
#[derive(Clone, Debug)]
pub struct PoliceFile {
    /// The file.
    pub path: PathBuf,
    /// Rows with a month and crime type.
    pub rows: Vec<PoliceRow>,
    /// Rows per month (a month file normally holds one).
    pub months: BTreeMap<Period, usize>,
    /// Rows whose outcome is still "Under investigation" (fewer in a later download).
    pub under_investigation: usize,
    /// Rows not read and why.
    pub skipped: SkippedRows,
}

/// True for a police.uk street-level file: at least three of its distinctive columns (so that a file missing one of
/// them is still recognised, and then refused naming the column).
pub fn is_police_table(table: &RawTable) -> bool {
    let wanted = [
        "crime id",
        "month",
        "reported by",
        "falls within",
        "lsoa code",
        "crime type",
        "last outcome category",
    ];
    let found = wanted
        .iter()
        .filter(|w| table.headers.iter().any(|h| h.trim().eq_ignore_ascii_case(w)))
        .count();
    found >= 3 && table.column(|h| h == "crime type" || h == "crime id").is_some()
}

/// Reads a street-level file. A missing column is a named error; rows without a month or crime type are skipped and
/// reported; rows without an LSOA or location are kept (counted, reported by month later).
pub fn parse_police_table(table: &RawTable, report: &mut JoinReport) -> Result<PoliceFile, LoadError> {
    let path = &table.path;
    let column = |name: &'static str| {
        table.column(|h| h == name).ok_or_else(|| LoadError::MissingColumn {
            what: name,
            looked_for: "the police.uk street-level header: Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category, Context",
            path: path.clone(),
        })
    };
    let id_col = column("crime id")?;
    let month_col = column("month")?;
    let lsoa_col = column("lsoa code")?;
    let type_col = column("crime type")?;
    let lon_col = column("longitude")?;
    let lat_col = column("latitude")?;
    let name_col = table.column(|h| h == "lsoa name");
    let outcome_col = table.column(|h| h == "last outcome category");
    let force_col = table.column(|h| h == "falls within");

    let mut file = PoliceFile {
        path: path.clone(),
        rows: Vec::with_capacity(table.rows.len()),
        months: BTreeMap::new(),
        under_investigation: 0,
        skipped: SkippedRows::default(),
    };
    let mut first_bad: BTreeMap<String, usize> = BTreeMap::new();
    for (row, record) in &table.rows {
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or_default();
        let mut skip = |why: &str| {
            file.skipped.add(why);
            first_bad.entry(why.to_string()).or_insert(*row);
        };
        if let Some(problem) = table.row_shape_problem(record) {
            skip(&problem);
            continue;
        }
        let Some(month) = Period::parse(cell(month_col)).filter(|p| p.month != 0) else {
            skip("no month (YYYY-MM) in the Month column");
            continue;
        };
        let crime_type = cell(type_col);
        if crime_type.is_empty() {
            skip("no crime type");
            continue;
        }
        let lsoa_text = cell(lsoa_col);
        let lsoa = if lsoa_text.is_empty() {
            None
        } else if let Some(code) = AreaCode::parse(lsoa_text).filter(|c| matches!(c.entity(), "E01" | "W01")) {
            Some((code, name_col.map(|i| cell(i).to_string()).unwrap_or_default()))
        } else {
            skip("an LSOA code that is not an E01/W01 code");
            continue;
        };
        let lon = cell(lon_col).parse::<f64>().ok();
        let lat = cell(lat_col).parse::<f64>().ok();
        let point_in_world = lon
            .zip(lat)
            .filter(|(x, y)| (-9.0..=3.0).contains(x) && (49.0..=61.5).contains(y))
            .and_then(|(x, y)| world_from_lonlat(geo::coord! { x: x, y: y }));
        let outcome = outcome_col.map(|i| cell(i).to_string()).unwrap_or_default();
        if outcome == UNDER_INVESTIGATION {
            file.under_investigation += 1;
        }
        let id = cell(id_col);
        *file.months.entry(month).or_default() += 1;
        file.rows.push(PoliceRow {
            row: *row,
            crime_id: (!id.is_empty()).then(|| id.to_string()),
            month,
            falls_within: force_col.map(|i| cell(i).to_string()).unwrap_or_default(),
            lsoa,
            crime_type: crime_type.to_string(),
            outcome,
            point_in_world,
        });
    }
    for (why, count) in &file.skipped.by_reason {
        let row = first_bad.get(why).copied().unwrap_or(0);
        report.push(
            Severity::Warning,
            Some(path.clone()),
            Some(format!("row {row}")),
            format!("{count} police.uk rows skipped: {why} (first at row {row})"),
        );
    }
    if file.months.len() > 1 {
        let listed: Vec<String> = file.months.iter().map(|(m, n)| format!("{m}: {n}")).collect();
        report.push(
            Severity::Warning,
            Some(path.clone()),
            None,
            format!(
                "a police.uk month file with rows of {} months ({}); each row is counted in its own month",
                file.months.len(),
                listed.join(", ")
            ),
        );
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv;
    use std::path::Path;

    const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";

    #[test]
    fn reads_rows_with_and_without_lsoa_and_id() {
        let text = format!(
            "{HEADER}abc,2024-02,City of London Police,City of London Police,-0.106220,51.518275,On or near B500,E01000916,Camden 027B,Public order,Under investigation,\n\
             ,2024-02,City of London Police,City of London Police,,,No Location,,,Anti-social behaviour,,\n\
             def,2024-03,City of London Police,City of London Police,-0.1,51.5,x,E01000916,Camden 027B,Burglary,,\n"
        );
        let table = read_csv(Path::new("t.csv"), text.as_bytes()).unwrap();
        assert!(is_police_table(&table));
        let mut report = JoinReport::default();
        let file = parse_police_table(&table, &mut report).unwrap();
        assert_eq!(file.rows.len(), 3);
        assert_eq!(file.under_investigation, 1);
        assert!(
            file.rows[1].crime_id.is_none() && file.rows[1].lsoa.is_none() && file.rows[1].point_in_world.is_none()
        );
        assert!(file.rows[0].point_in_world.is_some());
        // Two months in one file: reported, each row kept in its month.
        assert_eq!(file.months.len(), 2);
        assert!(report.problems.iter().any(|p| p.message.contains("rows of 2 months")));
    }

    #[test]
    fn a_missing_column_is_named() {
        let text = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA name,Crime type\nx,2024-02,a,a,0,51,l,n,Burglary\n";
        let table = read_csv(Path::new("bad.csv"), text.as_bytes()).unwrap();
        assert!(is_police_table(&table));
        let error = parse_police_table(&table, &mut JoinReport::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("lsoa code") && error.ends_with("bad.csv"), "{error}");
    }
}
