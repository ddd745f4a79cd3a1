//! The project register: the city's livelihood projects, who leads them, who takes part and
//! where they are delivered, as pages, downloads and JSON; and loading a new register (the
//! coordination office or the administrator, audited).

pub mod api;
pub mod pages;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, put};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::openapi::error_schema;

/// The register: public, as the city announces its programme.
const READ_PUBLIC: Rule = Rule::new(Action::Read, GradeOf::Fixed(Grade::Public));

/// The register as a file: public.
const EXPORT_PUBLIC: Rule = Rule::new(Action::Export, GradeOf::Fixed(Grade::Public));

/// Loading a register changes the city's programme: internal, for the whole city.
const CHANGE_INTERNAL: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// The largest register file accepted (a thousand projects fit in far less).
const MAX_REGISTER_BYTES: usize = 8 * 1024 * 1024;

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/projects",
            READ_PUBLIC,
            get(pages::projects_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects/{code}",
            READ_PUBLIC,
            get(pages::project_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects.xlsx",
            EXPORT_PUBLIC,
            get(pages::register_workbook::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects.csv",
            EXPORT_PUBLIC,
            get(pages::register_csv::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects",
            READ_PUBLIC,
            get(api::projects_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}",
            READ_PUBLIC,
            get(api::project_api::<S>),
        ),
        RouteEntry::new(
            Method::PUT,
            "/api/v1/register",
            CHANGE_INTERNAL,
            put(api::register_api::<S>).layer(DefaultBodyLimit::max(MAX_REGISTER_BYTES)),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let department = json!({"type": "object", "required": ["code", "name_zh", "name_en"], "properties": {
        "code": {"type": "string"}, "name_zh": {"type": "string"}, "name_en": {"type": "string"},
        "duty_zh": {"type": "string"}, "duty_en": {"type": "string"}}});
    let project = json!({"type": "object",
    "required": ["code", "name_zh", "name_en", "leader_zh", "steering", "steering_zh", "lead_department", "start_year", "lead", "participating", "districts", "districts_named"],
    "properties": {
        "code": {"type": "string", "description": "Stable: survey catalogues, URLs and open data use it"},
        "name_zh": {"type": "string"}, "name_en": {"type": "string"},
        "summary_zh": {"type": "string"}, "summary_en": {"type": "string"},
        "description_zh": {"type": "string"}, "description_en": {"type": "string"},
        "leader_zh": {"type": "string", "description": "The responsible city leader (责任市领导)"}, "leader_en": {"type": "string"},
        "steering": {"type": "string", "enum": ["leading_group", "task_force"], "description": "A leading group (领导小组) or a task force (工作专班)"},
        "steering_zh": {"type": "string"}, "steering_en": {"type": "string"},
        "lead_department": {"type": "string"},
        "participant": {"type": "array", "items": {"type": "object", "properties": {"department": {"type": "string"}, "duty_zh": {"type": "string"}, "duty_en": {"type": "string"}}}},
        "districts": {"type": "array", "items": {"type": "string"}},
        "start_year": {"type": "integer"},
        "lead": {"$ref": "#/components/schemas/RegisterDepartment"},
        "participating": {"type": "array", "items": {"$ref": "#/components/schemas/RegisterDepartment"}},
        "districts_named": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "name_zh": {"type": "string"}, "name_en": {"type": "string"}}}}
    }});
    json!({
        "paths": {
            "/api/v1/projects": {"get": {"summary": "The project register: every project with its city leader, steering body, lead and participating departments (with duties) and districts, in the city's order (public)",
                "responses": {"200": {"description": "The projects", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/RegisteredProject"}}}}}}}},
            "/api/v1/projects/{code}": {"get": {"summary": "One project of the register, with the citizens' evaluation of it in every wave that includes it whose figures the reader may see",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The project", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/RegisteredProject"}, {"type": "object", "properties": {"evaluation": {"type": "array", "items": {"type": "object"}}}}]}}}},
                    "404": {"description": "No such project", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/register": {"put": {"summary": "Load a whole register (TOML, or an XLSX workbook with the sheets 部门, 项目 and 配合部门): departments added or renamed, projects added or replaced, each change audited; a project the file leaves out is kept. All or nothing: every problem is listed by field, or by sheet, row and column",
                "requestBody": {"required": true, "content": {"application/toml": {"schema": {"type": "string"}}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": {"description": "What changed", "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "added": {"type": "array", "items": {"type": "string"}}, "changed": {"type": "array", "items": {"type": "string"}},
                        "unchanged": {"type": "array", "items": {"type": "string"}}, "kept": {"type": "array", "items": {"type": "string"}}}}}}},
                    "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}},
                    "409": {"description": "Refused: a department's code is a district's, or a project names an unknown department", "content": {"application/json": {"schema": error}}},
                    "422": {"description": "The file's problems, each naming its field", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {
            "RegisterDepartment": department,
            "RegisteredProject": project
        }}
    })
}
