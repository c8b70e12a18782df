//! Residents per LSOA for indicator rates: the IoD population denominators (File 6) of an edition on the same
//! LSOAs, or — for 2021 LSOAs when only the IoD2019 (2011 LSOAs, mid-2015) file is loaded — carried through the ONS
//! LSOA (2011) → LSOA (2021) lookup by the rule in [`POPULATION_BRIDGE_METHOD`].

use crate::model::{AreaCode, Dataset, ImdRow, LsoaVintage};
use std::collections::BTreeMap;

/// How 2011-LSOA populations are carried onto 2021 LSOAs, quoted on legends and in CLI output.
pub const POPULATION_BRIDGE_METHOD: &str = "2021 LSOAs take the mid-2015 populations of their 2011 LSOAs (IoD2019 File 6) \
through the ONS LSOA (2011) to LSOA (2021) lookup: unchanged = the 2011 LSOA's, merged = the sum of its 2011 LSOAs', \
split = the 2011 LSOA's shared equally among its 2021 LSOAs";

/// Populations of the LSOAs of one vintage, and where they came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LsoaPopulations {
    /// Residents (all ages) by LSOA.
    pub by_lsoa: BTreeMap<AreaCode, f64>,
    /// The denominator in words, e.g. "mid-2015 residents, IoD2019 File 6 (…)", plus the bridge when used.
    pub source: String,
}

impl LsoaPopulations {
    /// The population of an LSOA.
    pub fn get(&self, code: &AreaCode) -> Option<f64> {
        self.by_lsoa.get(code).copied()
    }
}

/// Populations for LSOAs of a vintage, or `None` when no edition with population denominators is loaded (or, for
/// 2021 LSOAs without a 2021 edition's, no 2011 → 2021 lookup).
pub fn lsoa_populations(dataset: &Dataset, vintage: LsoaVintage) -> Option<LsoaPopulations> {
    let with_population = |v: LsoaVintage| {
        dataset
            .editions
            .values()
            .rev()
            .find(|e| e.vintage == v && e.has_population())
    };
    if let Some(edition) = with_population(vintage) {
        let by_lsoa = edition
            .rows
            .iter()
            .filter_map(|(code, row)| row.population_total().map(|p| (*code, f64::from(p))))
            .collect();
        let source = edition
            .population_source
            .clone()
            .unwrap_or_else(|| format!("IoD{} population denominators", edition.year));
        return Some(LsoaPopulations { by_lsoa, source });
    }
    if vintage != LsoaVintage::Lsoa2021 {
        return None;
    }
    let earlier = with_population(LsoaVintage::Lsoa2011)?;
    let lookup = dataset.change_lookup.as_ref()?;
    let mut children: BTreeMap<AreaCode, usize> = BTreeMap::new();
    let mut rows: Vec<(AreaCode, AreaCode)> = lookup.rows.iter().map(|r| (r.lsoa11, r.lsoa21)).collect();
    rows.sort();
    rows.dedup();
    for (old, _) in &rows {
        *children.entry(*old).or_default() += 1;
    }
    let mut by_lsoa: BTreeMap<AreaCode, f64> = BTreeMap::new();
    let mut missing: BTreeMap<AreaCode, bool> = BTreeMap::new();
    for (old, new) in &rows {
        match earlier.rows.get(old).and_then(ImdRow::population_total) {
            Some(p) => {
                *by_lsoa.entry(*new).or_default() += f64::from(p) / children.get(old).copied().unwrap_or(1) as f64
            }
            None => {
                missing.insert(*new, true);
            }
        }
    }
    // A 2021 LSOA with a 2011 parent of unknown population has no population, not a part of one.
    for code in missing.keys() {
        by_lsoa.remove(code);
    }
    let base = earlier
        .population_source
        .clone()
        .unwrap_or_else(|| format!("IoD{} population denominators", earlier.year));
    Some(LsoaPopulations {
        by_lsoa,
        source: format!("{base}; {POPULATION_BRIDGE_METHOD}"),
    })
}

/// How whole 2011-LSOA populations are carried onto 2021 LSOAs for deprivation figures (population in the 1%, in
/// decile 1, of a ward), quoted wherever such a population is shown.
pub const WHOLE_POPULATION_BRIDGE_METHOD: &str = "mid-2015 residents (IoD2019 File 6) carried to 2021 LSOAs through \
the ONS LSOA (2011) to LSOA (2021) lookup where that is exact: an unchanged LSOA keeps its 2011 population, a merged one \
sums its whole 2011 LSOAs; split and redrawn 2021 LSOAs have no population here (no 2025 population denominators are \
loaded)";

