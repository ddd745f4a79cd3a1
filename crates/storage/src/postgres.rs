//! PostgreSQL, for larger deployments: selected by a `postgres://` URL, migrated on connect.
//!
//! A respondent's current response is found through the primary key (wave, respondent key),
//! and many servers may share the database: each batch reads the earlier responses of its
//! respondents and upserts in one transaction, which the primary key keeps unique.

use minxin_domain::platform::{
    ResponseCursor, ResponsePage, StoreError, StoredResponse, SubmitOutcome,
};
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::backend::redact_password;
use crate::batch::{plan, ROWS_PER_STATEMENT};
use crate::database_error;
use crate::ports::waves::{ensure_open, push_response_fields, ResponseRow, RESPONSE_COLUMNS};

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct PostgresStore {
    pub(crate) reader: PgPool,
    pub(crate) writer: PgPool,
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PostgresStore {
    /// Connects to `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .map_err(|e| {
                StoreError::Database(format!("cannot connect to {}: {e}", redact_password(url)))
            })?;
        MIGRATIONS
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(PostgresStore {
            reader: pool.clone(),
            writer: pool,
        })
    }

    /// [`WaveStore::submit_batch`](minxin_domain::platform::WaveStore::submit_batch): reads the
    /// respondents' current responses, plans, and upserts, a chunk of rows per statement.
    pub(crate) async fn store_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let status: Option<(String,)> = sqlx::query_as("SELECT status FROM waves WHERE id = $1")
            .bind(wave)
            .fetch_optional(&mut *transaction)
            .await
            .map_err(database_error)?;
        ensure_open(wave, status.map(|s| s.0))?;
        let mut earlier = Vec::new();
        let keys: Vec<&[u8]> = responses
            .iter()
            .map(|r| r.respondent_key.as_slice())
            .collect();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
                "SELECT {RESPONSE_COLUMNS} FROM responses WHERE wave_id = "
            ));
            query.push_bind(wave).push(" AND respondent_key IN (");
            let mut separated = query.separated(", ");
            for key in chunk {
                separated.push_bind(*key);
            }
            query.push(")");
            let rows = query
                .build_query_as::<ResponseRow>()
                .fetch_all(&mut *transaction)
                .await
                .map_err(database_error)?;
            earlier.extend(rows.into_iter().map(StoredResponse::from));
        }
        let plan = plan(&earlier, responses);
        let writes: Vec<&StoredResponse> = plan.writes.iter().map(|i| &responses[*i]).collect();
        for chunk in writes.chunks(ROWS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
                "INSERT INTO responses (wave_id, {RESPONSE_COLUMNS}) "
            ));
            query.push_values(chunk, |mut row, response| {
                row.push_bind(wave).push_bind(&response.respondent_key);
                push_response_fields(&mut row, response);
            });
            query.push(
                " ON CONFLICT (wave_id, respondent_key) DO UPDATE SET idempotency_key = excluded.idempotency_key, \
                 channel = excluded.channel, district = excluded.district, gender = excluded.gender, \
                 age = excluded.age, education = excluded.education, occupation = excluded.occupation, \
                 ratings = excluded.ratings, submitted_at_ms = excluded.submitted_at_ms",
            );
            query
                .build()
                .execute(&mut *transaction)
                .await
                .map_err(database_error)?;
        }
        transaction.commit().await.map_err(database_error)?;
        Ok(plan.outcomes)
    }

    /// [`WaveStore::prepare_intake`](minxin_domain::platform::WaveStore::prepare_intake): nothing to
    /// load, the primary key finds respondents.
    pub(crate) async fn prepare_to_store(&self, _wave: i64) -> Result<(), StoreError> {
        Ok(())
    }

    /// [`WaveStore::responses`](minxin_domain::platform::WaveStore::responses) in respondent-key order;
    /// the cursor is the last key of a page.
    pub(crate) async fn page_of_responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> Result<ResponsePage, StoreError> {
        let rows = sqlx::query_as::<_, ResponseRow>(&format!(
            "SELECT {RESPONSE_COLUMNS} FROM responses WHERE wave_id = $1 AND respondent_key > $2 \
             ORDER BY respondent_key LIMIT $3"
        ))
        .bind(wave)
        .bind(from.map_or(&[][..], |cursor| cursor.0.as_slice()))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let responses: Vec<StoredResponse> = rows.into_iter().map(StoredResponse::from).collect();
        let next = (responses.len() == limit && limit > 0)
            .then(|| {
                responses
                    .last()
                    .map(|r| ResponseCursor(r.respondent_key.clone()))
            })
            .flatten();
        Ok(ResponsePage { responses, next })
    }
}
