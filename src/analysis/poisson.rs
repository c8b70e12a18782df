//! The Poisson upper tail `P(X >= k | mean)`, through the regularised lower incomplete gamma function
//! (`P(X >= k) = P(k, mean)` for `k >= 1`), accurate to ~1e-13 relative for the small p-values that matter.

/// `ln Γ(x)` for `x > 0`, Lanczos approximation (g = 7, 9 coefficients; relative error below 1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(π x).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised lower incomplete gamma function `P(a, x)`: a series below `x = a + 1`, Lentz's continued
/// fraction for `Q = 1 - P` above (Numerical Recipes §6.2).
pub fn regularised_gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 || a <= 0.0 {
        return if x <= 0.0 { 0.0 } else { 1.0 };
    }
    let log_prefix = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            n += 1.0;
            term *= x / n;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (sum.ln() + log_prefix).exp().min(1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        let q = (h.ln() + log_prefix).exp();
        (1.0 - q).clamp(0.0, 1.0)
    }
}

/// `P(X >= observed)` for `X ~ Poisson(mean)`: the one-sided exceedance p-value of a count.
///
/// ```
/// use locality_map::analysis::poisson_upper_tail;
/// // P(X >= 1 | 1) = 1 - e^-1.
/// assert!((poisson_upper_tail(1, 1.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-14);
/// assert_eq!(poisson_upper_tail(0, 3.0), 1.0);
/// ```
pub fn poisson_upper_tail(observed: u64, mean: f64) -> f64 {
    if observed == 0 {
        return 1.0;
    }
    if mean <= 0.0 {
        return 0.0;
    }
    regularised_gamma_p(observed as f64, mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent: the tail summed term by term in log space, with ln k! summed from logarithms.
    fn tail_by_summation(k: u64, mean: f64) -> f64 {
        let mut ln_factorial = 0.0;
        for i in 1..=k {
            ln_factorial += (i as f64).ln();
        }
        let mut sum = 0.0;
        let mut ln_term = k as f64 * mean.ln() - mean - ln_factorial;
        let mut i = k;
        loop {
            let term = ln_term.exp();
            sum += term;
            if (term <= sum * 1e-18 || i > k + 100_000) && i as f64 > mean {
                break;
            }
            i += 1;
            ln_term += mean.ln() - (i as f64).ln();
        }
        sum
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        let mut ln_factorial = 0.0f64;
        for n in 1..170u32 {
            assert!(
                (ln_gamma(f64::from(n)) - ln_factorial).abs() < 1e-10 * ln_factorial.max(1.0),
                "n = {n}"
            );
            ln_factorial += f64::from(n).ln();
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
    }

    #[test]
    fn tail_matches_summation_over_a_grid() {
        for &mean in &[0.05, 0.5, 1.0, 2.7, 7.5, 12.0, 40.0, 150.0, 900.0] {
            for k in [1u64, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 400, 1000, 1200] {
                let ours = poisson_upper_tail(k, mean);
                let independent = tail_by_summation(k, mean);
                let tolerance = 1e-10 * independent.max(1e-300) + 1e-15;
                assert!(
                    (ours - independent).abs() <= tolerance.max(independent * 1e-9),
                    "k {k} mean {mean}: {ours} vs {independent}"
                );
            }
        }
    }
}
