//! The distribution panel: a histogram of rank change and a scatter of earlier against later rank, with the 1% and
//! 10% lines, linked to the map both ways.

use super::choropleth_map::to_color32;
use super::scene::MapScene;
use crate::model::AreaCode;
use crate::style::{ColourVision, HIGHLIGHT, TOP1_ORANGE};
use egui::Color32;
use egui_plot::{Bar, BarChart, Line, MarkerShape, Plot, PlotPoints, Points, Span, VLine};

/// What the panel remembers: a range being dragged out on the histogram.
#[derive(Clone, Copy, Debug, Default)]
pub struct DistributionState {
    brush_start: Option<f64>,
    brush_end: Option<f64>,
}

/// LSOAs the planner pointed at in the panel.
#[derive(Clone, Debug, Default)]
pub struct DistributionResponse {
    /// Under the pointer (a bar's LSOAs, or one point).
    pub hovered: Vec<AreaCode>,
    /// A change range dragged out on the histogram, when the drag ends.
    pub brushed: Option<Vec<AreaCode>>,
}

/// Bin width: a round number giving about 30 bars.
fn bin_width(max_abs_change: i64) -> i64 {
    let raw = (max_abs_change.max(1) * 2 / 30).max(1);
    [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000]
        .into_iter()
        .find(|w| *w >= raw)
        .unwrap_or(10_000)
}

