//! Shared helpers for the integration tests: where the real data lives, the embedded Leeds default as files, loud
//! skips when the national files are absent, and an independent CSV reader.
//!
//! Two kinds of real data:
//! - the embedded Leeds default (`assets/default`, `boundaries/leeds`), which the repository itself carries: national
//!   IMD tables for 2015, 2019 (File 2) and 2025, File 6 populations, Leeds boundaries and lookups. Tests that only need
//!   Leeds use it, so a fresh clone runs them.
//! - the official national files, at `$LOCALITY_MAP_TEST_DATA`, else `../shared/data` beside the checkout. A test that
//!   needs them asks [`national_data`], which says loudly when it skips; with `LOCALITY_MAP_REQUIRE_TEST_DATA=1` (CI)
//!   a missing folder fails the test instead.
#![allow(dead_code)]

mod shapefile_bytes;
#[cfg(feature = "gui")]
pub mod window;

#[allow(unused_imports)] // Not every test binary builds shapefiles.
pub use shapefile_bytes::one_ring_shapefile;

use flate2::read::GzDecoder;
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub mod police;

/// The checkout, read when the test runs (cargo sets it for test processes), so a copy of the checkout that reuses
/// built test binaries still looks beside itself.
pub fn checkout() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Where the official national files should be: `$LOCALITY_MAP_TEST_DATA`, else `../shared/data` beside the checkout.
pub fn shared_data_location() -> PathBuf {
    match std::env::var_os("LOCALITY_MAP_TEST_DATA").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => checkout().join("../shared/data"),
    }
}

/// What a skipped test tells the person running the suite.
pub const SKIP_REASON: &str = "needs the official national files; run `locality-map fetch --dest ../shared/data` to \
                               download them, or set LOCALITY_MAP_TEST_DATA";

/// The national data folder, or `None` after saying loudly on stderr that `test` is skipped. Under
/// `LOCALITY_MAP_REQUIRE_TEST_DATA=1` a missing folder fails the test, naming the folder.
pub fn national_data(test: &str) -> Option<PathBuf> {
    let dir = shared_data_location();
    if dir.join("PROVENANCE.md").is_file() || dir.join("imd2019").is_dir() {
        return Some(dir);
    }
    if std::env::var("LOCALITY_MAP_REQUIRE_TEST_DATA").is_ok_and(|v| v == "1") {
        panic!(
            "{test}: the official national files are required (LOCALITY_MAP_REQUIRE_TEST_DATA=1) but {} is missing",
            dir.display()
        );
    }
    record_skip(test, SKIP_REASON);
    None
}

/// The whole national data folder loaded once per test binary, or `None` (with the loud skip) when it is absent.
pub fn national_dataset(test: &str) -> Option<&'static Dataset> {
    let dir = national_data(test)?;
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    Some(DATASET.get_or_init(|| {
        load_dataset(&DataSource::Folder(dir.clone()), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{} loads: {e}", dir.display()))
    }))
}

/// The embedded Leeds default, loaded once per test binary through the public API.
pub fn embedded_dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET
        .get_or_init(|| load_dataset(&DataSource::Embedded, &LoadOptions::default()).expect("embedded default loads"))
}

/// The files of the embedded default, by their name without `.gz`, decompressed here from the repository's own
/// copies (not through the library).
pub const EMBEDDED_FILES: [&str; 12] = [
    "assets/default/File_1_ID_2015_Index_of_Multiple_Deprivation.csv.gz",
    "assets/default/File_1_IoD2025_Index_of_Multiple_Deprivation.csv.gz",
    "assets/default/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
    "assets/default/File_6_-_IoD2019_Population_Denominators.csv.gz",
    "assets/default/Leeds_E08000035_LSOA11_to_Ward19_lookup.csv.gz",
    "assets/default/Leeds_E08000035_lookup_lsoa11_lsoa21_ltla22.csv.gz",
    "assets/default/Leeds_E08000035_lookup_lsoa21_ward24_ltla24.csv.gz",
    "assets/default/imd2025_england_lsoa21_humaniverse-IMD_ranks_deciles.csv.gz",
    "boundaries/leeds/Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson.gz",
    "boundaries/leeds/Leeds_E08000035_lsoa21_BGC_WGS84.geojson.gz",
    "boundaries/leeds/Leeds_E08000035_wards_2019_BGC_WGS84.geojson.gz",
    "boundaries/leeds/Leeds_E08000035_wards_2025_BGC_WGS84.geojson.gz",
];

