//! PNG encoding with the resolution recorded (pHYs), and atomic saving of exports through `io::save_atomic` (a
//! temporary file beside the target, fsync, rename), so an interrupted export never leaves a half-written file.

use super::ExportError;
use std::io::Write;
use std::path::Path;
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

/// Saves a pixmap as a PNG with pHYs set to `dpi`. Refuses to replace an existing file unless `overwrite` says so (`true`, or a [`crate::io::Replace`]). Atomic,
/// through [`crate::io::save_atomic`]: an interrupted export never leaves a half-written image under the target's name.
pub fn save_png_atomic(
    pixmap: &Pixmap,
    path: &Path,
    dpi: f32,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    crate::io::save_atomic_to(path, overwrite.into(), |out| {
        write_png(pixmap, dpi, out).map_err(|e| match e {
            png::EncodingError::IoError(e) => e,
            e => std::io::Error::other(e),
        })
    })
    .map_err(ExportError::from)
}

/// Saves any export atomically (see [`crate::io::save_atomic`]), as an [`ExportError`].
pub fn save_atomic(
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    crate::io::save_atomic(path, overwrite, write).map_err(ExportError::from)
}
