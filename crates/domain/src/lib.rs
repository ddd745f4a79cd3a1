//! Minxin's domain: what a survey of livelihood projects is and how it is evaluated.
//!
//! - [`config`]: the instrument, the project catalogue, districts and profile codes, as data;
//! - [`layout`]: the columns of the response interchange format;
//! - [`evaluation`]: the streaming evaluator and its results;
//! - [`rejection`]: why a row was refused;
//! - [`problem`]: one thing wrong with an input, by field, in both languages;
//! - [`platform`]: survey waves, submissions and the storage port of the web platform;
//! - [`access`]: roles, information grades and the permission matrix;
//! - [`organisation`]: departments, districts and streets, and the scopes roles are held in;
//! - [`decision`]: major decisions, signed and never edited, only superseded;
//! - [`audit`]: the hash-chained audit trail, its actions and its verification;
//! - [`subject`]: what a change or a decision is about (`wave/3`), named one way;
//! - [`hex`]: bytes as hexadecimal text, one strict way;
//! - [`time`]: moments in Beijing time (UTC+8) and the calendar arithmetic behind them;
//! - [`calendar`]: working days under the State Council's holiday notices, and deadlines in them;
//! - [`advancement`]: the advancement mechanism: the project register, and what follows it;
//! - [`tabular`]: a workbook's sheet as text cells, as spreadsheets reach the domain.
//!
//! Architecture invariant: the domain does no I/O. Callers read files and hand over text or rows,
//! so the same code serves the command line, the web platform and the tests.

pub mod access;
pub mod advancement;
pub mod audit;
pub mod calendar;
pub mod config;
pub mod decision;
pub mod evaluation;
pub mod hex;
pub mod layout;
pub mod organisation;
pub mod platform;
pub mod problem;
pub mod rejection;
pub mod subject;
pub mod tabular;
pub mod time;

pub use config::Configuration;
pub use evaluation::{
    Evaluation, EvaluationOptions, Evaluator, MergeConflict, RecordFields, RowOutcome,
};
pub use layout::ColumnLayout;
pub use problem::Problem;
pub use rejection::{Rejection, RejectionReason};
