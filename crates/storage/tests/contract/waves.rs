//! The waves and responses port: creating waves, editing drafts, opening and closing them, storing batches
//! of responses (new, replaced, retried), reading them back in pages; and what only SQLite
//! must get right (seeing another connection's writes, upgrading an old schema).

use std::collections::BTreeMap;

use minxin_domain::platform::{
    NewWave, Store, StoreError, StoredResponse, SubmitOutcome, WaveConfigTexts, WaveStatus,
    WaveStore,
};
use minxin_storage::SqliteStore;

use crate::by;

pub(crate) fn new_wave(name: &str) -> NewWave {
    NewWave {
        name: name.into(),
        period_start: Some("2026-03-01".into()),
        period_end: None,
        quotas: BTreeMap::from([("310104".to_string(), 60), ("310151".to_string(), 15)]),
        config: WaveConfigTexts::defaults(),
        tokens_required: false,
        cut_points: "median".into(),
    }
}

pub(crate) fn response(key: &[u8], idempotency: Option<&str>, answer: u32) -> StoredResponse {
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

/// Waves and responses on an empty store; leaves two waves, the earlier one closed with
/// three responses. Each change to a wave is in the audit trail.
pub(crate) async fn contract<S: Store>(store: &S) {
    // Waves.
    let wave = store
        .create_wave(&new_wave("2026 spring"), &by())
        .await
        .unwrap();
    assert_eq!(wave.status, WaveStatus::Draft);
    assert_eq!(wave.quotas["310104"], 60);
    assert_eq!(
        wave.config,
        WaveConfigTexts::defaults(),
        "the configuration is stored with the wave"
    );
    assert!(matches!(
        store.create_wave(&new_wave("2026 spring"), &by()).await,
        Err(StoreError::DuplicateWaveName(_))
    ));
    let later = store
        .create_wave(&new_wave("2026 autumn"), &by())
        .await
        .unwrap();
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

    // A draft is edited in place: the same number, what it is replaced.
    let mut revised = new_wave("2026 autumn (revised)");
    revised.quotas = BTreeMap::from([("310115".to_string(), 90)]);
    revised.period_end = Some("2026-10-31".into());
    revised.tokens_required = true;
    let edited = store
        .update_draft_wave(later.id, &revised, &by())
        .await
        .unwrap();
    assert_eq!(
        (edited.id, edited.status, edited.created_at_ms),
        (later.id, WaveStatus::Draft, later.created_at_ms)
    );
    assert_eq!(edited.name, "2026 autumn (revised)");
    assert_eq!(edited.quotas, revised.quotas);
    assert_eq!(edited.period_end.as_deref(), Some("2026-10-31"));
    assert!(edited.tokens_required);
    assert_eq!(store.wave(later.id).await.unwrap(), edited);
    assert!(matches!(
        store
            .update_draft_wave(later.id, &new_wave("2026 spring"), &by())
            .await,
        Err(StoreError::DuplicateWaveName(_))
    ));
    assert!(matches!(
        store.update_draft_wave(987_654, &revised, &by()).await,
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
            .set_wave_status(wave.id, WaveStatus::Open, &by())
            .await
            .unwrap()
            .status,
        WaveStatus::Open
    );
    // An open wave is no longer edited, and nothing of it changes.
    assert!(matches!(
        store
            .update_draft_wave(wave.id, &new_wave("renamed"), &by())
            .await,
        Err(StoreError::WaveNotDraft {
            status: WaveStatus::Open,
            ..
        })
    ));
    assert_eq!(store.wave(wave.id).await.unwrap().name, "2026 spring");

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

    let stored = store.responses(wave.id, None, 100).await.unwrap().responses;
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
            .responses
            .is_empty(),
        "waves are separate"
    );

    // A closed wave takes no responses, and nothing of a refused batch is stored.
    store
        .set_wave_status(wave.id, WaveStatus::Closed, &by())
        .await
        .unwrap();
    assert!(store
        .submit_batch(wave.id, &[response(b"d", None, 1)])
        .await
        .is_err());
    assert_eq!(
        store
            .responses(wave.id, None, 100)
            .await
            .unwrap()
            .responses
            .len(),
        3
    );
    // Pages: following the cursors visits every response once.
    let first_page = store.responses(wave.id, None, 2).await.unwrap();
    assert_eq!(first_page.responses.len(), 2);
    let cursor = first_page
        .next
        .expect("a full page says where the next begins");
    let rest = store.responses(wave.id, Some(&cursor), 2).await.unwrap();
    let mut keys: Vec<Vec<u8>> = first_page
        .responses
        .iter()
        .chain(&rest.responses)
        .map(|r| r.respondent_key.clone())
        .collect();
    keys.sort();
    assert_eq!(keys, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    assert_eq!(rest.next, None, "a page that is not full is the last");
    assert!(matches!(
        store
            .submit_batch(987_654, &[response(b"d", None, 1)])
            .await,
        Err(StoreError::NoSuchWave(_))
    ));

    let (trail, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.change.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "wave.create",
            "wave.create",
            "wave.edit",
            "wave.open",
            "wave.close"
        ],
        "every change to a wave is recorded"
    );
    assert!(trail.iter().all(|e| e.change.actor == "officer.zhang"));
}

/// After a restart, a respondent who answered before still replaces their response.
pub(crate) async fn replaces_after_restart<S: Store>(store: &S, wave: i64) {
    store
        .set_wave_status(wave, WaveStatus::Open, &by())
        .await
        .unwrap();
    store.prepare_intake(wave).await.unwrap();
    let outcomes = store
        .submit_batch(wave, &[response(b"b", None, 4)])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [SubmitOutcome::Replaced(Box::new(response(b"b", None, 2)))]
    );
    assert_eq!(
        store
            .responses(wave, None, 100)
            .await
            .unwrap()
            .responses
            .len(),
        3
    );
}