/// Populations for 2021 LSOAs carried from 2011 LSOAs only where no guess is needed: every 2011 parent lies wholly in
/// the 2021 LSOA (unchanged or merged). `None` without a 2011 edition with populations or without the lookup.
pub fn whole_lsoa_populations_2021(dataset: &Dataset) -> Option<LsoaPopulations> {
    let earlier = dataset
        .editions
        .values()
        .rev()
        .find(|e| e.vintage == LsoaVintage::Lsoa2011 && e.has_population())?;
    let lookup = dataset.change_lookup.as_ref()?;
    let mut rows: Vec<(AreaCode, AreaCode)> = lookup.rows.iter().map(|r| (r.lsoa11, r.lsoa21)).collect();
    rows.sort();
    rows.dedup();
    let mut children: BTreeMap<AreaCode, usize> = BTreeMap::new();
    for (old, _) in &rows {
        *children.entry(*old).or_default() += 1;
    }
    let mut by_lsoa: BTreeMap<AreaCode, f64> = BTreeMap::new();
    let mut unsound: std::collections::BTreeSet<AreaCode> = std::collections::BTreeSet::new();
    for (old, new) in &rows {
        let whole = children.get(old).copied() == Some(1);
        match earlier.rows.get(old).and_then(ImdRow::population_total) {
            Some(p) if whole => *by_lsoa.entry(*new).or_default() += f64::from(p),
            _ => {
                unsound.insert(*new);
            }
        }
    }
    for code in &unsound {
        by_lsoa.remove(code);
    }
    Some(LsoaPopulations {
        by_lsoa,
        source: WHOLE_POPULATION_BRIDGE_METHOD.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BoundaryChange, ImdEdition, LsoaChangeLookup, LsoaChangeRow, Persons, Population};

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).unwrap()
    }

    /// Three 2011 LSOAs with File 6 populations (1,500, 1,000 and 2,000) and the lookup rows given.
    fn dataset_with(rows: &[(&str, &str, BoundaryChange)]) -> Dataset {
        let mut edition = ImdEdition::new(2019, LsoaVintage::Lsoa2011);
        for (c, p) in [("E01000001", 1_500), ("E01000002", 1_000), ("E01000003", 2_000)] {
            let row = ImdRow {
                population: Some(Population {
                    total: Some(Persons::whole(p)),
                    ..Population::default()
                }),
                ..ImdRow::default()
            };
            edition.rows.insert(code(c), row);
        }
        edition.population_source = Some("File 6".into());
        let mut dataset = Dataset::default();
        dataset.editions.insert(2019, edition);
        dataset.change_lookup = Some(LsoaChangeLookup {
            rows: rows
                .iter()
                .map(|(a, b, change)| LsoaChangeRow {
                    lsoa11: code(a),
                    lsoa21: code(b),
                    change: *change,
                    la_code: None,
                })
                .collect(),
            sources: Vec::new(),
        });
        dataset
    }

    #[test]
    fn whole_parents_carry_their_population_exactly() {
        let dataset = dataset_with(&[
            ("E01000001", "E01000001", BoundaryChange::Unchanged),
            ("E01000002", "E01033003", BoundaryChange::Merged),
            ("E01000003", "E01033003", BoundaryChange::Merged),
        ]);
        let whole = whole_lsoa_populations_2021(&dataset).unwrap();
        assert_eq!(whole.get(&code("E01000001")), Some(1_500.0));
        assert_eq!(whole.get(&code("E01033003")), Some(3_000.0));
        assert!(whole.source.contains("no 2025 population denominators"));
    }

    #[test]
    fn splits_share_and_merges_sum() {
        let dataset = dataset_with(&[
            ("E01000001", "E01000001", BoundaryChange::Unchanged),
            ("E01000002", "E01033001", BoundaryChange::Split),
            ("E01000002", "E01033002", BoundaryChange::Split),
            ("E01000003", "E01033003", BoundaryChange::Merged),
            ("E01000001", "E01033003", BoundaryChange::Merged),
        ]);
        let whole = whole_lsoa_populations_2021(&dataset).unwrap();
        assert_eq!(whole.get(&code("E01033001")), None, "a split has no exact population");
        // E01000001 feeds two 2021 LSOAs, so neither is exact; the unchanged one here is that LSOA itself.
        assert_eq!(whole.get(&code("E01033003")), None);
        assert_eq!(whole.get(&code("E01000001")), None);
        let populations = lsoa_populations(&dataset, LsoaVintage::Lsoa2021).unwrap();
        assert_eq!(populations.get(&code("E01033001")), Some(500.0));
        assert_eq!(populations.get(&code("E01033002")), Some(500.0));
        // E01000001 feeds two 2021 LSOAs here (itself and the merge): half each.
        assert_eq!(populations.get(&code("E01033003")), Some(2_000.0 + 750.0));
        assert!(populations.source.contains("File 6") && populations.source.contains("split"));
    }
}
