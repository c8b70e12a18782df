//! `locality-map`: the map window, or a CLI sub-command when one is given.

use clap::Parser as _;
use locality_map::cli::{Cli, run};

// Loading builds a few hundred thousand small strings and rows; mimalloc halves the time the system allocator takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        return run(cli);
    }
    open_window(cli)
}

#[cfg(feature = "gui")]
fn open_window(cli: Cli) -> std::process::ExitCode {
    match locality_map::ui::run_window(cli.data) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "locality-map: the window could not open ({error}); the sub-commands (`locality-map --help`) work without one"
            );
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_cli: Cli) -> std::process::ExitCode {
    eprintln!("locality-map: built without the `gui` feature; use a sub-command (`locality-map --help`)");
    std::process::ExitCode::FAILURE
}
