//! What the map shows right now, derived from the loaded data and the planner's choices: the comparison, its styling,
//! which areas of the layer to draw, and the ward profile. Rebuilt when a choice changes; never per frame.

use super::LoadedData;
use super::settings::Settings;
use crate::analysis::{AreaFilter, EditionComparison, LaSummary, LsoaChange, WardProfile};
use crate::model::{AreaCode, AreaLayer, LsoaVintage};
use crate::render::{AreaMeshes, LayerLod};
use crate::style::{NO_DATA, Rgba, StyledMap, style_comparison};
use geo::{Coord, InteriorPoint as _, Rect};
use std::collections::HashMap;
use std::sync::Arc;

/// One LSOA on the map: where its figures and its triangles are.
#[derive(Clone, Debug)]
pub struct SceneArea {
    /// Index into the LSOA layer (and its meshes).
    pub layer_index: usize,
    /// Index into `comparison.rows`.
    pub row: usize,
    /// A point inside it, for markers and labels.
    pub interior_in_world: Coord<f64>,
}

/// A ward drawn on the map.
#[derive(Clone, Debug)]
pub struct SceneWard {
    /// Index into the ward layer.
    pub layer_index: usize,
    /// Ward code.
    pub code: AreaCode,
    /// Ward name.
    pub name: String,
    /// Where its label goes.
    pub label_in_world: Coord<f64>,
    /// Its extent, to decide whether its label fits.
    pub bbox_in_world: Rect<f64>,
}

/// The map's content for the current choices.
pub struct MapScene {
    /// Loaded data it was built from.
    pub data: Arc<LoadedData>,
    /// Which LSOA layer.
    pub vintage: LsoaVintage,
    /// Every LSOA of the LA with both ranks.
    pub comparison: EditionComparison,
    /// The LA summary.
    pub summary: LaSummary,
    /// Fills and legend.
    pub styled: StyledMap,
    /// The LSOAs drawn, with their place in the layer.
    pub areas: Vec<SceneArea>,
    /// Area position by LSOA code.
    pub area_by_code: HashMap<AreaCode, usize>,
    /// Wards of the LA, when ward boundaries are loaded.
    pub wards: Vec<SceneWard>,
    /// The LA's extent.
    pub bbox_in_world: Rect<f64>,
    /// LSOAs of the LA that have no boundary loaded.
    pub missing_boundaries: usize,
    /// Bumped whenever the scene changes, so caches know.
    pub generation: u64,
    /// All England: every area of the layer is drawn (culled and simplified per zoom band), not only the compared ones.
    pub national: bool,
    /// National scenes: the fill of every layer area (layer order), the no-data colour where there is no IMD row.
    pub fill_by_layer_index: Vec<Rgba>,
    /// National scenes: boundaries in the layer with no IMD data for these editions (drawn in the no-data colour).
    pub without_imd_data: usize,
}

