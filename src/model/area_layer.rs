//! A layer of areas (LSOAs or wards) with British National Grid geometry and an R-tree over their envelopes.

use super::{AreaCode, LsoaVintage};
use geo::{BoundingRect, Contains, Coord, InteriorPoint as _, MultiPolygon, Point, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// What a layer's areas are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AreaKind {
    /// Lower-layer Super Output Areas of one census.
    Lsoa(LsoaVintage),
    /// Electoral wards as at the given year (`WD19CD` → 2019).
    Ward(u16),
}

impl fmt::Display for AreaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AreaKind::Lsoa(vintage) => vintage.fmt(f),
            AreaKind::Ward(year) => write!(f, "wards {year}"),
        }
    }
}

/// One area: its code, name and shape in British National Grid metres.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// ONS code.
    pub code: AreaCode,
    /// Name as published.
    pub name: String,
    /// Local authority code, when the boundary file carries one.
    pub la_code: Option<AreaCode>,
    /// Polygons with holes, in BNG metres (`world` space).
    pub geometry_in_world: MultiPolygon<f64>,
    /// Bounding box of the geometry, in BNG metres.
    pub bbox_in_world: Rect<f64>,
    /// A point inside the geometry (geo's interior point), in BNG metres: where its marker and label go, and what a
    /// lasso tests. Found once when the area is read, and cached with it: for All England's 34,753 areas it was a
    /// third of the window's first frame when every scene found them again.
    pub interior_in_world: Option<Coord<f64>>,
}

impl Area {
    /// An area, computing its bounding box and interior point; `None` when the geometry is empty.
    pub fn new(
        code: AreaCode,
        name: String,
        la_code: Option<AreaCode>,
        geometry_in_world: MultiPolygon<f64>,
    ) -> Option<Self> {
        let bbox_in_world = geometry_in_world.bounding_rect()?;
        let interior_in_world = geometry_in_world.interior_point().map(|p| p.0);
        Some(Self {
            code,
            name,
            la_code,
            geometry_in_world,
            bbox_in_world,
            interior_in_world,
        })
    }
}

/// The smallest rectangle holding both.
///
/// ```
/// use geo::{coord, Rect};
/// use locality_map::model::rect_union;
/// let a = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 });
/// let b = Rect::new(coord! { x: 2.0, y: -1.0 }, coord! { x: 3.0, y: 0.5 });
/// assert_eq!(rect_union(a, b), Rect::new(coord! { x: 0.0, y: -1.0 }, coord! { x: 3.0, y: 1.0 }));
/// ```
pub fn rect_union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// The rectangle grown by `margin` on every side (same units).
///
/// ```
/// use geo::{coord, Rect};
/// use locality_map::model::rect_grown;
/// let a = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 });
/// assert_eq!(rect_grown(a, 2.0), Rect::new(coord! { x: -2.0, y: -2.0 }, coord! { x: 3.0, y: 3.0 }));
/// ```
pub fn rect_grown(rect: Rect<f64>, margin: f64) -> Rect<f64> {
    Rect::new(
        Coord {
            x: rect.min().x - margin,
            y: rect.min().y - margin,
        },
        Coord {
            x: rect.max().x + margin,
            y: rect.max().y + margin,
        },
    )
}

type Envelope = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A layer of areas of one kind, indexed for "which area is at this point".
#[derive(Clone, Debug)]
pub struct AreaLayer {
    /// What the areas are.
    pub kind: AreaKind,
    /// The areas, sorted by code.
    pub areas: Vec<Area>,
    /// The files the areas came from.
    pub sources: Vec<PathBuf>,
    index: RTree<Envelope>,
}

impl AreaLayer {
    /// Builds a layer and its R-tree. Areas are sorted by code; a later duplicate code is dropped
    /// (the caller reports duplicates, so none is lost silently).
    pub fn new(kind: AreaKind, mut areas: Vec<Area>, sources: Vec<PathBuf>) -> Self {
        areas.sort_by_key(|a| a.code);
        areas.dedup_by(|later, earlier| later.code == earlier.code);
        let envelopes = areas
            .iter()
            .enumerate()
            .map(|(i, area)| {
                let (min, max) = (area.bbox_in_world.min(), area.bbox_in_world.max());
                GeomWithData::new(Rectangle::from_corners([min.x, min.y], [max.x, max.y]), i)
            })
            .collect();
        Self {
            kind,
            areas,
            sources,
            index: RTree::bulk_load(envelopes),
        }
    }

