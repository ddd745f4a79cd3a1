//! Storage for the Minxin platform: the domain's [`Store`] port over embedded SQLite (the
//! default: a file created and migrated on first use) and over PostgreSQL (selected by a
//! `postgres://` URL). Both run the same contract tests.
//!
//! Architecture invariant: each backend owns its transactions; SQL stays inside this crate.
//! Connection URLs with passwords never appear in errors or `Debug` output.

mod backend;
mod batch;
mod postgres;
mod sqlite;
pub mod testing;

pub use backend::{AnyStore, StoreUrl};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use minxin_domain::platform::{
    StoreError, StoredResponse, WaveConfigTexts, WaveRecord, WaveStatus,
};

pub(crate) fn database_error(error: sqlx::Error) -> StoreError {
    // PostgreSQL refuses a NUL character in text (22021); every text is checked before it is
    // written ([`plain_text`]), so this only catches one that slipped past.
    if let sqlx::Error::Database(database) = &error {
        if database.code().as_deref() == Some("22021") {
            return StoreError::InvalidText("text".into());
        }
    }
    StoreError::Database(error.to_string())
}

/// Refuses texts that hold a NUL character, naming the field: PostgreSQL stores no NUL in
/// text, so neither backend does, and both refuse alike.
pub(crate) fn plain_text(fields: &[(&str, &str)]) -> Result<(), StoreError> {
    match fields.iter().find(|(_, value)| value.contains('\0')) {
        Some((field, _)) => Err(StoreError::InvalidText((*field).to_string())),
        None => Ok(()),
    }
}

/// Whether a look-up key holds a NUL character (no stored text does, so it finds nothing).
pub(crate) fn holds_nul(key: &str) -> bool {
    key.contains('\0')
}

/// The audit trail's head from its row (`count`, `hash`).
pub(crate) fn head_from_row((count, hash): (i64, Vec<u8>)) -> minxin_domain::audit::AuditHead {
    minxin_domain::audit::AuditHead {
        count: u64::try_from(count).unwrap_or(0),
        hash: minxin_domain::audit::hash_from_bytes(&hash),
    }
}

/// How long sessions are kept after they expire: 90 days.
pub(crate) const SESSIONS_KEPT_MS: i64 = 90 * 24 * 3_600_000;

/// The columns of `accounts` in the order both backends select them.
pub(crate) const ACCOUNT_COLUMNS: &str =
    "name, display_name, password_hash, disabled, created_at_ms, failed_sign_ins, locked_until_ms";

/// An account row as both backends return it.
pub(crate) type AccountRow = (String, String, String, bool, i64, i32, i64);

pub(crate) fn account_from_row(row: AccountRow) -> minxin_domain::platform::Account {
    let (name, display_name, password_hash, disabled, created_at_ms, failed, locked_until_ms) = row;
    minxin_domain::platform::Account {
        name,
        display_name,
        password_hash,
        disabled,
        created_at_ms,
        failed_sign_ins: u32::try_from(failed).unwrap_or(0),
        locked_until_ms,
    }
}

/// A stored role assignment; `None` for a role this version does not know (never written by
/// it, so skipped rather than failing every sign-in).
pub(crate) fn assignment_from_row(
    role: &str,
    scope: &str,
) -> Option<minxin_domain::organisation::Assignment> {
    Some(minxin_domain::organisation::Assignment {
        role: role.parse().ok()?,
        scope: minxin_domain::organisation::Scope::from_code(scope),
    })
}

/// A wave as the audit trail records it: its name, status, period and quotas (the
/// configuration texts are stored with the wave and never change).
pub(crate) fn wave_summary(record: &WaveRecord) -> String {
    serde_json::json!({
        "name": record.name,
        "status": record.status.code(),
        "period_start": record.period_start,
        "period_end": record.period_end,
        "quotas": record.quotas,
        "tokens_required": record.tokens_required,
        "cut_points": record.cut_points,
    })
    .to_string()
}

/// The columns of `waves` in the order both backends select them.
pub(crate) const WAVE_COLUMNS: &str =
    "id, name, status, period_start, period_end, quotas, instrument, catalogue, districts, profile, tokens_required, cut_points, created_at_ms";

/// The columns of `responses` (after `wave_id`) in the order both backends use them.
pub(crate) const RESPONSE_COLUMNS: &str =
    "respondent_key, idempotency_key, channel, district, gender, age, education, occupation, ratings, submitted_at_ms";

/// A wave row as both backends return it.
pub(crate) type WaveRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    i64,
);

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

/// A response row as both backends return it.
pub(crate) type ResponseRow = (
    Vec<u8>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

pub(crate) fn wave_from_row(row: WaveRow) -> Result<WaveRecord, StoreError> {
    let (
        id,
        name,
        status,
        period_start,
        period_end,
        quotas,
        instrument,
        catalogue,
        districts,
        profile,
        tokens_required,
        cut_points,
        created_at_ms,
    ) = row;
    Ok(WaveRecord {
        id,
        name,
        status: WaveStatus::from_code(&status).ok_or_else(|| {
            StoreError::Database(format!("wave {id} has an unknown status {status:?}"))
        })?,
        period_start,
        period_end,
        quotas: serde_json::from_str(&quotas)
            .map_err(|e| StoreError::Database(format!("wave {id} has unreadable quotas: {e}")))?,
        config: WaveConfigTexts {
            instrument,
            catalogue,
            districts,
            profile,
        },
        tokens_required,
        cut_points,
        created_at_ms,
    })
}

pub(crate) fn response_from_row(row: ResponseRow) -> StoredResponse {
    let (
        respondent_key,
        idempotency_key,
        channel,
        district,
        gender,
        age,
        education,
        occupation,
        ratings,
        submitted_at_ms,
    ) = row;
    StoredResponse {
        respondent_key,
        idempotency_key,
        channel,
        district,
        gender,
        age,
        education,
        occupation,
        ratings,
        submitted_at_ms,
    }
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
