//! The indicators window's choices as a project stores them ([`IndicatorChoice`]), and back.

use super::indicator_window::{IndicatorWindowState, MeasureChoice};
use crate::analysis::Level;
use crate::model::Dataset;
use crate::project::{IndicatorChoice, IndicatorLevelChoice, IndicatorMeasureChoice};

impl IndicatorWindowState {
    /// What the window shows, for a project or a named selection; `None` before an indicator is chosen.
    pub fn choice(&self, dataset: Option<&Dataset>) -> Option<IndicatorChoice> {
        if self.indicator.is_empty() {
            return None;
        }
        let measure = match self.measure {
            MeasureChoice::Period(i) => {
                let periods = dataset
                    .and_then(|d| d.indicators.find(&self.indicator))
                    .map(|ind| ind.periods.as_slice())
                    .unwrap_or_default();
                match periods.get(i.min(periods.len().saturating_sub(1))) {
                    Some(period) => IndicatorMeasureChoice::Period(period.to_string()),
                    None => IndicatorMeasureChoice::LastMonths,
                }
            }
            MeasureChoice::LastMonths => IndicatorMeasureChoice::LastMonths,
            MeasureChoice::MonthlyMean => IndicatorMeasureChoice::MonthlyMean,
            MeasureChoice::Change => IndicatorMeasureChoice::Change,
            MeasureChoice::ChangeCount => IndicatorMeasureChoice::ChangeCount,
        };
        Some(IndicatorChoice {
            name: self.indicator.clone(),
            level: match self.level {
                Level::Lsoa => IndicatorLevelChoice::Lsoa,
                Level::Ward => IndicatorLevelChoice::Ward,
                Level::La => IndicatorLevelChoice::La,
            },
            measure,
            months: self.months,
            per_1000: self.per_1000,
        })
    }

    /// Takes up a saved choice. A period the loaded indicator does not have falls back to the last N months; an
    /// indicator that is not loaded is kept by name (the window then offers the indicators there are).
    pub fn apply_choice(&mut self, choice: &IndicatorChoice, dataset: Option<&Dataset>) {
        self.indicator.clone_from(&choice.name);
        self.level = match choice.level {
            IndicatorLevelChoice::Lsoa => Level::Lsoa,
            IndicatorLevelChoice::Ward => Level::Ward,
            IndicatorLevelChoice::La => Level::La,
        };
        self.months = choice.months.clamp(1, 120);
        self.per_1000 = choice.per_1000;
        self.measure = match &choice.measure {
            IndicatorMeasureChoice::Period(label) => dataset
                .and_then(|d| d.indicators.find(&choice.name))
                .and_then(|ind| ind.periods.iter().position(|p| p.to_string() == *label))
                .map_or(MeasureChoice::LastMonths, MeasureChoice::Period),
            IndicatorMeasureChoice::LastMonths => MeasureChoice::LastMonths,
            IndicatorMeasureChoice::MonthlyMean => MeasureChoice::MonthlyMean,
            IndicatorMeasureChoice::Change => MeasureChoice::Change,
            IndicatorMeasureChoice::ChangeCount => MeasureChoice::ChangeCount,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_goes_out_and_comes_back() {
        let mut window = IndicatorWindowState::default();
        assert_eq!(window.choice(None), None, "nothing chosen yet");
        window.indicator = "Burglary".into();
        window.level = Level::Ward;
        window.measure = MeasureChoice::Change;
        window.months = 3;
        window.per_1000 = true;
        let choice = window.choice(None).unwrap();
        let mut other = IndicatorWindowState::default();
        other.apply_choice(&choice, None);
        assert_eq!(other.choice(None), Some(choice));
        assert_eq!(other.level, Level::Ward);
        assert_eq!(other.measure, MeasureChoice::Change);
    }

    #[test]
    fn every_measure_round_trips() {
        for measure in [
            MeasureChoice::Period(0),
            MeasureChoice::LastMonths,
            MeasureChoice::MonthlyMean,
            MeasureChoice::Change,
            MeasureChoice::ChangeCount,
        ] {
            let mut window = IndicatorWindowState::default();
            window.indicator = "crime".into();
            window.measure = measure;
            let text = serde_json::to_string(&window.choice(None).unwrap()).unwrap();
            let mut other = IndicatorWindowState::default();
            other.apply_choice(&serde_json::from_str(&text).unwrap(), None);
            // A period needs the loaded indicator's periods; without them it falls back to the last months.
            let want = match measure {
                MeasureChoice::Period(_) => MeasureChoice::LastMonths,
                m => m,
            };
            assert_eq!(other.measure, want, "{text}");
        }
    }

    #[test]
    fn a_period_not_loaded_falls_back_to_the_last_months() {
        let mut window = IndicatorWindowState::default();
        let choice = IndicatorChoice {
            name: "All crime".into(),
            measure: IndicatorMeasureChoice::Period("2031-01".into()),
            ..IndicatorChoice::default()
        };
        window.apply_choice(&choice, None);
        assert_eq!(window.measure, MeasureChoice::LastMonths);
        assert_eq!(window.indicator, "All crime");
    }
}
