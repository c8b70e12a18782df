//! The map image's rasteriser: meshes in screen points drawn on the CPU by OpenGL's rules (a pixel belongs to a
//! triangle when its centre is inside; pixels on a shared edge to exactly one of the two triangles), so the image is
//! the one the renderer drew from the same meshes, blending premultiplied colours in gamma space as egui's renderers
//! do. Vertex colours are interpolated across a triangle (only the markers' feathered edges need it; fills and lines
//! are flat). Textures are not sampled: the meshes drawn here are untextured. Why the map is drawn this way at all:
//! see `map_canvas`.

use egui::{Color32, ColorImage};
use rayon::prelude::*;

/// Draws `meshes` (screen points) in order onto `background`, into an image of `size_px` pixels whose top-left pixel
/// corner is at `origin_px` (screen pixels, i.e. points × `pixels_per_point`).
///
/// ```
/// use egui::{Color32, Mesh, Pos2, Rect};
/// use locality_map::ui::rasterise;
/// let mut mesh = Mesh::default();
/// mesh.add_colored_rect(Rect::from_min_max(Pos2::new(1.0, 1.0), Pos2::new(3.0, 2.0)), Color32::RED);
/// let image = rasterise(&[&mesh], [0.0, 0.0], 1.0, [4, 3], Color32::WHITE);
/// let red: Vec<usize> = (0..12).filter(|i| image.pixels[*i] == Color32::RED).collect();
/// assert_eq!(red, vec![5, 6]); // row 1, columns 1 and 2
/// ```
pub fn rasterise(
    meshes: &[&egui::Mesh],
    origin_px: [f32; 2],
    pixels_per_point: f32,
    size_px: [usize; 2],
    background: Color32,
) -> ColorImage {
    let [width, height] = size_px;
    let mut pixels = vec![background; width * height];
    if width == 0 || height == 0 {
        return ColorImage::new(size_px, pixels);
    }
    // Every corner in image pixels, once.
    let corners: Vec<Vec<Corner>> = meshes
        .par_iter()
        .map(|mesh| {
            mesh.vertices
                .iter()
                .map(|v| {
                    let p = [
                        v.pos.x * pixels_per_point - origin_px[0],
                        v.pos.y * pixels_per_point - origin_px[1],
                    ];
                    (p, v.color)
                })
                .collect()
        })
        .collect();
    // Horizontal bands drawn in parallel. Each triangle is listed, in drawing order, in the bands its rows reach, so
    // a band goes through its own triangles only (blending stays in order within it).
    let band_rows = height.div_ceil(rayon::current_num_threads() * 4).max(16);
    let mut by_band: Vec<Vec<[Corner; 3]>> = vec![Vec::new(); height.div_ceil(band_rows)];
    for (mesh, corners) in meshes.iter().zip(&corners) {
        for triangle in mesh.indices.chunks_exact(3) {
            let corner = |i: u32| corners.get(i as usize).copied();
            let (Some(a), Some(b), Some(c)) = (corner(triangle[0]), corner(triangle[1]), corner(triangle[2])) else {
                continue;
            };
            let (low, high) = (a.0[1].min(b.0[1]).min(c.0[1]), a.0[1].max(b.0[1]).max(c.0[1]));
            // Rows whose pixel centres (y + 0.5) it can cover.
            let (first, last) = ((low - 0.5).ceil(), (high - 0.5).floor().min(height as f32 - 1.0));
            if !(first.is_finite() && last.is_finite()) || last < first.max(0.0) {
                continue;
            }
            for list in by_band
                .iter_mut()
                .take(last as usize / band_rows + 1)
                .skip(first.max(0.0) as usize / band_rows)
            {
                list.push([a, b, c]);
            }
        }
    }
    pixels
        .par_chunks_mut(band_rows * width)
        .zip(by_band.par_iter())
        .enumerate()
        .for_each(|(band, (rows, triangles))| {
            let mut target = Band {
                pixels: rows,
                width,
                first_row: band * band_rows,
            };
            for [a, b, c] in triangles {
                target.fill_triangle(*a, *b, *c);
            }
        });
    ColorImage::new(size_px, pixels)
}

/// Rows `first_row..` of the image.
struct Band<'a> {
    pixels: &'a mut [Color32],
    width: usize,
    first_row: usize,
}

