//! The SQL both backends share (one macro instantiated per backend), and the choice of
//! backend from a URL.

use std::fmt;

use minxin_domain::audit::{AuditEntry, AuditHead, NewAuditEntry};
use minxin_domain::platform::{
    Account, NewWave, ResponseCursor, ResponsePage, Store, StoreError, StoredResponse,
    SubmitOutcome, WaveRecord, WaveStatus,
};

use crate::{PostgresStore, SqliteStore};

/// Implements [`Store`] for a backend type with fields `reader` and `writer` (pools). The
/// SQL of waves is standard enough to serve SQLite and PostgreSQL alike (`$n` placeholders,
/// `RETURNING`); storing and paging responses differ (each backend has its own way of finding
/// a respondent's earlier response), so the type provides them as inherent methods
/// `store_batch`, `prepare_to_store` and `page_of_responses`.
macro_rules! impl_store {
    ($store:ty) => {
        impl minxin_domain::platform::Store for $store {
            async fn create_wave(
                &self,
                wave: &minxin_domain::platform::NewWave,
            ) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                let quotas = serde_json::to_string(&wave.quotas).expect("quotas serialise");
                let result = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "INSERT INTO waves (name, status, period_start, period_end, quotas, instrument, catalogue, \
                     districts, profile, created_at_ms) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9) \
                     RETURNING {}",
                    $crate::WAVE_COLUMNS
                ))
                .bind(&wave.name)
                .bind(&wave.period_start)
                .bind(&wave.period_end)
                .bind(quotas)
                .bind(&wave.config.instrument)
                .bind(&wave.config.catalogue)
                .bind(&wave.config.districts)
                .bind(&wave.config.profile)
                .bind($crate::now_ms())
                .fetch_one(&self.writer)
                .await;
                match result {
                    Ok(row) => $crate::wave_from_row(row),
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        Err(minxin_domain::platform::StoreError::DuplicateWaveName(wave.name.clone()))
                    }
                    Err(error) => Err($crate::database_error(error)),
                }
            }

            async fn waves(&self) -> Result<Vec<minxin_domain::platform::WaveRecord>, minxin_domain::platform::StoreError> {
                let rows = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "SELECT {} FROM waves ORDER BY id DESC",
                    $crate::WAVE_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                rows.into_iter().map($crate::wave_from_row).collect()
            }

            async fn wave(&self, id: i64) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                let row = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "SELECT {} FROM waves WHERE id = $1",
                    $crate::WAVE_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&self.reader)
                .await
                .map_err($crate::database_error)?;
                row.map($crate::wave_from_row)
                    .unwrap_or(Err(minxin_domain::platform::StoreError::NoSuchWave(id)))
            }

            async fn set_wave_status(
                &self,
                id: i64,
                status: minxin_domain::platform::WaveStatus,
            ) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                let row = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "UPDATE waves SET status = $1 WHERE id = $2 RETURNING {}",
                    $crate::WAVE_COLUMNS
                ))
                .bind(status.code())
                .bind(id)
                .fetch_optional(&self.writer)
                .await
                .map_err($crate::database_error)?;
                row.map($crate::wave_from_row)
                    .unwrap_or(Err(minxin_domain::platform::StoreError::NoSuchWave(id)))
            }

            async fn submit_batch(
                &self,
                wave: i64,
                responses: &[minxin_domain::platform::StoredResponse],
            ) -> Result<Vec<minxin_domain::platform::SubmitOutcome>, minxin_domain::platform::StoreError> {
                self.store_batch(wave, responses).await
            }

            async fn create_account(
                &self,
                account: &minxin_domain::platform::Account,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                let result = sqlx::query(
                    "INSERT INTO accounts (name, display_name, password_hash, disabled, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&account.name)
                .bind(&account.display_name)
                .bind(&account.password_hash)
                .bind(account.disabled)
                .bind(account.created_at_ms)
                .execute(&self.writer)
                .await;
                match result {
                    Ok(_) => Ok(()),
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(
                        minxin_domain::platform::StoreError::DuplicateAccount(account.name.clone()),
                    ),
                    Err(error) => Err($crate::database_error(error)),
                }
            }

            async fn count_accounts(&self) -> Result<u64, minxin_domain::platform::StoreError> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
                    .fetch_one(&self.writer)
                    .await
                    .map_err($crate::database_error)?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn account(
                &self,
                name: &str,
            ) -> Result<Option<minxin_domain::platform::Account>, minxin_domain::platform::StoreError> {
                let row: Option<(String, String, String, bool, i64)> = sqlx::query_as(
                    "SELECT name, display_name, password_hash, disabled, created_at_ms \
                     FROM accounts WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&self.writer)
                .await
                .map_err($crate::database_error)?;
                Ok(row.map(|(name, display_name, password_hash, disabled, created_at_ms)| {
                    minxin_domain::platform::Account {
                        name,
                        display_name,
                        password_hash,
                        disabled,
                        created_at_ms,
                    }
                }))
            }

            async fn update_account(
                &self,
                name: &str,
                password_hash: &str,
                disabled: bool,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                let result = sqlx::query(
                    "UPDATE accounts SET password_hash = $1, disabled = $2 WHERE name = $3",
                )
                .bind(password_hash)
                .bind(disabled)
                .bind(name)
                .execute(&self.writer)
                .await
                .map_err($crate::database_error)?;
                if result.rows_affected() == 0 {
                    return Err(minxin_domain::platform::StoreError::NoSuchAccount(name.to_string()));
                }
                Ok(())
            }

            async fn append_audit(
                &self,
                change: minxin_domain::audit::NewAuditEntry,
            ) -> Result<minxin_domain::audit::AuditEntry, minxin_domain::platform::StoreError> {
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let head: Option<(i64, Vec<u8>)> =
                    sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
                        .fetch_optional(&mut *transaction)
                        .await
                        .map_err($crate::database_error)?;
                let head = head.map(|(count, hash)| minxin_domain::audit::AuditHead {
                    count: u64::try_from(count).unwrap_or(0),
                    hash: minxin_domain::audit::hash_from_bytes(&hash),
                });
                let entry = change.seal_after(head);
                let sequence = i64::try_from(entry.sequence)
                    .map_err(|_| minxin_domain::platform::StoreError::Database("the audit log is full".into()))?;
                sqlx::query(
                    "INSERT INTO audit_log (sequence, at_ms, actor, action, subject, before_value, \
                     after_value, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(sequence)
                .bind(entry.change.at_ms)
                .bind(&entry.change.actor)
                .bind(&entry.change.action)
                .bind(&entry.change.subject)
                .bind(&entry.change.before)
                .bind(&entry.change.after)
                .bind(entry.previous_hash.as_slice())
                .bind(entry.hash.as_slice())
                .execute(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                sqlx::query(
                    "INSERT INTO audit_head (id, count, hash) VALUES (1, $1, $2) \
                     ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
                )
                .bind(sequence)
                .bind(entry.hash.as_slice())
                .execute(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(entry)
            }

            async fn audit_log(
                &self,
            ) -> Result<
                (Vec<minxin_domain::audit::AuditEntry>, Option<minxin_domain::audit::AuditHead>),
                minxin_domain::platform::StoreError,
            > {
                use minxin_domain::audit::{hash_from_bytes, AuditEntry, AuditHead, NewAuditEntry};
                type Row = (i64, i64, String, String, String, Option<String>, Option<String>, Vec<u8>, Vec<u8>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT sequence, at_ms, actor, action, subject, before_value, after_value, \
                     previous_hash, hash FROM audit_log ORDER BY sequence",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                let entries = rows
                    .into_iter()
                    .map(|(sequence, at_ms, actor, action, subject, before, after, previous, hash)| AuditEntry {
                        sequence: u64::try_from(sequence).unwrap_or(0),
                        change: NewAuditEntry { at_ms, actor, action, subject, before, after },
                        previous_hash: hash_from_bytes(&previous),
                        hash: hash_from_bytes(&hash),
                    })
                    .collect();
                let head: Option<(i64, Vec<u8>)> =
                    sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
                        .fetch_optional(&self.reader)
                        .await
                        .map_err($crate::database_error)?;
                Ok((
                    entries,
                    head.map(|(count, hash)| AuditHead {
                        count: u64::try_from(count).unwrap_or(0),
                        hash: hash_from_bytes(&hash),
                    }),
                ))
            }

            async fn prepare_intake(&self, wave: i64) -> Result<(), minxin_domain::platform::StoreError> {
                self.prepare_to_store(wave).await
            }

            async fn responses(
                &self,
                wave: i64,
                from: Option<&minxin_domain::platform::ResponseCursor>,
                limit: usize,
            ) -> Result<minxin_domain::platform::ResponsePage, minxin_domain::platform::StoreError> {
                self.page_of_responses(wave, from, limit).await
            }
        }
    };
}

pub(crate) use impl_store;

/// A database location: an embedded SQLite file, or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// A SQLite file path (from `sqlite://PATH`, `sqlite:PATH`, or a bare path).
    Sqlite(String),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl StoreUrl {
    /// Interprets a `--db` value.
    pub fn parse(text: &str) -> StoreUrl {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreUrl::Postgres(text.to_string())
        } else {
            let path = text
                .strip_prefix("sqlite://")
                .or_else(|| text.strip_prefix("sqlite:"))
                .unwrap_or(text);
            StoreUrl::Sqlite(path.to_string())
        }
    }
}

/// Shows the URL without its password.
impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{path}"),
            StoreUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub(crate) fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Either backend, chosen at run time from the URL.
#[derive(Clone)]
pub enum AnyStore {
    /// Embedded SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl fmt::Debug for AnyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyStore::Sqlite(_) => f.write_str("AnyStore::Sqlite"),
            AnyStore::Postgres(_) => f.write_str("AnyStore::Postgres"),
        }
    }
}

