//! The map widget: fills, boundaries, the 1% highlight, ward labels, hover and click, pan and zoom.
//! State lives in `MapMemory` (plain data); the widget is built each frame and borrows what it draws.

use super::map_canvas::{CanvasFrame, MapCanvas};
use super::scene::MapScene;
use super::settings::{MapTool, Settings};
use crate::analysis::Transition;
use crate::render::{
    LineStyle, MapView, ScreenFromWorld, ScreenRect, WorldMesh, areas_in_view, metres_per_point_of_level, outline_mesh,
    round_scale_length, zoom_level,
};
use crate::style::{ColourVision, HIGHLIGHT, LSOA_LINE, Rgba, TOP1_ORANGE, WARD_LINE};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2, epaint::Vertex};
use geo::Intersects as _;
use std::collections::HashSet;
use std::sync::Arc;

/// What the map remembers between frames.
#[derive(Default)]
pub struct MapMemory {
    /// Centre and zoom.
    pub view: MapView,
    /// The scene generation the view was last fitted to (a new LA is fitted once).
    pub fitted_generation: Option<u64>,
    /// Set to refit on the next frame (key 0, "Fit to LA").
    pub fit_requested: bool,
    /// The box or lasso being drawn, in screen points.
    drawing: Vec<Pos2>,
    outlines: Option<OutlineCache>,
    /// National scenes: the arcs that are LA boundaries, for the data (by address) they were found in.
    la_arcs: Option<(usize, Vec<u32>)>,
    /// National scenes: last frame's fill and line vertex and index counts, reserved up front next frame (growing
    /// megabyte buffers by doubling every frame costs more than filling them).
    national_sizes: [usize; 4],
    /// National scenes zoomed out: the meshes last built, moved rather than rebuilt while only the offset changes.
    national_meshes: Option<NationalMeshes>,
    /// The image of the fills and lines.
    canvas: MapCanvas,
    /// The view last frame, and when (egui input time) it last changed.
    last_view: Option<MapView>,
    view_changed_at: f64,
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
const MAP_BACKGROUND: Color32 = Color32::from_rgb(0xf4, 0xf1, 0xea);

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

/// Boundary meshes for one zoom level and one scene.
struct OutlineCache {
    generation: u64,
    level: i32,
    show_transitions: bool,
    lsoa: WorldMesh,
    wards: WorldMesh,
    top1_solid: WorldMesh,
    top1_dashed: WorldMesh,
}

/// Line widths in points.
const LSOA_LINE_WIDTH: f64 = 0.6;
const WARD_LINE_WIDTH: f64 = 2.2;
const TOP1_LINE_WIDTH: f64 = 3.0;
const LA_LINE_WIDTH: f32 = 1.2;
/// Nationally, LSOA boundaries are drawn from this zoom in (metres per point): farther out they would be a grey wash.
const NATIONAL_LSOA_LINES_FROM: f64 = 25.0;

/// What happened on the map this frame.
pub struct MapResponse {
    /// The egui response for the map area.
    pub response: egui::Response,
    /// Scene index of the LSOA under the pointer.
    pub hovered: Option<usize>,
    /// A boundary under the pointer that has no IMD row for these editions (e.g. a Welsh LSOA nationally): layer index.
    pub hovered_without_data: Option<usize>,
    /// Scene index of the LSOA clicked, with whether shift/ctrl was held.
    pub clicked: Option<(usize, bool)>,
    /// A box or lasso finished this frame, in world space, with whether shift/ctrl was held (add to the selection).
    pub drawn: Option<(geo::Polygon<f64>, bool)>,
}

/// The choropleth map widget.
pub struct ChoroplethMap<'a> {
    /// What to draw.
    pub scene: &'a MapScene,
    /// View and caches.
    pub memory: &'a mut MapMemory,
    /// Display choices.
    pub settings: &'a Settings,
    /// LSOAs pointed at elsewhere (scene indices): search results, histogram bars, table rows.
    pub highlighted: &'a HashSet<usize>,
    /// The selection (scene indices), marked without hiding the fill.
    pub selection: &'a HashSet<usize>,
    /// The selected LSOA (scene index).
    pub selected: Option<usize>,
}

