//! Partial least squares path modelling (PLS-PM): latent constructs measured by blocks of
//! indicators (mode A, reflective), standardised indicators, Lohmöller's iteration with the
//! path, centroid or factorial inner scheme, then path coefficients by least squares between
//! the construct scores.
//!
//! Conventions (those of R's plspm, `get_treated_data` and `get_weights`): indicators are
//! standardised with the *population* standard deviation (`sqrt((n-1)/n) * sd`); construct
//! scores have mean 0 and population variance 1; outer weights are the coefficients of those
//! standardised indicators in a score; a construct whose indicators mostly correlate
//! negatively with it is turned round.

use crate::StatsError;

/// How inner estimates weigh the neighbouring constructs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnerScheme {
    /// Regression on predecessors, correlation with successors.
    Path,
    /// The sign of the correlation with each neighbour.
    Centroid,
    /// The covariance with each neighbour.
    Factorial,
}

/// A structural model: constructs with their indicator columns, and directed paths.
#[derive(Debug, Clone, PartialEq)]
pub struct PathModel {
    /// Per construct, the columns of its indicators.
    pub blocks: Vec<Vec<usize>>,
    /// `(from, to)` construct positions.
    pub paths: Vec<(usize, usize)>,
}

/// The estimated model.
#[derive(Debug, Clone, PartialEq)]
pub struct PlsEstimate {
    /// Per construct, the outer weight of each indicator (in block order).
    pub outer_weights: Vec<Vec<f64>>,
    /// Per construct, each indicator's correlation with the construct score.
    pub loadings: Vec<Vec<f64>>,
    /// The coefficient of each path, in model order.
    pub path_coefficients: Vec<f64>,
    /// R² of each construct with predecessors (`None` for exogenous constructs).
    pub r_squared: Vec<Option<f64>>,
    /// `total_effects[from][to]`: direct plus indirect effects.
    pub total_effects: Vec<Vec<f64>>,
    /// Construct scores, `scores[construct][row]`.
    pub scores: Vec<Vec<f64>>,
    /// Iterations until the weights settled.
    pub iterations: usize,
}

