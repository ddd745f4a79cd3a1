//! The streaming evaluation: rows go in one at a time, exact counts accumulate, and the scores,
//! cut points and quadrants are computed once at the end.
//!
//! Memory does not grow with the number of rows: per project and item the evaluator keeps one
//! count per answer level, per project exact integer moments of the respondent-level gap, and per
//! respondent only what the duplicate check and the sample profile need (see [`registry`]).

mod breakdown;
mod comparison;
mod cut_points;
mod drivers;
mod parse;
mod quadrant;
mod registry;
mod results;
mod robustness;
mod tallies;
mod weighting;

pub use breakdown::{district_breakdown, DistrictCell, DEFAULT_MINIMUM_CELL};
pub use comparison::{compare_waves, IndexChange, ProjectChange, WaveComparison};
pub use cut_points::{CutIndex, CutPointRule};
pub use drivers::{
    Driver, DriverAnalysis, PathCoefficient, ProjectDrivers, Reliability, SatisfactionModel,
    ScaleReliability, MINIMUM_MODEL_RESPONDENTS,
};
pub(crate) use parse::ItemPlan;
pub use quadrant::Quadrant;
pub(crate) use registry::CompactProfile;
pub use results::{
    AgeSummary, CategoryCount, CutPoints, Evaluation, GapEstimate, IndexInterval, ItemStatistics,
    ProfileSummary, ProjectEvaluation, QuadrantGroup, RowCounts, Settings, SYNTHETIC_CHANNEL,
};
pub use robustness::{
    weighted_evaluation, CellWeight, GroupSums, ModelEstimate, RankInterval, RobustnessError,
    RobustnessOptions, Trimming, WeightedEvaluation, WeightedIndex, WeightedModel, WeightedProject,
    WeightingSummary,
};
pub use tallies::{Change, ProfileTallies, WaveTallies, OLDEST_AGE};
pub use weighting::{
    CellLayout, Margins, PopulationMargin, WeightingVariable, CENSUS_SOURCE, MARGIN_TOTAL_TOLERANCE,
};

use thiserror::Error;

use crate::config::Configuration;
use crate::layout::ColumnLayout;
use crate::rejection::{Rejection, RejectionReason};
use registry::{RegistryConflict, RespondentRegistry};

/// Read access to the fields of one row, whatever the file format.
pub trait RecordFields {
    /// Number of fields in the row.
    fn field_count(&self) -> usize;
    /// The bytes of field `index` (`index < field_count()`); empty for a field of an
    /// over-wide row that the reader did not keep.
    fn field(&self, index: usize) -> &[u8];
    /// How many of the fields, from the first, the reader kept: all of them, except in a row
    /// with more fields than the header, whose surplus a reader counts but need not keep (so
    /// that a line of a hundred million commas costs no memory per comma).
    fn kept_count(&self) -> usize {
        self.field_count()
    }
}

impl<S: AsRef<str>> RecordFields for [S] {
    fn field_count(&self) -> usize {
        self.len()
    }
    fn field(&self, index: usize) -> &[u8] {
        self[index].as_ref().as_bytes()
    }
}

/// Choices that change the evaluation's results.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationOptions {
    /// Evaluate only this wave; `None` accepts a file holding a single wave.
    pub wave: Option<String>,
    /// Projects with fewer respondents are reported but marked not reliable (default 30).
    pub minimum_respondents: u64,
    /// Confidence level of all intervals (default 0.95).
    pub confidence: f64,
    /// A gap is notable when its interval excludes 0 and its absolute mean reaches this many
    /// points (default 5).
    pub notable_gap_points: f64,
    /// Keep the sums that a weighted evaluation and its bootstrap need, with weighting cells
    /// of these variables (`Some(vec![])`: one cell, equal weights); `None` keeps none.
    pub weighting_cells: Option<Vec<WeightingVariable>>,
    /// The structural model of satisfaction; `None` takes the default model when the
    /// instrument has the default dimensions.
    pub satisfaction_model: Option<SatisfactionModel>,
    /// How the quadrants' cut points are found (default: the median of the reliable
    /// projects' scores).
    pub cut_points: CutPointRule,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        Self {
            wave: None,
            minimum_respondents: 30,
            confidence: 0.95,
            notable_gap_points: 5.0,
            weighting_cells: None,
            satisfaction_model: None,
            cut_points: CutPointRule::Median,
        }
    }
}