/// Converts a style colour through the colour-vision preview.
pub fn to_color32(colour: Rgba, vision: ColourVision) -> Color32 {
    let [r, g, b, a] = vision.simulate(colour).0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

pub(super) fn screen_rect_of(rect: Rect) -> ScreenRect {
    ScreenRect {
        min: [rect.min.x, rect.min.y],
        max: [rect.max.x, rect.max.y],
    }
}

fn pos(p: [f32; 2]) -> Pos2 {
    Pos2::new(p[0], p[1])
}

/// Appends a world mesh (or part of it) to an egui mesh, projecting each vertex.
fn push_world_mesh(
    out: &mut egui::Mesh,
    mesh: &WorldMesh,
    transform: &ScreenFromWorld,
    colour: Color32,
    vertices: std::ops::Range<u32>,
    indices: std::ops::Range<u32>,
) {
    let (offset, scale) = transform.for_origin(mesh.origin_in_world);
    let base = out.vertices.len() as u32;
    let Some(source) = mesh.vertices.get(vertices.start as usize..vertices.end as usize) else {
        return;
    };
    out.vertices.extend(source.iter().map(|v| Vertex {
        pos: Pos2::new(offset[0] + v[0] * scale, offset[1] - v[1] * scale),
        uv: egui::epaint::WHITE_UV,
        color: colour,
    }));
    if let Some(source) = mesh.indices.get(indices.start as usize..indices.end as usize) {
        out.indices.extend(source.iter().map(|i| i - vertices.start + base));
    }
}

fn whole_mesh(out: &mut egui::Mesh, mesh: &WorldMesh, transform: &ScreenFromWorld, colour: Color32) {
    push_world_mesh(
        out,
        mesh,
        transform,
        colour,
        0..mesh.vertices.len() as u32,
        0..mesh.indices.len() as u32,
    );
}

impl ChoroplethMap<'_> {
    /// Draws the map into all the space left and handles its input.
    pub fn show(self, ui: &mut egui::Ui) -> MapResponse {
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let screen = screen_rect_of(rect);
        let scene = self.scene;
        let memory = self.memory;
        if memory.fit_requested || memory.fitted_generation != Some(scene.generation) {
            memory.view = MapView::fit(scene.bbox_in_world, screen);
            memory.fitted_generation = Some(scene.generation);
            memory.fit_requested = false;
        }
        let tool = self.settings.tool;
        let drawing_tool = tool != MapTool::Pan;
        handle_input(ui, &response, rect, screen, &mut memory.view, drawing_tool);
        let drawn = track_drawing(ui, &response, tool, &mut memory.drawing);

        let transform = memory.view.screen_from_world(screen);
        let visible = memory.view.visible_world(screen);
        let painter = ui.painter_at(rect);

        // Fills and boundary lines: an image of them, redrawn when the view or what is drawn changes (see
        // `map_canvas`). While the view is moving, the last image stands in, moved to the current view, and the next
        // is drawn on a worker; once it has been still for `SETTLE_SECONDS`, the image is drawn for it at once.
        let ctx = ui.ctx().clone();
        let frame = CanvasFrame {
            content: content_key(scene, self.settings),
            view: memory.view,
            rect,
            pixels_per_point: ctx.pixels_per_point(),
        };
        let now = ui.input(|i| i.time);
        if memory.last_view != Some(memory.view) {
            memory.last_view = Some(memory.view);
            memory.view_changed_at = now;
        }
        let moving = now - memory.view_changed_at < SETTLE_SECONDS;
        let mut canvas = std::mem::take(&mut memory.canvas);
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
            let meshes = map_meshes(scene, memory, &transform, visible, self.settings, rect, ppp);
            match redraw {
                Redraw::Now => canvas.draw_now(&ctx, frame, &meshes, MAP_BACKGROUND),
                Redraw::OnWorker => canvas.draw_later(&ctx, frame, meshes, MAP_BACKGROUND),
            }
        }
        if !canvas.paint(&painter, &frame, MAP_BACKGROUND) {
            painter.rect_filled(rect, 0.0, MAP_BACKGROUND);
        }
        memory.canvas = canvas;

        if self.settings.show_ward_labels {
            paint_ward_labels(&painter, scene, &transform, rect);
        }

        // Selection and highlights, drawn per frame: outlines only, so the fill stays readable.
        let selection_colour = to_color32(HIGHLIGHT, ColourVision::Normal);
        for index in self.selection.iter().copied() {
            outline_area(&painter, scene, index, &transform, Stroke::new(2.5, selection_colour));
        }
        for index in self.highlighted.iter().copied() {
            outline_area(
                &painter,
                scene,
                index,
                &transform,
                Stroke::new(2.0, Color32::from_rgb(0x1a, 0x1a, 0x6e)),
            );
        }
        if let Some(index) = self.selected {
            outline_area(&painter, scene, index, &transform, Stroke::new(4.0, selection_colour));
        }
        paint_drawing(&painter, tool, &memory.drawing);

        let pointer_world = response.hover_pos().map(|p| transform.world_from_screen([p.x, p.y]));
        let hovered = pointer_world.and_then(|w| scene.area_at(w));
        let hovered_without_data = match (hovered, pointer_world) {
            (None, Some(w)) if scene.national => {
                let layer = scene.layer();
                layer
                    .area_at(w)
                    .and_then(|area| layer.areas.binary_search_by(|a| a.code.cmp(&area.code)).ok())
            }
            _ => None,
        };
        if let Some(index) = hovered {
            outline_area(&painter, scene, index, &transform, Stroke::new(2.0, Color32::BLACK));
        }
        paint_scale_bar(&painter, rect, memory.view.metres_per_point);
        paint_north_arrow(&painter, rect);
        let clicked = if response.clicked() {
            let modifiers = ui.input(|i| i.modifiers);
            response
                .interact_pointer_pos()
                .map(|p| transform.world_from_screen([p.x, p.y]))
                .and_then(|w| scene.area_at(w))
                .map(|i| (i, modifiers.shift || modifiers.command))
        } else {
            None
        };
        let drawn = drawn.and_then(|(points, additive)| {
            let ring: Vec<geo::Coord<f64>> = points.iter().map(|p| transform.world_from_screen([p.x, p.y])).collect();
            (ring.len() >= 3).then(|| (geo::Polygon::new(geo::LineString::new(ring), vec![]), additive))
        });
        MapResponse {
            response,
            hovered,
            hovered_without_data,
            clicked,
            drawn,
        }
    }
}

