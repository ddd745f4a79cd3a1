//! Supervision notices: one row each with the time of every step; at most one notice that is
//! not closed per item. Every step is audited in its own transaction.

use minxin_domain::advancement::notice::{Notice, NoticeItem, NoticeStatus};
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{Attribution, NoticeStore, StoreError};
use minxin_domain::problem::Problem;
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `notices`.
#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    project: String,
    year: i64,
    kind: String,
    item: String,
    owner: String,
    instructions: String,
    status: String,
    issued_by: String,
    issued_at_ms: i64,
    reasons: String,
    recovery_date: Option<String>,
    answered_by: Option<String>,
    answered_at_ms: Option<i64>,
    closed_by: Option<String>,
    closed_at_ms: Option<i64>,
    close_note: String,
}

impl NoticeRow {
    /// The notice; `None` for a status this version does not know.
    fn into_notice(self) -> Option<Notice> {
        Some(Notice {
            id: self.id,
            status: NoticeStatus::from_code(&self.status)?,
            about: NoticeItem {
                project: self.project,
                year: i32::try_from(self.year).ok()?,
                kind: self.kind,
                item: self.item,
                owner: self.owner,
            },
            instructions: self.instructions,
            issued_by: self.issued_by,
            issued_at_ms: self.issued_at_ms,
            reasons: self.reasons,
            recovery_date: self.recovery_date,
            answered_by: self.answered_by,
            answered_at_ms: self.answered_at_ms,
            closed_by: self.closed_by,
            closed_at_ms: self.closed_at_ms,
            close_note: self.close_note,
        })
    }
}

/// The columns of `notices`, in [`NoticeRow`]'s order.
const COLUMNS: &str = "id, project, year, kind, item, owner, instructions, status, issued_by, \
     issued_at_ms, reasons, recovery_date, answered_by, answered_at_ms, closed_by, closed_at_ms, close_note";

/// A refusal explained in both languages.
fn declined(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Declined(Problem::new("notice", zh, en))
}

/// The notice as the audit trail records a step.
fn recorded(notice: &Notice) -> String {
    serde_json::to_string(notice).expect("a notice serialises")
}

port!(NoticeStore {
    async fn notices(&self) -> Result<Vec<Notice>, StoreError> {
        let rows: Vec<NoticeRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM notices ORDER BY id"))
                .fetch_all(&self.reader)
                .await
                .map_err(database_error)?;
        Ok(rows.into_iter().filter_map(NoticeRow::into_notice).collect())
    }

    async fn issue_notice(
        &self,
        about: &NoticeItem,
        instructions: &str,
        by: &Attribution,
    ) -> Result<Notice, StoreError> {
        plain_text(&[
            ("project", &about.project),
            ("kind", &about.kind),
            ("item", &about.item),
            ("owner", &about.owner),
            ("instructions", instructions),
        ])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let pending: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM notices WHERE project = $1 AND year = $2 AND kind = $3 AND item = $4 \
             AND owner = $5 AND status <> $6",
        )
        .bind(&about.project)
        .bind(i64::from(about.year))
        .bind(&about.kind)
        .bind(&about.item)
        .bind(&about.owner)
        .bind(NoticeStatus::Closed.code())
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        if pending.is_some() {
            return Err(declined(
                "这一事项已有未办结的督办单。",
                "the item has a notice that is not closed",
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO notices (project, year, kind, item, owner, instructions, status, issued_by, issued_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&about.project)
        .bind(i64::from(about.year))
        .bind(&about.kind)
        .bind(&about.item)
        .bind(&about.owner)
        .bind(instructions.trim())
        .bind(NoticeStatus::Open.code())
        .bind(&by.actor)
        .bind(by.at_ms)
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        let notice = Self::notice_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::NoticeIssue, &Subject::Notice(id), None, Some(recorded(&notice))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(notice)
    }

    async fn answer_notice(
        &self,
        id: i64,
        reasons: &str,
        recovery_date: &str,
        by: &Attribution,
    ) -> Result<Notice, StoreError> {
        plain_text(&[("reasons", reasons), ("recovery_date", recovery_date)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::notice_in(&mut transaction, id).await?;
        if before.status != NoticeStatus::Open {
            return Err(declined(
                format!("这份督办单{}，不能再答复。", before.status.names().0),
                format!("notice {id} is {}, not open", before.status.code()),
            ));
        }
        sqlx::query(
            "UPDATE notices SET status = $1, reasons = $2, recovery_date = $3, answered_by = $4, \
             answered_at_ms = $5 WHERE id = $6",
        )
        .bind(NoticeStatus::Answered.code())
        .bind(reasons.trim())
        .bind(recovery_date.trim())
        .bind(&by.actor)
        .bind(by.at_ms)
        .bind(id)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        let notice = Self::notice_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::NoticeAnswer, &Subject::Notice(id), Some(recorded(&before)), Some(recorded(&notice))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(notice)
    }

    async fn close_notice(&self, id: i64, note: &str, by: &Attribution) -> Result<Notice, StoreError> {
        plain_text(&[("note", note)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::notice_in(&mut transaction, id).await?;
        if before.status != NoticeStatus::Answered {
            return Err(declined(
                format!("这份督办单{}，不能办结。", before.status.names().0),
                format!("notice {id} is {}, not answered", before.status.code()),
            ));
        }
        sqlx::query("UPDATE notices SET status = $1, closed_by = $2, closed_at_ms = $3, close_note = $4 WHERE id = $5")
            .bind(NoticeStatus::Closed.code())
            .bind(&by.actor)
            .bind(by.at_ms)
            .bind(note.trim())
            .bind(id)
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        let notice = Self::notice_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::NoticeClose, &Subject::Notice(id), Some(recorded(&before)), Some(recorded(&notice))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(notice)
    }
});

on_each_backend! {
    /// Notice `id`, read inside `transaction`, or why there is none.
    async fn notice_in(transaction: &mut WriteTransaction<Self>, id: i64) -> Result<Notice, StoreError> {
        let row: Option<NoticeRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM notices WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut **transaction)
            .await
            .map_err(database_error)?;
        row.and_then(NoticeRow::into_notice)
            .ok_or_else(|| declined(format!("没有编号为{id}的督办单。"), format!("no notice {id}")))
    }
}
