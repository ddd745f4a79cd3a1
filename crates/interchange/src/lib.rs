//! The response interchange format on disk: CSV (UTF-8, header row) and XLSX (first sheet).
//!
//! Readers hand out one row at a time as [`minxin_domain::RecordFields`], with the row number a
//! person would look for: the line in the CSV file (the header is line 1), or the row of the sheet.
//! Writers produce the rejection file and plain CSV tables.
//!
//! Architecture invariant: this crate moves bytes and cells; it decides nothing about whether a
//! value is valid (that is the domain's job), so every format is judged by the same rules.

mod csv_rows;
mod error;
mod lines;
mod rejections;
mod xlsx_rows;

pub use csv_rows::{CsvRecord, CsvRows};
pub use error::InterchangeError;
pub use rejections::RejectionWriter;
pub use xlsx_rows::{XlsxRecord, XlsxRows};

use minxin_domain::RecordFields;
use std::path::Path;

/// A source of rows, whatever the file format.
pub trait RowSource {
    /// One row's fields.
    type Record: RecordFields;
    /// The header row, as text.
    fn header(&self) -> &[String];
    /// The next data row and its row number, or `None` at the end of the file.
    fn next_row(&mut self) -> Result<Option<(u64, &Self::Record)>, InterchangeError>;
}

/// The fields of a record as text (invalid UTF-8 replaced), for messages and the rejection
/// file: those the reader kept (an over-wide row loses its surplus fields).
pub fn record_strings<R: RecordFields + ?Sized>(record: &R) -> Vec<String> {
    (0..record.kept_count())
        .map(|i| String::from_utf8_lossy(record.field(i)).into_owned())
        .collect()
}

/// The file formats the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated values, UTF-8.
    Csv,
    /// An Excel workbook; the first sheet is read.
    Xlsx,
}

impl InputFormat {
    /// The format of a file by its first bytes: a workbook is a zip archive (`PK\x03\x04`);
    /// anything else is read as CSV.
    pub fn sniff(bytes: &[u8]) -> InputFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            InputFormat::Xlsx
        } else {
            InputFormat::Csv
        }
    }

    /// The format implied by a file name's extension: `.xlsx` is a workbook, anything else CSV.
    pub fn from_path(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(extension) if extension.eq_ignore_ascii_case("xlsx") => InputFormat::Xlsx,
            _ => InputFormat::Csv,
        }
    }
}

/// Writes a header and rows as CSV, the interchange format's own dialect (comma, `"` quoting
/// where needed, `\n` line ends).
pub fn write_csv_table<W: std::io::Write, R: AsRef<[u8]>>(
    writer: W,
    header: &[R],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), InterchangeError> {
    let mut writer = csv::Writer::from_writer(writer);
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}
