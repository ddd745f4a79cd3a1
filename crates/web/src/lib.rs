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
//! - [`accounts`]: users' password hashes (argon2id) and generated passwords.
//!
//! Architecture invariant: handlers never read all responses; dashboards come from the tallies
//! kept in memory, rebuilt from storage once at start.

pub mod accounts;
pub mod analysis;
pub mod api;
pub mod demo;
pub mod downloads;
pub mod error;
pub mod identity;
pub mod import;
pub mod intake;
pub mod limits;
pub mod pages;
pub mod state;

use axum::Router;
use minxin_domain::platform::Store;

pub use state::AppState;

/// The whole application: API and pages.
pub fn app<S: Store>(state: AppState<S>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(downloads::routes())
        .merge(import::routes())
        .merge(pages::routes())
        .with_state(state)
}
