//! Progress reports through the web: which units a visitor reports for, submitting a month's
//! report (checked against what the unit owns), the lead department's review and the office's
//! decision, the view of a letter's progress (roll-ups, each target's parts, the reports owed
//! and not made), and the API's handlers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::access::Role;
use minxin_domain::advancement::letter::{Letter, LetterStatus};
use minxin_domain::advancement::progress::{
    district_progress, latest_achieved, missing_reports, project_progress, reporting_units, Month,
    ProgressReport, ReportContent, RollUp,
};
use minxin_domain::calendar::Day;
use minxin_domain::organisation::Scope;
use minxin_domain::platform::Store;
use serde::{Deserialize, Serialize};

use super::letters;
use super::stage::rights;
use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// The lead department of project `code`.
async fn lead_of<S: Store>(state: &AppState<S>, code: &str) -> Result<String, ApiError> {
    Ok(state
        .register()
        .project(code)
        .map(|p| p.lead_department.clone())
        .unwrap_or_default())
}

/// The units of `letter` that `visitor` reports for: those their department or district roles
/// are held for.
pub fn units_of(visitor: &Visitor, letter: &Letter, lead: &str) -> Vec<String> {
    let reporting = reporting_units(letter, lead);
    let mut units: Vec<String> = visitor
        .assignments()
        .iter()
        .filter(|a| {
            matches!(
                a.role,
                Role::LeadDepartment | Role::ParticipatingDepartment | Role::DistrictOfficer
            )
        })
        .filter_map(|a| match &a.scope {
            Scope::Unit(unit) if reporting.contains(unit) => Some(unit.clone()),
            _ => None,
        })
        .collect();
    units.sort();
    units.dedup();
    units
}

/// Today, in Beijing.
pub fn today() -> Day {
    Day::in_beijing(now_ms())
}

/// The last month a letter's progress is looked at: this one, within the letter's year.
pub fn through(letter: &Letter) -> Month {
    Month::of(today()).min(Month {
        year: letter.year,
        month: 12,
    })
}

/// Submits `unit`'s report on project `code`'s letter for `year` and `month`, as one who
/// reports for the unit; every problem at once.
pub async fn submit<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
    month: &str,
    unit: &str,
    content: &ReportContent,
) -> Result<ProgressReport, ApiError> {
    let letter = letters::letter(state, code, year).await?;
    let lead = lead_of(state, code).await?;
    if !units_of(visitor, &letter, &lead).iter().any(|u| u == unit) {
        return Err(ApiError::forbidden(
            "只能为本单位承担的任务报送进展。",
            format!("you do not report for {unit:?} on this letter"),
        ));
    }
    if letter.status != LetterStatus::Accepted {
        return Err(ApiError::conflict(
            "责任书签收之后才能报送进展。",
            "progress is reported on a signed letter",
        ));
    }
    let Some(period) = Month::parse(month) else {
        return Err(ApiError::invalid(
            "month",
            "请选择报送的月份。",
            format!("{month:?} is not a month such as 2021-06"),
        ));
    };
    let problems = content.problems(&letter, &lead, unit, period, today());
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .submit_report(code, year, &period.to_string(), unit, content, &by)
        .await?)
}

/// What may be done next with report `id` of project `code`: `review` (the lead department
/// reviews, or returns with `reason`) or `decide` (the office accepts, or returns).
pub async fn advance<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    id: i64,
    step: Step,
    reason: &str,
) -> Result<ProgressReport, ApiError> {
    let report = state
        .store
        .report(id)
        .await?
        .filter(|r| r.project == code)
        .ok_or_else(|| {
            ApiError::not_found(
                "本项目没有这份进展报告。",
                format!("project {code:?} has no report {id}"),
            )
        })?;
    let may = rights(state, visitor, code);
    let by = visitor.require_attribution()?;
    let allowed = match step {
        Step::Review | Step::ReturnToUnit => may.lead,
        Step::Accept | Step::Return => may.decide,
    };
    if !allowed {
        return Err(ApiError::forbidden(
            "进展报告由牵头部门审核、市协调办确认。",
            "the lead department reviews reports and the office accepts them",
        ));
    }
    if matches!(step, Step::Return | Step::ReturnToUnit) && reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "退回时请写明理由。",
            "returning a report states the reason",
        ));
    }
    Ok(match step {
        Step::Review => state.store.review_report(report.id, &by).await?,
        Step::Accept => state.store.decide_report(report.id, true, "", &by).await?,
        Step::Return | Step::ReturnToUnit => {
            state
                .store
                .decide_report(report.id, false, reason.trim(), &by)
                .await?
        }
    })
}

