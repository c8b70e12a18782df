//! A local indicator's trend, exported: the monthly series of an area against its LA as a CSV (one row per
//! period: counts, rates per 1,000 and the populations they use) and as a PNG chart (the area's line, the LA's, and
//! the area's same month a year earlier dashed), with the indicator, denominator, source and licence stated.

use super::ExportError;
use super::date::CivilDate;
use super::furniture::ink;
use super::report_png::{attribution_lines, blank_page};
use super::save::save_atomic;
use super::selection_table::UTF8_BOM;
use super::surface::paint_of;
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::AreaSeries;
use crate::model::{Period, csv_safe_cell};
use std::io::Write;
use std::path::Path;
use tiny_skia::{Color, PathBuilder, Pixmap, Stroke, StrokeDash, Transform};

/// The CSV columns of a count indicator, in order (the `indicator … --csv` table and the first columns of a trend).
pub const INDICATOR_CSV_COLUMNS: [&str; 6] = [
    "area_code",
    "area_name",
    "period",
    "count",
    "rate_per_1000",
    "population",
];

/// The columns a trend CSV adds after [`INDICATOR_CSV_COLUMNS`]: its LA's figures for the same period.
pub const TREND_LA_CSV_COLUMNS: [&str; 3] = ["la_count", "la_rate_per_1000", "la_population"];

/// The columns of the trend CSV, in order.
pub fn trend_csv_columns() -> impl Iterator<Item = &'static str> {
    INDICATOR_CSV_COLUMNS.into_iter().chain(TREND_LA_CSV_COLUMNS)
}

/// What a trend export shows.
#[derive(Clone, Copy, Debug)]
pub struct TrendExport<'a> {
    /// The indicator's name.
    pub indicator: &'a str,
    /// Where the figures come from, and their licence, one line.
    pub source: &'a str,
    /// The indicator's periods (the series' values follow them).
    pub periods: &'a [Period],
    /// The area (a ward, an LSOA or a selection).
    pub area: &'a AreaSeries,
    /// Its local authority, when known.
    pub la: Option<&'a AreaSeries>,
}

fn number(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map(|v| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.3}")
            }
        })
        .unwrap_or_default()
}

/// Writes the CSV: the byte-order mark (so Excel reads it as UTF-8), the header, one row per period. A value the
/// file does not give, or a rate without a population, is an empty cell, never a zero.
pub fn write_trend_csv(out: &mut dyn Write, trend: &TrendExport<'_>) -> std::io::Result<()> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(trend_csv_columns())?;
    let value = |s: &AreaSeries, i: usize| s.values.get(i).copied().filter(|v| !v.is_nan());
    for (i, period) in trend.periods.iter().enumerate() {
        let count = value(trend.area, i);
        let la_count = trend.la.and_then(|la| value(la, i));
        let cells = [
            trend.area.code.to_string(),
            trend.area.name.clone(),
            period.to_string(),
            number(count),
            number(count.and_then(|c| trend.area.rate_per_1000(c))),
            number(trend.area.population),
            number(la_count),
            number(la_count.and_then(|c| trend.la.and_then(|la| la.rate_per_1000(c)))),
            number(trend.la.and_then(|la| la.population)),
        ];
        writer.write_record(cells.iter().map(|c| csv_safe_cell(c).into_owned()))?;
    }
    writer.flush()
}

/// Saves the CSV atomically; replaces an existing file only when `overwrite`.
pub fn save_trend_csv(
    path: &Path,
    trend: &TrendExport<'_>,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    save_atomic(path, overwrite, |out| write_trend_csv(out, trend))
}

/// The source line of a trend whose files the catalogue does not know.
pub const UNKNOWN_TREND_SOURCE: &str = "Source: the indicator's files (licence not known to the catalogue)";

/// The trend PNG's page: A4-ish landscape at 200 dpi (the window's export and `trend --png`).
pub const TREND_PNG_SIZE_PX: (u32, u32) = (2339, 1654);

/// Renders the chart at [`TREND_PNG_SIZE_PX`], 200 dpi, and saves it atomically; replaces an existing file only as
/// `overwrite` allows.
pub fn save_trend_png(
    path: &Path,
    trend: &TrendExport<'_>,
    export_date: CivilDate,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    let dpi = 200.0;
    let (width_px, height_px) = TREND_PNG_SIZE_PX;
    let pixmap = render_trend_png(trend, width_px, height_px, dpi / 72.0, export_date)?;
    super::save::save_png_atomic(&pixmap, path, dpi, overwrite)
}

/// The chart's colours: the area dark blue, its LA grey, last year's months a lighter blue, dashed.
const AREA_COLOUR: [u8; 3] = [33, 102, 172];
const LA_COLOUR: [u8; 3] = [110, 110, 110];
const LAST_YEAR_COLOUR: [u8; 3] = [146, 197, 222];

fn rgb([r, g, b]: [u8; 3]) -> Color {
    Color::from_rgba8(r, g, b, 255)
}

/// One value per period, `None` where missing.
type Series = Vec<Option<f64>>;

