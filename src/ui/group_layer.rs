//! The area groups (a grouping file's, or the named selections) as a layer of the main map: its View-menu switch, its
//! legend block (measure, index, edition, population source, each group ranked), the groups in the selection panel
//! (a click selects a group's LSOAs), and its meshes and labels on the map. What it draws is
//! [`crate::render::GroupLayer`], the description the report export paints too.

use super::area_groups_view::{GroupInputs, GroupsState};
use super::command::AppCommand;
use super::paint::{pos, text_with_halo, to_color32};
use super::scene::MapScene;
use super::session::Session;
use super::settings::Settings;
use crate::analysis::SelectionEdit;
use crate::model::AreaCode;
use crate::render::{DrawnArea, GroupLayer, ScreenFromWorld, push_area_fills, push_screen_polyline};
use crate::style::{ColourVision, Rgba};
use egui::{Color32, FontId, RichText};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The group outline's colour on the map (as the export's `GROUP_LINE`).
const GROUP_LINE: Rgba = crate::export::GROUP_LINE;

/// The View menu's switch for the layer.
pub fn layer_checkbox(ui: &mut egui::Ui, settings: &mut Settings) {
    ui.checkbox(
        &mut settings.show_group_layer,
        "Area groups layer (fill by rank, dissolved outlines)",
    )
    .on_hover_text("The groups of View > Area groups map… (a grouping file, or the named selections) on the main map");
}

/// Builds (or takes from its cache) the layer of the groups open in the area groups window, for the current map's
/// later edition and LA.
pub fn current_layer(groups: &mut GroupsState, session: &Session) -> Option<Arc<GroupLayer>> {
    let scene = session.scene()?;
    let dataset = &scene.data.dataset;
    let year = scene.comparison.to;
    // The scene's LA, already found (finding it again walks the edition's rows: too slow for every frame); ward names
    // are matched within it, and anywhere on the national map.
    let la = Some(scene.comparison.la_code).filter(|code| code.as_str() != "E92000001");
    groups.map_layer(GroupInputs {
        dataset,
        generation: session.generation(),
        year,
        la: la.as_ref(),
        named: session.named_selections(),
    })
}

/// The layer's legend block: its pickers, heading, each group in rank order with its swatch and value, the
/// population source and edition; or how to get groups.
pub fn group_legend_ui(
    ui: &mut egui::Ui,
    groups: &mut GroupsState,
    layer: Option<&GroupLayer>,
    scene: &MapScene,
    vision: ColourVision,
) {
    ui.separator();
    ui.label(RichText::new("Area groups").strong());
    let Some(layer) = layer else {
        ui.label("No groups open: open a grouping file (or use the named selections) in View > Area groups map…");
        return;
    };
    groups.pickers(ui, &scene.data.dataset, scene.comparison.to);
    ui.label(RichText::new(&layer.heading).strong());
    ui.label("Filled by rank among the groups (darkest = most deprived); outlines dissolved from member LSOAs.");
    egui::Grid::new("group-layer-legend").num_columns(2).show(ui, |ui| {
        for i in layer.ranked_order() {
            let group = &layer.groups[i];
            let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 1.0, to_color32(group.fill, vision));
            ui.label(layer.legend_line(group));
            ui.end_row();
        }
    });
    ui.label(RichText::new(&layer.provenance).weak());
    for note in &layer.notes {
        ui.label(RichText::new(format!("Note: {note}.")).weak());
    }
    if let Some(unknown) = groups.unknown_members() {
        ui.colored_label(Color32::from_rgb(0xb2, 0x18, 0x2b), unknown);
    }
}

/// The groups in the selection panel: a click on one selects its LSOAs (replacing the selection).
pub fn groups_selection_ui(ui: &mut egui::Ui, layer: &GroupLayer) -> Option<AppCommand> {
    let mut command = None;
    ui.label(RichText::new(format!("Area groups ({})", layer.groups.len())).strong());
    for i in layer.ranked_order() {
        let group = &layer.groups[i];
        let text = format!("{} ({} LSOAs)", group.name, group.lsoas.len());
        if ui
            .button(text)
            .on_hover_text(format!("Select the LSOAs of {} ({})", group.name, layer.heading))
            .clicked()
        {
            let codes: BTreeSet<AreaCode> = group.lsoas.iter().copied().collect();
            command = Some(AppCommand::EditSelection(SelectionEdit::Replace(codes)));
        }
    }
    command
}

/// The layer's meshes for the map image: member LSOAs filled by their group's rank (over the comparison's fills),
/// then the dissolved outlines, dark on a white casing.
pub fn group_meshes(
    scene: &MapScene,
    layer: &GroupLayer,
    transform: &ScreenFromWorld,
    visible: geo::Rect<f64>,
    vision: ColourVision,
) -> [egui::Mesh; 2] {
    let members: Vec<DrawnArea> = layer
        .geometry
        .lsoas
        .areas
        .iter()
        .filter_map(|lsoa| {
            scene
                .area_by_code
                .get(&lsoa.code)
                .and_then(|i| scene.areas.get(*i))
                .cloned()
        })
        .collect();
    let mut fill = egui::Mesh::default();
    push_area_fills(
        &mut fill,
        scene.layer(),
        scene.meshes(),
        &members,
        visible,
        transform,
        |area| vision.simulate(layer.fill_of(&area.code).unwrap_or(crate::style::NO_DATA)),
    );
    let mut lines = egui::Mesh::default();
    for (width, colour) in [(4.0, Rgba::hex(0xffffff)), (2.0, GROUP_LINE)] {
        for line in &layer.geometry.outlines {
            push_screen_polyline(&mut lines, &line.0, transform, width, vision.simulate(colour));
        }
    }
    [fill, lines]
}

/// Each group's name at its label point, on a white halo.
pub fn paint_group_labels(painter: &egui::Painter, layer: &GroupLayer, transform: &ScreenFromWorld) {
    for (group, point) in layer.groups.iter().zip(&layer.geometry.label_in_world) {
        if let Some(point) = point {
            text_with_halo(
                painter,
                pos(transform.apply(*point)),
                &group.name,
                FontId::proportional(13.0),
                Color32::BLACK,
            );
        }
    }
}
