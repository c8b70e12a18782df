//! An IMD edition (2015, 2019, 2025): one row of ranks, deciles, scores and population per LSOA.

use super::{AreaCode, Decile, Persons, Rank};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Which census's LSOA boundaries a table or boundary file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LsoaVintage {
    /// 2011 LSOAs: 32,844 in England, 34,753 in England and Wales. IMD 2015 and 2019.
    Lsoa2011,
    /// 2021 LSOAs: 33,755 in England. IMD 2025.
    Lsoa2021,
}

impl LsoaVintage {
    /// The census year.
    pub fn year(self) -> u16 {
        match self {
            Self::Lsoa2011 => 2011,
            Self::Lsoa2021 => 2021,
        }
    }
}

impl fmt::Display for LsoaVintage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LSOA {}", self.year())
    }
}

/// The IMD itself and its domains and supplementary indices, in the order MHCLG publishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// Index of Multiple Deprivation.
    Imd,
    /// Income Deprivation domain.
    Income,
    /// Employment Deprivation domain.
    Employment,
    /// Education, Skills and Training domain.
    Education,
    /// Health Deprivation and Disability domain.
    Health,
    /// Crime domain.
    Crime,
    /// Barriers to Housing and Services domain.
    Housing,
    /// Living Environment domain.
    LivingEnvironment,
    /// Income Deprivation Affecting Children Index.
    Idaci,
    /// Income Deprivation Affecting Older People Index.
    Idaopi,
}

impl Index {
    /// Every index, IMD first.
    pub const ALL: [Index; 10] = [
        Index::Imd,
        Index::Income,
        Index::Employment,
        Index::Education,
        Index::Health,
        Index::Crime,
        Index::Housing,
        Index::LivingEnvironment,
        Index::Idaci,
        Index::Idaopi,
    ];

    /// The name planners know it by.
    pub fn label(self) -> &'static str {
        match self {
            Index::Imd => "IMD",
            Index::Income => "Income",
            Index::Employment => "Employment",
            Index::Education => "Education, skills and training",
            Index::Health => "Health and disability",
            Index::Crime => "Crime",
            Index::Housing => "Barriers to housing and services",
            Index::LivingEnvironment => "Living environment",
            Index::Idaci => "IDACI (children)",
            Index::Idaopi => "IDAOPI (older people)",
        }
    }

    /// A short machine name for JSON keys and CSV headers.
    pub fn key(self) -> &'static str {
        match self {
            Index::Imd => "imd",
            Index::Income => "income",
            Index::Employment => "employment",
            Index::Education => "education",
            Index::Health => "health",
            Index::Crime => "crime",
            Index::Housing => "housing",
            Index::LivingEnvironment => "living_environment",
            Index::Idaci => "idaci",
            Index::Idaopi => "idaopi",
        }
    }
}

/// The published figures for one index in one LSOA. Any may be absent from a given file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexValue {
    /// National rank, 1 = most deprived.
    pub rank: Option<Rank>,
    /// National decile, 1 = most deprived 10%.
    pub decile: Option<Decile>,
    /// The underlying score (higher = more deprived). Published to three decimals, so `f32` holds it exactly enough.
    pub score: Option<f32>,
}

/// Figures for every index in one LSOA, in a fixed array rather than a map: an edition holds 33,000 of these and
/// loading them must not cost an allocation each.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IndexValues([IndexValue; Index::ALL.len()]);

impl IndexValues {
    /// The figures for one index, if any were published.
    pub fn get(&self, index: &Index) -> Option<&IndexValue> {
        self.0.get(*index as usize).filter(|v| **v != IndexValue::default())
    }

    /// The figures for one index, to fill in.
    pub fn entry(&mut self, index: Index) -> &mut IndexValue {
        &mut self.0[index as usize]
    }

    /// Sets the figures for one index.
    pub fn insert(&mut self, index: Index, value: IndexValue) {
        self.0[index as usize] = value;
    }

    /// Indices with any figure, IMD first.
    pub fn iter(&self) -> impl Iterator<Item = (Index, &IndexValue)> {
        Index::ALL
            .into_iter()
            .zip(self.0.iter())
            .filter(|(_, v)| **v != IndexValue::default())
    }
}

impl Serialize for IndexValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for IndexValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<Index, IndexValue>::deserialize(deserializer)?;
        let mut values = Self::default();
        for (index, value) in map {
            values.insert(index, value);
        }
        Ok(values)
    }
}

/// The IoD population denominators for one LSOA (File 6 of the IoD 2019: mid-2015, excluding prisoners), as the
/// publisher gives them: whole people, except the working-age population, which MHCLG gives in quarter-persons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Population {
    /// Total population.
    pub total: Option<Persons>,
    /// Dependent children aged 0–15.
    pub children_0_15: Option<Persons>,
    /// Population aged 16–59.
    pub aged_16_59: Option<Persons>,
    /// Older population aged 60 and over.
    pub aged_60_plus: Option<Persons>,
    /// Working-age population (18–59/64), the Employment domain's denominator (fractional in File 6).
    pub working_age: Option<Persons>,
}

