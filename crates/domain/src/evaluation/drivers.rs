//! The satisfaction-index structural model: a PLS path model over the instrument's dimensions,
//! estimated from the item correlations that the tallies' exact pair sums give, with
//! ACSI-style 0–100 construct scores and the drivers of satisfaction (total effects).
//!
//! The default model, in the spirit of the ACSI and of the Chinese public-service satisfaction
//! indices (expectation → perceived quality → perceived value → satisfaction → trust), over the
//! seven dimensions of the default instrument:
//!
//! ```text
//! awareness → relevance → need_fit            (knowing the project, seeing it matters,
//!                                              and that it fits one's needs: expectation)
//! need_fit → quality, need_fit → value, need_fit → satisfaction
//! quality → value, quality → satisfaction      (perceived quality)
//! value → satisfaction                         (perceived value)
//! satisfaction → trust                         (trust in delivery and improvement: the
//!                                              public-sector counterpart of loyalty)
//! ```
//!
//! Every dimension's total effect on satisfaction is its derived importance, a *driver*. A
//! user can give another model (`--model`, the TOML of `minxin stats pls` with item codes as
//! indicators, plus `outcome`).

use std::collections::BTreeMap;

use minxin_survey_stats::pls::{InnerScheme, PathModel, PlsEstimate};
use minxin_survey_stats::pls_correlations::estimate_from_correlations;
use minxin_survey_stats::{pair_count, pair_position};
use serde::{Deserialize, Serialize};

use super::tallies::{Change, WaveTallies};
use crate::config::{Index, Instrument};

/// Convergence of the outer weights.
const TOLERANCE: f64 = 1e-12;
/// Iterations at most.
const MAX_ITERATIONS: usize = 1_000;
/// A project's own model is estimated from this many respondents up.
pub const MINIMUM_MODEL_RESPONDENTS: u64 = 100;

/// The default paths, by dimension code.
const DEFAULT_PATHS: [(&str, &str); 9] = [
    ("awareness", "relevance"),
    ("relevance", "need_fit"),
    ("need_fit", "quality"),
    ("need_fit", "value"),
    ("need_fit", "satisfaction"),
    ("quality", "value"),
    ("quality", "satisfaction"),
    ("value", "satisfaction"),
    ("satisfaction", "trust"),
];

