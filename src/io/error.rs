//! Why a file could not be used: one readable sentence, naming the file (last) and the place.

use std::path::PathBuf;

/// A file-level failure. Row- and feature-level problems go to the `JoinReport` instead, and the rest of the file loads.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The operating system refused to read it.
    #[error("cannot read the file ({source}) — {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Zero bytes, or nothing but white space.
    #[error("the file is empty — {path}")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Larger than Locality Map will read.
    #[error("the file is {size_mb} MB, over the {limit_mb} MB limit for this kind of file — {path}")]
    TooLarge {
        /// Its size in MB.
        size_mb: u64,
        /// The limit in MB.
        limit_mb: u64,
        /// The file.
        path: PathBuf,
    },
    /// An HTML page saved under a data file's name (a failed download, a login page).
    #[error("this is a web page (HTML), not data: the download probably failed — {path}")]
    Html {
        /// The file.
        path: PathBuf,
    },
    /// JSON that does not parse.
    #[error("not valid GeoJSON at line {line}, column {column}: {detail} — {path}")]
    BadJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON parser said.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// Valid data, but not of a shape Locality Map reads.
    #[error("{detail} — {path}")]
    Unrecognised {
        /// What was expected and what was found.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// A coordinate reference system other than WGS84 or British National Grid.
    #[error(
        "unsupported coordinate reference system {crs:?}: Locality Map reads WGS84 (EPSG:4326, CRS84) and British National Grid (EPSG:27700) — {path}"
    )]
    UnsupportedCrs {
        /// The CRS as named in the file.
        crs: String,
        /// The file.
        path: PathBuf,
    },
    /// A shapefile without one of the files it needs beside it.
    #[error("the shapefile has no {missing} file beside it (a shapefile needs .shp, .shx and .dbf together) — {path}")]
    MissingSidecar {
        /// The missing extension, e.g. `.dbf`.
        missing: &'static str,
        /// The `.shp` file.
        path: PathBuf,
    },
    /// The shapefile reader failed.
    #[error("the shapefile cannot be read: {detail} — {path}")]
    Shapefile {
        /// What the reader said.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// A table without a column it needs.
    #[error("row 1: no {what} column (looked for {looked_for}) — {path}")]
    MissingColumn {
        /// What the column holds.
        what: &'static str,
        /// The header texts that would have been accepted.
        looked_for: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// An IMD table whose headers name no year.
    #[error("cannot tell which IMD edition this table is: its headers name no year; pass --edition YEAR — {path}")]
    UnknownEdition {
        /// The file.
        path: PathBuf,
    },
    /// The spreadsheet reader failed.
    #[error("the spreadsheet cannot be read: {detail} — {path}")]
    Spreadsheet {
        /// What the reader said.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// The CSV reader failed.
    #[error("row {row}: the CSV cannot be read: {detail} — {path}")]
    Csv {
        /// 1-based row, as a spreadsheet shows it.
        row: usize,
        /// What the reader said.
        detail: String,
        /// The file.
        path: PathBuf,
    },
}

impl LoadError {
    /// True when the file is simply not a kind Locality Map reads (a crime or claimant-count table, point
    /// centroids, a shapefile of other areas): it is passed over with a note, not counted as a file that failed.
    pub fn is_other_kind_of_file(&self) -> bool {
        const NOT_OURS: [&str; 5] = [
            "not an IMD table or ONS lookup",
            "none of the workbook's",
            "no feature has an LSOA or ward code property",
            "the .dbf has no LSOA or ward code field",
            "not polygons (for example",
        ];
        matches!(self, LoadError::Unrecognised { detail, .. } | LoadError::Shapefile { detail, .. }
            if NOT_OURS.iter().any(|n| detail.contains(n)))
    }
}
