//! Boundary files, special files, project files, outputs and downloads a careless or hostile colleague might hand
//! over (issue 15). What still loads must give the right Leeds answers; everything else is said, naming the place.

mod support;

use locality_map::io::{LoadError, ShapefileParts, read_shapefile};
use locality_map::model::{JoinReport, LsoaVintage, Severity};
use locality_map::project::{DataFolderStatus, open_project};
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use support::*;

const LSOA11_BNG: &str = "Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson";

/// Edits the embedded Leeds LSOA 2011 boundaries as JSON.
fn edit_lsoa_boundaries(name: &str, f: impl Fn(&mut Vec<Value>)) -> PathBuf {
    embedded_copy(name, |file, bytes| {
        if file != LSOA11_BNG {
            return Some(bytes);
        }
        let mut document: Value = serde_json::from_slice(&bytes).unwrap();
        f(document["features"].as_array_mut().unwrap());
        Some(serde_json::to_vec(&document).unwrap())
    })
}

#[test]
fn holes_outside_or_around_their_shell_are_dropped_and_the_feature_named() {
    let dir = edit_lsoa_boundaries("holes", |features| {
        // Feature 1 gains a hole 50 km away; feature 2 a hole around the whole of its shell.
        let far = serde_json::json!([
            [380000.0, 380000.0],
            [380100.0, 380000.0],
            [380100.0, 380100.0],
            [380000.0, 380000.0]
        ]);
        features[0]["geometry"] = normalise_to_polygon(&features[0]["geometry"]);
        features[0]["geometry"]["coordinates"].as_array_mut().unwrap().push(far);
        features[1]["geometry"] = normalise_to_polygon(&features[1]["geometry"]);
        let around = serde_json::json!([
            [300000.0, 300000.0],
            [500000.0, 300000.0],
            [500000.0, 500000.0],
            [300000.0, 500000.0],
            [300000.0, 300000.0]
        ]);
        features[1]["geometry"]["coordinates"]
            .as_array_mut()
            .unwrap()
            .push(around);
    });
    let dataset = load(&dir);
    let outside = one_problem(
        &dataset,
        Severity::Warning,
        &["feature 1", "lies outside its outer ring", LSOA11_BNG],
    );
    assert_eq!(outside.location.as_deref(), Some("feature 1"));
    one_problem(
        &dataset,
        Severity::Warning,
        &["feature 2", "contains its outer ring", LSOA11_BNG],
    );
    let layer = &dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    assert_eq!(layer.areas.len(), 482);
    // The two features keep exactly the holes they were published with (the added ones are gone).
    let original = load(&embedded_copy("holes-original", |_, bytes| Some(bytes)));
    let original_layer = &original.lsoa_layers[&LsoaVintage::Lsoa2011];
    let holes = |layer: &locality_map::model::AreaLayer, code: &str| -> usize {
        let area = layer.areas.iter().find(|a| a.code.as_str() == code).unwrap();
        area.geometry_in_world.0.iter().map(|p| p.interiors().len()).sum()
    };
    let document: Value = serde_json::from_slice(&std::fs::read(dir.join(LSOA11_BNG)).unwrap()).unwrap();
    for feature in &document["features"].as_array().unwrap()[..2] {
        let code = feature["properties"]["LSOA11CD"].as_str().unwrap();
        assert_eq!(holes(layer, code), holes(original_layer, code), "{code}");
    }
    assert_eq!(leeds_answers(&dataset), LEEDS);
    std::fs::remove_dir_all(&dir).ok();
}

/// A Polygon geometry of the first polygon of a (Multi)Polygon.
fn normalise_to_polygon(geometry: &Value) -> Value {
    match geometry["type"].as_str() {
        Some("MultiPolygon") => serde_json::json!({"type": "Polygon", "coordinates": geometry["coordinates"][0]}),
        _ => geometry.clone(),
    }
}

