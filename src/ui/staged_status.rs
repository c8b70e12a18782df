//! What the window says while the rest of a staged load comes in under a map already drawn: the progress in the
//! status bar, and "loading…" in the tool windows whose figures need the whole data (the LA league, the ward league,
//! the area groups, the local indicators) instead of figures from the first part.

use super::session::Session;
use super::tool_window::tool_window;
use egui::RichText;

/// The tool windows whose figures wait for the whole load, by title, with their open flags.
pub struct WaitingWindows<'a> {
    /// (title, open flag, default size)
    pub windows: Vec<(&'static str, &'a mut bool, [f32; 2])>,
}

/// The status bar's spinner and sentence while the rest loads (nothing otherwise).
pub fn rest_loading_ui(ui: &mut egui::Ui, session: &Session) {
    let Some(job) = session.job().filter(|job| job.first_part.is_some()) else {
        return;
    };
    ui.spinner();
    ui.label(format!("{} ({:.1} s)", job.stage, job.started.elapsed().as_secs_f32()));
}

/// True while the whole data is still loading behind a first part: the windows in `waiting` then say so instead of
/// drawing figures (the caller skips them).
pub fn waiting_windows_ui(ctx: &egui::Context, session: &Session, waiting: WaitingWindows<'_>) -> bool {
    if !session.rest_loading() {
        return false;
    }
    for (title, open, size) in waiting.windows {
        tool_window(ctx, title, open, size, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    RichText::new(
                        "loading… — these figures need every edition and table of the data folder, still being read",
                    )
                    .weak(),
                );
            });
        });
    }
    true
}
