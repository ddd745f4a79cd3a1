//! The stage port: a project's stage (moved by signed decisions), its plan, the baseline frozen
//! when implementation begins, and the modifications of a frozen plan.

use std::future::Future;

use super::StoreError;
use crate::advancement::stage::{Modification, ModificationKind, ProjectPlan, ProjectStanding};
use crate::decision::{Decision, NewDecision};
use crate::platform::account::Attribution;

/// Projects' stages and plans.
pub trait StageStore: Send + Sync {
    /// Every registered project's stage and plans, in the register's order.
    fn standings(&self) -> impl Future<Output = Result<Vec<ProjectStanding>, StoreError>> + Send;
    /// One project's stage and plans; [`StoreError::NoSuchProject`] when it is not registered.
    fn standing(
        &self,
        project: &str,
    ) -> impl Future<Output = Result<ProjectStanding, StoreError>> + Send;
    /// Sets a project's plan, audited; declined once the baseline is frozen (a change is then
    /// a modification) or when the plan has problems.
    fn set_plan(
        &self,
        project: &str,
        plan: &ProjectPlan,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Records a stage decision (its kind a `MoveStage`, its subject the project's stage),
    /// superseding the one in force, in one transaction with its audit entry; declined when
    /// the move is not allowed, or when it begins implementation and the plan lacks its
    /// period or budget. Beginning implementation the first time freezes the plan as the
    /// baseline.
    fn move_stage(
        &self,
        decision: &NewDecision,
    ) -> impl Future<Output = Result<Decision, StoreError>> + Send;
    /// Proposes a change of a frozen plan with its reason, audited; declined before the
    /// baseline is frozen, once the project has ended, and when the changed plan has problems.
    fn propose_modification(
        &self,
        project: &str,
        kind: ModificationKind,
        reason: &str,
        after: &ProjectPlan,
        by: &Attribution,
    ) -> impl Future<Output = Result<Modification, StoreError>> + Send;
    /// The office approves (the current plan takes the change) or does not approve (with
    /// its reason) a proposed modification, audited; declined when it is decided already.
    fn decide_modification(
        &self,
        id: i64,
        approve: bool,
        note: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Modification, StoreError>> + Send;
}
