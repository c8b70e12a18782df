//! A staged load in the session, on the embedded Leeds data: the first part has the LA and the two editions shown,
//! the rest brings everything else under the same view, selection and ward profile.

use super::*;
use crate::io::{DataSource, LoadFocus};
use crate::model::{Index, LsoaVintage};
use crate::ui::loader::{LoadNews, embedded_leeds};
use crate::ui::session::ViewRequest;
use crate::ui::staged_load::first_part_of;

fn leeds_2015_2019() -> LoadFocus {
    LoadFocus {
        la: "Leeds".into(),
        editions: [2015, 2019],
        index: Index::Imd,
    }
}

#[test]
fn the_first_part_holds_the_la_and_its_two_editions_and_the_rest_brings_everything_else() {
    let first = first_part_of(&DataSource::Embedded, &leeds_2015_2019()).expect("a first part");
    let part = first.first_part.clone().expect("marked as a first part");
    assert!(part.files_left > 0, "something is left for the rest: {part:?}");
    let dataset = &first.dataset;
    assert_eq!(dataset.editions.keys().copied().collect::<Vec<_>>(), [2015, 2019]);
    assert_eq!(
        dataset.lsoa_layers.keys().copied().collect::<Vec<_>>(),
        [LsoaVintage::Lsoa2011],
        "no 2021 boundaries for a 2015 → 2019 map"
    );
    // The 1% and the deciles need every English LSOA's rank, not only Leeds's.
    assert_eq!(dataset.editions[&2019].rows.len(), 32_844);
    assert!(
        !dataset.editions[&2019].has_population(),
        "File 6's population comes with the rest"
    );

    let mut settings = Settings::default();
    let mut session = Session::default();
    session.take_news(LoadNews::First(Arc::new(first)), &mut settings);
    let scene = session.scene().expect("the map from the first part");
    assert_eq!((scene.areas.len(), scene.wards.len()), (482, 33));
    let first_rows: Vec<_> = scene
        .comparison
        .rows
        .iter()
        .map(|r| (r.lsoa_code, r.rank_from, r.rank_to, r.transition))
        .collect();
    let code = scene.comparison.rows[scene.areas[0].row].lsoa_code;
    assert_eq!(session.take_view_request(), Some(ViewRequest::Fit));
    session.click(code, false);
    let ward = session.profile().expect("its ward's profile").code;
    assert!(session.first_part().is_some());

    let whole = embedded_leeds();
    session.take_news(LoadNews::Done(Ok(whole.clone())), &mut settings);
    assert!(session.first_part().is_none(), "the whole load replaced the first part");
    assert!(Arc::ptr_eq(session.data().unwrap(), &whole));
    let dataset = &session.data().unwrap().dataset;
    assert_eq!(dataset.editions.keys().copied().collect::<Vec<_>>(), [2015, 2019, 2025]);
    assert!(dataset.lsoa_layers.contains_key(&LsoaVintage::Lsoa2021));
    // Same map, same figures, kept where the planner was.
    let scene = session.scene().expect("the map from the whole load");
    let whole_rows: Vec<_> = scene
        .comparison
        .rows
        .iter()
        .map(|r| (r.lsoa_code, r.rank_from, r.rank_to, r.transition))
        .collect();
    assert_eq!(first_rows, whole_rows);
    assert_eq!(session.take_view_request(), None, "no new fit: the view stays");
    assert_eq!(session.selected(), Some(&code));
    assert_eq!(session.selection().codes, [code].into());
    assert_eq!(
        session.profile().map(|p| p.code),
        Some(ward),
        "the ward profile stays open"
    );
}

#[test]
fn a_first_part_that_cannot_draw_the_map_is_not_shown() {
    // Bradford has no boundaries in the embedded default: the first part cannot map it, so nothing is shown and no
    // error is said until the whole load decides.
    let focus = LoadFocus {
        la: "Bradford".into(),
        ..leeds_2015_2019()
    };
    let first = first_part_of(&DataSource::Embedded, &focus).expect("a first part");
    let mut settings = Settings {
        choices: MapChoices {
            la: "Bradford".into(),
            ..MapChoices::default()
        },
        ..Settings::default()
    };
    let mut session = Session::default();
    session.take_news(LoadNews::First(Arc::new(first)), &mut settings);
    assert!(session.data().is_none());
    assert!(session.scene_error_text().is_none());
}
