//! What a load found and what it could not use: the `JoinReport` the CLI and the window both show.

use super::escape_text;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing was dropped.
    Note,
    /// Something was skipped or guessed; the rest loaded.
    Warning,
    /// A whole file could not be used.
    Error,
}

/// One problem, naming the file and the place in it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// How bad it is.
    pub severity: Severity,
    /// The file at fault, if any.
    pub path: Option<PathBuf>,
    /// Where in the file: `row 12`, `feature 3`, `record 7`.
    pub location: Option<String>,
    /// One readable sentence.
    pub message: String,
}

impl fmt::Display for Problem {
    /// One line: control and bidirectional characters from file names and contents are escaped, so nothing in a
    /// file can forge or reorder a line of the report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: ")?;
        if let Some(location) = &self.location {
            write!(f, "{}: ", escape_text(location))?;
        }
        f.write_str(&escape_text(&self.message))?;
        // File-level errors already end with their path (see `LoadError`); do not print it twice.
        if let Some(path) = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .filter(|p| !self.message.ends_with(p.as_str()))
        {
            write!(f, " — {}", escape_text(&path))?;
        }
        Ok(())
    }
}

/// What was found in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSummary {
    /// The file.
    pub path: PathBuf,
    /// What it was recognised as, e.g. `IMD 2019 table (LSOA 2011)`.
    pub recognised_as: String,
    /// Rows or features loaded.
    pub records: usize,
    /// Coordinate reference system, for boundary files.
    pub crs: Option<String>,
    /// How long it took to read, in milliseconds.
    pub load_millis: f64,
}

/// Everything a load found and every problem, in the order met.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct JoinReport {
    /// Files that were used.
    pub files: Vec<FileSummary>,
    /// Problems, files skipped and rows dropped.
    pub problems: Vec<Problem>,
}

impl JoinReport {
    /// Records a problem.
    pub fn push(
        &mut self,
        severity: Severity,
        path: Option<PathBuf>,
        location: Option<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            severity,
            path,
            location,
            message: message.into(),
        });
    }

    /// Records a warning about a place in a file.
    pub fn warn_at(&mut self, path: &std::path::Path, location: impl Into<String>, message: impl Into<String>) {
        self.push(
            Severity::Warning,
            Some(path.to_path_buf()),
            Some(location.into()),
            message,
        );
    }

    /// Appends another report.
    pub fn extend(&mut self, other: JoinReport) {
        self.files.extend(other.files);
        self.problems.extend(other.problems);
    }

    /// The problems ranked by what they change for the planner: errors (a file or figures could not be used) first,
    /// then warnings, then notes; in the order met within each.
    pub fn ranked(&self) -> Vec<&Problem> {
        let mut problems: Vec<&Problem> = self.problems.iter().collect();
        problems.sort_by_key(|p| std::cmp::Reverse(p.severity));
        problems
    }

    /// How many problems of one severity.
    pub fn count_of(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == severity).count()
    }

    /// The problems counted by kind, worst first, naming only kinds present: `1 error, 2 warnings and 11 notes`;
    /// `None` when there are none.
    ///
    /// ```
    /// use locality_map::model::{JoinReport, Severity};
    /// let mut report = JoinReport::default();
    /// assert_eq!(report.counts_in_words(), None);
    /// report.push(Severity::Note, None, None, "a");
    /// report.push(Severity::Warning, None, None, "b");
    /// report.push(Severity::Note, None, None, "c");
    /// assert_eq!(report.counts_in_words().as_deref(), Some("1 warning and 2 notes"));
    /// ```
    pub fn counts_in_words(&self) -> Option<String> {
        let parts: Vec<String> = [
            (Severity::Error, "error", "errors"),
            (Severity::Warning, "warning", "warnings"),
            (Severity::Note, "note", "notes"),
        ]
        .into_iter()
        .filter_map(|(severity, one, many)| match self.count_of(severity) {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        })
        .collect();
        match parts.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
        }
    }

    /// Problems at or above a severity.
    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity >= severity).count()
    }
}
