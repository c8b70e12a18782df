//! `kill -9` during a large PNG export, or while a processed-data cache entry is written, never leaves a torn file under the target's name.
//!
//! The test binary runs itself as the child (`child_saves_large_png`, a no-op unless `LM_KILL_CHILD_OUT` is set), which
//! saves an 18 MB PNG of noise (2,500 × 2,500 RGB, incompressible) over an existing "old" PNG through
//! `export::save_png_atomic`. The child's save is timed once; then the child is killed with SIGKILL at 60 points spread
//! over that time (about 15 s in all). After each kill the target must be the old file byte for byte or a complete new PNG that decodes
//! in full, and no stray file may carry the target's own name (leftover `.NAME.tmp-PID-N` files are counted and removed).

use locality_map::export::save_png_atomic;
use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tiny_skia::Pixmap;

const CHILD_ENV: &str = "LM_KILL_CHILD_OUT";
const SIDE: u32 = 2_500;
const KILLS: u32 = 60;

/// A pixmap of opaque noise from a xorshift generator, so that DEFLATE cannot shrink it and the save takes a while.
fn noise(side: u32, seed: u64) -> Pixmap {
    let mut pixmap = Pixmap::new(side, side).expect("pixmap");
    let mut state = seed | 1;
    for pixel in pixmap.data_mut().chunks_exact_mut(4) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        pixel[..3].copy_from_slice(&state.to_le_bytes()[..3]);
        pixel[3] = 255;
    }
    pixmap
}

/// The child: save a large PNG over the target, telling the parent when the save starts and ends.
#[test]
fn child_saves_large_png() {
    let Some(out) = std::env::var_os(CHILD_ENV) else {
        return; // Run as an ordinary test: nothing to do.
    };
    let pixmap = noise(SIDE, 0x9E37_79B9_7F4A_7C15);
    println!("saving");
    save_png_atomic(&pixmap, Path::new(&out), 300.0, true).expect("the child's save succeeds");
    println!("saved");
}

/// A child's piped stdout.
type ChildOut = BufReader<std::process::ChildStdout>;

/// Runs this test binary's test `test` as a child, with `env` set to `value` and its stdout piped.
fn spawn_test(test: &str, env: &str, value: &OsStr) -> (Child, ChildOut) {
    let mut child = Command::new(std::env::current_exe().expect("test binary path"))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(env, value)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    (child, stdout)
}

/// Reads child output up to a line containing `marker`.
fn wait_for(stdout: &mut ChildOut, marker: &str) -> bool {
    let mut line = String::new();
    loop {
        line.clear();
        match stdout.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line.contains(marker) => return true,
            Ok(_) => {}
        }
    }
}

/// Decodes a PNG in full (every IDAT, every CRC) and returns its size.
fn decode_png(bytes: &[u8]) -> Result<(u32, u32), String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buffer = vec![0; reader.output_buffer_size().ok_or("no buffer size")?];
    let info = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
    reader.finish().map_err(|e| e.to_string())?;
    Ok((info.width, info.height))
}

fn folder_entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("temp folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Checks that nothing but the target and its temporary files (`io::temp_path_beside`: a hidden
/// `.NAME.tmp-PID-N`, never the target's own name) is in the folder, removes the temporary files and counts them.
fn remove_temporary_files(folder: &Path, target_name: &str, kill: u32) -> usize {
    let mut removed = 0;
    for name in folder_entries(folder) {
        if name == target_name {
            continue;
        }
        assert!(
            name.starts_with(&format!(".{target_name}.tmp-")),
            "kill {kill}: unexpected file {name:?} beside the target"
        );
        removed += 1;
        std::fs::remove_file(folder.join(&name)).ok();
    }
    removed
}

/// Runs one child's save to its end and times it, from its "saving" to its "saved".
fn time_one_save(spawn: &dyn Fn() -> (Child, ChildOut)) -> Duration {
    let (mut child, mut stdout) = spawn();
    assert!(wait_for(&mut stdout, "saving"), "the child never started saving");
    let started = Instant::now();
    assert!(wait_for(&mut stdout, "saved"), "the child never finished saving");
    let save_time = started.elapsed();
    assert!(child.wait().expect("child exits").success());
    save_time
}

/// The file the children save over, and what it held before.
struct Target<'a> {
    folder: &'a Path,
    path: &'a Path,
    name: &'a str,
    /// "target", "entry": for the messages.
    what: &'a str,
    old_bytes: &'a [u8],
}

