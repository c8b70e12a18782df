//! Side panels: legend, LA summary, priority wards, the ward profile table, the hover tooltip and the problems list.

use super::paint::{paint_transition_marker, to_color32};
use crate::analysis::{EditionComparison, LaSummary, LsoaChange, Transition, WardCounts, WardProfile};
use crate::model::{AreaCode, BoundaryChange};
use crate::style::{ColourVision, Legend, TOP1_ORANGE, signed};
use egui::{Color32, RichText, Sense, Stroke, Vec2};

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "–".into(), |v| v.to_string())
}

/// The legend: swatches with counts, the 1% key, and the honest-reading caveat.
/// The classes' key is left out when `classes` is false (a group layer fills every LSOA).
pub fn legend_ui(
    ui: &mut egui::Ui,
    legend: &Legend,
    show_transitions: bool,
    to: u16,
    vision: ColourVision,
    classes: bool,
) {
    if classes {
        class_key_ui(ui, legend, vision);
    }
    top1_key_ui(ui, show_transitions, to, vision);
    ui.add_space(6.0);
    for note in &legend.notes {
        ui.label(RichText::new(note).weak());
    }
}

/// The styled classes, each with its swatch and LSOA count.
fn class_key_ui(ui: &mut egui::Ui, legend: &Legend, vision: ColourVision) {
    ui.label(RichText::new(&legend.title).strong());
    ui.label(RichText::new(&legend.subtitle).weak());
    ui.add_space(4.0);
    for entry in &legend.entries {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(Vec2::new(22.0, 14.0), Sense::hover());
            ui.painter().rect(
                rect,
                2.0,
                to_color32(entry.colour, vision),
                Stroke::new(0.5, Color32::from_gray(90)),
                egui::StrokeKind::Inside,
            );
            ui.label(&entry.label);
            ui.label(RichText::new(format!("({})", entry.count)).weak());
        });
    }
    ui.add_space(6.0);
}

/// The 1% outline and, when shown, the transition markers.
fn top1_key_ui(ui: &mut egui::Ui, show_transitions: bool, to: u16, vision: ColourVision) {
    ui.label(RichText::new("Most deprived 1% nationally").strong());
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(Vec2::new(22.0, 14.0), Sense::hover());
        ui.painter().rect_stroke(
            rect,
            1.0,
            Stroke::new(3.0, to_color32(TOP1_ORANGE, vision)),
            egui::StrokeKind::Inside,
        );
        ui.label(format!("In the 1% in {to} (orange outline)"));
    });
    if show_transitions {
        for (transition, text) in [
            (Transition::Stayed, "Stayed in the 1%"),
            (Transition::MovedIn, "Moved into the 1%"),
            (Transition::MovedOut, "Moved out of the 1% (dashed outline)"),
        ] {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::new(22.0, 14.0), Sense::hover());
                paint_transition_marker(ui.painter(), rect.center(), transition, vision);
                ui.label(text);
            });
        }
    }
}

/// A table of figures for the earlier and later edition side by side: a header row of the two years, then one row
/// per label. The summary, the ward profile, the selection panel and the tooltip all show their counts this way.
pub fn edition_table(ui: &mut egui::Ui, id: &str, editions: [u16; 2], striped: bool, rows: &[(&str, String, String)]) {
    egui::Grid::new(id).num_columns(3).striped(striped).show(ui, |ui| {
        ui.label("");
        ui.label(RichText::new(editions[0].to_string()).strong());
        ui.label(RichText::new(editions[1].to_string()).strong());
        ui.end_row();
        for (label, earlier, later) in rows {
            ui.label(*label);
            ui.label(earlier);
            ui.label(later);
            ui.end_row();
        }
    });
}

