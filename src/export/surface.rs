//! Where a report page is drawn: one set of drawing calls, two targets. The raster target paints a `tiny-skia` pixmap
//! (the PNG); the vector target records the same calls as paths and real text (`VectorPage`), which the SVG and PDF
//! writers serialise. The page layout, the map and the furniture are drawn once, through [`Surface`], so every
//! format shows the same map.

use super::text::{Align, TextPainter, TextStyle};
use crate::render::ScreenRect;
use std::sync::Arc;
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

/// How a line is drawn, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct LineStyle {
    /// Width.
    pub width: f32,
    /// End caps.
    pub cap: LineCap,
    /// Corners.
    pub join: LineJoin,
    /// Dash and gap lengths, from the start; `None` = solid.
    pub dash: Option<Vec<f32>>,
}

impl LineStyle {
    /// A solid line with butt caps and mitred corners (tiny-skia's defaults).
    pub fn solid(width: f32) -> Self {
        Self {
            width,
            cap: LineCap::Butt,
            join: LineJoin::Miter,
            dash: None,
        }
    }

    /// Round caps and corners.
    pub fn round(mut self) -> Self {
        self.cap = LineCap::Round;
        self.join = LineJoin::Round;
        self
    }

    /// Round corners, butt caps.
    pub fn round_joins(mut self) -> Self {
        self.join = LineJoin::Round;
        self
    }

    /// Dashed.
    pub fn dashed(mut self, dash: Vec<f32>) -> Self {
        self.dash = Some(dash);
        self
    }

    fn stroke(&self) -> Stroke {
        Stroke {
            width: self.width,
            line_cap: self.cap,
            line_join: self.join,
            dash: self.dash.clone().and_then(|d| StrokeDash::new(d, 0.0)),
            ..Stroke::default()
        }
    }
}

/// A drawing target in page pixels (y down).
pub trait Surface {
    /// Fills a path in one colour; `clip` keeps it inside a rectangle.
    fn fill_path(&mut self, path: &Path, colour: Color, rule: FillRule, clip: Option<ScreenRect>);
    /// Strokes a path in one colour.
    fn stroke_path(&mut self, path: &Path, colour: Color, line: &LineStyle, clip: Option<ScreenRect>);
    /// Fills a rectangle (a raster fills it as tiny-skia's `fill_rect`, with its own edge coverage).
    fn fill_rect(&mut self, rect: tiny_skia::Rect, colour: Color) {
        self.fill_path(&PathBuilder::from_rect(rect), colour, FillRule::Winding, None);
    }
    /// One line of text from its anchor; returns its advance width.
    fn text(
        &mut self,
        painter: &TextPainter,
        text: &str,
        anchor: [f32; 2],
        align: Align,
        style: &TextStyle,
        clip: Option<ScreenRect>,
    ) -> f32;
    /// Blends an opaque image under what is drawn in `at` (`result = weight × drawn + (1 − weight) × image`), e.g.
    /// the street basemap under the fills. The default (a surface that cannot take images) does nothing and says so
    /// (false).
    fn underlay(&mut self, image: &Pixmap, at: ScreenRect, weight: f32) -> bool {
        let _ = (image, at, weight);
        false
    }
    /// Whether [`Surface::underlay`] draws anything here.
    fn takes_images(&self) -> bool {
        false
    }
    /// Marks where the drawing an underlay goes beneath starts (the map, before its fills): a vector page puts the
    /// image there and what follows in a group at the underlay's weight. A raster blends in place and ignores it.
    fn begin_underlaid(&mut self) {}
    /// Image pixels per page pixel for an underlay: 1 on a raster; more on a vector page, whose 72-dpi page pixels
    /// would make a coarse picture on paper.
    fn underlay_scale(&self) -> f32 {
        1.0
    }
}

/// An anti-aliased paint of one colour (also for pages that paint a pixmap directly: the trend chart, tables).
pub fn paint_of(colour: Color) -> Paint<'static> {
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    paint.set_color(colour);
    paint
}

/// A pixmap as a surface, keeping the clip mask of the last clip rectangle (an A4 page's mask is 8.7 MB: built once).
pub struct RasterSurface<'a> {
    pixmap: &'a mut Pixmap,
    mask: Option<(ScreenRect, Mask)>,
}