/// Everything but the view that the map's fill and line meshes depend on, as one key: the scene (its areas,
/// colours and boundaries), what is switched on, and how far the level-of-detail bands have been built.
fn content_key(scene: &MapScene, settings: &Settings) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    scene.generation.hash(&mut hasher);
    (settings.colour_vision as u8).hash(&mut hasher);
    settings.show_lsoa_lines.hash(&mut hasher);
    settings.show_transitions.hash(&mut hasher);
    if let Some(lod) = scene.lod() {
        lod.topology().is_some().hash(&mut hasher);
        lod.kept_bands().count().hash(&mut hasher);
    }
    hasher.finish()
}

/// The map's fills and boundary lines for the view `transform`, in screen points, in drawing order.
fn map_meshes(
    scene: &MapScene,
    memory: &mut MapMemory,
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
            memory,
            transform,
            rect.size(),
            visible,
            vision,
            settings.show_lsoa_lines,
        );
        meshes.extend([fill, lines]);
    } else {
        // Fills: only areas whose box meets the view; colours come from the styled map.
        let layer = scene.layer();
        let area_meshes = scene.meshes();
        let mut fill = egui::Mesh::default();
        // Reserve once: growing a half-megabyte vertex buffer by doubling costs more than filling it.
        fill.vertices.reserve(area_meshes.mesh.vertices.len());
        fill.indices.reserve(area_meshes.mesh.indices.len());
        for area in &scene.areas {
            let Some(geometry) = layer.areas.get(area.layer_index) else {
                continue;
            };
            if !geometry.bbox_in_world.intersects(&visible) {
                continue;
            }
            let Some((vertices, indices)) = area_meshes.ranges.get(area.layer_index).cloned() else {
                continue;
            };
            let colour = scene
                .styled
                .fill_of
                .get(&geometry.code)
                .copied()
                .unwrap_or(crate::style::NO_DATA);
            push_world_mesh(
                &mut fill,
                &area_meshes.mesh,
                transform,
                to_color32(colour, vision),
                vertices,
                indices,
            );
        }
        meshes.push(Arc::new(fill));
    }

    // Boundaries from the per-zoom cache.
    let level = zoom_level(memory.view.metres_per_point);
    let stale = memory.outlines.as_ref().is_none_or(|c| {
        c.generation != scene.generation || c.level != level || c.show_transitions != settings.show_transitions
    });
    if stale {
        memory.outlines = Some(build_outlines(scene, level, settings.show_transitions));
    }
    if let Some(outlines) = &memory.outlines {
        let mut lines = egui::Mesh::default();
        let parts = [
            &outlines.lsoa,
            &outlines.wards,
            &outlines.top1_solid,
            &outlines.top1_dashed,
        ];
        lines.vertices.reserve(parts.iter().map(|m| m.vertices.len()).sum());
        lines.indices.reserve(parts.iter().map(|m| m.indices.len()).sum());
        if settings.show_lsoa_lines {
            whole_mesh(&mut lines, &outlines.lsoa, transform, to_color32(LSOA_LINE, vision));
        }
        whole_mesh(&mut lines, &outlines.wards, transform, to_color32(WARD_LINE, vision));
        whole_mesh(
            &mut lines,
            &outlines.top1_solid,
            transform,
            to_color32(TOP1_ORANGE, vision),
        );
        whole_mesh(
            &mut lines,
            &outlines.top1_dashed,
            transform,
            to_color32(TOP1_ORANGE, vision),
        );
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

/// Collects the box corners or lasso points while the primary button drags; returns the finished shape's screen
/// points (with whether shift/ctrl was held) when the drag ends.
fn track_drawing(
    ui: &egui::Ui,
    response: &egui::Response,
    tool: MapTool,
    drawing: &mut Vec<Pos2>,
) -> Option<(Vec<Pos2>, bool)> {
    if tool == MapTool::Pan {
        drawing.clear();
        return None;
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        drawing.clear();
    }
    if response.dragged_by(egui::PointerButton::Primary)
        && let Some(at) = response.interact_pointer_pos()
    {
        match tool {
            MapTool::Box => {
                let start = drawing.first().copied().unwrap_or(at);
                *drawing = vec![start, at];
            }
            _ => {
                if drawing.last().is_none_or(|last| last.distance(at) > 2.0) {
                    drawing.push(at);
                }
            }
        }
    }
    if response.drag_stopped_by(egui::PointerButton::Primary) && !drawing.is_empty() {
        let additive = ui.input(|i| i.modifiers.shift || i.modifiers.command);
        let points = std::mem::take(drawing);
        let ring = match (tool, points.as_slice()) {
            (MapTool::Box, [a, b]) => vec![*a, Pos2::new(b.x, a.y), *b, Pos2::new(a.x, b.y)],
            _ => points,
        };
        return Some((ring, additive));
    }
    None
}

fn paint_drawing(painter: &egui::Painter, tool: MapTool, drawing: &[Pos2]) {
    let stroke = Stroke::new(1.5, Color32::from_rgb(0x1a, 0x1a, 0x6e));
    match (tool, drawing) {
        (MapTool::Box, [a, b]) => {
            let fill = Color32::from_rgba_unmultiplied(0, 229, 255, 40);
            painter.rect(Rect::from_two_pos(*a, *b), 0.0, fill, stroke, egui::StrokeKind::Inside);
        }
        (MapTool::Lasso, points) if points.len() > 1 => {
            painter.add(Shape::line(points.to_vec(), stroke));
        }
        _ => {}
    }
}

/// Pan with drag (middle button always; primary unless drawing a selection) or arrows, zoom with wheel (about the
/// cursor), pinch, + / −.
fn handle_input(
    ui: &egui::Ui,
    response: &egui::Response,
    rect: Rect,
    screen: ScreenRect,
    view: &mut MapView,
    drawing_tool: bool,
) {
    if (!drawing_tool && response.dragged_by(egui::PointerButton::Primary))
        || response.dragged_by(egui::PointerButton::Middle)
    {
        let delta = response.drag_delta();
        view.pan_by_points([delta.x, delta.y]);
    }
    if let Some(hover) = response.hover_pos() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta().y, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll) * 0.002).exp();
        if (factor - 1.0).abs() > 1e-4 {
            view.zoom_about(factor, [hover.x, hover.y], screen);
        }
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let centre = [rect.center().x, rect.center().y];
    ui.input(|i| {
        if i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals) {
            view.zoom_about(1.5, centre, screen);
        }
        if i.key_pressed(egui::Key::Minus) {
            view.zoom_about(1.0 / 1.5, centre, screen);
        }
        let step = 80.0;
        for (key, delta) in [
            (egui::Key::ArrowLeft, [step, 0.0]),
            (egui::Key::ArrowRight, [-step, 0.0]),
            (egui::Key::ArrowUp, [0.0, step]),
            (egui::Key::ArrowDown, [0.0, -step]),
        ] {
            if i.key_pressed(key) {
                view.pan_by_points(delta);
            }
        }
    });
}

