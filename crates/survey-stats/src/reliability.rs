//! Reliability of a multi-item scale: Cronbach's alpha (raw and standardised), the average
//! inter-item correlation, and per item the corrected item–total correlation and the alpha if
//! the item were dropped, as R's `psych::alpha` computes them.
//!
//! Missing answers are handled pairwise by default (each covariance over the respondents who
//! answered both items, with that pair's own means, as R's `cov(use = "pairwise")`), or
//! listwise (only respondents who answered every item).

use crate::StatsError;

/// How missing answers are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingAnswers {
    /// Each covariance over the respondents who answered both items (psych's default).
    Pairwise,
    /// Only respondents who answered every item.
    Listwise,
}

/// One item's part in the scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemReliability {
    /// Correlation of the item with the sum of the other items.
    pub r_drop: f64,
    /// Raw alpha of the scale without the item (`NaN` for a two-item scale).
    pub alpha_if_dropped: f64,
}

/// The reliability of a scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Alpha {
    /// Cronbach's alpha from the covariances.
    pub raw_alpha: f64,
    /// Alpha from the correlations (items standardised).
    pub std_alpha: f64,
    /// The mean correlation between two different items.
    pub average_r: f64,
    /// Per item, in input order.
    pub items: Vec<ItemReliability>,
}

/// A symmetric matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
struct Matrix {
    size: usize,
    values: Vec<f64>,
}

impl Matrix {
    fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.size + j]
    }

    fn without(&self, dropped: usize) -> Matrix {
        let keep: Vec<usize> = (0..self.size).filter(|k| *k != dropped).collect();
        Matrix {
            size: keep.len(),
            values: keep
                .iter()
                .flat_map(|i| keep.iter().map(move |j| (*i, *j)))
                .map(|(i, j)| self.get(i, j))
                .collect(),
        }
    }

    fn sum(&self) -> f64 {
        self.values.iter().sum()
    }

    fn trace(&self) -> f64 {
        (0..self.size).map(|i| self.get(i, i)).sum()
    }

    fn correlations(&self) -> Matrix {
        let mut values = self.values.clone();
        for i in 0..self.size {
            for j in 0..self.size {
                values[i * self.size + j] /= (self.get(i, i) * self.get(j, j)).sqrt();
            }
        }
        Matrix {
            size: self.size,
            values,
        }
    }
}

/// The sample covariance of items `i` and `j` over the rows where both are present.
fn pairwise_covariance(rows: &[Vec<Option<f64>>], i: usize, j: usize) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|row| Some((row[i]?, row[j]?)))
        .collect();
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let mean_i = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_j = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    Some(
        pairs
            .iter()
            .map(|(x, y)| (x - mean_i) * (y - mean_j))
            .sum::<f64>()
            / (n - 1.0),
    )
}

fn covariances(rows: &[Vec<Option<f64>>], items: usize) -> Result<Matrix, StatsError> {
    let mut values = vec![0.0; items * items];
    for i in 0..items {
        for j in i..items {
            let covariance = pairwise_covariance(rows, i, j).ok_or_else(|| {
                StatsError::Reliability(format!(
                    "items {i} and {j} are answered together by fewer than 2 respondents"
                ))
            })?;
            values[i * items + j] = covariance;
            values[j * items + i] = covariance;
        }
    }
    if let Some(i) = (0..items).find(|i| values[i * items + i] <= 0.0) {
        return Err(StatsError::Reliability(format!(
            "item {i} does not vary: every respondent gave the same answer"
        )));
    }
    Ok(Matrix {
        size: items,
        values,
    })
}

fn raw_alpha(c: &Matrix) -> f64 {
    let k = c.size as f64;
    k / (k - 1.0) * (1.0 - c.trace() / c.sum())
}

