//! Class breaks and legend labels for an indicator map. Whole-number values (counts of crimes or claimants, and their
//! absolute change) get whole-number classes — `0`, `1–2`, `3–5`, `6 or more` — that never overlap; rates, means and
//! percentages get breaks rounded to two significant figures, half-open (`4.5 to under 12`). Sequential maps cut the
//! values into (up to) five quantile classes, change maps into seven classes symmetric about zero. No class is listed
//! that holds no value by construction: breaks that would leave a class empty are dropped, and a change map lists only
//! the classes from its lowest value's to its highest's.

/// How values are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    /// Sequential (counts, rates): quantiles, low to high.
    Sequential,
    /// A change: symmetric about zero.
    Change,
}

/// Resolved classes: which class a value falls in, and each class's label.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorClasses {
    /// Ascending inner boundaries (classes = breaks + 1).
    pub breaks: Vec<f64>,
    /// True when every value is a whole number: class `i` then holds the whole numbers in `(breaks[i-1], breaks[i]]`,
    /// except that for a change a value on a positive break joins the class above (so the classes are symmetric).
    /// Otherwise class `i` holds `[breaks[i-1], breaks[i])`.
    pub whole: bool,
    /// The kind of map.
    pub kind: ClassKind,
    /// The lowest and highest value classed (`None` with no values).
    pub range: Option<(f64, f64)>,
    /// Suffix of each label (`%` for a percentage change), empty otherwise.
    pub suffix: &'static str,
    /// Decimal classes whose first class is the lowest value alone (`0`, then `over 0 to under 2.7`): set when a
    /// fifth or more of the areas share the lowest value (rates of areas with no events).
    pub lowest_alone: bool,
}

/// Quantile classes of a sequential map.
pub const SEQUENTIAL_CLASSES: usize = 5;

impl IndicatorClasses {
    /// Classes for the values mapped. `whole_numbers`: the measure is a count or a change of counts (the values are
    /// checked too: a non-integer value makes the classes decimal). `percent` adds `%` to the labels.
    pub fn new(values: &[f64], kind: ClassKind, whole_numbers: bool, percent: bool) -> Self {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let whole = whole_numbers && sorted.iter().all(|v| v.fract() == 0.0);
        let range = sorted.first().zip(sorted.last()).map(|(a, b)| (*a, *b));
        let mut classes = Self {
            breaks: Vec::new(),
            whole,
            kind,
            range,
            suffix: if percent { "%" } else { "" },
            lowest_alone: false,
        };
        if sorted.is_empty() {
            return classes;
        }
        classes.breaks = match kind {
            ClassKind::Sequential => sequential_breaks(&sorted, whole),
            ClassKind::Change => change_breaks(&sorted, whole),
        };
        // Decimals tied at the lowest value over the first quintile: that value is a class of its own.
        if kind == ClassKind::Sequential && !whole && quantile(&sorted, 1.0 / SEQUENTIAL_CLASSES as f64) == sorted[0] {
            classes.breaks.retain(|b| *b > sorted[0]);
            classes.breaks.insert(0, sorted[0]);
            classes.lowest_alone = true;
        }
        if kind == ClassKind::Sequential {
            classes.drop_empty(&sorted);
        }
        classes
    }

