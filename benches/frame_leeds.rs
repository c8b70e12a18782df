//! Frame time of the Leeds map window, through egui's own test harness: idle, panning and zooming, as the CPU work of
//! a frame (our UI and mesh building, then egui's tessellation) and as a full frame rasterised by wgpu (llvmpipe here).
//! Run: `WGPU_BACKEND=gl cargo bench --bench frame_leeds`.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use locality_map::io::DataSource;
use locality_map::ui::{LoadedData, LocalityMapApp, Settings, load_data};
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn leeds_harness() -> Harness<'static, LocalityMapApp> {
    let (dataset, lsoa_meshes) = load_data(&DataSource::Embedded, &|_| {}).expect("embedded default loads");
    let data = Arc::new(LoadedData::new(DataSource::Embedded, dataset, lsoa_meshes, 0.0));
    let app = LocalityMapApp::with_data(Settings::default(), data);
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut LocalityMapApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

/// One frame's CPU work: run the UI, then tessellate what it painted (what eframe does before handing to the GPU).
fn cpu_frame(harness: &mut Harness<'static, LocalityMapApp>) -> usize {
    harness.step();
    let shapes = harness.output().shapes.clone();
    harness.ctx.tessellate(shapes, 1.0).len()
}

/// What one idle frame paints, printed once so that two builds' timings can be read against what each draws: a frame
/// that paints more text or more vertices costs more for that reason alone.
fn print_frame_content(harness: &mut Harness<'static, LocalityMapApp>) {
    harness.step();
    let shapes = harness.output().shapes.clone();
    let texts = shapes
        .iter()
        .filter(|clipped| matches!(clipped.shape, egui::Shape::Text(_)))
        .count();
    let primitives = harness.ctx.tessellate(shapes.clone(), 1.0);
    let (mut vertices, mut indices) = (0, 0);
    for primitive in &primitives {
        if let egui::epaint::Primitive::Mesh(mesh) = &primitive.primitive {
            vertices += mesh.vertices.len();
            indices += mesh.indices.len();
        }
    }
    eprintln!(
        "frame_leeds idle frame content: {} shapes ({texts} text), {vertices} vertices, {indices} indices",
        shapes.len()
    );
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_leeds");
    print_frame_content(&mut leeds_harness());
    group.sample_size(30);
    let centre = egui::pos2(760.0, 330.0);

    let mut harness = leeds_harness();
    group.bench_function("idle: ui + tessellate", |b| b.iter(|| cpu_frame(&mut harness)));

    let mut harness = leeds_harness();
    let mut direction = 1.0;
    group.bench_function("panning: ui + tessellate", |b| {
        b.iter(|| {
            // A drag of 15 points per frame, back and forth.
            direction = -direction;
            harness.event(egui::Event::PointerMoved(centre));
            harness.event(egui::Event::PointerButton {
                pos: centre,
                button: egui::PointerButton::Primary,
                pressed: true,
                modifiers: Default::default(),
            });
            harness.event(egui::Event::PointerMoved(centre + egui::vec2(15.0 * direction, 8.0)));
            cpu_frame(&mut harness)
        })
    });

    let mut harness = leeds_harness();
    let mut zoom_in = true;
    group.bench_function("zooming: ui + tessellate", |b| {
        b.iter(|| {
            zoom_in = !zoom_in;
            let delta = if zoom_in { 120.0 } else { -120.0 };
            harness.event(egui::Event::PointerMoved(centre));
            harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                phase: egui::TouchPhase::Move,
                modifiers: Default::default(),
                source: egui::MouseWheelSource::Wheel,
            });
            cpu_frame(&mut harness)
        })
    });

    let mut harness = leeds_harness();
    group.sample_size(10);
    group.bench_function("idle: full frame rasterised by wgpu", |b| {
        b.iter(|| {
            harness.step();
            harness.render().expect("renders")
        })
    });
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
