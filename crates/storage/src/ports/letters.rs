//! Responsibility letters: one row per project and year with its status and signatures, and
//! its commitments in their own tables (milestones, targets, districts' shares, phases), so
//! that a district's commitments are found by its index. Every change is audited in its own
//! transaction.

use std::collections::BTreeMap;

use minxin_domain::advancement::letter::{
    Commitments, DistrictShare, Letter, LetterStatus, MilestoneCommitment, Phase, TargetCommitment,
};
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::platform::{Attribution, LetterStore, StoreError};
use minxin_domain::problem::Problem;
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `letters`.
#[derive(sqlx::FromRow)]
struct LetterRow {
    id: i64,
    project: String,
    year: i64,
    status: String,
    issued_by: Option<String>,
    issued_at_ms: Option<i64>,
    accepted_by: Option<String>,
    accepted_by_name: Option<String>,
    accepted_at_ms: Option<i64>,
}

/// A row of `letter_milestones`.
#[derive(sqlx::FromRow)]
struct MilestoneRow {
    letter: i64,
    id: String,
    title_zh: String,
    title_en: String,
    kind: String,
    due: String,
    unit: String,
    person: String,
}

/// A row of `letter_targets`.
#[derive(sqlx::FromRow)]
struct TargetRow {
    letter: i64,
    id: String,
    title_zh: String,
    title_en: String,
    measure_zh: String,
    measure_en: String,
    quantity: f64,
    due: String,
    unit: String,
    weight: Option<f64>,
}

/// A row of `letter_target_shares`.
#[derive(sqlx::FromRow)]
struct ShareRow {
    letter: i64,
    target: String,
    district: String,
    quantity: f64,
}

/// A row of `letter_phases`.
#[derive(sqlx::FromRow)]
struct PhaseRow {
    letter: i64,
    title_zh: String,
    title_en: String,
    milestones: String,
}

/// The columns of `letters`, in [`LetterRow`]'s order.
const LETTER_COLUMNS: &str = "l.id, l.project, l.year, l.status, l.issued_by, l.issued_at_ms, \
     l.accepted_by, l.accepted_by_name, l.accepted_at_ms";

/// A refusal explained in both languages.
fn declined(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Declined(Problem::new("letter", zh, en))
}

/// The subject of a letter.
fn subject(project: &str, year: i32) -> Subject {
    Subject::Letter {
        project: project.to_string(),
        year,
    }
}

/// Refuses commitments holding a NUL character in any text.
fn check_texts(commitments: &Commitments) -> Result<(), StoreError> {
    for m in &commitments.milestones {
        plain_text(&[
            ("milestone.id", &m.id),
            ("milestone.title_zh", &m.title_zh),
            ("milestone.title_en", &m.title_en),
            ("milestone.kind", &m.kind),
            ("milestone.due", &m.due),
            ("milestone.unit", &m.unit),
            ("milestone.person", &m.person),
        ])?;
    }
    for t in &commitments.targets {
        plain_text(&[
            ("target.id", &t.id),
            ("target.title_zh", &t.title_zh),
            ("target.title_en", &t.title_en),
            ("target.measure_zh", &t.measure_zh),
            ("target.measure_en", &t.measure_en),
            ("target.due", &t.due),
            ("target.unit", &t.unit),
        ])?;
        for share in &t.shares {
            plain_text(&[("share.district", &share.district)])?;
        }
    }
    for p in &commitments.phases {
        plain_text(&[
            ("phase.title_zh", &p.title_zh),
            ("phase.title_en", &p.title_en),
        ])?;
        for id in &p.milestones {
            plain_text(&[("phase.milestones", id)])?;
        }
    }
    Ok(())
}

