//! A sheet of a workbook as plain text cells, the form in which the domain receives
//! spreadsheets (it does no I/O: the interchange crate reads the file) and hands them back for
//! writing.

/// One row of a sheet: its number as the spreadsheet shows it (the header is row 1) and its
/// cells as text, empty cells empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row's number in the sheet (1 is the header).
    pub number: u32,
    /// The cells, from column A.
    pub cells: Vec<String>,
}

/// A named sheet: its header and the rows below it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The sheet's name (its tab).
    pub name: String,
    /// The header's cells.
    pub header: Vec<String>,
    /// The rows under the header that hold something.
    pub rows: Vec<SheetRow>,
}

impl Sheet {
    /// The position of the column whose header is one of `names` (compared without surrounding
    /// spaces).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|cell| names.iter().any(|name| cell.trim() == *name))
    }
}

impl SheetRow {
    /// The cell at `column`, without surrounding spaces; empty when the row is shorter.
    pub fn cell(&self, column: Option<usize>) -> &str {
        column
            .and_then(|column| self.cells.get(column))
            .map_or("", |cell| cell.trim())
    }
}
