//! Planner-defined groups in the window: a grouping file (wards or LSOAs → group) or the named selections, summarised
//! and ranked like LAs and wards, drawn as a map layer (groups filled by their rank on the chosen measure, outlines
//! dissolved from their LSOAs) that exports as the same PNG; and the named selections ranked in the selection panel.

use super::tool_window::tool_window;
use super::ward_league::MeasureChoice;
use crate::analysis::{AreaMembers, AreaSummaryTable, SummaryMeasure, groups_from_selections, resolve_groups};
use crate::export::{AreaMapGeometry, AreaMapOptions, CivilDate, render_area_map, save_png_atomic};
use crate::io::read_group_file;
use crate::model::{AreaCode, Dataset, GroupFile, Index};
use crate::render::GroupLayer;
use egui::RichText;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// What the groups are built from: the loaded data and its generation, the edition, the LA whose ward names a
/// grouping file's are matched within, and the session's named selections.
#[derive(Clone, Copy)]
pub struct GroupInputs<'a> {
    /// The loaded data.
    pub dataset: &'a Dataset,
    /// Its generation (bumped on every load).
    pub generation: u64,
    /// The edition summarised.
    pub year: u16,
    /// The LA, if one.
    pub la: Option<&'a AreaCode>,
    /// The named selections.
    pub named: &'a BTreeMap<String, BTreeSet<AreaCode>>,
}

/// Where the groups come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupSource {
    /// A grouping file opened in the window.
    #[default]
    File,
    /// The named selections of the session.
    NamedSelections,
}

/// Groups resolved, summarised and laid out for one set of choices.
struct BuiltGroups {
    key: BuildKey,
    table: AreaSummaryTable,
    members: Vec<AreaMembers>,
    geometry: Option<Arc<AreaMapGeometry>>,
    unknown: Option<String>,
    /// Counts builds, so the map layer and its caches know a new one.
    identity: u64,
}

/// What the groups were built for: data generation, edition, index, source, the source's version, the LA.
type BuildKey = (u64, u16, Index, GroupSource, u64, Option<AreaCode>);

/// A file the groups window asks for: the app asks where (a dialog, else its path field) and gives the answer to
/// [`GroupsState::use_file`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupsFileRequest {
    /// A grouping file to open.
    Open,
    /// Where to save the group map PNG.
    ExportMap,
}

impl GroupsFileRequest {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Open => "Open a grouping file (ward_code, ward_name or lsoa_code, then group)",
            Self::ExportMap => "Export group map",
        }
    }
}

/// What the map image was drawn for: the groups built, the measure, the size in pixels.
type ImageKey = (u64, SummaryMeasure, [u32; 2]);

/// The groups window's state.
#[derive(Default)]
pub struct GroupsState {
    /// Shown.
    pub open: bool,
    /// File or named selections.
    pub source: GroupSource,
    /// Index and measure.
    pub choice: MeasureChoice,
    file: Option<GroupFile>,
    /// Bumped when a file is opened, so what was built from the last one is rebuilt.
    file_generation: u64,
    built: Option<BuiltGroups>,
    builds: u64,
    image: Option<(ImageKey, egui::TextureHandle)>,
    message: Option<String>,
    layer: Option<(u64, SummaryMeasure, Arc<GroupLayer>)>,
    /// A file asked for this frame, taken by the app.
    pub file_request: Option<GroupsFileRequest>,
}

impl GroupsState {
    /// Uses the file the app was asked for: opens the grouping file, or saves the group map there.
    pub fn use_file(&mut self, request: GroupsFileRequest, path: PathBuf) {
        match request {
            GroupsFileRequest::Open => self.open_file(path),
            GroupsFileRequest::ExportMap => self.export(&path),
        }
    }

