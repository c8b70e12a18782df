//! The indicator map page: LSOA (or ward) fills of one indicator measure, with a legend that states the indicator,
//! unit, period, denominator, how areas are drawn, source and licence; scale bar, north arrow and the OS/ONS lines.

use super::ExportError;
use super::date::CivilDate;
use super::furniture::{colour_of, draw_north_arrow, draw_scale_bar, fill_rect, ink, stroke_rect};
use super::page_text::ColumnWriter;
use super::report_png::attribution_lines;
use super::surface::{LineStyle, Surface};
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::DrawPlan;
use crate::model::rect_union;
use crate::render::{MapView, ScreenFromWorld, ScreenRect};
use crate::style::{IndicatorStyle, LSOA_LINE};
use geo::{LineString, MultiPolygon};
use tiny_skia::{Color, FillRule, PathBuilder, Pixmap};

/// The outline of areas flagged as emerging issues (the window's blue).
fn emerging_blue() -> Color {
    Color::from_rgba8(0, 90, 200, 255)
}

/// Size, title and date of an indicator page.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorPageOptions {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Pixels per typographic point.
    pub px_per_pt: f32,
    /// Title.
    pub title: String,
    /// "Exported …" date.
    pub export_date: CivilDate,
    /// Shapes of areas flagged as emerging issues, by boundary code (outlined in blue and keyed), with the test's
    /// short statement.
    pub emerging: Option<(std::collections::BTreeSet<crate::model::AreaCode>, String)>,
}

/// A rendered indicator page and where the map is.
pub struct IndicatorPage {
    /// The page.
    pub image: Pixmap,
    /// The map rectangle in pixels.
    pub map_rect_px: ScreenRect,
    /// World → pixels.
    pub pixel_from_world: ScreenFromWorld,
}

fn push_ring(builder: &mut PathBuilder, ring: &LineString<f64>, pixel_from_world: &ScreenFromWorld) {
    let mut points = ring.0.iter().map(|c| pixel_from_world.apply(*c));
    let Some(first) = points.next() else { return };
    builder.move_to(first[0], first[1]);
    for p in points {
        builder.line_to(p[0], p[1]);
    }
    builder.close();
}

fn push_geometry(builder: &mut PathBuilder, geometry: &MultiPolygon<f64>, pixel_from_world: &ScreenFromWorld) {
    for polygon in geometry {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            push_ring(builder, ring, pixel_from_world);
        }
    }
}

