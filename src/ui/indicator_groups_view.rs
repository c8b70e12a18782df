//! The local indicators window's "Groups" tab: the loaded indicator over the planner's groups — the grouping file
//! opened in the area groups window, and the named selections — each with its count and rate for the chosen months,
//! counts and populations summed over its LSOAs and the rate re-derived from the sums (never a mean of rates).

use crate::analysis::{
    AggregatedIndicator, GroupIndicator, IndicatorMeasure, group_notes, groups_from_selections, indicator_groups,
    measure_value, resolve_indicator_groups,
};
use crate::model::{AreaCode, AreaLevel, Dataset, GroupFile};
use egui::RichText;
use std::collections::{BTreeMap, BTreeSet};

/// Where a group comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupOrigin {
    /// The grouping file of the area groups window.
    File,
    /// A named selection.
    NamedSelection,
}

/// One group's figures as the tab shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupFigure {
    /// Grouping file or named selection.
    pub origin: GroupOrigin,
    /// The group's name.
    pub name: String,
    /// The measure in counts (a window's total, a month's count, a change), `None` where not given.
    pub count: Option<f64>,
    /// The same per 1,000 residents of its LSOAs with figures, `None` without populations.
    pub rate_per_1000: Option<f64>,
    /// Its LSOAs with figures, and all it names.
    pub lsoas_with_figures: (usize, usize),
}

/// What the figures were built from: data generation, indicator, grouping file and named selections generations.
type BuildKey = (u64, String, u64, u64);

/// The groups resolved and summed for one build key.
struct Built {
    key: BuildKey,
    groups: Vec<(GroupOrigin, GroupIndicator)>,
    messages: Vec<String>,
}

/// The tab's state: the groups it was given and the series summed for them.
#[derive(Default)]
pub struct IndicatorGroupsState {
    file: Option<(u64, GroupFile)>,
    named: BTreeMap<String, BTreeSet<AreaCode>>,
    /// Bumped when the named selections change.
    named_generation: u64,
    built: Option<Built>,
    /// The rows as last drawn (for tests).
    pub last_rows: Vec<GroupFigure>,
}

impl IndicatorGroupsState {
    /// The grouping file open in the area groups window, with its generation (copied when that changes), and the
    /// session's named selections.
    pub fn set_groups(&mut self, file: Option<(u64, &GroupFile)>, named: &BTreeMap<String, BTreeSet<AreaCode>>) {
        match file {
            Some((generation, file)) if self.file.as_ref().is_none_or(|(g, _)| *g != generation) => {
                self.file = Some((generation, file.clone()));
            }
            None => self.file = None,
            Some(_) => {}
        }
        if &self.named != named {
            self.named = named.clone();
            self.named_generation += 1;
        }
    }

    /// True when there are named selections.
    pub fn has_named(&self) -> bool {
        !self.named.is_empty()
    }

    /// Each named selection's figure for `measure`, e.g. "crime, total 2024-05 to 2025-04: 812 (31.20 per 1,000
    /// residents)", as the selection panel shows it beneath the name.
    pub fn named_figures(
        &mut self,
        dataset: &Dataset,
        generation: u64,
        lsoas: &AggregatedIndicator,
        measure: IndicatorMeasure,
    ) -> BTreeMap<String, String> {
        self.build(dataset, generation, lsoas);
        let Some(built) = &self.built else {
            return BTreeMap::new();
        };
        built
            .groups
            .iter()
            .filter(|(origin, _)| *origin == GroupOrigin::NamedSelection)
            .map(|(_, g)| {
                let count = measure_value(&g.series, &lsoas.periods, measure, false);
                let rate = measure_value(&g.series, &lsoas.periods, measure, true);
                let figure = match (count, rate) {
                    (None, _) => "no figures".to_string(),
                    (Some(c), None) => count_text(Some(c)),
                    (Some(c), Some(r)) => {
                        format!("{} ({} per 1,000 residents)", count_text(Some(c)), rate_text(Some(r)))
                    }
                };
                (g.name.clone(), format!("{}, {}: {figure}", lsoas.name, measure.label()))
            })
            .collect()
    }

