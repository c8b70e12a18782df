//! Colours for an indicator map: five quantile classes on ColorBrewer YlOrRd for counts and rates, seven
//! symmetric classes on RdBu (red = rise) for a change, and the legend lines that state indicator, unit, period,
//! denominator, source and licence. The window and the report PNG both use it.

use super::{NO_DATA, Rgba};
use crate::analysis::{AggregatedIndicator, DrawPlan, IndicatorMeasure, measure_value};

/// ColorBrewer YlOrRd, five classes, light = low.
pub const SEQUENTIAL_FIVE: [Rgba; 5] = [
    Rgba::hex(0xffffb2),
    Rgba::hex(0xfecc5c),
    Rgba::hex(0xfd8d3c),
    Rgba::hex(0xf03b20),
    Rgba::hex(0xbd0026),
];

/// ColorBrewer RdBu reversed, seven classes: blue = fall, red = rise.
pub const CHANGE_SEVEN: [Rgba; 7] = [
    Rgba::hex(0x2166ac),
    Rgba::hex(0x67a9cf),
    Rgba::hex(0xd1e5f0),
    Rgba::hex(0xf7f7f7),
    Rgba::hex(0xfddbc7),
    Rgba::hex(0xef8a62),
    Rgba::hex(0xb2182b),
];

/// One drawn unit's value and fill.
#[derive(Clone, Debug, PartialEq)]
pub struct StyledUnit {
    /// The value mapped (`None` = no data).
    pub value: Option<f64>,
    /// Its fill.
    pub fill: Rgba,
}

/// A styled indicator map.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorStyle {
    /// One per `DrawPlan::units`, same order.
    pub units: Vec<StyledUnit>,
    /// Legend classes: colour and label, low to high.
    pub classes: Vec<(Rgba, String)>,
    /// The legend's heading, e.g. `All crime, per 1,000 residents`.
    pub heading: String,
    /// The legend's statement lines: period, denominator, drawing, source, licence.
    pub lines: Vec<String>,
}

fn format_value(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Styles a plan: each unit's value is its rows' counts summed (and populations summed for rates).
pub fn style_indicator(
    table: &AggregatedIndicator,
    plan: &DrawPlan<'_>,
    measure: IndicatorMeasure,
    per_1000: bool,
) -> IndicatorStyle {
    let values: Vec<Option<f64>> = plan
        .units
        .iter()
        .map(|unit| {
            let rows: Vec<_> = unit.rows.iter().filter_map(|i| table.rows.get(*i)).collect();
            match rows.as_slice() {
                [one] => measure_value(one, &table.periods, measure, per_1000),
                many => {
                    let members: Vec<_> = many.iter().map(|r| r.code).collect();
                    let code = many.first()?.code;
                    let summed = crate::analysis::group_series(table, &members, code, "");
                    measure_value(&summed, &table.periods, measure, per_1000)
                }
            }
        })
        .collect();
    let is_change = matches!(measure, IndicatorMeasure::Change { .. });
    let mut sorted: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let (breaks, palette): (Vec<f64>, &[Rgba]) = if is_change {
        let max = sorted.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-9);
        let step = max / 3.5;
        (
            vec![
                -2.5 * step,
                -1.5 * step,
                -0.5 * step,
                0.5 * step,
                1.5 * step,
                2.5 * step,
            ],
            &CHANGE_SEVEN,
        )
    } else {
        let q = |f: f64| {
            sorted
                .get(((sorted.len().saturating_sub(1)) as f64 * f).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let mut b = vec![q(0.2), q(0.4), q(0.6), q(0.8)];
        b.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
        (b, &SEQUENTIAL_FIVE[..])
    };
    let class_of = |v: f64| breaks.iter().filter(|b| v > **b).count();
    let colour_of = |class: usize| {
        // Fewer breaks (ties) spread over the palette's ends.
        let n = breaks.len() + 1;
        let index = if n == palette.len() || n <= 1 {
            class
        } else {
            class * (palette.len() - 1) / (n - 1)
        };
        palette.get(index).copied().unwrap_or(NO_DATA)
    };
    let units = values
        .iter()
        .map(|v| StyledUnit {
            value: *v,
            fill: v.filter(|v| v.is_finite()).map_or(NO_DATA, |v| colour_of(class_of(v))),
        })
        .collect();
    let mut classes = Vec::new();
    let n = breaks.len() + 1;
    for class in 0..n {
        let label = match (class.checked_sub(1).and_then(|i| breaks.get(i)), breaks.get(class)) {
            (None, Some(hi)) => format!("{} or less", format_value(*hi)),
            (Some(lo), Some(hi)) => format!("{} to {}", format_value(*lo), format_value(*hi)),
            (Some(lo), None) => format!("over {}", format_value(*lo)),
            (None, None) => "all areas".into(),
        };
        classes.push((colour_of(class), label));
    }
    classes.push((NO_DATA, "no data".into()));
    let unit = match (measure, per_1000) {
        (IndicatorMeasure::Change { percent: true, .. }, _) => "% change".to_string(),
        (_, true) => "per 1,000 residents".to_string(),
        _ => table.unit.label().to_string(),
    };
    let mut lines = vec![format!("{}: {}", measure.label(), unit)];
    if per_1000 {
        lines.push(format!("Denominator: {}", table.population_source));
    }
    lines.push(plan.note.clone());
    if !table.without_area.is_empty() {
        let total: u64 = table.without_area.values().sum();
        lines.push(format!("{total} rows with no LSOA are in the totals but on no area"));
    }
    if let Some(a) = &table.attribution {
        lines.push(a.clone());
    }
    IndicatorStyle {
        units,
        classes,
        heading: format!("{}, {unit}", table.title),
        lines,
    }
}
