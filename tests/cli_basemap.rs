//! The street basemap from the command line (`map --basemap [--tile-url URL]`), against a tile server made by the
//! test: a PNG blends the tiles under the fills, an SVG embeds them as an `<image>` beneath the map, a PDF as an image
//! XObject, each with the OpenStreetMap attribution; and without `--basemap` no request reaches the server.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::Ordering;

/// `locality-map map` on the embedded default with the tile cache in `cache` (never the planner's own).
fn map(args: &[&str], out: &Path, cache: &Path) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .current_dir(std::env::temp_dir())
        .env_remove("LOCALITY_MAP_DATA")
        .env_remove("LOCALITY_MAP_TILE_URL")
        .env("LOCALITY_MAP_TILE_CACHE", cache)
        .args([
            "map", "--la", "Leeds", "--from", "2015", "--to", "2019", "--force", "--out",
        ])
        .arg(out)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "map {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Pixels of the tiles' stripe purple, alone or under a light fill (blue above red well above green; no class of the
/// map's palette is so) in an RGB(A) image.
fn purple_pixels(pixels: &[u8], channels: usize) -> usize {
    pixels
        .chunks(channels)
        .filter(|p| {
            let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            b > r + 10 && b > g + 25 && r > g
        })
        .count()
}

fn decode_png(path: &Path) -> (Vec<u8>, usize, [u32; 2]) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (pixels, info.color_type.samples(), [info.width, info.height])
}

#[test]
fn map_draws_the_basemap_only_with_the_flag_in_png_svg_and_pdf() {
    let (url, connections) = common::tile_server(common::striped_tile());
    let dir = common::scratch_for_this_process("cli-basemap");
    let cache = dir.join("tiles");
    let small = ["--width", "1200", "--height", "850", "--dpi", "100"];

    // Without --basemap: no socket reaches the server, whatever the format.
    let plain = dir.join("plain.png");
    map(&small, &plain, &cache);
    map(&[], &dir.join("plain.svg"), &cache);
    map(&["--paper", "a4"], &dir.join("plain.pdf"), &cache);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "nothing fetched without --basemap"
    );
    assert!(!cache.exists(), "nor cached");

    // With it: tiles requested, cached, and showing through the fills.
    let with = dir.join("basemap.png");
    let tile_url = ["--basemap", "--tile-url", url.as_str()];
    map(&[&small[..], &tile_url[..]].concat(), &with, &cache);
    let fetched = connections.load(Ordering::SeqCst);
    assert!(fetched > 0, "tiles requested");
    assert!(cache.is_dir(), "and cached for next time");
    let (plain_px, plain_ch, plain_size) = decode_png(&plain);
    let (with_px, with_ch, with_size) = decode_png(&with);
    assert_eq!(plain_size, with_size);
    let differing = plain_px
        .chunks(plain_ch)
        .zip(with_px.chunks(with_ch))
        .filter(|(a, b)| a[..3] != b[..3])
        .count();
    let total = (plain_size[0] * plain_size[1]) as usize;
    assert!(
        differing > total / 5,
        "the basemap changes the map's pixels: {differing} of {total}"
    );
    // The plain map has a few hundred such pixels at most (anti-aliased edges between red and blue fills).
    assert!(
        purple_pixels(&plain_px, plain_ch) < 1_000,
        "{}",
        purple_pixels(&plain_px, plain_ch)
    );
    assert!(
        purple_pixels(&with_px, with_ch) > 10_000,
        "the stripes show through the fills' transparency: {}",
        purple_pixels(&with_px, with_ch)
    );

    // SVG: the tiles embedded as one image beneath the map's group, and the attribution as text.
    let svg_path = dir.join("basemap.svg");
    map(&tile_url, &svg_path, &cache);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let plain_svg = std::fs::read_to_string(dir.join("plain.svg")).unwrap();
    let image_at = svg.find("<image ").expect("an <image> in the SVG");
    assert!(svg[image_at..].contains("data:image/png;base64,"));
    let group_at = svg
        .find("<g opacity=\"0.700\">")
        .expect("the map drawn over it as a layer");
    assert!(image_at < group_at, "the image is beneath the fills");
    assert!(svg.contains("© OpenStreetMap contributors"));
    assert!(!plain_svg.contains("<image ") && !plain_svg.contains("OpenStreetMap"));

    // PDF: the attribution in its text, and the tiles in its pixels.
    let pdf_path = dir.join("basemap.pdf");
    map(&["--paper", "a4", "--basemap", "--tile-url", &url], &pdf_path, &cache);
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("/Subtype /Image"));
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("SKIPPED: pdftotext not installed (apt-get install poppler-utils): the PDF's text is not checked");
    } else {
        let text = Command::new("pdftotext").arg(&pdf_path).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("© OpenStreetMap contributors"), "{text}");
        let plain_text = Command::new("pdftotext")
            .arg(dir.join("plain.pdf"))
            .arg("-")
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&plain_text.stdout).contains("OpenStreetMap"));
    }
    if Command::new("pdftoppm").arg("-v").output().is_err() {
        eprintln!("SKIPPED: pdftoppm not installed (apt-get install poppler-utils): the PDF's pixels are not checked");
    } else {
        let prefix = dir.join("page");
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "72", "-singlefile"])
            .arg(&pdf_path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let (pixels, channels, _) = decode_png(&prefix.with_extension("png"));
        assert!(
            purple_pixels(&pixels, channels) > 5_000,
            "the PDF shows the tiles under its fills: {}",
            purple_pixels(&pixels, channels)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_tile_url_needs_the_basemap_and_placeholders() {
    let dir = common::scratch_for_this_process("cli-basemap-args");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_locality-map"))
            .current_dir(std::env::temp_dir())
            .args(["map", "--out"])
            .arg(dir.join("x.png"))
            .args(args)
            .output()
            .unwrap()
    };
    let without = run(&["--tile-url", "http://127.0.0.1:1/{z}/{x}/{y}.png"]);
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("--basemap"));
    let bad = run(&["--basemap", "--tile-url", "http://127.0.0.1:1/tiles"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("{z}"));
    assert!(!dir.join("x.png").exists());
    std::fs::remove_dir_all(&dir).ok();
}
