//! SVG of a recorded page: paths as `<path>`, text as `<text>` in the export's own face (Ubuntu Light, embedded as a
//! data URI so the file looks the same anywhere and its words stay selectable and searchable), an image (the street
//! basemap) as an embedded PNG `<image>`, a layer at an opacity as `<g opacity>`. Sized in points.

use super::surface::{LineStyle, PageImage, VectorOp, VectorPage};
use super::text::{TextPainter, TextStyle};
use crate::render::ScreenRect;
use std::fmt::Write as _;
use tiny_skia::{Color, FillRule, LineCap, LineJoin, Path, PathSegment};

/// The font family name the SVG declares for the embedded face.
pub const SVG_FONT_FAMILY: &str = "Locality Map Ubuntu Light";

/// The page as a standalone SVG document.
pub fn svg_of_page(page: &VectorPage) -> String {
    let mut out = String::with_capacity(1 << 20);
    let (w, h) = (page.width_px, page.height_px);
    let k = 1.0 / page.px_per_pt;
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{}pt\" height=\"{}pt\" viewBox=\"0 0 {} {}\">\n",
        num(w * k),
        num(h * k),
        num(w),
        num(h)
    );
    let font = TextPainter::new();
    let _ = writeln!(
        out,
        "<defs><style>@font-face{{font-family:'{SVG_FONT_FAMILY}';src:url(data:font/ttf;base64,{});}} text{{font-family:'{SVG_FONT_FAMILY}',Ubuntu,sans-serif;font-weight:300;white-space:pre}}</style>",
        base64(font.font_data())
    );
    let mut clips: Vec<ScreenRect> = Vec::new();
    collect_clips(&page.ops, &mut clips);
    for (i, c) in clips.iter().enumerate() {
        let _ = writeln!(
            out,
            "<clipPath id=\"clip{i}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
            num(c.min[0]),
            num(c.min[1]),
            num(c.width()),
            num(c.height())
        );
    }
    out.push_str("</defs>\n");
    write_ops(&mut out, &page.ops, &clips);
    out.push_str("</svg>\n");
    out
}

/// Every distinct clip rectangle, groups included, in first use order.
fn collect_clips(ops: &[VectorOp], clips: &mut Vec<ScreenRect>) {
    for op in ops {
        let clip = match op {
            VectorOp::Fill { clip, .. } | VectorOp::Stroke { clip, .. } | VectorOp::Text { clip, .. } => clip,
            VectorOp::Group { ops, .. } => {
                collect_clips(ops, clips);
                &None
            }
            VectorOp::Image { .. } => &None,
        };
        if let Some(c) = clip
            && !clips.contains(c)
        {
            clips.push(*c);
        }
    }
}

fn write_ops(out: &mut String, ops: &[VectorOp], clips: &[ScreenRect]) {
    let clip_attr = |clip: &Option<ScreenRect>| -> String {
        clip.and_then(|c| clips.iter().position(|x| *x == c))
            .map_or_else(String::new, |i| format!(" clip-path=\"url(#clip{i})\""))
    };
    for op in ops {
        match op {
            VectorOp::Fill {
                path,
                colour,
                rule,
                clip,
            } => {
                let rule = if *rule == FillRule::EvenOdd {
                    "evenodd"
                } else {
                    "nonzero"
                };
                let _ = writeln!(
                    out,
                    "<path d=\"{}\" fill=\"{}\"{} fill-rule=\"{rule}\"{}/>",
                    path_data(path),
                    hex(*colour),
                    opacity("fill-opacity", *colour),
                    clip_attr(clip)
                );
            }
            VectorOp::Stroke {
                path,
                colour,
                line,
                clip,
            } => {
                let _ = writeln!(
                    out,
                    "<path d=\"{}\" fill=\"none\" stroke=\"{}\"{}{}{}/>",
                    path_data(path),
                    hex(*colour),
                    opacity("stroke-opacity", *colour),
                    line_attrs(line),
                    clip_attr(clip)
                );
            }
            VectorOp::Text {
                text,
                origin,
                style,
                clip,
            } => write_text(out, text, *origin, style, &clip_attr(clip)),
            VectorOp::Image { image, at } => {
                let _ = writeln!(
                    out,
                    "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,{}\"/>",
                    num(at.min[0]),
                    num(at.min[1]),
                    num(at.width()),
                    num(at.height()),
                    base64(&png_of(image))
                );
            }
            VectorOp::Group { opacity, ops } => {
                let _ = writeln!(out, "<g opacity=\"{opacity:.3}\">");
                write_ops(out, ops, clips);
                out.push_str("</g>\n");
            }
        }
    }
}

