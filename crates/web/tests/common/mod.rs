//! What the web tests share: requests through the router without a socket, the response as
//! text, signed-in staff (accounts with roles, bearer tokens), forms with their CSRF token,
//! and the macro that runs a scenario on both databases.
#![allow(dead_code)]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::Router;
use minxin_domain::access::Role;
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{Account, Attribution, Store};
use minxin_web::app::identity::RespondentSecret;
use serde_json::Value;
use tower::ServiceExt;

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
    /// The guard refused the request.
    pub denied: bool,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn call(
    router: &Router,
    method: &str,
    uri: &str,
    body: Option<(&str, String)>,
    headers: &[(&str, &str)],
) -> Response {
    let body = body.map(|(content_type, text)| (content_type, text.into_bytes()));
    send(router, method, uri, body, headers).await
}

pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    body: Option<(&str, Vec<u8>)>,
    headers: &[(&str, &str)],
) -> Response {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some((content_type, body)) => request
            .header("content-type", content_type)
            .body(Body::from(body)),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let denied = response
        .extensions()
        .get::<minxin_web::app::guard::AccessDenied>()
        .is_some();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap();
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
        denied,
    }
}

pub async fn get(router: &Router, uri: &str) -> Response {
    call(router, "GET", uri, None, &[]).await
}

pub async fn post_json(router: &Router, uri: &str, body: Value) -> Response {
    call(
        router,
        "POST",
        uri,
        Some(("application/json", body.to_string())),
        &[],
    )
    .await
}

/// What a form needs to pass the CSRF check: the cookie a page set (for a visitor not signed
/// in) and the token of the form's hidden field, read off the sign-in page.
pub async fn form_credentials(router: &Router) -> (String, String) {
    let page = get(router, "/sign-in").await;
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("minxin_csrf="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .unwrap_or_default();
    (cookie, hidden_field(&page.body, "csrf"))
}

/// The value of the hidden field `name` in a page.
pub fn hidden_field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden field {name} in {page}"))
        + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

/// Posts a form with its CSRF token, as a browser would after loading the form.
pub async fn post_form(router: &Router, uri: &str, form: &str) -> Response {
    let (cookie, csrf) = form_credentials(router).await;
    call(
        router,
        "POST",
        uri,
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&{form}"),
        )),
        &[("cookie", cookie.as_str())],
    )
    .await
}

pub fn secret() -> RespondentSecret {
    RespondentSecret::new(vec![42; 32]).unwrap()
}

/// A platform on `store` that takes citizen tokens signed with the demo's public key.
pub async fn start_state<S: Store>(store: &S) -> minxin_web::AppState<S> {
    minxin_web::AppState::start(store.clone(), secret())
        .await
        .unwrap()
        .with_portal_keys(minxin_web::app::portal::PortalKeys::demo())
}

/// A citizen token for `subject` in `wave`, signed with the demo's key as a portal would,
/// valid for a day.
pub fn citizen(wave: i64, subject: &str) -> String {
    let expires = minxin_web::app::clock::now_ms() / 1000 + 86_400;
    minxin_web::app::portal::PortalKeys::demo()
        .sign(
            minxin_web::app::portal::DEMO_CHANNEL,
            wave,
            subject,
            expires,
        )
        .unwrap()
}

/// The password of every test account.
pub const TEST_PASSWORD: &str = "a-test-password-42";

fn test_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| minxin_web::app::accounts::hash_password(TEST_PASSWORD).unwrap())
}

/// Creates account `name` (if it does not exist) holding `role` within `scope` ("" for the
/// city), signs it in, and returns the session's bearer token.
pub async fn staff_token<S: Store>(store: &S, name: &str, role: Role, scope: &str) -> String {
    if store.account(name).await.unwrap().is_none() {
        store
            .create_account(
                &Account {
                    name: name.into(),
                    display_name: format!("Test {name}"),
                    password_hash: test_hash().into(),
                    disabled: false,
                    created_at_ms: 1,
                    failed_sign_ins: 0,
                    locked_until_ms: 0,
                },
                &Attribution {
                    actor: "test".into(),
                    at_ms: 1,
                },
            )
            .await
            .unwrap();
    }
    let assignment = Assignment {
        role,
        scope: Scope::from_code(scope),
    };
    let by = Attribution {
        actor: "test".into(),
        at_ms: 1,
    };
    store.grant(name, &assignment, &by).await.unwrap();
    minxin_web::app::session::sign_in(store, name, TEST_PASSWORD)
        .await
        .unwrap()
        .token
}

