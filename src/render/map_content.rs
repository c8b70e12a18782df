//! What a map of a comparison draws, described once from the model and the style, for both painters: the window's
//! map (`ui`) and the report's (`export`). Which LSOAs have a boundary (with the point their marker and label use),
//! which layer areas have no data, the wards and where their names go, which transitions get a 1% outline and how,
//! and the markers' shapes. The painters only decide pixels: widths in their own units, anti-aliasing, culling.

use crate::analysis::{EditionComparison, Transition};
use crate::model::{Area, AreaCode, AreaLayer, Dataset, LsoaVintage};
use geo::{Coord, Rect};
use rayon::prelude::*;

/// One LSOA of the comparison that has a boundary in the layer.
#[derive(Clone, Debug)]
pub struct DrawnArea {
    /// Index into the LSOA layer (and its meshes).
    pub layer_index: usize,
    /// Index into `comparison.rows`.
    pub row: usize,
    /// A point inside it, for its marker (and for tests to sample).
    pub interior_in_world: Coord<f64>,
}

/// A ward of the LA with its boundary.
#[derive(Clone, Debug)]
pub struct DrawnWard {
    /// Index into the ward layer.
    pub layer_index: usize,
    /// Ward code.
    pub code: AreaCode,
    /// Name as the comparison gives it (the boundary file's when the comparison has none).
    pub name: String,
    /// Where its label goes.
    pub label_in_world: Coord<f64>,
    /// Its extent, to decide whether its label fits.
    pub bbox_in_world: Rect<f64>,
}

/// Why a comparison cannot be mapped.
#[derive(Debug, thiserror::Error)]
pub enum MapContentError {
    /// No boundaries of the vintage the comparison is on.
    #[error("No {vintage} boundaries are loaded, so IMD {edition} cannot be mapped.")]
    NoBoundaries {
        /// The LSOA vintage needed.
        vintage: LsoaVintage,
        /// The later edition.
        edition: u16,
    },
    /// None of the LA's LSOAs has a boundary in the loaded files.
    #[error("None of the {lsoas} LSOAs of {la} has a boundary in the loaded {vintage} files.")]
    NoAreas {
        /// LSOAs compared.
        lsoas: usize,
        /// The LA's name.
        la: String,
        /// The vintage looked in.
        vintage: LsoaVintage,
    },
}

/// What a map of a comparison shows (see the module documentation).
#[derive(Clone, Debug)]
pub struct MapContent {
    /// The comparison's LSOAs with boundaries, in comparison order.
    pub areas: Vec<DrawnArea>,
    /// The LA's wards, by code (none nationally: LA borders are drawn instead).
    pub wards: Vec<DrawnWard>,
    /// Extent of the drawn LSOAs (the whole layer's nationally).
    pub bbox_in_world: Rect<f64>,
    /// All England: every area of the layer is drawn, those without a comparison row (Welsh LSOAs) in the no-data
    /// colour; LA borders replace ward lines.
    pub national: bool,
    /// National maps: layer indices of the areas with no comparison row.
    pub without_data: Vec<usize>,
    /// LSOAs of the comparison with no boundary in the layer.
    pub missing_boundaries: usize,
}

impl MapContent {
    /// Finds every LSOA of the comparison in the loaded boundaries, and the wards they lie in.
    pub fn build(dataset: &Dataset, comparison: &EditionComparison) -> Result<Self, MapContentError> {
        let vintage = comparison.vintage;
        let Some(layer) = dataset.lsoa_layers.get(&vintage) else {
            return Err(MapContentError::NoBoundaries {
                vintage,
                edition: comparison.to,
            });
        };
        let national = comparison.la_code.as_str() == ENGLAND;
        let areas = drawn_areas(layer, comparison);
        let Some(mut bbox_in_world) = areas
            .iter()
            .filter_map(|d| layer.areas.get(d.layer_index))
            .map(|a| a.bbox_in_world)
            .reduce(crate::model::rect_union)
        else {
            return Err(MapContentError::NoAreas {
                lsoas: comparison.rows.len(),
                la: comparison.la_name.clone(),
                vintage,
            });
        };
        let mut without_data = Vec::new();
        if national {
            let mut drawn = vec![false; layer.areas.len()];
            for area in &areas {
                drawn[area.layer_index] = true;
            }
            without_data = (0..layer.areas.len()).filter(|i| !drawn[*i]).collect();
            bbox_in_world = layer.bbox_where(|_| true).unwrap_or(bbox_in_world);
        }
        // Nationally the ward layer covers a few LAs at most: LA borders are drawn instead.
        let wards = match dataset.ward_layer_for(vintage).filter(|_| !national) {
            Some(ward_layer) => drawn_wards(ward_layer, comparison),
            None => Vec::new(),
        };
        Ok(Self {
            missing_boundaries: comparison.rows.len() - areas.len(),
            areas,
            wards,
            bbox_in_world,
            national,
            without_data,
        })
    }
}

