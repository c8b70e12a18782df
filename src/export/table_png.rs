//! The council's "Diagram 3" as a picture: a table of LSOAs with ward, LSOA, both ranks and the change, cells filled
//! orange where the LSOA is in the most deprived 1% in that edition, red where its rank worsened and green where it
//! improved (or a colour-blind-safe set, [`TableColours`]), each filled cell also marked with a shape, with a title,
//! a key and the attribution. Also used for a ward's LSOA table in `pack`. Rendered headlessly
//! with tiny-skia and the export text painter, so it can go straight into a briefing.

use super::ExportError;
use super::date::CivilDate;
use super::furniture::{colour_of, fill_rect, ink, stroke_rect};
use super::report_png::attribution_lines;
use super::text::{Align, TextPainter, TextStyle};
use crate::analysis::{EditionComparison, LsoaChange};
use crate::model::AreaCode;
use crate::render::ScreenRect;
use crate::style::{Rgba, TOP1_ORANGE, signed};
use tiny_skia::{Color, FillRule, PathBuilder, Pixmap, Transform};

/// Fill of a rank cell in the most deprived 1% of its edition (the council's orange).
pub const TABLE_TOP1: Rgba = TOP1_ORANGE;
/// Fill of a change cell whose rank worsened (became more deprived).
pub const TABLE_WORSENED: Rgba = Rgba::hex(0xe34a33);
/// Fill of a change cell whose rank improved.
pub const TABLE_IMPROVED: Rgba = Rgba::hex(0x74c476);

/// The fills of the table's cells. Whatever the colours, each filled cell also carries a shape — a diamond in a 1%
/// rank cell, a down triangle beside a worsened change, an up triangle beside an improved one — and changes keep
/// their sign, so the table reads without colour (in greyscale, or to a reader who cannot tell red from green).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableColours {
    /// A rank cell in the most deprived 1% of its edition.
    pub top1: Rgba,
    /// A change cell whose rank worsened.
    pub worsened: Rgba,
    /// A change cell whose rank improved.
    pub improved: Rgba,
}

impl TableColours {
    /// The council's Diagram 3: orange, red, green.
    pub const COUNCIL: Self = Self {
        top1: TABLE_TOP1,
        worsened: TABLE_WORSENED,
        improved: TABLE_IMPROVED,
    };
    /// Safe for colour-blind readers: the 1% orange, worsened and improved a red and a light blue of ColorBrewer's
    /// RdBu (the map's default palette), far apart in hue and lightness for protanopes and deuteranopes, whom the
    /// council's red and green fail; the shapes stay.
    pub const COLOUR_BLIND_SAFE: Self = Self {
        top1: TABLE_TOP1,
        worsened: Rgba::hex(0xd6604d),
        improved: Rgba::hex(0x92c5de),
    };
}

impl Default for TableColours {
    fn default() -> Self {
        Self::COUNCIL
    }
}

/// What the table is called and how it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct TableOptions {
    /// The heading.
    pub title: String,
    /// A line under the heading (e.g. which LSOAs and why).
    pub subtitle: String,
    /// Dots per inch: type is set in points at this resolution (300 for print).
    pub dpi: f32,
    /// The date printed as "Exported …".
    pub export_date: CivilDate,
    /// The cells' fills (the shapes are drawn whatever they are).
    pub colours: TableColours,
}

impl TableOptions {
    /// A table at 300 dpi dated today.
    pub fn print(title: impl Into<String>, subtitle: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subtitle: subtitle.into(),
            dpi: 300.0,
            export_date: CivilDate::today(),
            colours: TableColours::COUNCIL,
        }
    }
}

/// A rendered table and where its cells are, for tests.
pub struct RankTable {
    /// The picture, opaque.
    pub image: Pixmap,
    /// Per row, in order: the LSOA and its five cells (ward, LSOA, rank from, rank to, change) in pixels.
    pub cells: Vec<(AreaCode, [ScreenRect; 5])>,
}

