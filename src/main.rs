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
    hand_memory_back_promptly();
    if cli.no_cache {
        locality_map::io::cache::turn_off_for_this_process();
    }
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

/// The window stays open for hours and frees megabyte meshes at every zoom step; the command line lives for a second.
/// So only the window has mimalloc return freed pages at once (its default keeps them a second for reuse) and turns
/// off transparent huge pages (a 4 KB touch otherwise commits 2 MB). Together about 80 MB less for the national map;
/// the command line keeps both (a national PNG export is 8% slower without huge pages).
#[cfg(feature = "gui")]
fn hand_memory_back_promptly() {
    // `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (include/mimalloc.h); libmimalloc-sys names no constant.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: mi_option_set only stores an option value (read at each purge); prctl with PR_SET_THP_DISABLE only sets
    // a flag on this process. Neither touches memory Rust owns.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_cli: Cli) -> std::process::ExitCode {
    eprintln!("locality-map: built without the `gui` feature; use a sub-command (`locality-map --help`)");
    std::process::ExitCode::FAILURE
}
