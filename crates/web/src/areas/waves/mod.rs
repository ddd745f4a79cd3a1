//! Waves: the list of waves (the home page), and creating a wave, editing a draft, opening
//! and closing a wave, on the JSON API and on the office's pages (`forms`, `manage`).

pub mod api;
pub mod forms;
pub mod manage;
pub mod pages;

use axum::http::Method;
use axum::routing::{get, post, put};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::openapi::{error_schema, id_parameter};

/// Changing a wave's record (create, open, close): internal, for the whole city.
const CHANGE_WAVES: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        // The list shows each visitor the waves they may read.
        RouteEntry::new(Method::GET, "/", PUBLIC_READ, get(pages::home::<S>)),
        // The list shows each visitor the waves they may read.
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves",
            PUBLIC_READ,
            get(api::list_waves::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves",
            CHANGE_WAVES,
            post(api::create_wave::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}",
            Rule::new(Action::Read, GradeOf::WaveRecord),
            get(api::get_wave::<S>),
        ),
        RouteEntry::new(
            Method::PUT,
            "/api/v1/waves/{id}",
            CHANGE_WAVES,
            put(api::update_wave::<S>),
        ),
        // The office's pages for the same changes, each confirmed before it is made.
        RouteEntry::new(
            Method::GET,
            "/waves/new",
            CHANGE_WAVES,
            get(manage::new_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/new",
            CHANGE_WAVES.with_form(),
            post(manage::create::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/manage",
            CHANGE_WAVES,
            get(manage::manage::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/edit",
            CHANGE_WAVES,
            get(manage::edit_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/edit",
            CHANGE_WAVES.with_form(),
            post(manage::edit::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/status",
            CHANGE_WAVES,
            get(manage::confirm_status::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/status",
            CHANGE_WAVES.with_form(),
            post(manage::change_status::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/open",
            CHANGE_WAVES,
            post(api::open_wave::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/close",
            CHANGE_WAVES,
            post(api::close_wave::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    let mut fragment = json!({
        "paths": {
            "/api/v1/waves": {
                "get": {"summary": "List waves, newest first", "responses": {"200": {"description": "Waves", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Wave"}}}}}}},
                "post": {"summary": "Create a wave (draft)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateWave"}}}},
                         "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "Name taken", "content": {"application/json": {"schema": error}}}, "422": {"description": "Invalid", "content": {"application/json": {"schema": error}}}}}
            },
            "/api/v1/waves/{id}": {"get": {"summary": "One wave", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}},
                                   "put": {"summary": "Describe a draft wave anew (the body of a creation); a wave that has opened is not edited", "parameters": [id], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateWave"}}}},
                                           "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}, "409": {"description": "Not a draft, or the name is taken", "content": {"application/json": {"schema": error}}}, "422": {"description": "Invalid", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/open": {"post": {"summary": "Open a wave for responses", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "The wave is not in a state that allows this (a published wave is not reopened before its results are withdrawn)", "content": {"application/json": {"schema": error}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/close": {"post": {"summary": "Close a wave", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "The wave is not in a state that allows this (a published wave is not reopened before its results are withdrawn)", "content": {"application/json": {"schema": error}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {
            "Wave": {"type": "object", "required": ["id", "name", "status", "quotas", "projects", "responses", "updated_at_ms"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "status": {"type": "string", "enum": ["draft", "open", "closed"]},
                "period_start": {"type": ["string", "null"]}, "period_end": {"type": ["string", "null"]},
                "quotas": {"type": "object", "additionalProperties": {"type": "integer"}}, "projects": {"type": "array", "items": {"type": "string"}},
                "tokens_required": {"type": "boolean"}, "cut_points": {"type": "string"},
                "responses": {"type": "integer"}, "updated_at_ms": {"type": "integer"}}},
            "CreateWave": {"type": "object", "required": ["name"], "additionalProperties": false, "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[^\\u0000]*$", "description": "Unique among waves"},
                "period_start": {"type": "string", "format": "date", "description": "ISO date, not after period_end"},
                "period_end": {"type": "string", "format": "date"},
                "quotas": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                "projects": {"type": ["array", "null"], "minItems": 1, "items": {"type": "string"}, "description": "Codes of the built-in catalogue's projects (default: all)"},
                "tokens_required": {"type": "boolean", "description": "Take responses only with a citizen token signed by a portal"},
                "cut_points": {"type": ["string", "null"], "pattern": "^(median|pooled-median|mean|[0-9]+(\\.[0-9]+)?,[0-9]+(\\.[0-9]+)?)$",
                               "description": "How the quadrants are cut: median of the reliable projects' scores (default), pooled-median of every rating's own scores, mean, or fixed targets R,S (0 to 100)"}}}
        }}
    });
    constrain_projects(&mut fragment);
    fragment
}

/// The projects a new wave may include: the built-in catalogue's codes.
fn constrain_projects(fragment: &mut Value) {
    let projects: Vec<String> = minxin_domain::Configuration::defaults()
        .catalogue
        .projects
        .iter()
        .map(|project| project.code.clone())
        .collect();
    if let Some(create) =
        fragment.pointer_mut("/components/schemas/CreateWave/properties/projects/items")
    {
        *create = json!({"type": "string", "enum": projects});
    }
}
