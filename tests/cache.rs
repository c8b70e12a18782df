//! The processed-data cache (`io::cache`): a cached load equals a load from the files field for field; any change to
//! a source rebuilds it; a damaged, truncated or other-version entry is ignored with a note and rebuilt with the same
//! answers; `--no-cache` and `LOCALITY_MAP_CACHE=off` never read or write it; the CLI says the same with or without.

mod common;

use geo::CoordsIter as _;
use locality_map::io::cache::{CacheOutcome, CacheSettings, decode_entry, load_dataset_cached};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every field of two models, geometry compared by the bits of every coordinate.
fn assert_same(cached: &Dataset, fresh: &Dataset) {
    assert_eq!(cached.source_label, fresh.source_label);
    assert_eq!(cached.editions, fresh.editions, "editions' rows");
    assert_eq!(cached.ward_lookups, fresh.ward_lookups);
    assert_eq!(cached.change_lookup, fresh.change_lookup);
    assert_eq!(cached.wards_from_polygons, fresh.wards_from_polygons);
    // Each file's read time is a measurement, not data: the cached report keeps the times of the load it was made
    // from; everything else must match.
    let untimed = |d: &Dataset| {
        let mut report = d.report.clone();
        report.files.iter_mut().for_each(|f| f.load_millis = 0.0);
        report
    };
    assert_eq!(untimed(cached), untimed(fresh), "join report");
    let layers = |d: &Dataset| {
        d.lsoa_layers
            .values()
            .chain(d.ward_layers.values())
            .map(|l| (l.kind, l.sources.clone(), l.areas.len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(layers(cached), layers(fresh));
    for (a, b) in cached
        .lsoa_layers
        .values()
        .chain(cached.ward_layers.values())
        .zip(fresh.lsoa_layers.values().chain(fresh.ward_layers.values()))
    {
        for (x, y) in a.areas.iter().zip(&b.areas) {
            assert_eq!((x.code, &x.name, x.la_code), (y.code, &y.name, y.la_code));
            let bits = |area: &locality_map::model::Area| {
                let mut out: Vec<u64> = Vec::new();
                for polygon in &area.geometry_in_world {
                    out.push(polygon.interiors().len() as u64);
                    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                        out.push(ring.0.len() as u64);
                        out.extend(ring.0.iter().flat_map(|c| [c.x.to_bits(), c.y.to_bits()]));
                    }
                }
                let (min, max) = (area.bbox_in_world.min(), area.bbox_in_world.max());
                out.extend([min.x, min.y, max.x, max.y].map(f64::to_bits));
                out
            };
            assert!(bits(x) == bits(y), "{}: geometry differs", x.code);
        }
        // The R-tree is rebuilt: it must find the same area at each area's first vertex.
        for area in a.areas.iter().step_by(97) {
            if let Some(c) = area.geometry_in_world.coords_iter().next() {
                assert_eq!(a.area_at(c).map(|x| x.code), b.area_at(c).map(|x| x.code));
            }
        }
    }
    let (ia, ib) = (&cached.indicators, &fresh.indicators);
    assert_eq!(ia.crime_types, ib.crime_types);
    assert_eq!(ia.crime_points, ib.crime_points);
    assert_eq!(ia.names(), ib.names());
    for (a, b) in ia.by_name.values().zip(ib.by_name.values()) {
        let without_values = |i: &locality_map::model::Indicator| {
            let mut i = i.clone();
            i.values.clear();
            format!("{i:?}")
        };
        assert_eq!(without_values(a), without_values(b));
        let bits = |i: &locality_map::model::Indicator| i.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert!(bits(a) == bits(b), "{}: values differ", a.name);
    }
}

fn settings(folder: &Path) -> CacheSettings {
    CacheSettings {
        folder: Some(folder.to_path_buf()),
    }
}

fn load(source: &DataSource, cache: &Path) -> (Dataset, CacheOutcome) {
    load_dataset_cached(source, &LoadOptions::default(), &settings(cache)).expect("loads")
}

fn fresh(source: &DataSource) -> Dataset {
    load_dataset(source, &LoadOptions::default()).expect("loads")
}

fn only_entry(cache: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "lmcache"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn cached_embedded_load_equals_the_load_from_the_files() {
    let cache = common::scratch_for_this_process("cache-embedded");
    let source = DataSource::Embedded;
    let (first, outcome) = load(&source, &cache);
    assert!(matches!(outcome, CacheOutcome::Saved(_)), "{outcome:?}");
    let (second, outcome) = load(&source, &cache);
    assert!(outcome.is_hit(), "{outcome:?}");
    let uncached = fresh(&source);
    assert_same(&first, &uncached);
    assert_same(&second, &uncached);
    assert!(second.editions.len() >= 3 && !second.lsoa_layers.is_empty());
    std::fs::remove_dir_all(&cache).ok();
}

#[test]
fn cached_national_load_equals_the_load_from_the_files() {
    let Some(data) = common::national_data("cached_national_load_equals_the_load_from_the_files") else {
        return;
    };
    let cache = common::scratch_for_this_process("cache-national");
    let source = DataSource::Folder(data);
    let (_, outcome) = load(&source, &cache);
    assert!(matches!(outcome, CacheOutcome::Saved(_)), "{outcome:?}");
    let (cached, outcome) = load(&source, &cache);
    assert!(outcome.is_hit(), "{outcome:?}");
    assert_same(&cached, &fresh(&source));
    // A tables-only load (the CLI's table commands) is its own entry and equals its own fresh load.
    let tables = LoadOptions {
        boundaries: false,
        ..LoadOptions::default()
    };
    let (_, first) = load_dataset_cached(&source, &tables, &settings(&cache)).unwrap();
    assert!(matches!(first, CacheOutcome::Saved(_)), "{first:?}");
    let (cached, again) = load_dataset_cached(&source, &tables, &settings(&cache)).unwrap();
    assert!(again.is_hit(), "{again:?}");
    assert_same(&cached, &load_dataset(&source, &tables).unwrap());
    std::fs::remove_dir_all(&cache).ok();
}

/// A data folder of the embedded Leeds files, to change one at a time.
fn leeds_folder(prefix: &str) -> PathBuf {
    let dir = common::scratch_for_this_process(prefix);
    for entry in std::fs::read_dir(common::embedded_folder()).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn touching_replacing_truncating_adding_or_removing_a_source_rebuilds() {
    let data = leeds_folder("cache-sources-data");
    let cache = common::scratch_for_this_process("cache-sources");
    let source = DataSource::Folder(data.clone());
    let (_, outcome) = load(&source, &cache);
    assert!(matches!(outcome, CacheOutcome::Saved(_)), "{outcome:?}");
    assert!(load(&source, &cache).1.is_hit());

    let check_rebuilt = |what: &str| {
        let (cached, outcome) = load(&source, &cache);
        assert!(matches!(outcome, CacheOutcome::Saved(_)), "{what}: {outcome:?}");
        assert_same(&cached, &fresh(&source));
        let (again, outcome) = load(&source, &cache);
        assert!(outcome.is_hit(), "{what}, then again: {outcome:?}");
        assert_same(&again, &cached);
        cached
    };
    let imd2015 = data.join("File_1_ID_2015_Index_of_Multiple_Deprivation.csv");
    // Touched: same bytes, new modification time.
    let file = std::fs::File::options().write(true).open(&imd2015).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3))
        .unwrap();
    drop(file);
    check_rebuilt("touched");
    // Replaced with other content of the same size and time: the hash alone tells.
    let bytes = std::fs::read(&imd2015).unwrap();
    let modified = std::fs::metadata(&imd2015).unwrap().modified().unwrap();
    let mut changed = bytes.clone();
    let at = changed.len() - 3;
    changed[at] = if changed[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&imd2015, &changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&imd2015)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    check_rebuilt("replaced, same size and time");
    // Truncated mid-row.
    std::fs::write(&imd2015, &bytes[..bytes.len() / 2]).unwrap();
    let truncated = check_rebuilt("truncated");
    let full_rows = fresh(&DataSource::Folder(common::embedded_folder().to_path_buf()))
        .edition(2015)
        .unwrap()
        .rows
        .len();
    assert!(truncated.edition(2015).unwrap().rows.len() < full_rows);
    // Removed, then added back.
    std::fs::remove_file(&imd2015).unwrap();
    assert!(check_rebuilt("removed").edition(2015).is_none());
    std::fs::write(&imd2015, &bytes).unwrap();
    assert_eq!(check_rebuilt("added").edition(2015).unwrap().rows.len(), full_rows);
    assert_eq!(
        only_entry(&cache).parent(),
        Some(cache.as_path()),
        "one entry per source, replaced in place"
    );
    std::fs::remove_dir_all(&cache).ok();
    std::fs::remove_dir_all(&data).ok();
}

#[test]
fn a_damaged_truncated_or_other_version_entry_is_rebuilt_with_a_note() {
    let cache = common::scratch_for_this_process("cache-damaged");
    let source = DataSource::Embedded;
    let uncached = fresh(&source);
    load(&source, &cache);
    let entry = only_entry(&cache);
    let good = std::fs::read(&entry).unwrap();
    assert!(decode_entry(&good).is_ok());
    let mut damaged: Vec<(String, Vec<u8>)> = Vec::new();
    for at in [
        0,
        9,
        14,
        100,
        good.len() / 3,
        good.len() / 2,
        good.len() - 20,
        good.len() - 1,
    ] {
        for bit in [0, 5] {
            let mut bytes = good.clone();
            bytes[at] ^= 1 << bit;
            damaged.push((format!("bit {bit} of byte {at} flipped"), bytes));
        }
    }
    for keep in [0, 7, 12, 100, good.len() / 2, good.len() - 8, good.len() - 1] {
        damaged.push((format!("truncated to {keep} bytes"), good[..keep].to_vec()));
    }
    let mut other_version = good.clone();
    other_version[8..12].copy_from_slice(&999u32.to_le_bytes());
    damaged.push(("another format version".into(), other_version));
    let mut appended = good.clone();
    appended.extend_from_slice(b"more");
    damaged.push(("bytes appended".into(), appended));
    for (what, bytes) in damaged {
        std::fs::write(&entry, &bytes).unwrap();
        let (dataset, outcome) = load(&source, &cache);
        let CacheOutcome::Rebuilt { why, .. } = &outcome else {
            panic!("{what}: {outcome:?}");
        };
        let note = outcome.note().unwrap();
        assert!(!note.contains('\n') && note.contains(why.as_str()), "{what}: {note}");
        assert_same(&dataset, &uncached);
        let (again, outcome) = load(&source, &cache);
        assert!(outcome.is_hit(), "{what}, then again: {outcome:?}");
        assert_same(&again, &uncached);
    }
    std::fs::remove_dir_all(&cache).ok();
}

fn cli(cache_home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .args(args)
        .env("XDG_CACHE_HOME", cache_home)
        .env_remove("LOCALITY_MAP_CACHE")
        .env_remove("LOCALITY_MAP_DATA")
        .output()
        .expect("runs")
}

fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), std::fs::read(e.path()).unwrap(), m.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_cache_and_cache_off_never_read_or_write_it() {
    let home = common::scratch_for_this_process("cache-off");
    for (args, env_off) in [(vec!["--no-cache", "summary"], false), (vec!["summary"], true)] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
        command
            .args(&args)
            .env("XDG_CACHE_HOME", &home)
            .env_remove("LOCALITY_MAP_DATA");
        if env_off {
            command.env("LOCALITY_MAP_CACHE", "off");
        } else {
            command.env_remove("LOCALITY_MAP_CACHE");
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(files_under(&home).is_empty(), "{args:?}: something was written");
    }
    // With a damaged entry in place, --no-cache neither reads it (no note) nor touches it.
    assert!(cli(&home, &["summary"]).status.success());
    let entry = only_entry(&home.join("locality-map"));
    std::fs::write(&entry, b"LMCACHE1 damaged").unwrap();
    let before = files_under(&home);
    let out = cli(&home, &["--no-cache", "summary"]);
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("cache"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files_under(&home), before);
    // Without it, the damaged entry is noted once and rebuilt.
    let out = cli(&home, &["summary"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("processed-data cache was ignored").count(),
        1,
        "{stderr}"
    );
    assert!(cli(&home, &["cache", "status"]).status.success());
    let out = cli(&home, &["cache", "clear"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Removed 1 cache files"));
    assert!(files_under(&home).is_empty());
    std::fs::remove_dir_all(&home).ok();
}

/// `validate` prints each file's read time; everything else must match byte for byte.
fn without_times(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    text.lines()
        .map(|l| match (l.rfind(" ("), l.rfind(" ms)")) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &l[..a], &l[b + 4..]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cli_outputs_are_byte_identical_with_and_without_the_cache() {
    let home = common::scratch_for_this_process("cache-cli");
    let out_dir = common::scratch_for_this_process("cache-cli-out");
    let data = common::embedded_folder().display().to_string();
    let png = |name: &str| out_dir.join(name).display().to_string();
    let commands: Vec<Vec<String>> = vec![
        vec!["summary".into(), "--json".into()],
        vec!["changes".into(), "--csv".into()],
        vec!["ward".into(), "Gipton and Harehills".into()],
        vec!["--data".into(), data.clone(), "summary".into()],
        vec!["--data".into(), data.clone(), "league".into(), "--csv".into()],
        vec!["--data".into(), data.clone(), "validate".into()],
        vec!["validate".into()],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let no_cache: Vec<&str> = std::iter::once("--no-cache").chain(args.iter().copied()).collect();
        let uncached = cli(&home, &no_cache);
        let cold = cli(&home, &args);
        let warm = cli(&home, &args);
        assert!(
            uncached.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&uncached.stderr)
        );
        let validate = args.contains(&"validate");
        for (what, run) in [("cold cache", &cold), ("warm cache", &warm)] {
            assert_eq!(run.status.code(), uncached.status.code(), "{args:?} {what}");
            if validate {
                assert_eq!(
                    without_times(&run.stdout),
                    without_times(&uncached.stdout),
                    "{args:?} {what}"
                );
            } else {
                assert!(run.stdout == uncached.stdout, "{args:?} {what}: stdout differs");
            }
            assert_eq!(run.stderr, uncached.stderr, "{args:?} {what}: stderr differs");
        }
    }
    // A map PNG: the same bytes from the files and from the cache.
    let map = |out: &str, no_cache: bool| {
        let mut args = vec![
            "map", "--la", "Leeds", "--width", "600", "--height", "600", "--force", "--out", out,
        ];
        if no_cache {
            args.insert(0, "--no-cache");
        }
        let run = cli(&home, &args);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read(out).unwrap()
    };
    let uncached = map(&png("uncached.png"), true);
    assert!(
        map(&png("warm.png"), false) == uncached,
        "the PNG differs from the cache"
    );
    std::fs::remove_dir_all(&home).ok();
    std::fs::remove_dir_all(&out_dir).ok();
}

#[test]
fn two_processes_loading_at_once_leave_one_sound_entry() {
    let home = common::scratch_for_this_process("cache-race");
    for round in 0..3 {
        let children: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_locality-map"))
                    .args(["summary", "--json"])
                    .env("XDG_CACHE_HOME", &home)
                    .env_remove("LOCALITY_MAP_CACHE")
                    .env_remove("LOCALITY_MAP_DATA")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        for out in &outputs {
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, outputs[0].stdout, "round {round}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("cache"), "round {round}: {stderr}");
        }
        let entry = only_entry(&home.join("locality-map"));
        assert!(decode_entry(&std::fs::read(&entry).unwrap()).is_ok(), "round {round}");
        if round == 1 {
            std::fs::remove_file(&entry).unwrap();
        }
    }
    let names: Vec<_> = files_under(&home).into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(names.len(), 1, "temporary files left: {names:?}");
    std::fs::remove_dir_all(&home).ok();
}

/// Writes the fuzz target's seeds (`fuzz/corpus/cache/`): a whole entry of a small folder (three IMD rows, two LSOA
/// polygons, a lookup row), its key alone and its model alone. Run by hand: `cargo test --test cache -- --ignored`.
#[test]
#[ignore]
fn write_fuzz_seeds() {
    use locality_map::io::cache::{CacheKey, encode_entry};
    let dir = common::scratch_for_this_process("cache-seeds");
    let imd = String::from_utf8(common::embedded_bytes(
        "File_1_ID_2015_Index_of_Multiple_Deprivation.csv",
    ))
    .unwrap();
    std::fs::write(dir.join("imd.csv"), imd.lines().take(4).collect::<Vec<_>>().join("\n")).unwrap();
    let lookup = String::from_utf8(common::embedded_bytes("Leeds_E08000035_LSOA11_to_Ward19_lookup.csv")).unwrap();
    std::fs::write(
        dir.join("lookup.csv"),
        lookup.lines().take(3).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let geojson: serde_json::Value =
        serde_json::from_slice(&common::embedded_bytes("Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson")).unwrap();
    let mut small = geojson.clone();
    let features = geojson["features"].as_array().unwrap();
    let mut by_size: Vec<_> = features.iter().collect();
    by_size.sort_by_key(|f| f.to_string().len());
    small["features"] = serde_json::Value::Array(by_size.into_iter().take(2).cloned().collect());
    std::fs::write(dir.join("lsoa.geojson"), small.to_string()).unwrap();
    let source = DataSource::Folder(dir.clone());
    let options = LoadOptions::default();
    let dataset = load_dataset(&source, &options).unwrap();
    assert!(!dataset.lsoa_layers.is_empty() && !dataset.editions.is_empty());
    let key = CacheKey::of(&source, &options).unwrap();
    let entry = encode_entry(&key, &dataset);
    let (decoded_key, decoded) = decode_entry(&entry).unwrap();
    assert_eq!(
        encode_entry(&decoded_key, &decoded),
        entry,
        "an entry writes back to its own bytes"
    );
    let seeds = common::checkout().join("fuzz/corpus/cache");
    std::fs::create_dir_all(&seeds).unwrap();
    let mut key_bytes = locality_map::io::cache::codec::Writer::default();
    key_bytes.put(&key);
    let mut model = locality_map::io::cache::codec::Writer::default();
    model.put(&dataset);
    std::fs::write(seeds.join("entry.lmcache"), &entry).unwrap();
    std::fs::write(seeds.join("key.bin"), &key_bytes.bytes).unwrap();
    std::fs::write(seeds.join("model.bin"), &model.bytes).unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
