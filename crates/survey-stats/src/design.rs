//! Design-based estimates of means and totals with linearised standard errors, as R's survey
//! package computes them for `svymean` and `svytotal`: weights, strata, clusters (primary
//! sampling units, taken as nested within strata) sampled with replacement, and an optional
//! finite population correction per stratum.
//!
//! For a total `Ŷ = Σ w y` the influence value of a unit is `w y`; for a mean `Ŷ / Σ w` it is
//! `w (y − ȳ) / Σ w`. Summed to PSU totals `z_hi`, the variance is
//! `Σ_h (1 − f_h) n_h / (n_h − 1) Σ_i (z_hi − z̄_h)²`, with `f_h` the stratum's sampling
//! fraction (0 without a correction). Calibrated weights replace the influence values by
//! their residuals within post-strata (or raking margins, ten sweeps), as `svyrecvar` does, so
//! that what the calibration fixed no longer counts as sampling error. A domain (a subgroup, or the units where the variable is
//! not missing) keeps the whole design: units outside it contribute zero, as survey's
//! `svyby` and `na.rm = TRUE` do.

use std::collections::BTreeMap;

use statrs::distribution::{ContinuousCDF, Normal};

use crate::StatsError;

/// How the weights were calibrated, which the standard errors must take into account (as the
/// survey package does, by replacing the influence values with their residuals).
#[derive(Debug, Clone, Copy)]
pub enum Calibration<'a> {
    /// Post-stratified on one variable from `base` weights.
    PostStratified {
        /// Post-stratum per unit.
        strata: &'a [usize],
        /// The weights before post-stratification.
        base: &'a [f64],
    },
    /// Raked to several margins (the design's weights are the raked ones).
    Raked {
        /// Per margin, each unit's category.
        margins: &'a [&'a [usize]],
    },
}

/// Sweeps over the margins when the influence values of a raked design are residualised, as
/// survey's `svyrecvar` does.
const RAKING_RESIDUAL_SWEEPS: usize = 10;

/// The sampling design of a table.
#[derive(Debug, Clone, Copy)]
pub struct Design<'a> {
    /// Sampling weight per unit.
    pub weights: &'a [f64],
    /// Stratum per unit (any labels); one stratum when `None`.
    pub strata: Option<&'a [usize]>,
    /// Primary sampling unit per unit, within its stratum; each unit its own when `None`.
    pub clusters: Option<&'a [usize]>,
    /// Per unit, its stratum's population size in PSUs (above 1), or its sampling fraction (at
    /// most 1), as survey's `fpc`; no correction when `None`.
    pub fpc: Option<&'a [f64]>,
    /// How `weights` were calibrated, if they were.
    pub calibration: Option<Calibration<'a>>,
}

/// Replaces `z` by `z − w · m(z / w)`, where `m` is, per category, the mean of `z / w` weighted
/// by `mean_weights` (unweighted when `None`).
fn residualise(z: &mut [f64], weights: &[f64], categories: &[usize], mean_weights: Option<&[f64]>) {
    let groups = categories.iter().max().map_or(0, |m| m + 1);
    let mut sums = vec![0.0; groups];
    let mut counts = vec![0.0; groups];
    for unit in 0..z.len() {
        let weight = weights[unit];
        if weight == 0.0 {
            continue;
        }
        let share = mean_weights.map_or(1.0, |m| m[unit]);
        sums[categories[unit]] += z[unit] / weight * share;
        counts[categories[unit]] += share;
    }
    for unit in 0..z.len() {
        let category = categories[unit];
        if counts[category] > 0.0 {
            z[unit] -= weights[unit] * sums[category] / counts[category];
        }
    }
}

/// A design-based mean and total of one variable in one domain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DesignEstimate {
    /// Units in the domain with a value.
    pub n: usize,
    /// The weighted mean.
    pub mean: f64,
    /// Its standard error.
    pub se_mean: f64,
    /// The weighted total.
    pub total: f64,
    /// Its standard error.
    pub se_total: f64,
    /// Lower end of the normal interval of the mean.
    pub ci_low: f64,
    /// Upper end of the normal interval of the mean.
    pub ci_high: f64,
}

