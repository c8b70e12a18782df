//! Finding places by what a planner types: LSOA codes and names, wards and local authorities, ranked best first, with
//! typing errors forgiven. One search for the window (the list under the search field, the LA picker) and for the
//! command line's "did you mean …?".
//!
//! How a name matches, best first: the whole name or code ([`MatchQuality::Exact`]), its start (`Prefix`), the start
//! of one of its words (`WordPrefix`), anywhere in it (`Contains`), then within a few typing errors (`Typos`). Typing
//! errors are counted as the fewest single-character edits — insert, delete, substitute, or swap two neighbours
//! (optimal string alignment) — that turn the query into some part of the name (Sellers' approximate substring
//! matching, O(query × name) per name), so "Leds" finds "Leeds" and "Harehils" finds "Gipton & Harehills". One error
//! is allowed per four characters typed; a query of under four characters must match without errors, or every short
//! name would match. Both sides are compared after [`normalise`] (case, spaces, `&`/`and`, punctuation).
//!
//! ```
//! use locality_map::analysis::place_search::{MatchQuality, typos_within};
//! assert_eq!(typos_within("leds", "leeds"), 1);
//! assert_eq!(typos_within("harehils", "gipton and harehills"), 1);
//! assert_eq!(MatchQuality::of("leds", "leeds", ""), Some(MatchQuality::Typos(1)));
//! ```

use crate::model::{AreaCode, Dataset, normalise};
use std::collections::BTreeMap;

/// What kind of place a search found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    /// A local authority district.
    LocalAuthority,
    /// An electoral ward.
    Ward,
    /// A lower layer super output area.
    Lsoa,
}

impl PlaceKind {
    /// The word shown beside a match.
    pub fn label(self) -> &'static str {
        match self {
            Self::LocalAuthority => "LA",
            Self::Ward => "Ward",
            Self::Lsoa => "LSOA",
        }
    }
}

/// A place that can be searched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// LA, ward or LSOA.
    pub kind: PlaceKind,
    /// Its ONS code.
    pub code: AreaCode,
    /// Its name as published.
    pub name: String,
    /// The ward it lies in (LSOAs), empty when unknown or not applicable.
    pub ward_name: String,
    /// The local authority it lies in (wards and LSOAs), empty when unknown or not applicable.
    pub la_name: String,
    /// That LA's code.
    pub la_code: Option<AreaCode>,
}

impl Place {
    /// "Leeds 111B, Hunslet & Riverside, Leeds": the name and where it lies, as a list entry shows it.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.name.clone()];
        parts.extend(
            [&self.ward_name, &self.la_name]
                .into_iter()
                .filter(|p| !p.is_empty() && **p != self.name)
                .cloned(),
        );
        parts.join(", ")
    }
}

/// How well a place matched, best first (the order sorts best first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchQuality {
    /// The whole name or code.
    Exact,
    /// The start of the name or code.
    Prefix,
    /// The start of one of the name's words.
    WordPrefix,
    /// Somewhere in the name.
    Contains,
    /// Part of the name within this many typing errors.
    Typos(u8),
}

impl MatchQuality {
    /// How `query` matches a place of normalised `name` and `code` (both already [`normalise`]d), if it does.
    pub fn of(query: &str, name: &str, code: &str) -> Option<Self> {
        if query.is_empty() {
            return None;
        }
        if name == query || code == query {
            return Some(Self::Exact);
        }
        if name.starts_with(query) || (!code.is_empty() && code.starts_with(query)) {
            return Some(Self::Prefix);
        }
        if name.split(' ').any(|word| word.starts_with(query)) {
            return Some(Self::WordPrefix);
        }
        if name.contains(query) {
            return Some(Self::Contains);
        }
        let allowed = allowed_typos(query);
        if allowed == 0 {
            return None;
        }
        let typos = typos_within(query, name);
        (typos <= allowed).then(|| Self::Typos(u8::try_from(typos).unwrap_or(u8::MAX)))
    }
}

