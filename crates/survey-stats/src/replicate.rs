//! Replicate-weight variance estimation over groups of respondents (primary units) within
//! strata: the stratified jackknife (JKn) and the Rao–Wu rescaled bootstrap that draws
//! `n_h − 1` of the `n_h` units of each stratum (R `survey`'s `"JKn"` and `"subbootstrap"`).
//!
//! Replicates serve the statistics that linearisation does not reach: medians, ranks and the
//! quadrant a project falls in, recomputed in every replicate. The work is organised around
//! each unit's vector of sums (`width` numbers per unit): a replicate's totals are the units'
//! vectors added with the replicate's factors, so the cost of a replicate is `units × width`
//! multiply-adds, whatever the number of respondents behind the units.

use std::collections::HashMap;

use statrs::distribution::{ContinuousCDF, Normal};

use crate::design::DesignEstimate;
use crate::StatsError;

/// Units (rows of `width` sums) and the stratum of each.
#[derive(Debug, Clone, Copy)]
pub struct UnitSums<'a> {
    /// Per unit, its stratum (any numbering).
    pub strata: &'a [usize],
    /// `sums[unit * width + k]`: the unit's k-th sum (already weighted if weights apply).
    pub sums: &'a [f64],
    /// Sums per unit.
    pub width: usize,
}

impl UnitSums<'_> {
    fn check(&self) -> Result<usize, StatsError> {
        if self.width == 0 || self.sums.len() != self.strata.len() * self.width {
            return Err(StatsError::Design(format!(
                "{} sums do not make {} units of {} sums",
                self.sums.len(),
                self.strata.len(),
                self.width
            )));
        }
        Ok(self.strata.len())
    }

    /// The totals over all units with factor 1 each: the full-sample totals.
    pub fn totals(&self) -> Vec<f64> {
        let mut totals = vec![0.0; self.width];
        for row in self.sums.chunks_exact(self.width) {
            add_scaled(&mut totals, row, 1.0);
        }
        totals
    }

    /// The totals with one factor per unit: `Σ factor[u] · sums[u]`.
    pub fn weighted_totals(&self, factors: &[f64]) -> Vec<f64> {
        let mut totals = vec![0.0; self.width];
        for (row, factor) in self.sums.chunks_exact(self.width).zip(factors) {
            if *factor != 0.0 {
                add_scaled(&mut totals, row, *factor);
            }
        }
        totals
    }
}

fn add_scaled(totals: &mut [f64], row: &[f64], factor: f64) {
    for (total, value) in totals.iter_mut().zip(row) {
        *total += factor * value;
    }
}

/// The units of each stratum, in order of the strata's first appearance.
fn strata_members(strata: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (unit, stratum) in strata.iter().enumerate() {
        let position = match order.iter().position(|s| s == stratum) {
            Some(position) => position,
            None => {
                order.push(*stratum);
                members.push(Vec::new());
                members.len() - 1
            }
        };
        members[position].push(unit);
    }
    members
}

/// Draws the factors of one Rao–Wu bootstrap replicate: in every stratum of `n_h ≥ 2` units,
/// `n_h − 1` units are drawn with replacement and each unit's factor is
/// `n_h / (n_h − 1)` times the number of times it was drawn; a stratum of one unit keeps
/// factor 1 (it contributes no variance). `draw(n)` must return a uniform integer in `0..n`.
pub fn bootstrap_factors(strata: &[usize], draw: &mut impl FnMut(usize) -> usize) -> Vec<f64> {
    let mut factors = Vec::new();
    BootstrapDesign::new(strata).draw_into(&mut factors, draw);
    factors
}

/// Draws with the member lists computed once: the fast path for many replicates.
#[derive(Debug, Clone)]
pub struct BootstrapDesign {
    members: Vec<Vec<usize>>,
    units: usize,
}

impl BootstrapDesign {
    /// The design of `strata` (one entry per unit).
    pub fn new(strata: &[usize]) -> Self {
        Self {
            members: strata_members(strata),
            units: strata.len(),
        }
    }