    /// Opens a grouping file (a named error names the file when it cannot be read).
    pub fn open_file(&mut self, path: PathBuf) {
        match read_group_file(&path) {
            Ok(file) => {
                self.message = Some(format!(
                    "{} rows in {} groups from {}",
                    file.rows.len(),
                    file.group_names().len(),
                    path.display()
                ));
                self.file = Some(file);
                self.file_generation += 1;
                self.source = GroupSource::File;
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    fn build(&mut self, inputs: GroupInputs<'_>) -> Option<&BuiltGroups> {
        let GroupInputs {
            dataset,
            generation,
            year,
            la,
            named,
        } = inputs;
        let selections_key = named.len() as u64 + named.values().map(|v| v.len() as u64).sum::<u64>() * 1_000;
        let source_key = match self.source {
            GroupSource::File => self.file_generation,
            GroupSource::NamedSelections => selections_key,
        };
        let key = (
            generation,
            year,
            self.choice.index,
            self.source,
            source_key,
            la.copied(),
        );
        if self.built.as_ref().is_none_or(|b| b.key != key) {
            let edition = dataset.edition(year)?;
            let (groups, described, unknown): (Vec<AreaMembers>, String, Option<String>) = match self.source {
                GroupSource::File => {
                    let file = self.file.as_ref()?;
                    let resolved = resolve_groups(dataset, edition, la, file);
                    let unknown = resolved.unknown_error(file);
                    let name = file
                        .path
                        .file_name()
                        .map_or_else(|| file.path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    (resolved.groups, format!("groups of {name}"), unknown)
                }
                GroupSource::NamedSelections => (groups_from_selections(named), "named selections".to_string(), None),
            };
            let table = AreaSummaryTable::groups(dataset, year, self.choice.index, &groups, &described).ok()?;
            let geometry = dataset
                .lsoa_layers
                .get(&edition.vintage)
                .map(|layer| Arc::new(AreaMapGeometry::build(layer, edition.vintage, &groups)));
            self.builds += 1;
            self.built = Some(BuiltGroups {
                key,
                table,
                members: groups,
                geometry,
                unknown,
                identity: self.builds,
            });
            self.image = None;
        }
        self.built.as_ref()
    }

    /// The groups as a layer of the main map, filled by their rank on the chosen measure (built when the groups or
    /// the measure change); `None` without groups or LSOA boundaries.
    pub fn map_layer(&mut self, inputs: GroupInputs<'_>) -> Option<Arc<GroupLayer>> {
        let measure = self.choice.measure;
        let built = self.build(inputs)?;
        let geometry = built.geometry.clone()?;
        let identity = built.identity;
        if let Some((id, m, layer)) = &self.layer
            && (*id, *m) == (identity, measure)
        {
            return Some(Arc::clone(layer));
        }
        let built = self.built.as_ref()?;
        let key = identity.wrapping_mul(16) + measure as u64;
        let layer = Arc::new(GroupLayer::new(geometry, &built.members, &built.table, measure, key));
        self.layer = Some((identity, measure, Arc::clone(&layer)));
        Some(layer)
    }

    /// The grouping file opened, with a generation that changes whenever another is opened (the indicators
    /// window sums its indicator over the same groups).
    pub fn file(&self) -> Option<(u64, &GroupFile)> {
        self.file.as_ref().map(|f| (self.file_generation, f))
    }

    /// The unknown wards or LSOAs of the grouping file, as the named error says them (for the map's legend).
    pub fn unknown_members(&self) -> Option<&str> {
        self.built.as_ref()?.unknown.as_deref()
    }

    /// The index and measure pickers (the main map's legend offers them too).
    pub fn pickers(&mut self, ui: &mut egui::Ui, dataset: &Dataset, year: u16) {
        let indices = dataset.edition(year).map(|e| e.indices_present()).unwrap_or_default();
        self.choice.pickers(ui, "groups-layer", &indices);
    }

    /// Draws the window.
    pub fn show(&mut self, ctx: &egui::Context, inputs: GroupInputs<'_>, on_map: &mut bool) {
        let mut open = self.open;
        tool_window(ctx, "Area groups", &mut open, [900.0, 620.0], |ui| {
            self.body(ui, inputs, on_map);
        });
        self.open = open;
    }

    fn body(&mut self, ui: &mut egui::Ui, inputs: GroupInputs<'_>, on_map: &mut bool) {
        let (dataset, year) = (inputs.dataset, inputs.year);
        ui.horizontal(|ui| {
            if ui.button("Open grouping file…").clicked() {
                self.file_request = Some(GroupsFileRequest::Open);
            }
            ui.radio_value(&mut self.source, GroupSource::File, "Grouping file");
            ui.radio_value(&mut self.source, GroupSource::NamedSelections, "Named selections");
        });
        if let Some(message) = &self.message {
            ui.label(RichText::new(message).weak());
        }
        ui.checkbox(on_map, "Show the groups on the main map").on_hover_text(
            "Also View > Area groups layer: member LSOAs filled by the group's rank, outlines dissolved",
        );
        let indices = dataset.edition(year).map(|e| e.indices_present()).unwrap_or_default();
        self.choice.pickers(ui, "groups", &indices);
        let measure = self.choice.measure;
        let Some(built) = self.build(inputs) else {
            ui.label(match self.source {
                GroupSource::File => "Open a grouping file: a CSV with a ward_code, ward_name or lsoa_code column and a group column (e.g. Leeds' Community Committee areas).",
                GroupSource::NamedSelections => "No named selections yet: save a selection under a name in the selection panel.",
            });
            return;
        };
        if let Some(unknown) = &built.unknown {
            ui.colored_label(egui::Color32::from_rgb(0xb2, 0x18, 0x2b), unknown);
        }
        ui.label(RichText::new(built.table.provenance()).weak());
        for note in &built.table.notes {
            ui.label(RichText::new(format!("Note: {note}.")).weak());
        }
        let table = built.table.clone();
        let has_map = built.geometry.is_some();
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(330.0);
                egui::ScrollArea::vertical()
                    .id_salt("groups-table")
                    .max_height(480.0)
                    .show(ui, |ui| {
                        egui::Grid::new("groups-grid")
                            .striped(true)
                            .num_columns(3)
                            .show(ui, |ui| {
                                ui.label(RichText::new("Rank").strong());
                                ui.label(RichText::new("Group").strong());
                                ui.label(RichText::new(measure.label()).strong());
                                ui.end_row();
                                let mut rows: Vec<_> = table.rows.iter().collect();
                                rows.sort_by_key(|r| (measure.of(r).1.unwrap_or(u32::MAX), r.area_name.clone()));
                                for row in rows {
                                    let (value, rank) = measure.of(row);
                                    ui.label(rank.map_or_else(|| "–".into(), |r| r.to_string()));
                                    ui.label(format!("{} ({} LSOAs)", row.area_name, row.lsoas));
                                    ui.label(value.map_or_else(|| "–".into(), |v| measure.format(v, table.index)));
                                    ui.end_row();
                                }
                            });
                    });
                if has_map && ui.button("Export group map as PNG…").clicked() {
                    self.file_request = Some(GroupsFileRequest::ExportMap);
                }
            });
            if has_map {
                let available = ui.available_size();
                let size = [
                    available.x.clamp(240.0, 1400.0) as u32,
                    available.y.clamp(240.0, 900.0) as u32,
                ];
                self.draw_map(ui, size, measure);
            } else {
                ui.label("No LSOA boundaries are loaded, so the groups cannot be mapped.");
            }
        });
    }

