//! Text, JSON and CSV renderings of analysis results for the command line.

use crate::analysis::{EditionComparison, LaSummary, LeagueTable, LsoaChange, WardProfile};
use crate::export::{CHANGES_CSV_COLUMNS, CHANGES_CSV_YEAR_COLUMNS};
use crate::model::Dataset;
use serde::Serialize;
use std::fmt::Write as _;

/// Pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The summary as JSON, with where the data came from.
pub fn summary_json(summary: &LaSummary, dataset: &Dataset) -> String {
    #[derive(Serialize)]
    struct WithSource<'a> {
        #[serde(flatten)]
        summary: &'a LaSummary,
        data_source: &'a str,
    }
    to_json(&WithSource {
        summary,
        data_source: &dataset.source_label,
    })
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "–".to_string(), |v| v.to_string())
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The summary as a readable table. A figure that depends on data not loaded (wards, population) says so where it
/// would be, never a zero.
pub fn summary_text(s: &LaSummary, dataset: &Dataset) -> String {
    let mut out = String::new();
    let (from, to) = (s.from, s.to);
    let _ = writeln!(out, "{} ({}): IMD {from} → {to}", s.la_name, s.la_code);
    let _ = writeln!(out, "Data: {}", crate::model::escape_text(&dataset.source_label));
    let wards = match (s.wards, &s.ward_coverage.missing) {
        (Some(n), None) => format!("in {n} wards"),
        (Some(n), Some(_)) => format!(
            "({} in {n} wards; the rest have no ward loaded)",
            s.ward_coverage.with_ward
        ),
        (None, _) => "(wards not loaded)".to_string(),
    };
    if s.comparison.is_bridged() {
        let _ = writeln!(
            out,
            "{} LSOAs {wards} (IMD {to}, 2021 LSOAs; IMD {from} had {} 2011 LSOAs here)",
            s.lsoas, s.lsoas_from
        );
        let _ = writeln!(
            out,
            "Compared: {}.\nCaveat: {}.\n",
            s.comparison.rule, s.comparison.caveat
        );
    } else {
        let _ = writeln!(out, "{} LSOAs {wards}\n", s.lsoas);
    }
    let has_population = s.top1.population_from.is_some() || s.top1.population_to.is_some();
    let (top1, decile1) = (&s.top1, &s.decile1);
    // Label, earlier, later, and whether the row is shown (population rows only when a population is loaded).
    let rows = [
        ("", from.to_string(), to.to_string(), true),
        (
            "Most deprived 1% line (rank ≤)",
            top1.threshold_from.to_string(),
            top1.threshold_to.to_string(),
            true,
        ),
        (
            "LSOAs in the most deprived 1% nationally",
            top1.count_from.to_string(),
            top1.count_to.to_string(),
            true,
        ),
        (
            "Population in the 1%",
            opt(top1.population_from),
            opt(top1.population_to),
            has_population,
        ),
        (
            "LSOAs in the most deprived 10% (decile 1)",
            decile1.count_from.to_string(),
            decile1.count_to.to_string(),
            true,
        ),
        (
            "Share of the LA's LSOAs in decile 1",
            percent(decile1.share_from),
            percent(decile1.share_to),
            true,
        ),
        (
            "Population in decile 1",
            opt(decile1.population_from),
            opt(decile1.population_to),
            has_population,
        ),
    ];
    for (label, a, b, shown) in rows {
        if shown {
            let _ = writeln!(out, "{label:<44}{a:>10}{b:>10}");
        }
    }
    if let Some(missing) = &s.population_missing {
        let _ = writeln!(out, "Population in the 1% and decile 1 ({to}): not known — {missing}");
    }
    let _ = writeln!(
        out,
        "\n1% transitions: {} stayed, {} moved in, {} moved out",
        s.top1.stayed, s.top1.moved_in, s.top1.moved_out
    );
    if let Some(rank) = s.la_rank_by_decile1_share {
        let _ = writeln!(
            out,
            "Rank among {} LAs by share of LSOAs in decile 1 ({to}): {}",
            rank.of, rank.rank
        );
    }
    match &s.priority_wards {
        Some(priority) => {
            let _ = writeln!(out, "\nPriority wards (an LSOA in the {to} 1%): {}", priority.len());
            for ward in priority {
                let _ = writeln!(
                    out,
                    "  {:<36} {}  {} LSOA(s) in the 1%",
                    ward.name, ward.code, ward.lsoas_in_top1
                );
            }
        }
        None => {
            let _ = writeln!(out, "\nPriority wards (an LSOA in the {to} 1%): not known");
        }
    }
    if let Some(missing) = &s.ward_coverage.missing {
        let _ = writeln!(out, "  {missing}");
    }
    if let Some(source) = &s.population_source {
        let _ = writeln!(out, "\nPopulation: {source}");
        if s.lsoas_without_population > 0 {
            let _ = writeln!(
                out,
                "  {} of the {} LSOAs have no population figure here and are left out of the population sums.",
                s.lsoas_without_population, s.lsoas
            );
        }
    }
    let _ = writeln!(
        out,
        "Rank 1 = most deprived. Ranks are relative: a worse rank can mean other areas improved faster."
    );
    out
}

