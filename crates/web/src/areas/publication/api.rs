//! Deciding publication (for the form and the API) and the public list of decisions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::access::{Action, Grade};
use minxin_domain::decision::{Decision, DecisionKind, NewDecision};
use minxin_domain::organisation::{allows, Target};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::subject::Subject;
use serde::Deserialize;

use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// The body of `POST /api/v1/waves/{id}/publication`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationRequest {
    /// Publish (true) or withdraw (false) the results.
    pub publish: bool,
    /// The reasons.
    pub statement: String,
}

/// Records the decision to publish or withdraw wave `id`'s results, signed by the visitor.
pub(super) async fn decide_publication<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    publish: bool,
    statement: &str,
) -> Result<Decision, ApiError> {
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::unauthenticated("请先登录。", "sign in first"))?;
    let wave = state.wave(id)?;
    let statement = statement.trim();
    if statement.is_empty() || statement.chars().count() > 500 {
        return Err(ApiError::invalid(
            "statement",
            "请填写理由（1 至 500 字）。",
            "the reasons are required (1 to 500 characters)",
        ));
    }
    let current = state.publication(id);
    let published = current
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    if publish == published {
        return Err(ApiError::conflict(
            if published {
                "本次调查的结果已经发布。"
            } else {
                "本次调查的结果尚未发布，无从撤回。"
            },
            format!(
                "the results of wave {id} are {} already",
                if published {
                    "published"
                } else {
                    "not published"
                }
            ),
        ));
    }
    if publish && wave.status() != WaveStatus::Closed {
        return Err(ApiError::conflict(
            "只有已结束的调查才能发布结果，请先结束答卷。",
            format!(
                "wave {id} is {}: only a closed wave's results are published",
                wave.status().code()
            ),
        ));
    }
    state
        .record_decision(&NewDecision {
            kind: if publish {
                DecisionKind::PublishResults
            } else {
                DecisionKind::WithdrawResults
            },
            subject: Subject::Wave(id),
            decided_by: user.account.clone(),
            decided_by_name: user.display_name.clone(),
            decided_at_ms: now_ms(),
            statement: statement.to_string(),
            supersedes: current.map(|d| d.id),
        })
        .await
}

pub(super) async fn publication_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(request): Json<PublicationRequest>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let decision =
        decide_publication(&state, &visitor, id, request.publish, &request.statement).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

pub(super) async fn decisions<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Json<Vec<Decision>> {
    // Publishing and withdrawing are public acts; a project's stage decisions are read by
    // those who follow the project.
    let organisation = state.organisation();
    let shown = state
        .decisions()
        .into_iter()
        .filter(|decision| match &decision.decision.subject {
            Subject::ProjectStage(code) => allows(
                &organisation,
                visitor.assignments(),
                Action::Read,
                Grade::Internal,
                &Target::Delivery(code.clone()),
            ),
            _ => true,
        })
        .collect();
    Json(shown)
}
