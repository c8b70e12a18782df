//! Properties of loading that must hold for any extract or stray file (issue 15): any subset of an edition's rows
//! gives the same 1% membership for the rows kept, and adding a conflicting file never changes a result silently.

mod support;

use locality_map::analysis::{AreaFilter, EditionComparison};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{Dataset, Severity};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use support::*;

/// The embedded default written out once, and its 2019 File 2 text.
fn folder() -> &'static (PathBuf, String) {
    static FOLDER: OnceLock<(PathBuf, String)> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = embedded_copy("properties", |_, bytes| Some(bytes));
        let text = std::fs::read_to_string(dir.join(FILE2_2019)).unwrap();
        (dir, text)
    })
}

/// 1% membership in 2019 of every LSOA of England, from the whole file.
fn full_membership() -> &'static BTreeMap<String, bool> {
    static FULL: OnceLock<BTreeMap<String, bool>> = OnceLock::new();
    FULL.get_or_init(|| membership(&load(&folder().0)))
}

fn membership(dataset: &Dataset) -> BTreeMap<String, bool> {
    let comparison = EditionComparison::new(dataset, &AreaFilter::England, 2015, 2019).unwrap();
    comparison
        .rows
        .iter()
        .filter(|r| r.rank_to.is_some())
        .map(|r| (r.lsoa_code.to_string(), r.in_top1_to))
        .collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 12,
        max_shrink_iters: 16,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any subset of IMD 2019's rows (a council's extract, a region, a random sample) gives every row kept the
    /// same 1% membership as the national file does.
    #[test]
    fn any_subset_of_an_edition_keeps_the_1_percent_membership_of_its_rows(
        seed in any::<u64>(),
        keep_per_mille in 1u64..1000,
    ) {
        let (dir, text) = folder();
        let subset_dir = scratch(&format!("subset-{seed}"));
        let mut n = seed;
        let subset = keep_rows(text, |_| {
            n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (n >> 33) % 1000 < keep_per_mille
        });
        std::fs::write(subset_dir.join("extract_2019.csv"), &subset).unwrap();
        let files = vec![dir.join(FILE1_2015), subset_dir.join("extract_2019.csv")];
        let dataset = load_dataset(&DataSource::Files(files), &LoadOptions::default()).unwrap();
        let kept = membership(&dataset);
        prop_assert_eq!(kept.len(), subset.lines().count() - 1);
        let full = full_membership();
        for (code, in_top1) in &kept {
            prop_assert_eq!(Some(in_top1), full.get(code), "{}", code);
        }
        std::fs::remove_dir_all(&subset_dir).ok();
    }

    /// A second 2019 file — any name, any share of the Leeds rows, some ranks changed — never changes the Leeds
    /// answers, and whenever it contradicts the official file a conflict naming both is reported.
    #[test]
    fn a_conflicting_file_never_changes_a_result_silently(
        name in prop::sample::select(vec!["aaa_copy.csv", "zzz_copy.csv", "File_2_-_IoD2019_Domains_of_Deprivation (1).csv"]),
        seed in any::<u64>(),
        changed_per_mille in 0u64..300,
    ) {
        let (dir, text) = folder();
        let mut n = seed;
        let mut next = move || {
            n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            n >> 33
        };
        let mut changed = 0;
        let mut stray = String::new();
        for (i, line) in text.lines().enumerate() {
            if i > 0 && line.split(',').nth(2) != Some("E08000035") {
                continue;
            }
            if i > 0 && next() % 1000 < changed_per_mille {
                let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
                let rank: u32 = cells[4].parse().unwrap();
                cells[4] = (1 + (rank + 1 + (next() % 5000) as u32) % 32_844).to_string();
                changed += usize::from(cells[4] != rank.to_string());
                stray.push_str(&cells.join(","));
            } else {
                stray.push_str(line);
            }
            stray.push('\n');
        }
        let stray_dir = scratch(&format!("stray-{seed}"));
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            std::fs::copy(entry.path(), stray_dir.join(entry.file_name())).unwrap();
        }
        std::fs::write(stray_dir.join(name), stray).unwrap();
        let dataset = load(&stray_dir);
        let answers = leeds_answers(&dataset);
        let conflicts = problems_with(&dataset, Severity::Warning, &["disagree with", FILE2_2019, name]);
        prop_assert_eq!(answers, LEEDS, "the official file's figures are kept");
        prop_assert_eq!(conflicts.is_empty(), changed == 0, "changed {} ranks; conflicts {:?}", changed, conflicts);
        std::fs::remove_dir_all(&stray_dir).ok();
    }
}