    fn build(&mut self, dataset: &Dataset, generation: u64, lsoas: &AggregatedIndicator) {
        let key = (
            generation,
            lsoas.name.clone(),
            self.file.as_ref().map_or(0, |(g, _)| *g),
            self.named_generation,
        );
        if self.built.as_ref().is_none_or(|b| b.key != key) {
            let mut groups = Vec::new();
            let mut messages = Vec::new();
            let vintage = dataset.indicators.find(&lsoas.name).and_then(|i| match i.level {
                AreaLevel::Lsoa(v) => Some(v),
                _ => None,
            });
            if let (Some((_, file)), Some(vintage)) = (&self.file, vintage) {
                let resolved = resolve_indicator_groups(dataset, lsoas, vintage, file);
                messages.extend(resolved.unknown_error(file));
                match indicator_groups(lsoas, &resolved.groups) {
                    Ok(summed) => groups.extend(summed.into_iter().map(|g| (GroupOrigin::File, g))),
                    Err(e) => messages.push(e.to_string()),
                }
            }
            match indicator_groups(lsoas, &groups_from_selections(&self.named)) {
                Ok(summed) => groups.extend(summed.into_iter().map(|g| (GroupOrigin::NamedSelection, g))),
                Err(e) => messages.push(e.to_string()),
            }
            let summed: Vec<GroupIndicator> = groups.iter().map(|(_, g)| g.clone()).collect();
            messages.extend(group_notes(&summed));
            self.built = Some(Built { key, groups, messages });
        }
    }

    /// Draws the tab: one row per group with the measure in counts and per 1,000 residents.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        generation: u64,
        lsoas: Option<&AggregatedIndicator>,
        measure: IndicatorMeasure,
    ) {
        let Some(lsoas) = lsoas else {
            ui.label("This indicator has no LSOA figures, so it cannot be summed over groups of LSOAs.");
            return;
        };
        self.build(dataset, generation, lsoas);
        let Some(built) = &self.built else { return };
        ui.label(
            RichText::new(format!(
                "{} over the planner's groups, {}: counts and populations of each group's LSOAs summed, the rate \
                 re-derived from the sums (never a mean of its LSOAs' rates). Population: {}",
                lsoas.title,
                measure.label(),
                lsoas.population_source
            ))
            .weak(),
        );
        for message in &built.messages {
            ui.colored_label(egui::Color32::from_rgb(0xb2, 0x18, 0x2b), message);
        }
        let rows: Vec<GroupFigure> = built
            .groups
            .iter()
            .map(|(origin, g)| GroupFigure {
                origin: *origin,
                name: g.name.clone(),
                count: measure_value(&g.series, &lsoas.periods, measure, false),
                rate_per_1000: measure_value(&g.series, &lsoas.periods, measure, true),
                lsoas_with_figures: (g.series.members.len(), g.lsoas),
            })
            .collect();
        if rows.is_empty() {
            ui.label(
                "No groups yet: open a grouping file in the area groups window (View > Area groups), or save a \
                 selection under a name in the selection panel.",
            );
        } else {
            figures_grid_ui(ui, &rows);
        }
        self.last_rows = rows;
    }
}

/// A count (whole, or a mean to one decimal), "–" where not given.
fn count_text(value: Option<f64>) -> String {
    match value {
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
        None => "–".into(),
    }
}

/// A rate to two decimals, "–" where not given.
fn rate_text(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v:.2}"))
}

fn figures_grid_ui(ui: &mut egui::Ui, rows: &[GroupFigure]) {
    let (count, rate) = (count_text, rate_text);
    egui::ScrollArea::vertical().id_salt("indicator-groups").show(ui, |ui| {
        egui::Grid::new("indicator-groups-grid")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for heading in ["Group", "From", "Count", "Per 1,000 residents", "LSOAs with figures"] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for row in rows {
                    ui.label(&row.name);
                    ui.label(match row.origin {
                        GroupOrigin::File => "grouping file",
                        GroupOrigin::NamedSelection => "named selection",
                    });
                    ui.label(count(row.count));
                    ui.label(rate(row.rate_per_1000));
                    ui.label(format!("{} of {}", row.lsoas_with_figures.0, row.lsoas_with_figures.1));
                    ui.end_row();
                }
            });
    });
}