    /// Which class a value falls in (0-based).
    pub fn class_of(&self, value: f64) -> usize {
        self.breaks
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                let b = **b;
                if self.lowest_alone && *i == 0 {
                    value > b
                } else if !self.whole || (self.kind == ClassKind::Change && b > 0.0) {
                    value >= b
                } else {
                    value > b
                }
            })
            .count()
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        self.breaks.len() + 1
    }

    /// The classes a legend lists: all of a sequential map's; a change map's from its lowest value's to its highest's.
    pub fn listed(&self) -> std::ops::Range<usize> {
        match (self.kind, self.range) {
            (ClassKind::Change, Some((lo, hi))) => self.class_of(lo)..self.class_of(hi) + 1,
            (_, None) => 0..0,
            _ => 0..self.class_count(),
        }
    }

    /// The label of class `i`.
    pub fn label(&self, i: usize) -> String {
        let below = i.checked_sub(1).and_then(|j| self.breaks.get(j)).copied();
        let above = self.breaks.get(i).copied();
        let s = self.suffix;
        if self.whole {
            // Whole numbers: inclusive bounds.
            let (lo, hi) = match self.kind {
                ClassKind::Change => (
                    below.map(|b| if b > 0.0 { b } else { b + 1.0 }),
                    above.map(|b| if b > 0.0 { b - 1.0 } else { b }),
                ),
                ClassKind::Sequential => (below.map(|b| b + 1.0), above),
            };
            let (min, max) = self.range.unwrap_or((0.0, 0.0));
            let signed = self.kind == ClassKind::Change;
            let text = |v: f64| whole_text(v, signed);
            // An en dash between plain counts (`1–2`); words between signed ones (`−4 to −3`).
            let to = if signed { " to " } else { "–" };
            match (lo, hi) {
                (None, None) if min == max => format!("{}{s}", text(min)),
                (None, None) => format!("{}{to}{}{s}", text(min), text(max)),
                // A sequential map's first class starts at the lowest value (counts start at 0, never "or less").
                (None, Some(h)) if !signed && min == h => format!("{}{s}", text(h)),
                (None, Some(h)) if !signed => format!("{}–{}{s}", text(min), text(h)),
                (None, Some(h)) => format!("{}{s} or less", text(h)),
                (Some(l), None) if !signed && l >= max => format!("{}{s}", text(l)),
                (Some(l), None) => format!("{}{s} or more", text(l)),
                (Some(l), Some(h)) if l == h => format!("{}{s}", text(l)),
                (Some(l), Some(h)) => format!("{}{to}{}{s}", text(l), text(h)),
            }
        } else {
            let signed = self.kind == ClassKind::Change;
            let text = |v: f64| decimal_text(v, signed);
            if self.lowest_alone && i == 0 {
                return format!("{}{s}", decimal_text_precise(below.or(above).unwrap_or(0.0), signed));
            }
            if self.lowest_alone && i == 1 {
                let lowest = decimal_text_precise(below.unwrap_or(0.0), signed);
                return match above {
                    Some(h) => format!("over {lowest}{s} to under {}{s}", text(h)),
                    None => format!("over {lowest}{s}"),
                };
            }
            match (below, above) {
                (None, None) => match self.range {
                    Some((a, b)) if a == b => format!("{}{s}", text(a)),
                    // One class: its ends rounded outwards, so the label holds every value.
                    Some((a, b)) => format!("{}{s} to {}{s}", outward(a, false, signed), outward(b, true, signed)),
                    None => "all areas".into(),
                },
                (None, Some(h)) => format!("under {}{s}", text(h)),
                (Some(l), Some(h)) => format!("{}{s} to under {}{s}", text(l), text(h)),
                (Some(l), None) => format!("{}{s} or more", text(l)),
            }
        }
    }

    /// A value as the legend writes it (hover texts use this too).
    pub fn value_text(&self, value: f64) -> String {
        let signed = self.kind == ClassKind::Change;
        if self.whole {
            format!("{}{}", whole_text(value, signed), self.suffix)
        } else {
            format!("{}{}", decimal_text_precise(value, signed), self.suffix)
        }
    }

    /// Removes breaks that leave a class with no value (ties, a top break on the largest value, rounding).
    fn drop_empty(&mut self, sorted: &[f64]) {
        loop {
            let mut counts = vec![0usize; self.class_count()];
            for v in sorted {
                if let Some(c) = counts.get_mut(self.class_of(*v)) {
                    *c += 1;
                }
            }
            let Some(empty) = counts.iter().position(|c| *c == 0) else {
                return;
            };
            // An empty class merges into the one above it (the last into the one below).
            let remove = empty.min(self.breaks.len().saturating_sub(1));
            if self.breaks.is_empty() {
                return;
            }
            self.breaks.remove(remove);
        }
    }
}

/// Quantile breaks: whole numbers keep the quantile values themselves (each is the top of its class, so the class
/// holds it); decimals are rounded to two significant figures (three when two would merge breaks).
fn sequential_breaks(sorted: &[f64], whole: bool) -> Vec<f64> {
    let q = |f: f64| quantile(sorted, f);
    let mut raw: Vec<f64> = (1..SEQUENTIAL_CLASSES)
        .map(|k| q(k as f64 / SEQUENTIAL_CLASSES as f64))
        .collect();
    raw.dedup();
    if whole {
        return raw;
    }
    let rounded = |digits: i32| {
        let mut b: Vec<f64> = raw.iter().map(|v| round_significant(*v, digits)).collect();
        b.dedup();
        b
    };
    let two = rounded(2);
    if two.len() == raw.len() { two } else { rounded(3) }
}

/// The value at fraction `f` of the sorted values (nearest rank).
fn quantile(sorted: &[f64], f: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * f).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

