//! Coordinate reference systems: recognise WGS84 and British National Grid (GeoJSON `crs`, `.prj` WKT, or coordinate ranges)
//! and project WGS84 longitude/latitude to BNG metres with `proj4rs`.

use geo::{Coord, MapCoordsInPlace as _, MultiPolygon};
use proj4rs::Proj;
use std::sync::OnceLock;

/// The two systems boundary files come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326 read as lon/lat, OGC CRS84).
    Wgs84,
    /// OSGB 1936 / British National Grid, metres (EPSG:27700).
    Bng,
}

impl Crs {
    /// The EPSG name.
    pub fn epsg(self) -> &'static str {
        match self {
            Crs::Wgs84 => "EPSG:4326",
            Crs::Bng => "EPSG:27700",
        }
    }
}

/// What a name or WKT says about the CRS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrsClaim {
    /// A CRS we read.
    Known(Crs),
    /// Some other CRS, named as in the file.
    Unsupported(String),
}

/// Recognises a CRS from a GeoJSON `crs` name (`urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:27700`, `urn:ogc:def:crs:EPSG::27700`).
///
/// ```
/// use locality_map::io::{crs_from_name, Crs, CrsClaim};
/// assert_eq!(crs_from_name("urn:ogc:def:crs:EPSG::27700"), CrsClaim::Known(Crs::Bng));
/// assert_eq!(crs_from_name("urn:ogc:def:crs:OGC:1.3:CRS84"), CrsClaim::Known(Crs::Wgs84));
/// assert!(matches!(crs_from_name("EPSG:3857"), CrsClaim::Unsupported(_)));
/// ```
pub fn crs_from_name(name: &str) -> CrsClaim {
    let upper = name.to_ascii_uppercase();
    let code = upper.rsplit(':').next().unwrap_or_default().trim();
    if code == "27700" {
        CrsClaim::Known(Crs::Bng)
    } else if code == "4326" || code == "CRS84" || code == "4258" {
        CrsClaim::Known(Crs::Wgs84)
    } else {
        CrsClaim::Unsupported(name.to_string())
    }
}

/// Recognises a CRS from `.prj` WKT (ESRI or OGC flavour).
///
/// ```
/// use locality_map::io::{crs_from_wkt, Crs, CrsClaim};
/// let bng = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"]]"#;
/// assert_eq!(crs_from_wkt(bng), CrsClaim::Known(Crs::Bng));
/// assert_eq!(crs_from_wkt(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]]]"#), CrsClaim::Known(Crs::Wgs84));
/// assert!(matches!(crs_from_wkt(r#"PROJCS["WGS_84_Pseudo_Mercator",GEOGCS["GCS_WGS_1984"]]"#), CrsClaim::Unsupported(_)));
/// ```
pub fn crs_from_wkt(wkt: &str) -> CrsClaim {
    let text = wkt.trim().trim_start_matches('\u{feff}');
    let upper = text.to_ascii_uppercase();
    let name = text.split('"').nth(1).unwrap_or(text).to_string();
    if upper.starts_with("PROJCS") || upper.starts_with("PROJCRS") {
        let osgb = upper.contains("OSGB") || upper.contains("AIRY");
        let national_grid = upper.contains("BRITISH_NATIONAL_GRID")
            || upper.contains("BRITISH NATIONAL GRID")
            || upper.contains("27700");
        let tmerc = upper.contains("TRANSVERSE_MERCATOR") || upper.contains("TRANSVERSE MERCATOR");
        if national_grid || (osgb && tmerc) {
            return CrsClaim::Known(Crs::Bng);
        }
        return CrsClaim::Unsupported(name);
    }
    if (upper.starts_with("GEOGCS") || upper.starts_with("GEOGCRS") || upper.starts_with("GEODCRS"))
        && (upper.contains("WGS_1984")
            || upper.contains("WGS 84")
            || upper.contains("WGS84")
            || upper.contains("ETRS")
            || upper.contains("4326"))
    {
        return CrsClaim::Known(Crs::Wgs84);
    }
    CrsClaim::Unsupported(name)
}

/// What the coordinates themselves look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoordinateRange {
    /// Longitude/latitude over Great Britain.
    LonLat,
    /// Latitude/longitude: axes swapped.
    LatLon,
    /// Eastings/northings in metres within the grid.
    BngMetres,
    /// None of these.
    Unknown,
}

/// Classifies a bounding box (min, max) by the ranges Great Britain takes in each system.
///
/// ```
/// use locality_map::io::{coordinate_range, CoordinateRange};
/// use geo::Coord;
/// assert_eq!(coordinate_range(Coord { x: -1.8, y: 53.7 }, Coord { x: -1.3, y: 53.9 }), CoordinateRange::LonLat);
/// assert_eq!(coordinate_range(Coord { x: 53.7, y: -1.8 }, Coord { x: 53.9, y: -1.3 }), CoordinateRange::LatLon);
/// assert_eq!(coordinate_range(Coord { x: 410_000.0, y: 420_000.0 }, Coord { x: 450_000.0, y: 450_000.0 }), CoordinateRange::BngMetres);
/// ```
pub fn coordinate_range(min: Coord<f64>, max: Coord<f64>) -> CoordinateRange {
    let within = |lo: f64, hi: f64, a: f64, b: f64| a >= lo && b <= hi;
    if within(-9.0, 2.5, min.x, max.x) && within(49.0, 61.5, min.y, max.y) {
        CoordinateRange::LonLat
    } else if within(49.0, 61.5, min.x, max.x) && within(-9.0, 2.5, min.y, max.y) {
        CoordinateRange::LatLon
    } else if within(-10_000.0, 700_000.0, min.x, max.x)
        && within(-10_000.0, 1_300_000.0, min.y, max.y)
        && (max.x - min.x > 2.5 || max.y - min.y > 2.5 || max.x > 180.0)
    {
        CoordinateRange::BngMetres
    } else {
        CoordinateRange::Unknown
    }
}

