//! `minxin stats pls`: a PLS path model (mode A, standardised indicators) estimated on a table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use minxin_survey_stats::pls::{estimate, InnerScheme, PathModel};
use minxin_survey_stats::reliability::{average_variance_extracted, composite_reliability, htmt};
use serde::Deserialize;
use serde_json::json;

use super::table::Table;
use super::StatsFormat;

/// The inner weighting scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    /// Regression on predecessors, correlation with successors.
    Path,
    /// The sign of the correlation with each neighbour.
    Centroid,
    /// The covariance with each neighbour.
    Factorial,
}

/// Arguments of `minxin stats pls`.
#[derive(Debug, Args)]
pub struct PlsArgs {
    /// The indicators: a CSV file with a header row; rows with a missing indicator are left out.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// The model (TOML): [constructs.NAME] indicators = [...], and [[paths]] from/to.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    /// Inner weighting scheme.
    #[arg(long, value_enum, default_value_t = Scheme::Path)]
    pub scheme: Scheme,
    /// Bootstrap replicates (rows drawn with replacement) for the standard errors and 95%
    /// percentile intervals of the path coefficients; 0 for none.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub bootstrap: usize,
    /// Seed of the bootstrap draws (the same seed gives the same intervals).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

/// Bootstrap spread of each path coefficient.
struct PathSpread {
    se: f64,
    ci_low: f64,
    ci_high: f64,
}

/// Re-estimates the model on `replicates` samples of the rows drawn with replacement.
fn bootstrap(
    columns: &[Vec<f64>],
    model: &PathModel,
    scheme: InnerScheme,
    replicates: usize,
    seed: u64,
) -> Result<Vec<PathSpread>> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let rows = columns[0].len();
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); model.paths.len()];
    let progress = indicatif::ProgressBar::new(replicates as u64);
    let mut failed = 0usize;
    for _ in 0..replicates {
        let picks: Vec<usize> = (0..rows).map(|_| rng.random_range(0..rows)).collect();
        let sample: Vec<Vec<f64>> = columns
            .iter()
            .map(|column| picks.iter().map(|r| column[*r]).collect())
            .collect();
        progress.inc(1);
        match estimate(&sample, model, scheme, TOLERANCE, MAX_ITERATIONS) {
            Ok(result) => {
                for (path, value) in draws.iter_mut().zip(&result.path_coefficients) {
                    path.push(*value);
                }
            }
            // A sample in which an indicator does not vary cannot be estimated; it is drawn
            // again rather than counted.
            Err(_) => failed += 1,
        }
    }
    progress.finish_and_clear();
    if failed * 10 > replicates {
        bail!("{failed} of {replicates} bootstrap samples could not be estimated");
    }
    Ok(draws
        .into_iter()
        .map(|mut values| {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let se = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            values.sort_by(f64::total_cmp);
            let quantile = |p: f64| {
                // Type 7 (linear interpolation), as R's and numpy's default quantile.
                let h = (n - 1.0) * p;
                let (low, high) = (h.floor() as usize, h.ceil() as usize);
                values[low] + (h - h.floor()) * (values[high] - values[low])
            };
            PathSpread {
                se,
                ci_low: quantile(0.025),
                ci_high: quantile(0.975),
            }
        })
        .collect())
}

/// The model file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    constructs: BTreeMap<String, ConstructFile>,
    paths: Vec<PathFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstructFile {
    indicators: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathFile {
    from: String,
    to: String,
}

fn read_model(path: &Path) -> Result<ModelFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the model file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid model file {}", path.display()))
}

/// Pearson's correlation of two complete columns.
fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (mean_a, mean_b) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        ab += (x - mean_a) * (y - mean_b);
        aa += (x - mean_a).powi(2);
        bb += (y - mean_b).powi(2);
    }
    ab / (aa * bb).sqrt()
}

/// Tolerance on the outer weights, and the iteration limit.
const TOLERANCE: f64 = 1e-12;
const MAX_ITERATIONS: usize = 1_000;

