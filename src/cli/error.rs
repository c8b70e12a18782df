//! Why a command failed, typed until it is printed: `run` is the edge, where it becomes one line on stderr.

use crate::analysis::AnalysisError;
use crate::export::ExportError;
use crate::io::{LoadError, SaveError};
use crate::project::ProjectError;
use std::path::PathBuf;

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The data could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The comparison, summary, ward profile or league table cannot be made.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// The `--project` file could not be opened.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A picture or file could not be drawn or saved.
    #[error(transparent)]
    Export(ExportError),
    /// A table could not be written as CSV.
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    /// An output file is there already and `--force` was not given.
    #[error(
        "the file already exists; pass --force to replace it — {}",
        crate::model::escape_path(path)
    )]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A folder for the output could not be made.
    #[error("cannot create the folder {}: {source}", crate::model::escape_path(path))]
    CreateFolder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Standard output could not be written (a closed pipe is not an error).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// Anything else, as the sentence to print (the data is unusable, a project's data folder needs a flag, …).
    #[error("{0}")]
    Message(String),
}

impl From<ExportError> for CliError {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::Save(SaveError::Exists { path }) => Self::Exists { path },
            other => Self::Export(other),
        }
    }
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        Self::Message(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        Self::Message(message.to_string())
    }
}
