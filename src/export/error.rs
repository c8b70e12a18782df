//! Why an export failed: one sentence naming the file.

use crate::io::SaveError;
use std::path::PathBuf;

/// A failure to render or save a report.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Saving failed: the target exists and overwriting was not asked for, or writing failed (see [`SaveError`]).
    #[error(transparent)]
    Save(#[from] SaveError),
    /// PNG encoding failed.
    #[error("cannot encode the PNG — {path}")]
    Encode {
        /// The file being written.
        path: PathBuf,
        /// What the encoder said.
        #[source]
        source: png::EncodingError,
    },
    /// The requested image cannot be allocated or drawn.
    #[error("an image of {width}×{height} pixels cannot be drawn (each side must be 200 to 20,000 pixels)")]
    BadSize {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// The DPI is not a positive number.
    #[error("{dpi} is not a usable resolution (give 30 to 2,400 dots per inch)")]
    BadDpi {
        /// Requested DPI.
        dpi: f32,
    },
    /// The LSOA boundaries the comparison needs are not loaded.
    #[error("no {vintage} boundaries are loaded, so {la} cannot be mapped")]
    NoBoundaries {
        /// LSOA vintage, e.g. `LSOA 2011`.
        vintage: String,
        /// LA name.
        la: String,
    },
    /// None of the comparison's LSOAs has a boundary.
    #[error("none of the {lsoas} LSOAs of {la} has a boundary in the loaded {vintage} files")]
    NoAreas {
        /// LSOAs in the comparison.
        lsoas: usize,
        /// LA name.
        la: String,
        /// LSOA vintage.
        vintage: String,
    },
    /// A writer could not build its file (workbook, GeoPackage, PDF): what it said.
    #[error("cannot build the {what}: {message}")]
    Build {
        /// What was being built, e.g. `workbook`.
        what: &'static str,
        /// What went wrong.
        message: String,
    },
}
