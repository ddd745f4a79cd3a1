//! `minxin stats mean`: design-based means and totals with linearised (or replicate) standard
//! errors, overall or by domain.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use minxin_survey_stats::design::{Calibration, Design};
use minxin_survey_stats::replicate::{replicate_estimate, ReplicateMethod};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::margins::read_margins;
use super::table::Table;
use super::weights::{calibrate, Method};
use super::StatsFormat;

/// Arguments of `minxin stats mean`.
#[derive(Debug, Args)]
pub struct MeanArgs {
    /// The units: a CSV file with a header row; an empty field is a missing value.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// The variables to estimate, comma-separated.
    #[arg(long, value_name = "COL,...", value_delimiter = ',', required = true)]
    pub var: Vec<String>,
    /// Sampling weights (every unit weighs 1 without).
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,
    /// Strata.
    #[arg(long, value_name = "COL")]
    pub strata: Option<String>,
    /// Primary sampling units (clusters), within strata.
    #[arg(long, value_name = "COL")]
    pub cluster: Option<String>,
    /// Finite population correction: the stratum's population in PSUs, or its sampling fraction.
    #[arg(long, value_name = "COL")]
    pub fpc: Option<String>,
    /// Calibrate the weights to these population margins first (TOML, as `stats weights`); the
    /// standard errors then use the calibration residuals.
    #[arg(long, value_name = "FILE")]
    pub margins: Option<PathBuf>,
    /// Calibration method with --margins.
    #[arg(long, value_enum, default_value_t = Method::Rake)]
    pub method: Method,
    /// Estimate within each value of this column (domains) as well as overall.
    #[arg(long, value_name = "COL")]
    pub by: Option<String>,
    /// Standard errors from replicate weights instead of linearisation: the stratified
    /// jackknife (JKn) or the Rao–Wu bootstrap (n − 1 PSUs drawn per stratum).
    #[arg(long, value_enum, value_name = "METHOD")]
    pub replicate: Option<ReplicateChoice>,
    /// Bootstrap replicates with --replicate bootstrap.
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    pub replicates: usize,
    /// Seed of the bootstrap draws (the same seed gives the same standard errors).
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

/// The replicate methods of `--replicate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReplicateChoice {
    /// Delete one PSU at a time, within strata.
    Jackknife,
    /// Resample PSUs within strata.
    Bootstrap,
}

/// Each unit's label in `column`, as a small integer.
fn labels(table: &Table, column: usize) -> Vec<usize> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    table
        .rows
        .iter()
        .map(|(_, fields)| {
            let next = ids.len();
            *ids.entry(fields[column].as_str()).or_insert(next)
        })
        .collect()
}