/// The series drawn: rates when both have populations, else counts (as the window's chart): (per 1,000, area, LA,
/// the area a year earlier).
fn plotted(trend: &TrendExport<'_>) -> (bool, Series, Series, Series) {
    let per_1000 = trend.area.population.is_some_and(|p| p > 0.0)
        && trend.la.is_none_or(|l| l.population.is_some_and(|p| p > 0.0));
    let of = |s: &AreaSeries, i: usize| -> Option<f64> {
        let v = s.values.get(i).copied().filter(|v| !v.is_nan())?;
        if per_1000 { s.rate_per_1000(v) } else { Some(v) }
    };
    let n = trend.periods.len();
    let area: Vec<_> = (0..n).map(|i| of(trend.area, i)).collect();
    let la: Vec<_> = (0..n).map(|i| trend.la.and_then(|l| of(l, i))).collect();
    // Same month last year: the value 12 periods back (monthly series only).
    let last_year: Vec<_> = (0..n)
        .map(|i| {
            let back = trend.periods[i].offset(-12)?;
            let j = trend.periods.iter().position(|p| *p == back)?;
            area[j]
        })
        .collect();
    (per_1000, area, la, last_year)
}

/// Renders the chart page (`width_px` × `height_px`, `px_per_pt` pixels per point).
pub fn render_trend_png(
    trend: &TrendExport<'_>,
    width_px: u32,
    height_px: u32,
    px_per_pt: f32,
    export_date: CivilDate,
) -> Result<Pixmap, ExportError> {
    let mut pixmap = blank_page(width_px, height_px)?;
    let text = TextPainter::new();
    let u = px_per_pt;
    let (w, h) = (width_px as f32, height_px as f32);
    let margin = 16.0 * u;
    let title = TextStyle::new(14.0 * u, ink()).bold();
    let body = TextStyle::new(8.0 * u, ink());
    let small = TextStyle::new(6.5 * u, ink());
    let (per_1000, area, la, last_year) = plotted(trend);
    let unit = if per_1000 { "rate per 1,000 residents" } else { "count" };
    let mut y = margin + title.size_px;
    text.draw(
        &mut pixmap,
        &format!("{} — {}", trend.indicator, trend.area.name),
        [margin, y],
        Align::Left,
        &title,
        None,
    );
    y += body.line_height() * 1.4;
    let denominator = if per_1000 {
        "Rates per 1,000 residents: IoD2019 File 6 populations (mid-2015, excluding prisoners), summed over the area's LSOAs."
    } else {
        "Counts (no population denominator for this area, so no rates)."
    };
    text.draw(&mut pixmap, denominator, [margin, y], Align::Left, &body, None);
    y += body.line_height();
    text.draw(&mut pixmap, trend.source, [margin, y], Align::Left, &body, None);

    // Plot rectangle, leaving room for the axis labels, the key and the attribution strip.
    let attribution = attribution_lines(export_date.year);
    let strip_top = h - margin - (attribution.len() as f32 + 1.0) * small.line_height();
    let plot = [
        margin + 48.0 * u,
        y + 18.0 * u,
        w - margin - 8.0 * u,
        strip_top - 34.0 * u,
    ];
    let values: Vec<f64> = area.iter().chain(&la).chain(&last_year).flatten().copied().collect();
    if values.is_empty() || trend.periods.is_empty() {
        text.draw(
            &mut pixmap,
            "The indicator gives no values for this area.",
            [plot[0], (plot[1] + plot[3]) / 2.0],
            Align::Left,
            &body,
            None,
        );
    } else {
        let top = values.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.1;
        let n = trend.periods.len();
        let x_of = |i: usize| plot[0] + (plot[2] - plot[0]) * (i as f32 + 0.5) / n as f32;
        let y_of = |v: f64| plot[3] - (plot[3] - plot[1]) * (v / top) as f32;
        let axis = Stroke {
            width: 0.8 * u,
            ..Stroke::default()
        };
        let grid = Stroke {
            width: 0.4 * u,
            ..Stroke::default()
        };
        for k in 0..=4 {
            let v = top * f64::from(k) / 4.0;
            let gy = y_of(v);
            if let Some(line) = segment([plot[0], gy], [plot[2], gy]) {
                let colour = if k == 0 {
                    ink()
                } else {
                    Color::from_rgba8(220, 220, 220, 255)
                };
                let stroke = if k == 0 { &axis } else { &grid };
                pixmap.stroke_path(&line, &paint_of(colour), stroke, Transform::identity(), None);
            }
            let label = if per_1000 { format!("{v:.1}") } else { format!("{v:.0}") };
            text.draw(
                &mut pixmap,
                &label,
                [plot[0] - 4.0 * u, gy + 3.0 * u],
                Align::Right,
                &small,
                None,
            );
        }
        // Every January and the first and last periods on the x axis.
        for (i, period) in trend.periods.iter().enumerate() {
            if i == 0 || i + 1 == n || period.month == 1 {
                text.draw(
                    &mut pixmap,
                    &period.to_string(),
                    [x_of(i), plot[3] + 10.0 * u],
                    Align::Center,
                    &small,
                    None,
                );
            }
        }
        let dashed = Stroke {
            width: 1.2 * u,
            dash: StrokeDash::new(vec![4.0 * u, 3.0 * u], 0.0),
            ..Stroke::default()
        };
        let solid = |width: f32| Stroke {
            width: width * u,
            ..Stroke::default()
        };
        for (series, colour, stroke) in [
            (&last_year, LAST_YEAR_COLOUR, dashed),
            (&la, LA_COLOUR, solid(1.4)),
            (&area, AREA_COLOUR, solid(2.0)),
        ] {
            if let Some(line) = polyline(series, x_of, y_of) {
                pixmap.stroke_path(&line, &paint_of(rgb(colour)), &stroke, Transform::identity(), None);
            }
        }
        // The key.
        let mut kx = plot[0];
        let ky = plot[3] + 24.0 * u;
        let la_label = trend.la.map(|l| format!("{} (LA)", l.name));
        let keys = [
            Some((trend.area.name.clone(), AREA_COLOUR)),
            la_label.map(|l| (l, LA_COLOUR)),
            Some(("Same month a year earlier".to_string(), LAST_YEAR_COLOUR)),
        ];
        for (label, colour) in keys.into_iter().flatten() {
            if let Some(line) = segment([kx, ky - 3.0 * u], [kx + 18.0 * u, ky - 3.0 * u]) {
                pixmap.stroke_path(&line, &paint_of(rgb(colour)), &solid(2.0), Transform::identity(), None);
            }
            kx += 22.0 * u;
            kx += text.draw(&mut pixmap, &label, [kx, ky], Align::Left, &small, None) + 14.0 * u;
        }
        text.draw(
            &mut pixmap,
            &format!("Monthly {unit}"),
            [plot[0], plot[1] - 6.0 * u],
            Align::Left,
            &small,
            None,
        );
    }
    let mut line_y = strip_top + small.line_height();
    for line in &attribution {
        text.draw(&mut pixmap, line, [margin, line_y], Align::Left, &small, None);
        line_y += small.line_height();
    }
    Ok(pixmap)
}

