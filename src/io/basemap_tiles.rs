//! Street basemap tiles: which OpenStreetMap raster tiles (Web Mercator "slippy map" tiles, 256 px) cover a part of
//! the map, where their corners fall in British National Grid metres, and fetching them — from the disk cache first,
//! else over HTTP — with the cache written atomically. Nothing here runs unless the planner switches the basemap on:
//! the window only creates a [`TileSource`] then.
//!
//! The map is in BNG metres and tiles are in Web Mercator, so each tile is placed by projecting its four corners to
//! BNG and drawing it as a quad between them (an affine-per-triangle approximation of the reprojection). Across one
//! tile at LA zooms (z 11–16, 1.2 km to 40 m) the curvature between the two projections moves a pixel by far less than
//! a pixel, so the approximation does not show; at national zooms tiles are not drawn (see [`MAX_TILES`]).
//!
//! The tile server is `$LOCALITY_MAP_TILE_URL` (a template with `{z}`, `{x}`, `{y}`), else OpenStreetMap's own
//! (whose usage policy asks for an identifying User-Agent and a local cache, both kept); the cache folder is
//! `$LOCALITY_MAP_TILE_CACHE`, else the platform cache folder (`$XDG_CACHE_HOME` or `~/.cache` on Linux,
//! `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) under `locality-map/tiles/<server>`.

use super::crs::{lonlat_from_world, world_from_lonlat};
use geo::{Coord, Rect};
use std::io::Read as _;
use std::path::PathBuf;
use std::time::Duration;

/// OpenStreetMap's standard tile layer.
pub const OSM_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The attribution OpenStreetMap's licence (ODbL) requires wherever its tiles are shown.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// Tile side in pixels.
pub const TILE_PX: u32 = 256;

/// Deepest zoom OpenStreetMap serves.
pub const MAX_ZOOM: u8 = 19;

/// Most tiles drawn for one view: beyond it (a view wider than a county) the basemap is left out rather than
/// downloading hundreds of tiles.
pub const MAX_TILES: usize = 96;

/// Largest tile accepted, in bytes (OSM tiles are 5–60 kB).
pub const MAX_TILE_BYTES: u64 = 2 << 20;

/// Web Mercator's half circumference, in metres.
const MERCATOR_HALF_M: f64 = 20_037_508.342_789_244;

/// One tile of the pyramid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom level.
    pub z: u8,
    /// Column, from 180° W.
    pub x: u32,
    /// Row, from 85.05° N.
    pub y: u32,
}

/// The longitude and latitude (degrees) of a tile grid point: `(x, y)` at zoom `z`, the tile's top-left corner.
pub fn lonlat_of_tile_corner(z: u8, x: u32, y: u32) -> Coord<f64> {
    let n = f64::from(1u32 << z);
    let lon = f64::from(x) / n * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * f64::from(y) / n))
        .sinh()
        .atan()
        .to_degrees();
    Coord { x: lon, y: lat }
}

