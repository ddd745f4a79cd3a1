//! A weighted sum of item means with a standard error that accounts for the items being
//! answered by the same respondents.
//!
//! An index is a weighted sum `I = Σ_k w_k ȳ_k` of item means, where `ȳ_k` is the mean over the
//! respondents who answered item `k` (a ratio estimator: "don't know" answers are missing, not
//! zero). Its linearised variance under simple random sampling of the `n` respondents, as
//! R's `survey` package computes it for `svycontrast(svyratio(...))`, is
//!
//! `Var(I) = n / (n − 1) · Σ_k Σ_l w_k w_l C_kl / (n_k n_l)`,
//!
//! where `C_kl = Σ_r (x_rk − ȳ_k)(x_rl − ȳ_l)` over the respondents who answered both items.
//! Everything it needs is exact integer sums, kept in [`IntegerMoments`] per item and
//! [`PairSums`] per pair of items, so the estimate can be maintained as answers arrive and
//! are replaced.

use crate::{student_t, IntegerMoments, StatsError};

/// Exact sums over the respondents who answered both items of a pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairSums {
    /// Respondents who answered both.
    pub n: u64,
    /// Sum of the first item's values over those respondents.
    pub first: i64,
    /// Sum of the second item's values over those respondents.
    pub second: i64,
    /// Sum of the products of the two values.
    pub products: i64,
}

impl PairSums {
    /// Adds one respondent's answers to both items.
    #[inline]
    pub fn add(&mut self, first: i64, second: i64) {
        self.n += 1;
        self.first += first;
        self.second += second;
        self.products += first * second;
    }

    /// Takes back one respondent's answers added before.
    #[inline]
    pub fn remove(&mut self, first: i64, second: i64) {
        self.n -= 1;
        self.first -= first;
        self.second -= second;
        self.products -= first * second;
    }

    /// Adds the sums of other, disjoint respondents.
    pub fn merge(&mut self, other: &PairSums) {
        self.n += other.n;
        self.first += other.first;
        self.second += other.second;
        self.products += other.products;
    }
}

/// Position of the pair `(first, second)`, `first < second < items`, in a list holding the
/// pairs of `items` items in the order (0,1), (0,2), …, (1,2), ….
#[inline]
pub fn pair_position(items: usize, first: usize, second: usize) -> usize {
    debug_assert!(first < second && second < items);
    first * (2 * items - first - 1) / 2 + (second - first - 1)
}

/// Number of pairs of `items` items.
pub fn pair_count(items: usize) -> usize {
    items * items.saturating_sub(1) / 2
}

/// A weighted sum of item means with its standard error and a Student-t interval on
/// `n − 1` degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CombinationEstimate {
    /// Respondents (the `n` of the variance formula).
    pub n: u64,
    /// The weighted sum of the item means, on the reporting scale.
    pub value: f64,
    /// Its linearised standard error; `None` when `n < 2`.
    pub se: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
}

/// The items of one combination: their moments, their pair sums and their weights.
#[derive(Debug, Clone, Copy)]
pub struct ItemCombination<'a> {
    /// Per item, exact moments of the answers (in integer units).
    pub items: &'a [IntegerMoments],
    /// Per pair of items, in [`pair_position`] order.
    pub pairs: &'a [PairSums],
    /// Per item, its weight; items with weight 0 (or no answer) do not count.
    pub weights: &'a [f64],
    /// Reporting units per integer unit (25 points per answer step on a 5-point scale).
    pub scale: f64,
}