/// England's code: a comparison of it is the national map.
const ENGLAND: &str = "E92000001";

/// The comparison's rows that have a boundary in the layer, in comparison order, with their interior points.
fn drawn_areas(layer: &AreaLayer, comparison: &EditionComparison) -> Vec<DrawnArea> {
    comparison
        .rows
        .par_iter()
        .enumerate()
        .filter_map(|(row, change)| {
            let layer_index = layer.index_of(&change.lsoa_code)?;
            let area = layer.areas.get(layer_index)?;
            Some(DrawnArea {
                layer_index,
                row,
                interior_in_world: interior_of(area),
            })
        })
        .collect()
}

/// The wards of the comparison's rows that have a boundary, by code; named as the comparison names them.
fn drawn_wards(ward_layer: &AreaLayer, comparison: &EditionComparison) -> Vec<DrawnWard> {
    let mut codes: Vec<AreaCode> = comparison.rows.iter().filter_map(|r| r.ward_code).collect();
    codes.sort();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(|code| {
            let layer_index = ward_layer.index_of(&code)?;
            let area = ward_layer.areas.get(layer_index)?;
            let name = comparison
                .rows
                .iter()
                .find(|r| r.ward_code == Some(code))
                .map_or_else(|| area.name.clone(), |r| r.ward_name.clone());
            Some(DrawnWard {
                layer_index,
                code,
                name: if name.is_empty() { area.name.clone() } else { name },
                label_in_world: interior_of(area),
                bbox_in_world: area.bbox_in_world,
            })
        })
        .collect()
}

fn interior_of(area: &Area) -> Coord<f64> {
    area.interior_in_world.unwrap_or(area.bbox_in_world.center())
}

/// How an LSOA's boundary is drawn for the most deprived 1%.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Top1Outline {
    /// In the later edition's 1% (stayed or moved in): a heavy solid orange line.
    Solid,
    /// Moved out of the 1%: a lighter dashed orange line (only when transitions are shown).
    Dashed,
}

/// The 1% outline an LSOA gets, if any.
pub fn top1_outline(transition: Transition) -> Option<Top1Outline> {
    match transition {
        Transition::Stayed | Transition::MovedIn => Some(Top1Outline::Solid),
        Transition::MovedOut => Some(Top1Outline::Dashed),
        Transition::Outside => None,
    }
}

/// A transition marker's look: stayed ●, moved in ▲ (orange, dark edge), moved out ▽ (white, orange edge). Shape tells
/// them apart without colour.
#[derive(Clone, Debug, PartialEq)]
pub struct TransitionMarker {
    /// A disc of radius 1, or a polygon with these corners (units of the radius, y down, about the centre).
    pub shape: MarkerShape,
    /// Filled orange (else white).
    pub orange_fill: bool,
    /// Edged in orange (else dark).
    pub orange_edge: bool,
    /// The edge's width in units of the radius.
    pub edge_width: f32,
}

/// A marker's outline.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkerShape {
    /// A circle of radius 1.
    Disc,
    /// A polygon, corners in units of the radius (y down).
    Polygon(Vec<[f32; 2]>),
}

/// The marker of an LSOA that stayed in, moved into or moved out of the 1% (nothing for the others).
pub fn transition_marker(transition: Transition) -> Option<TransitionMarker> {
    let dark_edge = 0.24;
    Some(match transition {
        Transition::Stayed => TransitionMarker {
            shape: MarkerShape::Disc,
            orange_fill: true,
            orange_edge: false,
            edge_width: dark_edge,
        },
        Transition::MovedIn => TransitionMarker {
            shape: MarkerShape::Polygon(vec![[0.0, -1.2], [1.1, 0.8], [-1.1, 0.8]]),
            orange_fill: true,
            orange_edge: false,
            edge_width: dark_edge,
        },
        Transition::MovedOut => TransitionMarker {
            shape: MarkerShape::Polygon(vec![[-1.1, -0.8], [1.1, -0.8], [0.0, 1.2]]),
            orange_fill: false,
            orange_edge: true,
            edge_width: 0.32,
        },
        Transition::Outside => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_1pc_transition_has_an_outline_and_a_marker_and_the_others_none() {
        for t in [Transition::Stayed, Transition::MovedIn, Transition::MovedOut] {
            assert!(top1_outline(t).is_some() && transition_marker(t).is_some(), "{t:?}");
        }
        assert_eq!(top1_outline(Transition::Outside), None);
        assert_eq!(transition_marker(Transition::Outside), None);
        assert_eq!(top1_outline(Transition::MovedOut), Some(Top1Outline::Dashed));
    }
}
