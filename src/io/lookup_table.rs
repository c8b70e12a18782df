//! ONS lookup CSVs: LSOA → ward → LA (`LSOA11CD,WD19CD,…`) and LSOA 2011 → 2021 (`lsoa11_code,change_code,lsoa21_code,…`).

use super::imd_table::{la_columns, lsoa_columns, year_in_header};
use super::{LoadError, RawTable};
use crate::model::{
    AreaCode, BoundaryChange, JoinReport, Lookup, LsoaChangeLookup, LsoaChangeRow, LsoaVintage, WardLookup, WardOfLsoa,
};
use std::collections::BTreeMap;

fn ward_code_column(table: &RawTable) -> Option<usize> {
    table.column(|h| {
        (h.starts_with("wd") && h.ends_with("cd")) || (h.contains("ward") && (h.contains("code") || h.ends_with("cd")))
    })
}

fn change_column(table: &RawTable) -> Option<usize> {
    table.column(|h| h == "chgind" || h.contains("change_code") || h.contains("change indicator"))
}

/// True for an LSOA → ward lookup: an LSOA code column and a ward code column.
pub fn is_ward_lookup(table: &RawTable) -> bool {
    lsoa_columns(table, None).is_some() && ward_code_column(table).is_some()
}

/// True for the LSOA 2011 → 2021 lookup: both codes and a change indicator.
pub fn is_change_lookup(table: &RawTable) -> bool {
    lsoa_columns(table, Some("11")).is_some()
        && lsoa_columns(table, Some("21")).is_some()
        && change_column(table).is_some()
}

/// Parses a lookup of either kind. Rows with bad codes are skipped and reported.
pub fn parse_lookup(table: &RawTable, report: &mut JoinReport) -> Result<Lookup, LoadError> {
    if is_change_lookup(table) {
        parse_change_lookup(table, report).map(Lookup::Change)
    } else {
        parse_ward_lookup(table, report)
    }
}

