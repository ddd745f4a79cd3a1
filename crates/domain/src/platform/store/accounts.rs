//! The accounts and sessions port: staff accounts, their sign-in counts and their sessions.

use std::future::Future;

use super::StoreError;
use crate::organisation::Assignment;
use crate::platform::account::{Account, Attribution, Session};

/// Staff accounts, sign-in attempts and sessions.
pub trait AccountStore: Send + Sync {
    /// Creates an account and records it in the audit trail (`account.create`, attributed to
    /// `by`) in one transaction; fails with [`StoreError::DuplicateAccount`] when the name is
    /// taken.
    fn create_account(
        &self,
        account: &Account,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// How many accounts exist (disabled ones included).
    fn count_accounts(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// The account with `name`, if any.
    fn account(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<Account>, StoreError>> + Send;
    /// Replaces an account's password hash and disabled flag and records it in the audit trail
    /// in one transaction (`account.disable`, `account.reset` when the hash changes,
    /// `account.enable`); fails with [`StoreError::NoSuchAccount`] for an unknown name.
    fn update_account(
        &self,
        name: &str,
        password_hash: &str,
        disabled: bool,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Records a sign-in attempt's outcome on the account: the count of failures since the last
    /// success and the end of any lockout.
    fn record_sign_in(
        &self,
        name: &str,
        failed_sign_ins: u32,
        locked_until_ms: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Counts one more failed sign-in on account `name` at `now_ms`, atomically (parallel
    /// failures each count), and makes the account wait as [`sign_in_delay_ms`] says; when
    /// the waiting begins it is recorded in the audit trail, in the same transaction. The
    /// failures now counted and the end of the wait; `None` for an unknown account.
    ///
    /// [`sign_in_delay_ms`]: crate::platform::sign_in_delay_ms
    fn record_failed_sign_in(
        &self,
        name: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<Option<(u32, i64)>, StoreError>> + Send;
    /// Stores a new session.
    fn create_session(
        &self,
        session: &Session,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The session with this token hash, if it has not ended nor expired at `now_ms` and its
    /// account is not disabled, with the account and the roles it holds.
    fn session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> impl Future<Output = Result<Option<(Session, Account, Vec<Assignment>)>, StoreError>> + Send;
    /// Ends a session (signing out).
    fn end_session(
        &self,
        token_hash: &[u8],
        at_ms: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