/// Cronbach's alpha of `rows` (respondents × items; `None` is a missing answer). Reverse-keyed
/// items must be reversed (or negated) by the caller.
pub fn cronbach_alpha(
    rows: &[Vec<Option<f64>>],
    missing: MissingAnswers,
) -> Result<Alpha, StatsError> {
    let items = rows.first().map_or(0, Vec::len);
    if items < 2 {
        return Err(StatsError::Reliability(
            "a scale needs at least 2 items".into(),
        ));
    }
    if let Some(row) = rows.iter().position(|r| r.len() != items) {
        return Err(StatsError::Reliability(format!(
            "respondent {row} has {} answers for {items} items",
            rows[row].len()
        )));
    }
    let complete: Vec<Vec<Option<f64>>>;
    let used = match missing {
        MissingAnswers::Pairwise => rows,
        MissingAnswers::Listwise => {
            complete = rows
                .iter()
                .filter(|r| r.iter().all(Option::is_some))
                .cloned()
                .collect();
            &complete[..]
        }
    };
    let c = covariances(used, items)?;
    alpha_of(&c)
}

/// Cronbach's alpha from an item covariance matrix (`covariances[i][j]`, symmetric), for
/// callers that keep sums rather than answers; the same statistics as [`cronbach_alpha`].
pub fn cronbach_alpha_from_covariances(covariances: &[Vec<f64>]) -> Result<Alpha, StatsError> {
    let items = covariances.len();
    if items < 2 {
        return Err(StatsError::Reliability(
            "a scale needs at least 2 items".into(),
        ));
    }
    if covariances.iter().any(|row| row.len() != items) {
        return Err(StatsError::Reliability(
            "the covariance matrix is not square".into(),
        ));
    }
    if covariances.iter().flatten().any(|v| !v.is_finite()) {
        return Err(StatsError::Reliability(
            "a covariance is missing (items answered together by too few)".into(),
        ));
    }
    if let Some(i) = (0..items).find(|i| covariances[*i][*i] <= 0.0) {
        return Err(StatsError::Reliability(format!(
            "item {i} does not vary: every respondent gave the same answer"
        )));
    }
    alpha_of(&Matrix {
        size: items,
        values: covariances.iter().flatten().copied().collect(),
    })
}

fn alpha_of(c: &Matrix) -> Result<Alpha, StatsError> {
    let items = c.size;
    let r = c.correlations();
    let k = items as f64;
    let per_item = (0..items)
        .map(|i| {
            let rest = c.without(i);
            let item_with_rest = (0..items)
                .filter(|j| *j != i)
                .map(|j| c.get(i, j))
                .sum::<f64>();
            ItemReliability {
                r_drop: item_with_rest / (c.get(i, i) * rest.sum()).sqrt(),
                alpha_if_dropped: if items > 2 {
                    raw_alpha(&rest)
                } else {
                    f64::NAN
                },
            }
        })
        .collect();
    Ok(Alpha {
        raw_alpha: raw_alpha(c),
        std_alpha: k / (k - 1.0) * (1.0 - k / r.sum()),
        average_r: (r.sum() - k) / (k * (k - 1.0)),
        items: per_item,
    })
}

/// Composite reliability (Jöreskog's ρc) of a block from its standardised loadings:
/// `(Σλ)² / ((Σλ)² + Σ(1 − λ²))`.
pub fn composite_reliability(loadings: &[f64]) -> f64 {
    let sum: f64 = loadings.iter().sum();
    let error: f64 = loadings.iter().map(|l| 1.0 - l * l).sum();
    sum * sum / (sum * sum + error)
}

/// Average variance extracted of a block: the mean squared standardised loading.
pub fn average_variance_extracted(loadings: &[f64]) -> f64 {
    loadings.iter().map(|l| l * l).sum::<f64>() / loadings.len() as f64
}