/// Renders the page for a plan and its styling.
pub fn render_indicator_page(
    plan: &DrawPlan<'_>,
    style: &IndicatorStyle,
    options: &IndicatorPageOptions,
) -> Result<IndicatorPage, ExportError> {
    let (width, height) = (options.width_px, options.height_px);
    let mut pixmap = super::report_png::blank_page(width, height)?;
    let Some(layer) = plan.layer else {
        return Err(ExportError::NoBoundaries {
            vintage: "indicator".into(),
            la: plan.note.clone(),
        });
    };
    let shapes: Vec<(usize, &crate::model::Area)> = plan
        .units
        .iter()
        .enumerate()
        .flat_map(|(i, unit)| unit.shapes.iter().filter_map(move |c| layer.get(c).map(|a| (i, a))))
        .collect();
    let (fitted, outside) = plan.core_extent().unzip();
    let outside = outside.unwrap_or(0);
    let Some(bbox) = fitted.or_else(|| shapes.iter().map(|(_, a)| a.bbox_in_world).reduce(rect_union)) else {
        return Err(ExportError::NoAreas {
            lsoas: plan.cannot_draw.len(),
            la: plan.note.clone(),
            vintage: layer.kind.to_string(),
        });
    };
    let text = TextPainter::new();
    let u = options.px_per_pt;
    let (w, h) = (width as f32, height as f32);
    let margin = 16.0 * u;
    let map_right = margin + (w - 2.0 * margin - 14.0 * u) * 0.70;
    let column = [map_right + 14.0 * u, w - margin];
    let attribution = attribution_lines(options.export_date.year);
    let strip_top = h - margin - 3.0 * TextStyle::new(7.0 * u, ink()).line_height();
    let map_rect_px = ScreenRect {
        min: [margin, margin],
        max: [map_right, strip_top - 8.0 * u],
    };
    let view = MapView::fit(bbox, map_rect_px);
    let pixel_from_world = view.screen_from_world(map_rect_px);

    // Fills: one path per colour.
    let mut by_colour: Vec<(crate::style::Rgba, PathBuilder)> = Vec::new();
    for (unit, area) in &shapes {
        let Some(styled) = style.units.get(*unit) else { continue };
        let index = match by_colour.iter().position(|(c, _)| *c == styled.fill) {
            Some(i) => i,
            None => {
                by_colour.push((styled.fill, PathBuilder::new()));
                by_colour.len() - 1
            }
        };
        if let Some((_, builder)) = by_colour.get_mut(index) {
            push_geometry(builder, &area.geometry_in_world, &pixel_from_world);
        }
    }
    for (colour, builder) in by_colour {
        if let Some(path) = builder.finish() {
            Surface::fill_path(&mut pixmap, &path, colour_of(colour), FillRule::EvenOdd, None);
        }
    }
    let mut outlines = PathBuilder::new();
    for (_, area) in &shapes {
        push_geometry(&mut outlines, &area.geometry_in_world, &pixel_from_world);
    }
    if let Some(path) = outlines.finish() {
        Surface::stroke_path(
            &mut pixmap,
            &path,
            colour_of(LSOA_LINE),
            &LineStyle::solid(0.4 * u).round_joins(),
            None,
        );
    }
    // Shapes standing for other areas (2021 LSOAs on 2011 parents) get a dashed edge, keyed in the legend.
    let mut parents = PathBuilder::new();
    for (unit, area) in &shapes {
        if plan.units.get(*unit).is_some_and(|u| u.label.is_some()) {
            push_geometry(&mut parents, &area.geometry_in_world, &pixel_from_world);
        }
    }
    if let Some(path) = parents.finish() {
        let dashed = LineStyle::solid(1.2 * u).dashed(vec![3.0 * u, 2.0 * u]);
        Surface::stroke_path(&mut pixmap, &path, ink(), &dashed, None);
    }
    // Emerging issues: a heavy blue outline, as the window draws them.
    let mut flagged_count = 0;
    if let Some((flagged, _)) = &options.emerging {
        let mut emerging = PathBuilder::new();
        for (_, area) in &shapes {
            if flagged.contains(&area.code) {
                push_geometry(&mut emerging, &area.geometry_in_world, &pixel_from_world);
                flagged_count += 1;
            }
        }
        if let Some(path) = emerging.finish() {
            Surface::stroke_path(
                &mut pixmap,
                &path,
                emerging_blue(),
                &LineStyle::solid(2.0 * u).round_joins(),
                None,
            );
        }
    }
    draw_scale_bar(&mut pixmap, &text, map_rect_px, pixel_from_world.points_per_metre, u);
    draw_north_arrow(&mut pixmap, &text, map_rect_px, u);
    stroke_rect(&mut pixmap, map_rect_px, Color::from_rgba8(150, 150, 150, 255), 0.5 * u);

    // The column: title, heading, classes, statements.
    let mut writer = ColumnWriter::new(Some(&mut pixmap), &text, column[0], column[1], margin, u);
    writer.paragraph(&options.title, &TextStyle::new(15.0 * u, ink()).bold());
    writer.gap(6.0);
    writer.paragraph(&style.heading, &TextStyle::new(10.0 * u, ink()).bold());
    writer.gap(4.0);
    for (colour, label) in &style.classes {
        let fill = colour_of(*colour);
        writer.key_row(label, None, |p, key| {
            fill_rect(p, key, fill);
            stroke_rect(p, key, Color::from_rgba8(120, 120, 120, 255), 0.5 * u);
        });
    }
    if plan.via_parents > 0 {
        writer.key_row("2021 LSOAs drawn on their 2011 parents' shapes", None, |p, key| {
            stroke_rect(p, key, ink(), 1.2 * u);
        });
    }
    if let Some((_, statement)) = &options.emerging {
        let label = format!("Emerging issue ({flagged_count} drawn): {statement}");
        writer.key_row(&label, None, |p, key| stroke_rect(p, key, emerging_blue(), 2.0 * u));
    }
    writer.gap(6.0);
    let small = TextStyle::new(7.5 * u, Color::from_rgba8(60, 60, 60, 255));
    for line in &style.lines {
        writer.paragraph(line, &small);
        writer.gap(2.0);
    }
    if outside > 0 {
        writer.paragraph(
            &format!("{outside} outlying areas with figures lie beyond this map's extent (counted in every total)"),
            &small,
        );
    }
    let mut strip = ColumnWriter::new(Some(&mut pixmap), &text, margin, map_right, strip_top, u);
    for line in &attribution {
        strip.paragraph(line, &TextStyle::new(7.0 * u, ink()));
    }
    let exported = format!(
        "Exported {} with Locality Map {}",
        options.export_date.iso(),
        env!("CARGO_PKG_VERSION")
    );
    text.draw(
        &mut pixmap,
        &exported,
        [column[1], h - margin],
        Align::Right,
        &TextStyle::new(7.0 * u, ink()),
        None,
    );
    Ok(IndicatorPage {
        image: pixmap,
        map_rect_px,
        pixel_from_world,
    })
}
