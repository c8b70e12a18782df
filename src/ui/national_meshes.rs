//! All England's fill and line meshes for the map image: culled to the view and simplified per zoom band, or, zoomed
//! out, built once for the whole layer and moved while the planner pans.

use super::paint::pos;
use super::scene::MapScene;
use crate::render::{
    LSOA_LINE_WIDTH, MapView, ScreenFromWorld, areas_in_view, push_national_fills, push_screen_polyline,
};
use crate::style::{ColourVision, LSOA_LINE, WARD_LINE};
use egui::{Pos2, Vec2};
use geo::Intersects as _;
use std::sync::Arc;

/// What the national meshes keep between frames.
#[derive(Default)]
pub struct NationalCache {
    /// Last frame's fill and line vertex and index counts, reserved up front next frame (growing megabyte buffers by
    /// doubling every frame costs more than filling them).
    sizes: [usize; 4],
    /// Zoomed out: the meshes last built, moved rather than rebuilt while only the offset changes.
    meshes: Option<NationalMeshes>,
}

/// The whole layer's fill and line meshes in screen points, as built for `key` and moved since to `anchor`.
struct NationalMeshes {
    key: NationalKey,
    /// Where the world point `ANCHOR_IN_WORLD` was on screen when the meshes were last built or moved.
    anchor: Pos2,
    /// Moves since the build: each adds an f32 rounding, so the meshes are rebuilt now and then.
    moves: u32,
    fill: std::sync::Arc<egui::Mesh>,
    lines: std::sync::Arc<egui::Mesh>,
}

/// Everything but the offset that the national meshes depend on.
#[derive(Clone, Copy, PartialEq)]
struct NationalKey {
    generation: u64,
    band_tolerance_bits: Option<u64>,
    topology_built: bool,
    la_borders_built: bool,
    metres_per_point_bits: u64,
    vision: ColourVision,
    show_lsoa_lines: bool,
}

/// Any fixed world point: the shift of its screen position is the shift of every vertex while the scale is unchanged.
const ANCHOR_IN_WORLD: geo::Coord<f64> = geo::Coord {
    x: 400_000.0,
    y: 400_000.0,
};

/// Moved meshes are rebuilt after this many moves (a drift of well under a hundredth of a point).
const NATIONAL_MOVES_BEFORE_REBUILD: u32 = 240;

/// LA borders' width in points.
const LA_LINE_WIDTH: f32 = 1.2;

/// Nationally, LSOA boundaries are drawn from this zoom in (metres per point): farther out they would be a grey wash.
const NATIONAL_LSOA_LINES_FROM: f64 = 25.0;

/// All England: the areas in view (R-tree culling) from the level-of-detail band for this zoom, areas smaller than a
/// point drawn as a point-sized square, then LSOA borders (zoomed in) and LA borders from the simplified shared arcs.
///
/// Zoomed out far enough that the whole country is within a few screens, nothing is culled and the meshes are kept:
/// panning then moves last frame's vertices instead of re-projecting 34,753 areas and every LA border.
#[allow(clippy::too_many_arguments)]
pub fn national_meshes(
    scene: &MapScene,
    cache: &mut NationalCache,
    view: MapView,
    transform: &ScreenFromWorld,
    map_size: Vec2,
    visible: geo::Rect<f64>,
    vision: ColourVision,
    show_lsoa_lines: bool,
) -> (Arc<egui::Mesh>, Arc<egui::Mesh>) {
    let metres_per_point = view.metres_per_point;
    let lod = scene.lod();
    let band = lod.and_then(|l| l.best_band(metres_per_point));
    // A national scene's box is the whole layer's.
    let (layer_bbox, clip) = (scene.bbox_in_world, map_size);
    let whole_layer = layer_bbox.width() / metres_per_point <= 2.0 * f64::from(clip.x)
        && layer_bbox.height() / metres_per_point <= 2.0 * f64::from(clip.y);
    if !whole_layer {
        cache.meshes = None;
        let (fill, lines) = build_national(scene, cache, view, transform, Some(visible), vision, show_lsoa_lines);
        return (Arc::new(fill), Arc::new(lines));
    }
    let key = NationalKey {
        generation: scene.generation,
        band_tolerance_bits: band.map(|b| b.tolerance.to_bits()),
        topology_built: lod.and_then(|l| l.topology()).is_some(),
        la_borders_built: scene.la_borders().is_some(),
        metres_per_point_bits: metres_per_point.to_bits(),
        vision,
        show_lsoa_lines,
    };
    let anchor = pos(transform.apply(ANCHOR_IN_WORLD));
    let reusable = cache
        .meshes
        .as_ref()
        .is_some_and(|m| m.key == key && m.moves < NATIONAL_MOVES_BEFORE_REBUILD);
    if reusable && let Some(kept) = cache.meshes.as_mut() {
        let delta = anchor - kept.anchor;
        if delta != Vec2::ZERO {
            // In place when egui has let go of last frame's shapes (it has, once the frame is tessellated).
            Arc::make_mut(&mut kept.fill).translate(delta);
            Arc::make_mut(&mut kept.lines).translate(delta);
            kept.anchor = anchor;
            kept.moves += 1;
        }
    } else {
        // Let go of the old meshes first: building beside them would hold both (about 20 MB nationally).
        cache.meshes = None;
        let (fill, lines) = build_national(scene, cache, view, transform, None, vision, show_lsoa_lines);
        cache.meshes = Some(NationalMeshes {
            key,
            anchor,
            moves: 0,
            fill: Arc::new(fill),
            lines: Arc::new(lines),
        });
    }
    match &cache.meshes {
        Some(kept) => (kept.fill.clone(), kept.lines.clone()),
        None => Default::default(),
    }
}

