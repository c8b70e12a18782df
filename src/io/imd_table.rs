//! IMD tables (MHCLG Files 1, 2, 3, 6, 7; plain `code,rank` CSVs; the ONS IMD lookup), recognised by their headers.

use super::columns::first_of_each;
use super::numbers::{decile_fits_rank, decile_of_rank, parse_people, parse_score, parse_whole};
use super::{LoadError, RawTable};
use crate::model::{
    AreaCode, Decile, ImdRow, Index, JoinReport, LsoaVintage, Persons, Population, Rank, Severity, national_lsoas,
};
use std::collections::HashMap;

/// An IMD table read from one file, not yet merged with the other files of its edition.
#[derive(Clone, Debug)]
pub struct ImdTable {
    /// Edition year: 2015, 2019 or 2025.
    pub year: u16,
    /// LSOA boundaries it ranks.
    pub vintage: LsoaVintage,
    /// Rows in file order.
    pub rows: Vec<(AreaCode, ImdRow)>,
    /// Whether it carries population denominators.
    pub has_population: bool,
    /// What the population columns say they count, e.g. `Total population: mid 2015 (excluding prisoners)`.
    pub population_header: Option<String>,
    /// Welsh rows skipped (the English IMD does not rank Wales).
    pub welsh_rows: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Rank,
    Decile,
    Score,
}

impl Measure {
    fn label(self) -> &'static str {
        match self {
            Measure::Rank => "rank",
            Measure::Decile => "decile",
            Measure::Score => "score",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PopulationField {
    Total,
    Children,
    Aged16To59,
    Aged60Plus,
    WorkingAge,
}

/// Which index and measure a header names, e.g. `Income Rank (where 1 is most deprived)` → (Income, Rank).
fn index_column(header: &str) -> Option<(Index, Measure)> {
    let h = header.to_ascii_lowercase();
    if h.contains("sub-domain") || h.contains("subdomain") || h.contains("indicator") {
        return None;
    }
    let measure = if h.contains("rank") {
        Measure::Rank
    } else if h.contains("decile") {
        Measure::Decile
    } else if h.contains("score") {
        Measure::Score
    } else if is_bare_imd_year(&h).is_some() {
        Measure::Rank // The ONS IMD lookup calls the rank column `IMD19`.
    } else {
        return None;
    };
    let index = if h.contains("idaci") || h.contains("affecting children") {
        Index::Idaci
    } else if h.contains("idaopi") || h.contains("affecting older") {
        Index::Idaopi
    } else if h.contains("multiple deprivation") || h.starts_with("imd") {
        Index::Imd
    } else if h.contains("income") {
        Index::Income
    } else if h.contains("employment") {
        Index::Employment
    } else if h.contains("education") {
        Index::Education
    } else if h.contains("health") {
        Index::Health
    } else if h.contains("crime") {
        Index::Crime
    } else if h.contains("barriers") || h.contains("housing") {
        Index::Housing
    } else if h.contains("environment") {
        Index::LivingEnvironment
    } else {
        return None;
    };
    Some((index, measure))
}

/// `imd19` / `imd2019` → 2019.
fn is_bare_imd_year(lower: &str) -> Option<u16> {
    let digits = lower.strip_prefix("imd")?.trim_start_matches(['_', ' ']);
    match digits {
        "15" | "2015" => Some(2015),
        "19" | "2019" => Some(2019),
        "25" | "2025" => Some(2025),
        _ => None,
    }
}

fn population_column(header: &str) -> Option<PopulationField> {
    let h = header.to_ascii_lowercase();
    if h.contains("total population") {
        Some(PopulationField::Total)
    } else if h.contains("dependent children") {
        Some(PopulationField::Children)
    } else if h.contains("16-59") && !h.contains("working") {
        Some(PopulationField::Aged16To59)
    } else if h.contains("60 and over") {
        Some(PopulationField::Aged60Plus)
    } else if h.contains("working age") {
        Some(PopulationField::WorkingAge)
    } else {
        None
    }
}

/// A four-digit year in a header, or the two digits of an ONS field name (`LAD19CD` → 2019, `lad13_code` → 2013).
pub(crate) fn year_in_header(header: &str) -> Option<u16> {
    let h = header.to_ascii_lowercase();
    let runs = h.split(|c: char| !c.is_ascii_digit()).filter(|run| !run.is_empty());
    for run in runs {
        if run.len() == 4 {
            if let Ok(year) = run.parse::<u16>()
                && (1990..=2100).contains(&year)
            {
                return Some(year);
            }
        } else if run.len() == 2
            && let Ok(yy) = run.parse::<u16>()
        {
            return Some(2000 + yy);
        }
    }
    None
}

/// The columns that identify an LSOA in a table of any kind.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LsoaColumns {
    pub code: usize,
    pub name: Option<usize>,
    pub vintage: Option<LsoaVintage>,
}

/// Finds the LSOA code column (`LSOA code (2011)`, `LSOA11CD`, `lsoa21_code`, …) and the name beside it.
pub(crate) fn lsoa_columns(table: &RawTable, prefer_year: Option<&str>) -> Option<LsoaColumns> {
    let is_code = |h: &str| {
        h.contains("lsoa") && (h.contains("code") || h.ends_with("cd")) && prefer_year.is_none_or(|y| h.contains(y))
    };
    let code = table.column(is_code)?;
    let header = table.headers.get(code)?.to_ascii_lowercase();
    let vintage = match year_in_header(&header) {
        Some(2011) => Some(LsoaVintage::Lsoa2011),
        Some(2021) => Some(LsoaVintage::Lsoa2021),
        _ => None,
    };
    let stem: String = header
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() && !c.is_ascii_digit())
        .collect();
    let year_tag = year_in_header(&header).map(|y| (y % 100).to_string());
    let name = table.column(|h| {
        h.contains(&stem)
            && (h.contains("name") || h.ends_with("nm"))
            && year_tag.as_deref().is_none_or(|y| h.contains(y))
    });
    Some(LsoaColumns { code, name, vintage })
}

