//! The local indicator a project, or one of its named selections, was showing: which indicator, at which level,
//! what was mapped (a month, the last N months, or their change) and whether as rates per 1,000. Stored in the
//! `.lmap` file as plain names so that a project written before indicators existed still opens (the field is
//! simply absent), and a file from a newer build with a choice this one does not know still opens too.

use serde::{Deserialize, Serialize};

/// Which areas the indicator was mapped at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorLevelChoice {
    /// LSOAs.
    #[default]
    Lsoa,
    /// Wards.
    Ward,
    /// Local authorities.
    La,
}

/// What was mapped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorMeasureChoice {
    /// One period, as the indicator labels it (`2024-02`, or a year).
    Period(String),
    /// The last N months summed.
    #[default]
    LastMonths,
    /// The monthly mean of the last N months.
    MonthlyMean,
    /// The % change of the last N months against the N before.
    Change,
    /// The change of the last N months against the N before, in counts (or rates per 1,000).
    ChangeCount,
}

/// The indicator shown, as a project or a named selection remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorChoice {
    /// The indicator's name (`All crime`, `Burglary`, a table's value column…).
    pub name: String,
    /// The areas it was mapped at.
    pub level: IndicatorLevelChoice,
    /// What was mapped.
    pub measure: IndicatorMeasureChoice,
    /// The window length in months (for the last-N-months sum and the change).
    pub months: usize,
    /// Rates per 1,000 residents rather than counts.
    pub per_1000: bool,
}

impl Default for IndicatorChoice {
    fn default() -> Self {
        Self {
            name: String::new(),
            level: IndicatorLevelChoice::Lsoa,
            measure: IndicatorMeasureChoice::LastMonths,
            months: 12,
            per_1000: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_round_trips_and_missing_fields_take_defaults() {
        let choice = IndicatorChoice {
            name: "Burglary".into(),
            level: IndicatorLevelChoice::Ward,
            measure: IndicatorMeasureChoice::Period("2024-02".into()),
            months: 3,
            per_1000: true,
        };
        let text = serde_json::to_string(&choice).unwrap();
        assert_eq!(serde_json::from_str::<IndicatorChoice>(&text).unwrap(), choice);
        let partial: IndicatorChoice = serde_json::from_str(r#"{"name": "All crime"}"#).unwrap();
        assert_eq!(partial.months, 12);
        assert_eq!(partial.measure, IndicatorMeasureChoice::LastMonths);
    }
}
