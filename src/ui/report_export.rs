//! The report export dialog's work, without egui: the report options for a [`ReportRequest`] (title, extent, paper,
//! DPI) from the session, and writing the page as PNG, PDF or SVG through the exporters in `export`.

use super::scene::MapScene;
use super::session::Session;
use super::settings::Settings;
use crate::export::{
    Paper, ReportOptions, default_title, paper_options, render_report, save_pdf_report, save_png_atomic,
    save_svg_report,
};
use std::path::Path;

/// What the report shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportExtent {
    /// The whole LA.
    WholeLa,
    /// What the map shows now.
    CurrentView,
    /// The ward whose profile is open (brought forward, the rest veiled).
    Ward,
    /// The selected LSOAs.
    Selection,
}

/// The file written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Pixels, at the size and DPI chosen.
    Png,
    /// Vectors and real text on paper.
    Pdf,
    /// Vectors and real text on paper.
    Svg,
}

impl ReportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Pdf => "pdf",
            Self::Svg => "svg",
        }
    }
}

/// Everything the dialog asks for, for [`AppCommand::ExportReport`].
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRequest {
    /// The title on the page (empty: the default).
    pub title: String,
    /// What it shows.
    pub extent: ReportExtent,
    /// The map's view now, in world metres (for [`ReportExtent::CurrentView`]).
    pub view_in_world: Option<geo::Rect<f64>>,
    /// Paper.
    pub paper: Paper,
    /// Landscape (else portrait).
    pub landscape: bool,
    /// Dots per inch (PNG).
    pub dpi: f32,
    /// The file format.
    pub format: ReportFormat,
}

impl ReportRequest {
    /// Pixel size of a PNG: the paper at the DPI.
    pub fn size_px(&self) -> (u32, u32) {
        // From millimetres, as print shops count: A4 at 300 dpi is 3508 × 2480.
        let (short_mm, long_mm) = match self.paper {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
        };
        let px = |mm: f32| (mm / 25.4 * self.dpi).round() as u32;
        if self.landscape {
            (px(long_mm), px(short_mm))
        } else {
            (px(short_mm), px(long_mm))
        }
    }
}

/// The report options for the current choices at a size (the map of the whole LA).
pub fn report_options(
    session: &Session,
    settings: &Settings,
    width_px: u32,
    height_px: u32,
    dpi: f32,
) -> Option<ReportOptions> {
    let c = &session.scene()?.comparison;
    let title = session
        .report_title()
        .map(str::to_string)
        .unwrap_or_else(|| default_title(&c.la_name, settings.mode, c.from, c.to));
    Some(ReportOptions {
        width_px,
        height_px,
        dpi,
        fill: settings.fill(),
        show_transitions: settings.show_transitions,
        show_ward_labels: settings.show_ward_labels,
        // A national map's LA borders as the load found them, not found again for the page.
        la_borders: session.scene().and_then(|s| s.data.la_border_lines(s.vintage)),
        // The street basemap goes into the export when it is on in the window (and carries its attribution).
        basemap: settings
            .show_basemap
            .then(|| crate::io::TileSource::for_url(settings.basemap_url.as_deref())),
        // The area groups layer goes into the export when it is on in the window.
        groups: session.group_layer().filter(|_| settings.show_group_layer).cloned(),
        ..ReportOptions::a4_landscape_300dpi(title)
    })
}

/// Margin around a ward or selection on the page, as a share of its size.
const MARGIN_SHARE: f64 = 0.06;

