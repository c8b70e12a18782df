//! What the map widget keeps between frames besides its view: the map image and its worker, the per-zoom outline
//! meshes, and the national meshes moved rather than rebuilt while panning. One owner, beside [`MapMemory`]
//! (the view), so the view stays plain data; the meshes for a redraw are built here.
//!
//! [`MapMemory`]: super::MapMemory

use super::basemap::{Basemap, FILL_ALPHA_OVER_BASEMAP};
use super::map_canvas::{CanvasFrame, MapCanvas};
use super::national_meshes::{NationalCache, national_meshes};
use super::paint::{MARKER_RADIUS, pos, screen_rect_of, transition_marker};
use super::scene::MapScene;
use super::settings::Settings;
use crate::render::{
    GroupLayer, MapOutlines, MapView, OutlineSource, PlacedMarker, ScreenFromWorld, push_area_fills,
    transition_marker_positions, zoom_level,
};
use crate::style::{ColourVision, NO_DATA};
use egui::{Color32, Rect};
use std::sync::Arc;

/// The map widget's caches (see the module documentation).
#[derive(Default)]
pub struct MapCache {
    /// Boundary meshes for the zoom level last drawn.
    outlines: Option<OutlineCache>,
    /// National scenes: the meshes kept while panning, and last frame's buffer sizes.
    national: NationalCache,
    /// The image of the fills and lines.
    pub(super) canvas: MapCanvas,
    /// The view last frame, and when (egui input time) it last changed.
    pub(super) last_view: Option<MapView>,
    /// When the view last changed.
    pub(super) view_changed_at: f64,
    /// The street basemap under the fills (`basemap.rs`), when switched on.
    pub basemap: Basemap,
    /// The ward names placed for the last view (placing them costs more than drawing them: an idle frame reuses them).
    pub(super) labels: Option<PlacedLabels>,
}

/// Ward names placed for one view of one scene, and what they were placed for.
pub(super) struct PlacedLabels {
    /// The scene generation, map rectangle, pixels per point, open ward and whether markers were kept clear of.
    pub(super) key: (u64, Rect, f32, Option<crate::model::AreaCode>, bool),
    /// The view they were placed for.
    pub(super) view: MapView,
    /// Where each name went, for that view.
    pub(super) placed: Vec<crate::render::PlacedLabel>,
    /// The world point each name's centre was placed at (where it stands in while the view moves).
    pub(super) anchors: Vec<geo::Coord<f64>>,
}

/// Seconds the view must stay still before the map image is drawn for it at once (until then it is drawn on a
/// worker while the last one stands in).
const SETTLE_SECONDS: f64 = 0.2;

/// How the map image is redrawn this frame.
enum Redraw {
    Now,
    OnWorker,
}

/// The map's background (land outside the data, sea).
pub(super) const MAP_BACKGROUND: Color32 = Color32::from_rgb(0xf4, 0xf1, 0xea);

impl MapCache {
    /// Whether the view changed less than `SETTLE_SECONDS` before `now` (egui input time): while it moves, the last
    /// map image and ward-name placement stand in, moved with the view.
    pub(super) fn moving(&self, now: f64) -> bool {
        now - self.view_changed_at < SETTLE_SECONDS
    }