/// The bytes of one embedded file, found by the end of its name (`"File_6_-_IoD2019_Population_Denominators.csv"`).
pub fn embedded_bytes(name: &str) -> Vec<u8> {
    let relative = EMBEDDED_FILES
        .iter()
        .find(|f| f.trim_end_matches(".gz").ends_with(name))
        .unwrap_or_else(|| panic!("no embedded file named {name}"));
    let gz = std::fs::read(checkout().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let mut bytes = Vec::new();
    GzDecoder::new(gz.as_slice())
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    bytes
}

/// The embedded default written out as a plain data folder (once per test binary): for tests that need a `--data
/// DIR` holding Leeds. The files are decompressed copies, so the folder is the same data as `DataSource::Embedded`.
pub fn embedded_folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = scratch_for_this_process("embedded-leeds");
        for relative in EMBEDDED_FILES {
            let name = Path::new(relative).file_name().unwrap().to_string_lossy();
            let name = name.trim_end_matches(".gz");
            std::fs::write(dir.join(name), embedded_bytes(name)).unwrap();
        }
        dir
    })
}

/// A fresh folder `PREFIX-PID` under cargo's temporary folder for tests; folders of the same prefix left by test
/// processes that have ended are removed first, so runs do not pile up copies.
pub fn scratch_for_this_process(prefix: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('-'));
            if let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok())
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                std::fs::remove_dir_all(entry.path()).ok();
            }
        }
    }
    let dir = root.join(format!("{prefix}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Parses CSV text into rows keyed by the exact header text, numbers left as published. Deliberately independent of
/// the library's own header recognition.
pub fn rows_of_csv(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers.iter().cloned().zip(r.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// Reads a CSV from the national folder (which the caller has checked with [`national_data`]).
pub fn raw_rows(relative: &str) -> Vec<HashMap<String, String>> {
    let path = shared_data_location().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rows_of_csv(&bytes)
}

/// Reads one of the embedded CSVs (by the end of its name) into rows keyed by the exact header text.
pub fn embedded_rows(name: &str) -> Vec<HashMap<String, String>> {
    rows_of_csv(&embedded_bytes(name))
}

/// A published number such as `"29,199"`.
pub fn number(text: &str) -> u32 {
    text.replace(',', "").parse().expect("a whole number")
}

/// IMD ranks by LSOA code from raw rows, using the given exact column names.
pub fn ranks_of(
    rows: Vec<HashMap<String, String>>,
    code_col: &str,
    rank_col: &str,
    la_col: &str,
    la: &str,
) -> HashMap<String, u32> {
    rows.into_iter()
        .filter(|r| r[la_col] == la)
        .map(|r| (r[code_col].clone(), number(&r[rank_col])))
        .collect()
}

/// IMD ranks by LSOA code from a national File 1, using the given exact column names.
pub fn ranks(relative: &str, code_col: &str, rank_col: &str, la_col: &str, la: &str) -> HashMap<String, u32> {
    ranks_of(raw_rows(relative), code_col, rank_col, la_col, la)
}

pub const FILE1_2015: &str = "imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv";
pub const FILE1_2019: &str = "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv";
pub const RANK_2015: &str = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)";
pub const RANK_2019: &str = "Index of Multiple Deprivation (IMD) Rank";
/// The embedded 2019 table is File 2, whose IMD column carries the longer name.
pub const EMBEDDED_FILE2_2019: &str = "File_2_-_IoD2019_Domains_of_Deprivation.csv";
pub const EMBEDDED_FILE1_2015: &str = "File_1_ID_2015_Index_of_Multiple_Deprivation.csv";
pub const EMBEDDED_WARD_LOOKUP_2019: &str = "Leeds_E08000035_LSOA11_to_Ward19_lookup.csv";

/// 2015 and 2019 ranks of an LA's LSOAs, straight from the two national File 1 CSVs.
pub fn ranks_2015_2019(la_code: &str) -> (HashMap<String, u32>, HashMap<String, u32>) {
    (
        ranks(
            FILE1_2015,
            "LSOA code (2011)",
            RANK_2015,
            "Local Authority District code (2013)",
            la_code,
        ),
        ranks(
            FILE1_2019,
            "LSOA code (2011)",
            RANK_2019,
            "Local Authority District code (2019)",
            la_code,
        ),
    )
}

/// 2015 and 2019 ranks of an LA's LSOAs, straight from the embedded copies of 2015 File 1 and 2019 File 2 (both
/// national, so any LA works).
pub fn embedded_ranks_2015_2019(la_code: &str) -> (HashMap<String, u32>, HashMap<String, u32>) {
    (
        ranks_of(
            embedded_rows(EMBEDDED_FILE1_2015),
            "LSOA code (2011)",
            RANK_2015,
            "Local Authority District code (2013)",
            la_code,
        ),
        ranks_of(
            embedded_rows(EMBEDDED_FILE2_2019),
            "LSOA code (2011)",
            RANK_2015,
            "Local Authority District code (2019)",
            la_code,
        ),
    )
}

/// A command's stderr lines without the processed-data cache's own notes ("ignored (…) and rebuilt", "not saved"): on
/// a machine whose cache an older build wrote, the first run on each data source says so once, whichever test it is.
pub fn lines_without_cache_notes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| !line.contains("note: the processed-data cache was"))
        .collect()
}

/// Remembers a skip (said on stderr now, and counted in the end-of-run summary).
pub fn record_skip(test: &str, reason: &str) {
    // Written to the process's stderr directly: libtest captures `eprintln!` of passing tests, and a skip must show.
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {reason}");
    let log = skip_log();
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&log) {
        let _ = writeln!(file, "{test}");
    }
    static SUMMARY: OnceLock<()> = OnceLock::new();
    SUMMARY.get_or_init(|| {
        // libtest ends the process with `exit`, which runs C `atexit` handlers but no Rust destructors.
        unsafe extern "C" fn summary() {
            let log = skip_log();
            let count = std::fs::read_to_string(&log).map_or(0, |t| t.lines().count());
            let _ = writeln!(
                std::io::stderr(),
                "skipped so far in this `cargo test` run: {count} tests (each said why above); list in {}",
                log.display()
            );
        }
        unsafe extern "C" {
            fn atexit(callback: unsafe extern "C" fn()) -> std::ffi::c_int;
        }
        // SAFETY: `summary` is a plain function that only reads a file and writes to stderr.
        unsafe {
            atexit(summary);
        }
    });
}

