//! The "Local indicators" window: pick an indicator, a level and what to map (a month, the last N months, or their
//! change; counts or rates per 1,000), then the map, trend charts (ward or selection against its LA, with
//! sparklines), the emerging-issues list and the IMD decile beside the rate.

use super::emerging_list::{EmergingSort, emerging_list_ui};
use super::indicator_deprivation::deprivation_ui;
use super::indicator_groups_view::IndicatorGroupsState;
use super::indicator_legend::{legend_ui, unit_text};
use super::indicator_map::{IndicatorMapState, indicator_map_ui};
use super::indicator_map_export::{IndicatorMapToExport, indicator_map_export_button};
use super::indicator_trend::{sparkline_ui, trend_chart_ui};
use super::indicator_trend_export::{TrendFormat, TrendToExport, trend_export_buttons};
use super::tool_window::tool_window;
use crate::analysis::{
    AggregatedIndicator, AreaSeries, EmergingOptions, EmergingScan, IndicatorMeasure, Level, Window, WindowStat,
    aggregate, draw_plan, group_series, scan_emerging,
};
use crate::model::{AreaCode, Dataset};
use crate::style::style_indicator;
use egui::RichText;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Tabs of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IndicatorTab {
    /// The map.
    #[default]
    Map,
    /// Trend charts.
    Trends,
    /// Emerging issues.
    Emerging,
    /// IMD decile beside the rate.
    Deprivation,
    /// The indicator over the planner's groups and named selections.
    Groups,
}

/// What is mapped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MeasureChoice {
    /// One month (index into periods).
    Period(usize),
    /// The last N months summed.
    #[default]
    LastMonths,
    /// The monthly mean of the last N months.
    MonthlyMean,
    /// % change of the last N months against the N before.
    Change,
    /// The change of the last N months against the N before, in counts (or rates).
    ChangeCount,
}

/// What the planner asked the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndicatorAction {
    /// Open this LSOA or ward on the main map.
    OpenArea(AreaCode),
}

/// Tables computed for the current choices.
struct Computed {
    key: (u64, String, Level),
    table: Result<AggregatedIndicator, String>,
    lsoas: Option<AggregatedIndicator>,
    wards: Option<AggregatedIndicator>,
    las: Option<AggregatedIndicator>,
    emerging: Vec<EmergingScan>,
}

/// The window's state.
pub struct IndicatorWindowState {
    /// Shown.
    pub open: bool,
    /// Chosen indicator name.
    pub indicator: String,
    /// Level mapped.
    pub level: Level,
    /// What is mapped.
    pub measure: MeasureChoice,
    /// Window length in months.
    pub months: usize,
    /// Rates per 1,000 residents.
    pub per_1000: bool,
    /// Show police.uk points.
    pub show_points: bool,
    /// Current tab.
    pub tab: IndicatorTab,
    /// The area whose trend is shown (a ward or an LSOA).
    pub focus: Option<AreaCode>,
    /// Emerging list sort.
    pub emerging_sort: EmergingSort,
    /// Show every tested area.
    pub emerging_all: bool,
    map: IndicatorMapState,
    computed: Option<Arc<Computed>>,
    /// The last hovered area's text (for tests).
    pub hover_text: Option<String>,
    /// The map as last drawn (for tests).
    pub last_map: Option<super::indicator_map::IndicatorMapResponse>,
    /// The trend chart's lines as last drawn (for tests).
    pub last_trend: Option<super::indicator_trend::TrendLines>,
    /// The selection's trend chart as last drawn (for tests).
    pub last_selection_trend: Option<super::indicator_trend::TrendLines>,
    /// An export of the trend the planner asked for, run by the app (`indicator_trend_export.rs`).
    pub trend_export_request: Option<(TrendFormat, TrendToExport)>,
    /// An export of the map the planner asked for, run by the app (`indicator_map_export.rs`).
    pub map_export_request: Option<IndicatorMapToExport>,
    /// The Groups tab (`indicator_groups_view.rs`): the app gives it the grouping file and named selections.
    pub groups: IndicatorGroupsState,
}

