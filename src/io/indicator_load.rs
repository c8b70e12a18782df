//! Turns the indicator files of a load into `Indicator`s: police.uk months de-duplicated by Crime ID (the later
//! download kept, and said so) and split by crime type; tidy and wide tables merged by name and geography.

use super::indicator_table::{IndicatorTable, is_tidy_table, is_wide_table, parse_tidy_table, parse_wide_table};
use super::police_uk::{PoliceFile, PoliceRow, is_police_table, parse_police_table};
use super::{Catalogue, LoadError, RawTable};
use crate::model::{
    AreaCode, AreaLevel, CrimePoint, Dataset, Indicator, IndicatorArea, IndicatorSet, IndicatorUnit, JoinReport,
    LsoaVintage, Period, Severity, slug,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

/// The name of the all-crime indicator; each crime type is `crime-<type>` (e.g. `crime-burglary`).
pub const ALL_CRIME: &str = "crime";

/// An indicator file as read, with its catalogue attribution.
#[derive(Clone, Debug)]
pub enum IndicatorFile {
    /// A police.uk street-level month.
    Police(PoliceFile, Option<String>),
    /// A tidy or wide table.
    Table(IndicatorTable, Option<String>),
}

/// Reads a table as an indicator file, if its headers make it one (police.uk first, then tidy, then wide).
pub fn parse_indicator_table(table: &RawTable, report: &mut JoinReport) -> Option<Result<IndicatorFile, LoadError>> {
    let attribution = || {
        Catalogue::shipped()
            .ok()
            .and_then(|c| c.indicator_source_for(&table.headers).map(|s| s.attribution.clone()))
    };
    if is_police_table(table) {
        Some(parse_police_table(table, report).map(|f| IndicatorFile::Police(f, attribution())))
    } else if is_tidy_table(table) {
        Some(parse_tidy_table(table, report).map(|t| IndicatorFile::Table(t, attribution())))
    } else if is_wide_table(table) {
        Some(parse_wide_table(table, report).map(|t| IndicatorFile::Table(t, attribution())))
    } else {
        None
    }
}

/// Builds the dataset's indicators from the files read. Needs the lookups merged first (to tell 2011 from 2021 LSOA codes).
pub fn merge_indicators(dataset: &mut Dataset, files: Vec<(PathBuf, IndicatorFile)>, report: &mut JoinReport) {
    let mut police = Vec::new();
    let mut tables = Vec::new();
    for (path, file) in files {
        match file {
            IndicatorFile::Police(f, a) => police.push((path, f, a)),
            IndicatorFile::Table(t, a) => tables.push((t, a)),
        }
    }
    let mut set = IndicatorSet::default();
    if !police.is_empty() {
        merge_police(dataset, &mut set, police, report);
    }
    merge_tables(&mut set, tables, report);
    dataset.indicators = set;
}

/// The order in which downloads of one month supersede each other: a download with fewer rows "Under
/// investigation" is later (police.uk only ever moves an outcome on from it); equal ones go by path.
fn download_order(files: &mut [(PathBuf, PoliceFile, Option<String>)]) {
    files.sort_by(|(pa, a, _), (pb, b, _)| {
        let share = |f: &PoliceFile| f.under_investigation as f64 / f.rows.len().max(1) as f64;
        share(b).total_cmp(&share(a)).then(pa.cmp(pb))
    });
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn merge_police(
    dataset: &Dataset,
    set: &mut IndicatorSet,
    mut files: Vec<(PathBuf, PoliceFile, Option<String>)>,
    report: &mut JoinReport,
) {
    download_order(&mut files);
    // The latest download of each month and force (rows without a Crime ID are taken from it alone).
    let mut latest_of_month: BTreeMap<(Period, String), usize> = BTreeMap::new();
    let mut downloads_of_month: BTreeMap<(Period, String), Vec<usize>> = BTreeMap::new();
    for (i, (_, file, _)) in files.iter().enumerate() {
        let forces: BTreeSet<&str> = file.rows.iter().map(|r| r.falls_within.as_str()).collect();
        for month in file.months.keys() {
            for force in &forces {
                latest_of_month.insert((*month, force.to_string()), i);
                downloads_of_month
                    .entry((*month, force.to_string()))
                    .or_default()
                    .push(i);
            }
        }
    }
    // The Crime IDs of each file. police.uk lists some IDs on several rows of one download (one crime recorded in
    // several places); those rows are all counted, as published. Across downloads of a month, an ID that a later
    // download has is counted from the later one only.
    let ids_in_file: Vec<HashSet<&str>> = files
        .iter()
        .map(|(_, f, _)| f.rows.iter().filter_map(|r| r.crime_id.as_deref()).collect())
        .collect();
    let mut kept: Vec<&PoliceRow> = Vec::new();
    let mut superseded = vec![0usize; files.len()];
    let mut without_id_dropped = vec![0usize; files.len()];
    for (i, (_, file, _)) in files.iter().enumerate() {
        for row in &file.rows {
            match &row.crime_id {
                Some(id) => {
                    let later_has_it = downloads_of_month
                        .get(&(row.month, row.falls_within.clone()))
                        .is_some_and(|d| {
                            d.iter()
                                .filter(|j| **j > i)
                                .any(|j| ids_in_file.get(*j).is_some_and(|s| s.contains(id.as_str())))
                        });
                    if later_has_it {
                        superseded[i] += 1;
                    } else {
                        kept.push(row);
                    }
                }
                None => {
                    if latest_of_month.get(&(row.month, row.falls_within.clone())) == Some(&i) {
                        kept.push(row);
                    } else {
                        without_id_dropped[i] += 1;
                    }
                }
            }
        }
    }
    let mut notes = Vec::new();
    for ((month, force), downloads) in &downloads_of_month {
        if downloads.len() < 2 {
            continue;
        }
        let Some(latest) = latest_of_month.get(&(*month, force.clone())) else {
            continue;
        };
        let Some((latest_path, latest_file, _)) = files.get(*latest) else {
            continue;
        };
        for earlier in downloads.iter().filter(|d| *d != latest) {
            let Some((path, file, _)) = files.get(*earlier) else {
                continue;
            };
            let note = format!(
                "{month} ({force}) was downloaded more than once: {} and {}. A Crime ID in both is counted once, from the later download {} \
                 ({} of its rows \"Under investigation\" against {}; police.uk updates outcomes after publication); \
                 {} rows of the earlier download were superseded by the same Crime ID, and its {} rows without a Crime ID \
                 (anti-social behaviour) were not counted again",
                file_name(path),
                file_name(latest_path),
                file_name(latest_path),
                latest_file.under_investigation,
                file.under_investigation,
                superseded.get(*earlier).copied().unwrap_or(0),
                without_id_dropped.get(*earlier).copied().unwrap_or(0),
            );
            report.push(Severity::Note, Some(path.clone()), None, note.clone());
            notes.push(note);
        }
    }

    // 2021 codes when any code is a 2021 LSOA that is not also a 2011 one (police.uk moved to 2021 LSOAs in 2023), 2011
    // when any is a 2011-only code, else 2021.
    let vintage = police_vintage(dataset, kept.iter().filter_map(|r| r.lsoa.as_ref().map(|(c, _)| *c)));
    let months: Vec<Period> = files
        .iter()
        .flat_map(|(_, f, _)| f.months.keys().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut areas: BTreeMap<AreaCode, IndicatorArea> = BTreeMap::new();
    let mut types: BTreeSet<&str> = BTreeSet::new();
    for row in &kept {
        types.insert(row.crime_type.as_str());
        if let Some((code, name)) = &row.lsoa {
            areas.entry(*code).or_insert_with(|| IndicatorArea {
                code: *code,
                name: name.clone(),
                la_code: None,
                la_name: String::new(),
            });
        }
    }
    set.crime_types = types.iter().map(|t| t.to_string()).collect();
    let area_list: Vec<IndicatorArea> = areas.into_values().collect();
    let sources: Vec<PathBuf> = {
        let mut s: Vec<PathBuf> = files.iter().map(|(p, _, _)| p.clone()).collect();
        s.sort();
        s
    };
    let attribution = files.iter().find_map(|(_, _, a)| a.clone());
    let skipped_total: usize = files.iter().map(|(_, f, _)| f.skipped.total()).sum();
    let rows_read: usize = files.iter().map(|(_, f, _)| f.rows.len() + f.skipped.total()).sum();
    let mut build = |name: String, title: String, wanted: Option<&str>| {
        let mut indicator = Indicator::new(
            &name,
            &title,
            IndicatorUnit::Count,
            AreaLevel::Lsoa(vintage),
            months.clone(),
            area_list.clone(),
        );
        for a in 0..area_list.len() {
            for p in 0..months.len() {
                indicator.set(a, p, 0.0);
            }
        }
        for row in kept.iter().filter(|r| wanted.is_none_or(|t| r.crime_type == t)) {
            let Some(p) = indicator.period_index(row.month) else {
                continue;
            };
            match row.lsoa.as_ref().and_then(|(c, _)| indicator.area_index(c)) {
                Some(a) => {
                    let now = indicator.value(a, p).unwrap_or(0.0);
                    indicator.set(a, p, now + 1.0);
                }
                None => *indicator.without_area.entry(row.month).or_default() += 1,
            }
        }
        indicator.sources = sources.clone();
        indicator.attribution = attribution.clone();
        indicator.rows_read = rows_read;
        for (_, f, _) in &files {
            for (why, n) in &f.skipped.by_reason {
                *indicator.skipped.by_reason.entry(why.clone()).or_default() += n;
            }
        }
        indicator.notes = notes.clone();
        if !indicator.without_area.is_empty() {
            let listed: Vec<String> = indicator
                .without_area
                .iter()
                .map(|(m, n)| format!("{m}: {n}"))
                .collect();
            indicator.notes.push(format!(
                "rows with no LSOA or location are counted in the totals but on no area, by month: {}",
                listed.join(", ")
            ));
        }
        set.by_name.insert(name, indicator);
    };
    build(
        ALL_CRIME.to_string(),
        "All crime and anti-social behaviour (police.uk street-level)".into(),
        None,
    );
    for crime_type in types.iter().copied() {
        build(
            format!("{ALL_CRIME}-{}", slug(crime_type)),
            format!("{crime_type} (police.uk street-level)"),
            Some(crime_type),
        );
    }
    let type_index: BTreeMap<&str, u16> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, u16::try_from(i).unwrap_or(u16::MAX)))
        .collect();
    set.crime_points = kept
        .iter()
        .filter_map(|r| {
            Some(CrimePoint {
                month: r.month,
                crime_type: type_index.get(r.crime_type.as_str()).copied()?,
                point_in_world: r.point_in_world?,
                lsoa: r.lsoa.as_ref().map(|(c, _)| *c),
            })
        })
        .collect();
    if let Some(all) = set.by_name.get(ALL_CRIME) {
        let unplaced: u64 = all.without_area.values().sum();
        report.push(
            Severity::Note,
            None,
            None,
            format!(
                "police.uk: {} rows kept from {} files ({} months, {} LSOAs, {}); {unplaced} rows have no LSOA and are reported by month; {skipped_total} rows skipped",
                kept.len(),
                files.len(),
                months.len(),
                all.areas.len(),
                vintage
            ),
        );
    }
}

fn police_vintage(dataset: &Dataset, codes: impl Iterator<Item = AreaCode>) -> LsoaVintage {
    let Some(lookup) = &dataset.change_lookup else {
        return LsoaVintage::Lsoa2021;
    };
    let codes: BTreeSet<AreaCode> = codes.collect();
    let old: BTreeSet<AreaCode> = lookup.rows.iter().map(|r| r.lsoa11).collect();
    let new: BTreeSet<AreaCode> = lookup.rows.iter().map(|r| r.lsoa21).collect();
    let only_new = codes.iter().filter(|c| new.contains(c) && !old.contains(c)).count();
    let only_old = codes.iter().filter(|c| old.contains(c) && !new.contains(c)).count();
    if only_old > only_new {
        LsoaVintage::Lsoa2011
    } else {
        LsoaVintage::Lsoa2021
    }
}

fn merge_tables(set: &mut IndicatorSet, tables: Vec<(IndicatorTable, Option<String>)>, report: &mut JoinReport) {
    // Same name at several levels: each gets its level as a suffix, so every name is one geography.
    let mut levels_of: BTreeMap<String, BTreeSet<AreaLevel>> = BTreeMap::new();
    for (table, _) in &tables {
        for series in &table.series {
            levels_of.entry(series.name.clone()).or_default().insert(table.level);
        }
    }
    let suffix = |level: AreaLevel| match level {
        AreaLevel::Lsoa(_) => "lsoa",
        AreaLevel::Ward(_) => "ward",
        AreaLevel::La => "la",
    };
    struct Pending {
        title: String,
        unit: IndicatorUnit,
        level: AreaLevel,
        areas: BTreeMap<AreaCode, IndicatorArea>,
        values: BTreeMap<(AreaCode, Period), f64>,
        sources: Vec<PathBuf>,
        attribution: Option<String>,
        rows_read: usize,
        skipped: crate::model::SkippedRows,
    }
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    for (table, attribution) in tables {
        for series in table.series {
            let name = if levels_of.get(&series.name).is_some_and(|l| l.len() > 1) {
                format!("{}-{}", series.name, suffix(table.level))
            } else {
                series.name.clone()
            };
            if set.by_name.contains_key(&name) {
                report.push(
                    Severity::Warning,
                    Some(table.path.clone()),
                    None,
                    format!("indicator {name:?} is already loaded from police.uk files; this table's is not used"),
                );
                continue;
            }
            let entry = pending.entry(name).or_insert_with(|| Pending {
                title: series.title.clone(),
                unit: series.unit,
                level: table.level,
                areas: BTreeMap::new(),
                values: BTreeMap::new(),
                sources: Vec::new(),
                attribution: attribution.clone(),
                rows_read: 0,
                skipped: Default::default(),
            });
            let mut repeated = 0usize;
            for (key, value) in series.values {
                match entry.values.entry(key) {
                    std::collections::btree_map::Entry::Occupied(_) => repeated += 1,
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                }
            }
            if repeated > 0 {
                report.push(
                    Severity::Warning,
                    Some(table.path.clone()),
                    None,
                    format!(
                        "{repeated} values of {} repeat an area and period of an earlier file; kept the earlier file's",
                        series.title
                    ),
                );
            }
            for (code, area) in &table.areas {
                entry.areas.entry(*code).or_insert_with(|| area.clone());
            }
            if !entry.sources.contains(&table.path) {
                entry.sources.push(table.path.clone());
                entry.rows_read += table.rows_read;
                for (why, n) in &table.skipped.by_reason {
                    *entry.skipped.by_reason.entry(why.clone()).or_default() += n;
                }
            }
        }
    }
    for (name, p) in pending {
        let periods: Vec<Period> = p
            .values
            .keys()
            .map(|(_, period)| *period)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let used: BTreeSet<AreaCode> = p.values.keys().map(|(c, _)| *c).collect();
        let areas: Vec<IndicatorArea> = p.areas.into_values().filter(|a| used.contains(&a.code)).collect();
        let mut indicator = Indicator::new(&name, &p.title, p.unit, p.level, periods, areas);
        for ((code, period), value) in p.values {
            if let (Some(a), Some(t)) = (indicator.area_index(&code), indicator.period_index(period)) {
                indicator.set(a, t, value);
            }
        }
        indicator.sources = p.sources;
        indicator.attribution = p.attribution;
        indicator.rows_read = p.rows_read;
        indicator.skipped = p.skipped;
        set.by_name.insert(name, indicator);
    }
}
