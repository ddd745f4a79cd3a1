//! `minxin stats weights`: respondent weights calibrated to population margins.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use minxin_survey_stats::weighting::{
    kish, post_stratify, rake, trim, Margin, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE,
};
use serde_json::json;

use super::margins::{read_margins, VariableMargin};
use super::table::Table;
use super::StatsFormat;

/// How the weights are calibrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Iterative proportional fitting to every margin in the file.
    Rake,
    /// One variable: each weight scaled to its category's population.
    Poststratify,
}

/// Arguments of `minxin stats weights`.
#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// The respondents: a CSV file with a header row.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Population counts per category of each variable (TOML, [margins.VARIABLE] tables).
    #[arg(long, value_name = "FILE")]
    pub margins: PathBuf,
    /// A column of base (design) weights; every respondent weighs 1 without it.
    #[arg(long, value_name = "COL")]
    pub base_weight: Option<String>,
    /// Calibration method.
    #[arg(long, value_enum, default_value_t = Method::Rake)]
    pub method: Method,
    /// After calibration, trim weights above this bound (as survey's trimWeights, strict).
    #[arg(long, value_name = "W")]
    pub trim_upper: Option<f64>,
    /// After calibration, raise weights below this bound (as survey's trimWeights, strict).
    #[arg(long, value_name = "W")]
    pub trim_lower: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

/// Each respondent's category of `margin`'s variable; errors name the row and column.
fn categories(table: &Table, margin: &VariableMargin) -> Result<Vec<usize>> {
    let column = table
        .column(&margin.variable, "--margins: variable")
        .context("every variable of the margins file must be a column of the input")?;
    table
        .rows
        .iter()
        .map(|(line, fields)| {
            let value = fields[column].trim();
            if value.is_empty() {
                bail!(
                    "row {line}, column {}: missing; every respondent needs a category of each margin variable",
                    margin.variable
                );
            }
            margin
                .categories
                .iter()
                .position(|(category, _)| category == value)
                .with_context(|| {
                    format!(
                        "row {line}, column {}: {value:?} has no population total in the margins file (it has {})",
                        margin.variable,
                        margin
                            .categories
                            .iter()
                            .map(|(c, _)| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
        })
        .collect()
}

/// Weights calibrated to a table's margins, with each unit's category of every margin.
pub(super) struct Calibrated {
    /// One weight per row.
    pub weights: Vec<f64>,
    /// Per margin, each row's category.
    pub categories: Vec<Vec<usize>>,
    /// Raking sweeps (1 for post-stratification).
    pub iterations: usize,
    /// Whether raking converged.
    pub converged: bool,
}

/// Calibrates `base` weights of `table`'s rows to `margins` by `method`.
pub(super) fn calibrate(
    table: &Table,
    margins: &[VariableMargin],
    base: &[f64],
    method: Method,
) -> Result<Calibrated> {
    let categories: Vec<Vec<usize>> = margins
        .iter()
        .map(|margin| categories(table, margin))
        .collect::<Result<_>>()?;
    let totals: Vec<Vec<f64>> = margins
        .iter()
        .map(|m| m.categories.iter().map(|(_, n)| *n).collect())
        .collect();
    let calibration: Vec<Margin<'_>> = margins
        .iter()
        .zip(&categories)
        .zip(&totals)
        .map(|((margin, categories), totals)| Margin {
            name: &margin.variable,
            categories,
            totals,
        })
        .collect();
    let (weights, iterations, converged) = match method {
        Method::Rake => {
            let raked = rake(
                base,
                &calibration,
                DEFAULT_TOLERANCE,
                DEFAULT_MAX_ITERATIONS,
            )?;
            (raked.weights, raked.iterations, raked.converged)
        }
        Method::Poststratify => {
            if calibration.len() != 1 {
                bail!(
                    "post-stratification uses one variable; the margins file has {} (use --method rake)",
                    calibration.len()
                );
            }
            (post_stratify(base, &calibration[0])?, 1, true)
        }
    };
    Ok(Calibrated {
        weights,
        categories,
        iterations,
        converged,
    })
}

/// Runs `minxin stats weights`.
pub fn run(args: WeightsArgs) -> Result<()> {
    let table = Table::read(&args.input)?;
    let margins = read_margins(&args.margins)?;
    let base = match &args.base_weight {
        Some(name) => table.numbers(table.column(name, "--base-weight")?)?,
        None => vec![1.0; table.rows.len()],
    };
    let calibrated = calibrate(&table, &margins, &base, args.method)?;
    let (mut weights, iterations, converged) = (
        calibrated.weights.clone(),
        calibrated.iterations,
        calibrated.converged,
    );
    let trimming_rounds = if args.trim_lower.is_some() || args.trim_upper.is_some() {
        let (trimmed, rounds) = trim(
            &weights,
            args.trim_lower.unwrap_or(f64::NEG_INFINITY),
            args.trim_upper.unwrap_or(f64::INFINITY),
        )?;
        weights = trimmed;
        Some(rounds)
    } else {
        None
    };
    let (design_effect, effective_n) = kish(&weights).context("no respondents")?;
    // Each margin's population against the weighted sample, to see the calibration hold.
    let checks: Vec<serde_json::Value> = margins
        .iter()
        .zip(&calibrated.categories)
        .map(|(margin, categories)| {
            let mut weighted = vec![0.0; margin.categories.len()];
            for (w, c) in weights.iter().zip(categories) {
                weighted[*c] += w;
            }
            json!({
                "variable": margin.variable,
                "categories": margin.categories.iter().zip(&weighted).map(|((category, population), weighted)| {
                    json!({"category": category, "population": population, "weighted": weighted})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let output = match args.format {
        StatsFormat::Json => {
            let document = json!({
                "method": match args.method { Method::Rake => "rake", Method::Poststratify => "poststratify" },
                "n": weights.len(),
                "weights": weights,
                "converged": converged,
                "iterations": iterations,
                "trimming_rounds": trimming_rounds,
                "design_effect": design_effect,
                "effective_n": effective_n,
                "margins": checks,
            });
            serde_json::to_string_pretty(&document).expect("plain values") + "\n"
        }
        StatsFormat::Table => {
            let mut out = format!(
                "{} respondents; {} after {iterations} sweep(s){}\nKish design effect {design_effect:.4}, effective sample size {effective_n:.1}\n",
                weights.len(),
                if converged { "converged" } else { "NOT converged" },
                match args.method { Method::Rake => " of raking", Method::Poststratify => " (post-stratification)" },
            );
            for check in &checks {
                let _ = writeln!(
                    out,
                    "\n{:<20} {:>16} {:>16}",
                    check["variable"].as_str().unwrap_or(""),
                    "population",
                    "weighted"
                );
                for category in check["categories"].as_array().into_iter().flatten() {
                    let _ = writeln!(
                        out,
                        "{:<20} {:>16.1} {:>16.1}",
                        category["category"].as_str().unwrap_or(""),
                        category["population"].as_f64().unwrap_or(f64::NAN),
                        category["weighted"].as_f64().unwrap_or(f64::NAN)
                    );
                }
            }
            out
        }
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .context("cannot write to standard output")?;
    if !converged {
        bail!("raking did not converge in {DEFAULT_MAX_ITERATIONS} sweeps; the margins may contradict each other");
    }
    Ok(())
}
