//! The embedded default: a SQLite file in WAL mode, created and migrated on first use.
//!
//! Writes go through a pool of one connection, so transactions never contend for the write
//! lock; reads use their own pool, and a background task checkpoints the log on a third
//! connection, so that commits seldom wait for a checkpoint. `synchronous = FULL` makes every
//! commit durable before it returns, which is what acknowledging a submission promises. Each
//! connection maps the file into memory for reads.
//!
//! Responses are appended in row order and found by row number: the writer keeps each written
//! wave's respondent keys in memory ([`directory`]) rather than in a unique index on the
//! random keys, so that storing a response dirties the end of the table, not a random page.

mod directory;

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use minxin_domain::platform::{
    ResponseCursor, ResponsePage, StoreError, StoredResponse, SubmitOutcome,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tokio::sync::Mutex;

use crate::batch::{plan, ROWS_PER_STATEMENT};
use crate::database_error;
use crate::ports::waves::{
    ensure_open, push_response_fields, NumberedResponseRow, RESPONSE_COLUMNS,
};
use directory::RespondentDirectory;

/// How often the background task copies the write-ahead log into the database file.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// The SQLite backend.
#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) reader: SqlitePool,
    pub(crate) writer: SqlitePool,
    /// Where each respondent's current response is, for the waves written since opening.
    directory: Arc<Mutex<RespondentDirectory>>,
    /// Alive while any clone of the store is: the checkpoint task stops when it is gone.
    _alive: Arc<()>,
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Rows of respondent keys read per query when a wave's directory is loaded.
const DIRECTORY_PAGE: i64 = 100_000;

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", folder.display()))
            })?;
        }
        owner_only(path)?;
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(database_error)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Reads go through the memory map; the page cache holds the pages a batch writes.
            // (A large cache costs time at every commit: SQLite then scans its whole hash table
            // to drop pages past the end of the file.)
            .pragma("mmap_size", "268435456")
            // Statement journals (each multi-row upsert keeps one) stay in memory.
            .pragma("temp_store", "MEMORY")
            // After a checkpoint has emptied it, the log file is cut back to 64 MB.
            .pragma("journal_size_limit", "67108864");
        // The writer keeps SQLite's automatic checkpoints, which keep the log short: after a
        // checkpoint that caught up with the end of the log, the next commit starts it afresh.
        // A background task copies most pages before the writer gets to them (see below).
        // The writer connection is kept for good: the directory trusts its data version.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
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
            directory: Arc::default(),
            _alive: alive,
        })
    }

    /// [`WaveStore::submit_batch`](minxin_domain::platform::WaveStore::submit_batch): finds the
    /// respondents' rows in the directory, reads their current responses by row number,
    /// plans, then appends new rows and rewrites replaced ones, in one transaction.
    pub(crate) async fn store_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        let mut directory = self.directory.lock().await;
        let result = self.store_batch_with(&mut directory, wave, responses).await;
        if result.is_err() {
            // Whatever happened to the transaction, the next batch reads the keys afresh.
            directory.forget_all();
        }
        result
    }

    /// [`WaveStore::prepare_intake`](minxin_domain::platform::WaveStore::prepare_intake): loads the
    /// wave's respondent keys into the directory now rather than in its first batch.
    pub(crate) async fn prepare_to_store(&self, wave: i64) -> Result<(), StoreError> {
        let mut directory = self.directory.lock().await;
        let result = async {
            let mut transaction = self.begin_writing(&mut directory).await?;
            if !directory.knows(wave) {
                load_directory(&mut transaction, &mut directory, wave).await?;
            }
            transaction.commit().await.map_err(database_error)
        }
        .await;
        if result.is_err() {
            directory.forget_all();
        }
        result
    }

    /// Begins a write transaction and brings the directory in step with the file. The
    /// transaction takes the write lock when it begins (IMMEDIATE): a deferred transaction that
    /// read first fails outright (SQLITE_BUSY_SNAPSHOT) if another connection wrote in between,
    /// where waiting for the lock lets the busy handler do its job.
    async fn begin_writing(
        &self,
        directory: &mut RespondentDirectory,
    ) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        let mut transaction = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(database_error)?;
        let (data_version,): (i64,) = sqlx::query_as("PRAGMA data_version")
            .fetch_one(&mut *transaction)
            .await
            .map_err(database_error)?;
        directory.begin(data_version);
        Ok(transaction)
    }

    async fn store_batch_with(
        &self,
        directory: &mut RespondentDirectory,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        let mut transaction = self.begin_writing(directory).await?;
        let status: Option<(String,)> = sqlx::query_as("SELECT status FROM waves WHERE id = $1")
            .bind(wave)
            .fetch_optional(&mut *transaction)
            .await
            .map_err(database_error)?;
        ensure_open(wave, status.map(|s| s.0))?;
        if !directory.knows(wave) {
            load_directory(&mut transaction, directory, wave).await?;
        }

        let mut earlier_rows: Vec<i64> = responses
            .iter()
            .filter_map(|r| directory.row_of(wave, &r.respondent_key))
            .collect();
        earlier_rows.sort_unstable();
        earlier_rows.dedup();
        let mut earlier = Vec::with_capacity(earlier_rows.len());
        for chunk in earlier_rows.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "SELECT id, {RESPONSE_COLUMNS} FROM responses WHERE id IN ("
            ));
            let mut separated = query.separated(", ");
            for row in chunk {
                separated.push_bind(*row);
            }
            query.push(")");
            let rows = query
                .build_query_as::<NumberedResponseRow>()
                .fetch_all(&mut *transaction)
                .await
                .map_err(database_error)?;
            earlier.extend(
                rows.into_iter()
                    .map(|row| StoredResponse::from(row.response)),
            );
        }

        let plan = plan(&earlier, responses);
        let (replacements, additions): (Vec<usize>, Vec<usize>) =
            plan.writes.iter().partition(|&&i| {
                directory
                    .row_of(wave, &responses[i].respondent_key)
                    .is_some()
            });
        let (last_row,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM responses")
            .fetch_one(&mut *transaction)
            .await
            .map_err(database_error)?;
        let added: Vec<(i64, &StoredResponse)> = (last_row + 1..)
            .zip(additions.iter().map(|&i| &responses[i]))
            .collect();
        for chunk in added.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO responses (id, wave_id, {RESPONSE_COLUMNS}) "
            ));
            query.push_values(chunk, |mut row, (id, response)| {
                row.push_bind(*id)
                    .push_bind(wave)
                    .push_bind(&response.respondent_key);
                push_response_fields(&mut row, response);
            });
            query
                .build()
                .execute(&mut *transaction)
                .await
                .map_err(database_error)?;
        }
        let replaced: Vec<(i64, &StoredResponse)> = replacements
            .iter()
            .filter_map(|&i| {
                let response = &responses[i];
                Some((directory.row_of(wave, &response.respondent_key)?, response))
            })
            .collect();
        for chunk in replaced.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "WITH incoming (id, idempotency_key, channel, district, gender, age, education, \
                 occupation, ratings, submitted_at_ms) AS (",
            );
            query.push_values(chunk, |mut row, (id, response)| {
                row.push_bind(*id);
                push_response_fields(&mut row, response);
            });
            query.push(
                ") UPDATE responses SET idempotency_key = incoming.idempotency_key, \
                 channel = incoming.channel, district = incoming.district, \
                 gender = incoming.gender, age = incoming.age, education = incoming.education, \
                 occupation = incoming.occupation, ratings = incoming.ratings, \
                 submitted_at_ms = incoming.submitted_at_ms \
                 FROM incoming WHERE responses.id = incoming.id",
            );
            query
                .build()
                .execute(&mut *transaction)
                .await
                .map_err(database_error)?;
        }
        transaction.commit().await.map_err(database_error)?;
        for (id, response) in added {
            directory.insert(wave, &response.respondent_key, id);
        }
        Ok(plan.outcomes)
    }

    /// [`WaveStore::responses`](minxin_domain::platform::WaveStore::responses) in row order; the
    /// cursor is the last row number of a page.
    pub(crate) async fn page_of_responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> Result<ResponsePage, StoreError> {
        let after = match from {
            None => 0,
            Some(cursor) => row_of_cursor(cursor)?,
        };
        let rows = sqlx::query_as::<_, NumberedResponseRow>(&format!(
            "SELECT id, {RESPONSE_COLUMNS} FROM responses WHERE wave_id = $1 AND id > $2 \
             ORDER BY id LIMIT $3"
        ))
        .bind(wave)
        .bind(after)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let full = rows.len() == limit && limit > 0;
        let mut last = None;
        let responses = rows
            .into_iter()
            .map(|row| {
                last = Some(row.id);
                StoredResponse::from(row.response)
            })
            .collect();
        let next = last
            .filter(|_| full)
            .map(|id| ResponseCursor(id.to_be_bytes().to_vec()));
        Ok(ResponsePage { responses, next })
    }
}

