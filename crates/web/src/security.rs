//! Security headers on every response, and the page for unknown paths (which reveals nothing
//! about the platform's internals).
//!
//! The pages use no script at all, so the content security policy forbids scripts outright;
//! styles are inline (`<style>` and SVG attributes), images are inline SVG or from the site.
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
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; \
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

/// The answer to a path the platform does not have.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        crate::pages::message_page(
            "找不到该页面 / Not found",
            "没有这个页面。This page does not exist.",
        ),
    )
        .into_response()
}