/// A structural model over the instrument's items.
#[derive(Debug, Clone, PartialEq)]
pub struct SatisfactionModel {
    /// Construct codes, in order.
    pub constructs: Vec<String>,
    /// Per construct, the positions of its items in the instrument.
    pub items: Vec<Vec<usize>>,
    /// `(from, to)` construct positions.
    pub paths: Vec<(usize, usize)>,
    /// The construct whose drivers are reported.
    pub outcome: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    constructs: BTreeMap<String, ConstructFile>,
    paths: Vec<PathFile>,
    outcome: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstructFile {
    indicators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathFile {
    from: String,
    to: String,
}

impl SatisfactionModel {
    /// The default model when the instrument has the seven default dimensions; `None`
    /// otherwise (another instrument needs its own model file).
    pub fn default_for(instrument: &Instrument) -> Option<SatisfactionModel> {
        let constructs: Vec<String> = instrument
            .dimensions
            .iter()
            .map(|d| d.code.clone())
            .collect();
        let position = |code: &str| constructs.iter().position(|c| c == code);
        let paths = DEFAULT_PATHS
            .iter()
            .map(|(from, to)| Some((position(from)?, position(to)?)))
            .collect::<Option<Vec<_>>>()?;
        let items = dimension_items(instrument);
        Some(SatisfactionModel {
            outcome: position("satisfaction")?,
            constructs,
            items,
            paths,
        })
    }

    /// Reads a model file: `[constructs.NAME] indicators = ["item", ...]`, `[[paths]] from = ..
    /// to = ..`, and `outcome = "NAME"` (default: a construct named `satisfaction`).
    pub fn parse(text: &str, instrument: &Instrument) -> Result<SatisfactionModel, String> {
        let file: ModelFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let item_codes: Vec<&str> = instrument
            .items()
            .iter()
            .map(|i| i.item.code.as_str())
            .collect();
        let constructs: Vec<String> = file.constructs.keys().cloned().collect();
        let mut items = Vec::new();
        for (name, construct) in &file.constructs {
            if construct.indicators.is_empty() {
                return Err(format!("constructs.{name} has no indicator"));
            }
            let positions = construct
                .indicators
                .iter()
                .map(|code| {
                    item_codes.iter().position(|c| c == code).ok_or_else(|| {
                        format!(
                            "constructs.{name}: {code:?} is not an item of the instrument ({})",
                            item_codes.join(", ")
                        )
                    })
                })
                .collect::<Result<Vec<usize>, String>>()?;
            items.push(positions);
        }
        let position = |name: &str, field: &str| {
            constructs
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| format!("{field} {name:?} is not a construct"))
        };
        let paths = file
            .paths
            .iter()
            .map(|p| {
                Ok((
                    position(&p.from, "paths.from")?,
                    position(&p.to, "paths.to")?,
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        if paths.is_empty() {
            return Err("the model has no path".into());
        }
        let outcome = position(file.outcome.as_deref().unwrap_or("satisfaction"), "outcome")?;
        Ok(SatisfactionModel {
            constructs,
            items,
            paths,
            outcome,
        })
    }
}

/// The item positions of each dimension.
fn dimension_items(instrument: &Instrument) -> Vec<Vec<usize>> {
    let items = instrument.items();
    (0..instrument.dimensions.len())
        .map(|d| {
            items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.dimension == d)
                .map(|(i, _)| i)
                .collect()
        })
        .collect()
}

/// One path of the estimated model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathCoefficient {
    /// From this construct.
    pub from: String,
    /// To this one.
    pub to: String,
    /// The standardised coefficient.
    pub coefficient: f64,
}

/// A construct's driver: its total effect on the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// The construct.
    pub construct: String,
    /// Direct plus indirect effect on the outcome (standardised).
    pub total_effect: f64,
}

/// The estimated satisfaction-index model of the wave (all projects' ratings pooled).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverAnalysis {
    /// The outcome construct.
    pub outcome: String,
    /// Ratings the correlations rest on (pairwise: the ratings of a project).
    pub n: u64,
    /// Per construct, the outer weight of each item (item code → weight).
    pub outer_weights: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per construct, each item's loading.
    pub loadings: BTreeMap<String, BTreeMap<String, f64>>,
    /// The paths with their coefficients.
    pub paths: Vec<PathCoefficient>,
    /// R² of each endogenous construct.
    pub r_squared: BTreeMap<String, f64>,
    /// The drivers of the outcome, largest total effect first.
    pub drivers: Vec<Driver>,
    /// Lohmöller iterations.
    pub iterations: usize,
    /// Per project (catalogue order), construct scores and its own drivers.
    pub projects: Vec<ProjectDrivers>,
}

/// A project's ACSI-style construct scores and, when it has enough respondents, its drivers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectDrivers {
    /// Project code.
    pub code: String,
    /// Per construct, the 0–100 score: item mean scores weighted by the model's outer
    /// weights rescaled to the items' own units and to a sum of 1 (ACSI's index formula).
    pub scores: BTreeMap<String, Option<f64>>,
    /// The drivers from this project's own model (when estimable: ≥ 100 ratings), largest first.
    pub drivers: Option<Vec<Driver>>,
}

/// Numbers of the pooled item moments of [`add_moments`]: per item `(n, Σx, Σx²)`, then per
/// pair of items `(n, Σx, Σy, Σxy)` in [`pair_position`] order, then the ratings with at least
/// one answer.
pub(crate) fn moment_width(items: usize) -> usize {
    items * 3 + pair_count(items) * 4 + 1
}

/// Adds (or takes back) one rating's answer offsets to pooled item moments.
pub(crate) fn add_moments(moments: &mut [u64], answers: &[Option<u8>], change: Change) {
    let items = answers.len();
    // The answered items and their offsets on the stack (an instrument has at most
    // 2 × MAX_ITEMS_PER_INDEX = 48 items), so that the pair loop visits answered pairs only.
    const MOST_ITEMS: usize = 64;
    debug_assert!(items <= MOST_ITEMS);
    let mut answered = [(0usize, 0u64); MOST_ITEMS];
    let mut count = 0;
    for (i, answer) in answers.iter().enumerate().take(MOST_ITEMS) {
        if let Some(answer) = answer {
            answered[count] = (i, u64::from(answer - 1));
            count += 1;
        }
    }
    if count == 0 {
        return;
    }
    let apply: fn(&mut u64, u64) = match change {
        Change::Add => |slot, value| *slot += value,
        Change::Remove => |slot, value| *slot -= value,
    };
    apply(&mut moments[moment_width(items) - 1], 1);
    let answered = &answered[..count];
    for (k, &(i, x)) in answered.iter().enumerate() {
        apply(&mut moments[i * 3], 1);
        apply(&mut moments[i * 3 + 1], x);
        apply(&mut moments[i * 3 + 2], x * x);
        for &(j, y) in &answered[k + 1..] {
            let base = items * 3 + pair_position(items, i, j) * 4;
            apply(&mut moments[base], 1);
            apply(&mut moments[base + 1], x);
            apply(&mut moments[base + 2], y);
            apply(&mut moments[base + 3], x * y);
        }
    }
}

