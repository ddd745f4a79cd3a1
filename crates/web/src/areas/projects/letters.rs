//! Responsibility letters through the web: the operations the pages and the API share (the
//! office starts and issues a letter or takes it back, the office or the lead department
//! writes its commitments while it is a draft, the lead department signs it), the names the
//! workbook is read and written with, and the API's handlers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use minxin_domain::advancement::letter::{Commitments, Letter, LetterContext};
use minxin_domain::advancement::letter_sheets::{
    checked_commitments_from_sheets, commitments_to_sheets, SheetNames,
};
use minxin_domain::platform::Store;
use minxin_domain::Configuration;
use serde::Deserialize;

use super::stage::rights;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// The units and districts a project's letter is checked and read with: codes, and codes
/// with Chinese names.
pub struct LetterNames {
    /// Every unit's code.
    pub unit_codes: Vec<String>,
    /// The project's districts' codes.
    pub district_codes: Vec<String>,
    /// Every unit: code and Chinese name.
    pub units: Vec<(String, String)>,
    /// The project's districts: code and Chinese name.
    pub districts: Vec<(String, String)>,
}

impl LetterNames {
    /// The names for project `code`'s letters.
    pub async fn of<S: Store>(state: &AppState<S>, code: &str) -> Result<LetterNames, ApiError> {
        let register = state.register();
        let project = register.project(code).ok_or_else(|| {
            ApiError::not_found(
                "项目库中没有这个项目。",
                format!("the register has no project {code:?}"),
            )
        })?;
        let units: Vec<(String, String)> = state
            .organisation()
            .units
            .iter()
            .map(|u| (u.code.clone(), u.name_zh.clone()))
            .collect();
        let configuration = Configuration::defaults();
        let districts: Vec<(String, String)> = project
            .districts
            .iter()
            .map(|d| {
                let name = configuration
                    .districts
                    .entries()
                    .iter()
                    .find(|known| &known.code == d)
                    .map_or(d.clone(), |known| known.zh.clone());
                (d.clone(), name)
            })
            .collect();
        Ok(LetterNames {
            unit_codes: units.iter().map(|(c, _)| c.clone()).collect(),
            district_codes: project.districts.clone(),
            units,
            districts,
        })
    }

    /// What commitments are checked against.
    pub fn context(&self) -> LetterContext<'_> {
        LetterContext {
            units: &self.unit_codes,
            districts: &self.district_codes,
        }
    }

    /// What the workbook is read and written with.
    pub fn sheet_names(&self) -> SheetNames<'_> {
        SheetNames {
            units: &self.units,
            districts: &self.districts,
        }
    }

    /// The Chinese name of a unit or district, or its code.
    pub fn name(&self, code: &str) -> String {
        self.units
            .iter()
            .chain(self.districts.iter())
            .find(|(known, _)| known == code)
            .map_or(code.to_string(), |(_, zh)| zh.clone())
    }
}

/// Refused: only the office.
fn office_only(zh: &str, en: &str) -> ApiError {
    ApiError::forbidden(zh.to_string(), en.to_string())
}

/// The first and last year a letter may cover.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Starts project `code`'s letter for `year`, as the office.
pub async fn create<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
) -> Result<Letter, ApiError> {
    if !rights(state, visitor, code).decide {
        return Err(office_only(
            "责任书由市协调办起草下达。",
            "the coordination office starts and issues letters",
        ));
    }
    if !YEARS.contains(&year) {
        return Err(ApiError::invalid(
            "year",
            "年份须在2000年至2100年之间。",
            "the year must be 2000 to 2100",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.create_letter(code, year, &by).await?)
}

/// Writes the commitments of project `code`'s draft letter for `year`, as the office or the
/// lead department; every problem at once.
pub async fn write<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
    commitments: &Commitments,
) -> Result<Letter, ApiError> {
    if !rights(state, visitor, code).plan {
        return Err(office_only(
            "只有市协调办或本项目的牵头部门可以填写责任书。",
            "only the coordination office or the project's lead department writes its letter",
        ));
    }
    let names = LetterNames::of(state, code).await?;
    let problems = commitments.problems(names.context());
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .put_commitments(code, year, commitments, &by)
        .await?)
}

