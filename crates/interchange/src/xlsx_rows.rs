//! Rows of the first sheet of an XLSX workbook.
//!
//! A workbook is loaded whole (spreadsheets are bounded at about a million rows). Cells become
//! the text a person would have typed: whole numbers without a decimal point, other numbers as
//! written, empty cells as empty fields.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use minxin_domain::RecordFields;

use crate::{InterchangeError, RowSource};

/// One sheet row seen through the domain's field access.
#[derive(Debug, Default, Clone)]
pub struct XlsxRecord(Vec<String>);

impl RecordFields for XlsxRecord {
    fn field_count(&self) -> usize {
        self.0.len()
    }
    fn field(&self, index: usize) -> &[u8] {
        self.0[index].as_bytes()
    }
}

/// The rows of a workbook's first sheet.
pub struct XlsxRows {
    range: Range<Data>,
    header: Vec<String>,
    next: usize,
    first_row_number: u64,
    record: XlsxRecord,
}

impl XlsxRows {
    /// Opens `path` and reads its first sheet.
    pub fn open(path: &Path) -> Result<Self, InterchangeError> {
        let workbook: Xlsx<_> = open_workbook(path)
            .map_err(|e: calamine::XlsxError| InterchangeError::Workbook(e.to_string()))?;
        Self::from_workbook(workbook)
    }

    /// Reads the first sheet of a workbook held in memory (an uploaded file).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, InterchangeError> {
        let workbook =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| InterchangeError::Workbook(e.to_string()))?;
        Self::from_workbook(workbook)
    }

    fn from_workbook<RS: Read + Seek>(mut workbook: Xlsx<RS>) -> Result<Self, InterchangeError> {
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| InterchangeError::Workbook("the workbook has no sheet".into()))?
            .map_err(|e| InterchangeError::Workbook(e.to_string()))?;
        let first_row_number = range.start().map_or(1, |(row, _)| u64::from(row) + 1);
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .ok_or(InterchangeError::NoHeader)?
            .iter()
            .map(cell_text)
            .collect();
        // A header padded with empty cells on the right (a wider sheet) loses the padding.
        let width = header
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |p| p + 1);
        if width == 0 {
            return Err(InterchangeError::NoHeader);
        }
        Ok(Self {
            header: header[..width].to_vec(),
            range,
            next: 1,
            first_row_number,
            record: XlsxRecord::default(),
        })
    }
}

impl RowSource for XlsxRows {
    type Record = XlsxRecord;

    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Result<Option<(u64, &XlsxRecord)>, InterchangeError> {
        let height = self.range.height();
        while self.next < height {
            let index = self.next;
            self.next += 1;
            let cells: Vec<String> = (0..self.range.width())
                .map(|column| {
                    self.range
                        .get((index, column))
                        .map(cell_text)
                        .unwrap_or_default()
                })
                .collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            // Cells beyond the header are kept only when they hold something, so that a wider
            // sheet with empty padding is not rejected, but stray values are.
            let width = cells
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |p| p + 1)
                .max(self.header.len());
            self.record = XlsxRecord(cells.into_iter().take(width).collect());
            return Ok(Some((self.first_row_number + index as u64, &self.record)));
        }
        Ok(None)
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{}", *value as i64)
        }
        Data::Float(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(value) => value.to_string(),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}
