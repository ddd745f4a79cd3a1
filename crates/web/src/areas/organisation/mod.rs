//! The organisation: departments, districts and streets, departments' parts in projects, the
//! accounts with their roles, and giving or taking back a role.

pub mod api;
pub mod pages;

use axum::http::Method;
use axum::routing::{get, post};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::openapi::error_schema;

/// The organisation and its accounts with their roles: internal, for those who oversee (the
/// administrator, the office and auditors).
const OVERSEE_INTERNAL: Rule = Rule::new(Action::Oversee, GradeOf::Fixed(Grade::Internal));

/// Giving and taking back roles: internal, for the whole city (the administrator and the
/// coordination office).
const CHANGE_INTERNAL: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/organisation",
            OVERSEE_INTERNAL,
            get(pages::organisation_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/organisation",
            OVERSEE_INTERNAL,
            get(api::organisation_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/organisation/roles",
            CHANGE_INTERNAL.with_form(),
            post(pages::role_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/roles",
            CHANGE_INTERNAL,
            post(api::role_api::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    json!({
        "paths": {
            "/api/v1/organisation": {"get": {"summary": "Departments, districts and streets, departments' parts in projects, and the accounts with their roles (internal)", "responses": {"200": {"description": "The organisation"}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/roles": {"post": {"summary": "Give (grant: true) or take back a role within a scope (empty: the city); nobody changes their own roles; recorded in the audit trail",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["account", "role", "grant"], "properties": {"account": {"type": "string", "minLength": 1, "description": "An existing account"}, "role": {"type": "string", "enum": ["lead_department", "participating_department", "district_officer"], "description": "Roles that read restricted data or run the platform are given on the server's command line only"}, "scope": {"type": "string", "description": "The unit's code (a department, or a district or street)"}, "grant": {"type": "boolean"}}}}}},
                "responses": {"204": {"description": "Done"}, "403": {"description": "Not permitted, or one's own roles", "content": {"application/json": {"schema": error}}}, "409": {"description": "The account does not hold that role", "content": {"application/json": {"schema": error}}}, "422": {"description": "Unknown account or role, or a scope that does not fit the role", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
