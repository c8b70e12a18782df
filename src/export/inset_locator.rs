//! The inset locator on a ward map: a small map of the whole LA in the map's top-left corner — its LSOAs in light
//! grey, the ward in dark grey with a heavy outline, and a frame showing the extent of the main map — so a reader of a
//! ward page sees where the ward sits in the LA. Drawn on any [`Surface`] (PNG, SVG, PDF).

use super::furniture::{fill_rect, ink, stroke_rect};
use super::map_layer::MapContent;
use super::surface::{LineStyle, Surface};
use crate::model::AreaLayer;
use crate::render::ScreenRect;
use geo::{MultiPolygon, Rect};
use tiny_skia::{Color, FillRule, PathBuilder};

/// The inset's share of the map's width, and the most of its height it may take.
const WIDTH_SHARE: f32 = 0.22;
const MAX_HEIGHT_SHARE: f32 = 0.32;

/// What the inset shows, and where it was drawn (for tests).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InsetLocator {
    /// The inset's frame, in page pixels.
    pub rect_px: ScreenRect,
    /// Where the ward's extent falls inside it, in page pixels.
    pub ward_px: ScreenRect,
}

/// Draws the inset for `ward` (its geometry in BNG metres) in the top-left corner of `map_rect`; `shown` is the main
/// map's extent in BNG metres. `None` when the LA has no extent to draw.
pub fn draw_inset_locator(
    surface: &mut dyn Surface,
    content: &MapContent<'_>,
    ward: &MultiPolygon<f64>,
    shown: Rect<f64>,
    map_rect: ScreenRect,
    px_per_pt: f32,
) -> Option<InsetLocator> {
    let la = content.drawn.bbox_in_world;
    if la.width() <= 0.0 || la.height() <= 0.0 {
        return None;
    }
    let u = px_per_pt;
    let pad = 5.0 * u;
    let max_w = map_rect.width() * WIDTH_SHARE;
    let max_h = map_rect.height() * MAX_HEIGHT_SHARE;
    let scale = f64::from(max_w - 2.0 * pad) / la.width();
    let scale = scale.min(f64::from(max_h - 2.0 * pad) / la.height());
    let (w, h) = (
        (la.width() * scale) as f32 + 2.0 * pad,
        (la.height() * scale) as f32 + 2.0 * pad,
    );
    let origin = [map_rect.min[0] + 8.0 * u, map_rect.min[1] + 8.0 * u];
    let rect_px = ScreenRect {
        min: origin,
        max: [origin[0] + w, origin[1] + h],
    };
    // World → inset pixels: y up becomes y down.
    let px = |x: f64, y: f64| -> [f32; 2] {
        [
            origin[0] + pad + ((x - la.min().x) * scale) as f32,
            origin[1] + pad + ((la.max().y - y) * scale) as f32,
        ]
    };
    fill_rect(surface, rect_px, Color::WHITE);
    let mut lsoas = PathBuilder::new();
    for area in &content.drawn.areas {
        if let Some(a) = content.layer.areas.get(area.layer_index) {
            push_geometry(&mut lsoas, &a.geometry_in_world, &px);
        }
    }
    if let Some(path) = lsoas.finish() {
        surface.fill_path(
            &path,
            Color::from_rgba8(215, 215, 215, 255),
            FillRule::EvenOdd,
            Some(rect_px),
        );
        surface.stroke_path(
            &path,
            Color::from_rgba8(185, 185, 185, 255),
            &LineStyle::solid(0.25 * u),
            Some(rect_px),
        );
    }
    let mut ward_path = PathBuilder::new();
    push_geometry(&mut ward_path, ward, &px);
    if let Some(path) = ward_path.finish() {
        surface.fill_path(
            &path,
            Color::from_rgba8(70, 70, 70, 255),
            FillRule::EvenOdd,
            Some(rect_px),
        );
        surface.stroke_path(&path, ink(), &LineStyle::solid(1.2 * u), Some(rect_px));
    }
    // The main map's extent, clipped to the inset.
    let [x0, y0] = px(shown.min().x, shown.max().y);
    let [x1, y1] = px(shown.max().x, shown.min().y);
    let frame = ScreenRect {
        min: [x0.max(rect_px.min[0]), y0.max(rect_px.min[1])],
        max: [x1.min(rect_px.max[0]), y1.min(rect_px.max[1])],
    };
    if frame.max[0] > frame.min[0] && frame.max[1] > frame.min[1] {
        stroke_rect(surface, frame, Color::from_rgba8(0, 114, 178, 255), 0.9 * u);
    }
    stroke_rect(surface, rect_px, Color::from_rgba8(120, 120, 120, 255), 0.6 * u);
    let ward_bbox = geo::BoundingRect::bounding_rect(ward)?;
    let [wx0, wy0] = px(ward_bbox.min().x, ward_bbox.max().y);
    let [wx1, wy1] = px(ward_bbox.max().x, ward_bbox.min().y);
    Some(InsetLocator {
        rect_px,
        ward_px: ScreenRect {
            min: [wx0, wy0],
            max: [wx1, wy1],
        },
    })
}

/// The ward's polygon from the ward layer.
pub fn ward_geometry<'a>(
    ward_layer: Option<&'a AreaLayer>,
    ward: &crate::model::AreaCode,
) -> Option<&'a MultiPolygon<f64>> {
    ward_layer?.get(ward).map(|a| &a.geometry_in_world)
}

fn push_geometry(builder: &mut PathBuilder, geometry: &MultiPolygon<f64>, px: &impl Fn(f64, f64) -> [f32; 2]) {
    for polygon in geometry {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for (i, c) in ring.0.iter().enumerate() {
                let [x, y] = px(c.x, c.y);
                if i == 0 {
                    builder.move_to(x, y);
                } else {
                    builder.line_to(x, y);
                }
            }
            builder.close();
        }
    }
}
