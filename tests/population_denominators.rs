//! IoD2019 File 6 (population denominators) as MHCLG publishes it: an `.xlsx` whose working-age column is in
//! quarter-persons for 24,643 of the 32,844 LSOAs (its note 3: a 0.75/0.25 weighting of mid-2015 and mid-2016
//! counts). Those fractions load without a warning and are kept exactly, through the processed-data cache too.

mod common;

use locality_map::io::cache::{CacheOutcome, CacheSettings, load_dataset_cached};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{AreaCode, Dataset, Persons, Population, Severity};
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// File 6's header row, as published.
const HEADER: [&str; 9] = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Total population: mid 2015 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "Population aged 16-59: mid 2015 (excluding prisoners)",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
];

/// Real rows of `File_6_-_IoD2019_Population_Denominators.xlsx` (MHCLG, gov.uk; the copy in the public repository
/// nani2357/Warrington_deprivation_index at commit 1b68f42a, `data/`, sha256 3f0b4967…a0): total, children 0-15,
/// 16-59, 60+, working age. Five of the seven have a fractional working-age population, as published.
const ROWS: [(&str, &str, &str, &str, [f64; 5]); 7] = [
    (
        "E01000001",
        "City of London 001A",
        "E09000001",
        "City of London",
        [1296.0, 175.0, 656.0, 465.0, 715.0],
    ),
    (
        "E01000002",
        "City of London 001B",
        "E09000001",
        "City of London",
        [1156.0, 182.0, 580.0, 394.0, 619.75],
    ),
    (
        "E01000006",
        "Barking and Dagenham 016A",
        "E09000002",
        "Barking and Dagenham",
        [2040.0, 522.0, 1297.0, 221.0, 1284.5],
    ),
    (
        "E01000008",
        "Barking and Dagenham 015B",
        "E09000002",
        "Barking and Dagenham",
        [1566.0, 534.0, 961.0, 71.0, 939.5],
    ),
    (
        "E01011611",
        "Leeds 068D",
        "E08000035",
        "Leeds",
        [1389.0, 286.0, 806.0, 297.0, 805.75],
    ),
    (
        "E01023142",
        "Rushmoor 008B",
        "E07000092",
        "Rushmoor",
        [2124.0, 454.0, 1386.0, 284.0, 1389.75],
    ),
    (
        "E01033768",
        "Liverpool 037F",
        "E08000012",
        "Liverpool",
        [1281.0, 91.0, 1066.0, 124.0, 1077.0],
    ),
];

/// Writes the workbook as MHCLG ships it: a notes sheet first, then the data sheet, numbers as numbers.
fn write_file6(path: &Path) {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet().set_name("Terms & Conditions").unwrap();
    notes
        .write_string(
            0,
            0,
            "Mid-2015 Population At Risk Estimates for Lower Layer Super Output Areas in England",
        )
        .unwrap();
    let data = workbook.add_worksheet().set_name("Population Denominators").unwrap();
    for (col, header) in HEADER.iter().enumerate() {
        data.write_string(0, col as u16, *header).unwrap();
    }
    for (i, (code, name, la, la_name, people)) in ROWS.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, text) in [code, name, la, la_name].into_iter().enumerate() {
            data.write_string(row, col as u16, *text).unwrap();
        }
        for (col, value) in people.iter().enumerate() {
            data.write_number(row, 4 + col as u16, *value).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

fn population(dataset: &Dataset, code: &str) -> Population {
    let code = AreaCode::parse(code).unwrap();
    dataset.edition(2019).unwrap().rows[&code].population.unwrap()
}

fn check_as_published(dataset: &Dataset) {
    assert_eq!(dataset.edition(2019).unwrap().rows.len(), ROWS.len());
    for (code, _, _, _, people) in ROWS {
        let got = population(dataset, code);
        let fields = [
            got.total,
            got.children_0_15,
            got.aged_16_59,
            got.aged_60_plus,
            got.working_age,
        ];
        for (field, want) in fields.into_iter().zip(people) {
            assert_eq!(field.map(Persons::get), Some(want), "{code}");
        }
    }
    let leeds = population(dataset, "E01011611");
    assert_eq!(leeds.working_age.unwrap().to_string(), "805.75");
    assert_eq!(leeds.total.unwrap().to_string(), "1389", "a whole column stays whole");
}

#[test]
fn file6_xlsx_as_published_keeps_quarter_persons_without_warnings() {
    let folder = common::scratch_for_this_process("file6-xlsx");
    std::fs::create_dir_all(&folder).unwrap();
    write_file6(&folder.join("File_6_-_IoD2019_Population_Denominators.xlsx"));
    let source = DataSource::Folder(folder.clone());
    let options = LoadOptions {
        boundaries: false,
        ..LoadOptions::default()
    };
    let dataset = load_dataset(&source, &options).unwrap();
    let warnings: Vec<_> = dataset
        .report
        .problems
        .iter()
        .filter(|p| p.severity >= Severity::Warning)
        // File 6 alone holds no ranks, which the load rightly says once; every cell of it must read cleanly.
        .filter(|p| !p.message.contains("has no IMD ranks loaded"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    check_as_published(&dataset);

    // Through the processed-data cache: saved, then read back with the same fractions.
    let cache = common::scratch_for_this_process("file6-xlsx-cache");
    let settings = CacheSettings {
        folder: Some(cache.clone()),
    };
    let (_, first) = load_dataset_cached(&source, &options, &settings).unwrap();
    assert!(matches!(first, CacheOutcome::Saved(_)), "{first:?}");
    let (cached, again) = load_dataset_cached(&source, &options, &settings).unwrap();
    assert!(again.is_hit(), "{again:?}");
    check_as_published(&cached);
    assert_eq!(cached.editions, dataset.editions);
    std::fs::remove_dir_all(&folder).ok();
    std::fs::remove_dir_all(&cache).ok();
}
