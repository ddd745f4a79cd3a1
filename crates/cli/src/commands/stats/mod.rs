//! `minxin stats`: the statistical methods on any table, so that an evaluator can check them on
//! their own data (the interface of `shared/design/stats-cli.md`). So far: `weights`, `alpha`, `mean` and `pls` (without bootstrap).

mod alpha;
mod margins;
mod mean;
mod pls;
mod table;
mod weights;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

/// Output formats of the statistics commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// A summary for the terminal.
    Table,
    /// JSON with every value (the documented field names).
    Json,
}

/// The statistics commands.
#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Calibrate respondent weights to population margins (raking or post-stratification),
    /// with the Kish design effect and effective sample size.
    Weights(weights::WeightsArgs),
    /// Cronbach's alpha of a multi-item scale (raw and standardised), with each item's
    /// corrected item–total correlation and the alpha without it.
    Alpha(alpha::AlphaArgs),
    /// Design-based means and totals with linearised standard errors (weights, strata,
    /// clusters, finite population correction), overall and by domain.
    Mean(mean::MeanArgs),
    /// A PLS path model (mode A, standardised indicators, Lohmöller's iteration): outer
    /// weights, loadings, path coefficients (with bootstrap intervals), R², total effects,
    /// composite reliability, AVE and HTMT.
    Pls(pls::PlsArgs),
}

/// Runs `minxin stats ...`.
pub fn run(command: StatsCommand) -> Result<()> {
    match command {
        StatsCommand::Weights(args) => weights::run(args),
        StatsCommand::Alpha(args) => alpha::run(args),
        StatsCommand::Mean(args) => mean::run(args),
        StatsCommand::Pls(args) => pls::run(args),
    }
}
