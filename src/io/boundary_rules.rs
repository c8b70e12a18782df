//! One rule set for every boundary file, GeoJSON or shapefile, so the same input gets the same answer whichever
//! format it arrives in:
//!
//! | found | done |
//! |---|---|
//! | the declared CRS (GeoJSON `crs`, `.prj`) agrees with the coordinates | used |
//! | nothing declared (a shapefile without `.prj`; GeoJSON implies WGS84) and the coordinates are clearly one system | read as that system, with a warning when it is not what was implied |
//! | declared one system, coordinates clearly another (WGS84 and BNG) | the coordinates win, with a warning |
//! | coordinates are latitude/longitude (axes swapped) | swapped back, with a warning |
//! | a few areas in another system than the clear majority (a feature at (0, 0)) | those areas skipped, each with a warning |
//! | coordinates neither WGS84 over Great Britain nor BNG metres, or a CRS other than those two declared | the file is refused |
//! | a hole outside its outer ring, or one containing it | the hole dropped, with a warning (it would paint over neighbours) |
//! | a ring that crosses itself | drawn as given, with a warning (its area may be wrong) |
//! | a ring that touches itself at a point without crossing | drawn as given, with a note |
//! | a shapefile whose rings all run counter-clockwise (the wrong way for ESRI outer rings) | read as outer rings, with a note |

use super::LoadError;
use super::boundary_file::ParsedArea;
use super::crs::{CoordinateRange, Crs, coordinate_range, project_to_world};
use crate::model::{Area, JoinReport, Severity};
use geo::{BoundingRect as _, Coord, LineString, MultiPolygon, Polygon};
use std::path::Path;

/// What a file says about its coordinate system.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Declared {
    /// The CRS declared or implied; `None` when the file says nothing and nothing is implied (a shapefile without
    /// `.prj`).
    pub crs: Option<Crs>,
    /// How it was said, for messages: `the .prj`, `the crs member`, `no crs member (so WGS84, as GeoJSON requires)`.
    pub said_by: &'static str,
    /// Where the claim lives, the location of messages about it: `crs` or `prj`.
    pub field: &'static str,
}

/// The coordinate system settled for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Settled {
    /// The system the coordinates are in, once their axes are in order.
    pub crs: Crs,
    /// Whether each coordinate's axes must be swapped first (latitude written before longitude).
    pub swapped: bool,
}

/// Skips the areas whose coordinates are in a different system from a clear majority of the file — typically a
/// feature exported at (0, 0) — so that one bad area cannot make a whole WGS84 file look like grid metres.
pub(crate) fn drop_stray_areas(path: &Path, areas: &mut Vec<ParsedArea>, report: &mut JoinReport) {
    let classes: Vec<CoordinateRange> = areas
        .iter()
        .map(|a| {
            a.geometry
                .bounding_rect()
                .map_or(CoordinateRange::Unknown, |r| coordinate_range(r.min(), r.max()))
        })
        .collect();
    let known = [
        CoordinateRange::LonLat,
        CoordinateRange::LatLon,
        CoordinateRange::BngMetres,
    ];
    let Some(majority) = known
        .into_iter()
        .max_by_key(|k| classes.iter().filter(|c| *c == k).count())
    else {
        return;
    };
    let majority_count = classes.iter().filter(|c| **c == majority).count();
    // Only act on a clear majority; a file of mixed systems is left to the whole-file check, which refuses it.
    if majority_count * 2 <= classes.len() || majority_count == classes.len() {
        return;
    }
    let mut keep = classes.iter().map(|c| *c == majority);
    areas.retain(|area| {
        let kept = keep.next().unwrap_or(true);
        if !kept {
            let near = area
                .geometry
                .bounding_rect()
                .map(|r| format!(" (near {:.1}, {:.1})", r.min().x, r.min().y))
                .unwrap_or_default();
            report.warn_at(
                path,
                area.place.clone(),
                format!(
                    "{}: its coordinates{near} are not in the same system as the rest of the file; skipped",
                    area.code
                ),
            );
        }
        kept
    });
}

/// Settles the file's coordinate system from what it declares and what its coordinates are, by the rules above.
pub(crate) fn settle_crs(
    path: &Path,
    declared: Declared,
    areas: &[ParsedArea],
    report: &mut JoinReport,
) -> Result<Settled, LoadError> {
    let Some(bbox) = areas
        .iter()
        .filter_map(|a| a.geometry.bounding_rect())
        .reduce(crate::model::rect_union)
    else {
        return Ok(Settled {
            crs: declared.crs.unwrap_or(Crs::Wgs84),
            swapped: false,
        });
    };
    let said = match declared.crs {
        Some(crs) => format!("{} says {}", declared.said_by, crs.epsg()),
        None => format!("{} says nothing", declared.said_by),
    };
    let (crs, swapped, what) = match coordinate_range(bbox.min(), bbox.max()) {
        CoordinateRange::BngMetres => (Crs::Bng, false, "British National Grid metres"),
        CoordinateRange::LonLat => (Crs::Wgs84, false, "longitude/latitude"),
        CoordinateRange::LatLon => (Crs::Wgs84, true, "latitude/longitude (axes swapped)"),
        CoordinateRange::Unknown => {
            return Err(LoadError::Unrecognised {
                detail: format!(
                    "coordinates span ({:.1}, {:.1})–({:.1}, {:.1}), which is neither longitude/latitude over Great Britain nor British National Grid metres ({said})",
                    bbox.min().x,
                    bbox.min().y,
                    bbox.max().x,
                    bbox.max().y
                ),
                path: path.to_path_buf(),
            });
        }
    };
    if swapped {
        report.warn_at(
            path,
            declared.field,
            format!(
                "coordinates are {what}; {said}; read them as longitude/latitude, then {}",
                crs.epsg()
            ),
        );
    } else if declared.crs != Some(crs) {
        report.warn_at(
            path,
            declared.field,
            format!("{said} but the coordinates are {what}; read as {}", crs.epsg()),
        );
    }
    Ok(Settled { crs, swapped })
}

