//! The map's heavy layers (fills and boundary lines) drawn on the CPU into one image, shown as a single textured quad.
//!
//! Why: on a machine without a GPU, Mesa's llvmpipe rasterises egui's triangles, and it runs its fragment shader on
//! whole 4×4 blocks for every triangle however small. The national map is tens of thousands of triangles a pixel or
//! two across, so a frame cost 35–60 ms in llvmpipe alone while our own work for it was 1–3 ms. Drawn once here into
//! the map's pixels, the same triangles cost the renderer one quad a frame, and the image is redrawn only when the
//! view or what is drawn changes. Desktop GIS does the same (QGIS renders its map canvas to an image and moves that
//! image while you pan): while the planner pans or zooms, the last image is moved and scaled to the current view and
//! the next one is drawn on a worker thread; once the view settles it is redrawn at once, exactly.
//!
//! The rasteriser (`rasterise.rs`) follows OpenGL's rules (a pixel belongs to a triangle when its centre is inside; pixels on a shared
//! edge to exactly one of the two triangles) so the image is the one the renderer drew from the same meshes, and
//! blends premultiplied colours in gamma space as egui's renderers do. Vertex colours are interpolated across a triangle
//! (only the markers' feathered edges need it; fills and lines are flat). Textures are not sampled: the meshes drawn
//! here are untextured (text stays with the renderer).

use super::rasterise::rasterise;
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

/// What an image of the map was drawn for: the content (everything but the view that the meshes depend on, as a
/// key the map computes), the view, the map's rectangle and the display's pixel density.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CanvasFrame {
    /// Everything but the view the meshes depend on, hashed.
    pub content: u64,
    /// The view drawn.
    pub view: crate::render::MapView,
    /// The map's rectangle in screen points.
    pub rect: Rect,
    /// The display's pixels per point.
    pub pixels_per_point: f32,
}

impl CanvasFrame {
    /// The image's pixel box: the map rectangle in whole screen pixels.
    fn pixel_box(&self) -> ([f32; 2], [usize; 2]) {
        let ppp = self.pixels_per_point;
        let min = [(self.rect.min.x * ppp).floor(), (self.rect.min.y * ppp).floor()];
        let max = [(self.rect.max.x * ppp).ceil(), (self.rect.max.y * ppp).ceil()];
        (
            min,
            [(max[0] - min[0]).max(0.0) as usize, (max[1] - min[1]).max(0.0) as usize],
        )
    }

    fn screen_from_world(&self) -> crate::render::ScreenFromWorld {
        self.view.screen_from_world(super::paint::screen_rect_of(self.rect))
    }
}

/// How long the worker rests, in multiples of its last image's time, before drawing the next while the view moves.
const REST_PER_WORK: u32 = 2;

/// A drawn image of the map and its worker.
#[derive(Default)]
pub struct MapCanvas {
    texture: Option<TextureHandle>,
    /// What the texture shows.
    shown: Option<CanvasFrame>,
    /// An image being drawn on the worker thread, and when it was started.
    in_flight: Option<(CanvasFrame, Receiver<ColorImage>, Instant)>,
    /// When the last worker image arrived, and how long it took.
    last_arrival: Option<(Instant, Duration)>,
    /// The worker thread, started with the first image drawn on it and kept while the canvas lives.
    worker: Option<Sender<WorkerJob>>,
}

/// An image for the worker to draw, and where to send it.
struct WorkerJob {
    frame: CanvasFrame,
    meshes: Vec<Arc<egui::Mesh>>,
    background: Color32,
    reply: Sender<ColorImage>,
    ctx: egui::Context,
}

/// Starts the one long-lived worker: it draws each job in turn, sends it back and asks for a repaint; it ends when
/// the canvas (the jobs' sender) is dropped.
fn start_worker() -> Option<Sender<WorkerJob>> {
    let (jobs, inbox) = std::sync::mpsc::channel::<WorkerJob>();
    std::thread::Builder::new()
        .name("map-canvas".into())
        .spawn(move || {
            for job in inbox {
                let image = draw(&job.frame, &job.meshes, job.background);
                // The window may have moved on and dropped the receiver: nothing to do then.
                let _ = job.reply.send(image);
                job.ctx.request_repaint();
            }
        })
        .ok()?;
    Some(jobs)
}