impl Band<'_> {
    fn fill_triangle(&mut self, a: Corner, mut b: Corner, mut c: Corner) {
        if a.1.a() == 0 && b.1.a() == 0 && c.1.a() == 0 {
            return;
        }
        // Wound one way, so that inside is where all three edge functions are positive.
        let area = (b.0[0] - a.0[0]) * (c.0[1] - a.0[1]) - (b.0[1] - a.0[1]) * (c.0[0] - a.0[0]);
        if !area.is_finite() || area == 0.0 {
            return;
        }
        if area < 0.0 {
            std::mem::swap(&mut b, &mut c);
        }
        let ([a, b, c], [ca, cb, cc]) = ([a.0, b.0, c.0], [a.1, b.1, c.1]);
        let rows = self.pixels.len() / self.width;
        let (first, last) = (self.first_row as f32, (self.first_row + rows) as f32 - 1.0);
        // Pixels whose centres (x + 0.5) can be inside the triangle's box.
        let min_x = (a[0].min(b[0]).min(c[0]) - 0.5).ceil().max(0.0);
        let max_x = (a[0].max(b[0]).max(c[0]) - 0.5).floor().min(self.width as f32 - 1.0);
        let min_y = (a[1].min(b[1]).min(c[1]) - 0.5).ceil().max(first);
        let max_y = (a[1].max(b[1]).max(c[1]) - 0.5).floor().min(last);
        if min_x > max_x || min_y > max_y {
            return;
        }
        // Opposite each corner, the edge whose function is that corner's barycentric weight (times twice the area).
        let edges = [Edge::new(b, c), Edge::new(c, a), Edge::new(a, b)];
        // Flat triangles (all the fills and lines) take one colour; the tessellated markers' feathered edges fade,
        // their colours interpolated across the triangle as the renderer would.
        let flat = ca == cb && cb == cc;
        let twice_area = area.abs();
        let (x0, x1) = (min_x as usize, max_x as usize);
        for y in min_y as usize..=max_y as usize {
            let py = y as f32 + 0.5;
            // The row's span from where each edge crosses it, widened by a pixel: thin slanted lines would otherwise
            // test every pixel of their box. The exact test below still decides each pixel.
            let (mut from, mut to) = (x0 as f32, x1 as f32);
            // Narrow boxes (most national triangles) are quicker tested whole.
            for edge in edges.iter().filter(|_| x1 - x0 > 8) {
                let (slope, at_zero) = edge.along_row(py);
                if slope > 0.0 {
                    from = from.max((-at_zero / slope - 0.5).floor() - 1.0);
                } else if slope < 0.0 {
                    to = to.min((-at_zero / slope - 0.5).ceil() + 1.0);
                } else if at_zero < 0.0 {
                    to = from - 1.0;
                }
            }
            if from > to {
                continue;
            }
            let (from, to) = (from as usize, to as usize);
            let row_start = (y - self.first_row) * self.width;
            let Some(row) = self.pixels.get_mut(row_start + from..=row_start + to) else {
                continue;
            };
            for (dx, pixel) in row.iter_mut().enumerate() {
                let px = (from + dx) as f32 + 0.5;
                let e = [0, 1, 2].map(|k| edges[k].value(px, py));
                if !edges.iter().zip(e).all(|(edge, v)| edge.covers(v)) {
                    continue;
                }
                let colour = if flat {
                    ca
                } else {
                    let w = e.map(|v| v / twice_area);
                    let mix = |f: fn(&Color32) -> u8| {
                        (w[0] * f32::from(f(&ca)) + w[1] * f32::from(f(&cb)) + w[2] * f32::from(f(&cc)))
                            .round()
                            .clamp(0.0, 255.0) as u8
                    };
                    Color32::from_rgba_premultiplied(mix(Color32::r), mix(Color32::g), mix(Color32::b), mix(Color32::a))
                };
                *pixel = over(colour, *pixel);
            }
        }
    }
}

/// A triangle corner in image pixels, with its colour.
type Corner = ([f32; 2], Color32);

/// One edge of a triangle wound so that its inside is where every edge function is positive.
struct Edge {
    from: [f32; 2],
    d: [f32; 2],
    /// Owns the pixels exactly on it: of the two triangles sharing an edge (which run along it in opposite
    /// directions), exactly one does, so a shared edge is drawn once (a half-transparent line would show a seam).
    owns_ties: bool,
}

