//! Planner-defined areas (a grouping file's groups, named selections, the wards of an LA) as a map layer: their member
//! LSOAs, outlines dissolved from them (each shared border once, none between members of one area), a label point
//! inside each, and — for the main map — each area's fill by its rank on a summary measure with the legend that says
//! which measure, index, edition and population source. One description for the window's main map, its report
//! export and the area map page (`export::area_map`).

use super::Topology;
use crate::analysis::{AreaMembers, AreaSummaryTable, SummaryMeasure};
use crate::model::{AreaCode, AreaKind, AreaLayer, LsoaVintage};
use crate::style::{DECILES, NO_DATA, Rgba};
use geo::{Coord, InteriorPoint as _, LineString, MultiPolygon};
use std::collections::HashMap;
use std::sync::Arc;

/// Five classes of rank among the peers, most deprived darkest (viridis, legible in greyscale).
pub const RANK_CLASS_COLOURS: [Rgba; 5] = [DECILES[0], DECILES[2], DECILES[4], DECILES[6], DECILES[8]];

/// The fill of an area ranked `rank` of `peers` (1 = most deprived): its fifth of the ranking.
pub fn rank_class_colour(rank: Option<u32>, peers: u32) -> Rgba {
    match rank {
        Some(rank) if peers > 0 => {
            let class = ((rank.saturating_sub(1)) as usize * RANK_CLASS_COLOURS.len()) / peers as usize;
            RANK_CLASS_COLOURS[class.min(RANK_CLASS_COLOURS.len() - 1)]
        }
        _ => NO_DATA,
    }
}

/// The areas' geometry, built once per set of areas: member LSOAs, dissolved outlines, label points.
pub struct AreaMapGeometry {
    /// The member LSOAs' boundaries (a layer of just them).
    pub lsoas: AreaLayer,
    /// Which area each member LSOA (in `lsoas` order) belongs to.
    pub area_of_lsoa: Vec<usize>,
    /// The areas' outlines, each shared border once: borders between LSOAs of different areas, and the outer edge.
    pub outlines: Vec<LineString<f64>>,
    /// A point inside each area (inside one of its LSOAs) for its label.
    pub label_in_world: Vec<Option<Coord<f64>>>,
}

impl AreaMapGeometry {
    /// Dissolves each area's member LSOAs (from the LSOA layer of `vintage`) into an outline. An LSOA named by two
    /// areas belongs to the first.
    pub fn build(layer: &AreaLayer, vintage: LsoaVintage, areas: &[AreaMembers]) -> Self {
        let mut area_of_code: HashMap<AreaCode, usize> = HashMap::new();
        for (i, area) in areas.iter().enumerate() {
            for lsoa in &area.lsoas {
                area_of_code.entry(*lsoa).or_insert(i);
            }
        }
        let members: Vec<_> = layer
            .areas
            .iter()
            .filter(|a| area_of_code.contains_key(&a.code))
            .cloned()
            .collect();
        let lsoas = AreaLayer::new(AreaKind::Lsoa(vintage), members, layer.sources.clone());
        let area_of_lsoa: Vec<usize> = lsoas.areas.iter().map(|a| area_of_code[&a.code]).collect();
        let topology = Topology::build(&lsoas);
        let outlines = topology
            .group_boundaries(|i| area_of_lsoa.get(i).copied())
            .into_iter()
            .filter_map(|id| topology.arcs.get(id as usize))
            .map(|arc| LineString::new(arc.coords.clone()))
            .collect();
        let mut label_in_world = vec![None; areas.len()];
        for (i, label) in label_in_world.iter_mut().enumerate() {
            let points: Vec<Coord<f64>> = lsoas
                .areas
                .iter()
                .zip(&area_of_lsoa)
                .filter(|(_, a)| **a == i)
                .map(|(lsoa, _)| interior(&lsoa.geometry_in_world).unwrap_or(lsoa.bbox_in_world.center()))
                .collect();
            if points.is_empty() {
                continue;
            }
            // The member point nearest the members' mean: inside the area even when the area is not convex.
            let n = points.len() as f64;
            let mean = Coord {
                x: points.iter().map(|p| p.x).sum::<f64>() / n,
                y: points.iter().map(|p| p.y).sum::<f64>() / n,
            };
            let distance = |p: &Coord<f64>| (p.x - mean.x).powi(2) + (p.y - mean.y).powi(2);
            *label = points.into_iter().min_by(|a, b| distance(a).total_cmp(&distance(b)));
        }
        Self {
            lsoas,
            area_of_lsoa,
            outlines,
            label_in_world,
        }
    }
}

