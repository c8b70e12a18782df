//! Score tables whose headers name no year (MHCLG File 5 as re-published with only `LSOA code (2011)` and the score
//! columns): IMD 2015 and 2019 both rank the 2011 LSOAs under the same headers, so the edition is recognised by
//! content instead — the edition whose published ranks the scores agree with (higher score = more deprived =
//! smaller rank, never the other way round beyond rounding).

use super::imd_table::{ImdTable, parse_imd_table};
use super::{LoadError, RawTable};
use crate::model::{ImdEdition, Index, JoinReport};
use std::collections::BTreeMap;

/// Out of every pair of LSOAs adjacent in rank order, the share whose scores run the wrong way that still counts as
/// agreeing (scores are rounded to three decimals, so equal scores are common but reversed ones are not).
const MOST_REVERSED: f64 = 0.001;

/// How well one table's scores agree with an edition's ranks: (reversed adjacent pairs, pairs compared).
fn agreement(table: &ImdTable, edition: &ImdEdition) -> (usize, usize) {
    let mut reversed = 0;
    let mut compared = 0;
    for index in Index::ALL {
        let mut by_rank: Vec<(u32, f32)> = table
            .rows
            .iter()
            .filter_map(|(code, row)| {
                let score = row.indices.get(&index)?.score?;
                let rank = edition.rows.get(code)?.rank(index)?;
                Some((rank.get(), score))
            })
            .collect();
        by_rank.sort_by_key(|(rank, _)| *rank);
        for pair in by_rank.windows(2) {
            compared += 1;
            if pair[1].1 > pair[0].1 && pair[1].0 > pair[0].0 {
                reversed += 1;
            }
        }
    }
    (reversed, compared)
}

/// Recognises the edition of a table of scores whose headers name none, from the loaded editions on its LSOAs, and
/// parses it as that edition; when none agrees, as `edition_hint` (`--edition`). The error names the file.
pub fn parse_undated_scores(
    table: &RawTable,
    editions: &BTreeMap<u16, ImdEdition>,
    edition_hint: Option<u16>,
    report: &mut JoinReport,
) -> Result<ImdTable, LoadError> {
    let mut best: Option<(f64, ImdTable)> = None;
    let mut tried = Vec::new();
    for (year, edition) in editions {
        let mut scratch = JoinReport::default();
        let Ok(candidate) = parse_imd_table(table, Some(*year), &mut scratch) else {
            continue;
        };
        if candidate.vintage != edition.vintage {
            continue;
        }
        let (reversed, compared) = agreement(&candidate, edition);
        if compared == 0 {
            continue;
        }
        let share = reversed as f64 / compared as f64;
        tried.push(format!(
            "IMD {year}: {reversed} of {compared} rank-adjacent pairs reversed"
        ));
        if share <= MOST_REVERSED && best.as_ref().is_none_or(|(s, _)| share < *s) {
            best = Some((share, candidate));
        }
    }
    match best {
        Some((_, _)) => {
            let year = best.as_ref().map(|(_, t)| t.year).unwrap_or_default();
            // Parse again into the real report, so row problems are reported once.
            let parsed = parse_imd_table(table, Some(year), report)?;
            report.push(
                crate::model::Severity::Note,
                Some(table.path.clone()),
                None,
                format!("its headers name no edition; its scores follow the IMD {year} ranks, so it was read as IMD {year} ({})", tried.join("; ")),
            );
            Ok(parsed)
        }
        None if edition_hint.is_some() => parse_imd_table(table, edition_hint, report),
        None => Err(LoadError::Unrecognised {
            detail: format!(
                "its headers name no IMD edition and its scores agree with the ranks of no loaded edition ({}); pass --edition YEAR",
                if tried.is_empty() {
                    "no edition on its LSOAs is loaded".to_string()
                } else {
                    tried.join("; ")
                }
            ),
            path: table.path.clone(),
        }),
    }
}

/// True for a table [`parse_undated_scores`] should try: scores, no ranks or deciles, no year anywhere in its headers.
pub fn is_undated_scores(table: &RawTable) -> bool {
    let lower: Vec<String> = table.headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let has_score = lower.iter().any(|h| h.contains("score"));
    let has_rank = lower.iter().any(|h| h.contains("rank") || h.contains("decile"));
    let names_edition = lower.iter().any(|h| {
        h.contains("local authority")
            || h.starts_with("lad")
            || h.starts_with("ltla")
            || h.starts_with("imd1")
            || h.starts_with("imd2")
    });
    has_score && !has_rank && !names_edition
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv;
    use crate::model::{AreaCode, ImdRow, IndexValue, LsoaVintage, Rank};
    use std::path::Path;

    fn edition(year: u16, ranks: &[(&str, u32)]) -> ImdEdition {
        let mut e = ImdEdition::new(year, LsoaVintage::Lsoa2011);
        for (code, rank) in ranks {
            let mut row = ImdRow::default();
            row.indices.insert(
                Index::Imd,
                IndexValue {
                    rank: Rank::new(*rank),
                    ..Default::default()
                },
            );
            e.rows.insert(AreaCode::parse(code).unwrap(), row);
        }
        e
    }

    #[test]
    fn scores_go_to_the_edition_whose_ranks_they_follow() {
        let csv = "LSOA code (2011),Index of Multiple Deprivation (IMD) Score\nE01000001,50.1\nE01000002,30.2\nE01000003,10.3\n";
        let table = read_csv(Path::new("scores.csv"), csv.as_bytes()).unwrap();
        assert!(is_undated_scores(&table));
        let mut editions = BTreeMap::new();
        editions.insert(
            2015,
            edition(2015, &[("E01000001", 3), ("E01000002", 2), ("E01000003", 1)]),
        );
        editions.insert(
            2019,
            edition(2019, &[("E01000001", 1), ("E01000002", 2), ("E01000003", 3)]),
        );
        let mut report = JoinReport::default();
        let parsed = parse_undated_scores(&table, &editions, None, &mut report).unwrap();
        assert_eq!(parsed.year, 2019);
        editions.remove(&2019);
        let error = parse_undated_scores(&table, &editions, None, &mut report).unwrap_err();
        assert!(error.to_string().contains("scores.csv"), "{error}");
    }
}
