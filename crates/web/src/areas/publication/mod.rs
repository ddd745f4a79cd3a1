//! Publication: the coordination office's signed decision to publish a closed wave's results or
//! withdraw them, and the list of decisions.

pub mod api;
pub mod pages;

use axum::http::Method;
use axum::routing::{get, post};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::openapi::{error_schema, id_parameter};

/// Publishing or withdrawing a wave's results: only the coordination office.
const PUBLISH: Rule = Rule::new(Action::Publish, GradeOf::Fixed(Grade::Internal));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/publication",
            PUBLISH,
            get(pages::decision_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/publication",
            PUBLISH.with_form(),
            post(pages::publication_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/publication",
            PUBLISH,
            post(api::publication_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/decisions",
            PUBLIC_READ,
            get(api::decisions::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    json!({
        "paths": {
            "/api/v1/waves/{id}/publication": {"post": {"summary": "Publish a closed wave's results, or withdraw them: a decision signed by the coordination office, superseding the one in force, never edited",
                "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["publish", "statement"], "additionalProperties": false, "properties": {"publish": {"type": "boolean"}, "statement": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"}}}}}},
                "responses": {"201": {"description": "The decision recorded"}, "403": {"description": "Only the coordination office publishes", "content": {"application/json": {"schema": error}}}, "409": {"description": "Not closed, or already in that state", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/decisions": {"get": {"summary": "Every major decision in the order recorded, with the responsible person and the decision it supersedes (a project's stage decisions only for those who follow the project)", "security": [], "responses": {"200": {"description": "Decisions"}}}}
        },
        "components": {"schemas": {

        }}
    })
}
