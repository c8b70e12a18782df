//! Loads a data folder (or the embedded default) into a `Dataset`: reads every file it recognises, merges editions,
//! joins tables, boundaries and lookups, and reports everything it skipped.

use super::LoadError;
use super::boundary_file::BoundaryFile;
use super::data_source::{DataSource, SourceFile, embedded_files, list_data_files, read_file};
use super::indicator_load::{IndicatorFile, merge_indicators};
use super::merge_editions::merge_editions;
use super::parse_file::{LoadOptions, Parsed, parse_source_file};
use super::same_source::{FileResult, compare_copies, copies_in, take_copy};
use super::undated_scores::parse_undated_scores;
use crate::model::{
    AreaKind, AreaLayer, Dataset, FileSummary, JoinReport, Lookup, LsoaVintage, Severity, WardOfLsoa, escape_path,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Loads everything under the source. Fails only when the folder itself cannot be read; every file-level problem
/// is reported in `Dataset::report` and the rest loads.
pub fn load_dataset(source: &DataSource, options: &LoadOptions) -> Result<Dataset, LoadError> {
    let started = Instant::now();
    let mut report = JoinReport::default();
    let results: Vec<FileResult> = match source {
        DataSource::Embedded => embedded_files()?
            .into_par_iter()
            .map(|file| parse_embedded_file(file, options))
            .collect(),
        DataSource::Folder(_) | DataSource::Files(_) => {
            let (paths, roots) = list_source_paths(source, &mut report)?;
            parse_disk_files(&paths, &roots, options, &mut report)
        }
    };
    Ok(assemble_dataset(source, results, report, options, started))
}

/// Parses one embedded file.
pub(crate) fn parse_embedded_file(file: SourceFile, options: &LoadOptions) -> FileResult {
    let started = Instant::now();
    let mut file_report = JoinReport::default();
    let parsed = parse_source_file(&file, None, options, &mut file_report, &mut None);
    FileResult::new(file.path, parsed, file_report, started)
}

/// The data files under a folder (or the files given), sorted, and the roots they were found under; what the walk
/// passed over goes into `report`.
pub(crate) fn list_source_paths(
    source: &DataSource,
    report: &mut JoinReport,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
    let roots = match source {
        DataSource::Files(paths) => paths.clone(),
        DataSource::Folder(root) => vec![root.clone()],
        DataSource::Embedded => Vec::new(),
    };
    let mut paths = Vec::new();
    let mut skipped = Vec::new();
    for root in &roots {
        let (found, passed_over) = list_data_files(root)?;
        paths.extend(found);
        skipped.extend(passed_over);
    }
    paths.sort();
    paths.dedup();
    for (path, why) in skipped {
        report.push(Severity::Warning, Some(path), None, why);
    }
    Ok((paths, roots))
}

/// Reads and parses files on disk in parallel, in `paths` order. One source in two formats among them is parsed
/// once (see `same_source`) unless `options.read_copies`.
pub(crate) fn parse_disk_files(
    paths: &[PathBuf],
    roots: &[PathBuf],
    options: &LoadOptions,
    report: &mut JoinReport,
) -> Vec<FileResult> {
    // Files reached through links to outside the folders given are read, but nothing of their contents is
    // ever quoted in a message (a link to /etc/passwd must not have its first line printed).
    let trusted: Vec<PathBuf> = roots.iter().filter_map(|r| std::fs::canonicalize(r).ok()).collect();
    let inside = |path: &Path, file_report: &mut JoinReport| {
        let inside = std::fs::canonicalize(path).is_ok_and(|real| trusted.iter().any(|root| real.starts_with(root)));
        if !inside {
            file_report.push(
                Severity::Note,
                Some(path.to_path_buf()),
                None,
                "a link to a file outside the data folder; read, but none of its text is quoted here",
            );
        }
        inside
    };
    let parse_one = |path: &PathBuf| {
        let started = Instant::now();
        let mut file_report = JoinReport::default();
        let inside = inside(path, &mut file_report);
        let mut shape = None;
        let parsed = read_file(path).and_then(|bytes| {
            let file = SourceFile {
                path: path.clone(),
                bytes,
            };
            let options = LoadOptions {
                quote_headers: options.quote_headers && inside,
                ..options.clone()
            };
            parse_source_file(&file, Some(path), &options, &mut file_report, &mut shape)
        });
        FileResult {
            shape,
            ..FileResult::new(path.clone(), parsed, file_report, started)
        }
    };
    // One source in two formats is parsed once (see `same_source`): the twins first, then each copy is
    // checked against its twin without being parsed, and parsed only if the check fails.
    let copies = copies_in(paths);
    let (firsts, later): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| options.read_copies || !copies.contains_key(*p));
    let mut done: BTreeMap<PathBuf, FileResult> = firsts.into_par_iter().map(|p| (p.clone(), parse_one(p))).collect();
    let copied: Vec<FileResult> = later
        .into_par_iter()
        .map(|copy| {
            let (twin, family) = &copies[copy];
            done.get(twin)
                .and_then(|twin_result| take_copy(copy, twin_result, *family, &inside))
                .unwrap_or_else(|| parse_one(copy))
        })
        .collect();
    if options.read_copies {
        compare_copies(&copies, &done, report);
    }
    done.extend(copied.into_iter().map(|r| (r.path.clone(), r)));
    paths.iter().filter_map(|p| done.remove(p)).collect()
}

