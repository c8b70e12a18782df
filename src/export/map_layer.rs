//! The map part of a report: LSOA fills, LSOA, ward and 1% outlines, transition markers and ward labels, drawn with
//! `tiny-skia` through the same `ScreenFromWorld` as the window.
//!
//! Fills are one even-odd path per colour built straight from `geometry_in_world`, not the window's earcut triangles:
//! filling triangles one by one anti-aliases every internal triangle edge (hairline seams across each LSOA) and costs a
//! path per triangle (about 20,000 for Leeds, several hundred thousand nationally), while a ring path is exact with
//! holes and islands and needs one fill call per legend class. Neighbours of one colour then also join without seams.

use super::ExportError;
use super::furniture::{colour_of, draw_transition_marker, ink};
use super::surface::{LineStyle, Surface};
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::{EditionComparison, Transition};
use crate::model::{Area, AreaLayer, Dataset};
use crate::render::{
    DrawnArea, DrawnWard, LabelStyle, MapContentError, PlacedMarker, ScreenFromWorld, ScreenRect, Top1Outline,
    Topology, place_ward_labels, top1_outline, transition_marker, transition_marker_positions,
};
use crate::style::{LSOA_LINE, NO_DATA, Rgba, StyledMap, TOP1_ORANGE, WARD_LINE};
use geo::{Intersects as _, LineString, MultiPolygon};
use tiny_skia::{FillRule, PathBuilder};

/// What a report's map shows: the shared description of the map ([`crate::render::MapContent`], as the window
/// draws it) with the layers it indexes and, nationally, the LA borders as lines.
pub struct MapContent<'a> {
    /// The LSOA layer.
    pub layer: &'a AreaLayer,
    /// The ward layer, when loaded.
    pub ward_layer: Option<&'a AreaLayer>,
    /// Areas, wards, extent and the areas without data.
    pub drawn: crate::render::MapContent,
    /// National maps: the LA boundaries, each shared border once (arcs of the layer's shared-edge topology).
    pub la_boundaries: std::sync::Arc<[LineString<f64>]>,
}

impl<'a> MapContent<'a> {
    /// Finds every LSOA of the comparison in the loaded boundaries, and the wards they lie in. A national map's LA
    /// borders are `known_la_borders` when the caller has them from the load (as the window does), else found here.
    pub fn build(
        dataset: &'a Dataset,
        comparison: &EditionComparison,
        known_la_borders: Option<std::sync::Arc<[LineString<f64>]>>,
    ) -> Result<Self, ExportError> {
        let layer = lsoa_layer_of(dataset, comparison)?;
        let national = comparison.la_code.as_str() == "E92000001";
        // Nationally the interior points (34,753 of them) and the LA borders' topology are the two big jobs: they
        // run side by side.
        let (drawn, la_boundaries) = rayon::join(
            || crate::render::MapContent::build(dataset, comparison),
            || match (national, known_la_borders) {
                (false, _) => std::sync::Arc::from(Vec::new()),
                (true, Some(known)) => known,
                (true, None) => la_boundaries(dataset, layer, comparison).into(),
            },
        );
        let drawn = drawn.map_err(|e| match e {
            MapContentError::NoBoundaries { vintage, .. } => ExportError::NoBoundaries {
                vintage: vintage.to_string(),
                la: comparison.la_name.clone(),
            },
            MapContentError::NoAreas { lsoas, la, vintage } => ExportError::NoAreas {
                lsoas,
                la,
                vintage: vintage.to_string(),
            },
        })?;
        Ok(Self {
            layer,
            ward_layer: dataset.ward_layer_for(comparison.vintage),
            drawn,
            la_boundaries,
        })
    }

    fn area(&self, drawn: &DrawnArea) -> Option<&'a Area> {
        self.layer.areas.get(drawn.layer_index)
    }

    fn ward_area(&self, ward: &DrawnWard) -> Option<&'a Area> {
        self.ward_layer?.areas.get(ward.layer_index)
    }
}

