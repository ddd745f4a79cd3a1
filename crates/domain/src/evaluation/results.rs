//! The results of an evaluation, and how they are computed from the accumulated counts.
//!
//! Formulas (README, "The scores"):
//! - item score = (answer − 1) × 100 / (levels − 1), 25 points a step on the 5-point scale;
//! - per project and item: mean over the respondents who answered, with n, SD, SE, t interval;
//! - dimension score = mean of its items' means; index = mean of its dimensions' scores;
//! - projects below the minimum number of respondents are reported but not reliable: they get
//!   no rank and no quadrant and do not count towards the cut points;
//! - cut points = medians of the reliable projects' index scores; high means ≥ the cut point;
//! - gap = mean over respondents of (their mean recognition item score − their mean
//!   satisfaction item score), with a t interval; notable when the interval excludes 0 and
//!   |mean| ≥ the threshold (5 points).

use std::collections::BTreeMap;

use minxin_survey_stats::{
    order, pair_count, IntegerMoments, ItemCombination, LikertHistogram, MeanEstimate, PairSums,
};
use serde::Serialize;

use super::breakdown::DEFAULT_MINIMUM_CELL;
use super::cut_points::{CutIndex, CutPointRule};
use super::drivers::{analyse, reliability, DriverAnalysis, Reliability, SatisfactionModel};
use super::parse::ItemPlan;
use super::{EvaluationOptions, ProfileTallies, Quadrant, WaveTallies};
use crate::config::{CodeList, Configuration, Index, Instrument};

/// Counts of rows by what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Data rows read (the header not counted).
    pub read: u64,
    /// Rows counted in the evaluation.
    pub used: u64,
    /// Rows rejected as malformed.
    pub rejected: u64,
    /// Rows of other waves, skipped.
    pub other_waves: u64,
}

/// The settings the results were computed with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Projects with fewer respondents are not reliable.
    pub minimum_respondents: u64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Threshold of a notable gap, in points.
    pub notable_gap_points: f64,
    /// Levels of the answer scale.
    pub scale_levels: u32,
    /// How the cut points were found.
    pub cut_points: CutPointRule,
}

/// The two cut points of the quadrant split, found by the evaluation's [`CutPointRule`]
/// (`settings.cut_points`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CutPoints {
    /// The recognition cut point.
    pub recognition: Option<f64>,
    /// The satisfaction cut point.
    pub satisfaction: Option<f64>,
}

/// Respondents in one category of a profile variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// The code; `null` for "not stated".
    pub code: Option<String>,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// Respondents; `null` in published outputs when fewer than the minimum (a handful of
    /// people in one category can be told apart).
    pub count: Option<u64>,
}

/// Ages of the respondents who gave one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeSummary {
    /// Respondents with an age.
    pub n: u64,
    /// Mean age.
    pub mean: Option<f64>,
    /// Youngest.
    pub min: Option<u8>,
    /// Oldest.
    pub max: Option<u8>,
    /// Respondents who gave no age.
    pub not_stated: u64,
}

/// The sample profile, as the paper reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    /// Distinct respondents.
    pub respondents: u64,
    /// By district, in configured order (categories with no respondent included).
    pub district: Vec<CategoryCount>,
    /// By gender.
    pub gender: Vec<CategoryCount>,
    /// Age.
    pub age: AgeSummary,
    /// By education.
    pub education: Vec<CategoryCount>,
    /// By occupation.
    pub occupation: Vec<CategoryCount>,
    /// By channel.
    pub channel: Vec<CategoryCount>,
}

/// Statistics of one item of one project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStatistics {
    /// Respondents who answered.
    pub n: u64,
    /// Rows with "don't know" for this item.
    pub dont_know: u64,
    /// Mean score, 0–100.
    pub mean: Option<f64>,
    /// Standard deviation of the scores.
    pub sd: Option<f64>,
    /// Standard error of the mean.
    pub se: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// Answers per level, worst first.
    pub counts: Vec<u64>,
}

impl ItemStatistics {
    /// Withholds what the item's answers would reveal: its mean, spread, interval and
    /// histogram; keeps how many answered.
    fn withhold(&mut self) {
        self.mean = None;
        self.sd = None;
        self.se = None;
        self.ci_low = None;
        self.ci_high = None;
        self.counts.clear();
    }
}

