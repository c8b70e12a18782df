//! The map widget: fills, boundaries, the 1% highlight, ward labels, hover and click, pan and zoom.
//! State lives in `MapMemory` (plain data); the widget is built each frame and borrows what it draws.

use super::map_cache::{MapCache, PlacedLabels, marker_positions};
use super::paint::{
    MARKER_RADIUS, paint_north_arrow, paint_scale_bar, pos, screen_rect_of, text_with_halo, to_color32,
};
use super::scene::MapScene;
use super::settings::{MapTool, Settings};
use crate::model::AreaCode;
use crate::render::{LabelStyle, MapView, PlacedLabel, ScreenFromWorld, ScreenRect, place_ward_labels};
use crate::style::{ColourVision, HIGHLIGHT};
use egui::{Color32, FontId, Pos2, Rect, Sense, Shape, Stroke};
use std::collections::HashSet;

/// What the map remembers between frames: its view, a fit asked for, and the shape being drawn. Plain data; the
/// caches are in [`MapCache`], beside it.
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
}

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
    /// The view.
    pub memory: &'a mut MapMemory,
    /// The image, meshes and outlines kept between frames.
    pub cache: &'a mut MapCache,
    /// Display choices.
    pub settings: &'a Settings,
    /// LSOAs pointed at elsewhere (scene indices): search results, histogram bars, table rows.
    pub highlighted: &'a HashSet<usize>,
    /// The selection (scene indices), marked without hiding the fill.
    pub selection: &'a HashSet<usize>,
    /// The selected LSOA (scene index).
    pub selected: Option<usize>,
    /// The ward whose profile is open: outlined, and its name always shown.
    pub focus_ward: Option<&'a AreaCode>,
    /// The area groups layer, when shown: fills and outlines in the map image, group names over it.
    pub groups: Option<&'a crate::render::GroupLayer>,
}

impl ChoroplethMap<'_> {
    /// Draws the map into all the space left and handles its input.
    pub fn show(self, ui: &mut egui::Ui) -> MapResponse {
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let screen = screen_rect_of(rect);
        let scene = self.scene;
        let memory = self.memory;
        let cache = self.cache;
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

        cache.paint_image(
            ui,
            &painter,
            scene,
            self.settings,
            self.groups,
            (memory.view, rect, visible),
        );

        if let Some(ward) = self.focus_ward {
            outline_ward(&painter, scene, ward, &transform);
        }
        if let Some(groups) = self.groups {
            // Group names take the place of ward names (as on the exported page).
            super::group_layer::paint_group_labels(&painter, groups, &transform);
        } else if self.settings.show_ward_labels || self.focus_ward.is_some() {
            let labels = WardLabels {
                all: self.settings.show_ward_labels,
                focus: self.focus_ward,
                markers: self.settings.show_transitions,
            };
            let moving = cache.moving(ui.input(|i| i.time));
            let placed = place_labels(cache, &painter, scene, (memory.view, rect, moving), &labels);
            paint_ward_labels(&painter, scene, &placed, &labels);
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
                layer.area_at(w).and_then(|area| layer.index_of(&area.code))
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
    // The keys are in the one shortcut table (`shortcuts::MAP_KEYS`, listed on the Help sheet).
    for action in ui.input(super::shortcuts::map_key_actions) {
        match action {
            super::shortcuts::MapKeyAction::Zoom(factor) => view.zoom_about(factor, centre, screen),
            super::shortcuts::MapKeyAction::Pan(delta) => view.pan_by_points(delta),
        }
    }
}

/// Which ward names to paint: all (View, Ward names) or only the open ward's, and whether to keep clear of markers.
struct WardLabels<'a> {
    all: bool,
    focus: Option<&'a AreaCode>,
    markers: bool,
}