/// One LSOA's row in an edition, merged from every file of that edition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImdRow {
    /// The LSOA's name, e.g. `Leeds 111B`.
    pub name: String,
    /// The local authority district the edition places it in.
    pub la_code: Option<AreaCode>,
    /// That district's name.
    pub la_name: String,
    /// Figures per index; the IMD itself is `Index::Imd`.
    pub indices: IndexValues,
    /// Population denominators, when a population file was loaded.
    pub population: Option<Population>,
}

impl ImdRow {
    /// The national IMD rank.
    pub fn imd_rank(&self) -> Option<Rank> {
        self.indices.get(&Index::Imd).and_then(|v| v.rank)
    }

    /// The national IMD decile.
    pub fn imd_decile(&self) -> Option<Decile> {
        self.indices.get(&Index::Imd).and_then(|v| v.decile)
    }

    /// A domain's (or the IMD's) rank.
    pub fn rank(&self, index: Index) -> Option<Rank> {
        self.indices.get(&index).and_then(|v| v.rank)
    }

    /// Total population, when known.
    pub fn population_total(&self) -> Option<Persons> {
        self.population.and_then(|p| p.total)
    }
}

/// How many LSOAs an edition ranks in England: 32,844 (2011 LSOAs) for IoD 2015 and IoD 2019, 33,755 (2021 LSOAs)
/// for IoD 2025. `None` for a year that is not an edition.
///
/// ```
/// use locality_map::model::national_lsoas;
/// assert_eq!(national_lsoas(2019), Some(32_844));
/// assert_eq!(national_lsoas(2025), Some(33_755));
/// assert_eq!(national_lsoas(2020), None);
/// ```
pub fn national_lsoas(year: u16) -> Option<u32> {
    match year {
        2015 | 2019 => Some(32_844),
        2025 => Some(33_755),
        _ => None,
    }
}

/// One edition of the English Indices of Deprivation, keyed by LSOA code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImdEdition {
    /// Publication year: 2015, 2019 or 2025.
    pub year: u16,
    /// Which LSOA boundaries it ranks.
    pub vintage: LsoaVintage,
    /// Rows by LSOA code.
    pub rows: BTreeMap<AreaCode, ImdRow>,
    /// The files merged into it, in load order.
    pub sources: Vec<PathBuf>,
    /// Where its population figures came from, when it has any.
    pub population_source: Option<String>,
}

impl ImdEdition {
    /// An edition with no rows yet.
    pub fn new(year: u16, vintage: LsoaVintage) -> Self {
        Self {
            year,
            vintage,
            rows: BTreeMap::new(),
            sources: Vec::new(),
            population_source: None,
        }
    }

    /// N: how many LSOAs the edition ranks nationally (32,844 for 2015 and 2019, 33,755 for 2025). A fact of the
    /// edition, not of the rows loaded: a Leeds-only extract still has the national 1% line. For a year Locality Map
    /// does not know, the IMD-ranked rows loaded.
    pub fn ranked_count(&self) -> u32 {
        national_lsoas(self.year).unwrap_or_else(|| self.loaded_ranked_count())
    }

    /// How many rows loaded have an IMD rank (fewer than [`Self::ranked_count`] for an extract).
    pub fn loaded_ranked_count(&self) -> u32 {
        let ranked = self.rows.values().filter(|row| row.imd_rank().is_some()).count();
        u32::try_from(ranked).unwrap_or(u32::MAX)
    }

    /// True when fewer LSOAs are loaded than the edition ranks: an LA or regional extract of the national file.
    pub fn is_extract(&self) -> bool {
        self.loaded_ranked_count() < self.ranked_count()
    }

    /// True when at least one row has an IMD rank: an edition without any cannot be compared or mapped.
    pub fn has_imd_ranks(&self) -> bool {
        self.rows.values().any(|row| row.imd_rank().is_some())
    }

    /// The edition's most deprived 1% line: rank ≤ floor(N / 100), from its national N.
    pub fn top1_threshold(&self) -> u32 {
        top1_threshold(self.ranked_count())
    }

    /// Which domains and supplementary indices this edition carries ranks for, IMD first.
    pub fn indices_present(&self) -> Vec<Index> {
        Index::ALL
            .into_iter()
            .filter(|index| self.rows.values().any(|row| row.rank(*index).is_some()))
            .collect()
    }

    /// True when any row has population figures.
    pub fn has_population(&self) -> bool {
        self.population_source.is_some()
    }
}

/// The most deprived 1% of an edition of N LSOAs: rank ≤ floor(N / 100) (328 of 32,844; 337 of 33,755).
pub fn top1_threshold(ranked_lsoas: u32) -> u32 {
    ranked_lsoas / 100
}
