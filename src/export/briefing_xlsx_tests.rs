//! Unit tests of the briefing workbook (kept beside it, in their own file to keep that one short).

use super::*;
use crate::style::ColourVision;

#[test]
fn ward_sheet_names_fit_excel_rules_and_stay_unique() {
    let mut used = std::collections::BTreeSet::new();
    assert_eq!(
        sheet_name("Gipton & Harehills", "E05011384", &mut used),
        "Gipton & Harehills"
    );
    let long = sheet_name("Burmantofts and Richmond Hill and more", "E05011380", &mut used);
    assert!(long.chars().count() <= 31, "{long}");
    let again = sheet_name("Gipton & Harehills", "E05099999", &mut used);
    assert_ne!(again, "Gipton & Harehills");
    assert!(again.ends_with("E05099999"));
    assert_eq!(sheet_name("A/B: C?", "E1", &mut used), "A-B- C-");
    assert_ne!(sheet_name("Summary", "E2", &mut used), "Summary");
}

#[test]
fn colour_blind_safe_fills_stay_apart_under_every_simulation() {
    let colours = [CB_SAFE_TOP1, CB_SAFE_WORSENED, CB_SAFE_IMPROVED];
    for vision in [
        ColourVision::Protanopia,
        ColourVision::Deuteranopia,
        ColourVision::Tritanopia,
    ] {
        let seen: Vec<[f32; 3]> = colours
            .iter()
            .map(|c| {
                let [r, g, b, _] = vision.simulate(*c).0;
                [f32::from(r), f32::from(g), f32::from(b)]
            })
            .collect();
        for i in 0..3 {
            for j in i + 1..3 {
                let d: f32 = (0..3).map(|k| (seen[i][k] - seen[j][k]).powi(2)).sum::<f32>().sqrt();
                assert!(d > 60.0, "{vision:?}: {i} and {j} only {d:.0} apart");
            }
        }
    }
}
