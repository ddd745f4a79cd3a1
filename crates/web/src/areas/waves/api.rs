//! The JSON API of waves: list, read, create, edit a draft, open and close.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::evaluation::CutPointRule;
use minxin_domain::organisation::Target;
use minxin_domain::platform::{
    check_period, NewWave, Store, WaveConfigTexts, WaveRecord, WaveStatus,
};
use minxin_domain::{Configuration, Problem};
use serde::{Deserialize, Serialize};

use crate::app::error::ApiError;
use crate::app::guard::{may_read, GradeOf};
use crate::app::live::LiveWave;
use crate::app::session::Visitor;
use crate::app::state::AppState;

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
        projects: wave.project_codes(),
        responses,
        updated_at_ms,
    }
}

pub(super) async fn list_waves<S: Store>(
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

pub(super) async fn get_wave<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let wave = state.wave(id)?;
    Ok(Json(summary(&wave)))
}

/// The body of `POST /api/v1/waves` (and of `PUT /api/v1/waves/{id}`, which edits a draft).
#[derive(Debug, Clone, Deserialize)]
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
    /// Codes of the register's projects to include (default: all).
    #[serde(default)]
    pub projects: Option<Vec<String>>,
    /// Take responses only with a citizen token signed by a portal.
    #[serde(default)]
    pub tokens_required: bool,
    /// How the quadrants are cut: `median` (default), `pooled-median`, `mean` or `R,S`.
    #[serde(default)]
    pub cut_points: Option<String>,
}

/// The projects a new wave may evaluate: the register's, as a survey catalogue, or the
/// built-in catalogue's while no register is loaded.
pub async fn project_choices<S: Store>(
    state: &AppState<S>,
) -> Result<Vec<minxin_domain::config::Project>, ApiError> {
    let register = state.store.register().await?;
    Ok(if register.projects.is_empty() {
        Configuration::defaults().catalogue.projects
    } else {
        register.catalogue()
    })
}

/// The configuration texts of a new wave: the built-in ones, with the catalogue of `choices`
/// narrowed to `projects` (the built-in text itself when that is the built-in catalogue).
pub fn wave_config(
    projects: Option<&[String]>,
    choices: &[minxin_domain::config::Project],
) -> Result<WaveConfigTexts, ApiError> {
    let mut texts = WaveConfigTexts::defaults();
    let mut problems = Vec::new();
    let chosen: Vec<minxin_domain::config::Project> = match projects {
        None => choices.to_vec(),
        Some(codes) => {
            let mut chosen = Vec::new();
            for (k, code) in codes.iter().enumerate() {
                match choices.iter().find(|p| &p.code == code) {
                    Some(project) => chosen.push(project.clone()),
                    None => problems.push(Problem::new(
                        format!("projects[{k}]"),
                        "所选工程不在项目库中。",
                        format!("unknown project {code:?}"),
                    )),
                }
            }
            chosen
        }
    };
    if chosen.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            "projects",
            "请至少选择一项工程。",
            "at least one project is needed",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    if chosen == Configuration::defaults().catalogue.projects {
        return Ok(texts);
    }
    #[derive(Serialize)]
    struct CatalogueFile<'a> {
        project: &'a [minxin_domain::config::Project],
    }
    texts.catalogue = toml::to_string(&CatalogueFile { project: &chosen })
        .map_err(|e| ApiError::Internal(format!("cannot write the catalogue: {e}")))?;
    Ok(texts)
}

/// The wave `body` describes, choosing among the projects `choices`, or every problem with it,
/// each naming its field.
pub fn new_wave(
    body: CreateWave,
    choices: &[minxin_domain::config::Project],
) -> Result<NewWave, ApiError> {
    let name = body.name.trim().to_string();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 64 {
        problems.push(Problem::new(
            "name",
            "请填写名称（1 至 64 个字）。",
            "a name of 1 to 64 characters is required",
        ));
    }
    problems.extend(check_period(
        body.period_start.as_deref(),
        body.period_end.as_deref(),
    ));
    let cut_points = match body.cut_points.as_deref().map(str::parse::<CutPointRule>) {
        None => CutPointRule::Median,
        Some(Ok(rule)) => rule,
        Some(Err(message)) => {
            problems.push(Problem::new(
                "cut_points",
                "象限划分方法无效，请从列表中选择。",
                message,
            ));
            CutPointRule::Median
        }
    };
    let config = match wave_config(body.projects.as_deref(), choices) {
        Ok(config) => Some(config),
        Err(ApiError::Invalid { problems: more }) => {
            problems.extend(more);
            None
        }
        Err(other) => return Err(other),
    };
    let districts = Configuration::defaults().districts;
    problems.extend(
        body.quotas
            .keys()
            .filter(|code| districts.position(code.as_bytes()).is_none())
            .map(|code| {
                Problem::new(
                    format!("quotas.{code}"),
                    "配额中有不在名单上的区。",
                    "unknown district",
                )
            }),
    );
    match config {
        Some(config) if problems.is_empty() => Ok(NewWave {
            name,
            period_start: body.period_start,
            period_end: body.period_end,
            quotas: body.quotas,
            config,
            tokens_required: body.tokens_required,
            cut_points: cut_points.to_string(),
        }),
        _ => Err(ApiError::Invalid { problems }),
    }
}

pub(super) async fn create_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(body): Json<CreateWave>,
) -> Result<(StatusCode, Json<WaveSummary>), ApiError> {
    let by = visitor.require_attribution()?;
    let choices = project_choices(&state).await?;
    let wave = state.create_wave(new_wave(body, &choices)?, &by).await?;
    Ok((StatusCode::CREATED, Json(summary(&wave))))
}

/// `PUT /api/v1/waves/{id}`: a draft described anew (the body of a creation).
pub(super) async fn update_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(body): Json<CreateWave>,
) -> Result<Json<WaveSummary>, ApiError> {
    let by = visitor.require_attribution()?;
    let choices = project_choices(&state).await?;
    let wave = state
        .update_draft(id, new_wave(body, &choices)?, &by)
        .await?;
    Ok(Json(summary(&wave)))
}

pub(super) async fn open_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.set_status(id, WaveStatus::Open, &by).await?;
    Ok(Json(summary(&wave)))
}

pub(super) async fn close_wave<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Json<WaveSummary>, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.set_status(id, WaveStatus::Closed, &by).await?;
    Ok(Json(summary(&wave)))
}