/// The uncertainty of an index: its linearised standard error, which accounts for one
/// respondent answering several items (README, "The scores"), and a Student-t interval on
/// n − 1 degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndexInterval {
    /// Standard error, in points; `null` with fewer than 2 respondents.
    pub se: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
}

/// The recognition–satisfaction gap of one project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapEstimate {
    /// Respondents who answered at least one item of each index.
    pub n: u64,
    /// Mean gap in points (recognition minus satisfaction).
    pub mean: Option<f64>,
    /// Standard deviation of the respondent-level gaps.
    pub sd: Option<f64>,
    /// Standard error of the mean gap.
    pub se: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// The interval excludes 0 and |mean| reaches the threshold.
    pub notable: bool,
}

/// Everything the evaluation says about one project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectEvaluation {
    /// Project code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Rows of this project.
    pub rows: u64,
    /// Respondents who answered at least one item.
    pub n: u64,
    /// Enough respondents and both indices scored.
    pub reliable: bool,
    /// Recognition index, 0–100.
    pub recognition: Option<f64>,
    /// Satisfaction index, 0–100.
    pub satisfaction: Option<f64>,
    /// Standard error and interval of the recognition index.
    pub recognition_interval: Option<IndexInterval>,
    /// Standard error and interval of the satisfaction index.
    pub satisfaction_interval: Option<IndexInterval>,
    /// Quadrant, for reliable projects.
    pub quadrant: Option<Quadrant>,
    /// Rank by recognition among reliable projects (1 = highest).
    pub rank_recognition: Option<usize>,
    /// Rank by satisfaction among reliable projects.
    pub rank_satisfaction: Option<usize>,
    /// Score by dimension code.
    pub dimensions: BTreeMap<String, Option<f64>>,
    /// Statistics by item code.
    pub items: BTreeMap<String, ItemStatistics>,
    /// The recognition–satisfaction gap.
    pub gap: GapEstimate,
}

/// One quadrant with its strategy and members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuadrantGroup {
    /// The quadrant.
    pub quadrant: Quadrant,
    /// Its name in Chinese.
    pub name_zh: String,
    /// Its name in English.
    pub name_en: String,
    /// The paper's strategy, Chinese.
    pub strategy_zh: String,
    /// The paper's strategy, English.
    pub strategy_en: String,
    /// Codes of its projects, in catalogue order.
    pub projects: Vec<String>,
}

/// The whole result of evaluating one wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The wave evaluated (`null` when the file had no usable row).
    pub wave: Option<String>,
    /// True when any respondent came through the `synthetic` channel (generated data).
    pub synthetic: bool,
    /// Settings used.
    pub settings: Settings,
    /// What became of the rows.
    pub rows: RowCounts,
    /// The medians splitting the quadrants.
    pub cut_points: CutPoints,
    /// Who answered.
    pub profile: ProfileSummary,
    /// Per project, in catalogue order.
    pub projects: Vec<ProjectEvaluation>,
    /// The quadrants with their strategies.
    pub quadrants: Vec<QuadrantGroup>,
    /// The satisfaction-index structural model on the reliable projects' ratings, with the
    /// drivers of satisfaction (`null` when it cannot be estimated).
    pub satisfaction_model: Option<DriverAnalysis>,
    /// Reliability of the scales on the reliable projects' ratings (`null` with too few).
    pub reliability: Option<Reliability>,
}

/// The channel code that marks generated (demo) data.
pub const SYNTHETIC_CHANNEL: &str = "synthetic";

