//! The map view (what part of the world is on screen) and the `screen_from_world` transform built from it.
//! World = British National Grid metres (y up); screen = UI points or image pixels (y down).

use geo::{Coord, Rect};
use serde::{Deserialize, Serialize};

/// A rectangle on screen, in points (or pixels for exports): `min` top-left, `max` bottom-right.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreenRect {
    /// Top-left.
    pub min: [f32; 2],
    /// Bottom-right.
    pub max: [f32; 2],
}

impl ScreenRect {
    /// Width.
    pub fn width(&self) -> f32 {
        self.max[0] - self.min[0]
    }

    /// Height.
    pub fn height(&self) -> f32 {
        self.max[1] - self.min[1]
    }

    /// Centre.
    pub fn center(&self) -> [f32; 2] {
        [(self.min[0] + self.max[0]) / 2.0, (self.min[1] + self.max[1]) / 2.0]
    }
}

/// What the map remembers between frames.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    /// The world point at the centre of the map, in BNG metres.
    pub center_in_world: Coord<f64>,
    /// Zoom: metres of ground per screen point.
    pub metres_per_point: f64,
}

impl Default for MapView {
    fn default() -> Self {
        // Leeds, until data says otherwise.
        Self {
            center_in_world: Coord {
                x: 430_000.0,
                y: 437_000.0,
            },
            metres_per_point: 60.0,
        }
    }
}

/// The closest and farthest zoom: 5 cm to 5 km per point.
pub const ZOOM_LIMITS: (f64, f64) = (0.05, 5_000.0);

impl MapView {
    /// A view showing the whole of `bbox_in_world` inside `screen` with a small margin.
    pub fn fit(bbox_in_world: Rect<f64>, screen: ScreenRect) -> Self {
        let margin = 0.94;
        let width = f64::from(screen.width().max(1.0)) * margin;
        let height = f64::from(screen.height().max(1.0)) * margin;
        let metres_per_point = (bbox_in_world.width() / width)
            .max(bbox_in_world.height() / height)
            .max(ZOOM_LIMITS.0);
        Self {
            center_in_world: bbox_in_world.center(),
            metres_per_point,
        }
    }

    /// The transform for a map drawn in `screen`.
    pub fn screen_from_world(&self, screen: ScreenRect) -> ScreenFromWorld {
        ScreenFromWorld {
            points_per_metre: 1.0 / self.metres_per_point,
            center_in_world: self.center_in_world,
            center_on_screen: screen.center(),
        }
    }

    /// The world rectangle visible in `screen`.
    pub fn visible_world(&self, screen: ScreenRect) -> Rect<f64> {
        let transform = self.screen_from_world(screen);
        Rect::new(
            transform.world_from_screen(screen.min),
            transform.world_from_screen(screen.max),
        )
    }

    /// Moves the map with the pointer: a drag of `delta` points.
    pub fn pan_by_points(&mut self, delta: [f32; 2]) {
        self.center_in_world.x -= f64::from(delta[0]) * self.metres_per_point;
        self.center_in_world.y += f64::from(delta[1]) * self.metres_per_point;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the world point under `anchor_on_screen` fixed.
    pub fn zoom_about(&mut self, factor: f64, anchor_on_screen: [f32; 2], screen: ScreenRect) {
        let before = self.screen_from_world(screen).world_from_screen(anchor_on_screen);
        self.metres_per_point = (self.metres_per_point / factor).clamp(ZOOM_LIMITS.0, ZOOM_LIMITS.1);
        let after = self.screen_from_world(screen).world_from_screen(anchor_on_screen);
        self.center_in_world.x += before.x - after.x;
        self.center_in_world.y += before.y - after.y;
    }
}

/// World (BNG metres) → screen (points). Built each frame from the `MapView`; cheap to copy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenFromWorld {
    /// Scale.
    pub points_per_metre: f64,
    /// World point drawn at `center_on_screen`.
    pub center_in_world: Coord<f64>,
    /// Where it is drawn.
    pub center_on_screen: [f32; 2],
}

impl ScreenFromWorld {
    /// Projects a world point to the screen.
    ///
    /// ```
    /// use locality_map::render::{MapView, ScreenRect};
    /// use geo::Coord;
    /// let view = MapView { center_in_world: Coord { x: 430_000.0, y: 433_000.0 }, metres_per_point: 10.0 };
    /// let screen = ScreenRect { min: [0.0, 0.0], max: [800.0, 600.0] };
    /// let t = view.screen_from_world(screen);
    /// assert_eq!(t.apply(Coord { x: 430_000.0, y: 433_000.0 }), [400.0, 300.0]);
    /// assert_eq!(t.apply(Coord { x: 430_100.0, y: 433_100.0 }), [410.0, 290.0]); // north is up
    /// ```
    pub fn apply(&self, world: Coord<f64>) -> [f32; 2] {
        [
            self.center_on_screen[0] + ((world.x - self.center_in_world.x) * self.points_per_metre) as f32,
            self.center_on_screen[1] - ((world.y - self.center_in_world.y) * self.points_per_metre) as f32,
        ]
    }

    /// Screen point back to the world.
    pub fn world_from_screen(&self, screen: [f32; 2]) -> Coord<f64> {
        Coord {
            x: self.center_in_world.x + f64::from(screen[0] - self.center_on_screen[0]) / self.points_per_metre,
            y: self.center_in_world.y - f64::from(screen[1] - self.center_on_screen[1]) / self.points_per_metre,
        }
    }

    /// For vertices stored relative to `origin_in_world` as `f32`: returns (scale, offset) so that
    /// `screen = offset + scale * (vx, -vy)`. Keeps the per-vertex work to two multiply-adds.
    pub fn for_origin(&self, origin_in_world: Coord<f64>) -> ([f32; 2], f32) {
        (self.apply(origin_in_world), self.points_per_metre as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let screen = ScreenRect {
            min: [0.0, 0.0],
            max: [1000.0, 800.0],
        };
        let mut view = MapView::default();
        let anchor = [123.0, 456.0];
        let before = view.screen_from_world(screen).world_from_screen(anchor);
        view.zoom_about(2.5, anchor, screen);
        let after = view.screen_from_world(screen).world_from_screen(anchor);
        assert!((before.x - after.x).abs() < 1e-6 && (before.y - after.y).abs() < 1e-6);
        assert!((view.metres_per_point - 24.0).abs() < 1e-9);
    }

    #[test]
    fn fit_shows_the_whole_box() {
        let bbox = Rect::new(
            Coord {
                x: 410_000.0,
                y: 420_000.0,
            },
            Coord {
                x: 450_000.0,
                y: 450_000.0,
            },
        );
        let screen = ScreenRect {
            min: [0.0, 0.0],
            max: [800.0, 600.0],
        };
        let visible = MapView::fit(bbox, screen).visible_world(screen);
        assert!(visible.min().x <= 410_000.0 && visible.max().x >= 450_000.0);
        assert!(visible.min().y <= 420_000.0 && visible.max().y >= 450_000.0);
    }
}
