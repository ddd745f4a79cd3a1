//! Projects' stages and plans: the stage is the decision in force about `project/CODE/stage`
//! (moved only through [`StageStore::move_stage`], which checks the move), the plan is one row
//! per project with the baseline frozen into it when implementation begins, and a frozen plan
//! changes only through a modification the office approves. Every change is audited in its own
//! transaction.

use std::collections::BTreeMap;

use minxin_domain::advancement::stage::{
    check_move, Modification, ModificationKind, ModificationStatus, PaperStage, ProjectPlan,
    ProjectStanding, ProjectStatus,
};
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::decision::{Decision, DecisionId, DecisionKind, NewDecision};
use minxin_domain::platform::{Attribution, StageStore, StoreError};
use minxin_domain::problem::Problem;
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `project_plans`.
#[derive(sqlx::FromRow)]
struct PlanRow {
    project: String,
    period_start: Option<String>,
    period_end: Option<String>,
    budget_yuan: Option<i64>,
    scope_zh: String,
    scope_en: String,
    baseline: Option<String>,
    baseline_at_ms: Option<i64>,
}

impl PlanRow {
    /// The current plan.
    fn plan(&self) -> ProjectPlan {
        ProjectPlan {
            period_start: self.period_start.clone(),
            period_end: self.period_end.clone(),
            budget_yuan: self.budget_yuan,
            scope_zh: self.scope_zh.clone(),
            scope_en: self.scope_en.clone(),
        }
    }
}

/// A row of `project_modifications`.
#[derive(sqlx::FromRow)]
struct ModificationRow {
    id: i64,
    project: String,
    kind: String,
    reason: String,
    before_plan: String,
    after_plan: String,
    proposed_by: String,
    proposed_at_ms: i64,
    status: String,
    decided_by: Option<String>,
    decided_at_ms: Option<i64>,
    decision_note: String,
}

impl ModificationRow {
    /// The modification; `None` for a kind or status this version does not know.
    fn into_modification(self) -> Option<Modification> {
        Some(Modification {
            id: self.id,
            kind: ModificationKind::from_code(&self.kind)?,
            status: ModificationStatus::from_code(&self.status)?,
            before: serde_json::from_str(&self.before_plan).ok()?,
            after: serde_json::from_str(&self.after_plan).ok()?,
            project: self.project,
            reason: self.reason,
            proposed_by: self.proposed_by,
            proposed_at_ms: self.proposed_at_ms,
            decided_by: self.decided_by,
            decided_at_ms: self.decided_at_ms,
            decision_note: self.decision_note,
        })
    }
}

/// A stage decision, as far as the stage needs it.
#[derive(sqlx::FromRow)]
struct StageRow {
    id: i64,
    kind: String,
    subject: String,
    supersedes: Option<i64>,
}

/// The columns of `project_modifications`, in [`ModificationRow`]'s order.
const MODIFICATION_COLUMNS: &str =
    "id, project, kind, reason, before_plan, after_plan, proposed_by, \
     proposed_at_ms, status, decided_by, decided_at_ms, decision_note";

/// The plan as stored JSON.
fn plan_json(plan: &ProjectPlan) -> String {
    serde_json::to_string(plan).expect("a plan serialises")
}

/// A refusal explained in both languages.
fn declined(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Declined(Problem::new("project", zh, en))
}

/// Refuses a plan holding a NUL character.
fn check_plan_text(plan: &ProjectPlan) -> Result<(), StoreError> {
    plain_text(&[
        ("period_start", plan.period_start.as_deref().unwrap_or("")),
        ("period_end", plan.period_end.as_deref().unwrap_or("")),
        ("scope_zh", &plan.scope_zh),
        ("scope_en", &plan.scope_en),
    ])
}

