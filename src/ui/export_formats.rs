//! The File menu's entries for the formats planners' readers open: the briefing workbook, the PDF report, the SVG
//! map, the single-file web map and the GeoPackage. Each asks where, writes atomically and reports one line.
//! Kept apart from `app.rs`: the app calls [`export_formats_menu`] from its File menu and shows the message.

use super::scene::MapScene;
use crate::export::{
    CivilDate, Paper, ReportOptions, WebMapOptions, paper_options, save_briefing_xlsx, save_geopackage,
    save_pdf_report, save_svg_report, save_web_map,
};
use std::path::Path;

/// One export entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// `briefing.xlsx`.
    Workbook,
    /// A4 landscape PDF, the LA page and a page per priority ward.
    PdfReport,
    /// The map page as SVG.
    SvgMap,
    /// The single-file web map.
    WebMap,
    /// The GeoPackage.
    GeoPackage,
}

impl ExportFormat {
    /// Every entry, in menu order.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Workbook,
        ExportFormat::PdfReport,
        ExportFormat::SvgMap,
        ExportFormat::WebMap,
        ExportFormat::GeoPackage,
    ];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Workbook => "Export briefing workbook (Excel)…",
            ExportFormat::PdfReport => "Export PDF report…",
            ExportFormat::SvgMap => "Export map as SVG…",
            ExportFormat::WebMap => "Export web map (HTML)…",
            ExportFormat::GeoPackage => "Export GeoPackage (QGIS)…",
        }
    }

    /// The file extension the format is written with.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Workbook => "xlsx",
            ExportFormat::PdfReport => "pdf",
            ExportFormat::SvgMap => "svg",
            ExportFormat::WebMap => "html",
            ExportFormat::GeoPackage => "gpkg",
        }
    }
}

/// Writes one format for the scene (replacing the file: the dialog has asked).
pub fn export_to(scene: &MapScene, report: &ReportOptions, format: ExportFormat, path: &Path) -> (bool, String) {
    let dataset = &scene.data.dataset;
    let comparison = &scene.comparison;
    let result = match format {
        ExportFormat::Workbook => save_briefing_xlsx(dataset, comparison, path, true, CivilDate::today()),
        ExportFormat::PdfReport => save_pdf_report(
            dataset,
            comparison,
            &paper_options(report, Paper::A4, true),
            true,
            path,
            true,
        ),
        ExportFormat::SvgMap => {
            save_svg_report(dataset, comparison, &paper_options(report, Paper::A4, true), path, true)
        }
        ExportFormat::WebMap => {
            let options = WebMapOptions {
                title: report.title.clone(),
                fill: report.fill.clone(),
                export_date: CivilDate::today(),
            };
            save_web_map(dataset, comparison, &options, path, true).map(|_| ())
        }
        ExportFormat::GeoPackage => save_geopackage(dataset, comparison, path, true),
    };
    match result {
        Ok(()) => (true, format!("Saved {}", path.display())),
        Err(e) => (false, format!("Could not export: {e}")),
    }
}
