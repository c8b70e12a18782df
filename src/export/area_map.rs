//! A map of planner-defined areas (groups, or the wards of an LA) filled by their rank on a summary measure, with
//! outlines dissolved from their member LSOAs, a ranked legend and the attribution. The window shows the same
//! picture (drawn at the window's size), so what a planner sees is what the report gets.

use super::ExportError;
use super::furniture::{colour_of, ink, paint_of, stroke_rect};
use super::report_png::attribution_lines;
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::{AreaSummary, AreaSummaryTable, SummaryMeasure};
use crate::render::{MapView, ScreenRect};
use crate::style::{Rgba, WARD_LINE};
use geo::LineString;
use tiny_skia::{Color, FillRule, LineCap, LineJoin, PathBuilder, Pixmap, Stroke, Transform};

pub use crate::render::{AreaMapGeometry, RANK_CLASS_COLOURS, rank_class_colour};

/// How the map image is laid out.
#[derive(Clone, Debug)]
pub struct AreaMapOptions {
    /// Image width in pixels.
    pub width_px: u32,
    /// Image height in pixels.
    pub height_px: u32,
    /// Pixels per typographic point (dpi / 72).
    pub px_per_pt: f32,
    /// The heading.
    pub title: String,
    /// Year for the attribution.
    pub year: i64,
    /// Draw each area's rank on the map.
    pub labels: bool,
}

