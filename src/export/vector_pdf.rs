//! PDF of recorded pages (`pdf-writer`): paths as PDF paths, text as real text in the embedded Ubuntu Light (a
//! TrueType CID font with a ToUnicode map, so words can be selected, searched and copied), sharp at any zoom; an
//! image (the street basemap) as an RGB image XObject, and a layer drawn over it at an opacity as an isolated
//! transparency group (a form XObject). One page per recorded page; sizes in points.

use super::surface::{LineStyle, PageImage, VectorOp, VectorPage};
use super::text::{TextPainter, TextStyle};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{
    CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo, TextRenderingMode, UnicodeCmap,
};
use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::sync::Arc;
use tiny_skia::{Color, FillRule, LineCap, LineJoin, PathSegment};

/// The font's name inside the PDF.
const FONT_NAME: &[u8] = b"Ubuntu-Light";

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// The resources one content stream uses: alpha states and XObjects (images, groups) by name.
#[derive(Default)]
struct Used {
    alphas: BTreeSet<u8>,
    xobjects: Vec<(String, Ref)>,
}

/// What pages and groups share while their content is written: object numbers, alpha states, glyphs, and the images
/// and groups to write as XObjects at the end.
struct Writer<'a> {
    painter: &'a TextPainter,
    next: i32,
    alphas: BTreeMap<u8, Ref>,
    used_glyphs: BTreeMap<u16, (char, f32)>,
    images: Vec<(Ref, Arc<PageImage>)>,
    /// Transparency groups: their object, bounding box (page pixels), content and resources.
    groups: Vec<(Ref, Rect, Vec<u8>, Used)>,
}

