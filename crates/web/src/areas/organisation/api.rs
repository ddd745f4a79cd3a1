//! The organisation as JSON, and role changes (for the form and the API).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::Store;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

pub(super) async fn organisation_json<S: Store>(state: &AppState<S>) -> Result<Value, ApiError> {
    let organisation = state.store.organisation().await?;
    let assignments = state.store.assignments().await?;
    let mut accounts: Vec<Value> = Vec::new();
    let mut names: Vec<&String> = assignments.iter().map(|(name, _)| name).collect();
    names.dedup();
    for name in names {
        let roles: Vec<Value> = assignments
            .iter()
            .filter(|(holder, _)| holder == name)
            .map(|(_, a)| json!({"role": a.role, "scope": a.scope.to_string()}))
            .collect();
        let disabled = state
            .store
            .account(name)
            .await?
            .is_some_and(|account| account.disabled);
        accounts.push(json!({"name": name, "disabled": disabled, "roles": roles}));
    }
    Ok(json!({
        "units": organisation.units,
        "project_departments": organisation.project_departments,
        "accounts": accounts,
    }))
}

pub(super) async fn organisation_api<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(organisation_json(&state).await?))
}

/// A change of someone's roles, from the form or the API.
#[derive(Debug, Deserialize)]
pub struct RoleChange {
    /// The account.
    pub account: String,
    /// The role's code (`lead_department`, ...).
    pub role: String,
    /// The unit's code; empty for the whole city.
    #[serde(default)]
    pub scope: String,
    /// Give (true) or take back (false).
    pub grant: bool,
}

/// Gives or takes back a role, attributed to the visitor. Nobody changes their own roles, so
/// that no one can raise their own access (an administrator cannot make themselves an
/// auditor, say).
pub(super) async fn change_role<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    change: &RoleChange,
) -> Result<(), ApiError> {
    let by = visitor.require_attribution()?;
    if change.account == by.actor {
        return Err(ApiError::forbidden(
            "不能更改自己的角色，请由另一位管理员办理。",
            "nobody changes their own roles; ask another administrator",
        ));
    }
    if state.store.account(&change.account).await?.is_none() {
        return Err(ApiError::invalid(
            "account",
            format!("找不到账号“{}”。", change.account),
            format!("no account named {:?}", change.account),
        ));
    }
    let role = change
        .role
        .parse()
        .map_err(|message: String| ApiError::invalid("role", "所选角色不存在。", message))?;
    let assignment = Assignment {
        role,
        scope: Scope::from_code(change.scope.trim()),
    };
    state
        .organisation()
        .check_delegation(visitor.assignments(), &assignment)
        .map_err(|refused| {
            ApiError::forbidden(
                "您只能在自己的职责范围内授予或收回角色。",
                refused.to_string(),
            )
        })?;
    if change.grant {
        state
            .organisation()
            .check_assignment(&assignment)
            .map_err(|e| {
                ApiError::invalid(
                    "scope",
                    "该角色须落在对应的部门、区或街道上，所选范围不符。",
                    e.to_string(),
                )
            })?;
        state.store.grant(&change.account, &assignment, &by).await?;
    } else if !state
        .store
        .revoke(&change.account, &assignment, &by)
        .await?
    {
        return Err(ApiError::conflict(
            format!("账号“{}”并不担任该角色。", change.account),
            format!(
                "{} does not hold {} ({})",
                change.account, assignment.role, assignment.scope
            ),
        ));
    }
    Ok(())
}

pub(super) async fn role_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(change): Json<RoleChange>,
) -> Result<StatusCode, ApiError> {
    change_role(&state, &visitor, &change).await?;
    Ok(StatusCode::NO_CONTENT)
}