fn interior(geometry: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    geometry.interior_point().map(|p| p.0)
}

/// One group as the layer draws and lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupOnMap {
    /// The group's name (its label on the map).
    pub name: String,
    /// Its rank among the groups on the measure (1 = most deprived), when it has a figure.
    pub rank: Option<u32>,
    /// The measure's value as MHCLG publishes it, or why there is none.
    pub value_text: String,
    /// Its fill: its fifth of the ranking.
    pub fill: Rgba,
    /// Its LSOAs (of the summarised edition's vintage).
    pub lsoas: Vec<AreaCode>,
}

/// Groups as a layer of the main map: the shared geometry, each group's fill by rank on `measure`, and the words of
/// its legend. Built once per set of groups and measure; the window and the report both draw this.
pub struct GroupLayer {
    /// Member LSOAs, dissolved outlines, label points (in the order of `groups`).
    pub geometry: Arc<AreaMapGeometry>,
    /// The groups, in the order their file names them.
    pub groups: Vec<GroupOnMap>,
    /// The legend's heading: the measure, the index and the edition, e.g. `Average score — IMD 2019`.
    pub heading: String,
    /// Edition, index, which groups and the population source (`AreaSummaryTable::provenance`).
    pub provenance: String,
    /// Words for a page title, e.g. `area groups by average score, IMD 2019`.
    pub title: String,
    /// Figures that could not be computed, and why.
    pub notes: Vec<String>,
    /// Tells one build from another (caches key on it).
    pub identity: u64,
    fill_of_lsoa: HashMap<AreaCode, Rgba>,
}

impl std::fmt::Debug for GroupLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupLayer")
            .field("heading", &self.heading)
            .field("groups", &self.groups.len())
            .field("identity", &self.identity)
            .finish()
    }
}

impl PartialEq for GroupLayer {
    fn eq(&self, other: &Self) -> bool {
        self.identity == other.identity && self.heading == other.heading && self.groups == other.groups
    }
}

impl GroupLayer {
    /// The layer of `members` (in the order of `geometry`'s areas) filled by their rank in `table` on `measure`.
    pub fn new(
        geometry: Arc<AreaMapGeometry>,
        members: &[AreaMembers],
        table: &AreaSummaryTable,
        measure: SummaryMeasure,
        identity: u64,
    ) -> Self {
        let groups: Vec<GroupOnMap> = members
            .iter()
            .map(|member| {
                let row = table.rows.iter().find(|r| r.area_code == member.code);
                let (value, rank) = row.map_or((None, None), |r| measure.of(r));
                GroupOnMap {
                    name: member.name.clone(),
                    rank,
                    value_text: value.map_or_else(|| "no figure".to_string(), |v| measure.format(v, table.index)),
                    fill: rank_class_colour(rank, row.map_or(0, |r| r.peers)),
                    lsoas: member.lsoas.clone(),
                }
            })
            .collect();
        let fill_of_lsoa = geometry
            .lsoas
            .areas
            .iter()
            .zip(&geometry.area_of_lsoa)
            .filter_map(|(lsoa, group)| Some((lsoa.code, groups.get(*group)?.fill)))
            .collect();
        Self {
            geometry,
            groups,
            heading: format!("{} — {} {}", measure.label(), table.index.label(), table.edition),
            provenance: table.provenance(),
            title: format!(
                "area groups by {}, {} {}",
                measure.label().to_lowercase(),
                table.index.label(),
                table.edition
            ),
            notes: table.notes.clone(),
            identity,
            fill_of_lsoa,
        }
    }

