//! The progress port: reports only on a signed letter, one that counts per month and unit, a
//! returned one submitted again; reviewed, then accepted or returned with a reason; evidence
//! stored once by its SHA-256 and found only through its report; every step audited.

use minxin_domain::advancement::lights::{Light, LightSettings};
use minxin_domain::advancement::progress::{
    MilestoneReport, MilestoneStatus, ReportContent, ReportStatus, TargetReport,
};
use minxin_domain::advancement::supervision::{
    BoardQuery, CommitmentState, ItemKind, ItemQuery, LightClock, LightCounts,
};
use minxin_domain::calendar::{Day, WorkingDays};
use minxin_domain::platform::{Attribution, Store, StoreError};

use crate::by;

/// Progress on a store holding the elevators' signed 2021 letter and breakfast's draft one.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    let content = ReportContent {
        targets: vec![TargetReport {
            target: "t1".into(),
            district: Some("310101".into()),
            achieved: 120.5,
        }],
        milestones: vec![MilestoneReport {
            milestone: "m1".into(),
            status: MilestoneStatus::PartiallyMet,
        }],
        physical_percent: None,
        financial_percent: None,
        note: "进展顺利。".into(),
        links: vec!["https://example.org/photos".into()],
    };
    assert!(
        matches!(
            store
                .submit_report("breakfast", 2021, "2021-06", "310101", &content, &by())
                .await,
            Err(StoreError::Declined(_))
        ),
        "the letter is not signed"
    );
    let district = Attribution {
        actor: "huangpu.officer".into(),
        at_ms: 50_000,
    };
    let june = store
        .submit_report("elevators", 2021, "2021-06", "310101", &content, &district)
        .await
        .unwrap();
    assert_eq!(june.status, ReportStatus::Submitted);
    assert_eq!(june.content, content, "read back as written");
    assert!(
        matches!(
            store
                .submit_report("elevators", 2021, "2021-06", "310101", &content, &district)
                .await,
            Err(StoreError::Declined(_))
        ),
        "one report that counts per month and unit"
    );
    assert!(
        matches!(
            store.decide_report(june.id, true, "", &by()).await,
            Err(StoreError::Declined(_))
        ),
        "accepted only once reviewed"
    );

    // Evidence: stored by its SHA-256, found only through the report it is attached to.
    let pdf = b"%PDF-1.7 evidence".to_vec();
    let file = store
        .attach_evidence(june.id, "验收单.pdf", "application/pdf", &pdf, &district)
        .await
        .unwrap();
    assert_eq!(file.size, pdf.len() as u64);
    assert_eq!(file.sha256.len(), 64);
    assert_eq!(
        store.evidence(june.id, &file.sha256).await.unwrap(),
        Some(("application/pdf".to_string(), pdf.clone()))
    );
    assert_eq!(
        store.evidence(june.id + 1, &file.sha256).await.unwrap(),
        None
    );
    assert_eq!(store.evidence(june.id, "not-a-digest").await.unwrap(), None);

    // Returned with a reason, submitted again, reviewed and accepted.
    assert!(matches!(
        store.decide_report(june.id, false, " ", &by()).await,
        Err(StoreError::Declined(problem)) if problem.field == "reason"
    ));
    let returned = store
        .decide_report(june.id, false, "请补充现场照片。", &by())
        .await
        .unwrap();
    assert_eq!(
        (returned.status, returned.return_reason.as_str()),
        (ReportStatus::Returned, "请补充现场照片。")
    );
    assert!(matches!(
        store
            .attach_evidence(june.id, "照片.pdf", "application/pdf", &pdf, &district)
            .await,
        Err(StoreError::Declined(_))
    ));
    let again = store
        .submit_report("elevators", 2021, "2021-06", "310101", &content, &district)
        .await
        .unwrap();
    let reviewed = store.review_report(again.id, &by()).await.unwrap();
    assert_eq!(reviewed.reviewed_by.as_deref(), Some("officer.zhang"));
    assert!(matches!(
        store.review_report(again.id, &by()).await,
        Err(StoreError::Declined(_))
    ));
    let accepted = store
        .decide_report(again.id, true, "", &by())
        .await
        .unwrap();
    assert_eq!(accepted.status, ReportStatus::Accepted);
    let reports = store.reports("elevators", 2021).await.unwrap();
    let statuses: Vec<ReportStatus> = reports.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [ReportStatus::Returned, ReportStatus::Accepted]);
    assert_eq!(
        reports[0].evidence,
        [file],
        "the evidence stays with its report"
    );
    assert_eq!(store.report(again.id).await.unwrap(), Some(accepted));

    states(store, &content, &district).await;

    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<(&str, &str)> = entries[before.len()..]
        .iter()
        .map(|e| (e.change.action.as_str(), e.change.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("report.submit", "huangpu.officer"),
            ("report.evidence", "huangpu.officer"),
            ("report.return", "officer.zhang"),
            ("report.submit", "huangpu.officer"),
            ("report.review", "officer.zhang"),
            ("report.accept", "officer.zhang"),
            ("report.submit", "huangpu.officer"),
            ("report.return", "officer.zhang"),
        ]
    );
}

