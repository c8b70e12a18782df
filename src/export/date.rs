//! Today's date for the "Exported" line, from the system clock without a calendar library.

use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CivilDate {
    /// Year, e.g. 2025.
    pub year: i64,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl CivilDate {
    /// Today in UTC (1970-01-01 if the clock is before the epoch).
    pub fn today() -> Self {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Self::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    ///
    /// ```
    /// use locality_map::export::CivilDate;
    /// let d = CivilDate::from_days_since_epoch(19_723);
    /// assert_eq!(d.iso(), "2024-01-01");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days_map_to_their_dates() {
        let cases = [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (59, "1970-03-01"),
            (10_957, "2000-01-01"),
            (11_016, "2000-02-29"),
            (11_017, "2000-03-01"),
            (19_782, "2024-02-29"),
            (20_088, "2024-12-31"),
            (20_089, "2025-01-01"),
        ];
        for (days, expected) in cases {
            assert_eq!(CivilDate::from_days_since_epoch(days).iso(), expected, "day {days}");
        }
    }

    #[test]
    fn consecutive_days_step_by_one_across_four_centuries() {
        let mut previous = CivilDate::from_days_since_epoch(-150_000);
        for days in -149_999..150_000 {
            let next = CivilDate::from_days_since_epoch(days);
            let rolled = next.day == 1 && (next.month != previous.month);
            assert!(
                (next.day == previous.day + 1 && next.month == previous.month && next.year == previous.year) || rolled,
                "{} after {}",
                next.iso(),
                previous.iso()
            );
            previous = next;
        }
    }
}
