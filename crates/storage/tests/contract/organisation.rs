//! The organisation and roles port: units added and renamed (never changing kind),
//! departments' parts in projects, roles granted and revoked; every change audited, and the
//! city never left without an administrator.

use minxin_domain::access::Role;
use minxin_domain::organisation::{
    Assignment, OrgUnit, ProjectDepartment, ProjectPart, Scope, UnitKind,
};
use minxin_domain::platform::{Account, Store, StoreError};

use crate::by;

/// The organisation and roles on a store without units or role assignments.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
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
    store
        .create_account(
            &Account {
                name: "zhao.min".into(),
                display_name: "赵敏".into(),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                disabled: false,
                created_at_ms: 1,
                failed_sign_ins: 0,
                locked_until_ms: 0,
            },
            &by(),
        )
        .await
        .unwrap();
    let held = Assignment {
        role: Role::LeadDepartment,
        scope: Scope::Unit("commerce".into()),
    };
    store.grant("zhao.min", &held, &by()).await.unwrap();
    store.grant("zhao.min", &held, &by()).await.unwrap();
    assert!(matches!(
        store.grant("nobody", &held, &by()).await,
        Err(StoreError::NoSuchAccount(_))
    ));
    assert_eq!(
        store.assignments().await.unwrap(),
        [("zhao.min".to_string(), held.clone())]
    );
    assert!(store.revoke("zhao.min", &held, &by()).await.unwrap());
    assert!(!store.revoke("zhao.min", &held, &by()).await.unwrap());
    assert!(store.assignments().await.unwrap().is_empty());

    // The only administrator keeps the role, and the refused change leaves nothing behind.
    let administrator = Assignment {
        role: Role::Administrator,
        scope: Scope::City,
    };
    store
        .grant("zhao.min", &administrator, &by())
        .await
        .unwrap();
    let (trail_before_refusal, _) = store.audit_log().await.unwrap();
    assert!(matches!(
        store.revoke("zhao.min", &administrator, &by()).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.update_account("zhao.min", "other", true, &by()).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(
        store.assignments().await.unwrap(),
        [("zhao.min".to_string(), administrator)]
    );
    assert!(!store.account("zhao.min").await.unwrap().unwrap().disabled);
    assert_eq!(
        store.audit_log().await.unwrap().0.len(),
        trail_before_refusal.len(),
        "a refused change is not recorded"
    );

    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries[before.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "unit.put",
            "unit.put",
            "unit.put",
            "unit.put",
            "project_department.set",
            "project_department.set",
            "account.create",
            "role.grant",
            "role.revoke",
            "role.grant",
        ]
    );
}
