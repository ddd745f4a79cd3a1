//! Security headers on every response, and the page for unknown paths (which reveals nothing
//! about the platform's internals).
//!
//! The pages use no script at all, so the content security policy forbids scripts outright;
//! styles come from the site's one style sheet and from style attributes (bar widths, chart
//! sizes); images are inline SVG or from the site.
//! JSON answers get the short policy of an API (nothing may be loaded or framed): the intake's
//! answers are small, and every byte of header is paid for thousands of times a second.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The content security policy of every response.
pub const CONTENT_SECURITY: &str =
    "default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The content security policy of JSON and file answers.
pub const API_CONTENT_SECURITY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds the security headers to a response (`api`: a JSON or file answer of `/api/`); pages
/// and data that depend on who asks are not kept by shared caches.
pub fn add_headers(response: &mut Response, api: bool) {
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if api {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CONTENT_SECURITY),
        );
    } else {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY),
        );
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    }
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
}

/// An error answer of the API as the error schema (`{"error": ...}`): the framework's own
/// refusals (a body that is not JSON, a query that cannot be read, a body too large, an unknown
/// path) come as plain text or a page, so their text is carried over into JSON. Answers that
/// are JSON already, and every success, pass unchanged (no body is read for them).
pub async fn api_error_as_json(response: Response) -> Response {
    let status = response.status();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(status.is_client_error() || status.is_server_error())
        || content_type.starts_with("application/json")
    {
        return response;
    }
    let plain_text = content_type.starts_with("text/plain");
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 64 << 10).await {
        Ok(bytes) if plain_text && !bytes.is_empty() => {
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = serde_json::json!({ "error": text }).to_string();
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The answer to a path the platform does not have.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        crate::ui::layout::message_page(
            "找不到该页面 / Not found",
            "没有这个页面。This page does not exist.",
        ),
    )
        .into_response()
}
