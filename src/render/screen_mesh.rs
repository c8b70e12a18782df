//! The map's triangles in screen space, built here as plain vertex data: the fills of the areas in view, each in its
//! colour, and the boundary outlines of one zoom level (LSOA and ward lines, the 1% outlines by transition). They go
//! into any [`TriangleSink`]: the window's mesh type receives them directly (render knows no UI library, and no
//! frame pays for a copy), a test or a tool collects them as a [`ScreenMesh`].

use super::map_content::{DrawnArea, DrawnWard, Top1Outline, top1_outline};
use super::outline::{LineStyle, metres_per_point_of_level, outline_mesh};
use super::{AreaMeshes, ScreenFromWorld, WorldMesh};
use crate::analysis::EditionComparison;
use crate::model::{Area, AreaLayer};
use crate::style::{LSOA_LINE, Rgba, TOP1_ORANGE, WARD_LINE};
use std::ops::Range;

/// LSOA boundary width in screen points.
pub const LSOA_LINE_WIDTH: f64 = 0.6;
/// Ward boundary width in screen points.
pub const WARD_LINE_WIDTH: f64 = 2.2;
/// The solid 1% outline's width in screen points.
pub const TOP1_LINE_WIDTH: f64 = 3.0;
/// The dashed (moved out of the 1%) outline's width, dash and gap in screen points.
pub const TOP1_DASHES: [f64; 3] = [2.0, 7.0, 4.0];

/// Where screen triangles go: positions in screen points (y down), one colour per run of vertices (unmultiplied
/// sRGB), and triangle corners indexing the vertices pushed so far.
pub trait TriangleSink {
    /// Vertices pushed so far: the index of the next one.
    fn vertex_count(&self) -> u32;
    /// Makes room for this many more vertices and indices.
    fn reserve(&mut self, vertices: usize, indices: usize);
    /// Appends vertices at these screen positions, all of `colour`.
    fn extend_vertices(&mut self, positions: impl Iterator<Item = [f32; 2]>, colour: Rgba);
    /// Appends triangle corners.
    fn extend_indices(&mut self, indices: impl Iterator<Item = u32>);
}

/// Screen triangles as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScreenMesh {
    /// Vertex positions in screen points.
    pub positions: Vec<[f32; 2]>,
    /// Each vertex's colour.
    pub colours: Vec<Rgba>,
    /// Triangle corners, three per triangle.
    pub indices: Vec<u32>,
}

impl TriangleSink for ScreenMesh {
    fn vertex_count(&self) -> u32 {
        self.positions.len() as u32
    }

    fn reserve(&mut self, vertices: usize, indices: usize) {
        self.positions.reserve(vertices);
        self.colours.reserve(vertices);
        self.indices.reserve(indices);
    }

    fn extend_vertices(&mut self, positions: impl Iterator<Item = [f32; 2]>, colour: Rgba) {
        let before = self.positions.len();
        self.positions.extend(positions);
        self.colours.resize(self.positions.len().max(before), colour);
    }

    fn extend_indices(&mut self, indices: impl Iterator<Item = u32>) {
        self.indices.extend(indices);
    }
}

/// Appends part of a world mesh (its `vertices` and the `indices` over them), projected through `transform`.
pub fn push_world_mesh(
    out: &mut impl TriangleSink,
    mesh: &WorldMesh,
    transform: &ScreenFromWorld,
    colour: Rgba,
    vertices: Range<u32>,
    indices: Range<u32>,
) {
    let (offset, scale) = transform.for_origin(mesh.origin_in_world);
    let Some(source) = mesh.vertices.get(vertices.start as usize..vertices.end as usize) else {
        return;
    };
    let base = out.vertex_count();
    out.extend_vertices(
        source
            .iter()
            .map(|v| [offset[0] + v[0] * scale, offset[1] - v[1] * scale]),
        colour,
    );
    if let Some(source) = mesh.indices.get(indices.start as usize..indices.end as usize) {
        out.extend_indices(source.iter().map(|i| i - vertices.start + base));
    }
}

/// Appends a whole world mesh in one colour.
pub fn push_whole_mesh(out: &mut impl TriangleSink, mesh: &WorldMesh, transform: &ScreenFromWorld, colour: Rgba) {
    push_world_mesh(
        out,
        mesh,
        transform,
        colour,
        0..mesh.vertices.len() as u32,
        0..mesh.indices.len() as u32,
    );
}

/// Appends the fill triangles of the `areas` whose box meets `visible`, each in `colour_of` its area.
pub fn push_area_fills(
    out: &mut impl TriangleSink,
    layer: &AreaLayer,
    meshes: &AreaMeshes,
    areas: &[DrawnArea],
    visible: geo::Rect<f64>,
    transform: &ScreenFromWorld,
    colour_of: impl Fn(&Area) -> Rgba,
) {
    use geo::Intersects as _;
    // Reserve once: growing a half-megabyte vertex buffer by doubling costs more than filling it.
    out.reserve(meshes.mesh.vertices.len(), meshes.mesh.indices.len());
    for area in areas {
        let Some(geometry) = layer.areas.get(area.layer_index) else {
            continue;
        };
        if !geometry.bbox_in_world.intersects(&visible) {
            continue;
        }
        let Some((vertices, indices)) = meshes.ranges.get(area.layer_index).cloned() else {
            continue;
        };
        push_world_mesh(out, &meshes.mesh, transform, colour_of(geometry), vertices, indices);
    }
}

