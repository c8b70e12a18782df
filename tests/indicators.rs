//! Local indicators on real data: police.uk City of London months and the Greater Manchester claimant count.
//! Every expected figure is derived here from the raw CSVs with the csv crate, independently of the library's readers.

mod common;

use locality_map::analysis::{EmergingOptions, Level, aggregate, draw_plan, scan_emerging};
use locality_map::io::{DataSource, LoadOptions, load_dataset};
use locality_map::model::{AreaLevel, Dataset, LsoaVintage, Period, Severity, slug};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The shared data folder (`common::national_data`: a loud skip line when absent, a failure when required).
fn shared(test: &str) -> Option<PathBuf> {
    common::national_data(test)
}

/// A CSV as rows keyed by exact header text (BOM dropped), read with the shared independent reader.
fn raw_rows_at(path: &Path) -> Vec<HashMap<String, String>> {
    common::rows_of_csv(&std::fs::read(path).expect("file"))
}

fn police_dir(data: &Path) -> PathBuf {
    data.join("indicators/police_uk_city_of_london")
}

/// Police months + File 6 + both lookups (no boundaries): quick to load.
fn load_police(data: &Path, police: &Path, boundaries: bool) -> Dataset {
    let mut files = vec![
        police.to_path_buf(),
        data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv"),
        data.join("lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv"),
        data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv"),
    ];
    if boundaries {
        files.push(data.join("boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson"));
    }
    let options = LoadOptions {
        boundaries,
        edition_hint: Some(2019),
        ..LoadOptions::default()
    };
    load_dataset(&DataSource::Files(files), &options).expect("loads")
}

/// One raw row as the test reads it.
struct Raw {
    id: String,
    month: String,
    lsoa: String,
    crime_type: String,
    outcome: String,
}

fn read_raw(path: &Path) -> Vec<Raw> {
    let mut reader = csv::Reader::from_path(path).expect("csv");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, month, lsoa, t, outcome) = (
        col("Crime ID"),
        col("Month"),
        col("LSOA code"),
        col("Crime type"),
        col("Last outcome category"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            Raw {
                id: r[id].to_string(),
                month: r[month].to_string(),
                lsoa: r[lsoa].to_string(),
                crime_type: r[t].to_string(),
                outcome: r[outcome].to_string(),
            }
        })
        .collect()
}

/// Counts by (LSOA or "" , month, crime type): every row of the later download of a month (fewer "Under
/// investigation" outcomes), plus rows of an earlier download whose Crime ID the later one lacks; rows without a
/// Crime ID from the later download only. (Rows sharing a Crime ID within one download are all counted, as published.)
fn independent_counts(folder: &Path) -> BTreeMap<(String, String, String), u64> {
    let mut by_month: BTreeMap<String, Vec<Vec<Raw>>> = BTreeMap::new();
    for entry in std::fs::read_dir(folder).expect("folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            let rows = read_raw(&path);
            let month = rows.first().map(|r| r.month.clone()).unwrap_or_default();
            by_month.entry(month).or_default().push(rows);
        }
    }
    let mut counts = BTreeMap::new();
    for (_, mut downloads) in by_month {
        let pending = |rows: &Vec<Raw>| rows.iter().filter(|r| r.outcome == "Under investigation").count();
        downloads.sort_by_key(pending);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (i, rows) in downloads.iter().enumerate() {
            let in_this: BTreeSet<String> = rows.iter().map(|r| r.id.clone()).collect();
            for r in rows {
                let counted = if r.id.is_empty() { i == 0 } else { !seen.contains(&r.id) };
                if counted {
                    *counts
                        .entry((r.lsoa.clone(), r.month.clone(), r.crime_type.clone()))
                        .or_default() += 1;
                }
            }
            seen.extend(in_this);
        }
    }
    counts
}