/// The items under supervision follow the reports: the accepted June report sets the Huangpu
/// share and the first milestone; a July report that completes both takes them off the open
/// list, and returning it brings June's figures back with the unit marked returned.
async fn states<S: Store>(store: &S, june: &ReportContent, district: &Attribution) {
    let open = ItemQuery {
        signed_only: true,
        open_only: true,
        ..ItemQuery::default()
    };
    let find = |items: &[CommitmentState], item: &str, owner: &str| {
        items
            .iter()
            .find(|i| i.item == item && i.owner == owner)
            .cloned()
    };
    let items = store.commitment_states(&open).await.unwrap();
    let keys: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i.item.as_str(), i.owner.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("t1", "310104"),
            ("t1", "310101"),
            ("m1", "310101"),
            ("m2", "housing-administration")
        ],
        "the letter's order: targets by share, then milestones; breakfast's draft has none"
    );
    let share = find(&items, "t1", "310101").unwrap();
    assert_eq!(
        (share.kind, share.planned, share.achieved, share.returned),
        (ItemKind::Target, Some(400.0), Some(120.5), false)
    );
    lights_agree(store).await;
    assert_eq!(share.district.as_deref(), Some("310101"));
    assert_eq!(share.lead, "housing-administration");
    assert_eq!(find(&items, "t1", "310104").unwrap().achieved, None);
    assert_eq!(
        find(&items, "m1", "310101").unwrap().milestone_status,
        Some(MilestoneStatus::PartiallyMet)
    );

    let mut july = june.clone();
    july.targets[0].achieved = 400.0;
    july.milestones[0].status = MilestoneStatus::Met;
    let report = store
        .submit_report("elevators", 2021, "2021-07", "310101", &july, district)
        .await
        .unwrap();
    let items = store.commitment_states(&open).await.unwrap();
    assert!(
        find(&items, "t1", "310101").is_none() && find(&items, "m1", "310101").is_none(),
        "done items leave the open list"
    );
    lights_agree(store).await;
    let all = store
        .commitment_states(&ItemQuery {
            owner: Some("310101".into()),
            ..ItemQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        2,
        "the district's share and milestone, done or not"
    );
    assert!(all.iter().all(CommitmentState::done));

    store
        .decide_report(report.id, false, "数字与台账不符。", &by())
        .await
        .unwrap();
    lights_agree(store).await;
    let items = store.commitment_states(&open).await.unwrap();
    let share = find(&items, "t1", "310101").unwrap();
    assert_eq!((share.achieved, share.returned), (Some(120.5), true));
    assert_eq!(
        find(&items, "m1", "310101").unwrap().milestone_status,
        Some(MilestoneStatus::PartiallyMet)
    );
    assert!(
        !find(&items, "t1", "310104").unwrap().returned,
        "another unit is not marked"
    );
    let none = store
        .commitment_states(&ItemQuery {
            project: Some("breakfast".into()),
            ..ItemQuery::default()
        })
        .await
        .unwrap();
    assert!(
        none.is_empty(),
        "a draft letter's items are not yet under supervision"
    );
}

