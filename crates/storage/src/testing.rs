//! Test support shared by the crates whose tests need a real database: a throw-away
//! PostgreSQL database on the local server, dropped when the test is done, and a way to tamper
//! with a SQLite audit log as someone outside the platform could.

use sqlx::Connection;

/// The local test server (trust authentication); `.ci/run` makes sure it is running.
pub const TEST_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

/// A database created for one test.
pub struct ThrowAwayDatabase {
    name: String,
}

impl ThrowAwayDatabase {
    /// Creates an empty database with a unique name. Panics with a clear message when the
    /// server is missing: tests must fail, not skip.
    pub async fn create() -> ThrowAwayDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "minxin_test_{}_{nanos}_{}",
            std::process::id(),
            rand_suffix()
        );
        let mut admin = sqlx::PgConnection::connect(&format!("{TEST_SERVER}/postgres"))
            .await
            .expect("PostgreSQL must listen on 127.0.0.1:5432 (user postgres, trust auth); .ci/run starts it");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("cannot create a test database");
        ThrowAwayDatabase { name }
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("{TEST_SERVER}/{}", self.name)
    }

    /// Drops it (connections still open are ended).
    pub async fn drop_database(self) {
        let mut admin = sqlx::PgConnection::connect(&format!("{TEST_SERVER}/postgres"))
            .await
            .expect("cannot reach the test server");
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&mut admin)
            .await
            .expect("cannot drop a test database");
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish() % 1_000_000
}

/// Runs `sql` on the SQLite file at `path` after dropping the audit log's append-only triggers:
/// what someone editing the file outside the platform could do. For tests of `audit verify`.
pub async fn tamper_with_sqlite_audit_log(path: &std::path::Path, sql: &str) {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let pool = sqlx::SqlitePool::connect_with(options)
        .await
        .expect("the database file opens");
    for statement in [
        "DROP TRIGGER IF EXISTS audit_log_no_update",
        "DROP TRIGGER IF EXISTS audit_log_no_delete",
        sql,
    ] {
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect("the statement runs");
    }
    pool.close().await;
}
