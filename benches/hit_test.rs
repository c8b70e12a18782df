//! Hit-testing 100,000 random points over England and Wales against the national LSOA layer (R-tree, then exact
//! point-in-polygon). Run: `cargo bench --bench hit_test`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::Coord;
use locality_map::io::read_geojson;
use locality_map::model::{AreaLayer, JoinReport};
use std::path::PathBuf;

// The same allocator as the binary, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A fixed-seed generator so every run queries the same points (xorshift64*).
fn random_points(count: usize, extent: geo::Rect<f64>) -> Vec<Coord<f64>> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|_| Coord {
            x: extent.min().x + next() * extent.width(),
            y: extent.min().y + next() * extent.height(),
        })
        .collect()
}

fn hit_test(c: &mut Criterion) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson");
    let bytes = std::fs::read(&path).expect("read");
    let file = read_geojson(&path, &bytes, &mut JoinReport::default()).expect("parses");
    let layer = AreaLayer::new(file.kind, file.areas, vec![]);
    let extent = layer.bbox_where(|_| true).expect("extent");
    let points = random_points(100_000, extent);
    // `bench/compare.sh` queries the very same points with shapely.
    if let Some(out) = std::env::var_os("HIT_TEST_POINTS") {
        let csv: String = std::iter::once("x,y\n".to_string())
            .chain(points.iter().map(|p| format!("{},{}\n", p.x, p.y)))
            .collect();
        std::fs::write(&out, csv).expect("write the points");
        let hits = points.iter().filter(|p| layer.area_at(**p).is_some()).count();
        eprintln!("hit_test: {hits} of {} points fall in an LSOA", points.len());
    }
    let mut group = c.benchmark_group("hit_test");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.sample_size(10);
    group.bench_function("100k random points, national LSOAs", |b| {
        b.iter(|| points.iter().filter(|p| layer.area_at(**p).is_some()).count())
    });
    group.finish();
}

criterion_group!(benches, hit_test);
criterion_main!(benches);