/// Local-authority code and name columns (`Local Authority District code (2019)`, `LAD19CD`, `ltla22_code`).
pub(crate) fn la_columns(table: &RawTable) -> (Option<usize>, Option<usize>, Option<u16>) {
    let is_la = |h: &str| h.contains("local authority") || h.starts_with("lad") || h.starts_with("ltla");
    let code = table.column(|h| is_la(h) && (h.contains("code") || h.ends_with("cd")));
    let name = table.column(|h| is_la(h) && (h.contains("name") || h.ends_with("nm")));
    let year = code.and_then(|i| table.headers.get(i)).and_then(|h| year_in_header(h));
    (code, name, year)
}

/// The IMD edition a local-authority code year points to: LAD 2013 → IMD 2015, LAD 2019 → IMD 2019, LAD 2024 → IMD 2025.
fn edition_from_la_year(la_year: u16) -> Option<u16> {
    match la_year {
        2013..=2015 => Some(2015),
        2016..=2020 => Some(2019),
        2021..=2026 => Some(2025),
        _ => None,
    }
}

/// The LSOA boundaries an edition ranks.
pub fn vintage_of_edition(year: u16) -> Option<LsoaVintage> {
    match year {
        2015 | 2019 => Some(LsoaVintage::Lsoa2011),
        2025 => Some(LsoaVintage::Lsoa2021),
        _ => None,
    }
}

/// True when the headers look like an IMD table: an LSOA code column and at least one rank, decile, score or population column.
pub fn is_imd_table(table: &RawTable) -> bool {
    lsoa_columns(table, None).is_some()
        && table
            .headers
            .iter()
            .any(|h| index_column(h).is_some() || population_column(h).is_some())
}

