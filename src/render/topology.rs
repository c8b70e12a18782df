//! Shared-edge topology of a layer and its level-of-detail bands.
//!
//! Every ring is split into arcs at nodes (vertices where the boundary branches: met by other than two distinct
//! edges), each arc is stored once however many polygons use it, and simplified once per band. Rings are then
//! reassembled from the simplified arcs, so two neighbours always keep the very same border at every band: no gaps,
//! no overlaps. The arcs also give the boundaries between groups of areas (local authorities) for free: an arc whose
//! two sides lie in different groups, or that has one side only (coast, edge of the data).

use super::AreaMeshes;
use crate::model::AreaLayer;
use geo::{Coord, LineString, MultiPolygon, Polygon, Rect, Simplify as _};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One stretch of boundary between two nodes, shared by the areas on either side.
#[derive(Clone, Debug)]
pub struct TopoArc {
    /// Its vertices in world space, first and last are nodes.
    pub coords: Vec<Coord<f64>>,
    /// Layer indices of the areas it bounds: one (coast, data edge) or two.
    pub areas: Vec<u32>,
    /// Its extent.
    pub bbox_in_world: Rect<f64>,
}

/// A ring as arcs: (arc index, traversed backwards).
pub type RingArcs = Vec<(u32, bool)>;

/// The layer cut into shared arcs.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    /// Every distinct arc.
    pub arcs: Vec<TopoArc>,
    /// Per area (layer order), per polygon, its rings (exterior first) as arcs.
    pub areas: Vec<Vec<Vec<RingArcs>>>,
}

type Key = (u64, u64);

/// A multiply-rotate hasher for coordinate keys: SipHash is a third of the topology build otherwise.
#[derive(Clone, Copy, Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type KeyMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

fn key(c: Coord<f64>) -> Key {
    // +0.0 and -0.0 are one point.
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

fn edge_key(a: Key, b: Key) -> (Key, Key) {
    if a <= b { (a, b) } else { (b, a) }
}

/// A ring's distinct vertices, without the closing repeat or consecutive duplicates.
fn open_ring(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        if out.last().is_none_or(|l| key(*l) != key(*c)) {
            out.push(*c);
        }
    }
    while out.len() > 1 && key(out[0]) == key(out[out.len() - 1]) {
        out.pop();
    }
    out
}

