//! Vector reports: the PNG report's page recorded once (`vector_report_page`) and written as PDF (an overview page and
//! optionally one page per priority ward, A4 or A3, portrait or landscape) or as SVG (the map page alone).

use super::ExportError;
use super::report_png::{ReportOptions, vector_report_page};
use super::save::save_atomic;
use super::vector_pdf::pdf_of_pages;
use super::vector_svg::svg_of_page;
use crate::analysis::{EditionComparison, LaSummary};
use crate::model::{AreaCode, Dataset, rect_union};
use std::path::Path;

/// Paper sizes for PDF reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 297 × 420 mm.
    A3,
}

impl Paper {
    /// Short and long side in points (1/72 inch), rounded to whole points.
    pub fn size_pt(self) -> (u32, u32) {
        match self {
            Paper::A4 => (595, 842),
            Paper::A3 => (842, 1191),
        }
    }
}

/// A report's options for one sheet of paper: the page in points (72 dpi, so one page pixel is one point).
pub fn paper_options(base: &ReportOptions, paper: Paper, landscape: bool) -> ReportOptions {
    let (short, long) = paper.size_pt();
    let (width_px, height_px) = if landscape { (long, short) } else { (short, long) };
    ReportOptions {
        width_px,
        height_px,
        dpi: 72.0,
        ..base.clone()
    }
}

/// The report as a PDF: the LA page, then with `ward_pages` one page per priority ward (zoomed to it, the rest
/// veiled, as the pack's ward maps).
pub fn pdf_report(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
    ward_pages: bool,
) -> Result<Vec<u8>, ExportError> {
    let mut pages = vec![vector_report_page(dataset, comparison, options)?.0];
    if ward_pages {
        let summary = LaSummary::new(dataset, comparison).map_err(|e| ExportError::Build {
            what: "PDF report",
            message: e.to_string(),
        })?;
        for ward in summary.priority_wards.iter().flatten() {
            let ward_options = ReportOptions {
                title: format!(
                    "{}, {}: change in IMD rank, {} to {}",
                    ward.name, comparison.la_name, comparison.from, comparison.to
                ),
                extent: ward_extent(dataset, comparison, &ward.code),
                focus_ward: Some(ward.code),
                ..options.clone()
            };
            pages.push(vector_report_page(dataset, comparison, &ward_options)?.0);
        }
    }
    Ok(pdf_of_pages(&pages, &options.title))
}

/// The map page as SVG.
pub fn svg_report(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
) -> Result<String, ExportError> {
    Ok(svg_of_page(&vector_report_page(dataset, comparison, options)?.0))
}

/// Writes the PDF report atomically.
pub fn save_pdf_report(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
    ward_pages: bool,
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    let bytes = pdf_report(dataset, comparison, options, ward_pages)?;
    save_atomic(path, overwrite, |out| out.write_all(&bytes))?;
    Ok(())
}

/// Writes the SVG map atomically.
pub fn save_svg_report(
    dataset: &Dataset,
    comparison: &EditionComparison,
    options: &ReportOptions,
    path: &Path,
    overwrite: impl Into<crate::io::Replace>,
) -> Result<(), ExportError> {
    let svg = svg_report(dataset, comparison, options)?;
    save_atomic(path, overwrite, |out| out.write_all(svg.as_bytes()))?;
    Ok(())
}

/// A ward map's extent: the ward's boundary box (else its LSOAs' boxes), with a margin so neighbouring context shows.
pub fn ward_extent(dataset: &Dataset, comparison: &EditionComparison, ward: &AreaCode) -> Option<geo::Rect<f64>> {
    let from_ward_layer = dataset
        .ward_layer_for(comparison.vintage)
        .and_then(|layer| layer.get(ward))
        .map(|area| area.bbox_in_world);
    let bbox = from_ward_layer.or_else(|| {
        let layer = dataset.lsoa_layers.get(&comparison.vintage)?;
        comparison
            .rows
            .iter()
            .filter(|r| r.ward_code.as_ref() == Some(ward))
            .filter_map(|r| layer.get(&r.lsoa_code).map(|a| a.bbox_in_world))
            .reduce(rect_union)
    })?;
    let margin = 0.08 * bbox.width().max(bbox.height()).max(500.0);
    Some(crate::model::rect_grown(bbox, margin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_turn_with_the_orientation() {
        let base = ReportOptions::a4_landscape_300dpi("t");
        let a4 = paper_options(&base, Paper::A4, true);
        assert_eq!((a4.width_px, a4.height_px, a4.dpi), (842, 595, 72.0));
        assert!((a4.px_per_pt() - 1.0).abs() < 1e-6);
        let a3 = paper_options(&base, Paper::A3, false);
        assert_eq!((a3.width_px, a3.height_px), (842, 1191));
    }
}