/// Reprojects settled areas to BNG (in parallel: it is the costly step for national files) and builds them.
pub(crate) fn into_world_areas(
    path: &Path,
    settled: Settled,
    parsed: Vec<ParsedArea>,
    report: &mut JoinReport,
) -> Vec<Area> {
    use geo::MapCoordsInPlace as _;
    use rayon::prelude::*;
    let results: Vec<Result<Area, (String, String)>> = parsed
        .into_par_iter()
        .map(|area| {
            let ParsedArea {
                code,
                name,
                la_code,
                mut geometry,
                place,
            } = area;
            if settled.swapped {
                geometry.map_coords_in_place(|c| Coord { x: c.y, y: c.x });
            }
            if settled.crs == Crs::Wgs84 && !project_to_world(&mut geometry) {
                return Err((place, format!("{code}: a coordinate could not be projected; skipped")));
            }
            Area::new(code, name, la_code, geometry).ok_or((place, format!("{code}: empty geometry; skipped")))
        })
        .collect();
    let mut areas = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(area) => areas.push(area),
            Err((place, why)) => report.warn_at(path, place, why),
        }
    }
    areas
}

/// Checks each polygon as GDAL would before drawing it: a hole must lie inside its outer ring (one outside it, or
/// containing it, is dropped and reported), and a ring that crosses itself is reported (drawn as given).
pub(crate) fn check_polygons(
    path: &Path,
    place: &str,
    code: &str,
    geometry: MultiPolygon<f64>,
    report: &mut JoinReport,
) -> MultiPolygon<f64> {
    let (mut problems, mut notes) = (Vec::new(), Vec::new());
    let mut polygons = Vec::with_capacity(geometry.0.len());
    for (p, polygon) in geometry.0.into_iter().enumerate() {
        let (exterior, interiors) = polygon.into_inner();
        let part = if p == 0 {
            String::new()
        } else {
            format!(" of part {}", p + 1)
        };
        if ring_crosses_itself(&exterior) {
            problems.push(format!(
                "the outer ring{part} crosses itself (drawn as given; its area may be wrong)"
            ));
        } else if ring_touches_itself(&exterior) {
            notes.push(format!(
                "the outer ring{part} touches itself at a point without crossing (valid for ESRI, not OGC; drawn as given)"
            ));
        }
        let shell = Polygon::new(exterior, Vec::new());
        let mut kept = Vec::with_capacity(interiors.len());
        for (h, hole) in interiors.into_iter().enumerate() {
            match hole_fits(&shell, &hole) {
                Ok(()) => {
                    if ring_crosses_itself(&hole) {
                        problems.push(format!("hole {}{part} crosses itself (drawn as given)", h + 1));
                    } else if ring_touches_itself(&hole) {
                        notes.push(format!(
                            "hole {}{part} touches itself at a point without crossing (drawn as given)",
                            h + 1
                        ));
                    }
                    kept.push(hole);
                }
                Err(why) => problems.push(format!("hole {}{part} {why}; dropped the hole", h + 1)),
            }
        }
        let (exterior, _) = shell.into_inner();
        polygons.push(Polygon::new(exterior, kept));
    }
    if !problems.is_empty() {
        report.push(
            Severity::Warning,
            Some(path.to_path_buf()),
            Some(place.to_string()),
            format!("{code}: {}", problems.join("; ")),
        );
    }
    if !notes.is_empty() {
        report.push(
            Severity::Note,
            Some(path.to_path_buf()),
            Some(place.to_string()),
            format!("{code}: {}", notes.join("; ")),
        );
    }
    MultiPolygon::new(polygons)
}

