//! Emerging issues: areas whose count in the recent months is unusually high for their own baseline, by a
//! one-sided Poisson exceedance test (the rule in [`EmergingOptions::method`]).

use super::indicator_aggregate::{AggregatedIndicator, Level};
use super::indicator_window::{Window, window_sum};
use super::poisson::poisson_upper_tail;
use crate::model::{AreaCode, IndicatorUnit, Period};
use serde::Serialize;

/// The test's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EmergingOptions {
    /// Months in the recent window (default 3), ending at the indicator's last period.
    pub recent_months: usize,
    /// Flag when `P(X ≥ recent | expected)` is at most this, `≤` (default 0.01).
    pub p_threshold: f64,
    /// Flag only when the recent count is at least this (default 5), so tiny areas do not flag on noise.
    pub min_count: f64,
    /// Same-months baseline only with at least this many earlier years (default 2), else the preceding 12 months.
    pub min_years: usize,
}

impl Default for EmergingOptions {
    fn default() -> Self {
        Self {
            recent_months: 3,
            p_threshold: 0.01,
            min_count: 5.0,
            min_years: 2,
        }
    }
}

impl EmergingOptions {
    /// The flagging rule applied by [`scan_emerging`] (see [`EmergingOptions::flags`]), in one line: the map
    /// legend, the tooltips and [`EmergingOptions::method`] all say it with these words.
    ///
    /// ```
    /// use locality_map::analysis::EmergingOptions;
    /// assert_eq!(
    ///     EmergingOptions::default().rule(),
    ///     "recent count ≥ 5, above expected, and P(X ≥ recent | Poisson(expected)) ≤ 0.01"
    /// );
    /// ```
    pub fn rule(&self) -> String {
        format!(
            "recent count ≥ {m}, above expected, and P(X ≥ recent | Poisson(expected)) ≤ {p}",
            m = self.min_count,
            p = self.p_threshold
        )
    }

    /// True when an area with this recent count, expected count and upper-tail p-value is flagged: the rule
    /// [`EmergingOptions::rule`] states (at least the minimum count, above expected, p at most the threshold).
    pub fn flags(&self, recent: f64, expected: f64, p_value: f64) -> bool {
        recent >= self.min_count && recent > expected && p_value <= self.p_threshold
    }

    /// The rule in words, for the window, the CLI and the README.
    pub fn method(&self) -> String {
        format!(
            "One-sided Poisson exceedance test: for each area the recent count (the last {r} months) is compared with its \
             expected count from its own baseline — the mean over the same {r} months of earlier years when at least {y} \
             earlier years have them, else the preceding 12 months scaled to {r} months. An area is flagged when {rule} \
             (the upper tail by the regularised incomplete gamma). Areas whose baseline has no events, or with months missing, are not tested. With many areas, about \
             {p} of them flag by chance alone: treat flags as prompts to look, not findings.",
            r = self.recent_months,
            y = self.min_years,
            rule = self.rule(),
            p = self.p_threshold
        )
    }
}

/// Which baseline an area was tested against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// The same months of this many earlier years (mean).
    SameMonthsOfEarlierYears(usize),
    /// The 12 months before the recent window, scaled.
    Preceding12Months,
}

impl Baseline {
    /// For tables.
    pub fn label(self) -> String {
        match self {
            Self::SameMonthsOfEarlierYears(n) => format!("same months of {n} earlier years"),
            Self::Preceding12Months => "preceding 12 months".into(),
        }
    }
}

/// One area's test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmergingArea {
    /// Area code.
    pub code: AreaCode,
    /// Area name.
    pub name: String,
    /// Its LA.
    pub la_name: String,
    /// The recent count.
    pub recent: f64,
    /// The expected count from the baseline.
    pub expected: f64,
    /// `recent / expected`.
    pub ratio: f64,
    /// `P(X >= recent | Poisson(expected))`.
    pub p_value: f64,
    /// The baseline used.
    pub baseline: Baseline,
    /// Meets the rule.
    pub flagged: bool,
}

/// A scan of every area of a table.
#[derive(Clone, Debug, Serialize)]
pub struct EmergingScan {
    /// Indicator name.
    pub indicator: String,
    /// Level of the areas.
    pub level: Level,
    /// The recent window.
    pub recent: Option<Window>,
    /// Settings.
    pub options: EmergingOptions,
    /// The rule in words.
    pub method: String,
    /// Every tested area, flagged first, then by p-value.
    pub tested: Vec<EmergingArea>,
    /// Areas not tested (months missing, or no events in the baseline).
    pub untested: usize,
    /// Why the whole scan could not run, if so.
    pub not_run: Option<String>,
}

