//! The indicator map widget: the plan's shapes filled by the indicator style (earcut triangles built once per plan),
//! flagged areas outlined, optional police.uk points (binned into cells at low zoom, single points with their crime
//! type on hover close in), pan and zoom, hover and click.

use crate::analysis::DrawPlan;
use crate::model::{AreaCode, CrimePoint};
use crate::render::{AreaMeshes, MapView, ScreenRect};
use crate::style::IndicatorStyle;
use egui::{Color32, Mesh, Pos2, Sense, Shape, Stroke};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Below this many metres per point the points layer shows single points; above, cells of [`BIN_POINTS`].
pub const SINGLE_POINTS_BELOW_M_PER_PT: f64 = 6.0;

/// Cell size of the binned points layer, in screen points.
pub const BIN_POINTS: f32 = 22.0;

/// The triangles of a plan: its key, (unit, shape code) per area, and the meshes in that order.
type PlanMeshes = (u64, Vec<(usize, AreaCode)>, AreaMeshes);

/// What the widget keeps between frames.
#[derive(Default)]
pub struct IndicatorMapState {
    /// The view; `None` = fit on next draw.
    pub view: Option<MapView>,
    meshes: Option<PlanMeshes>,
}

/// What happened this frame.
#[derive(Clone, Debug)]
pub struct IndicatorMapResponse {
    /// The unit under the pointer.
    pub hovered_unit: Option<usize>,
    /// The unit clicked.
    pub clicked_unit: Option<usize>,
    /// Triangles drawn (for tests).
    pub triangles: usize,
    /// Points layer: cells (binned) or points drawn.
    pub point_marks: usize,
    /// True when the points layer drew cells (zoomed out), false when single points.
    pub points_binned: bool,
    /// The crime point under the pointer (close in): its crime type and month, for the hover text.
    pub hovered_point: Option<String>,
    /// The map's rectangle.
    pub rect: egui::Rect,
    /// World → screen this frame.
    pub screen_from_world: Option<crate::render::ScreenFromWorld>,
    /// The widget's response (for hover text).
    pub response: egui::Response,
}

