//! Numbers in IMD tables read strictly: thousands only in well-formed groups, no decimal commas, deciles checked
//! against their ranks. A number that could be read two ways is an error at its row, never a different number.

/// Parses a whole number as MHCLG and Excel write them: `29199`, `"29,199"`, `29199.0`. Empty → `None`. Only
/// well-formed thousands groups are thousands (`1,234,567`, `29 199`): a decimal comma (`13915,0`) or a misplaced
/// separator (`3,28`, `1,2,3`) is an error, never a different number.
///
/// ```
/// use locality_map::io::parse_whole;
/// assert_eq!(parse_whole("\"29,199\"".trim_matches('"')), Ok(Some(29_199)));
/// assert_eq!(parse_whole("1,234,567"), Ok(Some(1_234_567)));
/// assert_eq!(parse_whole("328.0"), Ok(Some(328)));
/// assert!(parse_whole("328.5").is_err());
/// assert!(parse_whole("13915,0").is_err());
/// assert!(parse_whole("3,28").is_err());
/// assert!(parse_whole("1,2,3").is_err());
/// assert_eq!(parse_whole(""), Ok(None));
/// ```
pub fn parse_whole(text: &str) -> Result<Option<u64>, &'static str> {
    // Fast path: plain digits, as most cells are (this runs for every cell of every table).
    if let Ok(n) = text.parse::<u64>() {
        return Ok(Some(n));
    }
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let Some(digits) = ungrouped(whole) else {
        return Err("has a decimal comma or a misplaced thousands separator (only groups of three are thousands)");
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // Leave the rest (`1e3`, `-4`, `abc`) to the float parser for the message.
        return match text.parse::<f64>() {
            Ok(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1e12 => Ok(Some(f as u64)),
            Ok(_) => Err("is not a whole number"),
            Err(_) => Err("is not a number"),
        };
    }
    match fraction {
        Some(f) if !f.bytes().all(|b| b == b'0') => {
            if f.bytes().all(|b| b.is_ascii_digit()) {
                Err("is not a whole number")
            } else {
                Err("is not a number")
            }
        }
        _ => digits.parse::<u64>().map(Some).map_err(|_| "is not a number"),
    }
}

/// Parses a number of people as publishers write them: whole (`29199`, `"29,199"`) or with a decimal point where the
/// publisher counts fractions of people (IoD2019 File 6's working-age population, `619.75`). Thousands only in
/// well-formed groups, as [`parse_whole`]; a decimal comma, a misplaced separator, a negative or a non-number is an
/// error, never a different number. Empty → `None`.
///
/// ```
/// use locality_map::io::parse_people;
/// assert_eq!(parse_people("619.75"), Ok(Some(619.75)));
/// assert_eq!(parse_people("1,284.5"), Ok(Some(1_284.5)));
/// assert_eq!(parse_people("1296"), Ok(Some(1_296.0)));
/// assert!(parse_people("619,75").is_err());
/// assert!(parse_people("-4").is_err());
/// assert!(parse_people("1.2.3").is_err());
/// assert_eq!(parse_people(" "), Ok(None));
/// ```
pub fn parse_people(text: &str) -> Result<Option<f64>, &'static str> {
    match parse_whole(text) {
        // Whole counts (most cells) go through the whole-number reader, exact.
        Ok(whole) => return Ok(whole.map(|n| n as f64)),
        Err("is not a whole number") => {}
        Err(why) => return Err(why),
    }
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').ok_or("is not a number")?;
    let digits = ungrouped(whole)
        .ok_or("has a decimal comma or a misplaced thousands separator (only groups of three are thousands)")?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !plain(&digits) || !plain(fraction) {
        return Err("is not a number");
    }
    format!("{digits}.{fraction}")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Some)
        .ok_or("is not a number")
}

/// The digits of `1,234,567` / `1 234 567` / `1234567` without their separators; `None` when a separator is there
/// but the groups are not a leading group of one to three digits followed by groups of exactly three.
fn ungrouped(whole: &str) -> Option<String> {
    let separator = whole.chars().find(|c| matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'));
    let Some(separator) = separator else {
        return Some(whole.to_string());
    };
    let groups: Vec<&str> = whole.split(separator).collect();
    let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// A score: a decimal number with a decimal point (`34.567`, `-1.771`). A comma is refused: scores are below a
/// thousand, so `34,567` is a decimal comma, and reading it either way could be wrong. Empty → `None`.
pub(crate) fn parse_score(text: &str) -> Result<Option<f32>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.contains(',') {
        return Err("has a comma (a decimal comma? scores are read with a decimal point)");
    }
    match text.parse::<f32>() {
        Ok(score) if score.is_finite() => Ok(Some(score)),
        _ => Err("is not a number"),
    }
}

/// The decile a rank falls in among `n` LSOAs: ranks 1..=n cut into ten equal groups.
pub(crate) fn decile_of_rank(rank: u32, n: u32) -> u8 {
    let decile = (u64::from(rank.saturating_sub(1)) * 10) / u64::from(n.max(1)) + 1;
    decile.min(10) as u8
}

/// True when a published decile agrees with its rank. MHCLG's cut at a fractional boundary (N/10 is not whole) may
/// fall either side, so both roundings are accepted.
pub(crate) fn decile_fits_rank(decile: u8, rank: u32, n: u32) -> bool {
    let n = u64::from(n.max(1));
    let by_floor = decile_of_rank(rank, n as u32);
    let by_ceiling = (u64::from(rank) * 10).div_ceil(n).clamp(1, 10) as u8;
    decile == by_floor || decile == by_ceiling
}
