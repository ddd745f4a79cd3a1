//! The survey: a citizen's answers, by the questionnaire pages (a welcome page, then one step
//! at a time, no JavaScript) or the JSON API, accepted by one path that checks, keys and queues
//! them.

pub mod api;
pub mod form;
pub mod pages;
pub mod sheet;
pub mod views;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{GradeOf, RouteEntry, Rule};
use crate::app::limits::PUBLIC_FORM_BYTES;
use crate::app::openapi::{error_schema, id_parameter};

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/responses",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)),
            post(api::submit::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/survey",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)),
            get(pages::survey_start::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/survey",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)).with_form(),
            post(pages::survey_step::<S>).layer(DefaultBodyLimit::max(PUBLIC_FORM_BYTES)),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    let id = id_parameter();
    let mut fragment = json!({
        "paths": {
            "/api/v1/waves/{id}/responses": {"post": {
                "summary": "Submit a respondent's answers; acknowledged once durable. A second submission with the same token replaces the first; a retry with the same Idempotency-Key changes nothing. Each project may be rated once (a project rated twice is answered 422, which JSON Schema cannot express).",
                "parameters": [id, {"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "minLength": 1, "maxLength": 128}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
                "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Acknowledgement"}}}},
                              "200": {"description": "Replaced, or already stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Acknowledgement"}}}},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "403": {"description": "Anonymous submissions are not accepted (the server requires a token)", "content": {"application/json": {"schema": error}}},
                              "409": {"description": "Wave not open", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "Invalid; every problem names its field", "content": {"application/json": {"schema": error}}},
                              "429": {"description": "Too many anonymous submissions from this client address; see the Retry-After header", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {
            "Submission": {"type": "object", "required": ["profile", "ratings"], "properties": {
                "token": {"type": ["string", "null"], "pattern": "^$|^v1\\.[0-9]+\\.[A-Za-z0-9_-]{1,64}\\.[0-9]+\\.[A-Za-z0-9_-]{43}$",
                          "description": "A citizen token signed by a portal: v1.{wave}.{subject}.{expires}.{signature} (README); only a keyed hash of the wave and subject is stored"},
                "channel": {"type": "string"},
                "profile": {"type": "object", "required": ["district"], "additionalProperties": false, "properties": {
                    "district": {"type": "string"}, "gender": {"type": "string"}, "age": {"type": "integer", "minimum": 10, "maximum": 120},
                    "education": {"type": "string"}, "occupation": {"type": "string"}}},
                "ratings": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["project"], "additionalProperties": false, "properties": {
                    "project": {"type": "string"},
                    "answers": {"type": "object", "description": "Item code to an answer 1-5; null or absent is don't know", "additionalProperties": {"type": ["integer", "null"], "minimum": 1, "maximum": 5}}}}}}},
            "Acknowledgement": {"type": "object", "required": ["outcome"], "properties": {"outcome": {"type": "string", "enum": ["created", "replaced", "already_stored"]}}}
        }}
    });
    constrain_submission(&mut fragment);
    fragment
}

/// The codes a submission may use, from the built-in configuration (a wave may include fewer
/// projects; a project it does not include is answered 422).
fn constrain_submission(fragment: &mut Value) {
    let configuration = minxin_domain::Configuration::defaults();
    let codes = |list: &minxin_domain::config::CodeList| -> Vec<String> {
        list.entries()
            .iter()
            .map(|entry| entry.code.clone())
            .collect()
    };
    // An optional code may also be sent as null.
    let optional = |list: &minxin_domain::config::CodeList| -> Value {
        let mut values: Vec<Value> = codes(list).into_iter().map(Value::from).collect();
        values.push(Value::Null);
        json!({"type": ["string", "null"], "enum": values})
    };
    let projects: Vec<String> = configuration
        .catalogue
        .projects
        .iter()
        .map(|project| project.code.clone())
        .collect();
    let items: Vec<String> = configuration
        .instrument
        .items()
        .iter()
        .map(|item| item.item.code.clone())
        .collect();
    let levels = configuration.instrument.scale.levels;
    let Some(submission) = fragment.pointer_mut("/components/schemas/Submission") else {
        return;
    };
    submission["additionalProperties"] = json!(false);
    submission["properties"]["channel"] = optional(&configuration.profile.channels);
    let profile = &mut submission["properties"]["profile"]["properties"];
    profile["district"] = json!({"type": "string", "enum": codes(&configuration.districts)});
    profile["gender"] = optional(&configuration.profile.genders);
    profile["education"] = optional(&configuration.profile.educations);
    profile["occupation"] = optional(&configuration.profile.occupations);
    profile["age"] = json!({"type": ["integer", "null"], "minimum": 10, "maximum": 120});
    let rating = &mut submission["properties"]["ratings"];
    rating["maxItems"] = json!(projects.len());
    rating["description"] = json!("Each project at most once, among those the wave includes");
    let properties = &mut rating["items"]["properties"];
    properties["project"] = json!({"type": "string", "enum": projects});
    properties["answers"] = json!({
        "type": "object",
        "description": "Item code to an answer; null or absent is don't know",
        "propertyNames": {"enum": items},
        "additionalProperties": {"type": ["integer", "null"], "minimum": 1, "maximum": levels}
    });
}
