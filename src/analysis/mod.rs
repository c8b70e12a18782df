//! Pure functions over the model: rank change, the 1% line and transitions, comparisons, LA summaries, ward profiles.

mod area_geography;
mod area_groups;
mod area_measures;
mod area_summary;
pub mod boundary_bridge;
pub mod comparison;
mod coverage;
mod emerging;
mod error;
mod indicator_aggregate;
mod indicator_drawing;
mod indicator_groups;
mod indicator_population;
mod indicator_window;
mod la_ranking;
mod la_summary;
mod league_table;
pub mod place_search;
mod poisson;
mod rank_change;
mod reconcile;
mod selection;
mod ward_profile;

pub use area_geography::{
    AreaMembers, IndexFigures, LaGeography, denominator, denominator_label, has_scale, national_lsoas, wards_of_la,
};
pub use area_groups::{ResolvedGroups, groups_from_selections, resolve_groups, resolve_groups_among};
pub use area_measures::{
    LsoaFigures, average_rank, average_score, extent, extent_weight, local_concentration, national_percentile,
    population, proportion_most_deprived_10pct, rank_most_deprived_first, scale, turned_round_rank,
};
pub use area_summary::{AreaLevel, AreaSummary, AreaSummaryTable, SummaryMeasure, format_half_up, summarise};
pub use boundary_bridge::{BridgedRow, decile_of_rank};
pub use comparison::{
    AreaFilter, ComparisonMethod, EditionComparison, EditionCounts, LsoaChange, check_edition_order, population_edition,
};
pub use coverage::WardCoverage;
pub use emerging::{Baseline, EmergingArea, EmergingOptions, EmergingScan, scan_emerging};
pub use error::AnalysisError;
pub use indicator_aggregate::{AggregatedIndicator, AreaSeries, IndicatorError, Level, aggregate, group_series};
pub use indicator_drawing::{DrawPlan, DrawUnit, draw_plan};
pub use indicator_groups::{GroupIndicator, group_notes, indicator_groups, resolve_indicator_groups};
pub use indicator_population::{
    LsoaPopulations, POPULATION_BRIDGE_METHOD, WHOLE_POPULATION_BRIDGE_METHOD, lsoa_populations,
    whole_lsoa_populations_2021,
};
pub use indicator_window::{IndicatorMeasure, TooFewPeriods, Window, WindowStat, measure_value, window_sum};
pub use la_ranking::{LaDecile1Share, rank_las_by_decile1_share};
pub use la_summary::{Decile1Summary, LaRank, LaSummary, PriorityWard, Top1Summary};
pub use league_table::{LeagueEntry, LeagueRow, LeagueTable};
pub use place_search::{MatchQuality, Place, PlaceIndex, PlaceKind, PlaceMatch};
pub use poisson::{ln_gamma, poisson_upper_tail, regularised_gamma_p};
pub use rank_change::{Transition, rank_change, top1_threshold};
pub use reconcile::{LookupPair, Reconciliation};
pub use selection::{Selection, SelectionEdit, SelectionHistory, SelectionRule, SelectionSummary, select_in_polygon};
pub use ward_profile::{WardCounts, WardEditionColumn, WardProfile};
