//! Every form of the IMD tables reads to the same ranks: xlsx and CSV, Files 1 and 2, and the 2025 edition on 2021 LSOAs.

mod common;

use common::*;
use locality_map::io::{parse_imd_table, read_csv, read_workbook};
use locality_map::model::{Index, JoinReport, LsoaVintage};

#[test]
fn imd_2015_xlsx_and_csv_give_identical_ranks() {
    let Some(data) = national_data("imd_2015_xlsx_and_csv_give_identical_ranks") else {
        return;
    };
    let xlsx_path = data.join("imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx");
    let sheets = read_workbook(&xlsx_path, &std::fs::read(&xlsx_path).unwrap()).unwrap();
    let sheet = sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some("IMD 2015"))
        .expect("the data sheet");
    let mut report = JoinReport::default();
    let from_xlsx = parse_imd_table(sheet, None, &mut report).unwrap();
    let csv_path = data.join(FILE1_2015);
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
    let Some(dataset) = national_dataset("imd_2019_file_2_domain_ranks_agree_with_file_1") else {
        return;
    };
    let edition = &dataset.editions[&2019];
    assert_eq!(edition.ranked_count(), 32_844);
    // The IMD and the seven domains are all there (File 1 and File 2); the supplementary indices (IDACI and IDAOPI,
    // from File 3) may be there too, and are checked below when they are.
    let present = edition.indices_present();
    for index in &Index::ALL[..8] {
        assert!(present.contains(index), "{index:?} missing: {present:?}");
    }
    let file1: std::collections::HashMap<String, u32> = raw_rows(FILE1_2019)
        .into_iter()
        .map(|r| (r["LSOA code (2011)"].clone(), number(&r[RANK_2019])))
        .collect();
    let raw = raw_rows("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv");
    let domains = [
        (Index::Income, "Income Rank (where 1 is most deprived)"),
        (Index::Employment, "Employment Rank (where 1 is most deprived)"),
        (
            Index::Education,
            "Education, Skills and Training Rank (where 1 is most deprived)",
        ),
        (
            Index::Health,
            "Health Deprivation and Disability Rank (where 1 is most deprived)",
        ),
        (Index::Crime, "Crime Rank (where 1 is most deprived)"),
        (
            Index::Housing,
            "Barriers to Housing and Services Rank (where 1 is most deprived)",
        ),
        (
            Index::LivingEnvironment,
            "Living Environment Rank (where 1 is most deprived)",
        ),
    ];
    for row in raw.iter().step_by(211) {
        let code_text = &row["LSOA code (2011)"];
        let code = locality_map::model::AreaCode::parse(code_text).unwrap();
        let ours = &edition.rows[&code];
        // File 2's IMD rank is File 1's, and that is what we hold.
        assert_eq!(
            number(&row["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]),
            file1[code_text.as_str()],
            "{code}: File 2 and File 1 disagree"
        );
        assert_eq!(
            ours.imd_rank().map(|r| r.get()),
            Some(file1[code_text.as_str()]),
            "{code}"
        );
        for (index, column) in domains {
            assert_eq!(
                ours.rank(index).map(|r| r.get()),
                Some(number(&row[column])),
                "{code} {index:?}"
            );
        }
    }
    for index in [Index::Idaci, Index::Idaopi] {
        if present.contains(&index) {
            assert_eq!(
                edition.rows.values().filter(|r| r.rank(index).is_some()).count(),
                32_844,
                "{index:?}: every LSOA ranked when the supplementary indices are loaded"
            );
        }
    }
}

#[test]
fn imd_2025_ranks_33755_lsoas_on_2021_boundaries_and_leeds_has_488() {
    // The embedded default carries the national 2025 File 1.
    let dataset = embedded_dataset();
    let edition = &dataset.editions[&2025];
    assert_eq!(edition.vintage, LsoaVintage::Lsoa2021);
    assert_eq!(edition.ranked_count(), 33_755);
    assert_eq!(edition.top1_threshold(), 337);
    let raw = embedded_rows("File_1_IoD2025_Index_of_Multiple_Deprivation.csv");
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