impl<'a> RasterSurface<'a> {
    /// Draws onto `pixmap`.
    pub fn new(pixmap: &'a mut Pixmap) -> Self {
        Self { pixmap, mask: None }
    }

    /// The pixmap, and the mask of `clip` (built when the clip rectangle changes).
    fn pixmap_and_mask(&mut self, clip: Option<ScreenRect>) -> (&mut Pixmap, Option<&Mask>) {
        self.mask(clip);
        (self.pixmap, clip.and(self.mask.as_ref().map(|(_, m)| m)))
    }

    fn mask(&mut self, clip: Option<ScreenRect>) -> Option<&Mask> {
        let rect = clip?;
        if self.mask.as_ref().is_none_or(|(r, _)| *r != rect) {
            let mut mask = Mask::new(self.pixmap.width(), self.pixmap.height())?;
            let r = tiny_skia::Rect::from_ltrb(rect.min[0], rect.min[1], rect.max[0], rect.max[1])?;
            mask.fill_path(
                &PathBuilder::from_rect(r),
                FillRule::Winding,
                false,
                Transform::identity(),
            );
            self.mask = Some((rect, mask));
        }
        self.mask.as_ref().map(|(_, m)| m)
    }
}

impl Surface for RasterSurface<'_> {
    fn takes_images(&self) -> bool {
        true
    }

    fn underlay(&mut self, image: &Pixmap, at: ScreenRect, weight: f32) -> bool {
        let (x0, y0) = (at.min[0].max(0.0) as usize, at.min[1].max(0.0) as usize);
        let (page_w, page_h) = (self.pixmap.width() as usize, self.pixmap.height() as usize);
        let (image_w, image_h) = (image.width() as usize, image.height() as usize);
        let wt = weight.clamp(0.0, 1.0);
        let page = self.pixmap.data_mut();
        let under = image.data();
        for y in 0..image_h.min(page_h.saturating_sub(y0)) {
            for x in 0..image_w.min(page_w.saturating_sub(x0)) {
                let p = ((y0 + y) * page_w + x0 + x) * 4;
                let q = (y * image_w + x) * 4;
                for c in 0..4 {
                    let mixed = wt * f32::from(page[p + c]) + (1.0 - wt) * f32::from(under[q + c]);
                    page[p + c] = mixed.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
        true
    }

    fn fill_rect(&mut self, rect: tiny_skia::Rect, colour: Color) {
        self.pixmap
            .fill_rect(rect, &paint_of(colour), Transform::identity(), None);
    }

    fn fill_path(&mut self, path: &Path, colour: Color, rule: FillRule, clip: Option<ScreenRect>) {
        let (pixmap, mask) = self.pixmap_and_mask(clip);
        pixmap.fill_path(path, &paint_of(colour), rule, Transform::identity(), mask);
    }

    fn stroke_path(&mut self, path: &Path, colour: Color, line: &LineStyle, clip: Option<ScreenRect>) {
        let (pixmap, mask) = self.pixmap_and_mask(clip);
        pixmap.stroke_path(path, &paint_of(colour), &line.stroke(), Transform::identity(), mask);
    }

    fn text(
        &mut self,
        painter: &TextPainter,
        text: &str,
        anchor: [f32; 2],
        align: Align,
        style: &TextStyle,
        clip: Option<ScreenRect>,
    ) -> f32 {
        let (pixmap, mask) = self.pixmap_and_mask(clip);
        painter.draw(pixmap, text, anchor, align, style, mask)
    }
}

/// A bare pixmap as a surface (tables: no clipping, so no mask to keep).
impl Surface for Pixmap {
    fn fill_rect(&mut self, rect: tiny_skia::Rect, colour: Color) {
        RasterSurface::new(self).fill_rect(rect, colour);
    }

    fn fill_path(&mut self, path: &Path, colour: Color, rule: FillRule, clip: Option<ScreenRect>) {
        RasterSurface::new(self).fill_path(path, colour, rule, clip);
    }

    fn stroke_path(&mut self, path: &Path, colour: Color, line: &LineStyle, clip: Option<ScreenRect>) {
        RasterSurface::new(self).stroke_path(path, colour, line, clip);
    }

    fn text(
        &mut self,
        painter: &TextPainter,
        text: &str,
        anchor: [f32; 2],
        align: Align,
        style: &TextStyle,
        clip: Option<ScreenRect>,
    ) -> f32 {
        RasterSurface::new(self).text(painter, text, anchor, align, style, clip)
    }
}

/// One recorded drawing call.
#[derive(Clone, Debug)]
pub enum VectorOp {
    /// A filled path.
    Fill {
        /// The outline.
        path: Path,
        /// Its colour (alpha included).
        colour: Color,
        /// Even-odd or non-zero.
        rule: FillRule,
        /// Clip rectangle.
        clip: Option<ScreenRect>,
    },
    /// A stroked path.
    Stroke {
        /// The line.
        path: Path,
        /// Its colour.
        colour: Color,
        /// Width, caps, joins, dashes.
        line: LineStyle,
        /// Clip rectangle.
        clip: Option<ScreenRect>,
    },
    /// An opaque raster image (the street basemap) stretched over a rectangle.
    Image {
        /// The pixels.
        image: Arc<PageImage>,
        /// Where it goes, in page pixels.
        at: ScreenRect,
    },
    /// Drawing composited as one layer at an opacity (the map over its basemap).
    Group {
        /// The layer's opacity, 0 to 1.
        opacity: f32,
        /// What is in it, in order.
        ops: Vec<VectorOp>,
    },
    /// A line of text: the characters as given (after the font's stand-ins), from its left baseline point.
    Text {
        /// What it says.
        text: String,
        /// Left end of the baseline.
        origin: [f32; 2],
        /// Style (size, colour, halo, weight).
        style: TextStyle,
        /// Clip rectangle.
        clip: Option<ScreenRect>,
    },
}

/// An opaque image on a vector page: RGB bytes, row by row from the top.
#[derive(Clone, PartialEq, Eq)]
pub struct PageImage {
    /// Width in image pixels.
    pub width_px: u32,
    /// Height in image pixels.
    pub height_px: u32,
    /// Three bytes a pixel.
    pub rgb: Vec<u8>,
}

impl std::fmt::Debug for PageImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageImage({} x {})", self.width_px, self.height_px)
    }
}

