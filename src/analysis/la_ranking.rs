//! Local authorities ranked by the share of their LSOAs in the most deprived national decile.

use crate::model::{AreaCode, ImdEdition};
use serde::Serialize;
use std::collections::BTreeMap;

/// One LA's place in the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LaDecile1Share {
    /// LA code.
    pub code: AreaCode,
    /// LA name.
    pub name: String,
    /// LSOAs in the LA.
    pub lsoas: u32,
    /// Of which in decile 1.
    pub decile1: u32,
    /// Competition rank: 1 = highest share; ties share a rank and the next rank is skipped.
    pub rank: u32,
}

/// Ranks every LA of an edition by share of LSOAs in decile 1 (competition ranking, "1224").
///
/// ```
/// # use locality_map::model::*;
/// # use locality_map::analysis::rank_las_by_decile1_share;
/// let mut edition = ImdEdition::new(2019, LsoaVintage::Lsoa2011);
/// for (lsoa, la, decile) in [("E01000001", "E08000001", 1), ("E01000002", "E08000001", 5), ("E01000003", "E08000002", 1), ("E01000004", "E08000002", 7), ("E01000005", "E08000003", 9)] {
///     let mut row = ImdRow { la_code: AreaCode::parse(la), ..Default::default() };
///     row.indices.insert(Index::Imd, IndexValue { decile: Decile::new(decile), ..Default::default() });
///     edition.rows.insert(AreaCode::parse(lsoa).unwrap(), row);
/// }
/// let ranks: Vec<u32> = rank_las_by_decile1_share(&edition).iter().map(|la| la.rank).collect();
/// assert_eq!(ranks, [1, 1, 3]); // two LAs tie at 50%
/// ```
pub fn rank_las_by_decile1_share(edition: &ImdEdition) -> Vec<LaDecile1Share> {
    let mut by_la: BTreeMap<&AreaCode, (String, u32, u32)> = BTreeMap::new();
    for row in edition.rows.values() {
        let Some(code) = &row.la_code else { continue };
        let entry = by_la.entry(code).or_insert_with(|| (row.la_name.clone(), 0, 0));
        entry.1 += 1;
        if row.imd_decile().is_some_and(|d| d.get() == 1) {
            entry.2 += 1;
        }
    }
    let mut list: Vec<LaDecile1Share> = by_la
        .into_iter()
        .map(|(code, (name, lsoas, decile1))| LaDecile1Share {
            code: *code,
            name,
            lsoas,
            decile1,
            rank: 0,
        })
        .collect();
    // Compare shares exactly as fractions (a/b > c/d ⇔ a·d > c·b), so ties are true ties.
    let share_order = |a: &LaDecile1Share, b: &LaDecile1Share| {
        (u64::from(b.decile1) * u64::from(a.lsoas)).cmp(&(u64::from(a.decile1) * u64::from(b.lsoas)))
    };
    list.sort_by(|a, b| share_order(a, b).then(a.code.cmp(&b.code)));
    for i in 0..list.len() {
        let tied_with_previous = i > 0 && share_order(&list[i - 1], &list[i]).is_eq();
        list[i].rank = if tied_with_previous {
            list[i - 1].rank
        } else {
            u32::try_from(i + 1).unwrap_or(u32::MAX)
        };
    }
    list
}
