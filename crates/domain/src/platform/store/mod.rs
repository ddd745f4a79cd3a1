//! The storage port: the use cases the platform needs from a database, one trait per
//! aggregate (waves and responses, accounts and sessions, organisation and roles, the project
//! register, projects' stages and plans, responsibility letters, progress
//! reports, supervision notices, joint meetings, decisions, audit). Each backend (SQLite, PostgreSQL) implements them all and owns its transactions;
//! [`Store`] is the sum the platform asks for.

mod accounts;
mod audit;
mod decisions;
mod letters;
mod meetings;
mod notices;
mod organisation;
mod progress;
mod register;
mod stage;
mod waves;

use thiserror::Error;

use super::wave::WaveStatus;

pub use accounts::AccountStore;
pub use audit::AuditStore;
pub use decisions::DecisionStore;
pub use letters::LetterStore;
pub use meetings::MeetingStore;
pub use notices::NoticeStore;
pub use organisation::OrganisationStore;
pub use progress::ProgressStore;
pub use register::RegisterStore;
pub use stage::StageStore;
pub use waves::{ResponseCursor, ResponsePage, StoredResponse, SubmitOutcome, WaveStore};

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
    /// Only a draft wave is edited; this one has begun taking responses.
    #[error("wave {id} is {status:?}; only a draft is edited")]
    WaveNotDraft {
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
    /// No project with this code in the register.
    #[error("the register has no project {0:?}")]
    NoSuchProject(String),
    /// A rule of the platform refuses the change, explained in both languages.
    #[error("{}", .0.en)]
    Declined(crate::problem::Problem),
    /// A rule of the platform refuses the change (the message says which).
    #[error("{0}")]
    Refused(String),
    /// The database failed; the message says how (passwords are never part of it).
    #[error("database error: {0}")]
    Database(String),
}

/// Everything the platform needs from storage: every port, on a store that can be shared
/// between tasks. Implemented for every type that implements the ports.
pub trait Store:
    WaveStore
    + AccountStore
    + OrganisationStore
    + RegisterStore
    + StageStore
    + LetterStore
    + ProgressStore
    + NoticeStore
    + MeetingStore
    + DecisionStore
    + AuditStore
    + Clone
    + 'static
{
}

impl<T> Store for T where
    T: WaveStore
        + AccountStore
        + OrganisationStore
        + RegisterStore
        + StageStore
        + LetterStore
        + ProgressStore
        + NoticeStore
        + MeetingStore
        + DecisionStore
        + AuditStore
        + Clone
        + 'static
{
}
