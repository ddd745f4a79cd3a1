//! The audit port: appending to the hash-chained trail and reading it back, and tampering
//! found by verification once someone outside the platform edits the stored trail.

use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};

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

/// Appends four changes and checks the stored trail verifies.
pub(crate) async fn audit_trail<S: Store>(store: &S) {
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
