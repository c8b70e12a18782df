//! ONS lookups: LSOA → ward → local authority, and LSOA 2011 → LSOA 2021 with the change indicator.

use super::{AreaCode, LsoaVintage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where one LSOA sits: its ward and local authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WardOfLsoa {
    /// Ward code.
    pub ward_code: AreaCode,
    /// Ward name.
    pub ward_name: String,
    /// Local authority code.
    pub la_code: Option<AreaCode>,
    /// Local authority name.
    pub la_name: String,
}

/// An ONS best-fit LSOA → ward → LA lookup, e.g. "LSOA (2011) to Ward (2019) Lookup in England and Wales".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WardLookup {
    /// The ward year of its codes (`WD19CD` → 2019).
    pub ward_year: u16,
    /// Ward of each LSOA.
    pub by_lsoa: BTreeMap<AreaCode, WardOfLsoa>,
    /// The files it came from.
    pub sources: Vec<PathBuf>,
}

/// ONS `CHGIND`: how a 2011 LSOA became 2021 LSOAs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BoundaryChange {
    /// U: unchanged.
    Unchanged,
    /// S: the 2011 LSOA was split into several 2021 LSOAs.
    Split,
    /// M: several 2011 LSOAs were merged into one 2021 LSOA.
    Merged,
    /// X: redesigned; neither a clean split nor a merge.
    Irregular,
}

impl BoundaryChange {
    /// From the ONS letter.
    pub fn from_letter(letter: &str) -> Option<Self> {
        match letter.trim() {
            "U" | "u" => Some(Self::Unchanged),
            "S" | "s" => Some(Self::Split),
            "M" | "m" => Some(Self::Merged),
            "X" | "x" => Some(Self::Irregular),
            _ => None,
        }
    }

    /// The ONS letter.
    pub fn letter(self) -> &'static str {
        match self {
            Self::Unchanged => "U",
            Self::Split => "S",
            Self::Merged => "M",
            Self::Irregular => "X",
        }
    }
}

/// One row of the LSOA 2011 → 2021 lookup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LsoaChangeRow {
    /// 2011 LSOA.
    pub lsoa11: AreaCode,
    /// 2021 LSOA.
    pub lsoa21: AreaCode,
    /// What happened between them.
    pub change: BoundaryChange,
    /// Local authority code of the 2021 LSOA.
    pub la_code: Option<AreaCode>,
}

/// The ONS LSOA (2011) → LSOA (2021) → LAD lookup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LsoaChangeLookup {
    /// Rows as published (deduplicated).
    pub rows: Vec<LsoaChangeRow>,
    /// The files it came from.
    pub sources: Vec<PathBuf>,
}

/// A lookup table of either kind, as read from a file.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// LSOA → ward → LA, for LSOAs of the given vintage.
    Ward(LsoaVintage, WardLookup),
    /// LSOA 2011 → LSOA 2021.
    Change(LsoaChangeLookup),
}