fn mean_of(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let present: Vec<f64> = values.flatten().collect();
    (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
}

/// The recognition and satisfaction indices from item mean scores (`None`: nobody answered),
/// combined as the evaluation combines them: a dimension scores the mean of its answered
/// items, an index the mean of its scored dimensions. Used where item means are weighted.
pub(crate) fn indices_from_item_means(
    instrument: &Instrument,
    means: &[Option<f64>],
) -> (Option<f64>, Option<f64>) {
    let items = instrument.items();
    let dimensions: Vec<Option<f64>> = (0..instrument.dimensions.len())
        .map(|d| {
            mean_of(
                items
                    .iter()
                    .zip(means)
                    .filter(|(item, _)| item.dimension == d)
                    .map(|(_, mean)| *mean),
            )
        })
        .collect();
    let index = |index: Index| {
        mean_of(
            instrument
                .dimensions
                .iter()
                .zip(&dimensions)
                .filter(|(dimension, _)| dimension.index == index)
                .map(|(_, score)| *score),
        )
    };
    (index(Index::Recognition), index(Index::Satisfaction))
}

/// Item, dimension and index scores of one project (or one district's part of it), from its
/// answer counts (`items × levels`).
pub(crate) struct IndexScores {
    /// Per item, its mean score with spread and interval.
    pub(crate) item_estimates: Vec<Option<MeanEstimate>>,
    /// Per item, exact moments of the answer offsets.
    item_moments: Vec<IntegerMoments>,
    /// Per dimension, the mean of its items' means.
    pub(crate) dimensions: Vec<Option<f64>>,
    /// The recognition index.
    pub(crate) recognition: Option<f64>,
    /// The satisfaction index.
    pub(crate) satisfaction: Option<f64>,
    step: f64,
}

impl IndexScores {
    pub(crate) fn new(instrument: &Instrument, counts: &[u64], confidence: f64) -> Self {
        let items = instrument.items();
        let levels = instrument.scale.levels as usize;
        let histograms: Vec<LikertHistogram> = (0..items.len())
            .map(|i| {
                LikertHistogram::from_counts(&counts[i * levels..][..levels])
                    .expect("validated scale")
            })
            .collect();
        let item_estimates: Vec<Option<MeanEstimate>> = histograms
            .iter()
            .map(|h| h.score_estimate(confidence).expect("validated confidence"))
            .collect();
        let dimensions: Vec<Option<f64>> = (0..instrument.dimensions.len())
            .map(|d| {
                mean_of(
                    items
                        .iter()
                        .zip(&item_estimates)
                        .filter(|(item, _)| item.dimension == d)
                        .map(|(_, e)| e.map(|e| e.mean)),
                )
            })
            .collect();
        let index_score = |index: Index| {
            mean_of(
                instrument
                    .dimensions
                    .iter()
                    .zip(&dimensions)
                    .filter(|(dimension, _)| dimension.index == index)
                    .map(|(_, score)| *score),
            )
        };
        Self {
            recognition: index_score(Index::Recognition),
            satisfaction: index_score(Index::Satisfaction),
            item_moments: histograms.iter().map(LikertHistogram::moments).collect(),
            item_estimates,
            dimensions,
            step: instrument.score_step(),
        }
    }

    /// Each item's weight in `index`: the index is the mean of its scored dimensions, each the
    /// mean of its answered items, so an answered item weighs 1 / (dimensions × its
    /// dimension's answered items).
    fn weights(&self, instrument: &Instrument, index: Index) -> Vec<f64> {
        let items = instrument.items();
        let scored_dimensions = instrument
            .dimensions
            .iter()
            .zip(&self.dimensions)
            .filter(|(dimension, score)| dimension.index == index && score.is_some())
            .count();
        items
            .iter()
            .zip(&self.item_moments)
            .map(|(item, moments)| {
                let dimension = &instrument.dimensions[item.dimension];
                if dimension.index != index || moments.n == 0 {
                    return 0.0;
                }
                let answered_in_dimension = items
                    .iter()
                    .zip(&self.item_moments)
                    .filter(|(other, m)| other.dimension == item.dimension && m.n > 0)
                    .count();
                1.0 / (scored_dimensions * answered_in_dimension) as f64
            })
            .collect()
    }

    /// The standard error and interval of `index` over `respondents`, from the pair sums of
    /// the same answers.
    pub(crate) fn interval(
        &self,
        instrument: &Instrument,
        index: Index,
        pairs: &[PairSums],
        respondents: u64,
        confidence: f64,
    ) -> Option<IndexInterval> {
        let weights = self.weights(instrument, index);
        let estimate = ItemCombination {
            items: &self.item_moments,
            pairs,
            weights: &weights,
            scale: self.step,
        }
        .estimate(respondents, confidence)
        .expect("validated confidence and lengths")?;
        Some(IndexInterval {
            se: estimate.se,
            ci_low: estimate.ci_low,
            ci_high: estimate.ci_high,
        })
    }
}

impl ProjectEvaluation {
    /// The project without its standing among the others (ranks and quadrant, which follow
    /// from the city's cut points and every other project's scores): what a project's own
    /// departments see of a wave whose results are not yet published.
    pub fn without_standing(self) -> ProjectEvaluation {
        ProjectEvaluation {
            quadrant: None,
            rank_recognition: None,
            rank_satisfaction: None,
            ..self
        }
    }

    /// Withholds what a small group's answers would reveal: the indices and their intervals,
    /// dimension scores, item means with their answer counts, and the gap; keeps the counts of
    /// rows and respondents and the "not reliable" flag.
    fn withhold_scores(&mut self) {
        self.recognition = None;
        self.satisfaction = None;
        self.recognition_interval = None;
        self.satisfaction_interval = None;
        self.quadrant = None;
        self.rank_recognition = None;
        self.rank_satisfaction = None;
        for score in self.dimensions.values_mut() {
            *score = None;
        }
        for item in self.items.values_mut() {
            item.withhold();
        }
        self.gap.mean = None;
        self.gap.sd = None;
        self.gap.se = None;
        self.gap.ci_low = None;
        self.gap.ci_high = None;
        self.gap.notable = false;
    }
}

impl Evaluation {
    /// The evaluation as published outputs show it: no statistic rests on fewer respondents
    /// than the public minimum ([`DEFAULT_MINIMUM_CELL`], 30), so that a handful of answers
    /// can never be read off a public page:
    /// - the scores of every project below the minimum (the small cells) are withheld, with
    ///   its items, dimensions and gap;
    /// - in the other projects, every item answered by fewer than the minimum loses its mean,
    ///   interval and answer histogram;
    /// - profile categories with fewer than the minimum (but some) respondents lose their
    ///   count, and the exact youngest and oldest ages are never shown (the mean age only
    ///   from the minimum on).
    ///
    /// Counts of respondents per project stay: they reveal no answer. Reliable projects keep
    /// their indices, so cut points, quadrants and ranks (which rest on reliable projects
    /// only) are unchanged.
    pub fn with_small_cells_withheld(mut self) -> Evaluation {
        let minimum = DEFAULT_MINIMUM_CELL;
        for project in self.projects.iter_mut() {
            if !project.reliable || project.n < minimum {
                project.withhold_scores();
                continue;
            }
            for item in project.items.values_mut().filter(|item| item.n < minimum) {
                item.withhold();
            }
        }
        let profile = &mut self.profile;
        for list in [
            &mut profile.district,
            &mut profile.gender,
            &mut profile.education,
            &mut profile.occupation,
            &mut profile.channel,
        ] {
            for category in list.iter_mut() {
                if category.count.is_some_and(|n| n > 0 && n < minimum) {
                    category.count = None;
                }
            }
        }
        profile.age.min = None;
        profile.age.max = None;
        if profile.age.n < minimum {
            profile.age.mean = None;
        }
        self
    }

    /// The codes of the projects below the minimum number of respondents.
    pub fn small_cells(&self) -> Vec<String> {
        self.projects
            .iter()
            .filter(|p| !p.reliable)
            .map(|p| p.code.clone())
            .collect()
    }

    /// The evaluation of a wave from its sufficient statistics. `tallies` must have been made
    /// for `configuration` (same projects, items and levels).
    pub fn from_tallies(
        configuration: &Configuration,
        tallies: &WaveTallies,
        options: &EvaluationOptions,
        wave: Option<String>,
        rows: RowCounts,
    ) -> Evaluation {
        summarize(configuration, tallies, options, wave, rows)
    }
}

fn summarize(
    configuration: &Configuration,
    tallies: &WaveTallies,
    options: &EvaluationOptions,
    wave: Option<String>,
    rows: RowCounts,
) -> Evaluation {
    let instrument = &configuration.instrument;
    let plan = ItemPlan::new(instrument);
    let items = instrument.items();
    let levels = plan.levels();
    let item_count = items.len();

    let pairs_per_project = pair_count(item_count);
    let mut projects: Vec<ProjectEvaluation> = configuration
        .catalogue
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            let counts = &tallies.answer_counts[p * item_count * levels..][..item_count * levels];
            let n = tallies.project_respondents[p];
            let scores = IndexScores::new(instrument, counts, options.confidence);
            let mut item_stats = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                item_stats.insert(
                    item.item.code.clone(),
                    item_statistics(
                        scores.item_estimates[i],
                        &counts[i * levels..][..levels],
                        tallies.project_rows[p],
                    ),
                );
            }
            let pairs = &tallies.pair_sums[p * pairs_per_project..][..pairs_per_project];
            let interval = |index| scores.interval(instrument, index, pairs, n, options.confidence);
            let gap_estimate = tallies.gaps[p]
                .estimate(plan.gap_unit(), options.confidence)
                .expect("validated confidence");
            ProjectEvaluation {
                code: project.code.clone(),
                name_zh: project.zh.clone(),
                name_en: project.en.clone(),
                rows: tallies.project_rows[p],
                n,
                reliable: n >= options.minimum_respondents
                    && scores.recognition.is_some()
                    && scores.satisfaction.is_some(),
                recognition: scores.recognition,
                satisfaction: scores.satisfaction,
                recognition_interval: interval(Index::Recognition),
                satisfaction_interval: interval(Index::Satisfaction),
                quadrant: None,
                rank_recognition: None,
                rank_satisfaction: None,
                dimensions: instrument
                    .dimensions
                    .iter()
                    .zip(&scores.dimensions)
                    .map(|(dimension, score)| (dimension.code.clone(), *score))
                    .collect(),
                items: item_stats,
                gap: gap(tallies.gaps[p].n, gap_estimate, options.notable_gap_points),
            }
        })
        .collect();

    let reliable: Vec<usize> = (0..projects.len())
        .filter(|p| projects[*p].reliable)
        .collect();
    let scores = |pick: fn(&ProjectEvaluation) -> Option<f64>| -> Vec<f64> {
        reliable
            .iter()
            .map(|p| pick(&projects[*p]).expect("reliable projects have both scores"))
            .collect()
    };
    let recognition_scores = scores(|p| p.recognition);
    let satisfaction_scores = scores(|p| p.satisfaction);
    let pooled = |index: usize| {
        (options.cut_points == CutPointRule::PooledMedian)
            .then(|| tallies.rating_scores[index].pooled_median(&reliable))
            .flatten()
    };
    let cut_points = CutPoints {
        recognition: options
            .cut_points
            .cut(CutIndex::Recognition, &recognition_scores, pooled(0)),
        satisfaction: options.cut_points.cut(
            CutIndex::Satisfaction,
            &satisfaction_scores,
            pooled(1),
        ),
    };
    let recognition_ranks = order::descending_competition_ranks(&recognition_scores);
    let satisfaction_ranks = order::descending_competition_ranks(&satisfaction_scores);
    for (k, p) in reliable.iter().enumerate() {
        let project = &mut projects[*p];
        project.rank_recognition = Some(recognition_ranks[k]);
        project.rank_satisfaction = Some(satisfaction_ranks[k]);
        if let (Some(cut_r), Some(cut_s)) = (cut_points.recognition, cut_points.satisfaction) {
            project.quadrant = Some(Quadrant::classify(
                recognition_scores[k],
                satisfaction_scores[k],
                cut_r,
                cut_s,
            ));
        }
    }
    let quadrants = Quadrant::ALL
        .iter()
        .map(|quadrant| QuadrantGroup {
            quadrant: *quadrant,
            name_zh: quadrant.name_zh().into(),
            name_en: quadrant.name_en().into(),
            strategy_zh: quadrant.strategy_zh().into(),
            strategy_en: quadrant.strategy_en().into(),
            projects: projects
                .iter()
                .filter(|p| p.quadrant == Some(*quadrant))
                .map(|p| p.code.clone())
                .collect(),
        })
        .collect();

    let satisfaction_model = options
        .satisfaction_model
        .clone()
        .or_else(|| SatisfactionModel::default_for(instrument))
        .and_then(|model| {
            let codes: Vec<String> = projects.iter().map(|p| p.code.clone()).collect();
            analyse(instrument, &model, tallies, &reliable, &codes)
        });
    let reliability = reliability(instrument, tallies, &reliable, satisfaction_model.as_ref());
    let profile = profile_summary(configuration, &tallies.profile);
    let synthetic = profile
        .channel
        .iter()
        .any(|c| c.code.as_deref() == Some(SYNTHETIC_CHANNEL) && c.count.unwrap_or(0) > 0);
    Evaluation {
        wave,
        synthetic,
        settings: Settings {
            minimum_respondents: options.minimum_respondents,
            confidence: options.confidence,
            notable_gap_points: options.notable_gap_points,
            scale_levels: instrument.scale.levels,
            cut_points: options.cut_points,
        },
        rows,
        cut_points,
        profile,
        projects,
        quadrants,
        satisfaction_model,
        reliability,
    }
}

