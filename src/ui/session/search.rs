//! The session and place search: what the planner typed or picked from the list of matches, shown on the map with
//! enough around it to recognise the place (an LSOA with its neighbours, a ward whole, an LA fitted).

use super::{Session, ViewRequest};
use crate::analysis::{MatchQuality, Place, PlaceIndex, PlaceKind};
use crate::model::{AreaCode, rect_grown, rect_union};
use crate::ui::scene::MapScene;
use crate::ui::settings::Settings;
use geo::{Coord, Rect};
use std::collections::HashSet;

/// Margin around a place shown, in metres.
const SHOW_MARGIN_M: f64 = 300.0;

/// The smallest extent an LSOA is shown at, in metres: in central Leeds an LSOA and its neighbours can span 600 m,
/// a view too close to recognise streets or landmarks by.
const MIN_CONTEXT_M: f64 = 2_000.0;

/// What a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchHit {
    /// An LSOA, by code or name: it is focused and its ward profile opened.
    Lsoa(AreaCode),
    /// A ward, by name or code: its LSOAs are highlighted and its profile opened.
    Ward(AreaCode),
    /// A local authority: it is mapped and fitted.
    LocalAuthority(AreaCode),
}

impl Session {
    /// The places of the map shown — its LSOAs, its wards (with the LA's name) and every LA of the later edition —
    /// for finding one by what was typed (Enter in the search field, an area opened from another window).
    pub fn scene_places(&self) -> Option<PlaceIndex> {
        let scene = self.scene.as_ref()?;
        let la_name = (!scene.national).then(|| scene.comparison.la_name.clone());
        let mut places: Vec<Place> = scene
            .data
            .dataset
            .local_authorities(scene.comparison.to)
            .into_iter()
            .map(|(code, name)| Place {
                kind: PlaceKind::LocalAuthority,
                code,
                name,
                ward_name: String::new(),
                la_name: String::new(),
                la_code: None,
            })
            .collect();
        places.extend(scene.wards.iter().map(|w| Place {
            kind: PlaceKind::Ward,
            code: w.code,
            name: w.name.clone(),
            ward_name: String::new(),
            la_name: la_name.clone().unwrap_or_default(),
            la_code: (!scene.national).then_some(scene.comparison.la_code),
        }));
        places.extend(scene.areas.iter().map(|a| {
            let row = scene.row(a);
            Place {
                kind: PlaceKind::Lsoa,
                code: row.lsoa_code,
                name: if row.lsoa_name.is_empty() {
                    row.lsoa_code.to_string()
                } else {
                    row.lsoa_name.clone()
                },
                ward_name: row.ward_name.clone(),
                la_name: la_name.clone().unwrap_or_default(),
                la_code: None,
            }
        }));
        Some(PlaceIndex::new(places))
    }

    /// Finds the best match for `query` among the map's LSOAs and wards (exact, then prefix, word, part, then within
    /// a typo or two; see [`crate::analysis::place_search`]), else an LA by its whole name, and shows it.
    pub fn search(&mut self, query: &str, settings: &mut Settings) -> Option<SearchHit> {
        let index = self.scene_places()?;
        let la_name = self
            .scene
            .as_ref()
            .map(|s| s.comparison.la_name.clone())
            .unwrap_or_default();
        // Places of this map first; an LA only when it was named whole (typing "Leeds 1" must not switch LA).
        let here = index.search(query, 1, |p| p.kind != PlaceKind::LocalAuthority);
        let la = index
            .search(query, 1, |p| p.kind == PlaceKind::LocalAuthority)
            .into_iter()
            .filter(|m| m.quality == MatchQuality::Exact);
        // The better match wins; on a tie, the place on this map.
        let best = here
            .into_iter()
            .chain(la)
            .min_by_key(|m| m.quality)
            .map(|m| m.place.clone());
        match best {
            Some(place) => self.show_place(&place, settings),
            None => {
                self.search_message = Some(format!("Nothing called {query:?} in {la_name}"));
                None
            }
        }
    }

