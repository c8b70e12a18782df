//! Text, JSON and CSV renderings of analysis results for the command line.

use crate::analysis::{EditionComparison, LaSummary, LeagueTable, LsoaChange, WardProfile};
use crate::export::CHANGES_CSV_COLUMNS;
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

/// The summary as a readable table.
pub fn summary_text(s: &LaSummary, dataset: &Dataset) -> String {
    let mut out = String::new();
    let (from, to) = (s.from, s.to);
    let _ = writeln!(out, "{} ({}): IMD {from} → {to}", s.la_name, s.la_code);
    let _ = writeln!(out, "Data: {}", crate::model::escape_text(&dataset.source_label));
    if s.comparison.is_bridged() {
        let _ = writeln!(
            out,
            "{} LSOAs in {} wards (IMD {to}, 2021 LSOAs; IMD {from} had {} 2011 LSOAs here)",
            s.lsoas, s.wards, s.lsoas_from
        );
        let _ = writeln!(
            out,
            "Compared: {}.\nCaveat: {}.\n",
            s.comparison.rule, s.comparison.caveat
        );
    } else {
        let _ = writeln!(out, "{} LSOAs in {} wards\n", s.lsoas, s.wards);
    }
    let _ = writeln!(out, "{:<44}{:>10}{:>10}", "", from, to);
    let _ = writeln!(
        out,
        "{:<44}{:>10}{:>10}",
        "Most deprived 1% line (rank ≤)", s.top1.threshold_from, s.top1.threshold_to
    );
    let _ = writeln!(
        out,
        "{:<44}{:>10}{:>10}",
        "LSOAs in the most deprived 1% nationally", s.top1.count_from, s.top1.count_to
    );
    let _ = writeln!(
        out,
        "{:<44}{:>10}{:>10}",
        "LSOAs in the most deprived 10% (decile 1)", s.decile1.count_from, s.decile1.count_to
    );
    let _ = writeln!(
        out,
        "{:<44}{:>10}{:>10}",
        "Share of the LA's LSOAs in decile 1",
        percent(s.decile1.share_from),
        percent(s.decile1.share_to)
    );
    let _ = writeln!(
        out,
        "{:<44}{:>10}{:>10}",
        "Population in decile 1",
        "",
        opt(s.decile1.population_to)
    );
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
    let _ = writeln!(
        out,
        "\nPriority wards (an LSOA in the {to} 1%): {}",
        s.priority_wards.len()
    );
    for ward in &s.priority_wards {
        let _ = writeln!(
            out,
            "  {:<36} {}  {} LSOA(s) in the 1%",
            ward.name, ward.code, ward.lsoas_in_top1
        );
    }
    if let Some(source) = &s.population_source {
        let _ = writeln!(out, "\nPopulation: {source}");
    }
    let _ = writeln!(
        out,
        "Rank 1 = most deprived. Ranks are relative: a worse rank can mean other areas improved faster."
    );
    out
}

/// The `changes` CSV: the header other tools rely on (columns are only ever added at the end), then one row per LSOA.
/// A name that starts like a formula (`=`, `+`, `-`, `@`) is written with a leading `'` so Excel shows it as text.
/// Across the 2011 to 2021 boundary change, `boundary_change` is the ONS letter (U, S, M, X) and `earlier_lsoas` the
/// 2011 parents, space-separated; the rule is in the README ("Comparing 2019 with 2025").
pub fn changes_csv(rows: &[&LsoaChange]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CHANGES_CSV_COLUMNS.iter().map(|c| c.header(None)))?;
    for r in rows {
        let cells = CHANGES_CSV_COLUMNS.iter().map(|c| c.cell(r));
        writer.write_record(cells.map(|cell| crate::model::csv_safe_cell(&cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The `changes` rows as a readable table.
pub fn changes_text(c: &EditionComparison, rows: &[&LsoaChange]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): IMD {} → {}; 1% line rank ≤ {} / ≤ {}; change = later − earlier, negative = worsened\n",
        c.la_name, c.la_code, c.from, c.to, c.threshold_from, c.threshold_to
    );
    let _ = writeln!(
        out,
        "{:<10} {:<24} {:<30} {:>8} {:>8} {:>7}  1%",
        "LSOA", "Name", "Ward", c.from, c.to, "Change"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<10} {:<24} {:<30} {:>8} {:>8} {:>7}  {}",
            r.lsoa_code,
            truncate(&r.lsoa_name, 24),
            truncate(&r.ward_name, 30),
            opt(r.rank_from),
            opt(r.rank_to),
            r.change.map_or_else(|| "–".into(), |c| format!("{c:+}")),
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
    let _ = writeln!(out, "{} LSOAs; population {}", p.lsoas.len(), opt(p.population));
    for counts in &p.counts {
        let _ = writeln!(
            out,
            "IMD {}: {} in the most deprived 1%, {} in decile 1{}",
            counts.edition,
            counts.in_top1,
            counts.in_decile1,
            counts
                .population_in_decile1
                .map(|n| format!(" (population {n})"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "\n{:<10} {:<22} {:>8} {:>8} {:>7} {:>4} {:>4} {:>6} {:>6}",
        "LSOA", "Name", p.counts[0].edition, p.counts[1].edition, "Change", "D", "D", "Pop", "LA rk"
    );
    for r in &p.lsoas {
        let _ = writeln!(
            out,
            "{:<10} {:<22} {:>8} {:>8} {:>7} {:>4} {:>4} {:>6} {:>6}",
            r.lsoa_code,
            truncate(&r.lsoa_name, 22),
            opt(r.rank_from),
            opt(r.rank_to),
            r.change.map_or_else(|| "–".into(), |c| format!("{c:+}")),
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
