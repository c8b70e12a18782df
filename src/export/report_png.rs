//! The Executive Board map picture: page layout and `render_report`. The map on the left, a column at the right with
//! the title, legend and 1% key, a strip along the bottom with the attribution, source editions and export date; scale
//! bar and north arrow on the map. Type is set in points at the requested DPI.

use super::ExportError;
use super::basemap_underlay::underlay_basemap;
use super::date::CivilDate;
use super::furniture::{draw_north_arrow, draw_scale_bar, fill_rect, stroke_rect};
use super::group_layer_paint::draw_group_legend;
use super::inset_locator::{InsetLocator, draw_inset_locator, ward_geometry};
use super::map_layer::{MapContent, MapPainter};
use super::page_text::{ColumnContent, StripContent, draw_column, draw_strip};
use super::surface::{RasterSurface, Surface, VectorPage};
use super::text::TextPainter;
use crate::analysis::EditionComparison;
use crate::io::Catalogue;
use crate::io::OSM_ATTRIBUTION;
use crate::model::{AreaCode, Dataset};
use crate::render::{MapView, ScreenFromWorld, ScreenRect};
use crate::style::{Classification, DivergingPalette, MapMode, style_loaded_comparison};
use std::path::Path;
use tiny_skia::{Color, Pixmap};

/// What to draw and at what size.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    /// Image width in pixels.
    pub width_px: u32,
    /// Image height in pixels.
    pub height_px: u32,
    /// Dots per inch: sets the type size in pixels (points × dpi / 72) and the PNG's pHYs.
    pub dpi: f32,
    /// The title at the top of the column.
    pub title: String,
    /// The world rectangle to show (BNG metres); `None` = the whole LA.
    pub extent: Option<geo::Rect<f64>>,
    /// What the fills show.
    pub mode: MapMode,
    /// Class breaks for rank change.
    pub classification: Classification,
    /// Diverging palette for rank change.
    pub palette: DivergingPalette,
    /// Draw the stayed/moved-in/moved-out markers and the moved-out dashes.
    pub show_transitions: bool,
    /// Label wards (where the name fits inside the ward and clear of other labels).
    pub show_ward_labels: bool,
    /// The date printed as "Exported …" (today by default; fixed in tests so snapshots do not change daily).
    pub export_date: CivilDate,
    /// A ward to bring forward (outlined heavily, the rest veiled), e.g. for a ward map; `None` = none.
    pub focus_ward: Option<AreaCode>,
    /// National maps: the LA borders the load already found (the window's, built once per load); `None` = find them
    /// from the layer's topology for this page.
    pub la_borders: Option<std::sync::Arc<[geo::LineString<f64>]>>,
    /// The street basemap under the fills, from this tile source (the window's basemap when switched on, the CLI's
    /// `--basemap`): PNG, SVG and PDF pages, with the OpenStreetMap attribution added; `None` = no basemap (the
    /// default, and nothing is fetched).
    pub basemap: Option<crate::io::TileSource>,
    /// Planner-defined groups drawn over the map (filled by rank on a measure, outlines dissolved from their LSOAs,
    /// named, with their own legend), as the window's group layer shows them; `None` = no groups.
    pub groups: Option<std::sync::Arc<crate::render::GroupLayer>>,
}

impl ReportOptions {
    /// A4 landscape at 300 dpi (3508 × 2480 pixels), rank change with the default breaks and palette, markers on.
    pub fn a4_landscape_300dpi(title: impl Into<String>) -> Self {
        Self {
            width_px: 3508,
            height_px: 2480,
            dpi: 300.0,
            title: title.into(),
            extent: None,
            mode: MapMode::RankChange,
            classification: Classification::default(),
            palette: DivergingPalette::default(),
            show_transitions: true,
            show_ward_labels: true,
            export_date: CivilDate::today(),
            focus_ward: None,
            la_borders: None,
            basemap: None,
            groups: None,
        }
    }

    /// Pixels per typographic point: `dpi / 72`, except that on a page smaller than A4 landscape at that DPI the
    /// type shrinks with the page, so the layout still fits (a 1500 × 1000 image at 300 dpi is only 5 inches wide).
    pub fn px_per_pt(&self) -> f32 {
        let (a4_long_pt, a4_short_pt) = (842.0, 595.0);
        (self.dpi / 72.0)
            .min(self.width_px as f32 / a4_long_pt)
            .min(self.height_px as f32 / a4_short_pt)
    }
}