/// Item covariances from pooled (possibly weighted) moments of [`add_moments`]: `(Σxy −
/// ΣxΣy/W)/W` times `n/(n − 1)`, with `n` the unweighted count of the same moments in
/// `counts`, so that equal weights give the usual unbiased covariances. Pairs answered together
/// by fewer than 30 ratings: `NaN`.
pub(crate) fn covariances_from_moments(
    moments: &[f64],
    counts: &[f64],
    items: usize,
) -> Vec<Vec<f64>> {
    let mut c = vec![vec![f64::NAN; items]; items];
    let small_sample = |n: f64| n / (n - 1.0);
    for (i, row) in c.iter_mut().enumerate() {
        let (w, sx, sxx) = (moments[i * 3], moments[i * 3 + 1], moments[i * 3 + 2]);
        let n = counts[i * 3];
        if n > 1.0 && w > 0.0 {
            row[i] = (sxx - sx * sx / w) / w * small_sample(n);
        }
    }
    // Both triangles of `c` are written, so indices read better than iterators here.
    #[allow(clippy::needless_range_loop)]
    for a in 0..items {
        for b in a + 1..items {
            let base = items * 3 + pair_position(items, a, b) * 4;
            let (w, sx, sy, sxy) = (
                moments[base],
                moments[base + 1],
                moments[base + 2],
                moments[base + 3],
            );
            let n = counts[base];
            if n >= MINIMUM_PAIR_RATINGS && w > 0.0 {
                let covariance = (sxy - sx * sy / w) / w * small_sample(n);
                c[a][b] = covariance;
                c[b][a] = covariance;
            }
        }
    }
    c
}

/// Pairs of items answered together by fewer ratings than this make the model unestimable.
const MINIMUM_PAIR_RATINGS: f64 = 30.0;

/// True when `r` is positive definite (a Cholesky factorisation exists): pairwise correlations
/// need not be, and a model on such a matrix gives R² outside [0, 1].
fn positive_definite(r: &[Vec<f64>]) -> bool {
    let n = r.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = r[i][i] - sum;
                if d.is_nan() || d <= 1e-10 {
                    return false;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (r[i][j] - sum) / l[j][j];
            }
        }
    }
    true
}

/// Item covariances of the ratings of `projects` from the tallies: pairwise covariances from
/// the pair sums (pairs answered together by fewer than 30 ratings: `NaN`), variances from
/// each item's answers (as R's `cov(use = "pairwise")`). Also the ratings counted.
fn covariances(tallies: &WaveTallies, projects: &[usize]) -> (Vec<Vec<f64>>, u64) {
    let (items, levels) = (tallies.items, tallies.levels);
    let pairs = pair_count(items);
    let mut c = vec![vec![f64::NAN; items]; items];
    for (item, row) in c.iter_mut().enumerate() {
        let (mut n, mut sum, mut squares) = (0.0, 0.0, 0.0);
        for p in projects {
            let counts = &tallies.answer_counts[(p * items + item) * levels..][..levels];
            for (offset, count) in counts.iter().enumerate() {
                let k = *count as f64;
                n += k;
                sum += k * offset as f64;
                squares += k * (offset * offset) as f64;
            }
        }
        if n > 1.0 {
            row[item] = (squares - sum * sum / n) / (n - 1.0);
        }
    }
    // Both triangles of `c` are written, so indices read better than iterators here.
    #[allow(clippy::needless_range_loop)]
    for a in 0..items {
        for b in a + 1..items {
            let (mut n, mut first, mut second, mut products) = (0.0, 0.0, 0.0, 0.0);
            for p in projects {
                let sums = &tallies.pair_sums[p * pairs + pair_position(items, a, b)];
                n += sums.n as f64;
                first += sums.first as f64;
                second += sums.second as f64;
                products += sums.products as f64;
            }
            if n >= MINIMUM_PAIR_RATINGS {
                let covariance = (products - first * second / n) / (n - 1.0);
                c[a][b] = covariance;
                c[b][a] = covariance;
            }
        }
    }
    let n = projects
        .iter()
        .map(|p| tallies.project_respondents[*p])
        .sum();
    (c, n)
}

