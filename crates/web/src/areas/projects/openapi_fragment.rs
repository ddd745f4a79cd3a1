//! The OpenAPI description of the projects area: the register, stages and plans, letters,
//! progress, the supervision board, a district's commitments, supervision notices and joint
//! meetings.

use serde_json::{json, Value};

use crate::app::openapi::error_schema;

/// The OpenAPI description of the area's operations.
pub fn fragment() -> Value {
    [
        stage_openapi(),
        letters_openapi(),
        progress_openapi(),
        board_openapi(),
        notices_openapi(),
        meetings_openapi(),
    ]
    .into_iter()
    .fold(register_openapi(), crate::app::openapi::merged)
}

/// The OpenAPI description of joint meetings.
fn meetings_openapi() -> Value {
    let error = error_schema();
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let number =
        json!({"name": "number", "in": "path", "required": true, "schema": {"type": "integer"}});
    let refused = json!({
        "403": {"description": "Not permitted: the office convenes and signs the minutes, the owning department reports an action item done", "content": {"application/json": {"schema": error}}},
        "404": {"description": "No such meeting or action item", "content": {"application/json": {"schema": error}}},
        "409": {"description": "Refused in the meeting's state (minutes are signed once; a decision supersedes one still in force, of an earlier meeting)", "content": {"application/json": {"schema": error}}},
        "422": {"description": "Problems, each naming its field (`agenda[2].project`, `actions[1].due`)", "content": {"application/json": {"schema": error}}}
    });
    let text = json!({"type": "string"});
    let call = json!({"type": "object", "required": ["title", "held_on", "chair", "attendees", "agenda"], "additionalProperties": false, "properties": {
        "title": text, "held_on": {"type": "string", "format": "date"}, "venue": text, "chair": text,
        "attendees": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["unit", "person"], "additionalProperties": false, "properties": {"unit": text, "person": text}}},
        "agenda": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["topic"], "additionalProperties": false, "properties": {"project": {"type": ["string", "null"]}, "topic": text}}}}});
    let reference = json!({"type": "object", "required": ["meeting", "number"], "additionalProperties": false, "properties": {"meeting": {"type": "integer"}, "number": {"type": "integer"}}});
    let minutes = json!({"type": "object", "required": ["minutes"], "additionalProperties": false, "properties": {
        "minutes": text,
        "decisions": {"type": "array", "items": {"type": "object", "required": ["text"], "additionalProperties": false, "properties": {"project": {"type": ["string", "null"]}, "text": text, "supersedes": {"oneOf": [reference, {"type": "null"}]}}}},
        "actions": {"type": "array", "items": {"type": "object", "required": ["project", "department", "title", "due"], "additionalProperties": false, "properties": {"project": text, "department": text, "title": text, "due": {"type": "string", "format": "date"}}}}}});
    json!({
        "paths": {
            "/api/v1/meetings": {
                "get": {"summary": "Every joint meeting (联席会议) with its call, minutes, decisions (each with the decision that superseded it) and action items (each with its board code and completion)", "responses": {"200": {"description": "The meetings, oldest first"}}},
                "post": {"summary": "Convene a joint meeting: title, date, chair, attending units and people, agenda items naming their projects (the office); audited",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": call}}},
                    "responses": refused.clone()}},
            "/api/v1/meetings/{id}": {"get": {"summary": "One joint meeting", "parameters": [id.clone()], "responses": {"200": {"description": "The meeting"}, "404": refused["404"].clone()}}},
            "/api/v1/meetings/{id}/minutes": {"post": {"summary": "Record and sign the minutes once, with the decisions (never edited; each may supersede a decision of an earlier meeting still in force) and the action items (owning department, due date after the meeting), which go on the supervision board (the office); audited",
                "parameters": [id.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": minutes}}},
                "responses": refused.clone()}},
            "/api/v1/meetings/{id}/actions/{number}/complete": {"post": {"summary": "Report an action item done, which takes it off the board (the owning department); audited",
                "parameters": [id, number],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["note"], "additionalProperties": false, "properties": {"note": {"type": "string", "minLength": 1}}}}}},
                "responses": refused}}
        }
    })
}