/// The heterotrait–monotrait ratio of two blocks (Henseler, Ringle and Sarstedt 2015): the mean
/// absolute correlation between an indicator of one and an indicator of the other, over the
/// geometric mean of the two blocks' mean absolute correlations between their own indicators.
/// `correlation(a, b)` gives the correlation of indicator columns `a` and `b`. `None` when a
/// block has a single indicator.
pub fn htmt(
    first: &[usize],
    second: &[usize],
    correlation: impl Fn(usize, usize) -> f64,
) -> Option<f64> {
    let within = |block: &[usize]| -> Option<f64> {
        let pairs: Vec<f64> = block
            .iter()
            .enumerate()
            .flat_map(|(k, a)| block[k + 1..].iter().map(move |b| (*a, *b)))
            .map(|(a, b)| correlation(a, b).abs())
            .collect();
        (!pairs.is_empty()).then(|| pairs.iter().sum::<f64>() / pairs.len() as f64)
    };
    let between: f64 = first
        .iter()
        .flat_map(|a| second.iter().map(move |b| (*a, *b)))
        .map(|(a, b)| correlation(a, b).abs())
        .sum::<f64>()
        / (first.len() * second.len()) as f64;
    Some(between / (within(first)? * within(second)?).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(rows: &[[f64; 3]]) -> Vec<Vec<Option<f64>>> {
        rows.iter()
            .map(|r| r.iter().map(|v| Some(*v)).collect())
            .collect()
    }

    #[test]
    fn parallel_items_are_perfectly_reliable() {
        let rows = complete(&[[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [4.0, 4.0, 4.0]]);
        let alpha = cronbach_alpha(&rows, MissingAnswers::Pairwise).unwrap();
        assert!((alpha.raw_alpha - 1.0).abs() < 1e-12);
        assert!((alpha.std_alpha - 1.0).abs() < 1e-12);
        assert!((alpha.items[0].r_drop - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_alpha() {
        // The textbook formula: k / (k - 1) * (1 - sum of item variances / variance of totals).
        let rows = complete(&[
            [1.0, 2.0, 2.0],
            [2.0, 2.0, 3.0],
            [3.0, 4.0, 3.0],
            [4.0, 3.0, 5.0],
        ]);
        let alpha = cronbach_alpha(&rows, MissingAnswers::Listwise).unwrap();
        let totals: Vec<f64> = [5.0, 7.0, 10.0, 12.0].to_vec();
        let variance = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
        };
        let item_variances = variance(&[1.0, 2.0, 3.0, 4.0])
            + variance(&[2.0, 2.0, 4.0, 3.0])
            + variance(&[2.0, 3.0, 3.0, 5.0]);
        let expected = 1.5 * (1.0 - item_variances / variance(&totals));
        assert!(
            (alpha.raw_alpha - expected).abs() < 1e-12,
            "{} vs {expected}",
            alpha.raw_alpha
        );
    }

    #[test]
    fn listwise_ignores_incomplete_respondents() {
        let mut rows = complete(&[
            [1.0, 2.0, 2.0],
            [2.0, 2.0, 3.0],
            [3.0, 4.0, 3.0],
            [4.0, 3.0, 5.0],
        ]);
        let before = cronbach_alpha(&rows, MissingAnswers::Listwise).unwrap();
        rows.push(vec![Some(5.0), None, Some(1.0)]);
        let after = cronbach_alpha(&rows, MissingAnswers::Listwise).unwrap();
        assert_eq!(before, after);
        let pairwise = cronbach_alpha(&rows, MissingAnswers::Pairwise).unwrap();
        assert_ne!(before.raw_alpha, pairwise.raw_alpha);
    }

    #[test]
    fn composite_reliability_and_ave_by_hand() {
        let loadings = [0.8, 0.7, 0.9];
        let sum: f64 = 2.4;
        let error = 0.36 + 0.51 + 0.19;
        assert!((composite_reliability(&loadings) - sum * sum / (sum * sum + error)).abs() < 1e-12);
        assert!((average_variance_extracted(&loadings) - (0.64 + 0.49 + 0.81) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn htmt_of_identical_blocks_is_one() {
        // Every correlation 0.5: the ratio is 1.
        let value = htmt(&[0, 1], &[2, 3], |a, b| if a == b { 1.0 } else { 0.5 }).unwrap();
        assert!((value - 1.0).abs() < 1e-12);
        assert_eq!(htmt(&[0], &[1, 2], |_, _| 0.5), None);
    }

    #[test]
    fn an_item_without_variance_is_an_error() {
        let rows = complete(&[[1.0, 2.0, 3.0], [1.0, 3.0, 4.0]]);
        assert!(cronbach_alpha(&rows, MissingAnswers::Pairwise).is_err());
    }
}
