//! The real City of London police.uk months as the indicator tests use them: a data folder of the months, File 6 and
//! both lookups (links into the shared data), the raw rows counted independently of the library's reader, and File
//! 6's populations read with the csv crate.

use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::Dataset;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The police months with File 6, File 1, both lookups and the national 2011 LSOA boundaries, as the indicator
/// window tests load them (once per test binary).
pub fn window_dataset(data: &Path) -> Arc<Dataset> {
    static DATA: OnceLock<Arc<Dataset>> = OnceLock::new();
    DATA.get_or_init(|| {
        let files = vec![
            data.join("indicators/police_uk_city_of_london"),
            data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv"),
            data.join("imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"),
            data.join("lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv"),
            data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv"),
            data.join("boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson"),
        ];
        let options = LoadOptions {
            boundaries: true,
            edition_hint: Some(2019),
            ..LoadOptions::default()
        };
        Arc::new(load_dataset(&DataSource::Files(files), &options).expect("loads"))
    })
    .clone()
}

/// A data folder of the police months, File 6 and both lookups (links into the shared data).
pub fn police_folder(data: &Path, dir: &Path) -> PathBuf {
    let folder = dir.join("data");
    std::fs::create_dir_all(&folder).unwrap();
    for (from, to) in [
        ("indicators/police_uk_city_of_london", "police"),
        (
            "imd2019/File_6_-_IoD2019_Population_Denominators.csv",
            "File_6_-_IoD2019_Population_Denominators.csv",
        ),
        (
            "lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv",
            "lookup_lsoa11_lsoa21_ltla22_geographr.csv",
        ),
        (
            "lookups/lookup_lsoa21_ward24_ltla24_geographr.csv",
            "lookup_lsoa21_ward24_ltla24_geographr.csv",
        ),
    ] {
        let link = folder.join(to);
        if !link.exists() {
            std::os::unix::fs::symlink(data.join(from), link).unwrap();
        }
    }
    folder
}

/// Rows per (LSOA, month) from the raw police CSVs: each month's later download (fewer "Under investigation")
/// whole, rows of an earlier download whose Crime ID the later lacks; rows without a Crime ID from the later only.
pub fn raw_counts(folder: &Path) -> BTreeMap<(String, String), u64> {
    type Rows = Vec<(String, String, String)>;
    let mut by_month: BTreeMap<String, Vec<(usize, Rows)>> = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (id, month, lsoa, outcome) = (
            col("Crime ID"),
            col("Month"),
            col("LSOA code"),
            col("Last outcome category"),
        );
        let mut pending = 0;
        let rows: Rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                pending += usize::from(&r[outcome] == "Under investigation");
                (r[id].to_string(), r[month].to_string(), r[lsoa].to_string())
            })
            .collect();
        let m = rows.first().map(|r| r.1.clone()).unwrap_or_default();
        by_month.entry(m).or_default().push((pending, rows));
    }
    let mut counts = BTreeMap::new();
    for (_, mut downloads) in by_month {
        downloads.sort_by_key(|d| d.0);
        let mut seen = BTreeSet::new();
        for (i, (_, rows)) in downloads.iter().enumerate() {
            for (id, month, lsoa) in rows {
                if if id.is_empty() { i == 0 } else { !seen.contains(id) } {
                    *counts.entry((lsoa.clone(), month.clone())).or_default() += 1;
                }
            }
            seen.extend(rows.iter().map(|r| r.0.clone()));
        }
    }
    counts
}

/// File 6's total population (mid-2015, excluding prisoners) per 2011 LSOA, read here with the csv crate.
pub fn file6_populations(data: &Path) -> BTreeMap<String, f64> {
    let path = data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv");
    let rows = super::rows_of_csv(&std::fs::read(path).unwrap());
    rows.iter()
        .map(|r| {
            let population = r["Total population: mid 2015 (excluding prisoners)"].replace(',', "");
            (r["LSOA code (2011)"].clone(), population.parse().unwrap())
        })
        .collect()
}

/// The 2011 to 2021 LSOA lookup's change code (U, S, M, X) per 2021 LSOA.
pub fn change_codes(data: &Path) -> BTreeMap<String, String> {
    let path = data.join("lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv");
    let rows = super::rows_of_csv(&std::fs::read(path).unwrap());
    rows.iter()
        .map(|r| (r["lsoa21_code"].clone(), r["change_code"].clone()))
        .collect()
}