impl MapCanvas {
    /// Takes a finished image from the worker, if there is one.
    pub fn poll(&mut self, ctx: &egui::Context) {
        let Some((frame, receiver, started)) = &self.in_flight else {
            return;
        };
        match receiver.try_recv() {
            Ok(image) => {
                let (frame, took) = (*frame, started.elapsed());
                self.in_flight = None;
                self.last_arrival = Some((Instant::now(), took));
                self.show(ctx, frame, image);
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.in_flight = None,
        }
    }

    /// Whether the image shows exactly `frame`.
    pub fn is_current(&self, frame: &CanvasFrame) -> bool {
        self.shown.as_ref() == Some(frame)
    }

    /// Whether an image of the same content (only the view differs) can stand in while the next is drawn.
    pub fn can_stand_in_for(&self, frame: &CanvasFrame) -> bool {
        self.texture.is_some() && self.shown.is_some_and(|s| s.content == frame.content)
    }

    /// Whether the worker may start another image: it is idle, and has rested twice as long as its last image took.
    /// While the planner pans, the worker would otherwise draw without pause on one of the two cores the renderer
    /// needs (whole-country panning frames took 28 ms instead of 12; resting only as long, 284 m/pt panning frames
    /// still reached 15–17 ms); the moved image meanwhile stands in.
    pub fn ready_for_more(&self) -> bool {
        self.in_flight.is_none()
            && self
                .last_arrival
                .is_none_or(|(at, took)| at.elapsed() >= took * REST_PER_WORK)
    }

    /// Draws `frame` on the worker thread; `poll` picks it up. The meshes are in screen points of `frame`'s view.
    pub fn draw_later(
        &mut self,
        ctx: &egui::Context,
        frame: CanvasFrame,
        meshes: Vec<Arc<egui::Mesh>>,
        background: Color32,
    ) {
        let (reply, receiver) = std::sync::mpsc::channel();
        if self.worker.is_none() {
            self.worker = start_worker();
        }
        let job = WorkerJob {
            frame,
            meshes,
            background,
            reply,
            ctx: ctx.clone(),
        };
        match self.worker.as_ref().map(|worker| worker.send(job)) {
            Some(Ok(())) => self.in_flight = Some((frame, receiver, Instant::now())),
            // The worker could not start or has gone: draw now rather than never.
            Some(Err(std::sync::mpsc::SendError(job))) => {
                self.worker = None;
                self.draw_now(ctx, job.frame, &job.meshes, job.background);
            }
            None => {}
        }
    }

    /// If the worker is drawing exactly `frame`, waits for it and shows it; whether it did. (A job for another view
    /// is let go: the worker finishes it and its image is dropped.)
    pub fn wait_for(&mut self, ctx: &egui::Context, frame: &CanvasFrame) -> bool {
        let Some((pending, receiver, _)) = self.in_flight.take() else {
            return false;
        };
        if pending != *frame {
            return false;
        }
        match receiver.recv() {
            Ok(image) => {
                self.show(ctx, pending, image);
                true
            }
            Err(_) => false,
        }
    }

    /// Draws `frame` now from `meshes` (screen points of `frame`'s view).
    pub fn draw_now(
        &mut self,
        ctx: &egui::Context,
        frame: CanvasFrame,
        meshes: &[Arc<egui::Mesh>],
        background: Color32,
    ) {
        let image = draw(&frame, meshes, background);
        self.show(ctx, frame, image);
    }

    fn show(&mut self, ctx: &egui::Context, frame: CanvasFrame, image: ColorImage) {
        match &mut self.texture {
            Some(texture) => texture.set(image, TextureOptions::NEAREST),
            None => self.texture = Some(ctx.load_texture("map-canvas", image, TextureOptions::NEAREST)),
        }
        self.shown = Some(frame);
    }

    /// Paints the image where its world rectangle falls in `now`'s view (moved and scaled if it was drawn for another
    /// view), and the background wherever it does not reach, multiplied by `tint` (white: as drawn; translucent white
    /// over the street basemap). Returns whether anything was painted.
    pub fn paint(&self, painter: &egui::Painter, now: &CanvasFrame, background: Color32, tint: Color32) -> bool {
        let (Some(texture), Some(shown)) = (&self.texture, &self.shown) else {
            return false;
        };
        let (origin_px, size_px) = shown.pixel_box();
        let ppp = shown.pixels_per_point;
        let drawn_for = shown.screen_from_world();
        let corner = |px: [f32; 2]| drawn_for.world_from_screen([px[0] / ppp, px[1] / ppp]);
        let (top_left, bottom_right) = (
            corner(origin_px),
            corner([origin_px[0] + size_px[0] as f32, origin_px[1] + size_px[1] as f32]),
        );
        let now_transform = now.screen_from_world();
        let (a, b) = (now_transform.apply(top_left), now_transform.apply(bottom_right));
        let image_rect = Rect::from_min_max(Pos2::new(a[0], a[1]), Pos2::new(b[0], b[1]));
        let map = now.rect;
        if !image_rect.contains_rect(map) {
            for strip in uncovered(map, image_rect) {
                painter.rect_filled(strip, 0.0, background);
            }
        }
        painter.image(
            texture.id(),
            image_rect,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            tint,
        );
        true
    }
}

fn draw(frame: &CanvasFrame, meshes: &[Arc<egui::Mesh>], background: Color32) -> ColorImage {
    let (origin_px, size_px) = frame.pixel_box();
    let refs: Vec<&egui::Mesh> = meshes.iter().map(Arc::as_ref).collect();
    rasterise(&refs, origin_px, frame.pixels_per_point, size_px, background)
}

/// The parts of `outer` that `inner` leaves uncovered: up to four strips.
fn uncovered(outer: Rect, inner: Rect) -> Vec<Rect> {
    let inner = inner.intersect(outer);
    if !inner.is_positive() {
        return vec![outer];
    }
    let strips = [
        Rect::from_min_max(outer.min, Pos2::new(outer.max.x, inner.min.y)),
        Rect::from_min_max(Pos2::new(outer.min.x, inner.max.y), outer.max),
        Rect::from_min_max(Pos2::new(outer.min.x, inner.min.y), Pos2::new(inner.min.x, inner.max.y)),
        Rect::from_min_max(Pos2::new(inner.max.x, inner.min.y), Pos2::new(outer.max.x, inner.max.y)),
    ];
    strips.into_iter().filter(|r| r.is_positive()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncovered_strips_and_the_image_tile_the_map() {
        let map = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(100.0, 80.0));
        let image = Rect::from_min_max(Pos2::new(10.0, -5.0), Pos2::new(120.0, 70.0));
        let strips = uncovered(map, image);
        let area: f32 = strips.iter().map(|r| r.area()).sum::<f32>() + image.intersect(map).area();
        assert_eq!(area, map.area());
        assert!(uncovered(map, map.expand(1.0)).is_empty());
    }
}
