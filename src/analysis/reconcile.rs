//! The reconciliation report across the 2011 → 2021 boundary change: every LSOA of either edition in an area is
//! accounted for by a row of the ONS lookup, counted by what happened to it (U, S, M, X), and any that are not are
//! listed rather than dropped.

use super::comparison::{AreaFilter, change_lookup, edition};
use super::{AnalysisError, ComparisonMethod};
use crate::analysis::boundary_bridge::{BRIDGE_CAVEAT, BRIDGE_METHOD};
use crate::model::{AreaCode, BoundaryChange, Dataset, ImdRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One row of the ONS lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LookupPair {
    /// The 2011 LSOA.
    pub lsoa11: AreaCode,
    /// The 2021 LSOA.
    pub lsoa21: AreaCode,
}

/// How the LSOAs of an earlier and a later edition map onto each other in an area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reconciliation {
    /// LA code, or `E92000001` for England.
    pub la_code: AreaCode,
    /// LA name, or `England`.
    pub la_name: String,
    /// Earlier edition.
    pub from: u16,
    /// Later edition.
    pub to: u16,
    /// LSOAs the earlier edition ranks in the area.
    pub lsoas_from: usize,
    /// LSOAs the later edition ranks in the area.
    pub lsoas_to: usize,
    /// LSOAs of either edition that no lookup row accounts for (must be 0 for an honest comparison).
    pub unaccounted: usize,
    /// The earlier edition's LSOAs missing from the lookup.
    pub unaccounted_from: Vec<AreaCode>,
    /// The later edition's LSOAs missing from the lookup.
    pub unaccounted_to: Vec<AreaCode>,
    /// Lookup rows in the area by change letter (`U`, `S`, `M`, `X`; all four always present).
    pub by_change: BTreeMap<&'static str, usize>,
    /// The rows behind each count.
    pub rows: BTreeMap<&'static str, Vec<LookupPair>>,
    /// The comparison rule these rows feed.
    pub comparison: ComparisonMethod,
}

impl Reconciliation {
    /// Reconciles two editions over an area with the loaded ONS 2011 → 2021 lookup.
    pub fn new(dataset: &Dataset, area: &AreaFilter, from: u16, to: u16) -> Result<Self, AnalysisError> {
        let earlier = edition(dataset, from)?;
        let later = edition(dataset, to)?;
        let lookup = change_lookup(dataset, earlier, later)?;
        let (la_code, la_name) = area.resolve(dataset, [to, from])?;
        let in_area = |row: &ImdRow| matches!(area, AreaFilter::England) || row.la_code.as_ref() == Some(&la_code);
        let from_codes: BTreeSet<AreaCode> = earlier
            .rows
            .iter()
            .filter(|(_, r)| in_area(r))
            .map(|(c, _)| *c)
            .collect();
        let to_codes: BTreeSet<AreaCode> = later.rows.iter().filter(|(_, r)| in_area(r)).map(|(c, _)| *c).collect();
        let row_in_area = |lsoa11: &AreaCode, lsoa21: &AreaCode, row_la: Option<&AreaCode>| match area {
            AreaFilter::England => lsoa11.as_str().starts_with("E01") || lsoa21.as_str().starts_with("E01"),
            AreaFilter::LocalAuthority(_) => {
                row_la == Some(&la_code) || from_codes.contains(lsoa11) || to_codes.contains(lsoa21)
            }
        };
        let mut rows: BTreeMap<&'static str, Vec<LookupPair>> = [
            BoundaryChange::Unchanged,
            BoundaryChange::Split,
            BoundaryChange::Merged,
            BoundaryChange::Irregular,
        ]
        .into_iter()
        .map(|c| (c.letter(), Vec::new()))
        .collect();
        let (mut seen11, mut seen21) = (BTreeSet::new(), BTreeSet::new());
        for row in &lookup.rows {
            if !row_in_area(&row.lsoa11, &row.lsoa21, row.la_code.as_ref()) {
                continue;
            }
            seen11.insert(row.lsoa11);
            seen21.insert(row.lsoa21);
            rows.entry(row.change.letter()).or_default().push(LookupPair {
                lsoa11: row.lsoa11,
                lsoa21: row.lsoa21,
            });
        }
        for list in rows.values_mut() {
            list.sort();
            list.dedup();
        }
        let unaccounted_from: Vec<AreaCode> = from_codes.difference(&seen11).copied().collect();
        let unaccounted_to: Vec<AreaCode> = to_codes.difference(&seen21).copied().collect();
        Ok(Self {
            la_code,
            la_name,
            from,
            to,
            lsoas_from: from_codes.len(),
            lsoas_to: to_codes.len(),
            unaccounted: unaccounted_from.len() + unaccounted_to.len(),
            unaccounted_from,
            unaccounted_to,
            by_change: rows.iter().map(|(letter, list)| (*letter, list.len())).collect(),
            rows,
            comparison: ComparisonMethod {
                method: "lsoa11_to_lsoa21_lookup",
                rule: BRIDGE_METHOD,
                caveat: BRIDGE_CAVEAT,
            },
        })
    }

    /// A plain-text report for the terminal.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} ({}): IMD {} on {} LSOAs -> IMD {} on {} LSOAs\n",
            self.la_name, self.la_code, self.from, self.lsoas_from, self.to, self.lsoas_to
        );
        let names = [
            ("U", "unchanged"),
            ("S", "split (each 2021 child compared with its 2011 parent)"),
            ("M", "merged (population-weighted mean of the 2011 parents)"),
            ("X", "irregular (population-weighted mean of the 2011 parents)"),
        ];
        for (letter, name) in names {
            out.push_str(&format!(
                "  {letter} {:>6} lookup rows  {name}\n",
                self.by_change.get(letter).unwrap_or(&0)
            ));
        }
        out.push_str(&format!("  unaccounted: {}\n", self.unaccounted));
        for code in &self.unaccounted_from {
            out.push_str(&format!("    IMD {} LSOA {code} is in no lookup row\n", self.from));
        }
        for code in &self.unaccounted_to {
            out.push_str(&format!("    IMD {} LSOA {code} is in no lookup row\n", self.to));
        }
        if let Some(irregular) = self.rows.get("X").filter(|l| !l.is_empty()) {
            out.push_str("  irregular rows (2011 -> 2021):\n");
            for pair in irregular {
                out.push_str(&format!("    {} -> {}\n", pair.lsoa11, pair.lsoa21));
            }
        }
        out.push_str(&format!(
            "Rule: {}.\nCaveat: {}.\n",
            self.comparison.rule, self.comparison.caveat
        ));
        out
    }
}