    fn draw_map(&mut self, ui: &mut egui::Ui, size: [u32; 2], measure: SummaryMeasure) {
        let Some(built) = &self.built else { return };
        let Some(geometry) = &built.geometry else { return };
        let pixels_per_point = ui.ctx().pixels_per_point();
        let px = [
            (size[0] as f32 * pixels_per_point) as u32,
            (size[1] as f32 * pixels_per_point) as u32,
        ];
        let key = (built.identity, measure, px);
        if self.image.as_ref().is_none_or(|(k, _)| *k != key) {
            let options = AreaMapOptions {
                width_px: px[0].max(200),
                height_px: px[1].max(200),
                px_per_pt: pixels_per_point * 0.9,
                title: format!("{} by {}", built.table.geography, measure.label().to_lowercase()),
                year: CivilDate::today().year,
                labels: true,
            };
            match render_area_map(geometry, &built.table, measure, &options) {
                Ok(pixmap) => {
                    let image = egui::ColorImage::from_rgba_premultiplied(
                        [pixmap.width() as usize, pixmap.height() as usize],
                        pixmap.data(),
                    );
                    let texture = ui
                        .ctx()
                        .load_texture("area-groups-map", image, egui::TextureOptions::LINEAR);
                    self.image = Some((key, texture));
                }
                Err(e) => {
                    ui.label(e.to_string());
                    return;
                }
            }
        }
        if let Some((_, texture)) = &self.image {
            ui.add(egui::Image::new(texture).fit_to_exact_size(egui::vec2(size[0] as f32, size[1] as f32)));
        }
    }

    fn export(&mut self, path: &std::path::Path) {
        let measure = self.choice.measure;
        let Some(built) = &self.built else { return };
        let Some(geometry) = &built.geometry else { return };
        let dpi = 300.0;
        let options = AreaMapOptions {
            width_px: 3508,
            height_px: 2480,
            px_per_pt: dpi / 72.0,
            title: format!("{} by {}", built.table.geography, measure.label().to_lowercase()),
            year: CivilDate::today().year,
            labels: true,
        };
        self.message = Some(
            match render_area_map(geometry, &built.table, measure, &options)
                .and_then(|pixmap| save_png_atomic(&pixmap, path, dpi, true))
            {
                Ok(()) => format!("Saved the group map to {}", path.display()),
                Err(e) => format!("Could not export the group map: {e}"),
            },
        );
    }
}

/// The selection panel's block: the named selections ranked among themselves on the IMD's average score and
/// proportion in the most deprived 10%.
pub fn named_selections_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    year: u16,
    named: &BTreeMap<String, BTreeSet<AreaCode>>,
) {
    if named.len() < 2 {
        return;
    }
    let groups = groups_from_selections(named);
    let Ok(table) = AreaSummaryTable::groups(dataset, year, Index::Imd, &groups, "named selections") else {
        return;
    };
    ui.label(RichText::new(format!("Named selections ranked (IMD {year})")).strong());
    egui::Grid::new("named-selections-ranked")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("Selection");
            ui.label("Average score");
            ui.label("In 10%");
            ui.end_row();
            for row in &table.rows {
                ui.label(&row.area_name);
                for measure in [SummaryMeasure::AverageScore, SummaryMeasure::Proportion] {
                    let (value, rank) = measure.of(row);
                    ui.label(match (value, rank) {
                        (Some(v), Some(r)) => format!("{} ({r})", measure.format(v, Index::Imd)),
                        _ => "–".into(),
                    });
                }
                ui.end_row();
            }
        });
}
