//! The text parts of a report page: the right-hand column (title, subtitle, legend with class breaks and counts, the 1%
//! key, the caveat) and the bottom strip (attribution, source editions, export date). Each is laid out by one function
//! that can measure without drawing, so the page can shrink the column's type when it would not fit.

use super::furniture::{colour_of, draw_transition_marker, fill_rect, ink, stroke_rect};
use super::surface::{LineStyle, Surface};
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::{EditionComparison, Transition};
use crate::render::{ScreenRect, transition_marker};
use crate::style::{Legend, TOP1_ORANGE, WARD_LINE};
use tiny_skia::{Color, PathBuilder};

/// Grey for secondary text.
fn grey() -> Color {
    Color::from_rgba8(85, 85, 85, 255)
}

/// Writes lines down a column, or only measures them when there is no surface.
pub struct ColumnWriter<'a, 's> {
    surface: Option<&'a mut (dyn Surface + 's)>,
    text: &'a TextPainter,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top of the next item.
    pub y: f32,
    /// Pixels per point.
    pub u: f32,
}

impl<'a, 's> ColumnWriter<'a, 's> {
    /// A writer from `(x0, y)` to `x1`.
    pub fn new(
        surface: Option<&'a mut (dyn Surface + 's)>,
        text: &'a TextPainter,
        x0: f32,
        x1: f32,
        y: f32,
        u: f32,
    ) -> Self {
        Self {
            surface,
            text,
            x0,
            x1,
            y,
            u,
        }
    }

    /// Wrapped text from `x` to the right edge.
    pub fn paragraph_at(&mut self, x: f32, text: &str, style: &TextStyle, align: Align) {
        let lines = self.text.wrap(text, style.size_px, self.x1 - x);
        for line in lines {
            let baseline = self.y + self.text.cap_height(style.size_px) + (style.line_height() - style.size_px) / 2.0;
            if let Some(surface) = self.surface.as_deref_mut() {
                let anchor = match align {
                    Align::Right => [self.x1, baseline],
                    Align::Center => [(x + self.x1) / 2.0, baseline],
                    Align::Left => [x, baseline],
                };
                surface.text(self.text, &line, anchor, align, style, None);
            }
            self.y += style.line_height();
        }
    }

    /// Wrapped text across the column.
    pub fn paragraph(&mut self, text: &str, style: &TextStyle) {
        self.paragraph_at(self.x0, text, style, Align::Left);
    }

    /// Vertical space in points.
    pub fn gap(&mut self, points: f32) {
        self.y += points * self.u;
    }

    /// A legend row: a key drawn by `key` in a box at the left, the label wrapped beside it, an optional count at the
    /// right edge.
    pub fn key_row(&mut self, label: &str, count: Option<usize>, key: impl FnOnce(&mut dyn Surface, ScreenRect)) {
        let u = self.u;
        let style = TextStyle::new(8.5 * u, ink());
        let key_box = ScreenRect {
            min: [self.x0, self.y + 1.5 * u],
            max: [self.x0 + 16.0 * u, self.y + 10.5 * u],
        };
        let count_text = count.map(|n| n.to_string()).unwrap_or_default();
        let count_width = self.text.width(&count_text, style.size_px) + 6.0 * u;
        let label_x = key_box.max[0] + 6.0 * u;
        let lines = self.text.wrap(label, style.size_px, self.x1 - count_width - label_x);
        let baseline = self.y + 6.0 * u + self.text.cap_height(style.size_px) / 2.0;
        if let Some(surface) = self.surface.as_deref_mut() {
            key(surface, key_box);
            let mut line_baseline = baseline;
            for line in &lines {
                surface.text(self.text, line, [label_x, line_baseline], Align::Left, &style, None);
                line_baseline += style.line_height();
            }
            if count.is_some() {
                surface.text(self.text, &count_text, [self.x1, baseline], Align::Right, &style, None);
            }
        }
        let text_height = style.line_height() * lines.len().max(1) as f32;
        self.y += text_height.max(12.0 * u) + 2.0 * u;
    }
}