fn projections() -> Option<&'static (Proj, Proj)> {
    static PROJ: OnceLock<Option<(Proj, Proj)>> = OnceLock::new();
    PROJ.get_or_init(|| {
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").ok()?;
        // EPSG:27700 with the OSGB36 seven-parameter Helmert shift, as PROJ uses without grids.
        let bng = Proj::from_proj_string(concat!(
            "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy",
            " +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs"
        ))
        .ok()?;
        Some((wgs84, bng))
    })
    .as_ref()
}

/// Projects WGS84 longitude/latitude (degrees) to British National Grid metres; `None` if the point cannot be projected.
///
/// ```
/// use locality_map::io::world_from_lonlat;
/// use geo::Coord;
/// // Leeds Town Hall, about (429_700, 433_800) on the grid.
/// let world = world_from_lonlat(Coord { x: -1.5491, y: 53.8000 }).unwrap();
/// assert!((world.x - 429_700.0).abs() < 300.0 && (world.y - 433_800.0).abs() < 300.0);
/// ```
pub fn world_from_lonlat(lonlat: Coord<f64>) -> Option<Coord<f64>> {
    let (wgs84, bng) = projections()?;
    let mut point = (lonlat.x.to_radians(), lonlat.y.to_radians(), 0.0);
    proj4rs::transform::transform(wgs84, bng, &mut point).ok()?;
    (point.0.is_finite() && point.1.is_finite()).then_some(Coord { x: point.0, y: point.1 })
}

/// Projects British National Grid metres to WGS84 longitude/latitude (degrees).
///
/// ```
/// use locality_map::io::{lonlat_from_world, world_from_lonlat};
/// use geo::Coord;
/// let start = Coord { x: -1.5491, y: 53.8 };
/// let world = world_from_lonlat(start).unwrap();
/// let again = world_from_lonlat(lonlat_from_world(world).unwrap()).unwrap();
/// assert!((again.x - world.x).abs() < 0.001 && (again.y - world.y).abs() < 0.001); // round trip within 1 mm
/// ```
pub fn lonlat_from_world(world: Coord<f64>) -> Option<Coord<f64>> {
    // The datum shift works in 3D but both ends are 2D: going back starts from height 0 on OSGB36, not the height the
    // forward shift left, which moves the point by up to about a millimetre at the edges of Great Britain. One
    // correction step (aim off by the miss) makes this the inverse of `world_from_lonlat` to well under a micrometre.
    let first = lonlat_from_world_once(world)?;
    let miss = world_from_lonlat(first)? - world;
    lonlat_from_world_once(world - miss)
}

fn lonlat_from_world_once(world: Coord<f64>) -> Option<Coord<f64>> {
    let (wgs84, bng) = projections()?;
    let mut point = (world.x, world.y, 0.0);
    proj4rs::transform::transform(bng, wgs84, &mut point).ok()?;
    let lonlat = Coord {
        x: point.0.to_degrees(),
        y: point.1.to_degrees(),
    };
    (lonlat.x.is_finite() && lonlat.y.is_finite()).then_some(lonlat)
}

/// Projects a whole geometry from lon/lat to BNG in place. Returns false if any vertex failed (the geometry is then unusable).
pub fn project_to_world(geometry: &mut MultiPolygon<f64>) -> bool {
    let ok = std::cell::Cell::new(true);
    geometry.map_coords_in_place(|c| match world_from_lonlat(c) {
        Some(world) => world,
        None => {
            ok.set(false);
            c
        }
    });
    ok.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_worked_example_to_the_millimetre() {
        // Ordnance Survey's worked example (A guide to coordinate systems in Great Britain, annex C):
        // OSGB36 52°39'27.2531"N 1°43'4.5177"E is E 651409.903, N 313177.270. Same datum both sides, so no shift.
        let osgb36 = Proj::from_proj_string(
            "+proj=longlat +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +no_defs",
        )
        .unwrap();
        let (_, bng) = projections().unwrap();
        let lat: f64 = 52.0 + 39.0 / 60.0 + 27.2531 / 3600.0;
        let lon: f64 = 1.0 + 43.0 / 60.0 + 4.5177 / 3600.0;
        let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&osgb36, bng, &mut point).unwrap();
        assert!((point.0 - 651_409.903).abs() < 0.001, "{point:?}");
        assert!((point.1 - 313_177.270).abs() < 0.001, "{point:?}");
    }
}
