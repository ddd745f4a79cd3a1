//! Signing in and out, sessions, lockout and sign-in limits, CSRF on cookie sessions, security
//! headers; publication decisions, the public's view of unpublished waves, the audit trail for
//! auditors and the logged microdata export: on the demo, on both databases.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::*;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};
use minxin_web::application;
use minxin_web::demo::DEMO_PASSWORD;
use serde_json::{json, Value};

/// Signs in through the API; the bearer token.
async fn token(router: &Router, name: &str) -> String {
    let response = post_json(
        router,
        "/api/v1/sessions",
        json!({"name": name, "password": DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["token"].as_str().unwrap().to_string()
}

fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(String::from)
}

/// The browser's way: the sign-in form sets an HTTP-only, secure, same-site session cookie;
/// JSON requests on that cookie need the CSRF header; signing out ends the session.
async fn browser_sessions<S: Store>(store: S) {
    let (router, open, _) = demo_platform(&store).await;

    // Every response carries the security headers.
    let home = get(&router, "/").await;
    let header = |name: &str| home.headers[name].to_str().unwrap().to_string();
    assert!(header("content-security-policy").contains("script-src 'none'"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "no-referrer");
    let api = get(&router, "/api/v1/waves").await;
    assert_eq!(
        api.headers["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(api.headers["x-content-type-options"], "nosniff");
    let missing = get(&router, "/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'none'"));

    // The sign-in page hands out the CSRF cookie.
    let page = get(&router, &format!("/sign-in?next=/waves/{open}")).await;
    let csrf_cookie = set_cookie(&page, "minxin_csrf").expect("a CSRF cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(csrf_cookie.contains(attribute), "{csrf_cookie}");
    }
    let cookie = csrf_cookie.split(';').next().unwrap().to_string();
    let csrf = hidden_field(&page.body, "csrf");
    let form = |name: &str, password: &str, csrf: &str| {
        format!("csrf={csrf}&name={name}&password={password}&next=/waves/{open}&lang=zh-CN")
    };
    let sign_in = |body: String| {
        let router = router.clone();
        let cookie = cookie.clone();
        async move {
            call(
                &router,
                "POST",
                "/sign-in",
                Some(("application/x-www-form-urlencoded", body)),
                &[("cookie", cookie.as_str())],
            )
            .await
        }
    };
    let forged = sign_in(form("office", DEMO_PASSWORD, "forged")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(set_cookie(&forged, "minxin_session").is_none());
    let wrong = sign_in(form("office", "wrong-password", &csrf)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("账户名或密码不正确"));
    let unknown = sign_in(form("nobody", DEMO_PASSWORD, &csrf)).await;
    assert_eq!(
        (unknown.status, unknown.body.contains("账户名或密码不正确")),
        (StatusCode::UNAUTHORIZED, true),
        "an unknown name gets the same answer"
    );
    let signed_in = sign_in(form("office", DEMO_PASSWORD, &csrf)).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(
        signed_in.headers["location"],
        format!("/waves/{open}").as_str()
    );
    let session_cookie = set_cookie(&signed_in, "minxin_session").expect("a session cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Max-Age=28800"] {
        assert!(session_cookie.contains(attribute), "{session_cookie}");
    }
    let session = session_cookie.split(';').next().unwrap().to_string();
    let with_session = |method: &'static str, uri: String, extra: Vec<(&'static str, String)>| {
        let router = router.clone();
        let session = session.clone();
        async move {
            let mut headers: Vec<(&str, &str)> = vec![("cookie", session.as_str())];
            headers.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
            let body = (method == "POST")
                .then(|| ("application/json", r#"{"name": "cookie wave"}"#.to_string()));
            call(&router, method, &uri, body, &headers).await
        }
    };
    let dashboard = with_session("GET", format!("/waves/{open}"), vec![]).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("市协调办 演示用户"));

    // A JSON change on the cookie needs the CSRF header.
    let without = with_session("POST", "/api/v1/waves".into(), vec![]).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN, "{}", without.body);
    let me = with_session("GET", "/api/v1/sessions/current".into(), vec![])
        .await
        .json();
    assert_eq!(
        me["roles"],
        json!([{"role": "coordination_office", "scope": "city"}])
    );
    let header_token = me["csrf_token"].as_str().unwrap().to_string();
    let with = with_session(
        "POST",
        "/api/v1/waves".into(),
        vec![("x-csrf-token", header_token.clone())],
    )
    .await;
    assert_eq!(with.status, StatusCode::CREATED, "{}", with.body);

    // Signing out (a form, with its token) ends the session.
    let out = call(
        &router,
        "POST",
        "/sign-out",
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={header_token}"),
        )),
        &[("cookie", session.as_str())],
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(set_cookie(&out, "minxin_session")
        .unwrap()
        .contains("Max-Age=0"));
    let after = with_session("GET", format!("/waves/{open}"), vec![]).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in?next="));
}

on_both_databases!(
    browser_sessions,
    browser_sessions_on_sqlite,
    browser_sessions_on_postgres
);

/// From the fifth wrong password in a row the account waits (recorded in the audit trail); a
/// client address gets ten attempts a minute.
async fn lockout_and_limits<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    let attempt = |password: &'static str| {
        post_json(
            &router,
            "/api/v1/sessions",
            json!({"name": "auditor", "password": password}),
        )
    };
    for k in 1..=4 {
        assert_eq!(
            attempt("wrong-password").await.status,
            StatusCode::UNAUTHORIZED,
            "attempt {k}"
        );
    }
    assert_eq!(
        store
            .account("auditor")
            .await
            .unwrap()
            .unwrap()
            .failed_sign_ins,
        4
    );
    let fifth = attempt("wrong-password").await;
    assert_eq!(fifth.status, StatusCode::UNAUTHORIZED, "{}", fifth.body);
    let waiting = attempt(DEMO_PASSWORD).await;
    assert_eq!(
        (waiting.status, waiting.body.clone()),
        (fifth.status, fifth.body.clone()),
        "even the right password waits, answered as a wrong one"
    );
    let (trail, _) = store.audit_log().await.unwrap();
    let lock = trail
        .iter()
        .find(|e| e.change.action == "account.lock")
        .expect("the lockout is recorded");
    assert_eq!(lock.change.subject, "account/auditor");
    // Requests are limited in size (2 MiB; imports have their own, larger limit).
    let waves = get(&router, "/api/v1/waves").await.json();
    let open = waves[0]["id"].as_i64().unwrap();
    let huge = format!(
        r#"{{"profile": {{"district": "{}"}}, "ratings": []}}"#,
        "x".repeat(3 << 20)
    );
    let refused = call(
        &router,
        "POST",
        &format!("/api/v1/waves/{open}/responses"),
        Some(("application/json", huge)),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Another account is not locked; after ten attempts from one address, the eleventh waits.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            post_json(
                &router,
                "/api/v1/sessions",
                json!({"name": "evaluator", "password": DEMO_PASSWORD}),
            )
            .await
            .status,
        );
    }
    assert_eq!(statuses[0], StatusCode::CREATED);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

on_both_databases!(
    lockout_and_limits,
    lockout_and_limits_on_sqlite,
    lockout_and_limits_on_postgres
);

/// Publication is a decision of the coordination office, signed, superseded rather than
/// edited; the public sees published results only; auditors browse and export the trail;
/// microdata go to those who may export restricted data, and each export is recorded.
async fn oversight<S: Store>(store: S) {
    let (public, open, closed) = demo_platform(&store).await;
    let office = with_bearer(&public, &token(&public, "office").await);
    let commerce = with_bearer(&public, &token(&public, "commerce").await);
    let auditor = with_bearer(&public, &token(&public, "auditor").await);
    let evaluator = with_bearer(&public, &token(&public, "evaluator").await);

    // The public: the open wave and the published one, a draft nowhere.
    post_json(
        &office,
        "/api/v1/waves",
        json!({"name": "draft in progress"}),
    )
    .await;
    let listed = |router: Router| async move {
        get(&router, "/api/v1/waves")
            .await
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(public.clone()).await.len(), 2);
    assert!(!listed(public.clone())
        .await
        .contains(&"draft in progress".to_string()));
    assert!(listed(office.clone())
        .await
        .contains(&"draft in progress".to_string()));
    assert!(!get(&public, "/").await.body.contains("draft in progress"));
    // A published project's trend shows the public the published waves only.
    let trend = |router: Router| async move {
        get(
            &router,
            &format!("/api/v1/waves/{closed}/projects/breakfast"),
        )
        .await
        .json()["trend"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(trend(public.clone()).await, 1);
    assert_eq!(trend(office.clone()).await, 2);
    assert_eq!(trend(commerce.clone()).await, 2, "its own project, live");

    // A district officer follows their district live, not another one.
    let huangpu = with_bearer(&public, &token(&public, "huangpu").await);
    let own = get(&huangpu, &format!("/api/v1/waves/{open}/districts/310101")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.json()["projects"].as_array().unwrap().len(), 16);
    assert!(
        get(&huangpu, &format!("/api/v1/waves/{open}/districts/310104"))
            .await
            .denied
    );
    assert!(get(&huangpu, &format!("/waves/{open}")).await.denied);
    assert!(get(&huangpu, "/")
        .await
        .body
        .contains(&format!("/waves/{open}/districts/310101")));
    let published_district = get(&public, &format!("/waves/{closed}/districts/310104")).await;
    assert_eq!(published_district.status, StatusCode::OK);
    assert!(published_district.body.contains("徐汇区"));

    // Publishing: the office only, closed waves only, one decision superseding the other.
    let decide = |router: Router, wave: i64, publish: bool| async move {
        post_json(
            &router,
            &format!("/api/v1/waves/{wave}/publication"),
            json!({"publish": publish, "statement": "复核完成"}),
        )
        .await
    };
    assert_eq!(
        decide(commerce.clone(), closed, false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        decide(office.clone(), open, true).await.status,
        StatusCode::CONFLICT,
        "an open wave's results are not published"
    );
    let withdrawn = decide(office.clone(), closed, false).await;
    assert_eq!(withdrawn.status, StatusCode::CREATED, "{}", withdrawn.body);
    let withdrawn = withdrawn.json();
    assert_eq!(withdrawn["decided_by"], "office");
    assert!(withdrawn["supersedes"].is_i64());
    assert!(get(&public, &format!("/waves/{closed}")).await.denied);
    assert!(
        get(&public, &format!("/api/v1/waves/{closed}/aggregates.csv"))
            .await
            .denied
    );
    let republished = decide(office.clone(), closed, true).await.json();
    assert_eq!(republished["supersedes"], withdrawn["id"]);
    assert!(!get(&public, &format!("/waves/{closed}")).await.denied);
    let decisions = get(&public, "/api/v1/decisions").await.json();
    let about_waves: Vec<&serde_json::Value> = decisions
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["subject"].as_str().unwrap().starts_with("wave/"))
        .collect();
    assert_eq!(
        about_waves.len(),
        3,
        "beside the demo's publication of projects"
    );
    assert_eq!(about_waves[2]["decided_by_name"], "市协调办 演示用户");

    // Microdata: the evaluator exports the closed wave in the interchange format.
    assert!(
        get(&commerce, &format!("/api/v1/waves/{closed}/responses.csv"))
            .await
            .denied
    );
    assert!(
        get(&public, &format!("/api/v1/waves/{closed}/responses.csv"))
            .await
            .denied
    );
    let export = get(&evaluator, &format!("/api/v1/waves/{closed}/responses.csv")).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.headers["x-information-grade"], "restricted");
    assert!(export.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("restricted"));
    let published_csv = get(&public, &format!("/api/v1/waves/{closed}/aggregates.csv")).await;
    assert_eq!(published_csv.headers["x-information-grade"], "public");
    let live_csv = get(&office, &format!("/api/v1/waves/{open}/aggregates.csv")).await;
    assert_eq!(live_csv.headers["x-information-grade"], "restricted");
    let lines: Vec<&str> = export.body.lines().collect();
    assert!(lines[0].starts_with("respondent_id,wave,district,gender,age"));
    let evaluation = get(&evaluator, &format!("/api/v1/waves/{closed}/evaluation"))
        .await
        .json();
    let ratings: u64 = evaluation["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["n"].as_u64().unwrap())
        .sum();
    assert_eq!(
        lines.len() as u64 - 1,
        ratings,
        "one row per respondent and project"
    );
    let respondents: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(respondents.len(), 600);
    assert!(
        respondents
            .iter()
            .all(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())),
        "respondents are known by their keyed hash only"
    );

    // Roles from the web: the office gives and takes back roles within its own (never one
    // that reads restricted data); nobody changes their own roles.
    let role = |router: Router, account: &str, role: &str, scope: &str, grant: bool| {
        let body = json!({"account": account, "role": role, "scope": scope, "grant": grant});
        async move { post_json(&router, "/api/v1/roles", body).await }
    };
    assert!(
        role(
            commerce.clone(),
            "planning",
            "district_officer",
            "310101",
            true
        )
        .await
        .denied
    );
    assert_eq!(
        role(office.clone(), "office", "district_officer", "310101", true)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        role(office.clone(), "commerce", "auditor", "", true)
            .await
            .status,
        StatusCode::FORBIDDEN,
        "roles that read restricted data are given on the command line only"
    );
    assert_eq!(
        role(
            office.clone(),
            "commerce",
            "district_officer",
            "commerce",
            true
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a district officer is one for a district or street"
    );
    let district_page = format!("/api/v1/waves/{open}/districts/310101");
    assert!(get(&commerce, &district_page).await.denied);
    assert_eq!(
        role(
            office.clone(),
            "commerce",
            "district_officer",
            "310101",
            true
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        get(&commerce, &district_page).await.status,
        StatusCode::OK,
        "the new role holds at the next request"
    );
    assert_eq!(
        role(
            office.clone(),
            "commerce",
            "district_officer",
            "310101",
            false
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        get(&commerce, &district_page).await.status,
        StatusCode::UNAUTHORIZED,
        "taking a role back ends the account's sessions"
    );
    assert_eq!(
        role(
            office.clone(),
            "commerce",
            "district_officer",
            "310101",
            false
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    // The same through the organisation page's form.
    let csrf = get(&office, "/api/v1/sessions/current").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(get(&office, "/organisation")
        .await
        .body
        .contains("/organisation/roles"));
    assert!(!get(&auditor, "/organisation")
        .await
        .body
        .contains("/organisation/roles"));
    let form = call(
        &office,
        "POST",
        "/organisation/roles",
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&account=planning&role=district_officer&scope=310104&action=grant"),
        )),
        &[],
    )
    .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
    // Roles, units and kinds are shown by name; nobody reads or types a code.
    let organisation = visible_text(&get(&office, "/organisation").await.body);
    assert!(organisation.contains("区级联络员"), "{organisation}");
    assert!(organisation.contains("全市"));
    for code in [
        "district_officer",
        "lead_department",
        "coordination_office",
        "department",
    ] {
        assert!(
            !organisation.contains(code),
            "the code {code} is shown: {organisation}"
        );
    }

    // The audit trail: auditors browse, verify and export it; everything above is in it.
    assert!(get(&office, "/audit").await.status == StatusCode::OK);
    assert!(get(&commerce, "/api/v1/audit").await.denied);
    let trail = get(&auditor, "/api/v1/audit").await.json();
    assert_eq!(trail["verification"]["intact"], true);
    let entries = trail["entries"].as_array().unwrap();
    let find = |action: &str| -> Vec<&Value> {
        entries.iter().filter(|e| e["action"] == action).collect()
    };
    assert_eq!(find("decision.withdraw_results")[0]["actor"], "office");
    assert_eq!(find("wave.export_microdata")[0]["actor"], "evaluator");
    let grants = find("role.grant");
    assert!(grants
        .iter()
        .any(|e| e["actor"] == "office" && e["subject"] == "account/commerce"));
    assert_eq!(find("role.revoke")[0]["actor"], "office");
    assert!(find("wave.create")
        .iter()
        .any(|e| e["actor"] == "office"
            && e["after"].as_str().unwrap().contains("draft in progress")));
    let page = get(&auditor, "/audit").await;
    assert!(page.body.contains("哈希链完整"));
    // Recorded values are shown in words too (only a value that is not a record stays code).
    let audit_text: String = page
        .body
        .split("<code>")
        .map(|part| part.split_once("</code>").map_or(part, |(_, rest)| rest))
        .map(visible_text)
        .collect();
    assert!(audit_text.contains("授予角色") && audit_text.contains("评价："));
    assert!(
        audit_text.contains("工程：早餐工程"),
        "a project by its name: {audit_text}"
    );
    assert!(
        audit_text.contains("决定：决定公布结果") && audit_text.contains("状态：进行中"),
        "recorded values in words: {audit_text}"
    );
    for code in [
        "role.grant",
        "wave/",
        "decision.",
        "project/",
        "publish_results",
        "\"status\"",
    ] {
        assert!(!audit_text.contains(code), "the code {code} is shown");
    }
    let decisions_only = get(&auditor, "/api/v1/audit?action=decision.").await.json();
    let narrowed = decisions_only["entries"].as_array().unwrap();
    let about_results = narrowed
        .iter()
        .filter(|e| e["action"] != "decision.move_stage")
        .count();
    let about_waves = narrowed
        .iter()
        .filter(|e| e["subject"].as_str().unwrap().starts_with("wave/"))
        .count();
    assert_eq!(
        about_waves, 3,
        "the demo's publication, the withdrawal and the new publication"
    );
    assert_eq!(
        about_results - about_waves,
        15,
        "the demo publishes the delivery of every project but parking"
    );
    assert_eq!(
        narrowed.len() - about_results,
        32,
        "and the demo's 16 projects each moved twice"
    );
    assert!(narrowed
        .iter()
        .all(|e| e["action"].as_str().unwrap().starts_with("decision.")));
    assert_eq!(decisions_only["verification"]["intact"], true);
    let by_office = get(&auditor, "/audit?actor=office&subject=wave/").await;
    assert!(
        by_office
            .body
            .contains("<span title=\"decision.withdraw_results\">决定撤回结果</span>"),
        "the page names the action, its code only in the tooltip"
    );
    assert!(!by_office.body.contains("system:demo"));
    // The anchor is public and matches the trail's last entry.
    let anchor = get(&public, "/api/v1/audit/head").await.json();
    let last = entries.last().unwrap();
    assert_eq!(
        anchor["anchor"],
        format!("{}:{}", last["sequence"], last["hash"].as_str().unwrap())
    );
    assert!(get(&public, "/")
        .await
        .body
        .contains(anchor["anchor"].as_str().unwrap()));
    let csv = get(&auditor, "/api/v1/audit.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv
        .body
        .starts_with("sequence,at_ms,actor,action,subject,before,after,hash"));
    let again = get(&auditor, "/api/v1/audit").await.json();
    assert!(again["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "audit.export" && e["actor"] == "auditor"));
}

on_both_databases!(oversight, oversight_on_sqlite, oversight_on_postgres);

/// Published outputs withhold the scores of projects with too few respondents (the small
/// cells), whatever the request asks; the city's staff see them.
async fn small_cells<S: Store>(store: S) {
    let state = start_state(&store).await;
    let public = application(state);
    let office = as_office(&store, &public).await;
    let created = post_json(
        &office,
        "/api/v1/waves",
        json!({"name": "small", "projects": ["parking", "medical"]}),
    )
    .await;
    let id = created.json()["id"].as_i64().unwrap();
    post_json(&office, &format!("/api/v1/waves/{id}/open"), json!({})).await;
    for k in 0..3 {
        let answer = json!({
            "token": citizen(id, &format!("citizen-{k}")),
            "profile": {"district": "310104"},
            "ratings": [{"project": "parking", "answers": {"awareness": 2 + k, "quality": 4}}]
        });
        let stored = post_json(&public, &format!("/api/v1/waves/{id}/responses"), answer).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    }
    post_json(&office, &format!("/api/v1/waves/{id}/close"), json!({})).await;
    let published = post_json(
        &office,
        &format!("/api/v1/waves/{id}/publication"),
        json!({"publish": true, "statement": "test"}),
    )
    .await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);

    let parking = |evaluation: Value| {
        evaluation["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "parking")
            .unwrap()
            .clone()
    };
    for uri in [
        format!("/api/v1/waves/{id}/evaluation"),
        format!("/api/v1/waves/{id}/evaluation?min_respondents=1"),
    ] {
        let seen = parking(get(&public, &uri).await.json());
        assert_eq!(seen["n"], 3, "counts stay");
        assert!(
            seen["recognition"].is_null()
                && seen["items"]["awareness"]["mean"].is_null()
                && seen["items"]["awareness"]["counts"] == json!([])
                && seen["gap"]["mean"].is_null(),
            "{uri}: {seen}"
        );
    }
    let staff = parking(
        get(
            &office,
            &format!("/api/v1/waves/{id}/evaluation?min_respondents=1"),
        )
        .await
        .json(),
    );
    assert!(staff["recognition"].is_number(), "{staff}");
    let project = get(&public, &format!("/api/v1/waves/{id}/projects/parking"))
        .await
        .json();
    assert!(project["project"]["recognition"].is_null());
    assert!(project["trend"][0]["project"]["satisfaction"].is_null());
    let csv = get(&public, &format!("/api/v1/waves/{id}/aggregates.csv")).await;
    let row = csv.body.lines().find(|l| l.starts_with("parking")).unwrap();
    assert!(
        row.starts_with("parking,停车难综合治理,Parking difficulty,3,false,,"),
        "{row}"
    );
    let page = get(&public, &format!("/waves/{id}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
}

on_both_databases!(small_cells, small_cells_on_sqlite, small_cells_on_postgres);
