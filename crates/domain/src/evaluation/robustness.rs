//! The weighted evaluation and how robust its findings are: indices with respondent weights
//! calibrated to population margins, their bootstrap standard errors and intervals, each
//! project's probability of lying in each quadrant (the cut points re-estimated in every
//! replicate), intervals for its ranks, and a flag where no quadrant is probable enough.
//!
//! How it stays fast. Weights are constant within a weighting cell ([`super::weighting`]), so
//! the evaluator keeps, per *group* of respondents, the sums of answers and the answer counts
//! of every project and item ([`GroupSums`]). A group is one of a fixed number of buckets of a
//! cell, chosen by a hash of the respondent identifier, so groups are random subsets of their
//! cell and hold every rating of their respondents. The bootstrap then resamples groups within
//! cells (Rao–Wu, `n − 1` of `n` drawn; [`minxin_survey_stats::replicate`]): each replicate
//! costs `groups × projects × items` multiply-adds, whatever the number of respondents.
//!
//! Decisions (see the note on issue 4):
//! - Resampling within cells keeps each cell's respondent count, so the calibrated cell weights
//!   are the same in every replicate: the variance is the post-stratified one given the cells
//!   (for raking on few margins, the usual approximation).
//! - Resampling random groups rather than respondents estimates the same variance for these
//!   ratio statistics (group totals are sums of exchangeable respondents); with about 2,000
//!   groups the variance estimate has ample degrees of freedom.
//! - Respondents whose category of a weighting variable is not stated cannot be weighted; they
//!   are left out of the weighted evaluation and counted.

use minxin_survey_stats::order;
use minxin_survey_stats::replicate::{bootstrap_variance, quantile, BootstrapDesign, UnitSums};
use minxin_survey_stats::weighting::{rake, Margin, DEFAULT_MAX_ITERATIONS};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use thiserror::Error;

use super::cut_points::{CutIndex, CutPointRule};
use super::drivers::{
    add_moments, covariances_from_moments, estimate_from_covariances, moment_width,
    SatisfactionModel,
};
use super::quadrant::Quadrant;
use super::registry::CompactProfile;
use super::results::{indices_from_item_means, Evaluation};
use super::tallies::Change;
use super::weighting::{CellLayout, Margins, WeightingVariable};
use crate::config::Configuration;

/// About this many groups in all, spread over the cells.
const TARGET_GROUPS: usize = 2_048;

/// Convergence of raking the cell table (relative change of a weight over a sweep).
const RAKING_TOLERANCE: f64 = 1e-12;

/// Sums of answers per group of respondents: per project and item, and the item moments of
/// all the group's ratings pooled (for the structural model).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSums {
    layout: CellLayout,
    buckets: usize,
    projects: usize,
    items: usize,
    /// One row of [`GroupSums::width`] numbers per group (`group = cell * buckets + bucket`):
    /// first, per project and item, the sum of answer offsets (`answer − 1`) and how many
    /// answered (`(project * items + item) * 2`); then the pooled moments of
    /// [`drivers::add_moments`](super::drivers::add_moments).
    sums: Vec<u64>,
    /// Respondents per cell.
    cell_respondents: Vec<u64>,
}

impl GroupSums {
    /// Empty sums for `configuration`, with cells of `variables`.
    pub fn new(configuration: &Configuration, variables: &[WeightingVariable]) -> Self {
        let layout = CellLayout::new(configuration, variables);
        let cells = layout.cells();
        let buckets = (TARGET_GROUPS / cells).clamp(2, 4_096);
        let projects = configuration.catalogue.projects.len();
        let items = configuration.instrument.items().len();
        let width = projects * items * 2 + moment_width(items);
        Self {
            sums: vec![0; cells * buckets * width],
            cell_respondents: vec![0; cells],
            layout,
            buckets,
            projects,
            items,
        }
    }

    /// The cell layout.
    pub fn layout(&self) -> &CellLayout {
        &self.layout
    }

    /// Counts a new respondent.
    pub(crate) fn respondent(&mut self, profile: &CompactProfile) {
        self.respondent_change(profile, Change::Add);
    }

    /// Takes back a respondent counted twice (in two merged parts).
    pub(crate) fn forget_respondent(&mut self, profile: &CompactProfile) {
        self.respondent_change(profile, Change::Remove);
    }

    /// Counts or takes back one respondent.
    pub(crate) fn respondent_change(&mut self, profile: &CompactProfile, change: Change) {
        let count = &mut self.cell_respondents[self.layout.cell(profile)];
        match change {
            Change::Add => *count += 1,
            Change::Remove => *count -= 1,
        }
    }

