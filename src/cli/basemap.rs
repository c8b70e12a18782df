//! `--basemap` and `--tile-url`, flattened into `map` and `pack`: the window's street basemap in the CLI's exports.
//! Nothing is fetched unless `--basemap` is given; tiles come from the same server and disk cache as the window's
//! (`$LOCALITY_MAP_TILE_URL`, `$LOCALITY_MAP_TILE_CACHE`, else OpenStreetMap's and the platform cache folder).

use crate::io::TileSource;
use clap::Args;

/// The street basemap options.
#[derive(Clone, Debug, Default, Args)]
pub struct BasemapArgs {
    /// Draw the OpenStreetMap street basemap under the fills (PNG, SVG and PDF; adds "© OpenStreetMap
    /// contributors"). Downloads the tiles it needs, unless already cached; without it nothing is fetched
    #[arg(long)]
    pub basemap: bool,
    /// With --basemap: the tile server, a URL template with {z}, {x} and {y}
    /// [default: $LOCALITY_MAP_TILE_URL, else https://tile.openstreetmap.org/{z}/{x}/{y}.png]
    #[arg(long, value_name = "URL", requires = "basemap", value_parser = parse_tile_url)]
    pub tile_url: Option<String>,
}

impl BasemapArgs {
    /// The tile source when `--basemap` was given, else `None` (and no connection is ever made).
    pub fn source(&self) -> Option<TileSource> {
        self.basemap.then(|| TileSource::for_url(self.tile_url.as_deref()))
    }
}

fn parse_tile_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let is_http = text.starts_with("http://") || text.starts_with("https://");
    if is_http && ["{z}", "{x}", "{y}"].iter().all(|part| text.contains(part)) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "{text:?} is not a tile URL template: http(s)://… with {{z}}, {{x}} and {{y}}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_url_needs_its_three_placeholders() {
        assert!(parse_tile_url("http://127.0.0.1:8000/{z}/{x}/{y}.png").is_ok());
        assert!(parse_tile_url("http://127.0.0.1:8000/{z}/{x}.png").is_err());
        assert!(parse_tile_url("file:///tiles/{z}/{x}/{y}.png").is_err());
        let off = BasemapArgs::default();
        assert!(off.source().is_none(), "no source, so no request, without --basemap");
    }
}
