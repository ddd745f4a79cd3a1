//! Evaluating a large CSV file on several cores.
//!
//! The file is cut into pieces at line starts; each piece is read by its own thread into its own
//! evaluator, and the evaluators are merged. The result equals one sequential pass (exact
//! integer counts add up). A piece cannot know where it stands in the file, so whenever a
//! row-level message or a quoted field could be involved (a rejected row, a quote character, a
//! second wave, a respondent whose rows conflict across pieces) this path gives up and the caller
//! reads the file again from its start, which reports everything with exact row numbers.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use minxin_domain::{ColumnLayout, Configuration, EvaluationOptions, Evaluator, RowOutcome};
use minxin_interchange::{CsvRows, RowSource};

/// Why the parallel pass stopped; the file is then read sequentially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// The header holds a quote, or a piece does.
    Quotes,
    /// A row was rejected or belongs to another wave: messages need exact row numbers.
    RowNeedsAttention,
    /// The pieces could not be merged.
    PiecesDisagree,
}

/// The byte ranges of `pieces` parts of `file` after the header, each starting at a line start.
fn piece_ranges(
    file: &mut File,
    header_end: u64,
    size: u64,
    pieces: usize,
) -> Result<Vec<(u64, u64)>> {
    let mut starts = vec![header_end];
    let mut buffer = [0u8; 4096];
    for k in 1..pieces as u64 {
        let guess = header_end + (size - header_end) * k / pieces as u64;
        file.seek(SeekFrom::Start(guess))?;
        let mut position = guess;
        let start = loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break size;
            }
            if let Some(offset) = memchr::memchr(b'\n', &buffer[..read]) {
                break position + offset as u64 + 1;
            }
            position += read as u64;
        };
        if start > *starts.last().expect("starts has the header end") && start < size {
            starts.push(start);
        }
    }
    let mut ranges: Vec<(u64, u64)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges.push((*starts.last().expect("non-empty"), size));
    Ok(ranges)
}

/// Evaluates `path` with `threads` threads, or says why it could not.
pub fn evaluate_in_parallel<'c>(
    path: &Path,
    configuration: &'c Configuration,
    options: &EvaluationOptions,
    threads: usize,
    progress: &ProgressBar,
) -> Result<std::result::Result<Evaluator<'c>, GiveUp>> {
    let open = || File::open(path).with_context(|| format!("cannot open {}", path.display()));
    let mut file = open()?;
    let size = file.metadata()?.len();
    // The header: the first line, which must hold no quote.
    let mut head = Vec::new();
    (&mut file).take(1 << 20).read_to_end(&mut head)?;
    let Some(header_length) = memchr::memchr(b'\n', &head).map(|n| n + 1) else {
        return Ok(Err(GiveUp::Quotes));
    };
    if memchr::memchr(b'"', &head[..header_length]).is_some() {
        return Ok(Err(GiveUp::Quotes));
    }
    let header = CsvRows::new(&head[..header_length])?;
    let layout = ColumnLayout::from_header(header.header(), &configuration.instrument)
        .with_context(|| format!("{}: row 1 (header)", path.display()))?;
    let ranges = piece_ranges(&mut file, header_length as u64, size, threads)?;
    progress.inc(header_length as u64);

    let outcomes: Vec<Result<std::result::Result<Evaluator<'c>, GiveUp>>> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = ranges
                .iter()
                .map(|&(start, end)| {
                    let layout = layout.clone();
                    let options = options.clone();
                    let progress = progress.clone();
                    scope.spawn(
                        move || -> Result<std::result::Result<Evaluator<'c>, GiveUp>> {
                            let mut file = open()?;
                            file.seek(SeekFrom::Start(start))?;
                            let reader = progress.wrap_read(file.take(end - start));
                            // Line numbers inside a piece are relative; they never reach a message,
                            // because any row that would need one ends the parallel pass.
                            let mut rows = CsvRows::unquoted_piece(reader, 1);
                            let mut evaluator = Evaluator::new(configuration, layout, options)?;
                            loop {
                                let next = match rows.next_row() {
                                    Ok(next) => next,
                                    Err(minxin_interchange::InterchangeError::QuoteInChunk {
                                        ..
                                    }) => return Ok(Err(GiveUp::Quotes)),
                                    Err(error) => return Err(error.into()),
                                };
                                let Some((line, record)) = next else { break };
                                match evaluator.push(line, record) {
                                    Ok(RowOutcome::Used) => {}
                                    Ok(_) | Err(_) => return Ok(Err(GiveUp::RowNeedsAttention)),
                                }
                            }
                            Ok(Ok(evaluator))
                        },
                    )
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().expect("an evaluation thread panicked"))
                .collect()
        });

    let mut merged: Option<Evaluator<'c>> = None;
    for outcome in outcomes {
        let evaluator = match outcome? {
            Ok(evaluator) => evaluator,
            Err(reason) => return Ok(Err(reason)),
        };
        match merged.as_mut() {
            None => merged = Some(evaluator),
            Some(total) => {
                if total.merge(evaluator).is_err() {
                    return Ok(Err(GiveUp::PiecesDisagree));
                }
            }
        }
    }
    Ok(Ok(merged.expect("at least one piece")))
}
