//! `minxin evaluate FILE`: the evaluation of one wave, as a table, JSON or an HTML report.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use minxin_domain::{Configuration, Evaluation, EvaluationOptions};
use minxin_report::Lang;

use crate::configuration::ConfigArgs;
use crate::output::write_atomically;
use crate::pipeline::{default_rejection_path, evaluate_file, RejectionPolicy};

/// Output formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal.
    Table,
    /// JSON with every statistic.
    Json,
    /// A self-contained HTML report with Figures 1 and 2.
    Html,
}

/// Arguments of `minxin evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The response file: CSV (UTF-8, header row) or XLSX (first sheet).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Evaluate only this wave (required when the file holds several).
    #[arg(long, value_name = "W")]
    pub wave: Option<String>,
    /// Fail at the first malformed row instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Projects with fewer respondents are reported but not reliable (no rank, no quadrant).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_respondents: u64,
    /// Write the output here instead of to standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Report language: zh (default) or en.
    #[arg(long, default_value = "zh")]
    pub lang: Lang,
    /// Threads reading a CSV file: 0 (the default) uses every core for files of 16 MB or more.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Where to write rejected rows (default: beside the output).
    #[arg(long, value_name = "PATH")]
    pub rejected: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Renders `evaluation` in `format`.
pub fn render(
    evaluation: &Evaluation,
    configuration: &Configuration,
    format: Format,
    lang: Lang,
) -> String {
    match format {
        Format::Table => minxin_report::render_table(evaluation, lang),
        Format::Json => minxin_report::render_json(evaluation) + "\n",
        Format::Html => minxin_report::render_html(evaluation, &configuration.instrument, lang),
    }
}

/// Runs `minxin evaluate`.
pub fn run(args: EvaluateArgs) -> Result<()> {
    let configuration = args.config.load()?;
    let options = EvaluationOptions {
        wave: args.wave.clone(),
        minimum_respondents: args.min_respondents,
        ..EvaluationOptions::default()
    };
    let policy = if args.strict {
        RejectionPolicy::Strict
    } else {
        RejectionPolicy::SkipAndRecord(
            args.rejected
                .clone()
                .unwrap_or_else(|| default_rejection_path(&args.file, args.out.as_deref())),
        )
    };
    let result = evaluate_file(&args.file, &configuration, options, &policy, args.threads)?;
    let evaluation = &result.evaluation;
    let rendered = render(evaluation, &configuration, args.format, args.lang);
    match &args.out {
        Some(path) => write_atomically(path, rendered.as_bytes())?,
        None => std::io::stdout()
            .write_all(rendered.as_bytes())
            .context("cannot write to standard output")?,
    }
    let rows = evaluation.rows;
    let mut summary = format!(
        "{}: {} rows read, {} used, {} rejected",
        args.file.display(),
        rows.read,
        rows.used,
        rows.rejected
    );
    if result.threads > 1 {
        summary.push_str(&format!(" on {} threads", result.threads));
    }
    if rows.other_waves > 0 {
        summary.push_str(&format!(", {} of other waves skipped", rows.other_waves));
    }
    if let Some(path) = &result.rejection_file {
        summary.push_str(&format!(" (rejected rows written to {})", path.display()));
    }
    if let Some(path) = &args.out {
        summary.push_str(&format!("; report written to {}", path.display()));
    }
    eprintln!("{summary}");
    Ok(())
}