impl EmergingScan {
    /// The flagged areas.
    pub fn flagged(&self) -> impl Iterator<Item = &EmergingArea> {
        self.tested.iter().filter(|a| a.flagged)
    }
}

/// Tests every area of a table (counts only; months must be consecutive at the end).
pub fn scan_emerging(table: &AggregatedIndicator, options: &EmergingOptions) -> EmergingScan {
    let mut scan = EmergingScan {
        indicator: table.name.clone(),
        level: table.level,
        recent: None,
        options: *options,
        method: options.method(),
        tested: Vec::new(),
        untested: 0,
        not_run: None,
    };
    if table.unit != IndicatorUnit::Count {
        scan.not_run = Some(format!(
            "{} is a {}: the Poisson test needs counts",
            table.name,
            table.unit.label()
        ));
        return scan;
    }
    let periods = &table.periods;
    let r = options.recent_months.max(1);
    let recent = match Window::last(periods, r) {
        Ok(recent) => recent,
        Err(too_few) => {
            scan.not_run = Some(too_few.to_string());
            return scan;
        }
    };
    let consecutive = |w: Window| {
        let inside: Vec<Period> = periods.iter().copied().filter(|p| w.contains(*p)).collect();
        inside.len() == r
            && inside.windows(2).all(|p| p[0].offset(1) == Some(p[1]))
            && inside.first().is_some_and(|p| p.month != 0)
    };
    if !consecutive(recent) {
        scan.not_run = Some(format!(
            "the last {r} periods loaded ({}) are not {r} consecutive months",
            recent.label()
        ));
        return scan;
    }
    scan.recent = Some(recent);
    let year_back = |years: i32| -> Option<Window> {
        let w = Window {
            from: recent.from.offset(-12 * years)?,
            to: recent.to.offset(-12 * years)?,
        };
        consecutive(w).then_some(w)
    };
    let preceding = match (recent.from.offset(-12), recent.from.offset(-1)) {
        (Some(from), Some(to)) => {
            let w = Window { from, to };
            (periods.iter().filter(|p| w.contains(**p)).count() == 12).then_some(w)
        }
        _ => None,
    };
    let years = options.min_years.max(1);
    if preceding.is_none() && (1..=years as i32).any(|y| year_back(y).is_none()) {
        scan.not_run = Some(format!(
            "only {} months are loaded ({}): the scan compares the last {r} with the same months of {years} earlier year{} or with the 12 months before them, and neither is loaded",
            periods.len(),
            Window {
                from: periods[0],
                to: recent.to
            }
            .label(),
            if years == 1 { "" } else { "s" }
        ));
        return scan;
    }
    for row in &table.rows {
        let Some(observed) = window_sum(&row.values, periods, recent) else {
            scan.untested += 1;
            continue;
        };
        let mut sums = Vec::new();
        for years in 1.. {
            let Some(w) = year_back(years) else { break };
            match window_sum(&row.values, periods, w) {
                Some(s) => sums.push(s),
                None => break,
            }
        }
        let (expected, baseline) = if sums.len() >= options.min_years.max(1) {
            (
                sums.iter().sum::<f64>() / sums.len() as f64,
                Baseline::SameMonthsOfEarlierYears(sums.len()),
            )
        } else if let Some(s) = preceding.and_then(|w| window_sum(&row.values, periods, w)) {
            (s * r as f64 / 12.0, Baseline::Preceding12Months)
        } else {
            scan.untested += 1;
            continue;
        };
        if expected <= 0.0 {
            scan.untested += 1;
            continue;
        }
        let recent_count = observed.round().max(0.0) as u64;
        let p_value = poisson_upper_tail(recent_count, expected);
        let flagged = options.flags(observed, expected, p_value);
        scan.tested.push(EmergingArea {
            code: row.code,
            name: row.name.clone(),
            la_name: row.la_name.clone(),
            recent: observed,
            expected,
            ratio: observed / expected,
            p_value,
            baseline,
            flagged,
        });
    }
    scan.tested.sort_by(|a, b| {
        b.flagged
            .cmp(&a.flagged)
            .then(a.p_value.total_cmp(&b.p_value))
            .then(a.code.cmp(&b.code))
    });
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::indicator_aggregate::AreaSeries;

    fn table(values: Vec<Vec<f64>>, months: usize) -> AggregatedIndicator {
        let start = Period::month(2022, 1).unwrap();
        let periods: Vec<Period> = (0..months).filter_map(|i| start.offset(i as i32)).collect();
        let rows = values
            .into_iter()
            .enumerate()
            .map(|(i, values)| AreaSeries {
                code: AreaCode::parse(&format!("E0100000{i}")).unwrap(),
                name: format!("area {i}"),
                la_code: None,
                la_name: String::new(),
                values,
                population: None,
                members: Vec::new(),
            })
            .collect();
        AggregatedIndicator {
            name: "t".into(),
            title: "t".into(),
            unit: IndicatorUnit::Count,
            level: Level::Lsoa,
            periods,
            rows,
            population_source: String::new(),
            unplaced: Vec::new(),
            without_area: Default::default(),
            attribution: None,
        }
    }

    #[test]
    fn the_threshold_itself_flags_as_the_rule_says() {
        let options = EmergingOptions::default();
        assert!(options.flags(5.0, 1.0, 0.01), "p = threshold flags: the rule is ≤");
        assert!(!options.flags(5.0, 1.0, 0.010_001));
        assert!(!options.flags(4.0, 1.0, 1e-6), "below the minimum count");
        assert!(!options.flags(6.0, 6.0, 1e-6), "not above expected");
        assert!(options.rule().contains("≤ 0.01"), "{}", options.rule());
        assert!(options.method().contains(&options.rule()));
    }

    #[test]
    fn the_readme_states_the_rule_applied() {
        let readme = include_str!("../../README.md");
        let rule = EmergingOptions::default().rule();
        assert!(readme.contains(&rule), "README.md should say {rule:?}");
    }

    #[test]
    fn a_rise_over_the_preceding_year_flags_and_a_flat_area_does_not() {
        // 24 months, 4 a month; the rising area has 12 a month in the last three.
        let flat = vec![4.0; 24];
        let mut rising = vec![4.0; 24];
        for v in rising.iter_mut().skip(21) {
            *v = 12.0;
        }
        let tiny = {
            let mut t = vec![0.1; 24];
            t[23] = 3.0;
            t
        };
        let scan = scan_emerging(&table(vec![flat, rising, tiny], 24), &EmergingOptions::default());
        let flagged: Vec<&str> = scan.flagged().map(|a| a.name.as_str()).collect();
        assert_eq!(flagged, ["area 1"]);
        let rising = &scan.tested[0];
        // Only one earlier year of the same months: the preceding 12 months (48) scaled to 3 months = 12.
        assert_eq!(rising.baseline, Baseline::Preceding12Months);
        assert_eq!((rising.recent, rising.expected), (36.0, 12.0));
    }

    #[test]
    fn too_few_months_say_how_many_are_loaded() {
        let scan = scan_emerging(&table(vec![vec![4.0]], 1), &EmergingOptions::default());
        assert_eq!(
            scan.not_run.as_deref(),
            Some("only 1 month is loaded (2022-01), fewer than the 3 months asked for")
        );
        // Enough for the recent window, not for any baseline: said, not reported as every area untested.
        let scan = scan_emerging(&table(vec![vec![4.0; 6]], 6), &EmergingOptions::default());
        let not_run = scan.not_run.unwrap();
        assert!(
            not_run.starts_with("only 6 months are loaded (2022-01 – 2022-06): the scan compares the last 3"),
            "{not_run}"
        );
        assert!(scan.tested.is_empty());
    }

    #[test]
    fn two_earlier_years_use_the_same_months() {
        let mut seasonal = vec![2.0; 36];
        for year in 0..3 {
            for m in 9..12 {
                seasonal[year * 12 + m] = 10.0;
            }
        }
        let scan = scan_emerging(&table(vec![seasonal], 36), &EmergingOptions::default());
        let area = &scan.tested[0];
        assert_eq!(area.baseline, Baseline::SameMonthsOfEarlierYears(2));
        assert_eq!(area.expected, 30.0);
        assert!(!area.flagged, "a seasonal peak every year is not emerging");
    }
}
