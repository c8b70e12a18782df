//! Numbers to colours: palettes, class breaks, legends and colour-vision simulation. No UI library.

mod classify;
mod colour;
mod colour_vision;
mod indicator_classes;
mod indicator_style;
mod legend;
mod map_choices;
mod map_style;
mod palette;

pub use classify::{ClassBreaks, Classification, DEFAULT_CHANGE_BREAKS, signed};
pub use colour::Rgba;
pub use colour_vision::ColourVision;
pub use indicator_classes::{ClassKind, IndicatorClasses, SEQUENTIAL_CLASSES};
pub use indicator_style::{CHANGE_SEVEN, IndicatorStyle, SEQUENTIAL_FIVE, StyledUnit, style_indicator};
pub use legend::{Legend, LegendEntry, RELATIVE_RANKS_CAVEAT};
pub use map_choices::{MapChoices, MapFill};
pub use map_style::{
    MapMode, StyledMap, different_n_note, style_comparison, style_loaded_comparison, value_of as mode_value,
};
pub use palette::{DECILES, DivergingPalette, HIGHLIGHT, LSOA_LINE, NO_DATA, TOP1_ORANGE, WARD_LINE};
