//! Who rates which project, and their answers, by controlled rounding (see the crate docs).

use minxin_domain::config::Index;
use minxin_domain::Configuration;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::calibration;
use crate::normal::standard_normal;

/// Spread of the discretised normal answer distribution, in scale steps.
const ANSWER_SPREAD: f64 = 0.9;

/// One respondent's answers about one project.
#[derive(Debug, Clone)]
pub(crate) struct Rating {
    pub(crate) respondent: usize,
    pub(crate) project: usize,
    pub(crate) answers: Vec<Option<u8>>,
}

/// How many of `n` answers fall on each level (index `k` = answer `k + 1`) so that their mean
/// score is `target` points to within half a step over `n`.
pub(crate) fn level_counts(target: f64, n: usize, levels: usize, step: f64) -> Vec<usize> {
    let top = (levels - 1) as f64;
    let target_offset = (target / step).clamp(0.0, top);
    let probabilities = |centre: f64| -> Vec<f64> {
        let weights: Vec<f64> = (0..levels)
            .map(|k| (-(k as f64 - centre).powi(2) / (2.0 * ANSWER_SPREAD * ANSWER_SPREAD)).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        weights.into_iter().map(|w| w / total).collect()
    };
    let mean = |p: &[f64]| p.iter().enumerate().map(|(k, p)| k as f64 * p).sum::<f64>();
    let (mut low, mut high) = (-3.0 * top, 4.0 * top);
    for _ in 0..200 {
        let middle = (low + high) / 2.0;
        if mean(&probabilities(middle)) < target_offset {
            low = middle;
        } else {
            high = middle;
        }
    }
    let shares: Vec<f64> = probabilities((low + high) / 2.0)
        .iter()
        .map(|p| p * n as f64)
        .collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut order: Vec<usize> = (0..levels).collect();
    order.sort_by(|a, b| {
        (shares[*b] - shares[*b].floor()).total_cmp(&(shares[*a] - shares[*a].floor()))
    });
    let missing = n - counts.iter().sum::<usize>();
    for k in order.into_iter().take(missing) {
        counts[k] += 1;
    }
    // Move single answers one level until the total of offsets is the nearest whole number.
    let wanted = (target_offset * n as f64).round() as i64;
    let total = |counts: &[usize]| {
        counts
            .iter()
            .enumerate()
            .map(|(k, c)| (k * c) as i64)
            .sum::<i64>()
    };
    while total(&counts) != wanted {
        let raise = total(&counts) < wanted;
        // Move from the most populous level that can move in the needed direction.
        let candidates =
            (0..levels).filter(|k| counts[*k] > 0 && if raise { *k + 1 < levels } else { *k > 0 });
        let from = candidates
            .max_by_key(|k| counts[*k])
            .expect("the target lies within the scale");
        counts[from] -= 1;
        counts[if raise { from + 1 } else { from - 1 }] += 1;
    }
    counts
}

/// Which respondents rate each project: exactly `raters(p)` each, everyone at least one.
fn assign_raters<R: Rng>(
    configuration: &Configuration,
    respondents: usize,
    rng: &mut R,
) -> Vec<Vec<bool>> {
    let projects = configuration.catalogue.projects.len();
    let mut rated = vec![vec![false; respondents]; projects];
    let mut order: Vec<usize> = (0..respondents).collect();
    order.shuffle(rng);
    for (k, respondent) in order.iter().enumerate() {
        rated[k % projects][*respondent] = true;
    }
    for (project, raters) in rated.iter_mut().enumerate() {
        let mut others: Vec<usize> = (0..respondents).filter(|r| !raters[*r]).collect();
        others.shuffle(rng);
        let have = raters.iter().filter(|r| **r).count();
        let wanted = calibration::raters(configuration, project).min(respondents);
        for respondent in others.into_iter().take(wanted.saturating_sub(have)) {
            raters[respondent] = true;
        }
    }
    rated
}

/// Draws every rating of the demo.
pub(crate) fn draw_answers<R: Rng>(
    configuration: &Configuration,
    respondents: usize,
    rng: &mut R,
) -> Vec<Rating> {
    let instrument = &configuration.instrument;
    let items = instrument.items();
    let levels = instrument.scale.levels as usize;
    let step = instrument.score_step();
    let leniency: Vec<f64> = (0..respondents).map(|_| standard_normal(rng)).collect();
    let rated = assign_raters(configuration, respondents, rng);
    let dont_know_rates = calibration::dont_know_rates(configuration);
    let mut ratings = Vec::new();
    for (project, raters) in rated.iter().enumerate() {
        let raters: Vec<usize> = (0..respondents).filter(|r| raters[*r]).collect();
        let view: Vec<[f64; 3]> = raters
            .iter()
            .map(|_| {
                [
                    standard_normal(rng),
                    standard_normal(rng),
                    standard_normal(rng),
                ]
            })
            .collect();
        let mut answers = vec![vec![None; items.len()]; raters.len()];
        let targets = calibration::item_targets(configuration, project);
        for (item, reference) in items.iter().enumerate() {
            let mut positions: Vec<usize> = (0..raters.len()).collect();
            positions.shuffle(rng);
            let dont_know = (raters.len() as f64 * dont_know_rates[item]).round() as usize;
            let mut answering: Vec<(f64, usize)> = positions[dont_know..]
                .iter()
                .map(|&position| {
                    let index_view = match reference.index {
                        Index::Recognition => view[position][1],
                        Index::Satisfaction => view[position][2],
                    };
                    let propensity = 0.45 * leniency[raters[position]]
                        + 0.45 * view[position][0]
                        + 0.35 * index_view
                        + 0.69 * standard_normal(rng);
                    (propensity, position)
                })
                .collect();
            answering.sort_by(|a, b| b.0.total_cmp(&a.0));
            let counts = level_counts(targets[item], answering.len(), levels, step);
            let mut next = answering.iter();
            for level in (0..levels).rev() {
                for (_, position) in next.by_ref().take(counts[level]) {
                    answers[*position][item] = Some(level as u8 + 1);
                }
            }
        }
        for (position, respondent) in raters.iter().enumerate() {
            ratings.push(Rating {
                respondent: *respondent,
                project,
                answers: std::mem::take(&mut answers[position]),
            });
        }
    }
    ratings.sort_by_key(|rating| (rating.respondent, rating.project));
    ratings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_counts_hit_the_target_mean() {
        for target in [0.0, 12.3, 50.0, 68.8, 80.4, 99.0, 100.0] {
            for n in [1usize, 7, 300, 481] {
                let counts = level_counts(target, n, 5, 25.0);
                assert_eq!(counts.iter().sum::<usize>(), n);
                let mean = counts
                    .iter()
                    .enumerate()
                    .map(|(k, c)| 25.0 * (k * c) as f64)
                    .sum::<f64>()
                    / n as f64;
                assert!(
                    (mean - target).abs() <= 12.5 / n as f64 + 1e-9,
                    "target {target}, n {n}: {mean}"
                );
            }
        }
    }

    #[test]
    fn level_counts_spread_over_several_levels() {
        let counts = level_counts(72.0, 400, 5, 25.0);
        assert!(counts.iter().filter(|c| **c > 0).count() >= 4, "{counts:?}");
    }
}