/// The LSOA boundaries of the comparison's vintage, or the error every map-drawing export gives without them.
pub fn lsoa_layer_of<'a>(dataset: &'a Dataset, comparison: &EditionComparison) -> Result<&'a AreaLayer, ExportError> {
    dataset
        .lsoa_layers
        .get(&comparison.vintage)
        .ok_or_else(|| ExportError::NoBoundaries {
            vintage: comparison.vintage.to_string(),
            la: comparison.la_name.clone(),
        })
}

/// Every LA border of the layer once: arcs of its shared-edge topology with a different LA (or none) on each side.
fn la_boundaries(dataset: &Dataset, layer: &AreaLayer, comparison: &EditionComparison) -> Vec<LineString<f64>> {
    let topology = Topology::build(layer);
    let la_of = dataset.la_of_areas(comparison.vintage, layer);
    topology
        .group_boundaries(|i| la_of.get(i).copied().flatten())
        .into_iter()
        .filter_map(|id| topology.arcs.get(id as usize))
        .map(|arc| LineString::new(arc.coords.clone()))
        .collect()
}

/// How the map is drawn.
pub struct MapPainter<'p> {
    /// World → pixels.
    pub pixel_from_world: ScreenFromWorld,
    /// Where the map is on the page.
    pub map_rect: ScreenRect,
    /// The world rectangle the map shows; areas outside it are skipped.
    pub visible_in_world: geo::Rect<f64>,
    /// Pixels per typographic point.
    pub px_per_pt: f32,
    /// Clip to the map rectangle (needed when areas run past its edge).
    pub clip: Option<ScreenRect>,
    /// Draw the moved-out dashes and the transition markers.
    pub show_transitions: bool,
    /// Draw ward names.
    pub show_ward_labels: bool,
    /// A ward to bring forward: everything outside it is veiled in white and its boundary drawn heavier.
    pub focus: Option<&'p Area>,
    /// Planner-defined groups drawn over the LSOAs: member LSOAs filled by their group's rank, dissolved outlines,
    /// group names (`group_layer_paint.rs`).
    pub groups: Option<&'p crate::render::GroupLayer>,
}

