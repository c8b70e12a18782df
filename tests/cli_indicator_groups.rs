//! `indicator --level group` and `trend --level group` on the real City of London police months: each group's counts
//! summed over its LSOAs and its rate re-derived from their summed File 6 populations, all recomputed here from the
//! raw CSVs; the project's named selections as groups; unknown ward names the named error, the rest still summed.

mod common;

use common::police::{change_codes, file6_populations, police_folder, raw_counts};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn locality_map(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .env("LOCALITY_MAP_CACHE", "off")
        .env_remove("LOCALITY_MAP_DATA")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One CSV row of `indicator`.
#[derive(Debug, PartialEq)]
struct Row {
    group: String,
    period: String,
    count: f64,
    rate: f64,
    population: f64,
}

fn rows(csv: &str) -> Vec<Row> {
    common::rows_of_csv(csv.as_bytes())
        .iter()
        .map(|r| {
            assert_eq!(r["area_code"], r["area_name"], "a group is labelled by its name");
            Row {
                group: r["area_code"].clone(),
                period: r["period"].clone(),
                count: r["count"].parse().unwrap(),
                rate: r["rate_per_1000"].parse().unwrap(),
                population: r["population"].parse().unwrap(),
            }
        })
        .collect()
}

/// The police data folder with the test's scratch folder, and the raw counts per (LSOA, month).
struct Police {
    data: PathBuf,
    dir: PathBuf,
    folder: PathBuf,
    raw: BTreeMap<(String, String), u64>,
}

fn police(test: &str) -> Option<Police> {
    let data = common::national_data(test)?;
    let dir = common::scratch_for_this_process(&format!("lm-{test}"));
    let folder = police_folder(&data, &dir);
    let raw = raw_counts(&data.join("indicators/police_uk_city_of_london"));
    Some(Police { data, dir, folder, raw })
}

/// Six police LSOAs unchanged since 2011 (their population is File 6's own), busiest first, with their populations.
fn unchanged_lsoas(police: &Police) -> Vec<(String, f64)> {
    let populations = file6_populations(&police.data);
    let changes = change_codes(&police.data);
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for ((lsoa, _), n) in &police.raw {
        *totals.entry(lsoa.as_str()).or_default() += n;
    }
    let mut busiest: Vec<(&str, u64)> = totals
        .into_iter()
        .filter(|(c, _)| changes.get(*c).map(String::as_str) == Some("U") && populations.contains_key(*c))
        .collect();
    busiest.sort_by_key(|(c, n)| (std::cmp::Reverse(*n), c.to_string()));
    busiest
        .into_iter()
        .take(6)
        .map(|(c, _)| (c.to_string(), populations[c]))
        .collect()
}

#[test]
fn a_groups_rate_is_its_summed_counts_over_its_summed_population() {
    let Some(police) = police("cli_indicator_groups_rate") else {
        return;
    };
    let lsoas = unchanged_lsoas(&police);
    let (east, west) = lsoas.split_at(3);
    let mut file = String::from("lsoa_code,group\n");
    for (group, members) in [("East", east), ("West", west)] {
        for (code, _) in members {
            file.push_str(&format!("{code},{group}\n"));
        }
    }
    let groups = police.dir.join("groups.csv");
    std::fs::write(&groups, file).unwrap();
    let folder = police.folder.to_str().unwrap();
    let args = ["--data", folder, "indicator", "crime", "--level", "group", "--csv"];
    let out = locality_map(&[&args[..], &["--groups", groups.to_str().unwrap()]].concat());
    let table = rows(&ok(&out));
    let months: BTreeSet<&str> = police.raw.keys().map(|(_, m)| m.as_str()).collect();
    assert_eq!(table.len(), 2 * months.len(), "one row per group and month");
    for (group, members) in [("East", east), ("West", west)] {
        let population: f64 = members.iter().map(|(_, p)| p).sum();
        let mut total = 0.0;
        for row in table.iter().filter(|r| r.group == group) {
            let count: u64 = members
                .iter()
                .map(|(c, _)| police.raw.get(&(c.clone(), row.period.clone())).copied().unwrap_or(0))
                .sum();
            assert_eq!(row.count, count as f64, "{group} {}", row.period);
            assert_eq!(row.population, population, "{group}");
            assert!((row.rate - count as f64 / population * 1_000.0).abs() < 1e-4, "{row:?}");
            total += row.count;
        }
        // Over the 24 months: the group's rate from the sums, not the mean of its members' rates.
        let rate = total / population * 1_000.0;
        let member_rates: Vec<f64> = members
            .iter()
            .map(|(c, p)| {
                let n: u64 = police.raw.iter().filter(|((l, _), _)| l == c).map(|(_, n)| n).sum();
                n as f64 / p * 1_000.0
            })
            .collect();
        let mean = member_rates.iter().sum::<f64>() / member_rates.len() as f64;
        assert!(
            (rate - mean).abs() > 0.5,
            "{group}: rate {rate} vs mean of member rates {mean}"
        );
    }
    // The same LSOAs as a project's named selections give the same figures.
    let project = police.dir.join("plan.lmap");
    let named: BTreeMap<&str, Vec<&str>> = [("East", east), ("West", west)]
        .into_iter()
        .map(|(g, m)| (g, m.iter().map(|(c, _)| c.as_str()).collect()))
        .collect();
    let text = serde_json::json!({
        "format": "locality-map-project",
        "version": 1,
        "la": "City of London",
        "from": 2015,
        "to": 2019,
        "named_selections": named,
    });
    std::fs::write(&project, text.to_string()).unwrap();
    let from_project = locality_map(&[&["--project", project.to_str().unwrap()], &args[..]].concat());
    assert_eq!(rows(&ok(&from_project)), table);
    // --from/--to keep the months asked for.
    let last_year = [
        &args[..],
        &[
            "--groups",
            groups.to_str().unwrap(),
            "--from",
            "2024-05",
            "--to",
            "2025-04",
        ],
    ]
    .concat();
    let clipped = rows(&ok(&locality_map(&last_year)));
    assert_eq!(clipped.len(), 24);
    assert!(
        clipped
            .iter()
            .all(|r| ("2024-05".."2025-05").contains(&r.period.as_str()))
    );
    // The trend of a group charts the same months.
    let csv = police.dir.join("east.csv");
    ok(&locality_map(&[
        "--data",
        folder,
        "trend",
        "crime",
        "--level",
        "group",
        "--groups",
        groups.to_str().unwrap(),
        "--area",
        "east",
        "--csv",
        csv.to_str().unwrap(),
    ]));
    let charted = common::rows_of_csv(&std::fs::read(&csv).unwrap());
    let east_rows: Vec<&Row> = table.iter().filter(|r| r.group == "East").collect();
    assert_eq!(charted.len(), east_rows.len());
    for (chart, row) in charted.iter().zip(east_rows) {
        assert_eq!(chart["period"], row.period);
        assert_eq!(chart["count"].parse::<f64>().unwrap(), row.count);
    }
    std::fs::remove_dir_all(&police.dir).ok();
}

/// The 2021 LSOAs of each City of London ward (2024 wards), from the ONS lookup read here.
fn city_wards(data: &Path) -> BTreeMap<String, Vec<String>> {
    let rows =
        common::rows_of_csv(&std::fs::read(data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv")).unwrap());
    let mut wards: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["ltla24_name"] == "City of London") {
        wards
            .entry(r["ward24_name"].clone())
            .or_default()
            .push(r["lsoa21_code"].clone());
    }
    wards
}

#[test]
fn unknown_ward_names_are_the_named_error_and_the_other_groups_are_still_summed() {
    let Some(police) = police("cli_indicator_groups_unknown") else {
        return;
    };
    let wards = city_wards(&police.data);
    let (ward, lsoas) = wards.iter().next().expect("City wards in the lookup");
    let groups = police.dir.join("wards.csv");
    std::fs::write(
        &groups,
        format!(
            "ward_name,group\n{},Core\nNowhere Ward,Core\nFarringdon Witout,Edge\n",
            ward.to_uppercase()
        ),
    )
    .unwrap();
    let out = locality_map(&[
        "--data",
        police.folder.to_str().unwrap(),
        "indicator",
        "crime",
        "--level",
        "group",
        "--groups",
        groups.to_str().unwrap(),
        "--csv",
    ]);
    assert!(!out.status.success(), "unknown names fail the command");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("ward name \"Nowhere Ward\" (row 3)"), "{message}");
    assert!(message.contains("ward name \"Farringdon Witout\" (row 4)"), "{message}");
    assert!(
        message.trim_end().ends_with(groups.to_str().unwrap()),
        "the file named last: {message}"
    );
    let table = rows(&String::from_utf8_lossy(&out.stdout));
    assert!(!table.is_empty(), "the known group is still summarised");
    assert!(table.iter().all(|r| r.group == "Core"));
    for row in &table {
        let count: u64 = lsoas
            .iter()
            .map(|c| police.raw.get(&(c.clone(), row.period.clone())).copied().unwrap_or(0))
            .sum();
        assert_eq!(row.count, count as f64, "{ward} {}", row.period);
    }
    std::fs::remove_dir_all(&police.dir).ok();
}
