//! A number of people as a publisher counts them: whole for most population columns, fractional where the publisher's
//! is (MHCLG's IoD2019 File 6 gives the working-age population in quarter-persons for 24,643 LSOAs, because the
//! 18-59/64 band follows women's state pension age through the year).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::Add;

/// A non-negative, finite number of people, stored as given (an `f64` holds every whole count and every quarter
/// exactly far beyond any English population). Shown as a whole number when it is one (`1296`), else with its
/// decimals (`619.75`); serialised the same way, so a whole column stays whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Persons(f64);

impl Persons {
    /// `None` for a negative, infinite or NaN count.
    pub fn new(people: f64) -> Option<Self> {
        // `+ 0.0` turns -0.0 into 0.0, so that zero always prints as `0`.
        (people.is_finite() && people >= 0.0).then_some(Self(people + 0.0))
    }

    /// A whole number of people.
    pub fn whole(people: u32) -> Self {
        Self(f64::from(people))
    }

    /// The count.
    pub fn get(self) -> f64 {
        self.0
    }

    /// True for a whole number of people.
    pub fn is_whole(self) -> bool {
        self.0.fract() == 0.0
    }

    /// Rounded to the nearest whole person (halves up), for counts shown to planners: "Population in the 1%" sums
    /// the exact figures first and rounds once, so a sum of whole counts is exact and a sum with quarter-persons is
    /// within half a person of the publisher's.
    ///
    /// ```
    /// use locality_map::model::Persons;
    /// let sum: Persons = [619.75, 1284.5].into_iter().filter_map(Persons::new).sum();
    /// assert_eq!(sum.whole_people(), 1904);
    /// assert_eq!(Persons::new(0.5).unwrap().whole_people(), 1);
    /// assert_eq!(Persons::whole(1296).whole_people(), 1296);
    /// ```
    pub fn whole_people(self) -> u64 {
        // Non-negative and finite by construction; `as` saturates beyond u64 (no population comes near).
        self.0.round() as u64
    }
}

impl From<u32> for Persons {
    fn from(people: u32) -> Self {
        Self::whole(people)
    }
}

impl From<Persons> for f64 {
    fn from(people: Persons) -> Self {
        people.0
    }
}

impl Add for Persons {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0 + other.0)
    }
}

impl Sum for Persons {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), Add::add)
    }
}

/// `1296` for a whole count, `619.75` for a fractional one (the shortest decimal that reads back the same).
///
/// ```
/// use locality_map::model::Persons;
/// assert_eq!(Persons::whole(1296).to_string(), "1296");
/// assert_eq!(Persons::new(619.75).unwrap().to_string(), "619.75");
/// assert_eq!(Persons::new(-0.0).unwrap().to_string(), "0");
/// ```
impl fmt::Display for Persons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_whole() && self.0 < 1e15 {
            write!(f, "{}", self.0 as u64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl Serialize for Persons {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_whole() && self.0 < 1e15 {
            serializer.serialize_u64(self.0 as u64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Persons {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let people = f64::deserialize(deserializer)?;
        Self::new(people).ok_or_else(|| serde::de::Error::custom(format!("{people} is not a number of people")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_count() {
        assert_eq!(Persons::new(-1.0), None);
        assert_eq!(Persons::new(f64::NAN), None);
        assert_eq!(Persons::new(f64::INFINITY), None);
    }

    #[test]
    fn json_keeps_whole_counts_whole_and_quarters_exact() {
        let values = [Persons::whole(715), Persons::new(619.75).unwrap()];
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(json, "[715,619.75]");
        let back: Vec<Persons> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, values);
        assert!(serde_json::from_str::<Persons>("-3").is_err());
    }

    #[test]
    fn sums_of_quarters_are_exact() {
        // 24,643 quarter-person values summed: f64 holds every multiple of 0.25 below 2^51 exactly.
        let total: Persons = (0..24_643).map(|_| Persons::new(619.75).unwrap()).sum();
        assert_eq!(total.get(), 619.75 * 24_643.0);
        assert!(!total.is_whole());
    }
}
