//! Progress reports: one row per report with its content as JSON and the time of each step;
//! evidence files stored once by their SHA-256 and attached to reports. Every change is
//! audited in its own transaction, which also keeps the latest states of the letter's parts
//! (`supervision_items.rs`) up to date.

use std::collections::BTreeMap;

use minxin_domain::advancement::letter::LetterStatus;
use minxin_domain::advancement::progress::{
    EvidenceFile, ProgressReport, ReportContent, ReportStatus,
};
use minxin_domain::advancement::supervision::{BoardQuery, BoardSlice, CommitmentState, ItemQuery};
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{Attribution, ProgressStore, StoreError};
use minxin_domain::problem::Problem;
use minxin_domain::subject::Subject;
use sha2::{Digest, Sha256};

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `progress_reports`.
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    project: String,
    year: i64,
    month: String,
    unit: String,
    status: String,
    content: String,
    submitted_by: String,
    submitted_at_ms: i64,
    reviewed_by: Option<String>,
    reviewed_at_ms: Option<i64>,
    decided_by: Option<String>,
    decided_at_ms: Option<i64>,
    return_reason: String,
}

impl ReportRow {
    /// The report, with its evidence; `None` for a status or content this version cannot read.
    fn into_report(self, evidence: Vec<EvidenceFile>) -> Option<ProgressReport> {
        Some(ProgressReport {
            id: self.id,
            status: ReportStatus::from_code(&self.status)?,
            content: serde_json::from_str(&self.content).ok()?,
            year: i32::try_from(self.year).ok()?,
            project: self.project,
            month: self.month,
            unit: self.unit,
            submitted_by: self.submitted_by,
            submitted_at_ms: self.submitted_at_ms,
            reviewed_by: self.reviewed_by,
            reviewed_at_ms: self.reviewed_at_ms,
            decided_by: self.decided_by,
            decided_at_ms: self.decided_at_ms,
            return_reason: self.return_reason,
            evidence,
        })
    }
}

/// A row of `report_evidence` joined with its file.
#[derive(sqlx::FromRow)]
struct EvidenceRow {
    report: i64,
    name: String,
    media_type: String,
    size: i64,
    sha256: Vec<u8>,
}

/// The columns of `progress_reports`, in [`ReportRow`]'s order.
const REPORT_COLUMNS: &str = "id, project, year, month, unit, status, content, submitted_by, \
     submitted_at_ms, reviewed_by, reviewed_at_ms, decided_by, decided_at_ms, return_reason";

/// A refusal explained in both languages.
fn declined(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Declined(Problem::new("report", zh, en))
}

/// The report as the audit trail records its step.
fn step(report: &ProgressReport) -> String {
    serde_json::json!({"status": report.status, "month": report.month, "unit": report.unit})
        .to_string()
}

