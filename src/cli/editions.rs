//! The two editions a command compares, settled before any data is read: the same edition twice is refused, and
//! editions given in reverse order are put in order with a plain word on stderr (change is always later − earlier).

use super::{Command, EditionPair};
use crate::analysis::AnalysisError;

impl Command {
    /// The pair of editions this command compares, if it compares two.
    fn editions_mut(&mut self) -> Option<(&mut u16, &mut u16)> {
        let pair: &mut EditionPair = match self {
            Command::Summary(a) => &mut a.area.editions,
            Command::Changes(a) => &mut a.area.editions,
            Command::Ward(a) => &mut a.editions,
            Command::League(a) => &mut a.editions,
            Command::Map(a) => &mut a.area.editions,
            Command::Pack(a) => &mut a.area.editions,
            Command::Html(a) => &mut a.area.editions,
            Command::Export(a) => &mut a.area.editions,
            Command::Reconcile(a) => return Some((&mut a.from, &mut a.to)),
            _ => return None,
        };
        Some((&mut pair.from, &mut pair.to))
    }
}

/// Settles the command's editions: `Err` (one sentence) for the same edition twice; editions in reverse order are
/// swapped and the returned note says so (the caller prints it on stderr, so JSON and CSV on stdout stay clean).
pub fn settle_editions(command: &mut Command) -> Result<Option<String>, AnalysisError> {
    let Some((from, to)) = command.editions_mut() else {
        return Ok(None);
    };
    match crate::analysis::check_edition_order(*from, *to) {
        Ok(()) => Ok(None),
        Err(AnalysisError::ReversedEditions {
            from: later,
            to: earlier,
        }) => {
            std::mem::swap(from, to);
            Ok(Some(format!(
                "note: --from {later} --to {earlier} is in reverse order (IMD {later} is the later edition); \
                 comparing IMD {earlier} → {later} instead, change = later − earlier"
            )))
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser as _;

    fn command(args: &[&str]) -> Command {
        let cli = Cli::parse_from(std::iter::once("locality-map").chain(args.iter().copied()));
        cli.command.expect("a command")
    }

    #[test]
    fn reversed_editions_are_swapped_with_a_note() {
        let mut summary = command(&["summary", "--from", "2019", "--to", "2015"]);
        let note = settle_editions(&mut summary).unwrap().expect("a note");
        assert!(note.contains("reverse order") && note.contains("2015 → 2019"), "{note}");
        let Command::Summary(args) = summary else {
            unreachable!()
        };
        assert_eq!((args.area.editions.from, args.area.editions.to), (2015, 2019));
    }

    #[test]
    fn the_same_edition_twice_is_refused_and_ordered_ones_pass() {
        let mut same = command(&["changes", "--from", "2015", "--to", "2015"]);
        assert_eq!(
            settle_editions(&mut same),
            Err(AnalysisError::SameEdition { year: 2015 })
        );
        let mut reconcile = command(&["reconcile", "--from", "2025", "--to", "2025"]);
        assert!(settle_editions(&mut reconcile).is_err());
        let mut ordered = command(&["ward", "Armley", "--from", "2019", "--to", "2025"]);
        assert_eq!(settle_editions(&mut ordered), Ok(None));
        assert_eq!(settle_editions(&mut command(&["validate"])), Ok(None));
    }
}