/// Solves `a x = b` for a small dense system by Gaussian elimination with partial pivoting.
pub(crate) fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for column in 0..n {
        let pivot =
            (column..n).max_by(|i, j| a[*i][column].abs().total_cmp(&a[*j][column].abs()))?;
        if a[pivot][column].abs() < 1e-14 {
            return None;
        }
        a.swap(column, pivot);
        b.swap(column, pivot);
        let (upper, lower) = a.split_at_mut(column + 1);
        let pivot_row = &upper[column];
        for (offset, row) in lower.iter_mut().enumerate() {
            let factor = row[column] / pivot_row[column];
            for (value, pivot_value) in row[column..].iter_mut().zip(&pivot_row[column..]) {
                *value -= factor * pivot_value;
            }
            b[column + 1 + offset] -= factor * b[column];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Centres `values` and scales them to population variance 1.
fn standardise_population(values: &mut [f64]) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    values.iter_mut().for_each(|v| *v = (*v - mean) / sd);
}

/// Least-squares coefficients of `target` on `predictors` (all centred: no intercept).
fn regress(target: &[f64], predictors: &[&[f64]]) -> Result<Vec<f64>, StatsError> {
    let gram: Vec<Vec<f64>> = predictors
        .iter()
        .map(|a| predictors.iter().map(|b| dot(a, b)).collect())
        .collect();
    let right: Vec<f64> = predictors.iter().map(|p| dot(p, target)).collect();
    solve(gram, right)
        .ok_or_else(|| StatsError::Pls("the predecessors of a construct are collinear".into()))
}

impl PathModel {
    pub(crate) fn check(&self, columns: usize) -> Result<(), StatsError> {
        let constructs = self.blocks.len();
        if constructs < 2 || self.paths.is_empty() {
            return Err(StatsError::Pls(
                "a model needs at least two constructs and one path".into(),
            ));
        }
        if self.blocks.iter().any(Vec::is_empty) {
            return Err(StatsError::Pls("every construct needs an indicator".into()));
        }
        if self.blocks.iter().flatten().any(|c| *c >= columns) {
            return Err(StatsError::Pls(
                "an indicator column is out of range".into(),
            ));
        }
        if self
            .paths
            .iter()
            .any(|(from, to)| from == to || *from >= constructs || *to >= constructs)
        {
            return Err(StatsError::Pls(
                "a path joins a construct to itself or to none".into(),
            ));
        }
        Ok(())
    }

    pub(crate) fn predecessors(&self, construct: usize) -> Vec<usize> {
        self.paths
            .iter()
            .filter(|(_, to)| *to == construct)
            .map(|(from, _)| *from)
            .collect()
    }

    pub(crate) fn successors(&self, construct: usize) -> Vec<usize> {
        self.paths
            .iter()
            .filter(|(from, _)| *from == construct)
            .map(|(_, to)| *to)
            .collect()
    }
}

/// Estimates `model` on `columns[column][row]` (complete data). Iterates until no outer weight
/// changes by more than `tolerance`, at most `max_iterations` times.
pub fn estimate(
    columns: &[Vec<f64>],
    model: &PathModel,
    scheme: InnerScheme,
    tolerance: f64,
    max_iterations: usize,
) -> Result<PlsEstimate, StatsError> {
    model.check(columns.len())?;
    let n = columns.first().map_or(0, Vec::len);
    if n < 3 {
        return Err(StatsError::Pls("at least 3 rows are needed".into()));
    }
    // Indicators standardised with the population standard deviation, as R's plspm does.
    let standardised: Vec<Vec<f64>> = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let mean = column.iter().sum::<f64>() / n as f64;
            let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            if sd.is_nan() || sd <= 0.0 {
                return Err(StatsError::Pls(format!(
                    "indicator column {index} does not vary"
                )));
            }
            Ok(column.iter().map(|v| (v - mean) / sd).collect())
        })
        .collect::<Result<_, _>>()?;
    let constructs = model.blocks.len();
    let score_of = |block: &[usize], weights: &[f64]| -> Vec<f64> {
        (0..n)
            .map(|row| {
                block
                    .iter()
                    .zip(weights)
                    .map(|(c, w)| standardised[*c][row] * w)
                    .sum()
            })
            .collect()
    };
    // Weights that give a score of population variance 1.
    let normalised = |block: &[usize], weights: Vec<f64>| -> Vec<f64> {
        let score = score_of(block, &weights);
        let sd = (score.iter().map(|v| v * v).sum::<f64>() / n as f64).sqrt();
        weights.iter().map(|w| w / sd).collect()
    };
    let mut weights: Vec<Vec<f64>> = model
        .blocks
        .iter()
        .map(|block| normalised(block, vec![1.0; block.len()]))
        .collect();
    let mut iterations = 0;
    loop {
        iterations += 1;
        let scores: Vec<Vec<f64>> = model
            .blocks
            .iter()
            .zip(&weights)
            .map(|(block, w)| {
                let mut score = score_of(block, w);
                standardise_population(&mut score);
                score
            })
            .collect();
        let correlation = |a: usize, b: usize| dot(&scores[a], &scores[b]) / n as f64;
        // inner[k][i]: the weight of construct k in the inner estimate of construct i.
        let mut inner = vec![vec![0.0; constructs]; constructs];
        for i in 0..constructs {
            let neighbours: Vec<usize> = model
                .predecessors(i)
                .into_iter()
                .chain(model.successors(i))
                .collect();
            match scheme {
                InnerScheme::Centroid => {
                    for k in neighbours {
                        inner[k][i] = correlation(k, i).signum();
                    }
                }
                InnerScheme::Factorial => {
                    for k in neighbours {
                        inner[k][i] = correlation(k, i);
                    }
                }
                InnerScheme::Path => {
                    let predecessors = model.predecessors(i);
                    if !predecessors.is_empty() {
                        let predictors: Vec<&[f64]> =
                            predecessors.iter().map(|k| scores[*k].as_slice()).collect();
                        let coefficients = regress(&scores[i], &predictors)?;
                        for (k, c) in predecessors.iter().zip(coefficients) {
                            inner[*k][i] = c;
                        }
                    }
                    for k in model.successors(i) {
                        inner[k][i] = correlation(k, i);
                    }
                }
            }
        }
        let mut change: f64 = 0.0;
        for (i, block) in model.blocks.iter().enumerate() {
            let estimate: Vec<f64> = (0..n)
                .map(|row| (0..constructs).map(|k| scores[k][row] * inner[k][i]).sum())
                .collect();
            // Mode A: each weight is the indicator's covariance with the inner estimate.
            let raw: Vec<f64> = block
                .iter()
                .map(|c| dot(&standardised[*c], &estimate) / n as f64)
                .collect();
            let updated = normalised(block, raw);
            for (old, new) in weights[i].iter().zip(&updated) {
                change = change.max((old.abs() - new.abs()).abs());
            }
            weights[i] = updated;
        }
        if change < tolerance {
            break;
        }
        if iterations >= max_iterations {
            return Err(StatsError::Pls(format!(
                "the weights did not settle in {max_iterations} iterations"
            )));
        }
    }
    // Turn round a construct whose indicators mostly correlate negatively with it.
    let mut scores: Vec<Vec<f64>> = Vec::with_capacity(constructs);
    let mut loadings: Vec<Vec<f64>> = Vec::with_capacity(constructs);
    for (i, block) in model.blocks.iter().enumerate() {
        let mut score = score_of(block, &weights[i]);
        let mut block_loadings: Vec<f64> = block
            .iter()
            // Both have population variance 1: the loading is their correlation.
            .map(|c| dot(&standardised[*c], &score) / n as f64)
            .collect();
        let signs: f64 = block_loadings.iter().map(|l| l.signum()).sum();
        if signs < 0.0 {
            weights[i].iter_mut().for_each(|w| *w = -*w);
            score.iter_mut().for_each(|v| *v = -*v);
            block_loadings.iter_mut().for_each(|l| *l = -*l);
        }
        scores.push(score);
        loadings.push(block_loadings);
    }
    let mut path_coefficients = vec![0.0; model.paths.len()];
    let mut r_squared = vec![None; constructs];
    let mut direct = vec![vec![0.0; constructs]; constructs];
    for (i, r2) in r_squared.iter_mut().enumerate() {
        let predecessors = model.predecessors(i);
        if predecessors.is_empty() {
            continue;
        }
        let predictors: Vec<&[f64]> = predecessors.iter().map(|k| scores[*k].as_slice()).collect();
        let coefficients = regress(&scores[i], &predictors)?;
        let fitted: Vec<f64> = (0..n)
            .map(|row| {
                predictors
                    .iter()
                    .zip(&coefficients)
                    .map(|(p, c)| p[row] * c)
                    .sum()
            })
            .collect();
        let residual: f64 = scores[i]
            .iter()
            .zip(&fitted)
            .map(|(y, f)| (y - f).powi(2))
            .sum();
        let total: f64 = scores[i].iter().map(|y| y * y).sum();
        *r2 = Some(1.0 - residual / total);
        for (k, c) in predecessors.iter().zip(&coefficients) {
            direct[*k][i] = *c;
        }
    }
    for (position, (from, to)) in model.paths.iter().enumerate() {
        path_coefficients[position] = direct[*from][*to];
    }
    let total_effects = total_effects(&direct);
    Ok(PlsEstimate {
        outer_weights: weights,
        loadings,
        path_coefficients,
        r_squared,
        total_effects,
        scores,
        iterations,
    })
}

