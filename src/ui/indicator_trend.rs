//! Trend charts of a local indicator: an area's monthly series against its LA (as rates per 1,000 when both have
//! populations, else counts), the same month a year earlier dashed so the seasonal pattern shows, hover for the count;
//! and sparklines for table rows.

use crate::analysis::AreaSeries;
use crate::model::Period;
use egui::{Color32, Stroke};
use egui_plot::{Line, LineStyle, Plot, PlotPoints, Points};

/// What the chart shows for each series, for tests and the hover text.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendLines {
    /// `(x, y)` of the area's line: x = months since January of the first year, y = count or rate.
    pub area: Vec<[f64; 2]>,
    /// The LA's line, when given.
    pub la: Vec<[f64; 2]>,
    /// The area shifted on by 12 months (same month last year).
    pub last_year: Vec<[f64; 2]>,
    /// The area's counts by month (what hovering shows), `(x, count)`.
    pub counts: Vec<[f64; 2]>,
    /// True when values are per 1,000 residents.
    pub per_1000: bool,
}

/// Months since January of `first`'s year, for the x axis.
fn x_of(period: Period, first: Period) -> f64 {
    f64::from(period.year) * 12.0 + f64::from(period.month.max(1)) - (f64::from(first.year) * 12.0 + 1.0)
}

/// The lines of a chart: rates when the area (and the LA, if any) has a population, else counts.
pub fn trend_lines(periods: &[Period], area: &AreaSeries, la: Option<&AreaSeries>) -> TrendLines {
    let per_1000 = area.population.is_some_and(|p| p > 0.0) && la.is_none_or(|l| l.population.is_some_and(|p| p > 0.0));
    let first = periods.first().copied().unwrap_or(Period { year: 2000, month: 1 });
    let points = |s: &AreaSeries, shift: i32| -> Vec<[f64; 2]> {
        periods
            .iter()
            .zip(&s.values)
            .filter(|(_, v)| !v.is_nan())
            .filter_map(|(p, v)| {
                let y = if per_1000 { s.rate_per_1000(*v)? } else { *v };
                let shifted = p.offset(shift)?;
                Some([x_of(shifted, first), y])
            })
            .filter(|[x, _]| shift == 0 || *x <= x_of(*periods.last().unwrap_or(&first), first))
            .collect()
    };
    TrendLines {
        area: points(area, 0),
        la: la.map(|l| points(l, 0)).unwrap_or_default(),
        last_year: points(area, 12),
        counts: periods
            .iter()
            .zip(&area.values)
            .filter(|(_, v)| !v.is_nan())
            .map(|(p, v)| [x_of(*p, first), *v])
            .collect(),
        per_1000,
    }
}

/// Suffix of the dashed line's name.
pub const LAST_YEAR_SUFFIX: &str = " (same month last year)";

/// What hovering a chart near `(x, y)` of the line `name` says: the month and value, and for the area's own lines
/// the month's count (`counts`: `(x, count)` of the area). The dashed line is the area a year earlier, so its month
/// and count are those of twelve months before the point.
pub fn hover_label(first: Period, counts: &[(f64, f64)], area_name: &str, name: &str, x: f64, y: f64) -> String {
    let last_year = name.strip_suffix(LAST_YEAR_SUFFIX) == Some(area_name);
    let x = if last_year { x - 12.0 } else { x };
    let month = Period::month(first.year, 1)
        .and_then(|p| p.offset(x.round() as i32))
        .map(|p| p.to_string())
        .unwrap_or_default();
    let count = counts.iter().find(|(cx, _)| (*cx - x).abs() < 0.5).map(|(_, c)| *c);
    match count {
        Some(c) if name == area_name || last_year => format!("{name}\n{month}: count {c} ({y:.2})"),
        _ => format!("{name}\n{month}: {y:.2}"),
    }
}

