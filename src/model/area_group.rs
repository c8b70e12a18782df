//! A planner's grouping of wards or LSOAs into named areas (e.g. Leeds' ten Community Committee areas), as read from
//! a grouping file.

use std::path::PathBuf;

/// What a row of a grouping file names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupMember {
    /// A ward by its ONS code (`E05011400`).
    WardCode(String),
    /// A ward by name (`Gipton & Harehills`).
    WardName(String),
    /// An LSOA by its ONS code.
    LsoaCode(String),
}

/// One row of a grouping file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The ward or LSOA.
    pub member: GroupMember,
    /// The group's name.
    pub group: String,
}

/// A grouping file as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupFile {
    /// Where it came from.
    pub path: PathBuf,
    /// Its rows, in file order (blank rows skipped).
    pub rows: Vec<GroupRow>,
}

impl GroupFile {
    /// Group names in the order they first appear.
    pub fn group_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for row in &self.rows {
            if !names.contains(&row.group) {
                names.push(row.group.clone());
            }
        }
        names
    }
}
