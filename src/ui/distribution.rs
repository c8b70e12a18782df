//! The distribution panel: a histogram of what the map shows (rank or percentile change, or a decile; its bars in
//! the map's colours through the colour-vision preview) and a scatter of earlier against later rank, with the 1% and
//! 10% lines, linked to the map both ways: a bar hovered outlines its LSOAs, a bar clicked or a range dragged out
//! selects them.

use super::paint::to_color32;
use super::scene::MapScene;
use crate::model::AreaCode;
use crate::style::{ColourVision, HIGHLIGHT, MapMode, Rgba, TOP1_ORANGE, mode_value};
use egui::{Color32, ColorImage, TextureHandle, TextureOptions};
use egui_plot::{
    Bar, BarChart, Line, MarkerShape, Plot, PlotImage, PlotPoint, PlotPoints, PlotTransform, Points, Span, VLine,
};

/// What the panel remembers: a range being dragged out on the histogram, and the scatter's points as an image.
#[derive(Clone, Default)]
pub struct DistributionState {
    brush_start: Option<f64>,
    brush_end: Option<f64>,
    scatter: Option<ScatterImage>,
    data: Option<std::sync::Arc<DistributionData>>,
}

/// What the panel plots, gathered once per scene: nationally, collecting and binning 32,844 rows every frame cost a
/// millisecond or two of a frame.
struct DistributionData {
    generation: u64,
    /// The figure the map shows for each LSOA that has one (rank or percentile change, or a decile), as the map
    /// classes it ([`mode_value`]).
    values: Vec<(i64, AreaCode)>,
    /// Histogram bin width, and LSOAs per bin.
    bin_width: i64,
    counts: std::collections::BTreeMap<i64, usize>,
    /// The map's colour for each bin: the legend class most of its LSOAs fall in.
    bin_colour: std::collections::BTreeMap<i64, Rgba>,
    /// Deciles: one bar per value, centred on it.
    categorical: bool,
    /// Each LSOA ranked in both editions, and its earlier and later rank (side by side).
    codes: Vec<AreaCode>,
    points: Vec<[f64; 2]>,
    max_rank: f64,
}

impl DistributionData {
    fn of(scene: &MapScene) -> Self {
        let rows = &scene.comparison.rows;
        let (mode, ranked_from) = (scene.mode, scene.comparison.ranked_from);
        let values: Vec<(i64, AreaCode)> = rows
            .iter()
            .filter_map(|r| mode_value(r, mode, scene.ranked_later, ranked_from).map(|v| (v, r.lsoa_code)))
            .collect();
        let categorical = !matches!(mode, MapMode::RankChange | MapMode::PercentileChange);
        let bin_width = if categorical {
            1
        } else {
            bin_width(values.iter().map(|(c, _)| c.abs()).max().unwrap_or(1))
        };
        let mut counts = std::collections::BTreeMap::new();
        let mut classes: std::collections::BTreeMap<i64, std::collections::BTreeMap<usize, usize>> = Default::default();
        for (v, code) in &values {
            let bin = v.div_euclid(bin_width);
            *counts.entry(bin).or_default() += 1;
            if let Some(class) = scene.styled.class_of.get(code) {
                *classes.entry(bin).or_default().entry(*class).or_default() += 1;
            }
        }
        let entries = &scene.styled.legend.entries;
        let bin_colour = classes
            .into_iter()
            .filter_map(|(bin, by_class)| {
                let (class, _) = by_class
                    .into_iter()
                    .max_by_key(|(class, n)| (*n, std::cmp::Reverse(*class)))?;
                Some((bin, entries.get(class)?.colour))
            })
            .collect();
        let (codes, points): (Vec<AreaCode>, Vec<[f64; 2]>) = rows
            .iter()
            .filter_map(|r| Some((r.lsoa_code, [f64::from(r.rank_from?), f64::from(r.rank_to?)])))
            .unzip();
        let max_rank = points.iter().map(|p| p[0].max(p[1])).fold(1.0, f64::max);
        Self {
            generation: scene.generation,
            values,
            bin_width,
            counts,
            bin_colour,
            categorical,
            codes,
            points,
            max_rank,
        }
    }

    /// The bin a plot x falls in (deciles: the nearest whole value).
    fn bin_at(&self, x: f64) -> i64 {
        let value = if self.categorical { x.round() } else { x.floor() };
        (value as i64).div_euclid(self.bin_width)
    }

    /// Where a bin's bar is centred on the plot.
    fn centre_of(&self, bin: i64) -> f64 {
        if self.categorical {
            bin as f64
        } else {
            (bin as f64 + 0.5) * self.bin_width as f64
        }
    }

    /// The LSOAs of a bin.
    fn lsoas_in(&self, bin: i64) -> Vec<AreaCode> {
        self.values
            .iter()
            .filter(|(v, _)| v.div_euclid(self.bin_width) == bin)
            .map(|(_, code)| *code)
            .collect()
    }
}

