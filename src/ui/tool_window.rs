//! The floating tool windows' one frame (ward league, area groups, local indicators, LA league table): shown while
//! its open flag is set, the title bar's cross clearing it, at a default size the first time.

/// Shows the window titled `title` while `*open`; returns what `body` returned when the window's contents were drawn
/// (not when it is closed or collapsed).
pub fn tool_window<R>(
    ctx: &egui::Context,
    title: &str,
    open: &mut bool,
    [width, height]: [f32; 2],
    body: impl FnOnce(&mut egui::Ui) -> R,
) -> Option<R> {
    if !*open {
        return None;
    }
    egui::Window::new(title)
        .open(open)
        .default_width(width)
        .default_height(height)
        .show(ctx, body)
        .and_then(|response| response.inner)
}
