//! Where the 1% markers and the ward names go on a map, one rule set for the window and every export: markers that
//! would overlap are moved apart (each stays inside its own LSOA where it can), then ward names are placed, the open
//! ward first, then the priority wards (an LSOA in the 1%, most first), then the rest, each clear of the names placed
//! before it and of the markers. Positions are in the painter's own units (window points, image pixels).

use super::map_content::{DrawnArea, DrawnWard, transition_marker};
use super::projector::{ScreenFromWorld, ScreenRect};
use crate::analysis::EditionComparison;
use crate::model::{AreaCode, AreaLayer};
use geo::Contains as _;
use std::collections::BTreeMap;

/// A transition marker's place: the area (index into the `areas` given) and its centre on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedMarker {
    /// Index into the areas passed in.
    pub area: usize,
    /// Centre, in the painter's units.
    pub centre: [f32; 2],
}

/// The transition markers of `areas` whose interior point falls inside `bounds`, moved apart where two would overlap
/// (markers of `radius`; see [`declutter`]) on an LA's map. On the national map (`national`) they stay where they are:
/// hundreds of them are read as a pattern, and moving them would push coastal towns' markers out to sea.
pub fn transition_marker_positions(
    areas: &[DrawnArea],
    comparison: &EditionComparison,
    layer: &AreaLayer,
    screen_from_world: &ScreenFromWorld,
    bounds: ScreenRect,
    radius: f32,
    national: bool,
) -> Vec<PlacedMarker> {
    let wanted: Vec<(usize, [f32; 2])> = areas
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            comparison
                .rows
                .get(a.row)
                .is_some_and(|r| transition_marker(r.transition).is_some())
        })
        .map(|(i, a)| (i, screen_from_world.apply(a.interior_in_world)))
        .filter(|(_, c)| contains(&bounds, *c))
        .collect();
    if national {
        return wanted
            .into_iter()
            .map(|(area, centre)| PlacedMarker { area, centre })
            .collect();
    }
    let points: Vec<[f32; 2]> = wanted.iter().map(|(_, c)| *c).collect();
    let inside_own_area = |k: usize, p: [f32; 2]| {
        let world = screen_from_world.world_from_screen(p);
        wanted
            .get(k)
            .and_then(|(i, _)| areas.get(*i))
            .and_then(|a| layer.areas.get(a.layer_index))
            .is_some_and(|area| area.geometry_in_world.contains(&world))
    };
    declutter(&points, radius, &inside_own_area)
        .into_iter()
        .zip(&wanted)
        .map(|(centre, (area, _))| PlacedMarker { area: *area, centre })
        .collect()
}

/// Moves markers of `radius` apart, in order: a marker that overlaps one already placed is tried at eight directions
/// two and three radii away, clear of the others, first where `allowed(index, point)` holds (its own LSOA), then
/// anywhere clear; where no place is clear it stays where it was.
pub fn declutter(points: &[[f32; 2]], radius: f32, allowed: &dyn Fn(usize, [f32; 2]) -> bool) -> Vec<[f32; 2]> {
    let clearance = 1.9 * radius;
    let mut placed: Vec<[f32; 2]> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().copied().enumerate() {
        let clear = |q: [f32; 2], placed: &[[f32; 2]]| placed.iter().all(|o| distance(*o, q) >= clearance);
        if clear(p, &placed) {
            placed.push(p);
            continue;
        }
        let candidates = || {
            [2.0_f32, 3.0].into_iter().flat_map(move |k| {
                (0..8).map(move |step| {
                    let angle = std::f32::consts::FRAC_PI_4 * step as f32 - std::f32::consts::FRAC_PI_2;
                    [p[0] + k * radius * angle.cos(), p[1] + k * radius * angle.sin()]
                })
            })
        };
        // Inside its own LSOA if it can be; else the nearest clear place (small central LSOAs are a few points across
        // at LA zoom, so the marker then stands just beside its area).
        let moved = candidates()
            .find(|q| clear(*q, &placed) && allowed(i, *q))
            .or_else(|| candidates().find(|q| clear(*q, &placed)));
        placed.push(moved.unwrap_or(p));
    }
    placed
}

/// Counts pairs of markers of `radius` that overlap (centres closer than 1.9 radii).
pub fn overlapping_pairs(points: &[[f32; 2]], radius: f32) -> usize {
    let mut pairs = 0;
    for (i, a) in points.iter().enumerate() {
        pairs += points
            .iter()
            .skip(i + 1)
            .filter(|b| distance(*a, **b) < 1.9 * radius)
            .count();
    }
    pairs
}

/// A ward name's place: the ward (index into the wards given) and the centre of its text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedLabel {
    /// Index into the wards passed in.
    pub ward: usize,
    /// Centre of the text, in the painter's units.
    pub centre: [f32; 2],
}

/// How ward names are set: their size comes from the painter, which knows its fonts.
pub struct LabelStyle<'a> {
    /// Width and height of a name's text, in the painter's units.
    pub size_of: &'a dyn Fn(&str) -> [f32; 2],
    /// Clear space kept around a name.
    pub pad: f32,
    /// The distance between the tried positions above and below the ward's point.
    pub line_height: f32,
}

