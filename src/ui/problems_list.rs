//! The problems found in the data, ranked by what they change for the planner: errors (a file or figures in it could
//! not be used) first, then warnings, each listed; notes (expected, nothing lost) folded away, counted apart.

use crate::model::{JoinReport, Problem, Severity};
use egui::{Color32, RichText};

/// The status bar's link to the problems window, counting each kind apart (`2 warnings and 11 notes…`); notes alone
/// read as notes, not problems. Returns whether it was clicked.
pub fn problems_link_ui(ui: &mut egui::Ui, report: &JoinReport) -> bool {
    let Some(counts) = report.counts_in_words() else {
        return false;
    };
    let serious = report.count_at_least(Severity::Warning) > 0;
    let text = if serious {
        RichText::new(format!("{counts} in the data…"))
    } else {
        RichText::new(format!("{counts} on the data (nothing lost)…")).weak()
    };
    ui.link(text).clicked()
}

/// The problems window's content: errors, then warnings, then the notes folded.
pub fn problems_ui(ui: &mut egui::Ui, report: &JoinReport) {
    let ranked = report.ranked();
    ui.label(format!(
        "{} files read; {}.",
        report.files.len(),
        report.counts_in_words().unwrap_or_else(|| "no problems".into())
    ));
    egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
        let errors: Vec<&&Problem> = ranked.iter().filter(|p| p.severity == Severity::Error).collect();
        if !errors.is_empty() {
            ui.label(RichText::new("Errors — figures are missing because a file could not be used").strong());
            for problem in errors {
                problem_ui(ui, problem, Color32::from_rgb(0xb2, 0x18, 0x2b));
            }
        }
        let warnings: Vec<&&Problem> = ranked.iter().filter(|p| p.severity == Severity::Warning).collect();
        if !warnings.is_empty() {
            ui.label(RichText::new("Warnings — worth knowing before reading the figures").strong());
            for problem in warnings {
                problem_ui(ui, problem, Color32::from_rgb(0x99, 0x5a, 0x00));
            }
        }
        let notes: Vec<&&Problem> = ranked.iter().filter(|p| p.severity == Severity::Note).collect();
        if !notes.is_empty() {
            egui::CollapsingHeader::new(format!("Notes ({}) — expected, or nothing was lost", notes.len()))
                .id_salt("problem-notes")
                .default_open(false)
                .show(ui, |ui| {
                    for problem in notes {
                        problem_ui(ui, problem, ui.visuals().text_color());
                    }
                });
        }
    });
}

fn problem_ui(ui: &mut egui::Ui, problem: &Problem, colour: Color32) {
    ui.label(RichText::new(problem.to_string()).color(colour));
}
