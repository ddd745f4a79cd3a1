//! The versioned JSON API and its OpenAPI document.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::{get, post};
use axum::Extension;
use axum::Json;
use minxin_domain::access::{Action, Grade};
use minxin_domain::evaluation::{CutPointRule, WaveComparison, WeightedEvaluation};
use minxin_domain::organisation::Target;
use minxin_domain::platform::{
    check_period, NewWave, Store, SubmissionInput, WaveConfigTexts, WaveRecord, WaveStatus,
};
use minxin_domain::{Configuration, EvaluationOptions};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::analysis::{
    comparison, district_view, for_visitor, project_view, robustness_view, sees_published_outputs,
    weighted_comparison, DistrictView, ProjectView, DEFAULT_REPLICATES,
};
use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::guard::{may_read, ComparedWaves, GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::identity::RespondentSecret;
use crate::app::intake::{self, Acknowledgement};
use crate::app::limits::ClientAddress;
use crate::app::session::Visitor;
use crate::app::state::{AppState, LiveWave};

/// Changing a wave's record (create, open, close): internal, for the whole city.
const CHANGE_WAVES: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// The API routes, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/api/openapi.json",
            PUBLIC_READ,
            get(openapi::<S>),
        ),
        // The list shows each visitor the waves they may read.
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves",
            PUBLIC_READ,
            get(list_waves::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves",
            CHANGE_WAVES,
            post(create_wave::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}",
            Rule::new(Action::Read, GradeOf::WaveRecord),
            get(get_wave::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/open",
            CHANGE_WAVES,
            post(open_wave::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/close",
            CHANGE_WAVES,
            post(close_wave::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/responses",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)),
            post(submit::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/evaluation",
            Rule::new(Action::Read, GradeOf::WaveResults),
            get(evaluation::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/projects/{code}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_project(),
            get(project::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/districts/{district}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_district(),
            get(district::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/compare",
            Rule::new(Action::Read, GradeOf::Comparison),
            get(compare::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/robustness",
            Rule::new(Action::Read, GradeOf::WaveResults),
            get(robustness::<S>),
        ),
    ]
}

/// A wave as the API shows it.
#[derive(Debug, Serialize)]
pub struct WaveSummary {
    /// Identifier.
    pub id: i64,
    /// Name.
    pub name: String,
    /// draft, open or closed.
    pub status: WaveStatus,
    /// First day of intake.
    pub period_start: Option<String>,
    /// Last day of intake.
    pub period_end: Option<String>,
    /// Target respondents per district.
    pub quotas: BTreeMap<String, u64>,
    /// Codes of the projects included.
    pub projects: Vec<String>,
    /// Responses only with a citizen token signed by a portal.
    pub tokens_required: bool,
    /// How the quadrants are cut.
    pub cut_points: String,
    /// Current responses.
    pub responses: u64,
    /// Time of the newest response, ms since the Unix epoch (0: none yet).
    pub updated_at_ms: i64,
}

/// A summary of a served wave.
pub fn summary(wave: &LiveWave) -> WaveSummary {
    let record: WaveRecord = wave.record();
    let (responses, updated_at_ms) = wave.with_live(|live| (live.responses, live.updated_at_ms));
    WaveSummary {
        id: record.id,
        name: record.name,
        status: record.status,
        period_start: record.period_start,
        period_end: record.period_end,
        tokens_required: record.tokens_required,
        cut_points: record.cut_points,
        quotas: record.quotas,
        projects: wave
            .model
            .configuration
            .catalogue
            .projects
            .iter()
            .map(|p| p.code.clone())
            .collect(),
        responses,
        updated_at_ms,
    }
}

async fn list_waves<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Json<Vec<WaveSummary>> {
    Json(
        state
            .waves()
            .iter()
            .filter(|wave| {
                may_read(
                    &state,
                    &visitor,
                    GradeOf::WaveRecord,
                    wave.id(),
                    &Target::City,
                )
            })
            .map(|wave| summary(wave))
            .collect(),
    )
}

async fn get_wave<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let wave = state.wave(id)?;
    Ok(Json(summary(&wave)))
}

/// The body of `POST /api/v1/waves`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWave {
    /// A unique name.
    pub name: String,
    /// First day of intake (ISO date).
    #[serde(default)]
    pub period_start: Option<String>,
    /// Last day of intake (ISO date).
    #[serde(default)]
    pub period_end: Option<String>,
    /// Target respondents per district code.
    #[serde(default)]
    pub quotas: BTreeMap<String, u64>,
    /// Codes of the built-in catalogue's projects to include (default: all).
    #[serde(default)]
    pub projects: Option<Vec<String>>,
    /// Take responses only with a citizen token signed by a portal.
    #[serde(default)]
    pub tokens_required: bool,
    /// How the quadrants are cut: `median` (default), `pooled-median`, `mean` or `R,S`.
    #[serde(default)]
    pub cut_points: Option<String>,
}

/// The configuration texts of a new wave: the built-in ones, the catalogue narrowed to `projects`.
pub fn wave_config(projects: Option<&[String]>) -> Result<WaveConfigTexts, ApiError> {
    let mut texts = WaveConfigTexts::defaults();
    if let Some(codes) = projects {
        let defaults = Configuration::defaults();
        let mut problems = Vec::new();
        let mut chosen = Vec::new();
        for (k, code) in codes.iter().enumerate() {
            match defaults.catalogue.projects.iter().find(|p| &p.code == code) {
                Some(project) => chosen.push(project.clone()),
                None => problems.push((
                    format!("projects[{k}]"),
                    format!("unknown project {code:?}"),
                )),
            }
        }
        if chosen.is_empty() && problems.is_empty() {
            problems.push(("projects".into(), "at least one project is needed".into()));
        }
        if !problems.is_empty() {
            return Err(ApiError::Invalid { problems });
        }
        #[derive(Serialize)]
        struct CatalogueFile<'a> {
            project: &'a [minxin_domain::config::Project],
        }
        texts.catalogue = toml::to_string(&CatalogueFile { project: &chosen })
            .map_err(|e| ApiError::Internal(format!("cannot write the catalogue: {e}")))?;
    }
    Ok(texts)
}

async fn create_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(body): Json<CreateWave>,
) -> Result<(StatusCode, Json<WaveSummary>), ApiError> {
    let by = visitor.require_attribution()?;
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ApiError::Invalid {
            problems: vec![(
                "name".into(),
                "a name of 1 to 64 characters is required".into(),
            )],
        });
    }
    let mut problems = check_period(body.period_start.as_deref(), body.period_end.as_deref());
    let cut_points = match body.cut_points.as_deref().map(str::parse::<CutPointRule>) {
        None => CutPointRule::Median,
        Some(Ok(rule)) => rule,
        Some(Err(message)) => {
            problems.push(("cut_points".into(), message));
            CutPointRule::Median
        }
    };
    let config = wave_config(body.projects.as_deref())?;
    let districts = Configuration::defaults().districts;
    problems.extend(
        body.quotas
            .keys()
            .filter(|code| districts.position(code.as_bytes()).is_none())
            .map(|code| (format!("quotas.{code}"), "unknown district".into())),
    );
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let wave = state
        .create_wave(
            NewWave {
                name,
                period_start: body.period_start,
                period_end: body.period_end,
                quotas: body.quotas,
                config,
                tokens_required: body.tokens_required,
                cut_points: cut_points.to_string(),
            },
            &by,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(summary(&wave))))
}

