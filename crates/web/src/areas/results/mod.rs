//! Results: a wave's live evaluation (dashboard, JSON), a project's and a district's view, the
//! comparison of two waves, the weighted and robustness view, the printable report and the
//! aggregate downloads.

pub mod analysis;
pub mod api;
pub mod dashboard;
pub mod downloads;
pub mod pages;
pub mod summary;

use axum::http::Method;
use axum::routing::get;
use minxin_domain::access::Action;
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::openapi::{error_schema, id_parameter};

/// Reading a wave's results (public once published).
const READ_RESULTS: Rule = Rule::new(Action::Read, GradeOf::WaveResults);

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/waves/{id}",
            READ_RESULTS,
            get(dashboard::dashboard::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/projects/{code}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_project("code"),
            get(pages::project_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/districts/{district}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_district("district"),
            get(pages::district_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/report",
            READ_RESULTS,
            get(pages::report_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/robustness",
            READ_RESULTS,
            get(pages::robustness_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/compare",
            Rule::new(Action::Read, GradeOf::Comparison),
            get(pages::compare_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/evaluation",
            Rule::new(Action::Read, GradeOf::WaveResults),
            get(api::evaluation::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/projects/{code}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_project("code"),
            get(api::project::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/districts/{district}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_district("district"),
            get(api::district::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/compare",
            Rule::new(Action::Read, GradeOf::Comparison),
            get(api::compare::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/robustness",
            Rule::new(Action::Read, GradeOf::WaveResults),
            get(api::robustness::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/aggregates.{format}",
            Rule::new(Action::Export, GradeOf::WaveResults),
            get(downloads::download::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    json!({
        "paths": {
            "/api/v1/waves/{id}/evaluation": {"get": {"summary": "The live evaluation of a wave (the fields of `minxin evaluate --format json`, plus as_of_ms)", "parameters": [id, {"name": "min_respondents", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}],
                "responses": {"200": {"description": "Evaluation", "content": {"application/json": {"schema": {"type": "object", "required": ["cut_points", "profile", "projects", "as_of_ms"]}}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/projects/{code}": {"get": {"summary": "One project in one wave: its evaluation with index intervals, its scores by district (cells under minimum_cell respondents suppressed) and its results in every wave that includes it",
                "parameters": [id, {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The project view", "content": {"application/json": {"schema": {"type": "object", "required": ["wave_id", "wave", "as_of_ms", "project", "minimum_cell", "districts", "trend"]}}}},
                              "404": {"description": "No such wave or project", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/districts/{district}": {"get": {"summary": "One district in one wave: each project's indices among the district's respondents (cells under minimum_cell respondents suppressed, as on the project pages); public once the wave is published, before that for the district's officers and the city's staff",
                "parameters": [id, {"name": "district", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The district view", "content": {"application/json": {"schema": {"type": "object", "required": ["wave_id", "district", "minimum_cell", "projects"]}}}},
                              "404": {"description": "No such wave or district", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/compare": {"get": {"summary": "The change of each index per project between two waves, with intervals, and the quadrant moves",
                "parameters": [{"name": "before", "in": "query", "required": true, "schema": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX}}, {"name": "after", "in": "query", "required": true, "schema": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX}},
                               {"name": "weighted", "in": "query", "required": false, "schema": {"type": "boolean"}, "description": "weight both waves to the 2020 census; standard errors from each wave's bootstrap"},
                               {"name": "replicates", "in": "query", "required": false, "description": "2 to 1000; staff who read unpublished figures may ask for up to 10000", "schema": {"type": "integer", "minimum": 2, "maximum": 1000}}],
                "responses": {"200": {"description": "The comparison", "content": {"application/json": {"schema": {"type": "object", "required": ["before", "after", "confidence", "projects", "unmatched"]}}}},
                              "400": {"description": "Missing or malformed wave identifiers"},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "The same wave twice", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/robustness": {"get": {"summary": "The weighted evaluation of a wave: weights raked to the 2020 census by district and sex, weighted indices with bootstrap standard errors and percentile intervals, quadrant probabilities (cut points re-estimated in every replicate), rank intervals and the uncertain flag",
                "parameters": [id, {"name": "replicates", "in": "query", "required": false, "description": "0 (weighted scores only), or 2 to 1000; staff who read unpublished figures may ask for up to 10000", "schema": {"type": "integer", "anyOf": [{"const": 0}, {"minimum": 2, "maximum": 1000}]}}, {"name": "seed", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}],
                "responses": {"200": {"description": "The weighted evaluation", "content": {"application/json": {"schema": {"type": "object", "required": ["weighting", "replicates", "seed", "certainty", "confidence", "groups", "projects"]}}}},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "409": {"description": "The wave cannot be weighted yet (a margin category without respondents)", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "Replicates out of range", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/aggregates.{format}": {"get": {"summary": "Download the aggregates, one row per project (indices, ranks, quadrant, gap, dimension scores)",
                "parameters": [id, {"name": "format", "in": "path", "required": true, "schema": {"type": "string", "enum": ["csv", "xlsx", "json"]}}],
                "responses": {"200": {"description": "The file", "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "application/json": {}}},
                              "404": {"description": "No such wave or format", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
