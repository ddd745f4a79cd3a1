//! One contract, run against both backends: SQLite in a temporary folder, and PostgreSQL in a
//! throw-away database on 127.0.0.1:5432 (the test fails, never skips, when the server is
//! missing; `.ci/run` starts it).

use std::collections::BTreeMap;

use minxin_domain::platform::{
    NewWave, Store, StoreError, StoredResponse, SubmitOutcome, WaveConfigTexts, WaveStatus,
};
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{AnyStore, PostgresStore, SqliteStore, StoreUrl};

fn new_wave(name: &str) -> NewWave {
    NewWave {
        name: name.into(),
        period_start: Some("2026-03-01".into()),
        period_end: None,
        quotas: BTreeMap::from([("310104".to_string(), 60), ("310151".to_string(), 15)]),
        config: WaveConfigTexts::defaults(),
    }
}

fn response(key: &[u8], idempotency: Option<&str>, answer: u32) -> StoredResponse {
    StoredResponse {
        respondent_key: key.to_vec(),
        idempotency_key: idempotency.map(String::from),
        channel: Some("app".into()),
        district: "310104".into(),
        gender: Some("female".into()),
        age: Some(34),
        education: None,
        occupation: None,
        ratings: format!(r#"[{{"project":"parking","answers":{{"awareness":{answer}}}}}]"#),
        submitted_at_ms: 1_000 + i64::from(answer),
    }
}

async fn contract<S: Store>(store: &S) {
    // Waves.
    let wave = store.create_wave(&new_wave("2026 spring")).await.unwrap();
    assert_eq!(wave.status, WaveStatus::Draft);
    assert_eq!(wave.quotas["310104"], 60);
    assert_eq!(
        wave.config,
        WaveConfigTexts::defaults(),
        "the configuration is stored with the wave"
    );
    assert!(matches!(
        store.create_wave(&new_wave("2026 spring")).await,
        Err(StoreError::DuplicateWaveName(_))
    ));
    let later = store.create_wave(&new_wave("2026 autumn")).await.unwrap();
    let names: Vec<String> = store
        .waves()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert_eq!(names, ["2026 autumn", "2026 spring"]);
    assert_eq!(store.wave(wave.id).await.unwrap(), wave);
    assert!(matches!(
        store.wave(987_654).await,
        Err(StoreError::NoSuchWave(987_654))
    ));

    // A draft wave takes no responses.
    assert!(matches!(
        store
            .submit_batch(wave.id, &[response(b"a", None, 1)])
            .await,
        Err(StoreError::WaveNotOpen {
            status: WaveStatus::Draft,
            ..
        })
    ));
    assert_eq!(
        store
            .set_wave_status(wave.id, WaveStatus::Open)
            .await
            .unwrap()
            .status,
        WaveStatus::Open
    );

    // New, replaced, retried.
    let outcomes = store
        .submit_batch(
            wave.id,
            &[response(b"a", Some("k1"), 1), response(b"b", None, 2)],
        )
        .await
        .unwrap();
    assert_eq!(outcomes, [SubmitOutcome::Created, SubmitOutcome::Created]);
    let outcomes = store
        .submit_batch(wave.id, &[response(b"a", Some("k2"), 3)])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [SubmitOutcome::Replaced(Box::new(response(
            b"a",
            Some("k1"),
            1
        )))]
    );
    let outcomes = store
        .submit_batch(wave.id, &[response(b"a", Some("k2"), 4)])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [SubmitOutcome::AlreadyStored],
        "a retry with the same key changes nothing"
    );
    // The same respondent twice in one batch: the second replaces the first.
    let outcomes = store
        .submit_batch(wave.id, &[response(b"c", None, 1), response(b"c", None, 5)])
        .await
        .unwrap();
    assert_eq!(
        outcomes[1],
        SubmitOutcome::Replaced(Box::new(response(b"c", None, 1)))
    );

    let stored = store.responses(wave.id, None, 100).await.unwrap();
    assert_eq!(
        stored,
        [
            response(b"a", Some("k2"), 3),
            response(b"b", None, 2),
            response(b"c", None, 5)
        ]
    );
    assert!(
        store
            .responses(later.id, None, 100)
            .await
            .unwrap()
            .is_empty(),
        "waves are separate"
    );

    // A closed wave takes no responses, and nothing of a refused batch is stored.
    store
        .set_wave_status(wave.id, WaveStatus::Closed)
        .await
        .unwrap();
    assert!(store
        .submit_batch(wave.id, &[response(b"d", None, 1)])
        .await
        .is_err());
    assert_eq!(store.responses(wave.id, None, 100).await.unwrap().len(), 3);
    // Pages in key order.
    let first_page = store.responses(wave.id, None, 2).await.unwrap();
    assert_eq!(first_page.len(), 2);
    let rest = store
        .responses(wave.id, Some(&first_page[1].respondent_key), 2)
        .await
        .unwrap();
    assert_eq!(rest, [response(b"c", None, 5)]);
    assert!(matches!(
        store
            .submit_batch(987_654, &[response(b"d", None, 1)])
            .await,
        Err(StoreError::NoSuchWave(_))
    ));
}

#[tokio::test]
async fn sqlite_meets_the_contract_and_keeps_data_across_restarts() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("data").join("minxin.db");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        contract(&store).await;
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
            .len(),
        3
    );
}

#[tokio::test]
async fn postgres_meets_the_contract() {
    let database = ThrowAwayDatabase::create().await;
    {
        let store = PostgresStore::open(&database.url()).await.unwrap();
        contract(&store).await;
        let reopened = AnyStore::open(&StoreUrl::parse(&database.url()))
            .await
            .unwrap();
        assert_eq!(
            reopened.waves().await.unwrap().len(),
            2,
            "migrations run once"
        );
    }
    database.drop_database().await;
}
