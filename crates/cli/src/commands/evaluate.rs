//! `minxin evaluate FILE`: the evaluation of one wave, as a table, JSON or an HTML report.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;
use minxin_domain::evaluation::{
    weighted_evaluation, GroupSums, Margins, RobustnessOptions, SatisfactionModel,
    WeightedEvaluation,
};
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
    /// How the quadrants' cut points are found: median (of the reliable projects' scores),
    /// mean, or fixed targets R,S (such as 70,65).
    #[arg(long, value_name = "RULE", default_value = "median")]
    pub cut_points: minxin_domain::evaluation::CutPointRule,
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
    /// Add a weighted evaluation, with weights raked to these population margins: a TOML file
    /// of `[margins.VARIABLE]` tables (district, gender, education, occupation) of
    /// `CODE = population`; `census` for Shanghai's 2020 census by district and sex (the
    /// default when only --replicates is given); `none` for equal weights.
    #[arg(long, value_name = "FILE|census|none")]
    pub margins: Option<String>,
    /// Bootstrap replicates of the weighted evaluation, for standard errors, quadrant
    /// probabilities and rank intervals (0: weighted scores only).
    #[arg(long, value_name = "N")]
    pub replicates: Option<usize>,
    /// Seed of the bootstrap draws: the same seed gives the same results.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The satisfaction-index structural model: a TOML file of `[constructs.NAME]` with
    /// `indicators = [item codes]`, `[[paths]]` with `from` and `to`, and `outcome` (default
    /// `satisfaction`). Without it, the default model over the seven dimensions.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Trim the calibrated weights to [mean / R, mean × R] (R > 1), sharing what is cut off
    /// among the other respondents, as R's survey::trimWeights(strict = TRUE).
    #[arg(long, value_name = "R")]
    pub trim: Option<f64>,
    /// A project's quadrant is uncertain when no quadrant has at least this probability.
    #[arg(long, value_name = "P", default_value_t = 0.8)]
    pub certainty: f64,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Renders `evaluation` (with its weighted evaluation, when there is one) in `format`.
pub fn render(
    evaluation: &Evaluation,
    weighted: Option<&WeightedEvaluation>,
    configuration: &Configuration,
    format: Format,
    lang: Lang,
) -> String {
    match (format, weighted) {
        (Format::Table, weighted) => {
            let mut text = minxin_report::render_table(evaluation, lang);
            text.push_str(&minxin_report::render_drivers_text(
                evaluation,
                &configuration.instrument,
                lang,
            ));
            text.push_str(&minxin_report::render_reliability_text(
                evaluation,
                &configuration.instrument,
                lang,
            ));
            if let Some(weighted) = weighted {
                text.push_str(&minxin_report::render_weighted_table(
                    evaluation, weighted, lang,
                ));
            }
            text
        }
        (Format::Json, None) => minxin_report::render_json(evaluation) + "\n",
        (Format::Json, Some(weighted)) => {
            minxin_report::render_json_with_weighted(evaluation, weighted) + "\n"
        }
        (Format::Html, weighted) => minxin_report::render_html_with_weighted(
            evaluation,
            &configuration.instrument,
            weighted,
            lang,
        ),
    }
}

/// How the weighted evaluation is drawn: replicates, their seed, the certainty threshold of
/// quadrants, and the structural model (`None`: the default).
pub struct Draws {
    /// Bootstrap replicates.
    pub replicates: usize,
    /// Their seed.
    pub seed: u64,
    /// Certainty threshold of quadrants.
    pub certainty: f64,
    /// The structural model.
    pub model: Option<SatisfactionModel>,
    /// Trim the weights to `[mean / r, mean × r]`.
    pub trim: Option<f64>,
}

/// The weighted evaluation with its bootstrap replicates, with a spinner meanwhile.
pub fn weigh(
    configuration: &Configuration,
    sums: &GroupSums,
    margins: Option<&Margins>,
    evaluation: &Evaluation,
    draws: Draws,
) -> Result<WeightedEvaluation> {
    let replicates = draws.replicates;
    let options = RobustnessOptions {
        replicates,
        seed: draws.seed,
        certainty: draws.certainty,
        confidence: evaluation.settings.confidence,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        model: draws.model,
        trim: draws.trim,
    };
    let spinner = ProgressBar::new_spinner().with_message(format!(
        "weighting and drawing {replicates} bootstrap replicates"
    ));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let weighted = weighted_evaluation(configuration, sums, margins, evaluation, &options);
    spinner.finish_and_clear();
    weighted.context("the weighted evaluation failed")
}

/// The margins `--margins` names, or `None` for equal weights.
pub fn margins(choice: &str, configuration: &Configuration) -> Result<Option<Margins>> {
    match choice {
        "none" => Ok(None),
        "census" => Margins::census_2020(configuration)
            .map(Some)
            .map_err(|e| anyhow!("the census margins do not fit the configuration: {e}")),
        path => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the margins file {path}"))?;
            Margins::parse(&text, configuration, path)
                .map(Some)
                .map_err(|e| anyhow!("invalid margins file {path}: {e}"))
        }
    }
}

/// Runs `minxin evaluate`.
pub fn run(args: EvaluateArgs) -> Result<()> {
    let configuration = args.config.load()?;
    let weighting = match (&args.margins, args.replicates) {
        (None, None) if args.trim.is_some() => bail!("--trim needs --margins (or --replicates)"),
        (None, None) => None,
        (choice, replicates) => Some((
            margins(choice.as_deref().unwrap_or("census"), &configuration)?,
            replicates.unwrap_or(0),
        )),
    };
    if let Some((_, replicates)) = &weighting {
        if *replicates == 1 {
            bail!("--replicates must be 0 or at least 2");
        }
        if !(args.certainty > 0.0 && args.certainty <= 1.0) {
            bail!("--certainty must lie in (0, 1], got {}", args.certainty);
        }
    }
    let satisfaction_model = args
        .model
        .as_deref()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the model file {}", path.display()))?;
            SatisfactionModel::parse(&text, &configuration.instrument)
                .map_err(|e| anyhow!("invalid model file {}: {e}", path.display()))
        })
        .transpose()?;
    let options = EvaluationOptions {
        wave: args.wave.clone(),
        minimum_respondents: args.min_respondents,
        weighting_cells: weighting
            .as_ref()
            .map(|(margins, _)| margins.as_ref().map_or_else(Vec::new, Margins::variables)),
        satisfaction_model: satisfaction_model.clone(),
        cut_points: args.cut_points,
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
    let weighted = match (&weighting, &result.group_sums) {
        (Some((margins, replicates)), Some(sums)) => Some(weigh(
            &configuration,
            sums,
            margins.as_ref(),
            evaluation,
            Draws {
                replicates: *replicates,
                seed: args.seed,
                certainty: args.certainty,
                model: satisfaction_model,
                trim: args.trim,
            },
        )?),
        _ => None,
    };
    let rendered = render(
        evaluation,
        weighted.as_ref(),
        &configuration,
        args.format,
        args.lang,
    );
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
