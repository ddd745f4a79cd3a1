//! One contract, run against both backends: SQLite in a temporary folder, and PostgreSQL in a
//! throw-away database on 127.0.0.1:5432 (the test fails, never skips, when the server is
//! missing; `.ci/run` starts it).

use std::collections::BTreeMap;

use minxin_domain::platform::{
    Attribution, NewWave, Store, StoreError, StoredResponse, SubmitOutcome, WaveConfigTexts,
    WaveStatus,
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
        tokens_required: false,
        cut_points: "median".into(),
    }
}

/// The attribution of the contract's changes.
fn by() -> Attribution {
    Attribution {
        actor: "officer.zhang".into(),
        at_ms: 4_242,
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
}

#[tokio::test]
async fn sqlite_meets_the_contract_and_keeps_data_across_restarts() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("data").join("minxin.db");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        contract(&store).await;
        access_records(&store).await;
        accounts(&store).await;
        let raw = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(&path),
        )
        .await
        .unwrap();
        for edit in [
            "UPDATE decisions SET statement = 'changed'",
            "DELETE FROM decisions",
        ] {
            let refused = sqlx::query(edit).execute(&raw).await.unwrap_err();
            assert!(refused.to_string().contains("never edited"), "{refused}");
        }
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
    replaces_after_restart(&reopened, waves[1].id).await;
}