/// The image as an RGB PNG (an encoder writing into memory cannot fail on well-formed rows; empty if it did).
fn png_of(image: &PageImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, image.width_px, image.height_px);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&image.rgb));
    if written.is_err() {
        return Vec::new();
    }
    bytes
}

fn write_text(out: &mut String, text: &str, origin: [f32; 2], style: &TextStyle, clip: &str) {
    let at = format!(
        "x=\"{}\" y=\"{}\" font-size=\"{}\"",
        num(origin[0]),
        num(origin[1]),
        num(style.size_px)
    );
    let escaped = escape(text);
    if style.halo_px > 0.0 {
        let _ = writeln!(
            out,
            "<text {at} fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.902\" stroke-width=\"{}\" stroke-linejoin=\"round\" aria-hidden=\"true\"{clip}>{escaped}</text>",
            num(style.halo_px * 2.0 + style.embolden_px)
        );
    }
    let bold = if style.embolden_px > 0.0 {
        format!(
            " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
            hex(style.colour),
            num(style.embolden_px)
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<text {at} fill=\"{}\"{}{bold}{clip}>{escaped}</text>",
        hex(style.colour),
        opacity("fill-opacity", style.colour)
    );
}

fn line_attrs(line: &LineStyle) -> String {
    let cap = match line.cap {
        LineCap::Butt => "butt",
        LineCap::Round => "round",
        LineCap::Square => "square",
    };
    let join = match line.join {
        LineJoin::Round => "round",
        LineJoin::Bevel => "bevel",
        _ => "miter",
    };
    let mut s = format!(
        " stroke-width=\"{}\" stroke-linecap=\"{cap}\" stroke-linejoin=\"{join}\"",
        num(line.width)
    );
    if let Some(dash) = &line.dash {
        let list: Vec<String> = dash.iter().map(|d| num(*d)).collect();
        let _ = write!(s, " stroke-dasharray=\"{}\"", list.join(" "));
    }
    s
}

/// Path data with two decimals (a hundredth of a pixel).
pub(super) fn path_data(path: &Path) -> String {
    let mut d = String::with_capacity(path.len() * 12);
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                let _ = write!(d, "M{} {}", num(p.x), num(p.y));
            }
            PathSegment::LineTo(p) => {
                let _ = write!(d, "L{} {}", num(p.x), num(p.y));
            }
            PathSegment::QuadTo(c, p) => {
                let _ = write!(d, "Q{} {} {} {}", num(c.x), num(c.y), num(p.x), num(p.y));
            }
            PathSegment::CubicTo(c1, c2, p) => {
                let _ = write!(
                    d,
                    "C{} {} {} {} {} {}",
                    num(c1.x),
                    num(c1.y),
                    num(c2.x),
                    num(c2.y),
                    num(p.x),
                    num(p.y)
                );
            }
            PathSegment::Close => d.push('Z'),
        }
    }
    d
}

/// A number with at most two decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn hex(c: Color) -> String {
    let c = c.to_color_u8();
    format!("#{:02x}{:02x}{:02x}", c.red(), c.green(), c.blue())
}

fn opacity(attr: &str, c: Color) -> String {
    let a = c.to_color_u8().alpha();
    if a == 255 {
        String::new()
    } else {
        format!(" {attr}=\"{:.3}\"", f32::from(a) / 255.0)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(10.5), "10.5");
    }
}
