//! The storage port: the use cases the platform needs from a database. Each backend (SQLite,
//! PostgreSQL) implements it and owns its transactions.

use std::future::Future;

use thiserror::Error;

use super::account::{Account, Attribution, Session};
use super::wave::{NewWave, WaveRecord, WaveStatus};
use crate::audit::{AuditEntry, AuditHead, NewAuditEntry};
use crate::decision::{Decision, NewDecision};
use crate::organisation::{Assignment, OrgUnit, Organisation, ProjectDepartment};

/// A response as stored: the respondent's keyed hash, the profile codes and the ratings as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HMAC of the respondent's token: never the token itself.
    pub respondent_key: Vec<u8>,
    /// The key a channel sent to make retries safe.
    pub idempotency_key: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
    /// District code.
    pub district: String,
    /// Gender code.
    pub gender: Option<String>,
    /// Age in years.
    pub age: Option<i64>,
    /// Education code.
    pub education: Option<String>,
    /// Occupation code.
    pub occupation: Option<String>,
    /// The ratings as JSON (`[{"project": ..., "answers": {...}}]`).
    pub ratings: String,
    /// When it was received, milliseconds since the Unix epoch.
    pub submitted_at_ms: i64,
}

/// What storing one response did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// A new respondent.
    Created,
    /// The respondent had answered before; this is what their earlier response was.
    Replaced(Box<StoredResponse>),
    /// The same idempotency key as the respondent's stored response: nothing changed.
    AlreadyStored,
}

/// Why a storage operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No wave with this identifier.
    #[error("no wave with id {0}")]
    NoSuchWave(i64),
    /// A wave with this name exists already.
    #[error("a wave named {0:?} exists already")]
    DuplicateWaveName(String),
    /// The wave does not take responses in its current status.
    #[error("wave {id} is {status:?}, not open")]
    WaveNotOpen {
        /// The wave.
        id: i64,
        /// Its status.
        status: WaveStatus,
    },
    /// An account with this name exists already.
    #[error("an account named {0:?} exists already")]
    DuplicateAccount(String),
    /// No account with this name.
    #[error("no account named {0:?}")]
    NoSuchAccount(String),
    /// A text holds a NUL character, which no database stores as text (named by its field).
    #[error("{0} may not contain a NUL character")]
    InvalidText(String),
    /// A rule of the platform refuses the change (the message says which).
    #[error("{0}")]
    Refused(String),
    /// The database failed; the message says how (passwords are never part of it).
    #[error("database error: {0}")]
    Database(String),
}

/// The use cases the platform needs from storage.
pub trait Store: Clone + Send + Sync + 'static {
    /// Creates a wave in the draft status.
    fn create_wave(
        &self,
        wave: &NewWave,
        by: &Attribution,
    ) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// All waves, newest first.
    fn waves(&self) -> impl Future<Output = Result<Vec<WaveRecord>, StoreError>> + Send;
    /// One wave.
    fn wave(&self, id: i64) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// Opens or closes a wave.
    fn set_wave_status(
        &self,
        id: i64,
        status: WaveStatus,
        by: &Attribution,
    ) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// Stores a batch of responses to one open wave in one transaction (durable when it
    /// returns), replacing a respondent's earlier response; one outcome per response, in order.
    fn submit_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> impl Future<Output = Result<Vec<SubmitOutcome>, StoreError>> + Send;
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
    /// The organisation: units and departments' parts in projects.
    fn organisation(&self) -> impl Future<Output = Result<Organisation, StoreError>> + Send;
    /// Adds a unit, or renames an existing one (its kind and parent stay), audited.
    fn put_unit(
        &self,
        unit: &OrgUnit,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Sets a department's part in a project, audited.
    fn set_project_department(
        &self,
        link: &ProjectDepartment,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Every role assignment, by account name.
    fn assignments(
        &self,
    ) -> impl Future<Output = Result<Vec<(String, Assignment)>, StoreError>> + Send;
    /// Gives an account a role within a scope (nothing changes when it holds it already),
    /// audited.
    fn grant(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Takes a role back; false when the account did not hold it. Audited.
    fn revoke(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Records a major decision, audited; refused ([`StoreError::Refused`]) unless it
    /// supersedes exactly the subject's decision in force (none for a subject's first).
    fn record_decision(
        &self,
        decision: &NewDecision,
    ) -> impl Future<Output = Result<Decision, StoreError>> + Send;
    /// Every decision, in the order recorded.
    fn decisions(&self) -> impl Future<Output = Result<Vec<Decision>, StoreError>> + Send;
    /// The recorded head of the audit trail (`None` before the first entry), without reading
    /// the entries: to publish it as an anchor.
    fn audit_head(&self) -> impl Future<Output = Result<Option<AuditHead>, StoreError>> + Send;
    /// Gets ready to take responses for an open wave, so that its first batch does not wait
    /// while the backend loads what it needs to find respondents (SQLite reads the wave's
    /// respondent keys into memory; PostgreSQL needs nothing).
    fn prepare_intake(&self, wave: i64) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Up to `limit` current responses of a wave, starting where `from` says (the first page
    /// when `None`): pages of a wave's responses, to rebuild its tallies in bounded memory.
    /// The order is the backend's own; following `next` visits every response once.
    fn responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<ResponsePage, StoreError>> + Send;
}

/// Where the next page of a wave's responses begins. Opaque: each backend decides what it
/// holds (a row number, a respondent key) and only reads back cursors it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCursor(pub Vec<u8>);

/// One page of a wave's responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsePage {
    /// The responses, at most the `limit` asked for.
    pub responses: Vec<StoredResponse>,
    /// Where the next page begins; `None` after the last page.
    pub next: Option<ResponseCursor>,
}
