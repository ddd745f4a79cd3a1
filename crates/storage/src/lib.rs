//! Storage for the Minxin platform: the domain's [`Store`] port over embedded SQLite (the
//! default: a file created and migrated on first use) and over PostgreSQL (selected by a
//! `postgres://` URL). Both run the same contract tests.
//!
//! The SQL of each port (waves and responses, accounts and sessions, organisation and roles,
//! decisions, audit) is in its own file under `ports`, written once for both backends.
//!
//! Architecture invariant: each backend owns its transactions; SQL stays inside this crate.
//! Connection URLs with passwords never appear in errors or `Debug` output.

mod backend;
mod batch;
pub mod bench_load;
mod ports;
mod postgres;
mod sqlite;
pub mod testing;

pub use backend::{AnyStore, StoreUrl};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use minxin_domain::platform::StoreError;

pub(crate) fn database_error(error: sqlx::Error) -> StoreError {
    // PostgreSQL refuses a NUL character in text (22021); every text is checked before it is
    // written ([`plain_text`]), so this only catches one that slipped past.
    if let sqlx::Error::Database(database) = &error {
        if database.code().as_deref() == Some("22021") {
            return StoreError::InvalidText("text".into());
        }
    }
    StoreError::Database(error.to_string())
}

/// Refuses texts that hold a NUL character, naming the field: PostgreSQL stores no NUL in
/// text, so neither backend does, and both refuse alike.
pub(crate) fn plain_text(fields: &[(&str, &str)]) -> Result<(), StoreError> {
    match fields.iter().find(|(_, value)| value.contains('\0')) {
        Some((field, _)) => Err(StoreError::InvalidText((*field).to_string())),
        None => Ok(()),
    }
}

/// Whether a look-up key holds a NUL character (no stored text does, so it finds nothing).
pub(crate) fn holds_nul(key: &str) -> bool {
    key.contains('\0')
}
