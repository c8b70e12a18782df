//! The single-file interactive web map: one HTML file with the script, the styles and the data inline (no CDN, no
//! tiles, nothing fetched), so it opens from an email attachment or a shared drive with no network.
//!
//! The geometry goes as a topology, as TopoJSON does: each shared border (`render::Topology` arc) is simplified once
//! (Douglas-Peucker to about a fifth of a screen pixel at the full-extent view), quantised to whole steps and
//! delta-encoded, and every LSOA lists its rings as arc references, so neighbours never gap and each border is sent
//! once. Ward outlines are the arcs whose two sides lie in different wards. Fills are the export's own styling
//! (`style_comparison`), the legend its legend, the markers the 1% transitions: the same map as the PNG.

use super::ExportError;
use super::date::CivilDate;
use super::report_png::{attribution_lines, sources_text};
use super::save::save_atomic;
use crate::analysis::EditionComparison;
use crate::model::{AreaLayer, Dataset};
use crate::render::Topology;
use crate::style::{LSOA_LINE, MapFill, NO_DATA, TOP1_ORANGE, WARD_LINE};
use geo::Coord;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

const SCRIPT: &str = include_str!("web_map.js");
const STYLES: &str = include_str!("web_map.css");

/// What the web map shows.
#[derive(Clone, Debug, PartialEq)]
pub struct WebMapOptions {
    /// The heading.
    pub title: String,
    /// How the areas are filled: what the fill shows, the class breaks and the palette.
    pub fill: MapFill,
    /// The date printed as "Exported …".
    pub export_date: CivilDate,
}

/// How the geometry was coded: for tests and for the size report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WebMapGeometry {
    /// Simplification tolerance, metres.
    pub tolerance_m: f64,
    /// One quantisation step, metres.
    pub step_m: f64,
    /// World (BNG metres) of step (0, 0).
    pub origin_in_world: Coord<f64>,
    /// Vertices kept, over all arcs.
    pub vertices: usize,
}

/// The page and how its geometry was coded.
pub struct WebMap {
    /// The HTML, complete.
    pub html: String,
    /// The geometry's coding.
    pub geometry: WebMapGeometry,
}

