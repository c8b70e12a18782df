//! Colours for an indicator map: up to five quantile classes on ColorBrewer YlOrRd for counts and rates, seven
//! symmetric classes on RdBu (red = rise) for a change (breaks and labels in `indicator_classes`: whole numbers for
//! counts, rounded decimals for rates), and the legend lines that state indicator, unit, period,
//! denominator, source and licence. The window and the report PNG both use it.

use super::indicator_classes::{ClassKind, IndicatorClasses};
use super::{NO_DATA, Rgba};
use crate::analysis::{AggregatedIndicator, DrawPlan, IndicatorMeasure, WindowStat, measure_value};
use crate::model::IndicatorUnit;

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
    /// The breaks behind `classes` (whole-number or decimal), which also write a value for a hover text.
    pub value_classes: IndicatorClasses,
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
    // Whole-number classes for counts and changes of counts; decimals for rates, means and percentages.
    let (kind, percent) = match measure {
        IndicatorMeasure::Change { percent, .. } => (ClassKind::Change, percent),
        _ => (ClassKind::Sequential, false),
    };
    let whole_numbers = table.unit == IndicatorUnit::Count
        && !per_1000
        && !percent
        && !matches!(measure, IndicatorMeasure::Window(_, WindowStat::Mean));
    let finite: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let value_classes = IndicatorClasses::new(&finite, kind, whole_numbers, percent);
    let palette: &[Rgba] = if kind == ClassKind::Change {
        &CHANGE_SEVEN
    } else {
        &SEQUENTIAL_FIVE
    };
    let colour_of = |class: usize| {
        // Fewer classes (ties) spread over the palette's ends.
        let n = value_classes.class_count();
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
            fill: v
                .filter(|v| v.is_finite())
                .map_or(NO_DATA, |v| colour_of(value_classes.class_of(v))),
        })
        .collect();
    let mut classes: Vec<(Rgba, String)> = value_classes
        .listed()
        .map(|class| (colour_of(class), value_classes.label(class)))
        .collect();
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
        value_classes,
    }
}
