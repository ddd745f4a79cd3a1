//! The Minxin web platform: survey waves, response intake and live evaluation dashboards.
//!
//! - [`app`]: the infrastructure every area stands on (the served waves and their tallies, the
//!   intake, limits, identity, portals, accounts, sessions, the guard, errors, the clock, the
//!   server, the OpenAPI completion);
//! - [`ui`]: the HTML kit every page is made of (escaping, language, layout, Beijing time);
//! - [`analysis`]: the project view (districts, trend) and the comparison of two waves;
//! - [`api`]: the versioned JSON API (`/api/v1/...`);
//! - [`pages`]: server-rendered HTML that works without JavaScript;
//! - [`downloads`]: a wave's aggregates as CSV, XLSX and JSON;
//! - [`import`]: file import into a wave, all or nothing unless asked;
//! - [`sign_in`]: the sign-in page, sign-out, and sessions for API clients;
//! - [`oversight`]: publication decisions, the audit trail, microdata export, the
//!   organisation;
//! - [`demo`]: loading the demo waves.
//!
//! Architecture invariant: handlers never read all responses; dashboards come from the tallies
//! kept in memory, rebuilt from storage once at start. Every route is in the route table
//! ([`route_table`]) with its permission, and the router is built from that table only.

// The OpenAPI document is one `json!` literal, deeper than the default macro recursion allows.
#![recursion_limit = "256"]

pub mod analysis;
pub mod api;
pub mod app;
pub mod demo;
pub mod downloads;
pub mod import;
pub mod oversight;
pub mod pages;
pub mod sign_in;
pub mod ui;

use axum::middleware;
use axum::Router;
use minxin_domain::platform::Store;

pub use app::state::AppState;

/// Every route of the platform with the permission it needs: the one list the router is
/// built from and the permission-matrix test walks.
pub fn route_table<S: Store>() -> Vec<app::guard::RouteEntry<S>> {
    [
        api::routes(),
        downloads::routes(),
        import::routes(),
        pages::routes(),
        sign_in::routes(),
        oversight::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The whole application: the route table behind the guard, the visitor found on every
/// request, security headers on every response (both by `session::identify`).
pub fn application<S: Store>(state: AppState<S>) -> Router {
    app::guard::router(&state, route_table())
        .fallback(app::security::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::session::identify::<S>,
        ))
        .with_state(state)
}