/// The LA summary numbers.
pub fn summary_ui(ui: &mut egui::Ui, summary: &LaSummary) {
    ui.label(RichText::new(format!("{} ({})", summary.la_name, summary.la_code)).strong());
    match summary.wards {
        Some(wards) => ui.label(format!("{} LSOAs in {wards} wards", summary.lsoas)),
        None => ui.label(format!("{} LSOAs", summary.lsoas)),
    };
    super::missing_data::missing_ui(ui, summary.ward_coverage.missing.as_deref());
    let percent = |share: f64| format!("{:.1}%", share * 100.0);
    let people = |n: Option<u64>| n.map_or_else(|| "–".to_string(), |n| n.to_string());
    let mut rows = vec![
        (
            "In the most deprived 1%",
            summary.top1.count_from.to_string(),
            summary.top1.count_to.to_string(),
        ),
        (
            "In the most deprived 10%",
            summary.decile1.count_from.to_string(),
            summary.decile1.count_to.to_string(),
        ),
        (
            "Share in decile 1",
            percent(summary.decile1.share_from),
            percent(summary.decile1.share_to),
        ),
    ];
    if summary.top1.population_from.is_some() || summary.top1.population_to.is_some() {
        rows.insert(
            1,
            (
                "Population in the 1%",
                people(summary.top1.population_from),
                people(summary.top1.population_to),
            ),
        );
        rows.push((
            "Population in decile 1",
            people(summary.decile1.population_from),
            people(summary.decile1.population_to),
        ));
    }
    edition_table(ui, "summary", [summary.from, summary.to], true, &rows);
    ui.label(format!(
        "1%: {} stayed, {} moved in, {} moved out (line: rank ≤ {} / ≤ {})",
        summary.top1.stayed,
        summary.top1.moved_in,
        summary.top1.moved_out,
        summary.top1.threshold_from,
        summary.top1.threshold_to
    ));
    super::missing_data::population_ui(ui, summary);
    if let Some(rank) = summary.la_rank_by_decile1_share {
        ui.label(format!("Rank {} of {} LAs by share in decile 1", rank.rank, rank.of));
    }
}

/// Priority wards (an LSOA in the later 1%); returns the ward clicked.
pub fn priority_wards_ui(ui: &mut egui::Ui, summary: &LaSummary, open: Option<&AreaCode>) -> Option<AreaCode> {
    let Some(priority) = &summary.priority_wards else {
        ui.label(RichText::new("Priority wards: not known").strong());
        super::missing_data::missing_ui(ui, summary.ward_coverage.missing.as_deref());
        return None;
    };
    ui.label(RichText::new(format!("Priority wards ({})", priority.len())).strong());
    let mut clicked = None;
    for ward in priority {
        let text = format!("{} — {} in the 1%", ward.name, ward.lsoas_in_top1);
        if ui.selectable_label(open == Some(&ward.code), text).clicked() {
            clicked = Some(ward.code);
        }
    }
    clicked
}

/// Columns of the ward profile table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProfileColumn {
    /// LSOA code.
    #[default]
    Code,
    /// Earlier rank.
    RankFrom,
    /// Later rank.
    RankTo,
    /// Change.
    Change,
    /// Later decile.
    DecileTo,
    /// Population.
    Population,
}

/// How the ward profile table is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ProfileSort {
    /// By which column.
    pub column: ProfileColumn,
    /// Largest last.
    pub descending: bool,
}

fn sort_key(row: &LsoaChange, column: ProfileColumn) -> i64 {
    match column {
        ProfileColumn::Code => 0,
        ProfileColumn::RankFrom => row.rank_from.map_or(i64::MAX, i64::from),
        ProfileColumn::RankTo => row.rank_to.map_or(i64::MAX, i64::from),
        ProfileColumn::Change => row.change.unwrap_or(i64::MAX),
        ProfileColumn::DecileTo => row.decile_to.map_or(i64::MAX, i64::from),
        ProfileColumn::Population => row.population.map_or(i64::MAX, |p| p.whole_people() as i64),
    }
}