    /// Fills `factors` (one per unit) with a new replicate's factors, as
    /// [`bootstrap_factors`] does.
    pub fn draw_into(&self, factors: &mut Vec<f64>, draw: &mut impl FnMut(usize) -> usize) {
        factors.clear();
        factors.resize(self.units, 0.0);
        for members in &self.members {
            let n = members.len();
            if n == 1 {
                factors[members[0]] = 1.0;
                continue;
            }
            let scale = n as f64 / (n - 1) as f64;
            for _ in 0..n - 1 {
                factors[members[draw(n)]] += scale;
            }
        }
    }
}

/// The bootstrap variance of a statistic from its replicate values: the sample variance of
/// the replicates about their mean, `Σ (θ_r − θ̄)² / (R − 1)`, as R `survey` computes it by
/// default. `None` with fewer than two replicates.
pub fn bootstrap_variance(replicates: &[f64]) -> Option<f64> {
    let r = replicates.len();
    if r < 2 {
        return None;
    }
    let mean = replicates.iter().sum::<f64>() / r as f64;
    Some(replicates.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (r - 1) as f64)
}

/// The replicates of the stratified delete-one-unit jackknife (JKn), computed from the totals
/// directly: the replicate that deletes unit `j` of stratum `h` has totals
/// `T − T_h + n_h/(n_h − 1) · (T_h − s_j)`. Units in strata of one unit have no replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Jackknife {
    /// `totals[replicate * width + k]`.
    pub totals: Vec<f64>,
    /// The coefficient `(n_h − 1) / n_h` of each replicate's squared deviation.
    pub coefficients: Vec<f64>,
    /// Sums per unit.
    pub width: usize,
}

impl Jackknife {
    /// The JKn replicates of `units`.
    pub fn new(units: &UnitSums<'_>) -> Result<Self, StatsError> {
        units.check()?;
        let width = units.width;
        let full = units.totals();
        let mut totals = Vec::new();
        let mut coefficients = Vec::new();
        for members in strata_members(units.strata) {
            let n = members.len();
            if n < 2 {
                continue;
            }
            let mut stratum = vec![0.0; width];
            for unit in &members {
                add_scaled(&mut stratum, &units.sums[unit * width..][..width], 1.0);
            }
            let scale = n as f64 / (n - 1) as f64;
            for unit in &members {
                let row = &units.sums[unit * width..][..width];
                totals.extend(
                    (0..width).map(|k| full[k] - stratum[k] + scale * (stratum[k] - row[k])),
                );
                coefficients.push((n - 1) as f64 / n as f64);
            }
        }
        Ok(Self {
            totals,
            coefficients,
            width,
        })
    }

    /// Number of replicates.
    pub fn replicates(&self) -> usize {
        self.coefficients.len()
    }

    /// The jackknife variance of a statistic from its value in each replicate:
    /// `Σ_r c_r (θ_r − θ̄)²` about the mean `θ̄` of all replicates, as R `survey` computes it by
    /// default (`mse = FALSE`). Centring at the full-sample value instead (`mse = TRUE`, and
    /// some textbooks) differs by a term of order 1/n²; for totals the two coincide.
    pub fn variance(&self, replicates: &[f64]) -> f64 {
        if replicates.is_empty() {
            return 0.0;
        }
        let mean = replicates.iter().sum::<f64>() / replicates.len() as f64;
        self.coefficients
            .iter()
            .zip(replicates)
            .map(|(c, value)| c * (value - mean).powi(2))
            .sum()
    }
}

/// The `probability` quantile of `values` (R's type 7, linear interpolation), for percentile
/// intervals of replicate values. `None` when empty or `probability` is outside [0, 1].
pub fn quantile(values: &[f64], probability: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=1.0).contains(&probability) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let position = probability * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    Some(sorted[below] + fraction * (sorted[above] - sorted[below]))
}

