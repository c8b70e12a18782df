//! The window tests' harness: the app in an egui_kittest harness at the usual size, and a click where a test points.

use egui_kittest::Harness;
use locality_map::io::DataSource;
use locality_map::style::MapChoices;
use locality_map::ui::{ALL_ENGLAND, LoadedData, LocalityMapApp, Settings, load_data};
use std::path::PathBuf;
use std::sync::Arc;

/// The window's size in most window tests, in points.
pub const WINDOW_SIZE: [f32; 2] = [1400.0, 900.0];

/// `app` in a harness of `size` points, its first three frames run; with `instant_tooltips`, tooltips show at once
/// (set before the first frame), so a hover test needs no waiting.
pub fn harness_sized(app: LocalityMapApp, size: [f32; 2], instant_tooltips: bool) -> Harness<'static, LocalityMapApp> {
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut LocalityMapApp| app.show(ui), app);
    if instant_tooltips {
        harness
            .ctx
            .global_style_mut(|style| style.interaction.tooltip_delay = 0.0);
    }
    harness.run_steps(3);
    harness
}

/// `app` in a harness of [`WINDOW_SIZE`], its first three frames run.
pub fn app_harness(app: LocalityMapApp) -> Harness<'static, LocalityMapApp> {
    harness_sized(app, WINDOW_SIZE, false)
}

/// The window on the embedded Leeds default ([`super::window_leeds`]) with `settings`, in a harness of
/// [`WINDOW_SIZE`], its first three frames run.
pub fn leeds_harness(settings: Settings) -> Harness<'static, LocalityMapApp> {
    app_harness(LocalityMapApp::with_data(settings, super::window_leeds()))
}

/// The data in `folder`, loaded and tessellated as the window does, with its levels of detail built now (so a first
/// frame does not depend on the background thread's timing).
pub fn window_data_of(folder: PathBuf) -> Arc<LoadedData> {
    let source = DataSource::Folder(folder);
    let (dataset, meshes) = load_data(&source, &|_| {}).expect("the data folder loads");
    let data = Arc::new(LoadedData::new(source, dataset, meshes, 0.0));
    data.build_lod_now();
    data
}

/// The window's default settings comparing IMD `from` with IMD `to`.
pub fn comparing(from: u16, to: u16) -> Settings {
    Settings {
        choices: MapChoices {
            from,
            to,
            ..MapChoices::default()
        },
        ..Settings::default()
    }
}

/// The window's settings for All England, IMD 2015 to 2019.
pub fn all_england() -> Settings {
    Settings {
        choices: MapChoices {
            la: ALL_ENGLAND.into(),
            from: 2015,
            to: 2019,
            ..MapChoices::default()
        },
        ..Settings::default()
    }
}

/// A primary-button press and release at `at` (the pointer already there), without running a frame.
pub fn click_at<State>(harness: &mut Harness<'_, State>, at: egui::Pos2) {
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
    }
}
