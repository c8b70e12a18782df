//! Several files of one edition merged into one `ImdEdition`, row by row. Where they disagree the more
//! authoritative file wins by a stated rule ([`AUTHORITY_RULE`]) and the disagreement is reported naming both files;
//! then each edition says whether it is an extract and whether it has any IMD ranks at all.

use super::imd_table::ImdTable;
use crate::model::{Dataset, ImdEdition, JoinReport, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Merges the tables of each edition row by row. Where two files disagree, the more authoritative file wins, by a
/// stated rule ([`authority_order`]), and the disagreement is reported naming both files.
pub(crate) fn merge_editions(dataset: &mut Dataset, mut tables: Vec<(PathBuf, ImdTable)>, report: &mut JoinReport) {
    let catalogue = super::Catalogue::shipped().ok();
    tables.sort_by(|(pa, a), (pb, b)| {
        a.year
            .cmp(&b.year)
            .then_with(|| authority_order(catalogue.as_ref(), (pa, a), (pb, b)))
    });
    let mut winner_of: BTreeMap<u16, PathBuf> = BTreeMap::new();
    for (path, table) in tables {
        let edition = dataset
            .editions
            .entry(table.year)
            .or_insert_with(|| ImdEdition::new(table.year, table.vintage));
        edition.sources.push(path.clone());
        if table.has_population && edition.population_source.is_none() {
            let what = table.population_header.clone().unwrap_or_else(|| "population".into());
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            edition.population_source = Some(format!("IoD{} population denominators: {what} ({file})", table.year));
        }
        let Some(winner) = winner_of.get(&table.year).cloned() else {
            // The first file of an edition: build the map in one pass from sorted rows (codes are unique per file).
            let mut rows = table.rows;
            rows.sort_unstable_by_key(|a| a.0);
            edition.rows = rows.into_iter().collect();
            winner_of.insert(table.year, path);
            continue;
        };
        let mut disagreements = 0usize;
        let mut example = None;
        for (code, row) in table.rows {
            let Some(existing) = edition.rows.get_mut(&code) else {
                edition.rows.insert(code, row);
                continue;
            };
            if existing.name.is_empty() {
                existing.name = row.name;
            }
            if existing.la_code.is_none() {
                existing.la_code = row.la_code;
                existing.la_name = row.la_name;
            }
            if existing.population.is_none() {
                existing.population = row.population;
            }
            for (index, value) in row.indices.iter() {
                let slot = existing.indices.entry(index);
                let rank_clash = slot.rank.zip(value.rank).is_some_and(|(a, b)| a != b);
                let decile_clash = slot.decile.zip(value.decile).is_some_and(|(a, b)| a != b);
                if rank_clash || decile_clash {
                    disagreements += 1;
                    example.get_or_insert_with(|| {
                        let figure = |rank: Option<crate::model::Rank>, decile: Option<crate::model::Decile>| {
                            format!(
                                "rank {}, decile {}",
                                rank.map_or("–".into(), |r| r.get().to_string()),
                                decile.map_or("–".into(), |d| d.get().to_string())
                            )
                        };
                        format!(
                            "{code} {}: {} there, {} here",
                            index.label(),
                            figure(slot.rank, slot.decile),
                            figure(value.rank, value.decile)
                        )
                    });
                }
                slot.rank = slot.rank.or(value.rank);
                slot.decile = slot.decile.or(value.decile);
                slot.score = slot.score.or(value.score);
            }
        }
        if disagreements > 0 {
            report.push(
                Severity::Warning,
                Some(path),
                None,
                format!(
                    "{disagreements} figures of IMD {} disagree with {} (e.g. {}); kept that file's figures, because {}",
                    table.year,
                    crate::model::escape_path(&winner),
                    example.unwrap_or_default(),
                    AUTHORITY_RULE
                ),
            );
        }
    }
    for edition in dataset.editions.values() {
        let (loaded, national) = (edition.loaded_ranked_count(), edition.ranked_count());
        if !edition.has_imd_ranks() {
            report.push(
                Severity::Warning,
                edition.sources.first().cloned(),
                None,
                format!(
                    "IMD {} has no IMD ranks loaded (its files hold other figures only), so it cannot be compared or mapped",
                    edition.year
                ),
            );
        } else if edition.is_extract() {
            report.push(
                Severity::Note,
                None,
                None,
                format!(
                    "IMD {}: {loaded} of the {national} LSOAs it ranks are loaded (an extract); the 1% line (rank ≤ {}), deciles and percentiles use the edition's national {national}",
                    edition.year,
                    edition.top1_threshold()
                ),
            );
        }
    }
}

/// Which file of an edition wins a disagreement, said in the report.
const AUTHORITY_RULE: &str = "when files of one edition disagree, the official download (a catalogued file name with the catalogued row count) wins, then the file ranking more LSOAs, then the first by path";

/// Orders two files of one edition by [`AUTHORITY_RULE`], most authoritative first.
fn authority_order(
    catalogue: Option<&super::Catalogue>,
    (path_a, a): (&PathBuf, &ImdTable),
    (path_b, b): (&PathBuf, &ImdTable),
) -> std::cmp::Ordering {
    let official = |path: &PathBuf, table: &ImdTable| {
        catalogue
            .and_then(|c| c.entry_for(path))
            .and_then(|e| e.expected_rows)
            .is_some_and(|rows| rows == table.rows.len() || rows == table.rows.len() + table.welsh_rows)
    };
    let ranked = |table: &ImdTable| table.rows.iter().filter(|(_, r)| r.imd_rank().is_some()).count();
    official(path_b, b)
        .cmp(&official(path_a, a))
        .then_with(|| ranked(b).cmp(&ranked(a)))
        .then_with(|| b.rows.len().cmp(&a.rows.len()))
        .then_with(|| path_a.cmp(path_b))
}