/// The ward profile: badge, counts, and a sortable table of its LSOAs. Returns the LSOA whose row was clicked.
pub fn ward_profile_ui(
    ui: &mut egui::Ui,
    profile: &WardProfile,
    sort: &mut ProfileSort,
    selected: Option<&AreaCode>,
) -> Option<AreaCode> {
    ui.heading(&profile.name);
    ui.label(format!("{} · {}", profile.code, profile.la_name));
    if profile.priority_ward {
        ui.label(
            RichText::new("Priority ward: an LSOA in the most deprived 1%")
                .color(Color32::BLACK)
                .background_color(to_color32(TOP1_ORANGE, ColourVision::Normal)),
        );
    }
    let [earlier, later] = &profile.counts;
    let rows = [
        (
            "LSOAs in the 1%",
            earlier.in_top1.to_string(),
            later.in_top1.to_string(),
        ),
        (
            "LSOAs in the 10%",
            earlier.in_decile1.to_string(),
            later.in_decile1.to_string(),
        ),
    ];
    edition_table(ui, "ward-counts", [earlier.edition, later.edition], true, &rows);
    ui.label(format!(
        "{} LSOAs · population {}",
        profile.lsoas.len(),
        or_dash(profile.population)
    ));
    if let Some(population) = later.population_in_top1 {
        ui.label(format!("Population in the 1% ({}): {population}", later.edition));
    }
    if let Some(population) = later.population_in_decile1 {
        ui.label(format!("Population in the 10% ({}): {population}", later.edition));
    }
    super::missing_data::profile_population_ui(ui, profile);
    if profile.editions.len() > 2 {
        all_editions_ui(ui, profile);
    }
    ui.separator();

    let mut rows: Vec<&LsoaChange> = profile.lsoas.iter().collect();
    rows.sort_by(|a, b| {
        sort_key(a, sort.column)
            .cmp(&sort_key(b, sort.column))
            .then(a.lsoa_code.cmp(&b.lsoa_code))
    });
    if sort.descending {
        rows.reverse();
    }
    let mut clicked = None;
    egui::ScrollArea::both()
        .id_salt("ward-lsoas")
        .max_height(360.0)
        .show(ui, |ui| {
            egui::Grid::new("ward-lsoa-table")
                .num_columns(7)
                .striped(true)
                .show(ui, |ui| {
                    let headers = [
                        ("LSOA", ProfileColumn::Code),
                        (&*format!("{}", earlier.edition), ProfileColumn::RankFrom),
                        (&*format!("{}", later.edition), ProfileColumn::RankTo),
                        ("Change", ProfileColumn::Change),
                        ("Deciles", ProfileColumn::DecileTo),
                        ("Pop.", ProfileColumn::Population),
                    ];
                    for (label, column) in headers {
                        // Plain text: the default fonts have no arrow glyphs.
                        let arrow = if sort.column == column {
                            if sort.descending { " (desc)" } else { " (asc)" }
                        } else {
                            ""
                        };
                        if ui.button(format!("{label}{arrow}")).on_hover_text("Sort").clicked() {
                            sort.descending = sort.column == column && !sort.descending;
                            sort.column = column;
                        }
                    }
                    ui.label("1%");
                    ui.end_row();
                    for row in rows {
                        let is_selected = selected == Some(&row.lsoa_code);
                        if ui
                            .selectable_label(is_selected, row.lsoa_code.as_str())
                            .on_hover_text(&row.lsoa_name)
                            .clicked()
                        {
                            clicked = Some(row.lsoa_code);
                        }
                        // The rank within the LA (1 = most deprived in the LA) on hover, beside the national rank.
                        ui.label(or_dash(row.rank_from))
                            .on_hover_text(format!("Rank in the LA: {}", or_dash(row.la_rank_from)));
                        ui.label(or_dash(row.rank_to))
                            .on_hover_text(format!("Rank in the LA: {}", or_dash(row.la_rank_to)));
                        ui.label(change_text(row.change));
                        ui.label(format!("{}, {}", or_dash(row.decile_from), or_dash(row.decile_to)));
                        ui.label(or_dash(row.population));
                        ui.label(match row.transition {
                            Transition::Outside => "",
                            Transition::Stayed => "stayed",
                            Transition::MovedIn => "moved in",
                            Transition::MovedOut => "moved out",
                        });
                        ui.end_row();
                    }
                });
        });
    if !profile.domain_lsoas_in_decile1.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Domains: LSOAs in each domain's most deprived 10% ({})",
            later.edition
        ))
        .show(ui, |ui| {
            for (index, count) in &profile.domain_lsoas_in_decile1 {
                ui.label(format!("{}: {count} of {}", index.label(), profile.lsoas.len()));
            }
        });
        egui::CollapsingHeader::new(format!(
            "Domain ranks of each LSOA ({}; 1 = most deprived)",
            later.edition
        ))
        .show(ui, |ui| {
            let indices: Vec<_> = profile.domain_lsoas_in_decile1.keys().copied().collect();
            egui::ScrollArea::horizontal().id_salt("domain-ranks").show(ui, |ui| {
                egui::Grid::new("domain-rank-table").striped(true).show(ui, |ui| {
                    ui.label(RichText::new("LSOA").strong());
                    for index in &indices {
                        ui.label(RichText::new(short_label(*index)).strong())
                            .on_hover_text(index.label());
                    }
                    ui.end_row();
                    for row in &profile.lsoas {
                        ui.label(row.lsoa_code.as_str());
                        for index in &indices {
                            ui.label(or_dash(row.domain_ranks_to.get(index)));
                        }
                        ui.end_row();
                    }
                });
            });
        });
    }
    clicked
}

/// A column heading for a domain.
fn short_label(index: crate::model::Index) -> &'static str {
    use crate::model::Index;
    match index {
        Index::Imd => "IMD",
        Index::Income => "Income",
        Index::Employment => "Employ.",
        Index::Education => "Educ.",
        Index::Health => "Health",
        Index::Crime => "Crime",
        Index::Housing => "Housing",
        Index::LivingEnvironment => "Environ.",
        Index::Idaci => "IDACI",
        Index::Idaopi => "IDAOPI",
    }
}

