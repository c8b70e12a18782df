//! Load + join + index on the real files: the Leeds set, the national LSOA GeoJSON, and the embedded default.
//! Run: `cargo bench --bench load`. Figures go in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_map::io::{DataSource, LoadOptions, load_dataset, read_geojson};
use locality_map::model::{AreaLayer, JoinReport, LsoaVintage};
use locality_map::render::{LayerLod, Topology};
use locality_map::ui::load_data;
// The same allocator as the binary, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

/// A folder of links to what a Leeds planner downloads: national IMD tables, the ward lookup, Leeds boundaries.
fn leeds_folder() -> PathBuf {
    let dir = std::env::temp_dir().join("locality-map-bench-leeds");
    std::fs::create_dir_all(&dir).expect("temp dir");
    for file in [
        "imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv",
        "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv",
        "imd2019/File_6_-_IoD2019_Population_Denominators.csv",
        "lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv",
        "boundaries/Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson",
        "boundaries/Leeds_E08000035_wards_2019_BGC_WGS84.geojson",
    ] {
        let link = dir.join(Path::new(file).file_name().expect("file name"));
        // Relinked every run: a link left by another checkout may point at a folder that is gone.
        if link.symlink_metadata().is_ok() {
            std::fs::remove_file(&link).expect("remove the old link");
        }
        std::os::unix::fs::symlink(shared().join(file), &link).expect("symlink");
    }
    dir
}

fn load_leeds(c: &mut Criterion) {
    let dir = leeds_folder();
    let mut group = c.benchmark_group("load_leeds");
    group.sample_size(20);
    group.bench_function("folder: tables + lookup + boundaries + join + index", |b| {
        b.iter(|| load_dataset(&DataSource::Folder(dir.clone()), &LoadOptions::default()).expect("loads"))
    });
    group.bench_function("embedded default", |b| {
        b.iter(|| load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("loads"))
    });
    group.finish();
}

fn load_national_geojson(c: &mut Criterion) {
    let path = shared().join("boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson");
    let mut group = c.benchmark_group("load_national_geojson");
    group.sample_size(10);
    group.bench_function("read file + parse + reproject + R-tree (34,753 LSOAs)", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&path).expect("read");
            let mut report = JoinReport::default();
            let file = read_geojson(&path, &bytes, &mut report).expect("parses");
            AreaLayer::new(file.kind, file.areas, vec![])
        })
    });
    group.finish();
}

/// What the window does for "All England": the national GeoJSON, the IMD tables and the lookup loaded, joined and
/// indexed, then every LSOA tessellated in parallel; and, on the background thread after that, the shared-arc topology
/// and the level-of-detail bands.
fn load_national_window(c: &mut Criterion) {
    // From the files, as before the processed-data cache: `load_cached` below measures the cache.
    locality_map::io::cache::turn_off_for_this_process();
    let dir = national_folder();
    let mut group = c.benchmark_group("load_national_window");
    group.sample_size(10);
    group.bench_function(
        "tables + lookup + national GeoJSON + join + index + tessellation",
        |b| b.iter(|| load_data(&DataSource::Folder(dir.clone()), &|_| {}).expect("loads")),
    );
    let (dataset, meshes) = load_data(&DataSource::Folder(dir.clone()), &|_| {}).expect("loads");
    let layer = &dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    let origin = meshes[&LsoaVintage::Lsoa2011].mesh.origin_in_world;
    group.bench_function("background: shared-arc topology", |b| b.iter(|| Topology::build(layer)));
    group.bench_function("background: topology + 5 simplified bands tessellated", |b| {
        b.iter(|| LayerLod::build_now(layer, origin))
    });
    group.finish();
}

/// The national boundaries with the IMD 2015 and 2019 tables and the LSOA -> ward -> LA lookup.
fn national_folder() -> PathBuf {
    let dir = std::env::temp_dir().join("locality-map-bench-national");
    std::fs::create_dir_all(&dir).expect("temp dir");
    for file in [
        "imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv",
        "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
        "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv",
        "imd2019/File_6_-_IoD2019_Population_Denominators.csv",
        "lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv",
        "boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson",
    ] {
        let link = dir.join(Path::new(file).file_name().expect("file name"));
        // Relinked every run: a link left by another checkout may point at a folder that is gone.
        if link.symlink_metadata().is_ok() {
            std::fs::remove_file(&link).expect("remove the old link");
        }
        std::os::unix::fs::symlink(shared().join(file), &link).expect("symlink");
    }
    dir
}

/// The processed-data cache, warm: the key (every source file listed and stat'ed; hashed with XXH3 unless unchanged
/// since the entry was written), the entry
/// memory-mapped, checked and decoded into the `Dataset`, R-trees bulk-loaded. The whole `../shared/data` folder (as
/// the window and `map`/`validate` load it, and tables-only as `summary` does) and the embedded default; the entry is
/// written once into a scratch cache folder first. Plus the decode alone, from bytes already in memory.
fn load_cached(c: &mut Criterion) {
    use locality_map::io::cache::{CacheKey, CacheSettings, Previous, decode_entry, encode_entry, load_dataset_cached};
    let cache = std::env::temp_dir().join(format!("locality-map-bench-cache-{}", std::process::id()));
    let settings = CacheSettings {
        folder: Some(cache.clone()),
    };
    let mut group = c.benchmark_group("load_cached");
    group.sample_size(20);
    let tables = LoadOptions {
        boundaries: false,
        ..LoadOptions::default()
    };
    let sources = [
        (
            "whole ../shared/data, warm cache",
            DataSource::Folder(shared()),
            LoadOptions::default(),
        ),
        (
            "whole ../shared/data tables only (summary), warm cache",
            DataSource::Folder(shared()),
            tables,
        ),
        (
            "embedded default, warm cache",
            DataSource::Embedded,
            LoadOptions::default(),
        ),
    ];
    for (name, source, options) in &sources {
        if matches!(source, DataSource::Folder(dir) if !dir.is_dir()) {
            eprintln!("{name}: skipped, ../shared/data is missing");
            continue;
        }
        let (_, outcome) = load_dataset_cached(source, options, &settings).expect("loads");
        eprintln!("{name}: {outcome:?}");
        group.bench_function(*name, |b| {
            b.iter(|| {
                let (dataset, outcome) = load_dataset_cached(source, options, &settings).expect("loads");
                assert!(outcome.is_hit(), "{outcome:?}");
                dataset
            })
        });
        let key = CacheKey::of(source, options).expect("key");
        let (dataset, _) = load_dataset_cached(source, options, &settings).expect("loads");
        let bytes = encode_entry(&key, &dataset);
        group.bench_function(
            format!("{name}: key only (list, stat, hash {} files)", key.files.len()),
            |b| b.iter(|| CacheKey::of(source, options).expect("key")),
        );
        // As a warm load computes it: files unchanged since the entry was written keep their stored hashes.
        let written_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        group.bench_function(
            format!(
                "{name}: key reusing stored hashes (list, stat {} files)",
                key.files.len()
            ),
            |b| {
                b.iter(|| {
                    let previous = Previous { key: &key, written_ns };
                    CacheKey::reusing(source, options, Some(previous)).expect("key")
                })
            },
        );
        group.bench_function(
            format!("{name}: decode only ({:.1} MB)", bytes.len() as f64 / 1e6),
            |b| b.iter(|| decode_entry(&bytes).expect("decodes")),
        );
    }
    group.finish();
    std::fs::remove_dir_all(&cache).ok();
}

criterion_group!(
    benches,
    load_leeds,
    load_national_geojson,
    load_national_window,
    load_cached
);
criterion_main!(benches);
