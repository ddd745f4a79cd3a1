//! The handlers of the office's wave pages: create a wave, edit a draft, see a wave's
//! management page, and open or close a wave once confirmed. Each change goes through the
//! same checks as the JSON API (`api::new_wave`, `AppState::set_status`) and is attributed to
//! the signed-in visitor.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minxin_domain::access::{Action, Grade};
use minxin_domain::config::Project;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::Problem;
use minxin_report::Lang;
use serde::Deserialize;

use super::api::{new_wave, project_choices, CreateWave};
use super::forms::{self, blank_wave, wave_values, FormPurpose};
use crate::app::error::{ApiError, PageError};
use crate::app::guard::city_allows;
use crate::app::page_context::PageContext;
use crate::app::state::AppState;

/// A posted wave form: its values as the API would take them, the problems found reading
/// them (a quota that is not a number), and the CSRF token.
struct PostedWave {
    values: CreateWave,
    problems: Vec<Problem>,
    csrf: String,
}

/// Reads the fields of the wave form.
fn posted_wave(fields: Vec<(String, String)>) -> PostedWave {
    let mut values = blank_wave();
    let mut problems = Vec::new();
    let mut csrf = String::new();
    let mut projects = Vec::new();
    let mut quotas = BTreeMap::new();
    let optional = |value: String| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    for (name, value) in fields {
        match name.as_str() {
            "csrf" => csrf = value,
            "name" => values.name = value,
            "period_start" => values.period_start = optional(value),
            "period_end" => values.period_end = optional(value),
            "project" => projects.push(value),
            "tokens_required" => values.tokens_required = true,
            "cut_points" => values.cut_points = optional(value),
            _ => {
                let Some(district) = name.strip_prefix("quota.") else {
                    continue;
                };
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                match value.parse::<u64>() {
                    Ok(quota) => {
                        quotas.insert(district.to_string(), quota);
                    }
                    Err(_) => problems.push(Problem::new(
                        format!("quotas.{district}"),
                        "配额须为不小于 0 的整数。",
                        "a quota is a whole number from 0",
                    )),
                }
            }
        }
    }
    values.projects = Some(projects);
    values.quotas = quotas;
    PostedWave {
        values,
        problems,
        csrf,
    }
}

/// The problems to show again with the form, or the page for an error that is not the form's.
fn form_problems(error: ApiError, lang: Lang) -> Result<Vec<Problem>, PageError> {
    match error {
        ApiError::Invalid { problems } => Ok(problems),
        ApiError::Conflict(text) => Ok(vec![Problem::new("name", text.zh, text.en)]),
        other => Err(PageError(other, lang)),
    }
}

/// `GET /waves/new`: the form for a new wave.
pub(super) async fn new_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
) -> Result<Html<String>, PageError> {
    let choices = project_choices(&state).await.map_err(context.error())?;
    Ok(forms::wave_form(
        &FormPurpose::Create,
        &blank_wave(),
        &[],
        &choices,
        context.visitor.csrf_token(),
        context.lang,
    ))
}

/// `POST /waves/new`: creates the draft and shows its management page, or the form again
/// with what is wrong.
pub(super) async fn create<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let visitor = &context.visitor;
    let posted = posted_wave(fields);
    visitor.check_form(&posted.csrf).map_err(context.error())?;
    let by = visitor.require_attribution().map_err(context.error())?;
    let choices = project_choices(&state).await.map_err(context.error())?;
    let outcome = match checked(&posted, &choices) {
        Ok(wave) => state.create_wave(wave, &by).await.map(|wave| wave.id()),
        Err(error) => Err(error),
    };
    saved(outcome, &FormPurpose::Create, posted, &choices, &context)
}

/// The wave a posted form describes, or every problem with it (the form's own and the API's).
fn checked(
    posted: &PostedWave,
    choices: &[Project],
) -> Result<minxin_domain::platform::NewWave, ApiError> {
    if posted.problems.is_empty() {
        new_wave(posted.values.clone(), choices)
    } else {
        Err(ApiError::Invalid {
            problems: posted.problems.clone(),
        })
    }
}

