//! Locality Map: English Indices of Deprivation on LSOA and ward maps, for council planners.
//!
//! Data flows one way: [`io`] (read files, detect CRS) → [`model`] (typed areas, editions, lookups, R-tree)
//! → [`analysis`] (rank change, 1% transitions, summaries, ward profiles, selections) → [`style`] (palettes, classes,
//! legends) → [`render`] (projection, meshes, outlines) → [`ui`] (the egui window) and [`export`] (report PNGs);
//! [`cli`] runs the analyses headless; [`project`] is the `.lmap` file. Only [`ui`] depends on egui. The layer
//! table in ARCHITECTURE.md says which module may use which; `tests/layers.rs` holds the code to it.

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod export;
pub mod io;
pub mod model;
pub mod project;
pub mod render;
pub mod style;
#[cfg(feature = "gui")]
pub mod ui;