/// Typing errors allowed in a query: one per four characters, none under four.
pub fn allowed_typos(query: &str) -> usize {
    query.chars().count() / 4
}

/// The fewest single-character edits (insert, delete, substitute, swap neighbours) turning `query` into some part of
/// `text` that starts where a word does (Sellers' algorithm with the optimal-string-alignment swap, its free start
/// limited to word starts: otherwise "Leds" would be one edit from the "les" inside "Aylesbury" or "Kirklees").
pub fn typos_within(query: &str, text: &str) -> usize {
    let q: Vec<char> = query.chars().collect();
    let t: Vec<char> = text.chars().collect();
    if q.is_empty() {
        return 0;
    }
    // Rows of the table for query prefixes i-2, i-1 and i; column j = text prefix length. Row 0 is zero where a
    // match may start (a word start) and "too far" elsewhere.
    let width = t.len() + 1;
    let far = q.len() + t.len() + 1;
    let starts: Vec<usize> = (0..width)
        .map(|j| if j == 0 || t[j - 1] == ' ' { 0 } else { far })
        .collect();
    let mut before = starts.clone();
    let mut previous = starts;
    let mut current = vec![0usize; width];
    for i in 1..=q.len() {
        current[0] = i;
        for j in 1..width {
            let substitute = previous[j - 1] + usize::from(q[i - 1] != t[j - 1]);
            let mut best = substitute.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && q[i - 1] == t[j - 2] && q[i - 2] == t[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    // After the last swap the finished row is `previous`; a match may end anywhere in the text.
    previous.into_iter().min().unwrap_or(q.len())
}

/// A place found, and how well it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlaceMatch<'a> {
    /// The place.
    pub place: &'a Place,
    /// Its position in [`PlaceIndex::places`].
    pub position: usize,
    /// How well.
    pub quality: MatchQuality,
}

/// Places with their names normalised once, searched as the planner types.
#[derive(Clone, Debug, Default)]
pub struct PlaceIndex {
    places: Vec<Place>,
    /// Normalised name and code of each place.
    keys: Vec<(String, String)>,
}

impl PlaceIndex {
    /// An index over these places.
    pub fn new(places: Vec<Place>) -> Self {
        let keys = places
            .iter()
            .map(|p| (normalise(&p.name), normalise(p.code.as_str())))
            .collect();
        Self { places, keys }
    }

    /// The LAs, wards and LSOAs of an edition: LSOA names and LAs from its rows, wards from the ward lookups (or
    /// ward polygons) of its LSOA boundaries, each ward with its LA's name.
    pub fn of_dataset(dataset: &Dataset, year: u16) -> Self {
        let Some(edition) = dataset.edition(year) else {
            return Self::default();
        };
        let la_names: BTreeMap<AreaCode, String> = dataset.local_authorities(year).into_iter().collect();
        let mut places: Vec<Place> = la_names
            .iter()
            .map(|(code, name)| Place {
                kind: PlaceKind::LocalAuthority,
                code: *code,
                name: name.clone(),
                ward_name: String::new(),
                la_name: String::new(),
                la_code: None,
            })
            .collect();
        let mut ward_of_lsoa: BTreeMap<&AreaCode, &str> = BTreeMap::new();
        let mut wards: BTreeMap<AreaCode, Place> = BTreeMap::new();
        for (lsoa, assignment) in dataset.wards_of_lsoas(edition.vintage) {
            let ward = assignment.ward;
            ward_of_lsoa.entry(lsoa).or_insert(ward.ward_name.as_str());
            let la_code = edition.rows.get(lsoa).and_then(|r| r.la_code).or(ward.la_code);
            wards.entry(ward.ward_code).or_insert_with(|| Place {
                kind: PlaceKind::Ward,
                code: ward.ward_code,
                name: ward.ward_name.clone(),
                ward_name: String::new(),
                la_name: la_code
                    .and_then(|c| la_names.get(&c).cloned())
                    .unwrap_or_else(|| ward.la_name.clone()),
                la_code,
            });
        }
        places.extend(wards.into_values());
        places.extend(edition.rows.iter().map(|(code, row)| Place {
            kind: PlaceKind::Lsoa,
            code: *code,
            name: if row.name.is_empty() {
                code.to_string()
            } else {
                row.name.clone()
            },
            ward_name: ward_of_lsoa.get(code).map(|w| w.to_string()).unwrap_or_default(),
            la_name: row.la_name.clone(),
            la_code: row.la_code,
        }));
        Self::new(places)
    }

    /// Every place indexed.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The best `limit` matches for `query` among places `keep` accepts, best first: by match quality, then LAs
    /// before wards before LSOAs, then shorter names, then by name.
    pub fn search(&self, query: &str, limit: usize, keep: impl Fn(&Place) -> bool) -> Vec<PlaceMatch<'_>> {
        let wanted = normalise(query);
        let mut found: Vec<PlaceMatch<'_>> = self
            .places
            .iter()
            .zip(&self.keys)
            .enumerate()
            .filter(|(_, (place, _))| keep(place))
            .filter_map(|(position, (place, (name, code)))| {
                MatchQuality::of(&wanted, name, code).map(|quality| PlaceMatch {
                    place,
                    position,
                    quality,
                })
            })
            .collect();
        found.sort_by(|a, b| {
            (a.quality, a.place.kind, a.place.name.len(), &a.place.name, a.place.code).cmp(&(
                b.quality,
                b.place.kind,
                b.place.name.len(),
                &b.place.name,
                b.place.code,
            ))
        });
        found.truncate(limit);
        found
    }
}

/// The names most like `query` (at most `limit`, best first) for a "did you mean …?": only names it matches in part
/// or within the typing errors allowed.
pub fn similar_names<'a>(query: &str, names: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let wanted = normalise(query);
    let mut found: Vec<(MatchQuality, &str)> = names
        .into_iter()
        .filter_map(|name| {
            let key = normalise(name);
            // The query containing the name ("Leeds City Council" for Leeds) is as good a hint as the reverse.
            let quality = MatchQuality::of(&wanted, &key, "")
                .or_else(|| (!key.is_empty() && wanted.contains(&key)).then_some(MatchQuality::Contains))?;
            Some((quality, name))
        })
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.1 == b.1);
    found.into_iter().take(limit).map(|(_, name)| name).collect()
}

