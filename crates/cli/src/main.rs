//! The `minxin` command line: evaluate response files, generate the synthetic demo, measure
//! the evaluation's speed, run the web platform and import files into it.

mod commands;
mod configuration;
mod output;
mod parallel;
mod pipeline;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the server allocates and frees small buffers per
/// request on several threads, where glibc's allocator spent a fifth of the time and kept
/// freed memory in per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Minxin (民心): evaluation of a city's livelihood projects by its citizens.
#[derive(Debug, Parser)]
#[command(name = "minxin", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What to do with the audit trail.
#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check that no entry was altered, removed, inserted, reordered or cut off; names the
    /// first bad entry and exits with status 1 when one is found.
    Verify(commands::serve::AuditArgs),
    /// Print the trail's head as an anchor (COUNT:HASH) to record somewhere else: a later
    /// `verify --anchor` shows whether the trail was rewritten since.
    Head(commands::serve::AuditHeadArgs),
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a response file (CSV or XLSX): indices, cut points, quadrants, gaps, profile.
    Evaluate(commands::evaluate::EvaluateArgs),
    /// Compare two waves: the change of each project's indices with intervals, and quadrant
    /// moves, weighted to population margins on request.
    Compare(commands::compare::CompareArgs),
    /// Write the synthetic demo responses (calibrated to the paper) and their report.
    Demo(commands::demo::DemoArgs),
    /// Measure the speed and memory of the evaluation on a generated file.
    Bench(commands::bench::BenchArgs),
    /// Run the web platform: survey waves, the questionnaire, intake API and dashboards.
    Serve(commands::serve::ServeArgs),
    /// Import a response file (CSV or XLSX) into an open wave of a running platform.
    Import(commands::import::ImportArgs),
    /// Print a citizen token signed with a configured portal key (for demos and tests).
    PortalToken(commands::portal_token::PortalTokenArgs),
    /// Statistical methods on any CSV table (weights, alpha, design-based means, PLS), so that
    /// evaluators can check them on their own data.
    #[command(subcommand)]
    Stats(commands::stats::StatsCommand),
    /// Create or upgrade the database schema.
    Migrate(commands::serve::MigrateArgs),
    /// Accounts of the platform's users.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// The organisation: departments, districts, streets and departments' parts in projects.
    #[command(subcommand)]
    Org(commands::org::OrgCommand),
    /// The project register: the city's projects, who leads them, who takes part, where.
    #[command(subcommand)]
    Register(commands::register::RegisterCommand),
    /// The audit trail of the platform's database.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Working days under the State Council's holiday notices, for deadlines.
    #[command(subcommand)]
    Calendar(commands::calendar::CalendarCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Serve(args) => commands::serve::serve(args),
        Command::Import(args) => commands::import::run(args),
        Command::PortalToken(args) => commands::portal_token::run(args),
        Command::Stats(command) => commands::stats::run(command),
        Command::Migrate(args) => commands::serve::migrate(args),
        Command::User(command) => commands::user::run(command),
        Command::Org(command) => commands::org::run(command),
        Command::Register(command) => commands::register::run(command),
        Command::Calendar(command) => commands::calendar::run(command),
        Command::Audit(AuditCommand::Verify(args)) => commands::serve::audit_verify(args),
        Command::Audit(AuditCommand::Head(args)) => commands::serve::audit_head(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