    /// Adds one rating: `answers` in item order (`None`: don't know).
    pub(crate) fn rating(
        &mut self,
        profile: &CompactProfile,
        respondent_id: &[u8],
        project: usize,
        answers: &[Option<u8>],
    ) {
        self.rating_change(profile, respondent_id, project, answers, Change::Add);
    }

    /// Adds or takes back one rating of the respondent `respondent_id` (any stable bytes: the
    /// identifier in a file, the keyed hash on the platform).
    pub(crate) fn rating_change(
        &mut self,
        profile: &CompactProfile,
        respondent_id: &[u8],
        project: usize,
        answers: &[Option<u8>],
        change: Change,
    ) {
        let bucket = (fnv1a(respondent_id) % self.buckets as u64) as usize;
        let group = self.layout.cell(profile) * self.buckets + bucket;
        let (width, scores) = (self.width(), self.score_width());
        let row = &mut self.sums[group * width..][..width];
        add_moments(&mut row[scores..], &answers[..self.items], change);
        let slots = &mut row[project * self.items * 2..][..self.items * 2];
        for (item, answer) in answers[..self.items].iter().enumerate() {
            if let Some(answer) = answer {
                let (sum, count) = (u64::from(answer - 1), 1);
                match change {
                    Change::Add => {
                        slots[item * 2] += sum;
                        slots[item * 2 + 1] += count;
                    }
                    Change::Remove => {
                        slots[item * 2] -= sum;
                        slots[item * 2 + 1] -= count;
                    }
                }
            }
        }
    }

    /// Adds the sums of other, disjoint responses of the same wave.
    pub fn merge(&mut self, other: &GroupSums) {
        self.sums
            .iter_mut()
            .zip(&other.sums)
            .for_each(|(a, b)| *a += b);
        self.cell_respondents
            .iter_mut()
            .zip(&other.cell_respondents)
            .for_each(|(a, b)| *a += b);
    }

    /// Numbers per group.
    fn width(&self) -> usize {
        self.score_width() + moment_width(self.items)
    }

    /// The per-project part of a group's row.
    fn score_width(&self) -> usize {
        self.projects * self.items * 2
    }
}

/// FNV-1a: a fixed hash of the respondent identifier, so that a respondent's group does not
/// depend on the order or the split of the file.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What the robustness analysis is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct RobustnessOptions {
    /// Bootstrap replicates (0: weighted scores only).
    pub replicates: usize,
    /// Seed of the draws: the same seed gives the same replicates, on any number of threads.
    pub seed: u64,
    /// A quadrant is certain when its probability reaches this (default 0.8).
    pub certainty: f64,
    /// Confidence level of the percentile intervals (default 0.95).
    pub confidence: f64,
    /// Threads to run replicates on (at least 1).
    pub threads: usize,
    /// The structural model to estimate with weights and bootstrap; `None` takes the default
    /// model when the instrument has the default dimensions.
    pub model: Option<SatisfactionModel>,
    /// Trim the weights to `[mean / r, mean × r]` (`None`: no trimming); see [`Trimming`].
    pub trim: Option<f64>,
}

impl Default for RobustnessOptions {
    fn default() -> Self {
        Self {
            replicates: 1_000,
            seed: 1,
            certainty: 0.8,
            confidence: 0.95,
            threads: 1,
            model: None,
            trim: None,
        }
    }
}

/// Why the weighted evaluation could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RobustnessError {
    /// A category with a population has no respondent, so nobody can stand for it.
    #[error("no respondent in {variable} {code} (population {population}): the weights cannot reach that margin; merge it with a neighbour in the margins file or leave the variable out")]
    EmptyCategory {
        /// The variable.
        variable: WeightingVariable,
        /// The category's code.
        code: String,
        /// Its population.
        population: f64,
    },
    /// Raking did not converge.
    #[error("raking to the margins did not converge in {0} sweeps")]
    NotConverged(usize),
    /// No respondent could be weighted.
    #[error("no respondent has every weighting variable stated")]
    NobodyWeighted,
    /// The margins do not fit the sums (other variables).
    #[error("the margins are on other variables than the evaluation's weighting cells")]
    OtherVariables,
    /// An option is out of range.
    #[error("invalid option {name}: {message}")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// One weighting cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellWeight {
    /// The cell's code of each weighting variable.
    pub codes: Vec<String>,
    /// Respondents in the cell.
    pub respondents: u64,
    /// The weight of each of them (population per respondent).
    pub weight: f64,
}

