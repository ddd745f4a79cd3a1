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

/// A workbook of one sheet whose cells are given as `(reference, text)`, written by hand (the
/// writing libraries refuse cells beyond the format's bounds) with inline strings.
fn hand_made_workbook(cells: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut rows = std::collections::BTreeMap::<u64, String>::new();
    for (reference, text) in cells {
        let digits = reference.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let row: u64 = digits.parse().unwrap();
        rows.entry(row).or_default().push_str(&format!(
            "<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"
        ));
    }
    let sheet_data: String = rows
        .iter()
        .map(|(row, cells)| format!("<row r=\"{row}\">{cells}</row>"))
        .collect();
    let files = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string()),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string()),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{sheet_data}</sheetData></worksheet>")),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in files {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A sheet's memory follows the cells present: one stray cell in the last row and column of
/// the format (which once made the reader build a grid of 16,384 × 1,048,576 cells) is one
/// cell, and its row reports its true width for the rejection.
#[test]
fn a_cell_at_the_far_corner_costs_one_cell() {
    let bytes = hand_made_workbook(&[
        ("A1", "respondent_id"),
        ("B1", "age"),
        ("A2", "R1"),
        ("B2", "34"),
        ("XFD1048576", "x"),
    ]);
    assert!(bytes.len() < 4096, "a small file: {} bytes", bytes.len());
    let mut rows = XlsxRows::from_bytes(bytes).unwrap();
    assert_eq!(rows.header(), ["respondent_id", "age"]);
    let (row, record) = rows.next_row().unwrap().unwrap();
    assert_eq!(
        (row, record_strings(record)),
        (2, vec!["R1".into(), "34".into()])
    );
    let (row, record) = rows.next_row().unwrap().unwrap();
    use minxin_domain::RecordFields;
    assert_eq!((row, record.field_count()), (1_048_576, 16_384));
    assert_eq!(record.field(16_383), b"x");
    assert_eq!(record.field(0), b"");
    assert!(rows.next_row().unwrap().is_none());
}

/// A cell beyond the format's last column (XFD) is refused, naming where it lies.
#[test]
fn a_cell_beyond_the_last_column_is_refused() {
    let bytes = hand_made_workbook(&[("A1", "respondent_id"), ("XFE2", "x")]);
    let error = XlsxRows::from_bytes(bytes).err().expect("refused");
    let message = error.to_string();
    assert!(
        message.contains("column 16385") && message.contains("XFD"),
        "{message}"
    );
}