impl MapScene {
    /// Builds the scene; fails with a sentence when the choices cannot be shown (e.g. an edition not loaded).
    pub fn build(data: Arc<LoadedData>, settings: &Settings, generation: u64) -> Result<Self, String> {
        let dataset = &data.dataset;
        let comparison = EditionComparison::new(dataset, &AreaFilter::parse(&settings.la), settings.from, settings.to)
            .map_err(|e| e.to_string())?;
        let summary = LaSummary::new(dataset, &comparison).map_err(|e| e.to_string())?;
        let vintage = comparison.vintage;
        let Some(layer) = dataset.lsoa_layers.get(&vintage) else {
            return Err(format!(
                "No {vintage} boundaries are loaded, so IMD {} cannot be mapped.",
                settings.to
            ));
        };
        let ranked_later = dataset.edition(settings.to).map_or(0, |e| e.ranked_count());
        let styled = style_comparison(
            &comparison,
            settings.mode,
            &settings.classification,
            settings.palette,
            ranked_later,
        );
        let mut areas = Vec::with_capacity(comparison.rows.len());
        let mut missing_boundaries = 0;
        for (row, change) in comparison.rows.iter().enumerate() {
            match layer.areas.binary_search_by(|a| a.code.cmp(&change.lsoa_code)) {
                Ok(layer_index) => {
                    let area = &layer.areas[layer_index];
                    let interior_in_world = area
                        .geometry_in_world
                        .interior_point()
                        .map_or(area.bbox_in_world.center(), |p| p.0);
                    areas.push(SceneArea {
                        layer_index,
                        row,
                        interior_in_world,
                    });
                }
                Err(_) => missing_boundaries += 1,
            }
        }
        if areas.is_empty() {
            return Err(format!(
                "None of the {} LSOAs of {} has a boundary in the loaded {vintage} files.",
                comparison.rows.len(),
                comparison.la_name
            ));
        }
        let area_by_code = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (comparison.rows[a.row].lsoa_code, i))
            .collect();
        let bbox_in_world = areas
            .iter()
            .map(|s| layer.areas[s.layer_index].bbox_in_world)
            .reduce(crate::model::rect_union)
            .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
        let national = matches!(AreaFilter::parse(&settings.la), AreaFilter::England);
        // Nationally the ward layer (if any) covers a few LAs at most: LA outlines are drawn instead.
        let wards = if national {
            Vec::new()
        } else {
            scene_wards(&data, vintage, &comparison)
        };
        let (fill_by_layer_index, without_imd_data) = if national {
            let fills: Vec<Rgba> = layer
                .areas
                .iter()
                .map(|a| styled.fill_of.get(&a.code).copied().unwrap_or(NO_DATA))
                .collect();
            (fills, layer.areas.len() - areas.len())
        } else {
            (Vec::new(), 0)
        };
        let bbox_in_world = if national {
            layer.bbox_where(|_| true).unwrap_or(bbox_in_world)
        } else {
            bbox_in_world
        };
        Ok(Self {
            data,
            vintage,
            comparison,
            summary,
            styled,
            areas,
            area_by_code,
            wards,
            bbox_in_world,
            missing_boundaries,
            generation,
            national,
            fill_by_layer_index,
            without_imd_data,
        })
    }

    /// The LSOA layer drawn.
    pub fn layer(&self) -> &AreaLayer {
        &self.data.dataset.lsoa_layers[&self.vintage]
    }

    /// Its fill triangles.
    pub fn meshes(&self) -> &AreaMeshes {
        &self.data.lsoa_meshes[&self.vintage]
    }

    /// Its levels of detail (bands appear as the background thread builds them).
    pub fn lod(&self) -> Option<&LayerLod> {
        self.data.lsoa_lod.get(&self.vintage)
    }

    /// The local authority of each layer area (layer order), from the LSOA -> ward -> LA lookup, else the boundary
    /// file's own LA code.
    pub fn la_of_layer_index(&self) -> Vec<Option<AreaCode>> {
        self.data.dataset.la_of_areas(self.vintage, self.layer())
    }

    /// The ward boundaries drawn over the LSOAs, if loaded.
    pub fn ward_layer(&self) -> Option<&AreaLayer> {
        self.data.dataset.ward_layer_for(self.vintage)
    }

    /// The comparison row of a drawn area.
    pub fn row(&self, area: &SceneArea) -> &LsoaChange {
        &self.comparison.rows[area.row]
    }

    /// The drawn LSOA at a world point (R-tree, then exact point-in-polygon), if it belongs to this LA.
    pub fn area_at(&self, point_in_world: Coord<f64>) -> Option<usize> {
        let area = self.layer().area_at(point_in_world)?;
        self.area_by_code.get(&area.code).copied()
    }

    /// A ward profile for the current editions.
    pub fn ward_profile(&self, ward: &AreaCode) -> Result<WardProfile, String> {
        WardProfile::new(
            &self.data.dataset,
            ward.as_str(),
            // Nationally the ward's own LA applies (the comparison's "LA" is England).
            (!self.national).then(|| self.comparison.la_code.as_str()),
            self.comparison.from,
            self.comparison.to,
        )
        .map_err(|e| e.to_string())
    }
}

fn scene_wards(data: &LoadedData, vintage: LsoaVintage, comparison: &EditionComparison) -> Vec<SceneWard> {
    let Some(layer) = data.dataset.ward_layer_for(vintage) else {
        return Vec::new();
    };
    let mut codes: Vec<AreaCode> = comparison.rows.iter().filter_map(|r| r.ward_code).collect();
    codes.sort();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(|code| {
            let layer_index = layer.areas.binary_search_by(|a| a.code.cmp(&code)).ok()?;
            let area = &layer.areas[layer_index];
            let label_in_world = area
                .geometry_in_world
                .interior_point()
                .map_or(area.bbox_in_world.center(), |p| p.0);
            let name = comparison
                .rows
                .iter()
                .find(|r| r.ward_code == Some(code))
                .map_or_else(|| area.name.clone(), |r| r.ward_name.clone());
            Some(SceneWard {
                layer_index,
                code,
                name,
                label_in_world,
                bbox_in_world: area.bbox_in_world,
            })
        })
        .collect()
}
