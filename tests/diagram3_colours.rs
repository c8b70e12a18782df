//! Diagram 3 reads without red and green: a colour-blind-safe variant whose worsened and improved fills stay apart
//! under every simulated colour-vision deficiency, and in both variants a shape in every filled cell (a diamond for
//! the 1%, a triangle down for worsened, up for improved) as well as the sign of the change.

mod common;

use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::export::{CivilDate, TableColours, render_diagram3_with};
use locality_map::style::{ColourVision, Rgba};

fn leeds() -> EditionComparison {
    EditionComparison::new(common::embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap()
}

fn distance(a: Rgba, b: Rgba) -> f64 {
    (0..3)
        .map(|i| (f64::from(a.0[i]) - f64::from(b.0[i])).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[test]
fn the_safe_variant_keeps_worsened_and_improved_apart_for_colour_blind_readers() {
    let apart =
        |c: TableColours, vision: ColourVision| distance(vision.simulate(c.worsened), vision.simulate(c.improved));
    // Red and green are what protanopes and deuteranopes confuse: the safe pair stands further apart for both.
    for vision in [ColourVision::Protanopia, ColourVision::Deuteranopia] {
        let (council, safe) = (
            apart(TableColours::COUNCIL, vision),
            apart(TableColours::COLOUR_BLIND_SAFE, vision),
        );
        assert!(safe > 150.0, "{vision:?}: {safe:.0}");
        assert!(
            safe > council + 20.0,
            "{vision:?}: safe {safe:.0} vs council {council:.0}"
        );
    }
    // And stays well apart for tritanopes and in a greyscale print.
    assert!(apart(TableColours::COLOUR_BLIND_SAFE, ColourVision::Tritanopia) > 150.0);
    assert!(apart(TableColours::COLOUR_BLIND_SAFE, ColourVision::Greyscale) > 60.0);
}

#[test]
fn every_filled_cell_carries_a_dark_shape_in_both_variants() {
    let comparison = leeds();
    let date = CivilDate::from_days_since_epoch(20_454);
    for colours in [TableColours::COUNCIL, TableColours::COLOUR_BLIND_SAFE] {
        let table = render_diagram3_with(&comparison, 150.0, date, colours).unwrap();
        let dark_at_left = |lsoa: &str, column: usize| {
            let (_, cells) = table.cells.iter().find(|(c, _)| c.as_str() == lsoa).unwrap();
            let cell = cells[column];
            let y = ((cell.min[1] + cell.max[1]) / 2.0) as u32;
            // The mark sits in the cell's left fifth.
            (cell.min[0] as u32..(cell.min[0] + cell.width() * 0.2) as u32).any(|x| {
                let p = table.image.pixel(x, y).unwrap();
                u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue()) < 200
            })
        };
        // E01011623: 1031 → 318, into the 1% (2019 rank cell) and worsened.
        assert!(dark_at_left("E01011623", 3), "{colours:?}: a diamond in the 1% cell");
        assert!(
            dark_at_left("E01011623", 4),
            "{colours:?}: a triangle in the worsened cell"
        );
        assert!(!dark_at_left("E01011623", 2), "{colours:?}: no mark in a plain cell");
        // E01011372: 22 → 38, improved.
        assert!(
            dark_at_left("E01011372", 4),
            "{colours:?}: a triangle in the improved cell"
        );
        // The fill itself follows the variant.
        let (_, cells) = table.cells.iter().find(|(c, _)| c.as_str() == "E01011623").unwrap();
        let cell = cells[4];
        let p = table
            .image
            .pixel((cell.min[0] + cell.width() * 0.5) as u32, (cell.min[1] + 2.0) as u32)
            .unwrap();
        assert_eq!(
            [p.red(), p.green(), p.blue()],
            [colours.worsened.0[0], colours.worsened.0[1], colours.worsened.0[2]]
        );
        if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_some() {
            let name = if colours == TableColours::COUNCIL {
                "council"
            } else {
                "safe"
            };
            table.image.save_png(format!("/tmp/shots/diagram3_{name}.png")).ok();
        }
    }
}