#[test]
fn police_counts_per_lsoa_month_and_type_equal_an_independent_count() {
    let Some(data) = shared("police_counts") else { return };
    let dataset = load_police(&data, &police_dir(&data), false);
    let expected = independent_counts(&police_dir(&data));
    let all = dataset.indicators.find("crime").expect("all crime");
    assert_eq!(all.level, AreaLevel::Lsoa(LsoaVintage::Lsoa2021));
    assert_eq!(all.periods.len(), 24);
    assert_eq!(all.areas.len(), 137);
    let mut checked = 0;
    for ((lsoa, month, crime_type), n) in &expected {
        let period = Period::parse(month).unwrap();
        let indicator = dataset
            .indicators
            .find(&format!("crime-{}", slug(crime_type)))
            .expect("type indicator");
        let p = indicator.period_index(period).unwrap();
        if lsoa.is_empty() {
            continue;
        }
        let a = indicator
            .area_index(&locality_map::model::AreaCode::parse(lsoa).unwrap())
            .unwrap();
        assert_eq!(indicator.value(a, p), Some(*n as f64), "{lsoa} {month} {crime_type}");
        checked += 1;
    }
    assert!(checked > 2_000, "{checked}");
    // Totals per month: every kept row is in an area or in the per-month count of rows without an LSOA.
    let mut per_month: BTreeMap<String, u64> = BTreeMap::new();
    let mut unplaced: BTreeMap<String, u64> = BTreeMap::new();
    for ((lsoa, month, _), n) in &expected {
        *per_month.entry(month.clone()).or_default() += n;
        if lsoa.is_empty() {
            *unplaced.entry(month.clone()).or_default() += n;
        }
    }
    for (month, total) in &per_month {
        let p = all.period_index(Period::parse(month).unwrap()).unwrap();
        let in_areas: f64 = (0..all.areas.len()).filter_map(|a| all.value(a, p)).sum();
        let without = all
            .without_area
            .get(&Period::parse(month).unwrap())
            .copied()
            .unwrap_or(0);
        assert_eq!(in_areas as u64 + without, *total, "{month}");
        assert_eq!(
            without,
            unplaced.get(month).copied().unwrap_or(0),
            "{month} rows without an LSOA"
        );
    }
    // The re-downloaded month: 826 rows, each Crime ID once, and the load says which download it kept.
    assert_eq!(per_month["2024-02"], 826);
    let note = all
        .notes
        .iter()
        .find(|n| n.contains("downloaded more than once"))
        .expect("dedupe note");
    assert!(
        note.contains("from the later download 2024-02-city-of-london-street.csv"),
        "{note}"
    );
    assert!(
        dataset
            .report
            .problems
            .iter()
            .any(|p| p.message.contains("downloaded more than once"))
    );
}