/// Renders the map of areas filled by their rank on `measure`.
pub fn render_area_map(
    geometry: &AreaMapGeometry,
    table: &AreaSummaryTable,
    measure: SummaryMeasure,
    options: &AreaMapOptions,
) -> Result<Pixmap, ExportError> {
    let (width, height) = (options.width_px, options.height_px);
    let mut pixmap = super::report_png::blank_page(width, height)?;
    let text = TextPainter::new();
    let u = options.px_per_pt;
    let (w, h) = (width as f32, height as f32);
    let margin = 12.0 * u;
    let map_right = margin + (w - 2.0 * margin) * 0.64;
    let mut footer: Vec<String> = attribution_lines(options.year);
    footer.push(table.provenance());
    footer.extend(table.notes.iter().cloned());
    let small = TextStyle::new(6.5 * u, ink());
    let footer_lines: Vec<String> = footer
        .iter()
        .flat_map(|l| text.wrap(l, small.size_px, w - 2.0 * margin))
        .collect();
    let footer_top = h - margin - footer_lines.len() as f32 * small.line_height();
    let map_rect = ScreenRect {
        min: [margin, margin + 22.0 * u],
        max: [map_right, footer_top - 6.0 * u],
    };
    let title_style = TextStyle::new(13.0 * u, ink()).bold();
    text.draw(
        &mut pixmap,
        &options.title,
        [margin, margin + 13.0 * u],
        Align::Left,
        &title_style,
        None,
    );

    let rank_of = |row: &AreaSummary| measure.of(row).1;
    let colours: Vec<Rgba> = table
        .rows
        .iter()
        .map(|r| rank_class_colour(rank_of(r), r.peers))
        .collect();
    if let Some(bbox) = geometry.lsoas.bbox_where(|_| true)
        && map_rect.width() > 10.0
        && map_rect.height() > 10.0
    {
        let view = MapView::fit(bbox, map_rect);
        let to_px = view.screen_from_world(map_rect);
        let ring = |builder: &mut PathBuilder, line: &LineString<f64>, close: bool| {
            let mut points = line.0.iter().map(|c| to_px.apply(*c));
            if let Some(first) = points.next() {
                builder.move_to(first[0], first[1]);
                for p in points {
                    builder.line_to(p[0], p[1]);
                }
                if close {
                    builder.close();
                }
            }
        };
        let mut by_area: Vec<PathBuilder> = (0..table.rows.len()).map(|_| PathBuilder::new()).collect();
        for (lsoa, area) in geometry.lsoas.areas.iter().zip(&geometry.area_of_lsoa) {
            if let Some(builder) = by_area.get_mut(*area) {
                for polygon in &lsoa.geometry_in_world {
                    for r in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                        ring(builder, r, true);
                    }
                }
            }
        }
        for (builder, colour) in by_area.into_iter().zip(&colours) {
            if let Some(path) = builder.finish() {
                pixmap.fill_path(
                    &path,
                    &paint_of(colour_of(*colour)),
                    FillRule::EvenOdd,
                    Transform::identity(),
                    None,
                );
            }
        }
        let mut outline = PathBuilder::new();
        for line in &geometry.outlines {
            ring(&mut outline, line, false);
        }
        if let Some(path) = outline.finish() {
            let stroke = Stroke {
                width: 0.9 * u,
                line_join: LineJoin::Round,
                line_cap: LineCap::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &path,
                &paint_of(colour_of(WARD_LINE)),
                &stroke,
                Transform::identity(),
                None,
            );
        }
        if options.labels {
            let label = TextStyle::new(7.0 * u, ink()).bold().halo(1.2 * u);
            for (row, point) in table.rows.iter().zip(&geometry.label_in_world) {
                if let (Some(rank), Some(point)) = (rank_of(row), point) {
                    let p = to_px.apply(*point);
                    text.draw(
                        &mut pixmap,
                        &rank.to_string(),
                        [p[0], p[1] + 2.5 * u],
                        Align::Center,
                        &label,
                        None,
                    );
                }
            }
        }
    }
    stroke_rect(&mut pixmap, map_rect, Color::from_rgba8(150, 150, 150, 255), 0.5 * u);

    // The legend: every area in rank order with its value.
    let column_left = map_right + 10.0 * u;
    let heading = TextStyle::new(8.5 * u, ink()).bold();
    let mut y = map_rect.min[1] + 8.0 * u;
    let index_label = table.index.label();
    let heading_text = format!("{} — {} {}", measure.label(), index_label, table.edition);
    for line in text.wrap(&heading_text, heading.size_px, w - margin - column_left) {
        text.draw(&mut pixmap, &line, [column_left, y], Align::Left, &heading, None);
        y += heading.line_height();
    }
    let mut order: Vec<usize> = (0..table.rows.len()).collect();
    order.sort_by_key(|i| {
        (
            rank_of(&table.rows[*i]).unwrap_or(u32::MAX),
            table.rows[*i].area_name.clone(),
        )
    });
    let rows = order.len().max(1) as f32;
    let room = (map_rect.max[1] - y) / rows;
    let size = (room * 0.72).clamp(3.0 * u, 7.5 * u);
    let entry = TextStyle::new(size, ink());
    let swatch = size * 0.9;
    y += size * 0.4;
    for i in order {
        let row = &table.rows[i];
        let (value, rank) = measure.of(row);
        let colour = colours[i];
        let rect = tiny_skia::Rect::from_xywh(column_left, y - swatch, swatch * 1.4, swatch);
        if let Some(rect) = rect {
            pixmap.fill_rect(rect, &paint_of(colour_of(colour)), Transform::identity(), None);
        }
        let value_text = value.map_or_else(|| "no figure".to_string(), |v| measure.format(v, table.index));
        // Priority wards (an LSOA in the most deprived 1%) are marked, as the ward league marks them.
        let priority = match row.lsoas_in_top1 {
            Some(n) if n > 0 && table.level == crate::analysis::AreaLevel::Ward => format!("  ({n} in the 1%)"),
            _ => String::new(),
        };
        let line = format!(
            "{}  {}  {}{priority}",
            rank.map_or_else(|| "–".to_string(), |r| format!("{r}.")),
            row.area_name,
            value_text
        );
        text.draw(
            &mut pixmap,
            &line,
            [column_left + swatch * 1.8, y],
            Align::Left,
            &entry,
            None,
        );
        y += size * 1.3;
    }
    let mut baseline = footer_top + small.size_px;
    for line in footer_lines {
        text.draw(&mut pixmap, &line, [margin, baseline], Align::Left, &small, None);
        baseline += small.line_height();
    }
    Ok(pixmap)
}
