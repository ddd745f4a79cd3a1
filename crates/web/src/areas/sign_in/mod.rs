//! Signing in and out: the sign-in page and sign-out button of the browser (a session cookie),
//! and `/api/v1/sessions` for API clients (a bearer token). Both are open to everyone (they
//! touch only the visitor's own credentials) and limited per client address.

pub mod api;
pub mod pages;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{delete, get, post};
use minxin_domain::platform::Store;
use serde_json::{json, Value};

use crate::app::guard::{RouteEntry, PUBLIC_READ};
use crate::app::limits::PUBLIC_FORM_BYTES;
use crate::app::openapi::error_schema;

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/sign-in",
            PUBLIC_READ,
            get(pages::sign_in_page),
        ),
        RouteEntry::new(
            Method::POST,
            "/sign-in",
            PUBLIC_READ.with_form(),
            post(pages::sign_in_form::<S>).layer(DefaultBodyLimit::max(PUBLIC_FORM_BYTES)),
        ),
        RouteEntry::new(
            Method::POST,
            "/sign-out",
            PUBLIC_READ.with_form(),
            post(pages::sign_out_form::<S>).layer(DefaultBodyLimit::max(PUBLIC_FORM_BYTES)),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/sessions",
            PUBLIC_READ,
            post(api::create_session::<S>).layer(DefaultBodyLimit::max(PUBLIC_FORM_BYTES)),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/sessions/current",
            PUBLIC_READ,
            get(api::current_session),
        ),
        RouteEntry::new(
            Method::DELETE,
            "/api/v1/sessions/current",
            PUBLIC_READ,
            delete(api::end_current_session::<S>),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> Value {
    let error = error_schema();
    json!({
        "paths": {
            "/api/v1/sessions": {"post": {"summary": "Sign in: a bearer token for the Authorization header (sessions last 8 hours; from the fifth wrong password in a row the account waits one second before its next attempt, doubling up to 15 minutes, and is answered 401 as for a wrong password meanwhile; ten attempts a minute per client address)",
                "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "password"], "additionalProperties": false, "properties": {"name": {"type": "string", "pattern": "^[^\\u0000]*$"}, "password": {"type": "string", "pattern": "^[^\\u0000]*$"}}}}}},
                "responses": {"201": {"description": "Signed in", "content": {"application/json": {"schema": {"type": "object", "required": ["token", "account", "expires_at_ms"]}}}},
                              "401": {"description": "Wrong name or password, or an account waiting after repeated failures (one answer for both)", "content": {"application/json": {"schema": error}}},
                              "429": {"description": "Too many attempts from this address", "content": {"application/json": {"schema": error}}}}}},
            "/api/v1/sessions/current": {
                "get": {"summary": "Who is signed in: account, roles with their scopes, and the CSRF token for JSON requests made with the session cookie", "responses": {"200": {"description": "The session"}, "401": {"description": "Not signed in", "content": {"application/json": {"schema": error}}}}},
                "delete": {"summary": "Sign out", "responses": {"204": {"description": "Signed out"}, "401": {"description": "Not signed in", "content": {"application/json": {"schema": error}}}}}}
        },
        "components": {"schemas": {

        }}
    })
}