fn build_outlines(scene: &MapScene, level: i32, show_transitions: bool) -> OutlineCache {
    let metres_per_point = metres_per_point_of_level(level);
    let layer = scene.layer();
    let origin = scene.meshes().mesh.origin_in_world;
    let geometry_of = |i: usize| layer.areas.get(i).map(|a| &a.geometry_in_world);
    // Nationally LSOA lines come from the simplified arcs in view, each border once (see `paint_national`).
    let lsoa = if scene.national {
        WorldMesh::default()
    } else {
        outline_mesh(
            scene.areas.iter().filter_map(|a| geometry_of(a.layer_index)),
            LSOA_LINE_WIDTH * metres_per_point,
            LineStyle::Solid,
            origin,
        )
    };
    let wards = match scene.ward_layer() {
        Some(ward_layer) => outline_mesh(
            scene
                .wards
                .iter()
                .filter_map(|w| ward_layer.areas.get(w.layer_index).map(|a| &a.geometry_in_world)),
            WARD_LINE_WIDTH * metres_per_point,
            LineStyle::Solid,
            origin,
        ),
        None => WorldMesh::default(),
    };
    let with_transition = |wanted: &'static [Transition]| {
        scene
            .areas
            .iter()
            .filter(move |a| wanted.contains(&scene.row(a).transition))
            .filter_map(move |a| geometry_of(a.layer_index))
    };
    let top1_solid = outline_mesh(
        with_transition(&[Transition::Stayed, Transition::MovedIn]),
        TOP1_LINE_WIDTH * metres_per_point,
        LineStyle::Solid,
        origin,
    );
    let top1_dashed = if show_transitions {
        let dashes = LineStyle::Dashed {
            dash: 7.0 * metres_per_point,
            gap: 4.0 * metres_per_point,
        };
        outline_mesh(
            with_transition(&[Transition::MovedOut]),
            2.0 * metres_per_point,
            dashes,
            origin,
        )
    } else {
        WorldMesh::default()
    };
    OutlineCache {
        generation: scene.generation,
        level,
        show_transitions,
        lsoa,
        wards,
        top1_solid,
        top1_dashed,
    }
}