/// Builds the page for a comparison.
pub fn web_map(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &WebMapOptions,
) -> Result<WebMap, ExportError> {
    let full = super::map_layer::lsoa_layer_of(dataset, comparison)?;
    // Only the comparison's LSOAs, in comparison order: their own topology.
    let areas: Vec<_> = comparison
        .rows
        .iter()
        .filter_map(|r| full.get(&r.lsoa_code).cloned().map(|a| (r, a)))
        .collect();
    if areas.is_empty() {
        return Err(ExportError::NoAreas {
            lsoas: comparison.rows.len(),
            la: comparison.la_name.clone(),
            vintage: comparison.vintage.to_string(),
        });
    }
    let layer = AreaLayer::new(full.kind, areas.iter().map(|(_, a)| a.clone()).collect(), Vec::new());
    let row_of: HashMap<_, _> = areas.iter().map(|(r, a)| (a.code, *r)).collect();
    let topology = Topology::build(&layer);
    let bbox = layer.bbox_where(|_| true).unwrap_or(layer.areas[0].bbox_in_world);
    // About a fifth of a pixel on a 1,600-pixel-wide full view; steps a quarter of that.
    let extent = bbox.width().max(bbox.height());
    let tolerance_m = (extent / 8_000.0).max(1.0);
    let step_m = (tolerance_m / 2.0).max(1.0).round();
    let origin = bbox.min();
    let quantise = |c: &Coord<f64>| -> (i64, i64) {
        (
            ((c.x - origin.x) / step_m).round() as i64,
            ((c.y - origin.y) / step_m).round() as i64,
        )
    };
    let simplified = topology.simplified_arcs(tolerance_m);
    let mut vertices = 0;
    let arcs: Vec<Vec<i64>> = simplified
        .iter()
        .map(|arc| {
            let mut out = Vec::with_capacity(arc.len() * 2);
            let mut last: Option<(i64, i64)> = None;
            for (i, c) in arc.iter().enumerate() {
                let q = quantise(c);
                // Consecutive repeats after quantising go, but never an end: the node joins the next arc.
                if last == Some(q) && i + 1 != arc.len() {
                    continue;
                }
                let (dx, dy) = last.map_or(q, |l| (q.0 - l.0, q.1 - l.1));
                out.extend([dx, dy]);
                last = Some(q);
                vertices += 1;
            }
            out
        })
        .collect();

    let styled = options.fill.style_loaded(dataset, comparison);
    let mut colours: Vec<String> = Vec::new();
    let mut colour_index = |hex: String| match colours.iter().position(|c| *c == hex) {
        Some(i) => i,
        None => {
            colours.push(hex);
            colours.len() - 1
        }
    };
    let mut ward_names: Vec<String> = Vec::new();
    let mut ward_codes: Vec<String> = Vec::new();
    let mut ward_of_area: Vec<Option<usize>> = Vec::with_capacity(layer.areas.len());
    let mut lsoas = Vec::with_capacity(layer.areas.len());
    for (i, area) in layer.areas.iter().enumerate() {
        let Some(row) = row_of.get(&area.code) else { continue };
        let ward = row.ward_code.map(|code| {
            let code = code.to_string();
            match ward_codes.iter().position(|c| *c == code) {
                Some(w) => w,
                None => {
                    ward_codes.push(code);
                    ward_names.push(row.ward_name.clone());
                    ward_codes.len() - 1
                }
            }
        });
        ward_of_area.push(ward);
        let fill = styled.fill_of.get(&area.code).copied().unwrap_or(NO_DATA);
        let interior = area.interior_in_world.unwrap_or(area.bbox_in_world.center());
        let rings: Vec<Vec<Vec<i64>>> = topology.areas[i]
            .iter()
            .map(|polygon| {
                polygon
                    .iter()
                    .map(|ring| {
                        ring.iter()
                            .map(|(id, rev)| if *rev { !i64::from(*id) } else { i64::from(*id) })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let (px, py) = quantise(&interior);
        lsoas.push(json!({
            "c": area.code.as_str(),
            "n": row.lsoa_name,
            "w": ward,
            "f": colour_index(fill.to_hex()),
            "a": row.rank_from,
            "b": row.rank_to,
            "d": row.change,
            "t": row.transition.key(),
            "p": [px, py],
            "g": rings,
        }));
    }
    let ward_arcs = topology.group_boundaries(|i| ward_of_area.get(i).copied().flatten());
    let wards: Vec<Value> = ward_codes
        .iter()
        .zip(&ward_names)
        .map(|(code, name)| {
            let label = dataset
                .ward_layer_for(comparison.vintage)
                .and_then(|l| l.get(&crate::model::AreaCode::parse(code)?))
                .and_then(|a| a.interior_in_world)
                .map(|p| {
                    let (x, y) = quantise(&p);
                    json!([x, y])
                });
            json!({ "c": code, "n": name, "p": label })
        })
        .collect();
    let legend = &styled.legend;
    let exported = format!(
        "Exported {} with Locality Map {}",
        options.export_date.iso(),
        env!("CARGO_PKG_VERSION")
    );
    let lsoa_line = {
        let [r, g, b, a] = LSOA_LINE.0;
        format!("rgba({r},{g},{b},{:.3})", f32::from(a) / 255.0)
    };
    let data = json!({
        "title": options.title,
        "subtitle": format!("IMD {} to {}; rank 1 = most deprived", comparison.from, comparison.to),
        "from": comparison.from,
        "to": comparison.to,
        "threshold_from": comparison.threshold_from,
        "threshold_to": comparison.threshold_to,
        "la": comparison.la_name,
        "step": step_m,
        "origin": [origin.x, origin.y],
        "size": [((bbox.width()) / step_m).ceil(), ((bbox.height()) / step_m).ceil()],
        "arcs": arcs,
        "colours": colours,
        "lsoas": lsoas,
        "wards": wards,
        "ward_arcs": ward_arcs,
        "legend": {
            "title": legend.title,
            "subtitle": legend.subtitle,
            "entries": legend.entries.iter().map(|e| json!({"colour": e.colour.to_hex(), "label": e.label, "count": e.count})).collect::<Vec<_>>(),
            "notes": legend.notes,
        },
        "orange": TOP1_ORANGE.to_hex(),
        "ward_line": WARD_LINE.to_hex(),
        "lsoa_line": lsoa_line,
        "attribution": attribution_lines(options.export_date.year),
        "sources": sources_text(dataset, comparison),
        "exported": exported,
    });
    // `</` would end the script element early; JSON allows `<\/`.
    let json_text = data.to_string().replace("</", "<\\/");
    let title = escape_html(&options.title);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{STYLES}</style>\n</head>\n<body>\n<div id=\"map\"><canvas id=\"canvas\"></canvas><div id=\"tooltip\" hidden></div></div>\n<aside id=\"panel\"><h1 id=\"title\">{title}</h1><p id=\"subtitle\"></p>\n<form id=\"search\"><input id=\"query\" type=\"search\" placeholder=\"Search LSOA code or ward\" aria-label=\"Search LSOA code or ward\"><button>Find</button></form><div id=\"results\"></div>\n<div id=\"legend\"></div></aside>\n<footer id=\"attribution\"></footer>\n<script id=\"data\" type=\"application/json\">{json_text}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    Ok(WebMap {
        html,
        geometry: WebMapGeometry {
            tolerance_m,
            step_m,
            origin_in_world: origin,
            vertices,
        },
    })
}

/// Builds the page and saves it atomically.
pub fn save_web_map(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &WebMapOptions,
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<WebMap, ExportError> {
    let map = web_map(dataset, comparison, options)?;
    save_atomic(path, overwrite, |out| out.write_all(map.html.as_bytes()))?;
    Ok(map)
}

/// Text for the page: `&`, `<`, `>` (quick-xml's text escape) and `"` as entities.
fn escape_html(text: &str) -> String {
    quick_xml::escape::partial_escape(text).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn titles_are_escaped() {
        assert_eq!(
            escape_html("Gipton & Harehills <b>"),
            "Gipton &amp; Harehills &lt;b&gt;"
        );
    }
}
