//! Streaming CSV rows with exact line numbers.
//!
//! Lines without a quote character, by far the common case in machine-written files, are split
//! on commas directly (with `memchr`), which is several times faster than a general CSV state
//! machine. A line that holds a quote is handed to `csv-core`, fed one physical line at a time so
//! that a quoted field may span lines while the line number of every record stays exact (the
//! `csv` crate's own line counter drifts on `\r\n` files). Blank lines are skipped; `\n` and
//! `\r\n` line ends are both accepted.

use std::io::Read;

use csv_core::ReadRecordResult;
use minxin_domain::RecordFields;

use crate::lines::LineReader;
use crate::{InterchangeError, RowSource};

/// One CSV record: its bytes and where each field ends. A plain line keeps its commas
/// (`separated`), so a field starts one byte after the previous one ends; a record decoded by
/// `csv-core` has its fields back to back.
/// Of a row with more fields than `limit`, only the first `limit` are kept; the rest are
/// counted.
#[derive(Debug, Clone)]
pub struct CsvRecord {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    separated: bool,
    /// Fields in the row, kept or not.
    count: usize,
    /// Most fields kept.
    limit: usize,
}

impl Default for CsvRecord {
    fn default() -> Self {
        CsvRecord {
            bytes: Vec::new(),
            ends: Vec::new(),
            separated: false,
            count: 0,
            limit: MAX_HEADER_FIELDS,
        }
    }
}

/// Fields beyond the header that a row keeps (for the rejection file); the rest are counted.
pub const SURPLUS_FIELDS_KEPT: usize = 64;

/// The most columns a header may have (the XLSX format's 16,384).
pub const MAX_HEADER_FIELDS: usize = 16_384;

impl RecordFields for CsvRecord {
    #[inline]
    fn field_count(&self) -> usize {
        self.count
    }
    #[inline]
    fn kept_count(&self) -> usize {
        self.ends.len()
    }
    #[inline]
    fn field(&self, index: usize) -> &[u8] {
        if index >= self.ends.len() {
            return b"";
        }
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] + usize::from(self.separated)
        };
        &self.bytes[start..self.ends[index]]
    }
}

impl CsvRecord {
    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.count = 0;
    }

    /// Splits a line (without its line end) on commas, unless it holds a quote: then it
    /// returns false and the line needs a full CSV parser. Eight bytes are classified at a time
    /// (SWAR): cheaper than a byte loop, and than a `memchr` call per field on short lines.
    #[inline]
    fn split_plain(&mut self, line: &[u8]) -> bool {
        self.clear();
        self.separated = true;
        let mut quotes = 0u64;
        let mut chunks = line.chunks_exact(8);
        let mut offset = 0usize;
        let mut commas_seen = 0usize;
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("chunks of eight bytes"));
            quotes |= bytes_equal_to(word, b'"');
            let mut commas = bytes_equal_to(word, b',');
            if self.ends.len() >= self.limit {
                // Past the limit commas are only counted.
                commas_seen += (commas.count_ones()) as usize;
                offset += 8;
                continue;
            }
            while commas != 0 {
                self.ends
                    .push(offset + (commas.trailing_zeros() / 8) as usize);
                commas &= commas - 1;
            }
            offset += 8;
        }
        for (position, byte) in chunks.remainder().iter().enumerate() {
            if *byte == b',' {
                self.ends.push(offset + position);
            }
            quotes |= u64::from(*byte == b'"');
        }
        if quotes != 0 {
            return false;
        }
        self.ends.push(line.len());
        self.count = self.ends.len() + commas_seen;
        if self.ends.len() > self.limit {
            self.ends.truncate(self.limit);
        }
        let kept = self.ends.last().copied().unwrap_or(0);
        self.bytes.extend_from_slice(&line[..kept]);
        true
    }
}

