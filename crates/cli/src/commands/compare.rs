//! `minxin compare BEFORE AFTER`: the change of each project's indices between two waves, with
//! intervals and significance, weighted to population margins when asked.
//!
//! The waves are independent samples, so the standard error of a change is
//! `√(se_before² + se_after²)`; with weights, each wave's standard errors come from its own
//! bootstrap (the same margins and seed for both). Unweighted, they are the linearised ones.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use minxin_domain::evaluation::compare_waves;
use minxin_domain::{Configuration, Evaluation, EvaluationOptions};
use minxin_report::{html_document, render_comparison_body, Lang};
use serde_json::json;

use super::evaluate::{margins, weigh, Draws, Format};
use crate::configuration::ConfigArgs;
use crate::output::write_atomically;
use crate::pipeline::{default_rejection_path, evaluate_file, RejectionPolicy};

/// Arguments of `minxin compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier wave's response file (CSV or XLSX).
    pub before: PathBuf,
    /// The later wave's response file.
    pub after: PathBuf,
    /// The wave to take from the earlier file, when it holds several.
    #[arg(long, value_name = "W")]
    pub wave_before: Option<String>,
    /// The wave to take from the later file, when it holds several.
    #[arg(long, value_name = "W")]
    pub wave_after: Option<String>,
    /// Weight both waves to these margins (FILE, `census` or `none`), as `evaluate --margins`.
    #[arg(long, value_name = "FILE|census|none")]
    pub margins: Option<String>,
    /// Bootstrap replicates of each wave when weighting (default 1000).
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    pub replicates: usize,
    /// Seed of the bootstrap draws.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Projects with fewer respondents are not reliable (no rank, no quadrant).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_respondents: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Report language: zh (default) or en.
    #[arg(long, default_value = "zh")]
    pub lang: Lang,
    /// Write the output here instead of to standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Evaluates one wave, weighted when `weighting` says so.
fn wave(
    file: &Path,
    wave: Option<String>,
    configuration: &Configuration,
    args: &CompareArgs,
) -> Result<Evaluation> {
    let chosen_margins = args
        .margins
        .as_deref()
        .map(|choice| margins(choice, configuration))
        .transpose()?;
    let options = EvaluationOptions {
        wave,
        minimum_respondents: args.min_respondents,
        weighting_cells: chosen_margins
            .as_ref()
            .map(|m| m.as_ref().map_or_else(Vec::new, |m| m.variables())),
        ..EvaluationOptions::default()
    };
    let policy = RejectionPolicy::SkipAndRecord(default_rejection_path(file, None));
    let result = evaluate_file(file, configuration, options, &policy, 0)
        .with_context(|| format!("cannot evaluate {}", file.display()))?;
    let (Some(chosen), Some(sums)) = (chosen_margins, &result.group_sums) else {
        return Ok(result.evaluation);
    };
    let draws = Draws {
        replicates: args.replicates,
        seed: args.seed,
        certainty: 0.8,
        model: None,
        trim: None,
    };
    let weighted = weigh(
        configuration,
        sums,
        chosen.as_ref(),
        &result.evaluation,
        draws,
    )?;
    Ok(weighted.applied_to(&result.evaluation))
}

/// Runs `minxin compare`.
pub fn run(args: CompareArgs) -> Result<()> {
    if args.margins.is_some() && args.replicates < 2 {
        bail!("--replicates must be at least 2 when weighting: the changes need standard errors");
    }
    let configuration = args.config.load()?;
    let before = wave(
        &args.before,
        args.wave_before.clone(),
        &configuration,
        &args,
    )?;
    let after = wave(&args.after, args.wave_after.clone(), &configuration, &args)?;
    let comparison = compare_waves(&before, &after);
    let lang = args.lang;
    let rendered = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&json!({
                "weighting": args.margins.as_deref().map(|m| json!({
                    "margins": m,
                    "replicates": args.replicates,
                    "seed": args.seed,
                })),
                "comparison": comparison,
            }))
            .expect("plain values")
                + "\n"
        }
        Format::Html => {
            let title = format!(
                "{} {} → {}",
                lang.pick("两轮评价对比", "Comparison of waves"),
                comparison.before.as_deref().unwrap_or("—"),
                comparison.after.as_deref().unwrap_or("—")
            );
            html_document(
                &title,
                lang,
                &format!(
                    "<h1>{}</h1>{}",
                    minxin_report::svg::escape(&title),
                    render_comparison_body(&comparison, lang)
                ),
            )
        }
        Format::Table => minxin_report::render_comparison_table(&comparison, lang),
    };
    match &args.out {
        Some(path) => write_atomically(path, rendered.as_bytes())?,
        None => std::io::stdout()
            .write_all(rendered.as_bytes())
            .context("cannot write to standard output")?,
    }
    Ok(())
}
