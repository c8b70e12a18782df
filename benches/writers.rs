//! The four new writers, in memory (the file write is left out: it measures the disk): the briefing workbook, the
//! GeoPackage, the single-file web map and the PDF report (A4 landscape, the LA page; and with the ward pages), for
//! Leeds on the embedded data and, when `../shared/data` is present, for all of England.
//! Run: `cargo bench --bench writers`.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::{
    CivilDate, Paper, ReportOptions, WebMapOptions, briefing_workbook, default_title, geopackage_bytes, paper_options,
    pdf_report, web_map,
};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use locality_map::style::{MapFill, MapMode};
use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_area(c: &mut Criterion, label: &str, dataset: &Dataset, area: &str) {
    let comparison = EditionComparison::new(dataset, &AreaFilter::parse(area), 2015, 2019).expect("compares");
    let title = default_title(&comparison.la_name, MapMode::RankChange, 2015, 2019);
    let page = paper_options(&ReportOptions::a4_landscape_300dpi(title.clone()), Paper::A4, true);
    let web = WebMapOptions {
        title,
        fill: MapFill::of_mode(MapMode::RankChange),
        export_date: CivilDate::today(),
    };
    let sizes = [
        (
            "xlsx",
            briefing_workbook(dataset, &comparison, CivilDate::today()).map(|b| b.len()),
        ),
        ("gpkg", geopackage_bytes(dataset, &comparison).map(|b| b.len())),
        ("html", web_map(dataset, &comparison, &web).map(|m| m.html.len())),
        ("pdf", pdf_report(dataset, &comparison, &page, false).map(|b| b.len())),
    ];
    for (name, size) in sizes {
        eprintln!("{label} {name}: {} bytes", size.expect("writes"));
    }
    let mut group = c.benchmark_group(format!("writers {label}"));
    group.sample_size(10);
    group.bench_function("xlsx workbook", |b| {
        b.iter(|| briefing_workbook(dataset, &comparison, CivilDate::today()).unwrap())
    });
    group.bench_function("gpkg", |b| b.iter(|| geopackage_bytes(dataset, &comparison).unwrap()));
    group.bench_function("html web map", |b| {
        b.iter(|| web_map(dataset, &comparison, &web).unwrap())
    });
    group.bench_function("pdf LA page", |b| {
        b.iter(|| pdf_report(dataset, &comparison, &page, false).unwrap())
    });
    if area != "all" {
        group.bench_function("pdf with ward pages", |b| {
            b.iter(|| pdf_report(dataset, &comparison, &page, true).unwrap())
        });
    }
    group.finish();
}

fn writers(c: &mut Criterion) {
    let embedded = load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads");
    bench_area(c, "leeds", &embedded, "Leeds");
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if shared.is_dir() {
        let national = load_dataset(&DataSource::Folder(shared), &LoadOptions::default()).expect("shared data loads");
        bench_area(c, "england", &national, "all");
    } else {
        eprintln!("SKIPPED: ../shared/data absent; the All England writers are not measured");
    }
}

criterion_group!(benches, writers);
criterion_main!(benches);