impl Writer<'_> {
    fn new_ref(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    fn alpha(&mut self, content: &mut Content, used: &mut Used, alpha: u8) {
        if alpha == 255 {
            return;
        }
        if !self.alphas.contains_key(&alpha) {
            let r = self.new_ref();
            self.alphas.insert(alpha, r);
        }
        used.alphas.insert(alpha);
        content.set_parameters(Name(format!("A{alpha}").as_bytes()));
    }

    fn set_alpha(&mut self, content: &mut Content, used: &mut Used, colour: Color) {
        self.alpha(content, used, colour.to_color_u8().alpha());
    }

    /// Writes `ops` into `content`; `size` is the page in page pixels (a group's bounding box).
    fn ops(&mut self, content: &mut Content, used: &mut Used, ops: &[VectorOp], size: [f32; 2]) {
        for op in ops {
            let clip = match op {
                VectorOp::Fill { clip, .. } | VectorOp::Stroke { clip, .. } | VectorOp::Text { clip, .. } => *clip,
                VectorOp::Image { .. } | VectorOp::Group { .. } => None,
            };
            content.save_state();
            if let Some(c) = clip {
                content.rect(c.min[0], c.min[1], c.width(), c.height());
                content.clip_nonzero();
                content.end_path();
            }
            match op {
                VectorOp::Fill { path, colour, rule, .. } => {
                    self.set_alpha(content, used, *colour);
                    let [r, g, b] = rgb(*colour);
                    content.set_fill_rgb(r, g, b);
                    trace(content, path);
                    if *rule == FillRule::EvenOdd {
                        content.fill_even_odd();
                    } else {
                        content.fill_nonzero();
                    }
                }
                VectorOp::Stroke { path, colour, line, .. } => {
                    self.set_alpha(content, used, *colour);
                    let [r, g, b] = rgb(*colour);
                    content.set_stroke_rgb(r, g, b);
                    set_line(content, line);
                    trace(content, path);
                    content.stroke();
                }
                VectorOp::Text {
                    text, origin, style, ..
                } => self.text(content, used, text, *origin, style),
                VectorOp::Image { image, at } => {
                    let r = self.new_ref();
                    self.images.push((r, Arc::clone(image)));
                    let name = format!("Im{}", r.get());
                    used.xobjects.push((name.clone(), r));
                    // The unit square onto the rectangle, the image's first row at its top (page pixels are y down).
                    content.transform([at.width(), 0.0, 0.0, -at.height(), at.min[0], at.max[1]]);
                    content.x_object(Name(name.as_bytes()));
                }
                VectorOp::Group { opacity, ops } => {
                    let r = self.new_ref();
                    let mut inner = Content::new();
                    let mut inner_used = Used::default();
                    self.ops(&mut inner, &mut inner_used, ops, size);
                    let bbox = Rect::new(0.0, 0.0, size[0], size[1]);
                    self.groups.push((r, bbox, inner.finish().into_vec(), inner_used));
                    let name = format!("G{}", r.get());
                    used.xobjects.push((name.clone(), r));
                    self.alpha(content, used, (opacity.clamp(0.0, 1.0) * 255.0).round() as u8);
                    content.x_object(Name(name.as_bytes()));
                }
            }
            content.restore_state();
        }
    }

    fn text(&mut self, content: &mut Content, used: &mut Used, text: &str, origin: [f32; 2], style: &TextStyle) {
        let painter = self.painter;
        let glyphs = painter.glyphs(text);
        for (id, c, _, advance) in &glyphs {
            self.used_glyphs.entry(*id).or_insert((*c, *advance));
        }
        if style.halo_px > 0.0 {
            let halo = Color::from_rgba8(255, 255, 255, 230);
            self.set_alpha(content, used, halo);
            content.set_stroke_rgb(1.0, 1.0, 1.0);
            content.set_line_join(LineJoinStyle::RoundJoin);
            show(
                content,
                painter,
                &glyphs,
                origin,
                style,
                TextRenderingMode::Stroke,
                style.halo_px * 2.0 + style.embolden_px,
            );
        }
        self.set_alpha(content, used, style.colour);
        let [r, g, b] = rgb(style.colour);
        content.set_fill_rgb(r, g, b);
        content.set_stroke_rgb(r, g, b);
        content.set_line_join(LineJoinStyle::RoundJoin);
        let mode = if style.embolden_px > 0.0 {
            TextRenderingMode::FillStroke
        } else {
            TextRenderingMode::Fill
        };
        show(content, painter, &glyphs, origin, style, mode, style.embolden_px);
    }
}

/// Writes a content stream's resources: the font, its alpha states and its XObjects.
fn write_resources(
    mut resources: pdf_writer::writers::Resources<'_>,
    used: &Used,
    alphas: &BTreeMap<u8, Ref>,
    font: Ref,
) {
    resources.fonts().pair(Name(b"F1"), font);
    let mut states = resources.ext_g_states();
    for a in &used.alphas {
        if let Some(r) = alphas.get(a) {
            states.pair(Name(format!("A{a}").as_bytes()), *r);
        }
    }
    states.finish();
    if !used.xobjects.is_empty() {
        let mut xobjects = resources.x_objects();
        for (name, r) in &used.xobjects {
            xobjects.pair(Name(name.as_bytes()), *r);
        }
        xobjects.finish();
    }
    resources.finish();
}

