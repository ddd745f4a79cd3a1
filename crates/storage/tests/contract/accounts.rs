//! The accounts and sessions port: accounts created once and updated with their audit
//! entries, sign-in counts and the waits they cause, and sessions with the roles they carry.

use minxin_domain::access::Role;
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{
    sign_in_delay_ms, Account, Session, Store, StoreError, SIGN_IN_DELAY_AFTER,
};

use crate::by;

/// An account as the contract creates it.
fn account(name: &str, display_name: &str) -> Account {
    Account {
        name: name.into(),
        display_name: display_name.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
        created_at_ms: 7,
        failed_sign_ins: 0,
        locked_until_ms: 0,
    }
}

/// Accounts: created once, read back, updated, never duplicated; each change in the audit
/// trail with it, and a refused change leaves no entry.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    let account = account("li.wei", "李伟");
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
    sign_ins(store).await;
    sessions(store).await;
}

/// Sign-in counts: recorded as told, failures counted one at a time, and the wait that begins
/// after [`SIGN_IN_DELAY_AFTER`] failures recorded in the audit trail.
async fn sign_ins<S: Store>(store: &S) {
    store
        .create_account(&account("chen.jing", "陈静"), &by())
        .await
        .unwrap();
    store.record_sign_in("chen.jing", 3, 99_000).await.unwrap();
    let counted = store.account("chen.jing").await.unwrap().unwrap();
    assert_eq!(
        (counted.failed_sign_ins, counted.locked_until_ms),
        (3, 99_000)
    );
    store.record_sign_in("chen.jing", 0, 0).await.unwrap();
    let (before, _) = store.audit_log().await.unwrap();
    let mut last = None;
    for _ in 0..SIGN_IN_DELAY_AFTER {
        last = store
            .record_failed_sign_in("chen.jing", 50_000)
            .await
            .unwrap();
    }
    let (failures, until) = last.expect("the account exists");
    assert_eq!(failures, SIGN_IN_DELAY_AFTER);
    assert_eq!(until, 50_000 + sign_in_delay_ms(SIGN_IN_DELAY_AFTER));
    assert_eq!(
        store.record_failed_sign_in("nobody", 50_000).await.unwrap(),
        None
    );
    let (after, _) = store.audit_log().await.unwrap();
    let locked: Vec<(&str, &str, &str)> = after[before.len()..]
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
        locked,
        [("account.lock", "system:sign-in", "account/chen.jing")],
        "the wait is recorded once, when it begins"
    );
}

/// Sessions: found with the account and the roles it holds until they expire, end, or the
/// account is disabled; long-expired ones are dropped as new ones begin.
async fn sessions<S: Store>(store: &S) {
    store
        .create_account(&account("wang.fang", "王芳"), &by())
        .await
        .unwrap();
    let held = Assignment {
        role: Role::LeadDepartment,
        scope: Scope::Unit("commerce".into()),
    };
    store.grant("wang.fang", &held, &by()).await.unwrap();
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
    let password_hash = account("wang.fang", "王芳").password_hash;
    store
        .update_account("wang.fang", &password_hash, true, &by())
        .await
        .unwrap();
    assert_eq!(
        store.session(&[7; 32], 5_000).await.unwrap(),
        None,
        "a disabled account's sessions end"
    );
    store
        .update_account("wang.fang", &password_hash, false, &by())
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
    let (found, _, _) = store
        .session(&[9; 32], long_after.created_at_ms)
        .await
        .unwrap()
        .expect("the new session is found");
    assert_eq!(found, long_after);
    store
        .end_session(&[9; 32], long_after.created_at_ms)
        .await
        .unwrap();
    assert_eq!(
        store
            .session(&[9; 32], long_after.created_at_ms)
            .await
            .unwrap(),
        None,
        "signed out"
    );
    assert!(store.revoke("wang.fang", &held, &by()).await.unwrap());
}
