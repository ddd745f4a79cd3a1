//! The supervision notices port: sent by the office on a red item, answered by the
//! department, closed by the office.

use std::future::Future;

use super::StoreError;
use crate::advancement::notice::{Notice, NoticeItem};
use crate::platform::account::Attribution;

/// Supervision notices.
pub trait NoticeStore: Send + Sync {
    /// Every notice, oldest first.
    fn notices(&self) -> impl Future<Output = Result<Vec<Notice>, StoreError>> + Send;
    /// Sends a notice about `about` (that it is red is the caller's check), audited; declined
    /// when the item has a notice that is not closed.
    fn issue_notice(
        &self,
        about: &NoticeItem,
        instructions: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Notice, StoreError>> + Send;
    /// The department's answer to an open notice (checked by the caller), audited.
    fn answer_notice(
        &self,
        id: i64,
        reasons: &str,
        recovery_date: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Notice, StoreError>> + Send;
    /// The office closes an answered notice, audited.
    fn close_notice(
        &self,
        id: i64,
        note: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Notice, StoreError>> + Send;
}
