//! The identity step: signing in with a password, sessions, and who the visitor of a request
//! is. Everything else asks [`Visitor`] only, so single sign-on can replace this module later.
//!
//! - A session's token (32 random bytes) lives only in the browser's cookie (`Secure`,
//!   `HttpOnly`, `SameSite=Strict`) or in an API client (`Authorization: Bearer`); storage
//!   keeps its SHA-256. Sessions end after [`SESSION_HOURS`], on sign-out, or when the account
//!   is disabled.
//! - From the fifth failed sign-in in a row an account waits before its next attempt, one
//!   second doubling with each failure up to fifteen minutes (`sign_in_delay_ms`; failures are
//!   counted in the database, so parallel attempts each count; the first wait is recorded in
//!   the audit trail); attempts are also limited per client address (`limits`). An unknown
//!   name, a disabled account, a wrong password and an account that is waiting get the same
//!   answer.
//! - CSRF: every form carries a token derived (HMAC) from the session, or for a visitor not
//!   signed in from a random `minxin_csrf` cookie; a form without the right token is refused.
//!   JSON requests authenticated by the cookie must send it in `X-CSRF-Token`; bearer-token
//!   clients need none (a browser never adds that header on its own).

use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use minxin_domain::organisation::Assignment;
use minxin_domain::platform::{Attribution, Session, Store, StoreError};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::app::accounts::verify_password;
use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::state::AppState;
use crate::ui::i18n::Text;

/// The cookie holding a signed-in browser's session token.
pub const SESSION_COOKIE: &str = "minxin_session";
/// The cookie from which a visitor's CSRF token is derived before signing in.
pub const CSRF_COOKIE: &str = "minxin_csrf";
/// The header carrying the CSRF token on JSON requests authenticated by the cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 8;

/// A signed-in user, as the request's handlers see them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account name.
    pub account: String,
    /// The person's name.
    pub display_name: String,
    /// The roles held, each within its scope.
    pub assignments: Vec<Assignment>,
    /// The session's token hash (to sign out).
    pub token_hash: Vec<u8>,
    /// Signed in with a bearer token (an API client) rather than the browser's cookie.
    pub by_bearer: bool,
}

/// Who is making a request: signed in or not, and the CSRF token their forms carry.
#[derive(Debug, Clone)]
pub struct Visitor {
    /// The signed-in user, if any.
    pub signed_in: Option<Arc<SignedIn>>,
    csrf_token: String,
    /// A fresh `minxin_csrf` value this request minted, to be set on the response.
    minted: Arc<Mutex<Option<String>>>,
}

impl Visitor {
    /// A visitor not signed in, without a CSRF token (whose forms are therefore refused).
    pub fn anonymous() -> Visitor {
        Visitor {
            signed_in: None,
            csrf_token: String::new(),
            minted: Arc::default(),
        }
    }

    /// The roles held (none when not signed in; everyone holds the public role besides).
    pub fn assignments(&self) -> &[Assignment] {
        self.signed_in
            .as_ref()
            .map_or(&[], |user| user.assignments.as_slice())
    }

    /// The account name, if signed in.
    pub fn account(&self) -> Option<&str> {
        self.signed_in.as_deref().map(|user| user.account.as_str())
    }

    /// The token a form of this visitor must carry in its `csrf` field.
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// Checks a form's `csrf` field.
    pub fn check_form(&self, submitted: &str) -> Result<(), ApiError> {
        if !self.csrf_token.is_empty() && constant_time_eq(submitted, &self.csrf_token) {
            Ok(())
        } else {
            Err(ApiError::StaleForm(Text::new(
                "表单已过期，请刷新页面后重试。",
                "the form has expired or did not come from this site; reload it and try again",
            )))
        }
    }

    /// Who a change by this visitor is attributed to, now; `None` when not signed in.
    pub fn attribution(&self) -> Option<Attribution> {
        self.account().map(|account| Attribution {
            actor: account.to_string(),
            at_ms: now_ms(),
        })
    }