/// What the right-hand column says.
pub struct ColumnContent<'a> {
    /// The editable title.
    pub title: &'a str,
    /// The comparison shown.
    pub comparison: &'a EditionComparison,
    /// Legend of the styled map.
    pub legend: &'a Legend,
    /// Whether markers and dashes are drawn.
    pub show_transitions: bool,
    /// Whether ward boundaries are drawn.
    pub has_wards: bool,
    /// On a map zoomed to part of the LA (a ward), the counts still cover the whole LA: the count heading says so.
    pub counts_cover_whole_la: bool,
    /// Whether any LSOA on the map is filled by the styled classes: `false` when a group layer fills every one, so
    /// the column does not show a key to colours the map does not use.
    pub classes_shown: bool,
}

/// Lays out (and draws, with a surface) the column from `rect.min`; returns the legend's rectangle and the bottom.
pub fn draw_column<'s>(
    surface: Option<&mut (dyn Surface + 's)>,
    text: &TextPainter,
    content: &ColumnContent<'_>,
    rect: ScreenRect,
    u: f32,
) -> (ScreenRect, f32) {
    let mut w = ColumnWriter::new(surface, text, rect.min[0], rect.max[0], rect.min[1], u);
    let c = content.comparison;
    w.paragraph(content.title, &TextStyle::new(17.0 * u, ink()).bold());
    w.gap(2.0);
    w.paragraph(
        &format!("IMD {} to {}; rank 1 = most deprived", c.from, c.to),
        &TextStyle::new(9.5 * u, grey()),
    );
    w.gap(12.0);
    let legend_top = w.y;
    if content.classes_shown {
        class_key(&mut w, content, u);
    }
    top1_key(&mut w, content, u);
    w.gap(6.0);
    for note in &content.legend.notes {
        w.paragraph(note, &TextStyle::new(7.0 * u, grey()));
        w.gap(2.0);
    }
    let legend_rect = ScreenRect {
        min: [rect.min[0], legend_top],
        max: [rect.max[0], w.y],
    };
    (legend_rect, w.y)
}

/// The styled classes' key: heading, subtitle and a row per class with its LSOA count.
fn class_key(w: &mut ColumnWriter<'_, '_>, content: &ColumnContent<'_>, u: f32) {
    let c = content.comparison;
    w.paragraph(&content.legend.title, &TextStyle::new(10.0 * u, ink()).bold());
    w.gap(1.5);
    w.paragraph(&content.legend.subtitle, &TextStyle::new(7.5 * u, grey()));
    w.gap(3.0);
    let counts_heading = if content.counts_cover_whole_la {
        format!("LSOAs in all of {}", c.la_name)
    } else {
        "LSOAs".to_string()
    };
    w.paragraph_at(w.x0, &counts_heading, &TextStyle::new(7.0 * u, grey()), Align::Right);
    for entry in &content.legend.entries {
        let fill = colour_of(entry.colour);
        w.key_row(&entry.label, Some(entry.count), |surface, key| {
            fill_rect(surface, key, fill);
            stroke_rect(surface, key, Color::from_rgba8(120, 120, 120, 255), 0.4 * u);
        });
    }
    w.gap(6.0);
}