/// The default title, e.g. `Leeds: change in IMD rank, 2015 to 2019`.
///
/// ```
/// use locality_map::export::default_title;
/// use locality_map::style::MapMode;
/// assert_eq!(default_title("Leeds", MapMode::RankChange, 2015, 2019), "Leeds: change in IMD rank, 2015 to 2019");
/// ```
pub fn default_title(la_name: &str, mode: MapMode, from: u16, to: u16) -> String {
    let label = mode.label(from, to);
    let mut chars = label.chars();
    let lowered: String = match chars.next() {
        // "IMD decile" keeps its capitals; "Change in…" becomes "change in…".
        Some(first) if !label.starts_with("IMD") => first.to_lowercase().chain(chars).collect(),
        _ => label.clone(),
    };
    format!("{la_name}: {lowered}")
}

/// A rendered report and where its parts are, for tests and for the window's preview.
pub struct MapReport {
    /// The page, opaque.
    pub image: Pixmap,
    /// The map's rectangle in pixels.
    pub map_rect_px: ScreenRect,
    /// World (BNG metres) → image pixels.
    pub screen_from_world: ScreenFromWorld,
    /// The legend's rectangle (legend title to caveat).
    pub legend_rect_px: ScreenRect,
    /// The bottom strip: attribution, sources, export date.
    pub attribution_rect_px: ScreenRect,
    /// The inset locator of a ward map (`focus_ward`), where drawn.
    pub inset: Option<InsetLocator>,
}

/// Renders the report page for a comparison, headlessly, from the same styling as the window.
pub fn render_report(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
) -> Result<MapReport, ExportError> {
    check_page(options)?;
    let mut pixmap = blank_page(options.width_px, options.height_px)?;
    let layout = draw_report_page(&mut RasterSurface::new(&mut pixmap), dataset, comparison, options)?;
    Ok(MapReport {
        image: pixmap,
        map_rect_px: layout.map_rect_px,
        screen_from_world: layout.screen_from_world,
        legend_rect_px: layout.legend_rect_px,
        attribution_rect_px: layout.attribution_rect_px,
        inset: layout.inset,
    })
}

/// Records the same page as vectors and real text, for the SVG and PDF writers.
pub fn vector_report_page(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
) -> Result<(VectorPage, PageLayout), ExportError> {
    check_page(options)?;
    let mut page = VectorPage::new(options.width_px as f32, options.height_px as f32, options.dpi / 72.0);
    let layout = draw_report_page(&mut page, dataset, comparison, options)?;
    Ok((page, layout))
}

/// A white page of a size every PNG export accepts (200 to 20,000 pixels a side), or the error naming the size.
pub(super) fn blank_page(width: u32, height: u32) -> Result<Pixmap, ExportError> {
    if !(200..=20_000).contains(&width) || !(200..=20_000).contains(&height) {
        return Err(ExportError::BadSize { width, height });
    }
    let Some(mut pixmap) = Pixmap::new(width, height) else {
        return Err(ExportError::BadSize { width, height });
    };
    pixmap.fill(Color::WHITE);
    Ok(pixmap)
}

fn check_page(options: &ReportOptions) -> Result<(), ExportError> {
    let (width, height) = (options.width_px, options.height_px);
    if !(200..=20_000).contains(&width) || !(200..=20_000).contains(&height) {
        return Err(ExportError::BadSize { width, height });
    }
    if !(30.0..=2_400.0).contains(&options.dpi) {
        return Err(ExportError::BadDpi { dpi: options.dpi });
    }
    Ok(())
}

/// Where the parts of a page are, in page pixels.
#[derive(Clone, Copy, Debug)]
pub struct PageLayout {
    /// The map's rectangle.
    pub map_rect_px: ScreenRect,
    /// World (BNG metres) → page pixels.
    pub screen_from_world: ScreenFromWorld,
    /// The legend's rectangle (legend title to caveat).
    pub legend_rect_px: ScreenRect,
    /// The bottom strip: attribution, sources, export date.
    pub attribution_rect_px: ScreenRect,
    /// The inset locator of a ward map, where drawn.
    pub inset: Option<InsetLocator>,
}

