//! PostgreSQL, for larger deployments: selected by a `postgres://` URL, migrated on connect.

use minxin_domain::platform::StoreError;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::backend::{impl_store, redact_password};

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
}

impl_store!(PostgresStore, sqlx::Postgres, "BEGIN");