/// All England: the areas in view (R-tree culling) from the level-of-detail band for this zoom, areas smaller than a
/// point drawn as a point-sized square, then LSOA borders (zoomed in) and LA borders from the simplified shared arcs.
///
/// Zoomed out far enough that the whole country is within a few screens, nothing is culled and the meshes are kept:
/// panning then moves last frame's vertices instead of re-projecting 34,753 areas and every LA border.
fn national_meshes(
    scene: &MapScene,
    memory: &mut MapMemory,
    transform: &ScreenFromWorld,
    map_size: Vec2,
    visible: geo::Rect<f64>,
    vision: ColourVision,
    show_lsoa_lines: bool,
) -> (Arc<egui::Mesh>, Arc<egui::Mesh>) {
    let metres_per_point = memory.view.metres_per_point;
    let lod = scene.lod();
    let band = lod.and_then(|l| l.best_band(metres_per_point));
    // A national scene's box is the whole layer's.
    let (layer_bbox, clip) = (scene.bbox_in_world, map_size);
    let whole_layer = layer_bbox.width() / metres_per_point <= 2.0 * f64::from(clip.x)
        && layer_bbox.height() / metres_per_point <= 2.0 * f64::from(clip.y);
    if !whole_layer {
        memory.national_meshes = None;
        let (fill, lines) = build_national(scene, memory, transform, Some(visible), vision, show_lsoa_lines);
        return (Arc::new(fill), Arc::new(lines));
    }
    let key = NationalKey {
        generation: scene.generation,
        band_tolerance_bits: band.map(|b| b.tolerance.to_bits()),
        topology_built: lod.and_then(|l| l.topology()).is_some(),
        metres_per_point_bits: metres_per_point.to_bits(),
        vision,
        show_lsoa_lines,
    };
    let anchor = pos(transform.apply(ANCHOR_IN_WORLD));
    let reusable = memory
        .national_meshes
        .as_ref()
        .is_some_and(|m| m.key == key && m.moves < NATIONAL_MOVES_BEFORE_REBUILD);
    if reusable && let Some(kept) = memory.national_meshes.as_mut() {
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
        memory.national_meshes = None;
        let (fill, lines) = build_national(scene, memory, transform, None, vision, show_lsoa_lines);
        memory.national_meshes = Some(NationalMeshes {
            key,
            anchor,
            moves: 0,
            fill: Arc::new(fill),
            lines: Arc::new(lines),
        });
    }
    match &memory.national_meshes {
        Some(kept) => (kept.fill.clone(), kept.lines.clone()),
        None => Default::default(),
    }
}

