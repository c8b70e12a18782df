//! Frame time of the "All England" map window (34,753 LSOAs of the national file, 1400 x 900 points, legend open,
//! distribution panel closed but in one case) through egui's own test harness, at four zooms from the whole country to a street: idle
//! and panning, zooming across the level-of-detail bands, and a frame that redraws the map image. CPU work of a frame:
//! our UI (with, when the image must be redrawn at once, building the meshes and rasterising them), then egui's
//! tessellation of the rest. Run: `WGPU_BACKEND=gl cargo bench --bench frame_national`.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use locality_map::io::DataSource;
use locality_map::style::MapChoices;
use locality_map::ui::{ALL_ENGLAND, LoadedData, LocalityMapApp, Settings, load_data};
use std::path::PathBuf;
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn national_data() -> Arc<LoadedData> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let source = DataSource::Folder(folder);
    let (dataset, lsoa_meshes) = load_data(&source, &|_| {}).expect("../shared/data loads");
    let data = Arc::new(LoadedData::new(source, dataset, lsoa_meshes, 0.0));
    data.build_lod_now();
    data
}

/// The national map zoomed in `steps` times by 1.5 about the map's centre (key `+`); the distribution panel (its
/// scatter plot of every LSOA is the panel's cost, not the map's) only when asked.
fn harness_with(data: &Arc<LoadedData>, steps: usize, distribution: bool) -> Harness<'static, LocalityMapApp> {
    let settings = Settings {
        choices: MapChoices {
            la: ALL_ENGLAND.into(),
            from: 2015,
            to: 2019,
            ..MapChoices::default()
        },
        show_distribution: distribution,
        ..Settings::default()
    };
    let app = LocalityMapApp::with_data(settings, data.clone());
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut LocalityMapApp| app.show(ui), app);
    harness.run_steps(3);
    for _ in 0..steps {
        harness.key_press(egui::Key::Plus);
        harness.step();
    }
    harness.run_steps(2);
    harness
}

fn harness(data: &Arc<LoadedData>, steps: usize) -> Harness<'static, LocalityMapApp> {
    harness_with(data, steps, false)
}

/// One frame's CPU work: run the UI, then tessellate what it painted (what eframe does before handing to the GPU).
fn cpu_frame(harness: &mut Harness<'static, LocalityMapApp>) -> usize {
    harness.step();
    let shapes = harness.output().shapes.clone();
    harness.ctx.tessellate(shapes, 1.0).len()
}

fn frames(c: &mut Criterion) {
    let data = national_data();
    let mut group = c.benchmark_group("frame_national");
    group.sample_size(20);
    let centre = egui::pos2(760.0, 380.0);
    let mut h = harness_with(&data, 0, true);
    group.bench_function("idle, whole country, distribution panel open", |b| {
        b.iter(|| cpu_frame(&mut h))
    });
    for steps in [0, 5, 9, 14] {
        let mut h = harness(&data, steps);
        let metres_per_point = h.state().view().metres_per_point;
        let label = format!("{metres_per_point:.0} m per point");
        group.bench_function(format!("idle, {label}"), |b| b.iter(|| cpu_frame(&mut h)));
        let mut h = harness(&data, steps);
        let mut direction = 1.0;
        group.bench_function(format!("panning, {label}"), |b| {
            b.iter(|| {
                direction = -direction;
                h.event(egui::Event::PointerMoved(centre));
                h.event(egui::Event::PointerButton {
                    pos: centre,
                    button: egui::PointerButton::Primary,
                    pressed: true,
                    modifiers: Default::default(),
                });
                h.event(egui::Event::PointerMoved(centre + egui::vec2(15.0 * direction, 8.0)));
                cpu_frame(&mut h)
            })
        });
    }
    // A frame that redraws the map image at once (the colours changed: new content, so no stand-in): building the
    // fill, line and marker meshes for the view and rasterising them into the image on the CPU. While the view moves
    // this work is done on a worker instead, between frames.
    for steps in [0, 9] {
        let mut h = harness(&data, steps);
        let metres_per_point = h.state().view().metres_per_point;
        let mut deuteranopia = false;
        let label = format!("redrawing the map image, {metres_per_point:.0} m per point");
        group.bench_function(label, |b| {
            b.iter(|| {
                deuteranopia = !deuteranopia;
                h.state_mut().settings.colour_vision = if deuteranopia {
                    locality_map::style::ColourVision::Deuteranopia
                } else {
                    locality_map::style::ColourVision::Normal
                };
                cpu_frame(&mut h)
            })
        });
    }
    // Zooming in and out by wheel steps across every band: 30 steps in, 30 out, one per frame.
    let mut h = harness(&data, 0);
    let mut step = 0usize;
    group.bench_function("zooming across all bands", |b| {
        b.iter(|| {
            step += 1;
            let delta = if (step / 30).is_multiple_of(2) { 120.0 } else { -120.0 };
            h.event(egui::Event::PointerMoved(centre));
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                phase: egui::TouchPhase::Move,
                modifiers: Default::default(),
                source: egui::MouseWheelSource::Wheel,
            });
            cpu_frame(&mut h)
        })
    });
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