async fn open_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.set_status(id, WaveStatus::Open, &by).await?;
    Ok(Json(summary(&wave)))
}

async fn close_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.set_status(id, WaveStatus::Closed, &by).await?;
    Ok(Json(summary(&wave)))
}

/// The body of `POST /api/v1/waves/{id}/responses`: the submission plus the respondent's token.
/// (Fields are listed rather than flattened: serde's `flatten` buffers the whole body.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    /// The opaque token the portal or app handed over; absent for an anonymous response.
    #[serde(default)]
    pub token: Option<String>,
    /// Survey channel code.
    #[serde(default)]
    pub channel: Option<String>,
    /// Who answered.
    pub profile: minxin_domain::platform::ProfileInput,
    /// The projects rated.
    pub ratings: Vec<minxin_domain::platform::RatingInput>,
}

/// Who hands a submission in: a citizen's client over HTTP, or the operator (demo loading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    /// A client at this address; anonymous submissions count against its allowance.
    Client(std::net::IpAddr),
    /// The platform itself; no limit applies.
    Operator,
}

/// Who answered, as far as the platform may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respondent<'a> {
    /// A citizen a portal handed over with a signed token (see [`crate::app::portal`]).
    Token(&'a str),
    /// A person the platform itself vouches for by the portal's pseudonymous identifier (the
    /// demo's loader); never what a client sends.
    Subject(&'a str),
    /// Nobody known: a response that replaces no other.
    Anonymous,
}

impl<'a> Respondent<'a> {
    /// The respondent of a submission that carries `token` (anonymous when it is absent or
    /// empty; anything else must be a signed token).
    pub fn from_token(token: Option<&'a str>) -> Respondent<'a> {
        match token.filter(|t| !t.is_empty()) {
            Some(token) => Respondent::Token(token),
            None => Respondent::Anonymous,
        }
    }
}

/// Checks, stores and acknowledges one submission; `Ok` only once it is durable. A token must
/// be one a configured portal signed for this wave and not expired; the response is then
/// recorded under the token's channel and keyed by the wave and the token's subject, so a
/// person handed over twice has one response. An anonymous submission from a client takes one
/// from the client's allowance once it is valid, and is refused by a wave that requires tokens.
pub async fn accept_submission<S: Store>(
    state: &AppState<S>,
    wave_id: i64,
    respondent: Respondent<'_>,
    idempotency_key: Option<String>,
    mut submission: SubmissionInput,
    submitter: Submitter,
) -> Result<Acknowledgement, ApiError> {
    let wave = state.wave(wave_id)?;
    let status = wave.status();
    if status != WaveStatus::Open {
        return Err(ApiError::Conflict(format!(
            "wave {wave_id} is {}, not open",
            status.code()
        )));
    }
    let subject = match respondent {
        Respondent::Token(token) => {
            let verified = state
                .portal_keys()
                .verify(token, wave_id, now_ms() / 1000)
                .map_err(|error| ApiError::Forbidden(error.to_string()))?;
            match &submission.channel {
                Some(channel) if *channel != verified.channel => {
                    return Err(ApiError::Forbidden(format!(
                        "the citizen token was issued through channel {:?}, not {channel:?}",
                        verified.channel
                    )))
                }
                _ => submission.channel = Some(verified.channel),
            }
            Some(verified.subject)
        }
        Respondent::Subject(subject) => Some(subject.to_string()),
        Respondent::Anonymous => {
            if wave.tokens_required() {
                return Err(ApiError::Forbidden(format!(
                    "wave {wave_id} takes responses only through the city's portal or app (a citizen token is required)"
                )));
            }
            None
        }
    };
    let valid = wave.model.validate(submission)?;
    let key = match subject {
        Some(subject) => state.secret.respondent_key(wave_id, &subject),
        None => {
            if let Submitter::Client(address) = submitter {
                state.limits().allow_anonymous(address)?;
            }
            // A retry of an anonymous submission (same idempotency key) finds the first.
            match idempotency_key.as_deref() {
                Some(retry) => state.secret.anonymous_retry_key(wave_id, retry),
                None => RespondentSecret::anonymous_key(),
            }
        }
    };
    let stored = valid.to_stored(key, idempotency_key, now_ms());
    intake::submit(state.intake(), wave, stored, valid).await
}

async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Json<SubmitBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(body) = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge("a submission is at most 2 MiB".into())
        } else {
            ApiError::Invalid {
                problems: vec![("body".into(), rejection.body_text())],
            }
        }
    })?;
    let idempotency_key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if !key.is_empty() && key.len() <= 128 => Some(key.to_string()),
        Some(_) => {
            return Err(ApiError::Invalid {
                problems: vec![(
                    "Idempotency-Key".into(),
                    "1 to 128 visible ASCII characters".into(),
                )],
            })
        }
    };
    let submission = SubmissionInput {
        channel: body.channel,
        profile: body.profile,
        ratings: body.ratings,
    };
    let acknowledgement = accept_submission(
        &state,
        id,
        Respondent::from_token(body.token.as_deref()),
        idempotency_key,
        submission,
        Submitter::Client(client),
    )
    .await?;
    let status = match acknowledgement {
        Acknowledgement::Created => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(json!({ "outcome": acknowledgement }))))
}