#[test]
fn a_ring_that_crosses_itself_is_reported() {
    let dir = edit_lsoa_boundaries("bow-tie", |features| {
        features[2]["geometry"] = serde_json::json!({"type": "Polygon", "coordinates": [[
            [430000.0, 433000.0], [430600.0, 433500.0], [430600.0, 433000.0], [430000.0, 433300.0], [430000.0, 433000.0]
        ]]});
    });
    load_reporting_one_problem(&dir, Severity::Warning, &["feature 3", "crosses itself", LSOA11_BNG]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_code_property_given_twice_with_different_values_skips_the_feature() {
    let dir = embedded_copy("duplicate-key", |file, bytes| {
        if file != LSOA11_BNG {
            return Some(bytes);
        }
        let text = String::from_utf8(bytes).unwrap();
        // The first feature's properties start with its code: add a second, different, LSOA11CD after it.
        let at = text.find("\"LSOA11CD\"").unwrap();
        let (head, tail) = text.split_at(at);
        Some(format!("{head}\"LSOA11CD\": \"E01011999\", {tail}").into_bytes())
    });
    let needles = ["feature 1", "\"LSOA11CD\" appears twice", LSOA11_BNG];
    let dataset = load_reporting_one_problem(&dir, Severity::Warning, &needles);
    assert_eq!(dataset.lsoa_layers[&LsoaVintage::Lsoa2011].areas.len(), 481);
    std::fs::remove_dir_all(&dir).ok();
}

/// A `.shx` for a `.shp`: one entry per record, walking the records in order.
fn shx_for(shp: &[u8]) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut at = 100usize;
    while at + 8 <= shp.len() {
        let words = i32::from_be_bytes(shp[at + 4..at + 8].try_into().unwrap());
        entries.push(((at / 2) as i32, words));
        at += 8 + 2 * words as usize;
    }
    let mut shx = shp[..100].to_vec();
    shx[24..28].copy_from_slice(&((50 + 4 * entries.len()) as i32).to_be_bytes());
    for (offset, words) in entries {
        shx.extend_from_slice(&offset.to_be_bytes());
        shx.extend_from_slice(&words.to_be_bytes());
    }
    shx
}

fn read_with_shx(shx: &[u8]) -> (Result<locality_map::io::BoundaryFile, LoadError>, JoinReport) {
    let stem = Path::new("tests/malformed/missing_shx");
    let (shp, dbf, prj) = (
        std::fs::read(stem.with_extension("shp")).unwrap(),
        std::fs::read(stem.with_extension("dbf")).unwrap(),
        std::fs::read(stem.with_extension("prj")).unwrap(),
    );
    let parts = ShapefileParts {
        shp: &shp,
        shx: Some(shx),
        dbf: Some(&dbf),
        prj: Some(&prj),
    };
    let mut report = JoinReport::default();
    let result = read_shapefile(&stem.with_extension("shp"), parts, &mut report);
    (result, report)
}

#[test]
fn a_shx_whose_entries_repeat_is_not_trusted_and_every_record_draws_its_own_polygon() {
    let shp = std::fs::read("tests/malformed/missing_shx.shp").unwrap();
    let good = shx_for(&shp);
    let (file, report) = read_with_shx(&good);
    let file = file.unwrap();
    assert!(
        report.problems.iter().all(|p| p.location.as_deref() != Some("shx")),
        "{:?}",
        report.problems
    );
    let boxes: Vec<_> = file.areas.iter().map(|a| a.bbox_in_world).collect();
    // Every entry pointing at record 1 (what a broken writer left): the reader must not draw it three times.
    let mut repeated = good.clone();
    let first = repeated[100..108].to_vec();
    for entry in repeated[100..].chunks_mut(8) {
        entry.copy_from_slice(&first);
    }
    let (file, report) = read_with_shx(&repeated);
    let file = file.unwrap();
    let problem = report
        .problems
        .iter()
        .find(|p| p.location.as_deref() == Some("shx"))
        .unwrap();
    assert!(
        problem.message.contains("entries 1 and 2 point at the same"),
        "{problem}"
    );
    assert_eq!(file.areas.iter().map(|a| a.bbox_in_world).collect::<Vec<_>>(), boxes);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt as _;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(
        unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) },
        0,
        "mkfifo {}",
        path.display()
    );
}