port!(StageStore {
    async fn standings(&self) -> Result<Vec<ProjectStanding>, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let standings = Self::standings_in(&mut transaction, None).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(standings)
    }

    async fn standing(&self, project: &str) -> Result<ProjectStanding, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let standing = Self::standing_in(&mut transaction, project).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(standing)
    }

    async fn set_plan(
        &self,
        project: &str,
        plan: &ProjectPlan,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        check_plan_text(plan)?;
        if let Some(problem) = plan.problems().into_iter().next() {
            return Err(StoreError::Declined(problem));
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let standing = Self::standing_in(&mut transaction, project).await?;
        if standing.baseline.is_some() {
            return Err(declined(
                "项目已进入实施阶段，计划已冻结为基线；如需调整，请提出计划变更并报市协调办批准。",
                "the plan is frozen as the baseline since implementation began; propose a modification instead",
            ));
        }
        Self::write_plan_in(&mut transaction, project, plan).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::ProjectPlanSet,
                &Subject::Project(project.to_string()),
                Some(plan_json(&standing.plan)),
                Some(plan_json(plan)),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)
    }

    async fn move_stage(&self, decision: &NewDecision) -> Result<Decision, StoreError> {
        let (DecisionKind::MoveStage(to), Subject::ProjectStage(project)) =
            (decision.kind, &decision.subject)
        else {
            return Err(StoreError::Refused(
                "a stage decision moves a project's stage (project/CODE/stage)".into(),
            ));
        };
        if decision.statement.trim().is_empty() {
            return Err(StoreError::Declined(Problem::new(
                "statement",
                "调整项目阶段须写明理由。",
                "a stage decision states its reasons",
            )));
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let standing = Self::standing_in(&mut transaction, project).await?;
        check_move(standing.status, to).map_err(StoreError::Declined)?;
        if to == ProjectStatus::Implementation && standing.baseline.is_none() {
            if let Some(problem) = standing.plan.baseline_problems().into_iter().next() {
                return Err(StoreError::Declined(problem));
            }
            sqlx::query(
                "UPDATE project_plans SET baseline = $1, baseline_at_ms = $2 WHERE project = $3",
            )
            .bind(plan_json(&standing.plan))
            .bind(decision.decided_at_ms)
            .bind(project)
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        }
        let recorded = Self::record_decision_in(&mut transaction, decision).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(recorded)
    }

    async fn propose_modification(
        &self,
        project: &str,
        kind: ModificationKind,
        reason: &str,
        after: &ProjectPlan,
        by: &Attribution,
    ) -> Result<Modification, StoreError> {
        check_plan_text(after)?;
        plain_text(&[("reason", reason)])?;
        if reason.trim().is_empty() {
            return Err(StoreError::Declined(Problem::new(
                "reason",
                "计划变更须写明理由。",
                "a modification states its reason",
            )));
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let standing = Self::standing_in(&mut transaction, project).await?;
        if standing.baseline.is_none() {
            return Err(declined(
                "项目尚未进入实施阶段，计划可以直接修改，无需提出变更。",
                "the plan is not frozen yet: set it instead of proposing a modification",
            ));
        }
        if standing.status.paper_stage() == PaperStage::Exiting {
            return Err(declined(
                "项目已退出，不再调整计划。",
                "the project has ended; its plan no longer changes",
            ));
        }
        let changed = kind.apply(&standing.plan, after);
        if let Some(problem) = changed.baseline_problems().into_iter().next() {
            return Err(StoreError::Declined(problem));
        }
        if changed == standing.plan {
            return Err(declined(
                "所提变更与现行计划相同。",
                "the modification changes nothing",
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO project_modifications (project, kind, reason, before_plan, after_plan, \
             proposed_by, proposed_at_ms, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(project)
        .bind(kind.code())
        .bind(reason.trim())
        .bind(plan_json(&standing.plan))
        .bind(plan_json(&changed))
        .bind(&by.actor)
        .bind(by.at_ms)
        .bind(ModificationStatus::Proposed.code())
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        let modification = Modification {
            id,
            project: project.to_string(),
            kind,
            reason: reason.trim().to_string(),
            before: standing.plan,
            after: changed,
            proposed_by: by.actor.clone(),
            proposed_at_ms: by.at_ms,
            status: ModificationStatus::Proposed,
            decided_by: None,
            decided_at_ms: None,
            decision_note: String::new(),
        };
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::ModificationPropose,
                &Subject::Project(project.to_string()),
                None,
                Some(serde_json::to_string(&modification).expect("a modification serialises")),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(modification)
    }

    async fn decide_modification(
        &self,
        id: i64,
        approve: bool,
        note: &str,
        by: &Attribution,
    ) -> Result<Modification, StoreError> {
        plain_text(&[("note", note)])?;
        if !approve && note.trim().is_empty() {
            return Err(StoreError::Declined(Problem::new(
                "note",
                "不批准计划变更须写明理由。",
                "not approving a modification states the reason",
            )));
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let row: Option<ModificationRow> = sqlx::query_as(&format!(
            "SELECT {MODIFICATION_COLUMNS} FROM project_modifications WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        let Some(mut modification) = row.and_then(ModificationRow::into_modification) else {
            return Err(declined(
                format!("没有编号为{id}的计划变更。"),
                format!("no modification {id}"),
            ));
        };
        if modification.status != ModificationStatus::Proposed {
            return Err(declined(
                "这项计划变更已经审批过了。",
                format!("modification {id} is decided already"),
            ));
        }
        let status = if approve {
            ModificationStatus::Approved
        } else {
            ModificationStatus::Rejected
        };
        if approve {
            // Another change may have been approved since: this one changes its own part.
            let standing = Self::standing_in(&mut transaction, &modification.project).await?;
            let changed = modification.kind.apply(&standing.plan, &modification.after);
            Self::write_plan_in(&mut transaction, &modification.project, &changed).await?;
        }
        sqlx::query(
            "UPDATE project_modifications SET status = $1, decided_by = $2, decided_at_ms = $3, \
             decision_note = $4 WHERE id = $5",
        )
        .bind(status.code())
        .bind(&by.actor)
        .bind(by.at_ms)
        .bind(note.trim())
        .bind(id)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        modification.status = status;
        modification.decided_by = Some(by.actor.clone());
        modification.decided_at_ms = Some(by.at_ms);
        modification.decision_note = note.trim().to_string();
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                if approve {
                    AuditAction::ModificationApprove
                } else {
                    AuditAction::ModificationReject
                },
                &Subject::Project(modification.project.clone()),
                Some(serde_json::json!({"modification": id, "status": "proposed"}).to_string()),
                Some(serde_json::to_string(&modification).expect("a modification serialises")),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(modification)
    }
});

on_each_backend! {
    /// One project's standing, read inside `transaction`.
    async fn standing_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
    ) -> Result<ProjectStanding, StoreError> {
        Self::standings_in(transaction, Some(project))
            .await?
            .pop()
            .ok_or_else(|| StoreError::NoSuchProject(project.to_string()))
    }

    /// The standings of every registered project (or of `only`), in the register's order.
    async fn standings_in(
        transaction: &mut WriteTransaction<Self>,
        only: Option<&str>,
    ) -> Result<Vec<ProjectStanding>, StoreError> {
        let only = only.unwrap_or("");
        let projects: Vec<(String,)> = sqlx::query_as(
            "SELECT code FROM projects WHERE ($1 = '' OR code = $1) ORDER BY position, code",
        )
        .bind(only)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let stage_subject = if only.is_empty() {
            String::new()
        } else {
            Subject::ProjectStage(only.to_string()).to_string()
        };
        let decisions: Vec<StageRow> = sqlx::query_as(
            "SELECT id, kind, subject, supersedes FROM decisions \
             WHERE ($1 = '' AND subject LIKE 'project/%/stage') OR subject = $1 ORDER BY id",
        )
        .bind(&stage_subject)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let plans: Vec<PlanRow> = sqlx::query_as(
            "SELECT project, period_start, period_end, budget_yuan, scope_zh, scope_en, baseline, \
             baseline_at_ms FROM project_plans WHERE ($1 = '' OR project = $1)",
        )
        .bind(only)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let modifications: Vec<ModificationRow> = sqlx::query_as(&format!(
            "SELECT {MODIFICATION_COLUMNS} FROM project_modifications \
             WHERE ($1 = '' OR project = $1) ORDER BY id"
        ))
        .bind(only)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        // The decision in force about each stage: the latest that no other supersedes.
        let superseded: std::collections::BTreeSet<i64> =
            decisions.iter().filter_map(|d| d.supersedes).collect();
        let mut stages: BTreeMap<String, (DecisionId, ProjectStatus)> = BTreeMap::new();
        for decision in &decisions {
            let (Ok(Subject::ProjectStage(code)), Some(DecisionKind::MoveStage(status))) = (
                decision.subject.parse::<Subject>(),
                DecisionKind::from_code(&decision.kind),
            ) else {
                continue;
            };
            if !superseded.contains(&decision.id) {
                stages.insert(code, (DecisionId(decision.id), status));
            }
        }
        let mut plans: BTreeMap<String, PlanRow> =
            plans.into_iter().map(|p| (p.project.clone(), p)).collect();
        let mut changes: BTreeMap<String, Vec<Modification>> = BTreeMap::new();
        for row in modifications {
            if let Some(modification) = row.into_modification() {
                changes
                    .entry(modification.project.clone())
                    .or_default()
                    .push(modification);
            }
        }
        Ok(projects
            .into_iter()
            .map(|(code,)| {
                let stage = stages.get(&code).copied();
                let plan = plans.remove(&code);
                ProjectStanding {
                    status: stage.map_or(ProjectStatus::Identification, |(_, s)| s),
                    stage_decision: stage.map(|(id, _)| id),
                    plan: plan.as_ref().map(PlanRow::plan).unwrap_or_default(),
                    baseline: plan
                        .as_ref()
                        .and_then(|p| p.baseline.as_deref())
                        .and_then(|json| serde_json::from_str(json).ok()),
                    baseline_at_ms: plan.as_ref().and_then(|p| p.baseline_at_ms),
                    modifications: changes.remove(&code).unwrap_or_default(),
                    project: code,
                }
            })
            .collect())
    }

    /// Writes `plan` as the project's current plan inside `transaction` (the baseline stays).
    async fn write_plan_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        plan: &ProjectPlan,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO project_plans (project, period_start, period_end, budget_yuan, scope_zh, scope_en) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project) DO UPDATE SET \
             period_start = excluded.period_start, period_end = excluded.period_end, \
             budget_yuan = excluded.budget_yuan, scope_zh = excluded.scope_zh, scope_en = excluded.scope_en",
        )
        .bind(project)
        .bind(&plan.period_start)
        .bind(&plan.period_end)
        .bind(plan.budget_yuan)
        .bind(&plan.scope_zh)
        .bind(&plan.scope_en)
        .execute(&mut **transaction)
        .await
        .map_err(database_error)?;
        Ok(())
    }
}