/// How the weights were trimmed: to `[mean / ratio, mean × ratio]` of the calibrated weights,
/// as R's `survey::trimWeights(strict = TRUE)` does: weights outside are set to the bound and
/// what was cut off is shared equally among the respondents inside, until none is outside; the
/// total stays. Trimming gives up a little of the calibration for a smaller design effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trimming {
    /// The ratio asked for.
    pub ratio: f64,
    /// The lower bound, per respondent.
    pub lower: f64,
    /// The upper bound, per respondent.
    pub upper: f64,
    /// Rounds until no weight was outside.
    pub rounds: usize,
    /// Cells whose weight was at a bound after trimming.
    pub cells_at_bounds: usize,
}

/// How the respondents were weighted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightingSummary {
    /// Where the margins come from; `None` when every respondent weighs the same.
    pub margins: Option<String>,
    /// The weighting variables.
    pub variables: Vec<WeightingVariable>,
    /// Raking sweeps until convergence.
    pub iterations: usize,
    /// Respondents weighted.
    pub respondents: u64,
    /// Respondents left out because a weighting variable was not stated.
    pub left_out: u64,
    /// Kish's design effect of the weights, `n Σw² / (Σw)²`.
    pub design_effect: f64,
    /// The effective sample size, `n / design effect`.
    pub effective_n: f64,
    /// The cells with respondents.
    pub cells: Vec<CellWeight>,
    /// The trimming applied, if any.
    pub trimming: Option<Trimming>,
}

/// A weighted index with its bootstrap spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightedIndex {
    /// The weighted score (0–100).
    pub score: f64,
    /// Bootstrap standard error (`None` without replicates).
    pub se: Option<f64>,
    /// Percentile interval (`None` without replicates).
    pub ci_low: Option<f64>,
    /// Upper end of the percentile interval.
    pub ci_high: Option<f64>,
}

/// A rank and its bootstrap interval (1 is the highest score).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankInterval {
    /// The rank of the weighted score.
    pub rank: usize,
    /// Best rank of the interval.
    pub best: Option<usize>,
    /// Worst rank of the interval.
    pub worst: Option<usize>,
}

/// One project in the weighted evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedProject {
    /// Project code.
    pub code: String,
    /// Weighted recognition index.
    pub recognition: Option<WeightedIndex>,
    /// Weighted satisfaction index.
    pub satisfaction: Option<WeightedIndex>,
    /// Quadrant of the weighted scores (reliable projects only).
    pub quadrant: Option<Quadrant>,
    /// Share of replicates in each quadrant, in the order HH, HL, LH, LL.
    pub quadrant_probabilities: Option<[f64; 4]>,
    /// No quadrant reaches the certainty threshold.
    pub uncertain: Option<bool>,
    /// Rank on recognition among reliable projects, with its interval.
    pub rank_recognition: Option<RankInterval>,
    /// Rank on satisfaction among reliable projects, with its interval.
    pub rank_satisfaction: Option<RankInterval>,
}

/// A model estimate with its bootstrap spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelEstimate {
    /// What it is: `from → to` for a path, the construct for a driver.
    pub name: String,
    /// The weighted estimate.
    pub estimate: f64,
    /// Bootstrap standard error.
    pub se: Option<f64>,
    /// Percentile interval.
    pub ci_low: Option<f64>,
    /// Upper end of the percentile interval.
    pub ci_high: Option<f64>,
}

/// The structural model on the weighted ratings of every project, with bootstrap intervals
/// of its paths and of the drivers of the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedModel {
    /// The outcome construct.
    pub outcome: String,
    /// Ratings it rests on.
    pub n: u64,
    /// Path coefficients, in model order.
    pub paths: Vec<ModelEstimate>,
    /// Total effects on the outcome, largest first.
    pub drivers: Vec<ModelEstimate>,
    /// Replicates in which the model could be estimated.
    pub replicates: usize,
}

/// The weighted evaluation of a wave with its robustness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedEvaluation {
    /// How respondents were weighted.
    pub weighting: WeightingSummary,
    /// Bootstrap replicates drawn.
    pub replicates: usize,
    /// Their seed.
    pub seed: u64,
    /// The certainty threshold of quadrants.
    pub certainty: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Groups of respondents resampled, and cells they lie in.
    pub groups: usize,
    /// Weighted cut points (by the evaluation's rule, from the weighted scores).
    pub cut_recognition: Option<f64>,
    /// Weighted cut point of satisfaction.
    pub cut_satisfaction: Option<f64>,
    /// Per project, in catalogue order.
    pub projects: Vec<WeightedProject>,
    /// The structural model on the weighted ratings (`null` when it cannot be estimated).
    pub model: Option<WeightedModel>,
}

