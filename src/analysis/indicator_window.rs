//! What a map or table shows of an indicator: one period, a sum or monthly mean over a window (e.g. the last 12
//! months), or the change between two windows (absolute or %), as values or as rates per 1,000 residents.

use super::indicator_aggregate::AreaSeries;
use crate::model::Period;
use serde::Serialize;

/// A run of periods, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First period.
    pub from: Period,
    /// Last period.
    pub to: Period,
}

impl Window {
    /// The last `n` periods of a list; too few periods is an error, never a shorter window.
    pub fn last(periods: &[Period], n: usize) -> Result<Self, TooFewPeriods> {
        let n = n.max(1);
        if periods.len() < n {
            return Err(TooFewPeriods::new(periods, n, None));
        }
        Ok(Self {
            from: periods[periods.len() - n],
            to: periods[periods.len() - 1],
        })
    }

    /// The `n` periods before this window's first, in a list; fewer is an error.
    pub fn before(self, periods: &[Period], n: usize) -> Result<Self, TooFewPeriods> {
        let n = n.max(1);
        let first = periods.iter().position(|p| *p == self.from).unwrap_or(0);
        if first < n {
            return Err(TooFewPeriods::new(&periods[..first], n, Some(self)));
        }
        Ok(Self {
            from: periods[first - n],
            to: periods[first - 1],
        })
    }

    /// True when a period lies in it.
    pub fn contains(self, period: Period) -> bool {
        self.from <= period && period <= self.to
    }

    /// For display: `2024-05 – 2025-04`, or one period.
    pub fn label(self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{} – {}", self.from, self.to)
        }
    }
}

/// Fewer periods loaded than a window needs: said in those words, never summed over what there is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.sentence())]
pub struct TooFewPeriods {
    /// Periods there are (before the later window, for a comparison).
    pub loaded: usize,
    /// Periods the window needs.
    pub needed: usize,
    /// The periods there are, for display (`2025-04`, `2024-05 – 2025-04`); empty when none.
    pub span: String,
    /// `month` or `year`: what one period is.
    pub unit: &'static str,
    /// The later window of a comparison, when the periods were counted before it.
    pub before: Option<Window>,
}

impl TooFewPeriods {
    /// The shortfall of `periods` for a window of `needed`, counted before `before` if given.
    pub fn new(periods: &[Period], needed: usize, before: Option<Window>) -> Self {
        let mut known = periods.iter().chain(before.as_ref().map(|w| &w.from)).peekable();
        let unit = if known.peek().is_some() && known.all(|p| p.month == 0) {
            "year"
        } else {
            "month"
        };
        let span = match (periods.first(), periods.last()) {
            (Some(from), Some(to)) => Window { from: *from, to: *to }.label(),
            _ => String::new(),
        };
        Self {
            loaded: periods.len(),
            needed,
            span,
            unit,
            before,
        }
    }

    fn sentence(&self) -> String {
        let units = |n: usize| {
            if n == 1 {
                self.unit.to_string()
            } else {
                format!("{}s", self.unit)
            }
        };
        let before = self
            .before
            .map(|w| format!(" before {}", w.label()))
            .unwrap_or_default();
        let purpose = if self.before.is_some() {
            "to compare with"
        } else {
            "asked for"
        };
        match self.loaded {
            0 => format!(
                "no {}{before} are loaded, and {} {} {} {purpose}",
                units(2),
                self.needed,
                units(self.needed),
                if self.needed == 1 { "is" } else { "are" }
            ),
            n => format!(
                "only {n} {} {} loaded{before} ({}), fewer than the {} {} {purpose}",
                units(n),
                if n == 1 { "is" } else { "are" },
                self.span,
                self.needed,
                units(self.needed)
            ),
        }
    }
}

/// Sum, or mean per period, over a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum WindowStat {
    /// Total over the window.
    Sum,
    /// Mean per period.
    Mean,
}

/// What is mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum IndicatorMeasure {
    /// One period.
    Period(Period),
    /// A window's sum or mean.
    Window(Window, WindowStat),
    /// Later window minus earlier window (of their sums); `percent` = the change as % of the earlier.
    Change {
        /// Earlier window.
        earlier: Window,
        /// Later window.
        later: Window,
        /// Percent instead of absolute.
        percent: bool,
    },
}

impl IndicatorMeasure {
    /// For legends.
    pub fn label(self) -> String {
        match self {
            Self::Period(p) => p.to_string(),
            Self::Window(w, WindowStat::Sum) => format!("total {}", w.label()),
            Self::Window(w, WindowStat::Mean) => format!("monthly mean {}", w.label()),
            Self::Change {
                earlier,
                later,
                percent,
            } => {
                format!(
                    "{} {} vs {}",
                    if percent { "% change" } else { "change" },
                    later.label(),
                    earlier.label()
                )
            }
        }
    }
}