/// One file per `cargo test` run (keyed by cargo's process id, the parent of every test binary), listing the tests
/// skipped so far, so the last binary's summary counts the whole run.
fn skip_log() -> PathBuf {
    let parent = std::os::unix::process::parent_id();
    // With the parent's start time (field 22 of /proc/PID/stat), a reused process id never joins an old run's list.
    let started = std::fs::read_to_string(format!("/proc/{parent}/stat"))
        .ok()
        .and_then(|stat| {
            let after_name = &stat[stat.rfind(')')? + 1..];
            after_name.split_whitespace().nth(19).map(str::to_string)
        })
        .unwrap_or_default();
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("skipped-tests-{parent}-{started}.txt"))
}

/// Whether the renderer the UI snapshots use (wgpu: a GPU, or Mesa's llvmpipe through EGL) can start here. When it
/// cannot, the test says why on stderr and skips its rendering; under CI (`CI=true`) or
/// `LOCALITY_MAP_REQUIRE_TEST_DATA=1` that fails the test instead.
pub fn renderer_available(test: &str) -> bool {
    static AVAILABLE: OnceLock<Result<(), String>> = OnceLock::new();
    let available = AVAILABLE.get_or_init(|| {
        let created = std::panic::catch_unwind(|| {
            drop(egui_kittest::wgpu::WgpuTestRenderer::new());
        });
        created.map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the renderer panicked".into())
        })
    });
    match available {
        Ok(()) => true,
        Err(why) => {
            let required = std::env::var("CI").is_ok_and(|v| v == "true")
                || std::env::var("LOCALITY_MAP_REQUIRE_TEST_DATA").is_ok_and(|v| v == "1");
            if required {
                panic!("{test}: no OpenGL/EGL or GPU adapter for the UI snapshots ({why})");
            }
            record_skip(
                test,
                &format!(
                    "rendering needs an OpenGL/EGL or GPU adapter and none could be created ({why}); on a machine \
                     without a GPU install Mesa (`libegl1 libegl-mesa0 libgl1-mesa-dri`) and set WGPU_BACKEND=gl"
                ),
            );
            false
        }
    }
}