/// Query of `GET /api/v1/waves/{id}/evaluation`.
#[derive(Debug, Deserialize)]
pub struct EvaluationQuery {
    /// Minimum respondents of a reliable project (default 30).
    #[serde(default)]
    pub min_respondents: Option<u64>,
}

async fn evaluation<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<EvaluationQuery>,
) -> Result<Json<Value>, ApiError> {
    let wave = state.wave(id)?;
    let default = EvaluationOptions::default().minimum_respondents;
    let asked = query.min_respondents.unwrap_or(default);
    // The public cannot lower the bar below which a project is marked not reliable.
    let minimum_respondents = if sees_published_outputs(&state, &visitor) {
        asked.max(default)
    } else {
        asked
    };
    let options = EvaluationOptions {
        minimum_respondents,
        ..wave.options()
    };
    let (evaluation, updated_at_ms) = wave.evaluation(&options);
    let evaluation = for_visitor(&state, &visitor, evaluation);
    let mut value =
        serde_json::to_value(&evaluation).map_err(|e| ApiError::Internal(e.to_string()))?;
    value["as_of_ms"] = json!(updated_at_ms);
    value["wave_id"] = json!(id);
    Ok(Json(value))
}

async fn district<S: Store>(
    State(state): State<AppState<S>>,
    Path((id, district)): Path<(i64, String)>,
) -> Result<Json<DistrictView>, ApiError> {
    Ok(Json(district_view(&state, id, &district)?))
}

