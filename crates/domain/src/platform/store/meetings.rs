//! The joint meetings port: convened by the office, minuted and signed once, their action
//! items on the supervision board until the owning department reports them done.

use std::future::Future;

use super::StoreError;
use crate::advancement::meeting::{Meeting, MeetingCall, MeetingMinutes};
use crate::platform::account::Attribution;

/// Joint meetings.
pub trait MeetingStore: Send + Sync {
    /// Every meeting with its decisions and action items, oldest first.
    fn meetings(&self) -> impl Future<Output = Result<Vec<Meeting>, StoreError>> + Send;
    /// Meeting `id`, or [`StoreError::Declined`] when there is none.
    fn meeting(&self, id: i64) -> impl Future<Output = Result<Meeting, StoreError>> + Send;
    /// Convenes a meeting (the call checked by the caller), audited.
    fn convene_meeting(
        &self,
        call: &MeetingCall,
        by: &Attribution,
    ) -> impl Future<Output = Result<Meeting, StoreError>> + Send;
    /// Records and signs the minutes of a convened meeting (checked by the caller) in one
    /// transaction: the decisions (each superseding one still in force, of an earlier
    /// meeting), the action items and their rows on the supervision board, audited. Declined
    /// when the meeting is minuted already or a superseded decision is not in force.
    fn record_minutes(
        &self,
        id: i64,
        minutes: &MeetingMinutes,
        signer_name: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Meeting, StoreError>> + Send;
    /// The owning department reports action item `number` of meeting `id` done, which takes
    /// it off the board, audited; declined when it is done already.
    fn complete_action(
        &self,
        id: i64,
        number: i64,
        note: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Meeting, StoreError>> + Send;
}