/// The national fill and line meshes in screen points: the areas meeting `visible` (all of them when `None`).
fn build_national(
    scene: &MapScene,
    cache: &mut NationalCache,
    view: MapView,
    transform: &ScreenFromWorld,
    visible: Option<geo::Rect<f64>>,
    vision: ColourVision,
    show_lsoa_lines: bool,
) -> (egui::Mesh, egui::Mesh) {
    let metres_per_point = view.metres_per_point;
    let sizes = &mut cache.sizes;
    let layer = scene.layer();
    let lod = scene.lod();
    let band = lod.and_then(|l| l.best_band(metres_per_point));
    // Until the bands are built the full-detail triangles stand in.
    let meshes = band.map_or(scene.meshes(), |b| &b.meshes);
    let in_view: Vec<usize> = match visible {
        Some(visible) => areas_in_view(layer, visible),
        None => (0..layer.areas.len()).collect(),
    };
    let meets_view = |bbox: &geo::Rect<f64>| visible.is_none_or(|v| bbox.intersects(&v));
    let mut fill = egui::Mesh::default();
    fill.vertices.reserve(sizes[0]);
    fill.indices.reserve(sizes[1]);
    push_national_fills(
        &mut fill,
        layer,
        meshes,
        in_view.into_iter(),
        &scene.fill_by_layer_index,
        metres_per_point,
        transform,
        |c| vision.simulate(c),
    );
    (sizes[0], sizes[1]) = (fill.vertices.len(), fill.indices.len());

    let mut lines = egui::Mesh::default();
    let Some(topology) = lod.and_then(|l| l.topology()) else {
        return (fill, lines);
    };
    let coords_of = |id: usize| -> Option<&[geo::Coord<f64>]> {
        match band {
            Some(b) => b.arcs.get(id).map(Vec::as_slice),
            None => topology.arcs.get(id).map(|a| a.coords.as_slice()),
        }
    };
    lines.vertices.reserve(sizes[2]);
    lines.indices.reserve(sizes[3]);
    if show_lsoa_lines && metres_per_point <= NATIONAL_LSOA_LINES_FROM {
        let colour = vision.simulate(LSOA_LINE);
        for (id, arc) in topology.arcs.iter().enumerate() {
            if meets_view(&arc.bbox_in_world)
                && let Some(coords) = coords_of(id)
            {
                push_screen_polyline(&mut lines, coords, transform, LSOA_LINE_WIDTH as f32, colour);
            }
        }
    }
    if let Some(ids) = scene.la_borders() {
        let colour = vision.simulate(WARD_LINE);
        for id in ids {
            let (Some(arc), Some(coords)) = (topology.arcs.get(*id as usize), coords_of(*id as usize)) else {
                continue;
            };
            if meets_view(&arc.bbox_in_world) {
                push_screen_polyline(&mut lines, coords, transform, LA_LINE_WIDTH, colour);
            }
        }
    }
    (sizes[2], sizes[3]) = (lines.vertices.len(), lines.indices.len());
    (fill, lines)
}
