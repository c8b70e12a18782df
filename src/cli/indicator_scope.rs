//! What `indicator` and `trend` share: `--la`, `--from`/`--to`, `--per-1000` and `--groups` (one flattened type, as
//! `LaChange` is for the edition commands), the period range they keep, and the planner's groups they sum to.

use crate::analysis::{
    AggregatedIndicator, GroupIndicator, Level, aggregate, group_notes, groups_from_selections, indicator_groups,
    resolve_indicator_groups,
};
use crate::io::read_group_file;
use crate::model::{AreaLevel, Dataset, Indicator, Period};
use crate::project::open_project;
use clap::Args;
use std::path::{Path, PathBuf};

/// Parses `--from` / `--to`.
pub fn period_arg(text: Option<&str>, flag: &str) -> Result<Option<Period>, String> {
    text.map(|t| Period::parse(t).ok_or_else(|| format!("{flag} {t:?} is not a period (YYYY-MM or YYYY)")))
        .transpose()
}

/// `--la`, `--from`, `--to`, `--per-1000` and `--groups` of `indicator` and `trend`.
#[derive(Debug, Args)]
pub struct IndicatorScope {
    /// Only areas in this local authority (name or code)
    #[arg(long)]
    pub la: Option<String>,
    /// First period (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<String>,
    /// Last period (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<String>,
    /// Insist on rates per 1,000 residents: fail when no population denominators are loaded
    #[arg(long)]
    pub per_1000: bool,
    /// With --level group: a grouping file (CSV: ward_code, ward_name or lsoa_code, then group) [default: the
    /// named selections of --project]
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
}

/// The periods kept: `from..=to`, either end open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodRange {
    /// First period kept.
    pub from: Option<Period>,
    /// Last period kept.
    pub to: Option<Period>,
}

impl PeriodRange {
    /// True when `period` lies in the range (both ends included).
    pub fn contains(&self, period: Period) -> bool {
        self.from.is_none_or(|f| period >= f) && self.to.is_none_or(|t| period <= t)
    }
}

impl IndicatorScope {
    /// `--from` and `--to` parsed.
    pub fn range(&self) -> Result<PeriodRange, String> {
        Ok(PeriodRange {
            from: period_arg(self.from.as_deref(), "--from")?,
            to: period_arg(self.to.as_deref(), "--to")?,
        })
    }
}

/// An indicator summed over the planner's groups.
pub struct GroupsOfIndicator {
    /// The LSOA table the groups were summed from (its population source and attribution go with them).
    pub lsoas: AggregatedIndicator,
    /// One series per group, in the order the file (or the selection names) gives them.
    pub groups: Vec<GroupIndicator>,
    /// "groups of wedges.csv" or "named selections of plan.lmap".
    pub described: String,
    /// The named error for grouping rows that name wards or LSOAs not loaded (the other groups are summed).
    pub unknown: Option<String>,
    /// Groups with LSOAs that have no figures, said on stderr.
    pub notes: Vec<String>,
}

/// The indicator over `--groups FILE` (or the named selections of `project`): its LSOA table (within `--la`),
/// counts and populations summed per group. An error when there are no groups to sum, or the indicator is not an
/// LSOA count.
pub fn groups_of_indicator(
    dataset: &Dataset,
    indicator: &Indicator,
    scope: &IndicatorScope,
    project: Option<&Path>,
) -> Result<GroupsOfIndicator, String> {
    let AreaLevel::Lsoa(vintage) = indicator.level else {
        return Err(format!(
            "--level group sums LSOAs, but {} is given by {}: tabulate it at its own level",
            indicator.name, indicator.level
        ));
    };
    let lsoas = aggregate(dataset, indicator, Level::Lsoa, scope.la.as_deref()).map_err(|e| e.to_string())?;
    let file_name = |path: &Path| {
        path.file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    };
    let (members, described, unknown) = match (&scope.groups, project) {
        (Some(path), _) => {
            let file = read_group_file(path).map_err(|e| e.to_string())?;
            let resolved = resolve_indicator_groups(dataset, &lsoas, vintage, &file);
            let unknown = resolved.unknown_error(&file);
            if resolved.groups.is_empty() {
                return Err(
                    unknown.unwrap_or_else(|| format!("the grouping file names no groups — {}", path.display()))
                );
            }
            (resolved.groups, format!("groups of {}", file_name(path)), unknown)
        }
        (None, Some(project)) => {
            let opened = open_project(project).map_err(|e| e.to_string())?;
            let groups = groups_from_selections(&opened.project.named_selections);
            if groups.is_empty() {
                return Err(format!("the project has no named selections — {}", project.display()));
            }
            (groups, format!("named selections of {}", file_name(project)), None)
        }
        (None, None) => return Err("--level group needs --groups FILE (or --project with named selections)".into()),
    };
    let groups = indicator_groups(&lsoas, &members).map_err(|e| e.to_string())?;
    let notes = group_notes(&groups);
    Ok(GroupsOfIndicator {
        lsoas,
        groups,
        described,
        unknown,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_keeps_both_ends() {
        let month = |m| Period::month(2024, m).unwrap();
        let range = PeriodRange {
            from: Some(month(3)),
            to: Some(month(5)),
        };
        let kept: Vec<u8> = (1..=12).filter(|m| range.contains(month(*m))).collect();
        assert_eq!(kept, vec![3, 4, 5]);
        assert!(PeriodRange::default().contains(month(1)));
    }
}