fn segment(from: [f32; 2], to: [f32; 2]) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    builder.move_to(from[0], from[1]);
    builder.line_to(to[0], to[1]);
    builder.finish()
}

/// The series as one path, broken where a value is missing.
fn polyline(series: &[Option<f64>], x_of: impl Fn(usize) -> f32, y_of: impl Fn(f64) -> f32) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    let mut drawing = false;
    for (i, value) in series.iter().enumerate() {
        match value {
            Some(v) if drawing => builder.line_to(x_of(i), y_of(*v)),
            Some(v) => {
                builder.move_to(x_of(i), y_of(*v));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;

    fn series(code: &str, values: &[f64], population: Option<f64>) -> AreaSeries {
        AreaSeries {
            code: AreaCode::parse(code).unwrap(),
            name: format!("Area {code}"),
            la_code: None,
            la_name: String::new(),
            values: values.to_vec(),
            population,
            members: Vec::new(),
        }
    }

    fn months(n: usize) -> Vec<Period> {
        (0..n)
            .map(|i| {
                Period { year: 2023, month: 5 }
                    .offset(i32::try_from(i).unwrap())
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn the_csv_has_a_bom_one_row_a_month_and_rates_from_the_populations() {
        let periods = months(3);
        let area = series("E05011400", &[10.0, f64::NAN, 3.0], Some(2_000.0));
        let la = series("E08000035", &[500.0, 400.0, 450.0], None);
        let trend = TrendExport {
            indicator: "All crime",
            source: "police.uk",
            periods: &periods,
            area: &area,
            la: Some(&la),
        };
        let mut bytes = Vec::new();
        write_trend_csv(&mut bytes, &trend).unwrap();
        assert!(bytes.starts_with(UTF8_BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], trend_csv_columns().collect::<Vec<_>>().join(","));
        assert_eq!(lines[1], "E05011400,Area E05011400,2023-05,10,5,2000,500,,");
        assert_eq!(
            lines[2], "E05011400,Area E05011400,2023-06,,,2000,400,,",
            "a missing month is empty, not 0"
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn the_chart_draws_the_area_line_in_its_colour() {
        let periods = months(14);
        let values: Vec<f64> = (0..14).map(|i| f64::from(i) + 5.0).collect();
        let area = series("E05011400", &values, None);
        let trend = TrendExport {
            indicator: "All crime",
            source: "police.uk",
            periods: &periods,
            area: &area,
            la: None,
        };
        let date = CivilDate {
            year: 2026,
            month: 12,
            day: 1,
        };
        let page = render_trend_png(&trend, 1200, 700, 2.0, date).unwrap();
        let blue = page
            .pixels()
            .iter()
            .filter(|p| [p.red(), p.green(), p.blue()] == AREA_COLOUR)
            .count();
        assert!(blue > 200, "{blue} pixels of the area's line");
        assert!(matches!(
            render_trend_png(&trend, 10, 10, 1.0, date),
            Err(ExportError::BadSize { .. })
        ));
    }
}
