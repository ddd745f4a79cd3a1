//! The views behind a project page, a comparison of two waves and a wave's weighted
//! evaluation, shared by the pages and the JSON API. All come from the live tallies and group
//! sums; nothing here reads responses.

use minxin_domain::evaluation::{
    compare_waves, district_breakdown, weighted_evaluation, DistrictCell, Margins,
    ProjectEvaluation, RobustnessOptions, WaveComparison, WeightedEvaluation, DEFAULT_MINIMUM_CELL,
};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::{Evaluation, EvaluationOptions};
use serde::Serialize;

use crate::error::ApiError;
use crate::guard::{may_read, GradeOf};
use crate::session::Visitor;
use crate::state::AppState;

/// One wave's result for a project, for its trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendEntry {
    /// The wave's identifier.
    pub wave_id: i64,
    /// The wave's name.
    pub wave: String,
    /// The project's evaluation in that wave.
    pub project: ProjectEvaluation,
}

/// Everything a project page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    /// The wave the page is about.
    pub wave_id: i64,
    /// Its name.
    pub wave: String,
    /// When the wave's newest response arrived, milliseconds since the Unix epoch.
    pub as_of_ms: i64,
    /// The project in this wave.
    pub project: ProjectEvaluation,
    /// Cells with fewer respondents are suppressed.
    pub minimum_cell: u64,
    /// The project by district in this wave.
    pub districts: Vec<DistrictCell>,
    /// The project in every wave (not drafts) that includes it, oldest first.
    pub trend: Vec<TrendEntry>,
}

/// The project with `code` in wave `wave_id`, with its district breakdown and trend (the waves
/// `visitor` may read).
pub fn project_view<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave_id: i64,
    code: &str,
) -> Result<ProjectView, ApiError> {
    let wave = state.wave(wave_id)?;
    let options = EvaluationOptions::default();
    let position = wave
        .model
        .configuration
        .catalogue
        .projects
        .iter()
        .position(|p| p.code == code)
        .ok_or_else(|| ApiError::NotFound(format!("wave {wave_id} has no project {code:?}")))?;
    let snapshot = wave.snapshot();
    let evaluation = wave.evaluate(&snapshot, &options);
    let districts = district_breakdown(
        &wave.model.configuration,
        &snapshot.tallies,
        position,
        DEFAULT_MINIMUM_CELL,
        options.confidence,
    );
    let mut trend = Vec::new();
    for other in state.waves().into_iter().rev() {
        // The trend shows each visitor the waves whose figures they may read.
        if other.status() == WaveStatus::Draft
            || !may_read(
                state,
                visitor,
                GradeOf::ProjectResults,
                other.id(),
                Some(code),
            )
        {
            continue;
        }
        let (other_evaluation, _) = if other.id() == wave_id {
            (evaluation.clone(), 0)
        } else {
            other.evaluation(&options)
        };
        if let Some(project) = take_project(other_evaluation, code) {
            trend.push(TrendEntry {
                wave_id: other.id(),
                wave: other.name(),
                project,
            });
        }
    }
    Ok(ProjectView {
        wave_id,
        wave: wave.name(),
        as_of_ms: snapshot.updated_at_ms,
        project: evaluation.projects[position].clone(),
        minimum_cell: DEFAULT_MINIMUM_CELL,
        districts,
        trend,
    })
}

fn take_project(evaluation: Evaluation, code: &str) -> Option<ProjectEvaluation> {
    evaluation.projects.into_iter().find(|p| p.code == code)
}

/// The change from wave `before` to wave `after`.
pub fn comparison<S: Store>(
    state: &AppState<S>,
    before: i64,
    after: i64,
) -> Result<WaveComparison, ApiError> {
    if before == after {
        return Err(ApiError::Invalid {
            problems: vec![("after".into(), "choose two different waves".into())],
        });
    }
    let options = EvaluationOptions::default();
    let (earlier, _) = state.wave(before)?.evaluation(&options);
    let (later, _) = state.wave(after)?.evaluation(&options);
    Ok(compare_waves(&earlier, &later))
}

/// The change from wave `before` to wave `after` with both waves weighted to the census and
/// their standard errors from `replicates` bootstrap replicates each.
pub async fn weighted_comparison<S: Store>(
    state: &AppState<S>,
    before: i64,
    after: i64,
    replicates: usize,
) -> Result<WaveComparison, ApiError> {
    if before == after {
        return Err(ApiError::Invalid {
            problems: vec![("after".into(), "choose two different waves".into())],
        });
    }
    if replicates < 2 {
        return Err(ApiError::Invalid {
            problems: vec![(
                "replicates".into(),
                "a weighted comparison needs at least 2 replicates".into(),
            )],
        });
    }
    let (earlier, earlier_weighted) = robustness_view(state, before, replicates, 1).await?;
    let (later, later_weighted) = robustness_view(state, after, replicates, 1).await?;
    Ok(compare_waves(
        &earlier_weighted.applied_to(&earlier),
        &later_weighted.applied_to(&later),
    ))
}

/// Bootstrap replicates of the robustness view unless a request asks otherwise.
pub const DEFAULT_REPLICATES: usize = 1_000;
/// At most this many replicates per request.
pub const MAX_REPLICATES: usize = 10_000;

/// A wave's weighted evaluation: weights raked to the census margins (district and sex) when
/// they fit the wave's codes, equal weights otherwise; `replicates` bootstrap replicates for
/// standard errors, quadrant probabilities and rank intervals. Computed on a blocking thread
/// from a copy of the live group sums.
pub async fn robustness_view<S: Store>(
    state: &AppState<S>,
    wave_id: i64,
    replicates: usize,
    seed: u64,
) -> Result<(Evaluation, WeightedEvaluation), ApiError> {
    if replicates == 1 || replicates > MAX_REPLICATES {
        return Err(ApiError::Invalid {
            problems: vec![(
                "replicates".into(),
                format!("must be 0 or between 2 and {MAX_REPLICATES}, got {replicates}"),
            )],
        });
    }
    let wave = state.wave(wave_id)?;
    let (evaluation, _) = wave.evaluation(&EvaluationOptions::default());
    let groups = wave.groups.lock().expect("group sums lock").clone();
    let configuration = wave.model.configuration.clone();
    tokio::task::spawn_blocking(move || {
        let margins = Margins::census_2020(&configuration)
            .ok()
            .filter(|m| m.variables() == groups.layout().variables);
        let options = RobustnessOptions {
            replicates,
            seed,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            ..RobustnessOptions::default()
        };
        weighted_evaluation(
            &configuration,
            &groups,
            margins.as_ref(),
            &evaluation,
            &options,
        )
        .map(|weighted| (evaluation, weighted))
        .map_err(|error| ApiError::Conflict(format!("no weighted evaluation yet: {error}")))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the weighted evaluation failed: {e}")))?
}
