//! The window on the embedded Leeds default, as a planner reads it (issue 16): an LA without boundaries or wards says
//! so in the map area and the left panel instead of showing Leeds under its name; population in the 1% is in the
//! summary; editions picked in reverse are put in order with a word; problems are counted by kind, notes folded.

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use locality_map::ui::{LocalityMapApp, Settings};

fn harness(settings: Settings) -> Harness<'static, LocalityMapApp> {
    common::window::leeds_harness(settings)
}

/// Saves what the window shows to /tmp/shots/NAME.png when a renderer can start (for looking at, not comparing).
fn shot(harness: &mut Harness<'static, LocalityMapApp>, name: &str) {
    if common::renderer_available(name)
        && let Ok(image) = harness.render()
    {
        std::fs::create_dir_all("/tmp/shots").ok();
        image.save(format!("/tmp/shots/{name}.png")).ok();
    }
}

#[test]
fn bradford_on_the_embedded_default_says_why_it_is_not_mapped_and_never_shows_leeds() {
    let mut harness = harness(Settings::default());
    harness.get_by_label("Leeds (E08000035)");
    harness.state_mut().settings.la = "Bradford".into();
    harness.run_steps(4);
    assert!(harness.state().scene().is_none(), "no map under Bradford's name");
    assert!(harness.state().profile().is_none());
    harness.get_by_label("Bradford is not mapped");
    assert!(
        harness.query_by_label("Leeds (E08000035)").is_none(),
        "no Leeds summary under Bradford"
    );
    // Bradford's own figures from the national tables, and what is missing said where ward figures would be.
    harness.get_by_label("Bradford (E08000032)");
    harness.get_by_label("Priority wards: not known");
    assert!(
        harness
            .query_all_by_label_contains("Wards: not loaded for Bradford")
            .next()
            .is_some()
    );
    shot(&mut harness, "bradford_not_mapped");
}

#[test]
fn the_summary_shows_the_population_in_the_1_percent() {
    let harness = harness(Settings::default());
    harness.get_by_label("Population in the 1%");
    harness.get_by_label("Population in decile 1");
}

#[test]
fn the_population_in_the_1_percent_is_file_6_summed_in_the_summary_the_ward_profile_and_the_selection() {
    // Independently: mid-2015 residents (File 6) of the Leeds LSOAs ranked <= 328 in IMD 2019 (File 2).
    let ranks = common::embedded_ranks_2015_2019("E08000035").1;
    let population: std::collections::HashMap<String, u64> =
        common::embedded_rows("File_6_-_IoD2019_Population_Denominators.csv")
            .into_iter()
            .map(|r| {
                let people = common::number(&r["Total population: mid 2015 (excluding prisoners)"]);
                (r["LSOA code (2011)"].clone(), u64::from(people))
            })
            .collect();
    let in_top1: Vec<&String> = ranks.iter().filter(|(_, r)| **r <= 328).map(|(c, _)| c).collect();
    assert_eq!(in_top1.len(), 12);
    let la_total: u64 = in_top1.iter().map(|c| population[*c]).sum();
    // Killingbeck & Seacroft's LSOAs (the embedded ward lookup).
    let ward_lsoas: std::collections::HashSet<String> = common::embedded_rows(common::EMBEDDED_WARD_LOOKUP_2019)
        .iter()
        .filter(|r| r.values().any(|v| v == "E05011400"))
        .filter_map(|r| r.values().find(|v| v.starts_with("E01")).cloned())
        .collect();
    let ward_total: u64 = in_top1
        .iter()
        .filter(|c| ward_lsoas.contains(**c))
        .map(|c| population[*c])
        .sum();
    assert!(ward_total > 0 && ward_total < la_total);

    let mut harness = harness(Settings::default());
    harness.get_by_label(&la_total.to_string());
    let ctx = harness.ctx.clone();
    let code = locality_map::model::AreaCode::parse("E05011400").unwrap();
    harness
        .state_mut()
        .run(locality_map::ui::AppCommand::OpenWard(code), &ctx);
    harness.run_steps(4);
    harness.get_by_label(&format!("Population in the 1% (2019): {ward_total}"));
    harness
        .state_mut()
        .run(locality_map::ui::AppCommand::CloseProfile, &ctx);
    harness.run_steps(2);
    harness.get_by_label("All in the 1%").click();
    harness.run_steps(4);
    assert_eq!(harness.state().selection().codes.len(), 12);
    harness.get_by_label(&format!("Population in the 1% (2019): {la_total}"));
}

#[test]
fn editions_picked_in_reverse_are_put_in_order_and_the_same_twice_is_refused() {
    let mut harness = harness(Settings::default());
    (harness.state_mut().settings.from, harness.state_mut().settings.to) = (2025, 2019);
    harness.run_steps(4);
    let settings = &harness.state().settings;
    assert_eq!((settings.from, settings.to), (2019, 2025));
    harness.get_by_label_contains("the editions were put in order");
    harness.get_by_label("Change in IMD percentile, 2019 to 2025");
    harness.state_mut().settings.from = 2025;
    harness.run_steps(4);
    assert!(harness.state().scene().is_none(), "2025 → 2025 is not a comparison");
    assert!(
        harness
            .query_all_by_label_contains("chosen as both editions")
            .next()
            .is_some()
    );
}

#[test]
fn the_problems_link_counts_notes_apart_and_the_window_folds_them() {
    let mut harness = harness(Settings::default());
    assert!(
        harness
            .query_all_by_label_contains("problems in the data")
            .next()
            .is_none()
    );
    harness.get_by_label("4 notes on the data (nothing lost)…").click();
    harness.run_steps(3);
    harness.get_by_label("Notes (4) — expected, or nothing was lost");
    assert!(
        harness
            .query_all_by_label_contains("carries Leeds boundaries only")
            .next()
            .is_none(),
        "notes are folded until opened"
    );
    harness
        .get_by_label("Notes (4) — expected, or nothing was lost")
        .click();
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_label_contains("carries Leeds boundaries only")
            .next()
            .is_some()
    );
    shot(&mut harness, "problems_list");
}
