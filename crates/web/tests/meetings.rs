//! Joint meetings on the web, on both databases: the office convenes one and signs its
//! minutes through the forms; others are refused; the action items go on the supervision
//! board with their lights, a red one can be sent a notice, the owning department (and only
//! it) reports one done; the record, the follow-up lists and the audit trail show each step.

mod common;

use axum::http::StatusCode;
use common::*;
use minxin_domain::access::Role;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};
use serde_json::json;

/// The meeting a redirect to its page names.
fn meeting_id(response: &Response) -> i64 {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.headers["location"].to_str().unwrap();
    location
        .strip_prefix("/meetings/")
        .and_then(|rest| rest.split(['?', '#']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

/// The board's action items of meeting `id`, as `(item, owner, light)`.
async fn board_actions(router: &axum::Router, id: i64) -> Vec<(String, String, String)> {
    let board = call(router, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    board
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "action")
        .filter(|i| i["id"].as_str().unwrap().starts_with(&format!("J{id}-")))
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["owner"].as_str().unwrap().to_string(),
                i["light"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

async fn a_joint_meeting_sets_action_items_tracked_on_the_board<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    assert!(get(&router, "/meetings").await.denied);
    let office = as_office(&store, &router).await;
    let session = browser_session(&router, "office").await;
    let lead = as_staff(
        &store,
        &router,
        "test.commerce",
        Role::LeadDepartment,
        "commerce",
    )
    .await;
    let huangpu = as_staff(
        &store,
        &router,
        "test.huangpu",
        Role::DistrictOfficer,
        "310101",
    )
    .await;

    // Convened through the form, by the office alone; a call naming an unknown unit is refused.
    let call_form = "title=%E7%AC%AC%E4%BA%8C%E6%AC%A1%E8%81%94%E5%B8%AD%E4%BC%9A%E8%AE%AE&held_on=2021-06-18&venue=&chair=%E7%8E%8B%E4%B8%BB%E4%BB%BB\
        &attend=commerce&person.commerce=%E6%9D%8E%E5%A4%84%E9%95%BF&attend=310101&person.310101=\
        &agenda_topic.1=%E6%97%A9%E9%A4%90%E7%BD%91%E7%82%B9&agenda_project.1=breakfast";
    let convened = submit_as(&router, &session, "/meetings", "/meetings", call_form).await;
    let id = meeting_id(&convened);
    let refused = call(
        &lead,
        "POST",
        "/api/v1/meetings",
        Some(("application/json", json!({"title": "x", "held_on": "2021-06-18", "chair": "x", "attendees": [{"unit": "commerce", "person": ""}], "agenda": [{"topic": "x"}]}).to_string())),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unknown = call(
        &office,
        "POST",
        "/api/v1/meetings",
        Some(("application/json", json!({"title": "x", "held_on": "2021-06-18", "chair": "x", "attendees": [{"unit": "nowhere", "person": ""}], "agenda": [{"project": "breakfast", "topic": "x"}]}).to_string())),
        &[],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["problems"][0]["field"], "attendees[1].unit");
    let page = page_as(&router, &session, &format!("/meetings/{id}")).await;
    assert!(
        page.body.contains("录入并签发会议纪要"),
        "the office's form"
    );

    // The minutes, signed once: an action item due before the meeting is refused by field.
    let minutes = |due: &str| {
        format!(
            "minutes=%E4%BC%9A%E8%AE%AE%E5%90%AC%E5%8F%96%E4%BA%86%E6%B1%87%E6%8A%A5\
             &decision_text.1=%E5%B9%B4%E5%BA%95%E5%89%8D%E5%AE%8C%E6%88%90&decision_project.1=breakfast\
             &action_title.1=%E5%AE%8C%E6%88%90%E9%80%89%E5%9D%80&action_project.1=breakfast&action_department.1=commerce&action_due.1=2021-07-15\
             &action_title.2=%E5%BC%80%E8%AE%BE%E7%BD%91%E7%82%B9&action_project.2=breakfast&action_department.2=310101&action_due.2={due}"
        )
    };
    let path = format!("/meetings/{id}");
    let early = submit_as(
        &router,
        &session,
        &path,
        &format!("{path}/minutes"),
        &minutes("2021-06-01"),
    )
    .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(early.body.contains("第2项督办事项的完成时限应在会议之后"));
    let signed = submit_as(
        &router,
        &session,
        &path,
        &format!("{path}/minutes"),
        &minutes("2099-12-31"),
    )
    .await;
    assert_eq!(meeting_id(&signed), id);
    let again = call(
        &office,
        "POST",
        &format!("/api/v1/meetings/{id}/minutes"),
        Some(("application/json", json!({"minutes": "改写"}).to_string())),
        &[],
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "never edited: {}",
        again.body
    );

    // On the board: the first overdue (red), the second far off; each owner sees its own.
    let first = format!("J{id}-1");
    let second = format!("J{id}-2");
    assert_eq!(
        board_actions(&office, id).await,
        [
            (first.clone(), "commerce".to_string(), "red".to_string()),
            (second.clone(), "310101".to_string(), String::new())
        ]
    );
    assert_eq!(board_actions(&huangpu, id).await.len(), 1);
    let notice = json!({"about": {"project": "breakfast", "year": 2021, "kind": "action", "item": first, "owner": "commerce"}, "instructions": "请说明逾期原因。"});
    let sent = call(
        &office,
        "POST",
        "/api/v1/notices",
        Some(("application/json", notice.to_string())),
        &[],
    )
    .await;
    assert_eq!(
        sent.status,
        StatusCode::CREATED,
        "a notice on a red action item: {}",
        sent.body
    );

    // Reported done by the owning department alone; then off the board.
    let done = |note: &str| Some(("application/json", json!({"note": note}).to_string()));
    let not_theirs = call(
        &lead,
        "POST",
        &format!("/api/v1/meetings/{id}/actions/2/complete"),
        done("x"),
        &[],
    )
    .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let empty = call(
        &huangpu,
        "POST",
        &format!("/api/v1/meetings/{id}/actions/2/complete"),
        done(" "),
        &[],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reported = call(
        &huangpu,
        "POST",
        &format!("/api/v1/meetings/{id}/actions/2/complete"),
        done("网点已开设。"),
        &[],
    )
    .await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.body);
    assert_eq!(
        reported.json()["actions"][1]["completed"]["by"],
        "test.huangpu"
    );
    assert_eq!(board_actions(&office, id).await.len(), 1);

    // The record and the follow-up lists, one printed page per department.
    let record = visible_text(&page_as(&router, &session, &path).await.body);
    for shown in ["纪要已签发", "年底前完成", "红灯", "网点已开设。", "早餐"] {
        assert!(record.contains(shown), "{shown}: {record}");
    }
    let lists = page_as(&router, &session, &format!("{path}/follow-up"))
        .await
        .body;
    assert_eq!(lists.matches("class=\"sheet\"").count(), 2);
    let one = page_as(&router, &session, &format!("{path}/follow-up?unit=310101"))
        .await
        .body;
    assert_eq!(one.matches("class=\"sheet\"").count(), 1);
    assert!(one.contains(&second) && !one.contains(&first));
    let listed = page_as(&router, &session, "/meetings").await.body;
    assert!(listed.contains("第二次联席会议"));

    let (trail, _) = store.audit_log().await.unwrap();
    let steps: Vec<(&str, &str)> = trail
        .iter()
        .filter(|e| e.change.subject == format!("meeting/{id}"))
        .map(|e| (e.change.action.as_str(), e.change.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("meeting.convene", "office"),
            ("meeting.minutes", "office"),
            ("meeting.action_complete", "test.huangpu")
        ]
    );
}

on_both_databases!(
    a_joint_meeting_sets_action_items_tracked_on_the_board,
    meetings_on_sqlite,
    meetings_on_postgres
);