/// Writes the commitments of a workbook (its sheets' problems named by cell).
pub async fn write_workbook<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
    bytes: Vec<u8>,
) -> Result<Letter, ApiError> {
    let names = LetterNames::of(state, code).await?;
    let sheets = minxin_interchange::read_sheets(bytes).map_err(|e| {
        ApiError::invalid(
            "file",
            "无法读取上传的工作簿，请上传 XLSX 文件。",
            e.to_string(),
        )
    })?;
    let commitments =
        checked_commitments_from_sheets(&sheets, names.sheet_names(), names.context())
            .map_err(|problems| ApiError::Invalid { problems })?;
    write(state, visitor, code, year, &commitments).await
}

/// The letter as its workbook (the template, when it commits to nothing yet).
pub async fn workbook<S: Store>(
    state: &AppState<S>,
    code: &str,
    letter: &Letter,
) -> Result<Vec<u8>, ApiError> {
    let names = LetterNames::of(state, code).await?;
    minxin_interchange::write_sheets(&commitments_to_sheets(
        &letter.commitments,
        names.sheet_names(),
    ))
    .map_err(|e| ApiError::Internal(format!("cannot write the workbook: {e}")))
}

/// Issues project `code`'s letter for `year`, or takes it back to draft with `reason`, as
/// the office.
pub async fn issue<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
    issue: bool,
    reason: &str,
) -> Result<Letter, ApiError> {
    if !rights(state, visitor, code).decide {
        return Err(office_only(
            "责任书由市协调办下达或退回。",
            "the coordination office issues letters and takes them back",
        ));
    }
    if !issue && reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "退回时请写明理由。",
            "returning a letter states the reason",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .issue_letter(code, year, issue, reason.trim(), &by)
        .await?)
}

/// Signs project `code`'s issued letter for `year` for its lead department.
pub async fn accept<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    year: i32,
) -> Result<Letter, ApiError> {
    if !rights(state, visitor, code).lead {
        return Err(office_only(
            "责任书由本项目的牵头部门签收。",
            "the project's lead department signs its letter",
        ));
    }
    let by = visitor.require_attribution()?;
    let name = visitor
        .signed_in
        .as_ref()
        .map_or(by.actor.clone(), |user| user.display_name.clone());
    Ok(state.store.accept_letter(code, year, &name, &by).await?)
}

/// Project `code`'s letter for `year`, or not found.
pub async fn letter<S: Store>(
    state: &AppState<S>,
    code: &str,
    year: i32,
) -> Result<Letter, ApiError> {
    state
        .store
        .letters(Some(code))
        .await?
        .into_iter()
        .find(|l| l.year == year)
        .ok_or_else(|| {
            ApiError::not_found(
                format!("本项目没有{year}年的责任书。"),
                format!("project {code:?} has no letter for {year}"),
            )
        })
}

pub(super) async fn letters_api<S: Store>(
    State(state): State<AppState<S>>,
    Path(code): Path<String>,
) -> Result<Json<Vec<Letter>>, ApiError> {
    Ok(Json(state.store.letters(Some(&code)).await?))
}

/// The body of `POST /api/v1/projects/{code}/letters`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLetter {
    /// The year the letter covers.
    pub year: i32,
}

pub(super) async fn create_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
    Json(body): Json<NewLetter>,
) -> Result<(StatusCode, Json<Letter>), ApiError> {
    let letter = create(&state, &visitor, &code, body.year).await?;
    Ok((StatusCode::CREATED, Json(letter)))
}

pub(super) async fn write_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((code, year)): Path<(String, i32)>,
    Json(commitments): Json<Commitments>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(
        write(&state, &visitor, &code, year, &commitments).await?,
    ))
}

/// The body of `POST /api/v1/projects/{code}/letters/{year}/issue`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueLetter {
    /// Issue (true) or take back to draft (false).
    pub issue: bool,
    /// Why it is taken back.
    #[serde(default)]
    pub reason: String,
}

pub(super) async fn issue_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((code, year)): Path<(String, i32)>,
    Json(body): Json<IssueLetter>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(
        issue(&state, &visitor, &code, year, body.issue, &body.reason).await?,
    ))
}

pub(super) async fn accept_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(accept(&state, &visitor, &code, year).await?))
}
