//! A planner's grouping file: a CSV naming, per row, a ward (by code or name) or an LSOA (by code), then the group it
//! belongs to, e.g. Leeds' ten Community Committee areas or its three wedges.

use super::{LoadError, read_csv, read_file};
use crate::model::{GroupFile, GroupMember, GroupRow};
use std::path::Path;

/// Reads a grouping file from disk (through the size cap for CSVs).
pub fn read_group_file(path: &Path) -> Result<GroupFile, LoadError> {
    parse_group_file(path, &read_file(path)?)
}

/// Parses a grouping file: a `ward_code`, `ward_name` or `lsoa_code` column (ONS names such as `WD19CD`,
/// `LSOA11CD` too), and a `group` column.
///
/// ```
/// use locality_map::{io::parse_group_file, model::GroupMember};
/// let file = parse_group_file("g.csv".as_ref(), b"ward_name,group\nArmley,Inner West\n").unwrap();
/// assert_eq!(file.rows[0].member, GroupMember::WardName("Armley".into()));
/// assert_eq!(file.rows[0].group, "Inner West");
/// ```
pub fn parse_group_file(path: &Path, bytes: &[u8]) -> Result<GroupFile, LoadError> {
    let table = read_csv(path, bytes)?;
    let is_ward = |h: &str| h.starts_with("ward") || h.starts_with("wd");
    let ward_code = table.column(|h| is_ward(h) && (h.contains("code") || h.ends_with("cd")));
    let ward_name = table.column(|h| is_ward(h) && (h.contains("name") || h.ends_with("nm")));
    let lsoa_code = table.column(|h| h.starts_with("lsoa") && (h.contains("code") || h.ends_with("cd")));
    let Some(group) = table.column(|h| h.trim() == "group" || h.starts_with("group")) else {
        return Err(LoadError::MissingColumn {
            what: "group",
            looked_for: "group",
            path: path.to_path_buf(),
        });
    };
    let member_column = match (ward_code, ward_name, lsoa_code) {
        (Some(i), _, _) => (i, GroupMember::WardCode as fn(String) -> GroupMember),
        (None, Some(i), _) => (i, GroupMember::WardName as fn(String) -> GroupMember),
        (None, None, Some(i)) => (i, GroupMember::LsoaCode as fn(String) -> GroupMember),
        (None, None, None) => {
            return Err(LoadError::MissingColumn {
                what: "ward or LSOA",
                looked_for: "ward_code, ward_name or lsoa_code",
                path: path.to_path_buf(),
            });
        }
    };
    let (column, member) = member_column;
    let mut rows = Vec::with_capacity(table.rows.len());
    for (row, record) in &table.rows {
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let (key, name) = (cell(column), cell(group));
        if key.is_empty() && name.is_empty() {
            continue;
        }
        if key.is_empty() || name.is_empty() {
            return Err(LoadError::Unrecognised {
                detail: format!("row {row}: a grouping row needs both a ward or LSOA and a group"),
                path: path.to_path_buf(),
            });
        }
        rows.push(GroupRow {
            row: *row,
            member: member(key),
            group: name,
        });
    }
    Ok(GroupFile {
        path: path.to_path_buf(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ons_headers_and_lsoa_rows_are_read() {
        let file = parse_group_file(Path::new("g.csv"), b"LSOA11CD,Group\nE01011372,East\n\n").unwrap();
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].member, GroupMember::LsoaCode("E01011372".into()));
        assert_eq!(file.rows[0].row, 2);
    }

    #[test]
    fn a_file_without_a_group_column_names_the_file() {
        let error = parse_group_file(Path::new("wedges.csv"), b"ward_name,area\nArmley,West\n").unwrap_err();
        assert!(error.to_string().contains("wedges.csv"), "{error}");
    }
}