    /// The attribution of a change, or the error for a visitor not signed in (the guard
    /// refuses them before any handler that changes something).
    pub fn require_attribution(&self) -> Result<Attribution, ApiError> {
        self.attribution()
            .ok_or_else(|| ApiError::unauthenticated("请先登录。", "sign in first"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .unwrap_or_else(Visitor::anonymous))
    }
}

/// Compares two strings without stopping at the first difference.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The SHA-256 of a session token, as storage knows it.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    minxin_domain::hex::encode(&buffer)
}

/// The CSRF token bound to `binding` (a session's token hash, or a visitor's CSRF cookie).
fn csrf_token_for(secret: &[u8], kind: &str, binding: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"minxin csrf/");
    mac.update(kind.as_bytes());
    mac.update(b"/");
    mac.update(binding);
    minxin_domain::hex::encode(&mac.finalize().into_bytes()[..16])
}

/// A `Set-Cookie` value with the platform's cookie attributes.
pub fn cookie_header(name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}"
    ))
    .expect("cookie values are plain ASCII")
}

/// Middleware on every request: finds the session (cookie or bearer token) and the CSRF
/// token, puts the [`Visitor`] in the request's extensions, and adds the security headers to
/// the answer (one layer rather than two: each layer costs every request a little).
pub async fn identify<S: Store>(
    State(state): State<AppState<S>>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let from_cookie = cookie(headers, SESSION_COOKIE);
    let (token, by_bearer) = match (bearer, from_cookie) {
        (Some(token), _) => (Some(token), true),
        (None, Some(token)) => (Some(token), false),
        (None, None) => (None, false),
    };
    let mut signed_in = None;
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let hash = token_hash(token);
        match state.store.session(&hash, now_ms()).await {
            Ok(Some((_, account, assignments))) => {
                signed_in = Some(Arc::new(SignedIn {
                    account: account.name,
                    display_name: account.display_name,
                    assignments,
                    token_hash: hash,
                    by_bearer,
                }))
            }
            Ok(None) => {}
            Err(error) => return ApiError::from(error).into_response(),
        }
    }
    let secret = state.secret.bytes();
    let mut minted = None;
    let csrf_token = match &signed_in {
        Some(user) => csrf_token_for(secret, "session", &user.token_hash),
        None => match cookie(request.headers(), CSRF_COOKIE) {
            Some(value) if !value.is_empty() => csrf_token_for(secret, "visitor", value.as_bytes()),
            // The API needs no CSRF cookie: its forms-free clients are not browsers' forms.
            _ if request.uri().path().starts_with("/api/") => String::new(),
            _ => {
                let value = random_hex(16);
                let token = csrf_token_for(secret, "visitor", value.as_bytes());
                minted = Some(value);
                token
            }
        },
    };
    let visitor = Visitor {
        signed_in,
        csrf_token,
        minted: Arc::new(Mutex::new(minted)),
    };
    let minted = visitor.minted.clone();
    let api = request.uri().path().starts_with("/api/");
    request.extensions_mut().insert(visitor);
    let mut response = next.run(request).await;
    if let Some(value) = minted.lock().expect("csrf lock").take() {
        response
            .headers_mut()
            .append(SET_COOKIE, cookie_header(CSRF_COOKIE, &value, 24 * 3600));
    }
    if api {
        response = crate::app::security::api_error_as_json(response).await;
    }
    crate::app::security::add_headers(&mut response, api);
    response
}

/// Whether a request changes something and must prove it came from the site with the
/// `X-CSRF-Token` header, because its credential is the browser's cookie. Only routes whose
/// rule is a form (`Rule::with_form`, handled with the form's CSRF field) are exempt; the
/// request's content type exempts nothing, so an API route posted as a form or multipart
/// body with the cookie alone is refused.
pub fn needs_csrf_header(method: &Method, visitor: &Visitor, form_route: bool) -> bool {
    let changes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let by_cookie = visitor
        .signed_in
        .as_ref()
        .is_some_and(|user| !user.by_bearer);
    changes && by_cookie && !form_route
}

/// Checks the `X-CSRF-Token` header of a JSON request authenticated by the cookie.
pub fn check_csrf_header(headers: &HeaderMap, visitor: &Visitor) -> Result<(), ApiError> {
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    visitor.check_form(sent)
}

