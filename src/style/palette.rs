//! Palettes: colour-blind-safe diverging schemes for rank change, a sequential scheme for deciles, and the council's
//! highlight colours.

use super::Rgba;
use serde::{Deserialize, Serialize};

/// The diverging palettes on offer for rank change. Worsened is always the red/orange side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DivergingPalette {
    /// ColorBrewer RdBu: red = worsened, blue = improved.
    #[default]
    RedBlue,
    /// ColorBrewer PuOr: orange = worsened, purple = improved.
    OrangePurple,
}

impl DivergingPalette {
    /// Both, for pickers.
    pub const ALL: [DivergingPalette; 2] = [DivergingPalette::RedBlue, DivergingPalette::OrangePurple];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Self::RedBlue => "Red–blue (ColorBrewer RdBu)",
            Self::OrangePurple => "Orange–purple (ColorBrewer PuOr)",
        }
    }

    /// Seven colours from most worsened to most improved (ColorBrewer, colour-blind safe).
    pub fn seven(self) -> [Rgba; 7] {
        match self {
            Self::RedBlue => [0xb2182b, 0xef8a62, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x67a9cf, 0x2166ac].map(Rgba::hex),
            Self::OrangePurple => [0xb35806, 0xf1a340, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0x998ec3, 0x542788].map(Rgba::hex),
        }
    }
}

/// Ten colours for deciles, decile 1 (most deprived) darkest: viridis, readable in greyscale and by colour-blind readers.
pub const DECILES: [Rgba; 10] = [
    Rgba::hex(0x440154),
    Rgba::hex(0x482878),
    Rgba::hex(0x3e4989),
    Rgba::hex(0x31688e),
    Rgba::hex(0x26828e),
    Rgba::hex(0x1f9e89),
    Rgba::hex(0x35b779),
    Rgba::hex(0x6ece58),
    Rgba::hex(0xb5de2b),
    Rgba::hex(0xfde725),
];

/// Areas with no figure (e.g. Welsh LSOAs, or an LSOA missing from a table): mid grey, hatched where drawn.
pub const NO_DATA: Rgba = Rgba::hex(0xbdbdbd);

/// The council's legend colour for the most deprived 1%.
pub const TOP1_ORANGE: Rgba = Rgba::hex(0xff7f00);

/// Ward boundaries.
pub const WARD_LINE: Rgba = Rgba::hex(0x252525);

/// LSOA boundaries (thin, light).
pub const LSOA_LINE: Rgba = Rgba::from_rgba(80, 80, 80, 110);

/// Selected or highlighted areas.
pub const HIGHLIGHT: Rgba = Rgba::hex(0x00e5ff);
