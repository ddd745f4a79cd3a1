//! A CSV table read whole for the statistics commands: a header and rows of text, each row
//! with the line number a person would look for, and columns looked up by name.

use std::path::Path;

use anyhow::{bail, Context, Result};
use minxin_interchange::{record_strings, CsvRows, RowSource};

/// A table: its header and its rows (with their line numbers).
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// `(line, fields)` per data row.
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Reads the CSV file at `path` (UTF-8, header row; an empty field is a missing value).
    pub fn read(path: &Path) -> Result<Table> {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut reader = CsvRows::new(std::io::BufReader::new(file))
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header = reader.header().to_vec();
        let mut rows = Vec::new();
        while let Some((line, record)) = reader
            .next_row()
            .with_context(|| format!("cannot read {}", path.display()))?
        {
            let fields = record_strings(record);
            if fields.len() != header.len() {
                bail!(
                    "{}, row {line}: {} fields where the header has {}",
                    path.display(),
                    fields.len(),
                    header.len()
                );
            }
            rows.push((line, fields));
        }
        Ok(Table { header, rows })
    }

    /// The position of column `name`, or an error naming it and the option that asked for it.
    pub fn column(&self, name: &str, option: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).with_context(|| {
            format!(
                "{option} {name}: no such column (the columns are {})",
                self.header.join(", ")
            )
        })
    }

    /// The value in `column` of the row at `line` with `fields`: `None` when the field is empty
    /// or `NA` (missing), else a number; an error names the row and the column.
    pub fn optional_number(
        &self,
        line: u64,
        fields: &[String],
        column: usize,
    ) -> Result<Option<f64>> {
        let text = fields[column].trim();
        if text.is_empty() || text == "NA" {
            return Ok(None);
        }
        text.parse().map(Some).with_context(|| {
            format!(
                "row {line}, column {}: {text:?} is not a number",
                self.header[column]
            )
        })
    }

    /// The values of column `column`, missing ones `None` (see [`Table::optional_number`]).
    pub fn optional_numbers(&self, column: usize) -> Result<Vec<Option<f64>>> {
        self.rows
            .iter()
            .map(|(line, fields)| self.optional_number(*line, fields, column))
            .collect()
    }

    /// The numbers in column `column`, each required; an error names the row.
    pub fn numbers(&self, column: usize) -> Result<Vec<f64>> {
        self.rows
            .iter()
            .map(|(line, fields)| {
                let text = fields[column].trim();
                text.parse::<f64>().with_context(|| {
                    format!(
                        "row {line}, column {}: {text:?} is not a number",
                        self.header[column]
                    )
                })
            })
            .collect()
    }
}