/// Merges parsed files into a `Dataset`: editions, lookups, indicators, boundaries, wards, joins, the report.
pub(crate) fn assemble_dataset(
    source: &DataSource,
    results: Vec<FileResult>,
    mut report: JoinReport,
    options: &LoadOptions,
    started: Instant,
) -> Dataset {
    let parsed_in = started.elapsed();
    let copies_taken = results.iter().filter(|r| r.copy_of.is_some()).count();
    let mut tables = Vec::new();
    let mut lookups = Vec::new();
    let mut boundaries = Vec::new();
    let mut undated = Vec::new();
    let mut indicator_files = Vec::new();
    for result in results {
        let FileResult {
            path,
            parsed,
            report: file_report,
            load_millis,
            copy_of,
            ..
        } = result;
        report.extend(file_report);
        // A copy taken unparsed says so where the file is listed.
        let copy_note = copy_of
            .map(|twin| {
                format!(
                    " — not parsed: a copy of {}",
                    escape_path(Path::new(twin.file_name().unwrap_or_default()))
                )
            })
            .unwrap_or_default();
        match parsed {
            Ok(Parsed::Imd(table)) => {
                let recognised_as = format!("IMD {} table ({}){copy_note}", table.year, table.vintage);
                report
                    .files
                    .push(file_summary(&path, recognised_as, table.rows.len(), None, load_millis));
                tables.push((path, table));
            }
            Ok(Parsed::Lookup(lookup)) => {
                let (recognised_as, records) = match &lookup {
                    Lookup::Ward(vintage, l) => (
                        format!("{vintage} → ward {} lookup{copy_note}", l.ward_year),
                        l.by_lsoa.len(),
                    ),
                    Lookup::Change(l) => (format!("LSOA 2011 → LSOA 2021 lookup{copy_note}"), l.rows.len()),
                };
                report
                    .files
                    .push(file_summary(&path, recognised_as, records, None, load_millis));
                lookups.push(lookup);
            }
            Ok(Parsed::Boundaries(file)) => {
                let crs = Some(file.crs.epsg().to_string());
                let recognised_as = format!("{} boundaries{copy_note}", file.kind);
                report
                    .files
                    .push(file_summary(&path, recognised_as, file.areas.len(), crs, load_millis));
                boundaries.push((path, file));
            }
            Ok(Parsed::UndatedScores(table)) => undated.push((path, table, load_millis)),
            Ok(Parsed::Indicator(file)) => {
                let (recognised_as, records) = match &file {
                    IndicatorFile::Police(f, _) => ("police.uk street-level crime".to_string(), f.rows.len()),
                    IndicatorFile::Table(t, _) => (format!("indicator table ({})", t.level), t.rows_read),
                };
                report
                    .files
                    .push(file_summary(&path, recognised_as, records, None, load_millis));
                indicator_files.push((path, file));
            }
            Ok(Parsed::NotRead(why)) => report.push(Severity::Note, Some(path), None, why),
            // A file of another kind (crime or claimant counts, point centroids) is passed over with a note; any other
            // failure is a file that could not be used (an error, which makes `validate` fail).
            Err(error) => {
                let severity = if error.is_other_kind_of_file() {
                    Severity::Note
                } else {
                    Severity::Error
                };
                report.push(severity, Some(path), None, error.to_string())
            }
        }
    }

    let mut dataset = Dataset {
        source_label: source.label(),
        ..Dataset::default()
    };
    if !undated.is_empty() {
        // Score tables that name no edition are dated against the other tables merged (in a scratch copy), then
        // everything is merged once, so the usual order and authority rules decide between files.
        let mut scratch = Dataset::default();
        merge_editions(&mut scratch, tables.clone(), &mut JoinReport::default());
        for (path, table, load_millis) in undated {
            match parse_undated_scores(&table, &scratch.editions, options.edition_hint, &mut report) {
                Ok(table) => {
                    report.files.push(file_summary(
                        &path,
                        format!("IMD {} scores ({})", table.year, table.vintage),
                        table.rows.len(),
                        None,
                        load_millis,
                    ));
                    tables.push((path, table));
                }
                Err(error) => report.push(Severity::Error, Some(path), None, error.to_string()),
            }
        }
    }
    merge_editions(&mut dataset, tables, &mut report);
    merge_lookups(&mut dataset, lookups, &mut report);
    merge_indicators(&mut dataset, indicator_files, &mut report);
    merge_boundaries(&mut dataset, boundaries, &mut report);
    let embedded = matches!(source, DataSource::Embedded);
    assign_wards(&mut dataset, &mut report, embedded);
    report_joins(&dataset, &mut report, embedded);
    dataset.report = report;
    if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
        eprintln!(
            "load: {} files read and parsed in {:.0} ms ({copies_taken} copies in another format not parsed), merged and joined in {:.0} ms",
            dataset.report.files.len(),
            parsed_in.as_secs_f64() * 1e3,
            (started.elapsed() - parsed_in).as_secs_f64() * 1e3
        );
    }
    dataset
}