/// An RGB PNG of `width` × `height` from its pixels, row by row.
pub fn rgb_png(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.write_header().unwrap().write_image_data(pixels).unwrap();
    bytes
}

/// A 256 px tile of purple stripes on a land colour: purple is in no class of the map's palettes, so where it shows
/// a basemap does.
pub fn striped_tile() -> Vec<u8> {
    let pixels: Vec<u8> = (0..256 * 256)
        .flat_map(|i| {
            if (i % 256) % 32 < 4 {
                [90u8, 40, 160]
            } else {
                [236, 222, 190]
            }
        })
        .collect();
    rgb_png(256, 256, &pixels)
}

/// A tile server on a free local port answering every request with `tile` (a PNG), for the street basemap's tests:
/// its URL template and a count of the connections it accepted.
pub fn tile_server(tile: Vec<u8>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/{{z}}/{{x}}/{{y}}.png", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            // The request line and headers (one GET, well under 2 kB); its content does not matter.
            let mut request = [0u8; 2048];
            let _request_bytes = stream.read(&mut request).unwrap_or(0);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                tile.len()
            );
            stream.write_all(head.as_bytes()).ok();
            stream.write_all(&tile).ok();
        }
    });
    (url, connections)
}

/// The national tables in `data` without boundaries, loaded once per test binary (for figures that need no map).
pub fn national_tables(data: PathBuf) -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let options = LoadOptions {
            boundaries: false,
            ..LoadOptions::default()
        };
        load_dataset(&DataSource::Folder(data), &options).unwrap()
    })
}

/// The embedded Leeds default as the window holds it (model and meshes), loaded once per test binary: the window
/// tests' shared starting point.
#[cfg(feature = "gui")]
pub fn window_leeds() -> std::sync::Arc<locality_map::ui::LoadedData> {
    use locality_map::ui::{LoadedData, load_data};
    use std::sync::{Arc, OnceLock};
    static DATA: OnceLock<Arc<LoadedData>> = OnceLock::new();
    DATA.get_or_init(|| {
        let (dataset, lsoa_meshes) = load_data(&DataSource::Embedded, &|_| {}).expect("embedded default loads");
        Arc::new(LoadedData::new(DataSource::Embedded, dataset, lsoa_meshes, 0.0))
    })
    .clone()
}

/// A multipolygon's rings (outer rings and holes) on the screen, through `screen_from_world`: the input of
/// [`farthest_from_edges`].
pub fn rings_on_screen(
    geometry: &geo::MultiPolygon<f64>,
    screen_from_world: impl Fn(geo::Coord<f64>) -> [f32; 2],
) -> Vec<Vec<[f32; 2]>> {
    geometry
        .0
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .map(|ring| ring.0.iter().map(|c| screen_from_world(*c)).collect())
        .collect()
}