/// The tile grid position (fractional) of a longitude and latitude at zoom `z`.
pub fn tile_position_of(lonlat: Coord<f64>, z: u8) -> [f64; 2] {
    let n = f64::from(1u32 << z);
    let lat = lonlat.y.to_radians();
    let x = (lonlat.x + 180.0) / 360.0 * n;
    let y = (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0 * n;
    [x, y]
}

impl TileId {
    /// The tile's corners in BNG metres: top-left, top-right, bottom-right, bottom-left.
    pub fn corners_in_world(&self) -> Option<[Coord<f64>; 4]> {
        let corner = |dx: u32, dy: u32| world_from_lonlat(lonlat_of_tile_corner(self.z, self.x + dx, self.y + dy));
        Some([corner(0, 0)?, corner(1, 0)?, corner(1, 1)?, corner(0, 1)?])
    }
}

/// The zoom whose tile pixels are closest to `metres_per_pixel` on the ground at latitude `lat` (degrees).
pub fn zoom_for(metres_per_pixel: f64, lat: f64) -> u8 {
    let ground_at_zero = 2.0 * MERCATOR_HALF_M / f64::from(TILE_PX) * lat.to_radians().cos();
    let z = (ground_at_zero / metres_per_pixel.max(1e-3)).log2().round();
    z.clamp(0.0, f64::from(MAX_ZOOM)) as u8
}

/// The tiles covering a BNG rectangle shown at `metres_per_pixel`, nearest the middle first (so the centre of the
/// view arrives first): at the zoom matching the resolution, or up to two levels coarser to stay within
/// [`MAX_TILES`]; empty when even that needs more, or the rectangle cannot be projected.
pub fn tiles_covering(bbox_in_world: Rect<f64>, metres_per_pixel: f64) -> Vec<TileId> {
    let corners = [
        bbox_in_world.min(),
        Coord {
            x: bbox_in_world.max().x,
            y: bbox_in_world.min().y,
        },
        bbox_in_world.max(),
        Coord {
            x: bbox_in_world.min().x,
            y: bbox_in_world.max().y,
        },
    ];
    let Some(lonlats) = corners
        .iter()
        .map(|c| lonlat_from_world(*c))
        .collect::<Option<Vec<_>>>()
    else {
        return Vec::new();
    };
    let mid_lat = lonlats.iter().map(|c| c.y).sum::<f64>() / 4.0;
    let finest = zoom_for(metres_per_pixel, mid_lat);
    // Up to two levels coarser (tiles drawn at up to 4× their size) rather than more than MAX_TILES of them.
    let Some((z, (x0, x1), (y0, y1))) = (0..=2u8)
        .filter_map(|step| finest.checked_sub(step))
        .map(|z| {
            let positions: Vec<[f64; 2]> = lonlats.iter().map(|c| tile_position_of(*c, z)).collect();
            let last = (1u64 << z) as f64 - 1.0;
            let range = |axis: usize| {
                let low = positions.iter().map(|p| p[axis]).fold(f64::INFINITY, f64::min);
                let high = positions.iter().map(|p| p[axis]).fold(f64::NEG_INFINITY, f64::max);
                (
                    low.floor().clamp(0.0, last) as u32,
                    high.floor().clamp(0.0, last) as u32,
                )
            };
            (z, range(0), range(1))
        })
        .find(|(_, (x0, x1), (y0, y1))| (u64::from(x1 - x0) + 1) * (u64::from(y1 - y0) + 1) <= MAX_TILES as u64)
    else {
        return Vec::new();
    };
    let centre = [
        (f64::from(x0) + f64::from(x1)) / 2.0,
        (f64::from(y0) + f64::from(y1)) / 2.0,
    ];
    let mut tiles: Vec<TileId> = (y0..=y1)
        .flat_map(|y| (x0..=x1).map(move |x| TileId { z, x, y }))
        .collect();
    tiles.sort_by(|a, b| {
        let d = |t: &TileId| (f64::from(t.x) - centre[0]).hypot(f64::from(t.y) - centre[1]);
        d(a).total_cmp(&d(b)).then(a.cmp(b))
    });
    tiles
}

/// Why a tile could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    /// The server could not be reached or answered with an error.
    #[error("tile {z}/{x}/{y}: {reason} — {url}")]
    Fetch {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
        /// What went wrong.
        reason: String,
        /// The tile's address.
        url: String,
    },
    /// The bytes are not a PNG tile.
    #[error("tile {z}/{x}/{y} is not a readable PNG ({reason}) — {url}")]
    Decode {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
        /// What the decoder said.
        reason: String,
        /// Where it came from.
        url: String,
    },
}

/// A decoded tile: RGBA, row by row from the top.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileImage {
    /// Width and height in pixels.
    pub size_px: [usize; 2],
    /// Unpremultiplied RGBA bytes.
    pub rgba: Vec<u8>,
}

/// Where tiles come from and where they are kept.
#[derive(Clone, Debug)]
pub struct TileSource {
    /// URL template with `{z}`, `{x}` and `{y}`.
    pub url_template: String,
    /// The folder tiles are cached in (`z/x/y.png` below it).
    pub cache_dir: PathBuf,
    agent: ureq::Agent,
}

/// Two sources are the same when they fetch the same URLs into the same cache.
impl PartialEq for TileSource {
    fn eq(&self, other: &Self) -> bool {
        self.url_template == other.url_template && self.cache_dir == other.cache_dir
    }
}

impl TileSource {
    /// The source the environment names (see the module documentation), else OpenStreetMap's.
    pub fn from_env() -> Self {
        let url = std::env::var("LOCALITY_MAP_TILE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| OSM_TILE_URL.to_string());
        let cache = std::env::var_os("LOCALITY_MAP_TILE_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                platform_cache_dir()
                    .join("locality-map")
                    .join("tiles")
                    .join(server_folder(&url))
            });
        Self::new(url, cache)
    }

