//! All England on the real national file (`LSOA_Dec_2011_BSC_EW_V3.geojson`, 34,753 LSOAs of England and Wales): the
//! counts of the national load, the level-of-detail bands keeping shared borders without gaps, culling.

mod common;

use common::national_data;
use common::window::all_england;
use geo::{Coord, Rect};
use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::model::{AreaCode, LsoaVintage};
use locality_map::render::{BAND_TOLERANCES, areas_in_view};
use locality_map::style::NO_DATA;
use locality_map::ui::{ALL_ENGLAND, LoadedData, MapScene};
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

/// The whole shared folder, loaded and tessellated as the window does, with its levels of detail built; `None` (said
/// loudly) when the national files are absent.
fn national(test: &str) -> Option<Arc<LoadedData>> {
    let folder = national_data(test)?;
    static DATA: OnceLock<Arc<LoadedData>> = OnceLock::new();
    Some(DATA.get_or_init(|| common::window::window_data_of(folder)).clone())
}

#[test]
fn all_england_draws_every_lsoa_and_welsh_ones_as_no_data() {
    let Some(data) = national("all_england_draws_every_lsoa_and_welsh_ones_as_no_data") else {
        return;
    };
    let layer = &data.dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    assert_eq!(layer.areas.len(), 34_753, "every feature of the national file");
    let welsh = layer.areas.iter().filter(|a| a.code.is_welsh()).count();
    assert_eq!(welsh, 1_909);

    assert_eq!(AreaFilter::parse(ALL_ENGLAND), AreaFilter::England);
    let comparison = EditionComparison::new(&data.dataset, &AreaFilter::England, 2015, 2019).expect("compares");
    assert_eq!(comparison.rows.len(), 32_844, "every English LSOA joined to IMD 2019");
    assert!(comparison.rows.iter().all(|r| r.rank_to.is_some()));

    let scene = MapScene::build(data.clone(), &all_england(), 1).expect("national scene");
    assert!(scene.national);
    assert_eq!(scene.areas.len(), 32_844, "every English LSOA has its boundary");
    assert_eq!(scene.missing_boundaries, 0);
    assert_eq!(scene.without_imd_data, 1_909, "the Welsh LSOAs are kept, as no data");
    assert_eq!(
        scene.fill_by_layer_index.len(),
        34_753,
        "no area is dropped from the drawing"
    );
    for (area, fill) in layer.areas.iter().zip(&scene.fill_by_layer_index) {
        if area.code.is_welsh() {
            assert_eq!(*fill, NO_DATA, "{} is drawn in the no-data colour", area.code);
        }
    }
    // The 1% nationally: floor(32,844 / 100) LSOAs in IMD 2019.
    assert_eq!(comparison.rows.iter().filter(|r| r.in_top1_to).count(), 328);
    // And the load says so, in words.
    assert!(
        data.dataset
            .report
            .problems
            .iter()
            .any(|p| p.message.starts_with("1909 Welsh LSOAs") && p.message.contains("no IMD data")),
        "the join report names the Welsh LSOAs"
    );
    // Every area has triangles at full detail; the LA of every area is known from the lookup.
    let meshes = scene.meshes();
    assert!(meshes.ranges.iter().all(|(v, i)| !v.is_empty() && !i.is_empty()));
    let la_of = scene.la_of_layer_index();
    assert!(
        la_of.iter().all(Option::is_some),
        "every LSOA of E&W is in the LSOA -> ward -> LA lookup"
    );
}