    /// Paints the image of the fills, lines and markers (and the area groups layer, when shown) for `view` into
    /// `rect` (showing `visible` of the world), redrawing it first when needed.
    pub fn paint_image(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        scene: &MapScene,
        settings: &Settings,
        groups: Option<&GroupLayer>,
        (view, rect, visible): (MapView, Rect, geo::Rect<f64>),
    ) {
        let transform = view.screen_from_world(screen_rect_of(rect));
        // Fills and boundary lines: an image of them, redrawn when the view or what is drawn changes (see
        // `map_canvas`). While the view is moving, the last image stands in, moved to the current view, and the next
        // is drawn on a worker; once it has been still for `SETTLE_SECONDS`, the image is drawn for it at once.
        let ctx = ui.ctx().clone();
        let frame = CanvasFrame {
            content: content_key(scene, settings, groups),
            view,
            rect,
            pixels_per_point: ctx.pixels_per_point(),
        };
        let now = ui.input(|i| i.time);
        if self.last_view != Some(view) {
            self.last_view = Some(view);
            self.view_changed_at = now;
        }
        let moving = self.moving(now);
        // The street basemap, when on, under fills drawn translucent on a clear background.
        let basemap_on = settings.show_basemap;
        self.basemap
            .paint(&ctx, painter, view, rect, basemap_on, settings.basemap_url.as_deref());
        let (background, tint) = if basemap_on {
            (Color32::TRANSPARENT, Color32::from_white_alpha(FILL_ALPHA_OVER_BASEMAP))
        } else {
            (MAP_BACKGROUND, Color32::WHITE)
        };
        let mut canvas = std::mem::take(&mut self.canvas);
        canvas.poll(&ctx);
        // Not at all (current; or the worker busy or resting while the last image stands in), now, or on the worker.
        let redraw = if canvas.is_current(&frame) {
            None
        } else if moving && canvas.can_stand_in_for(&frame) {
            // Until the view settles and the image is exact.
            ctx.request_repaint();
            canvas.ready_for_more().then_some(Redraw::OnWorker)
        } else if canvas.wait_for(&ctx, &frame) {
            None
        } else {
            Some(Redraw::Now)
        };
        if let Some(redraw) = redraw {
            let ppp = frame.pixels_per_point;
            let mut meshes = map_meshes(self, scene, view, &transform, visible, settings, rect, ppp);
            if let Some(groups) = groups {
                // The groups' fills over the comparison's (the first mesh), under the LSOA, ward and 1% lines; their
                // outlines over those lines, under the 1% markers (the last mesh when shown).
                let vision = settings.colour_vision;
                let [fill, lines] = super::group_layer::group_meshes(scene, groups, &transform, visible, vision);
                meshes.insert(1, Arc::new(fill));
                let at = meshes.len() - usize::from(settings.show_transitions);
                meshes.insert(at, Arc::new(lines));
            }
            match redraw {
                Redraw::Now => canvas.draw_now(&ctx, frame, &meshes, background),
                Redraw::OnWorker => canvas.draw_later(&ctx, frame, meshes, background),
            }
        }
        if !canvas.paint(painter, &frame, background, tint) && !basemap_on {
            painter.rect_filled(rect, 0.0, MAP_BACKGROUND);
        }
        self.canvas = canvas;
        if basemap_on {
            Basemap::paint_attribution(painter, rect);
        }
    }
}

/// Boundary meshes for one zoom level and one scene (built in `render`).
struct OutlineCache {
    generation: u64,
    outlines: MapOutlines,
}

/// Everything but the view that the map's fill and line meshes depend on, as one key: the scene (its areas,
/// colours and boundaries), what is switched on, and how far the level-of-detail bands have been built.
fn content_key(scene: &MapScene, settings: &Settings, groups: Option<&GroupLayer>) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    scene.generation.hash(&mut hasher);
    (settings.colour_vision as u8).hash(&mut hasher);
    settings.show_lsoa_lines.hash(&mut hasher);
    settings.show_transitions.hash(&mut hasher);
    // Over the basemap the image is drawn on a clear background.
    settings.show_basemap.hash(&mut hasher);
    if let Some(lod) = scene.lod() {
        lod.topology().is_some().hash(&mut hasher);
        lod.kept_bands().count().hash(&mut hasher);
    }
    scene.la_borders().is_some().hash(&mut hasher);
    groups.map(|g| g.identity).hash(&mut hasher);
    hasher.finish()
}

