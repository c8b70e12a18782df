//! Every form of the IMD tables reads to the same ranks: xlsx and CSV, Files 1 and 2, and the 2025 edition on 2021 LSOAs.

mod common;

use common::*;
use locality_map::io::{parse_imd_table, read_csv, read_workbook};
use locality_map::model::{JoinReport, LsoaVintage};

#[test]
fn imd_2015_xlsx_and_csv_give_identical_ranks() {
    let xlsx_path = shared_data().join("imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx");
    let sheets = read_workbook(&xlsx_path, &std::fs::read(&xlsx_path).unwrap()).unwrap();
    let sheet = sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some("IMD 2015"))
        .expect("the data sheet");
    let mut report = JoinReport::default();
    let from_xlsx = parse_imd_table(sheet, None, &mut report).unwrap();
    let csv_path = shared_data().join(FILE1_2015);
    let from_csv = parse_imd_table(
        &read_csv(&csv_path, &std::fs::read(&csv_path).unwrap()).unwrap(),
        None,
        &mut report,
    )
    .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((from_xlsx.year, from_csv.year), (2015, 2015));
    assert_eq!(from_xlsx.rows.len(), 32_844);
    assert_eq!(from_xlsx.rows, from_csv.rows, "every code, name, LA, rank and decile");
}

#[test]
fn imd_2019_file_2_domain_ranks_agree_with_file_1() {
    let dataset = shared_dataset();
    let edition = &dataset.editions[&2019];
    assert_eq!(edition.ranked_count(), 32_844);
    assert_eq!(edition.indices_present().len(), 8, "IMD and the seven domains");
    let raw = raw_rows("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv");
    for row in raw.iter().step_by(211) {
        let code = locality_map::model::AreaCode::parse(&row["LSOA code (2011)"]).unwrap();
        let ours = &edition.rows[&code];
        let crime = number(&row["Crime Rank (where 1 is most deprived)"]);
        assert_eq!(
            ours.rank(locality_map::model::Index::Crime).map(|r| r.get()),
            Some(crime),
            "{code}"
        );
    }
}

#[test]
fn imd_2025_ranks_33755_lsoas_on_2021_boundaries_and_leeds_has_488() {
    let dataset = shared_dataset();
    let edition = &dataset.editions[&2025];
    assert_eq!(edition.vintage, LsoaVintage::Lsoa2021);
    assert_eq!(edition.ranked_count(), 33_755);
    assert_eq!(edition.top1_threshold(), 337);
    let raw = raw_rows("imd2025/File_1_IoD2025_Index_of_Multiple_Deprivation.csv");
    let leeds: Vec<_> = raw
        .iter()
        .filter(|r| r["Local Authority District code (2024)"] == "E08000035")
        .collect();
    assert_eq!(leeds.len(), 488);
    let rank_col = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)";
    let expected_top1 = leeds.iter().filter(|r| number(&r[rank_col]) <= 337).count();
    let ours = edition
        .rows
        .values()
        .filter(|r| r.la_code.is_some_and(|c| c.as_str() == "E08000035"))
        .filter(|r| r.imd_rank().is_some_and(|rank| rank.get() <= edition.top1_threshold()))
        .count();
    assert_eq!(ours, expected_top1);
    assert_eq!(ours, 7, "PROVENANCE.md's independent count");
}