/// Errors that stop the whole evaluation (as opposed to rejecting one row).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EvaluationError {
    /// The file holds several waves and none was chosen.
    #[error("row {row}: the file holds more than one wave ({first:?}, {other:?}); choose one with --wave")]
    SeveralWaves {
        /// The wave of the first usable row.
        first: String,
        /// Another wave.
        other: String,
        /// Where the other wave first appears.
        row: u64,
    },
    /// An option is out of range.
    #[error("invalid option {name}: {message}")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// Why two parts of a file could not be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MergeConflict {
    /// The evaluators were set up differently.
    #[error("the parts were evaluated with different settings")]
    DifferentSettings,
    /// The parts hold different waves.
    #[error("the parts hold different waves")]
    DifferentWaves,
    /// A respondent appears in both parts with a different profile or the same project.
    #[error("a respondent appears in both parts with conflicting rows")]
    SharedRespondent,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// The row counts in the evaluation.
    Used,
    /// The row belongs to another wave than the one evaluated.
    OtherWave,
    /// The row is malformed; nothing of it was counted.
    Rejected(Rejection),
}

/// The streaming evaluator of one wave.
#[derive(Debug, Clone)]
pub struct Evaluator<'c> {
    configuration: &'c Configuration,
    layout: ColumnLayout,
    options: EvaluationOptions,
    plan: parse::ItemPlan,
    wave: Option<String>,
    /// The chosen wave as bytes, compared with every row's wave before any UTF-8 check.
    wave_bytes: Vec<u8>,
    respondent_cache: parse::RespondentCache,
    registry: RespondentRegistry,
    tallies: WaveTallies,
    group_sums: Option<GroupSums>,
    rows: RowCounts,
}

impl<'c> Evaluator<'c> {
    /// An evaluator for files with `layout`, using `configuration`.
    pub fn new(
        configuration: &'c Configuration,
        layout: ColumnLayout,
        options: EvaluationOptions,
    ) -> Result<Self, EvaluationError> {
        if !(options.confidence > 0.0 && options.confidence < 1.0) {
            return Err(EvaluationError::InvalidOption {
                name: "confidence",
                message: format!(
                    "must lie strictly between 0 and 1, got {}",
                    options.confidence
                ),
            });
        }
        if !(options.notable_gap_points.is_finite() && options.notable_gap_points >= 0.0) {
            return Err(EvaluationError::InvalidOption {
                name: "notable_gap_points",
                message: format!(
                    "must be a non-negative number, got {}",
                    options.notable_gap_points
                ),
            });
        }
        if options.wave.as_deref().is_some_and(str::is_empty) {
            return Err(EvaluationError::InvalidOption {
                name: "wave",
                message: "must not be empty".into(),
            });
        }
        let plan = parse::ItemPlan::new(&configuration.instrument);
        let projects = configuration.catalogue.projects.len();
        let group_sums = options
            .weighting_cells
            .as_deref()
            .map(|variables| GroupSums::new(configuration, variables));
        Ok(Self {
            configuration,
            layout,
            wave: options.wave.clone(),
            wave_bytes: options.wave.clone().unwrap_or_default().into_bytes(),
            respondent_cache: parse::RespondentCache::default(),
            options,
            registry: RespondentRegistry::new(projects),
            tallies: WaveTallies::new(configuration),
            group_sums,
            rows: RowCounts::default(),
            plan,
        })
    }

    /// Takes one row. `row` is its number in the file (the header is row 1). A rejected row
    /// changes nothing but the count of rejected rows.
    pub fn push<R: RecordFields + ?Sized>(
        &mut self,
        row: u64,
        record: &R,
    ) -> Result<RowOutcome, EvaluationError> {
        self.rows.read += 1;
        let outcome = self.take(row, record)?;
        match &outcome {
            RowOutcome::Used => self.rows.used += 1,
            RowOutcome::OtherWave => self.rows.other_waves += 1,
            RowOutcome::Rejected(_) => self.rows.rejected += 1,
        }
        Ok(outcome)
    }

