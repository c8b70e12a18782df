//! `cache status` and `cache clear`: the processed-data cache's entries, and removing them.

use crate::io::cache::{CacheSettings, clear, default_folder, entries};
use crate::model::escape_path;
use clap::{Args, Subcommand};
use std::process::ExitCode;

/// `cache` arguments.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CacheAction,
}

/// `cache` sub-commands.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Where the cache is, whether it is on, and each entry: size and what it was made from.
    Status,
    /// Remove every entry (the next load reads the data files again and saves a new one).
    Clear,
}

/// Runs `cache status` or `cache clear`.
pub fn run(args: &CacheArgs) -> ExitCode {
    let Some(folder) = default_folder() else {
        eprintln!("locality-map: no cache folder on this system (set XDG_CACHE_HOME or HOME)");
        return ExitCode::FAILURE;
    };
    match args.action {
        CacheAction::Status => {
            let on = CacheSettings::from_env(false).folder.is_some();
            let mut out = format!(
                "Processed-data cache: {}\n{}\n",
                escape_path(&folder),
                if on {
                    "On (turn off with --no-cache or LOCALITY_MAP_CACHE=off)."
                } else {
                    "Off (LOCALITY_MAP_CACHE is set to off)."
                }
            );
            let found = entries(&folder);
            if found.is_empty() {
                out.push_str("No entries.\n");
            }
            let mut total = 0;
            for entry in &found {
                total += entry.bytes;
                let what = match &entry.made_from {
                    Ok((label, files)) => format!("{} ({files} files)", crate::model::escape_text(label)),
                    Err(why) => format!("unreadable ({why}); it is rebuilt when next used"),
                };
                out.push_str(&format!(
                    "  {}  {:.1} MB  {what}\n",
                    entry.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                    entry.bytes as f64 / 1e6
                ));
            }
            if !found.is_empty() {
                out.push_str(&format!(
                    "{} entries, {:.1} MB in all.\n",
                    found.len(),
                    total as f64 / 1e6
                ));
            }
            match super::print(&out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("locality-map: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        CacheAction::Clear => match clear(&folder) {
            Ok(n) => {
                println!("Removed {n} cache files from {}.", escape_path(&folder));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "locality-map: the cache could not be cleared ({e}) — {}",
                    escape_path(&folder)
                );
                ExitCode::FAILURE
            }
        },
    }
}
