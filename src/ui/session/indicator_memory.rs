//! What the session remembers of the local indicator shown: the current choice (the indicators window reports it
//! each frame), the choice each named selection was saved with, and a choice waiting to be put back into the window
//! (after opening a project or a named selection).

use super::Session;
use crate::project::IndicatorChoice;
use std::collections::BTreeMap;

/// The indicator choices a session keeps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorMemory {
    /// The indicator shown now, if the window has one.
    pub current: Option<IndicatorChoice>,
    /// The choice each named selection was saved with.
    pub by_selection: BTreeMap<String, IndicatorChoice>,
    /// A choice for the window to take up.
    pending: Option<IndicatorChoice>,
}

impl IndicatorMemory {
    /// A named selection was saved: it keeps the current choice (or forgets an old one).
    pub fn saved(&mut self, name: &str) {
        match &self.current {
            Some(choice) => self.by_selection.insert(name.to_string(), choice.clone()),
            None => self.by_selection.remove(name),
        };
    }

    /// A named selection was opened: its choice, if it has one, goes back to the window.
    pub fn opened(&mut self, name: &str) {
        if let Some(choice) = self.by_selection.get(name) {
            self.pending = Some(choice.clone());
        }
    }

    /// A named selection was renamed.
    pub fn renamed(&mut self, old: &str, new: &str) {
        if let Some(choice) = self.by_selection.remove(old) {
            self.by_selection.insert(new.to_string(), choice);
        }
    }

    /// A project was opened: its choices replace the session's.
    pub fn restore(&mut self, current: Option<IndicatorChoice>, by_selection: BTreeMap<String, IndicatorChoice>) {
        self.pending.clone_from(&current);
        self.current = current;
        self.by_selection = by_selection;
    }
}

impl Session {
    /// The indicator memory (the current choice, and each named selection's).
    pub fn indicator_memory(&self) -> &IndicatorMemory {
        &self.indicators
    }

    /// The indicators window reports what it shows.
    pub fn set_indicator_choice(&mut self, choice: Option<IndicatorChoice>) {
        self.indicators.current = choice;
    }

    /// A choice the indicators window should take up (from an opened project or named selection), once.
    pub fn take_pending_indicator(&mut self) -> Option<IndicatorChoice> {
        self.indicators.pending.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{DataFolderStatus, IndicatorLevelChoice, OpenedProject};
    use crate::render::MapView;
    use crate::ui::settings::Settings;

    fn burglary() -> IndicatorChoice {
        IndicatorChoice {
            name: "Burglary".into(),
            level: IndicatorLevelChoice::Ward,
            months: 3,
            ..IndicatorChoice::default()
        }
    }

    #[test]
    fn a_named_selection_brings_back_its_indicator() {
        let mut session = Session::default();
        session.set_indicator_choice(Some(burglary()));
        session.save_named("east".into());
        session.set_indicator_choice(None);
        session.save_named("plain".into());
        assert!(session.rename_named("east", "east leeds".into()));
        session.open_named("plain");
        assert_eq!(session.take_pending_indicator(), None, "saved without an indicator");
        session.open_named("east leeds");
        assert_eq!(session.take_pending_indicator(), Some(burglary()));
        assert_eq!(session.take_pending_indicator(), None, "taken up once");
        session.delete_named("east leeds");
        assert!(session.indicator_memory().by_selection.is_empty());
    }

    #[test]
    fn a_project_brings_back_the_indicator_and_each_selections() {
        let settings = Settings::default();
        let mut session = Session::default();
        session.set_indicator_choice(Some(burglary()));
        session.save_named("east".into());
        let path = std::env::temp_dir().join("lm-indicator-memory-test.lmap");
        let project = session.to_project(&settings, MapView::default(), &path);
        assert_eq!(project.indicator, Some(burglary()));
        assert_eq!(project.named_selection_indicators["east"], burglary());

        let mut fresh = Session::default();
        let mut settings = Settings::default();
        let opened = OpenedProject {
            project,
            data: DataFolderStatus::Missing(std::env::temp_dir().join("lm-no-such-folder")),
        };
        fresh.apply_project(opened, &path, &mut settings);
        assert_eq!(fresh.take_pending_indicator(), Some(burglary()));
        assert_eq!(fresh.indicator_memory().by_selection["east"], burglary());
    }
}