/// What the kills left: the old file intact, a complete new file, stray temporary files.
struct Kills {
    old_kept: u32,
    new_complete: u32,
    stray_temps: usize,
}

/// Kills `kills` children in turn, kill `i` after `delay(i)` from its start of saving, with the old file written
/// again before each: the target must then be the old file byte for byte or a new one `check_new` accepts (it panics,
/// naming the kill, on a torn one), and nothing but temporary files may be beside it.
fn kill_during_saves(
    target: &Target,
    kills: u32,
    write_old: &dyn Fn(),
    spawn: &dyn Fn() -> (Child, ChildOut),
    mut delay: impl FnMut(u32) -> Duration,
    check_new: impl Fn(&[u8], &str),
) -> Kills {
    let mut outcome = Kills {
        old_kept: 0,
        new_complete: 0,
        stray_temps: 0,
    };
    for i in 0..kills {
        write_old();
        let at = delay(i);
        let (mut child, mut stdout) = spawn();
        assert!(
            wait_for(&mut stdout, "saving"),
            "kill {i}: the child never started saving"
        );
        std::thread::sleep(at);
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let kill = format!("kill {i} at {at:?}");
        let what = target.what;
        let bytes = std::fs::read(target.path).unwrap_or_else(|e| panic!("{kill}: the {what} is gone: {e}"));
        if bytes == target.old_bytes {
            outcome.old_kept += 1;
        } else {
            check_new(&bytes, &kill);
            outcome.new_complete += 1;
        }
        outcome.stray_temps += remove_temporary_files(target.folder, target.name, i);
    }
    outcome
}