/// Draws the panel; `marked` is the LSOA hovered on the map, marked on the scatter.
pub fn distribution_ui(
    ui: &mut egui::Ui,
    scene: &MapScene,
    state: &mut DistributionState,
    marked: Option<&AreaCode>,
    vision: ColourVision,
) -> DistributionResponse {
    let rows = &scene.comparison.rows;
    let (from, to) = (scene.comparison.from, scene.comparison.to);
    let mut out = DistributionResponse::default();
    let changes: Vec<(i64, &AreaCode)> = rows
        .iter()
        .filter_map(|r| r.change.map(|c| (c, &r.lsoa_code)))
        .collect();
    let width = bin_width(changes.iter().map(|(c, _)| c.abs()).max().unwrap_or(1));
    let bin_of = |c: i64| c.div_euclid(width);
    let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for (c, _) in &changes {
        *counts.entry(bin_of(*c)).or_default() += 1;
    }
    let height = ui.available_height().clamp(140.0, 260.0);
    ui.columns(2, |columns| {
        // Histogram of change.
        let bars: Vec<Bar> = counts
            .iter()
            .map(|(bin, n)| {
                let centre = (*bin as f64 + 0.5) * width as f64;
                let colour = if centre < 0.0 {
                    Color32::from_rgb(0xd6, 0x60, 0x4d)
                } else {
                    Color32::from_rgb(0x43, 0x93, 0xc3)
                };
                Bar::new(centre, *n as f64)
                    .width(width as f64 * 0.95)
                    .fill(colour)
                    .name(format!("{} to {}", bin * width, (bin + 1) * width - 1))
            })
            .collect();
        let brush = *state;
        let histogram = Plot::new("change-histogram")
            .height(height)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .x_axis_label(format!("Change in rank, {from} to {to} (negative = worsened)"))
            .y_axis_label("LSOAs")
            .show(&mut columns[0], |plot| {
                plot.bar_chart(BarChart::new("LSOAs", bars));
                plot.vline(VLine::new("no change", 0.0).color(Color32::from_gray(80)));
                if let (Some(a), Some(b)) = (brush.brush_start, brush.brush_end) {
                    plot.span(
                        Span::new("selected range", a.min(b)..=a.max(b))
                            .fill(to_color32(HIGHLIGHT, vision).gamma_multiply(0.25)),
                    );
                }
                plot.pointer_coordinate()
            });
        let response = &histogram.response;
        if let Some(pointer) = histogram.inner.filter(|_| response.hovered()) {
            let bin = bin_of(pointer.x.floor() as i64);
            out.hovered = changes
                .iter()
                .filter(|(c, _)| bin_of(*c) == bin)
                .map(|(_, code)| **code)
                .collect();
            if response.drag_started() {
                state.brush_start = Some(pointer.x);
            }
            if response.dragged() {
                state.brush_end = Some(pointer.x);
            }
        }
        if response.drag_stopped()
            && let (Some(a), Some(b)) = (state.brush_start, state.brush_end)
        {
            let (low, high) = (a.min(b), a.max(b));
            out.brushed = Some(
                changes
                    .iter()
                    .filter(|(c, _)| (low..=high).contains(&(*c as f64)))
                    .map(|(_, code)| **code)
                    .collect(),
            );
        }
        if response.double_clicked() {
            *state = DistributionState::default();
        }

        // Scatter of earlier against later rank.
        let pairs: Vec<(&AreaCode, [f64; 2])> = rows
            .iter()
            .filter_map(|r| Some((&r.lsoa_code, [f64::from(r.rank_from?), f64::from(r.rank_to?)])))
            .collect();
        let top1 = f64::from(scene.comparison.threshold_to);
        let decile_line = f64::from(scene.comparison.threshold_to) * 10.0;
        let max_rank = pairs.iter().map(|(_, p)| p[0].max(p[1])).fold(1.0, f64::max);
        let marked_point = marked
            .and_then(|m| pairs.iter().find(|(c, _)| *c == m))
            .map(|(_, p)| *p);
        let orange = to_color32(TOP1_ORANGE, vision);
        let scatter = Plot::new("rank-scatter")
            .height(height)
            .include_x(0.0)
            .include_y(0.0)
            .x_axis_label(format!("IMD rank {from} (1 = most deprived)"))
            .y_axis_label(format!("IMD rank {to}"))
            .show(&mut columns[1], |plot| {
                plot.line(
                    Line::new("no change", PlotPoints::from(vec![[0.0, 0.0], [max_rank, max_rank]]))
                        .color(Color32::from_gray(150)),
                );
                plot.vline(VLine::new("1% line", top1).color(orange));
                plot.add(egui_plot::HLine::new("1% line", top1).color(orange));
                plot.vline(VLine::new("10% line", decile_line).color(Color32::from_gray(120)));
                plot.add(egui_plot::HLine::new("10% line", decile_line).color(Color32::from_gray(120)));
                // One marker per screen pixel (at last frame's scale, which zooming in refines): 32,844 LSOAs
                // nationally fall on far fewer pixels, and each marker drawn costs a quad all the way to the GPU.
                let transform = *plot.transform();
                let mut pixels_used = std::collections::HashSet::new();
                let points: Vec<[f64; 2]> = pairs
                    .iter()
                    .map(|(_, p)| *p)
                    .filter(|p| {
                        let at = transform.position_from_point(&egui_plot::PlotPoint::new(p[0], p[1]));
                        pixels_used.insert((at.x.floor() as i64, at.y.floor() as i64))
                    })
                    .collect();
                plot.points(
                    Points::new("LSOAs", points)
                        .radius(2.0)
                        .color(Color32::from_rgb(0x31, 0x68, 0x8e)),
                );
                if let Some(point) = marked_point {
                    plot.points(
                        Points::new("hovered on the map", vec![point])
                            .radius(6.0)
                            .shape(MarkerShape::Diamond)
                            .color(to_color32(HIGHLIGHT, vision)),
                    );
                }
                plot.pointer_coordinate()
            });
        if let Some(pointer) = scatter.inner.filter(|_| scatter.response.hovered()) {
            // The nearest point within a few pixels' worth of ranks.
            let tolerance = max_rank / 60.0;
            let nearest = pairs
                .iter()
                .map(|(code, p)| (code, (p[0] - pointer.x).hypot(p[1] - pointer.y)))
                .filter(|(_, d)| *d < tolerance)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((code, _)) = nearest {
                out.hovered = vec![**code];
            }
        }
    });
    out
}
