//! `locality-map`: the CLI sub-commands, or the map window when none is given.

use clap::Parser as _;
use locality_map::cli::{Cli, run};

fn main() -> std::process::ExitCode {
    run(Cli::parse())
}
