//! The export of a wave's responses, page by page from storage.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::Response;
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{RatingInput, ResponseCursor, Store, StoredResponse};
use minxin_domain::subject::Subject;
use minxin_domain::ColumnLayout;
use serde_json::json;

use crate::app::attachment::csv_response;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// Responses read per query while exporting microdata.
pub(super) const EXPORT_PAGE: usize = 5_000;

/// One stored response as rows of the interchange format: one per project rated, the
/// respondent known by their keyed hash only.
pub(super) fn interchange_rows(
    response: &StoredResponse,
    ratings: &[RatingInput],
    wave_name: &str,
    item_codes: &[String],
) -> Vec<Vec<String>> {
    let respondent = minxin_domain::hex::encode(&response.respondent_key);
    ratings
        .iter()
        .map(|rating| {
            let mut row = vec![
                respondent.clone(),
                wave_name.to_string(),
                response.district.clone(),
                response.gender.clone().unwrap_or_default(),
                response.age.map(|a| a.to_string()).unwrap_or_default(),
                response.education.clone().unwrap_or_default(),
                response.occupation.clone().unwrap_or_default(),
                response.channel.clone().unwrap_or_default(),
                rating.project.clone(),
            ];
            row.extend(item_codes.iter().map(|code| {
                rating
                    .answers
                    .get(code)
                    .copied()
                    .flatten()
                    .map(|answer| answer.to_string())
                    .unwrap_or_default()
            }));
            row
        })
        .collect()
}

/// `GET /api/v1/waves/{id}/responses.csv`: the wave's responses in the interchange format
/// (what `minxin evaluate` reads), streamed page by page; recorded in the audit trail first.
pub(super) async fn microdata<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.wave(id)?;
    let responses = wave.with_live(|live| live.responses);
    state
        .store
        .append_audit(NewAuditEntry::attributed(
            &by,
            AuditAction::WaveExportMicrodata,
            &Subject::Wave(id),
            None,
            Some(json!({"responses": responses}).to_string()),
        ))
        .await?;
    let instrument = &wave.model.configuration.instrument;
    let header = ColumnLayout::canonical_names(instrument);
    let item_codes: Vec<String> = instrument
        .items()
        .iter()
        .map(|item| item.item.code.clone())
        .collect();
    let mut first = Vec::new();
    minxin_interchange::write_csv_table(&mut first, &header, std::iter::empty())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let wave_name = wave.name();
    let store = state.store.clone();
    let live = wave.clone();
    // Pages of responses become chunks of CSV: the header first, then one chunk per page.
    let pages = futures_util::stream::unfold(
        (Some(first), Some(None::<ResponseCursor>)),
        move |(header, cursor)| {
            let store = store.clone();
            let wave_name = wave_name.clone();
            let item_codes = item_codes.clone();
            let live = live.clone();
            async move {
                if let Some(header) = header {
                    return Some((Ok::<_, std::io::Error>(header), (None, cursor)));
                }
                let from = cursor?;
                let page = match store.responses(id, from.as_ref(), EXPORT_PAGE).await {
                    Ok(page) => page,
                    Err(error) => {
                        tracing::error!(wave = id, %error, "the microdata export stopped");
                        return Some((Err(std::io::Error::other("export failed")), (None, None)));
                    }
                };
                let mut chunk = Vec::new();
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut chunk);
                for response in &page.responses {
                    // Stored responses were validated on the way in; decoding one fails only
                    // if the database was altered, and then the export stops rather than skip it.
                    let decoded = match live.model.from_stored(response) {
                        Ok(decoded) => decoded,
                        Err(error) => {
                            tracing::error!(wave = id, %error, "the microdata export stopped");
                            return Some((
                                Err(std::io::Error::other("a stored response cannot be read")),
                                (None, None),
                            ));
                        }
                    };
                    for row in
                        interchange_rows(response, &decoded.input.ratings, &wave_name, &item_codes)
                    {
                        let row = row.iter().map(|cell| {
                            minxin_interchange::SafeCell(minxin_interchange::spreadsheet_safe(cell))
                        });
                        if writer.write_record(row).is_err() {
                            break;
                        }
                    }
                }
                drop(writer);
                let next = page.next.map(Some);
                Some((Ok(chunk), (None, next)))
            }
        },
    );
    Ok(csv_response(
        Body::from_stream(pages),
        &format!("wave-{id}-responses-restricted.csv"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_becomes_one_interchange_row_per_project() {
        let response = StoredResponse {
            respondent_key: vec![0xab, 0x01],
            idempotency_key: None,
            channel: Some("app".into()),
            district: "310104".into(),
            gender: Some("female".into()),
            age: Some(34),
            education: None,
            occupation: None,
            ratings: String::new(),
            submitted_at_ms: 0,
        };
        let ratings: Vec<RatingInput> = serde_json::from_str(
            r#"[{"project":"parking","answers":{"awareness":5,"value":null}},{"project":"medical","answers":{"quality":4}}]"#,
        )
        .unwrap();
        let codes = vec![
            "awareness".to_string(),
            "quality".to_string(),
            "value".to_string(),
        ];
        let rows = interchange_rows(&response, &ratings, "2026 spring", &codes);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            [
                "ab01",
                "2026 spring",
                "310104",
                "female",
                "34",
                "",
                "",
                "app",
                "parking",
                "5",
                "",
                ""
            ]
        );
        assert_eq!(rows[1][8], "medical");
        assert_eq!(&rows[1][9..], ["", "4", ""]);
    }
}