    /// The source a planner names (the window's tile URL setting, the CLI's `--tile-url`), else the environment's
    /// ([`TileSource::from_env`]): a named server gets its own cache folder beside the default one (or
    /// `$LOCALITY_MAP_TILE_CACHE`). The window's basemap, its exports and the CLI share these folders.
    pub fn for_url(url: Option<&str>) -> Self {
        let env = Self::from_env();
        match url {
            Some(url) if !url.trim().is_empty() => {
                let cache = match std::env::var_os("LOCALITY_MAP_TILE_CACHE") {
                    Some(dir) => PathBuf::from(dir),
                    None => env
                        .cache_dir
                        .parent()
                        .map_or(env.cache_dir.clone(), |p| p.join(server_folder(url))),
                };
                Self::new(url.to_string(), cache)
            }
            _ => env,
        }
    }

    /// Tiles from `url_template`, cached in `cache_dir`.
    pub fn new(url_template: String, cache_dir: PathBuf) -> Self {
        let loopback = url_template.contains("://127.0.0.1") || url_template.contains("://localhost");
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .timeout_connect(Some(Duration::from_secs(10)))
            // OSM's tile usage policy: identify the application.
            .user_agent(concat!(
                "LocalityMap/",
                env!("CARGO_PKG_VERSION"),
                " (council planning GIS)"
            ))
            .http_status_as_error(true);
        if loopback {
            // A local tile server (tests, a council's own) is never reached through a proxy.
            config = config.proxy(None);
        }
        Self {
            url_template,
            cache_dir,
            agent: config.build().into(),
        }
    }

    /// The tile's address.
    pub fn url_of(&self, tile: TileId) -> String {
        self.url_template
            .replace("{z}", &tile.z.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    /// Where the tile is cached.
    pub fn cache_path_of(&self, tile: TileId) -> PathBuf {
        self.cache_dir
            .join(tile.z.to_string())
            .join(tile.x.to_string())
            .join(format!("{}.png", tile.y))
    }

    /// The tile's PNG bytes from the cache, else downloaded (and then cached; a cache that cannot be written is not
    /// an error, the tile is still shown). `downloaded` says which.
    pub fn tile_bytes(&self, tile: TileId) -> Result<(Vec<u8>, bool), TileError> {
        let path = self.cache_path_of(tile);
        if let Ok(bytes) = read_capped(&path)
            && !bytes.is_empty()
        {
            return Ok((bytes, false));
        }
        let url = self.url_of(tile);
        let failed = |reason: String| TileError::Fetch {
            z: tile.z,
            x: tile.x,
            y: tile.y,
            reason,
            url: url.clone(),
        };
        let response = self.agent.get(&url).call().map_err(|e| failed(e.to_string()))?;
        let mut bytes = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(MAX_TILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| failed(e.to_string()))?;
        if bytes.len() as u64 > MAX_TILE_BYTES {
            return Err(failed(format!("more than {MAX_TILE_BYTES} bytes")));
        }
        if let Some(folder) = path.parent()
            && std::fs::create_dir_all(folder).is_ok()
        {
            super::save_atomic(&path, true, |out| out.write_all(&bytes)).ok();
        }
        Ok((bytes, true))
    }

    /// The tile decoded (see [`Self::tile_bytes`]).
    pub fn tile(&self, tile: TileId) -> Result<(TileImage, bool), TileError> {
        let (bytes, downloaded) = self.tile_bytes(tile)?;
        let image = decode_tile(&bytes).map_err(|reason| {
            if !downloaded {
                // A damaged cache file is dropped so the next request downloads it again.
                std::fs::remove_file(self.cache_path_of(tile)).ok();
            }
            TileError::Decode {
                z: tile.z,
                x: tile.x,
                y: tile.y,
                reason,
                url: self.url_of(tile),
            }
        })?;
        Ok((image, downloaded))
    }
}

/// Reads a cached tile, refusing anything but a regular file of at most [`MAX_TILE_BYTES`].
fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() || meta.len() > MAX_TILE_BYTES {
        return Err(std::io::Error::other("not a tile"));
    }
    std::fs::read(path)
}

/// Decodes PNG bytes (palette, grey, RGB or RGBA; 8 or 16 bits) to RGBA, refusing anything larger than a tile of 512
/// pixels a side (a "retina" tile) before allocating for it.
pub fn decode_tile(bytes: &[u8]) -> Result<TileImage, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    if width == 0 || height == 0 || width > 512 || height > 512 {
        return Err(format!("{width}×{height} pixels is not a tile"));
    }
    let mut buffer = vec![0u8; reader.output_buffer_size().ok_or("image too large")?];
    let frame = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
    let data = &buffer[..frame.buffer_size()];
    let rgba: Vec<u8> = match frame.color_type {
        png::ColorType::Rgba => data.to_vec(),
        png::ColorType::Rgb => data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => data.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(),
        png::ColorType::Grayscale => data.iter().flat_map(|g| [*g, *g, *g, 255]).collect(),
        png::ColorType::Indexed => return Err("palette not expanded".into()),
    };
    if rgba.len() != width * height * 4 {
        return Err("truncated image".into());
    }
    Ok(TileImage {
        size_px: [width, height],
        rgba,
    })
}