/// The report options for `request`: the window's choices, the title asked for (else the project's, else the
/// default), the extent and the size. An extent that cannot be made (no ward open, nothing selected) says why.
pub fn report_options_for(
    session: &Session,
    settings: &Settings,
    request: &ReportRequest,
) -> Result<ReportOptions, String> {
    let (width_px, height_px) = request.size_px();
    let dpi = request.dpi;
    let mut options = report_options(session, settings, width_px, height_px, dpi)
        .ok_or_else(|| "There is no map to export.".to_string())?;
    if !request.title.trim().is_empty() {
        options.title = request.title.trim().to_string();
    }
    let scene = session
        .scene()
        .ok_or_else(|| "There is no map to export.".to_string())?;
    match request.extent {
        ReportExtent::WholeLa => {}
        ReportExtent::CurrentView => {
            options.extent = Some(request.view_in_world.ok_or("The map's view is not known yet.")?);
        }
        ReportExtent::Ward => {
            let profile = session.profile().ok_or("Open a ward profile first.")?;
            let ward = scene
                .wards
                .iter()
                .find(|w| w.code == profile.code)
                .ok_or_else(|| format!("{} has no boundary loaded, so it cannot be the extent.", profile.name))?;
            // The pack's ward maps' extent: the ward's boundary, else its LSOAs', with a margin.
            let extent = crate::export::ward_extent(&scene.data.dataset, &scene.comparison, &ward.code);
            options.extent = Some(extent.unwrap_or_else(|| padded(ward.bbox_in_world)));
            options.focus_ward = Some(profile.code);
        }
        ReportExtent::Selection => {
            let layer = scene.layer();
            let bbox = session
                .selection()
                .codes
                .iter()
                .filter_map(|c| layer.get(c))
                .map(|a| a.bbox_in_world)
                .reduce(crate::model::rect_union)
                .ok_or("Nothing selected has a boundary: select LSOAs first.")?;
            options.extent = Some(padded(bbox));
        }
    }
    if request.format != ReportFormat::Png {
        options = paper_options(&options, request.paper, request.landscape);
    }
    Ok(options)
}

/// Writes the page in the request's format (atomically); the message to show.
pub fn write_report(scene: &MapScene, options: &ReportOptions, format: ReportFormat, path: &Path) -> (bool, String) {
    let (dataset, comparison) = (&scene.data.dataset, &scene.comparison);
    let result = match format {
        ReportFormat::Png => render_report(dataset, comparison, options)
            .and_then(|report| save_png_atomic(&report.image, path, options.dpi, true)),
        ReportFormat::Pdf => save_pdf_report(dataset, comparison, options, false, path, true),
        ReportFormat::Svg => save_svg_report(dataset, comparison, options, path, true),
    };
    match result {
        Ok(()) => (
            true,
            format!("Saved the report \"{}\" to {}", options.title, path.display()),
        ),
        Err(e) => (false, format!("Could not export the report: {e}")),
    }
}

fn padded(bbox: geo::Rect<f64>) -> geo::Rect<f64> {
    crate::model::rect_grown(bbox, MARGIN_SHARE * bbox.width().max(bbox.height()).max(200.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::export_dialog::ExportDialogState;
    use crate::ui::loader::embedded_leeds;

    #[test]
    fn the_request_sets_title_extent_size_and_focus() {
        let settings = Settings::default();
        let mut session = Session::with_data(embedded_leeds(), &settings);
        let mut request = ExportDialogState::default().request;
        request.title = "Executive Board: Killingbeck".into();
        let whole = report_options_for(&session, &settings, &request).unwrap();
        assert_eq!((whole.width_px, whole.height_px, whole.dpi), (3508, 2480, 300.0));
        assert_eq!(whole.title, "Executive Board: Killingbeck");
        assert_eq!(whole.extent, None);
        request.extent = ReportExtent::Ward;
        assert!(
            report_options_for(&session, &settings, &request).is_err(),
            "no ward open"
        );
        let ward = crate::model::AreaCode::parse("E05011400").unwrap();
        session.open_ward(ward);
        let ward_page = report_options_for(&session, &settings, &request).unwrap();
        assert_eq!(ward_page.focus_ward, Some(ward));
        let extent = ward_page.extent.unwrap();
        let bbox = session
            .scene()
            .unwrap()
            .wards
            .iter()
            .find(|w| w.code == ward)
            .unwrap()
            .bbox_in_world;
        assert!(extent.min().x < bbox.min().x && extent.max().y > bbox.max().y);
        request.format = ReportFormat::Pdf;
        request.paper = crate::export::Paper::A3;
        request.landscape = false;
        let pdf = report_options_for(&session, &settings, &request).unwrap();
        assert_eq!((pdf.width_px, pdf.height_px), (842, 1191));
    }
}
