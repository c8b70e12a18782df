//! The editions chosen in the window, settled before the scene is built: editions picked in reverse order are put in
//! order with a plain word, and a pair of different N (2019 → 2025) switches the map to percentile change, which the
//! legend explains (the planner can still choose rank change afterwards).

use super::Session;
use crate::analysis::{AnalysisError, check_edition_order};
use crate::style::MapMode;
use crate::ui::settings::Settings;

impl Session {
    /// Settles `settings`' editions and mode for a newly chosen pair; returns whether anything changed.
    pub fn settle_editions(&mut self, settings: &mut Settings) -> bool {
        let pair = (settings.from, settings.to);
        if self.settled_editions == Some(pair) {
            return false;
        }
        let mut changed = false;
        if let Err(AnalysisError::ReversedEditions { from, to }) = check_edition_order(pair.0, pair.1) {
            (settings.from, settings.to) = (to, from);
            self.say(
                true,
                format!(
                    "IMD {from} is later than IMD {to}, so the editions were put in order: IMD {to} to IMD {from} (change is \
                     always later − earlier)."
                ),
            );
            changed = true;
        }
        let n = |year: u16| {
            self.data()
                .and_then(|d| d.dataset.edition(year))
                .map(crate::model::ImdEdition::ranked_count)
        };
        if let (Some(n_from), Some(n_to)) = (n(settings.from), n(settings.to)) {
            let wanted = MapMode::default_change(n_from, n_to);
            if matches!(settings.mode, MapMode::RankChange | MapMode::PercentileChange) && settings.mode != wanted {
                settings.mode = wanted;
                changed = true;
            }
        }
        self.settled_editions = Some((settings.from, settings.to));
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::loader::embedded_leeds as leeds;

    #[test]
    fn reversed_editions_are_put_in_order_and_different_n_maps_percentile_change() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        assert!(
            !session.settle_editions(&mut settings),
            "2015 → 2019 is in order, same N"
        );
        assert_eq!(settings.mode, MapMode::RankChange);
        (settings.from, settings.to) = (2025, 2019);
        assert!(session.settle_editions(&mut settings));
        assert_eq!((settings.from, settings.to), (2019, 2025));
        assert_eq!(
            settings.mode,
            MapMode::PercentileChange,
            "2025 ranks 911 more LSOAs than 2019"
        );
        let message = session.file_message().expect("a word on the swap");
        assert!(message.text.contains("put in order"), "{}", message.text);
        // The planner may still choose rank change for this pair: it is not switched back.
        settings.mode = MapMode::RankChange;
        assert!(!session.settle_editions(&mut settings));
        assert_eq!(settings.mode, MapMode::RankChange);
        // Back to a pair of the same N: rank change again.
        (settings.from, settings.to) = (2015, 2019);
        settings.mode = MapMode::PercentileChange;
        assert!(session.settle_editions(&mut settings));
        assert_eq!(settings.mode, MapMode::RankChange);
    }

    #[test]
    fn the_same_edition_twice_clears_the_map_and_says_why() {
        let mut settings = Settings::default();
        let mut session = Session::with_data(leeds(), &settings);
        settings.from = 2019;
        session.settle_editions(&mut settings);
        assert!(session.rebuild_if_changed(&settings));
        assert!(
            session.scene().is_none(),
            "no map of 2015 → 2019 under the name 2019 → 2019"
        );
        let why = session.scene_error_text().expect("a reason");
        assert!(why.contains("both editions"), "{why}");
    }
}
