//! PLS path modelling from the indicators' correlation matrix alone: the same algorithm and
//! conventions as [`crate::pls::estimate`] (mode A, Lohmöller's iteration, scores of
//! population variance 1, indicators standardised with the population deviation as R's plspm
//! does), written in terms of correlations, because every step of it is linear in the
//! standardised indicators: Σ x_c x_d / n is then the correlation itself.
//!
//! It serves the evaluation, which keeps exact pair sums of every two items instead of the
//! answers themselves: the correlations come from those sums, so a satisfaction-index model
//! can be estimated for a million respondents, or live on the platform, without re-reading
//! one response. Construct scores are not available this way (there are no rows).

use crate::pls::{solve, total_effects, InnerScheme, PathModel, PlsEstimate};
use crate::StatsError;

/// Estimates `model` from `correlations` (indicator × indicator, symmetric, unit diagonal) of
/// `n` observations, iterating until no outer weight changes by more than `tolerance`. The
/// result's `scores` is empty.
pub fn estimate_from_correlations(
    correlations: &[Vec<f64>],
    n: f64,
    model: &PathModel,
    scheme: InnerScheme,
    tolerance: f64,
    max_iterations: usize,
) -> Result<PlsEstimate, StatsError> {
    let p = correlations.len();
    model.check(p)?;
    if correlations.iter().any(|row| row.len() != p) {
        return Err(StatsError::Pls(
            "the correlation matrix is not square".into(),
        ));
    }
    if correlations.iter().flatten().any(|r| !r.is_finite()) {
        return Err(StatsError::Pls(
            "the correlation matrix has a missing value (an item without variation?)".into(),
        ));
    }
    if n < 3.0 {
        return Err(StatsError::Pls("at least 3 observations are needed".into()));
    }
    let constructs = model.blocks.len();
    // The population covariance of indicator `c` with the score of block `k`.
    let with_score = |c: usize, k: usize, weights: &[Vec<f64>]| -> f64 {
        model.blocks[k]
            .iter()
            .zip(&weights[k])
            .map(|(d, w)| correlations[c][*d] * w)
            .sum::<f64>()
    };
    let score_covariance = |a: usize, b: usize, weights: &[Vec<f64>]| -> f64 {
        model.blocks[a]
            .iter()
            .zip(&weights[a])
            .map(|(c, w)| w * with_score(*c, b, weights))
            .sum()
    };
    let normalised = |block: usize, raw: Vec<f64>, weights: &mut Vec<Vec<f64>>| {
        weights[block] = raw;
        let sd = score_covariance(block, block, weights).sqrt();
        weights[block].iter_mut().for_each(|w| *w /= sd);
    };
    let mut weights: Vec<Vec<f64>> = model.blocks.iter().map(|b| vec![1.0; b.len()]).collect();
    for block in 0..constructs {
        let raw = weights[block].clone();
        normalised(block, raw, &mut weights);
    }
    let regress = |target: usize, predictors: &[usize], weights: &[Vec<f64>]| {
        let gram: Vec<Vec<f64>> = predictors
            .iter()
            .map(|a| {
                predictors
                    .iter()
                    .map(|b| score_covariance(*a, *b, weights))
                    .collect()
            })
            .collect();
        let right: Vec<f64> = predictors
            .iter()
            .map(|a| score_covariance(*a, target, weights))
            .collect();
        solve(gram, right)
            .ok_or_else(|| StatsError::Pls("the predecessors of a construct are collinear".into()))
    };
    let mut iterations = 0;
    loop {
        iterations += 1;
        let mut inner = vec![vec![0.0; constructs]; constructs];
        #[allow(clippy::needless_range_loop)] // `inner` is indexed by neighbour, then by `i`
        for i in 0..constructs {
            let predecessors = model.predecessors(i);
            let successors = model.successors(i);
            match scheme {
                InnerScheme::Centroid | InnerScheme::Factorial => {
                    for k in predecessors.into_iter().chain(successors) {
                        let r = score_covariance(k, i, &weights);
                        inner[k][i] = if scheme == InnerScheme::Centroid {
                            r.signum()
                        } else {
                            r
                        };
                    }
                }
                InnerScheme::Path => {
                    if !predecessors.is_empty() {
                        let coefficients = regress(i, &predecessors, &weights)?;
                        for (k, c) in predecessors.iter().zip(coefficients) {
                            inner[*k][i] = c;
                        }
                    }
                    for k in successors {
                        inner[k][i] = score_covariance(k, i, &weights);
                    }
                }
            }
        }
        let mut change: f64 = 0.0;
        let previous = weights.clone();
        for i in 0..constructs {
            // Mode A: each weight is the indicator's covariance with the inner estimate.
            let raw: Vec<f64> = model.blocks[i]
                .iter()
                .map(|c| {
                    (0..constructs)
                        .filter(|k| inner[*k][i] != 0.0)
                        .map(|k| inner[k][i] * with_score(*c, k, &previous))
                        .sum()
                })
                .collect();
            normalised(i, raw, &mut weights);
            for (old, new) in previous[i].iter().zip(&weights[i]) {
                change = change.max((old.abs() - new.abs()).abs());
            }
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
    let mut loadings: Vec<Vec<f64>> = Vec::with_capacity(constructs);
    for i in 0..constructs {
        let mut block_loadings: Vec<f64> = model.blocks[i]
            .iter()
            // Both have population variance 1: the loading is their covariance.
            .map(|c| with_score(*c, i, &weights))
            .collect();
        let signs: f64 = block_loadings.iter().map(|l| l.signum()).sum();
        if signs < 0.0 {
            weights[i].iter_mut().for_each(|w| *w = -*w);
            block_loadings.iter_mut().for_each(|l| *l = -*l);
        }
        loadings.push(block_loadings);
    }
    let mut direct = vec![vec![0.0; constructs]; constructs];
    let mut r_squared = vec![None; constructs];
    for (i, r2) in r_squared.iter_mut().enumerate() {
        let predecessors = model.predecessors(i);
        if predecessors.is_empty() {
            continue;
        }
        let coefficients = regress(i, &predecessors, &weights)?;
        // R² = β' r for standardised scores.
        *r2 = Some(
            predecessors
                .iter()
                .zip(&coefficients)
                .map(|(k, b)| b * score_covariance(*k, i, &weights))
                .sum(),
        );
        for (k, c) in predecessors.iter().zip(coefficients) {
            direct[*k][i] = c;
        }
    }
    let path_coefficients = model
        .paths
        .iter()
        .map(|(from, to)| direct[*from][*to])
        .collect();
    Ok(PlsEstimate {
        outer_weights: weights,
        loadings,
        path_coefficients,
        r_squared,
        total_effects: total_effects(&direct),
        scores: Vec::new(),
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pls::estimate;

    /// Columns with a structure: two blocks of two, and a third driven by both.
    fn columns() -> Vec<Vec<f64>> {
        let rows = 80;
        let a: Vec<f64> = (0..rows).map(|r| ((r * 37) % 11) as f64).collect();
        let b: Vec<f64> = (0..rows).map(|r| ((r * 17) % 13) as f64).collect();
        let noise =
            |k: usize| -> Vec<f64> { (0..rows).map(|r| ((r * k) % 7) as f64 / 3.0).collect() };
        let mix = |x: &[f64], wx: f64, y: &[f64], wy: f64, e: Vec<f64>| -> Vec<f64> {
            (0..rows).map(|r| wx * x[r] + wy * y[r] + e[r]).collect()
        };
        vec![
            mix(&a, 1.0, &b, 0.0, noise(3)),
            mix(&a, 1.0, &b, 0.1, noise(5)),
            mix(&a, 0.0, &b, 1.0, noise(2)),
            mix(&a, 0.2, &b, 1.0, noise(4)),
            mix(&a, 0.6, &b, 0.5, noise(6)),
            mix(&a, 0.5, &b, 0.7, noise(9)),
        ]
    }

    fn correlations(columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let n = columns[0].len() as f64;
        let standard: Vec<(f64, f64)> = columns
            .iter()
            .map(|c| {
                let mean = c.iter().sum::<f64>() / n;
                let sd = (c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                (mean, sd)
            })
            .collect();
        columns
            .iter()
            .zip(&standard)
            .map(|(x, (mx, sx))| {
                columns
                    .iter()
                    .zip(&standard)
                    .map(|(y, (my, sy))| {
                        x.iter()
                            .zip(y)
                            .map(|(a, b)| (a - mx) * (b - my))
                            .sum::<f64>()
                            / (n - 1.0)
                            / (sx * sy)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_correlations_give_what_the_data_give() {
        let columns = columns();
        let model = PathModel {
            blocks: vec![vec![0, 1], vec![2, 3], vec![4, 5]],
            paths: vec![(0, 2), (1, 2), (0, 1)],
        };
        let r = correlations(&columns);
        for scheme in [
            InnerScheme::Path,
            InnerScheme::Centroid,
            InnerScheme::Factorial,
        ] {
            let from_data = estimate(&columns, &model, scheme, 1e-13, 1000).unwrap();
            let from_r = estimate_from_correlations(
                &r,
                columns[0].len() as f64,
                &model,
                scheme,
                1e-13,
                1000,
            )
            .unwrap();
            let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-10);
            for (a, b) in from_data.outer_weights.iter().zip(&from_r.outer_weights) {
                assert!(close(a, b), "{scheme:?} weights {a:?} vs {b:?}");
            }
            for (a, b) in from_data.loadings.iter().zip(&from_r.loadings) {
                assert!(close(a, b), "{scheme:?} loadings {a:?} vs {b:?}");
            }
            assert!(close(
                &from_data.path_coefficients,
                &from_r.path_coefficients
            ));
            for (a, b) in from_data.r_squared.iter().zip(&from_r.r_squared) {
                assert!((a.unwrap_or(0.0) - b.unwrap_or(0.0)).abs() < 1e-10);
            }
            for (a, b) in from_data.total_effects.iter().zip(&from_r.total_effects) {
                assert!(close(a, b));
            }
        }
    }

    #[test]
    fn a_missing_correlation_is_refused() {
        let model = PathModel {
            blocks: vec![vec![0], vec![1]],
            paths: vec![(0, 1)],
        };
        let r = vec![vec![1.0, f64::NAN], vec![f64::NAN, 1.0]];
        assert!(
            estimate_from_correlations(&r, 10.0, &model, InnerScheme::Path, 1e-12, 100).is_err()
        );
    }
}
