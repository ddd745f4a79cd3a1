//! One module per subcommand.

pub mod bench;
pub mod bench_advancement;
pub mod bench_meetings;
pub mod calendar;
pub mod compare;
pub mod demo;
pub mod evaluate;
pub mod import;
pub mod org;
pub mod portal_token;
pub mod register;
pub mod serve;
pub mod stats;
pub mod user;