/// Parses an IMD table. Bad rows are skipped and reported; the rest loads.
///
/// `edition_hint` is used only when the headers name no year (`--edition`).
pub fn parse_imd_table(
    table: &RawTable,
    edition_hint: Option<u16>,
    report: &mut JoinReport,
) -> Result<ImdTable, LoadError> {
    let path = &table.path;
    let Some(lsoa) = lsoa_columns(table, None) else {
        return Err(LoadError::MissingColumn {
            what: "LSOA code",
            looked_for: "\"LSOA code (2011)\", LSOA11CD, lsoa21_code",
            path: path.clone(),
        });
    };
    let (la_code_col, la_name_col, la_year) = la_columns(table);
    let index_cols: Vec<(usize, Index, Measure)> = first_of_each(table, report, index_column, |(index, measure)| {
        format!("the {} {}", index.label(), measure.label())
    })
    .into_iter()
    .map(|(i, (index, measure))| (i, index, measure))
    .collect();
    let population_cols: Vec<(usize, PopulationField)> = first_of_each(table, report, population_column, |field| {
        format!("the {field:?} population")
    });
    if index_cols.is_empty() && population_cols.is_empty() {
        return Err(LoadError::MissingColumn {
            what: "IMD rank, decile, score or population",
            looked_for: "\"Index of Multiple Deprivation (IMD) Rank\", IMD_rank, IMD19, \"Total population: mid 2015\"",
            path: path.clone(),
        });
    }
    let bare_year = table
        .headers
        .iter()
        .find_map(|h| is_bare_imd_year(&h.to_ascii_lowercase()));
    let year = bare_year
        .or_else(|| la_year.and_then(edition_from_la_year))
        .or(match lsoa.vintage {
            Some(LsoaVintage::Lsoa2021) => Some(2025), // Only IMD 2025 ranks 2021 LSOAs.
            _ => None,
        })
        .or(edition_hint)
        .ok_or_else(|| LoadError::UnknownEdition { path: path.clone() })?;
    let Some(vintage) = vintage_of_edition(year) else {
        return Err(LoadError::Unrecognised {
            detail: format!("IMD {year} is not an edition Locality Map knows (2015, 2019, 2025)"),
            path: path.clone(),
        });
    };
    if let Some(header_vintage) = lsoa.vintage
        && header_vintage != vintage
    {
        return Err(LoadError::Unrecognised {
            detail: format!(
                "the table's headers say IMD {year} but its LSOA codes are {header_vintage}; IMD {year} ranks {vintage}"
            ),
            path: path.clone(),
        });
    }

    if table.rows.is_empty() {
        return Err(LoadError::Unrecognised {
            detail: format!("row 2: the IMD {year} table has a header but no data rows, so it holds no ranks"),
            path: path.clone(),
        });
    }
    let national = national_lsoas(year).unwrap_or(u32::MAX);
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut first_row_of: HashMap<AreaCode, (usize, usize)> = HashMap::with_capacity(table.rows.len());
    let mut welsh = Vec::new();
    let mut identical_repeats = 0usize;
    let mut newer_codes = Vec::new();
    for (row_number, record) in &table.rows {
        // Built only when a problem is reported: this loop runs 33,000 times a file.
        let at = || format!("row {row_number}");
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        if let Some(why) = table.row_shape_problem(record) {
            report.warn_at(path, at(), why);
            continue;
        }
        let Some(code) = AreaCode::parse(cell(lsoa.code)) else {
            report.warn_at(
                path,
                at(),
                format!("{:?} is not an LSOA code; row skipped", cell(lsoa.code)),
            );
            continue;
        };
        if code.is_welsh() {
            welsh.push(*row_number);
            continue;
        }
        if vintage == LsoaVintage::Lsoa2011 && is_2021_only_code(&code) {
            newer_codes.push((*row_number, code));
            continue;
        }
        let mut row = ImdRow {
            name: lsoa.name.map(|i| cell(i).to_string()).unwrap_or_default(),
            la_code: la_code_col.and_then(|i| AreaCode::parse(cell(i))),
            la_name: la_name_col.map(|i| cell(i).to_string()).unwrap_or_default(),
            ..ImdRow::default()
        };
        for &(i, index, measure) in &index_cols {
            let text = cell(i);
            let value = row.indices.entry(index);
            match measure {
                Measure::Rank => match parse_whole(text) {
                    Ok(Some(n)) => match u32::try_from(n).ok().and_then(Rank::new) {
                        Some(rank) if rank.get() > national => report.push(
                            Severity::Error,
                            Some(path.clone()),
                            Some(at()),
                            format!(
                                "{code}: rank {text:?} in column {:?} is above {national}, the number of LSOAs IMD {year} ranks (a rank of another edition?); left blank",
                                header(table, i)
                            ),
                        ),
                        Some(rank) => value.rank = Some(rank),
                        None => report.warn_at(
                            path,
                            at(),
                            format!(
                                "{code}: rank {text:?} in column {:?} is not a rank (1 or more); left blank",
                                header(table, i)
                            ),
                        ),
                    },
                    Ok(None) => {}
                    Err(why) => report.warn_at(
                        path,
                        at(),
                        format!(
                            "{code}: rank {text:?} in column {:?} {why}; left blank",
                            header(table, i)
                        ),
                    ),
                },
                Measure::Decile => match parse_whole(text) {
                    Ok(Some(n)) => match u8::try_from(n).ok().and_then(Decile::new) {
                        Some(decile) => value.decile = Some(decile),
                        None => report.warn_at(
                            path,
                            at(),
                            format!("{code}: decile {text:?} is not from 1 to 10; left blank"),
                        ),
                    },
                    Ok(None) => {}
                    Err(why) => report.warn_at(path, at(), format!("{code}: decile {text:?} {why}; left blank")),
                },
                Measure::Score => match parse_score(text) {
                    Ok(score) => value.score = score,
                    Err(why) => report.warn_at(
                        path,
                        at(),
                        format!("{code}: score {text:?} in column {:?} {why}; left blank", header(table, i)),
                    ),
                },
            }
        }
        for index in Index::ALL {
            let value = row.indices.entry(index);
            if let (Some(rank), Some(decile)) = (value.rank, value.decile)
                && !decile_fits_rank(decile.get(), rank.get(), national)
            {
                let from_rank = decile_of_rank(rank.get(), national);
                report.warn_at(
                    path,
                    at(),
                    format!(
                        "{code}: {} decile {} contradicts rank {} (decile {from_rank} of the {national} LSOAs IMD {year} ranks); used the rank's decile",
                        index.label(),
                        decile.get(),
                        rank.get()
                    ),
                );
                value.decile = Decile::new(from_rank);
            }
        }
        if !population_cols.is_empty() {
            let mut population = Population::default();
            for &(i, field) in &population_cols {
                let text = cell(i);
                // As published: MHCLG's File 6 gives the working-age population in quarter-persons.
                let count = match parse_people(text) {
                    Ok(count) => count.and_then(Persons::new),
                    Err(why) => {
                        report.warn_at(path, at(), format!("{code}: population {text:?} {why}; left blank"));
                        None
                    }
                };
                match field {
                    PopulationField::Total => population.total = count,
                    PopulationField::Children => population.children_0_15 = count,
                    PopulationField::Aged16To59 => population.aged_16_59 = count,
                    PopulationField::Aged60Plus => population.aged_60_plus = count,
                    PopulationField::WorkingAge => population.working_age = count,
                }
            }
            row.population = Some(population);
        }
        match first_row_of.get(&code) {
            Some(&(first_row, first_index)) => {
                let same = rows
                    .get(first_index)
                    .is_some_and(|(_, first): &(AreaCode, ImdRow)| first.indices == row.indices);
                if same {
                    identical_repeats += 1;
                } else {
                    report.warn_at(path, at(), format!("{code} appears again (first at row {first_row}) with different figures; kept row {first_row}"));
                }
            }
            None => {
                first_row_of.insert(code, (*row_number, rows.len()));
                rows.push((code, row));
            }
        }
    }
    if rows.is_empty() && welsh.is_empty() {
        return Err(LoadError::Unrecognised {
            detail: format!(
                "none of the table's {} data rows could be used (see the warnings), so it holds no IMD {year} ranks",
                table.rows.len()
            ),
            path: path.clone(),
        });
    }
    if let Some((first_row, _)) = newer_codes.first() {
        let examples: Vec<String> = newer_codes.iter().take(5).map(|(_, c)| c.to_string()).collect();
        report.warn_at(
            path,
            format!("row {first_row}"),
            format!(
                "{} rows have LSOA codes first issued in 2021 ({}), which IMD {year} on 2011 LSOAs cannot hold: is this a later edition under older headers? Skipped",
                newer_codes.len(),
                examples.join(", ")
            ),
        );
    }
    if identical_repeats > 0 {
        report.push(
            crate::model::Severity::Note,
            Some(path.clone()),
            None,
            format!("{identical_repeats} rows repeat an earlier row exactly; kept once"),
        );
    }
    if let Some(first) = welsh.first() {
        report.push(
            crate::model::Severity::Warning,
            Some(path.clone()),
            Some(format!("row {first}")),
            format!(
                "{} Welsh LSOAs (W01…) skipped: the English IMD does not rank Wales",
                welsh.len()
            ),
        );
    }
    let population_header = population_cols
        .iter()
        .find(|(_, f)| *f == PopulationField::Total)
        .map(|(i, _)| header(table, *i).to_string());
    Ok(ImdTable {
        year,
        vintage,
        rows,
        has_population: !population_cols.is_empty(),
        population_header,
        welsh_rows: welsh.len(),
    })
}

