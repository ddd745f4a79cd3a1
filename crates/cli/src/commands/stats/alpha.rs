//! `minxin stats alpha`: Cronbach's alpha of a multi-item scale, with each item's corrected
//! item–total correlation and the alpha without it.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use minxin_survey_stats::reliability::{cronbach_alpha, MissingAnswers};
use serde_json::json;

use super::table::Table;
use super::StatsFormat;

/// How missing answers are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Missing {
    /// Each covariance over the respondents who answered both items.
    Pairwise,
    /// Only respondents who answered every item.
    Listwise,
}

/// Arguments of `minxin stats alpha`.
#[derive(Debug, Args)]
pub struct AlphaArgs {
    /// The answers: a CSV file with a header row; an empty field is a missing answer.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// The scale's items (columns), comma-separated.
    #[arg(
        long,
        value_name = "COL,COL,...",
        value_delimiter = ',',
        required = true
    )]
    pub items: Vec<String>,
    /// Reverse-keyed items among them, comma-separated.
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    pub reverse: Vec<String>,
    /// Handling of missing answers.
    #[arg(long, value_enum, default_value_t = Missing::Pairwise)]
    pub missing: Missing,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

/// Runs `minxin stats alpha`.
pub fn run(args: AlphaArgs) -> Result<()> {
    let table = Table::read(&args.input)?;
    if let Some(stray) = args.reverse.iter().find(|r| !args.items.contains(r)) {
        bail!("--reverse {stray}: not one of the --items");
    }
    let columns: Vec<usize> = args
        .items
        .iter()
        .map(|item| table.column(item, "--items"))
        .collect::<Result<_>>()?;
    let rows: Vec<Vec<Option<f64>>> = table
        .rows
        .iter()
        .map(|(line, fields)| {
            columns
                .iter()
                .zip(&args.items)
                .map(|(column, item)| {
                    // Empty or "NA" is missing, as in every stats command.
                    let value = table.optional_number(*line, fields, *column)?;
                    // Reversing by negation: alpha depends on covariances only.
                    Ok(value.map(|v| if args.reverse.contains(item) { -v } else { v }))
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let missing = match args.missing {
        Missing::Pairwise => MissingAnswers::Pairwise,
        Missing::Listwise => MissingAnswers::Listwise,
    };
    let alpha = cronbach_alpha(&rows, missing)?;
    let number = |x: f64| if x.is_finite() { json!(x) } else { json!(null) };
    let output = match args.format {
        StatsFormat::Json => {
            let document = json!({
                "raw_alpha": alpha.raw_alpha,
                "std_alpha": alpha.std_alpha,
                "average_r": alpha.average_r,
                "missing": match args.missing { Missing::Pairwise => "pairwise", Missing::Listwise => "listwise" },
                "items": args.items.iter().zip(&alpha.items).map(|(item, stats)| json!({
                    "item": item,
                    "r_drop": number(stats.r_drop),
                    "alpha_if_dropped": number(stats.alpha_if_dropped),
                })).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&document).expect("plain values") + "\n"
        }
        StatsFormat::Table => {
            let mut out = format!(
                "Cronbach's alpha {:.4} (standardised {:.4}), average inter-item correlation {:.4}\n\n{:<16} {:>10} {:>18}\n",
                alpha.raw_alpha, alpha.std_alpha, alpha.average_r, "item", "r.drop", "alpha if dropped"
            );
            for (item, stats) in args.items.iter().zip(&alpha.items) {
                let _ = writeln!(
                    out,
                    "{:<16} {:>10.4} {:>18.4}",
                    item, stats.r_drop, stats.alpha_if_dropped
                );
            }
            out
        }
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .context("cannot write to standard output")
}
