//! Microdata: a wave's responses in the interchange format, respondents known by their keyed hash
//! only, for those who may export restricted data; each export is recorded.

pub mod api;

use axum::http::Method;
use axum::routing::get;
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::openapi::{error_schema, id_parameter};

const EXPORT_RESTRICTED: Rule = Rule::new(Action::Export, GradeOf::Fixed(Grade::Restricted));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![RouteEntry::new(
        Method::GET,
        "/api/v1/waves/{id}/responses.csv",
        EXPORT_RESTRICTED,
        get(api::microdata::<S>),
    )]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    json!({
        "paths": {
            "/api/v1/waves/{id}/responses.csv": {"get": {"summary": "Export a wave's responses in the interchange format, respondents known by their keyed hash only (restricted; the export is recorded in the audit trail)", "parameters": [id], "responses": {"200": {"description": "The file", "content": {"text/csv": {}}}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
