//! The project register on the web, on both databases: the demo's 16 projects listed and each
//! shown with its leader, steering body, departments with their duties, districts and the
//! citizens' evaluation of it; the register downloaded as a workbook; a new register loaded by
//! the office (all or nothing, every problem by field, audited) and refused to others; a
//! survey offered the register's projects and refused any other.

mod common;

use axum::http::StatusCode;
use common::*;
use minxin_domain::access::Role;
use minxin_domain::advancement::register::SHANGHAI_REGISTER;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};
use serde_json::json;

/// `PUT /api/v1/register` with `body` as TOML, on `router`.
async fn put_register(router: &axum::Router, body: &str) -> Response {
    call(
        router,
        "PUT",
        "/api/v1/register",
        Some(("application/toml", body.to_string())),
        &[],
    )
    .await
}

/// A register of one new project, led by a department the city knows already.
const NIGHT_MARKET: &str = r#"
[[project]]
code = "night-market"
name_zh = "夜间经济街区"
name_en = "Night-time streets"
summary_zh = "在各区打造夜间消费街区。"
leader_zh = "分管副市长（示例）"
steering = "task_force"
steering_zh = "夜间经济工作专班"
lead_department = "commerce"
districts = ["310101", "310104"]
start_year = 2022

[[project.participant]]
department = "transport"
duty_zh = "组织夜间公交。"
"#;

async fn the_register_on_the_web<S: Store>(store: S) {
    let (router, open, closed) = demo_platform(&store).await;

    // The list and the JSON, public.
    let listed = get(&router, "/api/v1/projects").await;
    assert_eq!(listed.status, StatusCode::OK);
    let projects = listed.json();
    assert_eq!(projects.as_array().unwrap().len(), 16);
    assert_eq!(projects[3]["code"], "breakfast");
    assert_eq!(projects[3]["lead"]["name_zh"], "市商务委（示例）");
    assert_eq!(projects[3]["districts_named"].as_array().unwrap().len(), 16);
    let page = get(&router, "/projects").await;
    let text = visible_text(&page.body);
    assert!(text.contains("项目一览（共16项）") && text.contains("市商务委（示例）"));
    assert!(page.body.contains("href=\"/projects/breakfast\""));
    let home = get(&router, "/").await;
    assert!(
        home.body.contains("href=\"/projects\""),
        "the home page leads to the register"
    );

    // One project: who leads it, who takes part with which duty, and what citizens thought.
    let breakfast = get(&router, "/projects/breakfast").await;
    assert_eq!(breakfast.status, StatusCode::OK);
    let text = visible_text(&breakfast.body);
    for shown in [
        "早餐工程工作专班",
        "分管副市长（示例）",
        "监督早餐食品安全。",
        "全市",
        "2020年",
    ] {
        assert!(text.contains(shown), "the project page shows {shown}");
    }
    assert!(
        breakfast
            .body
            .contains(&format!("href=\"/waves/{closed}/projects/breakfast\"")),
        "the published wave's evaluation is linked"
    );
    assert!(
        !breakfast
            .body
            .contains(&format!("href=\"/waves/{open}/projects/breakfast\"")),
        "the open wave's unpublished figures are not shown to the public"
    );
    let detail = get(&router, "/api/v1/projects/breakfast").await.json();
    let evaluation = detail["evaluation"].as_array().unwrap();
    assert_eq!(evaluation.len(), 1);
    assert!(evaluation[0]["project"]["satisfaction"].as_f64().unwrap() > 0.0);
    assert!(evaluation[0]["project"]["quadrant"].is_string());
    let english = get(&router, "/projects/breakfast?lang=en").await;
    assert!(visible_text(&english.body).contains("Breakfast outlets"));
    let missing = get(&router, "/projects/no-such-project").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("项目库中没有这个项目"));

    // The workbook a city edits.
    let workbook = get(&router, "/projects.xlsx").await;
    assert_eq!(workbook.status, StatusCode::OK);
    let sheets = minxin_interchange::read_sheets(workbook.bytes.clone()).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["部门", "项目", "配合部门"]);
    assert_eq!(sheets[1].rows.len(), 16);
    let csv = get(&router, "/projects.csv").await;
    assert!(csv.body.contains("早餐工程") && csv.body.starts_with('\u{feff}'));

    // Loading a register: the office may; a department and the public may not.
    let public = put_register(&router, NIGHT_MARKET).await;
    assert!(public.denied);
    let department = as_staff(
        &store,
        &router,
        "test.lead",
        Role::LeadDepartment,
        "commerce",
    )
    .await;
    assert!(put_register(&department, NIGHT_MARKET).await.denied);
    let office = as_office(&store, &router).await;
    let bad = put_register(&office, &NIGHT_MARKET.replace("2022", "1800")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["problems"][0]["field"], "project[0].start_year");
    let loaded = put_register(&office, NIGHT_MARKET).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    assert_eq!(loaded.json()["added"], json!(["night-market"]));
    assert_eq!(loaded.json()["kept"].as_array().unwrap().len(), 16);
    let again = put_register(&office, SHANGHAI_REGISTER).await;
    assert_eq!(again.json()["unchanged"].as_array().unwrap().len(), 16);
    let (trail, _) = store.audit_log().await.unwrap();
    let recorded = trail
        .iter()
        .find(|e| e.change.subject == "project/night-market")
        .unwrap();
    assert_eq!(
        (
            recorded.change.action.as_str(),
            recorded.change.actor.as_str()
        ),
        ("project.register", "test.office")
    );
    assert_eq!(
        get(&router, "/api/v1/projects").await.json()[16]["code"],
        "night-market"
    );

    // A new wave is offered the register's projects and refused any other.
    let form = call(
        &router,
        "GET",
        "/waves/new",
        None,
        &[("cookie", &browser_session(&router, "office").await)],
    )
    .await;
    assert!(
        form.body.contains("夜间经济街区"),
        "the wave form offers the new project"
    );
    let created = call(
        &office,
        "POST",
        "/api/v1/waves",
        Some((
            "application/json",
            json!({"name": "夜间经济评价", "projects": ["night-market", "breakfast"]}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let refused = call(
        &office,
        "POST",
        "/api/v1/waves",
        Some((
            "application/json",
            json!({"name": "未登记", "projects": ["no-such-project"]}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["problems"][0]["field"], "projects[0]");
}

on_both_databases!(
    the_register_on_the_web,
    the_register_on_the_web_on_sqlite,
    the_register_on_the_web_on_postgres
);