/// Total effects `B + B² + …` of the direct effects `direct[from][to]` (paths of every
/// length; a recursive model ends).
pub(crate) fn total_effects(direct: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let constructs = direct.len();
    let mut total = direct.to_vec();
    let mut power = direct.to_vec();
    for _ in 1..constructs {
        power = (0..constructs)
            .map(|a| {
                (0..constructs)
                    .map(|b| (0..constructs).map(|k| power[a][k] * direct[k][b]).sum())
                    .collect()
            })
            .collect();
        for a in 0..constructs {
            for b in 0..constructs {
                total[a][b] += power[a][b];
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
    }

    #[test]
    fn weights_are_on_the_scale_of_r_plspm() {
        // R's plspm standardises with the population deviation: a construct of one indicator
        // then has the weight 1 exactly (with the n − 1 deviation it would be √((n−1)/n)).
        let rows = 12;
        let columns: Vec<Vec<f64>> = vec![
            (0..rows).map(|r| ((r * 5) % 7) as f64).collect(),
            (0..rows)
                .map(|r| ((r * 3) % 5) as f64 + r as f64 / 4.0)
                .collect(),
        ];
        let model = PathModel {
            blocks: vec![vec![0], vec![1]],
            paths: vec![(0, 1)],
        };
        let result = estimate(&columns, &model, InnerScheme::Path, 1e-12, 1000).unwrap();
        for weights in &result.outer_weights {
            assert!((weights[0] - 1.0).abs() < 1e-12, "{weights:?}");
        }
    }

    #[test]
    fn scores_are_standardised_and_loadings_are_correlations() {
        // Two constructs of two indicators each, the second driven by the first.
        let rows = 50;
        let base: Vec<f64> = (0..rows).map(|r| ((r * 37) % 11) as f64).collect();
        let noise =
            |k: usize| -> Vec<f64> { (0..rows).map(|r| ((r * k) % 7) as f64 / 3.0).collect() };
        let columns = vec![
            base.iter().zip(noise(3)).map(|(b, e)| b + e).collect(),
            base.iter().zip(noise(5)).map(|(b, e)| b - e).collect(),
            base.iter()
                .zip(noise(2))
                .map(|(b, e)| 0.5 * b + e)
                .collect(),
            base.iter()
                .zip(noise(4))
                .map(|(b, e)| 0.5 * b + 2.0 * e)
                .collect(),
        ];
        let model = PathModel {
            blocks: vec![vec![0, 1], vec![2, 3]],
            paths: vec![(0, 1)],
        };
        let result = estimate(&columns, &model, InnerScheme::Path, 1e-12, 1000).unwrap();
        for score in &result.scores {
            let mean = score.iter().sum::<f64>() / rows as f64;
            let variance = score.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / rows as f64;
            assert!(mean.abs() < 1e-12 && (variance - 1.0).abs() < 1e-12);
        }
        // With one predecessor, the path coefficient is the correlation and R² its square.
        let r = result.path_coefficients[0];
        assert!((result.r_squared[1].unwrap() - r * r).abs() < 1e-12);
        assert!((result.total_effects[0][1] - r).abs() < 1e-12);
    }

    #[test]
    fn a_model_without_paths_is_refused() {
        let model = PathModel {
            blocks: vec![vec![0], vec![1]],
            paths: vec![],
        };
        assert!(estimate(
            &[vec![1.0, 2.0, 3.0], vec![2.0, 1.0, 3.0]],
            &model,
            InnerScheme::Path,
            1e-12,
            10
        )
        .is_err());
    }
}