/// Runs `minxin stats mean`.
pub fn run(args: MeanArgs) -> Result<()> {
    if args.replicate.is_some() {
        if args.fpc.is_some() {
            bail!("--replicate does not take --fpc: replicate weights here assume sampling with replacement");
        }
        if args.margins.is_some() {
            bail!("--replicate does not take --margins: calibrate the weights with `stats weights` and pass them as --weight");
        }
        if args.replicate == Some(ReplicateChoice::Bootstrap) && args.replicates < 2 {
            bail!("--replicates must be at least 2, got {}", args.replicates);
        }
    }
    let table = Table::read(&args.input)?;
    let base = match &args.weight {
        Some(name) => table.numbers(table.column(name, "--weight")?)?,
        None => vec![1.0; table.rows.len()],
    };
    let calibrated = match &args.margins {
        Some(path) => {
            let calibrated = calibrate(&table, &read_margins(path)?, &base, args.method)?;
            if !calibrated.converged {
                bail!("raking to {} did not converge", path.display());
            }
            Some(calibrated)
        }
        None => None,
    };
    let weights = calibrated
        .as_ref()
        .map_or_else(|| base.clone(), |c| c.weights.clone());
    let margin_categories: Vec<&[usize]> = calibrated
        .iter()
        .flat_map(|c| c.categories.iter().map(Vec::as_slice))
        .collect();
    let calibration = calibrated.as_ref().map(|c| match args.method {
        Method::Rake => Calibration::Raked {
            margins: &margin_categories,
        },
        Method::Poststratify => Calibration::PostStratified {
            strata: &c.categories[0],
            base: &base,
        },
    });
    let strata = args
        .strata
        .as_deref()
        .map(|name| table.column(name, "--strata").map(|c| labels(&table, c)))
        .transpose()?;
    let clusters = args
        .cluster
        .as_deref()
        .map(|name| table.column(name, "--cluster").map(|c| labels(&table, c)))
        .transpose()?;
    let fpc = args
        .fpc
        .as_deref()
        .map(|name| table.column(name, "--fpc").and_then(|c| table.numbers(c)))
        .transpose()?;
    let design = Design {
        weights: &weights,
        strata: strata.as_deref(),
        clusters: clusters.as_deref(),
        fpc: fpc.as_deref(),
        calibration,
    };
    let domains: Vec<(Option<String>, Option<Vec<bool>>)> = match &args.by {
        None => vec![(None, None)],
        Some(name) => {
            let column = table.column(name, "--by")?;
            let mut values: Vec<&str> =
                table.rows.iter().map(|(_, f)| f[column].as_str()).collect();
            values.sort_unstable();
            values.dedup();
            std::iter::once((None, None))
                .chain(values.into_iter().map(|value| {
                    let members = table.rows.iter().map(|(_, f)| f[column] == value).collect();
                    (Some(value.to_string()), Some(members))
                }))
                .collect()
        }
    };
    let mut estimates = Vec::new();
    for variable in &args.var {
        let values = table.optional_numbers(table.column(variable, "--var")?)?;
        for (domain, members) in &domains {
            let estimate = match args.replicate {
                None => design.estimate(&values, members.as_deref(), args.confidence),
                Some(choice) => {
                    let method = match choice {
                        ReplicateChoice::Jackknife => ReplicateMethod::Jackknife,
                        ReplicateChoice::Bootstrap => ReplicateMethod::Bootstrap {
                            replicates: args.replicates,
                        },
                    };
                    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
                    replicate_estimate(
                        &weights,
                        strata.as_deref(),
                        clusters.as_deref(),
                        &values,
                        members.as_deref(),
                        method,
                        args.confidence,
                        &mut |n| rng.random_range(0..n),
                    )
                }
            }
            .with_context(|| match domain {
                Some(d) => format!("{variable} in {d}"),
                None => variable.clone(),
            })?;
            estimates.push(json!({
                "var": variable,
                "domain": domain,
                "n": estimate.n,
                "mean": estimate.mean,
                "se_mean": estimate.se_mean,
                "total": estimate.total,
                "se_total": estimate.se_total,
                "ci_low": estimate.ci_low,
                "ci_high": estimate.ci_high,
            }));
        }
    }
    let output = match args.format {
        StatsFormat::Json => {
            serde_json::to_string_pretty(&json!({
                "confidence": args.confidence,
                "variance": match args.replicate {
                    None => json!("linearisation"),
                    Some(ReplicateChoice::Jackknife) => json!("jackknife"),
                    Some(ReplicateChoice::Bootstrap) => json!({
                        "bootstrap": args.replicates,
                        "seed": args.seed,
                    }),
                },
                "estimates": estimates,
            }))
            .expect("plain values")
                + "\n"
        }
        StatsFormat::Table => {
            let mut out = format!(
                "{:<14} {:<10} {:>6} {:>14} {:>12} {:>16} {:>14}   {:.0}% interval\n",
                "variable",
                "domain",
                "n",
                "mean",
                "se",
                "total",
                "se",
                args.confidence * 100.0
            );
            for e in &estimates {
                let _ = writeln!(
                    out,
                    "{:<14} {:<10} {:>6} {:>14.4} {:>12.4} {:>16.2} {:>14.2}   {:.4} – {:.4}",
                    e["var"].as_str().unwrap_or(""),
                    e["domain"].as_str().unwrap_or("(all)"),
                    e["n"],
                    e["mean"].as_f64().unwrap_or(f64::NAN),
                    e["se_mean"].as_f64().unwrap_or(f64::NAN),
                    e["total"].as_f64().unwrap_or(f64::NAN),
                    e["se_total"].as_f64().unwrap_or(f64::NAN),
                    e["ci_low"].as_f64().unwrap_or(f64::NAN),
                    e["ci_high"].as_f64().unwrap_or(f64::NAN),
                );
            }
            out
        }
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .context("cannot write to standard output")
}
