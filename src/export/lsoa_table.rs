//! The attribute table as CSV: every LSOA shown (the LA's, the view's or a selection's) with the selection CSV's
//! columns ([`SELECTION_COLUMNS`]: both ranks, change, deciles, 1%, population, ward) and then each domain's rank in
//! both editions, every edition-specific header naming its year. UTF-8 with a byte-order mark for Excel, saved
//! atomically. The one writer of this table: the window's attribute table and the CLI's `export-selection --table`.

use super::ExportError;
use super::change_columns::SELECTION_COLUMNS;
use super::save::save_atomic;
use super::selection_table::UTF8_BOM;
use crate::analysis::{EditionComparison, LsoaChange};
use crate::model::Index;
use std::io::Write;
use std::path::Path;

/// The domains (every index but the IMD itself) that at least one of `rows` has a rank for, in either edition.
pub fn domains_present(rows: &[&LsoaChange]) -> Vec<Index> {
    Index::ALL
        .into_iter()
        .filter(|i| *i != Index::Imd)
        .filter(|i| {
            rows.iter()
                .any(|r| r.domain_ranks_to.contains_key(i) || r.domain_ranks_from.contains_key(i))
        })
        .collect()
}

/// The headers: the selection CSV's, then `{domain}_rank_{from}` and `{domain}_rank_{to}` for each domain.
pub fn lsoa_table_columns(from: u16, to: u16, domains: &[Index]) -> Vec<String> {
    let mut columns: Vec<String> = SELECTION_COLUMNS.iter().map(|c| c.header(Some((from, to)))).collect();
    for domain in domains {
        columns.push(format!("{}_rank_{from}", domain.key()));
        columns.push(format!("{}_rank_{to}", domain.key()));
    }
    columns
}

/// Writes the rows, in the order given, as CSV (see the module documentation). Unknown values are empty cells; every
/// cell goes through [`crate::model::csv_safe_cell`].
pub fn write_lsoa_table_csv(out: &mut dyn Write, rows: &[&LsoaChange], from: u16, to: u16) -> std::io::Result<()> {
    let domains = domains_present(rows);
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(lsoa_table_columns(from, to, &domains))?;
    for row in rows {
        let mut cells: Vec<String> = SELECTION_COLUMNS.iter().map(|c| c.cell(row)).collect();
        for domain in &domains {
            for ranks in [&row.domain_ranks_from, &row.domain_ranks_to] {
                cells.push(ranks.get(domain).map(u32::to_string).unwrap_or_default());
            }
        }
        writer.write_record(cells.iter().map(|cell| crate::model::csv_safe_cell(cell).into_owned()))?;
    }
    writer.flush()
}

/// Saves the comparison's rows for `codes`, in that order (codes not in the comparison are skipped), atomically;
/// refuses to replace a file unless `overwrite`. Returns the rows written.
pub fn save_lsoa_table_csv(
    path: &Path,
    overwrite: bool,
    comparison: &EditionComparison,
    codes: &[crate::model::AreaCode],
) -> Result<usize, ExportError> {
    let by_code: std::collections::HashMap<_, _> = comparison.rows.iter().map(|r| (r.lsoa_code, r)).collect();
    let rows: Vec<&LsoaChange> = codes.iter().filter_map(|c| by_code.get(c).copied()).collect();
    save_atomic(path, overwrite, |out| {
        write_lsoa_table_csv(out, &rows, comparison.from, comparison.to)
    })?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_both_editions_and_every_domain_twice() {
        let columns = lsoa_table_columns(2015, 2019, &[Index::Income, Index::Crime]);
        assert!(columns.contains(&"rank_2015".to_string()) && columns.contains(&"rank_2019".to_string()));
        let tail: Vec<&str> = columns.iter().rev().take(4).rev().map(String::as_str).collect();
        assert_eq!(
            tail,
            [
                "income_rank_2015",
                "income_rank_2019",
                "crime_rank_2015",
                "crime_rank_2019"
            ]
        );
    }
}