impl MapPainter<'_> {
    /// Draws fills, outlines, markers and ward labels.
    pub fn draw(
        &self,
        surface: &mut dyn Surface,
        text: &TextPainter,
        content: &MapContent<'_>,
        comparison: &EditionComparison,
        styled: &StyledMap,
    ) {
        let visible: Vec<(&DrawnArea, &Area)> = content
            .drawn
            .areas
            .iter()
            .filter_map(|d| content.area(d).map(|a| (d, a)))
            .filter(|(_, a)| a.bbox_in_world.intersects(&self.visible_in_world))
            .collect();
        let transition_of = |d: &DrawnArea| comparison.rows.get(d.row).map_or(Transition::Outside, |r| r.transition);

        let without_data = content
            .drawn
            .without_data
            .iter()
            .filter_map(|i| content.layer.areas.get(*i))
            .filter(|a| a.bbox_in_world.intersects(&self.visible_in_world));

        // Fills: one even-odd path per colour, in first-seen order so the output is deterministic.
        let mut by_colour: Vec<(Rgba, PathBuilder)> = Vec::new();
        for area in visible.iter().map(|(_, a)| *a).chain(without_data) {
            let group_fill = self.groups.and_then(|g| g.fill_of(&area.code));
            let colour = group_fill.unwrap_or_else(|| styled.fill_of.get(&area.code).copied().unwrap_or(NO_DATA));
            let index = match by_colour.iter().position(|(c, _)| *c == colour) {
                Some(i) => i,
                None => {
                    by_colour.push((colour, PathBuilder::new()));
                    by_colour.len() - 1
                }
            };
            if let Some((_, builder)) = by_colour.get_mut(index) {
                self.push_geometry(builder, &area.geometry_in_world);
            }
        }
        for (colour, builder) in by_colour {
            if let Some(path) = builder.finish() {
                surface.fill_path(&path, colour_of(colour), FillRule::EvenOdd, self.clip);
            }
        }

        let u = self.px_per_pt;
        if content.drawn.national {
            // LSOAs are a pixel or two across nationally: LA borders instead of LSOA lines.
            let mut builder = PathBuilder::new();
            for line in content.la_boundaries.iter() {
                self.push_line(&mut builder, line);
            }
            if let Some(path) = builder.finish() {
                surface.stroke_path(
                    &path,
                    colour_of(WARD_LINE),
                    &LineStyle::solid(0.3 * u).round(),
                    self.clip,
                );
            }
        } else {
            self.stroke_areas(surface, visible.iter().map(|(_, a)| *a), LSOA_LINE, 0.3 * u, None);
        }
        let wards = content
            .drawn
            .wards
            .iter()
            .filter_map(|w| content.ward_area(w))
            .filter(|a| a.bbox_in_world.intersects(&self.visible_in_world));
        self.stroke_areas(surface, wards, WARD_LINE, 1.1 * u, None);
        if let Some(groups) = self.groups {
            self.draw_group_outlines(surface, groups);
        }
        if let Some(focus) = self.focus {
            self.draw_focus(surface, focus);
        }
        let with = |wanted: Top1Outline| {
            visible
                .iter()
                .filter(move |(d, _)| top1_outline(transition_of(d)) == Some(wanted))
                .map(|(_, a)| *a)
        };
        self.stroke_areas(surface, with(Top1Outline::Solid), TOP1_ORANGE, 1.7 * u, None);
        if self.show_transitions {
            self.stroke_areas(
                surface,
                with(Top1Outline::Dashed),
                TOP1_ORANGE,
                1.1 * u,
                Some(vec![3.5 * u, 2.2 * u]),
            );
            for marker in self.marker_positions(content, comparison) {
                let transition = content
                    .drawn
                    .areas
                    .get(marker.area)
                    .map_or(Transition::Outside, transition_of);
                if let Some(shape) = transition_marker(transition) {
                    draw_transition_marker(surface, marker.centre, &shape, MARKER_RADIUS_PT * u);
                }
            }
        }
        match self.groups {
            // Group names take the place of ward names: both at once would not be read.
            Some(groups) => self.draw_group_labels(surface, text, groups),
            None if self.show_ward_labels => self.draw_ward_labels(surface, text, content, comparison),
            None => {}
        }
    }

    /// Veils the map outside `focus` (even-odd: the map rectangle with the ward's rings as holes) and outlines it.
    fn draw_focus(&self, surface: &mut dyn Surface, focus: &Area) {
        let r = self.map_rect;
        let mut veil = PathBuilder::new();
        if let Some(rect) = tiny_skia::Rect::from_ltrb(r.min[0], r.min[1], r.max[0], r.max[1]) {
            veil.push_rect(rect);
        }
        self.push_geometry(&mut veil, &focus.geometry_in_world);
        if let Some(path) = veil.finish() {
            surface.fill_path(
                &path,
                tiny_skia::Color::from_rgba8(255, 255, 255, 115),
                FillRule::EvenOdd,
                self.clip,
            );
        }
        let u = self.px_per_pt;
        self.stroke_areas(surface, std::iter::once(focus), Rgba::hex(0xffffff), 3.6 * u, None);
        self.stroke_areas(surface, std::iter::once(focus), Rgba::hex(0x1a1a1a), 2.0 * u, None);
    }

    /// Adds every ring of a geometry, dropping vertices less than a fifth of a pixel from the last one kept.
    fn push_geometry(&self, builder: &mut PathBuilder, geometry: &MultiPolygon<f64>) {
        for polygon in geometry {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                self.push_ring(builder, ring);
            }
        }
    }

    fn push_ring(&self, builder: &mut PathBuilder, ring: &LineString<f64>) {
        let mut points = ring.0.iter().map(|c| self.pixel_from_world.apply(*c));
        let Some(first) = points.next() else {
            return;
        };
        builder.move_to(first[0], first[1]);
        let mut last = first;
        for p in points {
            if (p[0] - last[0]).abs() + (p[1] - last[1]).abs() < 0.2 {
                continue;
            }
            builder.line_to(p[0], p[1]);
            last = p;
        }
        builder.close();
    }

    /// An open line, dropping vertices less than a fifth of a pixel from the last one kept.
    pub(super) fn push_line(&self, builder: &mut PathBuilder, line: &LineString<f64>) {
        let mut points = line.0.iter().map(|c| self.pixel_from_world.apply(*c));
        let Some(first) = points.next() else {
            return;
        };
        builder.move_to(first[0], first[1]);
        let mut last = first;
        let mut pending = None;
        for p in points {
            if (p[0] - last[0]).abs() + (p[1] - last[1]).abs() < 0.2 {
                pending = Some(p);
                continue;
            }
            builder.line_to(p[0], p[1]);
            last = p;
            pending = None;
        }
        if let Some(p) = pending {
            builder.line_to(p[0], p[1]);
        }
    }

    fn stroke_areas<'b>(
        &self,
        surface: &mut dyn Surface,
        areas: impl Iterator<Item = &'b Area>,
        colour: Rgba,
        width_px: f32,
        dash: Option<Vec<f32>>,
    ) {
        let mut builder = PathBuilder::new();
        for area in areas {
            self.push_geometry(&mut builder, &area.geometry_in_world);
        }
        let Some(path) = builder.finish() else {
            return;
        };
        let line = match dash {
            Some(dash) => LineStyle {
                join: tiny_skia::LineJoin::Round,
                ..LineStyle::solid(width_px).dashed(dash)
            },
            None => LineStyle::solid(width_px).round(),
        };
        surface.stroke_path(&path, colour_of(colour), &line, self.clip);
    }

    /// The transition markers on the map, moved apart where they would overlap (the window's rule).
    fn marker_positions(&self, content: &MapContent<'_>, comparison: &EditionComparison) -> Vec<PlacedMarker> {
        transition_marker_positions(
            &content.drawn.areas,
            comparison,
            content.layer,
            &self.pixel_from_world,
            self.map_rect,
            MARKER_RADIUS_PT * self.px_per_pt,
            content.drawn.national,
        )
    }

    /// Ward names, dark on a white halo, placed by the rule the window uses ([`place_ward_labels`]): the focused ward
    /// first, then the priority wards, clear of each other and of the 1% markers.
    fn draw_ward_labels(
        &self,
        surface: &mut dyn Surface,
        text: &TextPainter,
        content: &MapContent<'_>,
        comparison: &EditionComparison,
    ) {
        let u = self.px_per_pt;
        let style = TextStyle::new(7.0 * u, ink()).halo(1.3 * u);
        let cap = text.cap_height(style.size_px);
        let markers: Vec<[f32; 2]> = if self.show_transitions {
            self.marker_positions(content, comparison)
                .iter()
                .map(|m| m.centre)
                .collect()
        } else {
            Vec::new()
        };
        let size_of = |name: &str| [text.width(name, style.size_px), cap];
        let label_style = LabelStyle {
            size_of: &size_of,
            pad: 1.5 * u,
            line_height: 1.3 * style.line_height(),
        };
        let focus = self.focus.map(|a| &a.code);
        let placed = place_ward_labels(
            &content.drawn.wards,
            comparison,
            focus,
            &self.pixel_from_world,
            self.map_rect,
            &label_style,
            &markers,
            MARKER_RADIUS_PT * u,
        );
        for label in placed {
            let Some(ward) = content.drawn.wards.get(label.ward) else {
                continue;
            };
            let baseline = [label.centre[0], label.centre[1] + cap / 2.0];
            surface.text(text, &ward.name, baseline, Align::Center, &style, self.clip);
        }
    }
}

/// A transition marker's radius in typographic points.
const MARKER_RADIUS_PT: f32 = 2.6;
