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

criterion_group!(benches, load_leeds, load_national_geojson, load_national_window);
criterion_main!(benches);