/// A project's (recognition, satisfaction) scores.
type ProjectScores = (Option<f64>, Option<f64>);

/// Scores of every project from totals (sums and counts per project and item).
fn project_scores(
    configuration: &Configuration,
    totals: &[f64],
    items: usize,
) -> Vec<ProjectScores> {
    let step = configuration.instrument.score_step();
    totals
        .chunks_exact(items * 2)
        .map(|project| {
            let means: Vec<Option<f64>> = project
                .chunks_exact(2)
                .map(|item| (item[1] > 0.0).then(|| item[0] / item[1] * step))
                .collect();
            indices_from_item_means(&configuration.instrument, &means)
        })
        .collect()
}

/// What one replicate yields for the reliable projects (and the model, when estimable: path
/// coefficients and total effects on the outcome).
struct ReplicateOutcome {
    model: Option<(Vec<f64>, Vec<f64>)>,
    recognition: Vec<f64>,
    satisfaction: Vec<f64>,
    quadrants: Vec<Quadrant>,
    ranks_recognition: Vec<usize>,
    ranks_satisfaction: Vec<usize>,
}

/// The quadrants of projects with these scores, the cut points found by `rule` from the same
/// scores (so each replicate re-estimates them as the evaluation does; a pooled median, which
/// needs every rating's own scores, is held at the evaluation's `pooled` cut points).
fn classify(
    rule: CutPointRule,
    pooled: (Option<f64>, Option<f64>),
    recognition: &[f64],
    satisfaction: &[f64],
) -> Option<Vec<Quadrant>> {
    let cut_r = rule.cut(CutIndex::Recognition, recognition, pooled.0)?;
    let cut_s = rule.cut(CutIndex::Satisfaction, satisfaction, pooled.1)?;
    Some(
        recognition
            .iter()
            .zip(satisfaction)
            .map(|(r, s)| Quadrant::classify(*r, *s, cut_r, cut_s))
            .collect(),
    )
}

