//! Reading a real workbook written by another library.

use minxin_interchange::{record_strings, RowSource, XlsxRows};
use rust_xlsxwriter::Workbook;

#[test]
fn reads_the_first_sheet_as_text() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("responses.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "respondent_id").unwrap();
    sheet.write_string(0, 1, "age").unwrap();
    sheet.write_string(0, 2, "value").unwrap();
    sheet.write_string(1, 0, "R1").unwrap();
    sheet.write_number(1, 1, 34.0).unwrap();
    sheet.write_number(1, 2, 4.5).unwrap();
    // Row 3 is left empty and skipped; row 4 has an empty middle cell.
    sheet.write_string(3, 0, "R2").unwrap();
    sheet.write_number(3, 2, 5.0).unwrap();
    workbook
        .add_worksheet()
        .write_string(0, 0, "ignored")
        .unwrap();
    workbook.save(&path).unwrap();

    let mut rows = XlsxRows::open(&path).unwrap();
    assert_eq!(rows.header(), ["respondent_id", "age", "value"]);
    let (row, record) = rows.next_row().unwrap().unwrap();
    assert_eq!(
        (row, record_strings(record)),
        (2, vec!["R1".into(), "34".into(), "4.5".into()])
    );
    let (row, record) = rows.next_row().unwrap().unwrap();
    assert_eq!(
        (row, record_strings(record)),
        (4, vec!["R2".into(), "".into(), "5".into()])
    );
    assert!(rows.next_row().unwrap().is_none());
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("broken.xlsx");
    std::fs::write(&path, b"not a zip").unwrap();
    let error = XlsxRows::open(&path).err().unwrap();
    assert!(
        error.to_string().contains("cannot read the workbook"),
        "{error}"
    );
}
