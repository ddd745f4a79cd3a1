//! The decisions port: the record of major decisions (publishing a wave's results, and those
//! to come), each superseding the one in force about its subject.

use std::future::Future;

use super::StoreError;
use crate::decision::{Decision, NewDecision};

/// Major decisions, in the order recorded.
pub trait DecisionStore: Send + Sync {
    /// Records a major decision, audited; refused ([`StoreError::Refused`]) unless it
    /// supersedes exactly the subject's decision in force (none for a subject's first).
    fn record_decision(
        &self,
        decision: &NewDecision,
    ) -> impl Future<Output = Result<Decision, StoreError>> + Send;
    /// Every decision, in the order recorded.
    fn decisions(&self) -> impl Future<Output = Result<Vec<Decision>, StoreError>> + Send;
}
