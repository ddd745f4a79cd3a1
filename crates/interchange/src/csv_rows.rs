//! Streaming CSV rows with one reused record buffer.

use std::io::Read;

use minxin_domain::RecordFields;

use crate::{InterchangeError, RowSource};

/// One CSV record seen through the domain's field access.
#[derive(Debug, Default, Clone)]
pub struct CsvRecord(csv::ByteRecord);

impl RecordFields for CsvRecord {
    #[inline]
    fn field_count(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn field(&self, index: usize) -> &[u8] {
        &self.0[index]
    }
}

impl CsvRecord {
    /// The fields as text (invalid UTF-8 replaced), for the rejection file.
    pub fn to_strings(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }
}

/// Rows of a CSV stream. Rows with another number of fields than the header are handed out as
/// they are, so that the domain can reject them by row.
pub struct CsvRows<R: Read> {
    reader: csv::Reader<R>,
    header: Vec<String>,
    record: CsvRecord,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header row from `input`.
    pub fn new(input: R) -> Result<Self, InterchangeError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let mut first = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut first)? {
            return Err(InterchangeError::NoHeader);
        }
        let header = first
            .iter()
            .enumerate()
            .map(|(i, name)| {
                std::str::from_utf8(name)
                    .map(str::to_string)
                    .map_err(|_| InterchangeError::HeaderNotUtf8(i + 1))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            reader,
            header,
            record: CsvRecord::default(),
        })
    }
}

impl<R: Read> RowSource for CsvRows<R> {
    type Record = CsvRecord;

    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Result<Option<(u64, &CsvRecord)>, InterchangeError> {
        if !self.reader.read_byte_record(&mut self.record.0)? {
            return Ok(None);
        }
        let line = self.record.0.position().map_or(0, |p| p.line());
        Ok(Some((line, &self.record)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str) -> (Vec<String>, Vec<(u64, Vec<String>)>) {
        let mut rows = CsvRows::new(text.as_bytes()).unwrap();
        let header = rows.header().to_vec();
        let mut out = Vec::new();
        while let Some((line, record)) = rows.next_row().unwrap() {
            out.push((line, crate::record_strings(record)));
        }
        (header, out)
    }

    #[test]
    fn reads_rows_with_line_numbers() {
        let (header, rows) = collect("a,b\n1,2\n\"x,y\",\"multi\nline\"\n3,4,5\n");
        assert_eq!(header, vec!["a", "b"]);
        assert_eq!(rows[0], (2, vec!["1".into(), "2".into()]));
        assert_eq!(rows[1], (3, vec!["x,y".into(), "multi\nline".into()]));
        // The quoted newline moves the next record to line 5; its extra field is kept.
        assert_eq!(rows[2], (5, vec!["3".into(), "4".into(), "5".into()]));
    }

    #[test]
    fn empty_input_has_no_header() {
        assert!(matches!(
            CsvRows::new(&b""[..]),
            Err(InterchangeError::NoHeader)
        ));
    }

    #[test]
    fn invalid_utf8_header_is_named() {
        assert!(matches!(
            CsvRows::new(&b"a,\xff\n"[..]),
            Err(InterchangeError::HeaderNotUtf8(2))
        ));
    }
}
