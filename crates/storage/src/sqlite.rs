//! The embedded default: a SQLite file in WAL mode, created and migrated on first use.
//!
//! Writes go through a pool of one connection, so transactions never contend for the write
//! lock; reads use their own pool, and a background task checkpoints the log on a third
//! connection, so that commits seldom wait for a checkpoint. `synchronous = FULL` makes every commit durable before it
//! returns, which is what acknowledging a submission promises. Each connection has a 64 MB page
//! cache and maps the file into memory for reads.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use minxin_domain::platform::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::backend::impl_store;
use crate::database_error;

/// How often the background task copies the write-ahead log into the database file.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// The SQLite backend.
#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) reader: SqlitePool,
    pub(crate) writer: SqlitePool,
    /// Alive while any clone of the store is: the checkpoint task stops when it is gone.
    _alive: Arc<()>,
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

// A batch takes the write lock when it begins (IMMEDIATE): a deferred transaction that read
// first fails outright (SQLITE_BUSY_SNAPSHOT) if another connection wrote in between, where
// waiting for the lock lets the busy handler do its job.
impl_store!(SqliteStore, sqlx::Sqlite, "BEGIN IMMEDIATE");

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
            .pragma("mmap_size", "268435456")
            // Statement journals (each multi-row upsert keeps one) stay in memory.
            .pragma("temp_store", "MEMORY")
            // After a checkpoint has emptied it, the log file is cut back to 64 MB.
            .pragma("journal_size_limit", "67108864");
        // The writer keeps SQLite's automatic checkpoints, which keep the log short: after a
        // checkpoint that caught up with the end of the log, the next commit starts it afresh.
        // A background task copies most pages before the writer gets to them (see below).
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
            .connect_with(options.clone().read_only(true))
            .await
            .map_err(database_error)?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(database_error)?;
        let alive = Arc::new(());
        tokio::spawn(checkpoint_in_background(
            checkpointer,
            Arc::downgrade(&alive),
        ));
        Ok(SqliteStore {
            reader,
            writer,
            _alive: alive,
        })
    }
}

/// Copies committed pages from the log into the database file every [`CHECKPOINT_INTERVAL`],
/// on its own connection, until the store is dropped. A passive checkpoint waits for nobody,
/// so the writer's own automatic checkpoint (which runs inside a commit, delaying the
/// submissions behind it) finds little left to copy.
async fn checkpoint_in_background(connection: SqlitePool, alive: Weak<()>) {
    loop {
        tokio::time::sleep(CHECKPOINT_INTERVAL).await;
        if alive.upgrade().is_none() {
            connection.close().await;
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&connection)
            .await
        {
            eprintln!("checkpoint of the SQLite log failed (it will be retried): {error}");
        }
    }
}