/// After saving wave `outcome`: its management page, or the form again with what is wrong.
fn saved(
    outcome: Result<i64, ApiError>,
    purpose: &FormPurpose,
    posted: PostedWave,
    choices: &[Project],
    context: &PageContext,
) -> Result<Response, PageError> {
    match outcome {
        Ok(id) => {
            Ok(Redirect::to(&format!("/waves/{id}/manage{}", context.suffix())).into_response())
        }
        Err(error) => {
            let problems = form_problems(error, context.lang)?;
            Ok(forms::wave_form(
                purpose,
                &posted.values,
                &problems,
                choices,
                context.visitor.csrf_token(),
                context.lang,
            )
            .into_response())
        }
    }
}

/// `GET /waves/{id}/manage`: what the wave is and what may be done with it next.
pub(super) async fn manage<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let wave = state.wave(id).map_err(context.error())?;
    let may_publish = city_allows(&state, &context.visitor, Action::Publish, Grade::Internal);
    Ok(forms::manage_page(
        &wave,
        state.is_published(id),
        may_publish,
        context.lang,
    ))
}

/// `GET /waves/{id}/edit`: the form with the draft's values.
pub(super) async fn edit_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let wave = state.wave(id).map_err(context.error())?;
    if wave.status() != WaveStatus::Draft {
        return Err(PageError(not_a_draft(id), context.lang));
    }
    let choices = project_choices(&state).await.map_err(context.error())?;
    Ok(forms::wave_form(
        &FormPurpose::Edit(id),
        &wave_values(&wave),
        &[],
        &choices,
        context.visitor.csrf_token(),
        context.lang,
    ))
}

/// A wave that has left the draft status is not edited.
fn not_a_draft(id: i64) -> ApiError {
    ApiError::conflict(
        "这一轮评价已开始收集答卷，不能再修改；只有草稿可以修改。",
        format!("wave {id} is not a draft; only a draft is edited"),
    )
}

/// `POST /waves/{id}/edit`: saves the draft, or shows the form again with what is wrong.
pub(super) async fn edit<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let visitor = &context.visitor;
    let posted = posted_wave(fields);
    visitor.check_form(&posted.csrf).map_err(context.error())?;
    let by = visitor.require_attribution().map_err(context.error())?;
    let choices = project_choices(&state).await.map_err(context.error())?;
    let outcome = match checked(&posted, &choices) {
        Ok(wave) => state.update_draft(id, wave, &by).await.map(|_| id),
        Err(error) => Err(error),
    };
    saved(outcome, &FormPurpose::Edit(id), posted, &choices, &context)
}

/// The status a confirmation is asked for (`?to=open` or `?to=closed`).
#[derive(Debug, Deserialize)]
pub(super) struct StatusQuery {
    #[serde(default)]
    to: String,
}

/// The status `code` names, if it is one a wave may be moved to from the web.
fn target_status(code: &str, lang: Lang) -> Result<WaveStatus, PageError> {
    match WaveStatus::from_code(code) {
        Some(status @ (WaveStatus::Open | WaveStatus::Closed)) => Ok(status),
        _ => Err(PageError(
            ApiError::invalid(
                "to",
                "请从管理页面选择要进行的操作。",
                "to is open or closed",
            ),
            lang,
        )),
    }
}

/// `GET /waves/{id}/status?to=…`: what opening or closing changes, and the button that does it.
pub(super) async fn confirm_status<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<StatusQuery>,
) -> Result<Html<String>, PageError> {
    let wave = state.wave(id).map_err(context.error())?;
    let to = target_status(&query.to, context.lang)?;
    Ok(forms::confirm_status(
        &wave,
        to,
        context.visitor.csrf_token(),
        context.lang,
    ))
}

/// The fields of the confirmation form.
#[derive(Debug, Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
}

/// `POST /waves/{id}/status`: opens or closes the wave, then shows its management page.
pub(super) async fn change_status<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let visitor = &context.visitor;
    visitor.check_form(&form.csrf).map_err(context.error())?;
    let by = visitor.require_attribution().map_err(context.error())?;
    let to = target_status(&form.to, context.lang)?;
    state
        .set_status(id, to, &by)
        .await
        .map_err(context.error())?;
    Ok(Redirect::to(&format!("/waves/{id}/manage{}", context.suffix())).into_response())
}
