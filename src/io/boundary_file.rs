//! What a boundary reader (GeoJSON or shapefile) produces: the areas of one file in BNG metres, and on the way there
//! each area as read, before the file's coordinate system is settled.

use super::crs::Crs;
use crate::model::{Area, AreaCode, AreaKind};
use geo::MultiPolygon;

/// Areas read from one boundary file, in BNG metres.
#[derive(Clone, Debug)]
pub struct BoundaryFile {
    /// LSOAs of a vintage, or wards of a year.
    pub kind: AreaKind,
    /// The areas that loaded.
    pub areas: Vec<Area>,
    /// The CRS the file was in.
    pub crs: Crs,
    /// Features or records in the file, loaded or not.
    pub features_read: usize,
}

/// One area as read from a file, in the file's own coordinates (not yet settled or projected).
#[derive(Clone, Debug)]
pub struct ParsedArea {
    /// Its LSOA or ward code.
    pub code: AreaCode,
    /// Its name, or empty.
    pub name: String,
    /// The LA the file places it in, when the file says.
    pub la_code: Option<AreaCode>,
    /// Its polygons in the file's coordinates.
    pub geometry: MultiPolygon<f64>,
    /// Where it is in the file, for messages: `feature 12` (GeoJSON) or `record 12` (shapefile), 1-based.
    pub place: String,
}

/// The most vertices one file may hold (about 160 MB of geometry); more is refused rather than exhausting memory.
pub const MAX_VERTICES: usize = 10_000_000;