#[test]
fn simplified_bands_keep_every_shared_border_of_leeds_identical_on_both_sides() {
    let Some(data) = national("simplified_bands_keep_every_shared_border_of_leeds_identical_on_both_sides") else {
        return;
    };
    let layer = &data.dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    let lod = &data.lsoa_lod[&LsoaVintage::Lsoa2011];
    let topology = lod.topology().expect("built");
    let leeds = AreaCode::parse("E08000035").unwrap();
    let in_leeds: Vec<bool> = layer
        .areas
        .iter()
        .map(|a| {
            data.dataset
                .ward_of(LsoaVintage::Lsoa2011, &a.code)
                .and_then(|w| w.ward.la_code)
                == Some(leeds)
        })
        .collect();
    assert_eq!(in_leeds.iter().filter(|x| **x).count(), 482);
    let shared: Vec<usize> = (0..topology.arcs.len())
        .filter(|i| {
            let areas = &topology.arcs[*i].areas;
            areas.len() == 2 && areas.iter().all(|a| in_leeds[*a as usize])
        })
        .collect();
    assert!(shared.len() > 1_000, "Leeds has {} shared arcs", shared.len());
    // Full detail (the topology's own arcs), then every band kept, finest first. Bands that would simplify this
    // already generalised file by under a tenth are not kept; the national view's 320 m band is.
    let full_arcs = topology.simplified_arcs(0.0);
    let kept: Vec<&locality_map::render::LodBand> = lod.kept_bands().collect();
    assert!(
        kept.iter()
            .any(|b| b.tolerance == BAND_TOLERANCES[BAND_TOLERANCES.len() - 1]),
        "the coarsest band is kept"
    );
    let levels: Vec<(f64, &[Vec<Coord<f64>>])> = std::iter::once((0.0, full_arcs.as_slice()))
        .chain(kept.iter().map(|b| (b.tolerance, b.arcs.as_slice())))
        .collect();
    for (level, &(tolerance, arcs)) in levels.iter().enumerate() {
        let key = |c: &Coord<f64>| (c.x.to_bits(), c.y.to_bits());
        let vertices_of = |area: usize| -> HashSet<(u64, u64)> {
            let geometry = topology.assemble(area, arcs);
            geometry
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().map(key))
                .collect()
        };
        // The arcs of the rings that survive at this band (a ring needs three distinct points; a polygon its exterior).
        let ring_len = |ring: &Vec<(u32, bool)>| -> usize {
            ring.iter().map(|(id, _)| arcs[*id as usize].len()).sum::<usize>() + 1 - ring.len()
        };
        let surviving_arcs = |area: usize| -> HashSet<u32> {
            topology.areas[area]
                .iter()
                .filter(|rings| rings.first().is_some_and(|r| ring_len(r) >= 4))
                .flat_map(|rings| rings.iter().filter(|r| ring_len(r) >= 4).flatten().map(|(id, _)| *id))
                .collect()
        };
        let mut checked = 0;
        let mut one_side_collapsed = 0;
        for id in &shared {
            let arc = &topology.arcs[*id];
            let (a, b) = (arc.areas[0] as usize, arc.areas[1] as usize);
            let (sa, sb) = (surviving_arcs(a), surviving_arcs(b));
            match (sa.contains(&(*id as u32)), sb.contains(&(*id as u32))) {
                (true, true) => {}
                (false, false) => continue,
                _ => {
                    // A ring smaller than the tolerance on one side (an island beside another in a hole): drawn as a
                    // point there, a sub-point sliver at most.
                    one_side_collapsed += 1;
                    continue;
                }
            }
            let (va, vb) = (vertices_of(a), vertices_of(b));
            for c in &arcs[*id] {
                assert!(
                    va.contains(&key(c)) && vb.contains(&key(c)),
                    "{tolerance} m: a vertex of the border of {} and {} is missing on one side",
                    layer.areas[a].code,
                    layer.areas[b].code
                );
            }
            checked += 1;
        }
        assert!(
            one_side_collapsed * 100 <= shared.len(),
            "{tolerance} m: {one_side_collapsed} of {} borders lost on one side only",
            shared.len()
        );
        assert!(checked > 0 || level == levels.len() - 1);
        // A kept band has at most 90% of the vertices of the finer level kept.
        let count: usize = arcs.iter().map(Vec::len).sum();
        if level > 0 {
            let finer: usize = levels[level - 1].1.iter().map(Vec::len).sum();
            assert!(
                count as f64 <= 0.9 * finer as f64,
                "the {tolerance} m band has {count} arc vertices, the finer level {finer}"
            );
        }
    }
    // Full detail reassembles the published rings exactly (same area to a square millimetre).
    use geo::Area as _;
    for (index, area) in layer.areas.iter().enumerate().filter(|(i, _)| in_leeds[*i]) {
        let rebuilt = topology.assemble(index, &full_arcs);
        assert!(
            (rebuilt.unsigned_area() - area.geometry_in_world.unsigned_area()).abs() < 1e-3,
            "{}",
            area.code
        );
    }
}

#[test]
fn culling_returns_exactly_the_areas_whose_boxes_meet_the_view() {
    let Some(data) = national("culling_returns_exactly_the_areas_whose_boxes_meet_the_view") else {
        return;
    };
    let layer = &data.dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    let views = [
        // Leeds city centre, Greater London, a corner of the sea, and everything.
        ((428_000.0, 431_000.0), (432_000.0, 436_000.0)),
        ((503_000.0, 155_000.0), (562_000.0, 201_000.0)),
        ((0.0, 0.0), (50_000.0, 50_000.0)),
        ((-1e7, -1e7), (1e7, 1e7)),
    ];
    for ((x0, y0), (x1, y1)) in views {
        let view = Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 });
        let expected: Vec<usize> = layer
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                let b = a.bbox_in_world;
                b.min().x <= view.max().x
                    && b.max().x >= view.min().x
                    && b.min().y <= view.max().y
                    && b.max().y >= view.min().y
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(areas_in_view(layer, view), expected, "view {view:?}");
    }
}

#[test]
fn the_national_png_draws_welsh_lsoas_as_no_data_and_english_ones_in_colour() {
    use locality_map::export::{ReportOptions, render_report};
    let Some(data) = national("the_national_png_draws_welsh_lsoas_as_no_data_and_english_ones_in_colour") else {
        return;
    };
    let comparison = EditionComparison::new(&data.dataset, &AreaFilter::England, 2015, 2019).expect("compares");
    let options = ReportOptions {
        width_px: 900,
        height_px: 900,
        dpi: 96.0,
        ..ReportOptions::a4_landscape_300dpi("England")
    };
    let report = render_report(&data.dataset, &comparison, &options).expect("renders");
    let layer = &data.dataset.lsoa_layers[&LsoaVintage::Lsoa2011];
    let pixel_at = |code: &str| {
        let area = layer.get(&AreaCode::parse(code).unwrap()).expect("in the layer");
        use geo::InteriorPoint as _;
        let inside = area.geometry_in_world.interior_point().expect("a point inside").0;
        let [x, y] = report.screen_from_world.apply(inside);
        let p = report.image.pixel(x as u32, y as u32).expect("on the page");
        [p.red(), p.green(), p.blue()]
    };
    // Largest Welsh LSOA (Powys) and a large English one (Northumberland) by area.
    use geo::Area as _;
    let largest = |welsh: bool| {
        layer
            .areas
            .iter()
            .filter(|a| a.code.is_welsh() == welsh)
            .max_by(|a, b| {
                a.geometry_in_world
                    .unsigned_area()
                    .total_cmp(&b.geometry_in_world.unsigned_area())
            })
            .map(|a| a.code.to_string())
            .unwrap()
    };
    let grey = NO_DATA.0;
    assert_eq!(
        pixel_at(&largest(true)),
        [grey[0], grey[1], grey[2]],
        "Wales is drawn, as no data"
    );
    assert_ne!(
        pixel_at(&largest(false)),
        [grey[0], grey[1], grey[2]],
        "England is coloured"
    );
}
