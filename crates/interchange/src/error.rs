//! Errors of reading and writing interchange files.

use thiserror::Error;

/// Why a file could not be read or written (as opposed to a row being rejected).
#[derive(Debug, Error)]
pub enum InterchangeError {
    /// An operating-system error.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The CSV layer failed (an I/O error underneath, in practice).
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// The workbook could not be opened or read.
    #[error("cannot read the workbook: {0}")]
    Workbook(String),
    /// The file has no header row.
    #[error("the file is empty: it has no header row")]
    NoHeader,
    /// A piece of a file read in parallel holds a quote, so its start may lie inside a quoted
    /// field; the caller reads the file from its start instead.
    #[error("line {line} holds a quote character, which a piece of a file cannot interpret")]
    QuoteInChunk {
        /// The line with the quote.
        line: u64,
    },
    /// The header has more columns than a sheet can.
    #[error("the header has {found} columns; at most {limit} are read")]
    TooManyColumns {
        /// Columns found.
        found: usize,
        /// The most accepted.
        limit: usize,
    },
    /// A header cell is not UTF-8 text.
    #[error("header column {0} is not valid UTF-8 text")]
    HeaderNotUtf8(usize),
}
