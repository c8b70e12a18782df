//! The Help menu's windows: the keyboard-shortcut sheet (listed from the real binding tables in `shortcuts.rs`, so it
//! cannot drift from what the keys do), "How to read this map" (ranks are relative; the 1% line of each edition; what
//! change means; comparing with 2025), and the README's section on data folders (compiled in, so it matches this
//! build).

use super::command::{AppCommand, AppWindow};
use super::shortcuts::{MAP_KEYS, SHORTCUTS};
use crate::model::{national_lsoas, top1_threshold};
use egui::RichText;

/// The README, compiled in.
const README: &str = include_str!("../../README.md");

/// The README heading of its data section.
pub const README_DATA_HEADING: &str = "## Using your own data folder";

/// Which help windows are open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HelpState {
    /// The keyboard-shortcut sheet.
    pub shortcuts: bool,
    /// "How to read this map".
    pub reading: bool,
    /// The README's data section.
    pub data: bool,
}

/// A help window to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpTopic {
    /// The keyboard-shortcut sheet.
    Shortcuts,
    /// How to read this map.
    Reading,
    /// The README's data section.
    Data,
}

impl HelpState {
    /// Opens a topic's window.
    pub fn open(&mut self, topic: HelpTopic) {
        match topic {
            HelpTopic::Shortcuts => self.shortcuts = true,
            HelpTopic::Reading => self.reading = true,
            HelpTopic::Data => self.data = true,
        }
    }
}

/// The Help menu's entries (About is the chrome's).
pub fn help_menu_ui(ui: &mut egui::Ui, commands: &mut Vec<AppCommand>) {
    for (label, topic) in [
        ("Keyboard shortcuts…", HelpTopic::Shortcuts),
        ("How to read this map…", HelpTopic::Reading),
        ("Data: using your own data folder (README)…", HelpTopic::Data),
    ] {
        if ui.button(label).clicked() {
            commands.push(AppCommand::Show(AppWindow::Help(topic)));
        }
    }
}

/// Draws the help windows that are open.
pub fn help_windows(ctx: &egui::Context, state: &mut HelpState) {
    // Placed clear of the menu bar and of each other.
    egui::Window::new("Keyboard shortcuts")
        .open(&mut state.shortcuts)
        .default_pos([300.0, 90.0])
        .default_width(420.0)
        .show(ctx, shortcut_sheet_ui);
    egui::Window::new("How to read this map")
        .open(&mut state.reading)
        .default_pos([740.0, 90.0])
        .default_width(560.0)
        .show(ctx, reading_ui);
    egui::Window::new("Data: using your own data folder")
        .open(&mut state.data)
        .default_pos([320.0, 140.0])
        .default_width(760.0)
        .default_height(520.0)
        .show(ctx, |ui| {
            egui::ScrollArea::both().show(ui, readme_data_ui);
        });
}

/// The sheet: every window shortcut, then the map's keys and the mouse.
pub fn shortcut_sheet_ui(ui: &mut egui::Ui) {
    egui::Grid::new("shortcut-sheet")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for shortcut in SHORTCUTS {
                ui.label(RichText::new(shortcut.keys_text()).monospace().strong());
                ui.label(shortcut.description);
                ui.end_row();
            }
        });
    ui.separator();
    ui.label(RichText::new("On the map").strong());
    egui::Grid::new("map-keys").striped(true).num_columns(2).show(ui, |ui| {
        for key in MAP_KEYS {
            ui.label(RichText::new(key.keys_text).monospace().strong());
            ui.label(key.description);
            ui.end_row();
        }
        for (keys, what) in [
            ("Wheel", "Zoom about the pointer"),
            ("Click", "Select an LSOA and open its ward's profile"),
            ("Shift+click", "Add an LSOA to the selection, or take it out"),
            ("Middle-drag", "Pan, whatever the drag tool"),
        ] {
            ui.label(RichText::new(keys).monospace().strong());
            ui.label(what);
            ui.end_row();
        }
    });
    ui.label(
        RichText::new("Keys go to the search field while it has the cursor; press Esc or click the map first.").weak(),
    );
}

