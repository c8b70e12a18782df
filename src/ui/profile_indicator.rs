//! The ward profile's "Local indicator" block: the ward's monthly trend of the indicator the planner chose in the
//! indicators window (or, before any is chosen, all crime / the first loaded), against its LA, and whether the ward
//! is flagged as an emerging issue, with the figures and the test, and the ward's LSOAs with a sparkline each.
//! Nothing is drawn when no indicator is loaded.

use super::indicator_trend::{TrendLines, sparkline_ui, trend_chart_ui};
use crate::analysis::{
    AggregatedIndicator, AreaSeries, EmergingArea, EmergingOptions, EmergingScan, Level, WardProfile, aggregate,
    scan_emerging,
};
use crate::model::{AreaCode, Dataset};
use crate::project::IndicatorChoice;
use egui::{Color32, RichText};

/// Tables computed for one indicator of one load.
struct Computed {
    key: (u64, String),
    lsoas: Option<AggregatedIndicator>,
    wards: Option<AggregatedIndicator>,
    las: Option<AggregatedIndicator>,
    scan: Option<EmergingScan>,
}

/// The block's cache and what it last drew (for tests).
#[derive(Default)]
pub struct ProfileIndicator {
    computed: Option<Computed>,
    /// The chart's lines as last drawn.
    pub last_trend: Option<TrendLines>,
    /// The ward's emerging-issue test as last shown.
    pub last_emerging: Option<EmergingArea>,
    /// The LSOA table's rows as last drawn: each LSOA of the ward and the monthly series its sparkline shows.
    pub last_sparklines: Vec<(AreaCode, Vec<f64>)>,
}

/// The ward's row in the indicator's ward table: by code, else by name within the same LA (the indicator's wards
/// may be a later vintage than the boundaries'); true when matched by name.
fn ward_row<'a>(wards: &'a AggregatedIndicator, profile: &WardProfile) -> Option<(&'a AreaSeries, bool)> {
    if let Some(row) = wards.rows.iter().find(|r| r.code == profile.code) {
        return Some((row, false));
    }
    wards
        .rows
        .iter()
        .find(|r| r.name == profile.name && r.la_name == profile.la_name)
        .map(|r| (r, true))
}

impl ProfileIndicator {
    fn compute(&mut self, dataset: &Dataset, generation: u64, name: &str) {
        let key = (generation, name.to_string());
        if self.computed.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let Some(indicator) = dataset.indicators.find(name) else {
            self.computed = None;
            return;
        };
        let wards = aggregate(dataset, indicator, Level::Ward, None)
            .ok()
            .filter(|t| !t.rows.is_empty());
        let las = aggregate(dataset, indicator, Level::La, None).ok();
        let lsoas = aggregate(dataset, indicator, Level::Lsoa, None).ok();
        let scan = wards.as_ref().map(|t| scan_emerging(t, &EmergingOptions::default()));
        self.computed = Some(Computed {
            key,
            lsoas,
            wards,
            las,
            scan,
        });
    }

    /// Draws the block for the ward open in the profile.
    pub fn block(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        generation: u64,
        profile: &WardProfile,
        choice: Option<&IndicatorChoice>,
    ) {
        let names = &dataset.indicators.by_name;
        let Some(name) = choice
            .map(|c| c.name.clone())
            .filter(|n| names.contains_key(n))
            .or_else(|| {
                names
                    .contains_key(crate::io::ALL_CRIME)
                    .then(|| crate::io::ALL_CRIME.to_string())
            })
            .or_else(|| names.keys().next().cloned())
        else {
            return;
        };
        self.compute(dataset, generation, &name);
        let Some(computed) = &self.computed else { return };
        ui.separator();
        ui.label(RichText::new(format!("Local indicator: {name}")).strong());
        let Some((row, by_name)) = computed.wards.as_ref().and_then(|w| ward_row(w, profile)) else {
            self.last_trend = None;
            self.last_emerging = None;
            self.last_sparklines.clear();
            ui.label(format!(
                "{name} has no figures for {} (its areas are elsewhere, or it is not given by ward).",
                profile.name
            ));
            return;
        };
        if by_name {
            ui.label(format!(
                "Matched to the indicator's ward of the same name in {} (a different ward vintage).",
                profile.la_name
            ));
        }
        let la = computed
            .las
            .as_ref()
            .and_then(|t| t.rows.iter().find(|r| Some(r.code) == row.la_code));
        let periods = &computed.wards.as_ref().map(|w| w.periods.clone()).unwrap_or_default();
        self.last_trend = Some(trend_chart_ui(ui, "profile-indicator-trend", periods, row, la, 160.0));
        let tested = computed
            .scan
            .as_ref()
            .and_then(|s| s.tested.iter().find(|a| a.code == row.code));
        self.last_emerging = tested.cloned();
        match (tested, &computed.scan) {
            (Some(area), Some(scan)) => {
                let text = format!(
                    "{}: {} in the last {} months against {:.1} expected (ratio {:.2}, p = {:.4})",
                    if area.flagged { "Emerging issue" } else { "Not flagged" },
                    area.recent,
                    scan.options.recent_months,
                    area.expected,
                    area.ratio,
                    area.p_value
                );
                let colour = if area.flagged {
                    Color32::from_rgb(200, 60, 30)
                } else {
                    ui.visuals().text_color()
                };
                ui.label(RichText::new(text).color(colour).strong());
                ui.label(RichText::new(&scan.method).small());
            }
            (None, Some(scan)) => {
                ui.label(
                    scan.not_run
                        .clone()
                        .unwrap_or_else(|| "Not tested for emerging issues (too few months or counts).".into()),
                );
            }
            _ => {}
        }
        self.last_sparklines = lsoa_table_ui(ui, computed.lsoas.as_ref(), row);
    }
}

/// The ward's LSOAs with each one's total over the months loaded and a sparkline of its monthly series.
fn lsoa_table_ui(
    ui: &mut egui::Ui,
    lsoas: Option<&AggregatedIndicator>,
    ward: &AreaSeries,
) -> Vec<(AreaCode, Vec<f64>)> {
    let Some(lsoas) = lsoas else { return Vec::new() };
    let rows: Vec<&AreaSeries> = ward
        .members
        .iter()
        .filter_map(|code| lsoas.rows.iter().find(|r| r.code == *code))
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let span = match (lsoas.periods.first(), lsoas.periods.last()) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => String::new(),
    };
    ui.label(RichText::new(format!("The ward's LSOAs, monthly {span}")).strong());
    egui::Grid::new("profile-indicator-lsoas").striped(true).show(ui, |ui| {
        for h in ["LSOA", "Total", "Trend"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for row in &rows {
            ui.label(format!("{} {}", row.code, row.name));
            let total: f64 = row.values.iter().filter(|v| !v.is_nan()).sum();
            ui.label(format!("{total}"));
            sparkline_ui(ui, &row.values, egui::vec2(110.0, 16.0));
            ui.end_row();
        }
    });
    rows.iter().map(|r| (r.code, r.values.clone())).collect()
}