/// Serialises pages into one PDF with a title in its document information.
pub fn pdf_of_pages(pages: &[VectorPage], title: &str) -> Vec<u8> {
    let painter = TextPainter::new();
    let mut pdf = Pdf::new();
    let mut writer = Writer {
        painter: &painter,
        next: 1,
        alphas: BTreeMap::new(),
        used_glyphs: BTreeMap::new(),
        images: Vec::new(),
        groups: Vec::new(),
    };
    let [catalog, tree, info, type0, cid, descriptor, font_file, cmap_ref] = std::array::from_fn(|_| writer.new_ref());

    let mut page_refs = Vec::new();
    let mut contents = Vec::new();
    for page in pages {
        let page_ref = writer.new_ref();
        let content_ref = writer.new_ref();
        let mut content = Content::new();
        let k = 1.0 / page.px_per_pt;
        // Page pixels (y down) onto PDF points (y up).
        content.transform([k, 0.0, 0.0, -k, 0.0, page.height_px * k]);
        let mut used = Used::default();
        writer.ops(&mut content, &mut used, &page.ops, [page.width_px, page.height_px]);
        page_refs.push(page_ref);
        contents.push((
            page_ref,
            content_ref,
            page.width_px * k,
            page.height_px * k,
            content.finish(),
            used,
        ));
    }

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);
    for (page_ref, content_ref, w, h, data, used) in contents {
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(tree);
        page.contents(content_ref);
        write_resources(page.resources(), &used, &writer.alphas, type0);
        page.finish();
        pdf.stream(content_ref, &deflate(&data)).filter(Filter::FlateDecode);
    }
    for (r, bbox, data, used) in &writer.groups {
        let compressed = deflate(data);
        let mut form = pdf.form_xobject(*r, &compressed);
        form.filter(Filter::FlateDecode);
        form.bbox(*bbox);
        form.group().transparency().isolated(true);
        write_resources(form.resources(), used, &writer.alphas, type0);
        form.finish();
    }
    for (r, image) in &writer.images {
        let compressed = deflate(&image.rgb);
        let mut xobject = pdf.image_xobject(*r, &compressed);
        xobject.filter(Filter::FlateDecode);
        xobject.width(image.width_px as i32);
        xobject.height(image.height_px as i32);
        xobject.color_space().device_rgb();
        xobject.bits_per_component(8);
        xobject.finish();
    }
    for (a, r) in &writer.alphas {
        let alpha = f32::from(*a) / 255.0;
        pdf.ext_graphics(*r).non_stroking_alpha(alpha).stroking_alpha(alpha);
    }
    write_font(
        &mut pdf,
        &painter,
        &writer.used_glyphs,
        [type0, cid, descriptor, font_file, cmap_ref],
    );
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr(concat!("Locality Map ", env!("CARGO_PKG_VERSION"))));
    pdf.finish()
}

fn rgb(c: Color) -> [f32; 3] {
    [c.red(), c.green(), c.blue()]
}

fn set_line(content: &mut Content, line: &LineStyle) {
    content.set_line_width(line.width);
    content.set_line_cap(match line.cap {
        LineCap::Butt => LineCapStyle::ButtCap,
        LineCap::Round => LineCapStyle::RoundCap,
        LineCap::Square => LineCapStyle::ProjectingSquareCap,
    });
    content.set_line_join(match line.join {
        LineJoin::Round => LineJoinStyle::RoundJoin,
        LineJoin::Bevel => LineJoinStyle::BevelJoin,
        _ => LineJoinStyle::MiterJoin,
    });
    if let Some(dash) = &line.dash {
        content.set_dash_pattern(dash.iter().copied(), 0.0);
    }
}

fn trace(content: &mut Content, path: &tiny_skia::Path) {
    let mut last = tiny_skia::Point::zero();
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                content.move_to(p.x, p.y);
                last = p;
            }
            PathSegment::LineTo(p) => {
                content.line_to(p.x, p.y);
                last = p;
            }
            PathSegment::QuadTo(c, p) => {
                // A quadratic as the cubic with the same curve.
                let c1 = (last.x + 2.0 / 3.0 * (c.x - last.x), last.y + 2.0 / 3.0 * (c.y - last.y));
                let c2 = (p.x + 2.0 / 3.0 * (c.x - p.x), p.y + 2.0 / 3.0 * (c.y - p.y));
                content.cubic_to(c1.0, c1.1, c2.0, c2.1, p.x, p.y);
                last = p;
            }
            PathSegment::CubicTo(c1, c2, p) => {
                content.cubic_to(c1.x, c1.y, c2.x, c2.y, p.x, p.y);
                last = p;
            }
            PathSegment::Close => {
                content.close_path();
            }
        }
    }
}