fn header(table: &RawTable, i: usize) -> &str {
    table.headers.get(i).map(String::as_str).unwrap_or_default()
}

/// True for LSOA codes issued with the 2021 boundaries: the last 2011 codes are E01033768 (England) and W01001958 (Wales).
fn is_2021_only_code(code: &AreaCode) -> bool {
    let number: u32 = code.as_str().get(3..).and_then(|n| n.parse().ok()).unwrap_or(0);
    match code.entity() {
        "E01" => number > 33_768,
        "W01" => number > 1_958,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv;
    use std::path::Path;

    fn parse(csv: &str, hint: Option<u16>) -> (Result<ImdTable, LoadError>, JoinReport) {
        let mut report = JoinReport::default();
        let table = read_csv(Path::new("t.csv"), csv.as_bytes()).unwrap();
        (parse_imd_table(&table, hint, &mut report), report)
    }

    /// A table that parses, with the report of its load.
    fn parsed(csv: &str) -> (ImdTable, JoinReport) {
        let (table, report) = parse(csv, None);
        (table.unwrap(), report)
    }

    #[test]
    fn file1_2019_headers_give_edition_and_ranks() {
        let (table, report) = parsed(
            "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01011372,Leeds 111B,E08000035,Leeds,38,1\n",
        );
        assert_eq!((table.year, table.vintage), (2019, LsoaVintage::Lsoa2011));
        assert_eq!(table.rows[0].1.imd_rank().map(Rank::get), Some(38));
        assert_eq!(table.rows[0].1.la_name, "Leeds");
        assert!(report.problems.is_empty());
    }

    #[test]
    fn plain_code_rank_csv_needs_an_edition() {
        let csv = "lsoa_code,imd_rank\nE01011372,38\n";
        assert!(matches!(parse(csv, None).0, Err(LoadError::UnknownEdition { .. })));
        assert_eq!(parse(csv, Some(2019)).0.unwrap().rows.len(), 1);
    }

    #[test]
    fn bad_rank_is_reported_with_row_and_rest_loads() {
        let (table, report) =
            parsed("LSOA11CD,LAD19CD,IMD19\nE01000001,E09000001,abc\nE01000002,E09000001,\"1,296\"\n");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1].1.imd_rank().map(Rank::get), Some(1296));
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].location.as_deref(), Some("row 2"));
    }

    #[test]
    fn domain_headers_are_told_apart() {
        let cases = [
            (
                "Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)",
                Some((Index::Idaci, Measure::Rank)),
            ),
            (
                "Income Rank (where 1 is most deprived)",
                Some((Index::Income, Measure::Rank)),
            ),
            (
                "Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs)",
                Some((Index::Housing, Measure::Decile)),
            ),
            ("Housing_and_Services_rank", Some((Index::Housing, Measure::Rank))),
            ("Indoors Sub-domain Rank", None),
            ("LSOA code (2011)", None),
        ];
        for (header, expected) in cases {
            assert_eq!(index_column(header), expected, "{header}");
        }
    }
}
