//! The in-window path field, shown instead of a file dialog where none can open (see `path_prompt.rs`): a text field
//! starting in the last folder used, the folder's matching entries listed as the planner types (click one, or Tab
//! for the first), and Save/Open/Cancel. It returns [`AppCommand::AnswerPath`].

use super::command::AppCommand;
use super::path_prompt::{Completion, PathPrompt, PromptKind, completions};
use egui::{Color32, RichText};
use std::path::{Path, PathBuf};

/// The field's own state.
#[derive(Default)]
pub struct PathFieldState {
    /// The text typed.
    text: String,
    /// The prompt the text was started for (a new prompt starts again from the last folder).
    started_for: Option<(String, PromptKind)>,
    /// The entries listed for `listed_for`, kept until the text changes.
    listed: Vec<Completion>,
    listed_for: Option<String>,
}

impl PathFieldState {
    /// Draws the field for `prompt`.
    pub fn show(&mut self, ctx: &egui::Context, prompt: &PathPrompt, last_folder: Option<&Path>) -> Option<AppCommand> {
        let key = (prompt.title.clone(), prompt.kind.clone());
        if self.started_for.as_ref() != Some(&key) {
            self.text = prompt.initial_text(last_folder);
            self.started_for = Some(key);
            self.listed_for = None;
        }
        let mut answer = None;
        egui::Window::new(format!("{} — type the path", prompt.title))
            .id(egui::Id::unique("path-field"))
            .collapsible(false)
            .default_width(620.0)
            .show(ctx, |ui| {
                ui.label(
                    "No file dialog can open on this desktop (no XDG desktop portal, zenity or kdialog), so type the \
                     path here. The folder's entries are listed as you type.",
                );
                let field = egui::TextEdit::singleline(&mut self.text)
                    .id(egui::Id::unique("path-field-text"))
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace);
                let response = ui.add(field);
                if self.listed_for.as_deref() != Some(self.text.as_str()) {
                    self.listed = completions(&self.text, &prompt.kind);
                    self.listed_for = Some(self.text.clone());
                }
                if response.has_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Tab))
                    && let Some(first) = self.listed.first()
                {
                    self.text = first.text.clone();
                }
                let problem = prompt.problem(&self.text);
                let path = PathBuf::from(self.text.trim());
                match &problem {
                    Some(problem) => {
                        ui.label(RichText::new(problem).color(Color32::from_rgb(0x80, 0x10, 0x10)));
                    }
                    None if matches!(prompt.kind, PromptKind::Save { .. }) && path.exists() => {
                        ui.label(
                            RichText::new("This file exists and will be replaced.")
                                .color(Color32::from_rgb(0x99, 0x5a, 0)),
                        );
                    }
                    None => {}
                }
                let mut chosen = None;
                egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                    for entry in &self.listed {
                        let label = if entry.is_dir {
                            format!("{}{}", entry.name, std::path::MAIN_SEPARATOR)
                        } else {
                            entry.name.clone()
                        };
                        if ui.selectable_label(false, label).clicked() {
                            chosen = Some(entry.text.clone());
                        }
                    }
                });
                if let Some(text) = chosen {
                    self.text = text;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let verb = match prompt.kind {
                        PromptKind::Save { .. } => "Save to this path",
                        PromptKind::Open { .. } => "Open this file",
                        PromptKind::Folder => "Open this folder",
                    };
                    let ok = ui.add_enabled(problem.is_none(), egui::Button::new(verb)).clicked();
                    if (ok || enter) && problem.is_none() {
                        answer = Some(AppCommand::AnswerPath(Some(path.clone())));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(AppCommand::AnswerPath(None));
                    }
                });
            });
        if answer.is_some() {
            self.started_for = None;
        }
        answer
    }
}