/// Lays out and draws the page onto any surface: the one description of the report behind every format.
fn draw_report_page(
    surface: &mut dyn Surface,
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
) -> Result<PageLayout, ExportError> {
    let content = MapContent::build(dataset, comparison, options.la_borders.clone())?;
    let styled = style_loaded_comparison(
        dataset,
        comparison,
        options.mode,
        &options.classification,
        options.palette,
    );
    let text = TextPainter::new();
    let u = options.px_per_pt();
    let (w, h) = (options.width_px as f32, options.height_px as f32);
    fill_rect(
        surface,
        ScreenRect {
            min: [0.0, 0.0],
            max: [w, h],
        },
        Color::WHITE,
    );
    let margin = 16.0 * u;
    let gutter = 14.0 * u;

    // Columns: the map takes three quarters of the width.
    let map_right = margin + (w - 2.0 * margin - gutter) * 0.74;
    let column_left = map_right + gutter;
    let column_right = w - margin;

    // The bottom strip, measured first.
    let basemap = options.basemap.as_ref().filter(|_| surface.takes_images());
    let mut attribution = attribution_lines(options.export_date.year);
    if basemap.is_some() {
        attribution.push(format!(
            "Street basemap {OSM_ATTRIBUTION} (openstreetmap.org/copyright)."
        ));
    }
    let sources = sources_text(dataset, comparison);
    let exported = format!(
        "Exported {} with Locality Map {}",
        options.export_date.iso(),
        env!("CARGO_PKG_VERSION")
    );
    let strip = StripContent {
        attribution: &attribution,
        sources: &sources,
        exported: &exported,
    };
    let left = [margin, map_right];
    let right = [column_left, column_right];
    let strip_height = draw_strip(None, &text, &strip, left, right, 0.0, u);
    let strip_top = h - margin - strip_height;
    let map_rect_px = ScreenRect {
        min: [margin, margin],
        max: [map_right, strip_top - 8.0 * u],
    };
    let attribution_rect_px = ScreenRect {
        min: [margin, strip_top],
        max: [column_right, h - margin],
    };

    // The map.
    let bbox = options.extent.unwrap_or(content.drawn.bbox_in_world);
    let view = MapView::fit(bbox, map_rect_px);
    let screen_from_world = view.screen_from_world(map_rect_px);
    if basemap.is_some() {
        surface.begin_underlaid();
    }
    MapPainter {
        pixel_from_world: screen_from_world,
        map_rect: map_rect_px,
        visible_in_world: view.visible_world(map_rect_px),
        px_per_pt: u,
        clip: options.extent.map(|_| map_rect_px),
        show_transitions: options.show_transitions,
        show_ward_labels: options.show_ward_labels,
        focus: options
            .focus_ward
            .and_then(|ward| dataset.ward_layer_for(comparison.vintage)?.get(&ward)),
        groups: options.groups.as_deref(),
    }
    .draw(surface, &text, &content, comparison, &styled);
    if let Some(source) = basemap {
        underlay_basemap(
            surface,
            source,
            &screen_from_world,
            view.visible_world(map_rect_px),
            map_rect_px,
        );
    }
    draw_scale_bar(surface, &text, map_rect_px, screen_from_world.points_per_metre, u);
    draw_north_arrow(surface, &text, map_rect_px, u);
    // A ward map says where the ward sits in the LA.
    let inset = options
        .focus_ward
        .and_then(|ward| ward_geometry(content.ward_layer, &ward))
        .and_then(|ward| {
            let shown = view.visible_world(map_rect_px);
            draw_inset_locator(surface, &content, ward, shown, map_rect_px, u)
        });
    stroke_rect(surface, map_rect_px, Color::from_rgba8(150, 150, 150, 255), 0.5 * u);

    // The column: shrink its type if it would run into the strip. A group layer's legend goes below the keys; when
    // the groups fill every LSOA drawn, it stands in for the classes' key.
    let groups = options.groups.as_deref();
    let column = ColumnContent {
        title: &options.title,
        comparison,
        legend: &styled.legend,
        show_transitions: options.show_transitions,
        has_wards: !content.drawn.wards.is_empty(),
        counts_cover_whole_la: options.focus_ward.is_some(),
        classes_shown: groups.is_none_or(|g| {
            let drawn = content
                .drawn
                .areas
                .iter()
                .filter_map(|a| content.layer.areas.get(a.layer_index));
            !g.fills_all(drawn.map(|area| &area.code))
        }),
    };
    let column_rect = ScreenRect {
        min: [column_left, margin],
        max: [column_right, map_rect_px.max[1]],
    };
    let group_gap = 8.0 * u;
    let bottom_at = |column_u: f32| {
        let (_, bottom) = draw_column(None, &text, &column, column_rect, column_u);
        groups.map_or(bottom, |g| {
            let top = bottom + group_gap;
            draw_group_legend(None, &text, g, [column_left, top], column_rect.width(), column_u).max[1]
        })
    };
    let mut column_u = u;
    for _ in 0..4 {
        let bottom = bottom_at(column_u);
        if bottom <= column_rect.max[1] {
            break;
        }
        column_u *= (column_rect.height() / (bottom - column_rect.min[1])).clamp(0.5, 0.98);
    }
    let (legend_rect_px, column_bottom) = draw_column(Some(&mut *surface), &text, &column, column_rect, column_u);
    if let Some(groups) = groups {
        let top = column_bottom + group_gap;
        draw_group_legend(
            Some(surface),
            &text,
            groups,
            [column_left, top],
            column_rect.width(),
            column_u,
        );
    }
    fill_rect(
        surface,
        ScreenRect {
            min: [margin, strip_top - 4.0 * u],
            max: [column_right, strip_top - 4.0 * u + 0.5 * u],
        },
        Color::from_rgba8(190, 190, 190, 255),
    );
    draw_strip(Some(surface), &text, &strip, left, right, strip_top, u);

    Ok(PageLayout {
        map_rect_px,
        screen_from_world,
        legend_rect_px,
        attribution_rect_px,
        inset,
    })
}