/// The national fill and line meshes in screen points: the areas meeting `visible` (all of them when `None`).
fn build_national(
    scene: &MapScene,
    memory: &mut MapMemory,
    transform: &ScreenFromWorld,
    visible: Option<geo::Rect<f64>>,
    vision: ColourVision,
    show_lsoa_lines: bool,
) -> (egui::Mesh, egui::Mesh) {
    let metres_per_point = memory.view.metres_per_point;
    let sizes = &mut memory.national_sizes;
    let layer = scene.layer();
    let lod = scene.lod();
    let band = lod.and_then(|l| l.best_band(metres_per_point));
    // Until the bands are built the full-detail triangles stand in.
    let meshes = band.map_or(scene.meshes(), |b| &b.meshes);
    let (offset, scale) = transform.for_origin(meshes.mesh.origin_in_world);
    let in_view: Vec<usize> = match visible {
        Some(visible) => areas_in_view(layer, visible),
        None => (0..layer.areas.len()).collect(),
    };
    let meets_view = |bbox: &geo::Rect<f64>| visible.is_none_or(|v| bbox.intersects(&v));
    let mut fill = egui::Mesh::default();
    fill.vertices.reserve(sizes[0]);
    fill.indices.reserve(sizes[1]);
    let mut last_colour: Option<(Rgba, Color32)> = None;
    for index in in_view {
        let (Some(area), Some(colour)) = (layer.areas.get(index), scene.fill_by_layer_index.get(index)) else {
            continue;
        };
        let colour = match last_colour {
            Some((c, converted)) if c == *colour => converted,
            _ => {
                let converted = to_color32(*colour, vision);
                last_colour = Some((*colour, converted));
                converted
            }
        };
        let bbox = area.bbox_in_world;
        let size = bbox.width().max(bbox.height());
        let range = meshes.ranges.get(index).cloned().filter(|(v, _)| !v.is_empty());
        match range {
            Some((vertices, indices)) if size >= metres_per_point => {
                let base = fill.vertices.len() as u32;
                if let Some(source) = meshes.mesh.vertices.get(vertices.start as usize..vertices.end as usize) {
                    fill.vertices.extend(source.iter().map(|v| Vertex {
                        pos: Pos2::new(offset[0] + v[0] * scale, offset[1] - v[1] * scale),
                        uv: egui::epaint::WHITE_UV,
                        color: colour,
                    }));
                }
                if let Some(source) = meshes.mesh.indices.get(indices.start as usize..indices.end as usize) {
                    fill.indices.extend(source.iter().map(|i| i - vertices.start + base));
                }
            }
            _ => {
                // Smaller than a point (or collapsed at this band): a point-sized square in its colour.
                let centre = pos(transform.apply(bbox.center()));
                let half = ((size / metres_per_point) as f32).max(1.0) / 2.0;
                fill.add_colored_rect(Rect::from_center_size(centre, Vec2::splat(half * 2.0)), colour);
            }
        }
    }
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
        let colour = to_color32(LSOA_LINE, vision);
        for (id, arc) in topology.arcs.iter().enumerate() {
            if meets_view(&arc.bbox_in_world)
                && let Some(coords) = coords_of(id)
            {
                push_screen_polyline(&mut lines, coords, transform, LSOA_LINE_WIDTH as f32, colour);
            }
        }
    }
    let data_key = Arc::as_ptr(&scene.data) as usize;
    let la_arcs = &mut memory.la_arcs;
    if la_arcs.as_ref().is_none_or(|(key, _)| *key != data_key) {
        let la_of = scene.la_of_layer_index();
        let boundaries = topology.group_boundaries(|i| la_of.get(i).copied().flatten());
        *la_arcs = Some((data_key, boundaries));
    }
    if let Some((_, ids)) = la_arcs.as_ref() {
        let colour = to_color32(WARD_LINE, vision);
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

/// A line `width` points wide along world points, as quads built on screen; segments shorter than a third of a point
/// are merged into the next.
fn push_screen_polyline(
    out: &mut egui::Mesh,
    coords: &[geo::Coord<f64>],
    transform: &ScreenFromWorld,
    width: f32,
    colour: Color32,
) {
    let half = width / 2.0;
    let mut points = coords.iter().map(|c| pos(transform.apply(*c)));
    let Some(mut last) = points.next() else { return };
    let count = coords.len();
    for (k, p) in points.enumerate() {
        let d = p - last;
        let length = d.length();
        if length < 0.33 && k + 2 < count {
            continue;
        }
        if length == 0.0 {
            continue;
        }
        let u = d / length * half;
        let n = Vec2::new(-u.y, u.x);
        let base = out.vertices.len() as u32;
        for corner in [last - u + n, last - u - n, p + u - n, p + u + n] {
            out.vertices.push(Vertex {
                pos: corner,
                uv: egui::epaint::WHITE_UV,
                color: colour,
            });
        }
        out.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        last = p;
    }
}

/// Stayed ●, moved in ▲, moved out ▽: shape tells them apart without colour.
pub fn paint_transition_marker(painter: &egui::Painter, centre: Pos2, transition: Transition, vision: ColourVision) {
    if let Some(shape) = transition_marker(centre, transition, vision) {
        painter.add(shape);
    }
}

/// The marker of an LSOA that stayed in, moved into or moved out of the 1% (nothing for the others).
fn transition_marker(centre: Pos2, transition: Transition, vision: ColourVision) -> Option<Shape> {
    let orange = to_color32(TOP1_ORANGE, vision);
    let dark = Stroke::new(1.2, Color32::from_gray(30));
    let r = 5.0;
    match transition {
        Transition::Stayed => Some(Shape::Circle(egui::epaint::CircleShape {
            center: centre,
            radius: r,
            fill: orange,
            stroke: dark,
        })),
        Transition::MovedIn => {
            let points = vec![
                centre + Vec2::new(0.0, -r * 1.2),
                centre + Vec2::new(r * 1.1, r * 0.8),
                centre + Vec2::new(-r * 1.1, r * 0.8),
            ];
            Some(Shape::convex_polygon(points, orange, dark))
        }
        Transition::MovedOut => {
            let points = vec![
                centre + Vec2::new(-r * 1.1, -r * 0.8),
                centre + Vec2::new(r * 1.1, -r * 0.8),
                centre + Vec2::new(0.0, r * 1.2),
            ];
            Some(Shape::convex_polygon(points, Color32::WHITE, Stroke::new(1.6, orange)))
        }
        Transition::Outside => None,
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
    for area in &scene.areas {
        let centre = pos(transform.apply(area.interior_in_world));
        if rect.contains(centre)
            && let Some(shape) = transition_marker(centre, scene.row(area).transition, vision)
        {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
    }
    mesh
}

fn paint_ward_labels(painter: &egui::Painter, scene: &MapScene, transform: &ScreenFromWorld, rect: Rect) {
    let font = FontId::proportional(11.5);
    for ward in &scene.wards {
        let width_on_screen = ward.bbox_in_world.width() * transform.points_per_metre;
        let at = pos(transform.apply(ward.label_in_world));
        // A label is drawn only where the ward is wide enough on screen to hold it.
        if width_on_screen < 7.0 * ward.name.len() as f64 || !rect.contains(at) {
            continue;
        }
        text_with_halo(painter, at, &ward.name, font.clone(), Color32::from_gray(20));
    }
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

fn outline_area(painter: &egui::Painter, scene: &MapScene, index: usize, transform: &ScreenFromWorld, stroke: Stroke) {
    let Some(area) = scene
        .areas
        .get(index)
        .and_then(|a| scene.layer().areas.get(a.layer_index))
    else {
        return;
    };
    for polygon in &area.geometry_in_world {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let points: Vec<Pos2> = ring.0.iter().map(|c| pos(transform.apply(*c))).collect();
            painter.add(Shape::closed_line(points, stroke));
        }
    }
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
