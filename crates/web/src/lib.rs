//! The Minxin web platform: survey waves, response intake and live evaluation dashboards.
//!
//! - [`ui`]: the HTML kit every page is made of (escaping, language, layout, Beijing time); it
//!   knows no handler and no state;
//! - [`app`]: the infrastructure every area stands on (the served waves and their tallies, the
//!   intake, limits, identity, portals, accounts, sessions, the guard, errors, the clock, the
//!   server, the OpenAPI completion); it knows no area;
//! - [`areas`]: one module per area (waves, survey, results, imports, publication, audit,
//!   microdata, organisation, sign-in), each with its routes, pages, JSON handlers and OpenAPI
//!   fragment;
//! - [`demo`]: loading the demo waves, through the survey's submission path.
//!
//! Architecture invariant: handlers never read all responses; dashboards come from the tallies
//! kept in memory, rebuilt from storage once at start. Every route is in the route table
//! ([`route_table`]) with its permission, and the router is built from that table only.

pub mod app;
pub mod areas;
pub mod demo;
pub mod ui;

use axum::middleware;
use axum::Router;
use minxin_domain::platform::Store;

pub use app::state::AppState;

pub use areas::route_table;

/// The whole application: the route table behind the guard, the visitor found on every
/// request, security headers on every response (both by `session::identify`), all inside the
/// request's span (`trace`).
pub fn application<S: Store>(state: AppState<S>) -> Router {
    app::guard::router(&state, route_table())
        .fallback(app::security::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::session::identify::<S>,
        ))
        .layer(middleware::from_fn(app::trace::request_span))
        .with_state(state)
}
