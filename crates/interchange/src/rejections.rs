//! The rejection file: every rejected row with where and why, followed by its original fields,
//! so that it can be corrected and imported again.

use std::io::Write;

use minxin_domain::Rejection;

use crate::InterchangeError;

/// Writes rejected rows as CSV: `row,column,reason`, then the file's own columns.
pub struct RejectionWriter<W: Write> {
    writer: csv::Writer<W>,
    written: u64,
}

impl<W: Write> RejectionWriter<W> {
    /// Starts the file with a header built from the input's header.
    pub fn new(output: W, input_header: &[String]) -> Result<Self, InterchangeError> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
        let mut header = vec!["row".to_string(), "column".into(), "reason".into()];
        header.extend(input_header.iter().cloned());
        writer.write_record(&header)?;
        Ok(Self { writer, written: 0 })
    }

    /// Appends one rejected row.
    pub fn write(
        &mut self,
        rejection: &Rejection,
        fields: &[String],
    ) -> Result<(), InterchangeError> {
        let mut record = vec![
            rejection.row.to_string(),
            rejection.column.clone().unwrap_or_default(),
            rejection.reason.to_string(),
        ];
        record.extend(fields.iter().cloned());
        self.writer.write_record(&record)?;
        self.written += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> Result<W, InterchangeError> {
        self.writer
            .into_inner()
            .map_err(|e| InterchangeError::Io(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minxin_domain::RejectionReason;

    #[test]
    fn writes_reason_and_original_fields() {
        let mut writer = RejectionWriter::new(Vec::new(), &["a".into(), "b".into()]).unwrap();
        let rejection = Rejection {
            row: 7,
            column: Some("b".into()),
            reason: RejectionReason::AnswerNotInteger("x".into()),
        };
        writer.write(&rejection, &["1".into(), "x".into()]).unwrap();
        assert_eq!(writer.written(), 1);
        let text = String::from_utf8(writer.finish().unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("row,column,reason,a,b"));
        assert_eq!(
            lines.next(),
            Some("7,b,\"answer \"\"x\"\" is not a whole number (leave the cell empty for \"\"don't know\"\")\",1,x")
        );
    }
}
