//! `validate`: what was found (files, editions, CRS, counts) and every join problem, checked against the catalogue.

use crate::io::Catalogue;
use crate::model::{Dataset, Severity, escape_path, escape_text};
use std::fmt::Write as _;

/// Prints the report. Exits non-zero when nothing usable was found or when any file (or a figure in one) could not
/// be used (an error); warnings alone are "usable with warnings" and exit 0.
pub fn run(dataset: &Dataset) -> super::CliResult {
    let mut out = String::new();
    let catalogue = Catalogue::shipped().ok();
    let _ = writeln!(out, "Data: {}\n\nFiles read:", escape_text(&dataset.source_label));
    for file in &dataset.report.files {
        let crs = file.crs.as_deref().map(|c| format!(", {c}")).unwrap_or_default();
        let check = match catalogue
            .as_ref()
            .and_then(|c| c.entry_for(&file.path))
            .and_then(|e| e.expected_rows)
        {
            Some(expected) if expected == file.records => "  ✓ as catalogued".to_string(),
            Some(expected) => format!("  ✗ catalogue expects {expected}"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}\n      {}: {} records{crs} ({:.0} ms){check}",
            escape_path(&file.path),
            file.recognised_as,
            file.records,
            file.load_millis
        );
    }
    let _ = writeln!(out, "\nIMD editions:");
    for edition in dataset.editions.values() {
        let _ = writeln!(
            out,
            "  {}: {} LSOAs ({}), N = {} ranked, 1% line rank ≤ {}; indices: {}; population: {}",
            edition.year,
            edition.rows.len(),
            edition.vintage,
            edition.ranked_count(),
            edition.top1_threshold(),
            edition
                .indices_present()
                .iter()
                .map(|i| i.label())
                .collect::<Vec<_>>()
                .join(", "),
            edition.population_source.as_deref().unwrap_or("none")
        );
    }
    let _ = writeln!(out, "\nBoundaries:");
    for layer in dataset.lsoa_layers.values().chain(dataset.ward_layers.values()) {
        let _ = writeln!(
            out,
            "  {}: {} areas, {} vertices",
            layer.kind,
            layer.areas.len(),
            layer.vertex_count()
        );
    }
    let _ = writeln!(out, "\nLookups:");
    for (vintage, lookup) in &dataset.ward_lookups {
        let _ = writeln!(
            out,
            "  {vintage} → ward {}: {} LSOAs",
            lookup.ward_year,
            lookup.by_lsoa.len()
        );
    }
    if let Some(lookup) = &dataset.change_lookup {
        let _ = writeln!(out, "  LSOA 2011 → 2021: {} rows", lookup.rows.len());
    }
    let report = &dataset.report;
    let (failed, warnings, notes) = (
        report.count_of(Severity::Error),
        report.count_of(Severity::Warning),
        report.count_of(Severity::Note),
    );
    let _ = writeln!(out, "\nProblems: {failed} errors, {warnings} warnings, {notes} notes");
    // Ranked by what they change for the planner: errors (figures that could not be read), warnings, then notes.
    for (severity, heading) in [
        (
            Severity::Error,
            "Errors — a file or figures in it could not be used, so figures are missing",
        ),
        (Severity::Warning, "Warnings — worth knowing before reading the figures"),
        (Severity::Note, "Notes — expected, or nothing was lost"),
    ] {
        let of_kind: Vec<_> = report.ranked().into_iter().filter(|p| p.severity == severity).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {heading}:");
        for problem in of_kind {
            let _ = writeln!(out, "    {problem}");
        }
    }
    let verdict = if failed > 0 {
        format!("\nFailed: {failed} errors — a file (or part of one) could not be used; see the errors above.\n")
    } else if warnings > 0 {
        format!("\nUsable with {warnings} warnings.\n")
    } else {
        "\nUsable: no problems.\n".to_string()
    };
    out.push_str(&verdict);
    super::print(&out)?;
    if dataset.editions.is_empty() {
        return Err(super::CliError::Message("not usable: no IMD table was loaded".into()));
    }
    if failed > 0 {
        return Err(super::CliError::Message(format!(
            "{failed} errors: a file the data folder holds could not be used (exit status 1; warnings alone exit 0)"
        )));
    }
    Ok(())
}
