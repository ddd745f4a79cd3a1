//! The error type of the statistics crate.

use thiserror::Error;

/// Why a statistic could not be computed from the parameters given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    /// A confidence level outside the open interval (0, 1).
    #[error("confidence level must lie strictly between 0 and 1, got {0}")]
    InvalidConfidence(f64),
    /// A Likert scale needs at least two answer levels.
    #[error("an answer scale needs at least 2 levels, got {0}")]
    TooFewLevels(usize),
    /// An answer outside the scale `1..=levels`.
    #[error("answer {answer} is outside the scale 1..={levels}")]
    AnswerOutOfScale {
        /// The offending answer.
        answer: u32,
        /// Number of levels on the scale.
        levels: usize,
    },
    /// A scale factor that is not a finite positive number.
    #[error("scale factor must be finite and positive, got {0}")]
    InvalidScale(f64),
    /// The parts of an item combination do not fit together.
    #[error("an item combination needs one weight per item and one pair sum per pair: {items} items, {weights} weights, {pairs} pair sums")]
    MismatchedLengths {
        /// Items given.
        items: usize,
        /// Weights given.
        weights: usize,
        /// Pair sums given.
        pairs: usize,
    },
    /// Weights cannot be calibrated to the margins given.
    #[error("cannot calibrate the weights: {0}")]
    Calibration(String),
    /// The reliability of a scale cannot be computed from the answers given.
    #[error("cannot compute the reliability: {0}")]
    Reliability(String),
    /// A design-based estimate cannot be computed from the design given.
    #[error("cannot estimate from this design: {0}")]
    Design(String),
    /// A structural model cannot be estimated.
    #[error("cannot estimate the structural model: {0}")]
    Pls(String),
}
