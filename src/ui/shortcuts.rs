//! The keyboard and drag-and-drop as [`AppCommand`]s: the one place a shortcut is bound (menus show the same
//! command's shortcut text). The map's own keys (+, −, arrows) stay with the map widget, which owns the view.

use super::command::AppCommand;
use std::path::PathBuf;

/// The commands this frame's keys and dropped files ask for. Keys are left to a text field that has the focus.
pub fn shortcuts(ctx: &egui::Context) -> Vec<AppCommand> {
    let mut commands = Vec::new();
    let dropped: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !dropped.is_empty() {
        commands.push(AppCommand::LoadDropped(dropped));
    }
    if ctx.egui_wants_keyboard_input() {
        return commands;
    }
    ctx.input(|i| {
        let command = i.modifiers.command;
        let shift = i.modifiers.shift;
        let bindings = [
            (i.key_pressed(egui::Key::Num0), AppCommand::Fit),
            (i.key_pressed(egui::Key::Escape), AppCommand::ClearFocus),
            (command && !shift && i.key_pressed(egui::Key::Z), AppCommand::Undo),
            (command && shift && i.key_pressed(egui::Key::Z), AppCommand::Redo),
            (command && i.key_pressed(egui::Key::O), AppCommand::OpenDataFolder),
            (
                command && !shift && i.key_pressed(egui::Key::S),
                AppCommand::SaveProject,
            ),
            (
                command && shift && i.key_pressed(egui::Key::S),
                AppCommand::SaveProjectAs,
            ),
        ];
        commands.extend(bindings.into_iter().filter(|(pressed, _)| *pressed).map(|(_, c)| c));
    });
    commands
}