    /// Shows a place picked from the list of matches: an LA is mapped and fitted; a ward or LSOA of another LA maps
    /// that LA first. A ward is highlighted, its profile opened and shown whole; an LSOA is focused with its ward's
    /// profile and shown with its neighbours.
    pub fn show_place(&mut self, place: &Place, settings: &mut Settings) -> Option<SearchHit> {
        if place.kind == PlaceKind::LocalAuthority {
            settings.la = place.name.clone();
            self.request_fit();
            self.search_message = Some(format!("Local authority {}", place.name));
            return Some(SearchHit::LocalAuthority(place.code));
        }
        let elsewhere = self.scene.as_ref().is_some_and(|s| {
            !s.national && place.la_code.is_some_and(|c| c != s.comparison.la_code) && !place.la_name.is_empty()
        });
        if elsewhere {
            settings.la = place.la_name.clone();
            self.rebuild_if_changed(settings);
        }
        let scene = self.scene.as_ref()?;
        let what = match place.kind {
            PlaceKind::Ward => "ward",
            _ => "LSOA",
        };
        let on_map = match place.kind {
            PlaceKind::Ward => scene.wards.iter().any(|w| w.code == place.code),
            _ => scene.area_by_code.contains_key(&place.code),
        };
        if !on_map {
            // The LA asked for could not be mapped (e.g. no boundaries loaded for it): the scene error says why.
            self.search_message = Some(format!(
                "{} ({}) is not on the map of {}",
                place.name, place.code, scene.comparison.la_name
            ));
            return None;
        }
        self.search_message = Some(format!("{} {}: {}", capitalised(what), place.code, place.describe()));
        if place.kind == PlaceKind::Ward {
            let bbox = scene.wards.iter().find(|w| w.code == place.code)?.bbox_in_world;
            self.highlighted = scene
                .comparison
                .rows
                .iter()
                .filter(|r| r.ward_code == Some(place.code))
                .map(|r| r.lsoa_code)
                .collect();
            self.open_ward(place.code);
            self.show(bbox);
            Some(SearchHit::Ward(place.code))
        } else {
            let context = lsoa_context(scene, &place.code)?;
            self.highlighted = HashSet::from([place.code]);
            self.focus(place.code, true);
            self.show(context);
            Some(SearchHit::Lsoa(place.code))
        }
    }

    /// Shows an LSOA of the map with its neighbours (the search's context for an LSOA), without changing the
    /// selection or the profile.
    pub fn show_lsoa(&mut self, code: &AreaCode) {
        if let Some(context) = self.scene.as_ref().and_then(|scene| lsoa_context(scene, code)) {
            self.show(context);
        }
    }