impl ItemCombination<'_> {
    /// The estimate over `respondents` respondents; `Ok(None)` when no weighted item has an
    /// answer.
    ///
    /// # Examples
    /// ```
    /// use minxin_survey_stats::{IntegerMoments, ItemCombination, PairSums};
    /// // One item answered 0, 2, 4 by three respondents: the mean of one item.
    /// let mut item = IntegerMoments::default();
    /// [0, 2, 4].iter().for_each(|v| item.add(*v));
    /// let estimate = ItemCombination { items: &[item], pairs: &[], weights: &[1.0], scale: 1.0 }
    ///     .estimate(3, 0.95).unwrap().unwrap();
    /// assert_eq!(estimate.value, 2.0);
    /// assert!((estimate.se.unwrap() - (4.0_f64 / 3.0).sqrt()).abs() < 1e-12);
    /// ```
    pub fn estimate(
        &self,
        respondents: u64,
        confidence: f64,
    ) -> Result<Option<CombinationEstimate>, StatsError> {
        let count = self.items.len();
        if self.weights.len() != count || self.pairs.len() != pair_count(count) {
            return Err(StatsError::MismatchedLengths {
                items: count,
                weights: self.weights.len(),
                pairs: self.pairs.len(),
            });
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(StatsError::InvalidScale(self.scale));
        }
        let critical =
            student_t::two_sided_critical_value(confidence, respondents.saturating_sub(1))?;
        let used: Vec<usize> = (0..count)
            .filter(|k| self.weights[*k] != 0.0 && self.items[*k].n > 0)
            .collect();
        if used.is_empty() || respondents == 0 {
            return Ok(None);
        }
        let value = used
            .iter()
            .map(|k| self.weights[*k] * self.items[*k].sum as f64 / self.items[*k].n as f64)
            .sum::<f64>()
            * self.scale;
        let se = (respondents >= 2).then(|| {
            let mut sum = 0.0;
            for (a, k) in used.iter().enumerate() {
                for l in &used[a..] {
                    let term = self.scaled_cross_product(*k, *l);
                    let (nk, nl) = (self.items[*k].n as f64, self.items[*l].n as f64);
                    let factor = if k == l { 1.0 } else { 2.0 };
                    sum +=
                        factor * self.weights[*k] * self.weights[*l] * term / (nk * nk * nl * nl);
                }
            }
            let n = respondents as f64;
            (n / (n - 1.0) * sum).max(0.0).sqrt() * self.scale
        });
        let half_width = match (se, critical) {
            (Some(se), Some(t)) => Some(t * se),
            _ => None,
        };
        Ok(Some(CombinationEstimate {
            n: respondents,
            value,
            se,
            ci_low: half_width.map(|h| value - h),
            ci_high: half_width.map(|h| value + h),
        }))
    }

    /// `C_kl · n_k · n_l`, computed exactly in integers, where `C_kl` is the sum over the
    /// respondents answering both of the products of deviations from each item's own mean.
    fn scaled_cross_product(&self, k: usize, l: usize) -> f64 {
        let (item_k, item_l) = (&self.items[k], &self.items[l]);
        let (nk, nl) = (item_k.n as i128, item_l.n as i128);
        let (sk, sl) = (item_k.sum, item_l.sum);
        if k == l {
            // C_kk n_k n_k = n_k (n_k Σx² − (Σx)²)
            return (nk * (nk * item_k.sum_squares - sk * sk)) as f64;
        }
        let (first, second) = if k < l { (k, l) } else { (l, k) };
        let pair = &self.pairs[pair_position(self.items.len(), first, second)];
        // With F = Σ x_k and G = Σ x_l over the respondents answering both:
        // C_kl n_k n_l = n_k n_l P − n_k S_l F − n_l S_k G + n_kl S_k S_l.
        let (f, g) = if k < l {
            (pair.first as i128, pair.second as i128)
        } else {
            (pair.second as i128, pair.first as i128)
        };
        let exact =
            nk * nl * pair.products as i128 - nk * sl * f - nl * sk * g + pair.n as i128 * sk * sl;
        exact as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook computation from the microdata: influence values per respondent.
    fn influence_variance(rows: &[Vec<Option<i64>>], weights: &[f64]) -> (f64, f64) {
        let items = weights.len();
        let means: Vec<f64> = (0..items)
            .map(|k| {
                let answered: Vec<f64> =
                    rows.iter().filter_map(|r| r[k]).map(|v| v as f64).collect();
                answered.iter().sum::<f64>() / answered.len() as f64
            })
            .collect();
        let counts: Vec<f64> = (0..items)
            .map(|k| rows.iter().filter(|r| r[k].is_some()).count() as f64)
            .collect();
        let value: f64 = (0..items)
            .filter(|k| counts[*k] > 0.0)
            .map(|k| weights[k] * means[k])
            .sum();
        let n = rows.len() as f64;
        let sum_squares: f64 = rows
            .iter()
            .map(|r| {
                (0..items)
                    .filter_map(|k| r[k].map(|v| weights[k] * (v as f64 - means[k]) / counts[k]))
                    .sum::<f64>()
                    .powi(2)
            })
            .sum();
        (value, (n / (n - 1.0) * sum_squares).sqrt())
    }

    fn tallies(rows: &[Vec<Option<i64>>], items: usize) -> (Vec<IntegerMoments>, Vec<PairSums>) {
        let mut moments = vec![IntegerMoments::default(); items];
        let mut pairs = vec![PairSums::default(); pair_count(items)];
        for row in rows {
            for k in 0..items {
                let Some(x) = row[k] else { continue };
                moments[k].add(x);
                for l in k + 1..items {
                    if let Some(y) = row[l] {
                        pairs[pair_position(items, k, l)].add(x, y);
                    }
                }
            }
        }
        (moments, pairs)
    }

    #[test]
    fn pair_positions_enumerate_the_upper_triangle() {
        let items = 5;
        let mut expected = 0;
        for k in 0..items {
            for l in k + 1..items {
                assert_eq!(pair_position(items, k, l), expected);
                expected += 1;
            }
        }
        assert_eq!(expected, pair_count(items));
    }

    #[test]
    fn perfectly_correlated_items_add_their_errors() {
        // Two identical items: the mean of the two has the error of one.
        let rows: Vec<Vec<Option<i64>>> = [0, 1, 3, 4]
            .iter()
            .map(|v| vec![Some(*v), Some(*v)])
            .collect();
        let (moments, pairs) = tallies(&rows, 2);
        let both = ItemCombination {
            items: &moments,
            pairs: &pairs,
            weights: &[0.5, 0.5],
            scale: 1.0,
        }
        .estimate(4, 0.95)
        .unwrap()
        .unwrap();
        let one = ItemCombination {
            items: &moments[..1],
            pairs: &[],
            weights: &[1.0],
            scale: 1.0,
        }
        .estimate(4, 0.95)
        .unwrap()
        .unwrap();
        assert!((both.se.unwrap() - one.se.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn mismatched_lengths_are_an_error() {
        let moments = [IntegerMoments::default(); 3];
        let result = ItemCombination {
            items: &moments,
            pairs: &[],
            weights: &[1.0; 3],
            scale: 1.0,
        }
        .estimate(10, 0.95);
        assert!(matches!(result, Err(StatsError::MismatchedLengths { .. })));
    }

    proptest! {
        #[test]
        fn matches_the_influence_value_computation(
            rows in prop::collection::vec(prop::collection::vec(prop::option::weighted(0.8, 0i64..5), 4), 3..40),
            raw_weights in prop::collection::vec(0.0f64..1.0, 4),
        ) {
            let items = 4;
            let rows: Vec<Vec<Option<i64>>> = rows.into_iter().filter(|r| r.iter().any(Option::is_some)).collect();
            prop_assume!(rows.len() >= 2);
            let weights: Vec<f64> = (0..items)
                .map(|k| if rows.iter().any(|r| r[k].is_some()) { raw_weights[k] } else { 0.0 })
                .collect();
            prop_assume!(weights.iter().any(|w| *w > 0.0));
            let (moments, pairs) = tallies(&rows, items);
            let estimate = ItemCombination { items: &moments, pairs: &pairs, weights: &weights, scale: 25.0 }
                .estimate(rows.len() as u64, 0.95)
                .unwrap()
                .unwrap();
            let (value, se) = influence_variance(&rows, &weights);
            prop_assert!((estimate.value - 25.0 * value).abs() < 1e-9);
            prop_assert!((estimate.se.unwrap() - 25.0 * se).abs() < 1e-9 * (1.0 + 25.0 * se));
        }

        #[test]
        fn removing_undoes_adding(a in 0i64..5, b in 0i64..5, c in 0i64..5, d in 0i64..5) {
            let mut sums = PairSums::default();
            sums.add(a, b);
            let before = sums;
            sums.add(c, d);
            sums.remove(c, d);
            prop_assert_eq!(sums, before);
        }
    }
}