port!(ProgressStore {
    async fn reports(&self, project: &str, year: i32) -> Result<Vec<ProgressReport>, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let reports = Self::reports_in(&mut transaction, project, i64::from(year), 0).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(reports)
    }

    async fn report(&self, id: i64) -> Result<Option<ProgressReport>, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let report = Self::reports_in(&mut transaction, "", 0, id).await?.pop();
        transaction.commit().await.map_err(database_error)?;
        Ok(report)
    }

    async fn submit_report(
        &self,
        project: &str,
        year: i32,
        month: &str,
        unit: &str,
        content: &ReportContent,
        by: &Attribution,
    ) -> Result<ProgressReport, StoreError> {
        plain_text(&[("project", project), ("month", month), ("unit", unit), ("note", &content.note)])?;
        for link in &content.links {
            plain_text(&[("links", link)])?;
        }
        let json = serde_json::to_string(content).expect("a report serialises");
        plain_text(&[("content", &json)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let letter: Option<(String,)> =
            sqlx::query_as("SELECT status FROM letters WHERE project = $1 AND year = $2")
                .bind(project)
                .bind(i64::from(year))
                .fetch_optional(&mut *transaction)
                .await
                .map_err(database_error)?;
        if letter.and_then(|(status,)| LetterStatus::from_code(&status)) != Some(LetterStatus::Accepted) {
            return Err(declined(
                "责任书签收之后才能报送进展。",
                "progress is reported on a signed letter",
            ));
        }
        let counting: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM progress_reports WHERE project = $1 AND year = $2 AND month = $3 \
             AND unit = $4 AND status <> $5",
        )
        .bind(project)
        .bind(i64::from(year))
        .bind(month)
        .bind(unit)
        .bind(ReportStatus::Returned.code())
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        if counting.is_some() {
            return Err(declined(
                format!("本单位{month}的进展已报送；如需更正，请审核单位先退回。"),
                format!("this unit's report for {month} is in; it is corrected once returned"),
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO progress_reports (project, year, month, unit, status, content, submitted_by, submitted_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(project)
        .bind(i64::from(year))
        .bind(month)
        .bind(unit)
        .bind(ReportStatus::Submitted.code())
        .bind(&json)
        .bind(&by.actor)
        .bind(by.at_ms)
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        let report = Self::report_in(&mut transaction, id).await?;
        Self::record_submitted_in(&mut transaction, &report).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::ReportSubmit,
                &Subject::Report(id),
                None,
                Some(serde_json::to_string(&report).expect("a report serialises")),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(report)
    }

    async fn review_report(&self, id: i64, by: &Attribution) -> Result<ProgressReport, StoreError> {
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::report_in(&mut transaction, id).await?;
        if before.status != ReportStatus::Submitted {
            return Err(declined(
                format!("这份报告{}，不能审核。", before.status.names().0),
                format!("report {id} is {}, not submitted", before.status.code()),
            ));
        }
        sqlx::query("UPDATE progress_reports SET status = $1, reviewed_by = $2, reviewed_at_ms = $3 WHERE id = $4")
            .bind(ReportStatus::Reviewed.code())
            .bind(&by.actor)
            .bind(by.at_ms)
            .bind(id)
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        let report = Self::report_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::ReportReview, &Subject::Report(id), Some(step(&before)), Some(step(&report))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(report)
    }

    async fn decide_report(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        by: &Attribution,
    ) -> Result<ProgressReport, StoreError> {
        plain_text(&[("reason", reason)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::report_in(&mut transaction, id).await?;
        let allowed = if accept {
            before.status == ReportStatus::Reviewed
        } else {
            matches!(before.status, ReportStatus::Submitted | ReportStatus::Reviewed)
        };
        if !allowed {
            return Err(declined(
                format!("这份报告{}，不能这样处理。", before.status.names().0),
                format!("report {id} is {}", before.status.code()),
            ));
        }
        if !accept && reason.trim().is_empty() {
            return Err(StoreError::Declined(Problem::new(
                "reason",
                "退回报告须写明理由。",
                "returning a report states the reason",
            )));
        }
        let status = if accept { ReportStatus::Accepted } else { ReportStatus::Returned };
        sqlx::query(
            "UPDATE progress_reports SET status = $1, decided_by = $2, decided_at_ms = $3, return_reason = $4 WHERE id = $5",
        )
        .bind(status.code())
        .bind(&by.actor)
        .bind(by.at_ms)
        .bind(reason.trim())
        .bind(id)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        let report = Self::report_in(&mut transaction, id).await?;
        if !accept {
            Self::record_returned_in(&mut transaction, &report).await?;
        }
        let mut after = serde_json::from_str::<serde_json::Value>(&step(&report)).expect("a step is JSON");
        if !accept {
            after["reason"] = reason.trim().into();
        }
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                if accept { AuditAction::ReportAccept } else { AuditAction::ReportReturn },
                &Subject::Report(id),
                Some(step(&before)),
                Some(after.to_string()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(report)
    }

    async fn attach_evidence(
        &self,
        id: i64,
        name: &str,
        media_type: &str,
        bytes: &[u8],
        by: &Attribution,
    ) -> Result<EvidenceFile, StoreError> {
        plain_text(&[("name", name), ("media_type", media_type)])?;
        let digest = Sha256::digest(bytes).to_vec();
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let report = Self::report_in(&mut transaction, id).await?;
        if matches!(report.status, ReportStatus::Accepted | ReportStatus::Returned) {
            return Err(declined(
                format!("这份报告{}，不能再补充佐证材料。", report.status.names().0),
                format!("report {id} is {}; evidence is attached before it is decided", report.status.code()),
            ));
        }
        sqlx::query(
            "INSERT INTO evidence_files (sha256, media_type, size, content) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&digest)
        .bind(media_type)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        let (position,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM report_evidence WHERE report = $1")
                .bind(id)
                .fetch_one(&mut *transaction)
                .await
                .map_err(database_error)?;
        sqlx::query("INSERT INTO report_evidence (report, position, name, sha256) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(position)
            .bind(name)
            .bind(&digest)
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        let file = EvidenceFile {
            name: name.to_string(),
            media_type: media_type.to_string(),
            size: bytes.len() as u64,
            sha256: minxin_domain::hex::encode(&digest),
        };
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::ReportEvidence,
                &Subject::Report(id),
                None,
                Some(serde_json::to_string(&file).expect("a file serialises")),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(file)
    }

    async fn evidence(&self, id: i64, sha256: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let Some(digest) = minxin_domain::hex::decode::<32>(sha256) else {
            return Ok(None);
        };
        let digest = digest.to_vec();
        let found: Option<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT f.media_type, f.content FROM report_evidence e JOIN evidence_files f ON f.sha256 = e.sha256 \
             WHERE e.report = $1 AND e.sha256 = $2",
        )
        .bind(id)
        .bind(&digest)
        .fetch_optional(&self.reader)
        .await
        .map_err(database_error)?;
        Ok(found)
    }

    async fn board_slice(&self, query: &BoardQuery) -> Result<BoardSlice, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let slice = Self::board_slice_in(&mut transaction, query).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(slice)
    }

    async fn commitment_states(&self, query: &ItemQuery) -> Result<Vec<CommitmentState>, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let items = Self::commitment_states_in(&mut transaction, query).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(items)
    }
});

on_each_backend! {
    /// Report `id`, read inside `transaction`, or why there is none.
    async fn report_in(
        transaction: &mut WriteTransaction<Self>,
        id: i64,
    ) -> Result<ProgressReport, StoreError> {
        Self::reports_in(transaction, "", 0, id)
            .await?
            .pop()
            .ok_or_else(|| declined(format!("没有编号为{id}的进展报告。"), format!("no report {id}")))
    }

    /// The reports of `project`'s letter for `year`, or report `id` alone (when not 0).
    pub(crate) async fn reports_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
        id: i64,
    ) -> Result<Vec<ProgressReport>, StoreError> {
        let filter = "(($3 <> 0 AND id = $3) OR ($3 = 0 AND project = $1 AND year = $2))";
        let rows: Vec<ReportRow> = sqlx::query_as(&format!(
            "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE {filter} ORDER BY month, id"
        ))
        .bind(project)
        .bind(year)
        .bind(id)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let evidence: Vec<EvidenceRow> = sqlx::query_as(&format!(
            "SELECT e.report, e.name, f.media_type, f.size, f.sha256 FROM report_evidence e \
             JOIN evidence_files f ON f.sha256 = e.sha256 \
             WHERE e.report IN (SELECT id FROM progress_reports WHERE {filter}) ORDER BY e.report, e.position"
        ))
        .bind(project)
        .bind(year)
        .bind(id)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let mut files: BTreeMap<i64, Vec<EvidenceFile>> = BTreeMap::new();
        for row in evidence {
            files.entry(row.report).or_default().push(EvidenceFile {
                name: row.name,
                media_type: row.media_type,
                size: u64::try_from(row.size).unwrap_or(0),
                sha256: minxin_domain::hex::encode(&row.sha256),
            });
        }
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let attached = files.remove(&row.id).unwrap_or_default();
                row.into_report(attached)
            })
            .collect())
    }
}