fn path_model(model: &SatisfactionModel) -> PathModel {
    PathModel {
        blocks: model.items.clone(),
        paths: model.paths.clone(),
    }
}

pub(crate) fn drivers_of(model: &SatisfactionModel, estimate: &PlsEstimate) -> Vec<Driver> {
    let mut drivers: Vec<Driver> = (0..model.constructs.len())
        .filter(|c| *c != model.outcome)
        .map(|c| Driver {
            construct: model.constructs[c].clone(),
            total_effect: estimate.total_effects[c][model.outcome],
        })
        .filter(|d| d.total_effect != 0.0)
        .collect();
    drivers.sort_by(|a, b| b.total_effect.total_cmp(&a.total_effect));
    drivers
}

/// Estimates `model` from the correlations of the ratings of `projects`, when they allow it:
/// at least [`MINIMUM_MODEL_RESPONDENTS`] ratings, every pair of items answered together by
/// at least 30, a positive definite matrix, and finite estimates.
fn estimate_on(
    model: &SatisfactionModel,
    tallies: &WaveTallies,
    projects: &[usize],
) -> Option<(PlsEstimate, Vec<f64>, u64)> {
    let (c, n) = covariances(tallies, projects);
    let (estimate, sds) = estimate_from_covariances(model, &c, n)?;
    Some((estimate, sds, n))
}

/// Estimates `model` from item covariances `c` of `n` ratings, when they allow it (see
/// [`estimate_on`]); also the item standard deviations.
pub(crate) fn estimate_from_covariances(
    model: &SatisfactionModel,
    c: &[Vec<f64>],
    n: u64,
) -> Option<(PlsEstimate, Vec<f64>)> {
    let sds: Vec<f64> = (0..c.len()).map(|i| c[i][i].sqrt()).collect();
    let r: Vec<Vec<f64>> = (0..c.len())
        .map(|a| {
            (0..c.len())
                .map(|b| {
                    if a == b {
                        1.0
                    } else {
                        c[a][b] / (sds[a] * sds[b])
                    }
                })
                .collect()
        })
        .collect();
    if n < MINIMUM_MODEL_RESPONDENTS || r.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    if !positive_definite(&r) {
        return None;
    }
    let estimate = estimate_from_correlations(
        &r,
        n as f64,
        &path_model(model),
        InnerScheme::Path,
        TOLERANCE,
        MAX_ITERATIONS,
    )
    .ok()?;
    let finite = estimate
        .outer_weights
        .iter()
        .chain(&estimate.loadings)
        .chain(&estimate.total_effects)
        .flatten()
        .chain(&estimate.path_coefficients)
        .all(|v| v.is_finite());
    finite.then_some((estimate, sds))
}

