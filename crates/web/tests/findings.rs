//! The findings of the platform's review as an attacker, a careless department and a
//! third-party evaluator would use it: each finding is held here by a test that failed before
//! its fix (on both databases where storage is involved).

mod common;

use axum::http::StatusCode;
use common::*;
use minxin_domain::platform::Store;
use minxin_storage::testing::ThrowAwayDatabase;
use minxin_storage::{PostgresStore, SqliteStore};

/// `%3X` for each digit: the wave number as a browser may percent-encode it.
fn percent_digits(id: i64) -> String {
    id.to_string()
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

/// A SQLite store in a temporary folder (kept while the folder lives).
async fn sqlite_store() -> (tempfile::TempDir, SqliteStore) {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    (folder, store)
}

/// Creates a wave from `body` as `office` (asserting it was created), opens it, and returns
/// the created wave's record.
async fn opened_wave(office: &axum::Router, body: serde_json::Value) -> serde_json::Value {
    let created = post_json(office, "/api/v1/waves", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let wave = created.json();
    let id = wave["id"].as_i64().unwrap();
    let opened = post_json(
        office,
        &format!("/api/v1/waves/{id}/open"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    wave
}

/// Finding 1: the guard grades a comparison from the same parsed query the handler reads, so
/// no spelling of an unpublished wave reaches its live scores, and a query whose waves cannot
/// be worked out is refused.
async fn comparison_spellings<S: Store>(store: S) {
    let (router, open, published) = demo_platform(&store).await;
    let spellings = [
        format!("before={published}&after={open}"),
        format!("before={published}&after={}", percent_digits(open)),
        format!("%62efore={published}&%61fter={open}"),
        format!("after={open}&before={published}"),
        format!("before={published}&after=0{open}"),
        format!("before=0{published}&after=00{open}"),
        format!("before={published}&after=%2B{open}"),
        format!("before={published}&after={open}&after={published}"),
        format!("before={published}&before={open}&after={published}"),
        format!("before={published}&after=+{open}"),
        format!("before={published}&after="),
        format!("before=&after={open}"),
        format!("before={published}&after={open}%00"),
        format!("before={published};after={open}"),
        format!("after={open}"),
        format!("before={open}"),
        format!("before={open}&weighted=1"),
        format!("before={published}&after={open}&weighted=true&replicates=2"),
    ];
    for spelling in &spellings {
        for path in ["/api/v1/compare", "/compare"] {
            let uri = format!("{path}?{spelling}");
            let answer = get(&router, &uri).await;
            assert!(
                !answer.status.is_success(),
                "{uri} answered {} to a visitor not signed in: {}",
                answer.status,
                &answer.body[..answer.body.len().min(300)]
            );
            assert!(
                !answer.body.contains("recognition_change") && !answer.body.contains("满意度变化"),
                "{uri} leaked a comparison"
            );
        }
    }
    // Values that name no wave are refused, not graded as public.
    for spelling in [
        format!("before={published}&after=+{open}"),
        format!("before={published}&after="),
        format!("before={published}&after={open}&after={published}"),
    ] {
        let answer = get(&router, &format!("/api/v1/compare?{spelling}")).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{spelling}: {}",
            answer.body
        );
    }
    // The office reads the same comparison in its percent-encoded spelling.
    let office = as_office(&store, &router).await;
    let answer = get(
        &office,
        &format!(
            "/api/v1/compare?before={published}&after={}",
            percent_digits(open)
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.headers["x-information-grade"], "restricted");
}
on_both_databases!(
    comparison_spellings,
    comparison_spellings_sqlite,
    comparison_spellings_postgres
);

/// A submission to `wave` with `token` (or none) from `channel`.
fn answer(token: Option<&str>, channel: Option<&str>) -> serde_json::Value {
    let mut body = serde_json::json!({
        "profile": {"district": "310104", "gender": "female", "age": 40},
        "ratings": [{"project": "parking", "answers": {"awareness": 4, "quality": 3}}]
    });
    if let Some(token) = token {
        body["token"] = token.into();
    }
    if let Some(channel) = channel {
        body["channel"] = channel.into();
    }
    body
}

async fn responses_of(router: &axum::Router, wave: i64) -> i64 {
    get(router, &format!("/api/v1/waves/{wave}")).await.json()["responses"]
        .as_i64()
        .unwrap()
}

/// Finding 2: only a token a configured portal signed for the wave, not expired, adds a
/// response; a person handed over twice has one; a wave may require tokens.
async fn signed_tokens<S: Store>(store: S) {
    use minxin_web::app::portal::PortalKeys;
    let router = minxin_web::application(start_state(&store).await);
    let office = as_office(&store, &router).await;
    let create = |body: serde_json::Value| {
        let office = office.clone();
        async move { opened_wave(&office, body).await["id"].as_i64().unwrap() }
    };
    let wave = create(serde_json::json!({"name": "tokens", "projects": ["parking"]})).await;
    let other = create(serde_json::json!({"name": "other", "projects": ["parking"]})).await;
    let uri = format!("/api/v1/waves/{wave}/responses");
    let now = minxin_web::app::clock::now_ms() / 1000;
    let demo = PortalKeys::demo();
    let stranger = PortalKeys::parse_list(&format!("app={}", "5a".repeat(32))).unwrap();
    let refused = [
        ("invented", "citizen-123".to_string()),
        (
            "invented, in the format",
            format!("v1.{wave}.someone.{}.AAAA", now + 60),
        ),
        (
            "expired",
            demo.sign("app", wave, "someone", now - 1).unwrap(),
        ),
        (
            "another wave's",
            demo.sign("app", other, "someone", now + 60).unwrap(),
        ),
        (
            "an unknown key's",
            stranger.sign("app", wave, "someone", now + 60).unwrap(),
        ),
        (
            "tampered",
            demo.sign("app", wave, "someone", now + 60)
                .unwrap()
                .replace("someone", "someone-else"),
        ),
    ];
    for (what, token) in &refused {
        let response = post_json(&router, &uri, answer(Some(token), None)).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "an {what} token: {}",
            response.body
        );
        assert!(
            response.json()["error"]
                .as_str()
                .unwrap()
                .contains("citizen token"),
            "{}",
            response.body
        );
    }
    assert_eq!(responses_of(&office, wave).await, 0, "nothing was stored");

    // One person handed over twice (two tokens, different expiries) has one response.
    let first = demo.sign("app", wave, "person-1", now + 60).unwrap();
    let second = demo.sign("app", wave, "person-1", now + 600).unwrap();
    let stored = post_json(&router, &uri, answer(Some(&first), None)).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let again = post_json(&router, &uri, answer(Some(&second), Some("app"))).await;
    assert_eq!(again.json()["outcome"], "replaced", "{}", again.body);
    assert_eq!(responses_of(&office, wave).await, 1);
    // The channel is the one whose key signed the token.
    let lying = post_json(&router, &uri, answer(Some(&second), Some("paper"))).await;
    assert_eq!(lying.status, StatusCode::FORBIDDEN, "{}", lying.body);
    let microdata = get(&office, &format!("/api/v1/waves/{wave}/responses.csv")).await;
    assert!(microdata.body.contains(",app,"), "{}", microdata.body);
    assert!(!microdata.body.contains("person-1"), "no subject is stored");

    // A wave that requires tokens takes no anonymous response.
    let strict = create(
        serde_json::json!({"name": "strict", "projects": ["parking"], "tokens_required": true}),
    )
    .await;
    let strict_uri = format!("/api/v1/waves/{strict}/responses");
    let anonymous = post_json(&router, &strict_uri, answer(None, Some("portal"))).await;
    assert_eq!(
        anonymous.status,
        StatusCode::FORBIDDEN,
        "{}",
        anonymous.body
    );
    let token = demo.sign("app", strict, "person-2", now + 60).unwrap();
    let signed = post_json(&router, &strict_uri, answer(Some(&token), None)).await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.body);
    assert_eq!(
        get(&office, &format!("/api/v1/waves/{strict}"))
            .await
            .json()["tokens_required"],
        true
    );
    // A citizen who opens it without a token is told at once, not after answering.
    let welcome = get(&router, &format!("/waves/{strict}/survey")).await;
    assert!(
        welcome
            .body
            .contains("只接受经“一网通办”或“随申办”进入的答卷")
            && !welcome.body.contains("name=\"go\""),
        "{}",
        welcome.body
    );
    let handed_over = get(&router, &format!("/waves/{strict}/survey?token={token}")).await;
    assert!(handed_over.body.contains("name=\"go\""));
    // The questionnaire refuses an invented token too.
    let (cookie, csrf) = form_credentials(&router).await;
    let page = call(
        &router,
        "POST",
        &format!("/waves/{wave}/survey"),
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&at=profile&go=next&lang=en&token=invented&project=parking&a.parking.awareness=4&district=310104"),
        )),
        &[("cookie", cookie.as_str())],
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert_eq!(responses_of(&office, wave).await, 1);
}
on_both_databases!(signed_tokens, signed_tokens_sqlite, signed_tokens_postgres);

/// Finding 19: a wave's period is two ISO dates, the first not after the last.
#[tokio::test]
async fn wave_periods_are_iso_dates_in_order() {
    let (_folder, store) = sqlite_store().await;
    let office = as_office(&store, &minxin_web::application(start_state(&store).await)).await;
    for (start, end, field) in [
        ("next spring", "2026-04-30", "period_start"),
        ("2026-04-01", "2026-04-31", "period_end"),
        ("2026-05-01", "2026-04-30", "period_end"),
    ] {
        let refused = post_json(
            &office,
            "/api/v1/waves",
            serde_json::json!({"name": "w", "period_start": start, "period_end": end}),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.json()["problems"][0]["field"], field);
    }
    let created = post_json(
        &office,
        "/api/v1/waves",
        serde_json::json!({"name": "w", "period_start": "2026-04-01", "period_end": "2026-04-30"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

/// Finding 3: from the web nobody gives a role that reads restricted data or runs the
/// platform, nor one beyond their own, so two accounts cannot raise each other; the city is
/// never left without an administrator. Finding 10: disabling, resetting and revoking end the
/// account's sessions.
async fn roles_and_sessions<S: Store>(store: S) {
    use minxin_domain::access::Role;
    use minxin_domain::organisation::{Assignment, Scope};
    use minxin_domain::platform::{Attribution, StoreError};
    let (router, _, _) = demo_platform(&store).await;
    let admin_token = staff_token(&store, "test.admin", Role::Administrator, "").await;
    let admin = with_bearer(&router, &admin_token);
    let office = as_office(&store, &router).await;
    let accomplice = as_staff(
        &store,
        &router,
        "test.accomplice",
        Role::DistrictOfficer,
        "310101",
    )
    .await;
    let grant = |router: axum::Router, account: &str, role: &str, scope: &str, grant: bool| {
        let body =
            serde_json::json!({"account": account, "role": role, "scope": scope, "grant": grant});
        async move { post_json(&router, "/api/v1/roles", body).await }
    };
    for role in [
        "administrator",
        "coordination_office",
        "evaluator",
        "auditor",
    ] {
        for (who, visitor) in [("admin", &admin), ("office", &office)] {
            let refused = grant(visitor.clone(), "test.accomplice", role, "", true).await;
            assert_eq!(
                refused.status,
                StatusCode::FORBIDDEN,
                "{who} gave {role}: {}",
                refused.body
            );
            assert!(refused.body.contains("command line"), "{}", refused.body);
        }
    }
    // What is within one's own may be given, in one's own scope.
    let given = grant(
        admin.clone(),
        "test.accomplice",
        "lead_department",
        "commerce",
        true,
    )
    .await;
    assert_eq!(given.status, StatusCode::NO_CONTENT, "{}", given.body);
    let beyond = grant(
        accomplice.clone(),
        "test.admin",
        "district_officer",
        "310104",
        true,
    )
    .await;
    assert_eq!(beyond.status, StatusCode::FORBIDDEN, "{}", beyond.body);
    // (A district officer does not reach the role form at all; the domain's check is tested
    // on its own.)
    let roles = store.assignments().await.unwrap();
    assert!(
        !roles
            .iter()
            .any(|(account, held)| account == "test.accomplice" && held.role == Role::Auditor),
        "{roles:?}"
    );

    // Revoking a role ends the sessions that carried it.
    let revoked = grant(
        admin.clone(),
        "test.accomplice",
        "lead_department",
        "commerce",
        false,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
    assert_eq!(
        get(&accomplice, "/api/v1/sessions/current").await.status,
        StatusCode::UNAUTHORIZED,
        "a revocation ends the account's sessions"
    );
    // Resetting and disabling do too.
    let by = Attribution {
        actor: "test".into(),
        at_ms: minxin_web::app::clock::now_ms(),
    };
    let reset_victim = as_staff(
        &store,
        &router,
        "test.reset",
        Role::DistrictOfficer,
        "310104",
    )
    .await;
    assert_eq!(
        get(&reset_victim, "/api/v1/sessions/current").await.status,
        StatusCode::OK
    );
    store
        .update_account("test.reset", "$argon2id$new-hash", false, &by)
        .await
        .unwrap();
    assert_eq!(
        get(&reset_victim, "/api/v1/sessions/current").await.status,
        StatusCode::UNAUTHORIZED,
        "a reset ends the account's sessions"
    );

    // The last administrator (here `test.admin`) cannot go.
    let account = store.account("test.admin").await.unwrap().unwrap();
    let administrator = Assignment {
        role: Role::Administrator,
        scope: Scope::City,
    };
    assert!(
        matches!(
            store.revoke("test.admin", &administrator, &by).await,
            Err(StoreError::Refused(_))
        ),
        "the last administrator's role stays"
    );
    assert!(
        matches!(
            store
                .update_account("test.admin", &account.password_hash, true, &by)
                .await,
            Err(StoreError::Refused(_))
        ),
        "the last administrator is not disabled"
    );
    assert!(store
        .assignments()
        .await
        .unwrap()
        .contains(&("test.admin".to_string(), administrator.clone())));
    assert!(!store.account("test.admin").await.unwrap().unwrap().disabled);
    assert_eq!(
        get(&admin, "/api/v1/sessions/current").await.status,
        StatusCode::OK,
        "a refused change ends nothing"
    );
}
on_both_databases!(
    roles_and_sessions,
    roles_and_sessions_sqlite,
    roles_and_sessions_postgres
);

/// Finding 5: the questionnaire's form takes each project once, ignores unknown ones, and
/// refuses more fields or a larger body than a questionnaire can have.
#[tokio::test]
async fn questionnaire_forms_are_bounded() {
    let (_folder, store) = sqlite_store().await;
    let (router, open, _) = demo_platform(&store).await;
    let uri = format!("/waves/{open}/survey");
    let repeated = |times: usize| "&project=breakfast".repeat(times);
    let items = post_form(
        &router,
        &uri,
        &format!(
            "at=choose&go=next&lang=zh-CN{}&project=nope&project=parking",
            repeated(900)
        ),
    )
    .await;
    assert_eq!(items.status, StatusCode::OK);
    assert_eq!(
        items
            .body
            .matches("name=\"project\" value=\"breakfast\"")
            .count(),
        1,
        "each project once"
    );
    assert_eq!(
        items
            .body
            .matches("name=\"project\" value=\"parking\"")
            .count(),
        1
    );
    assert!(!items.body.contains("nope"));
    assert!(items.body.len() < 200_000, "{} bytes", items.body.len());
    let many_fields = post_form(&router, &uri, &format!("at=choose{}", "&x=".repeat(1100))).await;
    assert_eq!(many_fields.status, StatusCode::PAYLOAD_TOO_LARGE);
    let large = post_form(&router, &uri, &format!("at=choose{}", repeated(32_000))).await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    let sign_in = post_form(&router, "/sign-in", &format!("name={}", "x".repeat(70_000))).await;
    assert_eq!(sign_in.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Finding 6: with the session cookie, only form routes (whose handlers check the form's
/// CSRF field) go without the CSRF header; an API route sent a form or multipart body does
/// not.
async fn csrf_on_api_routes<S: Store>(store: S) {
    let (router, open, _) = demo_platform(&store).await;
    let session = browser_session(&router, "office").await;
    for (path, content_type) in [
        (
            format!("/api/v1/waves/{open}/close"),
            "application/x-www-form-urlencoded",
        ),
        (
            format!("/api/v1/waves/{open}/close"),
            "multipart/form-data; boundary=x",
        ),
        (
            format!("/api/v1/waves/{open}/import"),
            "multipart/form-data; boundary=x",
        ),
        (format!("/api/v1/waves/{open}/import"), "text/csv"),
    ] {
        let forged = call(
            &router,
            "POST",
            &path,
            Some((content_type, String::new())),
            &[("cookie", session.as_str())],
        )
        .await;
        assert_eq!(
            forged.status,
            StatusCode::FORBIDDEN,
            "{path} as {content_type}: {}",
            forged.body
        );
    }
    let csrf = get_with(&router, "/api/v1/sessions/current", &session)
        .await
        .json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let closed = call(
        &router,
        "POST",
        &format!("/api/v1/waves/{open}/close"),
        Some(("application/json", "{}".into())),
        &[
            ("cookie", session.as_str()),
            ("x-csrf-token", csrf.as_str()),
        ],
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
}
on_both_databases!(
    csrf_on_api_routes,
    csrf_on_api_routes_sqlite,
    csrf_on_api_routes_postgres
);

async fn get_with(router: &axum::Router, uri: &str, cookie: &str) -> Response {
    call(router, "GET", uri, None, &[("cookie", cookie)]).await
}

/// Finding 9: failed sign-ins are counted in the database, so parallel wrong passwords each
/// count and the wait begins; a waiting account is answered exactly as a wrong password (and
/// as an unknown name), so names cannot be told apart.
async fn parallel_failures<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    let attempt = |name: &'static str, password: &'static str| {
        let router = router.clone();
        async move {
            post_json(
                &router,
                "/api/v1/sessions",
                serde_json::json!({"name": name, "password": password}),
            )
            .await
        }
    };
    let attempts: Vec<_> = (0..8)
        .map(|_| tokio::spawn(attempt("auditor", "wrong-password")))
        .collect();
    let mut answers = Vec::new();
    for task in attempts {
        answers.push(task.await.unwrap());
    }
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    }
    let account = store.account("auditor").await.unwrap().unwrap();
    assert!(
        account.failed_sign_ins >= minxin_domain::platform::SIGN_IN_DELAY_AFTER,
        "parallel failures each count: {}",
        account.failed_sign_ins
    );
    assert!(account.locked_until_ms > 0, "the wait began");
    let right = attempt("auditor", minxin_web::demo::DEMO_PASSWORD).await;
    let unknown = attempt("nobody-at-all", "wrong-password").await;
    assert_eq!((right.status, &right.body), (unknown.status, &unknown.body));
    assert_eq!(
        (right.status, &right.body),
        (answers[0].status, &answers[0].body)
    );

    // The store counts every one of many concurrent failures.
    let now = minxin_web::app::clock::now_ms();
    let counted = futures_util::future::join_all(
        (0..20).map(|_| store.record_failed_sign_in("evaluator", now)),
    )
    .await;
    let mut counts: Vec<u32> = counted.into_iter().map(|c| c.unwrap().unwrap().0).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
    assert_eq!(
        store.record_failed_sign_in("nobody", now).await.unwrap(),
        None
    );
}
on_both_databases!(
    parallel_failures,
    parallel_failures_sqlite,
    parallel_failures_postgres
);

/// Finding 7: a published wave is not reopened (its public figures would change) until its
/// results are withdrawn by a decision.
async fn published_waves_stay_closed<S: Store>(store: S) {
    let (router, _, published) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    let reopen = format!("/api/v1/waves/{published}/open");
    let refused = post_json(&office, &reopen, serde_json::json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("withdraw"), "{}", refused.body);
    assert_eq!(
        get(&router, &format!("/api/v1/waves/{published}"))
            .await
            .json()["status"],
        "closed"
    );
    let withdrawn = post_json(
        &office,
        &format!("/api/v1/waves/{published}/publication"),
        serde_json::json!({"publish": false, "statement": "to collect late answers"}),
    )
    .await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.body);
    let reopened = post_json(&office, &reopen, serde_json::json!({})).await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
    assert!(
        get(&router, &format!("/api/v1/waves/{published}/evaluation"))
            .await
            .denied,
        "no longer public"
    );
}
on_both_databases!(
    published_waves_stay_closed,
    published_waves_stay_closed_sqlite,
    published_waves_stay_closed_postgres
);

/// Finding 11: rank, quadrant and cut points are the city's unpublished figures: a project's
/// department follows its project's scores in an open wave without its standing, and the
/// administrator reads no project's or district's unpublished figures.
async fn standing_stays_unpublished<S: Store>(store: S) {
    use minxin_domain::access::Role;
    let (router, open, published) = demo_platform(&store).await;
    let department = as_staff(
        &store,
        &router,
        "test.commerce",
        Role::LeadDepartment,
        "commerce",
    )
    .await;
    let office = as_office(&store, &router).await;
    let admin = as_staff(&store, &router, "test.admin", Role::Administrator, "").await;
    // A few answers so that the open wave's breakfast project has a standing to withhold.
    for k in 0..40 {
        let body = serde_json::json!({
            "token": citizen(open, &format!("standing-{k}")),
            "profile": {"district": "310101"},
            "ratings": [
                {"project": "breakfast", "answers": {"awareness": 1 + k % 5, "quality": 4, "satisfaction": 3, "relevance": 4}},
                {"project": "parking", "answers": {"awareness": 3, "quality": 2, "satisfaction": 2, "relevance": 2}}
            ]
        });
        let stored = post_json(&router, &format!("/api/v1/waves/{open}/responses"), body).await;
        assert!(stored.status.is_success(), "{}", stored.body);
    }
    let page = format!("/api/v1/waves/{open}/projects/breakfast");
    let seen = get(&department, &page).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let project = &seen.json()["project"];
    assert!(project["recognition"].is_number(), "{project}");
    for field in ["quadrant", "rank_recognition", "rank_satisfaction"] {
        assert!(project[field].is_null(), "{field}: {project}");
    }
    assert!(!seen.body.contains("cut_points"));
    let by_office = get(&office, &page).await.json();
    assert!(by_office["project"]["rank_recognition"].is_number());
    let html = get(&department, &format!("/waves/{open}/projects/breakfast")).await;
    assert_eq!(html.status, StatusCode::OK);
    // The published wave's standing is public.
    let public = get(
        &department,
        &format!("/api/v1/waves/{published}/projects/breakfast"),
    )
    .await
    .json();
    assert!(public["project"]["rank_recognition"].is_number());
    // The administrator runs the platform and reads no unpublished figures.
    assert!(get(&admin, &page).await.denied);
    assert!(
        get(&admin, &format!("/api/v1/waves/{open}/districts/310101"))
            .await
            .denied
    );
    assert!(
        !get(
            &admin,
            &format!("/api/v1/waves/{published}/projects/breakfast")
        )
        .await
        .denied
    );
}
on_both_databases!(
    standing_stays_unpublished,
    standing_stays_unpublished_sqlite,
    standing_stays_unpublished_postgres
);

/// Finding 12: the running server sees changes of the organisation made outside it (as
/// `minxin org` makes them, straight into storage), without a restart.
async fn organisation_changes_reach_the_server<S: Store>(store: S) {
    use minxin_domain::access::Role;
    use minxin_domain::organisation::{OrgUnit, ProjectDepartment, ProjectPart, UnitKind};
    use minxin_domain::platform::Attribution;
    let (router, open, _) = demo_platform(&store).await;
    let health = as_staff(
        &store,
        &router,
        "test.health",
        Role::LeadDepartment,
        "health",
    )
    .await;
    let page = format!("/api/v1/waves/{open}/projects/parking");
    assert!(get(&health, &page).await.denied, "not yet its project");
    let by = Attribution {
        actor: "cli:test".into(),
        at_ms: minxin_web::app::clock::now_ms(),
    };
    store
        .put_unit(
            &OrgUnit {
                code: "health".into(),
                kind: UnitKind::Department,
                name_zh: "市卫生健康委".into(),
                name_en: "Health Commission".into(),
                parent: None,
            },
            &by,
        )
        .await
        .unwrap();
    store
        .set_project_department(
            &ProjectDepartment {
                department: "health".into(),
                project: "parking".into(),
                part: ProjectPart::Lead,
            },
            &by,
        )
        .await
        .unwrap();
    let mut seen = false;
    for _ in 0..60 {
        if !get(&health, &page).await.denied {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(seen, "the server did not see the new department's project");
}
on_both_databases!(
    organisation_changes_reach_the_server,
    organisation_changes_reach_the_server_sqlite,
    organisation_changes_reach_the_server_postgres
);

/// An empty platform served on a free port with `limits`: its address (and its folder, to
/// keep).
async fn served(
    limits: minxin_web::app::server::ServerLimits,
) -> (std::net::SocketAddr, tempfile::TempDir) {
    let (folder, store) = sqlite_store().await;
    let router = minxin_web::application(start_state(&store).await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(minxin_web::app::server::serve(
        listener,
        router,
        limits,
        std::future::pending(),
    ));
    (address, folder)
}

/// Reads what the server sends until it closes the connection or `patience` passes; whether
/// it closed, and what it sent.
async fn read_until_closed(
    stream: &mut tokio::net::TcpStream,
    patience: std::time::Duration,
) -> (bool, String) {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (true, String::from_utf8_lossy(&received).into()),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (false, String::from_utf8_lossy(&received).into()),
        }
    }
}

/// Finding 13: a connection that sends nothing (or stops halfway through its headers) is
/// closed after the header deadline, a request whose body never comes is answered 408 after
/// the request deadline, and connections beyond the limit wait for a free one.
#[tokio::test]
async fn idle_and_slow_connections_are_closed_and_counted() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let limits = minxin_web::app::server::ServerLimits {
        header_read_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        max_connections: 2,
    };
    let (address, _folder) = served(limits).await;
    let patience = Duration::from_secs(20);

    let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
    let (closed, _) = read_until_closed(&mut silent, patience).await;
    assert!(closed, "a silent connection is closed");

    let mut halfway = tokio::net::TcpStream::connect(address).await.unwrap();
    halfway
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (closed, _) = read_until_closed(&mut halfway, patience).await;
    assert!(closed, "headers that never end close the connection");

    let mut no_body = tokio::net::TcpStream::connect(address).await.unwrap();
    no_body
        .write_all(b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    let (_, answer) = read_until_closed(&mut no_body, patience).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // Two connections hold both slots; a third is served only once one of them goes.
    let limits = minxin_web::app::server::ServerLimits {
        header_read_timeout: Duration::from_secs(60),
        ..limits
    };
    let (address, _folder) = served(limits).await;
    let first = tokio::net::TcpStream::connect(address).await.unwrap();
    let second = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut third = tokio::net::TcpStream::connect(address).await.unwrap();
    third
        .write_all(b"GET /api/v1/waves HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (_, early) = read_until_closed(&mut third, Duration::from_millis(500)).await;
    assert!(early.is_empty(), "served beyond the limit: {early}");
    drop(first);
    let (closed, answer) = read_until_closed(&mut third, patience).await;
    assert!(closed && answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(second);
}

/// Finding 8: published outputs show no statistic of fewer than 30 respondents: an item
/// answered by two people loses its mean and histogram, a district with one respondent its
/// count, and the exact youngest and oldest ages are never shown.
async fn small_cells_everywhere<S: Store>(store: S) {
    let router = minxin_web::application(start_state(&store).await);
    let office = as_office(&store, &router).await;
    let id = opened_wave(
        &office,
        serde_json::json!({"name": "small cells", "projects": ["parking", "medical"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    for k in 0..35u32 {
        let district = if k == 0 { "310151" } else { "310104" };
        let mut answers =
            serde_json::json!({"awareness": 1 + k % 5, "relevance": 3, "satisfaction": 4});
        if k < 2 {
            answers["quality"] = (5 - k).into();
        }
        let body = serde_json::json!({
            "token": citizen(id, &format!("small-{k}")),
            "profile": {"district": district, "age": 20 + k},
            "ratings": [{"project": "parking", "answers": answers}]
        });
        let stored = post_json(&router, &format!("/api/v1/waves/{id}/responses"), body).await;
        assert!(stored.status.is_success(), "{}", stored.body);
    }
    post_json(
        &office,
        &format!("/api/v1/waves/{id}/close"),
        serde_json::json!({}),
    )
    .await;
    let published = post_json(
        &office,
        &format!("/api/v1/waves/{id}/publication"),
        serde_json::json!({"publish": true, "statement": "test"}),
    )
    .await;
    assert!(published.status.is_success(), "{}", published.body);

    let uri = format!("/api/v1/waves/{id}/evaluation");
    let public = get(&router, &uri).await.json();
    let staff = get(&office, &uri).await.json();
    let parking = |evaluation: &serde_json::Value| {
        evaluation["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "parking")
            .unwrap()
            .clone()
    };
    let (public_parking, staff_parking) = (parking(&public), parking(&staff));
    assert!(
        public_parking["recognition"].is_number(),
        "a project of 35 stays"
    );
    assert!(public_parking["items"]["awareness"]["mean"].is_number());
    assert_eq!(public_parking["items"]["quality"]["n"], 2);
    assert!(
        public_parking["items"]["quality"]["mean"].is_null(),
        "{public_parking}"
    );
    assert_eq!(
        public_parking["items"]["quality"]["counts"],
        serde_json::json!([])
    );
    assert!(staff_parking["items"]["quality"]["mean"].is_number());
    let district = |evaluation: &serde_json::Value, code: &str| {
        evaluation["profile"]["district"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap()["count"]
            .clone()
    };
    assert!(
        district(&public, "310151").is_null(),
        "one person in a district"
    );
    assert_eq!(district(&public, "310104"), 34);
    assert_eq!(district(&public, "310101"), 0, "an empty category says so");
    assert_eq!(district(&staff, "310151"), 1);
    assert!(public["profile"]["age"]["min"].is_null() && public["profile"]["age"]["max"].is_null());
    assert!(public["profile"]["age"]["mean"].is_number());
    assert_eq!(staff["profile"]["age"]["min"], 20);
    // The downloads and the printable report follow the same rules.
    let csv = get(&router, &format!("/api/v1/waves/{id}/aggregates.json")).await;
    assert!(
        !csv.body.contains("\"min\":20"),
        "{}",
        &csv.body[..csv.body.len().min(400)]
    );
    let report = get(&router, &format!("/waves/{id}/report")).await;
    assert!(
        report.body.contains("不足 30"),
        "the report marks withheld counts"
    );
}
on_both_databases!(
    small_cells_everywhere,
    small_cells_everywhere_sqlite,
    small_cells_everywhere_postgres
);

/// Finding 15: a NUL character in any text is refused as invalid input (422, naming the
/// field) on both databases, never answered 500, and nothing is stored.
async fn nul_characters<S: Store>(store: S) {
    let (router, _, published) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    let sign_in = post_json(
        &router,
        "/api/v1/sessions",
        serde_json::json!({"name": "off\u{0}ice", "password": "x"}),
    )
    .await;
    assert_eq!(
        sign_in.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        sign_in.body
    );
    let waves_before = get(&office, "/api/v1/waves").await.json();
    let wave = post_json(
        &office,
        "/api/v1/waves",
        serde_json::json!({"name": "bad\u{0}name"}),
    )
    .await;
    assert_eq!(
        wave.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wave.body
    );
    assert_eq!(wave.json()["problems"][0]["field"], "name");
    assert_eq!(get(&office, "/api/v1/waves").await.json(), waves_before);
    let decision = post_json(
        &office,
        &format!("/api/v1/waves/{published}/publication"),
        serde_json::json!({"publish": false, "statement": "nul\u{0}"}),
    )
    .await;
    assert_eq!(
        decision.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        decision.body
    );
    assert!(
        get(&router, &format!("/api/v1/waves/{published}/evaluation"))
            .await
            .status
            .is_success(),
        "still published"
    );
    let role = post_json(
        &office,
        "/api/v1/roles",
        serde_json::json!({"account": "a\u{0}b", "role": "district_officer", "scope": "310101", "grant": true}),
    )
    .await;
    assert!(role.status.is_client_error(), "{}", role.body);
    let audit = get(&office, "/api/v1/audit?actor=%00").await;
    assert!(!audit.status.is_server_error(), "{}", audit.body);
}
on_both_databases!(
    nul_characters,
    nul_characters_sqlite,
    nul_characters_postgres
);

/// Finding 16: CSV exports neutralise cells a spreadsheet would run as formulas.
#[tokio::test]
async fn exports_hold_no_formulas() {
    let (_folder, store) = sqlite_store().await;
    let router = minxin_web::application(start_state(&store).await);
    let office = as_office(&store, &router).await;
    let id = opened_wave(
        &office,
        serde_json::json!({"name": "=HYPERLINK(\"http://evil.example\")", "projects": ["parking"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let body = serde_json::json!({
        "token": citizen(id, "formula"),
        "profile": {"district": "310104"},
        "ratings": [{"project": "parking", "answers": {"awareness": 4}}]
    });
    post_json(&router, &format!("/api/v1/waves/{id}/responses"), body).await;
    let microdata = get(&office, &format!("/api/v1/waves/{id}/responses.csv")).await;
    assert_eq!(microdata.status, StatusCode::OK);
    let row = microdata.body.lines().nth(1).unwrap();
    assert!(row.contains("\"'=HYPERLINK("), "{row}");
    assert!(
        !microdata.body.lines().any(|line| line
            .split(',')
            .any(|cell| cell.starts_with('=') || cell.starts_with("\"="))),
        "{}",
        microdata.body
    );
}

/// Finding 17: a retry of an anonymous submission with the same `Idempotency-Key` stores
/// nothing new (on both databases); without one, or with another key, each counts.
async fn anonymous_retries<S: Store>(store: S) {
    let (router, open, _) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    let before = responses_of(&office, open).await;
    let uri = format!("/api/v1/waves/{open}/responses");
    let send = |key: Option<&'static str>| {
        let router = router.clone();
        let uri = uri.clone();
        async move {
            let body = answer(None, Some("portal")).to_string();
            let mut headers = vec![];
            if let Some(key) = key {
                headers.push(("idempotency-key", key));
            }
            call(
                &router,
                "POST",
                &uri,
                Some(("application/json", body)),
                &headers,
            )
            .await
        }
    };
    let first = send(Some("retry-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let retry = send(Some("retry-1")).await;
    assert_eq!(retry.json()["outcome"], "already_stored", "{}", retry.body);
    assert_eq!(responses_of(&office, open).await, before + 1);
    assert_eq!(send(Some("retry-2")).await.status, StatusCode::CREATED);
    assert_eq!(send(None).await.status, StatusCode::CREATED);
    assert_eq!(responses_of(&office, open).await, before + 3);
}
on_both_databases!(
    anonymous_retries,
    anonymous_retries_sqlite,
    anonymous_retries_postgres
);

/// Finding 18: the public asks a published wave for at most the default number of bootstrap
/// replicates, and a weighted evaluation is computed once per wave, parameters and state of
/// its tallies.
#[tokio::test]
async fn public_replicates_are_capped_and_cached() {
    let (_folder, store) = sqlite_store().await;
    let state = start_state(&store).await;
    assert!(minxin_web::demo::load_demo(&state, 2021).await.unwrap());
    let router = minxin_web::application(state.clone());
    let waves = get(&router, "/api/v1/waves").await.json();
    let published = waves[1]["id"].as_i64().unwrap();
    let uri = |replicates: usize| {
        format!("/api/v1/waves/{published}/robustness?replicates={replicates}&seed=3")
    };
    let refused = get(&router, &uri(10_000)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["problems"][0]["field"], "replicates");
    let first = get(&router, &uri(50)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let cached = |id: i64| {
        let state = state.clone();
        async move { state.wave(id).unwrap().robustness.lock().await.len() }
    };
    assert_eq!(cached(published).await, 1);
    let again = get(&router, &uri(50)).await;
    assert_eq!(again.body, first.body, "the cached result");
    assert_eq!(cached(published).await, 1, "computed once");
    let office = as_office(&store, &router).await;
    assert_eq!(
        get(&office, &uri(2_000)).await.status,
        StatusCode::OK,
        "staff may ask for more"
    );
    // A change of the tallies makes a new computation: a wave with respondents in every
    // census cell (district × sex), then one more.
    let id = opened_wave(
        &office,
        serde_json::json!({"name": "weighted", "projects": ["parking"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let districts = [
        "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113",
        "310114", "310115", "310116", "310117", "310118", "310120", "310151",
    ];
    let submit = |k: usize| {
        let router = router.clone();
        let gender = if k % 2 == 0 { "male" } else { "female" };
        let body = serde_json::json!({
            "token": citizen(id, &format!("weighted-{k}")),
            "profile": {"district": districts[(k / 2) % 16], "gender": gender},
            "ratings": [{"project": "parking", "answers": {"awareness": 1 + k % 5, "quality": 1 + (k * 3) % 5, "satisfaction": 3}}]
        });
        async move { post_json(&router, &format!("/api/v1/waves/{id}/responses"), body).await }
    };
    for k in 0..32 {
        assert!(submit(k).await.status.is_success());
    }
    let weighted = format!("/api/v1/waves/{id}/robustness?replicates=20");
    let before = get(&office, &weighted).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert_eq!(get(&office, &weighted).await.body, before.body);
    assert!(submit(32).await.status.is_success());
    let after = get(&office, &weighted).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert_ne!(before.body, after.body, "the new answer counts");
    assert_eq!(cached(id).await, 1, "the stale result was dropped");
}

/// Finding 20: internal and restricted answers (exports included) are stored by no cache;
/// public ones may be kept privately and revalidated.
#[tokio::test]
async fn restricted_answers_are_not_stored() {
    let (_folder, store) = sqlite_store().await;
    let (router, open, published) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    for uri in [
        format!("/api/v1/waves/{open}/responses.csv"),
        format!("/api/v1/waves/{open}/aggregates.csv"),
        format!("/waves/{open}"),
        "/api/v1/audit.csv".to_string(),
    ] {
        let answer = get(&office, &uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(answer.headers["cache-control"], "no-store", "{uri}");
    }
    let public = get(
        &router,
        &format!("/api/v1/waves/{published}/aggregates.csv"),
    )
    .await;
    assert_eq!(public.headers["cache-control"], "private, no-cache");
}

/// A request of the API test: method, path, body and the documented path it reaches.
type ApiCase = (
    &'static str,
    String,
    Option<(&'static str, String)>,
    &'static str,
);

/// Finding 22: under `/api/` every error is JSON of the error schema (the framework's own
/// refusals included), and the OpenAPI document lists each answer a route gives, with the
/// security it needs.
#[tokio::test]
async fn api_errors_are_json_and_documented() {
    let (_folder, store) = sqlite_store().await;
    let (router, open, published) = demo_platform(&store).await;
    let document = get(&router, "/api/openapi.json").await.json();
    assert!(document.get("security").is_none(), "no global requirement");
    let cases: Vec<ApiCase> = vec![
        (
            "GET",
            "/api/v1/waves/abc".into(),
            None,
            "/api/v1/waves/{id}",
        ),
        (
            "GET",
            format!("/api/v1/waves/{published}/robustness?replicates=x"),
            None,
            "/api/v1/waves/{id}/robustness",
        ),
        (
            "GET",
            format!("/api/v1/waves/{published}/robustness?replicates=20000"),
            None,
            "/api/v1/waves/{id}/robustness",
        ),
        (
            "POST",
            format!("/api/v1/waves/{open}/responses"),
            Some(("application/json", "{not json".into())),
            "/api/v1/waves/{id}/responses",
        ),
        (
            "POST",
            format!("/api/v1/waves/{open}/responses"),
            Some(("text/plain", "{}".into())),
            "/api/v1/waves/{id}/responses",
        ),
        (
            "POST",
            format!("/api/v1/waves/{open}/responses"),
            Some((
                "application/json",
                format!("{{\"x\": \"{}\"}}", "y".repeat(3 << 20)),
            )),
            "/api/v1/waves/{id}/responses",
        ),
        (
            "POST",
            "/api/v1/sessions".into(),
            Some(("application/json", "[]".into())),
            "/api/v1/sessions",
        ),
        (
            "GET",
            format!("/api/v1/waves/{open}/evaluation"),
            None,
            "/api/v1/waves/{id}/evaluation",
        ),
        (
            "POST",
            "/api/v1/waves".into(),
            Some(("application/json", "{}".into())),
            "/api/v1/waves",
        ),
        (
            "GET",
            "/api/v1/compare?before=x".into(),
            None,
            "/api/v1/compare",
        ),
    ];
    for (method, uri, body, documented) in cases {
        let answer = call(&router, method, &uri, body, &[]).await;
        assert!(
            answer.status.is_client_error(),
            "{method} {uri}: {}",
            answer.status
        );
        assert!(
            answer.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {uri}: {:?}",
            answer.headers["content-type"]
        );
        assert!(
            answer.json()["error"].is_string(),
            "{method} {uri}: {}",
            answer.body
        );
        let operation = &document["paths"][documented][method.to_ascii_lowercase()];
        let status = answer.status.as_str();
        assert!(
            operation["responses"].get(status).is_some(),
            "{method} {documented} answers {status}, which the document does not list"
        );
        assert_eq!(
            operation["responses"][status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
    }
    // An unknown API path is answered as JSON too.
    let missing = get(&router, "/api/v1/nothing-here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.json()["error"].is_string());
    // Public operations need no token; restricted ones do.
    assert_eq!(
        document["paths"]["/api/v1/waves"]["get"]["security"],
        serde_json::json!([])
    );
    assert_eq!(
        document["paths"]["/api/v1/audit"]["get"]["security"],
        serde_json::json!([{"bearer": []}])
    );
    assert_eq!(
        document["paths"]["/api/v1/waves/{id}/evaluation"]["get"]["security"],
        serde_json::json!([{}, {"bearer": []}]),
        "a token is needed only before publication"
    );
}

/// Finding 24 (in part): a wave carries its cut-point rule, and every view of it cuts by it.
async fn waves_carry_their_cut_point_rule<S: Store>(store: S) {
    let (router, _, _) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    let refused = post_json(
        &office,
        "/api/v1/waves",
        serde_json::json!({"name": "bad rule", "cut_points": "middle"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["problems"][0]["field"], "cut_points");
    let wave = opened_wave(
        &office,
        serde_json::json!({"name": "targets", "projects": ["parking", "medical"], "cut_points": "99,1"}),
    )
    .await;
    assert_eq!(wave["cut_points"], "99,1");
    let id = wave["id"].as_i64().unwrap();
    for k in 0..3 {
        let body = serde_json::json!({
            "token": citizen(id, &format!("rule-{k}")),
            "profile": {"district": "310104"},
            "ratings": [{"project": "parking", "answers": {"awareness": 3, "quality": 4}}]
        });
        post_json(&router, &format!("/api/v1/waves/{id}/responses"), body).await;
    }
    let evaluation = get(
        &office,
        &format!("/api/v1/waves/{id}/evaluation?min_respondents=1"),
    )
    .await
    .json();
    assert_eq!(evaluation["settings"]["cut_points"]["rule"], "fixed");
    assert_eq!(evaluation["cut_points"]["recognition"], 99.0);
    let parking = evaluation["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "parking")
        .unwrap()
        .clone();
    assert_eq!(parking["quadrant"], "LH");
    let report = get(&office, &format!("/waves/{id}/report")).await;
    assert!(
        report.body.contains("固定目标值"),
        "the report names the rule"
    );
}
on_both_databases!(
    waves_carry_their_cut_point_rule,
    waves_carry_their_cut_point_rule_sqlite,
    waves_carry_their_cut_point_rule_postgres
);

/// Every page of the platform, as the office sees it in the demo, links the one style sheet
/// and carries no style of its own.
#[tokio::test]
async fn every_page_links_the_one_style_sheet() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let (router, open, closed) = demo_platform(&store).await;
    let office = as_office(&store, &router).await;
    let pages: Vec<String> = minxin_web::route_table::<SqliteStore>()
        .into_iter()
        .filter(|entry| {
            entry.method == axum::http::Method::GET
                && !entry.path.starts_with("/api/")
                && !entry.path.starts_with("/assets/")
        })
        .map(|entry| {
            entry
                .path
                .replace("{id}", &closed.to_string())
                .replace("{code}", "parking")
                .replace("{district}", "310104")
        })
        .chain([
            format!("/compare?before={closed}&after={open}"),
            "/no-such-page".to_string(),
        ])
        .collect();
    let mut html_pages = 0;
    for uri in &pages {
        let page = get(&office, uri).await;
        let is_html = page
            .headers
            .get("content-type")
            .is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
        if !is_html {
            continue;
        }
        html_pages += 1;
        assert!(
            page.body
                .contains("<link rel=\"stylesheet\" href=\"/assets/minxin.css?v="),
            "{uri} links the style sheet"
        );
        assert!(
            !page.body.contains("<style"),
            "{uri} has a style of its own"
        );
    }
    assert!(html_pages >= 12, "only {html_pages} pages were seen");
}

/// The local links of a page (`href="/…"`), as a browser would follow them.
fn local_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|link| link.starts_with('/') && !link.starts_with("//"))
        .map(|link| {
            let link = link.split('#').next().unwrap_or(link);
            link.replace("&amp;", "&")
        })
        .collect()
}

/// No dead ends: every demo role (and a citizen) follows every link reachable from the home
/// page, and none answers that the visitor may not see it or that it does not exist. The
/// office also walks the English pages.
#[tokio::test]
async fn every_link_a_role_is_shown_opens() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let (public, _, _) = demo_platform(&store).await;
    let mut visitors = vec![("citizen".to_string(), public.clone(), false)];
    // Each demo role and scope, on an account of the test's own (whose password it knows).
    for (name, _, role, scope) in minxin_web::demo::DEMO_USERS {
        let router = as_staff(&store, &public, &format!("walk.{name}"), role, scope).await;
        visitors.push((name.to_string(), router, name == "office"));
    }
    for (who, router, english) in &visitors {
        let mut seen = std::collections::BTreeSet::from(["/".to_string()]);
        let mut queue = std::collections::VecDeque::from(["/".to_string()]);
        let mut pages = 0;
        while let Some(uri) = queue.pop_front() {
            let page = get(router, &uri).await;
            // A page may explain why it cannot show figures yet (a wave is not weighted
            // before it has respondents who gave what weighting needs: 409, saying so); it
            // may not be closed to the visitor or missing.
            let dead_end = [
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND,
            ];
            assert!(
                !dead_end.contains(&page.status) && !page.status.is_server_error(),
                "{who} is shown a link to {uri}, which answers {}",
                page.status
            );
            if page.status == StatusCode::CONFLICT {
                let says_why = page.body.contains("暂不能加权")
                    || page.body.contains("no weighted evaluation yet");
                assert!(says_why, "{uri} says why: {}", page.body);
            }
            pages += 1;
            let is_html = page
                .headers
                .get("content-type")
                .is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
            if !is_html {
                continue;
            }
            if !uri.contains("lang=en") {
                // Data shown as code (the audit trail's records) is what it is.
                let text = visible_text(&without_code(&page.body));
                assert_eq!(
                    ascii_punctuation_in_chinese(&text),
                    Vec::<String>::new(),
                    "{uri}: Chinese is typeset with full-width punctuation"
                );
                assert!(
                    !text.contains("波次"),
                    "{uri}: 波次 is jargon; a reader says 轮"
                );
                // No English word, bar the names of methods and formats; account names on
                // the oversight pages are data.
                if !uri.starts_with("/audit") && !uri.starts_with("/organisation") {
                    // The visitor's own name (these accounts are the test's: "Test walk.office").
                    let own = format!("Test walk.{who}");
                    assert_eq!(
                        english_words(&text.replace(&own, "")),
                        Vec::<String>::new(),
                        "{uri}: English on a Chinese page"
                    );
                }
            }
            for link in local_links(&page.body) {
                let wanted = *english || !link.contains("lang=en");
                if wanted && seen.len() < 400 && seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
        assert!(pages >= 5, "{who} reached only {pages} pages");
    }
}

/// The English words of `text` (three letters or more), apart from names every reader
/// meets as they are: the language switch, methods (Cronbach, Kish, AVE, HTMT, PLS), formats
/// and the paper's quadrant codes.
fn english_words(text: &str) -> Vec<String> {
    const KEPT: [&str; 13] = [
        "English", "Cronbach", "Kish", "AVE", "HTMT", "PLS", "CSV", "XLSX", "JSON", "TOML", "PDF",
        "UTF", "ACSI",
    ];
    let mut words = std::collections::BTreeSet::new();
    for word in text.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
        if word.len() >= 3 && !KEPT.contains(&word) {
            words.insert(word.to_string());
        }
    }
    words.into_iter().collect()
}

/// `html` without its `<code>` elements.
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<code") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</code>")
            .map_or("", |end| &rest[start + end + "</code>".len()..]);
    }
    out.push_str(rest);
    out
}

/// Where ASCII punctuation touches a Chinese character in `text` (`区,` or `(工程`), with
/// a little context: Chinese is typeset with full-width marks.
fn ascii_punctuation_in_chinese(text: &str) -> Vec<String> {
    let chinese = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (k, c) in chars.iter().enumerate() {
        if !",:;()!?".contains(*c) {
            continue;
        }
        let before = k.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(k + 1).copied();
        if before.is_some_and(chinese) || after.is_some_and(chinese) {
            let from = k.saturating_sub(8);
            let to = (k + 8).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

/// Each role's home page lists what it may open: a department its own projects, a district
/// officer its district with its quota progress, the evaluator the analysis pages (and not
/// the audit trail or the accounts), the auditor the audit trail.
#[tokio::test]
async fn each_role_lands_on_its_workbench() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let (public, open, _) = demo_platform(&store).await;
    let home = |name: &'static str, role, scope: &'static str| {
        let (store, public) = (store.clone(), public.clone());
        async move {
            let router = as_staff(&store, &public, &format!("home.{name}"), role, scope).await;
            get(&router, "/").await.body
        }
    };
    use minxin_domain::access::Role;
    let commerce = home("commerce", Role::LeadDepartment, "commerce").await;
    assert!(commerce.contains("我的工作台") && commerce.contains("牵头部门"));
    assert!(commerce.contains(&format!("href=\"/waves/{open}/projects/breakfast\"")));
    let district = visible_text(&home("huangpu", Role::DistrictOfficer, "310101").await);
    assert!(
        district.contains("黄浦区") && district.contains("配额"),
        "{district}"
    );
    let evaluator = home("evaluator", Role::Evaluator, "").await;
    assert!(evaluator.contains("加权与稳健性"));
    assert!(!evaluator.contains("href=\"/audit") && !evaluator.contains("href=\"/organisation"));
    let auditor = home("auditor", Role::Auditor, "").await;
    assert!(auditor.contains("href=\"/audit"));
    let citizen = get(&public, "/").await.body;
    assert!(!citizen.contains("我的工作台"));
}
