//! Everything loaded from one data folder: IMD editions, LSOA and ward layers, lookups, and the report of what joined.

use super::{
    AreaCode, AreaLayer, ImdEdition, IndicatorSet, JoinReport, LsoaChangeLookup, LsoaVintage, WardLookup, WardOfLsoa,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// How an LSOA's ward was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WardSource {
    /// The ONS best-fit lookup.
    Lookup,
    /// The ward polygon containing the LSOA's interior point.
    Polygon,
}

/// An LSOA's ward, with how it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WardAssignment<'a> {
    /// Ward, LA and names.
    pub ward: &'a WardOfLsoa,
    /// Lookup or polygon.
    pub source: WardSource,
}

/// The in-memory model: one record per edition, one layer per kind of area, the lookups, and the join report.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Where it came from, for display: a folder path or "embedded Leeds default".
    pub source_label: String,
    /// IMD editions by year.
    pub editions: BTreeMap<u16, ImdEdition>,
    /// LSOA boundaries by vintage.
    pub lsoa_layers: BTreeMap<LsoaVintage, AreaLayer>,
    /// Ward boundaries by ward year.
    pub ward_layers: BTreeMap<u16, AreaLayer>,
    /// LSOA → ward lookups by LSOA vintage.
    pub ward_lookups: BTreeMap<LsoaVintage, WardLookup>,
    /// The LSOA 2011 → 2021 lookup.
    pub change_lookup: Option<LsoaChangeLookup>,
    /// Wards of LSOAs that no lookup lists, found from ward polygons, by vintage.
    pub wards_from_polygons: BTreeMap<LsoaVintage, BTreeMap<AreaCode, WardOfLsoa>>,
    /// Local indicators over time (police.uk crime, claimant count, other LSOA/ward/LA tables).
    pub indicators: IndicatorSet,
    /// What was found and every problem.
    pub report: JoinReport,
}

impl Dataset {
    /// An edition by year.
    pub fn edition(&self, year: u16) -> Option<&ImdEdition> {
        self.editions.get(&year)
    }

    /// The ward of an LSOA: from the ONS lookup, else from the ward polygon containing it.
    pub fn ward_of(&self, vintage: LsoaVintage, lsoa: &AreaCode) -> Option<WardAssignment<'_>> {
        let from_lookup = self.ward_lookups.get(&vintage).and_then(|l| l.by_lsoa.get(lsoa));
        match from_lookup {
            Some(ward) => Some(WardAssignment {
                ward,
                source: WardSource::Lookup,
            }),
            None => {
                let ward = self.wards_from_polygons.get(&vintage)?.get(lsoa)?;
                Some(WardAssignment {
                    ward,
                    source: WardSource::Polygon,
                })
            }
        }
    }

    /// The local authority of each area of a layer (layer order): from its ward (LSOA -> ward -> LA lookup, or the
    /// ward polygon it lies in), else the boundary file's own LA code.
    pub fn la_of_areas(&self, vintage: LsoaVintage, layer: &AreaLayer) -> Vec<Option<AreaCode>> {
        layer
            .areas
            .iter()
            .map(|a| {
                self.ward_of(vintage, &a.code)
                    .and_then(|w| w.ward.la_code)
                    .or(a.la_code)
            })
            .collect()
    }

    /// Every LSOA of a vintage that has a ward, with it (lookup rows first, then polygon-derived ones).
    pub fn wards_of_lsoas(&self, vintage: LsoaVintage) -> impl Iterator<Item = (&AreaCode, WardAssignment<'_>)> {
        let lookup = self
            .ward_lookups
            .get(&vintage)
            .into_iter()
            .flat_map(|l| l.by_lsoa.iter());
        let polygons = self.wards_from_polygons.get(&vintage).into_iter().flatten();
        lookup
            .map(|(code, ward)| {
                (
                    code,
                    WardAssignment {
                        ward,
                        source: WardSource::Lookup,
                    },
                )
            })
            .chain(polygons.map(|(code, ward)| {
                (
                    code,
                    WardAssignment {
                        ward,
                        source: WardSource::Polygon,
                    },
                )
            }))
    }

    /// Ward boundaries to draw with LSOAs of a vintage: the ward year the lookup uses if loaded, else the nearest year.
    pub fn ward_layer_for(&self, vintage: LsoaVintage) -> Option<&AreaLayer> {
        let wanted = self
            .ward_lookups
            .get(&vintage)
            .map(|l| l.ward_year)
            .filter(|y| *y > 0)
            .unwrap_or(match vintage {
                LsoaVintage::Lsoa2011 => 2019,
                LsoaVintage::Lsoa2021 => 2024,
            });
        let in_range = |year: u16| match vintage {
            LsoaVintage::Lsoa2011 => year <= 2020,
            LsoaVintage::Lsoa2021 => year >= 2021,
        };
        self.ward_layers.get(&wanted).or_else(|| {
            self.ward_layers
                .iter()
                .filter(|(y, _)| in_range(**y))
                .min_by_key(|(y, _)| y.abs_diff(wanted))
                .map(|(_, l)| l)
        })
    }

    /// Local authorities named in an edition, as (code, name), sorted by name.
    pub fn local_authorities(&self, year: u16) -> Vec<(AreaCode, String)> {
        let Some(edition) = self.editions.get(&year) else {
            return Vec::new();
        };
        let mut las: BTreeMap<&AreaCode, &str> = BTreeMap::new();
        for row in edition.rows.values() {
            if let Some(code) = &row.la_code {
                las.entry(code).or_insert(&row.la_name);
            }
        }
        let mut list: Vec<(AreaCode, String)> = las.into_iter().map(|(c, n)| (*c, n.to_string())).collect();
        list.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        list
    }

    /// Why nothing can be analysed, if so: no IMD table loaded. Names the first file-level error (else the first file
    /// passed over), if there was one.
    pub fn unusable_reason(&self) -> Option<String> {
        if !self.editions.is_empty() {
            return None;
        }
        let problems = &self.report.problems;
        let first_error = problems
            .iter()
            .find(|p| p.severity == super::Severity::Error)
            .or_else(|| problems.iter().find(|p| p.path.is_some()));
        Some(match first_error {
            Some(problem) => format!(
                "no IMD table could be loaded from {}; first problem: {problem}",
                self.source_label
            ),
            None => format!("no IMD table was found in {}", self.source_label),
        })
    }

    /// Finds a local authority in an edition by code or name (case and spacing ignored).
    pub fn find_la(&self, year: u16, query: &str) -> Option<(AreaCode, String)> {
        let wanted = normalise(query);
        self.local_authorities(year)
            .into_iter()
            .find(|(code, name)| normalise(code.as_str()) == wanted || normalise(name) == wanted)
    }
}

/// Lower-cases and folds spaces, `&`/`and` and punctuation so that names typed by hand match published ones.
pub fn normalise(text: &str) -> String {
    let lower = text.trim().to_lowercase().replace('&', " and ");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an LA typed by hand means the whole country: `all`, `England` or `All England`, in any case.
///
/// ```
/// use locality_map::model::names_england;
/// assert!(names_england(" all  England "));
/// assert!(!names_england("Leeds"));
/// ```
pub fn names_england(text: &str) -> bool {
    matches!(normalise(text).as_str(), "all" | "england" | "all england")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_however_typed() {
        assert_eq!(normalise("Beeston & Holbeck"), normalise("beeston and  holbeck"));
        assert_eq!(normalise(" Kingston upon Hull, City of "), "kingston upon hull city of");
    }
}