impl Edge {
    fn new(from: [f32; 2], to: [f32; 2]) -> Self {
        let d = [to[0] - from[0], to[1] - from[1]];
        Self {
            from,
            d,
            owns_ties: d[1] > 0.0 || (d[1] == 0.0 && d[0] < 0.0),
        }
    }

    fn value(&self, x: f32, y: f32) -> f32 {
        self.d[0] * (y - self.from[1]) - self.d[1] * (x - self.from[0])
    }

    /// The edge function along the row through `y`: `value(x, y) = slope · x + at_zero`.
    fn along_row(&self, y: f32) -> (f32, f32) {
        (-self.d[1], self.d[0] * (y - self.from[1]) + self.d[1] * self.from[0])
    }

    fn covers(&self, value: f32) -> bool {
        value > 0.0 || (value == 0.0 && self.owns_ties)
    }
}

/// Premultiplied "over", in gamma space like egui's renderers.
fn over(src: Color32, dst: Color32) -> Color32 {
    let a = src.a();
    if a == 255 {
        return src;
    }
    let keep = u32::from(255 - a);
    let mix = |s: u8, d: u8| (u32::from(s) + (u32::from(d) * keep + 127) / 255).min(255) as u8;
    Color32::from_rgba_premultiplied(
        mix(src.r(), dst.r()),
        mix(src.g(), dst.g()),
        mix(src.b(), dst.b()),
        mix(a, dst.a()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Mesh, Pos2, Rect};

    fn count(image: &ColorImage, colour: Color32) -> usize {
        image.pixels.iter().filter(|p| **p == colour).count()
    }

    /// A rectangle from `min` to `max` (points) as two triangles of one colour.
    fn rect_mesh(min: (f32, f32), max: (f32, f32), colour: Color32) -> Mesh {
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(
            Rect::from_min_max(Pos2::new(min.0, min.1), Pos2::new(max.0, max.1)),
            colour,
        );
        mesh
    }

    #[test]
    fn a_square_split_into_two_triangles_covers_its_pixels_once() {
        // 10 × 10 points at 2 pixels a point: 400 pixels, each drawn exactly once (a half-transparent fill shows
        // any pixel drawn twice along the diagonal as darker).
        let half_black = Color32::from_black_alpha(128);
        let mesh = rect_mesh((5.0, 5.0), (15.0, 15.0), half_black);
        let image = rasterise(&[&mesh], [0.0, 0.0], 2.0, [40, 40], Color32::WHITE);
        let once = over(half_black, Color32::WHITE);
        assert_eq!(count(&image, once), 400);
        assert_eq!(count(&image, Color32::WHITE), 40 * 40 - 400);
    }

    #[test]
    fn neighbouring_triangles_leave_no_gap_and_no_overlap() {
        // A fan of thin triangles around a centre at irregular angles: every pixel of the disc they make is drawn
        // exactly once, as GL would.
        let mut mesh = Mesh::default();
        let centre = Pos2::new(20.3, 19.7);
        let half_black = Color32::from_black_alpha(100);
        mesh.vertices.push(egui::epaint::Vertex {
            pos: centre,
            uv: egui::epaint::WHITE_UV,
            color: half_black,
        });
        let n = 37;
        for k in 0..=n {
            let angle = std::f32::consts::TAU * (k as f32 / n as f32).powf(1.3);
            mesh.vertices.push(egui::epaint::Vertex {
                pos: centre + 15.0 * egui::vec2(angle.cos(), angle.sin()),
                uv: egui::epaint::WHITE_UV,
                color: half_black,
            });
            if k > 0 {
                mesh.indices.extend([0, k, k + 1]);
            }
        }
        let image = rasterise(&[&mesh], [0.0, 0.0], 1.0, [40, 40], Color32::WHITE);
        let once = over(half_black, Color32::WHITE);
        let drawn = image.pixels.iter().filter(|p| **p != Color32::WHITE).count();
        assert_eq!(count(&image, once), drawn, "some pixels were drawn twice");
        // About the disc's area (the polygon inscribed in a radius-15 circle).
        assert!((drawn as f32 - 700.0).abs() < 40.0, "{drawn}");
    }

    /// Every pixel of the image tested against every triangle, in order: what the row spans must reproduce.
    fn brute_force(triangles: &[[Corner; 3]], size: [usize; 2], background: Color32) -> Vec<Color32> {
        let mut pixels = vec![background; size[0] * size[1]];
        for [a, b, c] in triangles {
            let (a, mut b, mut c) = (*a, *b, *c);
            let area = (b.0[0] - a.0[0]) * (c.0[1] - a.0[1]) - (b.0[1] - a.0[1]) * (c.0[0] - a.0[0]);
            if area == 0.0 {
                continue;
            }
            if area < 0.0 {
                std::mem::swap(&mut b, &mut c);
            }
            let edges = [Edge::new(b.0, c.0), Edge::new(c.0, a.0), Edge::new(a.0, b.0)];
            for (i, pixel) in pixels.iter_mut().enumerate() {
                let (x, y) = ((i % size[0]) as f32 + 0.5, (i / size[0]) as f32 + 0.5);
                if edges.iter().all(|e| e.covers(e.value(x, y))) {
                    *pixel = over(a.1, *pixel);
                }
            }
        }
        pixels
    }

    #[test]
    fn row_spans_draw_exactly_the_pixels_a_full_test_draws() {
        // Pseudo-random triangles, many of them long and thin like the map's line quads, half-transparent so a
        // pixel drawn twice or missed shows.
        let mut seed = 0x2545_f491_u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1u32 << 24) as f32
        };
        let size = [97, 83];
        let mut mesh = Mesh::default();
        let mut triangles = Vec::new();
        for k in 0..400u32 {
            let a = Pos2::new(next() * 110.0 - 5.0, next() * 95.0 - 5.0);
            let thin = k % 2 == 0;
            let b = a + egui::vec2(next() * 60.0 - 30.0, next() * 60.0 - 30.0);
            let c = if thin {
                b + egui::vec2(next() * 1.5, next() * 1.5)
            } else {
                a + egui::vec2(next() * 40.0 - 20.0, next() * 40.0 - 20.0)
            };
            let colour = Color32::from_rgba_premultiplied(0, (k % 7 * 20) as u8, 60, 90);
            for p in [a, b, c] {
                mesh.vertices.push(egui::epaint::Vertex {
                    pos: p,
                    uv: egui::epaint::WHITE_UV,
                    color: colour,
                });
            }
            mesh.indices.extend([3 * k, 3 * k + 1, 3 * k + 2]);
            triangles.push([a, b, c].map(|p| ([p.x, p.y], colour)));
        }
        let image = rasterise(&[&mesh], [0.0, 0.0], 1.0, size, Color32::WHITE);
        assert_eq!(image.pixels, brute_force(&triangles, size, Color32::WHITE));
    }

    #[test]
    fn bands_meet_without_seams() {
        // Tall enough for many parallel bands: a full-height triangle pair fills every row of its columns.
        let mesh = rect_mesh((0.0, 0.0), (3.0, 500.0), Color32::RED);
        let image = rasterise(&[&mesh], [0.0, 0.0], 1.0, [5, 500], Color32::WHITE);
        assert_eq!(count(&image, Color32::RED), 3 * 500);
        // Reaching past the image at both ends and off its left side: clipped, not dropped.
        let mesh = rect_mesh((-4.0, -30.0), (2.0, 900.0), Color32::RED);
        let image = rasterise(&[&mesh], [0.0, 0.0], 1.0, [5, 500], Color32::WHITE);
        assert_eq!(count(&image, Color32::RED), 2 * 500);
    }

    #[test]
    fn later_meshes_draw_over_earlier_and_the_origin_shifts_everything() {
        let under = rect_mesh((100.0, 100.0), (104.0, 104.0), Color32::RED);
        let top = rect_mesh((102.0, 100.0), (104.0, 104.0), Color32::BLUE);
        let image = rasterise(&[&under, &top], [100.0, 100.0], 1.0, [4, 4], Color32::WHITE);
        assert_eq!(image.pixels[0], Color32::RED);
        assert_eq!(image.pixels[3], Color32::BLUE);
        assert_eq!(count(&image, Color32::RED), 8);
    }
}