/// Ward names placed by the exports' rule ([`place_ward_labels`]): the open ward first, then the priority wards, clear
/// of each other and of the 1% markers. Placing them costs more than drawing them, so they are placed again only when
/// the scene, the map's size, the open ward or the markers change, or the view has changed and come to rest; an idle
/// frame paints the last placement, and while the view moves the last placement stands in, moved with the map (as
/// the map image does), until the view settles.
fn place_labels(
    cache: &mut MapCache,
    painter: &egui::Painter,
    scene: &MapScene,
    (view, rect, moving): (MapView, Rect, bool),
    labels: &WardLabels<'_>,
) -> Vec<PlacedLabel> {
    let key = (
        scene.generation,
        rect,
        painter.pixels_per_point(),
        labels.focus.copied(),
        labels.markers,
    );
    let transform = view.screen_from_world(screen_rect_of(rect));
    let current = cache
        .labels
        .as_ref()
        .is_some_and(|l| l.key == key && (l.view == view || moving));
    if !current {
        let placed = place_for_view(painter, scene, &transform, rect, labels);
        let anchors = placed.iter().map(|l| transform.world_from_screen(l.centre)).collect();
        cache.labels = Some(PlacedLabels {
            key,
            view,
            placed,
            anchors,
        });
    }
    let Some(labels) = &cache.labels else {
        return Vec::new();
    };
    if labels.view == view {
        return labels.placed.clone();
    }
    let moved = labels.placed.iter().zip(&labels.anchors);
    moved
        .map(|(label, at)| PlacedLabel {
            ward: label.ward,
            centre: transform.apply(*at),
        })
        .collect()
}

fn place_for_view(
    painter: &egui::Painter,
    scene: &MapScene,
    transform: &ScreenFromWorld,
    rect: Rect,
    labels: &WardLabels<'_>,
) -> Vec<PlacedLabel> {
    // Nationally there are no wards (LA borders instead), and placing several hundred markers every frame for
    // nothing would cost milliseconds.
    if scene.wards.is_empty() {
        return Vec::new();
    }
    let font = FontId::proportional(11.5);
    let markers: Vec<[f32; 2]> = if labels.markers {
        marker_positions(scene, transform, rect)
            .iter()
            .map(|m| m.centre)
            .collect()
    } else {
        Vec::new()
    };
    let size_of = |name: &str| {
        let galley = painter.layout_no_wrap(name.to_string(), font.clone(), Color32::BLACK);
        [galley.size().x, galley.size().y]
    };
    let style = LabelStyle {
        size_of: &size_of,
        pad: 1.5,
        line_height: 14.0,
    };
    place_ward_labels(
        &scene.wards,
        &scene.comparison,
        labels.focus,
        transform,
        screen_rect_of(rect),
        &style,
        &markers,
        MARKER_RADIUS,
    )
}

/// Paints the placed ward names: all of them, or only the open ward's.
fn paint_ward_labels(painter: &egui::Painter, scene: &MapScene, placed: &[PlacedLabel], labels: &WardLabels<'_>) {
    let font = FontId::proportional(11.5);
    for label in placed {
        let Some(ward) = scene.wards.get(label.ward) else {
            continue;
        };
        if !labels.all && Some(&ward.code) != labels.focus {
            continue;
        }
        let (size, colour) = if Some(&ward.code) == labels.focus {
            (FontId::proportional(13.0), Color32::BLACK)
        } else {
            (font.clone(), Color32::from_gray(20))
        };
        text_with_halo(painter, pos(label.centre), &ward.name, size, colour);
    }
}

/// The open ward's boundary, dark on a white casing, so it reads over any fill.
fn outline_ward(painter: &egui::Painter, scene: &MapScene, ward: &AreaCode, transform: &ScreenFromWorld) {
    let Some(area) = scene
        .wards
        .iter()
        .find(|w| &w.code == ward)
        .and_then(|w| scene.ward_layer()?.areas.get(w.layer_index))
    else {
        return;
    };
    for stroke in [
        Stroke::new(6.0, Color32::WHITE),
        Stroke::new(3.0, Color32::from_rgb(0x1a, 0x1a, 0x1a)),
    ] {
        for polygon in &area.geometry_in_world {
            let points: Vec<Pos2> = polygon.exterior().0.iter().map(|c| pos(transform.apply(*c))).collect();
            painter.add(Shape::closed_line(points, stroke));
        }
    }
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
