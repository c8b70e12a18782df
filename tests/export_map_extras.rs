//! What an exported map adds around the choropleth: the inset locator of a ward map (where the ward sits in the LA),
//! and the street basemap when the planner had it on — tiles from a tile server (here a local one made by the test)
//! blended under the fills, with the OpenStreetMap attribution — and nothing fetched when it is off.

mod common;

use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::{CivilDate, ReportOptions, render_report, ward_extent};
use locality_map::io::TileSource;
use locality_map::model::AreaCode;
use locality_map::render::ScreenRect;
use std::sync::atomic::Ordering;

fn leeds() -> EditionComparison {
    EditionComparison::new(common::embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap()
}

fn options() -> ReportOptions {
    ReportOptions {
        width_px: 1754,
        height_px: 1240,
        dpi: 150.0,
        export_date: CivilDate::from_days_since_epoch(20_454),
        ..ReportOptions::a4_landscape_300dpi("Leeds")
    }
}

fn rgb(image: &tiny_skia::Pixmap, x: f32, y: f32) -> [u8; 3] {
    let p = image.pixel(x as u32, y as u32).unwrap();
    [p.red(), p.green(), p.blue()]
}

fn inside(inner: ScreenRect, outer: ScreenRect) -> bool {
    inner.min[0] >= outer.min[0]
        && inner.min[1] >= outer.min[1]
        && inner.max[0] <= outer.max[0]
        && inner.max[1] <= outer.max[1]
}

#[test]
fn a_ward_map_has_an_inset_showing_the_ward_in_the_la() {
    let dataset = common::embedded_dataset();
    let comparison = leeds();
    // Gipton & Harehills (E05011394 in the ONS 2019 ward lookup).
    let ward = AreaCode::parse("E05011394").unwrap();
    let ward_options = ReportOptions {
        extent: ward_extent(dataset, &comparison, &ward),
        focus_ward: Some(ward),
        ..options()
    };
    let page = render_report(dataset, &comparison, &ward_options).unwrap();
    let inset = page.inset.expect("an inset on a ward map");
    assert!(inside(inset.rect_px, page.map_rect_px), "in the map's corner");
    assert!(inset.rect_px.width() < page.map_rect_px.width() * 0.3, "small");
    assert!(
        inside(inset.ward_px, inset.rect_px),
        "the ward lies inside the LA's inset"
    );
    // Gipton & Harehills is one of 33 wards: a small part of the inset, east of the centre of Leeds.
    assert!(inset.ward_px.width() < inset.rect_px.width() / 3.0);
    let centre = [
        (inset.ward_px.min[0] + inset.ward_px.max[0]) / 2.0,
        (inset.ward_px.min[1] + inset.ward_px.max[1]) / 2.0,
    ];
    assert!(
        centre[0] > (inset.rect_px.min[0] + inset.rect_px.max[0]) / 2.0,
        "east of the middle"
    );
    let [r, g, b] = rgb(&page.image, centre[0], centre[1]);
    assert!(
        r < 110 && g < 110 && b < 110,
        "the ward dark in the inset: {:?}",
        [r, g, b]
    );
    // The LA's other LSOAs light grey, in the inset's corner region away from the ward.
    let whole = render_report(dataset, &comparison, &options()).unwrap();
    assert!(whole.inset.is_none(), "no inset on the LA map");
}

fn ink_in(image: &tiny_skia::Pixmap, rect: ScreenRect) -> usize {
    let mut dark = 0;
    for y in rect.min[1] as u32..rect.max[1] as u32 {
        for x in rect.min[0] as u32..rect.max[0] as u32 {
            if let Some(p) = image.pixel(x, y)
                && u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue()) < 384
            {
                dark += 1;
            }
        }
    }
    dark
}

#[test]
fn the_basemap_goes_under_an_exported_map_only_when_on_with_its_attribution() {
    let dataset = common::embedded_dataset();
    let comparison = leeds();
    let (url, connections) = common::tile_server(common::striped_tile());
    let cache = common::scratch_for_this_process("export-basemap");
    let plain = render_report(dataset, &comparison, &options()).unwrap();
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "nothing fetched without the basemap"
    );

    let with = ReportOptions {
        basemap: Some(TileSource::new(url, cache.clone())),
        ..options()
    };
    let page = render_report(dataset, &comparison, &with).unwrap();
    assert!(connections.load(Ordering::SeqCst) > 0, "tiles fetched");
    // The tiles' purple stripes show through the map (under the fills and outside the LA), never in the plain map.
    let purple = |image: &tiny_skia::Pixmap, rect: ScreenRect| {
        let mut n = 0;
        for y in (rect.min[1] as u32..rect.max[1] as u32).step_by(2) {
            for x in (rect.min[0] as u32..rect.max[0] as u32).step_by(2) {
                let p = image.pixel(x, y).unwrap();
                let (r, g, b) = (i32::from(p.red()), i32::from(p.green()), i32::from(p.blue()));
                if b > g + 25 && r > g {
                    n += 1;
                }
            }
        }
        n
    };
    assert!(
        purple(&page.image, page.map_rect_px) > 1_000,
        "{}",
        purple(&page.image, page.map_rect_px)
    );
    assert!(purple(&plain.image, plain.map_rect_px) < 50);
    // One more line in the attribution strip: "Street basemap © OpenStreetMap contributors".
    assert!(
        page.attribution_rect_px.height() > plain.attribution_rect_px.height()
            || ink_in(&page.image, page.attribution_rect_px) > ink_in(&plain.image, plain.attribution_rect_px),
        "the attribution grew"
    );
    if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_some() {
        page.image.save_png("/tmp/shots/export_basemap_on.png").ok();
    }
    std::fs::remove_dir_all(&cache).ok();
}
