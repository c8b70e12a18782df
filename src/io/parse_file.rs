//! One file recognised by its contents (headers, properties), never its name, and parsed: an IMD table, a lookup,
//! boundaries, undated scores or an indicator table.

use super::boundary_file::BoundaryFile;
use super::data_source::{SourceFile, read_sidecar};
use super::geojson::read_geojson;
use super::imd_table::{ImdTable, is_imd_table, parse_imd_table};
use super::indicator_load::{IndicatorFile, parse_indicator_table};
use super::lookup_table::{is_change_lookup, is_ward_lookup, parse_lookup};
use super::shapefile::{ShapefileParts, read_shapefile};
use super::undated_scores::is_undated_scores;
use super::{LoadError, RawTable, read_csv, read_workbook};
use crate::model::{JoinReport, Lookup};
use std::path::Path;

/// What to load.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Read boundary files (GeoJSON, shapefiles). Tables-only loads are for the CLI's table commands.
    pub boundaries: bool,
    /// The edition of tables whose headers name no year (`--edition`).
    pub edition_hint: Option<u16>,
    /// Quote the headers of a table that is not recognised (to help the planner see what it is). Turned off for
    /// files outside the trusted folder, whose contents are never printed.
    pub quote_headers: bool,
    /// Parse every copy of a source in another format too and compare it with its twin row by row (`validate`).
    /// Otherwise a copy that passes `same_source`'s check takes its twin's figures unparsed.
    pub read_copies: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            boundaries: true,
            edition_hint: None,
            quote_headers: true,
            read_copies: false,
        }
    }
}

/// A CSV's header cells and its number of data rows, kept from its parse for the check of its workbook twin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TableShape {
    /// Header cells as read (trimmed).
    pub headers: Vec<String>,
    /// Data rows (the header excluded).
    pub data_rows: usize,
}

/// What one file turned out to be.
pub(crate) enum Parsed {
    Imd(ImdTable),
    Lookup(Lookup),
    Boundaries(BoundaryFile),
    /// Scores whose headers name no edition: dated once the other tables are merged.
    UndatedScores(RawTable),
    Indicator(IndicatorFile),
    NotRead(&'static str),
}

/// Recognises and parses one file by its contents (headers, properties), not its name.
pub(crate) fn parse_source_file(
    file: &SourceFile,
    disk_path: Option<&Path>,
    options: &LoadOptions,
    report: &mut JoinReport,
    shape: &mut Option<TableShape>,
) -> Result<Parsed, LoadError> {
    let path = &file.path;
    match file.extension().as_str() {
        "geojson" | "json" => {
            if !options.boundaries {
                return Ok(Parsed::NotRead("boundary file: not read for this command"));
            }
            read_geojson(path, &file.bytes, report).map(Parsed::Boundaries)
        }
        "shp" => {
            if !options.boundaries {
                return Ok(Parsed::NotRead("boundary file: not read for this command"));
            }
            let sidecar = |ext: &str| disk_path.map_or(Ok(None), |p| read_sidecar(p, ext));
            let (shx, dbf, prj) = (sidecar("shx")?, sidecar("dbf")?, sidecar("prj")?);
            let parts = ShapefileParts {
                shp: &file.bytes,
                shx: shx.as_deref(),
                dbf: dbf.as_deref(),
                prj: prj.as_deref(),
            };
            read_shapefile(path, parts, report).map(Parsed::Boundaries)
        }
        "xlsx" | "xls" | "ods" => {
            let sheets = read_workbook(path, &file.bytes)?;
            let count = sheets.len();
            match sheets
                .into_iter()
                .find(|t| is_change_lookup(t) || is_ward_lookup(t) || is_imd_table(t))
            {
                Some(table) => parse_table(&table, options, report),
                None => Err(LoadError::Unrecognised {
                    detail: format!(
                        "none of the workbook's {count} sheets has an LSOA code column with ranks, deciles, population or wards"
                    ),
                    path: path.clone(),
                }),
            }
        }
        _ => {
            let table = read_csv(path, &file.bytes)?;
            *shape = Some(TableShape {
                headers: table.headers.clone(),
                data_rows: table.rows.len(),
            });
            parse_table(&table, options, report)
        }
    }
}

pub(crate) fn parse_table(
    table: &RawTable,
    options: &LoadOptions,
    report: &mut JoinReport,
) -> Result<Parsed, LoadError> {
    if super::police_uk::is_police_table(table) {
        parse_indicator_table(table, report)
            .unwrap_or_else(|| Err(unrecognised(table, options)))
            .map(Parsed::Indicator)
    } else if is_change_lookup(table) || is_ward_lookup(table) {
        parse_lookup(table, report).map(Parsed::Lookup)
    } else if is_imd_table(table) {
        if is_undated_scores(table) {
            // Content beats --edition: 2015 and 2019 share these headers, and the scores say which they follow.
            return Ok(Parsed::UndatedScores(table.clone()));
        }
        parse_imd_table(table, options.edition_hint, report).map(Parsed::Imd)
    } else {
        match parse_indicator_table(table, report) {
            Some(parsed) => parsed.map(Parsed::Indicator),
            None => Err(unrecognised(table, options)),
        }
    }
}

fn unrecognised(table: &RawTable, options: &LoadOptions) -> LoadError {
    // Only what identifies a header: the first eight cells of row 1, each cut to 40 characters.
    let headers = if options.quote_headers {
        let cut = |h: &String| h.chars().take(40).collect::<String>();
        format!(
            " (headers: {})",
            table.headers.iter().take(8).map(cut).collect::<Vec<_>>().join(", ")
        )
    } else {
        String::new()
    };
    LoadError::Unrecognised {
        detail: format!(
            "not an IMD table or ONS lookup (nor an indicator table: no area code column with periods): no LSOA code column with ranks, deciles, population or wards{headers}"
        ),
        path: table.path.clone(),
    }
}