/// Reads the row numbers of a wave's responses into the directory, a page at a time.
async fn load_directory(
    connection: &mut SqliteConnection,
    directory: &mut RespondentDirectory,
    wave: i64,
) -> Result<(), StoreError> {
    let mut after = 0_i64;
    loop {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT id, respondent_key FROM responses WHERE wave_id = $1 AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(wave)
        .bind(after)
        .bind(DIRECTORY_PAGE)
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?;
        let Some(&(last, _)) = rows.last() else {
            break;
        };
        after = last;
        directory.load(wave, rows);
    }
    // An empty wave is known too.
    directory.load(wave, std::iter::empty());
    Ok(())
}

/// The row number a cursor of [`SqliteStore::page_of_responses`] holds.
fn row_of_cursor(cursor: &ResponseCursor) -> Result<i64, StoreError> {
    let bytes: [u8; 8] =
        cursor.0.as_slice().try_into().map_err(|_| {
            StoreError::Database("not a cursor of the SQLite store's responses".into())
        })?;
    Ok(i64::from_be_bytes(bytes))
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

/// Makes the database file (created empty if missing) and its log files readable and
/// writable by their owner only (0600), like the respondent secret: the file holds accounts,
/// sessions and the microdata. SQLite gives the files it creates beside it (`-wal`, `-shm`)
/// the permissions of the database file.
fn owner_only(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let failed = |e: std::io::Error| {
            StoreError::Database(format!("cannot protect {}: {e}", path.display()))
        };
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(failed)?;
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(metadata) = std::fs::metadata(&file) {
                if metadata.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                        .map_err(failed)?;
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