/// The load report's line for one file read.
fn file_summary(
    path: &Path,
    recognised_as: String,
    records: usize,
    crs: Option<String>,
    load_millis: f64,
) -> FileSummary {
    FileSummary {
        path: path.to_path_buf(),
        recognised_as,
        records,
        crs,
        load_millis,
    }
}

fn merge_lookups(dataset: &mut Dataset, lookups: Vec<Lookup>, report: &mut JoinReport) {
    for lookup in lookups {
        match lookup {
            Lookup::Ward(vintage, lookup) => match dataset.ward_lookups.get_mut(&vintage) {
                None => {
                    dataset.ward_lookups.insert(vintage, lookup);
                }
                Some(existing) if existing.ward_year == lookup.ward_year => {
                    existing.sources.extend(lookup.sources);
                    for (code, ward) in lookup.by_lsoa {
                        existing.by_lsoa.entry(code).or_insert(ward);
                    }
                }
                Some(existing) => report.push(
                    Severity::Warning,
                    lookup.sources.first().cloned(),
                    None,
                    format!(
                        "a {vintage} → ward {} lookup is already loaded (ward {}); this one is not used",
                        lookup.ward_year, existing.ward_year
                    ),
                ),
            },
            Lookup::Change(lookup) => match &mut dataset.change_lookup {
                None => dataset.change_lookup = Some(lookup),
                Some(existing) => {
                    existing.sources.extend(lookup.sources);
                    for row in lookup.rows {
                        if !existing.rows.contains(&row) {
                            existing.rows.push(row);
                        }
                    }
                }
            },
        }
    }
}