/// The Diagram 3 rows: LSOAs in the 1% in either edition, ordered by ward name, then LSOA code (LSOAs without a
/// ward last).
pub fn diagram3_rows(comparison: &EditionComparison) -> Vec<&LsoaChange> {
    let mut rows: Vec<&LsoaChange> = comparison.top1_rows().collect();
    rows.sort_by(|a, b| {
        (a.ward_name.is_empty(), &a.ward_name, &a.lsoa_code).cmp(&(b.ward_name.is_empty(), &b.ward_name, &b.lsoa_code))
    });
    rows
}

/// The Diagram 3 table for a comparison, with its standard title, in the council's colours.
pub fn render_diagram3(
    comparison: &EditionComparison,
    dpi: f32,
    export_date: CivilDate,
) -> Result<RankTable, ExportError> {
    render_diagram3_with(comparison, dpi, export_date, TableColours::COUNCIL)
}

/// The Diagram 3 table in these colours (e.g. [`TableColours::COLOUR_BLIND_SAFE`]).
pub fn render_diagram3_with(
    comparison: &EditionComparison,
    dpi: f32,
    export_date: CivilDate,
    colours: TableColours,
) -> Result<RankTable, ExportError> {
    let options = TableOptions {
        title: format!(
            "{}: LSOAs in the most deprived 1% nationally, IMD {} and {}",
            comparison.la_name, comparison.from, comparison.to
        ),
        subtitle: format!(
            "In the 1% in either edition (rank <= {} in {}, rank <= {} in {}), by ward, then LSOA.",
            comparison.threshold_from, comparison.from, comparison.threshold_to, comparison.to
        ),
        dpi,
        export_date,
        colours,
    };
    render_rank_table(&diagram3_rows(comparison), comparison.from, comparison.to, &options)
}