impl AnyStore {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &StoreUrl) -> Result<AnyStore, StoreError> {
        Ok(match url {
            StoreUrl::Sqlite(path) => {
                AnyStore::Sqlite(SqliteStore::open(std::path::Path::new(path)).await?)
            }
            StoreUrl::Postgres(url) => AnyStore::Postgres(PostgresStore::open(url).await?),
        })
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn create_wave(&self, wave: &NewWave) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.create_wave(wave))
    }
    async fn waves(&self) -> Result<Vec<WaveRecord>, StoreError> {
        delegate!(self, store => store.waves())
    }
    async fn wave(&self, id: i64) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.wave(id))
    }
    async fn set_wave_status(&self, id: i64, status: WaveStatus) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.set_wave_status(id, status))
    }
    async fn submit_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        delegate!(self, store => store.submit_batch(wave, responses))
    }
    async fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        delegate!(self, store => store.create_account(account))
    }
    async fn count_accounts(&self) -> Result<u64, StoreError> {
        delegate!(self, store => store.count_accounts())
    }
    async fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        delegate!(self, store => store.account(name))
    }
    async fn update_account(
        &self,
        name: &str,
        password_hash: &str,
        disabled: bool,
    ) -> Result<(), StoreError> {
        delegate!(self, store => store.update_account(name, password_hash, disabled))
    }
    async fn append_audit(&self, change: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        delegate!(self, store => store.append_audit(change.clone()))
    }
    async fn audit_log(&self) -> Result<(Vec<AuditEntry>, Option<AuditHead>), StoreError> {
        delegate!(self, store => store.audit_log())
    }
    async fn prepare_intake(&self, wave: i64) -> Result<(), StoreError> {
        delegate!(self, store => store.prepare_intake(wave))
    }
    async fn responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> Result<ResponsePage, StoreError> {
        delegate!(self, store => store.responses(wave, from, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            StoreUrl::parse("data/minxin.db"),
            StoreUrl::Sqlite("data/minxin.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite://x.db"),
            StoreUrl::Sqlite("x.db".into())
        );
        assert!(matches!(
            StoreUrl::parse("postgres://u@h/db"),
            StoreUrl::Postgres(_)
        ));
    }

    #[test]
    fn passwords_never_print() {
        let url = StoreUrl::parse("postgres://minxin:s3cret@db.example:5432/minxin");
        assert_eq!(
            format!("{url:?}"),
            "postgres://minxin:***@db.example:5432/minxin"
        );
        assert!(!url.to_string().contains("s3cret"));
    }
}