/// Weights the respondents, scores every project, and (with replicates) bootstraps the
/// quadrants and ranks of the projects that `evaluation` found reliable.
pub fn weighted_evaluation(
    configuration: &Configuration,
    sums: &GroupSums,
    margins: Option<&Margins>,
    evaluation: &Evaluation,
    options: &RobustnessOptions,
) -> Result<WeightedEvaluation, RobustnessError> {
    if !(options.certainty > 0.0 && options.certainty <= 1.0) {
        return Err(RobustnessError::InvalidOption {
            name: "certainty",
            message: format!("must lie in (0, 1], got {}", options.certainty),
        });
    }
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(RobustnessError::InvalidOption {
            name: "confidence",
            message: format!(
                "must lie strictly between 0 and 1, got {}",
                options.confidence
            ),
        });
    }
    if options.trim.is_some_and(|r| !(r.is_finite() && r > 1.0)) {
        return Err(RobustnessError::InvalidOption {
            name: "trim",
            message: format!(
                "must be a ratio above 1, got {}",
                options.trim.unwrap_or(0.0)
            ),
        });
    }
    if options.replicates == 1 {
        return Err(RobustnessError::InvalidOption {
            name: "replicates",
            message: "must be 0 (none) or at least 2".into(),
        });
    }
    let layout = sums.layout();
    if margins.map_or(Vec::new(), Margins::variables) != layout.variables {
        return Err(RobustnessError::OtherVariables);
    }
    let weighting = cell_weights(configuration, sums, margins, options.trim)?;
    let cell_weight = &weighting.1;
    let summary = weighting.0;

    // Each group's sums, weighted by its cell's weight; groups without answers are dropped.
    let width = sums.width();
    let score_width = sums.score_width();
    let mut strata = Vec::new();
    let mut weighted = Vec::new();
    let mut unweighted = vec![0.0; width];
    for (group, row) in sums.sums.chunks_exact(width).enumerate() {
        let cell = group / sums.buckets;
        let Some(weight) = cell_weight[cell] else {
            continue;
        };
        if row.iter().all(|v| *v == 0) {
            continue;
        }
        strata.push(cell);
        weighted.extend(row.iter().map(|v| *v as f64 * weight));
        unweighted
            .iter_mut()
            .zip(row)
            .for_each(|(total, v)| *total += *v as f64);
    }
    let units = UnitSums {
        strata: &strata,
        sums: &weighted,
        width,
    };
    let totals = units.totals();
    let full = project_scores(configuration, &totals[..score_width], sums.items);
    let model = options
        .model
        .clone()
        .or_else(|| SatisfactionModel::default_for(&configuration.instrument));
    let counts = &unweighted[score_width..];
    let context = model.as_ref().map(|model| ModelContext {
        model,
        counts,
        n: counts.last().copied().unwrap_or(0.0) as u64,
        items: sums.items,
    });
    let model_estimate = context
        .as_ref()
        .and_then(|c| c.estimate(&totals[score_width..]));

    let reliable: Vec<usize> = evaluation
        .projects
        .iter()
        .enumerate()
        .filter(|(p, project)| project.reliable && full[*p].0.is_some() && full[*p].1.is_some())
        .map(|(p, _)| p)
        .collect();
    let recognition: Vec<f64> = reliable.iter().filter_map(|p| full[*p].0).collect();
    let satisfaction: Vec<f64> = reliable.iter().filter_map(|p| full[*p].1).collect();
    let rule = evaluation.settings.cut_points;
    let pooled = (
        evaluation.cut_points.recognition,
        evaluation.cut_points.satisfaction,
    );
    let quadrants = classify(rule, pooled, &recognition, &satisfaction);
    let ranks_recognition = order::descending_competition_ranks(&recognition);
    let ranks_satisfaction = order::descending_competition_ranks(&satisfaction);

    let outcomes = if options.replicates >= 2 && !reliable.is_empty() {
        run_replicates(
            configuration,
            &units,
            (sums.items, score_width),
            &reliable,
            context.as_ref().filter(|_| model_estimate.is_some()),
            (rule, pooled),
            options,
        )
    } else {
        Vec::new()
    };

    let alpha = 1.0 - options.confidence;
    let mut projects: Vec<WeightedProject> = evaluation
        .projects
        .iter()
        .zip(&full)
        .map(|(project, scores)| WeightedProject {
            code: project.code.clone(),
            recognition: scores.0.map(|score| WeightedIndex {
                score,
                se: None,
                ci_low: None,
                ci_high: None,
            }),
            satisfaction: scores.1.map(|score| WeightedIndex {
                score,
                se: None,
                ci_low: None,
                ci_high: None,
            }),
            quadrant: None,
            quadrant_probabilities: None,
            uncertain: None,
            rank_recognition: None,
            rank_satisfaction: None,
        })
        .collect();
    for (k, p) in reliable.iter().enumerate() {
        let project = &mut projects[*p];
        project.quadrant = quadrants.as_ref().map(|q| q[k]);
        project.rank_recognition = Some(RankInterval {
            rank: ranks_recognition[k],
            best: None,
            worst: None,
        });
        project.rank_satisfaction = Some(RankInterval {
            rank: ranks_satisfaction[k],
            best: None,
            worst: None,
        });
        if outcomes.is_empty() {
            continue;
        }
        let spread = |index: &mut Option<WeightedIndex>, values: Vec<f64>| {
            if let Some(index) = index {
                index.se = bootstrap_variance(&values).map(f64::sqrt);
                index.ci_low = quantile(&values, alpha / 2.0);
                index.ci_high = quantile(&values, 1.0 - alpha / 2.0);
            }
        };
        spread(
            &mut project.recognition,
            outcomes.iter().map(|o| o.recognition[k]).collect(),
        );
        spread(
            &mut project.satisfaction,
            outcomes.iter().map(|o| o.satisfaction[k]).collect(),
        );
        let mut counts = [0usize; 4];
        for outcome in &outcomes {
            let position = Quadrant::ALL
                .iter()
                .position(|q| *q == outcome.quadrants[k])
                .expect("one of the four");
            counts[position] += 1;
        }
        let probabilities = counts.map(|c| c as f64 / outcomes.len() as f64);
        project.quadrant_probabilities = Some(probabilities);
        project.uncertain = Some(probabilities.iter().all(|p| *p < options.certainty));
        let interval = |rank: &mut Option<RankInterval>, values: Vec<f64>| {
            if let Some(rank) = rank {
                rank.best = quantile(&values, alpha / 2.0).map(|r| r.round() as usize);
                rank.worst = quantile(&values, 1.0 - alpha / 2.0).map(|r| r.round() as usize);
            }
        };
        interval(
            &mut project.rank_recognition,
            outcomes
                .iter()
                .map(|o| o.ranks_recognition[k] as f64)
                .collect(),
        );
        interval(
            &mut project.rank_satisfaction,
            outcomes
                .iter()
                .map(|o| o.ranks_satisfaction[k] as f64)
                .collect(),
        );
    }
    let (cut_recognition, cut_satisfaction) = (
        rule.cut(CutIndex::Recognition, &recognition, pooled.0),
        rule.cut(CutIndex::Satisfaction, &satisfaction, pooled.1),
    );
    let weighted_model = match (&model, &model_estimate, &context) {
        (Some(model), Some(estimate), Some(context)) => {
            Some(model_summary(model, estimate, context.n, &outcomes, alpha))
        }
        _ => None,
    };
    Ok(WeightedEvaluation {
        weighting: summary,
        replicates: outcomes.len(),
        seed: options.seed,
        certainty: options.certainty,
        confidence: options.confidence,
        groups: strata.len(),
        cut_recognition,
        cut_satisfaction,
        projects,
        model: weighted_model,
    })
}

