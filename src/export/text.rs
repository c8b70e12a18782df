//! Text for exports: egui's own Ubuntu Light (Ubuntu Font Licence 1.0, shipped in `epaint_default_fonts`) laid out
//! with `ab_glyph` and drawn as `tiny-skia` paths, so text is anti-aliased like the map, can carry a white halo
//! (a stroke under the fill) and a heavier weight for headings (a thin stroke in the text colour).

use ab_glyph::{Font as _, FontRef, GlyphId, OutlineCurve};
use std::borrow::Cow;
use tiny_skia::{Color, FillRule, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, Stroke, Transform};

/// Where a line of text sits relative to its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Anchor is the start of the baseline.
    Left,
    /// Anchor is the middle of the baseline.
    Center,
    /// Anchor is the end of the baseline.
    Right,
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug)]
pub struct TextStyle {
    /// Em size in pixels.
    pub size_px: f32,
    /// Text colour.
    pub colour: Color,
    /// White halo this many pixels wide around the glyphs, for text over the map.
    pub halo_px: f32,
    /// Extra weight: a stroke of this width (pixels) in the text colour. 0 = the font's own light weight.
    pub embolden_px: f32,
}

impl TextStyle {
    /// Plain text of a size and colour.
    pub fn new(size_px: f32, colour: Color) -> Self {
        Self {
            size_px,
            colour,
            halo_px: 0.0,
            embolden_px: 0.0,
        }
    }

    /// Heavier, for headings.
    pub fn bold(mut self) -> Self {
        self.embolden_px = self.size_px * 0.045;
        self
    }

    /// With a white halo.
    pub fn halo(mut self, px: f32) -> Self {
        self.halo_px = px;
        self
    }

    /// Baseline-to-baseline distance.
    pub fn line_height(&self) -> f32 {
        self.size_px * 1.28
    }
}

/// The export font and its measurements.
pub struct TextPainter {
    font: FontRef<'static>,
    units_per_em: f32,
}

impl Default for TextPainter {
    fn default() -> Self {
        Self::new()
    }
}