port!(LetterStore {
    async fn letters(&self, project: Option<&str>) -> Result<Vec<Letter>, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let letters = Self::letters_in(&mut transaction, project.unwrap_or(""), None).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(letters)
    }

    async fn create_letter(
        &self,
        project: &str,
        year: i32,
        by: &Attribution,
    ) -> Result<Letter, StoreError> {
        plain_text(&[("project", project)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let known: Option<(String,)> = sqlx::query_as("SELECT code FROM projects WHERE code = $1")
            .bind(project)
            .fetch_optional(&mut *transaction)
            .await
            .map_err(database_error)?;
        if known.is_none() {
            return Err(StoreError::NoSuchProject(project.to_string()));
        }
        let inserted = sqlx::query(
            "INSERT INTO letters (project, year, status) VALUES ($1, $2, $3) \
             ON CONFLICT (project, year) DO NOTHING",
        )
        .bind(project)
        .bind(i64::from(year))
        .bind(LetterStatus::Draft.code())
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?
        .rows_affected();
        if inserted == 0 {
            return Err(declined(
                format!("本项目{year}年的责任书已经存在。"),
                format!("project {project:?} has a letter for {year} already"),
            ));
        }
        let letter = Self::letter_in(&mut transaction, project, year).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::LetterCreate,
                &subject(project, year),
                None,
                Some(serde_json::json!({"status": letter.status}).to_string()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(letter)
    }

    async fn put_commitments(
        &self,
        project: &str,
        year: i32,
        commitments: &Commitments,
        by: &Attribution,
    ) -> Result<Letter, StoreError> {
        check_texts(commitments)?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::letter_in(&mut transaction, project, year).await?;
        if before.status != LetterStatus::Draft {
            return Err(declined(
                "责任书已下达，内容不能再改；如需修改，请市协调办先退回。",
                "the letter has been issued; only a draft's commitments change",
            ));
        }
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM letters WHERE project = $1 AND year = $2")
            .bind(project)
            .bind(i64::from(year))
            .fetch_one(&mut *transaction)
            .await
            .map_err(database_error)?;
        Self::write_commitments_in(&mut transaction, id, commitments).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::LetterEdit,
                &subject(project, year),
                Some(serde_json::to_string(&before.commitments).expect("commitments serialise")),
                Some(serde_json::to_string(commitments).expect("commitments serialise")),
            ),
        )
        .await?;
        let letter = Self::letter_in(&mut transaction, project, year).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(letter)
    }

    async fn issue_letter(
        &self,
        project: &str,
        year: i32,
        issue: bool,
        reason: &str,
        by: &Attribution,
    ) -> Result<Letter, StoreError> {
        plain_text(&[("reason", reason)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::letter_in(&mut transaction, project, year).await?;
        let (from, to, action) = if issue {
            (LetterStatus::Draft, LetterStatus::Issued, AuditAction::LetterIssue)
        } else {
            (LetterStatus::Issued, LetterStatus::Draft, AuditAction::LetterReturn)
        };
        if before.status != from {
            return Err(declined(
                format!("责任书目前{}，不能这样处理。", before.status.names().0),
                format!("the letter is {}, not {}", before.status.code(), from.code()),
            ));
        }
        if issue && before.commitments.is_empty() {
            return Err(declined(
                "责任书还没有任何节点或任务，不能下达。",
                "a letter without milestones or targets is not issued",
            ));
        }
        if !issue && reason.trim().is_empty() {
            return Err(StoreError::Declined(Problem::new(
                "reason",
                "退回责任书须写明理由。",
                "returning a letter states the reason",
            )));
        }
        sqlx::query(
            "UPDATE letters SET status = $1, issued_by = $2, issued_at_ms = $3 \
             WHERE project = $4 AND year = $5",
        )
        .bind(to.code())
        .bind(issue.then_some(by.actor.as_str()))
        .bind(issue.then_some(by.at_ms))
        .bind(project)
        .bind(i64::from(year))
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        Self::letter_items_in(&mut transaction, project, i64::from(year), to).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                action,
                &subject(project, year),
                Some(serde_json::json!({"status": from}).to_string()),
                Some(serde_json::json!({"status": to, "reason": reason.trim()}).to_string()),
            ),
        )
        .await?;
        let letter = Self::letter_in(&mut transaction, project, year).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(letter)
    }

    async fn accept_letter(
        &self,
        project: &str,
        year: i32,
        name: &str,
        by: &Attribution,
    ) -> Result<Letter, StoreError> {
        plain_text(&[("name", name)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::letter_in(&mut transaction, project, year).await?;
        if before.status != LetterStatus::Issued {
            return Err(declined(
                format!("责任书目前{}，不能签收。", before.status.names().0),
                format!("the letter is {}, not issued", before.status.code()),
            ));
        }
        sqlx::query(
            "UPDATE letters SET status = $1, accepted_by = $2, accepted_by_name = $3, accepted_at_ms = $4 \
             WHERE project = $5 AND year = $6",
        )
        .bind(LetterStatus::Accepted.code())
        .bind(&by.actor)
        .bind(name)
        .bind(by.at_ms)
        .bind(project)
        .bind(i64::from(year))
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        Self::letter_items_in(&mut transaction, project, i64::from(year), LetterStatus::Accepted)
            .await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::LetterAccept,
                &subject(project, year),
                Some(serde_json::json!({"status": LetterStatus::Issued}).to_string()),
                Some(serde_json::json!({"status": LetterStatus::Accepted, "signed_by": name}).to_string()),
            ),
        )
        .await?;
        let letter = Self::letter_in(&mut transaction, project, year).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(letter)
    }
});

