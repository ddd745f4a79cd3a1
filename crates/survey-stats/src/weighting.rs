//! Respondent weights calibrated to population margins: post-stratification on one variable
//! and raking (iterative proportional fitting) on several, and the Kish design effect.
//!
//! Raking multiplies each respondent's weight, margin after margin, by the ratio of the
//! category's population total to its weighted sample total, until no weight changes by more
//! than the tolerance (relative) over a whole sweep. It converges to the same weights as R's
//! `survey::rake` (checked in `crates/cli/tests/stats.rs`).

use crate::StatsError;

/// One calibration variable: each respondent's category and each category's population total.
#[derive(Debug, Clone, Copy)]
pub struct Margin<'a> {
    /// The variable's name, for messages.
    pub name: &'a str,
    /// Per respondent, the position of their category in `totals`.
    pub categories: &'a [usize],
    /// Per category, the population total.
    pub totals: &'a [f64],
}

/// Calibrated weights and how the iteration went.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibrated {
    /// One weight per respondent, in input order.
    pub weights: Vec<f64>,
    /// Sweeps over all margins.
    pub iterations: usize,
    /// The last sweep changed no weight by more than the tolerance.
    pub converged: bool,
}

/// The default tolerance: the largest relative change of a weight over a sweep.
pub const DEFAULT_TOLERANCE: f64 = 1e-12;
/// The default limit on sweeps.
pub const DEFAULT_MAX_ITERATIONS: usize = 1_000;

fn check(base: &[f64], margin: &Margin<'_>) -> Result<(), StatsError> {
    if margin.categories.len() != base.len() {
        return Err(StatsError::Calibration(format!(
            "variable {}: {} categories for {} respondents",
            margin.name,
            margin.categories.len(),
            base.len()
        )));
    }
    if let Some(position) = margin
        .categories
        .iter()
        .find(|c| **c >= margin.totals.len())
    {
        return Err(StatsError::Calibration(format!(
            "variable {}: category {position} has no population total",
            margin.name
        )));
    }
    if let Some((index, total)) = margin
        .totals
        .iter()
        .enumerate()
        .find(|(_, total)| !(total.is_finite() && **total >= 0.0))
    {
        return Err(StatsError::Calibration(format!(
            "variable {}: population total {total} of category {index} is not a non-negative number",
            margin.name
        )));
    }
    Ok(())
}

/// Weighted sample totals per category.
fn sample_totals(weights: &[f64], margin: &Margin<'_>) -> Vec<f64> {
    let mut totals = vec![0.0; margin.totals.len()];
    for (weight, category) in weights.iter().zip(margin.categories) {
        totals[*category] += weight;
    }
    totals
}

/// The factor that brings each category to its population total; an error when a category
/// with a population has no respondent (no weight can reach it).
fn factors(weights: &[f64], margin: &Margin<'_>) -> Result<Vec<f64>, StatsError> {
    sample_totals(weights, margin)
        .iter()
        .zip(margin.totals)
        .enumerate()
        .map(|(category, (sample, population))| {
            if *sample > 0.0 {
                Ok(population / sample)
            } else if *population == 0.0 {
                Ok(0.0)
            } else {
                Err(StatsError::Calibration(format!(
                    "variable {}: category {category} has a population of {population} but no respondent with a positive weight",
                    margin.name
                )))
            }
        })
        .collect()
}

fn check_base(base: &[f64]) -> Result<(), StatsError> {
    if base.is_empty() {
        return Err(StatsError::Calibration("no respondents".into()));
    }
    if let Some((row, weight)) = base
        .iter()
        .enumerate()
        .find(|(_, w)| !(w.is_finite() && **w > 0.0))
    {
        return Err(StatsError::Calibration(format!(
            "respondent {row}: base weight {weight} is not a positive number"
        )));
    }
    Ok(())
}

/// Post-stratification on one variable: each weight times its category's population total
/// over the category's weighted sample total.
pub fn post_stratify(base: &[f64], margin: &Margin<'_>) -> Result<Vec<f64>, StatsError> {
    check_base(base)?;
    check(base, margin)?;
    let factors = factors(base, margin)?;
    Ok(base
        .iter()
        .zip(margin.categories)
        .map(|(weight, category)| weight * factors[*category])
        .collect())
}

