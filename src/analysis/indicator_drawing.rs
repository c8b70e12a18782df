//! Which boundaries an indicator's areas are drawn on: their own, or — for 2021 LSOAs when only 2011 boundaries are
//! loaded — their 2011 parents' shapes through the ONS lookup (labelled as such), or nothing, said so; no count is
//! ever dropped, only left undrawn.

use super::indicator_aggregate::{AggregatedIndicator, Level};
use crate::model::{AreaCode, AreaLayer, AreaLevel, Dataset, Indicator, LsoaVintage};
use std::collections::BTreeMap;

/// One shape (or group of shapes) on the map and the table rows it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawUnit {
    /// Codes of the boundary layer's areas it fills.
    pub shapes: Vec<AreaCode>,
    /// Indices into the table's rows summed into it.
    pub rows: Vec<usize>,
    /// Why it is drawn on other shapes than its own, when it is.
    pub label: Option<String>,
}

/// How a table is drawn.
#[derive(Clone, Debug)]
pub struct DrawPlan<'a> {
    /// The boundary layer drawn on, if any is loaded for the level.
    pub layer: Option<&'a AreaLayer>,
    /// The shapes and what they show.
    pub units: Vec<DrawUnit>,
    /// Rows drawn on their own shapes.
    pub direct: usize,
    /// Rows drawn on their 2011 parents' shapes.
    pub via_parents: usize,
    /// Rows that cannot be drawn (no boundary of their code or parents loaded), by code.
    pub cannot_draw: Vec<AreaCode>,
    /// One sentence for the legend and the CLI.
    pub note: String,
}

