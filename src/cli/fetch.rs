//! `locality-map fetch`: download the catalogue's official datasets into a data folder, with progress on stderr.

use super::FetchArgs;
use crate::io::{Catalogue, FetchOptions, FetchOutcome, FetchSource, fetch_catalogue};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Runs the download; exit 0 when nothing failed, 1 when a download failed or did not verify.
pub fn run(args: &FetchArgs, data: Option<&Path>) -> ExitCode {
    let catalogue = match Catalogue::shipped() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("locality-map: the built-in catalogue does not parse: {e}");
            return ExitCode::FAILURE;
        }
    };
    let unknown: Vec<&String> = args
        .only
        .iter()
        .filter(|id| !catalogue.datasets.iter().any(|d| &d.id == *id))
        .collect();
    if !unknown.is_empty() {
        eprintln!(
            "locality-map: no catalogue dataset {unknown:?}; ids are listed in boundaries/sources.toml (e.g. {})",
            catalogue.datasets.first().map_or("", |d| d.id.as_str())
        );
        return ExitCode::from(2);
    }
    let dest = args
        .dest
        .clone()
        .or_else(|| data.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("locality-map-data"));
    let options = FetchOptions {
        dest: dest.clone(),
        source: FetchSource::from_arg(args.mirror.as_deref()),
        only: args.only.clone(),
        replace: args.overwrite.replace(),
        read_timeout: Duration::from_secs(args.timeout.max(1)),
        deadline: Duration::from_secs(args.deadline.max(1)),
    };
    eprintln!("Fetching into {}", crate::model::escape_path(&dest));
    let mut last_percent: Option<(String, u64)> = None;
    let mut progress = |id: &str, done: u64, total: Option<u64>| {
        let percent = total.filter(|t| *t > 0).map_or(0, |t| done * 100 / t);
        if last_percent.as_ref().is_none_or(|(i, p)| i != id || percent >= p + 10) {
            eprint!("\r  {id}: {percent}% ({:.1} MB)   ", done as f64 / 1e6);
            let _ = std::io::stderr().flush();
            last_percent = Some((id.to_string(), percent));
        }
    };
    let results = fetch_catalogue(&catalogue, &options, &mut progress);
    eprintln!();
    let mut failed = 0;
    for result in &results {
        let line = match &result.outcome {
            FetchOutcome::Written { bytes } => format!("written ({bytes} bytes, verified)"),
            FetchOutcome::AlreadyPresent => "already present and verified".to_string(),
            FetchOutcome::Skipped(why) => format!("skipped: {why}"),
            FetchOutcome::Failed(why) => {
                failed += 1;
                format!("FAILED, nothing was replaced: {why}")
            }
        };
        println!("{:<36} {}", result.id, crate::model::escape_text(&line));
    }
    let written = results
        .iter()
        .filter(|r| matches!(r.outcome, FetchOutcome::Written { .. }))
        .count();
    println!(
        "{written} written, {} already present, {} skipped, {failed} failed",
        results
            .iter()
            .filter(|r| r.outcome == FetchOutcome::AlreadyPresent)
            .count(),
        results
            .iter()
            .filter(|r| matches!(r.outcome, FetchOutcome::Skipped(_)))
            .count()
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
