//! The data catalogue `boundaries/sources.toml`: every dataset the app understands, who publishes it, its licence and
//! the row or feature count `validate` expects.

use serde::Deserialize;

/// The catalogue as shipped in the binary.
pub const SOURCES_TOML: &str = include_str!("../../boundaries/sources.toml");

/// One catalogue entry (unknown keys are ignored).
#[derive(Clone, Debug, Deserialize)]
pub struct CatalogueEntry {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `imd_table`, `boundaries`, `lookup`, `centroids`.
    pub kind: String,
    /// Publisher.
    pub publisher: String,
    /// Official page.
    pub landing_page: Option<String>,
    /// Direct download, when known.
    pub download_url: Option<String>,
    /// Licence.
    pub licence: String,
    /// Path inside a data folder.
    pub file_name: String,
    /// Rows or features expected.
    pub expected_rows: Option<usize>,
    /// Size of the file in bytes, when catalogued.
    pub bytes: Option<u64>,
    /// SHA-256 of the file (hex), when catalogued.
    pub sha256: Option<String>,
}

/// Attribution lines required on published maps (`YEAR` to be filled in).
#[derive(Clone, Debug, Deserialize)]
pub struct Attribution {
    /// Ordnance Survey line.
    pub os: String,
    /// ONS line.
    pub ons: String,
    /// Licence name.
    pub licence: String,
}

/// The whole catalogue.
#[derive(Clone, Debug, Deserialize)]
pub struct Catalogue {
    /// Format version.
    pub schema_version: u32,
    /// Attribution lines.
    pub attribution: Attribution,
    /// Datasets.
    #[serde(rename = "dataset")]
    pub datasets: Vec<CatalogueEntry>,
    /// Local indicator sources (police.uk, claimant count), recognised by headers.
    #[serde(rename = "indicator", default)]
    pub indicators: Vec<IndicatorSource>,
}

/// A local indicator source the catalogue knows: its licence and the attribution printed with it.
#[derive(Clone, Debug, Deserialize)]
pub struct IndicatorSource {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Licence.
    pub licence: String,
    /// The line printed on maps and tables.
    pub attribution: String,
    /// Header texts (any case) a file must all have to be this source.
    pub match_headers: Vec<String>,
}

impl Catalogue {
    /// The shipped catalogue.
    pub fn shipped() -> Result<Self, toml::de::Error> {
        toml::from_str(SOURCES_TOML)
    }

    /// The indicator source whose headers a table has (the one naming most headers wins).
    pub fn indicator_source_for(&self, headers: &[String]) -> Option<&IndicatorSource> {
        let has = |wanted: &String| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(wanted));
        self.indicators
            .iter()
            .filter(|s| s.match_headers.iter().all(has))
            .max_by_key(|s| s.match_headers.len())
    }

    /// The entry for a file, matched by file name (folders may be arranged differently).
    pub fn entry_for(&self, path: &std::path::Path) -> Option<&CatalogueEntry> {
        let name = path.file_name()?.to_str()?.trim_start_matches("embedded:");
        self.datasets
            .iter()
            .find(|d| d.file_name.rsplit('/').next() == Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_parses_and_names_the_national_boundaries() {
        let catalogue = Catalogue::shipped().unwrap();
        let entry = catalogue
            .entry_for(std::path::Path::new("x/LSOA_Dec_2011_BSC_EW_V3.geojson"))
            .unwrap();
        assert_eq!(entry.expected_rows, Some(34_753));
        assert!(catalogue.attribution.os.contains("Crown copyright"));
        let police: Vec<String> = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
            .split(',')
            .map(String::from)
            .collect();
        let source = catalogue.indicator_source_for(&police).unwrap();
        assert_eq!(source.licence, "Open Government Licence v3.0");
    }
}