    /// Asks the window to show `bbox` with a margin.
    pub(super) fn show(&mut self, bbox: Rect<f64>) {
        self.view_request = Some(ViewRequest::Show(rect_grown(bbox, SHOW_MARGIN_M)));
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An LSOA with its neighbours (the LSOAs of the map whose extents touch its own), at least [`MIN_CONTEXT_M`] across.
fn lsoa_context(scene: &MapScene, code: &AreaCode) -> Option<Rect<f64>> {
    let layer = scene.layer();
    let own = layer.areas.get(layer.index_of(code)?)?.bbox_in_world;
    let near = rect_grown(own, 10.0);
    let touches = |b: &Rect<f64>| {
        b.min().x <= near.max().x && b.max().x >= near.min().x && b.min().y <= near.max().y && b.max().y >= near.min().y
    };
    let mut context = own;
    for area in &scene.areas {
        let Some(bbox) = layer.areas.get(area.layer_index).map(|a| a.bbox_in_world) else {
            continue;
        };
        if touches(&bbox) {
            context = rect_union(context, bbox);
        }
    }
    let centre = context.center();
    let half = |span: f64| (span / 2.0).max(MIN_CONTEXT_M / 2.0);
    let (hx, hy) = (half(context.width()), half(context.height()));
    Some(Rect::new(
        Coord {
            x: centre.x - hx,
            y: centre.y - hy,
        },
        Coord {
            x: centre.x + hx,
            y: centre.y + hy,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::loader::embedded_leeds as leeds;

    fn code(text: &str) -> AreaCode {
        AreaCode::parse(text).unwrap()
    }

    #[test]
    fn leeds_111_lists_every_111_and_enter_shows_the_first_with_its_neighbours() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        session.take_view_request();
        let index = session.scene_places().unwrap();
        let names: Vec<String> = index
            .search("Leeds 111", 10, |_| true)
            .iter()
            .map(|m| m.place.name.clone())
            .collect();
        // Leeds has 111A to 111D (their names in the embedded IMD file), listed before one-typo near misses.
        let expected_111: Vec<String> = {
            let scene = session.scene().unwrap();
            let mut n: Vec<String> = scene
                .comparison
                .rows
                .iter()
                .map(|r| r.lsoa_name.clone())
                .filter(|n| n.starts_with("Leeds 111"))
                .collect();
            n.sort();
            n
        };
        assert!(expected_111.len() >= 2, "{expected_111:?}");
        assert_eq!(names[..expected_111.len()], expected_111[..]);
        assert!(names.len() > expected_111.len(), "near misses follow: {names:?}");

        let hit = session.search("Leeds 111", &mut settings);
        let Some(SearchHit::Lsoa(first)) = hit else {
            panic!("{hit:?}")
        };
        let scene = session.scene().unwrap();
        let layer = scene.layer();
        let own = layer.areas[layer.index_of(&first).unwrap()].bbox_in_world;
        let Some(ViewRequest::Show(shown)) = session.take_view_request() else {
            panic!("a view")
        };
        // Wider than the LSOA itself and than a 200 m close-up: its neighbours and a margin.
        assert!(
            shown.width() >= MIN_CONTEXT_M && shown.height() >= MIN_CONTEXT_M,
            "{shown:?}"
        );
        assert!(shown.width() > own.width() + 2.0 * SHOW_MARGIN_M);
        assert!(
            shown.min().x < own.min().x && shown.max().y > own.max().y,
            "contains it"
        );
    }

    #[test]
    fn a_typo_still_finds_the_ward_and_an_la_named_whole_switches_the_map() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        let hit = session.search("Killingbek", &mut settings);
        assert_eq!(hit, Some(SearchHit::Ward(code("E05011400"))));
        assert_eq!(
            session.profile().map(|p| p.name.as_str()),
            Some("Killingbeck & Seacroft")
        );
        // "Bradford" named whole is an LA: the map is asked to show it (the scene then says what is missing).
        let hit = session.search("Bradford", &mut settings);
        assert!(matches!(hit, Some(SearchHit::LocalAuthority(_))), "{hit:?}");
        assert_eq!(settings.la, "Bradford");
    }

    #[test]
    fn a_ward_picked_from_the_list_is_shown_whole_with_its_lsoas_highlighted() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        session.take_view_request();
        let index = session.scene_places().unwrap();
        let place = index.search("Gipton", 1, |_| true)[0].place.clone();
        assert_eq!(place.kind, PlaceKind::Ward);
        assert_eq!(
            session.show_place(&place, &mut settings),
            Some(SearchHit::Ward(place.code))
        );
        let ward_width = session
            .scene()
            .unwrap()
            .wards
            .iter()
            .find(|w| w.code == place.code)
            .unwrap()
            .bbox_in_world
            .width();
        let Some(ViewRequest::Show(shown)) = session.take_view_request() else {
            panic!("a view")
        };
        assert!(shown.width() >= ward_width);
        assert!(!session.highlighted().is_empty());
    }
}
