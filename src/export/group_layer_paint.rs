//! The group layer on a report's map ([`crate::render::GroupLayer`], as the window draws it): dissolved outlines
//! (dark on a white casing, so they read over any fill), group names, and the layer's legend in a box on the map
//! naming the measure, index, edition and population source. Member LSOAs' fills are set in `map_layer`'s fill pass.

use super::furniture::{colour_of, fill_rect, ink, stroke_rect};
use super::map_layer::MapPainter;
use super::surface::{LineStyle, Surface};
use super::text::{Align, TextPainter, TextStyle};
use crate::render::{GroupLayer, ScreenRect};
use crate::style::Rgba;
use tiny_skia::{Color, PathBuilder};

/// The group outline's colour (dark grey-blue, apart from the ward and LSOA lines).
pub const GROUP_LINE: Rgba = Rgba::hex(0x1a1a2e);

impl MapPainter<'_> {
    /// The groups' dissolved outlines: every border between groups once, and their outer edge.
    pub(super) fn draw_group_outlines(&self, surface: &mut dyn Surface, groups: &GroupLayer) {
        let mut builder = PathBuilder::new();
        for line in &groups.geometry.outlines {
            self.push_line(&mut builder, line);
        }
        let Some(path) = builder.finish() else { return };
        let u = self.px_per_pt;
        surface.stroke_path(&path, Color::WHITE, &LineStyle::solid(3.2 * u).round(), self.clip);
        surface.stroke_path(
            &path,
            colour_of(GROUP_LINE),
            &LineStyle::solid(1.6 * u).round(),
            self.clip,
        );
    }

    /// Each group's name at its label point, bold on a white halo.
    pub(super) fn draw_group_labels(&self, surface: &mut dyn Surface, text: &TextPainter, groups: &GroupLayer) {
        let u = self.px_per_pt;
        let style = TextStyle::new(7.5 * u, ink()).bold().halo(1.4 * u);
        let cap = text.cap_height(style.size_px);
        for (group, point) in groups.groups.iter().zip(&groups.geometry.label_in_world) {
            let Some(point) = point else { continue };
            let p = self.pixel_from_world.apply(*point);
            surface.text(
                text,
                &group.name,
                [p[0], p[1] + cap / 2.0],
                Align::Center,
                &style,
                self.clip,
            );
        }
    }
}

/// The group layer's legend: heading (measure, index, edition), each group in rank order with its swatch and value
/// (the five rank classes instead when there are many groups), and the provenance line with the population source,
/// in a box `width` wide whose top left is `at`; `surface` `None` only measures. Returns the box.
pub fn draw_group_legend(
    surface: Option<&mut dyn Surface>,
    text: &TextPainter,
    groups: &GroupLayer,
    at: [f32; 2],
    width: f32,
    u: f32,
) -> ScreenRect {
    let heading = TextStyle::new(8.5 * u, ink()).bold();
    let entry = TextStyle::new(7.0 * u, ink());
    let small = TextStyle::new(6.0 * u, ink());
    let pad = 4.0 * u;
    let inner = width - 2.0 * pad;
    let mut lines: Vec<(String, &TextStyle, Option<Rgba>)> = Vec::new();
    for line in text.wrap(&format!("Groups: {}", groups.heading), heading.size_px, inner) {
        lines.push((line, &heading, None));
    }
    let swatch = entry.size_px * 1.1;
    if groups.groups.len() <= 16 {
        for i in groups.ranked_order() {
            let group = &groups.groups[i];
            lines.push((groups.legend_line(group), &entry, Some(group.fill)));
        }
    } else {
        for (class, colour) in crate::render::RANK_CLASS_COLOURS.iter().enumerate() {
            let label = format!(
                "Rank: fifth {} of {} (1 = most deprived)",
                class + 1,
                groups.groups.len()
            );
            lines.push((label, &entry, Some(*colour)));
        }
    }
    let mut foot = vec![
        "Filled by rank among the groups; heavy outlines dissolved from the member LSOAs.".to_string(),
        groups.provenance.clone(),
    ];
    foot.extend(groups.notes.iter().map(|n| format!("Note: {n}.")));
    for line in foot.iter().flat_map(|l| text.wrap(l, small.size_px, inner)) {
        lines.push((line, &small, None));
    }
    let height: f32 = lines.iter().map(|(_, s, _)| s.line_height()).sum::<f32>() + 2.0 * pad;
    let rect = ScreenRect {
        min: at,
        max: [at[0] + width, at[1] + height],
    };
    let Some(surface) = surface else { return rect };
    fill_rect(surface, rect, Color::from_rgba8(255, 255, 255, 235));
    stroke_rect(surface, rect, Color::from_rgba8(150, 150, 150, 255), 0.5 * u);
    let mut y = rect.min[1] + pad;
    for (line, style, fill) in lines {
        y += style.line_height();
        let mut x = rect.min[0] + pad;
        if let Some(fill) = fill {
            if let Some(r) = tiny_skia::Rect::from_xywh(x, y - swatch * 1.05, swatch * 1.4, swatch) {
                surface.fill_rect(r, colour_of(fill));
            }
            x += swatch * 1.8;
        }
        surface.text(
            text,
            &line,
            [x, y - style.line_height() * 0.22],
            Align::Left,
            style,
            None,
        );
    }
    rect
}