/// `+120`, `−713` or `–` when unknown.
pub fn change_text(change: Option<i64>) -> String {
    change.map_or_else(|| "–".into(), signed)
}

/// The hover tooltip for one LSOA.
pub fn lsoa_tooltip_ui(ui: &mut egui::Ui, row: &LsoaChange, comparison: &EditionComparison) {
    ui.label(RichText::new(format!("{} ({})", row.lsoa_name, row.lsoa_code)).strong());
    if !row.ward_name.is_empty() {
        ui.label(format!("Ward: {}", row.ward_name));
    }
    let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_string();
    let percentile = |p: Option<f64>| p.map_or_else(|| "-".to_string(), |p| format!("{p:.1}%"));
    let rows = [
        ("IMD rank", or_dash(row.rank_from), or_dash(row.rank_to)),
        ("Rank in the LA", or_dash(row.la_rank_from), or_dash(row.la_rank_to)),
        (
            "Percentile",
            percentile(row.percentile_from),
            percentile(row.percentile_to),
        ),
        ("Decile", or_dash(row.decile_from), or_dash(row.decile_to)),
        ("In the 1%", yes_no(row.in_top1_from), yes_no(row.in_top1_to)),
    ];
    edition_table(ui, "tooltip", [comparison.from, comparison.to], false, &rows);
    if let Some(change) = row.boundary_change {
        ui.label(boundary_change_text(change, &row.earlier_lsoas, comparison.from));
    }
    let meaning = match row.change {
        Some(c) if c < 0 => " (more deprived)",
        Some(c) if c > 0 => " (less deprived)",
        _ => "",
    };
    ui.label(format!("Change in rank: {}{meaning}", change_text(row.change)));
    if let Some(points) = row.percentile_change {
        ui.label(format!("Change in percentile: {points:+.1} points"));
    }
    ui.label(row.transition.label());
    ui.label(RichText::new("Ranks are relative: a worse rank can mean others improved faster.").weak());
}

/// Every comparable edition side by side (e.g. 2015, 2019 and 2025): counts, then each LSOA's rank.
fn all_editions_ui(ui: &mut egui::Ui, profile: &WardProfile) {
    let years: Vec<String> = profile
        .editions
        .iter()
        .map(|c| format!("{}{}", c.edition, if c.bridged { "*" } else { "" }))
        .collect();
    egui::CollapsingHeader::new(format!("All editions ({})", years.join(", ")))
        .id_salt("ward-all-editions")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("ward-all-editions-scroll")
                .max_height(220.0)
                .show(ui, |ui| {
                    egui::Grid::new("ward-all-editions-grid").striped(true).show(ui, |ui| {
                        ui.label("");
                        for year in &years {
                            ui.label(RichText::new(year).strong());
                        }
                        ui.end_row();
                        for (label, pick) in [
                            ("In the 1%", (|c: &WardCounts| c.in_top1) as fn(&WardCounts) -> usize),
                            ("In the 10%", |c: &WardCounts| c.in_decile1),
                        ] {
                            ui.label(label);
                            for column in &profile.editions {
                                ui.label(pick(&column.counts).to_string());
                            }
                            ui.end_row();
                        }
                        for lsoa in &profile.lsoas {
                            ui.label(lsoa.lsoa_code.as_str()).on_hover_text(&lsoa.lsoa_name);
                            for column in &profile.editions {
                                ui.label(or_dash(column.ranks.get(&lsoa.lsoa_code)));
                            }
                            ui.end_row();
                        }
                    });
                });
            if profile.editions.iter().any(|c| c.bridged) {
                ui.label(
                    RichText::new("* on 2021 LSOAs through the ONS 2011 to 2021 lookup (split: parent's rank; merged: population-weighted mean)")
                        .weak(),
                );
            }
        });
}

/// What the 2011 to 2021 boundary change did to an LSOA, naming its 2011 parent(s).
pub fn boundary_change_text(change: BoundaryChange, parents: &[AreaCode], from: u16) -> String {
    let list = parents.iter().map(AreaCode::to_string).collect::<Vec<_>>().join(", ");
    match change {
        BoundaryChange::Unchanged => format!("2011 LSOA {list}: unchanged in 2021"),
        BoundaryChange::Split => format!("Split from 2011 LSOA {list}; its {from} rank is the parent's"),
        BoundaryChange::Merged => {
            format!("Merged from 2011 LSOAs {list}; its {from} rank is their population-weighted mean")
        }
        BoundaryChange::Irregular => {
            format!("Redrawn irregularly from 2011 LSOAs {list}; its {from} rank is their population-weighted mean")
        }
    }
}
