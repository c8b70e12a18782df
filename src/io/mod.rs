//! Reading files: GeoJSON, shapefiles, IMD tables (CSV, xlsx), ONS lookups; CRS detection and reprojection to BNG.

mod basemap_tiles;
mod boundary_file;
mod boundary_rules;
pub mod cache;
mod catalogue;
mod columns;
mod crs;
mod data_source;
mod embedded;
mod error;
mod fetch;
mod first_phase;
mod geojson;
mod group_file;
mod imd_table;
mod indicator_load;
mod indicator_table;
mod load;
mod lookup_table;
mod merge_editions;
mod numbers;
mod ods_extent;
mod parse_file;
mod police_uk;
mod raw_table;
mod same_source;
mod save;
mod shapefile;
mod text;
mod undated_scores;
mod xls_extent;

pub use basemap_tiles::{
    MAX_TILES, OSM_ATTRIBUTION, OSM_TILE_URL, TILE_PX, TileError, TileId, TileImage, TileSource, decode_tile,
    lonlat_of_tile_corner, server_folder, tile_position_of, tiles_covering, zoom_for,
};
pub use boundary_file::{BoundaryFile, MAX_VERTICES, ParsedArea};
pub use catalogue::{Attribution, Catalogue, CatalogueEntry, IndicatorSource, SOURCES_TOML};
pub use crs::{
    CoordinateRange, Crs, CrsClaim, coordinate_range, crs_from_name, crs_from_wkt, lonlat_from_world, project_to_world,
    world_from_lonlat,
};
/// Reads a file through a size cap (the project file is read this way too).
pub(crate) use data_source::read_capped;
pub use data_source::{
    DataSource, MAX_FILE_BYTES, MAX_TABLE_BYTES, MAX_TEXT_SIDECAR_BYTES, MAX_WORKBOOK_BYTES, SourceFile,
    embedded_files, list_data_files, max_bytes_for_extension, max_sidecar_bytes, read_file,
};
pub use error::LoadError;
pub use fetch::{FetchOptions, FetchOutcome, FetchResult, FetchSource, fetch_catalogue, verify};
pub use first_phase::{FirstPhase, LoadFocus, load_first_phase};
pub use geojson::read_geojson;
pub use group_file::{parse_group_file, read_group_file};
pub use imd_table::{ImdTable, is_imd_table, parse_imd_table, vintage_of_edition};
pub use indicator_load::{ALL_CRIME, IndicatorFile, merge_indicators, parse_indicator_table};
pub use indicator_table::{
    IndicatorTable, TableSeries, indicator_name, is_tidy_table, is_wide_table, parse_tidy_table, parse_wide_table,
};
pub use load::load_dataset;
pub use lookup_table::{is_change_lookup, is_ward_lookup, parse_lookup};
pub use numbers::{parse_people, parse_whole};
pub use parse_file::LoadOptions;
pub use police_uk::{PoliceFile, PoliceRow, UNDER_INVESTIGATION, is_police_table, parse_police_table};
pub use raw_table::{
    MAX_COLUMNS, MAX_LINE_BYTES, MAX_ROWS, MAX_WORKBOOK_CELLS, MAX_WORKBOOK_UNPACKED_BYTES, MIN_ROW_BYTES, RawTable,
    read_csv, read_workbook,
};
pub use save::{
    Replace, SaveError, check_replaceable, remove_leftovers, remove_stale_temp_files, save_atomic, save_atomic_to,
    temp_path_beside,
};
pub use shapefile::{ShapefileParts, read_shapefile};
pub use text::{TextEncoding, decode_text, looks_like_html};
