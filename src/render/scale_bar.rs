//! Scale bars: a round length for the map's width, shared by the window and the PNG export.

/// The largest 1, 2 or 5 × 10ⁿ metres not over `at_most`, and its label (`500 m`, `2 km`).
///
/// ```
/// use locality_map::render::round_scale_length;
/// assert_eq!(round_scale_length(3_700.0), (2_000.0, "2 km".to_string()));
/// assert_eq!(round_scale_length(640.0), (500.0, "500 m".to_string()));
/// ```
pub fn round_scale_length(at_most: f64) -> (f64, String) {
    let exponent = at_most.max(1.0).log10().floor();
    let base = 10f64.powf(exponent);
    let length = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|l| *l <= at_most)
        .unwrap_or(base);
    let label = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    (length, label)
}