/// One layer per kind. Where files overlap, the more detailed file (more vertices per area) wins and the overlap is reported.
fn merge_boundaries(dataset: &mut Dataset, mut files: Vec<(PathBuf, BoundaryFile)>, report: &mut JoinReport) {
    let detail = |f: &BoundaryFile| {
        use geo::CoordsIter as _;
        let vertices: usize = f.areas.iter().map(|a| a.geometry_in_world.coords_count()).sum();
        vertices as f64 / f.areas.len().max(1) as f64
    };
    files.sort_by(|(pa, a), (pb, b)| {
        a.kind
            .cmp(&b.kind)
            .then(detail(b).total_cmp(&detail(a)))
            .then(pa.cmp(pb))
    });
    let mut by_kind: BTreeMap<AreaKind, (Vec<crate::model::Area>, Vec<PathBuf>)> = BTreeMap::new();
    for (path, file) in files {
        let (areas, sources) = by_kind.entry(file.kind).or_default();
        let known: std::collections::HashSet<_> = areas.iter().map(|a| a.code).collect();
        let before = file.areas.len();
        let new: Vec<_> = file.areas.into_iter().filter(|a| !known.contains(&a.code)).collect();
        if new.len() < before {
            let first = sources
                .first()
                .map(|p: &PathBuf| p.display().to_string())
                .unwrap_or_default();
            report.push(
                Severity::Note,
                Some(path.clone()),
                None,
                format!(
                    "{} of its {before} areas are also in {first}, which is more detailed; used that file's",
                    before - new.len()
                ),
            );
        }
        areas.extend(new);
        sources.push(path);
    }
    for (kind, (areas, sources)) in by_kind {
        let layer = AreaLayer::new(kind, areas, sources);
        match kind {
            AreaKind::Lsoa(vintage) => {
                dataset.lsoa_layers.insert(vintage, layer);
            }
            AreaKind::Ward(year) => {
                dataset.ward_layers.insert(year, layer);
            }
        }
    }
}

/// Gives LSOAs that no lookup lists a ward from the ward polygon containing their interior point, and cross-checks
/// the lookup against the polygons where both exist, reporting disagreements.
fn assign_wards(dataset: &mut Dataset, report: &mut JoinReport, embedded: bool) {
    for vintage in [LsoaVintage::Lsoa2011, LsoaVintage::Lsoa2021] {
        let (Some(lsoas), Some(wards)) = (dataset.lsoa_layers.get(&vintage), dataset.ward_layer_for(vintage)) else {
            continue;
        };
        let lookup = dataset.ward_lookups.get(&vintage);
        let ward_extent = wards.bbox_where(|_| true);
        let mut from_polygons = BTreeMap::new();
        let mut disagreements = Vec::new();
        for lsoa in &lsoas.areas {
            if !ward_extent.is_some_and(|r| geo::Intersects::intersects(&r, &lsoa.bbox_in_world)) {
                continue;
            }
            let Some(point) = lsoa.interior_in_world else {
                continue;
            };
            let Some(ward) = wards.area_at(point) else { continue };
            match lookup.and_then(|l| l.by_lsoa.get(&lsoa.code)) {
                Some(listed) if listed.ward_code != ward.code => {
                    disagreements.push(format!("{} ({} vs polygon {})", lsoa.code, listed.ward_name, ward.name));
                }
                Some(_) => {}
                None => {
                    let la_code = ward.la_code.or(lsoa.la_code);
                    let assigned = WardOfLsoa {
                        ward_code: ward.code,
                        ward_name: ward.name.clone(),
                        la_code,
                        la_name: String::new(),
                    };
                    from_polygons.insert(lsoa.code, assigned);
                }
            }
        }
        if !from_polygons.is_empty() {
            report.push(
                Severity::Note,
                None,
                None,
                format!(
                    "{} {vintage}s have no row in a ward lookup; their ward was taken from the ward boundaries",
                    from_polygons.len()
                ),
            );
            dataset.wards_from_polygons.insert(vintage, from_polygons);
        }
        if !disagreements.is_empty() {
            // A warning: ward figures follow the lookup (as ONS and councils count them) while the map's ward outlines
            // show these LSOAs in the other ward, so a planner reading one against the other must know. The embedded
            // default ships this lookup and these outlines together, so there it is a known, explained note.
            let (severity, known) = if embedded {
                (
                    Severity::Note,
                    "the embedded Leeds lookup is ONS's best fit, as the council counts wards: ",
                )
            } else {
                (Severity::Warning, "")
            };
            report.push(
                severity,
                None,
                None,
                format!(
                    "{known}{} {vintage}s lie mostly in another ward than the ONS best-fit lookup gives: ward figures count them in the lookup's ward, while the map's ward outlines show them in the other; for example {}",
                    disagreements.len(),
                    disagreements.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
                ),
            );
        }
    }
}

