//! File import into a wave: the response interchange format (CSV or XLSX, told apart by the
//! file's first bytes), checked row by row with the same rules as `minxin evaluate`, stored in
//! one transaction. By default an import is all or nothing: one bad row and nothing is stored,
//! and every bad row is reported with its row, column and reason. Keeping the valid rows
//! (`?keep_valid=true`, or the form's check box) stores them and reports the others.
//!
//! The same import serves the API (`POST /api/v1/waves/{id}/import`, the file as the body),
//! the upload form (`/waves/{id}/import`) and `minxin import`, which posts to the API.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{Attribution, Store, SubmissionsFromRows, WaveStatus};
use minxin_domain::subject::Subject;
use minxin_domain::{ColumnLayout, EvaluationOptions, Evaluator, RowOutcome};
use minxin_interchange::{CsvRows, InputFormat, RowSource, XlsxRows};
use serde::{Deserialize, Serialize};

use crate::app::error::ApiError;
use crate::app::intake::{self, Acknowledgement};
use crate::app::live::LiveWave;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// Rejections listed in a response, at most (the count is always complete).
const LISTED_REJECTIONS: usize = 1_000;

/// Query of the import.
#[derive(Debug, Deserialize, Default)]
pub struct ImportQuery {
    /// Store the valid rows even when some are rejected.
    #[serde(default)]
    pub keep_valid: bool,
}

/// One rejected row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedRejection {
    /// The row number (the header is row 1).
    pub row: u64,
    /// The column, when one is to blame.
    pub column: Option<String>,
    /// Why the row was rejected, in English.
    pub reason: String,
    /// Why the row was rejected, in Chinese.
    pub reason_zh: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Rows stored.
    pub rows_used: u64,
    /// Respondents those rows belong to.
    pub respondents: usize,
    /// Respondents new to the wave.
    pub created: usize,
    /// Respondents whose earlier answers were replaced.
    pub replaced: usize,
    /// Respondents stored already with the same answers.
    pub already_stored: usize,
    /// Rows rejected (only when the valid rows were kept).
    pub rejected: usize,
    /// The first rejected rows.
    pub rejections: Vec<ListedRejection>,
}

/// Imports `file` into wave `id`. Nothing is stored when a row is rejected unless
/// `keep_valid`; the error then lists the rejected rows. What was stored is recorded in the
/// audit trail, attributed to `by`, once the responses are durable.
pub async fn import_file<S: Store>(
    state: &AppState<S>,
    id: i64,
    file: Vec<u8>,
    keep_valid: bool,
    by: &Attribution,
) -> Result<ImportReport, ApiError> {
    let wave = state.wave(id)?;
    if wave.status() != WaveStatus::Open {
        return Err(crate::app::error::not_open(id, wave.status()));
    }
    let checked = match InputFormat::sniff(&file) {
        InputFormat::Xlsx => check_rows(&wave, XlsxRows::from_bytes(file).map_err(file_error)?)?,
        InputFormat::Csv => check_rows(&wave, CsvRows::new(&file[..]).map_err(file_error)?)?,
    };
    if !checked.rejections.is_empty() && !keep_valid {
        return Err(ApiError::Rejected {
            rejected: checked.rejected,
            listed: checked
                .rejections
                .iter()
                .map(|r| serde_json::to_value(r).expect("plain fields"))
                .collect(),
        });
    }
    let now = crate::app::clock::now_ms();
    let respondents = checked.submissions.len();
    let mut batch = Vec::with_capacity(respondents);
    for (respondent, submission) in checked.submissions {
        let valid = wave.model.validate_imported(submission)?;
        let key = state.secret.respondent_key(id, &respondent);
        batch.push((valid.to_stored(key, None, now), valid));
    }
    let acknowledgements = if batch.is_empty() {
        Vec::new()
    } else {
        intake::submit_all(state.intake(), wave.clone(), batch).await?
    };
    let count = |wanted: Acknowledgement| acknowledgements.iter().filter(|a| **a == wanted).count();
    let report = ImportReport {
        rows_used: checked.rows_used,
        respondents,
        created: count(Acknowledgement::Created),
        replaced: count(Acknowledgement::Replaced),
        already_stored: count(Acknowledgement::AlreadyStored),
        rejected: checked.rejected,
        rejections: checked.rejections,
    };
    state
        .store
        .append_audit(NewAuditEntry::attributed(
            by,
            AuditAction::WaveImport,
            &Subject::Wave(id),
            None,
            Some(
                serde_json::json!({
                    "rows_used": report.rows_used,
                    "respondents": report.respondents,
                    "created": report.created,
                    "replaced": report.replaced,
                    "already_stored": report.already_stored,
                    "rejected": report.rejected,
                })
                .to_string(),
            ),
        ))
        .await?;
    Ok(report)
}

fn file_error(error: impl std::fmt::Display) -> ApiError {
    ApiError::invalid(
        "file",
        "文件无法读取，请确认它是 UTF-8 编码的 CSV 文件或 Excel 工作簿。",
        error.to_string(),
    )
}

/// The rows of a file after checking: one submission per respondent, and the rejections.
struct CheckedRows {
    submissions: Vec<(String, minxin_domain::platform::SubmissionInput)>,
    rows_used: u64,
    rejected: usize,
    rejections: Vec<ListedRejection>,
}

fn check_rows<R: RowSource>(wave: &LiveWave, mut rows: R) -> Result<CheckedRows, ApiError> {
    let configuration = &wave.model.configuration;
    let layout =
        ColumnLayout::from_header(rows.header(), &configuration.instrument).map_err(|e| {
            ApiError::invalid(
                "row 1 (header)",
                format!("第 1 行（表头）与导入格式不符：{e}"),
                e.to_string(),
            )
        })?;
    let mut evaluator = Evaluator::new(configuration, layout.clone(), EvaluationOptions::default())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut gathering = SubmissionsFromRows::new(&layout, &configuration.instrument);
    let mut rejections = Vec::new();
    let mut rejected = 0usize;
    while let Some((row, record)) = rows.next_row().map_err(file_error)? {
        match evaluator.push(row, record).map_err(file_error)? {
            RowOutcome::Used => gathering.add(record),
            RowOutcome::Rejected(rejection) => {
                rejected += 1;
                if rejections.len() < LISTED_REJECTIONS {
                    rejections.push(ListedRejection {
                        row: rejection.row,
                        column: rejection.column,
                        reason: rejection.reason.to_string(),
                        reason_zh: rejection.reason.zh(),
                    });
                }
            }
            RowOutcome::OtherWave => {}
        }
    }
    Ok(CheckedRows {
        submissions: gathering.finish(),
        rows_used: evaluator.row_counts().used,
        rejected,
        rejections,
    })
}

pub(super) async fn import<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let by = visitor.require_attribution()?;
    Ok(Json(
        import_file(&state, id, body.to_vec(), query.keep_valid, &by).await?,
    ))
}