/// What the outlines of a map are built from: its layers, what it draws of them, and its comparison (for the 1%
/// outlines by transition).
pub struct OutlineSource<'a> {
    /// The LSOA layer.
    pub layer: &'a AreaLayer,
    /// The ward layer, when loaded.
    pub ward_layer: Option<&'a AreaLayer>,
    /// The LSOAs drawn.
    pub areas: &'a [DrawnArea],
    /// The wards drawn.
    pub wards: &'a [DrawnWard],
    /// The comparison the areas index.
    pub comparison: &'a EditionComparison,
    /// What the world meshes' vertices are relative to.
    pub origin_in_world: geo::Coord<f64>,
    /// A national map: its LSOA lines come from the simplified arcs in view instead.
    pub national: bool,
}

/// The boundary meshes of one zoom level, in world space: built once per level and projected every frame.
#[derive(Clone, Debug, Default)]
pub struct MapOutlines {
    /// The zoom level they were built for.
    pub level: i32,
    /// Whether the moved-out dashes are in.
    pub show_transitions: bool,
    /// LSOA boundaries (empty nationally).
    pub lsoa: WorldMesh,
    /// Ward boundaries.
    pub wards: WorldMesh,
    /// Solid 1% outlines.
    pub top1_solid: WorldMesh,
    /// Dashed outlines of LSOAs that moved out of the 1%.
    pub top1_dashed: WorldMesh,
}

impl MapOutlines {
    /// Builds the outlines for a zoom level, line widths in screen points turned into metres at that level.
    pub fn build(source: &OutlineSource<'_>, level: i32, show_transitions: bool) -> Self {
        let metres_per_point = metres_per_point_of_level(level);
        let origin = source.origin_in_world;
        let geometry_of = |i: usize| source.layer.areas.get(i).map(|a| &a.geometry_in_world);
        let lsoa = if source.national {
            WorldMesh::default()
        } else {
            outline_mesh(
                source.areas.iter().filter_map(|a| geometry_of(a.layer_index)),
                LSOA_LINE_WIDTH * metres_per_point,
                LineStyle::Solid,
                origin,
            )
        };
        let wards = match source.ward_layer {
            Some(ward_layer) => outline_mesh(
                source
                    .wards
                    .iter()
                    .filter_map(|w| ward_layer.areas.get(w.layer_index).map(|a| &a.geometry_in_world)),
                WARD_LINE_WIDTH * metres_per_point,
                LineStyle::Solid,
                origin,
            ),
            None => WorldMesh::default(),
        };
        let with_transition = |wanted: Top1Outline| {
            source
                .areas
                .iter()
                .filter(move |a| {
                    source
                        .comparison
                        .rows
                        .get(a.row)
                        .is_some_and(|row| top1_outline(row.transition) == Some(wanted))
                })
                .filter_map(move |a| geometry_of(a.layer_index))
        };
        let top1_solid = outline_mesh(
            with_transition(Top1Outline::Solid),
            TOP1_LINE_WIDTH * metres_per_point,
            LineStyle::Solid,
            origin,
        );
        let top1_dashed = if show_transitions {
            let [width, dash, gap] = TOP1_DASHES.map(|points| points * metres_per_point);
            outline_mesh(
                with_transition(Top1Outline::Dashed),
                width,
                LineStyle::Dashed { dash, gap },
                origin,
            )
        } else {
            WorldMesh::default()
        };
        Self {
            level,
            show_transitions,
            lsoa,
            wards,
            top1_solid,
            top1_dashed,
        }
    }

    /// Appends the outlines projected through `transform`, LSOA lines only if `show_lsoa_lines`, each class in its
    /// style colour passed through `colour` (the window's colour-vision preview).
    pub fn push(
        &self,
        out: &mut impl TriangleSink,
        transform: &ScreenFromWorld,
        show_lsoa_lines: bool,
        colour: impl Fn(Rgba) -> Rgba,
    ) {
        let parts = [&self.lsoa, &self.wards, &self.top1_solid, &self.top1_dashed];
        out.reserve(
            parts.iter().map(|m| m.vertices.len()).sum(),
            parts.iter().map(|m| m.indices.len()).sum(),
        );
        if show_lsoa_lines {
            push_whole_mesh(out, &self.lsoa, transform, colour(LSOA_LINE));
        }
        push_whole_mesh(out, &self.wards, transform, colour(WARD_LINE));
        push_whole_mesh(out, &self.top1_solid, transform, colour(TOP1_ORANGE));
        push_whole_mesh(out, &self.top1_dashed, transform, colour(TOP1_ORANGE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_world_mesh_lands_in_screen_points_with_its_colour() {
        let mesh = WorldMesh {
            origin_in_world: geo::Coord { x: 1000.0, y: 2000.0 },
            vertices: vec![[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]],
            indices: vec![0, 1, 2],
        };
        let view = super::super::MapView {
            center_in_world: geo::Coord { x: 1000.0, y: 2000.0 },
            metres_per_point: 2.0,
        };
        let screen = super::super::ScreenRect {
            min: [0.0, 0.0],
            max: [100.0, 100.0],
        };
        let transform = view.screen_from_world(screen);
        let mut out = ScreenMesh::default();
        out.extend_vertices(std::iter::once([0.0, 0.0]), Rgba([1, 2, 3, 255]));
        push_whole_mesh(&mut out, &mesh, &transform, Rgba([9, 9, 9, 255]));
        // The origin is the view's centre; 10 m east is 5 points right, 10 m north 5 points up (y down).
        assert_eq!(out.positions[1..], [[50.0, 50.0], [55.0, 50.0], [50.0, 45.0]]);
        assert_eq!(
            out.colours,
            [
                Rgba([1, 2, 3, 255]),
                Rgba([9, 9, 9, 255]),
                Rgba([9, 9, 9, 255]),
                Rgba([9, 9, 9, 255])
            ]
        );
        assert_eq!(out.indices, [1, 2, 3], "indices count from the vertices already there");
    }
}
