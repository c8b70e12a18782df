//! What the map shows right now, derived from the loaded data and the planner's choices: the comparison, its styling,
//! which areas of the layer to draw, and the ward profile. Rebuilt when a choice changes; never per frame.

use super::LoadedData;
use crate::analysis::{AnalysisError, AreaFilter, EditionComparison, LaSummary, LsoaChange, WardProfile};
use crate::model::{AreaCode, AreaLayer, LsoaVintage};
use crate::render::{AreaMeshes, DrawnArea, DrawnWard, LayerLod, MapContent, MapContentError};
use crate::style::MapChoices;
use crate::style::{NO_DATA, Rgba, StyledMap, style_loaded_comparison};
use geo::{Coord, Rect};
use std::collections::HashMap;
use std::sync::Arc;

/// One LSOA on the map: where its figures and its triangles are (the shared map description's [`DrawnArea`]).
pub type SceneArea = DrawnArea;

/// A ward drawn on the map (the shared map description's [`DrawnWard`]).
pub type SceneWard = DrawnWard;

/// Why the current choices cannot be mapped.
#[derive(Debug, thiserror::Error)]
pub enum SceneError {
    /// The comparison, summary or ward profile cannot be made (an edition not loaded, an unknown LA or ward).
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// The comparison has no boundaries to draw.
    #[error(transparent)]
    Content(#[from] MapContentError),
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
    /// Builds the scene; fails when the choices cannot be shown (e.g. an edition not loaded).
    pub fn build(data: Arc<LoadedData>, settings: &MapChoices, generation: u64) -> Result<Self, SceneError> {
        let dataset = &data.dataset;
        let comparison = EditionComparison::new(dataset, &AreaFilter::parse(&settings.la), settings.from, settings.to)?;
        let summary = LaSummary::new(dataset, &comparison)?;
        let vintage = comparison.vintage;
        let content = MapContent::build(dataset, &comparison)?;
        let styled = style_loaded_comparison(
            dataset,
            &comparison,
            settings.mode,
            &settings.classification,
            settings.palette,
        );
        let areas = content.areas;
        let area_by_code = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (comparison.rows[a.row].lsoa_code, i))
            .collect();
        let national = content.national;
        let (fill_by_layer_index, without_imd_data) = match dataset.lsoa_layers.get(&vintage) {
            Some(layer) if national => {
                let fills: Vec<Rgba> = layer
                    .areas
                    .iter()
                    .map(|a| styled.fill_of.get(&a.code).copied().unwrap_or(NO_DATA))
                    .collect();
                (fills, content.without_data.len())
            }
            _ => (Vec::new(), 0),
        };
        let (wards, bbox_in_world, missing_boundaries) =
            (content.wards, content.bbox_in_world, content.missing_boundaries);
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

    /// The arcs of the layer's topology that are LA borders, once the levels of detail are built.
    pub fn la_borders(&self) -> Option<&[u32]> {
        self.data.la_borders(self.vintage)
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
    pub fn ward_profile(&self, ward: &AreaCode) -> Result<WardProfile, SceneError> {
        WardProfile::new(
            &self.data.dataset,
            ward.as_str(),
            // Nationally the ward's own LA applies (the comparison's "LA" is England).
            (!self.national).then(|| self.comparison.la_code.as_str()),
            self.comparison.from,
            self.comparison.to,
        )
        .map_err(SceneError::from)
    }
}
