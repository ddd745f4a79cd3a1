//! HTTP-level tests of every page and endpoint, through the router without a socket, on both
//! databases: SQLite in a temporary folder and a throw-away PostgreSQL database.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::*;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};
use minxin_web::application;
use serde_json::{json, Value};

/// A submission to `wave` by the citizen `subject`, handed over with a signed token.
fn submission(wave: i64, subject: &str, awareness: u32) -> Value {
    json!({
        "token": citizen(wave, subject),
        "channel": "app",
        "profile": {"district": "310104", "gender": "female", "age": 34},
        "ratings": [{"project": "parking", "answers": {"awareness": awareness, "value": 2}},
                    {"project": "medical", "answers": {"quality": 4}}]
    })
}

/// The whole scenario, on any store.
async fn scenario<S: Store>(store: S) {
    let state = start_state(&store).await;
    let router = as_office(&store, &application(state)).await;

    // Waves.
    let created = post_json(&router, "/api/v1/waves", json!({"name": "2026 spring", "quotas": {"310104": 2}, "projects": ["parking", "medical", "rural"]})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let wave = created.json();
    let id = wave["id"].as_i64().unwrap();
    assert_eq!(wave["status"], "draft");
    assert_eq!(wave["projects"], json!(["parking", "medical", "rural"]));
    assert_eq!(
        post_json(&router, "/api/v1/waves", json!({"name": "2026 spring"}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let invalid = post_json(
        &router,
        "/api/v1/waves",
        json!({"name": "x", "projects": ["nope"], "quotas": {"99": 1}}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.json()["problems"][0]["field"], "projects[0]");
    assert_eq!(
        get(&router, "/api/v1/waves")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get(&router, "/api/v1/waves/999").await.status,
        StatusCode::NOT_FOUND
    );

    // A draft wave takes no responses, on the API or on the page.
    let refused = post_json(
        &router,
        &format!("/api/v1/waves/{id}/responses"),
        submission(id, "t1", 5),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        get(&router, &format!("/waves/{id}/survey")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        call(
            &router,
            "POST",
            &format!("/api/v1/waves/{id}/open"),
            None,
            &[]
        )
        .await
        .status,
        StatusCode::OK
    );

    // Submit, replace, retry, reject.
    let uri = format!("/api/v1/waves/{id}/responses");
    let first = post_json(&router, &uri, submission(id, "t1", 5)).await;
    assert_eq!(
        (first.status, first.json()["outcome"].clone()),
        (StatusCode::CREATED, json!("created"))
    );
    let again = post_json(&router, &uri, submission(id, "t1", 1)).await;
    assert_eq!(
        (again.status, again.json()["outcome"].clone()),
        (StatusCode::OK, json!("replaced"))
    );
    let keyed = |awareness| {
        call(
            &router,
            "POST",
            &uri,
            Some((
                "application/json",
                submission(id, "t2", awareness).to_string(),
            )),
            &[("idempotency-key", "abc")],
        )
    };
    assert_eq!(keyed(3).await.json()["outcome"], "created");
    assert_eq!(
        keyed(4).await.json()["outcome"],
        "already_stored",
        "a retry changes nothing"
    );
    let bad = post_json(&router, &uri, json!({"token": citizen(id, "t3"), "profile": {"district": "310104"}, "ratings": [{"project": "parking", "answers": {"awareness": 9}}]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json()["problems"][0]["field"],
        "ratings[0].answers.awareness"
    );
    assert!(
        bad.json()["problems"][0]["message_zh"]
            .as_str()
            .unwrap()
            .contains("停车难综合治理"),
        "the API's problems carry their Chinese message: {}",
        bad.body
    );
    let malformed = call(
        &router,
        "POST",
        &uri,
        Some(("application/json", "{".into())),
        &[],
    )
    .await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Two respondents; t1's second answers replaced the first: awareness 1 -> 0 points.
    let evaluation = get(
        &router,
        &format!("/api/v1/waves/{id}/evaluation?min_respondents=1"),
    )
    .await
    .json();
    assert_eq!(evaluation["profile"]["respondents"], 2);
    let parking = evaluation["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "parking")
        .unwrap()
        .clone();
    assert_eq!(parking["n"], 2);
    assert_eq!(
        parking["items"]["awareness"]["mean"], 25.0,
        "(0 + 50) / 2 after the replacement"
    );
    assert!(evaluation["as_of_ms"].as_i64().unwrap() > 0);
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        2
    );

    // Pages.
    let home = get(&router, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"zh-CN\">") && home.body.contains("2026 spring"));
    assert!(get(&router, "/?lang=en")
        .await
        .body
        .contains("<html lang=\"en\">"));
    let dashboard = get(&router, &format!("/waves/{id}")).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("各区答卷与配额") && dashboard.body.matches("<svg").count() == 2
    );
    assert_eq!(
        get(&router, "/waves/999").await.status,
        StatusCode::NOT_FOUND
    );

    // The questionnaire without JavaScript: a welcome page, the projects known, one page per
    // project known, the page about the respondent; every step carries what came before.
    let t4 = citizen(id, "t4");
    let start = get(&router, &format!("/waves/{id}/survey?token={t4}")).await;
    assert!(
        start.body.contains("个人信息保护")
            && start.body.contains("主办单位")
            && start.body.contains(&format!("value=\"{t4}\""))
            && start.body.contains("name=\"at\" value=\"welcome\""),
        "{}",
        start.body
    );
    let survey = format!("/waves/{id}/survey");
    let keys = format!("lang=zh-CN&token={t4}&idempotency_key=i4");
    let step = |form: String| {
        let (router, survey) = (&router, &survey);
        async move { post_form(router, survey, &form).await }
    };
    let choose = step(format!("at=welcome&go=next&{keys}")).await;
    assert!(
        choose.body.contains("name=\"project\" value=\"rural\"")
            && choose.body.contains("整治村庄的生活污水"),
        "each project with its one-line description: {}",
        choose.body
    );
    let none = step(format!("at=choose&go=next&{keys}")).await;
    assert!(
        none.body.contains("请至少勾选一项"),
        "choosing nothing asks again"
    );
    let rural = step(format!("at=choose&go=next&{keys}&project=rural")).await;
    assert!(
        rural.body.contains("name=\"a.rural.trust_improvement\"")
            && rural.body.contains("第 2 步，共 3 步")
            && !rural.body.contains("<label for=\"district\">")
            && !rural.body.contains(" checked"),
        "one project per step, with its progress, and no answer chosen for the respondent: {}",
        rural.body
    );
    // An item left unanswered is not "don't know": the step is shown again, naming them.
    let partial = step(format!(
        "at=project-0&go=next&{keys}&project=rural&a.rural.awareness=4"
    ))
    .await;
    assert!(
        partial.body.contains("还有 7 题没有作答")
            && partial.body.contains("value=\"4\" checked")
            && partial.body.contains("name=\"at\" value=\"project-0\""),
        "{}",
        partial.body
    );
    // The first value of a field counts: awareness 4, every other item "don't know".
    let answered = format!(
        "project=rural&a.rural.awareness=4&{}",
        all_answers("rural", "dk")
    );
    let profile = step(format!("at=project-0&go=next&{keys}&{answered}")).await;
    assert!(
        profile.body.contains("<label for=\"district\">")
            && profile
                .body
                .contains("name=\"a.rural.awareness\" value=\"4\""),
        "the answers travel with the profile step: {}",
        profile.body
    );
    // Back from the profile: the project's page with its answers, the profile kept unseen.
    let back = step(format!(
        "at=profile&go=back&{keys}&{answered}&district=310151"
    ))
    .await;
    assert!(
        back.body.contains("value=\"4\" checked")
            && back.body.contains("name=\"district\" value=\"310151\""),
        "{}",
        back.body
    );
    // A sheet that answers nothing is refused in words.
    let nothing = step(format!(
        "at=profile&go=next&{keys}&project=rural&{}&district=310151",
        all_answers("rural", "dk")
    ))
    .await;
    assert!(nothing.body.contains("无法计入"), "{}", nothing.body);
    let missing_district = step(format!("at=profile&go=next&{keys}&{answered}&district=")).await;
    assert!(
        missing_district.body.contains("请选择您所在的区。")
            && !missing_district.body.contains("profile.district"),
        "a citizen reads what to do, not a field path: {}",
        missing_district.body
    );
    let keys = format!("lang=en&token={t4}&idempotency_key=i4");
    let thanks = step(format!(
        "at=profile&go=next&{keys}&{answered}&district=310151"
    ))
    .await;
    assert!(
        thanks.body.contains("Your answers are saved."),
        "{}",
        thanks.body
    );
    // The office may read the unpublished results, so its thank-you page links to them (a
    // citizen's does not: see the browser test).
    assert!(
        thanks
            .body
            .contains(&format!("href=\"/waves/{id}?lang=en\">See the results")),
        "{}",
        thanks.body
    );
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        3
    );

    // The OpenAPI document describes every API route.
    let openapi = get(&router, "/api/openapi.json").await.json();
    for path in [
        "/api/v1/waves",
        "/api/v1/waves/{id}",
        "/api/v1/waves/{id}/open",
        "/api/v1/waves/{id}/close",
        "/api/v1/waves/{id}/responses",
        "/api/v1/waves/{id}/evaluation",
    ] {
        assert!(
            openapi["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }

    // File import: all or nothing, unless asked to keep the valid rows.
    let header = "respondent_id,wave,district,gender,age,education,occupation,channel,project,awareness,relevance,need_fit,quality,value,satisfaction,trust_delivery,trust_improvement";
    let good = "F1,paper-2026,310104,male,50,,,paper,parking,4,4,4,3,3,3,3,3\nF1,paper-2026,310104,male,50,,,paper,rural,2,2,2,2,2,2,2,2\nF2,paper-2026,310151,female,,,,paper,medical,5,5,5,5,5,5,5,5";
    let bad_row = "F3,paper-2026,310104,male,50,,,paper,parking,4,4,4,3,3,3,3,9";
    let file = format!("{header}\n{good}\n{bad_row}\n");
    let import_uri = format!("/api/v1/waves/{id}/import");
    let before_import =
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"].clone();
    let refused = call(
        &router,
        "POST",
        &import_uri,
        Some(("text/csv", file.clone())),
        &[],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let refused = refused.json();
    assert_eq!(refused["rejected"], 1);
    assert_eq!(refused["rejections"][0]["row"], 5);
    assert_eq!(refused["rejections"][0]["column"], "trust_improvement");
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        before_import,
        "nothing was stored"
    );
    let kept = call(
        &router,
        "POST",
        &format!("{import_uri}?keep_valid=true"),
        Some(("text/csv", file)),
        &[],
    )
    .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    let kept = kept.json();
    assert_eq!(
        (
            kept["respondents"].clone(),
            kept["created"].clone(),
            kept["rejected"].clone()
        ),
        (json!(2), json!(2), json!(1))
    );
    let again = call(
        &router,
        "POST",
        &import_uri,
        Some(("text/csv", format!("{header}\n{good}\n"))),
        &[],
    )
    .await
    .json();
    assert_eq!(
        again["replaced"], 2,
        "importing the same respondents again replaces their responses"
    );
    let bad_header = call(
        &router,
        "POST",
        &import_uri,
        Some(("text/csv", "respondent,wave\n".into())),
        &[],
    )
    .await;
    assert_eq!(bad_header.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_header.body.contains("row 1 (header)"),
        "{}",
        bad_header.body
    );
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        json!(before_import.as_u64().unwrap() + 2)
    );

    // Downloads of the aggregates.
    let csv = get(&router, &format!("/api/v1/waves/{id}/aggregates.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("\u{feff}project,name_zh,name_en,n,reliable,recognition"));
    assert_eq!(
        lines.len(),
        4,
        "a header and one row per project of the wave"
    );
    assert!(
        lines[1].starts_with("parking,停车难综合治理,Parking difficulty,3,"),
        "{}",
        lines[1]
    );
    let xlsx = call(
        &router,
        "GET",
        &format!("/api/v1/waves/{id}/aggregates.xlsx"),
        None,
        &[],
    )
    .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.bytes.starts_with(b"PK\x03\x04"),
        "an XLSX file is a zip archive"
    );
    let json_download = get(&router, &format!("/api/v1/waves/{id}/aggregates.json"))
        .await
        .json();
    assert_eq!(json_download["projects"].as_array().unwrap().len(), 3);
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}/aggregates.pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Closing stops intake; a restart rebuilds the same tallies from storage.
    assert_eq!(
        call(
            &router,
            "POST",
            &format!("/api/v1/waves/{id}/close"),
            None,
            &[]
        )
        .await
        .json()["status"],
        "closed"
    );
    assert_eq!(
        post_json(&router, &uri, submission(id, "t9", 5))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let before = get(&router, &format!("/api/v1/waves/{id}/evaluation"))
        .await
        .json();
    let restarted = as_office(&store, &application(start_state(&store).await)).await;
    let after = get(&restarted, &format!("/api/v1/waves/{id}/evaluation"))
        .await
        .json();
    assert_eq!(before, after);
}

on_both_databases!(
    scenario,
    every_endpoint_on_sqlite,
    every_endpoint_on_postgres
);

#[tokio::test]
async fn the_demo_loads_once_and_reproduces_the_paper_on_the_dashboard() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let state = start_state(&store).await;
    assert!(minxin_web::demo::load_demo(&state, 2021).await.unwrap());
    assert!(
        !minxin_web::demo::load_demo(&state, 2021).await.unwrap(),
        "only into an empty platform"
    );
    let router = application(state);
    let waves = get(&router, "/api/v1/waves").await.json();
    assert_eq!(waves[0]["status"], "open");
    assert_eq!(waves[1]["status"], "closed");
    assert_eq!(waves[1]["responses"], 600);
    let evaluation = get(
        &router,
        &format!("/api/v1/waves/{}/evaluation", waves[1]["id"]),
    )
    .await
    .json();
    assert_eq!(evaluation["synthetic"], true);
    let quadrant = |code: &str| {
        evaluation["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["quadrant"]
            .clone()
    };
    assert_eq!(quadrant("breakfast"), "HL");
    assert_eq!(quadrant("suzhou-creek"), "HH");
    // Both demo waves use the cut points that reproduce the paper, so the published wave shows
    // all 16 published quadrants, `elevators` in LL among them.
    for wave in [&waves[0], &waves[1]] {
        assert_eq!(wave["cut_points"], "pooled-median", "{wave}");
    }
    assert_eq!(
        evaluation["settings"]["cut_points"]["rule"],
        "pooled-median"
    );
    assert_eq!(quadrant("elevators"), "LL");
    assert_eq!(
        (
            &evaluation["cut_points"]["recognition"],
            &evaluation["cut_points"]["satisfaction"]
        ),
        (&json!(75.0), &json!(75.0))
    );
    // The published wave's dashboard opens with its summary: responses, the projects'
    // average indices computed from the evaluation, and the projects needing attention.
    let projects = evaluation["projects"].as_array().unwrap();
    let reliable: Vec<&Value> = projects.iter().filter(|p| p["reliable"] == true).collect();
    let mean = |index: &str| {
        reliable
            .iter()
            .map(|p| p[index].as_f64().unwrap())
            .sum::<f64>()
            / reliable.len() as f64
    };
    let dashboard = get(&router, &format!("/waves/{}", waves[1]["id"]))
        .await
        .body;
    let summary_at = dashboard.find("class=\"cards\"").expect("a summary");
    assert!(
        summary_at < dashboard.find("答卷进度").unwrap(),
        "the summary comes first"
    );
    let summary = visible_text(&dashboard[summary_at..dashboard.find("答卷进度").unwrap()]);
    assert!(summary.contains("600"), "{summary}");
    assert!(
        summary.contains(&format!("{:.1}", mean("recognition"))),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("{:.1}", mean("satisfaction"))),
        "{summary}"
    );
    assert!(summary.contains("需重点关注"));
    for project in projects.iter().filter(|p| p["quadrant"] == "LL") {
        assert!(
            summary.contains(project["name_zh"].as_str().unwrap()),
            "{summary}"
        );
    }
}

fn rating_in(wave: i64, subject: &str, district: &str, awareness: u32, quality: u32) -> Value {
    json!({
        "token": citizen(wave, subject),
        "profile": {"district": district},
        "ratings": [{"project": "parking", "answers": {
            "awareness": awareness, "relevance": 4, "need_fit": 3,
            "quality": quality, "value": 3, "satisfaction": quality, "trust_delivery": 4, "trust_improvement": 2}}]
    })
}

/// The project page, the comparison of two waves and the printable report, on the demo's
/// closed wave and a few new answers in its open wave.
async fn result_pages<S: Store>(store: S) {
    let (public, open, closed) = demo_platform(&store).await;
    let router = as_office(&store, &public).await;
    // In the open wave: 40 answers from one district, 35 from another and 5 from a third.
    for k in 0..80 {
        let district = match k {
            0..40 => "310104",
            40..75 => "310115",
            _ => "310101",
        };
        let answer = rating_in(open, &format!("c{k}"), district, 1 + k % 5, 1 + (k / 2) % 3);
        let response = post_json(&router, &format!("/api/v1/waves/{open}/responses"), answer).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    }

    // The project view: intervals, districts with suppression, trend over both waves.
    let view = get(&router, &format!("/api/v1/waves/{open}/projects/parking"))
        .await
        .json();
    assert_eq!(view["project"]["n"], 80);
    let interval = &view["project"]["satisfaction_interval"];
    assert!(interval["se"].as_f64().unwrap() > 0.0);
    assert!(interval["ci_low"].as_f64() < view["project"]["satisfaction"].as_f64());
    let district = |code: &str| {
        view["districts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(district("310104")["n"], 40);
    assert!(district("310104")["recognition"].is_number());
    assert_eq!(district("310101")["suppressed"], true);
    assert!(district("310101")["n"].is_null() && district("310101")["recognition"].is_null());
    assert_eq!(
        district("310115")["suppressed"],
        true,
        "the next smallest goes with a lone small cell"
    );
    let trend = view["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 2, "both waves include parking");
    assert_eq!(trend[0]["wave_id"], closed);
    assert_eq!(trend[1]["project"]["n"], 80);
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{open}/projects/nope"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let page = get(&router, &format!("/waves/{open}/projects/parking")).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "维度得分",
        "指标明细",
        "分区结果",
        "&lt;30",
        "历轮评价",
        "id=\"trend-title\"",
    ] {
        assert!(
            page.body.contains(expected),
            "project page lacks {expected}"
        );
    }
    let english = get(&router, &format!("/waves/{open}/projects/parking?lang=en")).await;
    assert!(english.body.contains("Dimension profile") && english.body.contains("By district"));

    // The comparison: the open wave against the demo, with intervals and quadrant moves.
    let comparison = get(
        &router,
        &format!("/api/v1/compare?before={closed}&after={open}"),
    )
    .await
    .json();
    let parking = comparison["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "parking")
        .unwrap();
    assert_eq!(parking["n_after"], 80);
    let change = &parking["satisfaction"];
    let (before, after) = (
        change["before"].as_f64().unwrap(),
        change["after"].as_f64().unwrap(),
    );
    assert!((change["change"].as_f64().unwrap() - (after - before)).abs() < 1e-9);
    assert!(change["ci_low"].as_f64().unwrap() < change["change"].as_f64().unwrap());
    assert_eq!(
        comparison["projects"].as_array().unwrap().len(),
        16,
        "projects rated only in the demo still compare (with no scores after)"
    );
    assert_eq!(
        get(
            &router,
            &format!("/api/v1/compare?before={open}&after={open}")
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = get(&router, "/compare").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"changes-title\""),
        "the change chart"
    );
    assert!(page.body.contains("<select id=\"before\" name=\"before\">"));
    let english = get(
        &router,
        &format!("/compare?before={closed}&after={open}&lang=en"),
    )
    .await;
    assert!(english.body.contains("Compare two waves"));

    // The printable report.
    let report = get(&router, &format!("/waves/{closed}/report")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("id=\"figure2-title\""));
    // Printed on A4 by the one style sheet every page links, served for long keeping.
    let sheet_url = report
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the report links the style sheet")
        .to_string();
    assert!(!report.body.contains("<style"));
    let sheet = get(&router, &sheet_url).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(sheet.headers["content-type"], "text/css; charset=utf-8");
    assert!(sheet.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(sheet.body.contains("@page{size:A4"));
    assert!(
        sheet.body.contains("font-variant-numeric"),
        "with the report's style"
    );
    assert!(report.body.contains("2021-06-01 至 2021-06-30"));
    // A title page, the contents linking every section, the summary first, every table open.
    let text = visible_text(&report.body);
    assert!(
        report.body.contains("class=\"title-page\"")
            && text.contains("市民心工程协调办公室")
            && text.contains("报告生成")
            && text.contains("北京时间"),
        "{text}"
    );
    let contents: Vec<&str> = report
        .body
        .split("<a href=\"#")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(
        contents.len() >= 8 && contents[0] == "summary",
        "{contents:?}"
    );
    for anchor in &contents {
        assert!(
            report.body.contains(&format!("id=\"{anchor}\"")),
            "the contents link {anchor}, which is on the page"
        );
    }
    let summary_at = report.body.find("id=\"summary\"").unwrap();
    assert!(summary_at < report.body.find("id=\"scores\"").unwrap());
    assert!(report.body[summary_at..].contains("class=\"cards\""));
    assert!(
        report.body.contains("<details open>") && !report.body.contains("<details>"),
        "the item tables print open"
    );
    assert!(
        sheet.body.contains("counter(page)") && sheet.body.contains("break-after:page"),
        "page numbers and the title page on a page of its own"
    );
    let dashboard = get(&router, &format!("/waves/{closed}")).await;
    assert!(dashboard
        .body
        .contains(&format!("/waves/{closed}/projects/parking")));
    assert!(dashboard.body.contains(&format!("/waves/{closed}/report")));
}

on_both_databases!(
    result_pages,
    result_pages_on_sqlite,
    result_pages_on_postgres
);

const IMPORT_HEADER: &str =
    "respondent_id,wave,district,gender,age,education,occupation,channel,project,\
awareness,relevance,need_fit,quality,value,satisfaction,trust_delivery,trust_improvement";

/// A workbook with `rows` under the interchange header, numbers as numbers.
fn workbook(rows: &[&str]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in std::iter::once(IMPORT_HEADER)
        .chain(rows.iter().copied())
        .enumerate()
    {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(number) if r > 0 => sheet.write_number(r as u32, c as u16, number).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// A multipart form body with a file field and optional plain fields.
fn multipart(file: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "minxin-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"answers.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_bytes(router: &Router, uri: &str, content_type: &str, body: Vec<u8>) -> Response {
    send(router, "POST", uri, Some((content_type, body)), &[]).await
}

/// XLSX files through the API and through the upload form, all or nothing by default.
async fn file_imports<S: Store>(store: S) {
    let state = start_state(&store).await;
    let router = as_office(&store, &application(state)).await;
    let (_, csrf) = form_credentials(&router).await;
    let created = post_json(&router, "/api/v1/waves", json!({"name": "paper forms"})).await;
    let id = created.json()["id"].as_i64().unwrap();
    call(
        &router,
        "POST",
        &format!("/api/v1/waves/{id}/open"),
        None,
        &[],
    )
    .await;
    let good = "P1,w,310104,female,40,bachelor,office_staff,paper,parking,5,4,4,3,3,2,4,4";
    let bad = "P2,w,310104,female,40,bachelor,office_staff,paper,parking,5,4,4,3,3,2,4,7";

    // The API tells a workbook from CSV by its first bytes.
    let api = post_bytes(
        &router,
        &format!("/api/v1/waves/{id}/import"),
        "application/octet-stream",
        workbook(&[good]),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()["created"], 1);

    // The form: a bad row stops everything and is listed with its row and column.
    let form = get(&router, &format!("/waves/{id}/import")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("<label for=\"file\">"));
    let (content_type, body) = multipart(
        &workbook(&[good.replace("P1", "P3").as_str(), bad]),
        &[("csrf", &csrf)],
    );
    let refused = post_bytes(&router, &format!("/waves/{id}/import"), &content_type, body).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("有 1 行有错误，未导入任何数据"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("trust_improvement"),
        "the column is named"
    );
    assert!(
        refused.body.contains("答案 7 超出 1 至 5 的范围。"),
        "the reason is given in Chinese: {}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<th class=\"num\" scope=\"row\">3</th>"),
        "row 3 is listed"
    );
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        1
    );
    // Keeping the valid rows stores P3 and still reports P2.
    let (content_type, body) = multipart(
        &workbook(&[good.replace("P1", "P3").as_str(), bad]),
        &[("csrf", &csrf), ("keep_valid", "true")],
    );
    let kept = post_bytes(
        &router,
        &format!("/waves/{id}/import?lang=en"),
        &content_type,
        body,
    )
    .await;
    assert!(
        kept.body.contains("Imported.") && kept.body.contains("Rejected rows"),
        "{}",
        kept.body
    );
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        2
    );
    // No file chosen.
    let (content_type, body) = multipart(b"", &[("csrf", &csrf)]);
    let empty = post_bytes(&router, &format!("/waves/{id}/import"), &content_type, body).await;
    assert!(empty.body.contains("请选择要导入的文件"));
    // A file that is neither CSV with the right header nor a workbook.
    let (content_type, body) = multipart(b"PK\x03\x04not really a zip", &[("csrf", &csrf)]);
    let (stale_type, stale) = multipart(&workbook(&[good]), &[("csrf", "forged")]);
    let forged = post_bytes(&router, &format!("/waves/{id}/import"), &stale_type, stale).await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a form without its token is refused"
    );
    let broken = post_bytes(&router, &format!("/waves/{id}/import"), &content_type, body).await;
    assert!(broken.body.contains("class=\"error\""), "{}", broken.body);
}

on_both_databases!(
    file_imports,
    file_imports_on_sqlite,
    file_imports_on_postgres
);

fn anonymous(awareness: u32) -> Value {
    json!({
        "profile": {"district": "310104"},
        "ratings": [{"project": "parking", "answers": {"awareness": awareness}}]
    })
}

#[tokio::test]
async fn anonymous_submissions_are_limited_per_client_address() {
    use minxin_web::app::limits::LimitSettings;
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let state = start_state(&store).await;
    let limited = |per_hour, trust_forwarded_for| {
        application(state.clone().with_limits(LimitSettings {
            anonymous_per_hour: per_hour,
            trust_forwarded_for,
        }))
    };
    let router = limited(3, false);
    let office = as_office(&store, &router).await;
    let id = post_json(&office, "/api/v1/waves", json!({"name": "open street"}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    call(
        &office,
        "POST",
        &format!("/api/v1/waves/{id}/open"),
        None,
        &[],
    )
    .await;
    let uri = format!("/api/v1/waves/{id}/responses");
    for k in 0..3 {
        let accepted = post_json(&router, &uri, anonymous(1 + k)).await;
        assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    }
    let refused = post_json(&router, &uri, anonymous(5)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=1200).contains(&retry), "{retry}");
    // An invalid anonymous submission is answered as invalid, not counted.
    let invalid = post_json(
        &router,
        &uri,
        json!({"profile": {"district": "nowhere"}, "ratings": []}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A token is not limited: it can only ever count once.
    assert_eq!(
        post_json(&router, &uri, submission(id, "citizen", 4))
            .await
            .status,
        StatusCode::CREATED
    );
    // The questionnaire says so in words.
    let form = "lang=en&at=profile&go=next&project=parking&district=310104&a.parking.awareness=3";
    let page = post_form(&router, &format!("/waves/{id}/survey"), form).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
    assert!(page.body.contains("Too many anonymous responses"));
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{id}")).await.json()["responses"],
        4
    );

    // Behind a trusted proxy each forwarded address has its own allowance.
    let proxied = limited(1, true);
    let from = |address: &'static str| {
        let proxied = proxied.clone();
        let uri = uri.clone();
        async move {
            call(
                &proxied,
                "POST",
                &uri,
                Some(("application/json", anonymous(2).to_string())),
                &[("x-forwarded-for", address)],
            )
            .await
            .status
        }
    };
    assert_eq!(from("203.0.113.7").await, StatusCode::CREATED);
    assert_eq!(from("203.0.113.7").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(from("198.51.100.1, 203.0.113.8").await, StatusCode::CREATED);

    // Zero: only submissions with a token.
    let closed_to_anonymous = limited(0, false);
    assert_eq!(
        post_json(&closed_to_anonymous, &uri, anonymous(3))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

const CENSUS_DISTRICTS: [&str; 16] = [
    "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113",
    "310114", "310115", "310116", "310117", "310118", "310120", "310151",
];

fn profiled(wave: i64, subject: &str, k: usize, answer: u32) -> Value {
    let gender = if (k / 16) % 2 == 0 { "male" } else { "female" };
    json!({
        "token": citizen(wave, subject),
        "profile": {"district": CENSUS_DISTRICTS[k % 16], "gender": gender},
        "ratings": [
            {"project": "parking", "answers": {"awareness": answer, "relevance": 1 + (k as u32 + 1) % 5,
             "quality": 1 + (k as u32 * 3) % 5, "satisfaction": answer, "trust_delivery": 3}},
            {"project": "medical", "answers": {"awareness": 1 + (k as u32 * 7) % 5, "quality": 1 + k as u32 % 5,
             "satisfaction": 1 + (k as u32 * 2) % 5}}
        ]
    })
}

/// The weighted evaluation on the platform: census weights, bootstrap quadrant probabilities
/// and rank intervals, kept current as responses arrive and are replaced exactly as a rebuild
/// from storage would make them.
async fn robustness<S: Store>(store: S) {
    let (public, open, closed) = demo_platform(&store).await;
    let router = as_office(&store, &public).await;
    let uri = format!("/api/v1/waves/{closed}/robustness?replicates=200&seed=3");
    let weighted = get(&router, &uri).await;
    assert_eq!(weighted.status, StatusCode::OK, "{}", weighted.body);
    let weighted = weighted.json();
    assert!(weighted["weighting"]["margins"]
        .as_str()
        .unwrap()
        .contains("census"));
    assert!(weighted["weighting"]["design_effect"].as_f64().unwrap() > 1.0);
    assert_eq!(weighted["replicates"], 200);
    for project in weighted["projects"].as_array().unwrap() {
        let sum: f64 = project["quadrant_probabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }
    assert_eq!(
        get(&router, &uri).await.json(),
        weighted,
        "the same seed, the same answer"
    );
    let page = get(
        &router,
        &format!("/waves/{closed}/robustness?lang=en&replicates=100"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Quadrant probabilities") && page.body.contains("<svg"));
    let refused = get(
        &router,
        &format!("/api/v1/waves/{closed}/robustness?replicates=1"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dashboard = get(&router, &format!("/waves/{closed}")).await;
    assert!(dashboard
        .body
        .contains(&format!("/waves/{closed}/robustness")));

    // The open wave: too few districts for the census margins at first, then every district
    // and both sexes, with some respondents answering again.
    let responses = format!("/api/v1/waves/{open}/responses");
    let first = post_json(&router, &responses, profiled(open, "r0", 0, 4)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let early = get(
        &router,
        &format!("/api/v1/waves/{open}/robustness?replicates=0"),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert!(early.body.contains("no respondent in district"));
    assert_eq!(early.json()["code"], "conflict");
    // The page says which district has nobody yet, in Chinese, not that the wave is closed.
    let early_page = get(&router, &format!("/waves/{open}/robustness")).await;
    assert_eq!(early_page.status, StatusCode::CONFLICT);
    assert!(
        early_page.body.contains("尚无受访者") && early_page.body.contains("区”"),
        "{}",
        early_page.body
    );
    assert!(!early_page.body.contains("不接受答卷"));
    for k in 1..96 {
        let response = post_json(
            &router,
            &responses,
            profiled(open, &format!("r{k}"), k, 1 + k as u32 % 5),
        )
        .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    }
    for k in 0..12 {
        let response = post_json(&router, &responses, profiled(open, &format!("r{k}"), k, 5)).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "a replacement: {}",
            response.body
        );
    }
    let uri = format!("/api/v1/waves/{open}/robustness?replicates=100&seed=9");
    let live = get(&router, &uri).await;
    assert_eq!(live.status, StatusCode::OK, "{}", live.body);
    // The weighted comparison of the two waves uses each wave's own bootstrap SEs.
    let compared = get(
        &router,
        &format!("/api/v1/compare?before={closed}&after={open}&weighted=true&replicates=100"),
    )
    .await;
    assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
    let compared = compared.json();
    let before = get(
        &router,
        &format!("/api/v1/waves/{closed}/robustness?replicates=100&seed=1"),
    )
    .await
    .json();
    let after = get(
        &router,
        &format!("/api/v1/waves/{open}/robustness?replicates=100&seed=1"),
    )
    .await
    .json();
    let parking = |view: &Value| {
        view["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "parking")
            .unwrap()["recognition"]
            .clone()
    };
    let change = compared["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "parking")
        .unwrap()["recognition"]
        .clone();
    let expected_se = (parking(&before)["se"].as_f64().unwrap().powi(2)
        + parking(&after)["se"].as_f64().unwrap().powi(2))
    .sqrt();
    assert!((change["se"].as_f64().unwrap() - expected_se).abs() < 1e-9);
    let expected_change =
        parking(&after)["score"].as_f64().unwrap() - parking(&before)["score"].as_f64().unwrap();
    assert!((change["change"].as_f64().unwrap() - expected_change).abs() < 1e-9);
    let page = get(
        &router,
        &format!("/compare?before={closed}&after={open}&weighted=1&lang=en"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"weighted\" value=\"1\" checked"));

    let rebuilt = as_office(&store, &application(start_state(&store).await)).await;
    assert_eq!(
        get(&rebuilt, &uri).await.json(),
        live.json(),
        "live group sums equal those rebuilt from storage"
    );
}

on_both_databases!(robustness, robustness_on_sqlite, robustness_on_postgres);

/// The first start makes one administrator holding the administrator role, audited; later
/// starts make none; a configured administrator comes with its own hash.
async fn first_administrator<S: Store>(store: S) {
    use minxin_web::app::accounts::{
        ensure_first_administrator, hash_password, verify_password, ConfiguredAdministrator,
        FirstAdministrator, FIRST_ADMINISTRATOR,
    };
    let FirstAdministrator::Generated(password) =
        ensure_first_administrator(&store, None).await.unwrap()
    else {
        panic!("a database without accounts gets an administrator with a generated password");
    };
    let account = store.account(FIRST_ADMINISTRATOR).await.unwrap().unwrap();
    assert!(verify_password(&account.password_hash, &password));
    let configured = ConfiguredAdministrator {
        name: "root".into(),
        password_hash: hash_password("configured-password").unwrap(),
    };
    assert_eq!(
        ensure_first_administrator(&store, Some(&configured))
            .await
            .unwrap(),
        FirstAdministrator::Existing
    );
    assert_eq!(store.count_accounts().await.unwrap(), 1);
    assert_eq!(
        store.assignments().await.unwrap(),
        [(
            FIRST_ADMINISTRATOR.to_string(),
            minxin_domain::organisation::Assignment {
                role: minxin_domain::access::Role::Administrator,
                scope: minxin_domain::organisation::Scope::City
            }
        )]
    );
    let (trail, head) = store.audit_log().await.unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].change.actor, "system:first-start");
    assert_eq!(trail[1].change.action, "role.grant");
    assert!(!trail[0]
        .change
        .after
        .as_deref()
        .unwrap()
        .contains(&account.password_hash));
    assert_eq!(minxin_domain::audit::verify(&trail, head), Ok(2));
}

/// An administrator from the configuration: signed in with the password behind its hash; a
/// malformed hash is refused and creates nothing.
async fn configured_administrator<S: Store>(store: S) {
    use minxin_web::app::accounts::{
        ensure_first_administrator, hash_password, ConfiguredAdministrator, FirstAdministrator,
    };
    let broken = ConfiguredAdministrator {
        name: "root".into(),
        password_hash: "plain-text-password".into(),
    };
    let refused = ensure_first_administrator(&store, Some(&broken))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("hash-password"), "{refused}");
    assert_eq!(store.count_accounts().await.unwrap(), 0);
    let configured = ConfiguredAdministrator {
        name: "root".into(),
        password_hash: hash_password("configured-password").unwrap(),
    };
    assert_eq!(
        ensure_first_administrator(&store, Some(&configured))
            .await
            .unwrap(),
        FirstAdministrator::Configured("root".into())
    );
    let state = start_state(&store).await;
    let router = application(state);
    let signed_in = post_json(
        &router,
        "/api/v1/sessions",
        json!({"name": "root", "password": "configured-password"}),
    )
    .await;
    assert_eq!(signed_in.status, StatusCode::CREATED, "{}", signed_in.body);
    let admin = with_bearer(&router, signed_in.json()["token"].as_str().unwrap());
    let me = get(&admin, "/api/v1/sessions/current").await.json();
    assert_eq!(
        me["roles"],
        json!([{"role": "administrator", "scope": "city"}])
    );
}

on_both_databases!(
    configured_administrator,
    configured_administrator_on_sqlite,
    configured_administrator_on_postgres
);

on_both_databases!(
    first_administrator,
    first_administrator_on_sqlite,
    first_administrator_on_postgres
);