/// The paragraphs of "How to read this map", with each edition's N and 1% line from the model.
pub fn reading_paragraphs() -> Vec<String> {
    let line = |year: u16| {
        national_lsoas(year).map_or_else(
            || format!("IMD {year}: not known"),
            |n| {
                format!(
                    "IMD {year}: {} LSOAs, the 1% is rank ≤ {}",
                    grouped(n),
                    top1_threshold(n)
                )
            },
        )
    };
    vec![
        "Ranks are relative. Rank 1 is the most deprived LSOA in England. A rank says how an area compares with every \
         other LSOA in that edition, not how deprived it is in absolute terms: an area can improve and still fall \
         in rank if others improved faster."
            .into(),
        format!(
            "The most deprived 1% is rank ≤ floor(N/100), where N is the number of LSOAs the edition ranks nationally \
             ({}; {}; {}). Orange on the map is the 1%; decile 1 is the most deprived 10%.",
            line(2015),
            line(2019),
            line(2025)
        ),
        "Change = later rank − earlier rank. Negative means the area became more deprived relative to England \
         (worsened, red); positive means less deprived (improved, green)."
            .into(),
        format!(
            "IMD 2025 is on the 2021 LSOAs and ranks {} of them, against {} 2011 LSOAs in 2015 and 2019. Compare 2019 \
             with 2025 by percentile (rank / N, each edition's own N), not raw rank: a raw rank change mixes real \
             change with the {} extra LSOAs. Earlier ranks are brought onto 2021 LSOAs with the ONS 2011 to 2021 LSOA lookup.",
            grouped(national_lsoas(2025).unwrap_or_default()),
            grouped(national_lsoas(2019).unwrap_or_default()),
            national_lsoas(2025)
                .unwrap_or_default()
                .saturating_sub(national_lsoas(2019).unwrap_or_default())
        ),
        "A priority ward has at least one LSOA in the most deprived 1%.".into(),
    ]
}

/// 33755 → "33,755".
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn reading_ui(ui: &mut egui::Ui) {
    for paragraph in reading_paragraphs() {
        ui.label(paragraph);
        ui.add_space(4.0);
    }
}

/// The README's data section: from its heading to the next heading of the same level.
pub fn readme_data_section() -> &'static str {
    let Some(start) = README.find(README_DATA_HEADING) else {
        return "";
    };
    let rest = &README[start..];
    let body_start = README_DATA_HEADING.len();
    let end = rest[body_start..]
        .find("\n## ")
        .map_or(rest.len(), |i| body_start + i + 1);
    &rest[..end]
}

fn readme_data_ui(ui: &mut egui::Ui) {
    let mut in_code = false;
    for line in readme_data_section().lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            ui.label(RichText::new(line).monospace());
        } else if let Some(heading) = line.strip_prefix("### ").or_else(|| line.strip_prefix("## ")) {
            ui.add_space(6.0);
            ui.label(RichText::new(heading).strong().size(15.0));
        } else if !line.trim().is_empty() {
            // The proportional font has no arrows.
            ui.label(line.replace('`', "").replace('→', "->"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_guide_states_each_editions_1_percent_line() {
        let text = reading_paragraphs().join("\n");
        assert!(text.contains("IMD 2019: 32,844 LSOAs, the 1% is rank ≤ 328"), "{text}");
        assert!(text.contains("IMD 2025: 33,755 LSOAs, the 1% is rank ≤ 337"), "{text}");
        assert_eq!(grouped(911), "911");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert!(text.contains("Negative means the area became more deprived"));
        assert!(text.contains("percentile"));
        assert!(text.contains("911 extra LSOAs"), "33,755 − 32,844");
    }

    #[test]
    fn the_readme_data_section_is_found_and_stops_at_the_next_section() {
        let section = readme_data_section();
        assert!(section.starts_with(README_DATA_HEADING), "{section:.80}");
        assert!(section.contains("--data"));
        assert!(!section.contains("\n## "), "one section only");
    }
}
