//! Standard normal draws (Box–Muller), to avoid a dependency for one function.

use rand::Rng;

/// One draw from the standard normal distribution.
pub(crate) fn standard_normal<R: Rng>(rng: &mut R) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random::<f64>();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}
