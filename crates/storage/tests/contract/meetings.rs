//! The joint meetings port: minutes signed once with their decisions and action items in one
//! transaction; a decision superseded only by a later meeting's, once; action items on the
//! board, lit there as the domain lights them, until the owning department reports them done.

use minxin_domain::advancement::lights::{Light, LightSettings};
use minxin_domain::advancement::meeting::{
    AgendaItem, Attendee, DecisionRef, MeetingCall, MeetingMinutes, MeetingStatus, NewActionItem,
    NewMeetingDecision,
};
use minxin_domain::advancement::supervision::{BoardQuery, ItemKind, ItemQuery, LightClock};
use minxin_domain::calendar::{Day, WorkingDays};
use minxin_domain::platform::{Attribution, Store, StoreError};

use crate::by;

/// A call to a meeting on `held_on`.
fn call(title: &str, held_on: &str) -> MeetingCall {
    MeetingCall {
        title: title.into(),
        held_on: held_on.into(),
        venue: "市政府第一会议室".into(),
        chair: "王副秘书长".into(),
        attendees: vec![
            Attendee {
                unit: "housing-administration".into(),
                person: "李处长".into(),
            },
            Attendee {
                unit: "310104".into(),
                person: "赵副区长".into(),
            },
        ],
        agenda: vec![AgendaItem {
            project: Some("elevators".into()),
            topic: "加装电梯推进情况".into(),
        }],
    }
}

/// A decision about the elevators.
fn decision(text: &str, supersedes: Option<DecisionRef>) -> NewMeetingDecision {
    NewMeetingDecision {
        project: Some("elevators".into()),
        text: text.into(),
        supersedes,
    }
}

/// An action item on the elevators.
fn action(department: &str, title: &str, due: &str) -> NewActionItem {
    NewActionItem {
        project: "elevators".into(),
        department: department.into(),
        title: title.into(),
        due: due.into(),
    }
}

