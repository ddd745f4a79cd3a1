//! Downloads of a wave's aggregates (one row per project: indices, ranks, quadrant, gap and
//! dimension scores) as CSV, XLSX and JSON. Aggregates only: no response leaves this way.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minxin_domain::platform::Store;
use minxin_domain::Evaluation;

use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

fn cell(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The aggregate table: a header and one row per project, in catalogue order.
pub fn aggregate_table(
    evaluation: &Evaluation,
    dimension_codes: &[String],
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [
        "project",
        "name_zh",
        "name_en",
        "n",
        "reliable",
        "recognition",
        "satisfaction",
        "rank_recognition",
        "rank_satisfaction",
        "quadrant",
        "gap_mean",
        "gap_ci_low",
        "gap_ci_high",
        "gap_notable",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(
        dimension_codes
            .iter()
            .map(|code| format!("dimension_{code}")),
    );
    let rows = evaluation
        .projects
        .iter()
        .map(|p| {
            let mut row = vec![
                p.code.clone(),
                p.name_zh.clone(),
                p.name_en.clone(),
                p.n.to_string(),
                p.reliable.to_string(),
                cell(p.recognition),
                cell(p.satisfaction),
                p.rank_recognition
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
                p.rank_satisfaction
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
                p.quadrant.map(|q| q.code().to_string()).unwrap_or_default(),
                cell(p.gap.mean),
                cell(p.gap.ci_low),
                cell(p.gap.ci_high),
                p.gap.notable.to_string(),
            ];
            row.extend(
                dimension_codes
                    .iter()
                    .map(|code| cell(p.dimensions.get(code).copied().flatten())),
            );
            row
        })
        .collect();
    (header, rows)
}

/// The table as CSV in the interchange dialect, after a byte-order mark so that spreadsheet
/// programs read the Chinese names as UTF-8.
fn csv_bytes(header: &[String], rows: Vec<Vec<String>>) -> Result<Vec<u8>, ApiError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    minxin_interchange::write_csv_table(&mut out, header, rows)
        .map_err(|e| ApiError::Internal(format!("cannot write the CSV file: {e}")))?;
    Ok(out)
}

fn xlsx_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| {
        ApiError::Internal(format!("cannot write the workbook: {e}"))
    };
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, name).map_err(fail)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match value.parse::<f64>() {
                Ok(number) if !value.is_empty() => {
                    sheet.write_number(r, c, number).map_err(fail)?
                }
                _ => sheet.write_string(r, c, value).map_err(fail)?,
            };
        }
    }
    workbook.save_to_buffer().map_err(fail)
}

pub(super) async fn download<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let wave = state.wave(id)?;
    let (evaluation, _) = wave.evaluation(&wave.options());
    let evaluation = super::analysis::for_visitor(&state, &visitor, evaluation);
    let dimensions: Vec<String> = wave
        .model
        .configuration
        .instrument
        .dimensions
        .iter()
        .map(|d| d.code.clone())
        .collect();
    let (header, rows) = aggregate_table(&evaluation, &dimensions);
    let disposition =
        |extension: &str| format!("attachment; filename=\"wave-{id}-aggregates.{extension}\"");
    Ok(match format.as_str() {
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, disposition("csv")),
            ],
            csv_bytes(&header, rows)?,
        )
            .into_response(),
        "xlsx" => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (header::CONTENT_DISPOSITION, disposition("xlsx")),
            ],
            xlsx_bytes(&header, &rows)?,
        )
            .into_response(),
        "json" => (
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (header::CONTENT_DISPOSITION, disposition("json")),
            ],
            serde_json::to_string_pretty(&evaluation)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        )
            .into_response(),
        other => {
            return Err(ApiError::not_found(
                "没有这种下载格式（可选 CSV、XLSX、JSON）。",
                format!("no download format {other:?} (csv, xlsx, json)"),
            ))
        }
    })
}
