//! The local authority picker: 300-odd LAs, filtered as the planner types (the same matching as the search field:
//! start of the name, a word, part of it, or a typo or two away; see [`crate::analysis::place_search`]).

use crate::analysis::MatchQuality;
use crate::model::{AreaCode, normalise};

/// The LA picker's national choice (`AreaFilter::parse` reads it as England).
pub const ALL_ENGLAND: &str = "All England";

/// The LAs to list for `filter`: all of them, in order, when it is empty; else those it matches, best first (ties
/// keep the list's order).
pub fn filtered_las<'a>(las: &'a [(AreaCode, String)], filter: &str) -> Vec<&'a (AreaCode, String)> {
    let wanted = normalise(filter);
    if wanted.is_empty() {
        return las.iter().collect();
    }
    let mut found: Vec<(MatchQuality, &(AreaCode, String))> = las
        .iter()
        .filter_map(|la| MatchQuality::of(&wanted, &normalise(&la.1), &normalise(la.0.as_str())).map(|q| (q, la)))
        .collect();
    found.sort_by_key(|(q, _)| *q);
    found.into_iter().map(|(_, la)| la).collect()
}

/// The labelled picker bound to `la` (an LA's name, or [`ALL_ENGLAND`]), with a filter field at the top of its list.
pub fn la_picker_ui(ui: &mut egui::Ui, las: &[(AreaCode, String)], la: &mut String) {
    let label = ui.label("Local authority");
    let filter_id = ui.make_persistent_id("la-picker-filter");
    let response = egui::ComboBox::from_id_salt("la-picker")
        .width(200.0)
        .selected_text(la.as_str())
        .height(420.0)
        // Clicks in the filter field must not close the list; choosing an LA closes it below.
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let before = la.clone();
            let mut filter: String = ui.data_mut(|d| d.get_temp(filter_id)).unwrap_or_default();
            let field = ui
                .horizontal(|ui| {
                    let label = ui.label("Filter");
                    ui.add(
                        egui::TextEdit::singleline(&mut filter)
                            .hint_text("type a name, e.g. Leeds")
                            .desired_width(150.0),
                    )
                    .labelled_by(label.id)
                })
                .inner;
            let first_frame = ui.data_mut(|d| d.get_temp::<bool>(filter_id.with("open"))).is_none();
            if first_frame {
                field.request_focus();
                ui.data_mut(|d| d.insert_temp(filter_id.with("open"), true));
            }
            let shown = filtered_las(las, &filter);
            if filter.trim().is_empty() {
                ui.selectable_value(la, ALL_ENGLAND.to_string(), ALL_ENGLAND);
                ui.separator();
            } else if shown.is_empty() {
                ui.label(egui::RichText::new(format!("No LA like {filter:?}")).weak());
            }
            // Enter takes the best match.
            if field.lost_focus()
                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                && let Some((_, name)) = shown.first()
            {
                *la = name.clone();
                ui.close();
            }
            for (_, name) in shown {
                ui.selectable_value(la, name.clone(), name);
            }
            ui.data_mut(|d| d.insert_temp(filter_id, filter));
            if *la != before {
                ui.close();
            }
        });
    response.response.labelled_by(label.id);
    if response.inner.is_none() {
        // Closed: the next opening starts with an empty filter and the cursor in it.
        ui.data_mut(|d| {
            d.remove::<String>(filter_id);
            d.remove::<bool>(filter_id.with("open"));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn las() -> Vec<(AreaCode, String)> {
        [
            ("E08000032", "Bradford"),
            ("E08000035", "Leeds"),
            ("E06000016", "Leicester"),
            ("E07000063", "Lewes"),
            ("E06000010", "Kingston upon Hull, City of"),
        ]
        .into_iter()
        .map(|(c, n)| (AreaCode::parse(c).unwrap(), n.to_string()))
        .collect()
    }

    #[test]
    fn the_picker_filters_as_typed_and_forgives_a_typo() {
        let las = las();
        let names =
            |filter: &str| -> Vec<String> { filtered_las(&las, filter).into_iter().map(|l| l.1.clone()).collect() };
        assert_eq!(names("").len(), 5, "empty: every LA");
        assert_eq!(names("le"), ["Leeds", "Leicester", "Lewes"]);
        assert_eq!(names("Leds"), ["Leeds"]);
        assert_eq!(names("hull"), ["Kingston upon Hull, City of"]);
        assert_eq!(names("E08000032"), ["Bradford"]);
        assert!(names("Atlantis").is_empty());
    }
}
