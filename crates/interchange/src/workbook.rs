//! Every sheet of a small workbook (a register, a letter's commitments, a month's progress) as
//! [`Sheet`]s of text cells, and sheets written back as a workbook: the form in which
//! departments keep their tables in Excel.
//!
//! Cells become text as a person typed them (see [`crate::XlsxRows`]). A workbook holding more
//! than [`MAX_CELLS`] cells is refused rather than read into memory: these workbooks are
//! tables of a few thousand rows, not response files.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use minxin_domain::tabular::{Sheet, SheetRow};

use crate::xlsx_rows::cell_text;
use crate::InterchangeError;

/// Most cells read from one workbook.
pub const MAX_CELLS: usize = 2_000_000;

/// Every sheet of the workbook in `bytes`, in the workbook's order: the first row that holds
/// something is the header, the rows under it that hold something follow.
pub fn read_sheets(bytes: Vec<u8>) -> Result<Vec<Sheet>, InterchangeError> {
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| InterchangeError::Workbook(e.to_string()))?;
    let mut sheets = Vec::new();
    let mut cells_read = 0usize;
    for name in workbook.sheet_names() {
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|e| InterchangeError::Workbook(e.to_string()))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| InterchangeError::Workbook(e.to_string()))?
        {
            cells_read += 1;
            if cells_read > MAX_CELLS {
                return Err(InterchangeError::Workbook(format!(
                    "the workbook holds more than {MAX_CELLS} cells"
                )));
            }
            let (row, column) = cell.get_position();
            if column >= crate::xlsx_rows::MAX_COLUMNS {
                continue;
            }
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if !text.trim().is_empty() {
                cells.push((row, column, text));
            }
        }
        drop(reader);
        cells.sort_by_key(|(row, column, _)| (*row, *column));
        let mut sheet = Sheet {
            name,
            ..Sheet::default()
        };
        let mut rows: Vec<SheetRow> = Vec::new();
        for (row, column, text) in cells {
            if rows.last().is_none_or(|last| last.number != row + 1) {
                rows.push(SheetRow {
                    number: row + 1,
                    cells: Vec::new(),
                });
            }
            let current = rows.last_mut().expect("a row was pushed");
            let column = column as usize;
            if current.cells.len() <= column {
                current.cells.resize(column + 1, String::new());
            }
            current.cells[column] = text;
        }
        let mut rows = rows.into_iter();
        if let Some(header) = rows.next() {
            sheet.header = header.cells;
            sheet.rows = rows.collect();
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// The sheets as a workbook: headers bold and frozen, columns wide enough for their text,
/// numbers written as numbers (so a spreadsheet sums them) and everything else as text.
pub fn write_sheets(sheets: &[Sheet]) -> Result<Vec<u8>, InterchangeError> {
    let fail = |e: rust_xlsxwriter::XlsxError| InterchangeError::Workbook(e.to_string());
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name).map_err(fail)?;
        let mut widths: Vec<usize> = sheet.header.iter().map(|h| display_width(h)).collect();
        for (c, name) in sheet.header.iter().enumerate() {
            worksheet
                .write_string_with_format(0, c as u16, name, &bold)
                .map_err(fail)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, value) in row.cells.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match value.parse::<f64>() {
                    Ok(number) if !value.is_empty() && number.is_finite() => {
                        worksheet.write_number(r, c, number).map_err(fail)?;
                    }
                    _ => {
                        // A string cell is never run as a formula, so it is written as it is.
                        worksheet.write_string(r, c, value).map_err(fail)?;
                    }
                }
                let c = usize::from(c);
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(display_width(value));
            }
        }
        for (c, width) in widths.iter().enumerate() {
            worksheet
                .set_column_width(c as u16, (*width).clamp(8, 60) as f64 + 2.0)
                .map_err(fail)?;
        }
        worksheet.set_freeze_panes(1, 0).map_err(fail)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

/// How many columns of a spreadsheet `text` takes: a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_written_are_read_back_with_their_row_numbers() {
        let sheets = vec![
            Sheet {
                name: "项目".into(),
                header: vec!["项目代码".into(), "启动年份".into(), "说明".into()],
                rows: vec![
                    SheetRow {
                        number: 2,
                        cells: vec!["breakfast".into(), "2020".into(), "早餐".into()],
                    },
                    SheetRow {
                        number: 3,
                        cells: vec!["parking".into(), "2021".into(), "=1+1".into()],
                    },
                ],
            },
            Sheet {
                name: "部门".into(),
                header: vec!["部门代码".into()],
                rows: Vec::new(),
            },
        ];
        let read = read_sheets(write_sheets(&sheets).unwrap()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].header, sheets[0].header);
        assert_eq!(read[0].rows[0], sheets[0].rows[0]);
        assert_eq!(
            read[0].rows[1], sheets[0].rows[1],
            "text that looks like a formula stays text"
        );
        assert_eq!(read[1].name, "部门");
        assert!(read[1].rows.is_empty());
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused() {
        assert!(matches!(
            read_sheets(b"code,name\n".to_vec()),
            Err(InterchangeError::Workbook(_))
        ));
    }
}