/// The OpenAPI description of supervision notices.
fn notices_openapi() -> Value {
    let error = error_schema();
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let refused = json!({
        "403": {"description": "Not permitted: the office sends and closes, the responsible unit or the lead department answers", "content": {"application/json": {"schema": error}}},
        "404": {"description": "No such notice", "content": {"application/json": {"schema": error}}},
        "409": {"description": "Refused in the notice's or the item's state (a notice is sent on a red item only)", "content": {"application/json": {"schema": error}}},
        "422": {"description": "Problems, each naming its field", "content": {"application/json": {"schema": error}}}
    });
    json!({
        "paths": {
            "/api/v1/notices": {
                "get": {"summary": "The supervision notices the reader may see (the city's staff all, a department its projects', a district's officer its own)", "responses": {"200": {"description": "The notices"}}},
                "post": {"summary": "Send a supervision notice (督办单) on a red item of the board (the office); audited",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["about", "instructions"], "additionalProperties": false, "properties": {
                        "about": {"type": "object", "required": ["project", "year", "kind", "item", "owner"], "properties": {"project": {"type": "string"}, "year": {"type": "integer"}, "kind": {"type": "string", "enum": ["target", "milestone", "action"]}, "item": {"type": "string"}, "owner": {"type": "string"}}},
                        "instructions": {"type": "string", "minLength": 1}}}}}},
                    "responses": refused.clone()}},
            "/api/v1/notices/{id}/answer": {"post": {"summary": "Answer an open notice with the reasons and a recovery date from today on (the responsible unit or the lead department); audited",
                "parameters": [id.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reasons", "recovery_date"], "additionalProperties": false, "properties": {"reasons": {"type": "string"}, "recovery_date": {"type": "string", "format": "date"}}}}}},
                "responses": refused.clone()}},
            "/api/v1/notices/{id}/close": {"post": {"summary": "Close an answered notice (the office); audited",
                "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"note": {"type": "string"}}}}}},
                "responses": refused}}
        }
    })
}