impl PageImage {
    /// The pixmap's colours over white (its alpha dropped).
    pub fn from_pixmap(pixmap: &Pixmap) -> Self {
        let rgb = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                // Premultiplied: over white is colour + (1 − alpha) × 255.
                let over_white = |c: u8| c.saturating_add(255 - p.alpha());
                [over_white(p.red()), over_white(p.green()), over_white(p.blue())]
            })
            .collect();
        Self {
            width_px: pixmap.width(),
            height_px: pixmap.height(),
            rgb,
        }
    }
}

/// Image pixels per page pixel of a vector page's underlay: about 216 dpi on a 72-dpi page.
const VECTOR_UNDERLAY_SCALE: f32 = 3.0;

/// A page recorded as vector operations, in page pixels (y down), with the pixels-per-point of its layout.
#[derive(Clone, Debug)]
pub struct VectorPage {
    /// Width in page pixels.
    pub width_px: f32,
    /// Height in page pixels.
    pub height_px: f32,
    /// Page pixels per typographic point (72 dpi pages: 1).
    pub px_per_pt: f32,
    /// What was drawn, in order.
    pub ops: Vec<VectorOp>,
    /// Where [`Surface::begin_underlaid`] was called: the first op an underlay goes beneath.
    underlaid_from: Option<usize>,
}

impl VectorPage {
    /// An empty page.
    pub fn new(width_px: f32, height_px: f32, px_per_pt: f32) -> Self {
        Self {
            width_px,
            height_px,
            px_per_pt,
            ops: Vec::new(),
            underlaid_from: None,
        }
    }

