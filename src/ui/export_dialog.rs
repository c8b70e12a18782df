//! The report export dialog (File, Export report…): title, extent (the whole LA, the map's current view, the open
//! ward, the selection), paper or pixel size, DPI and format (PNG, PDF, SVG). It returns
//! [`AppCommand::ExportReport`] with a [`ReportRequest`]; the exporters in `export` draw the page from the same scene as the window.

use super::command::AppCommand;
use super::report_export::{ReportExtent, ReportFormat, ReportRequest};
use super::session::Session;
use crate::export::Paper;
use egui::RichText;

/// The dialog's state.
pub struct ExportDialogState {
    /// The dialog is open.
    pub open: bool,
    /// The choices, kept between openings.
    pub request: ReportRequest,
}

impl Default for ExportDialogState {
    fn default() -> Self {
        Self {
            open: false,
            request: ReportRequest {
                title: String::new(),
                extent: ReportExtent::WholeLa,
                view_in_world: None,
                paper: Paper::A4,
                landscape: true,
                dpi: 300.0,
                format: ReportFormat::Png,
            },
        }
    }
}

impl ExportDialogState {
    /// Draws the dialog when open; `view_in_world` is the map's view now.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        view_in_world: Option<geo::Rect<f64>>,
    ) -> Option<AppCommand> {
        let scene = session.scene()?;
        if self.request.title.is_empty()
            && let Some(title) = session.report_title()
        {
            self.request.title = title.to_string();
        }
        let mut command = None;
        let mut open = self.open;
        let has_ward = session.profile().is_some();
        let has_selection = !session.selection().codes.is_empty();
        egui::Window::new("Export report")
            .open(&mut open)
            .collapsible(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                let r = &mut self.request;
                egui::Grid::new("export-report-grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Title");
                        ui.add(
                            egui::TextEdit::singleline(&mut r.title)
                                .hint_text(format!("{}: …", scene.comparison.la_name))
                                .desired_width(300.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        ui.label("Extent");
                        ui.vertical(|ui| {
                            ui.radio_value(&mut r.extent, ReportExtent::WholeLa, "The whole LA");
                            ui.radio_value(&mut r.extent, ReportExtent::CurrentView, "The map's current view");
                            let ward = session.profile().map_or_else(
                                || "The open ward (open a ward profile first)".to_string(),
                                |p| format!("The open ward: {}", p.name),
                            );
                            ui.add_enabled_ui(has_ward, |ui| ui.radio_value(&mut r.extent, ReportExtent::Ward, ward));
                            let selection = format!("The selection ({} LSOAs)", session.selection().codes.len());
                            ui.add_enabled_ui(has_selection, |ui| {
                                ui.radio_value(&mut r.extent, ReportExtent::Selection, selection)
                            });
                        });
                        ui.end_row();
                        ui.label("Format");
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut r.format, ReportFormat::Png, "PNG");
                            ui.radio_value(&mut r.format, ReportFormat::Pdf, "PDF");
                            ui.radio_value(&mut r.format, ReportFormat::Svg, "SVG");
                        });
                        ui.end_row();
                        ui.label("Paper");
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut r.paper, Paper::A4, "A4");
                            ui.radio_value(&mut r.paper, Paper::A3, "A3");
                            ui.separator();
                            ui.radio_value(&mut r.landscape, true, "Landscape");
                            ui.radio_value(&mut r.landscape, false, "Portrait");
                        });
                        ui.end_row();
                        ui.label("DPI");
                        ui.add_enabled_ui(r.format == ReportFormat::Png, |ui| {
                            ui.horizontal(|ui| {
                                for dpi in [150.0, 300.0, 600.0] {
                                    ui.radio_value(&mut r.dpi, dpi, format!("{dpi:.0}"));
                                }
                            });
                        });
                        ui.end_row();
                    });
                let size = match r.format {
                    ReportFormat::Png => {
                        let (w, h) = r.size_px();
                        format!("{w} × {h} pixels at {:.0} dpi", r.dpi)
                    }
                    _ => "Vectors with real text, sized to the paper".to_string(),
                };
                ui.label(RichText::new(size).weak());
                let usable = match r.extent {
                    ReportExtent::Ward => has_ward,
                    ReportExtent::Selection => has_selection,
                    _ => true,
                };
                if ui.add_enabled(usable, egui::Button::new("Export…")).clicked() {
                    let request = ReportRequest {
                        view_in_world,
                        ..r.clone()
                    };
                    command = Some(AppCommand::ExportReport(Box::new(request)));
                }
            });
        self.open = open && command.is_none();
        command
    }
}
