//! Exporting the indicator map the local indicators window shows as the report PNG `map --layer indicator:NAME`
//! writes (the same page and furniture, `export::save_indicator_map`). The window asks, the app asks where.

use super::files::{Files, with_extension};
use crate::analysis::{IndicatorMeasure, Level, aggregate};
use crate::export::{IndicatorMap, IndicatorMapSize, indicator_map_title, save_indicator_map};
use crate::model::Dataset;

/// The indicator map as the window shows it, ready to export.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorMapToExport {
    /// The indicator's name.
    pub indicator: String,
    /// The areas drawn.
    pub level: Level,
    /// The period, window or change mapped.
    pub measure: IndicatorMeasure,
    /// Rates per 1,000 residents.
    pub per_1000: bool,
}

impl IndicatorMapToExport {
    /// A file name from the indicator's name, e.g. `indicator-map-crime.png`.
    fn file_name(&self) -> String {
        let stem: String = self
            .indicator
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("indicator-map-{stem}.png")
    }

    /// Draws every area of the indicator (as the window does) and saves the A4 page at `path`: `Ok` with what was
    /// saved and how the areas were drawn, or the reason it was not.
    pub fn save(&self, dataset: &Dataset, path: &std::path::Path) -> Result<String, String> {
        let indicator = dataset
            .indicators
            .find(&self.indicator)
            .ok_or_else(|| format!("{} is no longer loaded", self.indicator))?;
        let table = aggregate(dataset, indicator, self.level, None).map_err(|e| e.to_string())?;
        let map = IndicatorMap {
            dataset,
            indicator,
            table: &table,
            measure: self.measure,
            per_1000: self.per_1000,
        };
        let title = indicator_map_title(&table, false, indicator);
        let notes = save_indicator_map(path, &map, &title, IndicatorMapSize::A4_300_DPI, true)
            .map_err(|e| format!("Could not export the indicator map: {e}"))?;
        Ok(format!(
            "Saved the map of {} to {} ({})",
            indicator.name,
            path.display(),
            notes.join("; ")
        ))
    }
}

/// Runs an export the window asked for ([`AppCommand::ExportIndicatorMap`](super::AppCommand::ExportIndicatorMap)):
/// asks where (the dialog, else the in-window path field, which runs the command again with its answer), then saves.
/// `(ok, message)` once a file was chosen.
pub fn run_indicator_map_export(
    files: &mut Files,
    dataset: &Dataset,
    request: &IndicatorMapToExport,
) -> Option<(bool, String)> {
    let path = files.ask_save("Export indicator map", &request.file_name(), "png")?;
    let result = request.save(dataset, &with_extension(&path, "png"));
    Some((result.is_ok(), result.unwrap_or_else(|e| e)))
}

/// The export button under the map; true when pressed.
pub fn indicator_map_export_button(ui: &mut egui::Ui) -> bool {
    ui.button("Export map PNG…")
        .on_hover_text("The report page: legend with the indicator, unit, period, denominator, source and licence")
        .clicked()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Window, WindowStat};
    use crate::model::Period;

    #[test]
    fn file_names_come_from_the_indicator() {
        let month = Period::month(2025, 4).unwrap();
        let request = IndicatorMapToExport {
            indicator: "crime-anti-social behaviour".into(),
            level: Level::Lsoa,
            measure: IndicatorMeasure::Window(Window { from: month, to: month }, WindowStat::Sum),
            per_1000: false,
        };
        assert_eq!(request.file_name(), "indicator-map-crime-anti-social-behaviour.png");
    }
}
