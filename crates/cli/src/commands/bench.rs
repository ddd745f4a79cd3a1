//! `minxin bench`: generates a large response file and measures the evaluation's throughput and
//! peak memory; `minxin bench advancement` times the advancement pages on a large programme
//! (`bench_advancement.rs`). Figures are printed, never asserted.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use minxin_domain::evaluation::{weighted_evaluation, Margins, RobustnessOptions};
use minxin_domain::{ColumnLayout, Configuration, EvaluationOptions};

use crate::pipeline::{evaluate_file, RejectionPolicy};

/// Arguments of `minxin bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: BenchCommand,
}

/// What to measure.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Write a generated response file (about 10 projects per respondent).
    Generate {
        /// Output CSV file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Number of respondents.
        #[arg(long, default_value_t = 1_000_000)]
        respondents: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Evaluate a file (generated first when none is given) and report rows per second and
    /// peak memory.
    Evaluate {
        /// The file to evaluate; without it one is generated in a temporary folder.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Respondents of the generated file.
        #[arg(long, default_value_t = 1_000_000)]
        respondents: u64,
        /// Threads (0: every core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Repetitions (the best and the median are reported).
        #[arg(long, default_value_t = 3)]
        repeat: u32,
        /// Also weight to the census margins (district, sex) and draw this many bootstrap
        /// replicates for quadrant probabilities and rank intervals, timed separately.
        #[arg(long, default_value_t = 0)]
        replicates: usize,
    },
    /// Build a large programme of projects, letters and progress reports in a database of its
    /// own and time the supervision board, a project's page and a department's view.
    Advancement(super::bench_advancement::AdvancementArgs),
}

/// A small, fast, reproducible generator (SplitMix64) for benchmark data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// Writes `respondents` respondents, each rating 7 to 13 of the catalogue's projects.
pub fn generate(
    path: &Path,
    configuration: &Configuration,
    respondents: u64,
    seed: u64,
) -> Result<u64> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let header = ColumnLayout::canonical_names(&configuration.instrument).join(",");
    writeln!(out, "{header}")?;
    let mut rng = SplitMix(seed);
    let districts: Vec<&str> = configuration
        .districts
        .entries()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    let projects: Vec<&str> = configuration
        .catalogue
        .projects
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    let educations = ["senior_high", "junior_college", "bachelor", "postgraduate"];
    let occupations = [
        "office_staff",
        "professional",
        "worker",
        "student",
        "retired",
    ];
    let channels = ["portal", "app"];
    let items = configuration.instrument.items().len();
    let mut rows = 0u64;
    let mut line = String::with_capacity(256);
    for respondent in 0..respondents {
        let district = districts[rng.below(districts.len() as u64) as usize];
        let gender = if rng.below(2) == 0 { "male" } else { "female" };
        let age = 18 + rng.below(63);
        let education = educations[rng.below(4) as usize];
        let occupation = occupations[rng.below(5) as usize];
        let channel = channels[rng.below(2) as usize];
        let leniency = rng.below(3);
        // Choose 7..=13 distinct projects by a partial shuffle.
        let mut order: Vec<usize> = (0..projects.len()).collect();
        let take = (7 + rng.below(7) as usize).min(projects.len());
        for k in 0..take {
            let j = k + rng.below((projects.len() - k) as u64) as usize;
            order.swap(k, j);
        }
        for project in &order[..take] {
            line.clear();
            use std::fmt::Write as _;
            let _ = write!(
                line,
                "R{respondent:07},2026-bench,{district},{gender},{age},{education},{occupation},{channel},{}",
                projects[*project]
            );
            for _ in 0..items {
                let draw = rng.below(100);
                if draw < 3 {
                    line.push(',');
                } else {
                    let answer = (1 + leniency + draw % 3).min(5);
                    let _ = write!(line, ",{answer}");
                }
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

/// Peak resident memory of this process so far, in bytes (Linux `VmHWM`).
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `minxin bench`.
pub fn run(args: BenchArgs) -> Result<()> {
    let configuration = Configuration::defaults();
    match args.command {
        BenchCommand::Advancement(args) => return super::bench_advancement::run(args),
        BenchCommand::Generate {
            out,
            respondents,
            seed,
        } => {
            let rows = generate(&out, &configuration, respondents, seed)?;
            eprintln!(
                "wrote {rows} rows of {respondents} respondents to {}",
                out.display()
            );
        }
        BenchCommand::Evaluate {
            file,
            respondents,
            threads,
            repeat,
            replicates,
        } => {
            let census = Margins::census_2020(&configuration).map_err(anyhow::Error::msg)?;
            let options = EvaluationOptions {
                weighting_cells: (replicates > 0).then(|| census.variables()),
                ..EvaluationOptions::default()
            };
            let folder = tempfile::tempdir()?;
            let path = match file {
                Some(path) => path,
                None => {
                    let path = folder.path().join("bench.csv");
                    eprintln!("generating {respondents} respondents …");
                    generate(&path, &configuration, respondents, 1)?;
                    path
                }
            };
            let size = std::fs::metadata(&path)?.len();
            let mut timings = Vec::new();
            let mut rows = 0;
            for run in 1..=repeat.max(1) {
                let policy = RejectionPolicy::SkipAndRecord(folder.path().join("rejected.csv"));
                let start = Instant::now();
                let result =
                    evaluate_file(&path, &configuration, options.clone(), &policy, threads)?;
                let reading = start.elapsed().as_secs_f64();
                rows = result.evaluation.rows.read;
                let mut weighting = 0.0;
                if let Some(sums) = &result.group_sums {
                    let robustness = RobustnessOptions {
                        replicates,
                        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
                        ..RobustnessOptions::default()
                    };
                    let started = Instant::now();
                    let weighted = weighted_evaluation(
                        &configuration,
                        sums,
                        Some(&census),
                        &result.evaluation,
                        &robustness,
                    )
                    .context("the weighted evaluation failed")?;
                    weighting = started.elapsed().as_secs_f64();
                    eprintln!(
                        "run {run}: weighting and {} replicates over {} groups: {weighting:.3} s",
                        weighted.replicates, weighted.groups
                    );
                }
                let seconds = reading + weighting;
                eprintln!(
                    "run {run}: {seconds:.3} s in all, reading {reading:.3} s = {:.0} rows/s",
                    rows as f64 / reading
                );
                timings.push(seconds);
            }
            timings.sort_by(f64::total_cmp);
            let best = timings[0];
            let median = timings[timings.len() / 2];
            println!(
                "file: {} ({:.1} MB, {rows} rows)",
                path.display(),
                size as f64 / 1e6
            );
            println!(
                "best: {best:.3} s = {:.0} rows/s = {:.0} MB/s",
                rows as f64 / best,
                size as f64 / 1e6 / best
            );
            println!("median: {median:.3} s = {:.0} rows/s", rows as f64 / median);
            if let Some(peak) = peak_memory_bytes() {
                println!("peak resident memory: {:.1} MB", peak as f64 / 1e6);
            }
        }
    }
    Ok(())
}