impl DrawPlan<'_> {
    /// Draws row `row` on its own shape `code`.
    fn push_direct(&mut self, row: usize, code: AreaCode) {
        self.units.push(DrawUnit {
            shapes: vec![code],
            rows: vec![row],
            label: None,
        });
        self.direct += 1;
    }

    /// The extent to fit a map to, and how many shapes lie outside it: a few rows fall in LSOAs far from the rest
    /// (police.uk records some crimes where they were reported), so the extent covers the shapes whose centres lie
    /// within the middle 90% of all centres, padded by that span (at least 2 km).
    pub fn core_extent(&self) -> Option<(geo::Rect<f64>, usize)> {
        let layer = self.layer?;
        let boxes: Vec<geo::Rect<f64>> = self
            .units
            .iter()
            .flat_map(|u| u.shapes.iter().filter_map(|c| layer.get(c).map(|a| a.bbox_in_world)))
            .collect();
        let centres: Vec<geo::Coord<f64>> = boxes.iter().map(|b| b.center()).collect();
        let percentile = |mut v: Vec<f64>, f: f64| {
            v.sort_by(f64::total_cmp);
            v.get(((v.len().saturating_sub(1)) as f64 * f).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let band = |v: Vec<f64>| {
            let (lo, hi) = (percentile(v.clone(), 0.05), percentile(v, 0.95));
            let pad = (hi - lo).max(2_000.0);
            (lo - pad, hi + pad)
        };
        let x = band(centres.iter().map(|c| c.x).collect());
        let y = band(centres.iter().map(|c| c.y).collect());
        let near = |c: &geo::Coord<f64>| (x.0..=x.1).contains(&c.x) && (y.0..=y.1).contains(&c.y);
        let outside = centres.iter().filter(|c| !near(c)).count();
        boxes
            .iter()
            .zip(&centres)
            .filter(|(_, c)| near(c))
            .map(|(b, _)| *b)
            .reduce(crate::model::rect_union)
            .map(|b| (b, outside))
    }
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent.get(root).is_some_and(|p| *p != root) {
        root = parent.get(root).copied().unwrap_or(root);
    }
    let mut at = i;
    while at != root {
        let next = parent.get(at).copied().unwrap_or(root);
        if let Some(slot) = parent.get_mut(at) {
            *slot = root;
        }
        at = next;
    }
    root
}

/// Plans the drawing of a table of an indicator.
pub fn draw_plan<'a>(dataset: &'a Dataset, indicator: &Indicator, table: &AggregatedIndicator) -> DrawPlan<'a> {
    let mut plan = DrawPlan {
        layer: None,
        units: Vec::new(),
        direct: 0,
        via_parents: 0,
        cannot_draw: Vec::new(),
        note: String::new(),
    };
    let vintage = match indicator.level {
        AreaLevel::Lsoa(v) => Some(v),
        _ => None,
    };
    match table.level {
        Level::Lsoa => {
            let Some(vintage) = vintage else { return plan };
            let own = dataset.lsoa_layers.get(&vintage);
            let older = dataset
                .lsoa_layers
                .get(&LsoaVintage::Lsoa2011)
                .filter(|_| vintage == LsoaVintage::Lsoa2021);
            plan.layer = own.or(older);
            let Some(layer) = plan.layer else {
                plan.cannot_draw = table.rows.iter().map(|r| r.code).collect();
                plan.note = format!(
                    "no {vintage} boundaries are loaded: the {} areas cannot be drawn (tables and charts only)",
                    table.rows.len()
                );
                return plan;
            };
            let on_parents = own.is_none();
            // 2021 codes whose 2011 shape is different: through the lookup's parents, grouped where they share one.
            let changed: BTreeMap<AreaCode, Vec<AreaCode>> = if on_parents {
                let mut parents: BTreeMap<AreaCode, Vec<AreaCode>> = BTreeMap::new();
                for row in dataset.change_lookup.iter().flat_map(|l| l.rows.iter()) {
                    parents.entry(row.lsoa21).or_default().push(row.lsoa11);
                }
                parents
            } else {
                BTreeMap::new()
            };
            let mut needing_parents = Vec::new();
            for (i, row) in table.rows.iter().enumerate() {
                let same_shape = changed.get(&row.code).is_none_or(|p| p.as_slice() == [row.code]);
                if layer.get(&row.code).is_some() && same_shape {
                    plan.push_direct(i, row.code);
                } else {
                    needing_parents.push(i);
                }
            }
            // Union-find over rows that share a 2011 parent.
            let mut parent: Vec<usize> = (0..needing_parents.len()).collect();
            let mut first_with: BTreeMap<AreaCode, usize> = BTreeMap::new();
            for (k, i) in needing_parents.iter().enumerate() {
                let code = table.rows.get(*i).map(|r| r.code);
                for p in code.and_then(|c| changed.get(&c)).into_iter().flatten() {
                    match first_with.get(p) {
                        Some(j) => {
                            let (a, b) = (find(&mut parent, k), find(&mut parent, *j));
                            if let Some(slot) = parent.get_mut(a) {
                                *slot = b;
                            }
                        }
                        None => {
                            first_with.insert(*p, k);
                        }
                    }
                }
            }
            let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for k in 0..needing_parents.len() {
                let root = find(&mut parent, k);
                if let Some(i) = needing_parents.get(k) {
                    groups.entry(root).or_default().push(*i);
                }
            }
            for rows in groups.into_values() {
                let mut shapes: Vec<AreaCode> = rows
                    .iter()
                    .filter_map(|i| table.rows.get(*i))
                    .flat_map(|r| changed.get(&r.code).cloned().unwrap_or_default())
                    .filter(|p| layer.get(p).is_some())
                    .collect();
                shapes.sort();
                shapes.dedup();
                let codes: Vec<String> = rows
                    .iter()
                    .filter_map(|i| table.rows.get(*i))
                    .map(|r| r.code.to_string())
                    .collect();
                if shapes.is_empty() {
                    plan.cannot_draw
                        .extend(rows.iter().filter_map(|i| table.rows.get(*i)).map(|r| r.code));
                    continue;
                }
                plan.via_parents += rows.len();
                let parents: Vec<String> = shapes.iter().map(ToString::to_string).collect();
                plan.units.push(DrawUnit {
                    label: Some(format!(
                        "2021 LSOA {} drawn on 2011 shape {}",
                        codes.join(" + "),
                        parents.join(" + ")
                    )),
                    shapes,
                    rows,
                });
            }
            plan.note = if on_parents {
                format!(
                    "{} 2021 LSOAs drawn on their own 2011 shapes (unchanged codes); {} 2021 LSOAs (splits, merges) drawn on their 2011 parents' shapes, their counts summed where they share one; {} cannot be drawn (counts still in every total)",
                    plan.direct,
                    plan.via_parents,
                    plan.cannot_draw.len()
                )
            } else {
                format!(
                    "{} LSOAs drawn; {} have no boundary loaded (counts still in every total)",
                    plan.direct,
                    plan.cannot_draw.len()
                )
            };
        }
        Level::Ward => {
            let ward_year = match indicator.level {
                AreaLevel::Ward(y) => y,
                _ => None,
            };
            let layer = match (vintage, ward_year) {
                (Some(v), _) => dataset.ward_layer_for(v),
                (None, Some(y)) => dataset.ward_layers.get(&y),
                (None, None) => dataset
                    .ward_layers
                    .values()
                    .find(|l| table.rows.iter().any(|r| l.get(&r.code).is_some())),
            };
            plan.layer = layer;
            for (i, row) in table.rows.iter().enumerate() {
                if layer.is_some_and(|l| l.get(&row.code).is_some()) {
                    plan.push_direct(i, row.code);
                } else {
                    plan.cannot_draw.push(row.code);
                }
            }
            let which = ward_year.map_or_else(|| "these wards".to_string(), |y| format!("{y} ward codes"));
            plan.note = if plan.direct == 0 {
                format!(
                    "no boundaries for {which} are loaded: the {} wards cannot be drawn (tables and charts only)",
                    table.rows.len()
                )
            } else {
                format!(
                    "{} wards drawn; {} have no boundary loaded",
                    plan.direct,
                    plan.cannot_draw.len()
                )
            };
        }
        Level::La => {
            plan.cannot_draw = table.rows.iter().map(|r| r.code).collect();
            plan.note = "local authority boundaries are not a layer here: LA figures are tables and charts only".into();
        }
    }
    plan
}