    /// Every text item's words, in drawing order, groups included (for tests and search).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let mut texts = Vec::new();
        texts_of(&self.ops, &mut texts);
        texts.into_iter()
    }

    /// Every image placed on the page, groups included.
    pub fn images(&self) -> Vec<(&PageImage, ScreenRect)> {
        fn walk<'a>(ops: &'a [VectorOp], out: &mut Vec<(&'a PageImage, ScreenRect)>) {
            for op in ops {
                match op {
                    VectorOp::Image { image, at } => out.push((image, *at)),
                    VectorOp::Group { ops, .. } => walk(ops, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.ops, &mut out);
        out
    }
}

fn texts_of<'a>(ops: &'a [VectorOp], out: &mut Vec<&'a str>) {
    for op in ops {
        match op {
            VectorOp::Text { text, .. } => out.push(text),
            VectorOp::Group { ops, .. } => texts_of(ops, out),
            _ => {}
        }
    }
}

impl Surface for VectorPage {
    fn takes_images(&self) -> bool {
        true
    }

    fn begin_underlaid(&mut self) {
        self.underlaid_from = Some(self.ops.len());
    }

    fn underlay_scale(&self) -> f32 {
        VECTOR_UNDERLAY_SCALE
    }

    /// The image goes beneath what was drawn since [`Surface::begin_underlaid`], which becomes a group at `weight`
    /// over a white ground — the raster's blend, with the image a layer of its own in the file.
    fn underlay(&mut self, image: &Pixmap, at: ScreenRect, weight: f32) -> bool {
        let start = self.underlaid_from.take().unwrap_or(0).min(self.ops.len());
        let mut drawn = vec![VectorOp::Fill {
            path: PathBuilder::from_rect(
                tiny_skia::Rect::from_ltrb(at.min[0], at.min[1], at.max[0], at.max[1])
                    .unwrap_or_else(|| tiny_skia::Rect::from_xywh(0.0, 0.0, 1.0, 1.0).expect("a unit square")),
            ),
            colour: Color::WHITE,
            rule: FillRule::Winding,
            clip: None,
        }];
        drawn.extend(self.ops.split_off(start));
        self.ops.push(VectorOp::Image {
            image: Arc::new(PageImage::from_pixmap(image)),
            at,
        });
        self.ops.push(VectorOp::Group {
            opacity: weight.clamp(0.0, 1.0),
            ops: drawn,
        });
        true
    }

    fn fill_path(&mut self, path: &Path, colour: Color, rule: FillRule, clip: Option<ScreenRect>) {
        self.ops.push(VectorOp::Fill {
            path: path.clone(),
            colour,
            rule,
            clip,
        });
    }

    fn stroke_path(&mut self, path: &Path, colour: Color, line: &LineStyle, clip: Option<ScreenRect>) {
        self.ops.push(VectorOp::Stroke {
            path: path.clone(),
            colour,
            line: line.clone(),
            clip,
        });
    }

    fn text(
        &mut self,
        painter: &TextPainter,
        text: &str,
        anchor: [f32; 2],
        align: Align,
        style: &TextStyle,
        clip: Option<ScreenRect>,
    ) -> f32 {
        let width = painter.width(text, style.size_px);
        let x = match align {
            Align::Left => anchor[0],
            Align::Center => anchor[0] - width / 2.0,
            Align::Right => anchor[0] - width,
        };
        if !text.trim().is_empty() {
            self.ops.push(VectorOp::Text {
                text: painter.displayable(text).into_owned(),
                origin: [x, anchor[1]],
                style: *style,
                clip,
            });
        }
        width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vector_page_records_what_the_raster_draws() {
        let painter = TextPainter::new();
        let style = TextStyle::new(12.0, Color::BLACK);
        let mut page = VectorPage::new(100.0, 50.0, 1.0);
        let mut pixmap = Pixmap::new(100, 50).unwrap();
        let rect = PathBuilder::from_rect(tiny_skia::Rect::from_ltrb(10.0, 10.0, 30.0, 30.0).unwrap());
        let mut raster = RasterSurface::new(&mut pixmap);
        for surface in [&mut page as &mut dyn Surface, &mut raster] {
            surface.fill_path(&rect, Color::from_rgba8(255, 0, 0, 255), FillRule::Winding, None);
            let w = surface.text(&painter, "Leeds ≤ 1", [90.0, 40.0], Align::Right, &style, None);
            assert!(w > 20.0);
        }
        assert_eq!(pixmap.pixel(20, 20).map(|p| (p.red(), p.alpha())), Some((255, 255)));
        assert_eq!(page.ops.len(), 2);
        let texts: Vec<&str> = page.texts().collect();
        assert_eq!(texts.len(), 1);
        assert!(texts[0].starts_with("Leeds"));
        let VectorOp::Text { origin, .. } = &page.ops[1] else {
            panic!("text op")
        };
        assert!(origin[0] < 90.0 - 20.0);
    }
}
