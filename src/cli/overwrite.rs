//! What a command may replace when it writes files, one rule for all of them (`map`, `pack`, `export`, `html`,
//! `areas --png`, `fetch`): nothing without `--force`; with it, only regular files; a symbolic link only with
//! `--replace-symlink` as well, and then the link itself, never the file it points at.

use super::CliError;
use crate::io::{Replace, check_replaceable};
use clap::Args;
use std::path::Path;

/// `--force` and `--replace-symlink`, flattened into every command that writes files.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct Overwrite {
    /// Replace output files that exist (regular files only: never a folder, device or pipe, nor a symbolic link)
    #[arg(long)]
    pub force: bool,
    /// With --force: an output that is a symbolic link is replaced itself (never the file it points at)
    #[arg(long, requires = "force")]
    pub replace_symlink: bool,
}

impl Overwrite {
    /// What a save may replace.
    pub fn replace(self) -> Replace {
        match (self.force, self.replace_symlink) {
            (true, true) => Replace::RegularFileOrLink,
            (force, _) => Replace::from_overwrite(force),
        }
    }

    /// Refuses, before any work, an output that may not be written (see [`check_replaceable`]).
    pub fn check(self, path: &Path) -> Result<(), CliError> {
        check_replaceable(path, self.replace()).map_err(|e| CliError::from(crate::export::ExportError::from(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_give_what_may_be_replaced() {
        let flags = |force, replace_symlink| Overwrite { force, replace_symlink }.replace();
        assert_eq!(flags(false, false), Replace::Nothing);
        assert_eq!(flags(true, false), Replace::RegularFile);
        assert_eq!(flags(true, true), Replace::RegularFileOrLink);
    }

    #[test]
    fn an_existing_file_is_refused_without_force_naming_it_last() {
        let dir = std::env::temp_dir().join(format!("lm-overwrite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("out.png");
        std::fs::write(&file, "old").unwrap();
        let message = Overwrite::default().check(&file).unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "the file already exists; pass --force to replace it — {}",
                file.display()
            )
        );
        let forced = Overwrite {
            force: true,
            replace_symlink: false,
        };
        assert!(forced.check(&file).is_ok());
        let link = dir.join("link.png");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(forced.check(&link).unwrap_err().to_string().contains("symbolic link"));
        let with_links = Overwrite {
            force: true,
            replace_symlink: true,
        };
        assert!(with_links.check(&link).is_ok());
        std::fs::remove_dir_all(&dir).ok();
    }
}