fn parse_ward_lookup(table: &RawTable, report: &mut JoinReport) -> Result<Lookup, LoadError> {
    let path = &table.path;
    let missing = |what, looked_for| LoadError::MissingColumn {
        what,
        looked_for,
        path: path.clone(),
    };
    let lsoa = lsoa_columns(table, None).ok_or_else(|| missing("LSOA code", "LSOA11CD, lsoa21_code"))?;
    let ward_code = ward_code_column(table).ok_or_else(|| missing("ward code", "WD19CD, ward24_code"))?;
    let ward_header = table.headers.get(ward_code).map(String::as_str).unwrap_or_default();
    let ward_year = year_in_header(ward_header).unwrap_or(0);
    let ward_stem = ward_header.to_ascii_lowercase().replace("code", "").replace("cd", "");
    let ward_name = table.column(|h| {
        h.starts_with(ward_stem.trim_end_matches('_'))
            && (h.ends_with("nm") || h.contains("name"))
            && !h.ends_with("nmw")
    });
    let (la_code, la_name, _) = la_columns(table);
    let vintage = lsoa.vintage.unwrap_or(LsoaVintage::Lsoa2011);
    let mut by_lsoa = BTreeMap::new();
    for (row_number, record) in &table.rows {
        if let Some(why) = table.row_shape_problem(record) {
            report.warn_at(path, format!("row {row_number}"), why);
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        let (Some(code), Some(ward)) = (AreaCode::parse(cell(lsoa.code)), AreaCode::parse(cell(ward_code))) else {
            report.warn_at(
                path,
                format!("row {row_number}"),
                format!(
                    "{:?} → {:?} is not an LSOA code and a ward code; row skipped",
                    cell(lsoa.code),
                    cell(ward_code)
                ),
            );
            continue;
        };
        let entry = WardOfLsoa {
            ward_code: ward,
            ward_name: ward_name.map(|i| cell(i).to_string()).unwrap_or_default(),
            la_code: la_code.and_then(|i| AreaCode::parse(cell(i))),
            la_name: la_name.map(|i| cell(i).to_string()).unwrap_or_default(),
        };
        if let Some(previous) = by_lsoa.get(&code) {
            if *previous != entry {
                report.warn_at(
                    path,
                    format!("row {row_number}"),
                    format!("{code} is listed again in another ward; kept the first"),
                );
            }
            continue;
        }
        by_lsoa.insert(code, entry);
    }
    Ok(Lookup::Ward(
        vintage,
        WardLookup {
            ward_year,
            by_lsoa,
            sources: vec![path.clone()],
        },
    ))
}

fn parse_change_lookup(table: &RawTable, report: &mut JoinReport) -> Result<LsoaChangeLookup, LoadError> {
    let path = &table.path;
    let missing = |what, looked_for| LoadError::MissingColumn {
        what,
        looked_for,
        path: path.clone(),
    };
    let from = lsoa_columns(table, Some("11")).ok_or_else(|| missing("2011 LSOA code", "LSOA11CD, lsoa11_code"))?;
    let to = lsoa_columns(table, Some("21")).ok_or_else(|| missing("2021 LSOA code", "LSOA21CD, lsoa21_code"))?;
    let change = change_column(table).ok_or_else(|| missing("change indicator", "CHGIND, change_code"))?;
    let (la_code, _, _) = la_columns(table);
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen = std::collections::HashSet::new();
    for (row_number, record) in &table.rows {
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        let parsed = (
            AreaCode::parse(cell(from.code)),
            AreaCode::parse(cell(to.code)),
            BoundaryChange::from_letter(cell(change)),
        );
        let (Some(lsoa11), Some(lsoa21), Some(change)) = parsed else {
            report.warn_at(
                path,
                format!("row {row_number}"),
                format!(
                    "{:?} → {:?} ({:?}) is not two LSOA codes and a U/S/M/X change; row skipped",
                    cell(from.code),
                    cell(to.code),
                    cell(change)
                ),
            );
            continue;
        };
        if seen.insert((lsoa11, lsoa21)) {
            rows.push(LsoaChangeRow {
                lsoa11,
                lsoa21,
                change,
                la_code: la_code.and_then(|i| AreaCode::parse(cell(i))),
            });
        }
    }
    Ok(LsoaChangeLookup {
        rows,
        sources: vec![path.clone()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv;
    use std::path::Path;

    #[test]
    fn ons_ward_lookup_headers() {
        let table = read_csv(
            Path::new("l.csv"),
            b"FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n1,E01011372,Leeds 111B,E05011414,Hunslet & Riverside,E08000035,Leeds\n2,bad,x,E05011414,y,E08000035,Leeds\n",
        )
        .unwrap();
        let mut report = JoinReport::default();
        let Lookup::Ward(vintage, lookup) = parse_lookup(&table, &mut report).unwrap() else {
            panic!("not a ward lookup")
        };
        assert_eq!((vintage, lookup.ward_year), (LsoaVintage::Lsoa2011, 2019));
        let ward = &lookup.by_lsoa[&AreaCode::parse("E01011372").unwrap()];
        assert_eq!(ward.ward_name, "Hunslet & Riverside");
        assert_eq!(ward.la_name, "Leeds");
        assert_eq!(report.problems.len(), 1, "the bad row is reported");
    }

    #[test]
    fn change_lookup_is_told_from_ward_lookup() {
        let table = read_csv(
            Path::new("c.csv"),
            b"lsoa11_name,lsoa11_code,change_code,lsoa21_name,lsoa21_code,ltla22_name,ltla22_code\nA,E01000001,S,B,E01033000,Leeds,E08000035\n",
        )
        .unwrap();
        let Lookup::Change(lookup) = parse_lookup(&table, &mut JoinReport::default()).unwrap() else {
            panic!("not a change lookup")
        };
        assert_eq!(lookup.rows[0].change, BoundaryChange::Split);
    }
}
