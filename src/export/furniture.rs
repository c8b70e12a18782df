//! Map furniture for exports, drawn with `tiny-skia` in pixels: transition markers (also used as legend keys), the
//! scale bar, the north arrow. Sizes come in as pixels per point so that everything scales with the DPI.

use super::surface::{LineStyle, Surface};
use super::text::{Align, TextPainter, TextStyle};
use crate::render::{MarkerShape, ScreenRect, TransitionMarker, round_scale_length};
use crate::style::{Rgba, TOP1_ORANGE};
use tiny_skia::{Color, FillRule, PathBuilder, Rect};

/// Near-black, for text and furniture.
pub fn ink() -> Color {
    Color::from_rgba8(30, 30, 30, 255)
}

/// A style colour as a tiny-skia colour.
pub fn colour_of(colour: Rgba) -> Color {
    let [r, g, b, a] = colour.0;
    Color::from_rgba8(r, g, b, a)
}

/// Fills a rectangle given by corners (no-op when empty).
pub fn fill_rect(surface: &mut dyn Surface, rect: ScreenRect, colour: Color) {
    if let Some(r) = Rect::from_ltrb(rect.min[0], rect.min[1], rect.max[0], rect.max[1]) {
        surface.fill_rect(r, colour);
    }
}

/// Outlines a rectangle.
pub fn stroke_rect(surface: &mut dyn Surface, rect: ScreenRect, colour: Color, width: f32) {
    if let Some(r) = Rect::from_ltrb(rect.min[0], rect.min[1], rect.max[0], rect.max[1]) {
        surface.stroke_path(&PathBuilder::from_rect(r), colour, &LineStyle::solid(width), None);
    }
}

/// A transition marker ([`crate::render::transition_marker`], as the window draws it) of `radius` pixels.
pub fn draw_transition_marker(surface: &mut dyn Surface, centre: [f32; 2], marker: &TransitionMarker, radius: f32) {
    let [x, y] = centre;
    let r = radius;
    let path = match &marker.shape {
        MarkerShape::Disc => PathBuilder::from_circle(x, y, r),
        MarkerShape::Polygon(corners) => {
            let mut b = PathBuilder::new();
            for (i, [dx, dy]) in corners.iter().enumerate() {
                if i == 0 {
                    b.move_to(x + r * dx, y + r * dy);
                } else {
                    b.line_to(x + r * dx, y + r * dy);
                }
            }
            b.close();
            b.finish()
        }
    };
    let Some(path) = path else {
        return;
    };
    let orange = colour_of(TOP1_ORANGE);
    let fill = if marker.orange_fill { orange } else { Color::WHITE };
    let edge = if marker.orange_edge { orange } else { ink() };
    surface.fill_path(&path, fill, FillRule::Winding, None);
    surface.stroke_path(&path, edge, &LineStyle::solid(r * marker.edge_width), None);
}

/// A scale bar of a round length about a fifth of the map wide, bottom-left inside the map, on a white backing:
/// alternate dark and white halves, end ticks, the length above. Returns the length in metres.
pub fn draw_scale_bar(
    surface: &mut dyn Surface,
    text: &TextPainter,
    map_rect: ScreenRect,
    pixels_per_metre: f64,
    px_per_pt: f32,
) -> f64 {
    let u = px_per_pt;
    let (length_m, label) = round_scale_length(f64::from(map_rect.width()) * 0.2 / pixels_per_metre);
    let length_px = (length_m * pixels_per_metre) as f32;
    let bar_h = 3.0 * u;
    let left = map_rect.min[0] + 14.0 * u;
    let bottom = map_rect.max[1] - 12.0 * u;
    let label_style = TextStyle::new(8.0 * u, ink());
    let backing = ScreenRect {
        min: [left - 6.0 * u, bottom - bar_h - label_style.size_px - 9.0 * u],
        max: [left + length_px + 6.0 * u, bottom + 5.0 * u],
    };
    fill_rect(surface, backing, Color::from_rgba8(255, 255, 255, 215));
    let half = length_px / 2.0;
    let top = bottom - bar_h;
    fill_rect(
        surface,
        ScreenRect {
            min: [left, top],
            max: [left + half, bottom],
        },
        ink(),
    );
    fill_rect(
        surface,
        ScreenRect {
            min: [left + half, top],
            max: [left + length_px, bottom],
        },
        Color::WHITE,
    );
    stroke_rect(
        surface,
        ScreenRect {
            min: [left, top],
            max: [left + length_px, bottom],
        },
        ink(),
        0.6 * u,
    );
    surface.text(
        text,
        &label,
        [left + half, top - 3.5 * u],
        Align::Center,
        &label_style,
        None,
    );
    surface.text(text, "0", [left, top - 3.5 * u], Align::Center, &label_style, None);
    length_m
}

/// North is up (British National Grid north, within a degree or so across England): an arrow with an N, top-right
/// inside the map, on a white backing.
pub fn draw_north_arrow(surface: &mut dyn Surface, text: &TextPainter, map_rect: ScreenRect, px_per_pt: f32) {
    let u = px_per_pt;
    let tip = [map_rect.max[0] - 22.0 * u, map_rect.min[1] + 12.0 * u];
    let (w, h, notch) = (7.0 * u, 20.0 * u, 14.0 * u);
    let n_style = TextStyle::new(11.0 * u, ink()).bold();
    let backing = ScreenRect {
        min: [tip[0] - w - 5.0 * u, tip[1] - 5.0 * u],
        max: [tip[0] + w + 5.0 * u, tip[1] + h + n_style.size_px + 8.0 * u],
    };
    fill_rect(surface, backing, Color::from_rgba8(255, 255, 255, 215));
    let mut right = PathBuilder::new();
    right.move_to(tip[0], tip[1]);
    right.line_to(tip[0] + w, tip[1] + h);
    right.line_to(tip[0], tip[1] + notch);
    right.close();
    let mut left = PathBuilder::new();
    left.move_to(tip[0], tip[1]);
    left.line_to(tip[0], tip[1] + notch);
    left.line_to(tip[0] - w, tip[1] + h);
    left.close();
    if let Some(path) = right.finish() {
        surface.fill_path(&path, ink(), FillRule::Winding, None);
    }
    if let Some(path) = left.finish() {
        surface.fill_path(&path, Color::WHITE, FillRule::Winding, None);
        surface.stroke_path(&path, ink(), &LineStyle::solid(0.8 * u), None);
    }
    surface.text(
        text,
        "N",
        [tip[0], tip[1] + h + n_style.size_px * 0.95],
        Align::Center,
        &n_style,
        None,
    );
}
