//! The LA league table: every local authority ranked by the share of its LSOAs in decile 1 and by how many are in
//! the most deprived 1%, in two editions, with the change. LAs whose code changed between editions (the 2019–2023
//! reorganisations) appear with figures for one edition only rather than being dropped.

use super::comparison::edition;
use super::{AnalysisError, rank_las_by_decile1_share};
use crate::model::{AreaCode, Dataset, ImdEdition};
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
    /// The LAs.
    pub rows: Vec<LeagueRow>,
}

fn entries(edition: &ImdEdition) -> BTreeMap<AreaCode, (String, LeagueEntry)> {
    let threshold = edition.top1_threshold();
    let mut top1: BTreeMap<AreaCode, u32> = BTreeMap::new();
    for row in edition.rows.values() {
        if let (Some(la), Some(rank)) = (row.la_code, row.imd_rank())
            && rank.get() <= threshold
        {
            *top1.entry(la).or_default() += 1;
        }
    }
    let mut counts: Vec<(AreaCode, u32)> = rank_las_by_decile1_share(edition)
        .iter()
        .map(|la| (la.code, top1.get(&la.code).copied().unwrap_or(0)))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut rank_by_top1: BTreeMap<AreaCode, u32> = BTreeMap::new();
    for (i, (code, n)) in counts.iter().enumerate() {
        let rank = match i.checked_sub(1).map(|j| counts[j]) {
            Some((previous, m)) if m == *n => rank_by_top1[&previous],
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        rank_by_top1.insert(*code, rank);
    }
    rank_las_by_decile1_share(edition)
        .into_iter()
        .map(|la| {
            let entry = LeagueEntry {
                lsoas: la.lsoas,
                decile1: la.decile1,
                decile1_share: if la.lsoas == 0 {
                    0.0
                } else {
                    f64::from(la.decile1) / f64::from(la.lsoas)
                },
                rank_by_decile1_share: la.rank,
                top1: top1.get(&la.code).copied().unwrap_or(0),
                rank_by_top1: rank_by_top1.get(&la.code).copied().unwrap_or(0),
            };
            (la.code, (la.name, entry))
        })
        .collect()
}

impl LeagueTable {
    /// Builds the table for two loaded editions.
    pub fn new(dataset: &Dataset, from: u16, to: u16) -> Result<Self, AnalysisError> {
        let earlier = entries(edition(dataset, from)?);
        let later = entries(edition(dataset, to)?);
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
        Ok(Self { from, to, rows })
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
            writer.write_record(record.iter().map(|cell| crate::model::csv_safe_cell(cell).into_owned()))?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
