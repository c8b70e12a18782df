//! Exporting the trend the indicators window shows: a PNG chart and a CSV of its months (both saved atomically;
//! the CSV starts with a byte-order mark so Excel reads it as UTF-8). The window asks, the app asks where.

use super::files::{Files, with_extension};
use crate::analysis::AreaSeries;
use crate::export::{CivilDate, TrendExport, render_trend_png, save_png_atomic, save_trend_csv};
use crate::model::Period;

/// Which file the planner asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendFormat {
    /// The chart as a PNG (A4-ish landscape at 200 dpi).
    Png,
    /// The months as CSV.
    Csv,
}

/// The trend as last drawn, owned, ready to export.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendToExport {
    /// The indicator's name.
    pub indicator: String,
    /// Source and licence line.
    pub source: String,
    /// The periods.
    pub periods: Vec<Period>,
    /// The area charted.
    pub area: AreaSeries,
    /// Its LA.
    pub la: Option<AreaSeries>,
}

impl TrendToExport {
    fn export(&self) -> TrendExport<'_> {
        TrendExport {
            indicator: &self.indicator,
            source: &self.source,
            periods: &self.periods,
            area: &self.area,
            la: self.la.as_ref(),
        }
    }

    /// Writes the file to `path`: `Ok` with what was saved, or the reason it was not.
    pub fn save(&self, format: TrendFormat, path: &std::path::Path) -> Result<String, String> {
        let what = match format {
            TrendFormat::Png => {
                let dpi = 200.0;
                render_trend_png(&self.export(), 2339, 1654, dpi / 72.0, CivilDate::today())
                    .and_then(|pixmap| save_png_atomic(&pixmap, path, dpi, true))
                    .map(|()| "trend chart")
            }
            TrendFormat::Csv => save_trend_csv(path, &self.export(), true).map(|()| "trend table"),
        };
        what.map(|what| format!("Saved the {what} of {} to {}", self.area.name, path.display()))
            .map_err(|e| format!("Could not export the trend: {e}"))
    }
}

/// The two export buttons under the chart; the format asked for, if any.
pub fn trend_export_buttons(ui: &mut egui::Ui) -> Option<TrendFormat> {
    let mut asked = None;
    ui.horizontal(|ui| {
        if ui.button("Export trend PNG…").clicked() {
            asked = Some(TrendFormat::Png);
        }
        if ui.button("Export trend CSV…").clicked() {
            asked = Some(TrendFormat::Csv);
        }
    });
    asked
}

/// A file name from the area's name: letters, digits and dashes.
fn file_name(area: &str, extension: &str) -> String {
    let stem: String = area
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    format!("trend-{stem}.{extension}")
}

/// Runs an export the indicators window asked for ([`AppCommand::ExportTrend`](super::AppCommand::ExportTrend)):
/// asks where (the dialog, else the in-window path field, which runs the command again with its answer), then saves.
/// `(ok, message)` once a file was chosen.
pub fn run_trend_export(files: &mut Files, format: TrendFormat, trend: &TrendToExport) -> Option<(bool, String)> {
    let extension = match format {
        TrendFormat::Png => "png",
        TrendFormat::Csv => "csv",
    };
    let path = files.ask_save("Export trend", &file_name(&trend.area.name, extension), extension)?;
    let result = trend.save(format, &with_extension(&path, extension));
    Some((result.is_ok(), result.unwrap_or_else(|e| e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AreaCode;

    #[test]
    fn file_names_come_from_the_area() {
        assert_eq!(file_name("Gipton & Harehills", "png"), "trend-gipton-harehills.png");
    }

    #[test]
    fn both_files_are_written_and_the_csv_starts_with_a_bom() {
        let trend = TrendToExport {
            indicator: "All crime".into(),
            source: "police.uk (Open Government Licence v3.0)".into(),
            periods: (1..=12).map(|month| Period { year: 2024, month }).collect(),
            area: AreaSeries {
                code: AreaCode::parse("E01000001").unwrap(),
                name: "City of London 001A".into(),
                la_code: None,
                la_name: String::new(),
                values: (1..=12).map(f64::from).collect(),
                population: Some(1_296.0),
                members: Vec::new(),
            },
            la: None,
        };
        let dir = std::env::temp_dir().join(format!("lm-trend-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let png = dir.join("t.png");
        let csv = dir.join("t.csv");
        assert!(trend.save(TrendFormat::Png, &png).unwrap().contains("trend chart"));
        assert!(trend.save(TrendFormat::Csv, &csv).unwrap().contains("trend table"));
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
        let bytes = std::fs::read(&csv).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 13);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