fn item_statistics(
    estimate: Option<MeanEstimate>,
    counts: &[u64],
    project_rows: u64,
) -> ItemStatistics {
    let n: u64 = counts.iter().sum();
    ItemStatistics {
        n,
        dont_know: project_rows - n,
        mean: estimate.map(|e| e.mean),
        sd: estimate.and_then(|e| e.sd),
        se: estimate.and_then(|e| e.se),
        ci_low: estimate.and_then(|e| e.ci_low),
        ci_high: estimate.and_then(|e| e.ci_high),
        counts: counts.to_vec(),
    }
}

fn gap(n: u64, estimate: Option<MeanEstimate>, threshold: f64) -> GapEstimate {
    let notable = estimate.is_some_and(|e| e.interval_excludes_zero() && e.mean.abs() >= threshold);
    GapEstimate {
        n,
        mean: estimate.map(|e| e.mean),
        sd: estimate.and_then(|e| e.sd),
        se: estimate.and_then(|e| e.se),
        ci_low: estimate.and_then(|e| e.ci_low),
        ci_high: estimate.and_then(|e| e.ci_high),
        notable,
    }
}

fn category_counts(
    list: &CodeList,
    counts: &[u64],
    include_not_stated: bool,
) -> Vec<CategoryCount> {
    let mut categories: Vec<CategoryCount> = list
        .entries()
        .iter()
        .zip(&counts[1..])
        .map(|(entry, count)| CategoryCount {
            code: Some(entry.code.clone()),
            zh: entry.zh.clone(),
            en: entry.en.clone(),
            count: Some(*count),
        })
        .collect();
    if include_not_stated && counts[0] > 0 {
        categories.push(CategoryCount {
            code: None,
            zh: "未填写".into(),
            en: "Not stated".into(),
            count: Some(counts[0]),
        });
    }
    categories
}

fn profile_summary(configuration: &Configuration, tallies: &ProfileTallies) -> ProfileSummary {
    let codes = &configuration.profile;
    let stated = &tallies.age[1..];
    let n: u64 = stated.iter().sum();
    let total: u64 = stated
        .iter()
        .enumerate()
        .map(|(k, count)| (k as u64 + 1) * count)
        .sum();
    let youngest = stated
        .iter()
        .position(|count| *count > 0)
        .map(|k| k as u8 + 1);
    let oldest = stated
        .iter()
        .rposition(|count| *count > 0)
        .map(|k| k as u8 + 1);
    ProfileSummary {
        respondents: tallies.district.iter().sum(),
        district: category_counts(&configuration.districts, &tallies.district, false),
        gender: category_counts(&codes.genders, &tallies.gender, true),
        age: AgeSummary {
            n,
            mean: (n > 0).then(|| total as f64 / n as f64),
            min: youngest,
            max: oldest,
            not_stated: tallies.age[0],
        },
        education: category_counts(&codes.educations, &tallies.education, true),
        occupation: category_counts(&codes.occupations, &tallies.occupation, true),
        channel: category_counts(&codes.channels, &tallies.channel, true),
    }
}