/// The map's fills and boundary lines for the view `transform`, in screen points, in drawing order.
#[allow(clippy::too_many_arguments)]
pub(super) fn map_meshes(
    cache: &mut MapCache,
    scene: &MapScene,
    view: MapView,
    transform: &ScreenFromWorld,
    visible: geo::Rect<f64>,
    settings: &Settings,
    rect: Rect,
    pixels_per_point: f32,
) -> Vec<Arc<egui::Mesh>> {
    let vision = settings.colour_vision;
    let mut meshes = Vec::with_capacity(3);
    if scene.national {
        let (fill, lines) = national_meshes(
            scene,
            &mut cache.national,
            view,
            transform,
            rect.size(),
            visible,
            vision,
            settings.show_lsoa_lines,
        );
        meshes.extend([fill, lines]);
    } else {
        // Fills: only areas whose box meets the view; colours come from the styled map.
        let mut fill = egui::Mesh::default();
        push_area_fills(
            &mut fill,
            scene.layer(),
            scene.meshes(),
            &scene.areas,
            visible,
            transform,
            |area| vision.simulate(scene.styled.fill_of.get(&area.code).copied().unwrap_or(NO_DATA)),
        );
        meshes.push(Arc::new(fill));
    }

    // Boundaries from the per-zoom cache.
    let level = zoom_level(view.metres_per_point);
    let stale = cache.outlines.as_ref().is_none_or(|c| {
        c.generation != scene.generation
            || c.outlines.level != level
            || c.outlines.show_transitions != settings.show_transitions
    });
    if stale {
        cache.outlines = Some(OutlineCache {
            generation: scene.generation,
            outlines: MapOutlines::build(&outline_source(scene), level, settings.show_transitions),
        });
    }
    if let Some(cached) = &cache.outlines {
        let mut lines = egui::Mesh::default();
        cached
            .outlines
            .push(&mut lines, transform, settings.show_lsoa_lines, |c| vision.simulate(c));
        meshes.push(Arc::new(lines));
    }
    if settings.show_transitions {
        meshes.push(Arc::new(transition_marker_mesh(
            scene,
            transform,
            vision,
            rect,
            pixels_per_point,
        )));
    }
    meshes
}

/// What `render` builds the scene's outlines from.
fn outline_source(scene: &MapScene) -> OutlineSource<'_> {
    OutlineSource {
        layer: scene.layer(),
        ward_layer: scene.ward_layer(),
        areas: &scene.areas,
        wards: &scene.wards,
        comparison: &scene.comparison,
        origin_in_world: scene.meshes().mesh.origin_in_world,
        national: scene.national,
    }
}

/// The transition markers of the LSOAs whose interior point is on the map, tessellated (feathered edges and all) for
/// the map image: nationally there are several hundred, and drawn by the renderer they cost llvmpipe about 8 ms a frame.
fn transition_marker_mesh(
    scene: &MapScene,
    transform: &ScreenFromWorld,
    vision: ColourVision,
    rect: Rect,
    pixels_per_point: f32,
) -> egui::Mesh {
    let options = egui::epaint::TessellationOptions::default();
    // No prepared discs: they would be textured from the font atlas, which the map image does not sample.
    let mut tessellator = egui::epaint::Tessellator::new(pixels_per_point, options, [1, 1], Vec::new());
    let mut mesh = egui::Mesh::default();
    for marker in marker_positions(scene, transform, rect) {
        let Some(area) = scene.areas.get(marker.area) else {
            continue;
        };
        if let Some(shape) = transition_marker(pos(marker.centre), scene.row(area).transition, vision) {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
    }
    mesh
}

/// Where the transition markers go in `rect`, moved apart where they would overlap (the exports' rule).
pub(super) fn marker_positions(scene: &MapScene, transform: &ScreenFromWorld, rect: Rect) -> Vec<PlacedMarker> {
    transition_marker_positions(
        &scene.areas,
        &scene.comparison,
        scene.layer(),
        transform,
        screen_rect_of(rect),
        MARKER_RADIUS,
        scene.national,
    )
}
