//! One contract per port, run against both backends: SQLite in a temporary folder, and
//! PostgreSQL in a throw-away database on 127.0.0.1:5432 (the test fails, never skips, when
//! the server is missing; `.ci/run` starts it). Each port's file holds its contract and what
//! only one backend must get right; this file runs them all on one store of each backend.

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

use minxin_domain::audit::verify;
use minxin_domain::platform::{Attribution, Store, WaveStore};
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{AnyStore, PostgresStore, SqliteStore, StoreUrl};

/// The attribution of the contract's changes.
pub(crate) fn by() -> Attribution {
    Attribution {
        actor: "officer.zhang".into(),
        at_ms: 4_242,
    }
}

/// Every port's contract on one empty store, in an order that lets each find the store as it
/// expects; then the whole audit trail verifies.
async fn every_port<S: Store>(store: &S) {
    waves::contract(store).await;
    accounts::contract(store).await;
    organisation::contract(store).await;
    register::contract(store).await;
    decisions::contract(store).await;
    stage::contract(store).await;
    letters::contract(store).await;
    progress::contract(store).await;
    notices::contract(store).await;
    meetings::contract(store).await;
    let (entries, head) = store.audit_log().await.unwrap();
    assert_eq!(verify(&entries, head), Ok(entries.len() as u64));
}

#[tokio::test]
async fn sqlite_meets_the_contract_and_keeps_data_across_restarts() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("data").join("minxin.db");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        every_port(&store).await;
        let raw = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(&path),
        )
        .await
        .unwrap();
        decisions::edits_are_refused(|edit| {
            let raw = raw.clone();
            async move {
                sqlx::query(edit)
                    .execute(&raw)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .await;
        raw.close().await;
    }
    let reopened = AnyStore::open(&StoreUrl::parse(path.to_str().unwrap()))
        .await
        .unwrap();
    let waves = reopened.waves().await.unwrap();
    assert_eq!(waves.len(), 2);
    assert_eq!(
        reopened
            .responses(waves[1].id, None, 100)
            .await
            .unwrap()
            .responses
            .len(),
        3
    );
    waves::replaces_after_restart(&reopened, waves[1].id).await;
}

#[tokio::test]
async fn postgres_meets_the_contract() {
    let database = ThrowAwayDatabase::create().await;
    {
        let store = PostgresStore::open(&database.url()).await.unwrap();
        every_port(&store).await;
        let raw = sqlx::PgPool::connect(&database.url()).await.unwrap();
        decisions::edits_are_refused(|edit| {
            let raw = raw.clone();
            async move {
                sqlx::query(edit)
                    .execute(&raw)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .await;
        raw.close().await;
        let reopened = AnyStore::open(&StoreUrl::parse(&database.url()))
            .await
            .unwrap();
        let waves = reopened.waves().await.unwrap();
        assert_eq!(waves.len(), 2, "migrations run once");
        waves::replaces_after_restart(&reopened, waves[1].id).await;
    }
    database.drop_database().await;
}
