//! MHCLG's area summary measures on the real national files: every LA × every index of IMD 2019, and the ward
//! league of every LA in England. Run: `cargo bench --bench area_summaries`. Figures go in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_map::analysis::AreaSummaryTable;
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{Dataset, Index};
// The same allocator as the binary, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

fn national() -> Dataset {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let options = LoadOptions {
        boundaries: false,
        ..LoadOptions::default()
    };
    load_dataset(&DataSource::Folder(shared), &options).expect("../shared/data loads")
}

fn area_summaries(c: &mut Criterion) {
    let dataset = national();
    let mut group = c.benchmark_group("area_summaries");
    group.sample_size(10);
    group.bench_function("IMD 2019: 317 LAs x 10 indices, every measure and rank", |b| {
        b.iter(|| {
            Index::ALL
                .into_iter()
                .map(|index| {
                    AreaSummaryTable::las(&dataset, 2019, index, None)
                        .expect("summary")
                        .rows
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("IMD 2015 recast onto the 2019 LAs, IMD", |b| {
        b.iter(|| AreaSummaryTable::las(&dataset, 2015, Index::Imd, Some(2019)).expect("summary"))
    });
    group.bench_function(
        "IMD 2019 ward league of every LA in England, at once (317 LAs, 6,800 wards)",
        |b| {
            b.iter(|| {
                AreaSummaryTable::ward_leagues(&dataset, 2019, Index::Imd)
                    .expect("wards")
                    .len()
            })
        },
    );
    let las: Vec<String> = dataset
        .local_authorities(2019)
        .into_iter()
        .map(|(code, _)| code.to_string())
        .collect();
    group.bench_function(
        "IMD 2019 ward league of every LA in England, one LA at a time (as the window asks)",
        |b| {
            b.iter(|| {
                las.iter()
                    .map(|la| {
                        AreaSummaryTable::wards(&dataset, 2019, Index::Imd, la)
                            .expect("wards")
                            .rows
                            .len()
                    })
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, area_summaries);
criterion_main!(benches);