/// The store lights the board as `CommitmentState::light` does, on days around each deadline
/// and across the pro-rata schedule, counts and order included; it pages and filters.
async fn lights_agree<S: Store>(store: &S) {
    let calendar = WorkingDays::shipped();
    let settings = LightSettings::default();
    let open = ItemQuery {
        signed_only: true,
        open_only: true,
        ..ItemQuery::default()
    };
    let items = store.commitment_states(&open).await.unwrap();
    for today in [
        "2020-12-31",
        "2021-01-01",
        "2021-03-24",
        "2021-03-25",
        "2021-03-31",
        "2021-04-01",
        "2021-06-23",
        "2021-06-24",
        "2021-06-30",
        "2021-07-01",
        "2021-09-30",
        "2021-12-24",
        "2021-12-31",
        "2022-01-04",
    ] {
        let day = Day::parse(today).unwrap();
        let clock = LightClock::new(day, &calendar, settings).unwrap();
        let query = BoardQuery {
            items: ItemQuery::default(),
            lead: None,
            light: None,
            clock,
            offset: 0,
            limit: 1000,
        };
        let slice = store.board_slice(&query).await.unwrap();
        let mut expected: Vec<(Option<Light>, String, String, String)> = items
            .iter()
            .map(|i| {
                let light = i.light(day, &calendar, settings).unwrap();
                (light, i.due.clone(), i.item.clone(), i.owner.clone())
            })
            .collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let found: Vec<(Option<Light>, String, String, String)> = slice
            .items
            .iter()
            .map(|(i, light)| (*light, i.due.clone(), i.item.clone(), i.owner.clone()))
            .collect();
        let lights = |list: &[(Option<Light>, String, String, String)]| {
            list.iter()
                .map(|(light, _, item, owner)| (*light, item.clone(), owner.clone()))
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(lights(&found), lights(&expected), "on {today}");
        let ranks = |list: &[(Option<Light>, String, String, String)]| {
            list.iter()
                .map(|(light, due, _, _)| (*light, due.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ranks(&found),
            ranks(&expected),
            "worst first, then by due date, on {today}"
        );
        let mut counts = LightCounts::default();
        expected.iter().for_each(|(light, ..)| counts.add(*light));
        assert_eq!(slice.counts, counts, "on {today}");
        // One light, one page.
        let worst = expected[0].0;
        let paged = store
            .board_slice(&BoardQuery {
                light: Some(worst),
                offset: 1,
                limit: 1,
                ..query.clone()
            })
            .await
            .unwrap();
        let of_worst = expected.iter().filter(|e| e.0 == worst).count();
        assert_eq!(paged.counts.total(), of_worst, "on {today}");
        assert_eq!(paged.items.len(), usize::from(of_worst > 1), "on {today}");
    }
    let led = store
        .board_slice(&BoardQuery {
            items: ItemQuery {
                owner: Some("310104".into()),
                ..ItemQuery::default()
            },
            lead: Some("housing-administration".into()),
            light: None,
            clock: LightClock::new(Day::parse("2021-05-01").unwrap(), &calendar, settings).unwrap(),
            offset: 0,
            limit: 10,
        })
        .await
        .unwrap();
    assert!(led.items.iter().all(|(i, _)| i.owner == "310104"));
    assert_eq!(
        led.counts.total(),
        items.iter().filter(|i| i.owner == "310104").count()
    );
    let nobody = store
        .board_slice(&BoardQuery {
            lead: Some("commerce".into()),
            ..BoardQuery {
                items: ItemQuery::default(),
                lead: None,
                light: None,
                clock: LightClock::new(Day::parse("2021-05-01").unwrap(), &calendar, settings)
                    .unwrap(),
                offset: 0,
                limit: 10,
            }
        })
        .await
        .unwrap();
    assert_eq!(
        nobody.counts.total(),
        0,
        "commerce leads no project with a signed letter here"
    );
}
