//! File import into a wave: the response interchange format (CSV or XLSX) by the API, the upload
//! form and `minxin import`.

pub mod api;
pub mod pages;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::openapi::{error_schema, id_parameter};

/// The largest file an import accepts, in bytes (other requests keep the default limit).
pub const MAX_IMPORT_BYTES: usize = 256 << 20;

/// Importing responses into a wave: a change of the wave's intake, internal, for the whole
/// city (the administrator and the coordination office).
pub const IMPORT_RULE: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/import",
            IMPORT_RULE,
            post(api::import::<S>).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/import",
            IMPORT_RULE,
            get(pages::import_page::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/import",
            IMPORT_RULE.with_form(),
            post(pages::import_upload::<S>).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    json!({
        "paths": {
            "/api/v1/waves/{id}/import": {"post": {"summary": "Import a response file (the CSV interchange format) into an open wave in one transaction; all or nothing unless keep_valid=true",
                "parameters": [id, {"name": "keep_valid", "in": "query", "required": false, "schema": {"type": "boolean"}}],
                "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string", "minLength": 1, "description": "A header row, then rows of the interchange format"}}}},
                "responses": {"200": {"description": "Imported: counts of rows, respondents, created, replaced, already stored, rejected, and the rejections", "content": {"application/json": {"schema": {"type": "object"}}}},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "409": {"description": "Wave not open", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "Bad header, or rejected rows (each with row, column, reason) and nothing imported", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
