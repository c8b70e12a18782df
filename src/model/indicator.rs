//! Local indicators over time (police.uk crime, claimant count, any LSOA/ward/LA table): one value per area and
//! period, with the indicator's unit, geography, sources and what was skipped loading it.

use super::{AreaCode, LsoaVintage};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A month (`month` 1–12) or a whole year (`month` 0) of an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Calendar year.
    pub year: u16,
    /// 1–12, or 0 for a whole year.
    pub month: u8,
}

impl Period {
    /// A month; `None` outside 1–12 or years 1900–2200.
    pub fn month(year: u16, month: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some(Self { year, month })
    }

    /// A whole year.
    pub fn year(year: u16) -> Option<Self> {
        (1900..=2200).contains(&year).then_some(Self { year, month: 0 })
    }

    /// Parses `YYYY-MM`, `YYYY-MM-DD` (the day is dropped: periods are months), `YYYY/MM`, `MM/YYYY`,
    /// `DD/MM/YYYY` or `YYYY`.
    ///
    /// ```
    /// use locality_map::model::Period;
    /// assert_eq!(Period::parse("2015-01-01"), Period::month(2015, 1));
    /// assert_eq!(Period::parse("2024-02"), Period::month(2024, 2));
    /// assert_eq!(Period::parse("2019"), Period::year(2019));
    /// assert_eq!(Period::parse("2024-13"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.split(['T', ' ']).next().unwrap_or(text);
        let parts: Vec<&str> = text.split(['-', '/']).collect();
        let number = |s: &str| s.parse::<u16>().ok().filter(|_| s.bytes().all(|b| b.is_ascii_digit()));
        match parts.as_slice() {
            [y] if y.len() == 4 => Self::year(number(y)?),
            [y, m] | [y, m, _] if y.len() == 4 && (1..=2).contains(&m.len()) => {
                Self::month(number(y)?, u8::try_from(number(m)?).ok()?)
            }
            [m, y] if y.len() == 4 && (1..=2).contains(&m.len()) => {
                Self::month(number(y)?, u8::try_from(number(m)?).ok()?)
            }
            [_, m, y] if y.len() == 4 && (1..=2).contains(&m.len()) => {
                Self::month(number(y)?, u8::try_from(number(m)?).ok()?)
            }
            _ => None,
        }
    }

    /// The month `n` months later (or earlier, for negative `n`); years step by years.
    pub fn offset(self, n: i32) -> Option<Self> {
        if self.month == 0 {
            return Self::year(u16::try_from(i32::from(self.year) + n).ok()?);
        }
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + n;
        let year = u16::try_from(index.div_euclid(12)).ok()?;
        Self::month(year, u8::try_from(index.rem_euclid(12) + 1).ok()?)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.month == 0 {
            write!(f, "{}", self.year)
        } else {
            write!(f, "{}-{:02}", self.year, self.month)
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What an indicator's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorUnit {
    /// A count of people or events: sums over areas and months, and divides by population into a rate.
    Count,
    /// A rate as published (per population the publisher chose): never summed or averaged across areas here.
    Rate,
    /// A percentage as published: never summed or averaged across areas here.
    Percent,
}

impl IndicatorUnit {
    /// For display.
    pub fn label(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Rate => "rate",
            Self::Percent => "%",
        }
    }
}

/// The areas an indicator is given for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// LSOAs of one census.
    Lsoa(LsoaVintage),
    /// Wards, with the year of their codes when the header says (`wd15cd` → 2015).
    Ward(Option<u16>),
    /// Local authorities.
    La,
}

impl fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lsoa(vintage) => vintage.fmt(f),
            Self::Ward(Some(year)) => write!(f, "wards {year}"),
            Self::Ward(None) => f.write_str("wards"),
            Self::La => f.write_str("local authorities"),
        }
    }
}

/// One area of an indicator: its code, name and (when the file says) its local authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndicatorArea {
    /// ONS code.
    pub code: AreaCode,
    /// Name as the file gives it.
    pub name: String,
    /// Local authority code, when the file carries one.
    pub la_code: Option<AreaCode>,
    /// Local authority name, when the file carries one.
    pub la_name: String,
}

/// Rows of a file or month that were read but could not be put on an area, or were not read, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SkippedRows {
    /// Reason → rows.
    pub by_reason: BTreeMap<String, usize>,
}

impl SkippedRows {
    /// Counts one row under a reason.
    pub fn add(&mut self, reason: impl Into<String>) {
        *self.by_reason.entry(reason.into()).or_default() += 1;
    }

    /// Rows in all.
    pub fn total(&self) -> usize {
        self.by_reason.values().sum()
    }
}

/// One indicator: a value per area and period, dense (`NaN` = not given).
#[derive(Clone, Debug, Serialize)]
pub struct Indicator {
    /// Short name used on the command line, e.g. `crime`, `crime-burglary`, `claimant-count`.
    pub name: String,
    /// Title for legends, e.g. `All crime (police.uk street-level)`.
    pub title: String,
    /// Count, rate or percentage.
    pub unit: IndicatorUnit,
    /// Which areas.
    pub level: AreaLevel,
    /// Periods, sorted.
    pub periods: Vec<Period>,
    /// Areas, sorted by code.
    pub areas: Vec<IndicatorArea>,
    /// `areas.len() × periods.len()` values, area-major; `NaN` where the file gives none.
    #[serde(skip)]
    pub values: Vec<f64>,
    /// Files read.
    pub sources: Vec<PathBuf>,
    /// Licence and attribution line from the catalogue, when it knows the source.
    pub attribution: Option<String>,
    /// Rows counted in the indicator but with no area (police.uk rows without an LSOA or location), per period.
    pub without_area: BTreeMap<Period, u64>,
    /// Rows read from the files.
    pub rows_read: usize,
    /// Rows skipped and why.
    pub skipped: SkippedRows,
    /// How the files were combined (e.g. re-downloads of a month), each one sentence.
    pub notes: Vec<String>,
}

