//! ONS area codes (`E01011372`, `E05011400`, `E08000035`) and IMD ranks and deciles, checked when built.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::{NonZeroU8, NonZeroU32};

/// A nine-character ONS GSS code: one letter, then eight digits (`E01011372`).
///
/// ```
/// use locality_map::model::AreaCode;
/// assert!(AreaCode::parse("E01011372").is_some());
/// assert!(AreaCode::parse(" e01011372 ").is_some()); // trimmed and upper-cased
/// assert!(AreaCode::parse("Leeds").is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaCode([u8; 9]); // Inline ASCII: an edition keys 33,000 rows by code, so no allocation per code.

impl AreaCode {
    /// Parses a GSS code, trimming spaces and upper-casing the letter; `None` if it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes: [u8; 9] = text.trim().as_bytes().try_into().ok()?;
        if !bytes[0].is_ascii_alphabetic() || !bytes[1..].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut code = bytes;
        code[0] = code[0].to_ascii_uppercase();
        Some(Self(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Always ASCII: checked in `parse`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The three-character entity prefix, e.g. `E01` (LSOA in England) or `W01` (LSOA in Wales).
    pub fn entity(&self) -> &str {
        self.as_str().get(..3).unwrap_or_default()
    }

    /// True for LSOAs in Wales (`W01…`), which the English IMD does not rank.
    pub fn is_welsh(&self) -> bool {
        self.0[0] == b'W'
    }
}

impl fmt::Debug for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl TryFrom<String> for AreaCode {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not an ONS area code"))
    }
}

impl From<AreaCode> for String {
    fn from(code: AreaCode) -> String {
        code.as_str().to_string()
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IMD rank: 1 is the most deprived LSOA in England. Never zero.
///
/// ```
/// use locality_map::model::Rank;
/// assert!(Rank::new(0).is_none());
/// assert_eq!(Rank::new(328).map(Rank::get), Some(328));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Rank(NonZeroU32); // Non-zero, so `Option<Rank>` takes four bytes in rows held 33,000 at a time.

impl Rank {
    /// A rank, or `None` for zero.
    pub fn new(value: u32) -> Option<Self> {
        NonZeroU32::new(value).map(Self)
    }

    /// The rank as a number.
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl TryFrom<u32> for Rank {
    type Error = &'static str;
    fn try_from(value: u32) -> Result<Self, &'static str> {
        Self::new(value).ok_or("rank 0 is not a rank: rank 1 is the most deprived")
    }
}

impl From<Rank> for u32 {
    fn from(rank: Rank) -> u32 {
        rank.get()
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An IMD decile as published: 1 is the most deprived 10% of LSOAs in England, 10 the least.
///
/// ```
/// use locality_map::model::Decile;
/// assert!(Decile::new(0).is_none() && Decile::new(11).is_none());
/// assert_eq!(Decile::new(1).map(Decile::get), Some(1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Decile(NonZeroU8);

impl Decile {
    /// A decile from 1 to 10, or `None`.
    pub fn new(value: u8) -> Option<Self> {
        NonZeroU8::new(value).filter(|v| v.get() <= 10).map(Self)
    }

    /// The decile as a number.
    pub fn get(self) -> u8 {
        self.0.get()
    }
}

impl TryFrom<u8> for Decile {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, String> {
        Self::new(value).ok_or_else(|| format!("decile {value} is not from 1 to 10"))
    }
}

impl From<Decile> for u8 {
    fn from(decile: Decile) -> u8 {
        decile.get()
    }
}

impl fmt::Display for Decile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_code_rejects_wrong_shapes() {
        for bad in ["", "E0101137", "E010113722", "001011372", "E0101137X", "E01 11372"] {
            assert!(AreaCode::parse(bad).is_none(), "{bad:?} accepted");
        }
        let welsh = AreaCode::parse("W01000001").unwrap();
        assert!(welsh.is_welsh());
        assert_eq!(welsh.entity(), "W01");
    }
}