async fn project<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(project_view(&state, &visitor, id, &code)?))
}

/// How to compare two waves (the waves themselves, `before` and `after`, are read by the
/// guard: [`ComparedWaves`]).
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    /// Weight both waves to the census (standard errors from the bootstrap).
    #[serde(default)]
    pub weighted: bool,
    /// Bootstrap replicates of each wave when weighted (default 1000).
    pub replicates: Option<usize>,
}

async fn compare<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Extension(waves): Extension<ComparedWaves>,
    Query(query): Query<CompareQuery>,
) -> Result<Json<WaveComparison>, ApiError> {
    let required = |wave: Option<i64>, name: &str| {
        wave.ok_or_else(|| ApiError::Invalid {
            problems: vec![(name.into(), "the wave to compare is required".into())],
        })
    };
    let before = required(waves.before, "before")?;
    let after = required(waves.after, "after")?;
    if query.weighted {
        let replicates = query.replicates.unwrap_or(DEFAULT_REPLICATES);
        return Ok(Json(
            weighted_comparison(&state, &visitor, before, after, replicates).await?,
        ));
    }
    Ok(Json(comparison(&state, &visitor, before, after)?))
}

/// Query of the weighted evaluation: bootstrap replicates and their seed.
#[derive(Debug, Deserialize)]
pub struct RobustnessQuery {
    /// Bootstrap replicates (default 1000; 0 for weighted scores only).
    pub replicates: Option<usize>,
    /// Seed of the draws (default 1).
    pub seed: Option<u64>,
}

async fn robustness<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<RobustnessQuery>,
) -> Result<Json<WeightedEvaluation>, ApiError> {
    let (_, weighted) = robustness_view(
        &state,
        &visitor,
        id,
        query.replicates.unwrap_or(DEFAULT_REPLICATES),
        query.seed.unwrap_or(1),
    )
    .await?;
    Ok(Json(weighted))
}

async fn openapi<S: Store>() -> Json<Value> {
    Json(crate::app::openapi::document::<S>())
}

