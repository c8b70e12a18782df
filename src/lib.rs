//! Locality Map: English Indices of Deprivation on LSOA and ward maps, for council planners.
//!
//! Data flows one way: [`io`] (read files, detect CRS) → [`model`] (typed areas, editions, lookups, R-tree)
//! → [`analysis`] (rank change, 1% transitions, summaries, ward profiles) → [`cli`] and, above them, the window.
//! Nothing here depends on egui.

pub mod analysis;
pub mod cli;
pub mod io;
pub mod model;
pub mod export;
pub mod render;
pub mod style;
pub mod ui;