#[tokio::test]
async fn sqlite_notices_responses_stored_by_another_connection() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("minxin.db");
    let first = SqliteStore::open(&path).await.unwrap();
    let second = SqliteStore::open(&path).await.unwrap();
    let wave = first.create_wave(&new_wave("shared"), &by()).await.unwrap();
    first
        .set_wave_status(wave.id, WaveStatus::Open, &by())
        .await
        .unwrap();
    // The second store knows the wave's respondents (none) before the first stores one.
    second.prepare_intake(wave.id).await.unwrap();
    first
        .submit_batch(wave.id, &[response(b"x", None, 1)])
        .await
        .unwrap();
    let outcomes = second
        .submit_batch(wave.id, &[response(b"x", None, 2)])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [SubmitOutcome::Replaced(Box::new(response(b"x", None, 1)))],
        "what another connection stored is seen"
    );
    assert_eq!(
        first.responses(wave.id, None, 10).await.unwrap().responses,
        [response(b"x", None, 2)]
    );
}

#[tokio::test]
async fn sqlite_upgrade_keeps_the_responses_of_the_first_schema() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("minxin.db");
    // A database as the first release left it: only the first migration applied.
    let first_schema = folder.path().join("first-schema");
    std::fs::create_dir(&first_schema).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/migrations/sqlite/0001_waves_and_responses.sql"
        ),
        first_schema.join("0001_waves_and_responses.sql"),
    )
    .unwrap();
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(first_schema.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO waves (name, status, quotas, instrument, catalogue, districts, profile, \
             created_at_ms) VALUES ('old', 'open', '{}', 'i', 'c', 'd', 'p', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        for (key, answer) in [(&b"p"[..], 1), (&b"q"[..], 2)] {
            let old = response(key, None, answer);
            sqlx::query(
                "INSERT INTO responses (wave_id, respondent_key, district, ratings, submitted_at_ms) \
                 VALUES (1, ?, ?, ?, ?)",
            )
            .bind(&old.respondent_key)
            .bind(&old.district)
            .bind(&old.ratings)
            .bind(old.submitted_at_ms)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }
    let store = SqliteStore::open(&path).await.unwrap();
    let kept = store.responses(1, None, 10).await.unwrap().responses;
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[1].respondent_key, b"q");
    assert_eq!(kept[1].ratings, response(b"q", None, 2).ratings);
    let outcomes = store
        .submit_batch(1, &[response(b"q", None, 5), response(b"r", None, 5)])
        .await
        .unwrap();
    assert!(matches!(outcomes[0], SubmitOutcome::Replaced(_)));
    assert_eq!(outcomes[1], SubmitOutcome::Created);
    assert_eq!(
        store.responses(1, None, 10).await.unwrap().responses.len(),
        3
    );
}