impl TextPainter {
    /// Ubuntu Light from egui's default fonts.
    pub fn new() -> Self {
        let font = FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT)
            .expect("the Ubuntu Light font built into epaint_default_fonts parses");
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        Self { font, units_per_em }
    }

    /// True when the font has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        c.is_whitespace() || self.font.glyph_id(c) != GlyphId(0)
    }

    /// The text with characters the font lacks replaced by ASCII stand-ins (`≤` → `<=`).
    pub fn displayable<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.chars().all(|c| self.has_glyph(c)) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if self.has_glyph(c) {
                out.push(c);
                continue;
            }
            out.push_str(match c {
                '−' | '–' | '—' => "-",
                '≤' => "<=",
                '≥' => ">=",
                '©' => "(c)",
                '×' => "x",
                _ => "?",
            });
        }
        Cow::Owned(out)
    }

    /// The font file, for writers that embed it (PDF, SVG) so their text is real text in the same face.
    pub fn font_data(&self) -> &'static [u8] {
        epaint_default_fonts::UBUNTU_LIGHT
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Ascent and descent (negative) in font units.
    pub fn ascent_descent_units(&self) -> (f32, f32) {
        (self.font.ascent_unscaled(), self.font.descent_unscaled())
    }

    /// A line as glyphs: per character (after the stand-ins) its glyph id, the kerning before it and its advance,
    /// in font units, exactly as `width` and `draw` place them.
    pub fn glyphs(&self, text: &str) -> Vec<(u16, char, f32, f32)> {
        let mut previous: Option<GlyphId> = None;
        self.displayable(text)
            .chars()
            .map(|c| {
                let id = self.font.glyph_id(c);
                let kern = previous.map_or(0.0, |p| self.font.kern_unscaled(p, id));
                previous = Some(id);
                (id.0, c, kern, self.font.h_advance_unscaled(id))
            })
            .collect()
    }

    /// Distance above the baseline to the top of capitals (approximately the ascent less the accents' room).
    pub fn cap_height(&self, size_px: f32) -> f32 {
        size_px * 0.69
    }

    /// Advance width of a line in pixels.
    pub fn width(&self, text: &str, size_px: f32) -> f32 {
        let scale = size_px / self.units_per_em;
        let mut width = 0.0;
        let mut previous: Option<GlyphId> = None;
        for c in self.displayable(text).chars() {
            let id = self.font.glyph_id(c);
            if let Some(p) = previous {
                width += self.font.kern_unscaled(p, id) * scale;
            }
            width += self.font.h_advance_unscaled(id) * scale;
            previous = Some(id);
        }
        width
    }

    /// Breaks text into lines no wider than `max_width_px`, at spaces (a single over-long word gets its own line).
    pub fn wrap(&self, text: &str, size_px: f32, max_width_px: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, size_px) > max_width_px {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The glyph outlines of a line as one path, the baseline starting at `(x, baseline_y)`.
    pub fn path(&self, text: &str, size_px: f32, x: f32, baseline_y: f32) -> Option<Path> {
        let scale = size_px / self.units_per_em;
        let mut builder = PathBuilder::new();
        let mut pen_x = x;
        let mut previous: Option<GlyphId> = None;
        for c in self.displayable(text).chars() {
            let id = self.font.glyph_id(c);
            if let Some(p) = previous {
                pen_x += self.font.kern_unscaled(p, id) * scale;
            }
            if let Some(outline) = self.font.outline(id) {
                // Font units are y-up; pixels are y-down.
                let at = |p: ab_glyph::Point| (pen_x + p.x * scale, baseline_y - p.y * scale);
                let mut end: Option<ab_glyph::Point> = None;
                for curve in &outline.curves {
                    let start = match curve {
                        OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, _, _, _) => *a,
                    };
                    if end != Some(start) {
                        if end.is_some() {
                            builder.close();
                        }
                        let (sx, sy) = at(start);
                        builder.move_to(sx, sy);
                    }
                    match curve {
                        OutlineCurve::Line(_, b) => {
                            let (bx, by) = at(*b);
                            builder.line_to(bx, by);
                            end = Some(*b);
                        }
                        OutlineCurve::Quad(_, c1, b) => {
                            let ((cx, cy), (bx, by)) = (at(*c1), at(*b));
                            builder.quad_to(cx, cy, bx, by);
                            end = Some(*b);
                        }
                        OutlineCurve::Cubic(_, c1, c2, b) => {
                            let ((c1x, c1y), (c2x, c2y), (bx, by)) = (at(*c1), at(*c2), at(*b));
                            builder.cubic_to(c1x, c1y, c2x, c2y, bx, by);
                            end = Some(*b);
                        }
                    }
                }
                if end.is_some() {
                    builder.close();
                }
            }
            pen_x += self.font.h_advance_unscaled(id) * scale;
            previous = Some(id);
        }
        builder.finish()
    }

    /// Draws one line; returns its advance width.
    pub fn draw(
        &self,
        pixmap: &mut Pixmap,
        text: &str,
        anchor: [f32; 2],
        align: Align,
        style: &TextStyle,
        mask: Option<&Mask>,
    ) -> f32 {
        let width = self.width(text, style.size_px);
        let x = match align {
            Align::Left => anchor[0],
            Align::Center => anchor[0] - width / 2.0,
            Align::Right => anchor[0] - width,
        };
        let Some(path) = self.path(text, style.size_px, x, anchor[1]) else {
            return width;
        };
        let mut paint = Paint {
            anti_alias: true,
            ..Paint::default()
        };
        if style.halo_px > 0.0 {
            paint.set_color(Color::from_rgba8(255, 255, 255, 230));
            let halo = Stroke {
                width: style.halo_px * 2.0 + style.embolden_px,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(&path, &paint, &halo, Transform::identity(), mask);
        }
        paint.set_color(style.colour);
        pixmap.fill_path(&path, &paint, FillRule::Winding, Transform::identity(), mask);
        if style.embolden_px > 0.0 {
            let stroke = Stroke {
                width: style.embolden_px,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), mask);
        }
        width
    }

    /// Draws wrapped lines downwards from the first baseline; returns the baseline after the last line.
    pub fn draw_lines(
        &self,
        pixmap: &mut Pixmap,
        lines: &[String],
        x: f32,
        first_baseline: f32,
        style: &TextStyle,
    ) -> f32 {
        let mut baseline = first_baseline;
        for line in lines {
            self.draw(pixmap, line, [x, baseline], Align::Left, style, None);
            baseline += style.line_height();
        }
        baseline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_characters_are_in_the_font_or_replaced() {
        let text = TextPainter::new();
        for c in ['©', '–', '−', '≤', '×', 'A', 'z', '0', '&', '%', '(', ')'] {
            assert!(text.has_glyph(c), "{c:?} missing from Ubuntu Light");
        }
        // Whatever the font lacks comes out as ASCII, never as a missing-glyph box.
        let shown = text.displayable("−713 ≤ 328 © 2019");
        assert!(shown.chars().all(|c| text.has_glyph(c)), "{shown}");
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_width() {
        let text = TextPainter::new();
        let lines = text.wrap(
            "IMD ranks are relative: a worse rank can mean other areas improved faster.",
            20.0,
            200.0,
        );
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(text.width(line, 20.0) <= 200.0, "{line}");
        }
        assert_eq!(
            lines.join(" "),
            "IMD ranks are relative: a worse rank can mean other areas improved faster."
        );
    }

    #[test]
    fn drawn_text_darkens_pixels_inside_its_box() {
        let text = TextPainter::new();
        let mut pixmap = Pixmap::new(200, 60).unwrap();
        pixmap.fill(Color::WHITE);
        let width = text.draw(
            &mut pixmap,
            "Leeds",
            [10.0, 40.0],
            Align::Left,
            &TextStyle::new(30.0, Color::BLACK),
            None,
        );
        assert!(width > 40.0 && width < 120.0, "{width}");
        let dark = pixmap.pixels().iter().filter(|p| p.red() < 100).count();
        assert!(dark > 100, "{dark} dark pixels");
    }
}