/// One line of glyphs from its left baseline point, kerned as the raster text is.
fn show(
    content: &mut Content,
    painter: &TextPainter,
    glyphs: &[(u16, char, f32, f32)],
    origin: [f32; 2],
    style: &TextStyle,
    mode: TextRenderingMode,
    line_width_px: f32,
) {
    let size = style.size_px;
    content.begin_text();
    content.set_font(Name(b"F1"), 1.0);
    content.set_text_rendering_mode(mode);
    // Line width is applied in text space, which is scaled by the font size.
    content.set_line_width(line_width_px / size);
    // y flipped back: the page transform turned it down.
    content.set_text_matrix([size, 0.0, 0.0, -size, origin[0], origin[1]]);
    let upm = painter.units_per_em();
    let mut shown = content.show_positioned();
    let mut items = shown.items();
    for (id, _, kern, _) in glyphs {
        if *kern != 0.0 {
            items.adjust(-kern * 1000.0 / upm);
        }
        items.show(Str(&id.to_be_bytes()));
    }
    items.finish();
    shown.finish();
    content.end_text();
}

/// The Type 0 font over a CID TrueType font (Identity-H), its widths, descriptor, file and ToUnicode map.
fn write_font(pdf: &mut Pdf, painter: &TextPainter, used: &BTreeMap<u16, (char, f32)>, refs: [Ref; 5]) {
    let [type0, cid, descriptor, font_file, cmap_ref] = refs;
    let upm = painter.units_per_em();
    let to_1000 = |v: f32| v * 1000.0 / upm;
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(Name(FONT_NAME))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_ref);
    let mut font = pdf.cid_font(cid);
    font.subtype(CidFontType::Type2);
    font.base_font(Name(FONT_NAME));
    font.system_info(system);
    font.font_descriptor(descriptor);
    font.default_width(500.0);
    font.cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = font.widths();
    for (id, (_, advance)) in used {
        widths.consecutive(*id, [to_1000(*advance)]);
    }
    widths.finish();
    font.finish();
    let (ascent, descent) = painter.ascent_descent_units();
    pdf.font_descriptor(descriptor)
        .name(Name(FONT_NAME))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(-200.0, to_1000(descent), 1200.0, to_1000(ascent)))
        .italic_angle(0.0)
        .ascent(to_1000(ascent))
        .descent(to_1000(descent))
        .cap_height(690.0)
        .stem_v(60.0)
        .font_file2(font_file);
    let data = painter.font_data();
    pdf.stream(font_file, &deflate(data))
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), data.len() as i32);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
    for (id, (c, _)) in used {
        cmap.pair(*id, *c);
    }
    pdf.cmap(cmap_ref, &cmap.finish());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Align, Surface};
    use crate::render::ScreenRect;
    use tiny_skia::PathBuilder;

    #[test]
    fn a_page_with_text_and_a_square_is_a_pdf_with_the_words_in_its_unicode_map() {
        let painter = TextPainter::new();
        let mut page = VectorPage::new(200.0, 100.0, 1.0);
        let square = PathBuilder::from_rect(tiny_skia::Rect::from_ltrb(10.0, 10.0, 50.0, 50.0).unwrap());
        page.fill_path(&square, Color::from_rgba8(255, 127, 0, 200), FillRule::Winding, None);
        let style = TextStyle::new(12.0, Color::BLACK).bold();
        page.text(
            &painter,
            "Leeds",
            [60.0, 40.0],
            Align::Left,
            &style,
            Some(ScreenRect {
                min: [0.0, 0.0],
                max: [200.0, 100.0],
            }),
        );
        let bytes = pdf_of_pages(&[page], "t");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/FontFile2"));
        assert!(text.contains("/Identity-H"));
        assert!(text.contains("/MediaBox [0 0 200 100]"));
    }
}