/// Mid-2015 populations from File 6, read here.
fn file6_populations(data: &Path) -> HashMap<String, f64> {
    raw_rows_at(&data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv"))
        .into_iter()
        .map(|r| {
            (
                r["LSOA code (2011)"].clone(),
                f64::from(common::number(&r["Total population: mid 2015 (excluding prisoners)"])),
            )
        })
        .collect()
}

#[test]
fn rates_are_per_1000_file6_residents_and_wards_sum_counts_not_rates() {
    let Some(data) = shared("rates") else { return };
    let dataset = load_police(&data, &police_dir(&data), false);
    let populations = file6_populations(&data);
    let all = dataset.indicators.find("crime").unwrap();
    let lsoas = aggregate(&dataset, all, Level::Lsoa, None).unwrap();
    assert!(
        lsoas.population_source.contains("File 6") || lsoas.population_source.contains("IoD2019"),
        "{}",
        lsoas.population_source
    );
    let mut checked = 0;
    for row in &lsoas.rows {
        // Unchanged LSOAs keep their 2011 code: their population is File 6's.
        let Some(population) = populations.get(row.code.as_str()) else {
            continue;
        };
        let last = *row.values.last().unwrap();
        assert_eq!(row.population, Some(*population), "{}", row.code);
        let rate = row.rate_per_1000(last).unwrap();
        assert!((rate - last / population * 1_000.0).abs() < 1e-9);
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
    // Wards: counts and populations summed; the rate is not the mean of the LSOAs' rates where populations differ.
    let wards = aggregate(&dataset, all, Level::Ward, None).unwrap();
    let by_code: HashMap<_, _> = lsoas.rows.iter().map(|r| (r.code, r)).collect();
    let mut differing = 0;
    for ward in wards.rows.iter().filter(|w| w.members.len() >= 2) {
        let members: Vec<_> = ward.members.iter().filter_map(|c| by_code.get(c)).collect();
        let Some(pops) = members.iter().map(|m| m.population).collect::<Option<Vec<f64>>>() else {
            continue;
        };
        let total: f64 = members.iter().map(|m| m.values.iter().sum::<f64>()).sum();
        let ward_total: f64 = ward.values.iter().sum();
        assert_eq!(total, ward_total, "{}", ward.code);
        let pop: f64 = pops.iter().sum();
        assert_eq!(ward.population, Some(pop));
        let ward_rate = ward.rate_per_1000(ward_total).unwrap();
        assert!((ward_rate - ward_total / pop * 1_000.0).abs() < 1e-9);
        let mean_of_rates = members
            .iter()
            .map(|m| m.rate_per_1000(m.values.iter().sum()).unwrap())
            .sum::<f64>()
            / members.len() as f64;
        if pops.iter().any(|p| (p - pops[0]).abs() > 1.0) {
            assert!(
                (ward_rate - mean_of_rates).abs() > 1e-6,
                "{}: {ward_rate} vs mean {mean_of_rates}",
                ward.code
            );
            differing += 1;
        }
    }
    assert!(differing > 0);
}

/// Independent Poisson tail: P(X >= k | mean) by direct summation of terms in log space.
fn tail(k: u64, mean: f64) -> f64 {
    let ln_fact: f64 = (1..=k).map(|i| (i as f64).ln()).sum();
    let mut ln_term = k as f64 * mean.ln() - mean - ln_fact;
    let (mut sum, mut i) = (0.0, k);
    loop {
        let t = ln_term.exp();
        sum += t;
        if (t <= sum * 1e-17 || i > k + 100_000) && i as f64 > mean {
            return sum;
        }
        i += 1;
        ln_term += mean.ln() - (i as f64).ln();
    }
}

#[test]
fn an_injected_rise_is_flagged_and_only_areas_meeting_the_rule() {
    let Some(data) = shared("emerging") else { return };
    let dir = std::env::temp_dir().join(format!("lm-emerging-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = "E01000005"; // City of London 001E
    let source = police_dir(&data);
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if ["2025-02", "2025-03", "2025-04"].iter().any(|m| name.starts_with(m)) {
            // Real rows of the target LSOA in this month, copied four more times with fresh Crime IDs.
            let copies: Vec<String> = text
                .lines()
                .skip(1)
                .filter(|l| l.split(',').nth(7) == Some(target))
                .map(str::to_string)
                .collect();
            assert!(!copies.is_empty());
            for round in 0..4 {
                for (i, line) in copies.iter().enumerate() {
                    let rest = line.split_once(',').unwrap().1;
                    text.push_str(&format!("injected{round}x{i}{name},{rest}\r\n"));
                }
            }
        }
        std::fs::write(dir.join(&name), text).unwrap();
    }
    let dataset = load_police(&data, &dir, false);
    let all = dataset.indicators.find("crime").unwrap();
    let table = aggregate(&dataset, all, Level::Lsoa, None).unwrap();
    let options = EmergingOptions::default();
    let scan = scan_emerging(&table, &options);

    // The rule, recomputed from the raw files: 24 months, so one earlier year of the same months (< 2): the baseline
    // is the preceding 12 months (2024-02 .. 2025-01) scaled to 3 months.
    let counts = independent_counts(&dir);
    let mut monthly: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for ((lsoa, month, _), n) in &counts {
        if !lsoa.is_empty() {
            *monthly
                .entry(lsoa.clone())
                .or_default()
                .entry(month.clone())
                .or_default() += n;
        }
    }
    let months = |from: &str, to: &str| -> Vec<String> {
        let (a, b) = (Period::parse(from).unwrap(), Period::parse(to).unwrap());
        let mut out = Vec::new();
        let mut p = a;
        while p <= b {
            out.push(p.to_string());
            p = p.offset(1).unwrap();
        }
        out
    };
    let recent_months = months("2025-02", "2025-04");
    let baseline_months = months("2024-02", "2025-01");
    let mut expected_flags = BTreeSet::new();
    let mut p_values = BTreeMap::new();
    for (lsoa, by_month) in &monthly {
        let sum = |ms: &[String]| ms.iter().map(|m| by_month.get(m).copied().unwrap_or(0)).sum::<u64>();
        let recent = sum(&recent_months);
        let expected = sum(&baseline_months) as f64 * 3.0 / 12.0;
        if expected <= 0.0 {
            continue;
        }
        let p = tail(recent, expected);
        p_values.insert(lsoa.clone(), p);
        if recent as f64 >= options.min_count && recent as f64 > expected && p <= options.p_threshold {
            expected_flags.insert(lsoa.clone());
        }
    }
    let flagged: BTreeSet<String> = scan.flagged().map(|a| a.code.to_string()).collect();
    assert!(flagged.contains(target), "{flagged:?}");
    assert_eq!(flagged, expected_flags);
    assert_eq!(scan.tested.len(), p_values.len());
    for area in &scan.tested {
        let independent = p_values[area.code.as_str()];
        assert!(
            (area.p_value - independent).abs() <= 1e-9 * independent.max(1e-300),
            "{}: {} vs {independent}",
            area.code,
            area.p_value
        );
    }
    assert!(scan.method.contains("Poisson"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn twenty_one_lsoas_reach_2011_shapes_and_no_count_is_dropped() {
    let Some(data) = shared("drawing") else { return };
    let dataset = load_police(&data, &police_dir(&data), true);
    let all = dataset.indicators.find("crime").unwrap();
    let table = aggregate(&dataset, all, Level::Lsoa, None).unwrap();
    let plan = draw_plan(&dataset, all, &table);
    assert_eq!(plan.direct, 119, "{}", plan.note);
    assert_eq!(plan.via_parents + plan.cannot_draw.len(), 18, "{}", plan.note);
    assert!(plan.via_parents > 0);
    let drawn_rows: usize = plan.units.iter().map(|u| u.rows.len()).sum();
    assert_eq!(drawn_rows + plan.cannot_draw.len(), table.rows.len());
    assert!(
        plan.units.iter().filter(|u| u.label.is_some()).all(|u| u
            .label
            .as_ref()
            .unwrap()
            .contains("drawn on 2011 shape"))
    );
}

#[test]
fn claimant_wards_load_chart_and_say_they_cannot_be_drawn() {
    let Some(data) = shared("claimant") else { return };
    let folder = data.join("indicators/claimant_count_greater_manchester");
    let files = vec![
        folder.clone(),
        data.join("boundaries/Leeds_E08000035_wards_2022_BGC_WGS84.geojson"),
    ];
    let dataset = load_dataset(&DataSource::Files(files), &LoadOptions::default()).unwrap();
    let counts = dataset
        .indicators
        .find("trafford-gm-claimant-count-ward")
        .expect("ward counts");
    assert_eq!(counts.level, AreaLevel::Ward(Some(2015)));
    assert_eq!(counts.periods.len(), 34);
    assert_eq!(counts.periods.first().unwrap().to_string(), "2015-01");
    let raw = raw_rows_at(&folder.join("trafford_gm_claimant_count_wards_2015-01_2017-10.csv"));
    let astley: Vec<(String, f64)> = raw
        .iter()
        .filter(|r| r["wd15cd"] == "E05000650")
        .map(|r| (r["date"][..7].to_string(), r["count"].parse().unwrap()))
        .collect();
    let table = aggregate(&dataset, counts, Level::Ward, Some("Bolton")).unwrap();
    let row = table.rows.iter().find(|r| r.code.as_str() == "E05000650").unwrap();
    for (month, value) in &astley {
        let i = table.periods.iter().position(|p| p.to_string() == *month).unwrap();
        assert_eq!(row.values[i], *value, "{month}");
    }
    let plan = draw_plan(&dataset, counts, &table);
    assert_eq!(plan.direct, 0);
    assert!(plan.note.contains("no boundaries for 2015 ward codes"), "{}", plan.note);
    // LAs sum the wards' counts; the published rate is never summed.
    let las = aggregate(&dataset, counts, Level::La, None).unwrap();
    assert_eq!(las.rows.len(), 10);
    let rate = dataset.indicators.find("trafford-gm-claimant-count-rate-ward").unwrap();
    assert!(aggregate(&dataset, rate, Level::La, None).is_err());
    assert!(
        dataset.indicators.find("claimant-count").is_some(),
        "the LSOA table's measure"
    );
}

#[test]
fn bad_inputs_are_named_errors_or_reported_skips_and_the_rest_loads() {
    let Some(data) = shared("bad_inputs") else { return };
    let dir = std::env::temp_dir().join(format!("lm-bad-indicators-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = police_dir(&data).join("2025-04-city-of-london-street.csv");
    std::fs::copy(&good, dir.join("good.csv")).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    // Missing column: drop "Crime type".
    let missing: String = text
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 9)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("missing_column.csv"), missing).unwrap();
    // Mixed months: one 2025-03 file with a row of 2025-01 added.
    let march = std::fs::read_to_string(police_dir(&data).join("2025-03-city-of-london-street.csv")).unwrap();
    let extra = march.lines().nth(1).unwrap().replacen("2025-03", "2025-01", 1);
    std::fs::write(dir.join("mixed.csv"), format!("{march}{extra}\r\n")).unwrap();
    // A tidy table with a non-numeric value and an unknown code.
    std::fs::write(
        dir.join("tidy.csv"),
        "date,lsoa11cd,lsoa11nm,count\n2024-01-01,E01000001,City 001A,4\n2024-01-01,E01000002,City 001B,n/a\n2024-01-01,X99,Nowhere,2\n",
    )
    .unwrap();
    let dataset = load_dataset(
        &DataSource::Folder(dir.clone()),
        &LoadOptions {
            boundaries: false,
            edition_hint: None,
            ..LoadOptions::default()
        },
    )
    .unwrap();
    let messages: Vec<String> = dataset.report.problems.iter().map(ToString::to_string).collect();
    let error = dataset
        .report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .expect("an error");
    assert!(
        error.to_string().contains("crime type") && error.to_string().contains("missing_column.csv"),
        "{error}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("rows of 2 months") && m.contains("mixed.csv")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("not a number") && m.contains("tidy.csv")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("not an ONS area code") && m.contains("tidy.csv")),
        "{messages:#?}"
    );
    let all = dataset.indicators.find("crime").unwrap();
    assert_eq!(all.periods.len(), 3, "2025-01 (the stray row), 2025-03, 2025-04");
    let tidy = dataset.indicators.find("tidy").expect("tidy table loads its good row");
    assert_eq!(tidy.areas.len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_lists_tabulates_and_scans() {
    let Some(data) = shared("cli") else { return };
    let exe = env!("CARGO_BIN_EXE_locality-map");
    let police = police_dir(&data);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(exe)
            .args(["--data", police.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (list, _) = run(&["indicators", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert!(json.as_array().unwrap().iter().any(|i| i["name"] == "crime-burglary"));
    let (csv, notes) = run(&[
        "indicator",
        "crime",
        "--level",
        "lsoa",
        "--from",
        "2025-01",
        "--to",
        "2025-04",
        "--csv",
    ]);
    assert!(
        csv.starts_with("area_code,area_name,period,count,rate_per_1000,population\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 137 * 4);
    assert!(notes.contains("no population denominators"), "{notes}");
    let (emerging, method) = run(&["emerging", "crime", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&emerging).unwrap();
    assert!(json["method"].as_str().unwrap().contains("Poisson"));
    assert!(method.is_empty() || !method.contains("error"));
}

/// `map --layer indicator:crime`: the report PNG outlines the areas the emerging-issue test flags (in the window's
/// blue), keyed in the legend; the flagged set is scanned here through the library on the same files.
#[test]
fn the_indicator_map_png_outlines_emerging_issues() {
    let Some(data) = shared("map_emerging") else { return };
    let dir = std::env::temp_dir().join(format!("lm-map-emerging-{}", std::process::id()));
    let folder = dir.join("data");
    std::fs::create_dir_all(&folder).unwrap();
    for (link, target) in [
        ("police", police_dir(&data)),
        (
            "file6.csv",
            data.join("imd2019/File_6_-_IoD2019_Population_Denominators.csv"),
        ),
        (
            "l11_21.csv",
            data.join("lookups/lookup_lsoa11_lsoa21_ltla22_geographr.csv"),
        ),
        (
            "l21_wd.csv",
            data.join("lookups/lookup_lsoa21_ward24_ltla24_geographr.csv"),
        ),
        ("lsoa.geojson", data.join("boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson")),
    ] {
        std::os::unix::fs::symlink(target, folder.join(link)).unwrap();
    }
    let dataset = load_police(&data, &police_dir(&data), false);
    let table = aggregate(&dataset, dataset.indicators.find("crime").unwrap(), Level::Lsoa, None).unwrap();
    let flagged = scan_emerging(&table, &EmergingOptions::default()).flagged().count();
    let png = dir.join("crime.png");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .args([
            "--data",
            folder.to_str().unwrap(),
            "map",
            "--layer",
            "indicator:crime",
            "--la",
            "all",
        ])
        .args(["--width", "1754", "--height", "1240", "--out", png.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let blue = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3] == [0, 90, 200])
        .count();
    // The legend's key is blue too (a small square); the outlines add far more.
    if flagged > 0 {
        assert!(blue > 400, "{flagged} flagged LSOAs, {blue} blue pixels");
    } else {
        assert!(blue < 400, "nothing flagged, yet {blue} blue pixels");
    }
    if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    } else {
        eprintln!("kept {} ({flagged} flagged)", png.display());
    }
}

/// A legend label read back as the values it claims: `(low, low included, high, high included)`. Counts: `0`,
/// `1–2`, `6 or more`; rates: `0`, `over 0 to under 2.7`, `under 2.7`, `2.7 to under 5.6`, `19 or more`.
fn label_bounds(label: &str) -> (f64, bool, f64, bool) {
    let number = |s: &str| -> f64 { s.trim().replace(',', "").replace('−', "-").parse().expect(label) };
    let (lo_in, rest) = match label.strip_prefix("over ") {
        Some(rest) => (false, rest),
        None => (true, label),
    };
    if let Some(lo) = rest.strip_suffix(" or more") {
        (number(lo), lo_in, f64::INFINITY, true)
    } else if let Some(hi) = rest.strip_prefix("under ") {
        (f64::NEG_INFINITY, true, number(hi), false)
    } else if let Some((lo, hi)) = rest.split_once(" to under ") {
        (number(lo), lo_in, number(hi), false)
    } else if let Some((lo, hi)) = rest.split_once('–').or_else(|| rest.split_once(" to ")) {
        (number(lo), lo_in, number(hi), true)
    } else if !lo_in {
        (number(rest), false, f64::INFINITY, true)
    } else {
        (number(rest), true, number(rest), true)
    }
}

/// Checks a legend against the values it colours: every area with a value is in exactly one listed class, by the
/// label's own words; every listed class holds an area; classes follow on without gaps or overlaps; counts are whole.
fn check_legend(style: &locality_map::style::IndicatorStyle, whole: bool, what: &str) {
    let classes: Vec<&(locality_map::style::Rgba, String)> =
        style.classes.iter().filter(|(_, l)| l != "no data").collect();
    assert!(!classes.is_empty(), "{what}");
    let bounds: Vec<(f64, bool, f64, bool)> = classes.iter().map(|(_, l)| label_bounds(l)).collect();
    for (label, (lo, _, hi, _)) in classes.iter().map(|(_, l)| l).zip(&bounds) {
        assert!(!label.contains("or less"), "{what}: {label}");
        if whole {
            assert!(lo.is_infinite() || lo.fract() == 0.0, "{what}: {label}");
            assert!(hi.is_infinite() || hi.fract() == 0.0, "{what}: {label}");
            assert!(!label.contains("under"), "{what}: whole-number classes: {label}");
        } else {
            assert!(!label.contains('–'), "{what}: decimal classes are half-open: {label}");
        }
    }
    for pair in bounds.windows(2) {
        let ((_, _, hi, hi_in), (lo, lo_in, _, _)) = (pair[0], pair[1]);
        if whole {
            assert!(hi_in && lo_in && lo == hi + 1.0, "{what}: {pair:?} must follow on");
        } else {
            assert!(lo == hi && hi_in != lo_in, "{what}: {pair:?} must meet, one end open");
        }
    }
    let mut held = vec![0usize; classes.len()];
    for unit in style.units.iter().filter(|u| u.value.is_some()) {
        let v = unit.value.unwrap();
        if whole {
            assert_eq!(v.fract(), 0.0, "{what}: a count {v}");
        }
        let inside: Vec<usize> = bounds
            .iter()
            .enumerate()
            .filter(|(_, (lo, lo_in, hi, hi_in))| {
                (v > *lo || (*lo_in && v == *lo)) && (v < *hi || (*hi_in && v == *hi))
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(inside.len(), 1, "{what}: {v} in classes {inside:?} of {classes:?}");
        assert_eq!(unit.fill, classes[inside[0]].0, "{what}: {v} coloured as its class");
        held[inside[0]] += 1;
    }
    assert!(
        held.iter().all(|n| *n > 0),
        "{what}: an empty class: {held:?} {classes:?}"
    );
}

#[test]
fn city_of_london_legends_have_whole_number_count_classes_and_decimal_rate_classes() {
    use locality_map::analysis::{IndicatorMeasure, Window, WindowStat};
    use locality_map::style::style_indicator;
    let Some(data) = shared("legend_classes") else { return };
    let dataset = load_police(&data, &police_dir(&data), true);
    let mut checked = 0;
    for name in [
        "crime",
        "crime-burglary",
        "crime-anti-social-behaviour",
        "crime-shoplifting",
    ] {
        let indicator = dataset.indicators.find(name).expect(name);
        let table = aggregate(&dataset, indicator, Level::Lsoa, None).unwrap();
        let plan = draw_plan(&dataset, indicator, &table);
        // Every month as counts, and the last 12 months as counts and per 1,000 residents.
        for period in &table.periods {
            let style = style_indicator(&table, &plan, IndicatorMeasure::Period(*period), false);
            check_legend(&style, true, &format!("{name} {period}"));
            checked += 1;
        }
        let year = IndicatorMeasure::Window(Window::last(&table.periods, 12).unwrap(), WindowStat::Sum);
        check_legend(
            &style_indicator(&table, &plan, year, false),
            true,
            &format!("{name} 12 months"),
        );
        check_legend(
            &style_indicator(&table, &plan, year, true),
            false,
            &format!("{name} per 1,000"),
        );
        checked += 2;
    }
    assert_eq!(checked, 4 * 26);
    // The month the issue saw as "0 or less / 0 to 1 / 1 to 3": burglary in one month is mostly 0s and 1s.
    let burglary = dataset.indicators.find("crime-burglary").unwrap();
    let table = aggregate(&dataset, burglary, Level::Lsoa, None).unwrap();
    let plan = draw_plan(&dataset, burglary, &table);
    let style = style_indicator(
        &table,
        &plan,
        IndicatorMeasure::Period(*table.periods.last().unwrap()),
        false,
    );
    assert_eq!(style.classes[0].1, "0", "{:?}", style.classes);
}

#[test]
fn cli_emerging_csv_has_the_issues_columns_and_states_the_method() {
    let Some(data) = shared("cli_emerging_csv") else { return };
    let police = police_dir(&data);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .args([
            "--data",
            police.to_str().unwrap(),
            "emerging",
            "crime",
            "--recent",
            "3",
            "--csv",
            "--all",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("method: One-sided Poisson exceedance test"), "{stderr}");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    for column in ["area_code", "recent", "expected", "ratio", "p_value"] {
        assert!(headers.iter().any(|h| h == column), "{headers:?}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // Every LSOA the library tests, once, with its figures (the p-values are checked independently above).
    let dataset = load_dataset(
        &DataSource::Folder(police.clone()),
        &LoadOptions {
            boundaries: false,
            ..LoadOptions::default()
        },
    )
    .unwrap();
    let table = aggregate(&dataset, dataset.indicators.find("crime").unwrap(), Level::Lsoa, None).unwrap();
    let scan = scan_emerging(&table, &EmergingOptions::default());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let lsoa_rows: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[col("level")] == "lsoa").collect();
    assert_eq!(lsoa_rows.len(), scan.tested.len());
    for area in &scan.tested {
        let row = lsoa_rows
            .iter()
            .find(|r| &r[col("area_code")] == area.code.as_str())
            .expect("listed");
        assert_eq!(row[col("recent")].parse::<f64>().unwrap(), area.recent);
        let p: f64 = row[col("p_value")].parse().unwrap();
        assert!((p - area.p_value).abs() <= 1e-5 * area.p_value, "{}", area.code);
        let ratio: f64 = row[col("ratio")].parse().unwrap();
        assert!((ratio - area.recent / area.expected).abs() < 1e-3, "{}", area.code);
    }
}

#[test]
fn cli_maps_a_monthly_mean_and_a_change_in_counts() {
    let Some(data) = shared("cli_map_measures") else { return };
    let dir = std::env::temp_dir().join(format!("lm-map-measures-{}", std::process::id()));
    let folder = dir.join("data");
    std::fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(police_dir(&data), folder.join("police")).unwrap();
    std::os::unix::fs::symlink(
        data.join("boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson"),
        folder.join("lsoa.geojson"),
    )
    .unwrap();
    for (flag, file) in [("--mean", "mean.png"), ("--change-count", "change.png")] {
        let png = dir.join(file);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_locality-map"))
            .args([
                "--data",
                folder.to_str().unwrap(),
                "map",
                "--layer",
                "indicator:crime",
                "--la",
                "all",
            ])
            .args(["--months", "6", flag, "--width", "1200", "--height", "848"])
            .args(["--out", png.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{flag}: {}", String::from_utf8_lossy(&out.stderr));
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), (1200, 848), "{flag}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The README states the emerging-issue rule with the defaults the code runs (the window and the CLI print
/// `EmergingOptions::method`, tested above).
#[test]
fn the_readme_states_the_emerging_method_with_the_defaults_in_force() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let o = EmergingOptions::default();
    for phrase in [
        "one-sided Poisson exceedance test".to_string(),
        format!("the last {} months", o.recent_months),
        format!("at least {} earlier years", o.min_years),
        // The rule in the words the window, the CLI and the PNG legend use (`EmergingOptions::rule`).
        o.rule(),
        "preceding 12 months".to_string(),
    ] {
        assert!(readme.contains(&phrase), "README lacks {phrase:?}");
    }
    let method = o.method();
    assert!(method.contains("One-sided Poisson exceedance test") && method.contains("preceding 12 months"));
}