/// For pixel checks that must miss outlines and lines: the whole-pixel point inside `rings` (even-odd: outer rings and holes) farthest from every edge, with that
/// distance in points.
pub fn farthest_from_edges(rings: &[Vec<[f32; 2]>]) -> Option<([f32; 2], f32)> {
    let points = rings.iter().flatten();
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for [x, y] in points {
        (x0, y0, x1, y1) = (x0.min(*x), y0.min(*y), x1.max(*x), y1.max(*y));
    }
    let edges: Vec<([f32; 2], [f32; 2])> = rings
        .iter()
        .flat_map(|ring| ring.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let inside = |p: [f32; 2]| {
        edges
            .iter()
            .filter(|(a, b)| {
                (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
            })
            .count()
            % 2
            == 1
    };
    let distance = |p: [f32; 2], (a, b): &([f32; 2], [f32; 2])| {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let length2 = dx * dx + dy * dy;
        let t = if length2 > 0.0 {
            (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
    };
    let mut best: Option<([f32; 2], f32)> = None;
    for y in (y0.floor() as i32)..=(y1.ceil() as i32) {
        for x in (x0.floor() as i32)..=(x1.ceil() as i32) {
            // The pixel's centre, where the image is sampled.
            let p = [x as f32 + 0.5, y as f32 + 0.5];
            if !inside(p) {
                continue;
            }
            let clearance = edges.iter().map(|e| distance(p, e)).fold(f32::MAX, f32::min);
            if best.is_none_or(|(_, d)| clearance > d) {
                best = Some((p, clearance));
            }
        }
    }
    best
}

/// IMD 2019 national N: the turned-round rank is N + 1 - rank.
pub const LSOAS_2019: f64 = 32_844.0;
/// The national 1% of the 2011 LSOA editions: rank <= floor(32,844 / 100).
pub const ONE_PERCENT_2011: u32 = 328;

/// For the Leeds Community Committee fixture (`ward_name,group`): each Leeds LSOA's committee's rank class on IMD 2019 average rank, from the raw files: the fixture's wards, the embedded 2019 ward lookup,
/// File 6's total population and File 2's IMD rank. Average rank is the population-weighted mean of N + 1 - rank;
/// the highest is ranked 1st (ties share the lowest rank); class = its fifth of the ten.
pub fn committee_class_by_lsoa(fixture: &Path) -> HashMap<String, usize> {
    let committees: HashMap<String, String> = rows_of_csv(&std::fs::read(fixture).unwrap())
        .into_iter()
        .map(|r| (r["ward_name"].clone(), r["group"].clone()))
        .collect();
    let committee_of_lsoa: HashMap<String, String> = embedded_rows(EMBEDDED_WARD_LOOKUP_2019)
        .into_iter()
        .filter_map(|r| Some((r["LSOA11CD"].clone(), committees.get(&r["WD19NM"])?.clone())))
        .collect();
    let people: HashMap<String, f64> = embedded_rows("File_6_-_IoD2019_Population_Denominators.csv")
        .into_iter()
        .map(|r| {
            let total = number(&r["Total population: mid 2015 (excluding prisoners)"]);
            (r["LSOA code (2011)"].clone(), f64::from(total))
        })
        .collect();
    let (_, ranks_2019) = embedded_ranks_2015_2019("E08000035");
    let mut sums: HashMap<&str, (f64, f64)> = HashMap::new();
    for (lsoa, committee) in &committee_of_lsoa {
        let (people, rank) = (people[lsoa], f64::from(ranks_2019[lsoa]));
        let sum = sums.entry(committee).or_default();
        sum.0 += people * (LSOAS_2019 + 1.0 - rank);
        sum.1 += people;
    }
    let average: HashMap<&str, f64> = sums
        .iter()
        .map(|(c, (weighted, people))| (*c, weighted / people))
        .collect();
    assert_eq!(average.len(), 10);
    let class_of_committee: HashMap<&str, usize> = average
        .iter()
        .map(|(committee, value)| {
            let rank = 1 + average.values().filter(|other| *other > value).count();
            (*committee, (rank - 1) * 5 / average.len())
        })
        .collect();
    committee_of_lsoa
        .iter()
        .map(|(lsoa, committee)| (lsoa.clone(), class_of_committee[committee.as_str()]))
        .collect()
}
