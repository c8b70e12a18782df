//! What the window says where a figure would be when the data behind it is not loaded: wards or population not
//! loaded, and, when the chosen LA cannot be mapped at all, why — in the map area and the left panel — with its
//! figures from the tables, never another LA's map under its name.

use super::session::Session;
use crate::analysis::LaSummary;
use egui::{Color32, RichText};

/// The amber of "not loaded" sentences.
const MISSING: Color32 = Color32::from_rgb(0x99, 0x5a, 0x00);

/// Said where a figure needs the rest of a staged load (population, domains, other editions) while it comes.
pub const REST_LOADING: &str =
    "population, domain and other editions' figures: loading… (the rest of the data folder is still being read)";

/// One "not loaded" sentence, when there is one.
pub fn missing_ui(ui: &mut egui::Ui, missing: Option<&str>) {
    if let Some(text) = missing {
        ui.label(RichText::new(capitalised(text)).color(MISSING));
    }
}

/// Where the population figures come from (the IMD 2025 bridge is named as such), or why there are none.
pub fn population_ui(ui: &mut egui::Ui, summary: &LaSummary) {
    if let Some(why) = &summary.population_missing {
        missing_ui(ui, Some(&format!("population ({}): not known — {why}", summary.to)));
    } else if let Some(source) = &summary.population_source
        && source.contains("2021 LSOAs")
    {
        ui.label(RichText::new(format!("Population: {source}.")).weak())
            .on_hover_text("IMD 2025 has no population denominators of its own here.");
        if summary.lsoas_without_population > 0 {
            missing_ui(
                ui,
                Some(&format!(
                    "{} of the {} LSOAs (split or redrawn in 2021) have no population and are left out of the sums",
                    summary.lsoas_without_population, summary.lsoas
                )),
            );
        }
    }
}

/// The ward profile's population caveat: why there is none, or the bridge named and the LSOAs it leaves out.
pub fn profile_population_ui(ui: &mut egui::Ui, profile: &crate::analysis::WardProfile) {
    if let Some(why) = &profile.population_missing {
        missing_ui(ui, Some(&format!("population: not known — {why}")));
    } else if let Some(source) = profile.population_source.as_ref().filter(|s| s.contains("2021 LSOAs")) {
        ui.label(RichText::new(format!("Population: {source}.")).weak());
        if profile.lsoas_without_population > 0 {
            missing_ui(
                ui,
                Some(&format!(
                    "{} of its LSOAs (split or redrawn in 2021) have no population and are left out of the sums",
                    profile.lsoas_without_population
                )),
            );
        }
    }
}

/// The map area when the choices cannot be mapped: why, plainly, in the middle of the map.
pub fn unshown_map_ui(ui: &mut egui::Ui, session: &Session, la: &str) {
    let (Some(_), None, Some(why)) = (session.data(), session.scene(), session.scene_error_text()) else {
        return;
    };
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.label(RichText::new(format!("{la} is not mapped")).heading());
        ui.label(RichText::new(why).color(MISSING));
        ui.label("Open a data folder with its boundaries and ward lookup (File, Open data folder…), or choose another local authority.");
        if session.unshown_summary().is_some() {
            ui.label("Its figures from the IMD tables are in the panel on the left.");
        }
    });
}

/// The left panel when the choices cannot be mapped: the reason, then the LA's summary from the tables if any.
pub fn unshown_panel_ui(ui: &mut egui::Ui, session: &Session) {
    let Some(why) = session.scene_error_text() else {
        ui.label("No map yet.");
        return;
    };
    ui.label(RichText::new("Not mapped").strong());
    ui.label(RichText::new(why).color(MISSING));
    if let Some(summary) = session.unshown_summary() {
        ui.separator();
        super::panels::summary_ui(ui, summary, session.rest_loading());
        ui.separator();
        super::panels::priority_wards_ui(ui, summary, None);
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