    fn take<R: RecordFields + ?Sized>(
        &mut self,
        row: u64,
        record: &R,
    ) -> Result<RowOutcome, EvaluationError> {
        let reject = |column: Option<usize>, reason: RejectionReason| {
            Ok(RowOutcome::Rejected(Rejection {
                row,
                column: column.map(|c| self.layout.names[c].clone()),
                reason,
            }))
        };
        if record.field_count() != self.layout.column_count() {
            return reject(
                None,
                RejectionReason::WrongColumnCount {
                    expected: self.layout.column_count(),
                    found: record.field_count(),
                },
            );
        }
        let wave_column = self.layout.wave;
        let wave_bytes = record.field(wave_column);
        if self.wave.is_none() || wave_bytes != self.wave_bytes.as_slice() {
            let wave = match parse::required_text(wave_bytes, parse::MAX_WAVE_BYTES) {
                Ok(wave) => wave,
                Err(reason) => return reject(Some(wave_column), reason),
            };
            match &self.wave {
                Some(_) if self.options.wave.is_some() => return Ok(RowOutcome::OtherWave),
                Some(chosen) => {
                    return Err(EvaluationError::SeveralWaves {
                        first: chosen.clone(),
                        other: wave.to_string(),
                        row,
                    })
                }
                None => {
                    self.wave = Some(wave.to_string());
                    self.wave_bytes = wave_bytes.to_vec();
                }
            }
        }
        let known = self.respondent_cache.matches(&self.layout, record);
        let profile = if known {
            self.respondent_cache.profile
        } else {
            match parse::parse_respondent(self.configuration, &self.layout, record) {
                Ok(profile) => profile,
                Err((column, reason)) => return reject(Some(column), reason),
            }
        };
        let ratings =
            match parse::parse_ratings(self.configuration, &self.layout, &self.plan, record) {
                Ok(ratings) => ratings,
                Err((column, reason)) => return reject(Some(column), reason),
            };
        let respondent_id = record.field(self.layout.respondent_id);
        let recorded = if known {
            self.registry
                .record_known(self.respondent_cache.index, ratings.project)
                .map(|_| (self.respondent_cache.index, false))
        } else {
            self.registry
                .record(respondent_id, profile, ratings.project, row)
        };
        match recorded {
            Ok((index, new)) => {
                if new {
                    self.tallies.respondent(&profile, Change::Add);
                    if let Some(sums) = &mut self.group_sums {
                        sums.respondent(&profile);
                    }
                }
                if !known {
                    self.respondent_cache
                        .store(&self.layout, record, profile, index);
                }
            }
            Err(conflict) => {
                let respondent = String::from_utf8_lossy(respondent_id).into_owned();
                let (column, reason) = match conflict {
                    RegistryConflict::InconsistentProfile { column, first_row } => (
                        self.layout.names.iter().position(|name| name == column),
                        RejectionReason::InconsistentProfile {
                            respondent,
                            first_row,
                        },
                    ),
                    RegistryConflict::DuplicateProject { first_row } => (
                        Some(self.layout.project),
                        RejectionReason::DuplicateRespondentProject {
                            respondent,
                            project: self.configuration.catalogue.projects[ratings.project]
                                .code
                                .clone(),
                            first_row,
                        },
                    ),
                };
                return reject(column, reason);
            }
        }
        self.tallies.rating(
            &self.plan,
            usize::from(profile.district),
            ratings.project,
            &ratings.answers,
            Change::Add,
        );
        if let Some(sums) = &mut self.group_sums {
            sums.rating(&profile, respondent_id, ratings.project, &ratings.answers);
        }
        Ok(RowOutcome::Used)
    }

    /// The counts of rows so far.
    pub fn row_counts(&self) -> RowCounts {
        self.rows
    }

    /// Adds the rows that `other` took from another part of the same file, as if this evaluator
    /// had taken them itself. Fails when the parts disagree (different waves, a respondent
    /// rating a project in both, or with different profiles); the caller then evaluates the
    /// file from its start, which reports such rows with their row numbers.
    pub fn merge(&mut self, other: Evaluator<'c>) -> Result<(), MergeConflict> {
        if self.layout != other.layout || self.options != other.options {
            return Err(MergeConflict::DifferentSettings);
        }
        match (&self.wave, &other.wave) {
            (Some(mine), Some(theirs)) if mine != theirs => {
                return Err(MergeConflict::DifferentWaves)
            }
            (None, Some(_)) => {
                self.wave = other.wave.clone();
                self.wave_bytes = other.wave_bytes.clone();
            }
            _ => {}
        }
        let shared = self
            .registry
            .merge(&other.registry)
            .map_err(|_| MergeConflict::SharedRespondent)?;
        self.tallies.merge(&other.tallies);
        if let (Some(mine), Some(theirs)) = (&mut self.group_sums, &other.group_sums) {
            mine.merge(theirs);
        }
        for profile in &shared {
            // Counted once in each part's tallies, once in the whole.
            self.tallies.respondent(profile, Change::Remove);
            if let Some(sums) = &mut self.group_sums {
                sums.forget_respondent(profile);
            }
        }
        self.rows.read += other.rows.read;
        self.rows.used += other.rows.used;
        self.rows.rejected += other.rows.rejected;
        self.rows.other_waves += other.rows.other_waves;
        self.respondent_cache = parse::RespondentCache::default();
        Ok(())
    }

    /// The sufficient statistics accumulated so far.
    pub fn tallies(&self) -> &WaveTallies {
        &self.tallies
    }

    /// Computes the scores, cut points, quadrants, ranks and the sample profile.
    pub fn finish(self) -> Evaluation {
        self.finish_with_sums().0
    }

    /// As [`Evaluator::finish`], and hands over the sums kept for a weighted evaluation
    /// (`None` unless [`EvaluationOptions::weighting_cells`] asked for them).
    pub fn finish_with_sums(self) -> (Evaluation, Option<GroupSums>) {
        let evaluation = Evaluation::from_tallies(
            self.configuration,
            &self.tallies,
            &self.options,
            self.wave,
            self.rows,
        );
        (evaluation, self.group_sums)
    }
}

#[cfg(test)]
mod tests;
