//! Rows of the first sheet of an XLSX workbook.
//!
//! The sheet is read cell by cell and only the cells present are kept, so memory follows the
//! cells a file holds, never the rectangle they span (one cell at `XFD1048576` is one cell, not
//! a grid of 17 billion). Cells become the text a person would have typed: whole numbers
//! without a decimal point, other numbers as written, empty cells as empty fields. A cell
//! beyond the format's last column (XFD) or row (1,048,576) is refused.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use minxin_domain::RecordFields;

use crate::{InterchangeError, RowSource};

/// Columns of a sheet in the XLSX format (A to XFD).
pub const MAX_COLUMNS: u32 = 16_384;

/// Rows of a sheet in the XLSX format.
pub const MAX_ROWS: u32 = 1_048_576;

/// One sheet row seen through the domain's field access: the fields under the header, and any
/// cells that hold something beyond it (kept sparse, so that a stray value far to the right
/// costs one cell).
#[derive(Debug, Default, Clone)]
pub struct XlsxRecord {
    fields: Vec<String>,
    beyond: Vec<(usize, String)>,
}

impl RecordFields for XlsxRecord {
    fn field_count(&self) -> usize {
        self.beyond
            .last()
            .map_or(self.fields.len(), |(column, _)| column + 1)
    }
    fn field(&self, index: usize) -> &[u8] {
        if let Some(field) = self.fields.get(index) {
            return field.as_bytes();
        }
        match self
            .beyond
            .binary_search_by_key(&index, |(column, _)| *column)
        {
            Ok(position) => self.beyond[position].1.as_bytes(),
            Err(_) => b"",
        }
    }
}

/// A cell that holds something: its row and column (from 0) and its text.
struct PresentCell {
    row: u32,
    column: u32,
    text: String,
}

/// The rows of a workbook's first sheet.
pub struct XlsxRows {
    cells: Vec<PresentCell>,
    header: Vec<String>,
    next: usize,
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
        let name = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| InterchangeError::Workbook("the workbook has no sheet".into()))?;
        let mut cells = Vec::new();
        {
            let mut reader = workbook
                .worksheet_cells_reader(&name)
                .map_err(|e| InterchangeError::Workbook(e.to_string()))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| InterchangeError::Workbook(e.to_string()))?
            {
                let (row, column) = cell.get_position();
                if column >= MAX_COLUMNS || row >= MAX_ROWS {
                    return Err(InterchangeError::Workbook(format!(
                        "cell at row {}, column {} lies beyond the sheet's {MAX_ROWS} rows and                          {MAX_COLUMNS} columns (A to XFD)",
                        u64::from(row) + 1,
                        u64::from(column) + 1
                    )));
                }
                let text = cell_text(&Data::from(cell.get_value().clone()));
                if !text.is_empty() {
                    cells.push(PresentCell { row, column, text });
                }
            }
        }
        // Sheets list their rows in order; a file that does not is put in order here.
        cells.sort_by_key(|cell| (cell.row, cell.column));
        let Some(first_row) = cells.first().map(|cell| cell.row) else {
            return Err(InterchangeError::NoHeader);
        };
        let header_cells = cells
            .iter()
            .take_while(|cell| cell.row == first_row)
            .count();
        // The header ends at its last cell that holds something; columns before it that are
        // empty stay, as empty names.
        let width = cells[header_cells - 1].column as usize + 1;
        let mut header = vec![String::new(); width];
        for cell in cells.drain(..header_cells) {
            header[cell.column as usize] = cell.text;
        }
        Ok(Self {
            header,
            cells,
            next: 0,
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
        let Some(row) = self.cells.get(self.next).map(|cell| cell.row) else {
            return Ok(None);
        };
        let width = self.header.len();
        let mut fields = vec![String::new(); width];
        let mut beyond = Vec::new();
        while let Some(cell) = self.cells.get_mut(self.next).filter(|cell| cell.row == row) {
            let text = std::mem::take(&mut cell.text);
            let column = cell.column as usize;
            if column < width {
                fields[column] = text;
            } else {
                // Cells beyond the header count only when they hold something (an empty
                // cell is never kept), so a wider sheet with empty padding is not rejected,
                // but stray values are.
                beyond.push((column, text));
            }
            self.next += 1;
        }
        self.record = XlsxRecord { fields, beyond };
        Ok(Some((u64::from(row) + 1, &self.record)))
    }
}

/// A cell as the text a person would have typed.
pub(crate) fn cell_text(cell: &Data) -> String {
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
