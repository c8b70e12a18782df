//! Columns of a table told apart: a second column of the same figure never silently replaces the first.

use super::RawTable;
use crate::model::JoinReport;

fn header_text(table: &RawTable, i: usize) -> &str {
    table.headers.get(i).map(String::as_str).unwrap_or_default()
}

/// The columns whose headers `kind_of` recognises, keeping the first column of each kind (a second "IMD Rank"
/// column must not silently replace the first) and warning, naming both columns, about every later one.
pub(crate) fn first_of_each<K: PartialEq + Copy>(
    table: &RawTable,
    report: &mut JoinReport,
    kind_of: impl Fn(&str) -> Option<K>,
    describe: impl Fn(K) -> String,
) -> Vec<(usize, K)> {
    let mut kept: Vec<(usize, K)> = Vec::new();
    let columns = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| kind_of(h).map(|k| (i, k)));
    for (i, kind) in columns {
        match kept.iter().find(|(_, k)| *k == kind) {
            Some(&(first, _)) => report.warn_at(
                &table.path,
                "row 1",
                format!(
                    "columns {} ({:?}) and {} ({:?}) both hold {}; used column {} and ignored column {}",
                    column_letters(first),
                    header_text(table, first),
                    column_letters(i),
                    header_text(table, i),
                    describe(kind),
                    column_letters(first),
                    column_letters(i)
                ),
            ),
            None => kept.push((i, kind)),
        }
    }
    kept
}

/// A 0-based column index as a spreadsheet names it: 0 → `A`, 26 → `AA`.
fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}