impl Topology {
    /// Cuts every ring of the layer into shared arcs.
    pub fn build(layer: &AreaLayer) -> Self {
        let rings: Vec<Vec<Vec<Vec<Coord<f64>>>>> = layer
            .areas
            .par_iter()
            .map(|area| {
                area.geometry_in_world
                    .iter()
                    .map(|p| {
                        std::iter::once(p.exterior())
                            .chain(p.interiors())
                            .map(open_ring)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // Distinct neighbours of every vertex: a node is a vertex with other than two.
        let mut neighbours: KeyMap<Key, Vec<Key>> =
            KeyMap::with_capacity_and_hasher(layer.vertex_count(), Default::default());
        for ring in rings.iter().flatten().flatten() {
            let n = ring.len();
            if n < 2 {
                continue;
            }
            for i in 0..n {
                let (a, b) = (key(ring[i]), key(ring[(i + 1) % n]));
                for (from, to) in [(a, b), (b, a)] {
                    let list = neighbours.entry(from).or_default();
                    if !list.contains(&to) {
                        list.push(to);
                    }
                }
            }
        }
        let is_node = |c: Coord<f64>| neighbours.get(&key(c)).is_none_or(|l| l.len() != 2);
        let mut arcs: Vec<TopoArc> = Vec::new();
        let mut arc_by_end_edge: KeyMap<(Key, Key), u32> = KeyMap::default();
        let mut areas = Vec::with_capacity(rings.len());
        for (area_index, polygons) in rings.iter().enumerate() {
            let area_index = area_index as u32;
            let mut area_arcs = Vec::with_capacity(polygons.len());
            for polygon in polygons {
                let mut polygon_arcs = Vec::with_capacity(polygon.len());
                for ring in polygon {
                    if ring.len() < 3 {
                        polygon_arcs.push(Vec::new());
                        continue;
                    }
                    let mut cuts: Vec<usize> = (0..ring.len()).filter(|i| is_node(ring[*i])).collect();
                    if cuts.is_empty() {
                        // A ring touching no other boundary (an island, or a hole filled by one area): cut it at
                        // points chosen from its coordinates alone, so every ring using it cuts it alike.
                        let first = (0..ring.len()).min_by_key(|i| key(ring[*i])).unwrap_or(0);
                        let far = (0..ring.len())
                            .max_by(|a, b| {
                                let d = |i: usize| (ring[i].x - ring[first].x).hypot(ring[i].y - ring[first].y);
                                d(*a).total_cmp(&d(*b)).then(key(ring[*b]).cmp(&key(ring[*a])))
                            })
                            .unwrap_or(0);
                        cuts = vec![first.min(far), first.max(far)];
                        cuts.dedup();
                    }
                    let n = ring.len();
                    let mut ring_arcs = Vec::with_capacity(cuts.len());
                    for (k, start) in cuts.iter().enumerate() {
                        let end = cuts[(k + 1) % cuts.len()];
                        let length = if end > *start { end - start } else { end + n - start };
                        let coords: Vec<Coord<f64>> = (0..=length).map(|j| ring[(start + j) % n]).collect();
                        let first_edge = edge_key(key(coords[0]), key(coords[1]));
                        let found = arc_by_end_edge.get(&first_edge).copied();
                        let (id, reversed) = match found {
                            Some(id) => {
                                let arc = &mut arcs[id as usize];
                                if !arc.areas.contains(&area_index) {
                                    arc.areas.push(area_index);
                                }
                                (id, key(arc.coords[0]) != key(coords[0]))
                            }
                            None => {
                                let id = arcs.len() as u32;
                                let last_edge = edge_key(key(coords[length - 1]), key(coords[length]));
                                arc_by_end_edge.insert(first_edge, id);
                                arc_by_end_edge.insert(last_edge, id);
                                let bbox_in_world = bbox_of(&coords);
                                arcs.push(TopoArc {
                                    coords,
                                    areas: vec![area_index],
                                    bbox_in_world,
                                });
                                (id, false)
                            }
                        };
                        ring_arcs.push((id, reversed));
                    }
                    polygon_arcs.push(ring_arcs);
                }
                area_arcs.push(polygon_arcs);
            }
            areas.push(area_arcs);
        }
        arcs.shrink_to_fit();
        Self { arcs, areas }
    }

    /// Every arc simplified (Douglas-Peucker, ends kept) to `tolerance` metres; 0 keeps them as they are.
    pub fn simplified_arcs(&self, tolerance: f64) -> Vec<Vec<Coord<f64>>> {
        self.arcs.par_iter().map(|arc| simplify_arc(arc, tolerance)).collect()
    }

    /// How many vertices the arcs would keep at `tolerance`, without keeping the simplified arcs.
    pub fn simplified_vertex_count(&self, tolerance: f64) -> usize {
        self.arcs.par_iter().map(|arc| simplify_arc(arc, tolerance).len()).sum()
    }

    /// One area's polygons rebuilt from (simplified) arcs; rings that collapse below three distinct points are left
    /// out, and a polygon whose exterior collapses with them.
    pub fn assemble(&self, area: usize, arcs: &[Vec<Coord<f64>>]) -> MultiPolygon<f64> {
        let Some(polygons) = self.areas.get(area) else {
            return MultiPolygon::new(Vec::new());
        };
        let ring_of = |ring: &RingArcs| -> Option<LineString<f64>> {
            let mut coords: Vec<Coord<f64>> = Vec::new();
            for (id, reversed) in ring {
                let arc = arcs.get(*id as usize)?;
                let skip = usize::from(!coords.is_empty());
                if *reversed {
                    coords.extend(arc.iter().rev().skip(skip));
                } else {
                    coords.extend(arc.iter().skip(skip));
                }
            }
            // Distinct points, not counting the closing one.
            (coords.len() >= 4).then(|| LineString::new(coords))
        };
        MultiPolygon::new(
            polygons
                .iter()
                .filter_map(|rings| {
                    let exterior = ring_of(rings.first()?)?;
                    let interiors = rings.iter().skip(1).filter_map(ring_of).collect();
                    Some(Polygon::new(exterior, interiors))
                })
                .collect(),
        )
    }

    /// Arcs between different groups (e.g. local authorities, by layer index), or with one side only: the groups'
    /// outlines, each border once.
    pub fn group_boundaries<G: PartialEq>(&self, group_of: impl Fn(usize) -> Option<G>) -> Vec<u32> {
        (0..self.arcs.len() as u32)
            .filter(|id| match self.arcs[*id as usize].areas.as_slice() {
                [_] => true,
                [a, b] => group_of(*a as usize) != group_of(*b as usize),
                _ => true,
            })
            .collect()
    }
}

/// One arc simplified (Douglas-Peucker, ends kept) to `tolerance` metres; 0 keeps it as it is.
fn simplify_arc(arc: &TopoArc, tolerance: f64) -> Vec<Coord<f64>> {
    if tolerance <= 0.0 || arc.coords.len() <= 2 {
        return arc.coords.clone();
    }
    // geo collects the kept points into the buffer of its working list: half again too big.
    let mut kept = LineString::new(arc.coords.clone()).simplify(tolerance).0;
    kept.shrink_to_fit();
    kept
}

fn bbox_of(coords: &[Coord<f64>]) -> Rect<f64> {
    let mut min = coords[0];
    let mut max = coords[0];
    for c in coords {
        min.x = min.x.min(c.x);
        min.y = min.y.min(c.y);
        max.x = max.x.max(c.x);
        max.y = max.y.max(c.y);
    }
    Rect::new(min, max)
}

/// Simplification tolerances of the bands, finest first, in metres: a band is used while its tolerance is at most
/// one screen point, so the error never shows by more than a point.
pub const BAND_TOLERANCES: [f64; 5] = [0.0, 5.0, 20.0, 80.0, 320.0];

/// The band to draw at a zoom: the coarsest whose tolerance is at most one point.
pub fn band_for(metres_per_point: f64) -> usize {
    BAND_TOLERANCES
        .iter()
        .rposition(|t| *t <= metres_per_point)
        .unwrap_or(0)
}

/// A band is kept only when it has at most this share of the vertices of the next finer level kept (full detail
/// first). Topology-preserving simplification keeps every node, so on an already generalised file most bands remove
/// almost nothing (the national super-generalised LSOAs keep 98%, 97% and 94% at 5, 20 and 80 m): such a band would
/// draw no faster than the finer one and cost as much memory again.
pub const KEEP_BAND_AT_MOST: f64 = 0.9;

/// One level of detail: simplified arcs and the fill triangles of the areas rebuilt from them.
#[derive(Debug)]
pub struct LodBand {
    /// Simplification tolerance in metres.
    pub tolerance: f64,
    /// Every arc, simplified.
    pub arcs: Vec<Vec<Coord<f64>>>,
    /// Fill triangles per area (layer order); an area that collapsed at this band has empty ranges.
    pub meshes: AreaMeshes,
}

/// The levels of detail of a layer, filled in by a background thread; the UI takes what is ready and never waits.
///
/// Band 0 is full detail: the layer's own mesh and the topology's arcs, never copied. A band that would simplify too
/// little (see [`KEEP_BAND_AT_MOST`]) is decided against and left empty; its zooms draw the next finer level.
#[derive(Debug, Default)]
pub struct LayerLod {
    topology: OnceLock<Topology>,
    /// Per band once decided: the band, or `None` when not worth keeping (always `None` for band 0).
    bands: [OnceLock<Option<LodBand>>; BAND_TOLERANCES.len()],
}

impl LayerLod {
    /// Builds everything now, on this thread (benchmarks, tests, the export).
    pub fn build_now(layer: &AreaLayer, origin_in_world: Coord<f64>) -> Self {
        let lod = Self::default();
        lod.fill(layer, origin_in_world);
        lod
    }

    /// Builds the topology, decides which bands are worth keeping (finest first, each against the finer level kept),
    /// then builds the kept bands coarsest first (the national view needs those first).
    pub fn fill(&self, layer: &AreaLayer, origin_in_world: Coord<f64>) {
        let topology = self.topology.get_or_init(|| Topology::build(layer));
        let mut keep = [false; BAND_TOLERANCES.len()];
        let mut finer = topology.arcs.iter().map(|a| a.coords.len()).sum::<usize>();
        for (band, tolerance) in BAND_TOLERANCES.iter().enumerate().skip(1) {
            let count = topology.simplified_vertex_count(*tolerance);
            if count as f64 <= KEEP_BAND_AT_MOST * finer as f64 {
                keep[band] = true;
                finer = count;
            }
        }
        for (band, cell) in self.bands.iter().enumerate() {
            if !keep[band] {
                cell.get_or_init(|| None);
            }
        }
        for (band, tolerance) in BAND_TOLERANCES.iter().enumerate().rev().filter(|(b, _)| keep[*b]) {
            self.bands[band].get_or_init(|| {
                let arcs = topology.simplified_arcs(*tolerance);
                let meshes = AreaMeshes::from_geometries(
                    origin_in_world,
                    (0..topology.areas.len())
                        .into_par_iter()
                        .map(|i| topology.assemble(i, &arcs)),
                );
                Some(LodBand {
                    tolerance: *tolerance,
                    arcs,
                    meshes,
                })
            });
        }
    }

    /// The topology, once built.
    pub fn topology(&self) -> Option<&Topology> {
        self.topology.get()
    }

    /// A band, once built, if it was kept.
    pub fn band(&self, band: usize) -> Option<&LodBand> {
        self.bands.get(band)?.get()?.as_ref()
    }

    /// The bands built and kept, finest first.
    pub fn kept_bands(&self) -> impl Iterator<Item = &LodBand> {
        (0..self.bands.len()).filter_map(|b| self.band(b))
    }

    /// The band to draw at a zoom; `None` means full detail (the layer's own mesh and the topology's arcs). A band
    /// decided against gives way to the next finer one kept; while the bands are still being built, the nearest one
    /// built stands in (coarser first: cheaper to draw while waiting).
    pub fn best_band(&self, metres_per_point: f64) -> Option<&LodBand> {
        let wanted = band_for(metres_per_point);
        match self.bands.get(wanted)?.get() {
            Some(Some(band)) => Some(band),
            Some(None) => (1..wanted).rev().find_map(|b| self.band(b)),
            None => (wanted..self.bands.len())
                .chain((1..wanted).rev())
                .find_map(|b| self.band(b)),
        }
    }
}

/// Culling: the layer indices of the areas whose bounding boxes meet the view (R-tree envelope query), sorted.
pub fn areas_in_view(layer: &AreaLayer, view_in_world: Rect<f64>) -> Vec<usize> {
    let mut hits: Vec<usize> = layer
        .areas_in_envelope_unsorted(view_in_world)
        .map(|(i, _)| i)
        .collect();
    hits.sort_unstable();
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, AreaCode, AreaKind, LsoaVintage};

    fn square(code: &str, x0: f64, y0: f64, size: f64) -> Area {
        // Extra vertices along every side, so simplification has something to remove.
        let mut ring = Vec::new();
        for (ax, ay, bx, by) in [
            (x0, y0, x0 + size, y0),
            (x0 + size, y0, x0 + size, y0 + size),
            (x0 + size, y0 + size, x0, y0 + size),
            (x0, y0 + size, x0, y0),
        ] {
            for k in 0..4 {
                let t = f64::from(k) / 4.0;
                let wiggle = if k % 2 == 1 { 0.3 } else { 0.0 };
                ring.push((ax + (bx - ax) * t + wiggle, ay + (by - ay) * t + wiggle));
            }
        }
        ring.push((x0, y0));
        Area::new(
            AreaCode::parse(code).unwrap(),
            code.into(),
            None,
            MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]),
        )
        .unwrap()
    }

    /// Two squares side by side, sharing the edge x = 10 (with its wiggly middle vertices).
    fn two_squares() -> AreaLayer {
        AreaLayer::new(
            AreaKind::Lsoa(LsoaVintage::Lsoa2011),
            vec![
                square("E01000001", 0.0, 0.0, 10.0),
                square("E01000002", 10.0, 0.0, 10.0),
            ],
            vec![],
        )
    }

    #[test]
    fn neighbours_share_one_arc_and_keep_it_identical_when_simplified() {
        let layer = two_squares();
        let topology = Topology::build(&layer);
        let shared: Vec<&TopoArc> = topology.arcs.iter().filter(|a| a.areas.len() == 2).collect();
        assert!(!shared.is_empty(), "the common side is one shared arc");
        // Every edge is used once per side: the two areas' rings use the shared arcs in opposite directions.
        for tolerance in [0.0, 0.2, 1.0, 4.0] {
            let arcs = topology.simplified_arcs(tolerance);
            let a = topology.assemble(0, &arcs);
            let b = topology.assemble(1, &arcs);
            let on_line = |m: &MultiPolygon<f64>| -> Vec<(u64, u64)> {
                let mut v: Vec<_> = m.0[0]
                    .exterior()
                    .0
                    .iter()
                    .filter(|c| c.x > 9.0 && c.x < 11.0)
                    .map(|c| key(*c))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            assert_eq!(on_line(&a), on_line(&b), "tolerance {tolerance}");
        }
        let boundaries = topology.group_boundaries(Some);
        assert_eq!(
            boundaries.len(),
            topology.arcs.len(),
            "every arc separates two areas or is an edge"
        );
        let one_group = topology.group_boundaries(|_| Some(0));
        assert!(
            one_group.iter().all(|id| topology.arcs[*id as usize].areas.len() == 1),
            "interior arcs are dropped"
        );
    }

    #[test]
    fn bands_that_simplify_too_little_are_not_kept_and_their_zooms_draw_the_finer_level() {
        let layer = two_squares();
        let lod = LayerLod::build_now(&layer, Coord { x: 0.0, y: 0.0 });
        // At 5 m the 0.3 m wiggles go, at 20 m the unshared sides shrink to their ends; 80 and 320 m have nothing
        // left to remove (every arc is down to its two nodes) and are not kept.
        let kept: Vec<f64> = lod.kept_bands().map(|b| b.tolerance).collect();
        assert_eq!(kept, vec![5.0, 20.0]);
        assert!(
            lod.band(0).is_none(),
            "full detail is the layer's own mesh, never copied"
        );
        assert!(lod.best_band(3.0).is_none(), "finer than every band: full detail");
        for (metres_per_point, drawn) in [(5.0, 5.0), (10.0, 5.0), (30.0, 20.0), (100.0, 20.0), (1_000.0, 20.0)] {
            assert_eq!(
                lod.best_band(metres_per_point).map(|b| b.tolerance),
                Some(drawn),
                "{metres_per_point} m per point"
            );
        }
        let band = lod.band(1).expect("kept");
        assert!(
            band.meshes.ranges.iter().all(|(v, _)| !v.is_empty()),
            "both squares have triangles"
        );
    }

    #[test]
    fn band_for_zoom() {
        assert_eq!(band_for(1.0), 0);
        assert_eq!(band_for(5.0), 1);
        assert_eq!(band_for(60.0), 2);
        assert_eq!(band_for(800.0), 4);
    }
}