/// Draws the map. `key` changes whenever the plan changes (rebuilds the triangles).
#[allow(clippy::too_many_arguments)]
pub fn indicator_map_ui(
    ui: &mut egui::Ui,
    state: &mut IndicatorMapState,
    key: u64,
    plan: &DrawPlan<'_>,
    style: &IndicatorStyle,
    flagged: &BTreeSet<AreaCode>,
    points: Option<(&[CrimePoint], &[String])>,
    size: egui::Vec2,
) -> IndicatorMapResponse {
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    let mut out = IndicatorMapResponse {
        hovered_unit: None,
        clicked_unit: None,
        triangles: 0,
        point_marks: 0,
        points_binned: false,
        hovered_point: None,
        rect,
        screen_from_world: None,
        response: response.clone(),
    };
    let Some(layer) = plan.layer else {
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            &plan.note,
            egui::FontId::proportional(13.0),
            Color32::DARK_GRAY,
        );
        return out;
    };
    if state.meshes.as_ref().is_none_or(|(k, _, _)| *k != key) {
        let shapes: Vec<(usize, AreaCode)> = plan
            .units
            .iter()
            .enumerate()
            .flat_map(|(i, u)| u.shapes.iter().filter(|c| layer.get(c).is_some()).map(move |c| (i, *c)))
            .collect();
        let origin = layer
            .bbox_where(|_| true)
            .map_or(geo::Coord { x: 0.0, y: 0.0 }, |r| r.min());
        let geometries: Vec<&geo::MultiPolygon<f64>> = shapes
            .iter()
            .filter_map(|(_, c)| layer.get(c))
            .map(|a| &a.geometry_in_world)
            .collect();
        let meshes = AreaMeshes::from_geometries(origin, geometries.into_par_iter());
        state.meshes = Some((key, shapes, meshes));
        state.view = None;
    }
    let Some((_, shapes, meshes)) = &state.meshes else {
        return out;
    };
    let screen = ScreenRect {
        min: [rect.min.x, rect.min.y],
        max: [rect.max.x, rect.max.y],
    };
    let view = state.view.get_or_insert_with(|| {
        let bbox = plan.core_extent().map(|(b, _)| b);
        bbox.map_or_else(MapView::default, |b| MapView::fit(b, screen))
    });
    if response.dragged() {
        let d = response.drag_delta();
        view.pan_by_points([d.x, d.y]);
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0
            && let Some(pointer) = response.hover_pos()
        {
            view.zoom_about((f64::from(scroll) / 200.0).exp(), [pointer.x, pointer.y], screen);
        }
    }
    let screen_from_world = view.screen_from_world(screen);
    out.screen_from_world = Some(screen_from_world);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_rgb(246, 246, 242));
    // Fills.
    let (offset, scale) = screen_from_world.for_origin(meshes.mesh.origin_in_world);
    let mut mesh = Mesh::default();
    for (shape_index, (unit, _)) in shapes.iter().enumerate() {
        let Some((vertices, indices)) = meshes.ranges.get(shape_index) else {
            continue;
        };
        let fill = style.units.get(*unit).map_or(Color32::GRAY, |s| {
            let [r, g, b, a] = s.fill.0;
            Color32::from_rgba_unmultiplied(r, g, b, a)
        });
        let base = mesh.vertices.len() as u32;
        for v in vertices.start..vertices.end {
            let Some(p) = meshes.mesh.vertices.get(v as usize) else {
                continue;
            };
            mesh.colored_vertex(Pos2::new(offset[0] + scale * p[0], offset[1] - scale * p[1]), fill);
        }
        for i in indices.start..indices.end {
            if let Some(index) = meshes.mesh.indices.get(i as usize) {
                mesh.indices.push(base + (index - vertices.start));
            }
        }
    }
    out.triangles = mesh.indices.len() / 3;
    painter.add(Shape::mesh(mesh));
    // Outlines: thin for all, dashed-looking heavy for shapes standing for other areas, blue for flagged.
    for (unit, code) in shapes {
        let Some(area) = layer.get(code) else { continue };
        let stands_in = plan.units.get(*unit).is_some_and(|u| u.label.is_some());
        let is_flagged = plan
            .units
            .get(*unit)
            .is_some_and(|u| u.shapes.iter().any(|c| flagged.contains(c)) || flagged.contains(code));
        let stroke = if is_flagged {
            Stroke::new(2.5, Color32::from_rgb(0, 90, 200))
        } else if stands_in {
            Stroke::new(1.6, Color32::from_gray(30))
        } else {
            Stroke::new(0.5, Color32::from_gray(110))
        };
        for polygon in &area.geometry_in_world {
            let ring: Vec<Pos2> = polygon
                .exterior()
                .0
                .iter()
                .map(|c| {
                    let p = screen_from_world.apply(*c);
                    Pos2::new(p[0], p[1])
                })
                .collect();
            painter.add(Shape::closed_line(ring, stroke));
        }
    }
    // Points.
    if let Some((points, types)) = points {
        let visible = view.visible_world(screen);
        let in_view = points
            .iter()
            .filter(|p| geo::Intersects::intersects(&visible, &p.point_in_world));
        if view.metres_per_point < SINGLE_POINTS_BELOW_M_PER_PT {
            let mut nearest: Option<(f32, Pos2)> = None;
            let mut close: Vec<(Pos2, &CrimePoint)> = Vec::new();
            let pointer = response.hover_pos();
            for p in in_view {
                let s = screen_from_world.apply(p.point_in_world);
                let at = Pos2::new(s[0], s[1]);
                painter.circle_filled(at, 2.5, Color32::from_rgba_unmultiplied(20, 20, 20, 200));
                out.point_marks += 1;
                if let Some(pt) = pointer {
                    let d = pt.distance(at);
                    if d < 6.0 {
                        close.push((at, p));
                        if nearest.is_none_or(|(best, _)| d < best) {
                            nearest = Some((d, at));
                        }
                    }
                }
            }
            // police.uk snaps reports to shared anonymised points: name every report at the nearest one.
            if let Some((_, at)) = nearest {
                let here: Vec<String> = close
                    .iter()
                    .filter(|(q, _)| q.distance(at) < 0.5)
                    .map(|(_, p)| {
                        let kind = types.get(usize::from(p.crime_type)).cloned().unwrap_or_default();
                        format!("{kind}, {}", p.month)
                    })
                    .collect();
                out.hovered_point = Some(match here.as_slice() {
                    [one] => one.clone(),
                    many => {
                        let mut text = format!("{} reports at this point:", many.len());
                        for line in many.iter().take(12) {
                            text.push('\n');
                            text.push_str(line);
                        }
                        if many.len() > 12 {
                            text.push_str(&format!("\n… and {} more", many.len() - 12));
                        }
                        text
                    }
                });
            }
        } else {
            out.points_binned = true;
            let mut cells: HashMap<(i32, i32), (usize, Pos2)> = HashMap::new();
            for p in in_view {
                let s = screen_from_world.apply(p.point_in_world);
                let cell = ((s[0] / BIN_POINTS).floor() as i32, (s[1] / BIN_POINTS).floor() as i32);
                let entry = cells.entry(cell).or_insert((0, Pos2::ZERO));
                entry.0 += 1;
                entry.1 += egui::vec2(s[0], s[1]);
            }
            for (n, sum) in cells.values() {
                let centre = Pos2::new(sum.x / *n as f32, sum.y / *n as f32);
                let radius = 3.0 + (*n as f32).sqrt() * 1.2;
                painter.circle(
                    centre,
                    radius.min(BIN_POINTS * 0.7),
                    Color32::from_rgba_unmultiplied(40, 40, 40, 120),
                    Stroke::new(0.8, Color32::WHITE),
                );
                if *n > 9 {
                    painter.text(
                        centre,
                        egui::Align2::CENTER_CENTER,
                        n.to_string(),
                        egui::FontId::proportional(9.0),
                        Color32::WHITE,
                    );
                }
                out.point_marks += 1;
            }
        }
    }
    // Hover and click.
    if let Some(pointer) = response.hover_pos() {
        let world = screen_from_world.world_from_screen([pointer.x, pointer.y]);
        if let Some(area) = layer.area_at(world) {
            out.hovered_unit = shapes.iter().find(|(_, c)| *c == area.code).map(|(u, _)| *u);
        }
    }
    if response.clicked() {
        out.clicked_unit = out.hovered_unit;
    }
    out
}
