//! The infrastructure every area stands on, knowing no area: the waves being served and their
//! live tallies, the intake, limits, identity, portals and accounts, sessions and the guard,
//! errors, the clock, the shared navigation, security headers, the OpenAPI completion and the
//! server.
//!
//! - [`live`]: a wave being served, with its configuration and live tallies;
//! - [`state`]: what every handler shares, the served waves among it;
//! - [`intake`]: the single writer that commits submissions in groups (one disk sync for many
//!   submissions) and acknowledges each only once it is durable;
//! - [`limits`]: the allowance of anonymous submissions per client address;
//! - [`client`]: the address a request came from;
//! - [`identity`]: the keyed hash that stands in for a citizen's token;
//! - [`portal`]: the keys of the portals that hand citizens over with signed tokens;
//! - [`accounts`]: users' password hashes (argon2id) and generated passwords;
//! - [`session`]: signing in, sessions, the visitor of a request, CSRF tokens;
//! - [`guard`]: the route table's rules and the guard that holds every route to the
//!   permission matrix;
//! - [`error`]: one error for JSON answers and pages;
//! - [`page_context`]: the language and visitor every page handler starts from;
//! - [`clock`]: the moment now;
//! - [`attachment`]: a file answered as a download;
//! - [`navigation`]: the account part of every page's navigation;
//! - [`security`]: security headers and the page for unknown paths;
//! - [`assets`]: the one style sheet of every page;
//! - [`trace`]: a span for every request, for the logs;
//! - [`openapi`]: the OpenAPI document completed from the route table;
//! - [`server`]: serving on a socket with limits against idle clients.

pub mod accounts;
pub mod assets;
pub mod attachment;
pub mod client;
pub mod clock;
pub mod error;
pub mod guard;
pub mod identity;
pub mod intake;
pub mod limits;
pub mod live;
pub mod navigation;
pub mod openapi;
pub mod page_context;
pub mod portal;
pub mod security;
pub mod server;
pub mod session;
pub mod state;
pub mod trace;
