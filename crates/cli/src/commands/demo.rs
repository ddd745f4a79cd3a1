//! `minxin demo`: writes the synthetic demo responses and evaluates them like any other file, with
//! the cut points under which they reproduce the paper (`pooled-median`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use minxin_domain::{Configuration, EvaluationOptions};
use minxin_report::Lang;

use crate::commands::evaluate::{render, Format};
use crate::output::write_atomically;
use crate::pipeline::{evaluate_file, RejectionPolicy};

/// File name of the demo responses.
pub const DEMO_FILE: &str = "minxin-demo-synthetic.csv";

/// Arguments of `minxin demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder to write into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "demo-output")]
    pub out: PathBuf,
    /// Seed of the generator; every seed reproduces the published findings.
    #[arg(long, value_name = "N", default_value_t = 2021)]
    pub seed: u64,
}

/// Runs `minxin demo`.
pub fn run(args: DemoArgs) -> Result<()> {
    let configuration = Configuration::defaults();
    let data = minxin_demo::generate(&configuration, args.seed)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let csv_path = args.out.join(DEMO_FILE);
    let mut csv = Vec::new();
    minxin_interchange::write_csv_table(&mut csv, &data.header, data.rows)?;
    write_atomically(&csv_path, &csv)?;

    let result = evaluate_file(
        &csv_path,
        &configuration,
        EvaluationOptions {
            cut_points: minxin_demo::DEMO_CUT_POINTS,
            ..EvaluationOptions::default()
        },
        &RejectionPolicy::Strict,
        1,
    )?;
    let evaluation = &result.evaluation;
    let outputs = [
        ("report.html", Format::Html, Lang::Zh),
        ("report.en.html", Format::Html, Lang::En),
        ("report.json", Format::Json, Lang::Zh),
    ];
    for (name, format, lang) in outputs {
        write_atomically(
            &args.out.join(name),
            render(evaluation, None, &configuration, format, lang).as_bytes(),
        )?;
    }
    print!(
        "{}",
        render(evaluation, None, &configuration, Format::Table, Lang::Zh)
    );
    eprintln!(
        "\nSynthetic demo data (seed {}), calibrated to the paper's published aggregate findings:\n  {}\n  {}  {}  {}\nEvaluate it yourself: minxin evaluate {} --cut-points {} --format html --out report.html",
        args.seed,
        csv_path.display(),
        args.out.join("report.html").display(),
        args.out.join("report.en.html").display(),
        args.out.join("report.json").display(),
        csv_path.display(),
        minxin_demo::DEMO_CUT_POINTS,
    );
    Ok(())
}
