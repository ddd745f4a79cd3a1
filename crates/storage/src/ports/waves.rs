//! Waves and their responses: creating a wave, moving it through its statuses (each change
//! audited in the same transaction), and the rows both backends read responses into. Storing
//! and paging responses differ between backends (each finds a respondent's earlier response
//! its own way), so each provides `store_batch`, `prepare_to_store` and `page_of_responses`.

use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{
    Attribution, NewWave, ResponseCursor, ResponsePage, StoreError, StoredResponse, SubmitOutcome,
    WaveConfigTexts, WaveRecord, WaveStatus, WaveStore,
};
use minxin_domain::subject::Subject;

use super::port;
use crate::{database_error, plain_text};

/// The columns of `waves` in the order both backends select them.
const WAVE_COLUMNS: &str = "id, name, status, period_start, period_end, quotas, instrument, \
     catalogue, districts, profile, tokens_required, cut_points, created_at_ms";

/// The columns of `responses` (after `wave_id`) in the order both backends use them.
pub(crate) const RESPONSE_COLUMNS: &str = "respondent_key, idempotency_key, channel, district, \
     gender, age, education, occupation, ratings, submitted_at_ms";

/// A row of `waves`.
#[derive(sqlx::FromRow)]
struct WaveRow {
    id: i64,
    name: String,
    status: String,
    period_start: Option<String>,
    period_end: Option<String>,
    /// The quotas as JSON (district code → respondents).
    quotas: String,
    instrument: String,
    catalogue: String,
    districts: String,
    profile: String,
    tokens_required: bool,
    cut_points: String,
    created_at_ms: i64,
}

impl WaveRow {
    /// The wave it holds; an error names the wave when the row is unreadable.
    fn into_record(self) -> Result<WaveRecord, StoreError> {
        let id = self.id;
        Ok(WaveRecord {
            id,
            name: self.name,
            status: WaveStatus::from_code(&self.status).ok_or_else(|| {
                StoreError::Database(format!("wave {id} has an unknown status {:?}", self.status))
            })?,
            period_start: self.period_start,
            period_end: self.period_end,
            quotas: serde_json::from_str(&self.quotas).map_err(|e| {
                StoreError::Database(format!("wave {id} has unreadable quotas: {e}"))
            })?,
            config: WaveConfigTexts {
                instrument: self.instrument,
                catalogue: self.catalogue,
                districts: self.districts,
                profile: self.profile,
            },
            tokens_required: self.tokens_required,
            cut_points: self.cut_points,
            created_at_ms: self.created_at_ms,
        })
    }
}

/// A row of `responses`, in the columns of [`RESPONSE_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct ResponseRow {
    respondent_key: Vec<u8>,
    idempotency_key: Option<String>,
    channel: Option<String>,
    district: String,
    gender: Option<String>,
    age: Option<i64>,
    education: Option<String>,
    occupation: Option<String>,
    ratings: String,
    submitted_at_ms: i64,
}

impl From<ResponseRow> for StoredResponse {
    fn from(row: ResponseRow) -> StoredResponse {
        StoredResponse {
            respondent_key: row.respondent_key,
            idempotency_key: row.idempotency_key,
            channel: row.channel,
            district: row.district,
            gender: row.gender,
            age: row.age,
            education: row.education,
            occupation: row.occupation,
            ratings: row.ratings,
            submitted_at_ms: row.submitted_at_ms,
        }
    }
}

/// A response row with its row number (`id`) first, as SQLite finds responses.
#[derive(sqlx::FromRow)]
pub(crate) struct NumberedResponseRow {
    /// The row number.
    pub(crate) id: i64,
    /// The response.
    #[sqlx(flatten)]
    pub(crate) response: ResponseRow,
}

