//! The JSON API of results: a wave's evaluation, a project's and a district's view, the
//! comparison of two waves and the weighted evaluation.

use axum::extract::{Path, Query, State};
use axum::Extension;
use axum::Json;
use minxin_domain::evaluation::{WaveComparison, WeightedEvaluation};
use minxin_domain::platform::Store;
use minxin_domain::EvaluationOptions;
use serde::Deserialize;
use serde_json::{json, Value};

use super::analysis::{
    comparison, district_view, for_visitor, project_view, robustness_view, sees_published_outputs,
    weighted_comparison, DistrictView, ProjectView, DEFAULT_REPLICATES,
};
use crate::app::error::ApiError;
use crate::app::guard::ComparedWaves;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// Query of `GET /api/v1/waves/{id}/evaluation`.
#[derive(Debug, Deserialize)]
pub struct EvaluationQuery {
    /// Minimum respondents of a reliable project (default 30).
    #[serde(default)]
    pub min_respondents: Option<u64>,
}

pub(super) async fn evaluation<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<EvaluationQuery>,
) -> Result<Json<Value>, ApiError> {
    let wave = state.wave(id)?;
    let default = EvaluationOptions::default().minimum_respondents;
    let asked = query.min_respondents.unwrap_or(default);
    // The public cannot lower the bar below which a project is marked not reliable.
    let minimum_respondents = if sees_published_outputs(&state, &visitor) {
        asked.max(default)
    } else {
        asked
    };
    let options = EvaluationOptions {
        minimum_respondents,
        ..wave.options()
    };
    let (evaluation, updated_at_ms) = wave.evaluation(&options);
    let evaluation = for_visitor(&state, &visitor, evaluation);
    let mut value =
        serde_json::to_value(&evaluation).map_err(|e| ApiError::Internal(e.to_string()))?;
    value["as_of_ms"] = json!(updated_at_ms);
    value["wave_id"] = json!(id);
    Ok(Json(value))
}

pub(super) async fn district<S: Store>(
    State(state): State<AppState<S>>,
    Path((id, district)): Path<(i64, String)>,
) -> Result<Json<DistrictView>, ApiError> {
    Ok(Json(district_view(&state, id, &district)?))
}

pub(super) async fn project<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(project_view(&state, &visitor, id, &code)?))
}

/// How to compare two waves (the waves themselves, `before` and `after`, are read by the
/// guard: [`ComparedWaves`]).
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    /// Weight both waves to the census (standard errors from the bootstrap).
    #[serde(default)]
    pub weighted: bool,
    /// Bootstrap replicates of each wave when weighted (default 1000).
    pub replicates: Option<usize>,
}

pub(super) async fn compare<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Extension(waves): Extension<ComparedWaves>,
    Query(query): Query<CompareQuery>,
) -> Result<Json<WaveComparison>, ApiError> {
    let required = |wave: Option<i64>, name: &str| {
        wave.ok_or_else(|| {
            ApiError::invalid(
                name,
                "请选择要对比的一轮评价。",
                "the wave to compare is required",
            )
        })
    };
    let before = required(waves.before, "before")?;
    let after = required(waves.after, "after")?;
    if query.weighted {
        let replicates = query.replicates.unwrap_or(DEFAULT_REPLICATES);
        return Ok(Json(
            weighted_comparison(&state, &visitor, before, after, replicates).await?,
        ));
    }
    Ok(Json(comparison(&state, &visitor, before, after)?))
}

/// Query of the weighted evaluation: bootstrap replicates and their seed.
#[derive(Debug, Deserialize)]
pub struct RobustnessQuery {
    /// Bootstrap replicates (default 1000; 0 for weighted scores only).
    pub replicates: Option<usize>,
    /// Seed of the draws (default 1).
    pub seed: Option<u64>,
}

pub(super) async fn robustness<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<RobustnessQuery>,
) -> Result<Json<WeightedEvaluation>, ApiError> {
    let (_, weighted) = robustness_view(
        &state,
        &visitor,
        id,
        query.replicates.unwrap_or(DEFAULT_REPLICATES),
        query.seed.unwrap_or(1),
    )
    .await?;
    Ok(Json(weighted))
}
