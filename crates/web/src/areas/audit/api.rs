//! The audit trail as JSON and CSV, verified, and its head as an anchor.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use minxin_domain::audit::{verify, AuditAction, AuditEntry, AuditHead, NewAuditEntry};
use minxin_domain::platform::Store;
use minxin_domain::subject::Subject;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::attachment::csv_response;
use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

pub(super) fn entry_json(entry: &AuditEntry) -> Value {
    json!({
        "sequence": entry.sequence,
        "at_ms": entry.change.at_ms,
        "actor": entry.change.actor,
        "action": entry.change.action,
        "subject": entry.change.subject,
        "before": entry.change.before,
        "after": entry.change.after,
        "hash": minxin_domain::hex::encode(&entry.hash),
    })
}

/// The trail and what verifying it says.
pub(super) async fn verified_trail<S: Store>(
    state: &AppState<S>,
) -> Result<(Vec<AuditEntry>, Value), ApiError> {
    let (entries, head) = state.store.audit_log().await?;
    let verdict = match verify(&entries, head) {
        Ok(count) => json!({"intact": true, "entries": count}),
        Err(problem) => json!({"intact": false, "problem": problem.to_string()}),
    };
    Ok((entries, verdict))
}

/// `GET /api/v1/audit/head`: the trail's head as an anchor anyone may record (it reveals no
/// entry); an anchor recorded today shows later whether the trail was rewritten since
/// (`minxin audit verify --anchor`).
pub(super) async fn audit_head<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<Value>, ApiError> {
    let head = state.store.audit_head().await?.unwrap_or(AuditHead {
        count: 0,
        hash: [0; 32],
    });
    Ok(Json(json!({
        "count": head.count,
        "anchor": head.anchor(),
        "at_ms": now_ms(),
    })))
}

/// What an auditor narrows the trail to: entries whose actor, action and subject contain the
/// given texts (all entries when none is given). Verification always covers the whole trail.
#[derive(Debug, Deserialize, Default)]
pub struct AuditFilter {
    /// Part of the actor (`office`, `cli:`).
    #[serde(default)]
    pub actor: Option<String>,
    /// Part of the action (`role.`, `decision.`).
    #[serde(default)]
    pub action: Option<String>,
    /// Part of the subject (`wave/3`, `account/li.wei`).
    #[serde(default)]
    pub subject: Option<String>,
    /// Language code (pages).
    #[serde(default)]
    pub lang: Option<String>,
}

impl AuditFilter {
    pub(super) fn keeps(&self, entry: &AuditEntry) -> bool {
        let contains = |wanted: &Option<String>, text: &str| {
            wanted
                .as_deref()
                .map(str::trim)
                .is_none_or(|wanted| text.contains(wanted))
        };
        contains(&self.actor, &entry.change.actor)
            && contains(&self.action, &entry.change.action)
            && contains(&self.subject, &entry.change.subject)
    }
}

pub(super) async fn audit_api<S: Store>(
    State(state): State<AppState<S>>,
    Query(filter): Query<AuditFilter>,
) -> Result<Json<Value>, ApiError> {
    let (entries, verdict) = verified_trail(&state).await?;
    Ok(Json(json!({
        "verification": verdict,
        "entries": entries.iter().filter(|e| filter.keeps(e)).map(entry_json).collect::<Vec<_>>(),
    })))
}

pub(super) async fn audit_csv<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Result<Response, ApiError> {
    let by = visitor.require_attribution()?;
    let (entries, _) = verified_trail(&state).await?;
    state
        .store
        .append_audit(NewAuditEntry::attributed(
            &by,
            AuditAction::AuditExport,
            &Subject::AuditTrail,
            None,
            Some(json!({"entries": entries.len()}).to_string()),
        ))
        .await?;
    let rows = entries.iter().map(|entry| {
        let value = entry_json(entry);
        [
            "sequence", "at_ms", "actor", "action", "subject", "before", "after", "hash",
        ]
        .iter()
        .map(|key| match &value[*key] {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect::<Vec<String>>()
    });
    let mut out = Vec::new();
    minxin_interchange::write_csv_table(
        &mut out,
        &[
            "sequence", "at_ms", "actor", "action", "subject", "before", "after", "hash",
        ],
        rows,
    )
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(csv_response(out, "audit-trail-restricted.csv"))
}
