//! The typed, validated model: codes, editions, area layers with their R-tree, lookups and the join report. No UI.

mod area_group;
mod area_layer;
mod codes;
mod dataset;
mod edition;
mod indicator;
mod lookup;
mod persons;
mod report;
mod safe_text;

pub use area_group::{GroupFile, GroupMember, GroupRow};
pub use area_layer::{Area, AreaKind, AreaLayer, rect_grown, rect_union};
pub use codes::{AreaCode, Decile, Rank};
pub use dataset::{Dataset, WardAssignment, WardSource, names_england, normalise};
pub use edition::{
    ImdEdition, ImdRow, Index, IndexValue, IndexValues, LsoaVintage, Population, national_lsoas, top1_threshold,
};
pub use indicator::{
    AreaLevel, CrimePoint, Indicator, IndicatorArea, IndicatorSet, IndicatorUnit, Period, SkippedRows, slug,
};
pub use lookup::{BoundaryChange, Lookup, LsoaChangeLookup, LsoaChangeRow, WardLookup, WardOfLsoa};
pub use persons::Persons;
pub use report::{FileSummary, JoinReport, Problem, Severity};
pub use safe_text::{csv_safe_cell, escape_path, escape_text};
