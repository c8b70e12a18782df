//! `locality-map fetch` against an HTTP server on 127.0.0.1 serving copies of the official files (the Leeds ward
//! boundaries, which the embedded default carries byte for byte): a good server, one that drops the connection
//! mid-file, and one that serves the wrong file. A failed download never replaces anything.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WARDS_2019: &str = "boundaries_leeds_wards2019_bgc_wgs84";
const WARDS_2019_FILE: &str = "boundaries/Leeds_E08000035_wards_2019_BGC_WGS84.geojson";
const WARDS_2025: &str = "boundaries_leeds_wards2025_bgc_wgs84";
const WARDS_2025_FILE: &str = "boundaries/Leeds_E08000035_wards_2025_BGC_WGS84.geojson";

/// A folder laid out like the data folder holding the two ward files, decompressed from the repository's own copies.
fn mirror_folder() -> &'static Path {
    static FOLDER: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = common::scratch_for_this_process("fetch-mirror");
        std::fs::create_dir_all(dir.join("boundaries")).unwrap();
        for file in [WARDS_2019_FILE, WARDS_2025_FILE] {
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            std::fs::write(dir.join(file), common::embedded_bytes(name)).unwrap();
        }
        dir
    })
}

#[derive(Clone, Copy)]
enum Behaviour {
    /// Serves the requested file.
    Good,
    /// Promises the whole file, sends half, closes.
    DropsMidFile,
    /// Serves the 2025 wards whatever is asked for.
    WrongFile,
}

/// Starts a one-thread HTTP/1.1 server for [`mirror_folder`]; returns its base URL.
fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request_line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let relative = path
                .trim_start_matches('/')
                .replace("%28", "(")
                .replace("%29", ")")
                .replace("%20", " ");
            let relative = match behaviour {
                Behaviour::WrongFile => WARDS_2025_FILE.to_string(),
                _ => relative,
            };
            let Ok(body) = std::fs::read(mirror_folder().join(&relative)) else {
                let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                continue;
            };
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(header.as_bytes());
            let sent = match behaviour {
                Behaviour::DropsMidFile => &body[..body.len() / 2],
                _ => &body[..],
            };
            let _ = stream.write_all(sent);
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    });
    base
}

fn fetch(dest: &Path, mirror: &str, extra: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_locality-map"));
    command
        .args(["fetch", "--dest"])
        .arg(dest)
        .args(["--mirror", mirror, "--timeout", "10", "--only", WARDS_2019])
        .args(extra);
    command.output().expect("the binary runs")
}

fn temp_dest(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("locality-map-fetch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn leftovers(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".part-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_good_mirror_fills_the_folder_with_verified_copies() {
    let base = serve(Behaviour::Good);
    let dest = temp_dest("good");
    let output = fetch(&dest, &base, &["--only", WARDS_2025]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in [WARDS_2019_FILE, WARDS_2025_FILE] {
        assert_eq!(
            std::fs::read(dest.join(file)).unwrap(),
            std::fs::read(mirror_folder().join(file)).unwrap(),
            "{file} is a byte-identical copy"
        );
    }
    assert!(stdout.contains("2 written"), "{stdout}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("100%"),
        "progress is shown"
    );
    // A second run keeps the verified files rather than downloading them again.
    let again = fetch(&dest, &base, &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already present and verified"));
    let _ = std::fs::remove_dir_all(&dest);
}

#[test]
fn a_connection_dropped_mid_file_replaces_nothing() {
    let base = serve(Behaviour::DropsMidFile);
    // A fresh folder: no file appears, no partial file is left.
    let dest = temp_dest("drop-fresh");
    let output = fetch(&dest, &base, &[]);
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("FAILED") && stdout.contains("nothing was replaced"),
        "{stdout}"
    );
    assert!(!dest.join(WARDS_2019_FILE).exists());
    assert_eq!(leftovers(&dest.join("boundaries")), Vec::<String>::new());
    // A folder with an older file the planner asked to replace (--force): the old file survives the failed download.
    let dest = temp_dest("drop-existing");
    let target = dest.join(WARDS_2019_FILE);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"{\"type\": \"FeatureCollection\", \"features\": []}").unwrap();
    let output = fetch(&dest, &base, &["--force"]);
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read(&target).unwrap(),
        b"{\"type\": \"FeatureCollection\", \"features\": []}"
    );
    assert_eq!(leftovers(target.parent().unwrap()), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dest);
}

#[test]
fn a_wrong_file_fails_verification_and_is_not_written() {
    let base = serve(Behaviour::WrongFile);
    let dest = temp_dest("wrong");
    let output = fetch(&dest, &base, &[]);
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("bytes where the catalogue expects") || stdout.contains("SHA-256"),
        "{stdout}"
    );
    assert!(!dest.join(WARDS_2019_FILE).exists());
    let _ = std::fs::remove_dir_all(&dest);
}

#[test]
fn a_mirror_folder_and_a_present_but_different_file() {
    let dest = temp_dest("folder");
    let target = dest.join(WARDS_2019_FILE);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"a colleague's edited copy").unwrap();
    let mirror = mirror_folder();
    // Without --force a present file that differs from the catalogue is left alone, and said so.
    let output = fetch(&dest, mirror.to_str().unwrap(), &[]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("use --force to replace it"));
    assert_eq!(std::fs::read(&target).unwrap(), b"a colleague's edited copy");
    // With --force it is replaced by the verified official copy.
    let output = fetch(&dest, mirror.to_str().unwrap(), &["--force"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(mirror.join(WARDS_2019_FILE)).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dest);
}

#[test]
fn an_unknown_dataset_id_is_refused() {
    let dest = temp_dest("unknown");
    let output = fetch(&dest, "http://127.0.0.1:9", &["--only", "no_such_dataset"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no catalogue dataset"));
    let _ = std::fs::remove_dir_all(&dest);
}