/// Where the ward names go (see the module documentation). A ward that is not a priority ward and is narrower on
/// screen than its name is left unnamed; a priority ward is named wherever there is room near its point. The open
/// ward (`focus`) is always named, over a marker if there is no clear place.
#[allow(clippy::too_many_arguments)]
pub fn place_ward_labels(
    wards: &[DrawnWard],
    comparison: &EditionComparison,
    focus: Option<&AreaCode>,
    screen_from_world: &ScreenFromWorld,
    bounds: ScreenRect,
    style: &LabelStyle<'_>,
    markers: &[[f32; 2]],
    marker_radius: f32,
) -> Vec<PlacedLabel> {
    let in_top1 = lsoas_in_top1_by_ward(comparison);
    let mut order: Vec<usize> = (0..wards.len()).collect();
    order.sort_by_key(|i| {
        let ward = &wards[*i];
        let top1 = in_top1.get(&ward.code).copied().unwrap_or(0);
        (Some(&ward.code) != focus, std::cmp::Reverse(top1), ward.name.clone())
    });
    let mut placed: Vec<(PlacedLabel, ScreenRect)> = Vec::new();
    for i in order {
        let ward = &wards[i];
        let is_focus = Some(&ward.code) == focus;
        let priority = is_focus || in_top1.get(&ward.code).is_some_and(|n| *n > 0);
        let [width, height] = (style.size_of)(&ward.name);
        let ward_width = ward.bbox_in_world.width() * screen_from_world.points_per_metre;
        if !priority && ward_width < f64::from(width) * 0.9 {
            continue;
        }
        let at = screen_from_world.apply(ward.label_in_world);
        let line = style.line_height;
        let mut offsets = vec![[0.0, 0.0], [0.0, -line], [0.0, line]];
        if priority {
            // A priority ward (often small and central, among the markers) looks further: up to four lines up or
            // down and a whole name's width aside, nearest first.
            let mut more: Vec<[f32; 2]> = (-4..=4)
                .flat_map(|dy| (-2..=2).map(move |dx| [dx as f32 * width / 2.0, dy as f32 * line]))
                .filter(|o| !offsets.contains(o))
                .collect();
            more.sort_by(|a, b| (a[0].hypot(a[1])).total_cmp(&b[0].hypot(b[1])));
            offsets.extend(more);
        }
        let rect_at = |c: [f32; 2]| ScreenRect {
            min: [c[0] - width / 2.0 - style.pad, c[1] - height / 2.0 - style.pad],
            max: [c[0] + width / 2.0 + style.pad, c[1] + height / 2.0 + style.pad],
        };
        let fits = offsets.iter().find_map(|o| {
            let centre = [at[0] + o[0], at[1] + o[1]];
            let rect = rect_at(centre);
            let clear_of_labels = placed.iter().all(|(_, p)| !overlaps(p, &rect));
            let clear_of_markers = markers.iter().all(|m| !circle_meets_rect(*m, marker_radius, &rect));
            let inside = contains(&bounds, rect.min) && contains(&bounds, rect.max);
            (clear_of_labels && clear_of_markers && inside).then_some((centre, rect))
        });
        let fits = fits.or_else(|| is_focus.then(|| (at, rect_at(at))));
        if let Some((centre, rect)) = fits {
            placed.push((PlacedLabel { ward: i, centre }, rect));
        }
    }
    placed.into_iter().map(|(label, _)| label).collect()
}

/// How many LSOAs of each ward are in the later edition's 1% (a priority ward has at least one).
pub fn lsoas_in_top1_by_ward(comparison: &EditionComparison) -> BTreeMap<AreaCode, usize> {
    let mut counts = BTreeMap::new();
    for row in &comparison.rows {
        if let Some(ward) = row.ward_code {
            *counts.entry(ward).or_insert(0) += usize::from(row.in_top1_to);
        }
    }
    counts
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

fn contains(r: &ScreenRect, p: [f32; 2]) -> bool {
    p[0] >= r.min[0] && p[0] <= r.max[0] && p[1] >= r.min[1] && p[1] <= r.max[1]
}

fn overlaps(a: &ScreenRect, b: &ScreenRect) -> bool {
    a.min[0] < b.max[0] && b.min[0] < a.max[0] && a.min[1] < b.max[1] && b.min[1] < a.max[1]
}

fn circle_meets_rect(centre: [f32; 2], radius: f32, r: &ScreenRect) -> bool {
    let nearest = [centre[0].clamp(r.min[0], r.max[0]), centre[1].clamp(r.min[1], r.max[1])];
    distance(nearest, centre) < radius
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_markers_move_apart_and_clear_ones_stay() {
        let points = [[0.0, 0.0], [1.0, 0.0], [100.0, 100.0]];
        let placed = declutter(&points, 5.0, &|_, _| true);
        assert_eq!(placed[0], [0.0, 0.0]);
        assert_eq!(placed[2], [100.0, 100.0]);
        assert!(distance(placed[0], placed[1]) >= 9.5, "{placed:?}");
        assert_eq!(overlapping_pairs(&points, 5.0), 1);
        assert_eq!(overlapping_pairs(&placed, 5.0), 0);
    }

    #[test]
    fn a_marker_prefers_a_place_inside_its_own_area() {
        let points = [[0.0, 0.0], [1.0, 0.0]];
        // Only to the right of the first is "inside".
        let placed = declutter(&points, 5.0, &|_, q| q[0] > 5.0);
        assert!(placed[1][0] > 5.0, "{placed:?}");
        let anywhere = declutter(&points, 5.0, &|_, _| false);
        assert_eq!(overlapping_pairs(&anywhere, 5.0), 0);
    }

    #[test]
    fn a_marker_touching_a_label_box_is_seen() {
        let rect = ScreenRect {
            min: [0.0, 0.0],
            max: [10.0, 10.0],
        };
        assert!(circle_meets_rect([12.0, 5.0], 3.0, &rect));
        assert!(!circle_meets_rect([14.0, 5.0], 3.0, &rect));
        assert!(circle_meets_rect([5.0, 5.0], 1.0, &rect));
    }
}