/// Runs `minxin stats pls`.
pub fn run(args: PlsArgs) -> Result<()> {
    let table = Table::read(&args.input)?;
    let file = read_model(&args.model)?;
    let names: Vec<&String> = file.constructs.keys().collect();
    let position = |name: &str, field: &str| {
        names
            .iter()
            .position(|n| n.as_str() == name)
            .with_context(|| {
                format!(
                    "{}: paths.{field} {name:?} is not a construct",
                    args.model.display()
                )
            })
    };
    let paths: Vec<(usize, usize)> = file
        .paths
        .iter()
        .map(|p| Ok((position(&p.from, "from")?, position(&p.to, "to")?)))
        .collect::<Result<_>>()?;
    // Every indicator becomes one column of the estimation data, in construct order.
    let mut indicators: Vec<&String> = Vec::new();
    let mut blocks = Vec::new();
    for construct in file.constructs.values() {
        let mut block = Vec::new();
        for indicator in &construct.indicators {
            block.push(indicators.len());
            indicators.push(indicator);
        }
        blocks.push(block);
    }
    let source: Vec<usize> = indicators
        .iter()
        .map(|name| table.column(name, "indicator"))
        .collect::<Result<_>>()?;
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); indicators.len()];
    let mut left_out = 0usize;
    for (line, fields) in &table.rows {
        let values: Vec<Option<f64>> = source
            .iter()
            .map(|c| table.optional_number(*line, fields, *c))
            .collect::<Result<_>>()?;
        if values.iter().any(Option::is_none) {
            left_out += 1;
            continue;
        }
        for (column, value) in columns.iter_mut().zip(values) {
            column.push(value.expect("checked"));
        }
    }
    if columns[0].len() < 3 {
        bail!("fewer than 3 rows have every indicator");
    }
    let scheme = match args.scheme {
        Scheme::Path => InnerScheme::Path,
        Scheme::Centroid => InnerScheme::Centroid,
        Scheme::Factorial => InnerScheme::Factorial,
    };
    let model = PathModel { blocks, paths };
    let result = estimate(&columns, &model, scheme, TOLERANCE, MAX_ITERATIONS)?;
    let spread = if args.bootstrap > 0 {
        Some(bootstrap(
            &columns,
            &model,
            scheme,
            args.bootstrap,
            args.seed,
        )?)
    } else {
        None
    };
    let per_indicator = |values: &[Vec<f64>]| -> BTreeMap<String, f64> {
        model
            .blocks
            .iter()
            .zip(values)
            .flat_map(|(block, v)| block.iter().zip(v))
            .map(|(column, value)| (indicators[*column].clone(), *value))
            .collect()
    };
    let outer_weights = per_indicator(&result.outer_weights);
    let loadings = per_indicator(&result.loadings);
    let path_rows: Vec<serde_json::Value> = model
        .paths
        .iter()
        .zip(&result.path_coefficients)
        .enumerate()
        .map(|(k, ((from, to), c))| {
            let mut row = json!({"from": names[*from], "to": names[*to], "coefficient": c});
            if let Some(spread) = &spread {
                row["se"] = json!(spread[k].se);
                row["ci_low"] = json!(spread[k].ci_low);
                row["ci_high"] = json!(spread[k].ci_high);
            }
            row
        })
        .collect();
    let r2: BTreeMap<&String, f64> = names
        .iter()
        .zip(&result.r_squared)
        .filter_map(|(name, r2)| Some((*name, (*r2)?)))
        .collect();
    let reliability: BTreeMap<&String, serde_json::Value> = names
        .iter()
        .zip(&result.loadings)
        .map(|(name, loadings)| {
            (
                *name,
                json!({
                    "composite_reliability": composite_reliability(loadings),
                    "ave": average_variance_extracted(loadings),
                }),
            )
        })
        .collect();
    let correlation = |a: usize, b: usize| pearson(&columns[a], &columns[b]);
    let mut htmt_rows = Vec::new();
    for a in 0..names.len() {
        for b in a + 1..names.len() {
            if let Some(value) = htmt(&model.blocks[a], &model.blocks[b], correlation) {
                htmt_rows.push(json!({"a": names[a], "b": names[b], "htmt": value}));
            }
        }
    }
    let mut total_effects = Vec::new();
    for (a, from) in names.iter().enumerate() {
        for (b, to) in names.iter().enumerate() {
            if result.total_effects[a][b] != 0.0 {
                total_effects
                    .push(json!({"from": from, "to": to, "total": result.total_effects[a][b]}));
            }
        }
    }
    let output = match args.format {
        StatsFormat::Json => {
            serde_json::to_string_pretty(&json!({
                "n": columns[0].len(),
                "bootstrap": args.bootstrap,
                "rows_left_out": left_out,
                "iterations": result.iterations,
                "outer_weights": outer_weights,
                "loadings": loadings,
                "paths": path_rows,
                "r2": r2,
                "total_effects": total_effects,
                "reliability": reliability,
                "htmt": htmt_rows,
            }))
            .expect("plain values")
                + "\n"
        }
        StatsFormat::Table => {
            let mut out = format!(
                "{} rows ({left_out} left out for a missing indicator), {} iterations\n\n{:<16} {:>10} {:>10}\n",
                columns[0].len(),
                result.iterations,
                "indicator",
                "weight",
                "loading"
            );
            for (name, weight) in &outer_weights {
                let _ = writeln!(out, "{name:<16} {weight:>10.4} {:>10.4}", loadings[name]);
            }
            let _ = writeln!(
                out,
                "\n{:<24} {:>12} {:>12} {:>10}   95% bootstrap interval",
                "path", "coefficient", "total", "se"
            );
            for (k, ((from, to), coefficient)) in model
                .paths
                .iter()
                .zip(&result.path_coefficients)
                .enumerate()
            {
                let (se, interval) = match &spread {
                    Some(s) => (
                        format!("{:.4}", s[k].se),
                        format!("{:.4} – {:.4}", s[k].ci_low, s[k].ci_high),
                    ),
                    None => ("—".into(), "—".into()),
                };
                let _ = writeln!(
                    out,
                    "{:<24} {coefficient:>12.4} {:>12.4} {se:>10}   {interval}",
                    format!("{} -> {}", names[*from], names[*to]),
                    result.total_effects[*from][*to]
                );
            }
            for (name, value) in &r2 {
                let _ = writeln!(out, "R² {name}: {value:.4}");
            }
            let _ = writeln!(
                out,
                "\n{:<16} {:>22} {:>8}",
                "construct", "composite reliability", "AVE"
            );
            for (name, values) in &reliability {
                let _ = writeln!(
                    out,
                    "{name:<16} {:>22.4} {:>8.4}",
                    values["composite_reliability"].as_f64().unwrap_or(f64::NAN),
                    values["ave"].as_f64().unwrap_or(f64::NAN)
                );
            }
            for row in &htmt_rows {
                let _ = writeln!(
                    out,
                    "HTMT {} / {}: {:.4}",
                    row["a"].as_str().unwrap_or(""),
                    row["b"].as_str().unwrap_or(""),
                    row["htmt"].as_f64().unwrap_or(f64::NAN)
                );
            }
            out
        }
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .context("cannot write to standard output")
}
