//! The embedded default: a SQLite file in WAL mode, created and migrated on first use.
//!
//! Writes go through a pool of one connection, so transactions never contend for the write
//! lock; reads use their own pool. `synchronous = FULL` makes every commit durable before it
//! returns, which is what acknowledging a submission promises. Each connection has a 64 MB page
//! cache and maps the file into memory for reads.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use minxin_domain::platform::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::backend::impl_store;
use crate::database_error;

/// The SQLite backend.
#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) reader: SqlitePool,
    pub(crate) writer: SqlitePool,
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", folder.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(database_error)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // A larger page cache and memory-mapped reads: a batch of upserts with random
            // respondent keys touches many pages, and read() calls would dominate.
            .pragma("cache_size", "-65536")
            .pragma("mmap_size", "268435456");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(database_error)?;
        MIGRATIONS
            .run(&writer)
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(database_error)?;
        Ok(SqliteStore { reader, writer })
    }
}

impl_store!(SqliteStore, sqlx::Sqlite);
