//! The audit trail: its page and API for the coordination office, evaluators and auditors, its
//! CSV export (itself recorded), and its public anchor.

pub mod api;
pub mod pages;
pub mod recorded;

use axum::http::Method;
use axum::routing::get;
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::openapi::error_schema;

/// The audit trail, read or exported: restricted, for those who oversee (the office and
/// auditors), not for everyone who reads restricted data.
const OVERSEE_RESTRICTED: Rule = Rule::new(Action::Oversee, GradeOf::Fixed(Grade::Restricted));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/audit",
            OVERSEE_RESTRICTED,
            get(pages::audit_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit",
            OVERSEE_RESTRICTED,
            get(api::audit_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit/head",
            PUBLIC_READ,
            get(api::audit_head::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit.csv",
            OVERSEE_RESTRICTED,
            get(api::audit_csv::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    json!({
        "paths": {
            "/api/v1/audit": {"get": {"summary": "The audit trail with its verification (restricted: coordination office, evaluators, auditors)", "responses": {"200": {"description": "Entries and whether the hash chain is intact"}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/audit/head": {"get": {"summary": "The audit trail's head as an anchor (COUNT:HASH) anyone may record; it reveals no entry, and shows later whether the trail was rewritten since (minxin audit verify --anchor)", "security": [], "responses": {"200": {"description": "The anchor", "content": {"application/json": {"schema": {"type": "object", "required": ["count", "anchor"]}}}}}}},
            "/api/v1/audit.csv": {"get": {"summary": "Export the audit trail as CSV (restricted; the export is recorded in the trail)", "responses": {"200": {"description": "The file", "content": {"text/csv": {}}}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
