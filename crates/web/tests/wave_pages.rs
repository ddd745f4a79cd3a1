//! The coordination office runs a wave from the web, on both databases: creates it (a bad
//! form is shown again with every problem in Chinese and the values kept), edits the draft,
//! opens and closes it after a confirmation page, and publishes its results from a page that
//! says what becomes public and warns, until acknowledged, when projects have too few
//! respondents. Each change is in the audit trail under the office's name.

mod common;

use axum::http::StatusCode;
use common::*;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};

/// Where a redirect sends the browser.
fn location(response: &Response) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.headers["location"].to_str().unwrap().to_string()
}

async fn the_office_runs_a_wave_from_the_web<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    let session = browser_session(&router, "office").await;
    let home = page_as(&router, &session, "/").await;
    assert!(
        home.body.contains("href=\"/waves/new\"") && home.body.contains("/manage\""),
        "the office's home page leads to the wave pages"
    );

    // A form with problems comes back with each of them in Chinese and the values kept.
    let form = page_as(&router, &session, "/waves/new").await;
    assert!(form.body.contains("新建一轮评价") && form.body.contains("name=\"quota.310104\""));
    let refused = submit_as(&router,
        &session,
        "/waves/new",
        "/waves/new",
        "name=2027+春季评价&period_start=2027-03-31&period_end=2027-03-01&quota.310104=many&project=parking",
    )
    .await;
    assert_eq!(refused.status, StatusCode::OK);
    let text = visible_text(&refused.body);
    assert!(
        text.contains("配额须为不小于 0 的整数。"),
        "the quota is named: {text}"
    );
    assert!(
        refused.body.contains("value=\"2027 春季评价\""),
        "{}",
        refused.body
    );
    let refused = submit_as(
        &router,
        &session,
        "/waves/new",
        "/waves/new",
        "name=2027+春季评价&period_start=2027-03-31&period_end=2027-03-01&project=parking",
    )
    .await;
    assert!(
        visible_text(&refused.body).contains("结束日期早于开始日期。"),
        "{}",
        refused.body
    );
    // Created as a draft, then edited.
    let created = submit_as(&router,
        &session,
        "/waves/new",
        "/waves/new",
        "name=2027+春季评价&period_start=2027-03-01&period_end=2027-03-31&quota.310104=80&project=parking&project=breakfast&cut_points=mean",
    )
    .await;
    let manage = location(&created);
    let id: i64 = manage
        .trim_start_matches("/waves/")
        .trim_end_matches("/manage")
        .parse()
        .unwrap();
    let record = store.wave(id).await.unwrap();
    assert_eq!(record.name, "2027 春季评价");
    assert_eq!(record.quotas["310104"], 80);
    assert_eq!(record.cut_points, "mean");
    // A second wave of the same name is refused in words, on the form.
    let taken = submit_as(
        &router,
        &session,
        "/waves/new",
        "/waves/new",
        "name=2027+春季评价&project=parking",
    )
    .await;
    assert!(
        visible_text(&taken.body).contains("已有名为“2027 春季评价”的调查"),
        "{}",
        taken.body
    );
    let shown = page_as(&router, &session, &manage).await;
    let text = visible_text(&shown.body);
    assert!(
        text.contains("筹备中")
            && text.contains("早餐工程")
            && text.contains("2027-03-01 至 2027-03-31"),
        "{text}"
    );
    let edit = page_as(&router, &session, &format!("/waves/{id}/edit")).await;
    assert!(
        edit.body.contains("value=\"2027 春季评价\"") && edit.body.contains("value=\"80\""),
        "the draft's values fill the form"
    );
    let edited = submit_as(&router,
        &session,
        &format!("/waves/{id}/edit"),
        &format!("/waves/{id}/edit"),
        "name=2027+春季评价（修订）&quota.310104=90&quota.310151=20&project=parking&project=breakfast&project=medical",
    )
    .await;
    assert_eq!(location(&edited), manage);
    let record = store.wave(id).await.unwrap();
    assert_eq!(record.name, "2027 春季评价（修订）");
    assert_eq!(record.quotas["310151"], 20);
    assert!(record.config.catalogue.contains("medical"));

    // Opening is confirmed first; it then takes responses and is no longer edited.
    let confirm = page_as(&router, &session, &format!("/waves/{id}/status?to=open")).await;
    assert!(
        visible_text(&confirm.body).contains("开始收集答卷？") && confirm.body.contains("确认开始"),
        "{}",
        confirm.body
    );
    assert_eq!(
        store.wave(id).await.unwrap().status,
        minxin_domain::platform::WaveStatus::Draft,
        "showing the confirmation changes nothing"
    );
    let opened = submit_as(
        &router,
        &session,
        &format!("/waves/{id}/status?to=open"),
        &format!("/waves/{id}/status"),
        "to=open",
    )
    .await;
    assert_eq!(location(&opened), manage);
    assert_eq!(
        store.wave(id).await.unwrap().status,
        minxin_domain::platform::WaveStatus::Open
    );
    let no_edit = page_as(&router, &session, &format!("/waves/{id}/edit")).await;
    assert_eq!(no_edit.status, StatusCode::CONFLICT);
    assert!(visible_text(&no_edit.body).contains("只有草稿可以修改"));
    let survey = get(&router, &format!("/waves/{id}/survey")).await;
    assert_eq!(survey.status, StatusCode::OK, "citizens may answer now");

    // Closed after its confirmation, which counts the responses.
    let confirm = page_as(&router, &session, &format!("/waves/{id}/status?to=closed")).await;
    assert!(visible_text(&confirm.body).contains("目前已收到 0 份"));
    let closed = submit_as(
        &router,
        &session,
        &format!("/waves/{id}/status?to=closed"),
        &format!("/waves/{id}/status"),
        "to=closed",
    )
    .await;
    assert_eq!(location(&closed), manage);

    // Publishing says what becomes public and warns: every project lacks respondents.
    let decide = page_as(&router, &session, &format!("/waves/{id}/publication")).await;
    let text = visible_text(&decide.body);
    assert!(
        text.contains("发布后向公众公开的内容")
            && text.contains("所有工程的答卷都不足")
            && text.contains("停车难综合治理（0 份）"),
        "{text}"
    );
    let unacknowledged = submit_as(
        &router,
        &session,
        &format!("/waves/{id}/publication"),
        &format!("/waves/{id}/publication"),
        "action=publish&statement=按计划发布",
    )
    .await;
    assert!(
        visible_text(&unacknowledged.body).contains("请勾选确认后再发布"),
        "{}",
        unacknowledged.body
    );
    let about_this_wave = |decisions: Vec<minxin_domain::decision::Decision>| {
        decisions
            .into_iter()
            .filter(|d| d.decision.subject == minxin_domain::subject::Subject::Wave(id))
            .count()
    };
    assert_eq!(about_this_wave(store.decisions().await.unwrap()), 0);
    let published = submit_as(
        &router,
        &session,
        &format!("/waves/{id}/publication"),
        &format!("/waves/{id}/publication"),
        "action=publish&statement=按计划发布&acknowledged=yes",
    )
    .await;
    assert_eq!(location(&published), format!("/waves/{id}"));
    let public = get(&router, &format!("/waves/{id}")).await;
    assert_eq!(
        public.status,
        StatusCode::OK,
        "published results are public"
    );

    // Every change is the office's, in the trail.
    let (trail, _) = store.audit_log().await.unwrap();
    let ours: Vec<&str> = trail
        .iter()
        .filter(|entry| entry.change.subject == format!("wave/{id}"))
        .map(|entry| entry.change.action.as_str())
        .collect();
    assert_eq!(
        ours,
        [
            "wave.create",
            "wave.edit",
            "wave.open",
            "wave.close",
            "decision.publish_results"
        ]
    );
    assert_eq!(about_this_wave(store.decisions().await.unwrap()), 1);
    assert!(trail
        .iter()
        .filter(|entry| entry.change.subject == format!("wave/{id}"))
        .all(|entry| entry.change.actor == "office"));
}
on_both_databases!(
    the_office_runs_a_wave_from_the_web,
    the_office_runs_a_wave_from_the_web_on_sqlite,
    the_office_runs_a_wave_from_the_web_on_postgres
);
