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
department = "planning"
duty_zh = "规划夜间街区。"
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

/// Where a redirect sends the browser.
fn location(response: &Response) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.headers["location"].to_str().unwrap().to_string()
}

async fn a_project_moves_through_its_stages_on_the_web<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    // A project of its own, in identification (the demo's are in implementation).
    let loaded = put_register(&as_office(&store, &router).await, NIGHT_MARKET).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    let page = "/projects/night-market";

    // Who sees the section and which forms.
    let public = get(&router, page).await;
    assert!(
        !public.body.contains("项目阶段与计划"),
        "internal until published"
    );
    let office = browser_session(&router, "office").await;
    let shown = page_as(&router, &office, page).await;
    let text = visible_text(&shown.body);
    assert!(
        text.contains("当前阶段： 准备") || text.contains("当前阶段：准备"),
        "{text}"
    );
    assert!(shown
        .body
        .contains("action=\"/projects/night-market/stage\""));
    let lead = browser_session(&router, "commerce").await;
    let shown = page_as(&router, &lead, page).await;
    assert!(shown
        .body
        .contains("action=\"/projects/night-market/plan\""));
    assert!(
        !shown
            .body
            .contains("action=\"/projects/night-market/stage\""),
        "the lead department does not move stages"
    );
    let participating = browser_session(&router, "planning").await;
    let shown = page_as(&router, &participating, page).await;
    assert!(shown.body.contains("项目阶段与计划"));
    assert!(
        !shown
            .body
            .contains("action=\"/projects/night-market/plan\""),
        "a participating department reads the plan, and does not set it"
    );

    // The office cannot skip preparation, and a stage decision needs its reasons.
    let skipped = submit_as(
        &router,
        &office,
        page,
        "/projects/night-market/stage",
        "to=implementation&statement=%E5%90%8C%E6%84%8F",
    )
    .await;
    assert_eq!(skipped.status, StatusCode::OK);
    assert!(visible_text(&skipped.body).contains("只能调整为：前期准备、已撤销"));
    let silent = submit_as(
        &router,
        &office,
        page,
        "/projects/night-market/stage",
        "to=preparation&statement=",
    )
    .await;
    assert!(visible_text(&silent.body).contains("请写明调整阶段的理由"));
    let moved = submit_as(
        &router,
        &office,
        page,
        "/projects/night-market/stage",
        "to=preparation&statement=%E5%B7%B2%E5%AE%8C%E6%88%90%E7%AB%8B%E9%A1%B9",
    )
    .await;
    assert_eq!(location(&moved), "/projects/night-market#stage");

    // The lead department plans; implementation freezes the plan.
    let bad = submit_as(
        &router,
        &lead,
        page,
        "/projects/night-market/plan",
        "period_start=2021-01-01&period_end=2021-12-31&budget_wan=%E5%A4%9A",
    )
    .await;
    assert!(visible_text(&bad.body).contains("不是0至1亿万元之间的数"));
    let planned = submit_as(&router, &lead, page, "/projects/night-market/plan", "period_start=2021-01-01&period_end=2021-12-31&budget_wan=12000&scope_zh=%E6%96%B0%E5%A2%9E%E7%BD%91%E7%82%B9").await;
    assert_eq!(location(&planned), "/projects/night-market#stage");
    let implementing = submit_as(
        &router,
        &office,
        page,
        "/projects/night-market/stage",
        "to=implementation&statement=%E8%AE%A1%E5%88%92%E5%B7%B2%E6%89%B9%E5%A4%8D",
    )
    .await;
    assert_eq!(location(&implementing), "/projects/night-market#stage");
    let standing = call(
        &as_office(&store, &router).await,
        "GET",
        "/api/v1/projects/night-market/standing",
        None,
        &[],
    )
    .await
    .json();
    assert_eq!(standing["status"], "implementation");
    assert_eq!(standing["baseline"]["budget_yuan"], 120_000_000);
    let frozen = submit_as(
        &router,
        &lead,
        page,
        "/projects/night-market/plan",
        "period_start=2021-01-01&period_end=2022-12-31&budget_wan=1",
    )
    .await;
    assert!(visible_text(&frozen.body).contains("计划已冻结为基线"));

    // A modification: proposed by the lead department, approved by the office.
    let proposed = submit_as(&router, &lead, page, "/projects/night-market/modifications", "kind=duration&period_start=2021-01-01&period_end=2022-06-30&budget_wan=12000&reason=%E9%80%89%E5%9D%80%E5%9B%B0%E9%9A%BE").await;
    assert_eq!(location(&proposed), "/projects/night-market#stage");
    let id = call(
        &as_office(&store, &router).await,
        "GET",
        "/api/v1/projects/night-market/standing",
        None,
        &[],
    )
    .await
    .json()["modifications"][0]["id"]
        .as_i64()
        .unwrap();
    let by_lead = submit_as(
        &router,
        &lead,
        page,
        &format!("/projects/night-market/modifications/{id}"),
        "decision=approve&note=",
    )
    .await;
    assert!(visible_text(&by_lead.body).contains("计划变更须由市协调办审批"));
    let approved = submit_as(
        &router,
        &office,
        page,
        &format!("/projects/night-market/modifications/{id}"),
        "decision=approve&note=",
    )
    .await;
    assert_eq!(location(&approved), "/projects/night-market#stage");
    let shown = visible_text(&page_as(&router, &office, page).await.body);
    for expected in [
        "基线（实施开始时冻结）",
        "2021-12-31",
        "2022-06-30",
        "12000万元",
        "已批准",
        "工期调整",
        "当前阶段：",
    ] {
        assert!(
            shown.contains(expected),
            "the page shows {expected}: {shown}"
        );
    }

    // Through the API: a participating department may not plan; the office moves on.
    let planning = as_staff(
        &store,
        &router,
        "test.planning",
        Role::ParticipatingDepartment,
        "planning",
    )
    .await;
    let refused = call(
        &planning,
        "PUT",
        "/api/v1/projects/night-market/plan",
        Some((
            "application/json",
            json!({"period_start": "2021-01-01"}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let api_office = as_office(&store, &router).await;
    let completed = call(
        &api_office,
        "POST",
        "/api/v1/projects/night-market/stage",
        Some((
            "application/json",
            json!({"to": "completion", "statement": "已完成验收。"}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(completed.status, StatusCode::CREATED, "{}", completed.body);
    assert_eq!(completed.json()["kind"], "stage.completion");
    assert_eq!(completed.json()["supersedes"], standing["stage_decision"]);
    let backwards = call(
        &api_office,
        "POST",
        "/api/v1/projects/night-market/stage",
        Some((
            "application/json",
            json!({"to": "preparation", "statement": "重来"}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(backwards.status, StatusCode::CONFLICT);
    let (trail, _) = store.audit_log().await.unwrap();
    let moves: Vec<&str> = trail
        .iter()
        .filter(|e| e.change.subject == "project/night-market/stage")
        .map(|e| e.change.actor.as_str())
        .collect();
    assert_eq!(moves, ["office", "office", "test.office"]);
    let stage_decisions = |decisions: serde_json::Value| {
        decisions
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["subject"] == "project/night-market/stage")
            .count()
    };
    assert_eq!(
        stage_decisions(get(&router, "/api/v1/decisions").await.json()),
        0,
        "the public does not see unpublished stage decisions"
    );
    assert_eq!(
        stage_decisions(get(&api_office, "/api/v1/decisions").await.json()),
        3
    );
}

/// The text a reader sees, without any white space (so that words split by markup meet).
fn bare_text(html: &str) -> String {
    visible_text(html).split_whitespace().collect()
}

/// Posts `file` as the multipart upload of a letter's workbook, with the CSRF token of the
/// letter's page.
async fn upload(router: &axum::Router, session: &str, letter: &str, file: Vec<u8>) -> Response {
    let shown = page_as(router, session, letter).await;
    let csrf = hidden_field(&shown.body, "csrf");
    let boundary = "letter-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"letter.xlsx\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    send(
        router,
        "POST",
        &format!("{letter}/workbook"),
        Some((&format!("multipart/form-data; boundary={boundary}"), body)),
        &[("cookie", session)],
    )
    .await
}

async fn a_letter_is_drafted_in_excel_issued_and_signed<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;

    // The demo's letters.
    let office = browser_session(&router, "office").await;
    let project = page_as(&router, &office, "/projects/breakfast").await;
    assert!(bare_text(&project.body).contains("2021年度责任书：已签收"));
    let letter = page_as(&router, &office, "/projects/breakfast/letters/2021").await;
    let text = bare_text(&letter.body);
    for shown in [
        "2021年度早餐工程责任书",
        "印发实施方案",
        "新增早餐网点",
        "1600个",
        "黄浦区100",
        "市商务委演示用户",
    ] {
        assert!(text.contains(shown), "the letter shows {shown}: {text}");
    }
    assert!(
        get(&router, "/projects/breakfast/letters/2021")
            .await
            .denied,
        "internal"
    );
    let parking = page_as(&router, &office, "/projects/parking/letters/2021").await;
    assert!(bare_text(&parking.body).contains("已下达，待签收"));

    // A new project's letter: started by the office, written in Excel by the lead department.
    let loaded = put_register(&as_office(&store, &router).await, NIGHT_MARKET).await;
    assert_eq!(loaded.status, StatusCode::OK);
    let started = submit_as(
        &router,
        &office,
        "/projects/night-market",
        "/projects/night-market/letters",
        "year=2022",
    )
    .await;
    assert_eq!(location(&started), "/projects/night-market/letters/2022");
    let again = submit_as(
        &router,
        &office,
        "/projects/night-market",
        "/projects/night-market/letters",
        "year=2022",
    )
    .await;
    assert!(bare_text(&again.body).contains("2022年的责任书已经存在"));
    let lead = browser_session(&router, "commerce").await;
    let letter = "/projects/night-market/letters/2022";
    let template = page_as(&router, &lead, &format!("{letter}/workbook")).await;
    assert_eq!(template.status, StatusCode::OK);
    let mut sheets = minxin_interchange::read_sheets(template.bytes.clone()).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["时间表", "任务书", "分区任务", "路线图"]);
    let row = |number: u32, cells: &[&str]| minxin_domain::tabular::SheetRow {
        number,
        cells: cells.iter().map(|c| c.to_string()).collect(),
    };
    sheets[0].rows = vec![
        row(
            2,
            &[
                "m1",
                "街区方案获批",
                "",
                "审批",
                "2022-03-31",
                "市商务委（示例）",
                "王五",
            ],
        ),
        row(
            3,
            &["m2", "街区开街", "", "交付", "2022-09-30", "黄浦区", "赵六"],
        ),
    ];
    sheets[1].rows = vec![row(
        2,
        &[
            "t1",
            "开放夜间街区",
            "",
            "条",
            "streets",
            "10",
            "2022-12-31",
            "commerce",
        ],
    )];
    sheets[2].rows = vec![
        row(2, &["t1", "黄浦区", "4"]),
        row(3, &["t1", "徐汇区", "5"]),
    ];
    sheets[3].rows = vec![row(2, &["筹备", "", "m1"]), row(3, &["开街", "", "m2"])];
    let wrong = upload(
        &router,
        &lead,
        letter,
        minxin_interchange::write_sheets(&sheets).unwrap(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::OK);
    let wrong_text = bare_text(&wrong.body);
    assert!(
        wrong_text.contains("分区任务（任务书第2行的任务）")
            && wrong_text.contains("各区分解数之和为9，与目标数量10不符"),
        "{wrong_text}"
    );
    sheets[2].rows[1].cells[2] = "6".into();
    let uploaded = upload(
        &router,
        &lead,
        letter,
        minxin_interchange::write_sheets(&sheets).unwrap(),
    )
    .await;
    assert_eq!(location(&uploaded), letter);
    let shown = bare_text(&page_as(&router, &lead, letter).await.body);
    assert!(
        shown.contains("街区开街") && shown.contains("徐汇区6") && shown.contains("筹备"),
        "{shown}"
    );
    assert!(
        !page_as(&router, &lead, letter)
            .await
            .body
            .contains("/issue\""),
        "the lead department does not issue"
    );

    // Issued by the office, signed by the lead department, then fixed.
    let issued = submit_as(
        &router,
        &office,
        letter,
        &format!("{letter}/issue"),
        "action=issue",
    )
    .await;
    assert_eq!(location(&issued), letter);
    let by_office = submit_as(&router, &office, letter, &format!("{letter}/accept"), "").await;
    assert!(bare_text(&by_office.body).contains("责任书由本项目的牵头部门签收"));
    let signed = submit_as(&router, &lead, letter, &format!("{letter}/accept"), "").await;
    assert_eq!(location(&signed), letter);
    let api_lead = as_staff(
        &store,
        &router,
        "test.lead",
        Role::LeadDepartment,
        "commerce",
    )
    .await;
    let letters = call(
        &api_lead,
        "GET",
        "/api/v1/projects/night-market/letters",
        None,
        &[],
    )
    .await
    .json();
    assert_eq!(letters[0]["status"], "accepted");
    assert_eq!(letters[0]["accepted_by_name"], "市商务委 演示用户");
    assert_eq!(letters[0]["commitments"]["milestones"][1]["unit"], "310101");
    let late = call(
        &api_lead,
        "PUT",
        "/api/v1/projects/night-market/letters/2022",
        Some((
            "application/json",
            json!({"milestones": [], "targets": [], "phases": []}).to_string(),
        )),
        &[],
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    let (trail, _) = store.audit_log().await.unwrap();
    let steps: Vec<(&str, &str)> = trail
        .iter()
        .filter(|e| e.change.subject == "project/night-market/letter/2022")
        .map(|e| (e.change.action.as_str(), e.change.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("letter.create", "office"),
            ("letter.edit", "commerce"),
            ("letter.issue", "office"),
            ("letter.accept", "commerce"),
        ]
    );
}

async fn a_district_reports_its_share_and_the_report_is_reviewed_and_accepted<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    let page = "/projects/breakfast/letters/2021/progress";
    let huangpu = browser_session(&router, "huangpu").await;
    let shown = page_as(&router, &huangpu, page).await;
    assert_eq!(
        shown.status,
        StatusCode::OK,
        "a district follows the delivery in it"
    );
    assert!(shown.body.contains("name=\"t.t1.310101\""));
    assert!(
        !shown.body.contains("name=\"t.t1.310104\""),
        "only its own share"
    );
    assert!(bare_text(&shown.body).contains("黄浦区：报送进展"));
    assert!(
        get(&router, page).await.denied,
        "not the public's until published"
    );

    let sent = submit_as(
        &router,
        &huangpu,
        page,
        page,
        "unit=310101&month=2021-06&t.t1.310101=60&note=%E9%A1%BA%E5%88%A9",
    )
    .await;
    assert_eq!(location(&sent), page);
    let twice = submit_as(
        &router,
        &huangpu,
        page,
        page,
        "unit=310101&month=2021-06&t.t1.310101=70",
    )
    .await;
    assert!(bare_text(&twice.body).contains("2021-06的进展已报送"));
    let other = submit_as(
        &router,
        &huangpu,
        page,
        page,
        "unit=310101&month=2021-07&t.t1.310104=5",
    )
    .await;
    assert!(bare_text(&other.body).contains("不由本单位报送"));
    let not_mine = submit_as(
        &router,
        &huangpu,
        page,
        page,
        "unit=310104&month=2021-07&t.t1.310104=5",
    )
    .await;
    assert!(bare_text(&not_mine.body).contains("只能为本单位承担的任务报送进展"));

    // The district's page of what it owns, reached from the register.
    let register_page = page_as(&router, &huangpu, "/projects").await;
    assert!(register_page
        .body
        .contains("href=\"/districts/310101/commitments\""));
    let owned = page_as(&router, &huangpu, "/districts/310101/commitments").await;
    let owned_text = bare_text(&owned.body);
    assert!(
        owned_text.contains("黄浦区承担的任务") && owned_text.contains("新增早餐网点"),
        "{owned_text}"
    );
    assert!(
        owned_text.contains("新增早餐网点100个60"),
        "its share and its figure: {owned_text}"
    );
    assert!(
        owned_text.contains("未报"),
        "the shares it has not reported on"
    );
    assert!(
        page_as(&router, &huangpu, "/districts/310104/commitments")
            .await
            .denied
    );
    assert!(get(&router, "/districts/310101/commitments").await.denied);

    let office_api = as_office(&store, &router).await;
    let progress = call(
        &office_api,
        "GET",
        "/api/v1/projects/breakfast/letters/2021/progress",
        None,
        &[],
    )
    .await
    .json();
    let huangpu_part = progress["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["district"] == "310101")
        .unwrap()
        .clone();
    assert_eq!(huangpu_part["achieved"], 60.0);
    assert!(
        progress["project"]["value"].is_null(),
        "the other districts are missing, not 0"
    );
    assert!((progress["project"]["reported"].as_f64().unwrap() - 0.6).abs() < 1e-9);
    assert!(progress["missing"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m != &json!(["2021-06", "310101"])));
    let id = progress["reports"][0]["id"].as_i64().unwrap();
    let public_share = |delivery: &serde_json::Value| {
        delivery["targets"][0]["shares"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["district"] == "310101")
            .unwrap()["achieved"]
            .clone()
    };
    let published = get(&router, "/api/v1/projects/breakfast/delivery").await;
    assert_eq!(
        published.status,
        StatusCode::OK,
        "the demo publishes breakfast"
    );
    assert!(
        public_share(&published.json()).is_null(),
        "a report not yet accepted is not public"
    );

    // The lead department reviews it, the office accepts it; the district cannot do either.
    let step = format!("/projects/breakfast/progress/{id}");
    let by_district = submit_as(&router, &huangpu, page, &step, "step=review&reason=").await;
    assert!(bare_text(&by_district.body).contains("进展报告由牵头部门审核"));
    let lead = browser_session(&router, "commerce").await;
    let reviewed = submit_as(&router, &lead, page, &step, "step=review&reason=").await;
    assert_eq!(location(&reviewed), page);
    let office = browser_session(&router, "office").await;
    let accepted = submit_as(&router, &office, page, &step, "step=accept&reason=").await;
    assert_eq!(location(&accepted), page);
    let text = bare_text(&page_as(&router, &office, page).await.body);
    assert!(
        text.contains("市协调办已确认") && text.contains("缺报（已报部分完成"),
        "{text}"
    );
    // What the public sees: the accepted figure, never the note; then withdrawn by the office
    // (internal again), and published once more through the API.
    let delivery = get(&router, "/api/v1/projects/breakfast/delivery").await;
    assert_eq!(public_share(&delivery.json()), json!(60.0));
    assert!(
        delivery.json()["targets"][0]["achieved"].is_null(),
        "the other districts are missing"
    );
    assert!(
        !delivery.body.contains("顺利"),
        "internal notes stay internal"
    );
    let public_page = bare_text(&get(&router, "/projects/breakfast").await.body);
    assert!(
        public_page.contains("推进情况") && public_page.contains("黄浦区2021-12-3160/100"),
        "{public_page}"
    );
    assert!(
        !public_page.contains("责任书事项及灯色"),
        "the internal section is not shown"
    );
    let withdraw = "action=withdraw&statement=%E6%95%B0%E6%8D%AE%E6%A0%B8%E5%AF%B9%E4%B8%AD";
    let by_lead = submit_as(
        &router,
        &lead,
        "/projects/breakfast",
        "/projects/breakfast/publication",
        withdraw,
    )
    .await;
    assert_eq!(
        by_lead.status,
        StatusCode::FORBIDDEN,
        "only the office publishes"
    );
    let empty = submit_as(
        &router,
        &office,
        "/projects/breakfast",
        "/projects/breakfast/publication",
        "action=withdraw&statement=",
    )
    .await;
    assert!(
        bare_text(&empty.body).contains("请填写理由"),
        "the reasons are required"
    );
    let withdrawn = submit_as(
        &router,
        &office,
        "/projects/breakfast",
        "/projects/breakfast/publication",
        withdraw,
    )
    .await;
    assert_eq!(location(&withdrawn), "/projects/breakfast#publication");
    assert!(
        get(&router, "/api/v1/projects/breakfast/delivery")
            .await
            .denied
    );
    let internal_page = bare_text(&get(&router, "/projects/breakfast").await.body);
    assert!(!internal_page.contains("推进情况"), "{internal_page}");
    let office_page = bare_text(&page_as(&router, &office, "/projects/breakfast").await.body);
    assert!(
        office_page.contains("已撤回公开") && office_page.contains("数据核对中"),
        "{office_page}"
    );
    let again = post_json(
        &office_api,
        "/api/v1/projects/breakfast/publication",
        json!({"publish": true, "statement": "核对完毕"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let twice = post_json(
        &office_api,
        "/api/v1/projects/breakfast/publication",
        json!({"publish": true, "statement": "再次"}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(
        get(&router, "/api/v1/projects/breakfast/delivery")
            .await
            .status,
        StatusCode::OK
    );

    let (trail, _) = store.audit_log().await.unwrap();
    let decided: Vec<&str> = trail
        .iter()
        .filter(|e| e.change.subject == "project/breakfast")
        .map(|e| e.change.action.as_str())
        .collect();
    assert!(
        decided.ends_with(&["decision.withdraw_results", "decision.publish_results"]),
        "{decided:?}"
    );
    let steps: Vec<(&str, &str)> = trail
        .iter()
        .filter(|e| e.change.subject == format!("report/{id}"))
        .map(|e| (e.change.action.as_str(), e.change.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("report.submit", "huangpu"),
            ("report.review", "commerce"),
            ("report.accept", "office")
        ]
    );
}

async fn the_board_lights_each_open_item_for_those_who_see_it<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    assert!(get(&router, "/supervision").await.denied);
    let office = as_office(&store, &router).await;
    let items = call(&office, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    let items = items.as_array().unwrap().clone();
    // The demo's letters are for 2021: everything still open is overdue today.
    // Each signed letter: its target's share in each of the project's districts, and three
    // milestones.
    let projects = get(&router, "/api/v1/projects").await.json();
    let expected: usize = projects
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] != "parking")
        .map(|p| p["districts"].as_array().unwrap().len().max(1) + 3)
        .sum();
    // And the demo meeting's two action items still open (the third is reported done).
    let actions = items.iter().filter(|i| i["kind"] == "action").count();
    assert_eq!((items.len() - actions, actions), (expected, 2));
    assert!(items.iter().all(|i| i["light"] == "red"));
    assert!(
        items.iter().all(|i| i["project"] != "parking"),
        "an unsigned letter is not on the board"
    );
    let huangpu_share = |items: &[serde_json::Value]| {
        items
            .iter()
            .any(|i| i["project"] == "breakfast" && i["owner"] == "310101" && i["kind"] == "target")
    };
    assert!(huangpu_share(&items));

    // Each sees their part.
    let district = as_staff(
        &store,
        &router,
        "test.huangpu",
        Role::DistrictOfficer,
        "310101",
    )
    .await;
    let own = call(&district, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    let own = own.as_array().unwrap();
    assert!(!own.is_empty() && own.iter().all(|i| i["owner"] == "310101"));
    let lead = as_staff(
        &store,
        &router,
        "test.commerce",
        Role::LeadDepartment,
        "commerce",
    )
    .await;
    let led = call(&lead, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    assert!(led
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["project"] == "breakfast"));
    // A participating department sees the projects it takes part in, not those it leads.
    let planning = as_staff(
        &store,
        &router,
        "test.planning",
        Role::ParticipatingDepartment,
        "planning",
    )
    .await;
    let takes_part: Vec<String> = projects
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["participating"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "planning")
        })
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    let seen = call(&planning, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    let seen = seen.as_array().unwrap();
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|i| takes_part.contains(&i["project"].as_str().unwrap().to_string())),
        "{takes_part:?}"
    );
    assert!(
        seen.iter().all(|i| i["project"] != "huangpu-river"),
        "planning leads it"
    );
    let filtered = call(
        &office,
        "GET",
        "/api/v1/supervision?district=310104&light=red",
        None,
        &[],
    )
    .await
    .json();
    assert!(filtered
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["owner"] == "310104"));
    let none = call(&office, "GET", "/api/v1/supervision?light=blue", None, &[])
        .await
        .json();
    assert!(none.as_array().unwrap().is_empty());

    // A share reported done leaves the board.
    let huangpu = browser_session(&router, "huangpu").await;
    let progress = "/projects/breakfast/letters/2021/progress";
    let sent = submit_as(
        &router,
        &huangpu,
        progress,
        progress,
        "unit=310101&month=2021-12&t.t1.310101=100",
    )
    .await;
    assert_eq!(location(&sent), progress);
    let after = call(&office, "GET", "/api/v1/supervision", None, &[])
        .await
        .json();
    assert!(!huangpu_share(after.as_array().unwrap()));
    let page = bare_text(&page_as(&router, &huangpu, "/supervision").await.body);
    assert!(page.contains("督查督办") && page.contains("红灯"), "{page}");

    // The project's page lists its commitments with their lights, for those who follow it.
    let project_page = bare_text(&page_as(&router, &huangpu, "/projects/breakfast").await.body);
    assert!(project_page.contains("责任书事项及灯色"), "{project_page}");
    assert!(
        project_page.contains("已完成") && project_page.contains("红灯"),
        "{project_page}"
    );
    assert!(!get(&router, "/projects/breakfast")
        .await
        .body
        .contains("责任书事项及灯色"));

    // The board as a file, with the visitor's part and the filters.
    let office_files = browser_session(&router, "office").await;
    let workbook = page_as(&router, &office_files, "/supervision.xlsx?light=red").await;
    assert_eq!(workbook.status, 200);
    let sheets = minxin_interchange::read_sheets(workbook.bytes.clone()).unwrap();
    let red = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["light"] == "red")
        .count();
    assert_eq!(sheets[0].name, "督查督办");
    assert_eq!(sheets[0].rows.len(), red, "one row per red item");
    assert!(sheets[0].rows.iter().all(|row| row.cells[0] == "红灯"));
    assert!(
        sheets[0].rows.iter().all(|row| !row.cells[3].is_ascii()),
        "projects by name, not by code"
    );
    let own = page_as(&router, &huangpu, "/supervision.csv").await;
    let csv = String::from_utf8(own.bytes.to_vec()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(
        csv.lines().count() - 1,
        call(&district, "GET", "/api/v1/supervision", None, &[])
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        "a district's officer downloads what the district owns"
    );
    assert!(
        csv.lines().skip(1).all(|line| line.contains("黄浦区")),
        "{csv}"
    );

    // A notice on Xuhui's red share: sent by the office, answered by the lead department,
    // closed by the office.
    let office_session = browser_session(&router, "office").await;
    let board_page = page_as(&router, &office_session, "/supervision").await;
    assert!(board_page.body.contains("发督办单"));
    // The table is paged, a hundred rows a page, the filters kept from page to page.
    let open = after.as_array().unwrap().len();
    let pages = open.div_ceil(100);
    assert!(pages > 1, "the demo has {open} open items");
    let first = bare_text(&board_page.body);
    assert!(
        first.contains(&format!("共{open}项，第1页，共{pages}页。")),
        "{first}"
    );
    assert_eq!(
        board_page.body.matches("<tr>").count(),
        100 + 1,
        "a header and 100 rows"
    );
    let last = bare_text(
        &page_as(&router, &office_session, "/supervision?page=999&light=red")
            .await
            .body,
    );
    assert!(
        last.contains(&format!("第{pages}页，共{pages}页。")),
        "{last}"
    );
    assert!(
        page_as(&router, &office_session, "/supervision?page=1&light=red")
            .await
            .body
            .contains("/supervision?page=2&amp;light=red")
    );
    assert!(!page_as(&router, &huangpu, "/supervision")
        .await
        .body
        .contains("发督办单"));
    let notice_form = "project=breakfast&year=2021&kind=target&item=t1&owner=310104&instructions=%E8%AF%B7%E8%AF%B4%E6%98%8E%E5%8E%9F%E5%9B%A0";
    let sent = submit_as(
        &router,
        &office_session,
        "/supervision",
        "/supervision/notices",
        notice_form,
    )
    .await;
    assert_eq!(location(&sent), "/supervision#notices");
    let again = submit_as(
        &router,
        &office_session,
        "/supervision",
        "/supervision/notices",
        notice_form,
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "one open notice per item"
    );
    let done_share = json!({"about": {"project": "breakfast", "year": 2021, "kind": "target", "item": "t1", "owner": "310101"}, "instructions": "x"});
    let refused = call(
        &office,
        "POST",
        "/api/v1/notices",
        Some(("application/json", done_share.to_string())),
        &[],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "a share done is not red: {}",
        refused.body
    );
    let notices = call(&office, "GET", "/api/v1/notices", None, &[])
        .await
        .json();
    let sent = notices
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["about"]["owner"] == "310104")
        .unwrap();
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(sent["status"], "open");
    let own_only = call(&district, "GET", "/api/v1/notices", None, &[])
        .await
        .json();
    assert!(
        own_only.as_array().unwrap().is_empty(),
        "Huangpu does not see Xuhui's notice"
    );
    let answer =
        |reasons: &str, date: &str| json!({"reasons": reasons, "recovery_date": date}).to_string();
    let by_huangpu = call(
        &district,
        "POST",
        &format!("/api/v1/notices/{id}/answer"),
        Some(("application/json", answer("无", "2099-12-31"))),
        &[],
    )
    .await;
    assert_eq!(by_huangpu.status, StatusCode::FORBIDDEN);
    let late = call(
        &lead,
        "POST",
        &format!("/api/v1/notices/{id}/answer"),
        Some(("application/json", answer("选址困难", "2021-01-01"))),
        &[],
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.json()["problems"][0]["field"], "recovery_date");
    let answered = call(
        &lead,
        "POST",
        &format!("/api/v1/notices/{id}/answer"),
        Some(("application/json", answer("选址困难", "2099-12-31"))),
        &[],
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let closed = submit_as(
        &router,
        &office_session,
        "/supervision",
        &format!("/supervision/notices/{id}/close"),
        "note=%E5%90%8C%E6%84%8F",
    )
    .await;
    assert_eq!(location(&closed), "/supervision#notices");
    let shown = bare_text(&page_as(&router, &office_session, "/supervision").await.body);
    assert!(
        shown.contains("已办结") && shown.contains("选址困难"),
        "{shown}"
    );
    let (trail, _) = store.audit_log().await.unwrap();
    let steps: Vec<(&str, &str)> = trail
        .iter()
        .filter(|e| e.change.subject == format!("notice/{id}"))
        .map(|e| (e.change.action.as_str(), e.change.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("notice.issue", "office"),
            ("notice.answer", "test.commerce"),
            ("notice.close", "office")
        ]
    );
}

on_both_databases!(
    the_board_lights_each_open_item_for_those_who_see_it,
    board_on_sqlite,
    board_on_postgres
);

on_both_databases!(
    a_district_reports_its_share_and_the_report_is_reviewed_and_accepted,
    progress_on_sqlite,
    progress_on_postgres
);

on_both_databases!(
    a_letter_is_drafted_in_excel_issued_and_signed,
    letters_on_sqlite,
    letters_on_postgres
);

on_both_databases!(
    a_project_moves_through_its_stages_on_the_web,
    stages_on_sqlite,
    stages_on_postgres
);

on_both_databases!(
    the_register_on_the_web,
    the_register_on_the_web_on_sqlite,
    the_register_on_the_web_on_postgres
);