/// Raking to several margins from `base` weights, until a whole sweep changes no weight by more
/// than `tolerance` relative, or `max_iterations` sweeps.
pub fn rake(
    base: &[f64],
    margins: &[Margin<'_>],
    tolerance: f64,
    max_iterations: usize,
) -> Result<Calibrated, StatsError> {
    check_base(base)?;
    if margins.is_empty() {
        return Err(StatsError::Calibration("no margins to rake to".into()));
    }
    for margin in margins {
        check(base, margin)?;
    }
    let mut weights = base.to_vec();
    let mut before = weights.clone();
    for iteration in 1..=max_iterations {
        before.copy_from_slice(&weights);
        for margin in margins {
            let factors = factors(&weights, margin)?;
            for (weight, category) in weights.iter_mut().zip(margin.categories) {
                *weight *= factors[*category];
            }
        }
        let change = weights
            .iter()
            .zip(&before)
            .map(|(now, was)| {
                if *was > 0.0 {
                    ((now - was) / was).abs()
                } else {
                    now.abs()
                }
            })
            .fold(0.0, f64::max);
        if change < tolerance {
            return Ok(Calibrated {
                weights,
                iterations: iteration,
                converged: true,
            });
        }
    }
    Ok(Calibrated {
        weights,
        iterations: max_iterations,
        converged: false,
    })
}

/// Trims weights to `[lower, upper]` as R's `survey::trimWeights(strict = TRUE)` does: weights
/// outside are set to the bound, what was cut off (or added) is shared out equally among the
/// weights inside, and this repeats until no weight is outside. The total is kept. Returns the
/// weights and the number of rounds.
pub fn trim(weights: &[f64], lower: f64, upper: f64) -> Result<(Vec<f64>, usize), StatsError> {
    if lower.is_nan() || upper.is_nan() || lower > upper {
        return Err(StatsError::Calibration(format!(
            "trimming bounds {lower} and {upper} do not make an interval"
        )));
    }
    let total: f64 = weights.iter().sum();
    let n = weights.len() as f64;
    if !(lower * n <= total && total <= upper * n) {
        return Err(StatsError::Calibration(format!(
            "no weights within [{lower}, {upper}] can keep the total {total} of {n} weights"
        )));
    }
    let mut weights = weights.to_vec();
    for round in 0..=weights.len() {
        let outside: Vec<bool> = weights.iter().map(|w| *w < lower || *w > upper).collect();
        let inside = outside.iter().filter(|o| !**o).count();
        if inside == weights.len() {
            return Ok((weights, round));
        }
        if inside == 0 {
            break;
        }
        let mut cut = 0.0;
        for weight in weights.iter_mut() {
            let bounded = weight.clamp(lower, upper);
            cut += *weight - bounded;
            *weight = bounded;
        }
        let share = cut / inside as f64;
        for (weight, out) in weights.iter_mut().zip(&outside) {
            if !out {
                *weight += share;
            }
        }
    }
    Err(StatsError::Calibration(format!(
        "trimming to [{lower}, {upper}] does not settle"
    )))
}

/// Kish's design effect of unequal weights, `n Σw² / (Σw)²`, and the effective sample size
/// `(Σw)² / Σw²`; `None` without weights.
pub fn kish(weights: &[f64]) -> Option<(f64, f64)> {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|w| w * w).sum();
    (squares > 0.0).then(|| {
        let effective = sum * sum / squares;
        (weights.len() as f64 / effective, effective)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_stratification_hits_the_totals() {
        let categories = [0, 0, 1, 1, 1];
        let margin = Margin {
            name: "sex",
            categories: &categories,
            totals: &[60.0, 40.0],
        };
        let weights = post_stratify(&[1.0; 5], &margin).unwrap();
        assert_eq!(weights, [30.0, 30.0, 40.0 / 3.0, 40.0 / 3.0, 40.0 / 3.0]);
    }

    #[test]
    fn raking_matches_every_margin() {
        let sex = [0, 0, 1, 1, 1, 0];
        let district = [0, 1, 0, 1, 1, 1];
        let margins = [
            Margin {
                name: "sex",
                categories: &sex,
                totals: &[520.0, 480.0],
            },
            Margin {
                name: "district",
                categories: &district,
                totals: &[300.0, 700.0],
            },
        ];
        let raked = rake(&[1.0, 2.0, 1.0, 1.0, 3.0, 1.0], &margins, 1e-12, 1000).unwrap();
        assert!(raked.converged);
        for margin in &margins {
            for (got, want) in sample_totals(&raked.weights, margin)
                .iter()
                .zip(margin.totals)
            {
                assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
            }
        }
    }

    #[test]
    fn an_empty_category_with_a_population_is_an_error() {
        let margin = Margin {
            name: "district",
            categories: &[0, 0],
            totals: &[10.0, 5.0],
        };
        let error = post_stratify(&[1.0, 1.0], &margin).unwrap_err();
        assert!(
            error.to_string().contains("district: category 1"),
            "{error}"
        );
    }

    #[test]
    fn trimming_keeps_the_total_and_the_bounds() {
        let weights = [1.0, 1.0, 1.0, 1.0, 10.0];
        let (trimmed, rounds) = trim(&weights, 0.0, 4.0).unwrap();
        assert_eq!(trimmed[4], 4.0);
        assert!((trimmed.iter().sum::<f64>() - 14.0).abs() < 1e-12);
        assert!(trimmed.iter().all(|w| *w <= 4.0));
        assert_eq!(rounds, 1);
        assert!(
            trim(&weights, 0.0, 2.0).is_err(),
            "5 weights of at most 2 cannot total 14"
        );
    }

    #[test]
    fn kish_is_one_for_equal_weights() {
        let (deff, effective) = kish(&[2.0; 10]).unwrap();
        assert!((deff - 1.0).abs() < 1e-15 && (effective - 10.0).abs() < 1e-12);
        let (deff, _) = kish(&[1.0, 3.0]).unwrap();
        assert!((deff - 1.25).abs() < 1e-15);
    }

    #[test]
    fn bad_base_weights_are_refused() {
        let margin = Margin {
            name: "x",
            categories: &[0],
            totals: &[1.0],
        };
        assert!(post_stratify(&[0.0], &margin).is_err());
        assert!(post_stratify(&[f64::NAN], &margin).is_err());
    }
}
