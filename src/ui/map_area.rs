//! The central panel's map: the widget over the session's scene, its tooltips, and what clicks and drawn shapes ask
//! for, as [`AppCommand`]s.

use super::choropleth_map::{ChoroplethMap, MapMemory};
use super::command::AppCommand;
use super::map_cache::MapCache;
use super::paint::screen_rect_of;
use super::panels::lsoa_tooltip_ui;
use super::session::Session;
use super::settings::Settings;
use super::side_panels::Panels;
use crate::analysis::{SelectionEdit, select_in_polygon};
use crate::model::AreaCode;
use crate::render::ScreenRect;
use std::collections::{BTreeSet, HashSet};

/// Draws the map into the space left and returns what the planner did on it; `map_rect` is where it was drawn.
pub fn map_area(
    ui: &mut egui::Ui,
    session: &Session,
    settings: &Settings,
    memory: &mut MapMemory,
    cache: &mut MapCache,
    panels: &mut Panels,
    map_rect: &mut Option<ScreenRect>,
) -> Vec<AppCommand> {
    let mut commands = Vec::new();
    let Some(scene) = session.scene() else {
        return commands;
    };
    let index_of = |codes: &mut dyn Iterator<Item = &AreaCode>| -> HashSet<usize> {
        codes.filter_map(|c| scene.area_by_code.get(c).copied()).collect()
    };
    let highlighted = index_of(&mut session.highlighted().iter().chain(&panels.hovered_in_panel));
    let selected = session.selected().and_then(|c| scene.area_by_code.get(c).copied());
    let selection = index_of(&mut session.selection().codes.iter());
    *map_rect = Some(screen_rect_of(ui.available_rect_before_wrap()));
    let focus_ward = session.profile().map(|p| p.code);
    let map = ChoroplethMap {
        scene,
        memory,
        cache,
        settings,
        highlighted: &highlighted,
        selection: &selection,
        selected,
        focus_ward: focus_ward.as_ref(),
        groups: session
            .group_layer()
            .filter(|_| settings.show_group_layer)
            .map(|l| l.as_ref()),
    }
    .show(ui);
    panels.hovered_on_map = map.hovered.map(|i| scene.row(&scene.areas[i]).lsoa_code);
    if let Some(layer_index) = map.hovered_without_data {
        let area = &scene.layer().areas[layer_index];
        let text = format!(
            "{} ({}): no IMD data for IMD {} and {}{}",
            area.name,
            area.code,
            scene.comparison.from,
            scene.comparison.to,
            if area.code.is_welsh() {
                ". Welsh LSOAs are ranked by the Welsh Index (WIMD), not the English IMD."
            } else {
                "."
            }
        );
        map.response.clone().on_hover_text_at_pointer(text);
    }
    if let Some(index) = map.hovered {
        let row = scene.row(&scene.areas[index]).clone();
        let comparison = &scene.comparison;
        map.response
            .clone()
            .on_hover_ui_at_pointer(|ui| lsoa_tooltip_ui(ui, &row, comparison));
    }
    if let Some((index, add)) = map.clicked {
        let code = scene.row(&scene.areas[index]).lsoa_code;
        commands.push(AppCommand::Click { code, add });
    }
    if let Some((polygon, add)) = map.drawn {
        let candidates: BTreeSet<AreaCode> = scene.comparison.rows.iter().map(|r| r.lsoa_code).collect();
        let inside = select_in_polygon(scene.layer(), &candidates, &polygon);
        commands.push(AppCommand::EditSelection(if add {
            SelectionEdit::Add(inside)
        } else {
            SelectionEdit::Replace(inside)
        }));
    }
    commands
}