/// A wave as the audit trail records it: its name, status, period, quotas, rules and the
/// projects it includes (the configuration texts are stored with the wave and change only
/// while it is a draft).
fn wave_summary(record: &WaveRecord) -> String {
    let projects: Vec<String> = record
        .config
        .configuration()
        .map(|configuration| {
            configuration
                .catalogue
                .projects
                .into_iter()
                .map(|project| project.code)
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "name": record.name,
        "projects": projects,
        "status": record.status.code(),
        "period_start": record.period_start,
        "period_end": record.period_end,
        "quotas": record.quotas,
        "tokens_required": record.tokens_required,
        "cut_points": record.cut_points,
    })
    .to_string()
}

/// Binds the fields of a response that every write of one binds, from `idempotency_key` to
/// `submitted_at_ms` (the order of [`RESPONSE_COLUMNS`] after `respondent_key`), on one row
/// of a multi-row statement of either backend.
pub(crate) fn push_response_fields<'args, DB, Sep>(
    row: &mut sqlx::query_builder::Separated<'_, 'args, DB, Sep>,
    response: &'args StoredResponse,
) where
    DB: sqlx::Database,
    Sep: std::fmt::Display,
    &'args Option<String>: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    &'args String: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
{
    row.push_bind(&response.idempotency_key)
        .push_bind(&response.channel)
        .push_bind(&response.district)
        .push_bind(&response.gender)
        .push_bind(response.age)
        .push_bind(&response.education)
        .push_bind(&response.occupation)
        .push_bind(&response.ratings)
        .push_bind(response.submitted_at_ms);
}

/// Turns the status read inside a batch's transaction into an error unless the wave is open.
pub(crate) fn ensure_open(wave: i64, status: Option<String>) -> Result<(), StoreError> {
    let status = status.ok_or(StoreError::NoSuchWave(wave))?;
    let status = WaveStatus::from_code(&status)
        .ok_or_else(|| StoreError::Database(format!("wave {wave} has an unknown status")))?;
    if status == WaveStatus::Open {
        Ok(())
    } else {
        Err(StoreError::WaveNotOpen { id: wave, status })
    }
}

/// True when a retried submission carries the idempotency key of the stored one.
pub(crate) fn same_request(stored: &StoredResponse, incoming: &StoredResponse) -> bool {
    stored.idempotency_key.is_some() && stored.idempotency_key == incoming.idempotency_key
}

/// Refuses a wave whose texts no database stores (a NUL character), naming the field.
fn check_wave_text(wave: &NewWave) -> Result<(), StoreError> {
    plain_text(&[
        ("name", &wave.name),
        ("period_start", wave.period_start.as_deref().unwrap_or("")),
        ("period_end", wave.period_end.as_deref().unwrap_or("")),
        ("cut_points", &wave.cut_points),
        ("config", &wave.config.instrument),
        ("config", &wave.config.catalogue),
        ("config", &wave.config.districts),
        ("config", &wave.config.profile),
    ])
}

