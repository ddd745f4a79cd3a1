//! Publishing a project's delivery: the coordination office's signed decision (never edited,
//! only superseded) to make the project's stage, commitments and progress public, or to
//! withdraw them; and what is then public, as JSON. The grade of
//! `GET /api/v1/projects/{code}/delivery` follows that decision; the project page shows the
//! same view (see [`super::public_pages`]).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use minxin_domain::advancement::letter::Letter;
use minxin_domain::advancement::progress::ProgressReport;
use minxin_domain::advancement::public_view::{latest_signed, public_delivery, PublicDelivery};
use minxin_domain::decision::{published, Decision, DecisionKind, NewDecision};
use minxin_domain::platform::Store;
use minxin_domain::subject::Subject;
use serde::Deserialize;

use super::progress::through;
use crate::app::clock::now_ms;
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::areas::publication::api::PublicationRequest;

/// Whether project `code`'s delivery is public by the decision in force.
pub fn is_public<S: Store>(state: &AppState<S>, code: &str) -> bool {
    published(&state.decisions(), &Subject::Project(code.to_string()))
}

/// Records the decision to publish (or withdraw) project `code`'s delivery, signed by the
/// visitor (the route lets only the coordination office through).
pub async fn decide<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    publish: bool,
    statement: &str,
) -> Result<Decision, ApiError> {
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::unauthenticated("请先登录。", "sign in first"))?;
    if state.register().project(code).is_none() {
        return Err(ApiError::not_found(
            "项目库中没有这个项目。",
            format!("the register has no project {code:?}"),
        ));
    }
    let statement = statement.trim();
    if statement.is_empty() || statement.chars().count() > 500 {
        return Err(ApiError::invalid(
            "statement",
            "请填写理由（1 至 500 字）。",
            "the reasons are required (1 to 500 characters)",
        ));
    }
    let subject = Subject::Project(code.to_string());
    let current = state.decision_in_force(&subject);
    let public = current
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    if publish == public {
        return Err(ApiError::conflict(
            if public {
                "该项目的推进情况已经公开。"
            } else {
                "该项目的推进情况尚未公开，无从撤回。"
            },
            format!(
                "the delivery of project {code} is {} already",
                if public { "public" } else { "not public" }
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
            subject,
            decided_by: user.account.clone(),
            decided_by_name: user.display_name.clone(),
            decided_at_ms: now_ms(),
            statement: statement.to_string(),
            supersedes: current.map(|d| d.id),
        })
        .await
}

/// What the public sees of project `code` (or would see, once published), with the latest
/// signed letter and its accepted reports (for the curves).
pub async fn delivery_of<S: Store>(
    state: &AppState<S>,
    code: &str,
) -> Result<(PublicDelivery, Option<(Letter, Vec<ProgressReport>)>), ApiError> {
    let standing = state.store.standing(code).await?;
    let letters = state.store.letters(Some(code)).await?;
    let Some(letter) = latest_signed(&letters).cloned() else {
        let view = public_delivery(
            &standing,
            None,
            &[],
            minxin_domain::advancement::progress::Month::of(super::progress::today()),
        );
        return Ok((view, None));
    };
    let reports = minxin_domain::advancement::public_view::accepted_reports(
        &state.store.reports(code, letter.year).await?,
    );
    let view = public_delivery(&standing, Some(&letter), &reports, through(&letter));
    Ok((view, Some((letter, reports))))
}

/// `GET /api/v1/projects/{code}/delivery`: public once published, internal before.
pub(super) async fn delivery_api<S: Store>(
    State(state): State<AppState<S>>,
    Path(code): Path<String>,
) -> Result<Json<PublicDelivery>, ApiError> {
    if state.register().project(&code).is_none() {
        return Err(ApiError::not_found(
            "项目库中没有这个项目。",
            format!("the register has no project {code:?}"),
        ));
    }
    Ok(Json(delivery_of(&state, &code).await?.0))
}

/// `POST /api/v1/projects/{code}/publication`.
pub(super) async fn publication_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(request): Json<PublicationRequest>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let decision = decide(&state, &visitor, &code, request.publish, &request.statement).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

/// The publication form's fields.
#[derive(Debug, Deserialize)]
pub struct ProjectPublicationForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `publish` or `withdraw`.
    #[serde(default)]
    pub action: String,
    /// The reasons.
    #[serde(default)]
    pub statement: String,
}

/// `POST /projects/{code}/publication`: records the decision and shows the project page.
pub(super) async fn publication_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
    Form(form): Form<ProjectPublicationForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = decide(
        &state,
        &context.visitor,
        &code,
        form.action == "publish",
        &form.statement,
    )
    .await;
    let problems = match outcome {
        Ok(_) => {
            let to = format!("/projects/{code}{}#publication", context.suffix());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error) => super::form_problems(error, context.lang)?,
    };
    Ok(super::pages::render_project(
        &state,
        &context,
        &code,
        super::pages::Posted::Publication(&problems),
    )
    .await?
    .into_response())
}