/// Why signing in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown name, disabled account, wrong password, or an account waiting after repeated
    /// failures: one answer for all four.
    #[error("the name or the password is wrong (after repeated failures, wait a moment before trying again)")]
    WrongCredentials,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new session's token (to hand to the browser or client) and its record.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The token: shown once, never stored.
    pub token: String,
    /// The stored session.
    pub session: Session,
}

/// Checks `name` and `password` and starts a session; counts failures, after which the
/// account waits as `sign_in_delay_ms` says (the first wait is recorded in the audit trail).
pub async fn sign_in<S: Store>(
    store: &S,
    name: &str,
    password: &str,
) -> Result<NewSession, SignInError> {
    let now = now_ms();
    if name.contains('\0') || password.contains('\0') {
        return Err(SignInError::Store(StoreError::InvalidText(
            if name.contains('\0') {
                "name"
            } else {
                "password"
            }
            .into(),
        )));
    }
    let account = store.account(name).await?;
    // An unknown name, a disabled account and an account still waiting after failures all
    // get the answer of a wrong password, after the same argon2 work, so that neither the
    // answer nor its timing tells them apart (nor does a wait tell that a name exists).
    let Some(account) = account.filter(|a| !a.disabled && a.locked_until_ms <= now) else {
        let password = password.to_string();
        let _ = tokio::task::spawn_blocking(move || verify_password(dummy_hash(), &password)).await;
        return Err(SignInError::WrongCredentials);
    };
    let hash = account.password_hash.clone();
    let given = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &given))
        .await
        .unwrap_or(false);
    if !matches {
        // Counted in the database, so parallel wrong passwords each count.
        store.record_failed_sign_in(&account.name, now).await?;
        return Err(SignInError::WrongCredentials);
    }
    if account.failed_sign_ins > 0 || account.locked_until_ms > 0 {
        store.record_sign_in(&account.name, 0, 0).await?;
    }
    let token = random_hex(32);
    let session = Session {
        token_hash: token_hash(&token),
        account: account.name.clone(),
        created_at_ms: now,
        expires_at_ms: now + SESSION_HOURS * 3_600_000,
    };
    store.create_session(&session).await?;
    Ok(NewSession { token, session })
}

/// An argon2id hash of a random password nobody knows (made once per process), verified
/// against when the name is unknown so that unknown names take as long as wrong passwords.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        crate::app::accounts::hash_password(&crate::app::accounts::generate_password())
            .unwrap_or_default()
    })
}

/// Ends the visitor's session, if signed in.
pub async fn sign_out<S: Store>(store: &S, visitor: &Visitor) -> Result<(), StoreError> {
    if let Some(user) = &visitor.signed_in {
        store.end_session(&user.token_hash, now_ms()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; minxin_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, CSRF_COOKIE), None);
    }

    #[test]
    fn csrf_tokens_depend_on_the_secret_and_the_binding() {
        let a = csrf_token_for(b"key one", "session", b"x");
        assert_eq!(a, csrf_token_for(b"key one", "session", b"x"));
        assert_ne!(a, csrf_token_for(b"key two", "session", b"x"));
        assert_ne!(a, csrf_token_for(b"key one", "session", b"y"));
        assert_ne!(a, csrf_token_for(b"key one", "visitor", b"x"));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn only_the_exact_token_passes_a_form() {
        let visitor = Visitor {
            signed_in: None,
            csrf_token: "0123456789abcdef".into(),
            minted: Arc::default(),
        };
        assert!(visitor.check_form("0123456789abcdef").is_ok());
        assert!(visitor.check_form("0123456789abcdee").is_err());
        assert!(visitor.check_form("").is_err());
        let without = Visitor {
            csrf_token: String::new(),
            ..visitor
        };
        assert!(without.check_form("").is_err());
    }

    #[test]
    fn the_dummy_hash_is_well_formed_and_matches_nothing_simple() {
        assert!(argon2::password_hash::PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify_password(dummy_hash(), ""));
        assert!(!verify_password(dummy_hash(), "password1234"));
    }
}
