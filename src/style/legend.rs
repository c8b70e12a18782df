//! The legend: what each colour means, which editions, what the sign means, and the honest-reading caveat.

use super::Rgba;
use serde::Serialize;

/// One swatch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegendEntry {
    /// Fill colour.
    pub colour: Rgba,
    /// What it means, e.g. `−499 to −100`.
    pub label: String,
    /// LSOAs drawn in it.
    pub count: usize,
}

/// A legend that always matches what is drawn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Legend {
    /// E.g. `Change in IMD rank, 2015 to 2019`.
    pub title: String,
    /// E.g. `Negative = more deprived (worsened)`.
    pub subtitle: String,
    /// Swatches in order.
    pub entries: Vec<LegendEntry>,
    /// Caveats for honest reading.
    pub notes: Vec<String>,
}

/// The caveat that goes under every legend and in tooltips.
pub const RELATIVE_RANKS_CAVEAT: &str = "IMD ranks are relative: a worse rank can mean other areas improved faster. Deciles are of all LSOAs in England, not the LA's.";