/// Estimates `model` on the pooled ratings of `projects` (the reliable ones) and scores every
/// project's constructs. `None` when the model cannot be estimated (see [`estimate_on`]).
pub(crate) fn analyse(
    instrument: &Instrument,
    model: &SatisfactionModel,
    tallies: &WaveTallies,
    pooled: &[usize],
    project_codes: &[String],
) -> Option<DriverAnalysis> {
    let (estimate, sds, n) = estimate_on(model, tallies, pooled)?;
    let item_codes: Vec<String> = instrument
        .items()
        .iter()
        .map(|i| i.item.code.clone())
        .collect();
    let per_item = |values: &[Vec<f64>]| -> BTreeMap<String, BTreeMap<String, f64>> {
        model
            .constructs
            .iter()
            .zip(&model.items)
            .zip(values)
            .map(|((construct, items), values)| {
                (
                    construct.clone(),
                    items
                        .iter()
                        .zip(values)
                        .map(|(i, v)| (item_codes[*i].clone(), *v))
                        .collect(),
                )
            })
            .collect()
    };
    let analysis = DriverAnalysis {
        outcome: model.constructs[model.outcome].clone(),
        n,
        outer_weights: per_item(&estimate.outer_weights),
        loadings: per_item(&estimate.loadings),
        paths: model
            .paths
            .iter()
            .zip(&estimate.path_coefficients)
            .map(|((from, to), coefficient)| PathCoefficient {
                from: model.constructs[*from].clone(),
                to: model.constructs[*to].clone(),
                coefficient: *coefficient,
            })
            .collect(),
        r_squared: model
            .constructs
            .iter()
            .zip(&estimate.r_squared)
            .filter_map(|(c, r2)| Some((c.clone(), (*r2)?)))
            .collect(),
        drivers: drivers_of(model, &estimate),
        iterations: estimate.iterations,
        projects: Vec::new(),
    };
    // ACSI: weights in the items' own units (w / sd), rescaled to sum 1 in each construct.
    let unit_weights: Vec<Vec<f64>> = model
        .items
        .iter()
        .zip(&estimate.outer_weights)
        .map(|(items, weights)| {
            let raw: Vec<f64> = items
                .iter()
                .zip(weights)
                .map(|(i, w)| w / sds[*i])
                .collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|w| w / total).collect()
        })
        .collect();
    let (items, levels) = (tallies.items, tallies.levels);
    let step = instrument.score_step();
    let mut analysis = analysis;
    analysis.projects = project_codes
        .iter()
        .enumerate()
        .map(|(p, code)| {
            let item_score = |item: usize| -> Option<f64> {
                let counts = &tallies.answer_counts[(p * items + item) * levels..][..levels];
                let n: u64 = counts.iter().sum();
                (n > 0).then(|| {
                    counts
                        .iter()
                        .enumerate()
                        .map(|(offset, c)| offset as f64 * *c as f64)
                        .sum::<f64>()
                        / n as f64
                        * step
                })
            };
            let scores = model
                .constructs
                .iter()
                .zip(model.items.iter().zip(&unit_weights))
                .map(|(construct, (items, weights))| {
                    let score = items
                        .iter()
                        .zip(weights)
                        .map(|(i, w)| Some(item_score(*i)? * w))
                        .sum::<Option<f64>>();
                    (construct.clone(), score)
                })
                .collect();
            let drivers = estimate_on(model, tallies, &[p]).map(|(e, _, _)| drivers_of(model, &e));
            ProjectDrivers {
                code: code.clone(),
                scores,
                drivers,
            }
        })
        .collect();
    Some(analysis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Configuration;

    #[test]
    fn the_default_model_joins_the_seven_dimensions() {
        let configuration = Configuration::defaults();
        let model = SatisfactionModel::default_for(&configuration.instrument).unwrap();
        assert_eq!(model.constructs.len(), 7);
        assert_eq!(model.paths.len(), 9);
        assert_eq!(model.constructs[model.outcome], "satisfaction");
        let trust = model.constructs.iter().position(|c| c == "trust").unwrap();
        assert_eq!(model.items[trust].len(), 2, "trust has two items");
    }

    #[test]
    fn model_files_name_what_is_wrong() {
        let instrument = Configuration::defaults().instrument;
        let good = "outcome = \"sat\"\n[constructs.q]\nindicators = [\"quality\"]\n\
                    [constructs.sat]\nindicators = [\"satisfaction\"]\n[[paths]]\nfrom = \"q\"\nto = \"sat\"\n";
        let model = SatisfactionModel::parse(good, &instrument).unwrap();
        assert_eq!(model.constructs, ["q", "sat"]);
        assert_eq!(model.paths, [(0, 1)]);
        let unknown_item = good.replace("[\"quality\"]", "[\"speed\"]");
        assert!(SatisfactionModel::parse(&unknown_item, &instrument)
            .unwrap_err()
            .contains("\"speed\" is not an item"));
        let unknown_construct = good.replace("from = \"q\"", "from = \"x\"");
        assert!(SatisfactionModel::parse(&unknown_construct, &instrument)
            .unwrap_err()
            .contains("paths.from \"x\""));
    }
}

