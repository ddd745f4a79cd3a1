//! The response interchange format on disk: CSV (UTF-8, header row) and XLSX (first sheet).
//!
//! Readers hand out one row at a time as [`minxin_domain::RecordFields`], with the row number a
//! person would look for: the line in the CSV file (the header is line 1), or the row of the sheet.
//! Writers produce the rejection file and plain CSV tables. Small workbooks of several sheets
//! (the project register, and the departments' tables) are read and written whole (`workbook`).
//!
//! Architecture invariant: this crate moves bytes and cells; it decides nothing about whether a
//! value is valid (that is the domain's job), so every format is judged by the same rules.

mod csv_rows;
mod error;
mod lines;
mod rejections;
mod workbook;
mod xlsx_rows;

pub use csv_rows::{CsvRecord, CsvRows};
pub use error::InterchangeError;
pub use rejections::RejectionWriter;
pub use workbook::{read_sheets, write_sheets, MAX_CELLS};
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
/// where needed, `\n` line ends), every cell [`spreadsheet_safe`].
pub fn write_csv_table<W: std::io::Write, R: AsRef<str>>(
    writer: W,
    header: &[R],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), InterchangeError> {
    let mut writer = csv::Writer::from_writer(writer);
    writer.write_record(
        header
            .iter()
            .map(|cell| SafeCell(spreadsheet_safe(cell.as_ref()))),
    )?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| SafeCell(spreadsheet_safe(cell))))?;
    }
    writer.flush()?;
    Ok(())
}

/// A [`spreadsheet_safe`] cell as a CSV writer takes it, without copying cells that need no
/// change.
pub struct SafeCell<'a>(pub std::borrow::Cow<'a, str>);

impl AsRef<[u8]> for SafeCell<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A cell as a spreadsheet may open it without running it: text that a spreadsheet would take
/// for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// `'`, which spreadsheets show as text; numbers (`-1.5`) stay as they are.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula_like = cell
        .bytes()
        .next()
        .is_some_and(|b| matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if formula_like && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-1.5", "-1.5"),
            ("+7", "+7"),
            ("2021 wave", "2021 wave"),
            ("", ""),
            ("民心工程", "民心工程"),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }
}