/// Draws rows as the styled table. Size follows the content: columns as wide as their widest entry.
pub fn render_rank_table(
    rows: &[&LsoaChange],
    from: u16,
    to: u16,
    options: &TableOptions,
) -> Result<RankTable, ExportError> {
    if !(30.0..=2_400.0).contains(&options.dpi) {
        return Err(ExportError::BadDpi { dpi: options.dpi });
    }
    let text = TextPainter::new();
    let u = options.dpi / 72.0;
    let margin = 24.0 * u;
    let pad = 5.0 * u;
    let row_h = 15.0 * u;
    let body = TextStyle::new(9.0 * u, ink());
    let header = TextStyle::new(9.0 * u, ink()).bold();
    let title_style = TextStyle::new(14.0 * u, ink()).bold();
    let small = TextStyle::new(7.5 * u, Color::from_rgba8(80, 80, 80, 255));

    let headings = [
        "Ward".to_string(),
        "LSOA".to_string(),
        format!("Rank {from}"),
        format!("Rank {to}"),
        "Change".to_string(),
    ];
    let cell_texts: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let lsoa = if r.lsoa_name.is_empty() {
                r.lsoa_code.to_string()
            } else {
                format!("{}  {}", r.lsoa_code, r.lsoa_name)
            };
            [
                if r.ward_name.is_empty() {
                    "(no ward)".into()
                } else {
                    r.ward_name.clone()
                },
                lsoa,
                r.rank_from.map_or_else(|| "-".into(), |v| v.to_string()),
                r.rank_to.map_or_else(|| "-".into(), |v| v.to_string()),
                r.change.map_or_else(|| "-".into(), signed),
            ]
        })
        .collect();
    let mut widths = [0.0f32; 5];
    for (i, width) in widths.iter_mut().enumerate() {
        let widest = cell_texts
            .iter()
            .map(|t| text.width(&t[i], body.size_px))
            .chain([text.width(&headings[i], header.size_px) + header.embolden_px])
            .fold(0.0, f32::max);
        *width = (widest + 2.0 * pad).max(if i >= 2 { 52.0 * u } else { 0.0 }).ceil();
    }
    let table_w: f32 = widths.iter().sum();

    let colours = options.colours;
    let key_items = [
        (colours.top1, CellMark::Top1, "In the most deprived 1% in that edition"),
        (
            colours.worsened,
            CellMark::Worsened,
            "Rank worsened (more deprived, negative)",
        ),
        (
            colours.improved,
            CellMark::Improved,
            "Rank improved (less deprived, positive)",
        ),
    ];
    let swatch = 10.0 * u;
    let key_w: f32 = key_items
        .iter()
        .map(|(_, _, label)| swatch + 4.0 * u + text.width(label, small.size_px) + 14.0 * u)
        .sum();
    let mut notes = attribution_lines(options.export_date.year);
    notes.remove(0); // No OS boundaries in a table: ONS lookups and the licence only.
    notes.insert(
        0,
        format!("Source: English Indices of Deprivation {from} and {to} (MHCLG); ward names from the ONS lookups."),
    );
    notes.push(format!(
        "Rank 1 = most deprived; change = {to} rank - {from} rank, so negative = more deprived. Exported {} with Locality Map {}.",
        options.export_date.iso(),
        env!("CARGO_PKG_VERSION")
    ));
    let notes_w = notes.iter().map(|l| text.width(l, small.size_px)).fold(0.0, f32::max);
    let title_w = text.width(&options.title, title_style.size_px) + title_style.embolden_px;
    let subtitle_w = text.width(&options.subtitle, body.size_px);
    let content_w = table_w.max(key_w).max(notes_w).max(title_w).max(subtitle_w);

    let title_base = margin + text.cap_height(title_style.size_px);
    let subtitle_base = title_base + title_style.line_height();
    let table_top = subtitle_base + 10.0 * u;
    let table_bottom = table_top + row_h * (rows.len() as f32 + 1.0);
    let key_top = table_bottom + 10.0 * u;
    let notes_first = key_top + swatch + 12.0 * u;
    let height = notes_first + small.line_height() * (notes.len() as f32 - 1.0) + margin;
    let (width_px, height_px) = ((content_w + 2.0 * margin).ceil() as u32, height.ceil() as u32);
    if width_px > 20_000 || height_px > 20_000 {
        return Err(ExportError::BadSize {
            width: width_px,
            height: height_px,
        });
    }
    let Some(mut pixmap) = Pixmap::new(width_px, height_px) else {
        return Err(ExportError::BadSize {
            width: width_px,
            height: height_px,
        });
    };
    pixmap.fill(Color::WHITE);
    text.draw(
        &mut pixmap,
        &options.title,
        [margin, title_base],
        Align::Left,
        &title_style,
        None,
    );
    text.draw(
        &mut pixmap,
        &options.subtitle,
        [margin, subtitle_base],
        Align::Left,
        &body,
        None,
    );

    let grid = Color::from_rgba8(170, 170, 170, 255);
    let stripe = Color::from_rgba8(244, 244, 244, 255);
    let cell_rects = |top: f32| -> [ScreenRect; 5] {
        let mut x = margin;
        widths.map(|w| {
            let rect = ScreenRect {
                min: [x, top],
                max: [x + w, top + row_h],
            };
            x += w;
            rect
        })
    };
    let baseline = |rect: &ScreenRect, style: &TextStyle| rect.min[1] + (row_h + text.cap_height(style.size_px)) / 2.0;
    let header_rects = cell_rects(table_top);
    fill_rect(
        &mut pixmap,
        ScreenRect {
            min: [margin, table_top],
            max: [margin + table_w, table_top + row_h],
        },
        Color::from_rgba8(225, 225, 225, 255),
    );
    for (i, rect) in header_rects.iter().enumerate() {
        draw_cell_text(
            &mut pixmap,
            &text,
            &headings[i],
            rect,
            i,
            pad,
            baseline(rect, &header),
            &header,
        );
    }
    let mut cells = Vec::with_capacity(rows.len());
    for (n, (row, texts)) in rows.iter().zip(&cell_texts).enumerate() {
        let rects = cell_rects(table_top + row_h * (n as f32 + 1.0));
        let change_mark = match row.change {
            Some(c) if c < 0 => Some((colours.worsened, CellMark::Worsened)),
            Some(c) if c > 0 => Some((colours.improved, CellMark::Improved)),
            _ => None,
        };
        let fills = [
            None,
            None,
            row.in_top1_from.then_some((colours.top1, CellMark::Top1)),
            row.in_top1_to.then_some((colours.top1, CellMark::Top1)),
            change_mark,
        ];
        for (i, rect) in rects.iter().enumerate() {
            match fills[i] {
                Some((fill, _)) => fill_rect(&mut pixmap, *rect, colour_of(fill)),
                None if n % 2 == 1 => fill_rect(&mut pixmap, *rect, stripe),
                None => {}
            }
            if let Some((_, mark)) = fills[i] {
                // At the cell's left, clear of the right-aligned number.
                let size = 5.0 * u;
                let centre = [rect.min[0] + 0.4 * pad + size / 2.0, (rect.min[1] + rect.max[1]) / 2.0];
                draw_mark(&mut pixmap, mark, centre, size);
            }
            draw_cell_text(
                &mut pixmap,
                &text,
                &texts[i],
                rect,
                i,
                pad,
                baseline(rect, &body),
                &body,
            );
        }
        cells.push((row.lsoa_code, rects));
    }
    for rect in header_rects.iter().chain(cells.iter().flat_map(|(_, r)| r.iter())) {
        stroke_rect(&mut pixmap, *rect, grid, 0.5 * u);
    }
    if rows.is_empty() {
        text.draw(
            &mut pixmap,
            "No LSOAs.",
            [margin + pad, table_top + row_h * 1.7],
            Align::Left,
            &body,
            None,
        );
    }

    let mut x = margin;
    for (colour, mark, label) in key_items {
        let rect = ScreenRect {
            min: [x, key_top],
            max: [x + swatch, key_top + swatch],
        };
        fill_rect(&mut pixmap, rect, colour_of(colour));
        stroke_rect(&mut pixmap, rect, grid, 0.5 * u);
        draw_mark(
            &mut pixmap,
            mark,
            [x + swatch / 2.0, key_top + swatch / 2.0],
            swatch * 0.6,
        );
        x += swatch + 4.0 * u;
        x += text.draw(
            &mut pixmap,
            label,
            [x, key_top + (swatch + text.cap_height(small.size_px)) / 2.0],
            Align::Left,
            &small,
            None,
        );
        x += 14.0 * u;
    }
    let mut y = notes_first;
    for line in &notes {
        text.draw(&mut pixmap, line, [margin, y], Align::Left, &small, None);
        y += small.line_height();
    }
    Ok(RankTable { image: pixmap, cells })
}