/// The 1% key (outline, transition markers) and the ward line.
fn top1_key(w: &mut ColumnWriter<'_, '_>, content: &ColumnContent<'_>, u: f32) {
    let c = content.comparison;
    w.paragraph("Most deprived 1% of England", &TextStyle::new(10.0 * u, ink()).bold());
    w.gap(3.0);
    let orange = colour_of(TOP1_ORANGE);
    let in_top1 = c.rows.iter().filter(|r| r.in_top1_to).count();
    w.key_row(
        &format!("Orange outline: in the 1% in {} (rank ≤ {})", c.to, c.threshold_to),
        Some(in_top1),
        |surface, key| {
            fill_rect(surface, key, Color::WHITE);
            stroke_rect(surface, inset(key, 0.85 * u), orange, 1.7 * u);
        },
    );
    if content.show_transitions {
        let count = |t: Transition| c.rows.iter().filter(|r| r.transition == t).count();
        for transition in [Transition::Stayed, Transition::MovedIn] {
            w.key_row(transition.label(), Some(count(transition)), |surface, key| {
                if let Some(marker) = transition_marker(transition) {
                    draw_transition_marker(surface, key_centre(key), &marker, 2.6 * u);
                }
            });
        }
        let moved_out = Transition::MovedOut;
        w.key_row(
            &format!(
                "{} (dashed; was rank ≤ {} in {})",
                moved_out.label(),
                c.threshold_from,
                c.from
            ),
            Some(count(moved_out)),
            |surface, key| {
                dashed_box(surface, key, u);
                if let Some(marker) = transition_marker(moved_out) {
                    draw_transition_marker(surface, key_centre(key), &marker, 2.6 * u);
                }
            },
        );
    }
    if content.has_wards {
        w.key_row("Ward boundary", None, |surface, key| {
            let mid = key_centre(key)[1];
            line(
                surface,
                [key.min[0], mid],
                [key.max[0], mid],
                colour_of(WARD_LINE),
                1.1 * u,
                None,
            );
        });
    }
}

/// What the bottom strip says.
pub struct StripContent<'a> {
    /// Attribution lines (OS, ONS, licence), years filled in.
    pub attribution: &'a [String],
    /// Source editions and files.
    pub sources: &'a str,
    /// `Exported YYYY-MM-DD …`.
    pub exported: &'a str,
}

/// Lays out (and draws, with a surface) the strip: attribution under the map at the left, sources and the export date
/// under the column at the right. `left` and `right` give the two blocks' edges; returns the height.
pub fn draw_strip<'s>(
    mut surface: Option<&mut (dyn Surface + 's)>,
    text: &TextPainter,
    content: &StripContent<'_>,
    left: [f32; 2],
    right: [f32; 2],
    top: f32,
    u: f32,
) -> f32 {
    let style = TextStyle::new(7.0 * u, ink());
    let mut a = ColumnWriter::new(surface.as_deref_mut(), text, left[0], left[1], top, u);
    for line in content.attribution {
        a.paragraph(line, &style);
    }
    let left_bottom = a.y;
    let mut b = ColumnWriter::new(surface, text, right[0], right[1], top, u);
    b.paragraph(content.sources, &TextStyle::new(6.5 * u, grey()));
    b.paragraph(content.exported, &style);
    left_bottom.max(b.y) - top
}

fn inset(rect: ScreenRect, by: f32) -> ScreenRect {
    ScreenRect {
        min: [rect.min[0] + by, rect.min[1] + by],
        max: [rect.max[0] - by, rect.max[1] - by],
    }
}

fn key_centre(rect: ScreenRect) -> [f32; 2] {
    rect.center()
}

fn dashed_box(surface: &mut dyn Surface, key: ScreenRect, u: f32) {
    let r = inset(key, 0.6 * u);
    let corners = [
        [r.min[0], r.min[1]],
        [r.max[0], r.min[1]],
        [r.max[0], r.max[1]],
        [r.min[0], r.max[1]],
    ];
    for i in 0..4 {
        line(
            surface,
            corners[i],
            corners[(i + 1) % 4],
            colour_of(TOP1_ORANGE),
            1.1 * u,
            Some(vec![3.5 * u, 2.2 * u]),
        );
    }
}

fn line(surface: &mut dyn Surface, a: [f32; 2], b: [f32; 2], colour: Color, width: f32, dash: Option<Vec<f32>>) {
    let mut builder = PathBuilder::new();
    builder.move_to(a[0], a[1]);
    builder.line_to(b[0], b[1]);
    if let Some(path) = builder.finish() {
        let style = LineStyle {
            dash,
            ..LineStyle::solid(width)
        };
        surface.stroke_path(&path, colour, &style, None);
    }
}