/// The histogram's x axis: what the map's fill shows, in words.
fn axis_label(mode: MapMode, from: u16, to: u16) -> String {
    match mode {
        MapMode::RankChange => format!("Change in rank, {from} to {to} (negative = worsened)"),
        MapMode::PercentileChange => {
            format!("Change in percentile, {from} to {to}, points (negative = worsened)")
        }
        other => format!("{} (1 = most deprived 10%)", other.label(from, to)),
    }
}

impl std::fmt::Debug for DistributionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistributionState")
            .field("brush_start", &self.brush_start)
            .field("brush_end", &self.brush_end)
            .field("scatter", &self.scatter.as_ref().map(|s| s.key))
            .field("data_for", &self.data.as_ref().map(|d| d.generation))
            .finish()
    }
}

/// The scatter's markers drawn once into a texture at screen resolution and shown as one quad.
///
/// Drawn as 32,844 egui markers, the national scatter cost the real window about 28 ms a frame on a machine without
/// a GPU (Mesa llvmpipe rasterising every marker's feathered triangles), more than the map itself. It is redrawn
/// only when the comparison, the plot's bounds or its size change.
#[derive(Clone)]
struct ScatterImage {
    key: ScatterKey,
    texture: TextureHandle,
}

/// What the scatter image was drawn for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ScatterKey {
    generation: u64,
    /// The plot rectangle the image covers (ranks).
    min: [f64; 2],
    max: [f64; 2],
    size_px: [usize; 2],
    /// The points' colour (through the colour-vision preview).
    colour: Color32,
}

/// Marker radius in points (egui_plot's default marker size for the look it replaces).
const SCATTER_RADIUS: f32 = 2.0;
/// The scatter's points, as a style colour for the colour-vision preview.
const SCATTER_RGBA: Rgba = Rgba::hex(0x31688e);
/// The same as drawn with normal vision (the image tests).
#[cfg(test)]
const SCATTER_COLOUR: Color32 = Color32::from_rgb(0x31, 0x68, 0x8e);

/// LSOAs the planner pointed at in the panel.
#[derive(Clone, Debug, Default)]
pub struct DistributionResponse {
    /// Under the pointer (a bar's LSOAs, or one point).
    pub hovered: Vec<AreaCode>,
    /// A range dragged out on the histogram when the drag ends, or a bar's LSOAs when it is clicked.
    pub brushed: Option<Vec<AreaCode>>,
}

/// Bin width: a round number giving about 30 bars (percentile changes of a few points get bins of one).
fn bin_width(max_abs_change: i64) -> i64 {
    let raw = (max_abs_change.max(1) * 2 / 30).max(1);
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000]
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
    let (from, to) = (scene.comparison.from, scene.comparison.to);
    let mut out = DistributionResponse::default();
    let data = match &state.data {
        Some(data) if data.generation == scene.generation => data.clone(),
        _ => {
            let data = std::sync::Arc::new(DistributionData::of(scene));
            state.data = Some(data.clone());
            data
        }
    };
    let (values, counts, max_rank) = (&data.values, &data.counts, data.max_rank);
    let pairs = || data.codes.iter().zip(&data.points);
    let width = data.bin_width;
    let height = ui.available_height().clamp(140.0, 260.0);
    ui.columns(2, |columns| {
        // Histogram of what the map shows, each bar in the map's colour for it (through the colour-vision preview).
        let bars: Vec<Bar> = counts
            .iter()
            .map(|(bin, n)| {
                let colour = data.bin_colour.get(bin).copied().unwrap_or(crate::style::NO_DATA);
                let name = if data.categorical {
                    bin.to_string()
                } else {
                    format!("{} to {}", bin * width, (bin + 1) * width - 1)
                };
                Bar::new(data.centre_of(*bin), *n as f64)
                    .width(width as f64 * 0.95)
                    .fill(to_color32(colour, vision))
                    .stroke(egui::Stroke::new(0.5, Color32::from_gray(90)))
                    .name(name)
            })
            .collect();
        let brush = (state.brush_start, state.brush_end);
        let histogram = Plot::new("change-histogram")
            .height(height)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .x_axis_label(axis_label(scene.mode, from, to))
            .y_axis_label("LSOAs")
            .show(&mut columns[0], |plot| {
                plot.bar_chart(BarChart::new("LSOAs", bars));
                if !data.categorical {
                    plot.vline(VLine::new("no change", 0.0).color(Color32::from_gray(80)));
                }
                if let (Some(a), Some(b)) = brush {
                    plot.span(
                        Span::new("selected range", a.min(b)..=a.max(b))
                            .fill(to_color32(HIGHLIGHT, vision).gamma_multiply(0.25)),
                    );
                }
                plot.pointer_coordinate()
            });
        let response = &histogram.response;
        if let Some(pointer) = histogram.inner.filter(|_| response.hovered()) {
            let bin = data.bin_at(pointer.x);
            out.hovered = data.lsoas_in(bin);
            if response.clicked() && counts.contains_key(&bin) {
                // A click on a bar selects its LSOAs.
                out.brushed = Some(out.hovered.clone());
            }
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
                values
                    .iter()
                    .filter(|(c, _)| (low..=high).contains(&(*c as f64)))
                    .map(|(_, code)| *code)
                    .collect(),
            );
        }
        if response.double_clicked() {
            state.brush_start = None;
            state.brush_end = None;
        }

        // Scatter of earlier against later rank.
        let top1 = f64::from(scene.comparison.threshold_to);
        let decile_line = f64::from(scene.comparison.threshold_to) * 10.0;
        let marked_point = marked.and_then(|m| pairs().find(|(c, _)| *c == m)).map(|(_, p)| *p);
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
                let image = scatter_texture(
                    plot.ctx(),
                    &mut state.scatter,
                    &data.points,
                    plot.transform(),
                    [max_rank, max_rank],
                    (scene.generation, to_color32(SCATTER_RGBA, vision)),
                );
                if let Some(image) = image {
                    let ScatterKey { min, max, .. } = image.key;
                    let centre = PlotPoint::new((min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0);
                    let size = egui::vec2((max[0] - min[0]) as f32, (max[1] - min[1]) as f32);
                    plot.image(PlotImage::new("LSOAs", image.texture.id(), centre, size).allow_hover(false));
                }
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
            let nearest = pairs()
                .map(|(code, p)| (code, (p[0] - pointer.x).hypot(p[1] - pointer.y)))
                .filter(|(_, d)| *d < tolerance)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((code, _)) = nearest {
                out.hovered = vec![*code];
            }
        }
    });
    out
}

