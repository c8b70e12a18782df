//! `render`'s screen triangles into egui's mesh: the one place the window converts them (positions as they are,
//! colours to `Color32`, egui's white texel for the UV).

use crate::render::TriangleSink;
use crate::style::Rgba;
use egui::{Color32, Pos2, epaint::Vertex};

impl TriangleSink for egui::Mesh {
    fn vertex_count(&self) -> u32 {
        self.vertices.len() as u32
    }

    fn reserve(&mut self, vertices: usize, indices: usize) {
        self.vertices.reserve(vertices);
        self.indices.reserve(indices);
    }

    fn extend_vertices(&mut self, positions: impl Iterator<Item = [f32; 2]>, colour: Rgba) {
        let [r, g, b, a] = colour.0;
        let color = Color32::from_rgba_unmultiplied(r, g, b, a);
        self.vertices.extend(positions.map(|[x, y]| Vertex {
            pos: Pos2::new(x, y),
            uv: egui::epaint::WHITE_UV,
            color,
        }));
    }

    fn extend_indices(&mut self, indices: impl Iterator<Item = u32>) {
        self.indices.extend(indices);
    }
}
