//! PNG encoding with the resolution recorded (pHYs), and atomic saving: a temporary file beside the target, fsync,
//! rename, so an interrupted export never leaves a half-written image under the target's name.

use super::ExportError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tiny_skia::Pixmap;

/// Metres per inch, for pHYs (which counts pixels per metre).
const METRES_PER_INCH: f64 = 0.0254;

/// Pixels per metre for a DPI, as pHYs stores it.
///
/// ```
/// assert_eq!(locality_map::export::pixels_per_metre(300.0), 11_811);
/// ```
pub fn pixels_per_metre(dpi: f32) -> u32 {
    (f64::from(dpi) / METRES_PER_INCH).round() as u32
}

/// Encodes a pixmap as PNG into `out`: RGB when every pixel is opaque (a quarter smaller, and quicker), else RGBA with
/// straight alpha. Fast DEFLATE: flat map colours compress well with it and an A4 page encodes in a fraction of the
/// time of the default level.
pub fn write_png(pixmap: &Pixmap, dpi: f32, out: impl Write) -> Result<(), png::EncodingError> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let mut encoder = png::Encoder::new(out, pixmap.width(), pixmap.height());
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: pixels_per_metre(dpi),
        yppu: pixels_per_metre(dpi),
        unit: png::Unit::Meter,
    }));
    let data: Vec<u8> = if opaque {
        encoder.set_color(png::ColorType::Rgb);
        let mut rgb = Vec::with_capacity(pixmap.pixels().len() * 3);
        for p in pixmap.pixels() {
            rgb.extend_from_slice(&[p.red(), p.green(), p.blue()]);
        }
        rgb
    } else {
        encoder.set_color(png::ColorType::Rgba);
        let mut rgba = Vec::with_capacity(pixmap.pixels().len() * 4);
        for p in pixmap.pixels() {
            let c = p.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        rgba
    };
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()
}

/// Saves a pixmap as a PNG with pHYs set to `dpi`. Refuses to replace an existing file unless `overwrite`. Atomic:
/// the image is written to a hidden temporary file in the same folder, synced, then renamed over the target.
pub fn save_png_atomic(pixmap: &Pixmap, path: &Path, dpi: f32, overwrite: bool) -> Result<(), ExportError> {
    if !overwrite && path.exists() {
        return Err(ExportError::Exists { path: path.into() });
    }
    let temp = temp_path_beside(path);
    let result = write_temp(pixmap, dpi, &temp, path).and_then(|()| {
        std::fs::rename(&temp, path).map_err(|source| ExportError::Io {
            path: path.into(),
            source,
        })
    });
    if result.is_err() {
        // The temporary file is ours and useless now; the error that matters is the one returned.
        std::fs::remove_file(&temp).ok();
        return result;
    }
    sync_folder_of(path);
    Ok(())
}

/// `.<name>.<pid>.tmp` in the target's folder (same file system, so the rename is atomic).
fn temp_path_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_temp(pixmap: &Pixmap, dpi: f32, temp: &Path, target: &Path) -> Result<(), ExportError> {
    let io_error = |source| ExportError::Io {
        path: target.into(),
        source,
    };
    let file = File::create(temp).map_err(io_error)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write_png(pixmap, dpi, &mut out).map_err(|source| match source {
        png::EncodingError::IoError(source) => io_error(source),
        source => ExportError::Encode {
            path: target.into(),
            source,
        },
    })?;
    let file = out.into_inner().map_err(|e| io_error(e.into_error()))?;
    file.sync_all().map_err(io_error)
}

/// Makes the rename durable. Best effort: some file systems cannot sync a folder, and the image is already complete.
fn sync_folder_of(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder).and_then(|f| f.sync_all()).ok();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_file_is_hidden_beside_the_target() {
        let temp = temp_path_beside(Path::new("/a/b/map.png"));
        assert_eq!(temp.parent(), Some(Path::new("/a/b")));
        assert!(temp.file_name().unwrap().to_string_lossy().starts_with(".map.png."));
    }
}