    /// The area with this code.
    pub fn get(&self, code: &AreaCode) -> Option<&Area> {
        self.index_of(code).and_then(|i| self.areas.get(i))
    }

    /// Where the area with this code is in `areas` (they are sorted by code).
    pub fn index_of(&self, code: &AreaCode) -> Option<usize> {
        self.areas.binary_search_by(|a| a.code.cmp(code)).ok()
    }

    /// The area containing the point (BNG metres): R-tree envelope query, then exact point-in-polygon.
    pub fn area_at(&self, point_in_world: Coord<f64>) -> Option<&Area> {
        let point = Point::from(point_in_world);
        self.index
            .locate_all_at_point(&[point_in_world.x, point_in_world.y])
            .filter_map(|hit| self.areas.get(hit.data))
            .find(|area| area.geometry_in_world.contains(&point))
    }

    /// Areas whose bounding boxes meet the rectangle (BNG metres), in R-tree order.
    pub fn areas_in_envelope_unsorted(&self, rect_in_world: Rect<f64>) -> impl Iterator<Item = (usize, &Area)> {
        let (min, max) = (rect_in_world.min(), rect_in_world.max());
        self.index
            .locate_in_envelope_intersecting(&AABB::from_corners([min.x, min.y], [max.x, max.y]))
            .filter_map(|hit| self.areas.get(hit.data).map(|area| (hit.data, area)))
    }

    /// The bounding box of all areas, or of those whose code passes `keep`.
    pub fn bbox_where(&self, mut keep: impl FnMut(&Area) -> bool) -> Option<Rect<f64>> {
        self.areas
            .iter()
            .filter(|a| keep(a))
            .map(|a| a.bbox_in_world)
            .reduce(rect_union)
    }

    /// Number of vertices in all areas.
    pub fn vertex_count(&self) -> usize {
        use geo::CoordsIter as _;
        self.areas.iter().map(|a| a.geometry_in_world.coords_count()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon};

    fn square_with_hole(code: &str, x0: f64) -> Area {
        let outer = LineString::from(vec![
            (x0, 0.0),
            (x0 + 10.0, 0.0),
            (x0 + 10.0, 10.0),
            (x0, 10.0),
            (x0, 0.0),
        ]);
        let hole = LineString::from(vec![
            (x0 + 4.0, 4.0),
            (x0 + 6.0, 4.0),
            (x0 + 6.0, 6.0),
            (x0 + 4.0, 6.0),
            (x0 + 4.0, 4.0),
        ]);
        let code = AreaCode::parse(code).unwrap();
        Area::new(
            code,
            "test".into(),
            None,
            MultiPolygon::new(vec![Polygon::new(outer, vec![hole])]),
        )
        .unwrap()
    }

    #[test]
    fn hit_test_respects_holes_and_neighbours() {
        let layer = AreaLayer::new(
            AreaKind::Lsoa(LsoaVintage::Lsoa2011),
            vec![square_with_hole("E01000002", 10.0), square_with_hole("E01000001", 0.0)],
            vec![],
        );
        assert_eq!(
            layer.area_at(Coord { x: 1.0, y: 1.0 }).map(|a| a.code.as_str()),
            Some("E01000001")
        );
        assert_eq!(
            layer.area_at(Coord { x: 15.0, y: 1.0 }).map(|a| a.code.as_str()),
            Some("E01000002")
        );
        assert!(
            layer.area_at(Coord { x: 5.0, y: 5.0 }).is_none(),
            "a point in a hole is in no area"
        );
        assert!(layer.area_at(Coord { x: 50.0, y: 5.0 }).is_none());
        assert_eq!(layer.areas[0].code.as_str(), "E01000001", "areas are sorted by code");
    }

    #[test]
    fn concave_polygon_notch_is_outside() {
        // A U shape: the notch's envelope hits but the point is outside.
        let u = polygon![(x: 0.0, y: 0.0), (x: 9.0, y: 0.0), (x: 9.0, y: 9.0), (x: 6.0, y: 9.0), (x: 6.0, y: 3.0), (x: 3.0, y: 3.0), (x: 3.0, y: 9.0), (x: 0.0, y: 9.0)];
        let area = Area::new(
            AreaCode::parse("E05000001").unwrap(),
            "U".into(),
            None,
            MultiPolygon::new(vec![u]),
        )
        .unwrap();
        let layer = AreaLayer::new(AreaKind::Ward(2019), vec![area], vec![]);
        assert!(layer.area_at(Coord { x: 4.5, y: 6.0 }).is_none());
        assert!(layer.area_at(Coord { x: 1.0, y: 6.0 }).is_some());
    }
}