/// Why a hole cannot be a hole of this shell, if it cannot: it must lie inside the shell (touching its boundary is
/// allowed), which also rules out a hole that contains the shell.
fn hole_fits(shell: &Polygon<f64>, hole: &LineString<f64>) -> Result<(), &'static str> {
    use geo::coordinate_position::{CoordPos, CoordinatePosition as _};
    let (Some(outer), Some(inner)) = (shell.bounding_rect(), hole.bounding_rect()) else {
        return Ok(());
    };
    let box_inside = inner.min().x >= outer.min().x
        && inner.min().y >= outer.min().y
        && inner.max().x <= outer.max().x
        && inner.max().y <= outer.max().y;
    if !box_inside {
        let contains_shell = inner.min().x <= outer.min().x
            && inner.min().y <= outer.min().y
            && inner.max().x >= outer.max().x
            && inner.max().y >= outer.max().y;
        return Err(if contains_shell {
            "contains its outer ring"
        } else {
            "lies outside its outer ring"
        });
    }
    if hole.0.iter().any(|c| shell.coordinate_position(c) == CoordPos::Outside) {
        return Err("lies partly outside its outer ring");
    }
    Ok(())
}

/// True when two segments of a ring that are not neighbours cross at a point inside both (a bow-tie), found with a
/// sweep (`geo::Intersections`), so a 10,000-vertex ring costs a sort, not 100 million segment tests.
fn ring_crosses_itself(ring: &LineString<f64>) -> bool {
    use geo::line_intersection::LineIntersection;
    if ring.0.len() < 5 {
        return false;
    }
    geo::Intersections::from_iter(ring.lines()).any(|(_, _, crossing)| match crossing {
        LineIntersection::SinglePoint { is_proper, .. } => is_proper,
        LineIntersection::Collinear { intersection } => intersection.start != intersection.end,
    })
}

/// True when a ring meets itself without crossing: a vertex visited twice (a figure of eight pinched at a point), or a
/// vertex lying on a segment that does not end there. Found with the same sweep as crossings.
fn ring_touches_itself(ring: &LineString<f64>) -> bool {
    use geo::line_intersection::LineIntersection;
    let mut vertices: Vec<Coord<f64>> = ring.0.to_vec();
    vertices.dedup();
    if vertices.len() < 5 {
        return false;
    }
    vertices.pop(); // the closing vertex repeats the first
    let mut sorted = vertices.clone();
    sorted.sort_unstable_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return true;
    }
    geo::Intersections::from_iter(ring.lines()).any(|(a, b, meeting)| match meeting {
        LineIntersection::SinglePoint {
            intersection,
            is_proper: false,
        } => {
            let ends_a = intersection == a.start || intersection == a.end;
            let ends_b = intersection == b.start || intersection == b.end;
            !(ends_a && ends_b)
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, line_string};

    fn square(x: f64, y: f64, size: f64) -> LineString<f64> {
        line_string![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size), (x: x, y: y)
        ]
    }

    #[test]
    fn holes_outside_or_around_their_shell_are_dropped_and_named() {
        let shell = square(0.0, 0.0, 10.0);
        let inside = square(2.0, 2.0, 2.0);
        let outside = square(20.0, 20.0, 2.0);
        let around = square(-5.0, -5.0, 30.0);
        let polygon = Polygon::new(shell, vec![inside, outside, around]);
        let mut report = JoinReport::default();
        let checked = check_polygons(
            Path::new("t.geojson"),
            "feature 4",
            "E01011374",
            MultiPolygon::new(vec![polygon]),
            &mut report,
        );
        assert_eq!(checked.0[0].interiors().len(), 1);
        let problem = &report.problems[0];
        assert_eq!(problem.location.as_deref(), Some("feature 4"));
        assert!(
            problem.message.contains("hole 2 lies outside its outer ring"),
            "{problem}"
        );
        assert!(problem.message.contains("hole 3 contains its outer ring"), "{problem}");
    }

    #[test]
    fn a_bow_tie_is_reported_and_a_square_is_not() {
        let bow_tie = line_string![(x: 0., y: 0.), (x: 10., y: 10.), (x: 10., y: 0.), (x: 0., y: 10.), (x: 0., y: 0.)];
        assert!(ring_crosses_itself(&bow_tie));
        assert!(!ring_crosses_itself(&square(0.0, 0.0, 1.0)));
        let _ = coord! { x: 0., y: 0. };
    }

    #[test]
    fn a_ring_pinched_at_a_point_is_noted_as_touching_itself() {
        // Two squares joined at (10, 10), walked as one ring: it touches itself there and crosses nowhere.
        let pinched = line_string![
            (x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 20., y: 10.), (x: 20., y: 20.),
            (x: 10., y: 20.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)
        ];
        assert!(!ring_crosses_itself(&pinched));
        assert!(ring_touches_itself(&pinched));
        assert!(!ring_touches_itself(&square(0.0, 0.0, 1.0)));
        // A vertex lying on another segment's middle.
        let on_segment = line_string![
            (x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 5., y: 0.), (x: 0., y: 10.), (x: 0., y: 0.)
        ];
        assert!(ring_touches_itself(&on_segment));
        let mut report = JoinReport::default();
        check_polygons(
            Path::new("t.geojson"),
            "feature 2",
            "E01011372",
            MultiPolygon::new(vec![Polygon::new(pinched, vec![])]),
            &mut report,
        );
        let problem = &report.problems[0];
        assert_eq!(problem.severity, Severity::Note);
        assert_eq!(problem.location.as_deref(), Some("feature 2"));
        assert!(
            problem.message.starts_with("E01011372: the outer ring touches itself"),
            "{problem}"
        );
    }
}