/// Reports codes that do not join: boundaries without IMD rows (Welsh LSOAs counted apart), and the reverse.
fn report_joins(dataset: &Dataset, report: &mut JoinReport, embedded: bool) {
    for (vintage, layer) in &dataset.lsoa_layers {
        let Some(edition) = dataset.editions.values().rev().find(|e| e.vintage == *vintage) else {
            report.push(
                Severity::Warning,
                None,
                None,
                format!("{vintage} boundaries are loaded but no IMD edition on {vintage} is"),
            );
            continue;
        };
        let mut welsh = 0usize;
        let mut english_missing = Vec::new();
        for area in &layer.areas {
            if edition.rows.contains_key(&area.code) {
                continue;
            }
            if area.code.is_welsh() {
                welsh += 1;
            } else {
                english_missing.push(area.code.to_string());
            }
        }
        if welsh > 0 {
            report.push(Severity::Note, None, None, format!("{welsh} Welsh LSOAs (W01…) in the {vintage} boundaries have no IMD data: the English IMD covers England only; they are drawn as no data"));
        }
        if !english_missing.is_empty() {
            report.push(
                Severity::Warning,
                None,
                None,
                format!(
                    "{} {vintage}s in the boundaries have no row in IMD {}: {}",
                    english_missing.len(),
                    edition.year,
                    english_missing.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        let without_boundary = edition.rows.keys().filter(|code| layer.get(code).is_none()).count();
        if without_boundary > 0 {
            let (lsoas, year, covered) = (edition.rows.len(), edition.year, layer.areas.len());
            if embedded {
                // Expected: the embedded default carries Leeds boundaries beside the national tables.
                report.push(
                    Severity::Note,
                    None,
                    None,
                    format!("the embedded default carries Leeds boundaries only ({covered} {vintage}s): the other {without_boundary} of the {lsoas} LSOAs in IMD {year} have figures from the national tables but no map; open a data folder with the national boundaries to map other LAs"),
                );
            } else {
                report.push(
                    Severity::Warning,
                    None,
                    None,
                    format!("no national {vintage} boundaries: {without_boundary} of the {lsoas} LSOAs in IMD {year} have no boundary loaded (the boundary files cover {covered} areas), so IMD {year} can be mapped only where they are; add the ONS {vintage} boundaries for England to map the rest"),
                );
            }
        }
    }
    for (vintage, lookup) in &dataset.ward_lookups {
        let Some(edition) = dataset.editions.values().rev().find(|e| e.vintage == *vintage) else {
            continue;
        };
        let unknown: Vec<String> = lookup
            .by_lsoa
            .keys()
            .filter(|c| !c.is_welsh() && !edition.rows.contains_key(c))
            .map(|c| c.to_string())
            .collect();
        if !unknown.is_empty() {
            report.push(
                Severity::Warning,
                lookup.sources.first().cloned(),
                None,
                format!(
                    "{} LSOA codes in the ward lookup are not in IMD {}: {}",
                    unknown.len(),
                    edition.year,
                    unknown.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}