/// Seven classes symmetric about zero: breaks at ±h, ±3h, ±5h with h a round step (1, 2, 2.5 or 5 × 10ⁿ; a whole
/// number for whole values) at most a seventh of the largest change, so the end classes reach the largest.
fn change_breaks(sorted: &[f64], whole: bool) -> Vec<f64> {
    let max = sorted.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max == 0.0 {
        return Vec::new();
    }
    let mut h = round_step_at_most(max / 7.0);
    if whole {
        h = h.floor().max(1.0);
    }
    vec![-5.0 * h, -3.0 * h, -h, h, 3.0 * h, 5.0 * h]
}

/// The largest of 1, 2, 2.5, 5 × 10ⁿ not above `v` (v > 0).
fn round_step_at_most(v: f64) -> f64 {
    let power = 10f64.powf(v.log10().floor());
    [5.0, 2.5, 2.0, 1.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s <= v * (1.0 + 1e-12))
        .unwrap_or(power)
}

/// `v` rounded to `digits` significant figures.
fn round_significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

/// Decimals a number needs to show `digits` significant figures (none at or above 10ⁿ⁻¹).
fn decimals_for(v: f64, digits: i32) -> usize {
    if v == 0.0 || !v.is_finite() {
        return 0;
    }
    (digits - 1 - v.abs().log10().floor() as i32).max(0) as usize
}

/// Thousands separated, a true minus sign, `+` when `signed` and positive.
fn grouped(v: f64, decimals: usize, signed: bool) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    let zero = text.chars().all(|c| c == '0' || c == '.');
    match (v < 0.0 && !zero, signed && v > 0.0 && !zero) {
        (true, _) => format!("−{out}"),
        (_, true) => format!("+{out}"),
        _ => out,
    }
}

fn whole_text(v: f64, signed: bool) -> String {
    grouped(v, 0, signed)
}

/// A break as the legend writes it: the decimals of its two significant figures, trailing zeros kept (the breaks of
/// one legend are rounded alike).
fn decimal_text(v: f64, signed: bool) -> String {
    let decimals = decimals_for(v, 3).min(decimals_for(v, 2) + 1);
    let exact = |d: usize| (v * 10f64.powi(d as i32)).round() / 10f64.powi(d as i32) == v;
    let d = (0..=decimals).find(|d| exact(*d)).unwrap_or(decimals);
    grouped(v, d, signed)
}

/// An end of a range rounded outwards (down for the low end, up for the high) at three significant figures.
fn outward(v: f64, up: bool, signed: bool) -> String {
    let d = decimals_for(v, 3).min(4);
    let scale = 10f64.powi(d as i32);
    let r = if up { (v * scale).ceil() } else { (v * scale).floor() } / scale;
    grouped(r, d, signed)
}

