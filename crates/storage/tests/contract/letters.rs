//! The responsibility letters port: a letter started once per project and year, its
//! commitments replaced only while it is a draft and read back as written, issued only when it
//! commits to something, taken back to draft only with a reason, accepted only once issued;
//! every refusal leaves nothing behind, every change is audited.

use minxin_domain::advancement::letter::{
    Commitments, DistrictShare, LetterStatus, MilestoneCommitment, Phase, TargetCommitment,
};
use minxin_domain::platform::{Store, StoreError};

use crate::by;

/// Commitments of the elevators' letter.
fn elevators() -> Commitments {
    Commitments {
        milestones: vec![
            MilestoneCommitment {
                id: "m1".into(),
                title_zh: "完成居民意见征询".into(),
                title_en: "Residents consulted".into(),
                kind: "engagement".into(),
                due: "2021-03-31".into(),
                unit: "310101".into(),
                person: "张三".into(),
            },
            MilestoneCommitment {
                id: "m2".into(),
                title_zh: "全部开工".into(),
                title_en: String::new(),
                kind: "delivery".into(),
                due: "2021-06-30".into(),
                unit: "housing-administration".into(),
                person: "李四".into(),
            },
        ],
        targets: vec![TargetCommitment {
            id: "t1".into(),
            title_zh: "加装电梯".into(),
            title_en: "Elevators added".into(),
            measure_zh: "台".into(),
            measure_en: "elevators".into(),
            quantity: 1000.5,
            due: "2021-12-31".into(),
            unit: "housing-administration".into(),
            shares: vec![
                DistrictShare {
                    district: "310104".into(),
                    quantity: 600.5,
                },
                DistrictShare {
                    district: "310101".into(),
                    quantity: 400.0,
                },
            ],
            weight: Some(1.0),
        }],
        phases: vec![
            Phase {
                title_zh: "征询".into(),
                title_en: String::new(),
                milestones: vec!["m1".into()],
            },
            Phase {
                title_zh: "施工".into(),
                title_en: String::new(),
                milestones: vec!["m2".into()],
            },
        ],
    }
}

/// Letters on a store holding the register.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    assert!(store.letters(None).await.unwrap().is_empty());
    assert!(matches!(
        store.create_letter("no-such-project", 2021, &by()).await,
        Err(StoreError::NoSuchProject(_))
    ));
    let letter = store.create_letter("elevators", 2021, &by()).await.unwrap();
    assert_eq!(letter.status, LetterStatus::Draft);
    assert!(letter.commitments.is_empty());
    assert!(matches!(
        store.create_letter("elevators", 2021, &by()).await,
        Err(StoreError::Declined(_))
    ));
    store.create_letter("breakfast", 2021, &by()).await.unwrap();
    assert!(
        matches!(
            store.issue_letter("breakfast", 2021, true, "", &by()).await,
            Err(StoreError::Declined(_))
        ),
        "a letter committing to nothing is not issued"
    );

    let written = store
        .put_commitments("elevators", 2021, &elevators(), &by())
        .await
        .unwrap();
    assert_eq!(
        written.commitments,
        elevators(),
        "read back as written, in order"
    );
    let mut nul = elevators();
    nul.milestones[0].person = "张\0三".into();
    assert!(matches!(
        store.put_commitments("elevators", 2021, &nul, &by()).await,
        Err(StoreError::InvalidText(_))
    ));
    let issued = store
        .issue_letter("elevators", 2021, true, "", &by())
        .await
        .unwrap();
    assert_eq!(issued.status, LetterStatus::Issued);
    assert_eq!(issued.issued_by.as_deref(), Some("officer.zhang"));
    let trail = store.audit_log().await.unwrap().0.len();
    for refused in [
        store
            .put_commitments("elevators", 2021, &Commitments::default(), &by())
            .await,
        store.issue_letter("elevators", 2021, true, "", &by()).await,
        store
            .issue_letter("elevators", 2021, false, " ", &by())
            .await,
        store.accept_letter("breakfast", 2021, "赵敏", &by()).await,
    ] {
        assert!(
            matches!(refused, Err(StoreError::Declined(_))),
            "{refused:?}"
        );
    }
    assert_eq!(store.audit_log().await.unwrap().0.len(), trail);
    let returned = store
        .issue_letter("elevators", 2021, false, "请补充各区联系人。", &by())
        .await
        .unwrap();
    assert_eq!(
        (returned.status, returned.issued_by),
        (LetterStatus::Draft, None)
    );
    store
        .issue_letter("elevators", 2021, true, "", &by())
        .await
        .unwrap();
    let accepted = store
        .accept_letter("elevators", 2021, "赵敏", &by())
        .await
        .unwrap();
    assert_eq!(accepted.status, LetterStatus::Accepted);
    assert_eq!(accepted.accepted_by_name.as_deref(), Some("赵敏"));
    assert_eq!(accepted.commitments, elevators());
    assert!(matches!(
        store.accept_letter("elevators", 2021, "赵敏", &by()).await,
        Err(StoreError::Declined(_))
    ));
    let letters = store.letters(None).await.unwrap();
    let listed: Vec<(&str, i32)> = letters
        .iter()
        .map(|l| (l.project.as_str(), l.year))
        .collect();
    assert_eq!(
        listed,
        [("elevators", 2021), ("breakfast", 2021)],
        "in the register order (reversed by the register contract)"
    );
    assert_eq!(store.letters(Some("elevators")).await.unwrap(), [accepted]);

    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries[before.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "letter.create",
            "letter.create",
            "letter.edit",
            "letter.issue",
            "letter.return",
            "letter.issue",
            "letter.accept",
        ]
    );
    assert_eq!(
        entries.last().unwrap().change.subject,
        "project/elevators/letter/2021"
    );
}
