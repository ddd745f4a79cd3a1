//! The OpenAPI document made true to the server: the hand-written description of each
//! operation ([`crate::api::openapi_document`]) completed from the route table, so that what
//! the guard and the extractors answer is what the document says: who needs a bearer token,
//! the 400/401/403/404/408/413/415/422 answers every such route can give, each as the JSON
//! error schema, and every path parameter with its type.

use axum::http::Method;
use minxin_domain::access::Grade;
use minxin_domain::platform::Store;
use serde_json::{json, Map, Value};

use crate::app::guard::{GradeOf, Rule};

/// The document for the routes of `S`'s route table.
pub fn document<S: Store>() -> Value {
    let rules: Vec<(Method, &'static str, Rule)> = crate::route_table::<S>()
        .into_iter()
        .map(|entry| (entry.method, entry.path, entry.rule))
        .collect();
    completed(crate::api::openapi_document(), &rules)
}

/// `document` with every API route of `rules` completed (see the module documentation).
pub fn completed(mut document: Value, rules: &[(Method, &'static str, Rule)]) -> Value {
    if let Some(root) = document.as_object_mut() {
        // Security is per operation: public information needs no token.
        root.remove("security");
    }
    constrain_submission(&mut document);
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

/// The codes a submission may use, from the built-in configuration (a wave may include fewer
/// projects; a project it does not include is answered 422).
fn constrain_submission(document: &mut Value) {
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
    if let Some(create) =
        document.pointer_mut("/components/schemas/CreateWave/properties/projects/items")
    {
        *create = json!({"type": "string", "enum": projects.clone()});
    }
    let Some(submission) = document.pointer_mut("/components/schemas/Submission") else {
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
