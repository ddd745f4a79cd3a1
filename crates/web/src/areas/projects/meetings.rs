//! Joint meetings through the web and the API: the office convenes a meeting and, once it is
//! held, records and signs its minutes with the decisions and the action items; the
//! department owning an action item reports it done. Every member unit's staff read the
//! record (the minutes are distributed to all the units of the joint meeting); the store
//! keeps each step audited.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::access::Role;
use minxin_domain::advancement::lights::{milestone_light, Light, LightSettings};
use minxin_domain::advancement::meeting::{
    call_problems, minutes_problems, ActionItem, Known, Meeting, MeetingCall, MeetingMinutes,
    MeetingStatus,
};
use minxin_domain::advancement::progress::MilestoneStatus;
use minxin_domain::calendar::{Day, WorkingDays};
use minxin_domain::organisation::Scope;
use minxin_domain::platform::{Store, StoreError};
use serde::Deserialize;

use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// Whether `visitor` acts for the coordination office.
pub fn is_office(visitor: &Visitor) -> bool {
    visitor
        .assignments()
        .iter()
        .any(|a| a.role == Role::CoordinationOffice)
}

/// Whether `visitor` acts for `unit` (a department's or a district's staff).
pub fn acts_for(visitor: &Visitor, unit: &str) -> bool {
    visitor.assignments().iter().any(|a| {
        matches!(
            a.role,
            Role::LeadDepartment | Role::ParticipatingDepartment | Role::DistrictOfficer
        ) && a.scope == Scope::Unit(unit.to_string())
    })
}

/// The codes of the register's projects and of the organisation's units, for the checks.
fn known_codes<S: Store>(state: &AppState<S>) -> (HashSet<String>, HashSet<String>) {
    let projects = state
        .register()
        .projects
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let units = state
        .organisation()
        .units
        .iter()
        .map(|u| u.code.clone())
        .collect();
    (projects, units)
}

/// Refused unless the visitor is the office.
fn office_only(visitor: &Visitor) -> Result<(), ApiError> {
    if is_office(visitor) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "联席会议由市协调办召集并签发纪要。",
            "the coordination office convenes joint meetings and signs their minutes",
        ))
    }
}

/// Convenes a meeting, as the office.
pub async fn convene<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    call: &MeetingCall,
) -> Result<Meeting, ApiError> {
    office_only(visitor)?;
    let (projects, units) = known_codes(state);
    let problems = call_problems(
        call,
        &Known {
            projects: &projects,
            units: &units,
        },
    );
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.convene_meeting(call, &by).await?)
}

/// Records and signs the minutes of meeting `id`, as the office, with the signer's name.
pub async fn record_minutes<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    minutes: &MeetingMinutes,
) -> Result<Meeting, ApiError> {
    office_only(visitor)?;
    let meeting = find(state, id).await?;
    let held_on = Day::parse(&meeting.call.held_on).ok_or_else(|| {
        ApiError::conflict("会议日期无法识别。", "the meeting's date is unreadable")
    })?;
    let (projects, units) = known_codes(state);
    let problems = minutes_problems(
        minutes,
        held_on,
        &Known {
            projects: &projects,
            units: &units,
        },
    );
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::unauthenticated("请先登录。", "sign in first"))?;
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .record_minutes(id, minutes, &user.display_name, &by)
        .await?)
}

/// Reports action item `number` of meeting `id` done, as the department that owns it.
pub async fn complete<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    number: i64,
    note: &str,
) -> Result<Meeting, ApiError> {
    let meeting = find(state, id).await?;
    let Some(action) = meeting.actions.iter().find(|a| a.number == number) else {
        return Err(ApiError::not_found(
            "没有这一督办事项。",
            format!("meeting {id} has no action item {number}"),
        ));
    };
    if !acts_for(visitor, &action.action.department) {
        return Err(ApiError::forbidden(
            "督办事项由责任单位报告完成。",
            "the owning department reports an action item done",
        ));
    }
    if note.trim().is_empty() {
        return Err(ApiError::invalid(
            "note",
            "请写明完成情况。",
            "the report says what was done",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.complete_action(id, number, note, &by).await?)
}

/// An action item's light `today`: red once overdue, blue within the warning window, none
/// once done (a date the calendar cannot count is shown without a light).
pub fn action_light(action: &ActionItem, today: Day) -> Option<Light> {
    let due = Day::parse(&action.action.due)?;
    let status = action.completed.as_ref().map(|_| MilestoneStatus::Met);
    milestone_light(
        due,
        status,
        false,
        today,
        &WorkingDays::shipped(),
        LightSettings::default(),
    )
    .ok()
    .flatten()
}

/// The meeting `id`, or not found.
pub async fn find<S: Store>(state: &AppState<S>, id: i64) -> Result<Meeting, ApiError> {
    match state.store.meeting(id).await {
        Err(StoreError::Declined(_)) => Err(ApiError::not_found(
            "没有这次联席会议。",
            format!("no joint meeting {id}"),
        )),
        found => Ok(found?),
    }
}

/// How many of the meeting's action items are still open.
pub fn open_actions(meeting: &Meeting) -> usize {
    meeting
        .actions
        .iter()
        .filter(|a| a.completed.is_none())
        .count()
}

/// Whether the meeting is minuted (its record is final).
pub fn minuted(meeting: &Meeting) -> bool {
    meeting.status == MeetingStatus::Minuted
}

pub(super) async fn meetings_api<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<Vec<Meeting>>, ApiError> {
    Ok(Json(state.store.meetings().await?))
}

pub(super) async fn meeting_api<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(find(&state, id).await?))
}

pub(super) async fn convene_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(call): Json<MeetingCall>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    let meeting = convene(&state, &visitor, &call).await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

pub(super) async fn minutes_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(minutes): Json<MeetingMinutes>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(record_minutes(&state, &visitor, id, &minutes).await?))
}

/// The body of `POST /api/v1/meetings/{id}/actions/{number}/complete`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDone {
    /// What was done.
    pub note: String,
}

pub(super) async fn complete_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((id, number)): Path<(i64, i64)>,
    Json(body): Json<ActionDone>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(
        complete(&state, &visitor, id, number, &body.note).await?,
    ))
}