/// The weighted model's estimates with their bootstrap spread over the replicates in which it
/// could be estimated.
fn model_summary(
    model: &SatisfactionModel,
    (paths, effects): &(Vec<f64>, Vec<f64>),
    n: u64,
    outcomes: &[ReplicateOutcome],
    alpha: f64,
) -> WeightedModel {
    let draws: Vec<&(Vec<f64>, Vec<f64>)> =
        outcomes.iter().filter_map(|o| o.model.as_ref()).collect();
    let spread = |name: String, estimate: f64, values: Vec<f64>| ModelEstimate {
        name,
        estimate,
        se: bootstrap_variance(&values).map(f64::sqrt),
        ci_low: quantile(&values, alpha / 2.0),
        ci_high: quantile(&values, 1.0 - alpha / 2.0),
    };
    let paths = model
        .paths
        .iter()
        .enumerate()
        .map(|(k, (from, to))| {
            spread(
                format!("{} → {}", model.constructs[*from], model.constructs[*to]),
                paths[k],
                draws.iter().map(|d| d.0[k]).collect(),
            )
        })
        .collect();
    let mut drivers: Vec<ModelEstimate> = (0..model.constructs.len())
        .filter(|c| *c != model.outcome && effects[*c] != 0.0)
        .map(|c| {
            spread(
                model.constructs[c].clone(),
                effects[c],
                draws.iter().map(|d| d.1[c]).collect(),
            )
        })
        .collect();
    drivers.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
    WeightedModel {
        outcome: model.constructs[model.outcome].clone(),
        n,
        paths,
        drivers,
        replicates: draws.len(),
    }
}

