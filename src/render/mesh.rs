//! Tessellated area fills: every polygon (concave, with holes) triangulated once with earcut and kept in world space,
//! so that recolouring changes vertex colours only and panning or zooming only re-projects.

use crate::model::AreaLayer;
use geo::{Coord, MultiPolygon, TriangulateEarcut as _};
use rayon::prelude::*;
use std::ops::Range;

/// Triangles in world space, as `f32` offsets from `origin_in_world` (BNG metres are too large for `f32` alone).
#[derive(Clone, Debug, Default)]
pub struct WorldMesh {
    /// What vertices are relative to.
    pub origin_in_world: Coord<f64>,
    /// Vertex positions: metres east and north of the origin.
    pub vertices: Vec<[f32; 2]>,
    /// Triangle corners, three per triangle.
    pub indices: Vec<u32>,
}

/// The fill triangles of every area of a layer, with each area's share of the buffers.
#[derive(Clone, Debug, Default)]
pub struct AreaMeshes {
    /// All triangles.
    pub mesh: WorldMesh,
    /// Per area (same order as the layer): its vertices and its indices.
    pub ranges: Vec<(Range<u32>, Range<u32>)>,
}

impl AreaMeshes {
    /// Triangulates every area of a layer, in parallel.
    pub fn build(layer: &AreaLayer) -> Self {
        let origin_in_world = layer.bbox_where(|_| true).map_or(Coord { x: 0.0, y: 0.0 }, |r| r.min());
        Self::from_geometries(
            origin_in_world,
            layer.areas.par_iter().map(|area| &area.geometry_in_world),
        )
    }

    /// Triangulates geometries (one per area, in order) in parallel, relative to `origin_in_world`.
    pub fn from_geometries<G: std::borrow::Borrow<MultiPolygon<f64>> + Send>(
        origin_in_world: Coord<f64>,
        geometries: impl IndexedParallelIterator<Item = G>,
    ) -> Self {
        let per_area: Vec<(Vec<[f32; 2]>, Vec<u32>)> = geometries
            .map(|geometry| {
                let mut vertices = Vec::new();
                let mut indices = Vec::new();
                for polygon in geometry.borrow() {
                    let raw = polygon.earcut_triangles_raw();
                    let base = vertices.len() as u32;
                    vertices.extend(
                        raw.vertices
                            .iter()
                            .map(|xy| [(xy[0] - origin_in_world.x) as f32, (xy[1] - origin_in_world.y) as f32]),
                    );
                    indices.extend(raw.triangle_indices.iter().map(|i| base + *i as u32));
                }
                (vertices, indices)
            })
            .collect();
        // Exact sizes: growing by doubling would leave up to half of every band's buffers unused for good.
        let mut mesh = WorldMesh {
            origin_in_world,
            vertices: Vec::with_capacity(per_area.iter().map(|(v, _)| v.len()).sum()),
            indices: Vec::with_capacity(per_area.iter().map(|(_, i)| i.len()).sum()),
        };
        let mut ranges = Vec::with_capacity(per_area.len());
        for (vertices, indices) in per_area {
            let v0 = mesh.vertices.len() as u32;
            let i0 = mesh.indices.len() as u32;
            mesh.indices.extend(indices.iter().map(|i| i + v0));
            mesh.vertices.extend(vertices);
            ranges.push((v0..mesh.vertices.len() as u32, i0..mesh.indices.len() as u32));
        }
        Self { mesh, ranges }
    }

    /// Number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.mesh.indices.len() / 3
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, AreaCode, AreaKind, LsoaVintage};
    use geo::{Area as _, LineString, MultiPolygon, Polygon};

    #[test]
    fn concave_polygon_with_a_hole_covers_its_area_exactly() {
        let outer = LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (5.0, 4.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        let hole = LineString::from(vec![(4.0, 1.0), (6.0, 1.0), (6.0, 2.0), (4.0, 2.0), (4.0, 1.0)]);
        let polygon = Polygon::new(outer, vec![hole]);
        let expected = polygon.unsigned_area();
        let area = Area::new(
            AreaCode::parse("E01000001").unwrap(),
            "x".into(),
            None,
            MultiPolygon::new(vec![polygon]),
        )
        .unwrap();
        let layer = AreaLayer::new(AreaKind::Lsoa(LsoaVintage::Lsoa2011), vec![area], vec![]);
        let meshes = AreaMeshes::build(&layer);
        let v = &meshes.mesh.vertices;
        let triangles_area: f64 = meshes
            .mesh
            .indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [v[t[0] as usize], v[t[1] as usize], v[t[2] as usize]];
                f64::from(((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0)
            })
            .sum();
        assert!(
            (triangles_area - expected).abs() < 1e-6,
            "{triangles_area} vs {expected}: a convex fan would overfill the notch"
        );
    }
}