    /// Whether every one of `lsoas` is in a group: then none shows the map's own classes, and writers leave their key
    /// out rather than describe colours the map does not use.
    pub fn fills_all<'a>(&self, mut lsoas: impl Iterator<Item = &'a AreaCode>) -> bool {
        lsoas.all(|code| self.fill_of_lsoa.contains_key(code))
    }

    /// The fill of an LSOA in a group, `None` outside every group.
    pub fn fill_of(&self, lsoa: &AreaCode) -> Option<Rgba> {
        self.fill_of_lsoa.get(lsoa).copied()
    }

    /// The groups' indices in rank order (unranked last, then by name): the legend's order.
    pub fn ranked_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.groups.len()).collect();
        order.sort_by(|a, b| {
            let (a, b) = (&self.groups[*a], &self.groups[*b]);
            (a.rank.unwrap_or(u32::MAX), &a.name).cmp(&(b.rank.unwrap_or(u32::MAX), &b.name))
        });
        order
    }

    /// One legend line of a group: `1.  Inner East  38.954`.
    pub fn legend_line(&self, group: &GroupOnMap) -> String {
        format!(
            "{}  {}  {}",
            group.rank.map_or_else(|| "–".to_string(), |r| format!("{r}.")),
            group.name,
            group.value_text
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, AreaCode};
    use geo::{LineString, MultiPolygon, Polygon};

    fn square(code: &str, x: f64, y: f64) -> Area {
        let ring = LineString::from(vec![(x, y), (x + 1.0, y), (x + 1.0, y + 1.0), (x, y + 1.0), (x, y)]);
        Area::new(
            AreaCode::parse(code).unwrap(),
            code.to_string(),
            None,
            MultiPolygon::new(vec![Polygon::new(ring, vec![])]),
        )
        .unwrap()
    }

    #[test]
    fn the_most_deprived_fifth_is_darkest() {
        assert_eq!(rank_class_colour(Some(1), 33), RANK_CLASS_COLOURS[0]);
        assert_eq!(rank_class_colour(Some(33), 33), RANK_CLASS_COLOURS[4]);
        assert_eq!(rank_class_colour(None, 33), NO_DATA);
    }

    /// Four unit squares in a row, the first two one group, the last two another: the dissolved outlines are the two
    /// rectangles' edges, with the middle border (x = 2) once and no edge at x = 1 or x = 3 (between members).
    #[test]
    fn dissolved_outlines_have_no_edges_between_members_of_one_group() {
        let codes = ["E01000001", "E01000002", "E01000003", "E01000004"];
        let areas: Vec<Area> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| square(c, i as f64, 0.0))
            .collect();
        let layer = AreaLayer::new(AreaKind::Lsoa(LsoaVintage::Lsoa2011), areas, vec![]);
        let group = |name: &str, members: &[&str]| AreaMembers {
            code: name.into(),
            name: name.into(),
            lsoas: members.iter().map(|c| AreaCode::parse(c).unwrap()).collect(),
        };
        let groups = [group("West", &codes[..2]), group("East", &codes[2..])];
        let geometry = AreaMapGeometry::build(&layer, LsoaVintage::Lsoa2011, &groups);
        let segments: Vec<[Coord<f64>; 2]> = geometry
            .outlines
            .iter()
            .flat_map(|line| line.0.windows(2).map(|w| [w[0], w[1]]).collect::<Vec<_>>())
            .collect();
        let vertical_at = |x: f64| {
            segments
                .iter()
                .filter(|[a, b]| (a.x - x).abs() < 1e-9 && (b.x - x).abs() < 1e-9)
                .count()
        };
        assert_eq!(vertical_at(1.0), 0, "no edge between the two West LSOAs");
        assert_eq!(vertical_at(3.0), 0, "no edge between the two East LSOAs");
        assert_eq!(vertical_at(2.0), 1, "the border between the groups, once");
        assert_eq!(vertical_at(0.0) + vertical_at(4.0), 2, "the outer ends");
        let length: f64 = segments.iter().map(|[a, b]| (b.x - a.x).hypot(b.y - a.y)).sum();
        // Outer rectangle 4 + 4 + 1 + 1, plus the shared border 1.
        assert!((length - 11.0).abs() < 1e-9, "{length}");
        assert_eq!(geometry.area_of_lsoa, vec![0, 0, 1, 1]);
        assert!(geometry.label_in_world.iter().all(Option::is_some));
    }
}
