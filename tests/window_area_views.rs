//! The window's area-summary views through egui_kittest on the embedded Leeds default: the ward league (sortable,
//! priority wards marked), the ward profile's "Rank of wards" block, and the LA league table's measure picker.

mod common;

use egui_kittest::{Harness, SnapshotOptions, kittest::Queryable as _};
use locality_map::ui::LocalityMapApp;

fn harness() -> Harness<'static, LocalityMapApp> {
    common::window::leeds_harness(common::window::comparing(2015, 2019))
}

fn open_from_view_menu(harness: &mut Harness<'static, LocalityMapApp>, entry: &str) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label(entry).click();
    harness.run_steps(4);
}

#[test]
fn the_ward_league_marks_priority_wards_and_opens_a_ward_with_its_ranks() {
    let mut harness = harness();
    open_from_view_menu(&mut harness, "Ward league…");
    // IMD 2019: six priority wards; Burmantofts & Richmond Hill and Killingbeck & Seacroft have three LSOAs in the 1%.
    assert_eq!(harness.query_all_by_label_contains("in 1%)").count(), 6);
    assert_eq!(harness.query_all_by_label("Priority (3 in 1%)").count(), 2);
    // The embedded default has no scores: average score is empty and the window says why.
    harness.get_by_label_contains("no IMD 2019 IMD scores are loaded");
    // Average rank of Gipton & Harehills: 31,223.86, 2nd of the 33 wards.
    harness.get_by_label("31223.86 (2)");
    harness.snapshot_options(
        "ward_league_leeds_2019",
        &SnapshotOptions::new().threshold(2.0).max_failed_pixels(400),
    );
    harness.get_by_label("Gipton & Harehills").click();
    harness.run_steps(4);
    harness.get_by_label("Rank of wards");
    harness.get_by_label_contains("Gipton & Harehills: 2nd of 33 Leeds wards on average rank (31223.86, IMD 2019)");
}

#[test]
fn the_la_league_table_ranks_on_any_measure_of_any_index() {
    let mut harness = harness();
    open_from_view_menu(&mut harness, "LA league table…");
    harness.get_by_label("MHCLG summary measure").click();
    harness.run_steps(4);
    // Leeds, IMD 2019, proportion of LSOAs in the most deprived 10%: 0.2365, 33rd of 317 (MHCLG's File 10).
    harness.get_by_label("Measure").click();
    harness.run_steps(2);
    harness.get_by_label("Proportion of LSOAs in most deprived 10%").click();
    harness.run_steps(4);
    harness.get_by_label("0.2365");
}