/// The action items on the elevators' board rows, open or not.
async fn action_rows<S: Store>(store: &S, open_only: bool) -> Vec<String> {
    store
        .commitment_states(&ItemQuery {
            project: Some("elevators".into()),
            open_only,
            ..ItemQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.kind == ItemKind::Action)
        .map(|i| i.item)
        .collect()
}

/// Meetings on a store holding the register and the organisation.
pub(crate) async fn contract<S: Store>(store: &S) {
    let (before, _) = store.audit_log().await.unwrap();
    assert!(store.meetings().await.unwrap().is_empty());
    assert!(matches!(
        store.meeting(1).await,
        Err(StoreError::Declined(_))
    ));
    let first = store
        .convene_meeting(&call("2021年第二次联席会议", "2021-06-18"), &by())
        .await
        .unwrap();
    assert_eq!(first.status, MeetingStatus::Convened);
    assert_eq!(first.call.attendees.len(), 2);
    let minutes = MeetingMinutes {
        minutes: "会议听取了加装电梯推进情况汇报。".into(),
        decisions: vec![decision("年底前完成100台加装。", None)],
        actions: vec![
            action("housing-administration", "印发审批简化办法", "2021-07-15"),
            action("310104", "完成20台开工", "2021-09-30"),
        ],
    };
    let signed = store
        .record_minutes(first.id, &minutes, "张主任", &by())
        .await
        .unwrap();
    assert_eq!(signed.status, MeetingStatus::Minuted);
    assert_eq!(signed.signed_by_name.as_deref(), Some("张主任"));
    let codes: Vec<&str> = signed.actions.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes,
        [format!("J{}-1", first.id), format!("J{}-2", first.id)]
    );
    assert_eq!(action_rows(store, true).await, codes);
    assert!(
        matches!(
            store
                .record_minutes(first.id, &minutes, "张主任", &by())
                .await,
            Err(StoreError::Declined(_))
        ),
        "minutes are signed once"
    );

    // On the board, lit as the domain lights them: the first item is overdue on 20 July.
    let calendar = WorkingDays::shipped();
    let settings = LightSettings::default();
    let day = Day::parse("2021-07-20").unwrap();
    let slice = store
        .board_slice(&BoardQuery {
            items: ItemQuery {
                project: Some("elevators".into()),
                ..ItemQuery::default()
            },
            lead: None,
            light: None,
            clock: LightClock::new(day, &calendar, settings).unwrap(),
            offset: 0,
            limit: 1000,
        })
        .await
        .unwrap();
    let lit: Vec<(String, Option<Light>, Option<Light>)> = slice
        .items
        .iter()
        .filter(|(i, _)| i.kind == ItemKind::Action)
        .map(|(i, light)| {
            (
                i.item.clone(),
                *light,
                i.light(day, &calendar, settings).unwrap(),
            )
        })
        .collect();
    assert_eq!(lit.len(), 2);
    assert!(lit.iter().all(|(_, board, domain)| board == domain));
    assert_eq!(
        lit[0],
        (codes[0].to_string(), Some(Light::Red), Some(Light::Red))
    );

    // A later meeting supersedes the decision, once; a failed signing writes nothing.
    let second = store
        .convene_meeting(&call("2021年第三次联席会议", "2021-09-10"), &by())
        .await
        .unwrap();
    let replaced = DecisionRef {
        meeting: first.id,
        number: 1,
    };
    let own = MeetingMinutes {
        minutes: "纪要".into(),
        decisions: vec![decision(
            "自我替代",
            Some(DecisionRef {
                meeting: second.id,
                number: 1,
            }),
        )],
        actions: vec![],
    };
    assert!(matches!(
        store.record_minutes(second.id, &own, "张主任", &by()).await,
        Err(StoreError::Declined(_))
    ));
    let superseding = MeetingMinutes {
        minutes: "会议决定调整年度目标。".into(),
        decisions: vec![decision("年底前完成80台加装。", Some(replaced))],
        actions: vec![action("310104", "报送调整方案", "2021-09-30")],
    };
    store
        .record_minutes(second.id, &superseding, "张主任", &by())
        .await
        .unwrap();
    let first_now = store.meeting(first.id).await.unwrap();
    assert_eq!(
        first_now.decisions[0].superseded_by,
        Some(DecisionRef {
            meeting: second.id,
            number: 1
        })
    );
    assert_eq!(
        first_now.decisions[0].decision, minutes.decisions[0],
        "never edited"
    );
    let third = store
        .convene_meeting(&call("2021年第四次联席会议", "2021-11-10"), &by())
        .await
        .unwrap();
    let again = MeetingMinutes {
        minutes: "纪要".into(),
        decisions: vec![decision("再次调整", Some(replaced))],
        actions: vec![action("310104", "不应写入", "2021-12-30")],
    };
    assert!(
        matches!(
            store
                .record_minutes(third.id, &again, "张主任", &by())
                .await,
            Err(StoreError::Declined(_))
        ),
        "a superseded decision is not superseded again"
    );
    let third_now = store.meeting(third.id).await.unwrap();
    assert_eq!(third_now.status, MeetingStatus::Convened);
    assert!(third_now.actions.is_empty() && third_now.decisions.is_empty());
    assert_eq!(
        action_rows(store, false).await.len(),
        3,
        "nothing half-written"
    );

    // The owning department reports an item done: off the board, once.
    let department = Attribution {
        actor: "housing.officer".into(),
        at_ms: 90_000,
    };
    let done = store
        .complete_action(first.id, 1, "办法已印发。", &department)
        .await
        .unwrap();
    let completion = done.actions[0].completed.as_ref().unwrap();
    assert_eq!(
        (completion.by.as_str(), completion.at_ms),
        ("housing.officer", 90_000)
    );
    assert_eq!(
        action_rows(store, true).await,
        [format!("J{}-2", first.id), format!("J{}-1", second.id)]
    );
    assert!(matches!(
        store
            .complete_action(first.id, 1, "again", &department)
            .await,
        Err(StoreError::Declined(_))
    ));
    assert!(matches!(
        store
            .complete_action(first.id, 9, "none", &department)
            .await,
        Err(StoreError::Declined(_))
    ));
    assert_eq!(store.meetings().await.unwrap().len(), 3);
    let (entries, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries[before.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "meeting.convene",
            "meeting.minutes",
            "meeting.convene",
            "meeting.minutes",
            "meeting.convene",
            "meeting.action_complete"
        ]
    );
}
