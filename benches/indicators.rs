//! Local indicators: loading 24 police.uk months, aggregating a national LSOA indicator (34,753 real LSOA codes ×
//! 36 months, made here) to every LA, and the emerging-issues scan over every LSOA.
//! Run: `cargo bench --bench indicators`. Figures go in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_map::analysis::{EmergingOptions, Level, aggregate, scan_emerging};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{AreaLevel, Dataset, Indicator, IndicatorArea, IndicatorUnit, LsoaVintage, Period};
use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

fn load_police(c: &mut Criterion) {
    let folder = shared().join("indicators/police_uk_city_of_london");
    let options = LoadOptions {
        boundaries: false,
        edition_hint: None,
        ..LoadOptions::default()
    };
    let mut group = c.benchmark_group("indicators_load");
    group.sample_size(10);
    group.bench_function(
        "24 police.uk months + re-download (19,172 rows): read, dedupe, per-type indicators",
        |b| b.iter(|| load_dataset(&DataSource::Folder(folder.clone()), &options).expect("loads")),
    );
    group.finish();
}

/// File 6 and the 2011 ward lookup, plus an indicator of every LSOA in the lookup × 36 months (a fixed-seed
/// pseudo-random count with a seasonal swing).
fn national() -> (Dataset, Indicator) {
    let data = shared();
    let files = vec![
        data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv"),
        data.join("lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv"),
    ];
    let options = LoadOptions {
        boundaries: false,
        edition_hint: Some(2019),
        ..LoadOptions::default()
    };
    let dataset = load_dataset(&DataSource::Files(files), &options).expect("loads");
    let lookup = dataset.ward_lookups.get(&LsoaVintage::Lsoa2011).expect("ward lookup");
    let areas: Vec<IndicatorArea> = lookup
        .by_lsoa
        .keys()
        .map(|code| IndicatorArea {
            code: *code,
            name: String::new(),
            la_code: None,
            la_name: String::new(),
        })
        .collect();
    let start = Period::month(2022, 1).expect("month");
    let periods: Vec<Period> = (0..36).filter_map(|i| start.offset(i)).collect();
    let mut indicator = Indicator::new(
        "bench",
        "bench",
        IndicatorUnit::Count,
        AreaLevel::Lsoa(LsoaVintage::Lsoa2011),
        periods,
        areas,
    );
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for a in 0..indicator.areas.len() {
        for p in 0..36 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let seasonal = 1.0 + 0.3 * ((p % 12) as f64 / 12.0 * std::f64::consts::TAU).sin();
            indicator.set(a, p, ((seed % 10) as f64 * seasonal).round());
        }
    }
    (dataset, indicator)
}

fn national_indicator(c: &mut Criterion) {
    let (dataset, indicator) = national();
    assert_eq!(indicator.areas.len(), 34_753);
    let mut group = c.benchmark_group("indicators_national");
    group.sample_size(10);
    group.bench_function(
        "34,753 LSOAs x 36 months aggregated to every LA (counts + File 6 populations)",
        |b| b.iter(|| aggregate(&dataset, &indicator, Level::La, None).expect("aggregates")),
    );
    let lsoas = aggregate(&dataset, &indicator, Level::Lsoa, None).expect("aggregates");
    group.bench_function(
        "emerging-issue scan over 34,753 LSOAs (same months of 2 earlier years, Poisson tail)",
        |b| b.iter(|| scan_emerging(&lsoas, &EmergingOptions::default())),
    );
    group.finish();
}

criterion_group!(benches, load_police, national_indicator);
criterion_main!(benches);