/// The scatter's texture for this frame's plot, redrawn when the comparison or the plot's bounds or size changed.
///
/// It covers the part of the plot's bounds (last frame's: the ones the plot is about to show unless it is being
/// dragged or zoomed, when one frame shows the old image stretched) that holds ranks, `0..=extent`: covering only the
/// data keeps the plot's automatic bounds from growing to fit the image frame after frame.
fn scatter_texture<'s>(
    ctx: &egui::Context,
    cache: &'s mut Option<ScatterImage>,
    points: &[[f64; 2]],
    transform: &PlotTransform,
    extent: [f64; 2],
    (generation, colour): (u64, Color32),
) -> Option<&'s ScatterImage> {
    let bounds = transform.bounds();
    let (bmin, bmax) = (bounds.min(), bounds.max());
    let min = [bmin[0].max(0.0), bmin[1].max(0.0)];
    let max = [bmax[0].min(extent[0]), bmax[1].min(extent[1])];
    let frame = transform.frame();
    if !(max[0] > min[0] && max[1] > min[1]) || frame.width() < 1.0 || frame.height() < 1.0 {
        return None;
    }
    let ppp = ctx.pixels_per_point();
    // Pixels of the covered part at the plot's scale; capped so a deep zoom cannot ask for a giant texture.
    let size_px = [
        ((max[0] - min[0]) / (bmax[0] - bmin[0]) * f64::from(frame.width() * ppp)).round() as usize,
        ((max[1] - min[1]) / (bmax[1] - bmin[1]) * f64::from(frame.height() * ppp)).round() as usize,
    ]
    .map(|n| n.clamp(1, 4096));
    let key = ScatterKey {
        generation,
        min,
        max,
        size_px,
        colour,
    };
    if cache.as_ref().is_none_or(|c| c.key != key) {
        let image = scatter_image(points, min, max, size_px, SCATTER_RADIUS * ppp, colour);
        match cache {
            // Same texture id: egui replaces the pixels in place.
            Some(kept) => {
                kept.texture.set(image, TextureOptions::LINEAR);
                kept.key = key;
            }
            None => {
                *cache = Some(ScatterImage {
                    key,
                    texture: ctx.load_texture("rank-scatter-points", image, TextureOptions::LINEAR),
                });
            }
        }
    }
    cache.as_ref()
}

