//! The stage port: a plan set freely before implementation, stage moves only as the life of a
//! project allows and only as decisions superseding the one in force, the plan frozen as the
//! baseline when implementation begins, and a frozen plan changed only by a modification the
//! office approves; every refusal leaves nothing behind, every change is audited.

use minxin_domain::advancement::stage::{
    ModificationKind, ModificationStatus, ProjectPlan, ProjectStatus,
};
use minxin_domain::decision::{DecisionId, DecisionKind, NewDecision};
use minxin_domain::platform::{Attribution, Store, StoreError};
use minxin_domain::subject::Subject;

use crate::by;

/// A stage decision about `project`, signed by the account `wang.fang`.
fn stage(project: &str, to: ProjectStatus, supersedes: Option<DecisionId>) -> NewDecision {
    NewDecision {
        kind: DecisionKind::MoveStage(to),
        subject: Subject::ProjectStage(project.into()),
        decided_by: "wang.fang".into(),
        decided_by_name: "王芳".into(),
        decided_at_ms: 20_000,
        statement: "经联席会议研究同意。".into(),
        supersedes,
    }
}

/// Stages and plans on a store holding the register (and the account `wang.fang`).
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    let standings = store.standings().await.unwrap();
    assert_eq!(standings.len(), 17);
    assert!(standings
        .iter()
        .all(|s| s.status == ProjectStatus::Identification && s.stage_decision.is_none()));
    assert!(matches!(
        store.standing("no-such-project").await,
        Err(StoreError::NoSuchProject(_))
    ));

    // A plan before implementation: set freely, checked.
    let bad = ProjectPlan {
        period_start: Some("2021-13-01".into()),
        ..ProjectPlan::default()
    };
    assert!(matches!(
        store.set_plan("breakfast", &bad, &by()).await,
        Err(StoreError::Declined(problem)) if problem.field == "period_start"
    ));
    let plan = ProjectPlan {
        period_start: Some("2021-01-01".into()),
        period_end: Some("2021-12-31".into()),
        budget_yuan: Some(120_000_000),
        scope_zh: "新增早餐网点1000个。".into(),
        scope_en: "1,000 new breakfast outlets.".into(),
    };
    store.set_plan("breakfast", &plan, &by()).await.unwrap();
    let standing = store.standing("breakfast").await.unwrap();
    assert_eq!(
        (standing.plan.clone(), standing.baseline),
        (plan.clone(), None)
    );

    // Moves: only those the life of a project allows, each superseding the one in force.
    let trail = store.audit_log().await.unwrap().0.len();
    for refused in [
        stage("breakfast", ProjectStatus::Implementation, None),
        NewDecision {
            statement: " ".into(),
            ..stage("breakfast", ProjectStatus::Preparation, None)
        },
    ] {
        assert!(matches!(
            store.move_stage(&refused).await,
            Err(StoreError::Declined(_))
        ));
    }
    assert!(matches!(
        store
            .record_decision(&stage("breakfast", ProjectStatus::Preparation, None))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.audit_log().await.unwrap().0.len(), trail);
    let preparing = store
        .move_stage(&stage("breakfast", ProjectStatus::Preparation, None))
        .await
        .unwrap();
    assert!(matches!(
        store
            .move_stage(&stage("breakfast", ProjectStatus::Implementation, None))
            .await,
        Err(StoreError::Refused(_))
    ));
    let parking = store
        .move_stage(&stage("parking", ProjectStatus::Preparation, None))
        .await
        .unwrap();
    assert!(matches!(
        store
            .move_stage(&stage("parking", ProjectStatus::Implementation, Some(parking.id)))
            .await,
        Err(StoreError::Declined(problem)) if problem.field == "period_start"
    ));
    let implementing = store
        .move_stage(&stage(
            "breakfast",
            ProjectStatus::Implementation,
            Some(preparing.id),
        ))
        .await
        .unwrap();
    let standing = store.standing("breakfast").await.unwrap();
    assert_eq!(standing.status, ProjectStatus::Implementation);
    assert_eq!(standing.stage_decision, Some(implementing.id));
    assert_eq!(
        standing.baseline.as_ref(),
        Some(&plan),
        "the baseline is frozen"
    );
    assert_eq!(standing.baseline_at_ms, Some(20_000));
    assert!(matches!(
        store
            .set_plan("breakfast", &ProjectPlan::default(), &by())
            .await,
        Err(StoreError::Declined(_))
    ));

    // Modifications of the frozen plan.
    let longer = ProjectPlan {
        period_end: Some("2022-06-30".into()),
        ..plan.clone()
    };
    assert!(matches!(
        store
            .propose_modification("breakfast", ModificationKind::Duration, " ", &longer, &by())
            .await,
        Err(StoreError::Declined(problem)) if problem.field == "reason"
    ));
    assert!(
        matches!(
            store
                .propose_modification("breakfast", ModificationKind::Value, "同上", &longer, &by())
                .await,
            Err(StoreError::Declined(_))
        ),
        "a change of value that changes no value is refused"
    );
    assert!(
        matches!(
            store
                .propose_modification(
                    "parking",
                    ModificationKind::Duration,
                    "延期",
                    &longer,
                    &by()
                )
                .await,
            Err(StoreError::Declined(_))
        ),
        "before implementation the plan is set, not modified"
    );
    let duration = store
        .propose_modification(
            "breakfast",
            ModificationKind::Duration,
            "拆迁进度滞后。",
            &longer,
            &by(),
        )
        .await
        .unwrap();
    let dearer = ProjectPlan {
        budget_yuan: Some(150_000_000),
        ..plan.clone()
    };
    let value = store
        .propose_modification(
            "breakfast",
            ModificationKind::Value,
            "材料涨价。",
            &dearer,
            &by(),
        )
        .await
        .unwrap();
    assert_eq!(
        store.standing("breakfast").await.unwrap().plan,
        plan,
        "a proposal changes nothing yet"
    );
    let office = Attribution {
        actor: "wang.fang".into(),
        at_ms: 30_000,
    };
    let approved = store
        .decide_modification(duration.id, true, "", &office)
        .await
        .unwrap();
    assert_eq!(approved.status, ModificationStatus::Approved);
    assert!(matches!(
        store.decide_modification(value.id, false, "", &office).await,
        Err(StoreError::Declined(problem)) if problem.field == "note"
    ));
    let rejected = store
        .decide_modification(value.id, false, "请先压缩其他开支。", &office)
        .await
        .unwrap();
    assert_eq!(rejected.status, ModificationStatus::Rejected);
    assert!(matches!(
        store.decide_modification(value.id, true, "", &office).await,
        Err(StoreError::Declined(_))
    ));
    let standing = store.standing("breakfast").await.unwrap();
    assert_eq!(standing.plan.period_end.as_deref(), Some("2022-06-30"));
    assert_eq!(standing.plan.budget_yuan, Some(120_000_000));
    assert_eq!(
        standing.baseline.as_ref(),
        Some(&plan),
        "the baseline stays"
    );
    let statuses: Vec<ModificationStatus> =
        standing.modifications.iter().map(|m| m.status).collect();
    assert_eq!(
        statuses,
        [ModificationStatus::Approved, ModificationStatus::Rejected]
    );
    assert_eq!(
        standing.modifications[1].decision_note,
        "请先压缩其他开支。"
    );

    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<(&str, &str)> = entries[before.len()..]
        .iter()
        .map(|e| (e.change.action.as_str(), e.change.subject.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("project.plan", "project/breakfast"),
            ("decision.move_stage", "project/breakfast/stage"),
            ("decision.move_stage", "project/parking/stage"),
            ("decision.move_stage", "project/breakfast/stage"),
            ("modification.propose", "project/breakfast"),
            ("modification.propose", "project/breakfast"),
            ("modification.approve", "project/breakfast"),
            ("modification.reject", "project/breakfast"),
        ]
    );
}
