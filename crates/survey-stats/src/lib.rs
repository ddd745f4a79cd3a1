//! Pure statistics for survey evaluation.
//!
//! This crate knows nothing about projects, files or databases: it turns counts and sums into
//! estimates. Everything here is deterministic and independent of the order in which data arrive,
//! because the accumulators hold exact integers (see [`likert::LikertHistogram`] and
//! [`moments::IntegerMoments`]) and only the final summaries are floating point.
//!
//! Architecture invariant: no I/O, no async, no allocation-heavy data structures on hot paths.

pub mod combination;
pub mod design;
pub mod error;
pub mod estimate;
pub mod likert;
pub mod moments;
pub mod order;
pub mod pls;
pub mod pls_correlations;
pub mod reliability;
pub mod replicate;
pub mod student_t;
pub mod weighting;

pub use combination::{pair_count, pair_position, CombinationEstimate, ItemCombination, PairSums};
pub use error::StatsError;
pub use estimate::MeanEstimate;
pub use likert::LikertHistogram;
pub use moments::IntegerMoments;