/// Rakes the table of cell counts to the margins: the summary and each cell's weight per
/// respondent (`None` for cells that cannot be weighted).
fn cell_weights(
    configuration: &Configuration,
    sums: &GroupSums,
    margins: Option<&Margins>,
    trim: Option<f64>,
) -> Result<(WeightingSummary, Vec<Option<f64>>), RobustnessError> {
    let layout = sums.layout();
    let cells = layout.cells();
    let categories: Vec<Vec<usize>> = (0..cells).map(|c| layout.categories(c)).collect();
    let weighable: Vec<usize> = (0..cells)
        .filter(|c| sums.cell_respondents[*c] > 0 && categories[*c].iter().all(|k| *k > 0))
        .collect();
    let left_out: u64 = (0..cells)
        .filter(|c| !weighable.contains(c))
        .map(|c| sums.cell_respondents[c])
        .sum();
    if weighable.is_empty() {
        return Err(RobustnessError::NobodyWeighted);
    }
    let counts: Vec<f64> = weighable
        .iter()
        .map(|c| sums.cell_respondents[*c] as f64)
        .collect();
    let (totals, iterations) = match margins {
        None => (counts.clone(), 0),
        Some(margins) => {
            let target: f64 = margins.margins[0].totals.iter().sum();
            let mut margin_categories = Vec::new();
            let mut margin_totals = Vec::new();
            for (v, margin) in margins.margins.iter().enumerate() {
                let present: Vec<usize> = weighable.iter().map(|c| categories[*c][v] - 1).collect();
                for (k, population) in margin.totals.iter().enumerate() {
                    if !present.contains(&k) {
                        return Err(RobustnessError::EmptyCategory {
                            variable: margin.variable,
                            code: margin.variable.codes(configuration).entries()[k]
                                .code
                                .clone(),
                            population: *population,
                        });
                    }
                }
                let scale = target / margin.totals.iter().sum::<f64>();
                margin_categories.push(present);
                margin_totals.push(
                    margin
                        .totals
                        .iter()
                        .map(|t| t * scale)
                        .collect::<Vec<f64>>(),
                );
            }
            let raking_margins: Vec<Margin<'_>> = margins
                .margins
                .iter()
                .zip(margin_categories.iter().zip(&margin_totals))
                .map(|(margin, (categories, totals))| Margin {
                    name: margin.variable.name(),
                    categories,
                    totals,
                })
                .collect();
            let raked = rake(
                &counts,
                &raking_margins,
                RAKING_TOLERANCE,
                DEFAULT_MAX_ITERATIONS,
            )
            .map_err(|_| RobustnessError::NotConverged(DEFAULT_MAX_ITERATIONS))?;
            if !raked.converged {
                return Err(RobustnessError::NotConverged(raked.iterations));
            }
            (raked.weights, raked.iterations)
        }
    };
    let mut weights: Vec<f64> = totals.iter().zip(&counts).map(|(t, n)| t / n).collect();
    let trimming = match trim {
        None => None,
        Some(ratio) => Some(trim_cells(&mut weights, &counts, ratio)?),
    };
    let mut cell_weight = vec![None; cells];
    let mut respondent_weights = Vec::new();
    let mut cell_list = Vec::new();
    for (cell, weight) in weighable.iter().zip(weights) {
        cell_weight[*cell] = Some(weight);
        let n = sums.cell_respondents[*cell];
        cell_list.push(CellWeight {
            codes: layout
                .variables
                .iter()
                .zip(&categories[*cell])
                .map(|(variable, k)| variable.codes(configuration).entries()[k - 1].code.clone())
                .collect(),
            respondents: n,
            weight,
        });
        respondent_weights.push((weight, n));
    }
    let n: u64 = respondent_weights.iter().map(|(_, n)| n).sum();
    let sum: f64 = respondent_weights.iter().map(|(w, n)| w * *n as f64).sum();
    let squares: f64 = respondent_weights
        .iter()
        .map(|(w, n)| w * w * *n as f64)
        .sum();
    // Kish's n Σw² / (Σw)², summed by cell.
    let design_effect = n as f64 * squares / (sum * sum);
    Ok((
        WeightingSummary {
            margins: margins.map(|m| m.source.clone()),
            variables: layout.variables.clone(),
            iterations,
            respondents: n,
            left_out,
            design_effect,
            effective_n: n as f64 / design_effect,
            cells: cell_list,
            trimming,
        },
        cell_weight,
    ))
}

/// Trims cell weights (one per respondent of each cell, `counts`) with the statistics crate's
/// `trim` on the respondents' weights, which is checked against R's `trimWeights`.
fn trim_cells(
    weights: &mut [f64],
    counts: &[f64],
    ratio: f64,
) -> Result<Trimming, RobustnessError> {
    let respondents: Vec<f64> = weights
        .iter()
        .zip(counts)
        .flat_map(|(w, n)| std::iter::repeat_n(*w, *n as usize))
        .collect();
    let mean = respondents.iter().sum::<f64>() / respondents.len() as f64;
    let (lower, upper) = (mean / ratio, mean * ratio);
    let (trimmed, rounds) = minxin_survey_stats::weighting::trim(&respondents, lower, upper)
        .map_err(|e| RobustnessError::InvalidOption {
            name: "trim",
            message: e.to_string(),
        })?;
    let mut first = 0usize;
    let mut cells_at_bounds = 0;
    for (weight, n) in weights.iter_mut().zip(counts) {
        *weight = trimmed[first];
        first += *n as usize;
        if (*weight - lower).abs() <= 1e-12 * upper || (*weight - upper).abs() <= 1e-12 * upper {
            cells_at_bounds += 1;
        }
    }
    Ok(Trimming {
        ratio,
        lower,
        upper,
        rounds,
        cells_at_bounds,
    })
}

/// What estimating the structural model in a replicate needs.
struct ModelContext<'a> {
    model: &'a SatisfactionModel,
    /// Unweighted moment totals of the groups used: counts for the small-sample factors.
    counts: &'a [f64],
    /// Ratings with an answer.
    n: u64,
    items: usize,
}