/// After a restart, a respondent who answered before still replaces their response.
async fn replaces_after_restart<S: Store>(store: &S, wave: i64) {
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

#[tokio::test]
async fn postgres_meets_the_contract() {
    let database = ThrowAwayDatabase::create().await;
    {
        let store = PostgresStore::open(&database.url()).await.unwrap();
        contract(&store).await;
        access_records(&store).await;
        accounts(&store).await;
        let raw = sqlx::PgPool::connect(&database.url()).await.unwrap();
        for edit in [
            "UPDATE decisions SET statement = 'changed'",
            "DELETE FROM decisions",
        ] {
            let refused = sqlx::query(edit).execute(&raw).await.unwrap_err();
            assert!(refused.to_string().contains("never edited"), "{refused}");
        }
        raw.close().await;
        let reopened = AnyStore::open(&StoreUrl::parse(&database.url()))
            .await
            .unwrap();
        let waves = reopened.waves().await.unwrap();
        assert_eq!(waves.len(), 2, "migrations run once");
        replaces_after_restart(&reopened, waves[1].id).await;
    }
    database.drop_database().await;
}

fn audit_change(k: i64) -> minxin_domain::audit::NewAuditEntry {
    minxin_domain::audit::NewAuditEntry {
        at_ms: 5_000 + k,
        actor: format!("officer{k}"),
        action: "wave.open".into(),
        subject: format!("wave/{k}"),
        before: Some(r#"{"status":"draft"}"#.into()),
        after: (k % 2 == 0).then(|| r#"{"status":"open"}"#.to_string()),
    }
}

/// Accounts: created once, read back, updated, never duplicated; each change in the audit
/// trail with it, and a refused change leaves no entry.
async fn accounts<S: Store>(store: &S) {
    use minxin_domain::platform::Account;
    let (before, _) = store.audit_log().await.unwrap();
    let account = Account {
        name: "li.wei".into(),
        display_name: "李伟".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
        created_at_ms: 7,
        failed_sign_ins: 0,
        locked_until_ms: 0,
    };
    assert_eq!(store.account("li.wei").await.unwrap(), None);
    store.create_account(&account, &by()).await.unwrap();
    assert_eq!(
        store.account("li.wei").await.unwrap(),
        Some(account.clone())
    );
    assert!(matches!(
        store.create_account(&account, &by()).await,
        Err(StoreError::DuplicateAccount(_))
    ));
    store
        .update_account("li.wei", "other", true, &by())
        .await
        .unwrap();
    let updated = store.account("li.wei").await.unwrap().unwrap();
    assert_eq!(
        (updated.password_hash.as_str(), updated.disabled),
        ("other", true)
    );
    assert!(matches!(
        store.update_account("nobody", "x", false, &by()).await,
        Err(StoreError::NoSuchAccount(_))
    ));
    let (after, head) = store.audit_log().await.unwrap();
    let added: Vec<(&str, &str)> = after[before.len()..]
        .iter()
        .map(|e| (e.change.action.as_str(), e.change.subject.as_str()))
        .collect();
    assert_eq!(
        added,
        [
            ("account.create", "account/li.wei"),
            ("account.disable", "account/li.wei")
        ]
    );
    assert!(after
        .iter()
        .all(|e| !e.change.after.as_deref().unwrap_or("").contains("argon2")));
    assert_eq!(
        minxin_domain::audit::verify(&after, head),
        Ok(after.len() as u64)
    );
}

/// Appends four changes and checks the stored trail verifies.
async fn audit_trail<S: Store>(store: &S) {
    use minxin_domain::audit::verify;
    let (empty, head) = store.audit_log().await.unwrap();
    assert!(empty.is_empty() && head.is_none());
    for k in 1..=4 {
        let entry = store.append_audit(audit_change(k)).await.unwrap();
        assert_eq!(entry.sequence, k as u64);
    }
    let (entries, head) = store.audit_log().await.unwrap();
    assert_eq!(store.audit_head().await.unwrap(), head);
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[1].change, audit_change(2));
    assert_eq!(head, Some(entries[3].head()));
    assert_eq!(verify(&entries, head), Ok(4));
}

/// Edits the stored trail as someone outside the platform would, once the append-only
/// triggers are out of their way (`run` executes SQL on the database directly), and checks
/// that verification names each kind of tampering: altered, cut off, removed.
async fn tampering_is_found<S, F, Fut>(store: &S, run: F)
where
    S: Store,
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use minxin_domain::audit::{verify, AuditBreak};
    let verdict = || async {
        let (entries, head) = store.audit_log().await.unwrap();
        verify(&entries, head)
    };
    run("UPDATE audit_log SET after_value = NULL WHERE sequence = 2").await;
    assert_eq!(verdict().await, Err(AuditBreak::Altered { sequence: 2 }));
    run(r#"UPDATE audit_log SET after_value = '{"status":"open"}' WHERE sequence = 2"#).await;
    assert_eq!(verdict().await, Ok(4), "restored, the entry verifies again");
    run("UPDATE audit_log SET actor = 'someone' WHERE sequence = 2").await;
    assert_eq!(verdict().await, Err(AuditBreak::Altered { sequence: 2 }));
    run("UPDATE audit_log SET actor = 'officer2' WHERE sequence = 2").await;
    run("DELETE FROM audit_log WHERE sequence = 4").await;
    assert_eq!(
        verdict().await,
        Err(AuditBreak::Truncated {
            expected: 4,
            found: 3
        })
    );
    run("DELETE FROM audit_log WHERE sequence = 2").await;
    assert_eq!(
        verdict().await,
        Err(AuditBreak::OutOfSequence {
            position: 2,
            found: 3
        })
    );
}

#[tokio::test]
async fn sqlite_audit_trail_is_append_only_and_tampering_is_found() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("minxin.db");
    let store = SqliteStore::open(&path).await.unwrap();
    audit_trail(&store).await;
    let raw =
        sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
            .await
            .unwrap();
    let refused = sqlx::query("UPDATE audit_log SET actor = 'someone' WHERE sequence = 2")
        .execute(&raw)
        .await;
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(sqlx::query("DELETE FROM audit_log WHERE sequence = 4")
        .execute(&raw)
        .await
        .is_err());
    // Someone editing the file outside the platform drops the triggers.
    for statement in [
        "DROP TRIGGER audit_log_no_update",
        "DROP TRIGGER audit_log_no_delete",
    ] {
        sqlx::query(statement).execute(&raw).await.unwrap();
    }
    tampering_is_found(&store, |statement| {
        let raw = raw.clone();
        async move {
            sqlx::query(statement).execute(&raw).await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn postgres_audit_trail_is_append_only_and_tampering_is_found() {
    let database = ThrowAwayDatabase::create().await;
    {
        let store = PostgresStore::open(&database.url()).await.unwrap();
        audit_trail(&store).await;
        let raw = sqlx::PgPool::connect(&database.url()).await.unwrap();
        let refused = sqlx::query("UPDATE audit_log SET actor = 'someone' WHERE sequence = 2")
            .execute(&raw)
            .await;
        assert!(refused.unwrap_err().to_string().contains("append-only"));
        assert!(sqlx::query("DELETE FROM audit_log WHERE sequence = 4")
            .execute(&raw)
            .await
            .is_err());
        // Someone with the database's owner rights disables the trigger.
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            .execute(&raw)
            .await
            .unwrap();
        tampering_is_found(&store, |statement| {
            let raw = raw.clone();
            async move {
                sqlx::query(statement).execute(&raw).await.unwrap();
            }
        })
        .await;
        raw.close().await;
    }
    database.drop_database().await;
}

/// Sessions, sign-in counts, the organisation, role assignments and decisions; every change
/// attributed in the audit trail, in the same transaction.
async fn access_records<S: Store>(store: &S) {
    use minxin_domain::access::Role;
    use minxin_domain::audit::verify;
    use minxin_domain::decision::{published, DecisionKind, NewDecision};
    use minxin_domain::organisation::{
        Assignment, OrgUnit, ProjectDepartment, ProjectPart, Scope, UnitKind,
    };
    use minxin_domain::platform::{Account, Session};

    let (before, _) = store.audit_log().await.unwrap();
    let waves_recorded: Vec<&str> = before.iter().map(|e| e.change.action.as_str()).collect();
    assert!(
        waves_recorded.contains(&"wave.create") && waves_recorded.contains(&"wave.open"),
        "wave changes are recorded: {waves_recorded:?}"
    );
    assert!(before.iter().all(|e| e.change.actor == "officer.zhang"));

    let account = Account {
        name: "wang.fang".into(),
        display_name: "王芳".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
        created_at_ms: 1,
        failed_sign_ins: 0,
        locked_until_ms: 0,
    };
    store.create_account(&account, &by()).await.unwrap();
    store.record_sign_in("wang.fang", 3, 99_000).await.unwrap();
    let counted = store.account("wang.fang").await.unwrap().unwrap();
    assert_eq!(
        (counted.failed_sign_ins, counted.locked_until_ms),
        (3, 99_000)
    );

    // The organisation.
    let department = OrgUnit {
        code: "commerce".into(),
        kind: UnitKind::Department,
        name_zh: "市商务委".into(),
        name_en: "Commerce".into(),
        parent: None,
    };
    store.put_unit(&department, &by()).await.unwrap();
    let district = OrgUnit {
        code: "310101".into(),
        kind: UnitKind::District,
        name_zh: "黄浦区".into(),
        name_en: "Huangpu".into(),
        parent: None,
    };
    store.put_unit(&district, &by()).await.unwrap();
    let street = OrgUnit {
        code: "310101-nanjing-east".into(),
        kind: UnitKind::Street,
        name_zh: "南京东路街道".into(),
        name_en: "East Nanjing Road".into(),
        parent: Some("310101".into()),
    };
    store.put_unit(&street, &by()).await.unwrap();
    let renamed = OrgUnit {
        name_en: "Commerce Commission".into(),
        kind: UnitKind::District,
        ..department.clone()
    };
    store.put_unit(&renamed, &by()).await.unwrap();
    let link = ProjectDepartment {
        department: "commerce".into(),
        project: "breakfast".into(),
        part: ProjectPart::Participating,
    };
    store.set_project_department(&link, &by()).await.unwrap();
    let lead = ProjectDepartment {
        part: ProjectPart::Lead,
        ..link.clone()
    };
    store.set_project_department(&lead, &by()).await.unwrap();
    let organisation = store.organisation().await.unwrap();
    let commerce = organisation.unit("commerce").unwrap();
    assert_eq!(
        (commerce.kind, commerce.name_en.as_str()),
        (UnitKind::Department, "Commerce Commission"),
        "a unit is renamed, never changes kind"
    );
    assert_eq!(organisation.unit("310101-nanjing-east"), Some(&street));
    assert_eq!(organisation.project_departments, [lead]);

    // Roles.
    let held = Assignment {
        role: Role::LeadDepartment,
        scope: Scope::Unit("commerce".into()),
    };
    store.grant("wang.fang", &held, &by()).await.unwrap();
    store.grant("wang.fang", &held, &by()).await.unwrap();
    assert!(matches!(
        store.grant("nobody", &held, &by()).await,
        Err(StoreError::NoSuchAccount(_))
    ));
    assert_eq!(
        store.assignments().await.unwrap(),
        [("wang.fang".to_string(), held.clone())]
    );

    // Sessions: found with the account and roles until they expire or end.
    let session = Session {
        token_hash: vec![7; 32],
        account: "wang.fang".into(),
        created_at_ms: 1_000,
        expires_at_ms: 9_000,
    };
    store.create_session(&session).await.unwrap();
    let (found, found_account, roles) = store.session(&[7; 32], 5_000).await.unwrap().unwrap();
    assert_eq!(
        (found, found_account.name.as_str(), roles),
        (session.clone(), "wang.fang", vec![held.clone()])
    );
    assert_eq!(
        store.session(&[7; 32], 9_000).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(store.session(&[8; 32], 5_000).await.unwrap(), None);
    store
        .update_account("wang.fang", &account.password_hash, true, &by())
        .await
        .unwrap();
    assert_eq!(
        store.session(&[7; 32], 5_000).await.unwrap(),
        None,
        "a disabled account's sessions end"
    );
    store
        .update_account("wang.fang", &account.password_hash, false, &by())
        .await
        .unwrap();
    // A session expired long ago is dropped when a new one begins.
    let long_after = Session {
        token_hash: vec![9; 32],
        created_at_ms: 9_000 + 91 * 24 * 3_600_000,
        expires_at_ms: 9_000 + 92 * 24 * 3_600_000,
        ..session.clone()
    };
    store.create_session(&long_after).await.unwrap();
    assert!(store
        .session(&[9; 32], long_after.created_at_ms)
        .await
        .unwrap()
        .is_some());
    store.end_session(&[7; 32], 6_000).await.unwrap();
    assert_eq!(
        store.session(&[7; 32], 5_000).await.unwrap(),
        None,
        "signed out"
    );
    assert!(store.revoke("wang.fang", &held, &by()).await.unwrap());
    assert!(!store.revoke("wang.fang", &held, &by()).await.unwrap());
    assert!(store.assignments().await.unwrap().is_empty());

    // Decisions: each supersedes exactly the one in force.
    let decision = |kind, supersedes| NewDecision {
        kind,
        subject: "wave/1".into(),
        decided_by: "wang.fang".into(),
        decided_by_name: "王芳".into(),
        decided_at_ms: 10_000,
        statement: "评价完成".into(),
        supersedes,
    };
    let first = store
        .record_decision(&decision(DecisionKind::PublishResults, None))
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_decision(&decision(DecisionKind::WithdrawResults, None))
            .await,
        Err(StoreError::Refused(_))
    ));
    let second = store
        .record_decision(&decision(DecisionKind::WithdrawResults, Some(first.id)))
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_decision(&decision(DecisionKind::PublishResults, Some(first.id)))
            .await,
        Err(StoreError::Refused(_))
    ));
    let decisions = store.decisions().await.unwrap();
    assert_eq!(decisions, [first.clone(), second.clone()]);
    assert!(!published(&decisions, "wave/1"));

    // Every change above is in the trail, attributed, and the chain holds.
    let (entries, head) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries[before.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "account.create",
            "unit.put",
            "unit.put",
            "unit.put",
            "unit.put",
            "project_department.set",
            "project_department.set",
            "role.grant",
            "account.disable",
            "account.enable",
            "role.revoke",
            "decision.publish_results",
            "decision.withdraw_results",
        ]
    );
    let decided = &entries[entries.len() - 1];
    assert_eq!(
        (
            decided.change.actor.as_str(),
            decided.change.subject.as_str()
        ),
        ("wang.fang", "wave/1")
    );
    assert_eq!(verify(&entries, head), Ok(entries.len() as u64));
}
