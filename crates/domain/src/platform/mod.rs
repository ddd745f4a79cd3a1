//! The survey platform's domain: waves, submissions and the storage port.
//!
//! A wave keeps the configuration texts it ran with, so an old wave is always evaluated with
//! its own instrument and catalogue. A submission is one respondent's answers to one wave; the
//! respondent is known only by a keyed hash of the token their portal or app handed over
//! (computed by the web layer), so no raw citizen identifier reaches storage.

mod account;
mod store;
mod submission;
mod wave;

pub use account::{
    check_account_name, sign_in_delay_ms, Account, AccountNameError, Attribution, Session,
    MAX_SIGN_IN_DELAY_MS, SIGN_IN_DELAY_AFTER,
};
pub use store::{
    AccountStore, AuditStore, DecisionStore, LetterStore, MeetingStore, NoticeStore,
    OrganisationStore, ProgressStore, RegisterStore, ResponseCursor, ResponsePage, StageStore,
    Store, StoreError, StoredResponse, SubmitOutcome, WaveStore,
};
pub use submission::{
    ProfileInput, RatingInput, SubmissionError, SubmissionInput, SubmissionsFromRows,
    ValidSubmission, WaveModel,
};
pub use wave::{check_period, NewWave, WaveConfigTexts, WaveRecord, WaveStatus};
