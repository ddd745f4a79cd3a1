//! File import into a wave: the response interchange format (CSV), checked row by row with the
//! same rules as `minxin evaluate`, stored in one transaction. By default an import is all or
//! nothing: one bad row and nothing is stored, and every bad row is reported with its row,
//! column and reason. `?keep_valid=true` stores the valid rows and reports the others.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::post;
use axum::{Json, Router};
use minxin_domain::platform::{Store, SubmissionsFromRows, WaveStatus};
use minxin_domain::{ColumnLayout, EvaluationOptions, Evaluator, RowOutcome};
use minxin_interchange::{CsvRows, RowSource};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::intake::{self, Acknowledgement};
use crate::state::AppState;

/// Rejections listed in a response, at most (the count is always complete).
const LISTED_REJECTIONS: usize = 1_000;

/// The import route.
pub fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route("/api/v1/waves/{id}/import", post(import::<S>))
}

/// Query of the import.
#[derive(Debug, Deserialize, Default)]
pub struct ImportQuery {
    /// Store the valid rows even when some are rejected.
    #[serde(default)]
    pub keep_valid: bool,
}

async fn import<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let wave = state.wave(id)?;
    if wave.status() != WaveStatus::Open {
        return Err(ApiError::Conflict(format!(
            "wave {id} is {}, not open",
            wave.status().code()
        )));
    }
    let configuration = &wave.model.configuration;
    let invalid = |field: &str, message: String| ApiError::Invalid {
        problems: vec![(field.into(), message)],
    };
    let mut rows = CsvRows::new(&body[..]).map_err(|e| invalid("file", e.to_string()))?;
    let layout = ColumnLayout::from_header(rows.header(), &configuration.instrument)
        .map_err(|e| invalid("row 1 (header)", e.to_string()))?;
    let mut evaluator = Evaluator::new(configuration, layout.clone(), EvaluationOptions::default())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut gathering = SubmissionsFromRows::new(&layout, &configuration.instrument);
    let mut rejections = Vec::new();
    let mut rejected = 0usize;
    while let Some((row, record)) = rows
        .next_row()
        .map_err(|e| invalid("file", e.to_string()))?
    {
        match evaluator
            .push(row, record)
            .map_err(|e| invalid("file", e.to_string()))?
        {
            RowOutcome::Used => {}
            RowOutcome::Rejected(rejection) => {
                rejected += 1;
                if rejections.len() < LISTED_REJECTIONS {
                    rejections.push(json!({"row": rejection.row, "column": rejection.column, "reason": rejection.reason.to_string()}));
                }
                continue;
            }
            RowOutcome::OtherWave => continue,
        }
        gathering.add(record);
    }
    if rejected > 0 && !query.keep_valid {
        return Err(ApiError::Rejected {
            rejected,
            listed: rejections,
        });
    }
    let now = crate::api::now_ms();
    let submissions = gathering.finish();
    let respondents = submissions.len();
    let mut batch = Vec::with_capacity(respondents);
    for (respondent, submission) in submissions {
        let valid = wave.model.validate(submission)?;
        let key = state.secret.respondent_key(id, &respondent);
        batch.push((valid.to_stored(key, None, now), valid));
    }
    let acknowledgements = if batch.is_empty() {
        Vec::new()
    } else {
        intake::submit_all(state.intake(), wave.clone(), batch).await?
    };
    let count = |wanted: Acknowledgement| acknowledgements.iter().filter(|a| **a == wanted).count();
    Ok(Json(json!({
        "rows_used": evaluator.row_counts().used,
        "respondents": respondents,
        "created": count(Acknowledgement::Created),
        "replaced": count(Acknowledgement::Replaced),
        "already_stored": count(Acknowledgement::AlreadyStored),
        "rejected": rejected,
        "rejections": rejections,
    })))
}
