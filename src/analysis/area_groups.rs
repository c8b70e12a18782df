//! Planner-defined groups of LSOAs: a grouping file's wards and LSOAs resolved against the loaded data, and named
//! selections, ready to be summarised like LAs and wards.

use super::area_geography::AreaMembers;
use crate::model::{AreaCode, Dataset, GroupFile, GroupMember, ImdEdition, LsoaVintage, normalise};
use std::collections::{BTreeMap, BTreeSet};

/// Groups resolved to LSOAs, and the rows that named nothing known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedGroups {
    /// Each group with its LSOAs, in the order the file first names them.
    pub groups: Vec<AreaMembers>,
    /// Rows whose ward or LSOA is not in the loaded data, e.g. `ward name "Armly" (row 4)`.
    pub unknown: Vec<String>,
}

impl ResolvedGroups {
    /// The named error for unknown members, naming the file last, or `None` when every row was found.
    pub fn unknown_error(&self, file: &GroupFile) -> Option<String> {
        (!self.unknown.is_empty()).then(|| {
            format!(
                "{} grouping rows name wards or LSOAs that are not in the loaded data: {}; the other groups are summarised — {}",
                self.unknown.len(),
                self.unknown.join(", "),
                file.path.display()
            )
        })
    }
}

/// Resolves a grouping file against an edition's LSOAs and the ward lookup of its vintage. Ward names are matched
/// within `la` when given (ward names repeat across England), however they are typed (`&`/`and`, case, spaces).
pub fn resolve_groups(
    dataset: &Dataset,
    edition: &ImdEdition,
    la: Option<&AreaCode>,
    file: &GroupFile,
) -> ResolvedGroups {
    let la_of_lsoa = |code: &AreaCode| edition.rows.get(code).map(|row| row.la_code);
    resolve_groups_among(dataset, edition.vintage, la_of_lsoa, la, file)
}

/// Resolves a grouping file against the LSOAs of a vintage that `la_of_lsoa` knows (`Some(its LA, if known)`;
/// `None` for an LSOA not among them) and the ward lookup of that vintage: [`resolve_groups`] for an edition's
/// LSOAs, `resolve_indicator_groups` for an indicator's.
pub fn resolve_groups_among(
    dataset: &Dataset,
    vintage: LsoaVintage,
    la_of_lsoa: impl Fn(&AreaCode) -> Option<Option<AreaCode>>,
    la: Option<&AreaCode>,
    file: &GroupFile,
) -> ResolvedGroups {
    let mut ward_lsoas: BTreeMap<AreaCode, Vec<AreaCode>> = BTreeMap::new();
    let mut wards_by_name: BTreeMap<String, BTreeSet<AreaCode>> = BTreeMap::new();
    for (lsoa, assignment) in dataset.wards_of_lsoas(vintage) {
        let Some(lsoa_la) = la_of_lsoa(lsoa) else { continue };
        let ward_la = assignment.ward.la_code.or(lsoa_la);
        if la.is_some_and(|la| ward_la.as_ref() != Some(la)) {
            continue;
        }
        ward_lsoas.entry(assignment.ward.ward_code).or_default().push(*lsoa);
        wards_by_name
            .entry(normalise(&assignment.ward.ward_name))
            .or_default()
            .insert(assignment.ward.ward_code);
    }
    let mut members: BTreeMap<String, BTreeSet<AreaCode>> = BTreeMap::new();
    let mut unknown = Vec::new();
    for row in &file.rows {
        let found: Result<Vec<AreaCode>, String> = match &row.member {
            GroupMember::LsoaCode(text) => AreaCode::parse(text)
                .filter(|c| la_of_lsoa(c).is_some())
                .map(|c| vec![c])
                .ok_or_else(|| format!("LSOA {text:?} (row {})", row.row)),
            GroupMember::WardCode(text) => AreaCode::parse(text)
                .and_then(|c| ward_lsoas.get(&c).cloned())
                .ok_or_else(|| format!("ward code {text:?} (row {})", row.row)),
            GroupMember::WardName(text) => match wards_by_name.get(&normalise(text)) {
                Some(codes) if codes.len() == 1 => Ok(codes.iter().flat_map(|c| ward_lsoas[c].clone()).collect()),
                Some(codes) => Err(format!(
                    "ward name {text:?} (row {}: {} wards have that name; give --la or ward codes)",
                    row.row,
                    codes.len()
                )),
                None => Err(format!("ward name {text:?} (row {})", row.row)),
            },
        };
        match found {
            Ok(lsoas) => members.entry(row.group.clone()).or_default().extend(lsoas),
            Err(what) => unknown.push(what),
        }
    }
    let groups = file
        .group_names()
        .into_iter()
        .filter_map(|name| {
            let lsoas: Vec<AreaCode> = members.remove(&name)?.into_iter().collect();
            Some(AreaMembers {
                code: name.clone(),
                name,
                lsoas,
            })
        })
        .collect();
    ResolvedGroups { groups, unknown }
}

/// Named selections as groups (name → LSOA codes), in name order.
pub fn groups_from_selections(named: &BTreeMap<String, BTreeSet<AreaCode>>) -> Vec<AreaMembers> {
    named
        .iter()
        .map(|(name, lsoas)| AreaMembers {
            code: name.clone(),
            name: name.clone(),
            lsoas: lsoas.iter().copied().collect(),
        })
        .collect()
}
