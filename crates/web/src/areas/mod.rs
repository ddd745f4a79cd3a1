//! The areas of the platform, one module each, every one owning its routes with their rules, its
//! pages, its JSON handlers and its OpenAPI fragment. They stand on [`crate::app`] and
//! [`crate::ui`]; an area uses another only one way (results shows the publication section and
//! links to imports; projects shows a project's results; nothing uses projects), which `tests/layering.rs` checks.
//!
//! - [`waves`]: the home page, and creating, opening and closing waves;
//! - [`survey`]: the questionnaire and the submission API;
//! - [`results`]: dashboards, project and district views, comparisons, robustness, the
//!   printable report and the aggregate downloads;
//! - [`imports`]: response files into a wave;
//! - [`publication`]: the signed decisions to publish or withdraw a wave's results;
//! - [`audit`]: the audit trail, its export and its anchor;
//! - [`microdata`]: a wave's responses, for those who may export restricted data;
//! - [`organisation`]: units, projects' departments, accounts and their roles;
//! - [`projects`]: the project register (the list, each project with its citizens' evaluation,
//!   its downloads, loading a new register);
//! - [`sign_in`]: signing in and out, sessions for API clients.

pub mod audit;
pub mod imports;
pub mod microdata;
pub mod organisation;
pub mod projects;
pub mod publication;
pub mod results;
pub mod sign_in;
pub mod survey;
pub mod waves;

use axum::http::Method;
use axum::routing::get;
use axum::Json;
use minxin_domain::platform::Store;
use serde_json::Value;

use crate::app::guard::{RouteEntry, PUBLIC_READ};

/// Every route of the platform with the permission it needs: the one list the router is
/// built from and the permission-matrix test walks.
pub fn route_table<S: Store>() -> Vec<RouteEntry<S>> {
    let openapi = RouteEntry::new(
        Method::GET,
        "/api/openapi.json",
        PUBLIC_READ,
        get(openapi::<S>),
    );
    let style_sheet = RouteEntry::new(
        Method::GET,
        crate::ui::layout::STYLE_SHEET_PATH,
        PUBLIC_READ,
        get(crate::app::assets::style_sheet),
    );
    [
        vec![openapi, style_sheet],
        waves::routes(),
        survey::routes(),
        results::routes(),
        imports::routes(),
        publication::routes(),
        audit::routes(),
        microdata::routes(),
        organisation::routes(),
        projects::routes(),
        sign_in::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The hand-written OpenAPI description of every area's operations, merged:
/// [`openapi_document`] completes it from the route table.
pub fn described_api() -> Value {
    [
        waves::openapi(),
        survey::openapi(),
        results::openapi(),
        imports::openapi(),
        publication::openapi(),
        audit::openapi(),
        microdata::openapi(),
        organisation::openapi(),
        projects::openapi(),
        sign_in::openapi(),
    ]
    .into_iter()
    .fold(crate::app::openapi::base(), crate::app::openapi::merged)
}

/// The OpenAPI document `/api/openapi.json` serves: [`described_api`] completed from the route
/// table of `S` (security, error answers, path parameters).
pub fn openapi_document<S: Store>() -> Value {
    let rules: Vec<_> = route_table::<S>()
        .into_iter()
        .map(|entry| (entry.method, entry.path, entry.rule))
        .collect();
    crate::app::openapi::completed(described_api(), &rules)
}

async fn openapi<S: Store>() -> Json<Value> {
    Json(openapi_document::<S>())
}
