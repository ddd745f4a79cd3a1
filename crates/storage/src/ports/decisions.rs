//! Major decisions: each supersedes exactly the decision in force about its subject (none for
//! a subject's first), and is audited in the same transaction.

use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::decision::{Decision, DecisionId, DecisionKind, NewDecision};
use minxin_domain::platform::{Attribution, DecisionStore, StoreError};

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `decisions`.
#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    kind: String,
    subject: String,
    decided_by: String,
    decided_by_name: String,
    decided_at_ms: i64,
    statement: String,
    supersedes: Option<i64>,
}

impl DecisionRow {
    /// The decision; `None` for a kind or a subject this version does not know.
    fn into_decision(self) -> Option<Decision> {
        Some(Decision {
            id: DecisionId(self.id),
            decision: NewDecision {
                kind: DecisionKind::from_code(&self.kind)?,
                subject: self.subject.parse().ok()?,
                decided_by: self.decided_by,
                decided_by_name: self.decided_by_name,
                decided_at_ms: self.decided_at_ms,
                statement: self.statement,
                supersedes: self.supersedes.map(DecisionId),
            },
        })
    }
}

port!(DecisionStore {
    async fn record_decision(&self, decision: &NewDecision) -> Result<Decision, StoreError> {
        if matches!(decision.kind, DecisionKind::MoveStage(_)) {
            return Err(StoreError::Refused(
                "a project's stage is moved by move_stage, which checks the move".into(),
            ));
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let recorded = Self::record_decision_in(&mut transaction, decision).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(recorded)
    }

    async fn decisions(&self) -> Result<Vec<Decision>, StoreError> {
        let rows: Vec<DecisionRow> = sqlx::query_as(
            "SELECT id, kind, subject, decided_by, decided_by_name, decided_at_ms, statement, supersedes \
             FROM decisions ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().filter_map(DecisionRow::into_decision).collect())
    }
});

on_each_backend! {
    /// Records `decision` inside `transaction`: it must supersede exactly the decision in
    /// force about its subject (none for the subject's first), and is audited with it.
    pub(crate) async fn record_decision_in(
        transaction: &mut WriteTransaction<Self>,
        decision: &NewDecision,
    ) -> Result<Decision, StoreError> {
        let subject = decision.subject.to_string();
        plain_text(&[
            ("subject", &subject),
            ("decided_by", &decision.decided_by),
            ("statement", &decision.statement),
        ])?;
        let about: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, supersedes FROM decisions WHERE subject = $1 ORDER BY id")
                .bind(&subject)
                .fetch_all(&mut **transaction)
                .await
                .map_err(database_error)?;
        let in_force = about
            .iter()
            .rev()
            .map(|(id, _)| *id)
            .find(|id| !about.iter().any(|(_, superseded)| *superseded == Some(*id)))
            .map(DecisionId);
        if decision.supersedes != in_force {
            return Err(StoreError::Refused(match in_force {
                Some(id) => format!(
                    "the decision in force about {} is {id}; a new decision must supersede it",
                    decision.subject
                ),
                None => format!("there is no decision about {} to supersede", decision.subject),
            }));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO decisions (kind, subject, decided_by, decided_by_name, decided_at_ms, statement, supersedes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(decision.kind.code())
        .bind(&subject)
        .bind(&decision.decided_by)
        .bind(&decision.decided_by_name)
        .bind(decision.decided_at_ms)
        .bind(&decision.statement)
        .bind(decision.supersedes.map(|id| id.0))
        .fetch_one(&mut **transaction)
        .await
        .map_err(database_error)?;
        let recorded = Decision {
            id: DecisionId(id),
            decision: decision.clone(),
        };
        Self::append_audit_in(
            transaction,
            NewAuditEntry::attributed(
                &Attribution {
                    actor: decision.decided_by.clone(),
                    at_ms: decision.decided_at_ms,
                },
                AuditAction::decided(decision.kind),
                &decision.subject,
                decision.supersedes.map(|s| serde_json::json!({"decision": s}).to_string()),
                Some(serde_json::to_string(&recorded).expect("a decision serialises")),
            ),
        )
        .await?;
        Ok(recorded)
    }
}