/// "; did you mean A, B or C?" (with `separator` in front), or empty when there is nothing to suggest.
pub fn did_you_mean(separator: &str, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("{separator}did you mean {one}?"),
        [rest @ .., last] => format!("{separator}did you mean {} or {last}?", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(kind: PlaceKind, code: &str, name: &str) -> Place {
        Place {
            kind,
            code: AreaCode::parse(code).unwrap(),
            name: name.into(),
            ward_name: String::new(),
            la_name: String::new(),
            la_code: None,
        }
    }

    #[test]
    fn typos_are_counted_against_the_best_part_of_the_name() {
        assert_eq!(typos_within("leeds", "leeds"), 0);
        assert_eq!(typos_within("leds", "leeds"), 1, "one letter missing");
        assert_eq!(typos_within("lede", "leeds"), 1, "a neighbour pair swapped");
        assert_eq!(typos_within("bradfrod", "bradford"), 1, "swap");
        assert_eq!(typos_within("xyz", "leeds"), 3);
        // Matches start at a word: "les" inside a word is not one deletion from "leds".
        assert!(typos_within("leds", "aylesbury vale") >= 2);
        assert!(typos_within("leds", "kirklees") >= 2);
        assert_eq!(typos_within("vale", "aylesbury vale"), 0);
        assert_eq!(typos_within("", "leeds"), 0);
        assert_eq!(typos_within("armly", "armley"), 1);
    }

    #[test]
    fn quality_orders_exact_prefix_word_contains_typos() {
        assert_eq!(MatchQuality::of("leeds", "leeds", ""), Some(MatchQuality::Exact));
        assert_eq!(
            MatchQuality::of("e01011372", "leeds 111b", "e01011372"),
            Some(MatchQuality::Exact)
        );
        assert_eq!(
            MatchQuality::of("leeds 111", "leeds 111a", ""),
            Some(MatchQuality::Prefix)
        );
        assert_eq!(
            MatchQuality::of("hare", "gipton and harehills", ""),
            Some(MatchQuality::WordPrefix)
        );
        assert_eq!(
            MatchQuality::of("hills", "gipton and harehills", ""),
            Some(MatchQuality::Contains)
        );
        assert_eq!(MatchQuality::of("leds", "leeds", ""), Some(MatchQuality::Typos(1)));
        // Three characters: no typos allowed.
        assert_eq!(MatchQuality::of("lds", "leeds", ""), None);
        // Four characters, two errors: too far.
        assert_eq!(MatchQuality::of("lxdx", "leeds", ""), None);
        assert!(MatchQuality::Prefix < MatchQuality::Typos(0));
        assert!(MatchQuality::Typos(1) < MatchQuality::Typos(2));
    }

    #[test]
    fn search_lists_every_lsoa_a_prefix_names_in_order_not_just_the_first() {
        let index = PlaceIndex::new(vec![
            place(PlaceKind::Lsoa, "E01011400", "Leeds 111D"),
            place(PlaceKind::Lsoa, "E01011401", "Leeds 111A"),
            place(PlaceKind::Lsoa, "E01011402", "Leeds 111B"),
            place(PlaceKind::Lsoa, "E01011403", "Leeds 011A"),
            place(PlaceKind::LocalAuthority, "E08000035", "Leeds"),
        ]);
        let names: Vec<&str> = index
            .search("Leeds 111", 10, |_| true)
            .iter()
            .map(|m| m.place.name.as_str())
            .collect();
        // The three 111s first (prefix), then 011A one typo away; the LA "Leeds" is shorter than the query.
        assert_eq!(names, ["Leeds 111A", "Leeds 111B", "Leeds 111D", "Leeds 011A"]);
        let first = index.search("leeds", 10, |_| true);
        assert_eq!(first[0].place.kind, PlaceKind::LocalAuthority, "the exact LA first");
        assert_eq!(index.search("leeds", 2, |_| true).len(), 2, "limited");
        assert!(index.search("", 10, |_| true).is_empty());
        let only_lsoas = index.search("leeds", 10, |p| p.kind == PlaceKind::Lsoa);
        assert_eq!(only_lsoas.len(), 4);
    }

    #[test]
    fn did_you_mean_suggests_near_names_only() {
        let las = ["Leeds", "Leicester", "Lewes", "Bradford", "Kingston upon Hull, City of"];
        assert_eq!(similar_names("Leds", las, 5), ["Leeds"]);
        assert_eq!(similar_names("Leed", las, 5), ["Leeds"]);
        assert_eq!(similar_names("Hull", las, 5), ["Kingston upon Hull, City of"]);
        assert_eq!(similar_names("Leeds City Council", las, 5), ["Leeds"]);
        assert!(similar_names("Atlantis", las, 5).is_empty());
        assert_eq!(did_you_mean(" — ", &["Leeds".into()]), " — did you mean Leeds?");
        assert_eq!(
            did_you_mean("; ", &["A".into(), "B".into(), "C".into()]),
            "; did you mean A, B or C?"
        );
        assert_eq!(did_you_mean("; ", &[]), "");
    }

    #[test]
    fn describe_names_the_ward_and_la() {
        let mut lsoa = place(PlaceKind::Lsoa, "E01011372", "Leeds 111B");
        lsoa.ward_name = "Hunslet & Riverside".into();
        lsoa.la_name = "Leeds".into();
        assert_eq!(lsoa.describe(), "Leeds 111B, Hunslet & Riverside, Leeds");
        assert_eq!(
            place(PlaceKind::LocalAuthority, "E08000035", "Leeds").describe(),
            "Leeds"
        );
    }
}
