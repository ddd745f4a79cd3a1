//! The responsibility letters port: a project's letter for a year, drafted, issued by the
//! office, and accepted by its lead department.

use std::future::Future;

use super::StoreError;
use crate::advancement::letter::{Commitments, Letter};
use crate::platform::account::Attribution;

/// Responsibility letters.
pub trait LetterStore: Send + Sync {
    /// Every letter (of one project when `project` is given), by project in the register's
    /// order and by year.
    fn letters(
        &self,
        project: Option<&str>,
    ) -> impl Future<Output = Result<Vec<Letter>, StoreError>> + Send;
    /// Starts the letter of `project` for `year`, as a draft without commitments, audited;
    /// declined when the project has one for that year already.
    fn create_letter(
        &self,
        project: &str,
        year: i32,
        by: &Attribution,
    ) -> impl Future<Output = Result<Letter, StoreError>> + Send;
    /// Replaces a draft letter's commitments (checked by the caller), audited with the
    /// commitments before and after; declined once the letter is issued.
    fn put_commitments(
        &self,
        project: &str,
        year: i32,
        commitments: &Commitments,
        by: &Attribution,
    ) -> impl Future<Output = Result<Letter, StoreError>> + Send;
    /// Issues a draft letter that commits to something, or takes an issued letter back to
    /// draft (`issue` false, with a reason), audited; declined in any other status.
    fn issue_letter(
        &self,
        project: &str,
        year: i32,
        issue: bool,
        reason: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Letter, StoreError>> + Send;
    /// The lead department accepts an issued letter, signing with `name`, audited; declined
    /// in any other status.
    fn accept_letter(
        &self,
        project: &str,
        year: i32,
        name: &str,
        by: &Attribution,
    ) -> impl Future<Output = Result<Letter, StoreError>> + Send;
}