/// A mask with the high bit set in each byte of `word` that equals `target`, and no other bit.
#[inline]
fn bytes_equal_to(word: u64, target: u8) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_where_equal = word ^ u64::from_ne_bytes([target; 8]);
    !(((zero_where_equal & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | zero_where_equal | LOW_SEVEN)
}

/// The rows of a CSV stream. Rows with another number of fields than the header are handed
/// out as they are, so that the domain can reject them by row.
pub struct CsvRows<R: Read> {
    lines: LineReader<R>,
    header: Vec<String>,
    record: CsvRecord,
    quoted: csv_core::Reader,
    forbid_quotes: bool,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header row from `input`.
    pub fn new(input: R) -> Result<Self, InterchangeError> {
        let mut rows = Self::without_header(input, 1, false);
        if rows.read_record()?.is_none() {
            return Err(InterchangeError::NoHeader);
        }
        if rows.record.field_count() > MAX_HEADER_FIELDS {
            return Err(InterchangeError::TooManyColumns {
                found: rows.record.field_count(),
                limit: MAX_HEADER_FIELDS,
            });
        }
        rows.header = (0..rows.record.field_count())
            .map(|i| {
                std::str::from_utf8(rows.record.field(i))
                    .map(str::to_string)
                    .map_err(|_| InterchangeError::HeaderNotUtf8(i + 1))
            })
            .collect::<Result<_, _>>()?;
        // A data row wider than the header keeps a few surplus fields, for the rejection
        // file to show, and only counts the rest.
        rows.record.limit = rows.header.len() + SURPLUS_FIELDS_KEPT;
        Ok(rows)
    }

    /// Rows of a piece of a file that starts at a line boundary, with no header, the first line
    /// being `first_line`. A quote character fails with [`InterchangeError::QuoteInChunk`]:
    /// without reading from the file's start, a piece cannot know whether it begins inside a
    /// quoted field.
    pub fn unquoted_piece(input: R, first_line: u64) -> Self {
        Self::without_header(input, first_line, true)
    }

    fn without_header(input: R, first_line: u64, forbid_quotes: bool) -> Self {
        Self {
            lines: LineReader::new(input, first_line),
            header: Vec::new(),
            record: CsvRecord::default(),
            quoted: csv_core::ReaderBuilder::new().build(),
            forbid_quotes,
        }
    }

    /// Reads the next record into `self.record`; returns its first line's number.
    fn read_record(&mut self) -> Result<Option<u64>, InterchangeError> {
        loop {
            let Some((number, line)) = self.lines.next_line()? else {
                return Ok(None);
            };
            let content = strip_line_end(line);
            if content.is_empty() {
                continue;
            }
            if self.record.split_plain(content) {
                return Ok(Some(number));
            }
            if self.forbid_quotes {
                return Err(InterchangeError::QuoteInChunk { line: number });
            }
            let line_len = line.len();
            self.read_quoted(line_len)?;
            return Ok(Some(number));
        }
    }

    /// Parses a record that starts with the line just read (of `line_len` bytes) with
    /// `csv-core`, feeding further lines while a quoted field is open.
    fn read_quoted(&mut self, line_len: usize) -> Result<(), InterchangeError> {
        self.quoted.reset();
        self.record.clear();
        self.lines.unread(line_len);
        let mut output = std::mem::take(&mut self.record.bytes);
        let mut ends = std::mem::take(&mut self.record.ends);
        output.resize(1024, 0);
        ends.resize(64, 0);
        let (mut written, mut fields) = (0usize, 0usize);
        // Past the limit, fields are decoded into scratch buffers and only counted.
        let limit = self.record.limit;
        let (mut scratch_output, mut scratch_ends) = (Vec::new(), Vec::new());
        let mut surplus = 0usize;
        let mut at_end = false;
        loop {
            let line: &[u8] = if at_end {
                &[]
            } else {
                match self.lines.next_line()? {
                    Some((_, line)) => line,
                    None => {
                        at_end = true;
                        &[]
                    }
                }
            };
            let mut input = line;
            let finished = loop {
                if fields >= limit {
                    scratch_output.resize(64 << 10, 0);
                    scratch_ends.resize(1024, 0);
                    let (result, read, _, ended) =
                        self.quoted
                            .read_record(input, &mut scratch_output, &mut scratch_ends);
                    input = &input[read..];
                    surplus += ended;
                    match result {
                        ReadRecordResult::InputEmpty => break false,
                        ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                        ReadRecordResult::Record | ReadRecordResult::End => break true,
                    }
                    continue;
                }
                let (result, read, out, ended) =
                    self.quoted
                        .read_record(input, &mut output[written..], &mut ends[fields..]);
                input = &input[read..];
                written += out;
                fields += ended;
                match result {
                    ReadRecordResult::InputEmpty => break false,
                    ReadRecordResult::OutputFull if fields >= limit => {}
                    ReadRecordResult::OutputFull => output.resize(output.len() * 2, 0),
                    ReadRecordResult::OutputEndsFull if fields >= limit => {}
                    ReadRecordResult::OutputEndsFull => {
                        ends.resize((ends.len() * 2).min(limit.max(1)), 0)
                    }
                    ReadRecordResult::Record | ReadRecordResult::End => break true,
                }
            };
            if finished || at_end {
                // What follows the record's end on this line (a `\n` after `\r`, or a record
                // after a lone `\r`) is read again as a line of its own.
                let rest = input.len();
                self.lines.unread(rest);
                break;
            }
        }
        ends.truncate(fields);
        output.truncate(written);
        self.record.count = fields + surplus;
        self.record.bytes = output;
        self.record.ends = ends;
        self.record.separated = false;
        Ok(())
    }
}

fn strip_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

impl<R: Read> RowSource for CsvRows<R> {
    type Record = CsvRecord;

    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Result<Option<(u64, &CsvRecord)>, InterchangeError> {
        Ok(self.read_record()?.map(|line| (line, &self.record)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn collect(text: &[u8]) -> (Vec<String>, Vec<(u64, Vec<String>)>) {
        let mut rows = CsvRows::new(text).unwrap();
        let header = rows.header().to_vec();
        let mut out = Vec::new();
        while let Some((line, record)) = rows.next_row().unwrap() {
            out.push((line, crate::record_strings(record)));
        }
        (header, out)
    }

    fn strings(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn reads_rows_with_line_numbers() {
        let (header, rows) = collect(b"a,b\n1,2\n\"x,y\",\"multi\nline\"\n3,4,5\n");
        assert_eq!(header, vec!["a", "b"]);
        assert_eq!(rows[0], (2, strings(&["1", "2"])));
        assert_eq!(rows[1], (3, strings(&["x,y", "multi\nline"])));
        // The quoted newline moves the next record to line 5; its extra field is kept.
        assert_eq!(rows[2], (5, strings(&["3", "4", "5"])));
    }

    #[test]
    fn crlf_blank_lines_and_a_missing_final_newline() {
        let (header, rows) = collect(b"a,b\r\n1,2\r\n\r\n\n3,\r\n\"q\"\"uote\",\"\"\r\n,\n4");
        assert_eq!(header, vec!["a", "b"]);
        assert_eq!(
            rows,
            vec![
                (2, strings(&["1", "2"])),
                (5, strings(&["3", ""])),
                (6, strings(&["q\"uote", ""])),
                (7, strings(&["", ""])),
                (8, strings(&["4"])),
            ]
        );
    }

    #[test]
    fn quoted_header_and_unclosed_quote_at_the_end() {
        let (header, rows) = collect(b"\"a\",\"b\"\n1,\"open\nstill");
        assert_eq!(header, vec!["a", "b"]);
        assert_eq!(rows, vec![(2, strings(&["1", "open\nstill"]))]);
    }

    #[test]
    fn long_lines_grow_the_buffers() {
        let long = "x".repeat(300_000);
        let text = format!("a,b\n{long},\"{long}\"\n1,2\n");
        let (_, rows) = collect(text.as_bytes());
        assert_eq!(rows[0].1[0].len(), 300_000);
        assert_eq!(rows[0].1[1].len(), 300_000);
        assert_eq!(rows[1], (3, strings(&["1", "2"])));
    }

    #[test]
    fn pieces_refuse_quotes() {
        let mut rows = CsvRows::unquoted_piece(&b"1,2\n\"3\",4\n"[..], 10);
        assert_eq!(rows.next_row().unwrap().unwrap().0, 10);
        assert!(matches!(
            rows.next_row(),
            Err(InterchangeError::QuoteInChunk { line: 11 })
        ));
    }

    #[test]
    fn byte_masks_are_exact() {
        let word = u64::from_le_bytes(*b",a,\",\x80\x00,");
        assert_eq!(bytes_equal_to(word, b','), 0x8000_0080_0080_0080);
        assert_eq!(bytes_equal_to(word, b'"'), 0x0000_0000_8000_0000);
        assert_eq!(bytes_equal_to(word, 0), 0x0080_0000_0000_0000);
    }

    #[test]
    fn splits_lines_of_every_length() {
        for length in 0..40 {
            let line: String = (0..length)
                .map(|i| if i % 3 == 2 { ',' } else { 'x' })
                .collect();
            let text = format!("h\n{line}\n");
            let mut rows = CsvRows::new(text.as_bytes()).unwrap();
            let expected: Vec<String> = line.split(',').map(String::from).collect();
            match rows.next_row().unwrap() {
                Some((_, record)) => assert_eq!(crate::record_strings(record), expected),
                None => assert_eq!(length, 0),
            }
        }
    }

    /// A line of ten million commas (once 2 GB of field positions) keeps a few fields beyond
    /// the header and counts the rest, plain or quoted; a header as wide is refused.
    #[test]
    fn an_over_wide_row_is_counted_not_kept() {
        let commas = ",".repeat(10_000_000);
        for line in [commas.clone(), format!("\"q\"{commas}")] {
            let text = format!("a,b\n{line}\n1,2\n");
            let mut rows = CsvRows::new(text.as_bytes()).unwrap();
            let (number, record) = rows.next_row().unwrap().unwrap();
            assert_eq!(number, 2);
            assert_eq!(record.field_count(), 10_000_001, "the true width");
            assert_eq!(record.kept_count(), 2 + SURPLUS_FIELDS_KEPT);
            assert!(record.bytes.len() <= 2 + SURPLUS_FIELDS_KEPT + 1);
            assert!(record.ends.capacity() < 4096, "{}", record.ends.capacity());
            let (number, record) = rows.next_row().unwrap().unwrap();
            assert_eq!(
                (number, crate::record_strings(record)),
                (3, strings(&["1", "2"]))
            );
        }
        let wide_header = format!("{}\n", ",".repeat(MAX_HEADER_FIELDS));
        assert!(matches!(
            CsvRows::new(wide_header.as_bytes()),
            Err(InterchangeError::TooManyColumns { found, .. }) if found == MAX_HEADER_FIELDS + 1
        ));
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

    fn field() -> impl Strategy<Value = String> {
        prop::string::string_regex("[a-c,\"\\n\\r ]{0,6}").unwrap()
    }

    proptest! {
        /// Whatever the csv crate writes, this reader reads back field for field, with the line
        /// number of each record's first line.
        #[test]
        fn agrees_with_the_csv_crate(
            records in prop::collection::vec(prop::collection::vec(field(), 1..5), 1..12),
            crlf in any::<bool>(),
        ) {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            // Records of one empty field would be written as blank lines, which readers skip.
            let records: Vec<Vec<String>> = records.into_iter().filter(|r| !(r.len() == 1 && r[0].is_empty())).collect();
            prop_assume!(!records.is_empty());
            let mut expected_lines = Vec::new();
            let mut line = 1u64;
            for record in &records {
                expected_lines.push(line);
                let before = writer.get_ref().len();
                writer.write_record(record).unwrap();
                writer.flush().unwrap();
                line += writer.get_ref()[before..].iter().filter(|b| **b == b'\n').count() as u64;
            }
            let bytes = writer.into_inner().unwrap();
            let mut rows = CsvRows::new(&bytes[..]).unwrap();
            prop_assert_eq!(rows.header(), &records[0][..]);
            for (k, record) in records.iter().enumerate().skip(1) {
                let (number, fields) = rows.next_row().unwrap().unwrap();
                prop_assert_eq!(&crate::record_strings(fields), record);
                prop_assert_eq!(number, expected_lines[k]);
            }
            prop_assert!(rows.next_row().unwrap().is_none());
        }
    }
}