/// The chart.
pub fn trend_chart_ui(
    ui: &mut egui::Ui,
    id: &str,
    periods: &[Period],
    area: &AreaSeries,
    la: Option<&AreaSeries>,
    height: f32,
) -> TrendLines {
    let lines = trend_lines(periods, area, la);
    let first = periods.first().copied().unwrap_or(Period { year: 2000, month: 1 });
    let unit = if lines.per_1000 { "per 1,000 residents" } else { "count" };
    let label_of = move |x: f64| {
        let months = x.round() as i32;
        Period::month(first.year, 1)
            .and_then(|p| p.offset(months))
            .map(|p| p.to_string())
            .unwrap_or_default()
    };
    let counts: Vec<(f64, f64)> = periods
        .iter()
        .zip(&area.values)
        .map(|(p, v)| (x_of(*p, first), *v))
        .collect();
    let area_name = area.name.clone();
    Plot::new(id.to_string())
        .height(height)
        .y_axis_label(unit)
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| label_of(mark.value))
        .label_formatter(move |hover| {
            let (name, point) = match hover {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name, position, ..
                } => (*plot_name, *position),
                egui_plot::HoverPosition::Elsewhere { position } => ("", *position),
            };
            Some(hover_label(first, &counts, &area_name, name, point.x, point.y))
        })
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            plot.line(
                Line::new(
                    format!("{}{LAST_YEAR_SUFFIX}", area.name),
                    PlotPoints::from(lines.last_year.clone()),
                )
                .style(LineStyle::dashed_loose())
                .color(Color32::from_rgb(160, 160, 160)),
            );
            if let Some(la) = la {
                plot.line(
                    Line::new(la.name.clone(), PlotPoints::from(lines.la.clone())).color(Color32::from_rgb(90, 90, 90)),
                );
            }
            plot.line(
                Line::new(area.name.clone(), PlotPoints::from(lines.area.clone()))
                    .color(Color32::from_rgb(200, 60, 30))
                    .width(2.0),
            );
            plot.points(
                Points::new(area.name.clone(), lines.area.clone())
                    .radius(2.5)
                    .color(Color32::from_rgb(200, 60, 30)),
            );
        });
    lines
}

/// A small line of a series, scaled to its own range, for a table cell.
pub fn sparkline_ui(ui: &mut egui::Ui, values: &[f64], size: egui::Vec2) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = finite
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if finite.len() >= 2 && ui.is_rect_visible(rect) {
        let span = (hi - lo).max(1e-9);
        let n = values.len().max(2) - 1;
        let points: Vec<egui::Pos2> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| {
                egui::pos2(
                    rect.left() + rect.width() * i as f32 / n as f32,
                    rect.bottom() - rect.height() * ((v - lo) / span) as f32,
                )
            })
            .collect();
        ui.painter().add(egui::Shape::line(
            points,
            Stroke::new(1.2, Color32::from_rgb(200, 60, 30)),
        ));
    }
    response.on_hover_text(format!("{} months, {lo} to {hi}", values.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;

    #[test]
    fn rates_when_populations_are_known_and_last_year_shifts_by_twelve() {
        let periods: Vec<Period> = (0..14).filter_map(|i| Period::month(2024, 1)?.offset(i)).collect();
        let series = AreaSeries {
            code: AreaCode::parse("E05000001").unwrap(),
            name: "Ward".into(),
            la_code: None,
            la_name: String::new(),
            values: (0..14).map(f64::from).collect(),
            population: Some(2_000.0),
            members: Vec::new(),
        };
        let lines = trend_lines(&periods, &series, None);
        assert!(lines.per_1000);
        assert_eq!(lines.area[3], [3.0, 1.5]);
        // January 2024's value shown at January 2025; nothing past the last month.
        assert_eq!(lines.last_year, vec![[12.0, 0.0], [13.0, 0.5]]);
    }

    #[test]
    fn hovering_a_month_shows_its_count_and_the_dashed_line_the_count_a_year_earlier() {
        let first = Period::month(2024, 5).unwrap();
        // x counts months from January of the first year: 2024-05 is x = 4.
        let counts = [(4.0, 7.0), (5.0, 9.0), (16.0, 11.0)];
        assert_eq!(
            hover_label(first, &counts, "Aldersgate", "Aldersgate", 5.1, 4.5),
            "Aldersgate\n2024-06: count 9 (4.50)"
        );
        let dashed = format!("Aldersgate{LAST_YEAR_SUFFIX}");
        assert_eq!(
            hover_label(first, &counts, "Aldersgate", &dashed, 16.0, 3.5),
            format!("{dashed}\n2024-05: count 7 (3.50)")
        );
        assert_eq!(
            hover_label(first, &counts, "Aldersgate", "City of London", 16.0, 2.25),
            "City of London\n2025-05: 2.25"
        );
    }
}
