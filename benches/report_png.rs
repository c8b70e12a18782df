//! The report PNG export on the embedded Leeds data: the A4 300 dpi page and a 3000 × 3000 page, rendered and
//! encoded to PNG in memory (the file write is left out: it measures the disk, not us).
//! Run: `cargo bench --bench report_png`.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::{ReportOptions, default_title, render_report, write_png};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::style::MapMode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn report_png(c: &mut Criterion) {
    let dataset = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
    let comparison = EditionComparison::new(&dataset, &AreaFilter::parse("Leeds"), 2015, 2019).expect("Leeds");
    let a4 = ReportOptions::a4_landscape_300dpi(default_title("Leeds", MapMode::RankChange, 2015, 2019));
    let square = ReportOptions {
        width_px: 3000,
        height_px: 3000,
        ..a4.clone()
    };
    let mut group = c.benchmark_group("report_png");
    group.sample_size(10);
    for (name, options) in [("leeds A4 300 dpi", &a4), ("leeds 3000x3000", &square)] {
        group.bench_function(format!("{name}: render"), |b| {
            b.iter(|| render_report(&dataset, &comparison, options).expect("renders"))
        });
        group.bench_function(format!("{name}: render + encode"), |b| {
            b.iter(|| {
                let report = render_report(&dataset, &comparison, options).expect("renders");
                let mut bytes = Vec::with_capacity(4 << 20);
                write_png(&report.image, options.dpi, &mut bytes).expect("encodes");
                bytes.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, report_png);
criterion_main!(benches);