impl Indicator {
    /// An indicator with no values yet (every value `NaN`).
    pub fn new(
        name: &str,
        title: &str,
        unit: IndicatorUnit,
        level: AreaLevel,
        periods: Vec<Period>,
        areas: Vec<IndicatorArea>,
    ) -> Self {
        let values = vec![f64::NAN; periods.len() * areas.len()];
        Self {
            name: name.to_string(),
            title: title.to_string(),
            unit,
            level,
            periods,
            areas,
            values,
            sources: Vec::new(),
            attribution: None,
            without_area: BTreeMap::new(),
            rows_read: 0,
            skipped: SkippedRows::default(),
            notes: Vec::new(),
        }
    }

    /// The index of an area.
    pub fn area_index(&self, code: &AreaCode) -> Option<usize> {
        self.areas.binary_search_by(|a| a.code.cmp(code)).ok()
    }

    /// The index of a period.
    pub fn period_index(&self, period: Period) -> Option<usize> {
        self.periods.binary_search(&period).ok()
    }

    /// One area's values, one per period (`NaN` where not given).
    pub fn series(&self, area_index: usize) -> &[f64] {
        let n = self.periods.len();
        self.values
            .get(area_index * n..(area_index + 1) * n)
            .unwrap_or_default()
    }

    /// One value.
    pub fn value(&self, area_index: usize, period_index: usize) -> Option<f64> {
        self.series(area_index)
            .get(period_index)
            .copied()
            .filter(|v| !v.is_nan())
    }

    /// Sets one value.
    pub fn set(&mut self, area_index: usize, period_index: usize, value: f64) {
        let n = self.periods.len();
        if period_index < n
            && let Some(slot) = self.values.get_mut(area_index * n + period_index)
        {
            *slot = value;
        }
    }

    /// Periods as `first – last`, for display.
    pub fn period_span(&self) -> String {
        match (self.periods.first(), self.periods.last()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} – {b}"),
            _ => "no periods".into(),
        }
    }
}

/// One police.uk street-level row kept after de-duplication, for the points layer.
#[derive(Clone, Debug, PartialEq)]
pub struct CrimePoint {
    /// Month reported.
    pub month: Period,
    /// Index into [`IndicatorSet::crime_types`].
    pub crime_type: u16,
    /// The anonymised point, in BNG metres.
    pub point_in_world: geo::Coord<f64>,
    /// The LSOA it falls in (2021 codes), when given.
    pub lsoa: Option<AreaCode>,
}

/// Every indicator loaded, by name, and the police.uk points.
#[derive(Clone, Debug, Default)]
pub struct IndicatorSet {
    /// Indicators by name.
    pub by_name: BTreeMap<String, Indicator>,
    /// Crime types in the order of [`CrimePoint::crime_type`].
    pub crime_types: Vec<String>,
    /// police.uk points (rows with a location), after de-duplication.
    pub crime_points: Vec<CrimePoint>,
}

impl IndicatorSet {
    /// An indicator by name, ignoring case, spaces, `_` and `-`.
    pub fn find(&self, name: &str) -> Option<&Indicator> {
        let fold = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        };
        let wanted = fold(name);
        self.by_name
            .get(name)
            .or_else(|| self.by_name.values().find(|i| fold(&i.name) == wanted))
    }

    /// Names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.by_name.keys().map(String::as_str).collect()
    }
}

/// A name for the command line: lower case, words joined by `-`.
///
/// ```
/// use locality_map::model::slug;
/// assert_eq!(slug("Anti-social behaviour"), "anti-social-behaviour");
/// assert_eq!(slug("Criminal damage and arson"), "criminal-damage-and-arson");
/// ```
pub fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_step_across_years() {
        let jan = Period::month(2025, 1).unwrap();
        assert_eq!(jan.offset(-1), Period::month(2024, 12));
        assert_eq!(jan.offset(-13), Period::month(2023, 12));
        assert_eq!(jan.offset(12), Period::month(2026, 1));
        assert_eq!(Period::parse("02/2024"), Period::month(2024, 2));
        assert_eq!(Period::parse("01/02/2024"), Period::month(2024, 2));
        assert_eq!(Period::parse("Feb 2024"), None);
        assert_eq!(Period::parse("20x4-01"), None);
    }

    #[test]
    fn values_are_dense_by_area_then_period() {
        let area = |c: &str| IndicatorArea {
            code: AreaCode::parse(c).unwrap(),
            name: c.into(),
            la_code: None,
            la_name: String::new(),
        };
        let periods = vec![Period::month(2024, 1).unwrap(), Period::month(2024, 2).unwrap()];
        let mut indicator = Indicator::new(
            "x",
            "X",
            IndicatorUnit::Count,
            AreaLevel::La,
            periods,
            vec![area("E09000001"), area("E09000002")],
        );
        indicator.set(1, 0, 7.0);
        assert_eq!(indicator.value(1, 0), Some(7.0));
        assert_eq!(indicator.value(0, 0), None);
        assert_eq!(indicator.series(1).len(), 2);
        assert_eq!(indicator.area_index(&AreaCode::parse("E09000002").unwrap()), Some(1));
    }
}
