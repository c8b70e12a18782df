//! The street basemap under an exported map: the OpenStreetMap tiles covering the map, from the tile cache (else
//! downloaded), warped onto the page — each tile an affine image of its BNG corners, as in the window — and blended
//! under the fills so both read. A PNG blends the pixels; an SVG or PDF embeds the image beneath the map, which is
//! drawn over it as a layer at the same weight. The page then carries "© OpenStreetMap contributors". Only drawn when
//! the planner had the basemap on ([`ReportOptions::basemap`]).
//!
//! [`ReportOptions::basemap`]: super::ReportOptions::basemap

use super::surface::Surface;
use crate::io::{TILE_PX, TileSource, tiles_covering};
use crate::render::{ScreenFromWorld, ScreenRect};
use tiny_skia::{FilterQuality, IntSize, Pixmap, PixmapPaint, Transform};

/// The fills' weight over the basemap (as in the window: the streets show through, the classes still read).
pub const FILL_WEIGHT_OVER_BASEMAP: f32 = 0.7;

/// Draws the tiles covering `map_rect` under what the surface already holds there; returns how many tiles were drawn
/// (0 when the surface cannot take an image, or no tile could be had — the page is then left as it was).
pub fn underlay_basemap(
    surface: &mut dyn Surface,
    source: &TileSource,
    screen_from_world: &ScreenFromWorld,
    visible_in_world: geo::Rect<f64>,
    map_rect: ScreenRect,
) -> usize {
    // Image pixels per page pixel (a vector page's image is finer than its 72-dpi page pixels).
    let scale = surface.underlay_scale().max(1.0);
    let (w, h) = (
        (map_rect.width() * scale).ceil() as u32,
        (map_rect.height() * scale).ceil() as u32,
    );
    let Some(mut layer) = Pixmap::new(w.max(1), h.max(1)) else {
        return 0;
    };
    layer.fill(tiny_skia::Color::WHITE);
    let metres_per_pixel = 1.0 / (screen_from_world.points_per_metre * f64::from(scale));
    let mut drawn = 0;
    for tile in tiles_covering(visible_in_world, metres_per_pixel) {
        let (Ok((image, _)), Some(corners)) = (source.tile(tile), tile.corners_in_world()) else {
            continue;
        };
        let Some(size) = IntSize::from_wh(image.size_px[0] as u32, image.size_px[1] as u32) else {
            continue;
        };
        // Premultiply (tiles are opaque or nearly so).
        let data: Vec<u8> = image
            .rgba
            .chunks_exact(4)
            .flat_map(|p| {
                let a = u16::from(p[3]);
                let m = |c: u8| ((u16::from(c) * a + 127) / 255) as u8;
                [m(p[0]), m(p[1]), m(p[2]), p[3]]
            })
            .collect();
        let Some(tile_pixmap) = Pixmap::from_vec(data, size) else {
            continue;
        };
        let px = |i: usize| {
            let [x, y] = screen_from_world.apply(corners[i]);
            ((x - map_rect.min[0]) * scale, (y - map_rect.min[1]) * scale)
        };
        let (a, b, c) = (px(0), px(1), px(3));
        let side = image.size_px[0] as f32;
        debug_assert!(side as u32 <= 2 * TILE_PX);
        let transform = Transform::from_row(
            (b.0 - a.0) / side,
            (b.1 - a.1) / side,
            (c.0 - a.0) / side,
            (c.1 - a.1) / side,
            a.0,
            a.1,
        );
        let paint = PixmapPaint {
            quality: FilterQuality::Bilinear,
            ..PixmapPaint::default()
        };
        layer.draw_pixmap(0, 0, tile_pixmap.as_ref(), &paint, transform, None);
        drawn += 1;
    }
    if drawn == 0 || !surface.underlay(&layer, map_rect, FILL_WEIGHT_OVER_BASEMAP) {
        return 0;
    }
    drawn
}