/// The sum over a window of the given values, `None` when any period of the window is missing (not a zero).
pub fn window_sum(values: &[f64], periods: &[Period], window: Window) -> Option<f64> {
    let mut sum = 0.0;
    let mut any = false;
    for (value, period) in values.iter().zip(periods) {
        if window.contains(*period) {
            if value.is_nan() {
                return None;
            }
            sum += value;
            any = true;
        }
    }
    any.then_some(sum)
}

fn periods_in(periods: &[Period], window: Window) -> usize {
    periods.iter().filter(|p| window.contains(**p)).count()
}

/// The value of a measure for one area: counts (or the indicator's own unit), or per 1,000 residents when
/// `per_1000` (from the area's summed population; `None` without one).
pub fn measure_value(
    series: &AreaSeries,
    periods: &[Period],
    measure: IndicatorMeasure,
    per_1000: bool,
) -> Option<f64> {
    let scale = |count: f64| {
        if per_1000 {
            series.rate_per_1000(count)
        } else {
            Some(count)
        }
    };
    match measure {
        IndicatorMeasure::Period(p) => {
            let i = periods.iter().position(|q| *q == p)?;
            let v = *series.values.get(i)?;
            if v.is_nan() { None } else { scale(v) }
        }
        IndicatorMeasure::Window(w, stat) => {
            let sum = window_sum(&series.values, periods, w)?;
            let value = match stat {
                WindowStat::Sum => sum,
                WindowStat::Mean => sum / periods_in(periods, w).max(1) as f64,
            };
            scale(value)
        }
        IndicatorMeasure::Change {
            earlier,
            later,
            percent,
        } => {
            let a = window_sum(&series.values, periods, earlier)?;
            let b = window_sum(&series.values, periods, later)?;
            if percent {
                (a > 0.0).then(|| (b - a) / a * 100.0)
            } else {
                Some(scale(b)? - scale(a)?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;

    #[test]
    fn too_few_periods_is_said_never_summed_over_what_there_is() {
        let one = [Period::month(2025, 4).unwrap()];
        let error = Window::last(&one, 3).unwrap_err();
        assert_eq!(
            error.to_string(),
            "only 1 month is loaded (2025-04), fewer than the 3 months asked for"
        );
        assert_eq!(
            Window::last(&[], 12).unwrap_err().to_string(),
            "no months are loaded, and 12 months are asked for"
        );
        let four: Vec<Period> = (1..=4).filter_map(|m| Period::month(2025, m)).collect();
        let later = Window::last(&four, 3).unwrap();
        assert_eq!(
            later.before(&four, 3).unwrap_err().to_string(),
            "only 1 month is loaded before 2025-02 – 2025-04 (2025-01), fewer than the 3 months to compare with"
        );
        let years = [Period { year: 2024, month: 0 }];
        assert_eq!(
            Window::last(&years, 1)
                .unwrap()
                .before(&years, 1)
                .unwrap_err()
                .to_string(),
            "no years before 2024 are loaded, and 1 year is to compare with"
        );
    }

    #[test]
    fn windows_sum_and_change() {
        let periods: Vec<Period> = (1..=6).filter_map(|m| Period::month(2024, m)).collect();
        let series = AreaSeries {
            code: AreaCode::parse("E01000001").unwrap(),
            name: String::new(),
            la_code: None,
            la_name: String::new(),
            values: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            population: Some(2_000.0),
            members: Vec::new(),
        };
        let later = Window::last(&periods, 3).unwrap();
        let earlier = later.before(&periods, 3).unwrap();
        assert_eq!(earlier.label(), "2024-01 – 2024-03");
        assert_eq!(
            measure_value(
                &series,
                &periods,
                IndicatorMeasure::Window(later, WindowStat::Sum),
                false
            ),
            Some(15.0)
        );
        assert_eq!(
            measure_value(
                &series,
                &periods,
                IndicatorMeasure::Window(later, WindowStat::Sum),
                true
            ),
            Some(7.5)
        );
        assert_eq!(
            measure_value(
                &series,
                &periods,
                IndicatorMeasure::Window(later, WindowStat::Mean),
                false
            ),
            Some(5.0)
        );
        let change = IndicatorMeasure::Change {
            earlier,
            later,
            percent: true,
        };
        assert_eq!(measure_value(&series, &periods, change, false), Some(150.0));
        let mut gappy = series.clone();
        gappy.values[4] = f64::NAN;
        assert_eq!(
            measure_value(
                &gappy,
                &periods,
                IndicatorMeasure::Window(later, WindowStat::Sum),
                false
            ),
            None
        );
    }
}
