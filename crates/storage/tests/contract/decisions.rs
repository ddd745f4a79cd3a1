//! The decisions port: each decision supersedes exactly the one in force about its subject,
//! is audited under the decider's name, and is never edited nor deleted in the database.

use minxin_domain::decision::{published, DecisionKind, NewDecision};
use minxin_domain::platform::{Store, StoreError};
use minxin_domain::subject::Subject;

/// Decisions on a store without any.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    let decision = |kind, supersedes| NewDecision {
        kind,
        subject: Subject::Wave(1),
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
    assert!(!published(&decisions, &Subject::Wave(1)));

    let (entries, _) = store.audit_log().await.unwrap();
    let recorded: Vec<(&str, &str, &str)> = entries[before.len()..]
        .iter()
        .map(|e| {
            (
                e.change.action.as_str(),
                e.change.actor.as_str(),
                e.change.subject.as_str(),
            )
        })
        .collect();
    assert_eq!(
        recorded,
        [
            ("decision.publish_results", "wang.fang", "wave/1"),
            ("decision.withdraw_results", "wang.fang", "wave/1"),
        ]
    );
}

/// Edits of stored decisions straight in the database are refused (`run` executes SQL on it
/// and answers the database's error).
pub(crate) async fn edits_are_refused<F, Fut>(run: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    for edit in [
        "UPDATE decisions SET statement = 'changed'",
        "DELETE FROM decisions",
    ] {
        let refused = run(edit).await.expect_err("the edit is refused");
        assert!(refused.contains("never edited"), "{refused}");
    }
}
