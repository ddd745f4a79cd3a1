//! The Minxin web platform: survey waves, response intake and live evaluation dashboards.
//!
//! - [`state`]: the waves being served, each with its configuration and live tallies;
//! - [`intake`]: the single writer that commits submissions in groups (one disk sync for many
//!   submissions) and acknowledges each only once it is durable;
//! - [`analysis`]: the project view (districts, trend) and the comparison of two waves;
//! - [`api`]: the versioned JSON API (`/api/v1/...`) and its OpenAPI document;
//! - [`pages`]: server-rendered HTML that works without JavaScript;
//! - [`downloads`]: a wave's aggregates as CSV, XLSX and JSON;
//! - [`import`]: file import into a wave, all or nothing unless asked;
//! - [`limits`]: the allowance of anonymous submissions per client address;
//! - [`identity`]: the keyed hash that stands in for a citizen's token;
//! - [`accounts`]: users' password hashes (argon2id) and generated passwords;
//! - [`session`]: signing in, sessions, the visitor of a request, CSRF tokens;
//! - [`sign_in`]: the sign-in page, sign-out, and sessions for API clients;
//! - [`guard`]: the route table's rules and the guard that holds every route to the
//!   permission matrix;
//! - [`oversight`]: publication decisions, the audit trail, microdata export, the
//!   organisation;
//! - [`security`]: security headers and the page for unknown paths.
//!
//! Architecture invariant: handlers never read all responses; dashboards come from the tallies
//! kept in memory, rebuilt from storage once at start. Every route is in the route table
//! ([`route_table`]) with its permission, and the router is built from that table only.

// The OpenAPI document is one `json!` literal, deeper than the default macro recursion allows.
#![recursion_limit = "256"]

pub mod accounts;
pub mod analysis;
pub mod api;
pub mod demo;
pub mod downloads;
pub mod error;
pub mod guard;
pub mod identity;
pub mod import;
pub mod intake;
pub mod limits;
pub mod openapi;
pub mod oversight;
pub mod pages;
pub mod portal;
pub mod security;
pub mod server;
pub mod session;
pub mod sign_in;
pub mod state;

use axum::middleware;
use axum::Router;
use minxin_domain::platform::Store;

pub use state::AppState;

/// Every route of the platform with the permission it needs: the one list the router is
/// built from and the permission-matrix test walks.
pub fn route_table<S: Store>() -> Vec<guard::RouteEntry<S>> {
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
pub fn app<S: Store>(state: AppState<S>) -> Router {
    guard::router(&state, route_table())
        .fallback(security::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::identify::<S>,
        ))
        .with_state(state)
}