/// Copies `tests/malformed/missing_shx` (.shp and .dbf, no .shx) into `dir` as `STEM.shp` and `STEM.dbf`.
fn copy_shapefile_without_shx(dir: &Path, stem: &str) {
    for extension in ["shp", "dbf"] {
        let from = format!("tests/malformed/missing_shx.{extension}");
        std::fs::copy(from, dir.join(format!("{stem}.{extension}"))).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn fifos_named_like_data_files_are_reported_and_never_block() {
    let dir = embedded_copy("fifo", |_, bytes| Some(bytes));
    mkfifo(&dir.join("File_1_pipe.csv"));
    copy_shapefile_without_shx(&dir, "wards");
    mkfifo(&dir.join("wards.shx"));
    mkfifo(&dir.join("wards.prj"));
    // Run the load on a thread: a blocking open would hang the test, so time out instead.
    let (sender, receiver) = std::sync::mpsc::channel();
    let folder = dir.clone();
    std::thread::spawn(move || sender.send(load(&folder)).ok());
    let dataset = receiver
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("a FIFO must not block the load");
    one_problem(&dataset, Severity::Warning, &["File_1_pipe.csv", "named pipe (FIFO)"]);
    one_problem(&dataset, Severity::Error, &["named pipe (FIFO)", "wards.shx"]);
    assert_eq!(leeds_answers(&dataset), LEEDS);
    // A project file that is a FIFO.
    let project = dir.join("p.lmap");
    mkfifo(&project);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(open_project(&project).map(|_| ())).ok());
    let opened = receiver
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("no block");
    assert!(opened.unwrap_err().to_string().contains("named pipe"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn oversized_sidecars_and_project_files_are_refused_from_their_size() {
    let dir = scratch("sidecars");
    copy_shapefile_without_shx(&dir, "w");
    let prj = std::fs::File::create(dir.join("w.prj")).unwrap();
    prj.set_len(900 << 20).unwrap(); // sparse: 900 MB on paper, nothing on disk
    let dataset = load(&dir);
    one_problem(&dataset, Severity::Error, &["over 64 KB", "w.shp"]);
    let project = dir.join("big.lmap");
    std::fs::File::create(&project).unwrap().set_len(2 << 30).unwrap();
    let error = open_project(&project).unwrap_err().to_string();
    assert!(error.contains("over the 16 MB limit"), "{error}");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn out_force_replaces_only_regular_files() {
    let (dir, target, link) = folder_with_a_link("force");
    let fifo = dir.join("pipe.png");
    mkfifo(&fifo);
    for out in [&link, &fifo, &dir] {
        let args = [
            "map",
            "--out",
            out.to_str().unwrap(),
            "--force",
            "--width",
            "400",
            "--height",
            "300",
            "--dpi",
            "50",
        ];
        let output = cli(&args, None);
        let (_, stderr) = texts(&output);
        assert!(!output.status.success(), "{}", out.display());
        assert!(
            stderr.contains("not replaced") || stderr.contains("not a regular file"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    let regular = dir.join("real.png");
    std::fs::write(&regular, "old").unwrap();
    let args = [
        "map",
        "--out",
        regular.to_str().unwrap(),
        "--force",
        "--width",
        "400",
        "--height",
        "300",
        "--dpi",
        "50",
    ];
    assert!(cli(&args, None).status.success());
    assert!(std::fs::read(&regular).unwrap().starts_with(b"\x89PNG"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_pack_rerun_removes_stale_temporary_files_and_leaves_no_staging_folder() {
    let dir = scratch("pack-stale");
    let pack = dir.join("pack");
    let args = [
        "pack",
        "--out",
        pack.to_str().unwrap(),
        "--width",
        "400",
        "--height",
        "300",
        "--dpi",
        "50",
    ];
    assert!(cli(&args, None).status.success());
    // What a pack killed midway left (process 999999 is not running).
    let stale = pack.join(".overview.png.tmp-999999-0");
    std::fs::write(&stale, "half a png").unwrap();
    let ward = std::fs::read_dir(&pack)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap()
        .path();
    let stale_in_ward = ward.join(".map.png.tmp-999999-3");
    std::fs::write(&stale_in_ward, "half").unwrap();
    std::fs::create_dir_all(dir.join(".pack.pack-999999")).unwrap();
    let mut forced = args.to_vec();
    forced.push("--force");
    let output = cli(&forced, None);
    assert!(output.status.success(), "{}", texts(&output).1);
    assert!(
        !stale.exists() && !stale_in_ward.exists(),
        "stale temporary files are removed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["pack"], "no staging folder is left beside the pack");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn a_project_data_folder_that_is_a_link_outside_needs_confirmation_and_nothing_outside_is_quoted() {
    let dir = scratch("project-link");
    let outside = scratch("project-link-outside");
    std::fs::write(outside.join("secret.csv"), "root:x:0:0:secret line\n").unwrap();
    let project_folder = dir.join("project");
    std::fs::create_dir_all(&project_folder).unwrap();
    std::os::unix::fs::symlink(&outside, project_folder.join("data")).unwrap();
    let project = project_folder.join("leeds.lmap");
    std::fs::write(
        &project,
        r#"{"format": "locality-map-project", "version": 1, "data": {"folder": "data"}}"#,
    )
    .unwrap();
    let opened = open_project(&project).unwrap();
    assert!(
        matches!(opened.data, DataFolderStatus::NeedsConfirmation { .. }),
        "{:?}",
        opened.data
    );
    let output = cli(&["validate", "--project", project.to_str().unwrap()], None);
    let (stdout, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("outside the project's folder"), "{stderr}");
    assert!(!stdout.contains("secret line") && !stderr.contains("secret line"));
    // A link inside a trusted data folder to a file outside it: read, but its first line is never printed.
    let data = embedded_copy("project-link-data", |_, bytes| Some(bytes));
    std::os::unix::fs::symlink(outside.join("secret.csv"), data.join("passwd.csv")).unwrap();
    let output = cli(&["validate"], Some(&data));
    let (stdout, stderr) = texts(&output);
    assert!(
        !stdout.contains("secret line") && !stderr.contains("secret line"),
        "{stdout}{stderr}"
    );
    assert!(stdout.contains("outside the data folder"), "{stdout}");
    for d in [&dir, &outside, &data] {
        std::fs::remove_dir_all(d).ok();
    }
}

/// An HTTP server on 127.0.0.1 that answers every request with a 200 and then `body` (it never ends on its own).
fn serve_forever(body: fn(&mut std::net::TcpStream) -> std::io::Result<()>) -> String {
    use std::io::{BufRead as _, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let header = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                if stream.write_all(header.as_bytes()).is_ok() {
                    let _ = body(&mut stream);
                }
            });
        }
    });
    base
}

fn fetch_wards(dest: &Path, mirror: &str, extra: &[&str]) -> (std::process::Output, Vec<String>) {
    let mut args = vec!["fetch", "--dest", dest.to_str().unwrap(), "--mirror", mirror];
    args.extend(["--only", "boundaries_leeds_wards2019_bgc_wgs84", "--timeout", "5"]);
    args.extend(extra);
    let output = cli(&args, None);
    let mut left: Vec<String> = Vec::new();
    for entry in walk(dest) {
        left.push(entry.file_name().unwrap().to_string_lossy().into_owned());
    }
    (output, left)
}

/// Runs `fetch_wards` into a fresh scratch folder `name` from a server that answers with `body` ([`serve_forever`]),
/// which must fail and leave no file behind; returns its stdout and stderr.
fn failed_fetch(
    name: &str,
    body: fn(&mut std::net::TcpStream) -> std::io::Result<()>,
    extra: &[&str],
) -> (String, String) {
    let mirror = serve_forever(body);
    let dest = scratch(name);
    let (output, left) = fetch_wards(&dest, &mirror, extra);
    let (stdout, stderr) = texts(&output);
    assert!(!output.status.success(), "{stdout}{stderr}");
    assert!(left.is_empty(), "no partial file is left: {left:?}");
    std::fs::remove_dir_all(&dest).ok();
    (stdout, stderr)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

#[test]
fn an_endless_download_stops_at_the_catalogued_size_and_leaves_nothing() {
    let (stdout, stderr) = failed_fetch(
        "fetch-endless",
        |stream| {
            let chunk = vec![b'x'; 64 * 1024];
            loop {
                stream.write_all(&chunk)?;
            }
        },
        &[],
    );
    assert!(
        stdout.contains("more than expected for this dataset"),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_download_that_stalls_stops_at_the_read_timeout_and_leaves_nothing() {
    // A few bytes, then nothing, with the connection held open: only the per-read timeout (5 s here) can end it.
    let (stdout, stderr) = failed_fetch(
        "fetch-stall",
        |stream| {
            stream.write_all(b"{\"type\"")?;
            stream.flush()?;
            std::thread::sleep(std::time::Duration::from_secs(600));
            Ok(())
        },
        &[],
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("FAILED"))
        .unwrap_or_else(|| panic!("{stdout}{stderr}"));
    assert!(line.contains("the download stopped after 7 bytes"), "{line}");
    assert!(
        line.ends_with("Leeds_E08000035_wards_2019_BGC_WGS84.geojson"),
        "the file last: {line}"
    );
}

#[test]
fn a_trickling_download_stops_at_the_deadline_and_leaves_nothing() {
    let (stdout, stderr) = failed_fetch(
        "fetch-trickle",
        |stream| {
            loop {
                stream.write_all(b"{")?;
                stream.flush()?;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        },
        &["--deadline", "2"],
    );
    assert!(stdout.contains("took over 2 seconds in all"), "{stdout}{stderr}");
}

#[cfg(unix)]
#[test]
fn a_mirror_file_that_is_a_device_is_not_copied() {
    let mirror = scratch("fetch-mirror-device");
    std::fs::create_dir_all(mirror.join("boundaries")).unwrap();
    std::os::unix::fs::symlink(
        "/dev/zero",
        mirror.join("boundaries/Leeds_E08000035_wards_2019_BGC_WGS84.geojson"),
    )
    .unwrap();
    let dest = scratch("fetch-mirror-device-dest");
    // A partial file left by a killed fetch is removed even by a run that then fails before downloading anything.
    let killed = dest.join("boundaries/.Leeds_E08000035_wards_2019_BGC_WGS84.geojson.part-999998");
    std::fs::create_dir_all(killed.parent().unwrap()).unwrap();
    std::fs::write(&killed, "half").unwrap();
    let (output, left) = fetch_wards(&dest, mirror.to_str().unwrap(), &[]);
    let (stdout, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(stdout.contains("not a regular file"), "{stdout}{stderr}");
    assert!(left.is_empty(), "{left:?}");
    assert!(
        !killed.exists(),
        "the killed fetch's partial file is removed by a run that fails early"
    );
    // A partial file of our naming left by a fetch that was killed (process 999999 is gone) is removed next time.
    let stale = dest.join("boundaries/.Leeds_E08000035_wards_2019_BGC_WGS84.geojson.part-999999");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "half").unwrap();
    let base = serve_forever(|stream| stream.write_all(b"not the file"));
    let _ = fetch_wards(&dest, &base, &[]);
    assert!(!stale.exists(), "the stale partial file is removed");
    std::fs::remove_dir_all(&mirror).ok();
    std::fs::remove_dir_all(&dest).ok();
}
