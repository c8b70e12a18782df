//! Why an analysis could not be made, in one sentence a planner can act on.

/// An analysis request that cannot be answered from the loaded data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnalysisError {
    /// The edition was not loaded.
    #[error("IMD {year} is not loaded (loaded: {available})")]
    EditionMissing {
        /// The year asked for.
        year: u16,
        /// The years that are loaded.
        available: String,
    },
    /// The edition loaded but none of its rows has an IMD rank.
    #[error(
        "IMD {year} has no IMD ranks loaded (its {files} file(s) gave none: a header-only, damaged or wrongly separated File 1?), so it cannot be compared; run validate to see why"
    )]
    NoRanks {
        /// The year asked for.
        year: u16,
        /// How many files of the edition loaded.
        files: usize,
    },
    /// No local authority matched.
    #[error("no LA {query:?} in IMD {year}{hint}")]
    LaNotFound {
        /// What was typed.
        query: String,
        /// The edition searched.
        year: u16,
        /// " — did you mean …?" or empty.
        hint: String,
    },
    /// The editions rank different LSOA sets.
    #[error(
        "IMD {from} ranks {from_vintage}s and IMD {to} ranks {to_vintage}s: comparing across the 2011→2021 boundary change needs the ONS LSOA (2011) to LSOA (2021) lookup in the data folder, and the earlier edition as --from"
    )]
    DifferentVintages {
        /// Earlier edition.
        from: u16,
        /// Its LSOAs.
        from_vintage: String,
        /// Later edition.
        to: u16,
        /// Its LSOAs.
        to_vintage: String,
    },
    /// The same edition was asked for twice.
    #[error(
        "IMD {year} was chosen as both editions: choose two different editions to compare (e.g. --from 2015 --to 2019)"
    )]
    SameEdition {
        /// The year given twice.
        year: u16,
    },
    /// The earlier edition given is the later one.
    #[error(
        "the editions are in reverse order: IMD {from} is later than IMD {to}; change is always later − earlier, so compare --from {to} --to {from}"
    )]
    ReversedEditions {
        /// The edition given as earlier.
        from: u16,
        /// The edition given as later.
        to: u16,
    },
    /// No ward lookup or ward boundaries are loaded for the edition's LSOAs, so no ward can be found by name.
    #[error(
        "no ward lookup or ward boundaries are loaded for the {lsoa_year} LSOAs of IMD {edition}, so ward {query:?} cannot be found; add an ONS LSOA to ward lookup or ward boundaries to the data folder"
    )]
    NoWardsLoaded {
        /// What was typed.
        query: String,
        /// The year of the edition's LSOAs (2011 or 2021).
        lsoa_year: u16,
        /// The edition profiled.
        edition: u16,
    },
    /// No ward matched.
    #[error("no ward {query:?}{hint}")]
    WardNotFound {
        /// What was typed.
        query: String,
        /// ", did you mean …?" or empty.
        hint: String,
    },
    /// Several wards share the name.
    #[error("{count} wards are called {query:?} ({choices}); give the ward code or --la")]
    WardAmbiguous {
        /// What was typed.
        query: String,
        /// How many matched.
        count: usize,
        /// Their codes and LAs' names.
        choices: String,
    },
}
