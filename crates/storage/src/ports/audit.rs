//! The audit trail: entries chained by hash, appended in the transaction of the change they
//! record ([`append_audit_in`](crate::SqliteStore::append_audit_in)), and the recorded head.

use minxin_domain::audit::{hash_from_bytes, AuditEntry, AuditHead, NewAuditEntry};
use minxin_domain::platform::{AuditStore, StoreError};

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `audit_log`.
#[derive(sqlx::FromRow)]
struct AuditRow {
    sequence: i64,
    at_ms: i64,
    actor: String,
    action: String,
    subject: String,
    before_value: Option<String>,
    after_value: Option<String>,
    previous_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> AuditEntry {
        AuditEntry {
            sequence: u64::try_from(row.sequence).unwrap_or(0),
            change: NewAuditEntry {
                at_ms: row.at_ms,
                actor: row.actor,
                action: row.action,
                subject: row.subject,
                before: row.before_value,
                after: row.after_value,
            },
            previous_hash: hash_from_bytes(&row.previous_hash),
            hash: hash_from_bytes(&row.hash),
        }
    }
}

/// The row of `audit_head`.
#[derive(sqlx::FromRow)]
struct HeadRow {
    count: i64,
    hash: Vec<u8>,
}

impl From<HeadRow> for AuditHead {
    fn from(row: HeadRow) -> AuditHead {
        AuditHead {
            count: u64::try_from(row.count).unwrap_or(0),
            hash: hash_from_bytes(&row.hash),
        }
    }
}

on_each_backend! {
    /// Appends `change` to the audit trail inside `transaction`, chained to the last entry,
    /// and moves the recorded head: a change and its entry commit together.
    pub(crate) async fn append_audit_in(
        transaction: &mut WriteTransaction<Self>,
        change: NewAuditEntry,
    ) -> Result<AuditEntry, StoreError> {
        plain_text(&[
            ("actor", &change.actor),
            ("action", &change.action),
            ("subject", &change.subject),
            ("before", change.before.as_deref().unwrap_or("")),
            ("after", change.after.as_deref().unwrap_or("")),
        ])?;
        let head: Option<HeadRow> = sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut **transaction)
            .await
            .map_err(database_error)?;
        let entry = change.seal_after(head.map(AuditHead::from));
        let sequence = i64::try_from(entry.sequence)
            .map_err(|_| StoreError::Database("the audit log is full".into()))?;
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
        .execute(&mut **transaction)
        .await
        .map_err(database_error)?;
        sqlx::query(
            "INSERT INTO audit_head (id, count, hash) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
        )
        .bind(sequence)
        .bind(entry.hash.as_slice())
        .execute(&mut **transaction)
        .await
        .map_err(database_error)?;
        Ok(entry)
    }
}

port!(AuditStore {
    async fn append_audit(&self, change: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let entry = Self::append_audit_in(&mut transaction, change).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(entry)
    }

    async fn audit_log(&self) -> Result<(Vec<AuditEntry>, Option<AuditHead>), StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT sequence, at_ms, actor, action, subject, before_value, after_value, \
             previous_hash, hash FROM audit_log ORDER BY sequence",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let head = AuditStore::audit_head(self).await?;
        Ok((rows.into_iter().map(AuditEntry::from).collect(), head))
    }

    async fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        let head: Option<HeadRow> = sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.reader)
            .await
            .map_err(database_error)?;
        Ok(head.map(AuditHead::from))
    }
});
