//! A sample mean with its spread and a Student-t confidence interval.

use crate::{student_t, StatsError};

/// A mean over `n` observations with its sample standard deviation, standard error and a
/// two-sided Student-t confidence interval.
///
/// The spread fields are `None` when `n < 2`, because a single observation has no sample
/// standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanEstimate {
    /// Number of observations.
    pub n: u64,
    /// The arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (denominator `n - 1`).
    pub sd: Option<f64>,
    /// Standard error of the mean, `sd / sqrt(n)`.
    pub se: Option<f64>,
    /// Lower end of the confidence interval, `mean - t * se`.
    pub ci_low: Option<f64>,
    /// Upper end of the confidence interval, `mean + t * se`.
    pub ci_high: Option<f64>,
}

impl MeanEstimate {
    /// Builds the estimate from the count, the mean and the sample variance.
    ///
    /// `sample_variance` must be `None` exactly when `n < 2`. Returns `Ok(None)` when `n == 0`.
    ///
    /// # Examples
    /// ```
    /// use minxin_survey_stats::MeanEstimate;
    /// let estimate = MeanEstimate::from_moments(4, 50.0, Some(100.0), 0.95).unwrap().unwrap();
    /// assert_eq!(estimate.se, Some(5.0));
    /// ```
    pub fn from_moments(
        n: u64,
        mean: f64,
        sample_variance: Option<f64>,
        confidence: f64,
    ) -> Result<Option<MeanEstimate>, StatsError> {
        let critical = student_t::two_sided_critical_value(confidence, n.saturating_sub(1))?;
        if n == 0 {
            return Ok(None);
        }
        let sd = sample_variance.map(|variance| variance.max(0.0).sqrt());
        let se = sd.map(|sd| sd / (n as f64).sqrt());
        let half_width = match (se, critical) {
            (Some(se), Some(t)) => Some(t * se),
            _ => None,
        };
        Ok(Some(MeanEstimate {
            n,
            mean,
            sd,
            se,
            ci_low: half_width.map(|h| mean - h),
            ci_high: half_width.map(|h| mean + h),
        }))
    }

    /// True when the confidence interval exists and does not contain zero.
    pub fn interval_excludes_zero(&self) -> bool {
        match (self.ci_low, self.ci_high) {
            (Some(low), Some(high)) => low > 0.0 || high < 0.0,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_interval() {
        // Values 0, 25, 50, 75, 100: mean 50, variance 1562.5, se = sqrt(1562.5 / 5) = 17.677...
        let estimate = MeanEstimate::from_moments(5, 50.0, Some(1562.5), 0.95)
            .unwrap()
            .unwrap();
        let se = (1562.5_f64 / 5.0).sqrt();
        assert!((estimate.se.unwrap() - se).abs() < 1e-12);
        let t4 = 2.7764451051977987;
        assert!((estimate.ci_low.unwrap() - (50.0 - t4 * se)).abs() < 1e-9);
        assert!((estimate.ci_high.unwrap() - (50.0 + t4 * se)).abs() < 1e-9);
        assert!(estimate.interval_excludes_zero());
    }

    #[test]
    fn single_observation_has_no_spread() {
        let estimate = MeanEstimate::from_moments(1, 75.0, None, 0.95)
            .unwrap()
            .unwrap();
        assert_eq!(estimate.sd, None);
        assert_eq!(estimate.ci_low, None);
        assert!(!estimate.interval_excludes_zero());
    }

    #[test]
    fn no_observation_has_no_estimate() {
        assert_eq!(MeanEstimate::from_moments(0, 0.0, None, 0.95), Ok(None));
    }

    #[test]
    fn interval_containing_zero_is_detected() {
        let estimate = MeanEstimate::from_moments(3, 1.0, Some(100.0), 0.95)
            .unwrap()
            .unwrap();
        assert!(!estimate.interval_excludes_zero());
    }
}
