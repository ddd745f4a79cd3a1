//! A project's stage and plan through the web: who may do what with a project (the office moves stages and
//! decides modifications; the office or the project's lead department sets the plan before
//! implementation and proposes modifications after), the operations the pages and the API
//! share, and the API's handlers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::access::Role;
use minxin_domain::advancement::stage::{
    Modification, ModificationKind, ProjectPlan, ProjectStanding, ProjectStatus,
};
use minxin_domain::decision::{Decision, DecisionKind, NewDecision};
use minxin_domain::organisation::{ProjectPart, Scope};
use minxin_domain::platform::Store;
use minxin_domain::subject::Subject;
use serde::Deserialize;

use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// What a visitor may do with a project's stage and plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageRights {
    /// Move the stage and decide modifications: the coordination office.
    pub decide: bool,
    /// Set the plan before implementation and propose modifications: the office, or the
    /// project's lead department.
    pub plan: bool,
    /// Act for the project's lead department (sign its letters).
    pub lead: bool,
}

/// What `visitor` may do with project `code`'s stage and plan.
pub fn rights<S: Store>(state: &AppState<S>, visitor: &Visitor, code: &str) -> StageRights {
    let organisation = state.organisation();
    let office = visitor
        .assignments()
        .iter()
        .any(|a| a.role == Role::CoordinationOffice);
    let leads = visitor.assignments().iter().any(|a| match &a.scope {
        Scope::Unit(unit) if a.role == Role::LeadDepartment => {
            organisation.project_departments.iter().any(|link| {
                link.project == code && &link.department == unit && link.part == ProjectPart::Lead
            })
        }
        _ => false,
    });
    StageRights {
        decide: office,
        plan: office || leads,
        lead: leads,
    }
}

/// Refused: the visitor lacks the right.
fn not_yours(zh: &str, en: &str) -> ApiError {
    ApiError::forbidden(zh.to_string(), en.to_string())
}

/// Sets project `code`'s plan, as `visitor` (the office or the lead department).
pub async fn set_plan<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    plan: &ProjectPlan,
) -> Result<(), ApiError> {
    if !rights(state, visitor, code).plan {
        return Err(not_yours(
            "只有市协调办或本项目的牵头部门可以填报项目计划。",
            "only the coordination office or the project's lead department sets its plan",
        ));
    }
    let problems = plan.problems();
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.set_plan(code, plan, &by).await?)
}

/// Moves project `code` to the stage `to` with the reasons `statement`, as the office: a
/// decision signed with the visitor's name, superseding the stage decision in force.
pub async fn move_stage<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    to: &str,
    statement: &str,
) -> Result<Decision, ApiError> {
    if !rights(state, visitor, code).decide {
        return Err(not_yours(
            "调整项目阶段须由市协调办决定。",
            "only the coordination office moves a project's stage",
        ));
    }
    let Some(to) = ProjectStatus::from_code(to.trim()) else {
        return Err(ApiError::invalid(
            "to",
            "请选择要调整到的阶段。",
            format!("{to:?} is not a project status"),
        ));
    };
    if statement.trim().is_empty() {
        return Err(ApiError::invalid(
            "statement",
            "请写明调整阶段的理由。",
            "a stage decision states its reasons",
        ));
    }
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::unauthenticated("请先登录。", "sign in first"))?;
    let standing = state.store.standing(code).await?;
    state
        .move_stage(&NewDecision {
            kind: DecisionKind::MoveStage(to),
            subject: Subject::ProjectStage(code.to_string()),
            decided_by: user.account.clone(),
            decided_by_name: user.display_name.clone(),
            decided_at_ms: now_ms(),
            statement: statement.trim().to_string(),
            supersedes: standing.stage_decision,
        })
        .await
}

/// Proposes a modification of project `code`'s frozen plan, as the office or the lead
/// department.
pub async fn propose<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    kind: &str,
    reason: &str,
    after: &ProjectPlan,
) -> Result<Modification, ApiError> {
    if !rights(state, visitor, code).plan {
        return Err(not_yours(
            "只有市协调办或本项目的牵头部门可以提出计划变更。",
            "only the coordination office or the project's lead department proposes a modification",
        ));
    }
    let Some(kind) = ModificationKind::from_code(kind.trim()) else {
        return Err(ApiError::invalid(
            "kind",
            "请选择变更类型（工期、投资或内容）。",
            format!("{kind:?} is not duration, value or scope"),
        ));
    };
    let mut problems = after.problems();
    if reason.trim().is_empty() {
        problems.push(minxin_domain::Problem::new(
            "reason",
            "请写明变更理由。",
            "a modification states its reason",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .propose_modification(code, kind, reason, after, &by)
        .await?)
}

/// Approves or does not approve modification `id` of project `code`, as the office.
pub async fn decide<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    id: i64,
    approve: bool,
    note: &str,
) -> Result<Modification, ApiError> {
    if !rights(state, visitor, code).decide {
        return Err(not_yours(
            "计划变更须由市协调办审批。",
            "only the coordination office decides a modification",
        ));
    }
    let standing = state.store.standing(code).await?;
    if !standing.modifications.iter().any(|m| m.id == id) {
        return Err(ApiError::not_found(
            "本项目没有这项计划变更。",
            format!("project {code:?} has no modification {id}"),
        ));
    }
    if !approve && note.trim().is_empty() {
        return Err(ApiError::invalid(
            "note",
            "不批准时请写明理由。",
            "not approving states the reason",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .decide_modification(id, approve, note, &by)
        .await?)
}

pub(super) async fn standing_api<S: Store>(
    State(state): State<AppState<S>>,
    Path(code): Path<String>,
) -> Result<Json<ProjectStanding>, ApiError> {
    Ok(Json(state.store.standing(&code).await?))
}

pub(super) async fn plan_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(plan): Json<ProjectPlan>,
) -> Result<StatusCode, ApiError> {
    set_plan(&state, &visitor, &code, &plan).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of `POST /api/v1/projects/{code}/stage`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageMove {
    /// The status to move to.
    pub to: String,
    /// The reasons.
    pub statement: String,
}

pub(super) async fn stage_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(body): Json<StageMove>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let decision = move_stage(&state, &visitor, &code, &body.to, &body.statement).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

/// The body of `POST /api/v1/projects/{code}/modifications`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModificationProposal {
    /// `duration`, `value` or `scope`.
    pub kind: String,
    /// Why.
    pub reason: String,
    /// The plan proposed (its part of the kind is taken).
    pub plan: ProjectPlan,
}

pub(super) async fn propose_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(body): Json<ModificationProposal>,
) -> Result<(StatusCode, Json<Modification>), ApiError> {
    let proposed = propose(
        &state,
        &visitor,
        &code,
        &body.kind,
        &body.reason,
        &body.plan,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(proposed)))
}

/// The body of `POST /api/v1/projects/{code}/modifications/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModificationDecision {
    /// Approve (true) or not.
    pub approve: bool,
    /// The office's note; required when not approving.
    #[serde(default)]
    pub note: String,
}

pub(super) async fn decide_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((code, id)): Path<(String, i64)>,
    Json(body): Json<ModificationDecision>,
) -> Result<Json<Modification>, ApiError> {
    Ok(Json(
        decide(&state, &visitor, &code, id, body.approve, &body.note).await?,
    ))
}
