//! Text from files made safe to show and to hand on: control and bidirectional-override characters escaped in
//! messages (a newline in a file name must not forge a line of a report, a right-to-left override must not reorder
//! it), and spreadsheet formulas neutralised in every CSV cell we write (OWASP "CSV injection").

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// True for characters that must not reach a terminal or a report raw: C0/C1 controls (newline and tab included)
/// and the Unicode bidirectional controls (embeddings, overrides, isolates, marks).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Escapes control and bidirectional characters as `\u{…}` (newline as `\n`, tab as `\t`); other text unchanged.
///
/// ```
/// use locality_map::model::escape_text;
/// assert_eq!(escape_text("File_1.csv"), "File_1.csv");
/// assert_eq!(escape_text("a\nwarning: forged"), "a\\nwarning: forged");
/// assert_eq!(escape_text("evil\u{202E}vsc.exe"), "evil\\u{202e}vsc.exe");
/// ```
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path for a message: lossy UTF-8, with control and bidirectional characters escaped.
///
/// ```
/// use locality_map::model::escape_path;
/// assert_eq!(escape_path(std::path::Path::new("data/bad\nname.csv")), "data/bad\\nname.csv");
/// ```
pub fn escape_path(path: &Path) -> String {
    escape_text(&path.to_string_lossy()).into_owned()
}

/// A CSV cell that a spreadsheet will show as text, never run as a formula. OWASP's rule: a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote; numbers (`-23`, `+4.5`) are left as
/// numbers, since they cannot be formulas and planners sort by them.
///
/// ```
/// use locality_map::model::csv_safe_cell;
/// assert_eq!(csv_safe_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(csv_safe_cell("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(csv_safe_cell("-23"), "-23");
/// assert_eq!(csv_safe_cell("-1+1"), "'-1+1");
/// assert_eq!(csv_safe_cell("Leeds 111B"), "Leeds 111B");
/// ```
pub fn csv_safe_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || is_plain_number(cell) {
        return Cow::Borrowed(cell);
    }
    Cow::Owned(format!("'{cell}"))
}

/// `-23`, `+4.5`, `-0.125`: an optional sign, digits, at most one decimal point.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut points = 0;
    !digits.is_empty()
        && digits.chars().all(|c| {
            if c == '.' {
                points += 1;
                points == 1
            } else {
                c.is_ascii_digit()
            }
        })
        && digits.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_trigger_is_neutralised() {
        for trigger in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = format!("{trigger}cmd|' /C calc'!A0");
            assert!(csv_safe_cell(&cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(csv_safe_cell("+44"), "+44");
        assert_eq!(csv_safe_cell("-"), "'-");
    }

    #[test]
    fn bidi_and_controls_are_escaped_and_nothing_else() {
        assert_eq!(escape_text("Rank ≤ 328 — Café"), "Rank ≤ 328 — Café");
        assert_eq!(escape_text("a\u{2066}b\u{7}"), "a\\u{2066}b\\u{7}");
    }
}