/// The platform's per-user cache folder.
fn platform_cache_dir() -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "windows") {
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            return PathBuf::from(local);
        }
    } else if cfg!(target_os = "macos") {
        if let Some(home) = home() {
            return home.join("Library").join("Caches");
        }
    } else if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(xdg);
    } else if let Some(home) = home() {
        return home.join(".cache");
    }
    std::env::temp_dir()
}

/// A folder name for a tile server (its host, with anything unsafe in a file name replaced), so tiles of two servers
/// never mix in the cache.
pub fn server_folder(url: &str) -> String {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("tiles");
    host.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_corners_and_positions_are_inverse() {
        // Zoom 0: one tile, from 180° W at the top-left.
        let top_left = lonlat_of_tile_corner(0, 0, 0);
        assert!((top_left.x + 180.0).abs() < 1e-9 && (top_left.y - 85.051_128_779_8).abs() < 1e-6);
        let leeds = Coord { x: -1.5491, y: 53.8 };
        let [x, y] = tile_position_of(leeds, 13);
        // By hand: x = (180 − 1.5491) / 360 × 8192 = 4060.5; y = (1 − asinh(tan 53.8°) / π) / 2 × 8192
        // = (1 − 1.1182 / π) / 2 × 8192 = 2638.1.
        assert_eq!((x.floor() as u32, y.floor() as u32), (4060, 2638));
        let back = lonlat_of_tile_corner(13, 4060, 2638);
        assert!(back.x <= leeds.x && back.y >= leeds.y, "top-left of its tile");
    }

    #[test]
    fn the_zoom_matches_the_ground_resolution() {
        // At 53.8° N a zoom-13 pixel is 156,543 × cos(53.8°) / 2^13 ≈ 11.3 m.
        assert_eq!(zoom_for(11.3, 53.8), 13);
        assert_eq!(zoom_for(2.8, 53.8), 15);
        assert_eq!(zoom_for(0.001, 53.8), MAX_ZOOM);
    }

    #[test]
    fn a_ward_sized_view_needs_a_few_tiles_and_england_none() {
        // 4 km around Leeds centre at 10 m a pixel: zoom 13, a handful of tiles, each with corners about 3 km apart.
        let bbox = Rect::new(
            Coord {
                x: 427_700.0,
                y: 431_800.0,
            },
            Coord {
                x: 431_700.0,
                y: 435_800.0,
            },
        );
        let tiles = tiles_covering(bbox, 10.0);
        assert!((1..=9).contains(&tiles.len()), "{tiles:?}");
        assert!(tiles.iter().all(|t| t.z == 13));
        let corners = tiles[0].corners_in_world().unwrap();
        let width = corners[1].x - corners[0].x;
        assert!((2_500.0..3_300.0).contains(&width), "{width}");
        assert!(corners[0].y > corners[3].y, "north up");
        // Across England at 10 m a pixel: far more than MAX_TILES, so none.
        let england = Rect::new(
            Coord { x: 100_000.0, y: 0.0 },
            Coord {
                x: 650_000.0,
                y: 650_000.0,
            },
        );
        assert!(tiles_covering(england, 10.0).is_empty());
    }

    #[test]
    fn png_tiles_decode_to_rgba_and_junk_is_refused() {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 2, 1);
            encoder.set_color(png::ColorType::Rgb);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[255, 0, 0, 0, 0, 255]).unwrap();
        }
        let image = decode_tile(&bytes).unwrap();
        assert_eq!(image.size_px, [2, 1]);
        assert_eq!(image.rgba, [255, 0, 0, 255, 0, 0, 255, 255]);
        assert!(decode_tile(b"<html>rate limited</html>").is_err());
    }

    #[test]
    fn urls_and_cache_paths_name_the_tile() {
        let source = TileSource::new("http://127.0.0.1:9/{z}/{x}/{y}.png".into(), PathBuf::from("/c"));
        let tile = TileId {
            z: 13,
            x: 4060,
            y: 2638,
        };
        assert_eq!(source.url_of(tile), "http://127.0.0.1:9/13/4060/2638.png");
        assert_eq!(source.cache_path_of(tile), PathBuf::from("/c/13/4060/2638.png"));
        assert_eq!(server_folder(OSM_TILE_URL), "tile.openstreetmap.org");
    }
}
