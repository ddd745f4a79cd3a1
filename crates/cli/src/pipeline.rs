//! Reading a response file through the evaluator: progress, rejections, strict mode.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::parallel::evaluate_in_parallel;
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use minxin_domain::{
    evaluation::GroupSums, ColumnLayout, Configuration, Evaluation, EvaluationOptions, Evaluator,
    RowOutcome,
};
use minxin_interchange::{
    record_strings, CsvRows, InputFormat, RejectionWriter, RowSource, XlsxRows,
};

/// How many rejections are listed on standard error; all of them go to the rejection file.
pub const LISTED_REJECTIONS: u64 = 100;

/// What to do with malformed rows.
#[derive(Debug, Clone)]
pub enum RejectionPolicy {
    /// Fail on the first malformed row.
    Strict,
    /// Skip malformed rows, list them, and write them to this file.
    SkipAndRecord(PathBuf),
}

/// The result of evaluating one file.
#[derive(Debug)]
pub struct FileEvaluation {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// The sums a weighted evaluation needs, when the options asked for them.
    pub group_sums: Option<GroupSums>,
    /// Where the rejected rows were written, if any were.
    pub rejection_file: Option<PathBuf>,
    /// Threads that read the file (1 unless the parallel pass succeeded).
    pub threads: usize,
}

/// Files at least this large are read on all cores when the thread count is automatic.
pub const PARALLEL_THRESHOLD_BYTES: u64 = 16 << 20;

/// How many threads read a CSV file: 0 chooses all cores for large files and one otherwise.
pub fn reading_threads(requested: usize, file_size: u64) -> usize {
    match requested {
        0 if file_size >= PARALLEL_THRESHOLD_BYTES => {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
        0 => 1,
        n => n,
    }
}

/// Evaluates `path` (CSV, or XLSX by its extension), a CSV file with `threads` threads
/// (see [`reading_threads`]).
pub fn evaluate_file(
    path: &Path,
    configuration: &Configuration,
    options: EvaluationOptions,
    policy: &RejectionPolicy,
    threads: usize,
) -> Result<FileEvaluation> {
    match InputFormat::from_path(path) {
        InputFormat::Csv => {
            let file =
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let progress = ProgressBar::new(size).with_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
                )
                .expect("valid template"),
            );
            let threads = reading_threads(threads, size);
            if threads > 1 {
                let attempt =
                    evaluate_in_parallel(path, configuration, &options, threads, &progress)?;
                if let Ok(evaluator) = attempt {
                    progress.finish_and_clear();
                    let (evaluation, group_sums) = evaluator.finish_with_sums();
                    return Ok(FileEvaluation {
                        evaluation,
                        group_sums,
                        rejection_file: None,
                        threads,
                    });
                }
                progress.reset();
            }
            let rows = CsvRows::new(progress.wrap_read(file))
                .with_context(|| format!("cannot read {}", path.display()))?;
            let result = evaluate_rows(path, rows, configuration, options, policy);
            progress.finish_and_clear();
            result
        }
        InputFormat::Xlsx => {
            let loading =
                ProgressBar::new_spinner().with_message(format!("reading {}", path.display()));
            loading.enable_steady_tick(std::time::Duration::from_millis(120));
            let rows = XlsxRows::open(path);
            loading.finish_and_clear();
            let rows = rows.with_context(|| format!("cannot read {}", path.display()))?;
            evaluate_rows(path, rows, configuration, options, policy)
        }
    }
}

/// Streams `rows` through a new evaluator.
pub fn evaluate_rows<S: RowSource>(
    path: &Path,
    mut rows: S,
    configuration: &Configuration,
    options: EvaluationOptions,
    policy: &RejectionPolicy,
) -> Result<FileEvaluation> {
    let name = path.display();
    let layout = ColumnLayout::from_header(rows.header(), &configuration.instrument)
        .with_context(|| format!("{name}: row 1 (header)"))?;
    let header = rows.header().to_vec();
    let mut evaluator = Evaluator::new(configuration, layout, options)?;
    let mut rejections: Option<(RejectionWriter<BufWriter<tempfile::NamedTempFile>>, PathBuf)> =
        None;
    while let Some((row, record)) = rows
        .next_row()
        .with_context(|| format!("cannot read {name}"))?
    {
        let outcome = evaluator
            .push(row, record)
            .with_context(|| format!("{name}"))?;
        let RowOutcome::Rejected(rejection) = outcome else {
            continue;
        };
        let target = match policy {
            RejectionPolicy::Strict => {
                bail!("{name}: {rejection} (--strict stops at the first bad row)")
            }
            RejectionPolicy::SkipAndRecord(target) => target,
        };
        let count = evaluator.row_counts().rejected;
        if count <= LISTED_REJECTIONS {
            eprintln!("{name}: {rejection}");
        }
        if rejections.is_none() {
            let folder = target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let file = tempfile::NamedTempFile::new_in(folder).with_context(|| {
                format!("cannot create the rejection file in {}", folder.display())
            })?;
            rejections = Some((
                RejectionWriter::new(BufWriter::new(file), &header)?,
                target.clone(),
            ));
        }
        if let Some((writer, _)) = rejections.as_mut() {
            writer.write(&rejection, &record_strings(record))?;
        }
    }
    let rejected = evaluator.row_counts().rejected;
    if rejected > LISTED_REJECTIONS {
        eprintln!(
            "{name}: … and {} more rejected rows",
            rejected - LISTED_REJECTIONS
        );
    }
    let rejection_file = match rejections {
        Some((writer, target)) => {
            let mut buffered = writer.finish()?;
            buffered.flush()?;
            let file = buffered.into_inner().map_err(|e| e.into_error())?;
            crate::output::make_readable(file.as_file())?;
            file.as_file().sync_all()?;
            file.persist(&target)
                .with_context(|| format!("cannot write the rejection file {}", target.display()))?;
            Some(target)
        }
        None => None,
    };
    let (evaluation, group_sums) = evaluator.finish_with_sums();
    Ok(FileEvaluation {
        evaluation,
        group_sums,
        rejection_file,
        threads: 1,
    })
}

/// The default rejection file: beside the output (`report.json` → `report.rejected.csv`), or,
/// when the output goes to the terminal, `<input name>.rejected.csv` in the current folder.
pub fn default_rejection_path(input: &Path, output: Option<&Path>) -> PathBuf {
    match output {
        Some(output) => output.with_extension("rejected.csv"),
        None => {
            let stem = input
                .file_stem()
                .map_or_else(|| "responses".into(), |s| s.to_string_lossy().into_owned());
            PathBuf::from(format!("{stem}.rejected.csv"))
        }
    }
}
