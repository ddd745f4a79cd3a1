//! The supervision notices port: one notice that is not closed per item, answered only while
//! open, closed only once answered; every step timed and audited.

use minxin_domain::advancement::notice::{NoticeItem, NoticeStatus};
use minxin_domain::platform::{Attribution, Store, StoreError};

use crate::by;

/// Notices on a store holding the register.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    assert!(store.notices().await.unwrap().is_empty());
    let about = NoticeItem {
        project: "elevators".into(),
        year: 2021,
        kind: "target".into(),
        item: "t1".into(),
        owner: "310104".into(),
    };
    let sent = store
        .issue_notice(&about, "请于五个工作日内说明原因。", &by())
        .await
        .unwrap();
    assert_eq!(sent.status, NoticeStatus::Open);
    assert!(
        matches!(
            store.issue_notice(&about, "再次督办", &by()).await,
            Err(StoreError::Declined(_))
        ),
        "one notice that is not closed per item"
    );
    assert!(
        matches!(
            store.close_notice(sent.id, "", &by()).await,
            Err(StoreError::Declined(_))
        ),
        "closed only once answered"
    );
    let department = Attribution {
        actor: "xuhui.officer".into(),
        at_ms: 60_000,
    };
    let answered = store
        .answer_notice(sent.id, "居民意见分歧。", "2022-03-31", &department)
        .await
        .unwrap();
    assert_eq!(
        (
            answered.status,
            answered.recovery_date.as_deref(),
            answered.answered_at_ms
        ),
        (NoticeStatus::Answered, Some("2022-03-31"), Some(60_000))
    );
    assert!(matches!(
        store
            .answer_notice(sent.id, "again", "2022-04-01", &department)
            .await,
        Err(StoreError::Declined(_))
    ));
    let closed = store
        .close_notice(sent.id, "整改计划可行。", &by())
        .await
        .unwrap();
    assert_eq!(closed.status, NoticeStatus::Closed);
    assert_eq!(closed.close_note, "整改计划可行。");
    let again = store
        .issue_notice(&about, "仍未完成。", &by())
        .await
        .unwrap();
    assert_ne!(again.id, sent.id, "a closed notice lets a new one be sent");
    assert_eq!(store.notices().await.unwrap(), [closed, again]);
    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries[before.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "notice.issue",
            "notice.answer",
            "notice.close",
            "notice.issue"
        ]
    );
}