impl ModelContext<'_> {
    /// Path coefficients and every construct's total effect on the outcome, from (weighted)
    /// moment totals.
    fn estimate(&self, moments: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let c = covariances_from_moments(moments, self.counts, self.items);
        let (estimate, _) = estimate_from_covariances(self.model, &c, self.n)?;
        let outcome = self.model.outcome;
        let effects = estimate
            .total_effects
            .iter()
            .map(|row| row[outcome])
            .collect();
        Some((estimate.path_coefficients, effects))
    }
}

/// Draws the replicates, split over threads; replicate `r` always uses the random stream
/// `r` of the seed, so the result does not depend on the number of threads.
fn run_replicates(
    configuration: &Configuration,
    units: &UnitSums<'_>,
    (items, score_width): (usize, usize),
    reliable: &[usize],
    model: Option<&ModelContext<'_>>,
    (rule, pooled): (CutPointRule, (Option<f64>, Option<f64>)),
    options: &RobustnessOptions,
) -> Vec<ReplicateOutcome> {
    let design = BootstrapDesign::new(units.strata);
    let threads = options.threads.max(1).min(options.replicates);
    let per_thread = options.replicates.div_ceil(threads);
    let one = |replicate: usize, factors: &mut Vec<f64>| -> Option<ReplicateOutcome> {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(replicate as u64);
        design.draw_into(factors, &mut |n| {
            ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
        });
        let totals = units.weighted_totals(factors);
        let scores = project_scores(configuration, &totals[..score_width], items);
        let recognition: Vec<f64> = reliable
            .iter()
            .map(|p| scores[*p].0)
            .collect::<Option<_>>()?;
        let satisfaction: Vec<f64> = reliable
            .iter()
            .map(|p| scores[*p].1)
            .collect::<Option<_>>()?;
        let quadrants = classify(rule, pooled, &recognition, &satisfaction)?;
        Some(ReplicateOutcome {
            model: model.and_then(|m| m.estimate(&totals[score_width..])),
            ranks_recognition: order::descending_competition_ranks(&recognition),
            ranks_satisfaction: order::descending_competition_ranks(&satisfaction),
            recognition,
            satisfaction,
            quadrants,
        })
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let one = &one;
                scope.spawn(move || {
                    let mut factors = Vec::new();
                    let start = t * per_thread;
                    let end = ((t + 1) * per_thread).min(options.replicates);
                    (start..end)
                        .filter_map(|r| one(r, &mut factors))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a replicate thread panicked"))
            .collect()
    })
}

impl WeightedEvaluation {
    /// The weighted results as published outputs show them: the projects named in
    /// `small_cells` (below the minimum number of respondents) keep their code only.
    pub fn with_projects_withheld(mut self, small_cells: &[String]) -> WeightedEvaluation {
        for project in self
            .projects
            .iter_mut()
            .filter(|p| small_cells.contains(&p.code))
        {
            project.recognition = None;
            project.satisfaction = None;
            project.quadrant = None;
            project.quadrant_probabilities = None;
            project.uncertain = None;
            project.rank_recognition = None;
            project.rank_satisfaction = None;
        }
        self
    }

    /// `evaluation` with the weighted results in place of the unweighted ones: each project's
    /// indices, their standard errors and intervals (bootstrap), ranks and quadrant, and the
    /// cut points. Everything that works on an evaluation (the comparison of two waves, the
    /// reports) then works on the weighted results; counts, items and gaps stay unweighted.
    pub fn applied_to(&self, evaluation: &Evaluation) -> Evaluation {
        let mut weighted = evaluation.clone();
        weighted.cut_points.recognition = self.cut_recognition;
        weighted.cut_points.satisfaction = self.cut_satisfaction;
        for (project, result) in weighted.projects.iter_mut().zip(&self.projects) {
            let interval = |index: &Option<WeightedIndex>| {
                index.map(|i| super::IndexInterval {
                    se: i.se,
                    ci_low: i.ci_low,
                    ci_high: i.ci_high,
                })
            };
            project.recognition = result.recognition.map(|i| i.score);
            project.satisfaction = result.satisfaction.map(|i| i.score);
            project.recognition_interval = interval(&result.recognition);
            project.satisfaction_interval = interval(&result.satisfaction);
            project.quadrant = result.quadrant;
            project.rank_recognition = result.rank_recognition.map(|r| r.rank);
            project.rank_satisfaction = result.rank_satisfaction.map(|r| r.rank);
        }
        for group in &mut weighted.quadrants {
            group.projects = weighted
                .projects
                .iter()
                .filter(|p| p.quadrant == Some(group.quadrant))
                .map(|p| p.code.clone())
                .collect();
        }
        weighted
    }
}
