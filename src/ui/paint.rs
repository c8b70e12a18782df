//! Small drawing helpers shared by the map and the panels: style colours through the colour-vision preview, the 1%
//! transition markers, text with a halo, the scale bar and north arrow. Plain functions over an `egui::Painter`.

use crate::analysis::Transition;
use crate::render::{MarkerShape, ScreenRect, round_scale_length};
use crate::style::{ColourVision, Rgba, TOP1_ORANGE};
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};

/// Converts a style colour through the colour-vision preview.
pub fn to_color32(colour: Rgba, vision: ColourVision) -> Color32 {
    let [r, g, b, a] = vision.simulate(colour).0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// The egui rectangle as the renderer's plain screen rectangle.
pub fn screen_rect_of(rect: Rect) -> ScreenRect {
    ScreenRect {
        min: [rect.min.x, rect.min.y],
        max: [rect.max.x, rect.max.y],
    }
}

/// A screen point as egui's.
pub fn pos(p: [f32; 2]) -> Pos2 {
    Pos2::new(p[0], p[1])
}

/// Stayed ●, moved in ▲, moved out ▽: shape tells them apart without colour.
pub fn paint_transition_marker(painter: &egui::Painter, centre: Pos2, transition: Transition, vision: ColourVision) {
    if let Some(shape) = transition_marker(centre, transition, vision) {
        painter.add(shape);
    }
}

/// A transition marker's radius on the map, in points.
pub const MARKER_RADIUS: f32 = 5.0;

/// The marker of an LSOA that stayed in, moved into or moved out of the 1% (nothing for the others), as the shared
/// map description draws it ([`crate::render::transition_marker`]), [`MARKER_RADIUS`] points in radius.
pub fn transition_marker(centre: Pos2, transition: Transition, vision: ColourVision) -> Option<Shape> {
    let marker = crate::render::transition_marker(transition)?;
    let orange = to_color32(TOP1_ORANGE, vision);
    let r = MARKER_RADIUS;
    let fill = if marker.orange_fill { orange } else { Color32::WHITE };
    let edge = if marker.orange_edge {
        orange
    } else {
        Color32::from_gray(30)
    };
    let stroke = Stroke::new(r * marker.edge_width, edge);
    Some(match marker.shape {
        MarkerShape::Disc => Shape::Circle(egui::epaint::CircleShape {
            center: centre,
            radius: r,
            fill,
            stroke,
        }),
        MarkerShape::Polygon(corners) => {
            let points = corners.iter().map(|[x, y]| centre + Vec2::new(r * x, r * y)).collect();
            Shape::convex_polygon(points, fill, stroke)
        }
    })
}

/// Dark text with a white halo, legible over any fill.
pub fn text_with_halo(painter: &egui::Painter, at: Pos2, text: &str, font: FontId, colour: Color32) {
    let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 220);
    for offset in [
        Vec2::new(-1.0, 0.0),
        Vec2::new(1.0, 0.0),
        Vec2::new(0.0, -1.0),
        Vec2::new(0.0, 1.0),
    ] {
        painter.text(at + offset, Align2::CENTER_CENTER, text, font.clone(), halo);
    }
    painter.text(at, Align2::CENTER_CENTER, text, font, colour);
}

/// A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) about a fifth of the map wide.
pub fn paint_scale_bar(painter: &egui::Painter, rect: Rect, metres_per_point: f64) {
    let (length_m, label) = round_scale_length(f64::from(rect.width()) * 0.2 * metres_per_point);
    let length_points = (length_m / metres_per_point) as f32;
    let start = Pos2::new(rect.left() + 16.0, rect.bottom() - 18.0);
    let end = start + Vec2::new(length_points, 0.0);
    let dark = Stroke::new(2.0, Color32::from_gray(30));
    painter.rect_filled(
        Rect::from_min_max(start - Vec2::new(6.0, 18.0), end + Vec2::new(6.0, 8.0)),
        3.0,
        Color32::from_white_alpha(200),
    );
    painter.line_segment([start, end], dark);
    painter.line_segment([start, start - Vec2::new(0.0, 6.0)], dark);
    painter.line_segment([end, end - Vec2::new(0.0, 6.0)], dark);
    painter.text(
        Pos2::new((start.x + end.x) / 2.0, start.y - 9.0),
        Align2::CENTER_CENTER,
        label,
        FontId::proportional(11.0),
        Color32::from_gray(20),
    );
}

/// North is up: British National Grid north, to within a degree or so across England.
pub fn paint_north_arrow(painter: &egui::Painter, rect: Rect) {
    let tip = Pos2::new(rect.right() - 26.0, rect.top() + 14.0);
    let dark = Color32::from_gray(30);
    painter.add(Shape::convex_polygon(
        vec![tip, tip + Vec2::new(8.0, 22.0), tip + Vec2::new(0.0, 16.0)],
        dark,
        Stroke::NONE,
    ));
    painter.add(Shape::convex_polygon(
        vec![tip, tip + Vec2::new(0.0, 16.0), tip + Vec2::new(-8.0, 22.0)],
        Color32::WHITE,
        Stroke::new(1.0, dark),
    ));
    painter.text(
        tip + Vec2::new(0.0, 32.0),
        Align2::CENTER_CENTER,
        "N",
        FontId::proportional(12.0),
        dark,
    );
}