on_each_backend! {
    /// The letter of `project` for `year`, read inside `transaction`, or why there is none.
    async fn letter_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i32,
    ) -> Result<Letter, StoreError> {
        Self::letters_in(transaction, project, Some(year))
            .await?
            .pop()
            .ok_or_else(|| {
                declined(
                    format!("本项目没有{year}年的责任书。"),
                    format!("project {project:?} has no letter for {year}"),
                )
            })
    }

    /// The letters of `project` (every project when empty), of `year` only when given.
    async fn letters_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: Option<i32>,
    ) -> Result<Vec<Letter>, StoreError> {
        let year = year.map_or(0, i64::from);
        let rows: Vec<LetterRow> = sqlx::query_as(&format!(
            "SELECT {LETTER_COLUMNS} FROM letters l JOIN projects p ON p.code = l.project \
             WHERE ($1 = '' OR l.project = $1) AND ($2 = 0 OR l.year = $2) \
             ORDER BY p.position, p.code, l.year"
        ))
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        // Commitments of the letters read, by the letters' ids.
        let filter = "letter IN (SELECT l.id FROM letters l WHERE ($1 = '' OR l.project = $1) AND ($2 = 0 OR l.year = $2))";
        let milestones: Vec<MilestoneRow> = sqlx::query_as(&format!(
            "SELECT letter, id, title_zh, title_en, kind, due, unit, person FROM letter_milestones \
             WHERE {filter} ORDER BY letter, position"
        ))
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let targets: Vec<TargetRow> = sqlx::query_as(&format!(
            "SELECT letter, id, title_zh, title_en, measure_zh, measure_en, quantity, due, unit, weight \
             FROM letter_targets WHERE {filter} ORDER BY letter, position"
        ))
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let shares: Vec<ShareRow> = sqlx::query_as(&format!(
            "SELECT letter, target, district, quantity FROM letter_target_shares \
             WHERE {filter} ORDER BY letter, target, position"
        ))
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let phases: Vec<PhaseRow> = sqlx::query_as(&format!(
            "SELECT letter, title_zh, title_en, milestones FROM letter_phases \
             WHERE {filter} ORDER BY letter, position"
        ))
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let mut commitments: BTreeMap<i64, Commitments> = BTreeMap::new();
        for m in milestones {
            commitments.entry(m.letter).or_default().milestones.push(MilestoneCommitment {
                id: m.id,
                title_zh: m.title_zh,
                title_en: m.title_en,
                kind: m.kind,
                due: m.due,
                unit: m.unit,
                person: m.person,
            });
        }
        let mut shares_of: BTreeMap<(i64, String), Vec<DistrictShare>> = BTreeMap::new();
        for share in shares {
            shares_of
                .entry((share.letter, share.target))
                .or_default()
                .push(DistrictShare {
                    district: share.district,
                    quantity: share.quantity,
                });
        }
        for t in targets {
            let shares = shares_of.remove(&(t.letter, t.id.clone())).unwrap_or_default();
            commitments.entry(t.letter).or_default().targets.push(TargetCommitment {
                id: t.id,
                title_zh: t.title_zh,
                title_en: t.title_en,
                measure_zh: t.measure_zh,
                measure_en: t.measure_en,
                quantity: t.quantity,
                due: t.due,
                unit: t.unit,
                shares,
                weight: t.weight,
            });
        }
        for p in phases {
            commitments.entry(p.letter).or_default().phases.push(Phase {
                title_zh: p.title_zh,
                title_en: p.title_en,
                milestones: serde_json::from_str(&p.milestones).unwrap_or_default(),
            });
        }
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Letter {
                    status: LetterStatus::from_code(&row.status)?,
                    commitments: commitments.remove(&row.id).unwrap_or_default(),
                    project: row.project,
                    year: i32::try_from(row.year).ok()?,
                    issued_by: row.issued_by,
                    issued_at_ms: row.issued_at_ms,
                    accepted_by: row.accepted_by,
                    accepted_by_name: row.accepted_by_name,
                    accepted_at_ms: row.accepted_at_ms,
                })
            })
            .collect())
    }

    /// Replaces the commitments of letter `id` inside `transaction`.
    async fn write_commitments_in(
        transaction: &mut WriteTransaction<Self>,
        id: i64,
        commitments: &Commitments,
    ) -> Result<(), StoreError> {
        for table in ["letter_milestones", "letter_targets", "letter_target_shares", "letter_phases"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE letter = $1"))
                .bind(id)
                .execute(&mut **transaction)
                .await
                .map_err(database_error)?;
        }
        for (position, m) in commitments.milestones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO letter_milestones (letter, id, position, title_zh, title_en, kind, due, unit, person) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(&m.id)
            .bind(position as i64)
            .bind(&m.title_zh)
            .bind(&m.title_en)
            .bind(&m.kind)
            .bind(&m.due)
            .bind(&m.unit)
            .bind(&m.person)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        for (position, t) in commitments.targets.iter().enumerate() {
            sqlx::query(
                "INSERT INTO letter_targets (letter, id, position, title_zh, title_en, measure_zh, measure_en, quantity, due, unit, weight) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(&t.id)
            .bind(position as i64)
            .bind(&t.title_zh)
            .bind(&t.title_en)
            .bind(&t.measure_zh)
            .bind(&t.measure_en)
            .bind(t.quantity)
            .bind(&t.due)
            .bind(&t.unit)
            .bind(t.weight)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
            for (share_position, share) in t.shares.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO letter_target_shares (letter, target, district, position, quantity) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&t.id)
                .bind(&share.district)
                .bind(share_position as i64)
                .bind(share.quantity)
                .execute(&mut **transaction)
                .await
                .map_err(database_error)?;
            }
        }
        for (position, p) in commitments.phases.iter().enumerate() {
            sqlx::query(
                "INSERT INTO letter_phases (letter, position, title_zh, title_en, milestones) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&p.title_zh)
            .bind(&p.title_en)
            .bind(serde_json::to_string(&p.milestones).expect("codes serialise"))
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }
}