/// The reliability of one scale: an index's items, or a dimension measured by several items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleReliability {
    /// `recognition`, `satisfaction`, or a dimension's code.
    pub scale: String,
    /// Its items.
    pub items: Vec<String>,
    /// Cronbach's alpha from the covariances.
    pub raw_alpha: f64,
    /// Alpha of the standardised items.
    pub std_alpha: f64,
    /// Mean correlation between two items.
    pub average_r: f64,
    /// Per item: correlation with the rest of the scale, and raw alpha without it.
    pub item_rest: BTreeMap<String, (f64, Option<f64>)>,
    /// Composite reliability from the structural model's loadings (constructs of 2+ items).
    pub composite_reliability: Option<f64>,
    /// Average variance extracted, likewise.
    pub average_variance_extracted: Option<f64>,
}

/// Reliability and discriminant validity of the instrument's scales on the pooled ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// Ratings of the reliable projects the covariances rest on (pairwise).
    pub n: u64,
    /// The index scales and the dimensions with several items.
    pub scales: Vec<ScaleReliability>,
    /// HTMT between the recognition and the satisfaction items (below 0.85: distinct).
    pub htmt_recognition_satisfaction: Option<f64>,
}

/// Alpha (pairwise covariances, as R psych's `alpha` with pairwise missing data) of every
/// index scale and every dimension of several items, with composite reliability and AVE from
/// `model`'s loadings where the construct has several items, and the HTMT between the two
/// indices' items. `None` when the covariances are not all available.
pub(crate) fn reliability(
    instrument: &Instrument,
    tallies: &WaveTallies,
    pooled: &[usize],
    model: Option<&DriverAnalysis>,
) -> Option<Reliability> {
    use minxin_survey_stats::reliability::{
        average_variance_extracted, composite_reliability, cronbach_alpha_from_covariances, htmt,
    };
    let (c, n) = covariances(tallies, pooled);
    if n < MINIMUM_MODEL_RESPONDENTS {
        return None;
    }
    let items = instrument.items();
    let codes: Vec<String> = items.iter().map(|i| i.item.code.clone()).collect();
    let mut scales: Vec<(String, Vec<usize>)> = [Index::Recognition, Index::Satisfaction]
        .iter()
        .map(|index| {
            let name = match index {
                Index::Recognition => "recognition",
                Index::Satisfaction => "satisfaction",
            };
            let members = (0..items.len())
                .filter(|i| items[*i].index == *index)
                .collect();
            (name.to_string(), members)
        })
        .collect();
    for (d, dimension) in instrument.dimensions.iter().enumerate() {
        let members: Vec<usize> = (0..items.len())
            .filter(|i| items[*i].dimension == d)
            .collect();
        if members.len() > 1 {
            scales.push((dimension.code.clone(), members));
        }
    }
    let mut results = Vec::new();
    for (scale, members) in scales {
        if members.len() < 2 {
            continue;
        }
        let sub: Vec<Vec<f64>> = members
            .iter()
            .map(|a| members.iter().map(|b| c[*a][*b]).collect())
            .collect();
        let alpha = cronbach_alpha_from_covariances(&sub).ok()?;
        let loadings: Option<Vec<f64>> = model
            .and_then(|m| m.loadings.get(&scale))
            .filter(|l| l.len() > 1)
            .map(|l| l.values().copied().collect());
        results.push(ScaleReliability {
            items: members.iter().map(|i| codes[*i].clone()).collect(),
            raw_alpha: alpha.raw_alpha,
            std_alpha: alpha.std_alpha,
            average_r: alpha.average_r,
            item_rest: members
                .iter()
                .zip(&alpha.items)
                .map(|(i, item)| {
                    let dropped = item.alpha_if_dropped;
                    (
                        codes[*i].clone(),
                        (item.r_drop, dropped.is_finite().then_some(dropped)),
                    )
                })
                .collect(),
            composite_reliability: loadings.as_deref().map(composite_reliability),
            average_variance_extracted: loadings.as_deref().map(average_variance_extracted),
            scale,
        });
    }
    let correlation = |a: usize, b: usize| c[a][b] / (c[a][a] * c[b][b]).sqrt();
    let block = |index: Index| -> Vec<usize> {
        (0..items.len())
            .filter(|i| items[*i].index == index)
            .collect()
    };
    Some(Reliability {
        n,
        scales: results,
        htmt_recognition_satisfaction: htmt(
            &block(Index::Recognition),
            &block(Index::Satisfaction),
            correlation,
        ),
    })
}