port!(WaveStore {
    async fn create_wave(&self, wave: &NewWave, by: &Attribution) -> Result<WaveRecord, StoreError> {
        check_wave_text(wave)?;
        let quotas = serde_json::to_string(&wave.quotas).expect("quotas serialise");
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let result = sqlx::query_as::<_, WaveRow>(&format!(
            "INSERT INTO waves (name, status, period_start, period_end, quotas, instrument, catalogue, \
             districts, profile, tokens_required, cut_points, created_at_ms) \
             VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             RETURNING {WAVE_COLUMNS}"
        ))
        .bind(&wave.name)
        .bind(&wave.period_start)
        .bind(&wave.period_end)
        .bind(quotas)
        .bind(&wave.config.instrument)
        .bind(&wave.config.catalogue)
        .bind(&wave.config.districts)
        .bind(&wave.config.profile)
        .bind(wave.tokens_required)
        .bind(&wave.cut_points)
        .bind(by.at_ms)
        .fetch_one(&mut *transaction)
        .await;
        let record = match result {
            Ok(row) => row.into_record()?,
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(StoreError::DuplicateWaveName(wave.name.clone()))
            }
            Err(error) => return Err(database_error(error)),
        };
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::WaveCreate,
                &Subject::Wave(record.id),
                None,
                Some(wave_summary(&record)),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(record)
    }

    async fn update_draft_wave(
        &self,
        id: i64,
        wave: &NewWave,
        by: &Attribution,
    ) -> Result<WaveRecord, StoreError> {
        check_wave_text(wave)?;
        let quotas = serde_json::to_string(&wave.quotas).expect("quotas serialise");
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = sqlx::query_as::<_, WaveRow>(&format!(
            "SELECT {WAVE_COLUMNS} FROM waves WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?
        .ok_or(StoreError::NoSuchWave(id))?
        .into_record()?;
        // The status is checked by the update itself, so that a wave opened meanwhile is
        // never edited.
        let result = sqlx::query_as::<_, WaveRow>(&format!(
            "UPDATE waves SET name = $1, period_start = $2, period_end = $3, quotas = $4,              instrument = $5, catalogue = $6, districts = $7, profile = $8, tokens_required = $9,              cut_points = $10 WHERE id = $11 AND status = 'draft' RETURNING {WAVE_COLUMNS}"
        ))
        .bind(&wave.name)
        .bind(&wave.period_start)
        .bind(&wave.period_end)
        .bind(quotas)
        .bind(&wave.config.instrument)
        .bind(&wave.config.catalogue)
        .bind(&wave.config.districts)
        .bind(&wave.config.profile)
        .bind(wave.tokens_required)
        .bind(&wave.cut_points)
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await;
        let record = match result {
            Ok(Some(row)) => row.into_record()?,
            Ok(None) => {
                return Err(StoreError::WaveNotDraft {
                    id,
                    status: before.status,
                })
            }
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(StoreError::DuplicateWaveName(wave.name.clone()))
            }
            Err(error) => return Err(database_error(error)),
        };
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::WaveEdit,
                &Subject::Wave(id),
                Some(wave_summary(&before)),
                Some(wave_summary(&record)),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(record)
    }

    async fn waves(&self) -> Result<Vec<WaveRecord>, StoreError> {
        let rows = sqlx::query_as::<_, WaveRow>(&format!(
            "SELECT {WAVE_COLUMNS} FROM waves ORDER BY id DESC"
        ))
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        rows.into_iter().map(WaveRow::into_record).collect()
    }

    async fn wave(&self, id: i64) -> Result<WaveRecord, StoreError> {
        let row = sqlx::query_as::<_, WaveRow>(&format!(
            "SELECT {WAVE_COLUMNS} FROM waves WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.reader)
        .await
        .map_err(database_error)?;
        row.map(WaveRow::into_record)
            .unwrap_or(Err(StoreError::NoSuchWave(id)))
    }

    async fn set_wave_status(
        &self,
        id: i64,
        status: WaveStatus,
        by: &Attribution,
    ) -> Result<WaveRecord, StoreError> {
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before: Option<(String,)> = sqlx::query_as("SELECT status FROM waves WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *transaction)
            .await
            .map_err(database_error)?;
        let Some((before,)) = before else {
            return Err(StoreError::NoSuchWave(id));
        };
        let row = sqlx::query_as::<_, WaveRow>(&format!(
            "UPDATE waves SET status = $1 WHERE id = $2 RETURNING {WAVE_COLUMNS}"
        ))
        .bind(status.code())
        .bind(id)
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        let record = row.into_record()?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                match status {
                    WaveStatus::Open => AuditAction::WaveOpen,
                    WaveStatus::Closed => AuditAction::WaveClose,
                    WaveStatus::Draft => AuditAction::WaveDraft,
                },
                &Subject::Wave(id),
                Some(serde_json::json!({"status": before}).to_string()),
                Some(serde_json::json!({"status": status.code()}).to_string()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(record)
    }

    async fn submit_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        self.store_batch(wave, responses).await
    }

    async fn prepare_intake(&self, wave: i64) -> Result<(), StoreError> {
        self.prepare_to_store(wave).await
    }

    async fn responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> Result<ResponsePage, StoreError> {
        self.page_of_responses(wave, from, limit).await
    }
});