/// The OpenAPI description of the supervision board and of a district's commitments.
fn board_openapi() -> Value {
    json!({
        "paths": {
            "/api/v1/supervision": {"get": {"summary": "The supervision board: every open target part and milestone of the signed letters with its light today (red overdue, yellow behind the share due by today or returned, blue due within 5 working days, null on track), worst first; the city's staff see all, a department its projects, a district's officer what the district owns",
                "parameters": [
                    {"name": "project", "in": "query", "schema": {"type": "string"}},
                    {"name": "department", "in": "query", "schema": {"type": "string"}},
                    {"name": "district", "in": "query", "schema": {"type": "string"}},
                    {"name": "light", "in": "query", "schema": {"type": "string", "enum": ["red", "yellow", "blue", "none"]}}
                ],
                "responses": {"200": {"description": "The open items"}}}},
            "/api/v1/districts/{district}/commitments": {"get": {"summary": "Every share of a target and every milestone the district owns in the issued and signed letters, with the latest figure it reported (internal: the district's officers and the city's staff)",
                "parameters": [{"name": "district", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The district's commitments"}}}}
        }
    })
}

/// The OpenAPI description of progress reports.
fn progress_openapi() -> Value {
    let error = error_schema();
    let code =
        json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    let refused = json!({
        "403": {"description": "Not permitted: a unit reports on what it owns; the lead department reviews; the office accepts", "content": {"application/json": {"schema": error}}},
        "404": {"description": "No such project, letter or report", "content": {"application/json": {"schema": error}}},
        "409": {"description": "Refused in the report's or the letter's status", "content": {"application/json": {"schema": error}}},
        "422": {"description": "Problems, each naming its field", "content": {"application/json": {"schema": error}}}
    });
    let with = |status: &str, what: &str| {
        let mut answers = refused.clone();
        answers[status] = json!({"description": what});
        answers
    };
    json!({
        "paths": {
            "/api/v1/projects/{code}/letters/{year}/progress": {"get": {"summary": "A letter's progress through this month: the project's roll-up by declared weights (complete only when every part is reported), each district's, every target part planned and achieved (null when not reported), the reports owed and not made, and every report",
                "parameters": [code, {"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The progress"}}}},
            "/api/v1/projects/{code}/progress": {"post": {"summary": "Submit a unit's report for a month on a signed letter: the cumulative quantity of each target part it owns, each milestone's OC4IDS status, the lead department's physical and financial percentages; one that counts per month and unit; audited",
                "parameters": [code],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["year", "month", "unit", "content"], "additionalProperties": false, "properties": {
                    "year": {"type": "integer"}, "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "unit": {"type": "string"},
                    "content": {"type": "object", "additionalProperties": false, "properties": {
                        "targets": {"type": "array", "items": {"type": "object", "required": ["target", "achieved"], "properties": {"target": {"type": "string"}, "district": {"type": ["string", "null"]}, "achieved": {"type": "number", "minimum": 0}}}},
                        "milestones": {"type": "array", "items": {"type": "object", "required": ["milestone", "status"], "properties": {"milestone": {"type": "string"}, "status": {"type": "string", "enum": ["scheduled", "met", "notMet", "partiallyMet"]}}}},
                        "physical_percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                        "financial_percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                        "note": {"type": "string"}, "links": {"type": "array", "items": {"type": "string", "format": "uri"}}}}}}}}},
                "responses": with("201", "The report submitted")}},
            "/api/v1/projects/{code}/progress/{id}": {"post": {"summary": "The next step of a report: review or return_to_unit (the lead department), accept or return (the office); a return states its reason; audited",
                "parameters": [code, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["step"], "additionalProperties": false, "properties": {
                    "step": {"type": "string", "enum": ["review", "return_to_unit", "accept", "return"]}, "reason": {"type": "string"}}}}}},
                "responses": with("200", "The report")}}
        }
    })
}

