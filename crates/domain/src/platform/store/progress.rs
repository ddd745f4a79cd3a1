//! The progress port: monthly reports on a signed letter, reviewed by the lead department and
//! accepted or returned by the office, with evidence files stored by their SHA-256.

use std::future::Future;

use super::StoreError;
use crate::advancement::progress::{EvidenceFile, ProgressReport, ReportContent};
use crate::advancement::supervision::{BoardQuery, BoardSlice, CommitmentState, ItemQuery};
use crate::platform::account::Attribution;

/// Progress reports and their evidence.
pub trait ProgressStore: Send + Sync {
    /// Every report on project `project`'s letter for `year`, oldest first.
    fn reports(
        &self,
        project: &str,
        year: i32,
    ) -> impl Future<Output = Result<Vec<ProgressReport>, StoreError>> + Send;
    /// One report.
    fn report(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<ProgressReport>, StoreError>> + Send;
    /// Submits `unit`'s report for `month` (checked by the caller), audited; declined unless
    /// the letter is signed, and when the unit has a report for that month that counts (one
    /// returned is submitted again).
    fn submit_report(
        &self,
        project: &str,
        year: i32,
        month: &str,
        unit: &str,
        content: &ReportContent,
        by: &Attribution,
    ) -> impl Future<Output = Result<ProgressReport, StoreError>> + Send;
    /// The lead department's review of a submitted report, audited.
    fn review_report(
        &self,
        id: i64,
        by: &Attribution,
    ) -> impl Future<Output = Result<ProgressReport, StoreError>> + Send;
    /// Accepts a reviewed report, or returns a submitted or reviewed one with its reason,
    /// audited.
    fn decide_report(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<ProgressReport, StoreError>> + Send;
    /// Attaches a file (its media type checked by the caller) to a report not yet accepted,
    /// storing its bytes once by their SHA-256, audited.
    fn attach_evidence(
        &self,
        id: i64,
        name: &str,
        media_type: &str,
        bytes: &[u8],
        by: &Attribution,
    ) -> impl Future<Output = Result<EvidenceFile, StoreError>> + Send;
    /// An evidence file of report `id` by its SHA-256 (hexadecimal): its media type and bytes.
    fn evidence(
        &self,
        id: i64,
        sha256: &str,
    ) -> impl Future<Output = Result<Option<(String, Vec<u8>)>, StoreError>> + Send;
    /// The items of the issued and signed letters with their latest state, as `query` asks,
    /// by project, year and the letter's order: read from the state kept as reports arrive,
    /// never by scanning the reports.
    fn commitment_states(
        &self,
        query: &ItemQuery,
    ) -> impl Future<Output = Result<Vec<CommitmentState>, StoreError>> + Send;
    /// The part of the supervision board `query` asks for, lit by the store from the items'
    /// kept states (the same rules as `CommitmentState::light`): the counts of every matching
    /// item and one page of them, worst first.
    fn board_slice(
        &self,
        query: &BoardQuery,
    ) -> impl Future<Output = Result<BoardSlice, StoreError>> + Send;
}