/// The OS and ONS lines and the licence, from the shipped catalogue, with the year filled in.
pub(super) fn attribution_lines(year: i64) -> Vec<String> {
    let (os, ons, licence) = match Catalogue::shipped() {
        Ok(c) => (c.attribution.os, c.attribution.ons, c.attribution.licence),
        // The catalogue is compiled in and tested; these are its words.
        Err(_) => (
            "Contains OS data © Crown copyright and database right YEAR".to_string(),
            "Contains National Statistics data © Crown copyright and database right YEAR".to_string(),
            "Open Government Licence v3.0".to_string(),
        ),
    };
    let year = year.to_string();
    vec![
        os.replace("YEAR", &year),
        ons.replace("YEAR", &year),
        format!("Published under the {licence}."),
    ]
}

/// `Source editions: English Indices of Deprivation 2015 (file) and 2019 (files); boundaries: …`.
pub(super) fn sources_text(dataset: &Dataset, comparison: &EditionComparison) -> String {
    let names = |paths: &[std::path::PathBuf]| -> String {
        let mut names: Vec<String> = paths.iter().map(|p| file_name(p)).collect();
        names.dedup();
        names.join(", ")
    };
    let edition = |year: u16| match dataset.edition(year) {
        Some(e) if !e.sources.is_empty() => format!("{year} ({})", names(&e.sources)),
        _ => year.to_string(),
    };
    let mut text = format!(
        "Source editions: English Indices of Deprivation {} and {} (MHCLG)",
        edition(comparison.from),
        edition(comparison.to)
    );
    if let Some(layer) = dataset.lsoa_layers.get(&comparison.vintage) {
        text.push_str(&format!(
            "; {} boundaries ({})",
            comparison.vintage,
            names(&layer.sources)
        ));
    }
    if let Some(wards) = dataset.ward_layer_for(comparison.vintage) {
        text.push_str(&format!("; ward boundaries ({})", names(&wards.sources)));
    }
    text.push('.');
    text
}

/// A source's file name without the embedded prefix or a `.gz`.
fn file_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let name = name.trim_start_matches("embedded:");
    name.strip_suffix(".gz").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_at_300_dpi_sets_type_at_true_size_and_small_pages_shrink_it() {
        let a4 = ReportOptions::a4_landscape_300dpi("t");
        assert!((a4.px_per_pt() - 300.0 / 72.0).abs() < 0.01);
        let small = ReportOptions {
            width_px: 1500,
            height_px: 1000,
            ..a4
        };
        assert!(small.px_per_pt() < 1.7);
    }

    #[test]
    fn attribution_names_the_year() {
        let lines = attribution_lines(2025);
        assert_eq!(lines[0], "Contains OS data © Crown copyright and database right 2025");
        assert_eq!(
            lines[1],
            "Contains National Statistics data © Crown copyright and database right 2025"
        );
        assert!(lines[2].contains("Open Government Licence v3.0"));
    }

    #[test]
    fn file_names_lose_the_embedded_prefix() {
        assert_eq!(file_name(Path::new("embedded:imd2019/File_1.csv.gz")), "File_1.csv");
        assert_eq!(file_name(Path::new("/data/x.geojson")), "x.geojson");
    }
}
