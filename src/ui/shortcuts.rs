//! The keyboard and drag-and-drop as [`AppCommand`]s: the one place a shortcut is bound. [`SHORTCUTS`] is the table
//! the window's keys run from and the Help menu's sheet lists (menus show the same command's shortcut text);
//! [`MAP_KEYS`] are the map's own keys (+, −, arrows), which the map widget runs because it owns the view.

use super::command::AppCommand;
use std::path::PathBuf;

/// Which modifier a shortcut needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    /// None (or anything: Escape and 0 ignore modifiers).
    None,
    /// Ctrl (⌘ on a Mac), without Shift.
    Command,
    /// Ctrl (⌘) with Shift.
    CommandShift,
}

/// One key binding of the window.
#[derive(Clone, Copy, Debug)]
pub struct Shortcut {
    /// The key.
    pub key: egui::Key,
    /// With which modifier.
    pub modifier: Modifier,
    /// What it does, in the planner's words.
    pub description: &'static str,
    /// The command it runs.
    pub command: fn() -> AppCommand,
}

impl Shortcut {
    /// "Ctrl+Shift+S", as the sheet and the menus show it.
    pub fn keys_text(&self) -> String {
        let key = match self.key {
            egui::Key::Num0 => "0".to_string(),
            egui::Key::Escape => "Esc".to_string(),
            other => other.name().to_string(),
        };
        match self.modifier {
            Modifier::None => key,
            Modifier::Command => format!("Ctrl+{key}"),
            Modifier::CommandShift => format!("Ctrl+Shift+{key}"),
        }
    }

    fn pressed(&self, input: &egui::InputState) -> bool {
        let (command, shift) = (input.modifiers.command, input.modifiers.shift);
        let modifier = match self.modifier {
            Modifier::None => true,
            Modifier::Command => command && !shift,
            Modifier::CommandShift => command && shift,
        };
        modifier && input.key_pressed(self.key)
    }
}

/// Every key binding of the window, in the order the Help sheet lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        key: egui::Key::Num0,
        modifier: Modifier::None,
        description: "Fit the map to the LA",
        command: || AppCommand::Fit,
    },
    Shortcut {
        key: egui::Key::Escape,
        modifier: Modifier::None,
        description: "Drop the focus and the search highlight",
        command: || AppCommand::ClearFocus,
    },
    Shortcut {
        key: egui::Key::Z,
        modifier: Modifier::Command,
        description: "Undo the last selection change",
        command: || AppCommand::Undo,
    },
    Shortcut {
        key: egui::Key::Z,
        modifier: Modifier::CommandShift,
        description: "Redo the selection change undone",
        command: || AppCommand::Redo,
    },
    Shortcut {
        key: egui::Key::O,
        modifier: Modifier::Command,
        description: "Open a data folder",
        command: || AppCommand::OpenDataFolder,
    },
    Shortcut {
        key: egui::Key::S,
        modifier: Modifier::Command,
        description: "Save the project",
        command: || AppCommand::SaveProject,
    },
    Shortcut {
        key: egui::Key::S,
        modifier: Modifier::CommandShift,
        description: "Save the project as…",
        command: || AppCommand::SaveProjectAs,
    },
];

/// What one of the map's own keys does to the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MapKeyAction {
    /// Zoom about the map's centre by this factor.
    Zoom(f64),
    /// Move the map by this many points (right, down).
    Pan([f32; 2]),
}

/// One of the map's keys: the keys, their label on the sheet, and what they do.
#[derive(Clone, Copy, Debug)]
pub struct MapKey {
    /// The keys (any of them).
    pub keys: &'static [egui::Key],
    /// How the sheet shows them.
    pub keys_text: &'static str,
    /// What they do.
    pub description: &'static str,
    /// To the view.
    pub action: MapKeyAction,
}

/// Points an arrow key pans the map by.
const PAN_STEP: f32 = 80.0;

/// The map's keys, run by the map widget when the map, not a text field, has the keyboard.
pub const MAP_KEYS: &[MapKey] = &[
    MapKey {
        keys: &[egui::Key::Plus, egui::Key::Equals],
        keys_text: "+",
        description: "Zoom in",
        action: MapKeyAction::Zoom(1.5),
    },
    MapKey {
        keys: &[egui::Key::Minus],
        keys_text: "−",
        description: "Zoom out",
        action: MapKeyAction::Zoom(1.0 / 1.5),
    },
    MapKey {
        keys: &[egui::Key::ArrowLeft],
        keys_text: "←",
        description: "Move the map right (look west)",
        action: MapKeyAction::Pan([PAN_STEP, 0.0]),
    },
    MapKey {
        keys: &[egui::Key::ArrowRight],
        keys_text: "→",
        description: "Move the map left (look east)",
        action: MapKeyAction::Pan([-PAN_STEP, 0.0]),
    },
    MapKey {
        keys: &[egui::Key::ArrowUp],
        keys_text: "↑",
        description: "Move the map down (look north)",
        action: MapKeyAction::Pan([0.0, PAN_STEP]),
    },
    MapKey {
        keys: &[egui::Key::ArrowDown],
        keys_text: "↓",
        description: "Move the map up (look south)",
        action: MapKeyAction::Pan([0.0, -PAN_STEP]),
    },
];

/// The map keys pressed this frame, as actions on the view.
pub fn map_key_actions(input: &egui::InputState) -> Vec<MapKeyAction> {
    MAP_KEYS
        .iter()
        .filter(|k| k.keys.iter().any(|key| input.key_pressed(*key)))
        .map(|k| k.action)
        .collect()
}

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
        commands.extend(SHORTCUTS.iter().filter(|s| s.pressed(i)).map(|s| (s.command)()));
    });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_shortcuts_share_a_key_and_the_sheet_text_names_the_modifier() {
        for (i, a) in SHORTCUTS.iter().enumerate() {
            for b in &SHORTCUTS[i + 1..] {
                assert!(a.keys_text() != b.keys_text(), "{} twice", a.keys_text());
            }
        }
        let save_as = SHORTCUTS
            .iter()
            .find(|s| (s.command)() == AppCommand::SaveProjectAs)
            .unwrap();
        assert_eq!(save_as.keys_text(), "Ctrl+Shift+S");
        let fit = SHORTCUTS.iter().find(|s| (s.command)() == AppCommand::Fit).unwrap();
        assert_eq!(fit.keys_text(), "0");
    }
}