#[test]
fn kill_9_during_save_never_tears_the_target() {
    let folder = std::env::temp_dir().join(format!("lm-kill-during-save-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let target: PathBuf = folder.join("report.png");
    let target_name = "report.png";
    let old = noise(64, 7);
    let write_old = || save_png_atomic(&old, &target, 96.0, true).expect("old file saved");
    write_old();
    let old_bytes = std::fs::read(&target).expect("old file");

    let spawn = || spawn_test("child_saves_large_png", CHILD_ENV, target.as_os_str());
    // Time one whole save once.
    let save_time = time_one_save(&spawn);
    let new_bytes_len = std::fs::read(&target).expect("new file").len();
    assert_eq!(decode_png(&std::fs::read(&target).expect("new file")), Ok((SIDE, SIDE)));
    eprintln!("one save of a {new_bytes_len}-byte PNG takes {save_time:?}");

    let mut seed = u64::from(std::process::id()) ^ 0x2545_F491_4F6C_DD1D;
    let mut random_fraction = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let saved = Target {
        folder: &folder,
        path: &target,
        name: target_name,
        what: "target",
        old_bytes: &old_bytes,
    };
    // Stratified: kill i falls at a random point in the i-th sixtieth of 1.25 × the save time (the last ones land
    // after the rename, which must then show the complete new file).
    let delay = |i: u32| save_time.mul_f64(1.25 * (f64::from(i) + random_fraction()) / f64::from(KILLS));
    let check_new = |bytes: &[u8], kill: &str| match decode_png(bytes) {
        Ok(size) => assert_eq!(size, (SIDE, SIDE), "{kill}: a PNG of the wrong size"),
        Err(e) => panic!("{kill}: the target is torn ({} bytes): {e}", bytes.len()),
    };
    let Kills {
        old_kept,
        new_complete,
        stray_temps,
    } = kill_during_saves(&saved, KILLS, &write_old, &spawn, delay, check_new);
    eprintln!(
        "{KILLS} kills: old file intact {old_kept}, complete new file {new_complete}, stray temporary files left by kill -9 {stray_temps}"
    );
    assert_eq!(old_kept + new_complete, KILLS);
    assert!(old_kept > 0, "no kill landed during the save: the timing is off");
    std::fs::remove_dir_all(&folder).ok();
}

const CACHE_CHILD_ENV: &str = "LM_KILL_CACHE_CHILD_DIR";

/// The child of the cache test: load the embedded default from its files, then save it as a cache entry in the
/// folder named by the environment (over a stale entry of the same name), telling the parent when the save starts
/// and ends.
#[test]
fn child_saves_cache_entry() {
    use locality_map::io::cache::{CacheKey, save_entry};
    use locality_map::io::{DataSource, LoadOptions, load_dataset};
    let Some(folder) = std::env::var_os(CACHE_CHILD_ENV) else {
        return;
    };
    let options = LoadOptions::default();
    let key = CacheKey::of(&DataSource::Embedded, &options).expect("key");
    let dataset = load_dataset(&DataSource::Embedded, &options).expect("loads");
    println!("saving");
    save_entry(Path::new(&folder), &key, &dataset).expect("the child's save succeeds");
    println!("saved");
}

/// `kill -9` while a processed-data cache entry is written: the entry is the old one byte for byte or a complete
/// new one (checksum, key and model all decode), never torn; the next load works either way.
#[test]
fn kill_9_during_cache_write_leaves_the_old_entry_or_a_whole_new_one() {
    use locality_map::io::cache::{CacheKey, CacheSettings, decode_entry, encode_entry, load_dataset_cached};
    use locality_map::io::{DataSource, LoadOptions, load_dataset};
    const CACHE_KILLS: u32 = 30;
    let folder = std::env::temp_dir().join(format!("lm-kill-during-cache-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let options = LoadOptions::default();
    let key = CacheKey::of(&DataSource::Embedded, &options).expect("key");
    let target = folder.join(key.entry_name());
    let target_name = key.entry_name();
    // The old entry: a sound file of the same name, made from other sources (a stale key), so the child replaces it.
    let mut stale = key.clone();
    stale.files[0].hash.0 ^= 1;
    let old_bytes = encode_entry(&stale, &load_dataset(&DataSource::Embedded, &options).expect("loads"));
    let write_old = || std::fs::write(&target, &old_bytes).expect("old entry");
    let spawn = || spawn_test("child_saves_cache_entry", CACHE_CHILD_ENV, folder.as_os_str());
    write_old();
    let save_time = time_one_save(&spawn);
    let (new_key, _) = decode_entry(&std::fs::read(&target).expect("new entry")).expect("a whole entry");
    assert_eq!(new_key, key);
    eprintln!("one save of the embedded default's cache entry takes {save_time:?}");

    let saved = Target {
        folder: &folder,
        path: &target,
        name: &target_name,
        what: "entry",
        old_bytes: &old_bytes,
    };
    let delay = |i: u32| save_time.mul_f64(1.25 * (f64::from(i) + 0.5) / f64::from(CACHE_KILLS));
    let check_new = |bytes: &[u8], kill: &str| match decode_entry(bytes) {
        Ok((k, _)) if k == key => {}
        Ok(_) => panic!("{kill}: an entry with the wrong key"),
        Err(e) => panic!("{kill}: the entry is torn ({} bytes): {e:?}", bytes.len()),
    };
    let Kills {
        old_kept,
        new_complete,
        stray_temps,
    } = kill_during_saves(&saved, CACHE_KILLS, &write_old, &spawn, delay, check_new);
    eprintln!(
        "{CACHE_KILLS} kills: old entry intact {old_kept}, complete new entry {new_complete}, stray temporary files {stray_temps}"
    );
    assert_eq!(old_kept + new_complete, CACHE_KILLS);
    assert!(old_kept > 0, "no kill landed during the save: the timing is off");
    // Whatever was left, the next load through the cache works and says nothing is wrong.
    let settings = CacheSettings {
        folder: Some(folder.clone()),
    };
    let (_, outcome) = load_dataset_cached(&DataSource::Embedded, &options, &settings).expect("loads");
    assert!(outcome.note().is_none(), "{outcome:?}");
    std::fs::remove_dir_all(&folder).ok();
}