/// The `changes` CSV: the header other tools rely on (columns are only ever added at the end: `rank_from`,
/// `rank_to`, …), then the same figures named with the editions' years (`rank_2015`, `rank_2019`, …, the vocabulary
/// of the selection CSV and the pack's profiles) and the population, then one row per LSOA. With `bom` it starts with
/// the UTF-8 byte-order mark Excel looks for (files of the pack; stdout stays as the contract has it).
/// A name that starts like a formula (`=`, `+`, `-`, `@`) is written with a leading `'` so Excel shows it as text.
/// Across the 2011 to 2021 boundary change, `boundary_change` is the ONS letter (U, S, M, X) and `earlier_lsoas` the
/// 2011 parents, space-separated; the rule is in the README ("Comparing 2019 with 2025").
pub fn changes_csv(rows: &[&LsoaChange], years: (u16, u16), bom: bool) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = CHANGES_CSV_COLUMNS
        .iter()
        .map(|c| c.header(None))
        .chain(CHANGES_CSV_YEAR_COLUMNS.iter().map(|c| c.header(Some(years))));
    writer.write_record(header)?;
    for r in rows {
        let cells = CHANGES_CSV_COLUMNS
            .iter()
            .chain(&CHANGES_CSV_YEAR_COLUMNS)
            .map(|c| c.cell(r));
        writer.write_record(cells.map(|cell| crate::model::csv_safe_cell(&cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(if bom {
        format!("\u{feff}{text}")
    } else {
        text.into_owned()
    })
}

/// The `changes` rows as a readable table.
pub fn changes_text(c: &EditionComparison, rows: &[&LsoaChange]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): IMD {} → {}; 1% line rank ≤ {} / ≤ {}; change = later − earlier, negative = worsened\n",
        c.la_name, c.la_code, c.from, c.to, c.threshold_from, c.threshold_to
    );
    let percentile = c.ranked_from != c.ranked_to;
    if let Some(note) = crate::style::different_n_note(crate::style::MapMode::PercentileChange, c) {
        let _ = writeln!(out, "{note} (Change = percentile points; the CSV has both.)\n");
    }
    let _ = writeln!(
        out,
        "{:<10} {:<24} {:<30} {:>8} {:>8} {:>7}  1%",
        "LSOA",
        "Name",
        "Ward",
        c.from,
        c.to,
        if percentile { "Pctl ch" } else { "Change" }
    );
    let no_ward = ward_missing_cell(c);
    for r in rows {
        let ward = if r.ward_code.is_none() {
            no_ward
        } else {
            r.ward_name.as_str()
        };
        let _ = writeln!(
            out,
            "{:<10} {:<24} {:<30} {:>8} {:>8} {:>7}  {}",
            r.lsoa_code,
            truncate(&r.lsoa_name, 24),
            truncate(ward, 30),
            opt(r.rank_from),
            opt(r.rank_to),
            change_cell(r, percentile),
            r.transition.label()
        );
    }
    let _ = writeln!(out, "\n{} LSOAs", rows.len());
    if c.comparison.is_bridged() {
        let _ = writeln!(
            out,
            "Compared: {}.\nCaveat: {}.",
            c.comparison.rule, c.comparison.caveat
        );
    }
    out
}

/// The LA league table as a readable table.
pub fn league_text(t: &LeagueTable) -> String {
    let mut out = String::new();
    let (f, to) = (t.from, t.to);
    let _ = writeln!(
        out,
        "Local authorities by share of LSOAs in the most deprived 10% (decile 1) and LSOAs in the 1%, IMD {f} and {to}\n"
    );
    let _ = writeln!(
        out,
        "{:<36} {:>6} {:>7} {:>6} {:>6} {:>7} {:>6} {:>7} {:>6}",
        "LA", "Rank", "D1%", "1%", "Rank", "D1%", "1%", "RankCh", "1%Ch"
    );
    let _ = writeln!(out, "{:<36} {:>21} {:>21}", "", f, to);
    let share =
        |e: Option<crate::analysis::LeagueEntry>| e.map_or("–".into(), |e| format!("{:.1}", e.decile1_share * 100.0));
    for r in &t.rows {
        let _ = writeln!(
            out,
            "{:<36} {:>6} {:>7} {:>6} {:>6} {:>7} {:>6} {:>7} {:>6}",
            truncate(&r.la_name, 36),
            opt(r.from.map(|e| e.rank_by_decile1_share)),
            share(r.from),
            opt(r.from.map(|e| e.top1)),
            opt(r.to.map(|e| e.rank_by_decile1_share)),
            share(r.to),
            opt(r.to.map(|e| e.top1)),
            r.rank_change.map_or_else(|| "–".into(), |c| format!("{c:+}")),
            r.top1_change.map_or_else(|| "–".into(), |c| format!("{c:+}")),
        );
    }
    let _ = writeln!(
        out,
        "\n{} LAs, both editions on the {}. Rank 1 = highest share of LSOAs in decile 1.",
        t.rows.len(),
        t.geography
    );
    for note in &t.notes {
        let _ = writeln!(out, "Note: {note}.");
    }
    out
}

/// A row's change: ranks (`+409`), or percentile points (`+1.2`) when the editions' N differ.
fn change_cell(r: &LsoaChange, percentile: bool) -> String {
    if percentile {
        r.percentile_change.map_or_else(|| "–".into(), |p| format!("{p:+.1}"))
    } else {
        r.change.map_or_else(|| "–".into(), |c| format!("{c:+}"))
    }
}

/// What the ward column says for an LSOA with no ward: "not loaded" when no ward lookup or boundaries cover it.
fn ward_missing_cell(_c: &EditionComparison) -> &'static str {
    "(ward not loaded)"
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}