/// A value (not a break): three significant figures, at least no decimals, at most four.
fn decimal_text_precise(v: f64, signed: bool) -> String {
    grouped(v, decimals_for(v, 3).min(4), signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(c: &IndicatorClasses) -> Vec<String> {
        c.listed().map(|i| c.label(i)).collect()
    }

    /// Every value falls in exactly one listed class and every listed class holds a value.
    fn each_class_holds_a_value(c: &IndicatorClasses, values: &[f64]) {
        let mut counts = vec![0; c.class_count()];
        for v in values {
            counts[c.class_of(*v)] += 1;
        }
        for i in c.listed() {
            assert!(counts[i] > 0, "class {i} ({}) is empty: {counts:?}", c.label(i));
        }
    }

    #[test]
    fn counts_get_whole_number_classes_that_start_at_the_lowest_count() {
        // 0 ×4, 1, 2 ×2, 3, 4, 5 ×2, 9, 40: the values at the 20/40/60/80% positions are 0, 2, 3, 5.
        let values = [0., 0., 0., 0., 1., 2., 2., 3., 4., 5., 5., 9., 40.];
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, true, false);
        assert_eq!(labels(&c), ["0", "1–2", "3", "4–5", "6 or more"]);
        each_class_holds_a_value(&c, &values);
        assert_eq!(c.class_of(0.0), 0);
        assert_eq!(c.class_of(1.0), 1);
        assert_eq!(c.class_of(2.0), 1);
        assert_eq!(c.class_of(6.0), 4);
    }

    #[test]
    fn ties_and_a_top_break_on_the_largest_value_leave_no_empty_class() {
        // Mostly 3s: the quantile tops are all 3, one break.
        let values = [0., 3., 3., 3., 3., 3., 3., 3., 7.];
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, true, false);
        each_class_holds_a_value(&c, &values);
        assert_eq!(labels(&c), ["0–3", "4 or more"]);
        // The top quantile is the largest value (8): no class above it.
        let values = [0., 1., 2., 3., 4., 5., 6., 7., 8., 8., 8., 8., 8.];
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, true, false);
        each_class_holds_a_value(&c, &values);
        assert_eq!(labels(&c), ["0–2", "3–5", "6–7", "8"]);
        let zeros = IndicatorClasses::new(&[0., 0., 0.], ClassKind::Sequential, true, false);
        assert_eq!(labels(&zeros), ["0"]);
        let none = IndicatorClasses::new(&[], ClassKind::Sequential, true, false);
        assert_eq!(labels(&none), Vec::<String>::new());
    }

    #[test]
    fn large_counts_are_grouped_by_thousands() {
        let values: Vec<f64> = (0..100).map(|i| f64::from(i) * 150.0).collect();
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, true, false);
        assert_eq!(labels(&c)[0], "0–3,000");
        assert_eq!(labels(&c)[1], "3,001–6,000");
        assert_eq!(c.value_text(14_850.0), "14,850");
    }

    #[test]
    fn rates_get_rounded_half_open_classes() {
        let values = [0.42, 1.234, 2.71, 3.9, 5.62, 8.13, 12.6, 19.3, 44.0, 130.2];
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, false, false);
        assert!(!c.whole);
        assert_eq!(
            labels(&c),
            [
                "under 2.7",
                "2.7 to under 5.6",
                "5.6 to under 8.1",
                "8.1 to under 19",
                "19 or more"
            ]
        );
        each_class_holds_a_value(&c, &values);
        // On a break: the class above.
        assert_eq!(c.class_of(2.7), 1);
        assert_eq!(c.value_text(0.4213), "0.421");
        assert_eq!(c.value_text(1234.6), "1,235");
    }

    #[test]
    fn rates_tied_at_zero_put_the_zeros_in_a_class_of_their_own() {
        let mut values = vec![0.0; 9];
        values.extend([0.8, 2.4, 3.1, 15.7]);
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, false, false);
        assert!(c.lowest_alone);
        let got = labels(&c);
        assert_eq!(got[0], "0");
        assert!(got[1].starts_with("over 0 to under ") || got[1] == "over 0", "{got:?}");
        assert_eq!(c.class_of(0.0), 0);
        assert_eq!(c.class_of(0.8), 1);
        each_class_holds_a_value(&c, &values);
        let single = IndicatorClasses::new(&[0.12, 0.5], ClassKind::Sequential, false, false);
        each_class_holds_a_value(&single, &[0.12, 0.5]);
    }

    #[test]
    fn small_rates_keep_their_significant_figures() {
        let values = [0.0012, 0.0031, 0.0045, 0.0062, 0.0081, 0.0093];
        let c = IndicatorClasses::new(&values, ClassKind::Sequential, false, false);
        let got = labels(&c);
        assert!(got[0].starts_with("under 0.00"), "{got:?}");
        assert!(!got.iter().any(|l| l.contains("under 0 ") || l == "under 0"), "{got:?}");
        each_class_holds_a_value(&c, &values);
    }

    #[test]
    fn a_count_that_is_not_whole_makes_decimal_classes() {
        let c = IndicatorClasses::new(&[0.5, 1.0, 2.0], ClassKind::Sequential, true, false);
        assert!(!c.whole);
    }

    #[test]
    fn a_change_is_symmetric_with_round_steps_and_lists_only_the_classes_it_reaches() {
        // Largest change 70%: h = 10 (≤ 70/7), breaks ±10, ±30, ±50.
        let values = [-12.0, -3.0, 0.0, 8.0, 25.0, 70.0];
        let c = IndicatorClasses::new(&values, ClassKind::Change, false, true);
        assert_eq!(c.breaks, [-50.0, -30.0, -10.0, 10.0, 30.0, 50.0]);
        assert_eq!(
            labels(&c),
            [
                "−30% to under −10%",
                "−10% to under +10%",
                "+10% to under +30%",
                "+30% to under +50%",
                "+50% or more"
            ]
        );
        assert_eq!(c.class_of(-12.0), 2);
        assert_eq!(c.class_of(70.0), 6);
        // Whole-number change of counts: −5 or less … +5 or more around an exact "0".
        let counts = [-6.0, -2.0, 0.0, 1.0, 7.0];
        let c = IndicatorClasses::new(&counts, ClassKind::Change, true, false);
        assert_eq!(c.breaks, [-5.0, -3.0, -1.0, 1.0, 3.0, 5.0]);
        assert_eq!(
            labels(&c),
            [
                "−5 or less",
                "−4 to −3",
                "−2 to −1",
                "0",
                "+1 to +2",
                "+3 to +4",
                "+5 or more"
            ]
        );
        assert_eq!(c.class_of(-1.0), 2);
        assert_eq!(c.class_of(1.0), 4);
        assert_eq!(c.class_of(5.0), 6);
    }
}