/// How replicate weights are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicateMethod {
    /// The stratified delete-one-PSU jackknife (JKn).
    Jackknife,
    /// The Rao–Wu rescaled bootstrap with this many replicates.
    Bootstrap {
        /// Replicates to draw.
        replicates: usize,
    },
}

/// A weighted mean and total with standard errors from replicate weights: units are the
/// clusters within strata (each row without clusters), as in R
/// `svymean(~y, as.svrepdesign(design, type = "JKn" | "subbootstrap"))`. Rows without a value
/// or outside `domain` count for nothing. The interval is normal, from the replicate SE.
#[allow(clippy::too_many_arguments)]
pub fn replicate_estimate(
    weights: &[f64],
    strata: Option<&[usize]>,
    clusters: Option<&[usize]>,
    values: &[Option<f64>],
    domain: Option<&[bool]>,
    method: ReplicateMethod,
    confidence: f64,
    draw: &mut impl FnMut(usize) -> usize,
) -> Result<DesignEstimate, StatsError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(StatsError::InvalidConfidence(confidence));
    }
    let rows = weights.len();
    let lengths_agree = values.len() == rows
        && strata.is_none_or(|s| s.len() == rows)
        && clusters.is_none_or(|c| c.len() == rows)
        && domain.is_none_or(|d| d.len() == rows);
    if !lengths_agree {
        return Err(StatsError::Design(
            "weights, values, strata, clusters and domain must have one entry per row".into(),
        ));
    }
    // Units: (stratum, cluster) pairs, or rows.
    let mut unit_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut unit_strata = Vec::new();
    let mut sums: Vec<f64> = Vec::new();
    let mut n = 0usize;
    for row in 0..rows {
        let stratum = strata.map_or(0, |s| s[row]);
        let cluster = clusters.map_or(row, |c| c[row]);
        let next = unit_strata.len();
        let unit = *unit_of.entry((stratum, cluster)).or_insert(next);
        if unit == next {
            unit_strata.push(stratum);
            sums.extend([0.0, 0.0]);
        }
        let Some(value) = values[row] else { continue };
        if domain.is_some_and(|d| !d[row]) {
            continue;
        }
        n += 1;
        sums[unit * 2] += weights[row] * value;
        sums[unit * 2 + 1] += weights[row];
    }
    let units = UnitSums {
        strata: &unit_strata,
        sums: &sums,
        width: 2,
    };
    let full = units.totals();
    if full[1] <= 0.0 {
        return Err(StatsError::Design(
            "no unit with a value and a positive weight".into(),
        ));
    }
    let mean = full[0] / full[1];
    let (var_mean, var_total) = match method {
        ReplicateMethod::Jackknife => {
            let jackknife = Jackknife::new(&units)?;
            let means: Vec<f64> = jackknife
                .totals
                .chunks_exact(2)
                .map(|t| t[0] / t[1])
                .collect();
            let totals: Vec<f64> = jackknife.totals.chunks_exact(2).map(|t| t[0]).collect();
            (jackknife.variance(&means), jackknife.variance(&totals))
        }
        ReplicateMethod::Bootstrap { replicates } => {
            let design = BootstrapDesign::new(&unit_strata);
            let mut factors = Vec::new();
            let mut means = Vec::with_capacity(replicates);
            let mut totals = Vec::with_capacity(replicates);
            for _ in 0..replicates {
                design.draw_into(&mut factors, draw);
                let t = units.weighted_totals(&factors);
                if t[1] > 0.0 {
                    means.push(t[0] / t[1]);
                }
                totals.push(t[0]);
            }
            let undefined = || {
                StatsError::Design(format!(
                    "too few of the {replicates} bootstrap replicates have a value"
                ))
            };
            (
                bootstrap_variance(&means).ok_or_else(undefined)?,
                bootstrap_variance(&totals).ok_or_else(undefined)?,
            )
        }
    };
    let z = Normal::standard().inverse_cdf(0.5 + confidence / 2.0);
    let se_mean = var_mean.sqrt();
    Ok(DesignEstimate {
        n,
        mean,
        se_mean,
        total: full[0],
        se_total: var_total.sqrt(),
        ci_low: mean - z * se_mean,
        ci_high: mean + z * se_mean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A uniform draw from a fixed linear congruential sequence: enough for tests.
    fn lcg(state: &mut u64) -> impl FnMut(usize) -> usize + '_ {
        move |n| {
            *state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((*state >> 33) % n as u64) as usize
        }
    }

    #[test]
    fn bootstrap_factors_add_up_to_the_units_of_each_stratum() {
        let strata = [0, 0, 0, 1, 1, 2];
        let mut state = 7;
        for _ in 0..50 {
            let factors = bootstrap_factors(&strata, &mut lcg(&mut state));
            let sum = |range: std::ops::Range<usize>| factors[range].iter().sum::<f64>();
            assert!((sum(0..3) - 3.0).abs() < 1e-12);
            assert!((sum(3..5) - 2.0).abs() < 1e-12);
            assert_eq!(factors[5], 1.0, "a lone unit keeps its weight");
        }
        let design = BootstrapDesign::new(&strata);
        let (mut a, mut b) = (1, 1);
        let mut filled = Vec::new();
        design.draw_into(&mut filled, &mut lcg(&mut a));
        assert_eq!(filled, bootstrap_factors(&strata, &mut lcg(&mut b)));
    }

    #[test]
    fn the_bootstrap_variance_of_a_mean_matches_the_textbook_in_expectation() {
        // One stratum of 40 units with values 0..40: the variance of the mean is s²/n.
        let values: Vec<f64> = (0..40).map(f64::from).collect();
        let strata = vec![0; 40];
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let s2 = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let mut state = 11;
        let design = BootstrapDesign::new(&strata);
        let mut factors = Vec::new();
        let means: Vec<f64> = (0..20_000)
            .map(|_| {
                design.draw_into(&mut factors, &mut lcg(&mut state));
                factors.iter().zip(&values).map(|(f, v)| f * v).sum::<f64>() / n
            })
            .collect();
        let variance = bootstrap_variance(&means).unwrap();
        let expected = s2 / n;
        assert!(
            (variance / expected - 1.0).abs() < 0.03,
            "{variance} vs {expected}"
        );
    }

    #[test]
    fn the_jackknife_of_a_total_is_the_stratified_textbook_variance() {
        // Two strata; the JKn variance of a total is Σ_h n_h s_h².
        let strata = [0, 0, 0, 1, 1];
        let sums = [1.0, 2.0, 6.0, 10.0, 14.0];
        let units = UnitSums {
            strata: &strata,
            sums: &sums,
            width: 1,
        };
        let jackknife = Jackknife::new(&units).unwrap();
        assert_eq!(jackknife.replicates(), 5);
        let variance = jackknife.variance(&jackknife.totals);
        let stratum = |values: &[f64]| {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            n * values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
        };
        let expected = stratum(&sums[..3]) + stratum(&sums[3..]);
        assert!((variance - expected).abs() < 1e-9 * expected);
    }

    #[test]
    fn weighted_totals_add_rows_with_their_factors() {
        let strata = [0, 0];
        let sums = [1.0, 2.0, 10.0, 20.0];
        let units = UnitSums {
            strata: &strata,
            sums: &sums,
            width: 2,
        };
        assert_eq!(units.weighted_totals(&[2.0, 0.5]), [7.0, 14.0]);
        assert_eq!(units.totals(), [11.0, 22.0]);
        let wrong = UnitSums {
            strata: &strata,
            sums: &sums[..3],
            width: 2,
        };
        assert!(Jackknife::new(&wrong).is_err());
    }

    #[test]
    fn quantiles_interpolate_as_r_type_7() {
        let values = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&values, 0.0), Some(1.0));
        assert_eq!(quantile(&values, 1.0), Some(4.0));
        assert_eq!(quantile(&values, 0.5), Some(2.5));
        assert!((quantile(&values, 0.025).unwrap() - 1.075).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
    }
}