/// A ward profile as readable text.
pub fn ward_text(p: &WardProfile) -> String {
    let mut out = String::new();
    let badge = if p.priority_ward { "  [priority ward]" } else { "" };
    let _ = writeln!(out, "{} ({}), {}{badge}", p.name, p.code, p.la_name);
    match (p.population, &p.population_missing) {
        (Some(people), _) => {
            let _ = writeln!(out, "{} LSOAs; population {people}", p.lsoas.len());
        }
        (None, Some(why)) => {
            let _ = writeln!(out, "{} LSOAs; population not known — {why}", p.lsoas.len());
        }
        (None, None) => {
            let _ = writeln!(out, "{} LSOAs; population –", p.lsoas.len());
        }
    }
    let people = |n: Option<u64>| n.map(|n| format!(" (population {n})")).unwrap_or_default();
    for counts in &p.counts {
        let _ = writeln!(
            out,
            "IMD {}: {} in the most deprived 1%{}, {} in decile 1{}",
            counts.edition,
            counts.in_top1,
            people(counts.population_in_top1),
            counts.in_decile1,
            people(counts.population_in_decile1)
        );
    }
    if let Some(source) = p.population_source.as_ref().filter(|_| p.population.is_some()) {
        let _ = writeln!(out, "Population: {source}");
        if p.lsoas_without_population > 0 {
            let _ = writeln!(
                out,
                "  {} of its LSOAs have no population figure here and are left out of the sums.",
                p.lsoas_without_population
            );
        }
    }
    let percentile = p
        .lsoas
        .first()
        .is_some_and(|_| p.counts[0].edition != p.counts[1].edition)
        && crate::model::national_lsoas(p.counts[0].edition) != crate::model::national_lsoas(p.counts[1].edition);
    let _ = writeln!(
        out,
        "\n{:<10} {:<22} {:>8} {:>8} {:>7} {:>4} {:>4} {:>6} {:>6}",
        "LSOA",
        "Name",
        p.counts[0].edition,
        p.counts[1].edition,
        if percentile { "Pctl ch" } else { "Change" },
        "D",
        "D",
        "Pop",
        "LA rk"
    );
    for r in &p.lsoas {
        let _ = writeln!(
            out,
            "{:<10} {:<22} {:>8} {:>8} {:>7} {:>4} {:>4} {:>6} {:>6}",
            r.lsoa_code,
            truncate(&r.lsoa_name, 22),
            opt(r.rank_from),
            opt(r.rank_to),
            change_cell(r, percentile),
            opt(r.decile_from),
            opt(r.decile_to),
            opt(r.population),
            opt(r.la_rank_to)
        );
    }
    if !p.domain_lsoas_in_decile1.is_empty() {
        let _ = writeln!(
            out,
            "\nLSOAs in each domain's most deprived 10% (IMD {}):",
            p.counts[1].edition
        );
        for (index, n) in &p.domain_lsoas_in_decile1 {
            let _ = writeln!(out, "  {:<36} {n}", index.label());
        }
    }
    out
}
