//! The LA league table: every local authority ranked by the share of its LSOAs in decile 1 (MHCLG's "proportion of
//! LSOAs in the most deprived 10%") and by how many are in the most deprived 1%, and on MHCLG's other IMD summary
//! measures, in two editions, with the change. Both editions are summarised on one LA geography (the later
//! edition's, unless asked otherwise), so every LA has figures for both and the change compares like with like.

use super::{AnalysisError, AreaSummaryTable, LaGeography, SummaryMeasure, rank_most_deprived_first};
use crate::model::{AreaCode, Dataset, Index};
use serde::Serialize;
use std::collections::BTreeMap;

/// One LA in one edition.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LeagueEntry {
    /// LSOAs the edition ranks in the LA.
    pub lsoas: u32,
    /// Of which in decile 1.
    pub decile1: u32,
    /// `decile1 / lsoas`.
    pub decile1_share: f64,
    /// 1 = highest share of LSOAs in decile 1 (ties share a rank).
    pub rank_by_decile1_share: u32,
    /// LSOAs in the edition's 1% (rank ≤ floor(N / 100)).
    pub top1: u32,
    /// 1 = most LSOAs in the 1% (ties share a rank).
    pub rank_by_top1: u32,
    /// IMD average rank (MHCLG's summary measure), when the edition's population denominators are loaded.
    pub average_rank: Option<f64>,
    /// Rank of average rank among the LAs.
    pub rank_of_average_rank: Option<u32>,
    /// IMD average score, when scores and populations are loaded.
    pub average_score: Option<f64>,
    /// Rank of average score.
    pub rank_of_average_score: Option<u32>,
    /// IMD extent.
    pub extent: Option<f64>,
    /// Rank of extent.
    pub rank_of_extent: Option<u32>,
    /// IMD local concentration.
    pub local_concentration: Option<f64>,
    /// Rank of local concentration.
    pub rank_of_local_concentration: Option<u32>,
    /// LAs ranked in this edition on this geography.
    pub peers: u32,
}

/// One LA across two editions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeagueRow {
    /// LA code.
    pub la_code: AreaCode,
    /// LA name.
    pub la_name: String,
    /// Earlier edition's figures, when it has this LA.
    pub from: Option<LeagueEntry>,
    /// Later edition's figures.
    pub to: Option<LeagueEntry>,
    /// `to.rank_by_decile1_share - from.rank_by_decile1_share`: negative = moved up the table (relatively worse).
    pub rank_change: Option<i64>,
    /// Change in the number of LSOAs in the 1%.
    pub top1_change: Option<i64>,
}

/// All LAs, ordered by the later edition's rank by decile-1 share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeagueTable {
    /// Earlier edition.
    pub from: u16,
    /// Later edition.
    pub to: u16,
    /// Whose LA geography both editions are summarised on (the later edition's unless asked otherwise).
    pub on: u16,
    /// That geography in words.
    pub geography: String,
    /// Why some measures are empty, one sentence each.
    pub notes: Vec<String>,
    /// The LAs.
    pub rows: Vec<LeagueRow>,
}

/// Each LA's entry for one edition on `on`'s geography, and the notes on what is missing.
type Entries = (BTreeMap<AreaCode, (String, LeagueEntry)>, Vec<String>);

fn entries(dataset: &Dataset, year: u16, on: u16) -> Result<Entries, AnalysisError> {
    let table = AreaSummaryTable::las(dataset, year, Index::Imd, Some(on))?;
    let top1: Vec<Option<f64>> = table.rows.iter().map(|r| r.lsoas_in_top1.map(f64::from)).collect();
    let rank_by_top1 = rank_most_deprived_first(&top1);
    let map = table
        .rows
        .iter()
        .zip(rank_by_top1)
        .filter(|(row, _)| row.lsoas > 0)
        .filter_map(|(row, rank_by_top1)| {
            let code = AreaCode::parse(&row.area_code)?;
            let share = row.proportion_most_deprived_10pct.unwrap_or(0.0);
            let entry = LeagueEntry {
                lsoas: row.lsoas,
                // Exact: the share is a count over `lsoas`.
                decile1: (share * f64::from(row.lsoas)).round() as u32,
                decile1_share: share,
                rank_by_decile1_share: row.rank_of_proportion.unwrap_or(0),
                top1: row.lsoas_in_top1.unwrap_or(0),
                rank_by_top1: rank_by_top1.unwrap_or(0),
                average_rank: row.average_rank,
                rank_of_average_rank: row.rank_of_average_rank,
                average_score: row.average_score,
                rank_of_average_score: row.rank_of_average_score,
                extent: row.extent,
                rank_of_extent: row.rank_of_extent,
                local_concentration: row.local_concentration,
                rank_of_local_concentration: row.rank_of_local_concentration,
                peers: row.peers,
            };
            Some((code, (row.area_name.clone(), entry)))
        })
        .collect();
    Ok((map, table.notes))
}