/// The router with every request carrying `token` as its bearer token.
pub fn with_bearer(router: &Router, token: &str) -> Router {
    let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
    router.clone().layer(axum::middleware::map_request(
        move |mut request: Request<Body>| {
            let value = value.clone();
            async move {
                request
                    .headers_mut()
                    .insert(axum::http::header::AUTHORIZATION, value);
                request
            }
        },
    ))
}

/// The demo loaded into a fresh platform on `store`: the router (nobody signed in), the
/// open wave's identifier and the closed, published one's.
pub async fn demo_platform<S: Store>(store: &S) -> (Router, i64, i64) {
    let state = start_state(store).await;
    assert!(minxin_web::demo::load_demo(&state, 2021).await.unwrap());
    let router = minxin_web::application(state);
    let waves = get(&router, "/api/v1/waves").await.json();
    let (open, closed) = (
        waves[0]["id"].as_i64().unwrap(),
        waves[1]["id"].as_i64().unwrap(),
    );
    (router, open, closed)
}

/// The router signed in as account `name` holding `role` within `scope` ("" for the city).
pub async fn as_staff<S: Store>(
    store: &S,
    router: &Router,
    name: &str,
    role: Role,
    scope: &str,
) -> Router {
    with_bearer(router, &staff_token(store, name, role, scope).await)
}

/// The router signed in as the coordination office (account `test.office`).
pub async fn as_office<S: Store>(store: &S, router: &Router) -> Router {
    as_staff(store, router, "test.office", Role::CoordinationOffice, "").await
}

/// Runs `$scenario` (an async function of a store) as two tests: on SQLite in a temporary
/// folder, and on a throw-away PostgreSQL database.
#[macro_export]
macro_rules! on_both_databases {
    ($scenario:ident, $sqlite:ident, $postgres:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let folder = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(&folder.path().join("minxin.db"))
                .await
                .unwrap();
            $scenario(store).await;
        }

        #[tokio::test]
        async fn $postgres() {
            let database = ThrowAwayDatabase::create().await;
            $scenario(PostgresStore::open(&database.url()).await.unwrap()).await;
            database.drop_database().await;
        }
    };
}

/// The text of a page a reader sees: the markup without its tags and attributes (entities
/// left as they are).
#[allow(dead_code)]
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Form fields answering every item of the built-in instrument about `project` with `value`
/// (a level, or `dk` for "don't know"), as the questionnaire's project step posts them.
#[allow(dead_code)]
pub fn all_answers(project: &str, value: &str) -> String {
    minxin_domain::Configuration::defaults()
        .instrument
        .items()
        .iter()
        .map(|item| format!("a.{project}.{}={value}", item.item.code))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs `name` in with the demo's password through the sign-in form, as a browser does; the
/// `Cookie` header of its session.
#[allow(dead_code)]
pub async fn browser_session(router: &Router, name: &str) -> String {
    let (cookie, csrf) = form_credentials(router).await;
    let signed_in = call(
        router,
        "POST",
        "/sign-in",
        Some((
            "application/x-www-form-urlencoded",
            format!(
                "csrf={csrf}&name={name}&password={}&next=/",
                minxin_web::demo::DEMO_PASSWORD
            ),
        )),
        &[("cookie", cookie.as_str())],
    )
    .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    signed_in
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("minxin_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a session cookie")
}

/// A page as the browser session `session` (its `Cookie` header) sees it.
#[allow(dead_code)]
pub async fn page_as(router: &Router, session: &str, uri: &str) -> Response {
    call(router, "GET", uri, None, &[("cookie", session)]).await
}

/// Posts `form` with the CSRF token of the page at `from`, as the browser session `session`
/// does.
#[allow(dead_code)]
pub async fn submit_as(
    router: &Router,
    session: &str,
    from: &str,
    to: &str,
    form: &str,
) -> Response {
    let shown = page_as(router, session, from).await;
    assert_eq!(shown.status, StatusCode::OK, "{from}: {}", shown.body);
    let csrf = hidden_field(&shown.body, "csrf");
    call(
        router,
        "POST",
        to,
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&{form}"),
        )),
        &[("cookie", session)],
    )
    .await
}
