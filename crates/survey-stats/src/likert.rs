//! Answer counts of one Likert item, and the 0–100 score they imply.
//!
//! An item answered on a scale `1..=levels` is fully described by how many respondents gave each
//! answer. The score of one answer is `(answer - 1) * 100 / (levels - 1)`, so on the usual 5-point
//! scale 1 → 0, 2 → 25, 3 → 50, 4 → 75 and 5 → 100.

use crate::{IntegerMoments, MeanEstimate, StatsError};

/// How many respondents gave each answer of a `levels`-point scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikertHistogram {
    counts: Vec<u64>,
}

impl LikertHistogram {
    /// An empty histogram for a scale `1..=levels`.
    pub fn new(levels: usize) -> Result<Self, StatsError> {
        if levels < 2 {
            return Err(StatsError::TooFewLevels(levels));
        }
        Ok(Self {
            counts: vec![0; levels],
        })
    }

    /// A histogram from counts, `counts[k]` being the number of answers `k + 1`.
    pub fn from_counts(counts: &[u64]) -> Result<Self, StatsError> {
        if counts.len() < 2 {
            return Err(StatsError::TooFewLevels(counts.len()));
        }
        Ok(Self {
            counts: counts.to_vec(),
        })
    }

    /// Records one answer on the scale `1..=levels`.
    pub fn record(&mut self, answer: u32) -> Result<(), StatsError> {
        let levels = self.counts.len();
        match (answer as usize).checked_sub(1).filter(|i| *i < levels) {
            Some(index) => {
                self.counts[index] += 1;
                Ok(())
            }
            None => Err(StatsError::AnswerOutOfScale { answer, levels }),
        }
    }

    /// The counts, index `k` holding answer `k + 1`.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The number of answers recorded.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The score of one step up the scale: `100 / (levels - 1)`.
    pub fn score_step(&self) -> f64 {
        100.0 / (self.counts.len() - 1) as f64
    }

    /// Exact moments of `answer - 1` over all recorded answers.
    pub fn moments(&self) -> IntegerMoments {
        let mut moments = IntegerMoments::default();
        for (offset, count) in self.counts.iter().enumerate() {
            let offset = offset as i128;
            let count_wide = *count as i128;
            moments.n += count;
            moments.sum += offset * count_wide;
            moments.sum_squares += offset * offset * count_wide;
        }
        moments
    }

    /// The mean score on 0–100 with its standard deviation, standard error and Student-t interval.
    ///
    /// # Examples
    /// ```
    /// use minxin_survey_stats::LikertHistogram;
    /// let histogram = LikertHistogram::from_counts(&[0, 0, 1, 1, 0]).unwrap();
    /// let estimate = histogram.score_estimate(0.95).unwrap().unwrap();
    /// assert_eq!(estimate.mean, 62.5);
    /// ```
    pub fn score_estimate(&self, confidence: f64) -> Result<Option<MeanEstimate>, StatsError> {
        self.moments().estimate(self.score_step(), confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_five_point_item() {
        let mut histogram = LikertHistogram::new(5).unwrap();
        for answer in [5, 4, 4, 2] {
            histogram.record(answer).unwrap();
        }
        // scores 100, 75, 75, 25: mean 68.75, variance ((31.25)^2 + 2 * 6.25^2 + 43.75^2) / 3
        let estimate = histogram.score_estimate(0.95).unwrap().unwrap();
        assert_eq!(estimate.n, 4);
        assert_eq!(estimate.mean, 68.75);
        let variance = (31.25_f64.powi(2) + 2.0 * 6.25_f64.powi(2) + 43.75_f64.powi(2)) / 3.0;
        assert!((estimate.sd.unwrap() - variance.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn seven_point_scale_uses_its_own_step() {
        let histogram = LikertHistogram::from_counts(&[0, 0, 0, 0, 0, 0, 2]).unwrap();
        assert_eq!(histogram.score_estimate(0.95).unwrap().unwrap().mean, 100.0);
        assert!((histogram.score_step() - 100.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_answers_off_the_scale() {
        let mut histogram = LikertHistogram::new(5).unwrap();
        assert!(histogram.record(0).is_err());
        assert!(histogram.record(6).is_err());
        assert_eq!(histogram.total(), 0);
    }

    #[test]
    fn rejects_degenerate_scale() {
        assert_eq!(LikertHistogram::new(1), Err(StatsError::TooFewLevels(1)));
    }

    #[test]
    fn empty_histogram_has_no_estimate() {
        let histogram = LikertHistogram::new(5).unwrap();
        assert_eq!(histogram.score_estimate(0.95).unwrap(), None);
    }
}