/// Columns appended (per edition) after the original ones, which other tools rely on.
const EXTRA_COLUMNS: [&str; 9] = [
    "average_rank",
    "rank_of_average_rank",
    "average_score",
    "rank_of_average_score",
    "extent",
    "rank_of_extent",
    "local_concentration",
    "rank_of_local_concentration",
    "peers",
];

impl LeagueTable {
    /// Builds the table for two loaded editions, both on the later edition's LA geography (the earlier one recast
    /// onto it, as MHCLG's File 14 recasts IoD2015 onto the 2019 districts), so the change compares like with like.
    pub fn new(dataset: &Dataset, from: u16, to: u16) -> Result<Self, AnalysisError> {
        Self::on(dataset, from, to, to)
    }

    /// Builds the table with both editions on the LA geography of edition `on` (e.g. `from` to keep the earlier LAs).
    pub fn on(dataset: &Dataset, from: u16, to: u16, on: u16) -> Result<Self, AnalysisError> {
        let (earlier, mut notes) = entries(dataset, from, on)?;
        let (later, later_notes) = entries(dataset, to, on)?;
        notes.extend(later_notes);
        let geography = LaGeography::new(dataset, on, on)?.description;
        let mut codes: Vec<&AreaCode> = later.keys().chain(earlier.keys()).collect();
        codes.sort();
        codes.dedup();
        let mut rows: Vec<LeagueRow> = codes
            .into_iter()
            .map(|code| {
                let (a, b) = (earlier.get(code), later.get(code));
                let (from, to) = (a.map(|(_, e)| *e), b.map(|(_, e)| *e));
                LeagueRow {
                    la_code: *code,
                    la_name: b.or(a).map(|(n, _)| n.clone()).unwrap_or_default(),
                    from,
                    to,
                    rank_change: from
                        .zip(to)
                        .map(|(f, t)| i64::from(t.rank_by_decile1_share) - i64::from(f.rank_by_decile1_share)),
                    top1_change: from.zip(to).map(|(f, t)| i64::from(t.top1) - i64::from(f.top1)),
                }
            })
            .collect();
        rows.sort_by_key(|r| {
            (
                r.to.map_or(u32::MAX, |e| e.rank_by_decile1_share),
                r.from.map_or(u32::MAX, |e| e.rank_by_decile1_share),
                r.la_code,
            )
        });
        Ok(Self {
            from,
            to,
            on,
            geography,
            notes,
            rows,
        })
    }

    /// The table as CSV (one row per LA); a name that starts like a formula gets a leading `'` (OWASP).
    pub fn csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let (f, t) = (self.from, self.to);
        let mut header = vec!["la_code".to_string(), "la_name".to_string()];
        for year in [f, t] {
            for column in [
                "lsoas",
                "decile1",
                "decile1_share",
                "rank_by_decile1_share",
                "top1",
                "rank_by_top1",
            ] {
                header.push(format!("{column}_{year}"));
            }
        }
        header.extend(["rank_change".to_string(), "top1_change".to_string()]);
        for year in [f, t] {
            for column in EXTRA_COLUMNS {
                header.push(format!("{column}_{year}"));
            }
        }
        writer.write_record(&header)?;
        let opt = |v: Option<String>| v.unwrap_or_default();
        for row in &self.rows {
            let mut record = vec![row.la_code.to_string(), row.la_name.clone()];
            for entry in [row.from, row.to] {
                record.extend([
                    opt(entry.map(|e| e.lsoas.to_string())),
                    opt(entry.map(|e| e.decile1.to_string())),
                    opt(entry.map(|e| format!("{:.4}", e.decile1_share))),
                    opt(entry.map(|e| e.rank_by_decile1_share.to_string())),
                    opt(entry.map(|e| e.top1.to_string())),
                    opt(entry.map(|e| e.rank_by_top1.to_string())),
                ]);
            }
            record.push(opt(row.rank_change.map(|v| v.to_string())));
            record.push(opt(row.top1_change.map(|v| v.to_string())));
            for entry in [row.from, row.to] {
                let value = |m: SummaryMeasure, v: Option<f64>| opt(v.map(|v| m.format(v, Index::Imd)));
                let rank = |r: Option<u32>| opt(r.map(|r| r.to_string()));
                record.extend([
                    value(SummaryMeasure::AverageRank, entry.and_then(|e| e.average_rank)),
                    rank(entry.and_then(|e| e.rank_of_average_rank)),
                    value(SummaryMeasure::AverageScore, entry.and_then(|e| e.average_score)),
                    rank(entry.and_then(|e| e.rank_of_average_score)),
                    value(SummaryMeasure::Extent, entry.and_then(|e| e.extent)),
                    rank(entry.and_then(|e| e.rank_of_extent)),
                    value(
                        SummaryMeasure::LocalConcentration,
                        entry.and_then(|e| e.local_concentration),
                    ),
                    rank(entry.and_then(|e| e.rank_of_local_concentration)),
                    opt(entry.map(|e| e.peers.to_string())),
                ]);
            }
            writer.write_record(record.iter().map(|cell| crate::model::csv_safe_cell(cell).into_owned()))?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
