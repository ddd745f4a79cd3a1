//! The OpenAPI document made true to the server: the hand-written description of each
//! operation (each area's fragment, merged over [`base`]) completed from the route table, so that what
//! the guard and the extractors answer is what the document says: who needs a bearer token,
//! the 400/401/403/404/408/413/415/422 answers every such route can give, each as the JSON
//! error schema, and every path parameter with its type.

use axum::http::Method;
use minxin_domain::access::Grade;
use serde_json::{json, Map, Value};

use crate::app::guard::{GradeOf, Rule};

/// The document's frame: the API's title, the bearer scheme and the error schema, into which
/// every area's fragment is [`merged`].
pub fn base() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Minxin API", "version": "1", "description": "Survey waves, response intake and evaluation of livelihood projects."},
        "paths": {},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions. Public information needs none: every endpoint answers 401 when a token is needed, 403 when the roles do not permit it."}},
            "schemas": {
                "Error": {"type": "object", "required": ["code", "error", "message"], "properties": {"code": {"type": "string", "description": "Stable: not_found, invalid, rows_rejected, conflict, forbidden, too_many_submissions, stale_form, too_large, too_many_sign_ins, unauthenticated, timeout, internal"}, "error": {"type": "string", "description": "What went wrong, in English"}, "message": {"type": "object", "required": ["zh", "en"], "description": "The message for a reader, in Chinese and English", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}, "problems": {"type": "array", "items": {"type": "object", "required": ["field", "message", "message_zh"], "properties": {"field": {"type": "string", "description": "The field, as the request names it"}, "message": {"type": "string", "description": "What is wrong, in English"}, "message_zh": {"type": "string", "description": "What is wrong, in Chinese, for a reader"}}}}}}
            }
        }
    })
}

/// `document` with an area's `fragment` (`{"paths": {..}, "components": {"schemas": {..}}}`)
/// added; a path or schema both describe is a programming error, caught by the tests.
pub fn merged(mut document: Value, fragment: Value) -> Value {
    for pointer in ["/paths", "/components/schemas"] {
        let Some(Value::Object(added)) = fragment.pointer(pointer).cloned() else {
            continue;
        };
        let Some(target) = document.pointer_mut(pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        for (key, value) in added {
            let previous = target.insert(key.clone(), value);
            debug_assert!(previous.is_none(), "{key} is described twice");
        }
    }
    document
}

/// A reference to the error schema, for an area's answers.
pub fn error_schema() -> Value {
    json!({"$ref": "#/components/schemas/Error"})
}

/// The `{id}` path parameter of a wave.
pub fn id_parameter() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}})
}

/// `document` with every API route of `rules` completed (see the module documentation).
pub fn completed(mut document: Value, rules: &[(Method, &'static str, Rule)]) -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    for (method, path, rule) in rules {
        if !path.starts_with("/api/") {
            continue;
        }
        let method = method.as_str().to_ascii_lowercase();
        let Some(operation) = document
            .pointer_mut(&format!("/paths/{}/{method}", escape_pointer(path)))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        operation.insert("security".into(), security(rule));
        add_path_parameters(operation, path);
        let has_body = operation.contains_key("requestBody");
        let json_body = operation
            .get("requestBody")
            .and_then(|body| body.pointer("/content/application~1json"))
            .is_some();
        let has_parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty());
        let responses = operation
            .entry("responses")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("responses are an object");
        // Answers the operation does not list yet; their content is set with every error's below.
        let mut add = |status: &str, description: &str| {
            responses
                .entry(status.to_string())
                .or_insert_with(|| json!({"description": description}));
        };
        if rule.grade != GradeOf::Fixed(Grade::Public) {
            add("401", "Not signed in, and the information is not public");
            add("403", "The visitor's roles do not permit this");
        }
        if has_parameters {
            add("400", "A path or query parameter that cannot be read");
        }
        if path.contains('{') {
            add("404", "No such wave, project, district or format");
        }
        if has_body {
            add("413", "The body is larger than the route accepts");
            add("422", "Invalid; every problem names its field");
        }
        if json_body {
            add("400", "A body that is not JSON of the documented shape");
            add("415", "The body is not sent as application/json");
        }
        add("408", "The request took longer than the server allows");
        // Errors are answered as the error schema, whatever a description said before.
        for (status, entry) in responses.iter_mut() {
            if status.starts_with('4') || status.starts_with('5') {
                if let Some(entry) = entry.as_object_mut() {
                    entry.insert(
                        "content".into(),
                        json!({"application/json": {"schema": error.clone()}}),
                    );
                }
            }
        }
    }
    document
}

/// Who may call a route: nobody needs a token for public information; information whose
/// grade follows a wave's state may need one; everything else does.
fn security(rule: &Rule) -> Value {
    match rule.grade {
        GradeOf::Fixed(Grade::Public) => json!([]),
        GradeOf::Fixed(_) => json!([{"bearer": []}]),
        _ => json!([{}, {"bearer": []}]),
    }
}

/// Declares each `{name}` of `path` that the operation does not declare yet.
fn add_path_parameters(operation: &mut Map<String, Value>, path: &str) {
    let names: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("parameters are an array");
    for name in names {
        let declared = parameters
            .iter()
            .any(|p| p["name"] == name && p["in"] == "path");
        if declared {
            continue;
        }
        let schema = match name {
            "id" => json!({"type": "integer"}),
            "format" => json!({"type": "string", "enum": ["csv", "xlsx", "json"]}),
            _ => json!({"type": "string"}),
        };
        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
    }
}

/// A path as one token of a JSON pointer (`~` and `/` escaped).
fn escape_pointer(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}
