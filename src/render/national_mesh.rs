//! A national map's triangles in screen space: every LSOA in view in its fill (those smaller than a point as a
//! point-sized square), and lines along topology arcs as screen-space quads, so a line stays the same width in points
//! at every zoom. Plain vertex data into a [`TriangleSink`], as for the LA maps (`screen_mesh`).

use super::{AreaMeshes, ScreenFromWorld, TriangleSink};
use crate::model::AreaLayer;
use crate::style::Rgba;

/// Appends the fills of the areas `in_view` (layer indices) from `meshes` (the layer's own or a simplified band's),
/// each in `fill_of[index]` passed through `colour`; an area smaller than a point is drawn as a square of its size.
#[allow(clippy::too_many_arguments)]
pub fn push_national_fills(
    out: &mut impl TriangleSink,
    layer: &AreaLayer,
    meshes: &AreaMeshes,
    in_view: impl Iterator<Item = usize>,
    fill_of: &[Rgba],
    metres_per_point: f64,
    transform: &ScreenFromWorld,
    colour: impl Fn(Rgba) -> Rgba,
) {
    let (offset, scale) = transform.for_origin(meshes.mesh.origin_in_world);
    // Neighbours mostly share a class: convert a colour once per run, not once per area.
    let mut last_colour: Option<(Rgba, Rgba)> = None;
    for index in in_view {
        let (Some(area), Some(fill)) = (layer.areas.get(index), fill_of.get(index)) else {
            continue;
        };
        let shown = match last_colour {
            Some((c, converted)) if c == *fill => converted,
            _ => {
                let converted = colour(*fill);
                last_colour = Some((*fill, converted));
                converted
            }
        };
        let bbox = area.bbox_in_world;
        let size = bbox.width().max(bbox.height());
        let range = meshes.ranges.get(index).cloned().filter(|(v, _)| !v.is_empty());
        match range {
            Some((vertices, indices)) if size >= metres_per_point => {
                let base = out.vertex_count();
                if let Some(source) = meshes.mesh.vertices.get(vertices.start as usize..vertices.end as usize) {
                    out.extend_vertices(
                        source
                            .iter()
                            .map(|v| [offset[0] + v[0] * scale, offset[1] - v[1] * scale]),
                        shown,
                    );
                }
                if let Some(source) = meshes.mesh.indices.get(indices.start as usize..indices.end as usize) {
                    out.extend_indices(source.iter().map(|i| i - vertices.start + base));
                }
            }
            _ => {
                // Smaller than a point (or collapsed at this band): a point-sized square in its colour.
                let [x, y] = transform.apply(bbox.center());
                let half = ((size / metres_per_point) as f32).max(1.0) / 2.0;
                let base = out.vertex_count();
                // Corners and triangles in the order egui's `add_colored_rect` uses.
                out.extend_vertices(
                    [
                        [x - half, y - half],
                        [x + half, y - half],
                        [x - half, y + half],
                        [x + half, y + half],
                    ]
                    .into_iter(),
                    shown,
                );
                out.extend_indices([base, base + 1, base + 2, base + 2, base + 1, base + 3].into_iter());
            }
        }
    }
}

/// A line `width` points wide along world points, as quads built on screen; segments shorter than a third of a point
/// are merged into the next.
pub fn push_screen_polyline(
    out: &mut impl TriangleSink,
    coords: &[geo::Coord<f64>],
    transform: &ScreenFromWorld,
    width: f32,
    colour: Rgba,
) {
    let half = width / 2.0;
    let mut points = coords.iter().map(|c| transform.apply(*c));
    let Some(mut last) = points.next() else { return };
    let count = coords.len();
    for (k, p) in points.enumerate() {
        let d = [p[0] - last[0], p[1] - last[1]];
        // `hypot`, as egui's `Vec2::length`: the quads are the ones the window built before.
        let length = d[0].hypot(d[1]);
        if length < 0.33 && k + 2 < count {
            continue;
        }
        if length == 0.0 {
            continue;
        }
        let u = [d[0] / length * half, d[1] / length * half];
        let n = [-u[1], u[0]];
        let base = out.vertex_count();
        out.extend_vertices(
            [
                [last[0] - u[0] + n[0], last[1] - u[1] + n[1]],
                [last[0] - u[0] - n[0], last[1] - u[1] - n[1]],
                [p[0] + u[0] - n[0], p[1] + u[1] - n[1]],
                [p[0] + u[0] + n[0], p[1] + u[1] + n[1]],
            ]
            .into_iter(),
            colour,
        );
        out.extend_indices([base, base + 1, base + 2, base, base + 2, base + 3].into_iter());
        last = p;
    }
}