/// The OpenAPI description of responsibility letters.
fn letters_openapi() -> Value {
    let error = error_schema();
    let parameters = json!([
        {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}}
    ]);
    let answers = |status: &str, what: &str| {
        json!({
            status: {"description": what, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Letter"}}}},
            "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}},
            "404": {"description": "No such project or letter", "content": {"application/json": {"schema": error}}},
            "409": {"description": "Refused in the letter's status, explained in both languages", "content": {"application/json": {"schema": error}}},
            "422": {"description": "Problems, each naming its field", "content": {"application/json": {"schema": error}}}
        })
    };
    json!({
        "paths": {
            "/api/v1/projects/{code}/letters": {
                "get": {"summary": "The project's responsibility letters (internal: those whose scope covers the project)",
                    "parameters": [parameters[0]],
                    "responses": {"200": {"description": "The letters", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Letter"}}}}}}},
                "post": {"summary": "Start the project's letter for a year, as a draft (the office); audited",
                    "parameters": [parameters[0]],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["year"], "additionalProperties": false, "properties": {"year": {"type": "integer", "minimum": 2000, "maximum": 2100}}}}}},
                    "responses": answers("201", "The letter started")}},
            "/api/v1/projects/{code}/letters/{year}": {"put": {"summary": "Replace a draft letter's commitments: milestones (OC4IDS milestoneType), quantified targets with districts' shares summing to the target, the roadmap's phases (the office or the lead department); audited",
                "parameters": parameters,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Commitments"}}}},
                "responses": answers("200", "The letter")}},
            "/api/v1/projects/{code}/letters/{year}/issue": {"post": {"summary": "Issue a draft letter (issue: true), or take an issued one back to draft with a reason (the office); audited",
                "parameters": parameters,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["issue"], "additionalProperties": false, "properties": {"issue": {"type": "boolean"}, "reason": {"type": "string"}}}}}},
                "responses": answers("200", "The letter")}},
            "/api/v1/projects/{code}/letters/{year}/accept": {"post": {"summary": "Sign an issued letter for the project's lead department, with the signer's name; audited",
                "parameters": parameters, "responses": answers("200", "The letter")}}
        },
        "components": {"schemas": {
            "Commitments": {"type": "object", "additionalProperties": false, "properties": {
                "milestones": {"type": "array", "items": {"type": "object", "required": ["id", "title_zh", "kind", "due", "unit", "person"], "properties": {
                    "id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"},
                    "kind": {"type": "string", "enum": ["preProcurement", "approval", "engagement", "assessment", "delivery", "reporting", "financing", "payment", "procurement", "contractClose"]},
                    "due": {"type": "string", "format": "date"}, "unit": {"type": "string"}, "person": {"type": "string"}}}},
                "targets": {"type": "array", "items": {"type": "object", "required": ["id", "title_zh", "measure_zh", "quantity", "due", "unit"], "properties": {
                    "id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"},
                    "measure_zh": {"type": "string"}, "measure_en": {"type": "string"}, "quantity": {"type": "number", "exclusiveMinimum": 0},
                    "due": {"type": "string", "format": "date"}, "unit": {"type": "string"},
                    "weight": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1, "description": "The target's weight in the project's progress: declared for every target, summing to 1, or for none (equal weights)"},
                    "shares": {"type": "array", "items": {"type": "object", "required": ["district", "quantity"], "properties": {"district": {"type": "string"}, "quantity": {"type": "number", "minimum": 0}}}}}}},
                "phases": {"type": "array", "items": {"type": "object", "required": ["title_zh"], "properties": {"title_zh": {"type": "string"}, "title_en": {"type": "string"}, "milestones": {"type": "array", "items": {"type": "string"}}}}}}},
            "Letter": {"type": "object", "required": ["project", "year", "status", "commitments"], "properties": {
                "project": {"type": "string"}, "year": {"type": "integer"},
                "status": {"type": "string", "enum": ["draft", "issued", "accepted"]},
                "commitments": {"$ref": "#/components/schemas/Commitments"},
                "issued_by": {"type": ["string", "null"]}, "issued_at_ms": {"type": ["integer", "null"]},
                "accepted_by": {"type": ["string", "null"]}, "accepted_by_name": {"type": ["string", "null"]}, "accepted_at_ms": {"type": ["integer", "null"]}}}
        }}
    })
}

