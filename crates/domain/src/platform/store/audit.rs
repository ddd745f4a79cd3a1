//! The audit port: the hash-chained trail every change is recorded in, and its head.

use std::future::Future;

use super::StoreError;
use crate::audit::{AuditEntry, AuditHead, NewAuditEntry};

/// The audit trail.
pub trait AuditStore: Send + Sync {
    /// Appends a change to the audit trail, chained to the last entry, and moves the recorded
    /// head, in one transaction.
    fn append_audit(
        &self,
        change: NewAuditEntry,
    ) -> impl Future<Output = Result<AuditEntry, StoreError>> + Send;
    /// The whole audit trail in stored order, and the recorded head (`None` before the first
    /// entry).
    fn audit_log(
        &self,
    ) -> impl Future<Output = Result<(Vec<AuditEntry>, Option<AuditHead>), StoreError>> + Send;
    /// The recorded head of the audit trail (`None` before the first entry), without reading
    /// the entries: to publish it as an anchor.
    fn audit_head(&self) -> impl Future<Output = Result<Option<AuditHead>, StoreError>> + Send;
}