/// Draws `points` (x, y in plot units, y up) inside the plot rectangle `min..max` as anti-aliased discs of
/// `radius_px` on a transparent image of `size_px` pixels.
fn scatter_image(
    points: &[[f64; 2]],
    min: [f64; 2],
    max: [f64; 2],
    size_px: [usize; 2],
    radius_px: f32,
    colour: Color32,
) -> ColorImage {
    let [w, h] = size_px;
    let mut coverage = vec![0u8; w * h];
    let reach = radius_px.ceil() as i64 + 1;
    let (sx, sy) = (w as f64 / (max[0] - min[0]), h as f64 / (max[1] - min[1]));
    for p in points {
        let cx = ((p[0] - min[0]) * sx) as f32;
        let cy = ((max[1] - p[1]) * sy) as f32;
        if cx < -radius_px - 1.0
            || cy < -radius_px - 1.0
            || cx > w as f32 + radius_px + 1.0
            || cy > h as f32 + radius_px + 1.0
        {
            continue;
        }
        let (px, py) = (cx.floor() as i64, cy.floor() as i64);
        for y in (py - reach).max(0)..=(py + reach).min(h as i64 - 1) {
            for x in (px - reach).max(0)..=(px + reach).min(w as i64 - 1) {
                // Coverage of the pixel centre by the disc, with a one-pixel ramp at its edge.
                let d = (x as f32 + 0.5 - cx).hypot(y as f32 + 0.5 - cy);
                let c = (radius_px + 0.5 - d).clamp(0.0, 1.0);
                if c > 0.0 {
                    let cell = &mut coverage[y as usize * w + x as usize];
                    *cell = (*cell).max((c * 255.0).round() as u8);
                }
            }
        }
    }
    let pixels = coverage
        .into_iter()
        .map(|c| colour.gamma_multiply(f32::from(c) / 255.0))
        .collect();
    ColorImage::new(size_px, pixels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::loader::embedded_leeds;
    use crate::ui::session::Session;
    use crate::ui::settings::Settings;

    fn data_for(mode: MapMode) -> (DistributionData, usize) {
        let settings = Settings {
            choices: crate::style::MapChoices {
                mode,
                ..Default::default()
            },
            ..Settings::default()
        };
        let session = Session::with_data(embedded_leeds(), &settings);
        let scene = session.scene().unwrap();
        (DistributionData::of(scene), scene.comparison.rows.len())
    }

    #[test]
    fn the_histogram_bins_the_layer_shown_in_the_maps_colours() {
        let (change, lsoas) = data_for(MapMode::RankChange);
        assert!(change.bin_width >= 100, "rank change bins: {}", change.bin_width);
        assert_eq!(
            change.counts.values().sum::<usize>(),
            lsoas,
            "482 Leeds LSOAs, each once"
        );
        let (deciles, _) = data_for(MapMode::DecileLater);
        assert!(deciles.categorical);
        assert_eq!(deciles.bin_width, 1);
        assert!(
            deciles.counts.keys().all(|d| (1..=10).contains(d)),
            "{:?}",
            deciles.counts
        );
        // 114 Leeds LSOAs are in decile 1 in 2019 (the legend's count).
        assert_eq!(deciles.counts.get(&1), Some(&114));
        assert_eq!(deciles.centre_of(1), 1.0);
        assert_eq!(deciles.bin_at(1.3), 1);
        assert_eq!(deciles.lsoas_in(1).len(), 114);
        // Decile 1 drawn in the map's decile-1 colour, not a fixed red or blue.
        assert_eq!(deciles.bin_colour.get(&1), Some(&crate::style::DECILES[0]));
        let (percentile, _) = data_for(MapMode::PercentileChange);
        assert!(percentile.bin_width <= 5, "points, not ranks: {}", percentile.bin_width);
        assert_ne!(change.values, percentile.values);
    }

    #[test]
    fn scatter_image_marks_each_point_where_the_plot_puts_it() {
        // Ranks 0..=1000 both ways on 100 × 50 pixels: (250, 800) is at x = 25, y = 50 − 40 = 10 (y up).
        let image = scatter_image(
            &[[250.0, 800.0]],
            [0.0, 0.0],
            [1000.0, 1000.0],
            [100, 50],
            2.0,
            SCATTER_COLOUR,
        );
        let at = |x: usize, y: usize| image.pixels[y * 100 + x];
        assert_eq!(at(25, 10), SCATTER_COLOUR);
        assert_eq!(at(24, 9), SCATTER_COLOUR);
        // Past the disc's radius and its one-pixel ramp: untouched.
        assert_eq!(at(29, 10), Color32::TRANSPARENT);
        assert_eq!(at(25, 14), Color32::TRANSPARENT);
        // The disc's ink adds up to its area, π r².
        let ink: f32 = image.pixels.iter().map(|p| f32::from(p.a()) / 255.0).sum();
        assert!((ink - std::f32::consts::PI * 4.0).abs() < 1.0, "{ink}");
    }

    #[test]
    fn points_outside_the_covered_rectangle_are_left_out() {
        let image = scatter_image(
            &[[5000.0, 5000.0], [-300.0, 10.0]],
            [0.0, 0.0],
            [1000.0, 1000.0],
            [40, 40],
            2.0,
            SCATTER_COLOUR,
        );
        assert!(image.pixels.iter().all(|p| *p == Color32::TRANSPARENT));
    }
}