struct Stratum {
    fraction: f64,
    psu_totals: BTreeMap<usize, f64>,
}

impl Design<'_> {
    fn check(&self) -> Result<(), StatsError> {
        let n = self.weights.len();
        let calibration_lengths: Vec<usize> = match self.calibration {
            None => Vec::new(),
            Some(Calibration::PostStratified { strata, base }) => vec![strata.len(), base.len()],
            Some(Calibration::Raked { margins }) => margins.iter().map(|m| m.len()).collect(),
        };
        if calibration_lengths.iter().any(|len| *len != n) {
            return Err(StatsError::Design(
                "the calibration needs one category (and base weight) per unit".into(),
            ));
        }
        let lengths = [
            self.strata.map(<[usize]>::len),
            self.clusters.map(<[usize]>::len),
            self.fpc.map(<[f64]>::len),
        ];
        if lengths.iter().flatten().any(|len| *len != n) {
            return Err(StatsError::Design(
                "strata, clusters and fpc need one value per unit".into(),
            ));
        }
        if let Some((unit, w)) = self
            .weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(StatsError::Design(format!(
                "unit {unit}: weight {w} is not a non-negative number"
            )));
        }
        Ok(())
    }

    /// Sums influence values `z` to PSU totals per stratum, with each stratum's sampling fraction.
    fn strata_of(&self, z: &[f64]) -> Result<BTreeMap<usize, Stratum>, StatsError> {
        let mut strata: BTreeMap<usize, Stratum> = BTreeMap::new();
        for (unit, value) in z.iter().enumerate() {
            let stratum = self.strata.map_or(0, |s| s[unit]);
            let psu = self.clusters.map_or(unit, |c| c[unit]);
            let entry = strata.entry(stratum).or_insert_with(|| Stratum {
                fraction: 0.0,
                psu_totals: BTreeMap::new(),
            });
            *entry.psu_totals.entry(psu).or_insert(0.0) += value;
        }
        if let Some(fpc) = self.fpc {
            for (unit, population) in fpc.iter().enumerate() {
                let stratum = self.strata.map_or(0, |s| s[unit]);
                let entry = strata
                    .get_mut(&stratum)
                    .expect("every unit's stratum is present");
                let sampled = entry.psu_totals.len() as f64;
                let fraction = if *population <= 1.0 {
                    *population
                } else {
                    sampled / population
                };
                if !(0.0..=1.0).contains(&fraction) || !population.is_finite() {
                    return Err(StatsError::Design(format!(
                        "unit {unit}: fpc {population} is neither a sampling fraction nor a population of at least the {sampled} PSUs sampled"
                    )));
                }
                entry.fraction = fraction;
            }
        }
        Ok(strata)
    }

    /// The influence values after calibration: residuals within the post-strata, or of every
    /// raking margin in turn.
    fn calibrated(&self, z: &[f64]) -> Vec<f64> {
        let mut z = z.to_vec();
        match self.calibration {
            None => {}
            Some(Calibration::PostStratified { strata, base }) => {
                residualise(&mut z, self.weights, strata, Some(base));
            }
            Some(Calibration::Raked { margins }) => {
                for _ in 0..RAKING_RESIDUAL_SWEEPS {
                    for margin in margins {
                        residualise(&mut z, self.weights, margin, None);
                    }
                }
            }
        }
        z
    }

    /// The linearised variance of the estimator whose influence values are `z`.
    fn variance(&self, z: &[f64]) -> Result<f64, StatsError> {
        let z = self.calibrated(z);
        let mut variance = 0.0;
        for (label, stratum) in self.strata_of(&z)? {
            let n = stratum.psu_totals.len();
            if n < 2 {
                return Err(StatsError::Design(format!(
                    "stratum {label} has a single PSU, so its variance cannot be estimated"
                )));
            }
            let mean = stratum.psu_totals.values().sum::<f64>() / n as f64;
            let squares: f64 = stratum
                .psu_totals
                .values()
                .map(|t| (t - mean).powi(2))
                .sum();
            variance += (1.0 - stratum.fraction) * n as f64 / (n as f64 - 1.0) * squares;
        }
        Ok(variance)
    }

    /// The mean and total of `values` (`None`: missing) over the units in `domain` (all when
    /// `None`), with standard errors and a normal interval at `confidence`.
    pub fn estimate(
        &self,
        values: &[Option<f64>],
        domain: Option<&[bool]>,
        confidence: f64,
    ) -> Result<DesignEstimate, StatsError> {
        self.check()?;
        if values.len() != self.weights.len() || domain.is_some_and(|d| d.len() != values.len()) {
            return Err(StatsError::Design("one value per unit is needed".into()));
        }
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(StatsError::InvalidConfidence(confidence));
        }
        let inside = |unit: usize| domain.is_none_or(|d| d[unit]) && values[unit].is_some();
        let n = (0..values.len()).filter(|u| inside(*u)).count();
        let weight_sum: f64 = (0..values.len())
            .filter(|u| inside(*u))
            .map(|u| self.weights[u])
            .sum();
        if n == 0 || weight_sum <= 0.0 {
            return Err(StatsError::Design(
                "no unit with a value and a positive weight in the domain".into(),
            ));
        }
        let total: f64 = (0..values.len())
            .filter(|u| inside(*u))
            .map(|u| self.weights[u] * values[u].expect("inside means present"))
            .sum();
        let mean = total / weight_sum;
        let total_influence: Vec<f64> = (0..values.len())
            .map(|u| {
                if inside(u) {
                    self.weights[u] * values[u].expect("present")
                } else {
                    0.0
                }
            })
            .collect();
        let mean_influence: Vec<f64> = (0..values.len())
            .map(|u| {
                if inside(u) {
                    self.weights[u] * (values[u].expect("present") - mean) / weight_sum
                } else {
                    0.0
                }
            })
            .collect();
        let se_total = self.variance(&total_influence)?.sqrt();
        let se_mean = self.variance(&mean_influence)?.sqrt();
        let z = Normal::new(0.0, 1.0)
            .expect("standard normal")
            .inverse_cdf(0.5 + confidence / 2.0);
        Ok(DesignEstimate {
            n,
            mean,
            se_mean,
            total,
            se_total,
            ci_low: mean - z * se_mean,
            ci_high: mean + z * se_mean,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_random_sampling_gives_the_textbook_standard_error() {
        let values: Vec<Option<f64>> = [2.0, 4.0, 6.0, 8.0].iter().map(|v| Some(*v)).collect();
        let design = Design {
            weights: &[1.0; 4],
            strata: None,
            clusters: None,
            fpc: None,
            calibration: None,
        };
        let estimate = design.estimate(&values, None, 0.95).unwrap();
        assert_eq!(estimate.mean, 5.0);
        // sd = sqrt(20/3); se = sd / sqrt(n)
        let se = (20.0_f64 / 3.0 / 4.0).sqrt();
        assert!((estimate.se_mean - se).abs() < 1e-12);
        assert!((estimate.se_total - 4.0 * se).abs() < 1e-12);
        assert!((estimate.ci_high - 5.0 - 1.959963984540054 * se).abs() < 1e-9);
    }

    #[test]
    fn a_census_has_no_sampling_error() {
        let values: Vec<Option<f64>> = [1.0, 3.0].iter().map(|v| Some(*v)).collect();
        let design = Design {
            weights: &[1.0, 1.0],
            strata: None,
            clusters: None,
            fpc: Some(&[2.0, 2.0]),
            calibration: None,
        };
        assert_eq!(design.estimate(&values, None, 0.95).unwrap().se_mean, 0.0);
    }

    #[test]
    fn a_single_psu_stratum_is_an_error() {
        let values = [Some(1.0), Some(2.0), Some(3.0)];
        let design = Design {
            weights: &[1.0; 3],
            strata: Some(&[0, 0, 7]),
            clusters: None,
            fpc: None,
            calibration: None,
        };
        let error = design.estimate(&values, None, 0.95).unwrap_err();
        assert!(error.to_string().contains("stratum 7"), "{error}");
    }
}
