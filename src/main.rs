//! `locality-map`: the CLI sub-commands, or the map window when none is given.

use clap::Parser as _;
use locality_map::cli::{Cli, run};

// Loading builds a few hundred thousand small strings and rows; mimalloc halves the time the system allocator takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    run(Cli::parse())
}