impl Default for IndicatorWindowState {
    fn default() -> Self {
        Self {
            open: false,
            indicator: String::new(),
            level: Level::Lsoa,
            measure: MeasureChoice::LastMonths,
            months: 12,
            per_1000: false,
            show_points: false,
            tab: IndicatorTab::Map,
            focus: None,
            emerging_sort: EmergingSort::PValue,
            emerging_all: false,
            map: IndicatorMapState::default(),
            computed: None,
            hover_text: None,
            last_map: None,
            last_trend: None,
            last_selection_trend: None,
            trend_export_request: None,
            map_export_request: None,
            groups: IndicatorGroupsState::default(),
        }
    }
}

fn level_label(level: Level) -> &'static str {
    match level {
        Level::Lsoa => "LSOAs",
        Level::Ward => "Wards",
        Level::La => "Local authorities",
    }
}

impl IndicatorWindowState {
    /// Moves the indicator map to a view (as panning and zooming would; tests use it to zoom in on the points).
    pub fn set_map_view(&mut self, view: crate::render::MapView) {
        self.map.view = Some(view);
    }

    /// The current measure for a table's periods.
    pub fn measure(&self, periods: &[crate::model::Period]) -> Option<IndicatorMeasure> {
        match self.measure {
            MeasureChoice::Period(i) => periods
                .get(i.min(periods.len().saturating_sub(1)))
                .map(|p| IndicatorMeasure::Period(*p)),
            MeasureChoice::LastMonths | MeasureChoice::MonthlyMean => {
                let stat = if self.measure == MeasureChoice::MonthlyMean {
                    WindowStat::Mean
                } else {
                    WindowStat::Sum
                };
                Window::last(periods, self.months)
                    .ok()
                    .map(|w| IndicatorMeasure::Window(w, stat))
            }
            MeasureChoice::Change | MeasureChoice::ChangeCount => {
                let later = Window::last(periods, self.months).ok()?;
                let earlier = later.before(periods, self.months).ok()?;
                Some(IndicatorMeasure::Change {
                    earlier,
                    later,
                    percent: self.measure == MeasureChoice::Change,
                })
            }
        }
    }

    /// Keeps the chosen indicator if loaded, else chooses all crime (or the first loaded); false when none is.
    fn settle_indicator(&mut self, dataset: &Dataset) -> bool {
        if dataset.indicators.find(&self.indicator).is_some() {
            return true;
        }
        let names = dataset.indicators.names();
        let Some(first) = names.iter().find(|n| **n == crate::io::ALL_CRIME).or(names.first()) else {
            return false;
        };
        self.indicator = first.to_string();
        true
    }

    /// Each named selection's figure on the chosen indicator and months, for the selection panel (the window's own
    /// tables, cached; empty without indicators or named selections).
    pub fn named_selection_figures(
        &mut self,
        dataset: &Dataset,
        generation: u64,
    ) -> std::collections::BTreeMap<String, String> {
        if !self.groups.has_named() || !self.settle_indicator(dataset) {
            return Default::default();
        }
        self.compute(dataset, generation);
        let Some(computed) = self.computed.clone() else {
            return Default::default();
        };
        let Some(lsoas) = &computed.lsoas else {
            return Default::default();
        };
        let Some(measure) = self.measure(&lsoas.periods) else {
            return Default::default();
        };
        self.groups.named_figures(dataset, generation, lsoas, measure)
    }

    fn compute(&mut self, dataset: &Dataset, generation: u64) {
        let key = (generation, self.indicator.clone(), self.level);
        if self.computed.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let Some(indicator) = dataset.indicators.find(&self.indicator) else {
            self.computed = None;
            return;
        };
        let at = |level| aggregate(dataset, indicator, level, None).ok();
        let table = aggregate(dataset, indicator, self.level, None).map_err(|e| e.to_string());
        let lsoas = at(Level::Lsoa);
        let wards = at(Level::Ward).filter(|t| !t.rows.is_empty());
        let las = at(Level::La);
        let options = EmergingOptions::default();
        let emerging = [lsoas.as_ref(), wards.as_ref()]
            .into_iter()
            .flatten()
            .map(|t| scan_emerging(t, &options))
            .collect();
        self.computed = Some(Arc::new(Computed {
            key,
            table,
            lsoas,
            wards,
            las,
            emerging,
        }));
        self.map = IndicatorMapState::default();
    }

