//! A map of planner-defined areas (groups, or the wards of an LA) filled by their rank on a summary measure, with
//! outlines dissolved from their member LSOAs, a ranked legend and the attribution. The window shows the same
//! picture (drawn at the window's size), so what a planner sees is what the report gets.

use super::ExportError;
use super::furniture::{colour_of, ink, paint_of, stroke_rect};
use super::report_png::attribution_lines;
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::{AreaMembers, AreaSummary, AreaSummaryTable, SummaryMeasure};
use crate::model::{AreaCode, AreaKind, AreaLayer, LsoaVintage};
use crate::render::{MapView, ScreenRect, Topology};
use crate::style::{DECILES, NO_DATA, Rgba, WARD_LINE};
use geo::{Coord, InteriorPoint as _, LineString, MultiPolygon};
use std::collections::HashMap;
use tiny_skia::{Color, FillRule, LineCap, LineJoin, PathBuilder, Pixmap, Stroke, Transform};

/// Five classes of rank among the peers, most deprived darkest (viridis, legible in greyscale).
pub const RANK_CLASS_COLOURS: [Rgba; 5] = [DECILES[0], DECILES[2], DECILES[4], DECILES[6], DECILES[8]];

/// The fill of an area ranked `rank` of `peers` (1 = most deprived): its fifth of the ranking.
pub fn rank_class_colour(rank: Option<u32>, peers: u32) -> Rgba {
    match rank {
        Some(rank) if peers > 0 => {
            let class = ((rank.saturating_sub(1)) as usize * RANK_CLASS_COLOURS.len()) / peers as usize;
            RANK_CLASS_COLOURS[class.min(RANK_CLASS_COLOURS.len() - 1)]
        }
        _ => NO_DATA,
    }
}

/// The areas' geometry, built once per set of areas: member LSOAs, dissolved outlines, label points.
pub struct AreaMapGeometry {
    /// The member LSOAs' boundaries (a layer of just them).
    pub lsoas: AreaLayer,
    /// Which area each member LSOA (in `lsoas` order) belongs to.
    pub area_of_lsoa: Vec<usize>,
    /// The areas' outlines, each shared border once: borders between LSOAs of different areas, and the outer edge.
    pub outlines: Vec<LineString<f64>>,
    /// A point inside each area (inside one of its LSOAs) for its label.
    pub label_in_world: Vec<Option<Coord<f64>>>,
}

impl AreaMapGeometry {
    /// Dissolves each area's member LSOAs (from the LSOA layer of `vintage`) into an outline.
    pub fn build(layer: &AreaLayer, vintage: LsoaVintage, areas: &[AreaMembers]) -> Self {
        let mut area_of_code: HashMap<AreaCode, usize> = HashMap::new();
        for (i, area) in areas.iter().enumerate() {
            for lsoa in &area.lsoas {
                area_of_code.entry(*lsoa).or_insert(i);
            }
        }
        let members: Vec<_> = layer
            .areas
            .iter()
            .filter(|a| area_of_code.contains_key(&a.code))
            .cloned()
            .collect();
        let lsoas = AreaLayer::new(AreaKind::Lsoa(vintage), members, layer.sources.clone());
        let area_of_lsoa: Vec<usize> = lsoas.areas.iter().map(|a| area_of_code[&a.code]).collect();
        let topology = Topology::build(&lsoas);
        let outlines = topology
            .group_boundaries(|i| area_of_lsoa.get(i).copied())
            .into_iter()
            .filter_map(|id| topology.arcs.get(id as usize))
            .map(|arc| LineString::new(arc.coords.clone()))
            .collect();
        let mut label_in_world = vec![None; areas.len()];
        for (i, _) in areas.iter().enumerate() {
            let points: Vec<Coord<f64>> = lsoas
                .areas
                .iter()
                .zip(&area_of_lsoa)
                .filter(|(_, a)| **a == i)
                .map(|(lsoa, _)| interior(&lsoa.geometry_in_world).unwrap_or(lsoa.bbox_in_world.center()))
                .collect();
            if points.is_empty() {
                continue;
            }
            // The member point nearest the members' mean: inside the area even when the area is not convex.
            let n = points.len() as f64;
            let mean = Coord {
                x: points.iter().map(|p| p.x).sum::<f64>() / n,
                y: points.iter().map(|p| p.y).sum::<f64>() / n,
            };
            let distance = |p: &Coord<f64>| (p.x - mean.x).powi(2) + (p.y - mean.y).powi(2);
            label_in_world[i] = points.into_iter().min_by(|a, b| distance(a).total_cmp(&distance(b)));
        }
        Self {
            lsoas,
            area_of_lsoa,
            outlines,
            label_in_world,
        }
    }
}

fn interior(geometry: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    geometry.interior_point().map(|p| p.0)
}

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
    let heading_text = format!("{} — {} (IMD {})", measure.label(), index_label, table.edition);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_deprived_fifth_is_darkest() {
        assert_eq!(rank_class_colour(Some(1), 33), RANK_CLASS_COLOURS[0]);
        assert_eq!(rank_class_colour(Some(33), 33), RANK_CLASS_COLOURS[4]);
        assert_eq!(rank_class_colour(None, 33), NO_DATA);
    }
}