/// The hand-written OpenAPI 3.1 description of the JSON API, operation by operation;
/// [`crate::app::openapi::document`] completes it from the route table (security, error answers,
/// path parameters) and is what `/api/openapi.json` serves.
pub fn openapi_document() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Minxin API", "version": "1", "description": "Survey waves, response intake and evaluation of livelihood projects."},
        "paths": {
            "/api/v1/waves": {
                "get": {"summary": "List waves, newest first", "responses": {"200": {"description": "Waves", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Wave"}}}}}}},
                "post": {"summary": "Create a wave (draft)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateWave"}}}},
                         "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "Name taken", "content": {"application/json": {"schema": error}}}, "422": {"description": "Invalid", "content": {"application/json": {"schema": error}}}}}
            },
            "/api/v1/waves/{id}": {"get": {"summary": "One wave", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/open": {"post": {"summary": "Open a wave for responses", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "The wave is not in a state that allows this (a published wave is not reopened before its results are withdrawn)", "content": {"application/json": {"schema": error}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/close": {"post": {"summary": "Close a wave", "parameters": [id], "responses": {"200": {"description": "The wave", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wave"}}}}, "409": {"description": "The wave is not in a state that allows this (a published wave is not reopened before its results are withdrawn)", "content": {"application/json": {"schema": error}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
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
                              "429": {"description": "Too many anonymous submissions from this client address; see the Retry-After header", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/aggregates.{format}": {"get": {"summary": "Download the aggregates, one row per project (indices, ranks, quadrant, gap, dimension scores)",
                "parameters": [id, {"name": "format", "in": "path", "required": true, "schema": {"type": "string", "enum": ["csv", "xlsx", "json"]}}],
                "responses": {"200": {"description": "The file", "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "application/json": {}}},
                              "404": {"description": "No such wave or format", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/import": {"post": {"summary": "Import a response file (the CSV interchange format) into an open wave in one transaction; all or nothing unless keep_valid=true",
                "parameters": [id, {"name": "keep_valid", "in": "query", "required": false, "schema": {"type": "boolean"}}],
                "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string", "minLength": 1, "description": "A header row, then rows of the interchange format"}}}},
                "responses": {"200": {"description": "Imported: counts of rows, respondents, created, replaced, already stored, rejected, and the rejections", "content": {"application/json": {"schema": {"type": "object"}}}},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "409": {"description": "Wave not open", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "Bad header, or rejected rows (each with row, column, reason) and nothing imported", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/evaluation": {"get": {"summary": "The live evaluation of a wave (the fields of `minxin evaluate --format json`, plus as_of_ms)", "parameters": [id, {"name": "min_respondents", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}],
                "responses": {"200": {"description": "Evaluation", "content": {"application/json": {"schema": {"type": "object", "required": ["cut_points", "profile", "projects", "as_of_ms"]}}}}, "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/projects/{code}": {"get": {"summary": "One project in one wave: its evaluation with index intervals, its scores by district (cells under minimum_cell respondents suppressed) and its results in every wave that includes it",
                "parameters": [id, {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The project view", "content": {"application/json": {"schema": {"type": "object", "required": ["wave_id", "wave", "as_of_ms", "project", "minimum_cell", "districts", "trend"]}}}},
                              "404": {"description": "No such wave or project", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/compare": {"get": {"summary": "The change of each index per project between two waves, with intervals, and the quadrant moves",
                "parameters": [{"name": "before", "in": "query", "required": true, "schema": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX}}, {"name": "after", "in": "query", "required": true, "schema": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX}},
                               {"name": "weighted", "in": "query", "required": false, "schema": {"type": "boolean"}, "description": "weight both waves to the 2020 census; standard errors from each wave's bootstrap"},
                               {"name": "replicates", "in": "query", "required": false, "description": "2 to 1000; staff who read unpublished figures may ask for up to 10000", "schema": {"type": "integer", "minimum": 2, "maximum": 1000}}],
                "responses": {"200": {"description": "The comparison", "content": {"application/json": {"schema": {"type": "object", "required": ["before", "after", "confidence", "projects", "unmatched"]}}}},
                              "400": {"description": "Missing or malformed wave identifiers"},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "The same wave twice", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/districts/{district}": {"get": {"summary": "One district in one wave: each project's indices among the district's respondents (cells under minimum_cell respondents suppressed, as on the project pages); public once the wave is published, before that for the district's officers and the city's staff",
                "parameters": [id, {"name": "district", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The district view", "content": {"application/json": {"schema": {"type": "object", "required": ["wave_id", "district", "minimum_cell", "projects"]}}}},
                              "404": {"description": "No such wave or district", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/robustness": {"get": {"summary": "The weighted evaluation of a wave: weights raked to the 2020 census by district and sex, weighted indices with bootstrap standard errors and percentile intervals, quadrant probabilities (cut points re-estimated in every replicate), rank intervals and the uncertain flag",
                "parameters": [id, {"name": "replicates", "in": "query", "required": false, "description": "0 (weighted scores only), or 2 to 1000; staff who read unpublished figures may ask for up to 10000", "schema": {"type": "integer", "anyOf": [{"const": 0}, {"minimum": 2, "maximum": 1000}]}}, {"name": "seed", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}],
                "responses": {"200": {"description": "The weighted evaluation", "content": {"application/json": {"schema": {"type": "object", "required": ["weighting", "replicates", "seed", "certainty", "confidence", "groups", "projects"]}}}},
                              "404": {"description": "No such wave", "content": {"application/json": {"schema": error}}},
                              "409": {"description": "The wave cannot be weighted yet (a margin category without respondents)", "content": {"application/json": {"schema": error}}},
                              "422": {"description": "Replicates out of range", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/sessions": {"post": {"summary": "Sign in: a bearer token for the Authorization header (sessions last 8 hours; from the fifth wrong password in a row the account waits one second before its next attempt, doubling up to 15 minutes, and is answered 401 as for a wrong password meanwhile; ten attempts a minute per client address)",
                "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "password"], "additionalProperties": false, "properties": {"name": {"type": "string", "pattern": "^[^\\u0000]*$"}, "password": {"type": "string", "pattern": "^[^\\u0000]*$"}}}}}},
                "responses": {"201": {"description": "Signed in", "content": {"application/json": {"schema": {"type": "object", "required": ["token", "account", "expires_at_ms"]}}}},
                              "401": {"description": "Wrong name or password, or an account waiting after repeated failures (one answer for both)", "content": {"application/json": {"schema": error}}},
                              "429": {"description": "Too many attempts from this address", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/sessions/current": {
                "get": {"summary": "Who is signed in: account, roles with their scopes, and the CSRF token for JSON requests made with the session cookie", "responses": {"200": {"description": "The session"}, "401": {"description": "Not signed in", "content": {"application/json": {"schema": error}}}}},
                "delete": {"summary": "Sign out", "responses": {"204": {"description": "Signed out"}, "401": {"description": "Not signed in", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/publication": {"post": {"summary": "Publish a closed wave's results, or withdraw them: a decision signed by the coordination office, superseding the one in force, never edited",
                "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["publish", "statement"], "additionalProperties": false, "properties": {"publish": {"type": "boolean"}, "statement": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"}}}}}},
                "responses": {"201": {"description": "The decision recorded"}, "403": {"description": "Only the coordination office publishes", "content": {"application/json": {"schema": error}}}, "409": {"description": "Not closed, or already in that state", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/decisions": {"get": {"summary": "Every major decision in the order recorded, with the responsible person and the decision it supersedes", "security": [], "responses": {"200": {"description": "Decisions"}}}},
            "/api/v1/audit": {"get": {"summary": "The audit trail with its verification (restricted: coordination office, evaluators, auditors)", "responses": {"200": {"description": "Entries and whether the hash chain is intact"}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/audit/head": {"get": {"summary": "The audit trail's head as an anchor (COUNT:HASH) anyone may record; it reveals no entry, and shows later whether the trail was rewritten since (minxin audit verify --anchor)", "security": [], "responses": {"200": {"description": "The anchor", "content": {"application/json": {"schema": {"type": "object", "required": ["count", "anchor"]}}}}}}},
            "/api/v1/audit.csv": {"get": {"summary": "Export the audit trail as CSV (restricted; the export is recorded in the trail)", "responses": {"200": {"description": "The file", "content": {"text/csv": {}}}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/waves/{id}/responses.csv": {"get": {"summary": "Export a wave's responses in the interchange format, respondents known by their keyed hash only (restricted; the export is recorded in the audit trail)", "parameters": [id], "responses": {"200": {"description": "The file", "content": {"text/csv": {}}}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/roles": {"post": {"summary": "Give (grant: true) or take back a role within a scope (empty: the city); nobody changes their own roles; recorded in the audit trail",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["account", "role", "grant"], "properties": {"account": {"type": "string", "minLength": 1, "description": "An existing account"}, "role": {"type": "string", "enum": ["lead_department", "participating_department", "district_officer"], "description": "Roles that read restricted data or run the platform are given on the server's command line only"}, "scope": {"type": "string", "description": "The unit's code (a department, or a district or street)"}, "grant": {"type": "boolean"}}}}}},
                "responses": {"204": {"description": "Done"}, "403": {"description": "Not permitted, or one's own roles", "content": {"application/json": {"schema": error}}}, "409": {"description": "The account does not hold that role", "content": {"application/json": {"schema": error}}}, "422": {"description": "Unknown account or role, or a scope that does not fit the role", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/organisation": {"get": {"summary": "Departments, districts and streets, departments' parts in projects, and the accounts with their roles (internal)", "responses": {"200": {"description": "The organisation"}, "403": {"description": "Not permitted", "content": {"application/json": {"schema": error}}}}}}
        },
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions. Public information needs none: every endpoint answers 401 when a token is needed, 403 when the roles do not permit it."}}, "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "problems": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
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
                               "description": "How the quadrants are cut: median of the reliable projects' scores (default), pooled-median of every rating's own scores, mean, or fixed targets R,S (0 to 100)"}}},
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
    })
}
