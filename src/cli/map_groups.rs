//! `map --groups FILE`: the report map with a planner's groups as a layer (member LSOAs filled by the group's rank on
//! `--measure` of `--index`, outlines dissolved from the members, group names, and the layer's legend naming the
//! measure, index, edition and population source), as the window's area groups layer draws them.

use super::areas::{INDEX_NAMES, MEASURE_NAMES, named};
use crate::analysis::{AreaSummaryTable, EditionComparison, SummaryMeasure, resolve_groups};
use crate::io::read_group_file;
use crate::model::{Dataset, Index};
use crate::render::{AreaMapGeometry, GroupLayer};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// The group layer's arguments of `map`.
#[derive(Debug, Args)]
pub struct GroupMapArgs {
    /// Grouping file (CSV: ward_code, ward_name or lsoa_code, then group) drawn as a layer over the map: groups
    /// filled by their rank on --measure, outlines dissolved from their LSOAs, named
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// With --groups: the measure the groups are filled by [default: average-score where the edition's scores are
    /// loaded, else average-rank where its populations are, else proportion]
    #[arg(long, value_parser = named(&MEASURE_NAMES, SummaryMeasure::label), requires = "groups")]
    pub measure: Option<SummaryMeasure>,
    /// With --groups: the index the groups are summarised on
    #[arg(long, value_parser = named(&INDEX_NAMES, Index::label), default_value = "imd", requires = "groups")]
    pub index: Index,
}

/// The group layer, with the named error for the grouping file's rows that name nothing loaded.
pub type GroupsFound = (Arc<GroupLayer>, Option<String>);

/// The group layer of `--groups` for the map's later edition and LA, with the named error for rows naming wards or
/// LSOAs that are not loaded (the other groups are drawn); `None` without `--groups`.
pub fn group_layer(
    dataset: &Dataset,
    comparison: &EditionComparison,
    args: &GroupMapArgs,
) -> Result<Option<GroupsFound>, String> {
    let Some(path) = &args.groups else { return Ok(None) };
    let file = read_group_file(path).map_err(|e| e.to_string())?;
    let year = comparison.to;
    let edition = dataset
        .edition(year)
        .ok_or_else(|| format!("IMD {year} is not loaded"))?;
    // Ward names are matched within the map's LA (they repeat across England); nationally, anywhere.
    let la = (comparison.la_code.as_str() != "E92000001").then_some(comparison.la_code);
    let resolved = resolve_groups(dataset, edition, la.as_ref(), &file);
    let unknown = resolved.unknown_error(&file);
    if resolved.groups.is_empty() {
        return Err(unknown.unwrap_or_else(|| format!("the grouping file names no groups — {}", path.display())));
    }
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let index = args.index;
    let table = AreaSummaryTable::groups(dataset, year, index, &resolved.groups, &format!("groups of {name}"))
        .map_err(|e| e.to_string())?;
    let layer = dataset.lsoa_layers.get(&edition.vintage).ok_or_else(|| {
        format!(
            "no {} boundaries are loaded, so the groups cannot be mapped",
            edition.vintage
        )
    })?;
    let geometry = Arc::new(AreaMapGeometry::build(layer, edition.vintage, &resolved.groups));
    let measure = args.measure.unwrap_or_else(|| table.default_map_measure());
    let layer = GroupLayer::new(geometry, &resolved.groups, &table, measure, 1);
    Ok(Some((Arc::new(layer), unknown)))
}