    /// Draws the window; `ward` is the ward open in the profile, `selection` the planner's selected LSOAs.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        dataset: &Dataset,
        generation: u64,
        ward: Option<AreaCode>,
        selection: &BTreeSet<AreaCode>,
    ) -> Option<IndicatorAction> {
        let mut open = self.open;
        let action = tool_window(ctx, "Local indicators", &mut open, [900.0, 640.0], |ui| {
            self.body(ui, dataset, generation, ward, selection)
        });
        self.open = open;
        action.flatten()
    }

    /// The window's contents (also drawn directly by tests).
    pub fn body(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        generation: u64,
        ward: Option<AreaCode>,
        selection: &BTreeSet<AreaCode>,
    ) -> Option<IndicatorAction> {
        let names: Vec<String> = dataset.indicators.by_name.keys().cloned().collect();
        if names.is_empty() {
            ui.label("No local indicators are loaded. Add police.uk street-level CSVs, or tidy or wide tables of LSOA, ward or LA codes by period, to the data folder.");
            return None;
        }
        self.settle_indicator(dataset);
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_label("Indicator")
                .selected_text(&self.indicator)
                .show_ui(ui, |ui| {
                    for name in &names {
                        ui.selectable_value(&mut self.indicator, name.clone(), name);
                    }
                });
            egui::ComboBox::from_label("Areas")
                .selected_text(level_label(self.level))
                .show_ui(ui, |ui| {
                    for level in [Level::Lsoa, Level::Ward, Level::La] {
                        ui.selectable_value(&mut self.level, level, level_label(level));
                    }
                });
            ui.checkbox(&mut self.per_1000, "Per 1,000 residents");
            if !dataset.indicators.crime_points.is_empty() {
                ui.checkbox(&mut self.show_points, "Crime points");
            }
        });
        self.compute(dataset, generation);
        // A shared handle, so the window's own choices can change while its tables are read.
        let computed = Arc::clone(self.computed.as_ref()?);
        let computed: &Computed = &computed;
        let table = match &computed.table {
            Ok(t) => t,
            Err(e) => {
                ui.label(e);
                return None;
            }
        };
        ui.horizontal_wrapped(|ui| {
            let periods = &table.periods;
            ui.radio_value(&mut self.measure, MeasureChoice::LastMonths, "Last months, total");
            ui.radio_value(&mut self.measure, MeasureChoice::MonthlyMean, "monthly mean");
            ui.radio_value(
                &mut self.measure,
                MeasureChoice::Change,
                "% change on the months before",
            );
            ui.radio_value(&mut self.measure, MeasureChoice::ChangeCount, "change");
            let mut index = match self.measure {
                MeasureChoice::Period(i) => i,
                _ => periods.len().saturating_sub(1),
            };
            let month_label = periods.get(index).map(|p| p.to_string()).unwrap_or_default();
            if ui
                .radio(
                    matches!(self.measure, MeasureChoice::Period(_)),
                    format!("One month ({month_label})"),
                )
                .clicked()
            {
                self.measure = MeasureChoice::Period(index);
            }
            if matches!(self.measure, MeasureChoice::Period(_))
                && ui
                    .add(egui::Slider::new(&mut index, 0..=periods.len().saturating_sub(1)).show_value(false))
                    .changed()
            {
                self.measure = MeasureChoice::Period(index);
            }
            if !matches!(self.measure, MeasureChoice::Period(_)) {
                ui.add(egui::Slider::new(&mut self.months, 1..=periods.len().clamp(1, 36)).text("months"));
            }
        });
        ui.horizontal(|ui| {
            for (tab, label) in [
                (IndicatorTab::Map, "Map"),
                (IndicatorTab::Trends, "Trends"),
                (IndicatorTab::Emerging, "Emerging issues"),
                (IndicatorTab::Deprivation, "Deprivation and rate"),
                (IndicatorTab::Groups, "Groups"),
            ] {
                ui.selectable_value(&mut self.tab, tab, label);
            }
        });
        ui.separator();
        let Some(measure) = self.measure(&table.periods) else {
            ui.label("Not enough periods for this choice.");
            return None;
        };
        let flagged: BTreeSet<AreaCode> = computed
            .emerging
            .iter()
            .flat_map(|s| s.flagged().map(|a| a.code))
            .collect();
        let mut action = None;
        match self.tab {
            IndicatorTab::Map => {
                let indicator = dataset.indicators.find(&self.indicator)?;
                let plan = draw_plan(dataset, indicator, table);
                let style = style_indicator(table, &plan, measure, self.per_1000);
                let key = generation
                    .wrapping_mul(31)
                    .wrapping_add(hash_of(&(self.indicator.as_str(), format!("{:?}", self.level))));
                let points = self.show_points.then_some((
                    dataset.indicators.crime_points.as_slice(),
                    dataset.indicators.crime_types.as_slice(),
                ));
                ui.horizontal_top(|ui| {
                    let size = egui::vec2((ui.available_width() - 260.0).max(300.0), 460.0);
                    let response = indicator_map_ui(ui, &mut self.map, key, &plan, &style, &flagged, points, size);
                    let area = response
                        .hovered_unit
                        .and_then(|u| unit_text(dataset, table, &plan, &style, u, &flagged));
                    self.hover_text = match (response.hovered_point.clone(), area) {
                        (Some(point), Some(area)) => Some(format!("{point}\n\n{area}")),
                        (point, area) => point.or(area),
                    };
                    self.last_map = Some(response.clone());
                    if let Some(text) = &self.hover_text {
                        response.response.clone().on_hover_text(text);
                    }
                    if let Some(unit) = self.last_map.as_ref().and_then(|r| r.clicked_unit)
                        && let Some(row) = plan
                            .units
                            .get(unit)
                            .and_then(|u| u.rows.first())
                            .and_then(|i| table.rows.get(*i))
                    {
                        self.focus = Some(row.code);
                        action = Some(IndicatorAction::OpenArea(row.code));
                    }
                    ui.vertical(|ui| {
                        legend_ui(ui, &style);
                        if indicator_map_export_button(ui) {
                            self.map_export_request = Some(IndicatorMapToExport {
                                indicator: self.indicator.clone(),
                                level: self.level,
                                measure,
                                per_1000: self.per_1000,
                            });
                        }
                    });
                });
            }
            IndicatorTab::Trends => action = self.trends_ui(ui, computed, ward, selection),
            IndicatorTab::Emerging => {
                for scan in &computed.emerging {
                    ui.heading(format!("{} — {}", level_label(scan.level), self.indicator));
                    let decile = |code: &AreaCode| super::indicator_deprivation::decile_text(dataset, code);
                    if let Some(code) = emerging_list_ui(
                        ui,
                        scan,
                        &decile,
                        &self.indicator,
                        &mut self.emerging_sort,
                        &mut self.emerging_all,
                    ) {
                        action = Some(IndicatorAction::OpenArea(code));
                    }
                    ui.separator();
                }
            }
            IndicatorTab::Deprivation => {
                deprivation_ui(ui, dataset, computed.lsoas.as_ref(), measure, self.per_1000, &flagged)
            }
            IndicatorTab::Groups => self
                .groups
                .ui(ui, dataset, generation, computed.lsoas.as_ref(), measure),
        }
        // Opening an area from the list (or the map) shows its trend here too.
        if let Some(IndicatorAction::OpenArea(code)) = &action
            && self.tab == IndicatorTab::Emerging
        {
            self.focus = Some(*code);
            self.tab = IndicatorTab::Trends;
        }
        action
    }

    fn trends_ui(
        &mut self,
        ui: &mut egui::Ui,
        computed: &Computed,
        ward: Option<AreaCode>,
        selection: &BTreeSet<AreaCode>,
    ) -> Option<IndicatorAction> {
        let mut action = None;
        // The area: the focus (from the list or the map), else the ward open in the profile, else the first ward.
        let pick = self.focus.or(ward);
        let find = |t: Option<&AggregatedIndicator>, code: Option<AreaCode>| -> Option<AreaSeries> {
            t.and_then(|t| t.rows.iter().find(|r| Some(r.code) == code).cloned())
        };
        let area = find(computed.wards.as_ref(), pick)
            .or_else(|| find(computed.lsoas.as_ref(), pick))
            // No choice yet: the ward with the most events (not the first by code, which may be an outlier far away).
            .or_else(|| {
                let total = |r: &AreaSeries| r.values.iter().filter(|v| !v.is_nan()).sum::<f64>();
                let wards = computed.wards.as_ref()?;
                wards.rows.iter().max_by(|a, b| total(a).total_cmp(&total(b))).cloned()
            })
            .or_else(|| computed.table.as_ref().ok().and_then(|t| t.rows.first().cloned()));
        let periods = computed.table.as_ref().map(|t| t.periods.clone()).unwrap_or_default();
        if let Some(wards) = &computed.wards {
            let current = area.as_ref().map(|a| a.name.clone()).unwrap_or_default();
            egui::ComboBox::from_label("Ward")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for w in &wards.rows {
                        if ui
                            .selectable_label(Some(w.code) == pick, format!("{} ({})", w.name, w.la_name))
                            .clicked()
                        {
                            self.focus = Some(w.code);
                        }
                    }
                });
        }
        let Some(area) = area else {
            ui.label("No area to chart.");
            return None;
        };
        let la = computed
            .las
            .as_ref()
            .and_then(|t| t.rows.iter().find(|r| Some(r.code) == area.la_code).cloned());
        ui.label(
            RichText::new(format!(
                "{} against {}",
                area.name,
                la.as_ref().map_or("its LA (not placed)", |l| l.name.as_str())
            ))
            .strong(),
        );
        self.last_trend = Some(trend_chart_ui(
            ui,
            "indicator-trend",
            &periods,
            &area,
            la.as_ref(),
            220.0,
        ));
        if let Some(format) = trend_export_buttons(ui) {
            let table = computed.table.as_ref().ok();
            let source = table
                .and_then(|t| t.attribution.clone())
                .unwrap_or_else(|| crate::export::UNKNOWN_TREND_SOURCE.into());
            self.trend_export_request = Some((
                format,
                TrendToExport {
                    indicator: self.indicator.clone(),
                    source,
                    periods: periods.clone(),
                    area: area.clone(),
                    la: la.clone(),
                },
            ));
        }
        // Its LSOAs with sparklines.
        if let Some(lsoas) = &computed.lsoas
            && area.members.len() > 1
        {
            ui.label(RichText::new("LSOAs of the area").strong());
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .id_salt("trend-lsoas")
                .show(ui, |ui| {
                    egui::Grid::new("trend-lsoa-grid").striped(true).show(ui, |ui| {
                        for code in &area.members {
                            let Some(row) = lsoas.rows.iter().find(|r| r.code == *code) else {
                                continue;
                            };
                            if ui.link(format!("{} {}", row.code, row.name)).clicked() {
                                action = Some(IndicatorAction::OpenArea(row.code));
                            }
                            let total: f64 = row.values.iter().filter(|v| !v.is_nan()).sum();
                            ui.label(format!("{total}"));
                            sparkline_ui(ui, &row.values, egui::vec2(120.0, 18.0));
                            ui.end_row();
                        }
                    });
                });
        }
        // The planner's selection, as one group.
        if let Some(lsoas) = &computed.lsoas
            && !selection.is_empty()
        {
            let members: Vec<AreaCode> = selection.iter().copied().collect();
            let code = members.first().copied()?;
            let group = group_series(lsoas, &members, code, &format!("Selection ({} LSOAs)", members.len()));
            if group.members.is_empty() {
                ui.label("None of the selected LSOAs has this indicator (a different LSOA vintage or area).");
            } else {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "Selection: {} of {} LSOAs have figures",
                        group.members.len(),
                        members.len()
                    ))
                    .strong(),
                );
                self.last_selection_trend = Some(trend_chart_ui(
                    ui,
                    "selection-trend",
                    &periods,
                    &group,
                    la.as_ref(),
                    180.0,
                ));
            }
        }
        action
    }
}

fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher as _;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