/// The OpenAPI description of a project's stage and plan.
fn stage_openapi() -> Value {
    let error = error_schema();
    let code =
        json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    let refused = |what: &str| {
        json!({
            "403": {"description": format!("Not permitted: {what}"), "content": {"application/json": {"schema": error}}},
            "404": {"description": "No such project", "content": {"application/json": {"schema": error}}},
            "409": {"description": "Refused by the project's stage, explained in both languages", "content": {"application/json": {"schema": error}}},
            "422": {"description": "Problems, each naming its field", "content": {"application/json": {"schema": error}}}
        })
    };
    let with = |mut responses: Value, status: &str, description: &str| {
        responses[status] = json!({"description": description});
        responses
    };
    json!({
        "paths": {
            "/api/v1/projects/{code}/delivery": {"get": {"summary": "What the public sees of a project's delivery: its stage and planned period, the latest signed letter's milestones and targets (with each district's share) with their status in the reports the office accepted, the progress by the declared weights (null while a part has no accepted report) and the latest physical and financial percentages; no notes, reasons for returns or evidence. Public once the office has published the project, internal before",
                "parameters": [code.clone()], "responses": {"200": {"description": "The project's delivery as published"}, "404": refused("")["404"].clone()}}},
            "/api/v1/projects/{code}/publication": {"post": {"summary": "Publish a project's delivery (its stage, commitments and accepted progress), or withdraw it: a decision signed by the coordination office with its reasons, superseding the one in force, never edited",
                "parameters": [code.clone()], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["publish", "statement"], "additionalProperties": false, "properties": {
                    "publish": {"type": "boolean"}, "statement": {"type": "string", "minLength": 1, "maxLength": 500}}}}}},
                "responses": with(refused("only the coordination office"), "201", "The decision recorded")}},
            "/api/v1/projects/{code}/standing": {"get": {"summary": "A project's stage (OC4IDS projectStatus, or suspended), the stage decision in force, its current plan, the baseline frozen when implementation began, and every modification (internal: those whose scope covers the project)",
                "parameters": [code], "responses": {"200": {"description": "The standing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectStanding"}}}}}}},
            "/api/v1/projects/{code}/plan": {"put": {"summary": "Set the plan before implementation (the office or the lead department); refused once the baseline is frozen; audited",
                "parameters": [code], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectPlan"}}}},
                "responses": with(refused("only the office or the lead department"), "204", "Saved")}},
            "/api/v1/projects/{code}/stage": {"post": {"summary": "Move the project to another stage: a decision signed by the office with its reasons, superseding the one in force; beginning implementation needs a period and a budget and freezes the plan as the baseline",
                "parameters": [code], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["to", "statement"], "additionalProperties": false, "properties": {
                    "to": {"type": "string", "enum": ["preparation", "implementation", "suspended", "completion", "maintenance", "decommissioning", "decommissioned", "cancelled"]},
                    "statement": {"type": "string", "minLength": 1}}}}}},
                "responses": with(refused("only the coordination office"), "201", "The decision recorded")}},
            "/api/v1/projects/{code}/modifications": {"post": {"summary": "Propose a change of the frozen plan (OC4IDS modificationType duration, value or scope) with its reason (the office or the lead department); audited",
                "parameters": [code], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["kind", "reason", "plan"], "additionalProperties": false, "properties": {
                    "kind": {"type": "string", "enum": ["duration", "value", "scope"]}, "reason": {"type": "string", "minLength": 1},
                    "plan": {"$ref": "#/components/schemas/ProjectPlan"}}}}}},
                "responses": with(refused("only the office or the lead department"), "201", "The modification proposed")}},
            "/api/v1/projects/{code}/modifications/{id}": {"post": {"summary": "Approve a proposed modification (the current plan takes it; the baseline stays) or do not approve it, with a note (the office); audited",
                "parameters": [code, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["approve"], "additionalProperties": false, "properties": {
                    "approve": {"type": "boolean"}, "note": {"type": "string", "description": "Required when not approving"}}}}}},
                "responses": with(refused("only the coordination office"), "200", "The modification decided")}}
        },
        "components": {"schemas": {
            "ProjectPlan": {"type": "object", "additionalProperties": false, "properties": {
                "period_start": {"type": ["string", "null"], "format": "date"}, "period_end": {"type": ["string", "null"], "format": "date"},
                "budget_yuan": {"type": ["integer", "null"], "minimum": 0, "description": "In yuan"},
                "scope_zh": {"type": "string"}, "scope_en": {"type": "string"}}},
            "ProjectStanding": {"type": "object", "required": ["project", "status", "plan", "modifications"], "properties": {
                "project": {"type": "string"}, "status": {"type": "string"},
                "stage_decision": {"type": ["integer", "null"]},
                "plan": {"$ref": "#/components/schemas/ProjectPlan"},
                "baseline": {"oneOf": [{"$ref": "#/components/schemas/ProjectPlan"}, {"type": "null"}]},
                "baseline_at_ms": {"type": ["integer", "null"]},
                "modifications": {"type": "array", "items": {"type": "object"}}}}
        }}
    })
}

/// The OpenAPI description of the register.
fn register_openapi() -> Value {
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