/// The shape a filled cell carries, so it reads without its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CellMark {
    /// A diamond: in the 1%.
    Top1,
    /// A triangle pointing down: worsened.
    Worsened,
    /// A triangle pointing up: improved.
    Improved,
}

/// Draws a mark `size` pixels across, centred, in near-black.
fn draw_mark(pixmap: &mut Pixmap, mark: CellMark, centre: [f32; 2], size: f32) {
    let ([x, y], h) = (centre, size / 2.0);
    let corners: &[[f32; 2]] = match mark {
        CellMark::Top1 => &[[0.0, -1.0], [1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]],
        CellMark::Worsened => &[[-1.0, -0.8], [1.0, -0.8], [0.0, 0.9]],
        CellMark::Improved => &[[-1.0, 0.8], [1.0, 0.8], [0.0, -0.9]],
    };
    let mut path = PathBuilder::new();
    for (i, [dx, dy]) in corners.iter().enumerate() {
        let (px, py) = (x + h * dx, y + h * dy);
        if i == 0 {
            path.move_to(px, py);
        } else {
            path.line_to(px, py);
        }
    }
    path.close();
    if let Some(path) = path.finish() {
        pixmap.fill_path(
            &path,
            &super::surface::paint_of(ink()),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Text left-aligned in the ward and LSOA columns, right-aligned in the number columns.
#[allow(clippy::too_many_arguments)]
fn draw_cell_text(
    pixmap: &mut Pixmap,
    text: &TextPainter,
    content: &str,
    rect: &ScreenRect,
    column: usize,
    pad: f32,
    baseline: f32,
    style: &TextStyle,
) {
    let (x, align) = if column < 2 {
        (rect.min[0] + pad, Align::Left)
    } else {
        (rect.max[0] - pad, Align::Right)
    };
    text.draw(pixmap, content, [x, baseline], align, style, None);
}
