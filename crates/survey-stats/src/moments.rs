//! Exact first and second moments of integer-valued observations.
//!
//! Floating-point sums depend on the order of addition; integer sums do not. Survey answers are
//! small integers (or rationals with a known common denominator), so the evaluation keeps exact
//! `i128` sums and converts to `f64` only when it reports.

use crate::{MeanEstimate, StatsError};

/// Count, sum and sum of squares of integer observations, mergeable by addition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntegerMoments {
    /// Number of observations.
    pub n: u64,
    /// Sum of the observations.
    pub sum: i128,
    /// Sum of the squared observations.
    pub sum_squares: i128,
}

impl IntegerMoments {
    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, value: i64) {
        let value = value as i128;
        self.n += 1;
        self.sum += value;
        self.sum_squares += value * value;
    }

    /// Removes one observation that was added before (a replaced answer).
    #[inline]
    pub fn remove(&mut self, value: i64) {
        let value = value as i128;
        self.n -= 1;
        self.sum -= value;
        self.sum_squares -= value * value;
    }

    /// Adds every observation of `other`, as if they had been added one by one.
    pub fn merge(&mut self, other: &IntegerMoments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_squares += other.sum_squares;
    }

    /// The mean and sample variance of `value * scale`, computed from exact integer sums:
    /// `variance = (n * S2 - S1^2) / (n (n - 1)) * scale^2`.
    ///
    /// # Examples
    /// ```
    /// use minxin_survey_stats::IntegerMoments;
    /// let mut moments = IntegerMoments::default();
    /// for value in [0, 1, 2, 3, 4] { moments.add(value); }
    /// let estimate = moments.estimate(25.0, 0.95).unwrap().unwrap();
    /// assert_eq!(estimate.mean, 50.0);
    /// assert!((estimate.sd.unwrap().powi(2) - 1562.5).abs() < 1e-9);
    /// ```
    pub fn estimate(
        &self,
        scale: f64,
        confidence: f64,
    ) -> Result<Option<MeanEstimate>, StatsError> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(StatsError::InvalidScale(scale));
        }
        if self.n == 0 {
            return MeanEstimate::from_moments(0, 0.0, None, confidence);
        }
        let n = self.n as i128;
        let mean = self.sum as f64 / self.n as f64 * scale;
        let variance = (self.n >= 2).then(|| {
            let numerator = n * self.sum_squares - self.sum * self.sum;
            numerator as f64 / (n * (n - 1)) as f64 * scale * scale
        });
        MeanEstimate::from_moments(self.n, mean, variance, confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_computed_moments() {
        let mut moments = IntegerMoments::default();
        for value in [-3, 1, 2] {
            moments.add(value);
        }
        assert_eq!(moments.n, 3);
        assert_eq!(moments.sum, 0);
        assert_eq!(moments.sum_squares, 14);
        let estimate = moments.estimate(2.0, 0.95).unwrap().unwrap();
        assert_eq!(estimate.mean, 0.0);
        // variance of (-6, 2, 4) = (36 + 4 + 16) / 2 = 28
        assert!((estimate.sd.unwrap() - 28.0_f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn removing_undoes_adding() {
        let mut moments = IntegerMoments::default();
        moments.add(3);
        let before = moments;
        moments.add(-7);
        moments.remove(-7);
        assert_eq!(moments, before);
    }

    #[test]
    fn rejects_non_positive_scale() {
        assert!(IntegerMoments::default().estimate(0.0, 0.95).is_err());
    }

    proptest! {
        #[test]
        fn merge_equals_sequential_addition(a in prop::collection::vec(-1000i64..1000, 0..50),
                                            b in prop::collection::vec(-1000i64..1000, 0..50)) {
            let mut left = IntegerMoments::default();
            a.iter().for_each(|v| left.add(*v));
            let mut right = IntegerMoments::default();
            b.iter().for_each(|v| right.add(*v));
            let mut all = IntegerMoments::default();
            a.iter().chain(b.iter()).for_each(|v| all.add(*v));
            left.merge(&right);
            prop_assert_eq!(left, all);
        }

        #[test]
        fn variance_matches_two_pass_formula(values in prop::collection::vec(-100i64..100, 2..60)) {
            let mut moments = IntegerMoments::default();
            values.iter().for_each(|v| moments.add(*v));
            let estimate = moments.estimate(1.0, 0.95).unwrap().unwrap();
            let n = values.len() as f64;
            let mean = values.iter().sum::<i64>() as f64 / n;
            let variance = values.iter().map(|v| (*v as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
            prop_assert!((estimate.mean - mean).abs() < 1e-9);
            prop_assert!((estimate.sd.unwrap().powi(2) - variance).abs() < 1e-6 * (1.0 + variance));
        }
    }
}