/// The next step of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The lead department reviews it.
    Review,
    /// The lead department returns it to the unit.
    ReturnToUnit,
    /// The office accepts it.
    Accept,
    /// The office returns it.
    Return,
}

/// A target part's planned and achieved quantities.
#[derive(Debug, Clone, Serialize)]
pub struct PartProgress {
    /// The target's code.
    pub target: String,
    /// The district, for a share.
    pub district: Option<String>,
    /// What is planned.
    pub planned: f64,
    /// The latest cumulative figure reported; `None` when nobody has reported.
    pub achieved: Option<f64>,
}

/// A letter's progress as the page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct LetterProgress {
    /// The letter.
    pub letter: Letter,
    /// The month looked at.
    pub through: String,
    /// The project's roll-up (`None` for a letter without targets).
    pub project: Option<RollUp>,
    /// Each district's roll-up, for the districts with shares.
    pub districts: Vec<(String, RollUp)>,
    /// Each target part, planned and achieved.
    pub parts: Vec<PartProgress>,
    /// The reports owed and not made: month and unit.
    pub missing: Vec<(String, String)>,
    /// Every report, oldest first.
    pub reports: Vec<ProgressReport>,
}

/// Project `code`'s letter for `year` with its progress through this month.
pub async fn letter_progress<S: Store>(
    state: &AppState<S>,
    code: &str,
    year: i32,
) -> Result<LetterProgress, ApiError> {
    let letter = letters::letter(state, code, year).await?;
    let lead = lead_of(state, code).await?;
    let reports = state.store.reports(code, year).await?;
    let through = through(&letter);
    let achieved = latest_achieved(&reports, through);
    let mut parts = Vec::new();
    let mut districts: Vec<String> = Vec::new();
    for target in &letter.commitments.targets {
        if target.shares.is_empty() {
            parts.push(PartProgress {
                target: target.id.clone(),
                district: None,
                planned: target.quantity,
                achieved: achieved.get(&(target.id.clone(), None)).copied(),
            });
        }
        for share in &target.shares {
            if !districts.contains(&share.district) {
                districts.push(share.district.clone());
            }
            parts.push(PartProgress {
                target: target.id.clone(),
                district: Some(share.district.clone()),
                planned: share.quantity,
                achieved: achieved
                    .get(&(target.id.clone(), Some(share.district.clone())))
                    .copied(),
            });
        }
    }
    let missing = if letter.status == LetterStatus::Accepted {
        missing_reports(&letter, &lead, &reports, through)
            .into_iter()
            .map(|(month, unit)| (month.to_string(), unit))
            .collect()
    } else {
        Vec::new()
    };
    Ok(LetterProgress {
        project: project_progress(&letter, &reports, through),
        districts: districts
            .into_iter()
            .filter_map(|d| {
                district_progress(&letter, &reports, &d, through).map(|rollup| (d, rollup))
            })
            .collect(),
        through: through.to_string(),
        parts,
        missing,
        reports,
        letter,
    })
}

pub(super) async fn progress_api<S: Store>(
    State(state): State<AppState<S>>,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Json<LetterProgress>, ApiError> {
    Ok(Json(letter_progress(&state, &code, year).await?))
}

/// The body of `POST /api/v1/projects/{code}/progress`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The letter's year.
    pub year: i32,
    /// The month reported (`2021-06`).
    pub month: String,
    /// The reporting unit.
    pub unit: String,
    /// What it reports.
    pub content: ReportContent,
}

pub(super) async fn submit_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(body): Json<NewReport>,
) -> Result<(StatusCode, Json<ProgressReport>), ApiError> {
    let report = submit(
        &state,
        &visitor,
        &code,
        body.year,
        &body.month,
        &body.unit,
        &body.content,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// The body of `POST /api/v1/projects/{code}/progress/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportStep {
    /// What to do.
    pub step: Step,
    /// Why, when returning.
    #[serde(default)]
    pub reason: String,
}

pub(super) async fn step_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((code, id)): Path<(String, i64)>,
    Json(body): Json<ReportStep>,
) -> Result<Json<ProgressReport>, ApiError> {
    Ok(Json(
        advance(&state, &visitor, &code, id, body.step, &body.reason).await?,
    ))
}
