//! The optional street basemap under the choropleth: OpenStreetMap raster tiles (see [`crate::io::TileSource`]),
//! fetched on one worker thread and drawn as textured quads between their corners projected to BNG (the map's
//! space), with "© OpenStreetMap contributors" on the map while they show.
//!
//! Off by default, and nothing is fetched — no thread, no socket — until the planner switches it on (View, Street
//! basemap): [`Basemap::paint`] returns at once when it is off. Tiles come from the disk cache when they can.

use super::paint::{pos, text_with_halo};
use crate::io::{OSM_ATTRIBUTION, TileId, TileImage, TileSource, tiles_covering};
use crate::render::{MapView, ScreenRect};
use egui::{Color32, ColorImage, FontId, Rect, TextureHandle, TextureOptions};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Textures kept: about 25 MB of tiles; beyond it, tiles not in view are dropped.
const MAX_TEXTURES: usize = 100;

/// The fills' opacity over the basemap (0–255): the streets show through, the classes still read.
pub const FILL_ALPHA_OVER_BASEMAP: u8 = 175;

/// What became of a tile asked for.
enum TileSlot {
    /// Asked for; the worker has not answered.
    Pending,
    /// Drawn from this texture.
    Ready(TextureHandle),
    /// Could not be had (the message is kept once, in `last_error`).
    Failed,
}

/// The worker fetching tiles, started the first time the basemap is drawn.
struct Worker {
    requests: Sender<TileId>,
    results: Receiver<(TileId, Result<TileImage, String>)>,
}

/// The basemap's state between frames.
#[derive(Default)]
pub struct Basemap {
    /// The tile server, when one was set before the basemap was first switched on (tests; else from the settings
    /// and the environment).
    source: Option<TileSource>,
    worker: Option<Worker>,
    tiles: HashMap<TileId, TileSlot>,
    /// Tiles downloaded (not from the cache) since the start.
    downloaded: Arc<AtomicUsize>,
    /// The last tile that failed, as a sentence.
    last_error: Option<String>,
}

impl Basemap {
    /// Uses this tile server (and cache) when the basemap is switched on.
    pub fn set_source(&mut self, source: TileSource) {
        self.source = Some(source);
        self.worker = None;
        self.tiles.clear();
    }

    /// Whether the worker has been started (never while the basemap has stayed off).
    pub fn started(&self) -> bool {
        self.worker.is_some()
    }

    /// Tiles downloaded rather than read from the cache.
    pub fn downloaded(&self) -> usize {
        self.downloaded.load(Ordering::Relaxed)
    }

    /// Tiles ready to draw.
    pub fn ready(&self) -> usize {
        self.tiles.values().filter(|t| matches!(t, TileSlot::Ready(_))).count()
    }

    /// Tiles asked for and not yet answered.
    pub fn pending(&self) -> usize {
        self.tiles.values().filter(|t| matches!(t, TileSlot::Pending)).count()
    }

    /// Why the last tile failed, if one did.
    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// Draws the tiles covering `rect` for `view` when `on` (asking the worker for those missing), then the
    /// attribution. Returns whether any tile was drawn.
    pub fn paint(
        &mut self,
        ctx: &egui::Context,
        painter: &egui::Painter,
        view: MapView,
        rect: Rect,
        on: bool,
        url_setting: Option<&str>,
    ) -> bool {
        if !on {
            return false;
        }
        self.receive(ctx);
        let screen = ScreenRect {
            min: [rect.min.x, rect.min.y],
            max: [rect.max.x, rect.max.y],
        };
        let metres_per_pixel = view.metres_per_point / f64::from(ctx.pixels_per_point());
        let wanted = tiles_covering(view.visible_world(screen), metres_per_pixel);
        if wanted.is_empty() {
            return false;
        }
        let worker = self.worker.get_or_insert_with(|| {
            let source = self.source.clone().unwrap_or_else(|| TileSource::for_url(url_setting));
            start_worker(source, ctx.clone(), self.downloaded.clone())
        });
        for tile in &wanted {
            if !self.tiles.contains_key(tile) && worker.requests.send(*tile).is_ok() {
                self.tiles.insert(*tile, TileSlot::Pending);
            }
        }
        if self.tiles.len() > MAX_TEXTURES {
            self.tiles.retain(|id, _| wanted.contains(id));
        }
        let transform = view.screen_from_world(screen);
        let mut drawn = false;
        for tile in &wanted {
            let (Some(TileSlot::Ready(texture)), Some(corners)) = (self.tiles.get(tile), tile.corners_in_world())
            else {
                continue;
            };
            let mut mesh = egui::Mesh::with_texture(texture.id());
            for (corner, uv) in corners.iter().zip([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]) {
                mesh.vertices.push(egui::epaint::Vertex {
                    pos: pos(transform.apply(*corner)),
                    uv: egui::pos2(uv[0], uv[1]),
                    color: Color32::WHITE,
                });
            }
            mesh.indices.extend([0, 1, 2, 0, 2, 3]);
            painter.add(egui::Shape::mesh(mesh));
            drawn = true;
        }
        drawn
    }

    /// The attribution, bottom right of the map, whenever the basemap is on.
    pub fn paint_attribution(painter: &egui::Painter, rect: Rect) {
        let at = egui::pos2(rect.max.x - 6.0, rect.max.y - 8.0);
        let galley = painter.layout_no_wrap(
            OSM_ATTRIBUTION.into(),
            FontId::proportional(12.0),
            Color32::from_gray(20),
        );
        let size = galley.size();
        let backing = Rect::from_min_max(
            egui::pos2(at.x - size.x - 6.0, at.y - size.y - 2.0),
            egui::pos2(at.x + 2.0, at.y + 2.0),
        );
        painter.rect_filled(backing, 2.0, Color32::from_white_alpha(220));
        text_with_halo(
            painter,
            egui::pos2(at.x - size.x / 2.0 - 2.0, at.y - size.y / 2.0),
            OSM_ATTRIBUTION,
            FontId::proportional(12.0),
            Color32::from_gray(20),
        );
    }

    /// Takes the tiles the worker finished into textures.
    fn receive(&mut self, ctx: &egui::Context) {
        let Some(worker) = &self.worker else { return };
        while let Ok((tile, result)) = worker.results.try_recv() {
            let slot = match result {
                Ok(image) => {
                    let pixels = ColorImage::from_rgba_unmultiplied(image.size_px, &image.rgba);
                    let name = format!("basemap-{}-{}-{}", tile.z, tile.x, tile.y);
                    TileSlot::Ready(ctx.load_texture(name, pixels, TextureOptions::LINEAR))
                }
                Err(message) => {
                    self.last_error = Some(message);
                    TileSlot::Failed
                }
            };
            self.tiles.insert(tile, slot);
        }
    }
}

/// One thread, one request at a time (OpenStreetMap's usage policy asks for few connections); each result repaints.
fn start_worker(source: TileSource, ctx: egui::Context, downloaded: Arc<AtomicUsize>) -> Worker {
    let (requests, inbox) = channel::<TileId>();
    let (outbox, results) = channel();
    std::thread::Builder::new()
        .name("basemap-tiles".into())
        .spawn(move || {
            while let Ok(tile) = inbox.recv() {
                let result = source.tile(tile).map(|(image, fetched)| {
                    if fetched {
                        downloaded.fetch_add(1, Ordering::Relaxed);
                    }
                    image
                });
                if outbox.send((tile, result.map_err(|e| e.to_string()))).is_err() {
                    break;
                }
                ctx.request_repaint();
            }
        })
        .ok();
    Worker { requests, results }
}
