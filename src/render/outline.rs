//! Boundary lines as triangle strips in world space, built for one line width at one zoom and reused while the zoom
//! stays the same: per-polygon strokes every frame are far too slow for a national map.

use super::WorldMesh;
use geo::{Coord, CoordsIter as _, MultiPolygon};

/// A line style: solid, or dashed with dash and gap lengths in world metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LineStyle {
    /// Unbroken.
    Solid,
    /// Dashes `dash` long with `gap` between (both in world metres).
    Dashed {
        /// Dash length.
        dash: f64,
        /// Gap length.
        gap: f64,
    },
}

/// Builds quads for every ring edge of the geometries, `width_in_world` metres wide. Each segment is extended by half
/// the width at both ends so joins have no notches.
pub fn outline_mesh<'a>(
    geometries: impl Iterator<Item = &'a MultiPolygon<f64>>,
    width_in_world: f64,
    style: LineStyle,
    origin_in_world: Coord<f64>,
) -> WorldMesh {
    let mut mesh = WorldMesh {
        origin_in_world,
        ..WorldMesh::default()
    };
    let half = width_in_world / 2.0;
    for geometry in geometries {
        for polygon in geometry {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let coords: Vec<Coord<f64>> = ring.coords_iter().collect();
                match style {
                    LineStyle::Solid => {
                        for pair in coords.windows(2) {
                            push_segment(&mut mesh, pair[0], pair[1], half);
                        }
                    }
                    LineStyle::Dashed { dash, gap } => push_dashes(&mut mesh, &coords, half, dash, gap),
                }
            }
        }
    }
    mesh
}

/// Walks a ring laying dashes along it, carrying the pattern across vertices. The pattern position is carried as its
/// own small number (not the distance travelled along the ring, whose remainder loses precision on long national rings),
/// and every step advances at least a millimetre, so float rounding can never stall the walk.
fn push_dashes(mesh: &mut WorldMesh, coords: &[Coord<f64>], half: f64, dash: f64, gap: f64) {
    const MIN_STEP: f64 = 1e-3;
    let period = dash + gap;
    if period <= MIN_STEP * 2.0 {
        return;
    }
    let mut phase = 0.0;
    for pair in coords.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let length = (b.x - a.x).hypot(b.y - a.y);
        let point = |t: f64| Coord {
            x: a.x + (b.x - a.x) * t / length,
            y: a.y + (b.y - a.y) * t / length,
        };
        let mut at = 0.0;
        while length - at > MIN_STEP {
            let on = phase < dash;
            let remaining = if on { dash - phase } else { period - phase };
            let step = remaining.min(length - at).max(MIN_STEP);
            if on {
                push_segment(mesh, point(at), point((at + step).min(length)), half);
            }
            at += step;
            phase += step;
            if phase >= period - MIN_STEP {
                phase = 0.0;
            } else if on && phase >= dash - MIN_STEP {
                phase = dash;
            }
        }
    }
}

fn push_segment(mesh: &mut WorldMesh, a: Coord<f64>, b: Coord<f64>, half: f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = dx.hypot(dy);
    if length == 0.0 {
        return;
    }
    let (ux, uy) = (dx / length * half, dy / length * half);
    let (nx, ny) = (-uy, ux);
    let o = mesh.origin_in_world;
    let corner = |c: Coord<f64>, sx: f64, sy: f64| [(c.x + sx - o.x) as f32, (c.y + sy - o.y) as f32];
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend([
        corner(a, -ux + nx, -uy + ny),
        corner(a, -ux - nx, -uy - ny),
        corner(b, ux - nx, uy - ny),
        corner(b, ux + nx, uy + ny),
    ]);
    mesh.indices
        .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
}

/// The zoom level an outline cache is valid for: `metres_per_point` rounded to quarter powers of two, so a cache is
/// rebuilt about every 19% of zoom, never while panning.
pub fn zoom_level(metres_per_point: f64) -> i32 {
    (metres_per_point.log2() * 4.0).round() as i32
}

/// The `metres_per_point` a zoom level stands for.
pub fn metres_per_point_of_level(level: i32) -> f64 {
    2f64.powf(f64::from(level) / 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_on_long_national_rings_finish_and_cover_the_pattern() {
        // A ring far from the origin with segment lengths that leave float remainders: the walk used to stall here.
        let coords: Vec<Coord<f64>> = (0..2_000)
            .map(|i| {
                let t = f64::from(i) * 0.0031;
                Coord {
                    x: 400_000.0 + 90_000.0 * t.cos() + 0.1 * f64::from(i % 7),
                    y: 300_000.0 + 90_000.0 * t.sin(),
                }
            })
            .collect();
        let mut mesh = WorldMesh::default();
        push_dashes(&mut mesh, &coords, 1.0, 7.0 * 1.189_207, 4.0 * 1.189_207);
        let length: f64 = coords
            .windows(2)
            .map(|p| (p[1].x - p[0].x).hypot(p[1].y - p[0].y))
            .sum();
        let quads = mesh.vertices.len() / 4;
        // About one quad per dash, plus one more wherever a dash turns a vertex.
        let dashes = length / (11.0 * 1.189_207);
        assert!(
            quads as f64 >= dashes * 0.9 && (quads as f64) <= dashes + 2_000.0,
            "{quads} quads for {dashes} dashes"
        );
    }
}
