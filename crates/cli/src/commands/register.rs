//! `minxin register load|show|export`: the project register, managed from the server's own
//! machine. A register is a TOML file (as `crates/domain/defaults/register.toml`) or an XLSX
//! workbook with the sheets 部门, 项目 and 配合部门 (as `export` writes it, which is also the
//! template a city fills in). Loading is all or nothing: every problem of the file is listed by
//! project and field, or by sheet, row and column, and nothing is stored until there is none.
//! Every change is recorded in the audit trail (`cli:NAME`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use minxin_domain::advancement::register::{Register, RegisterContext};
use minxin_domain::advancement::register_sheets::{register_from_sheets, register_to_sheets};
use minxin_domain::organisation::UnitKind;
use minxin_domain::platform::{OrganisationStore, RegisterStore};
use minxin_domain::Configuration;
use minxin_interchange::{read_sheets, write_sheets, InputFormat};

use super::serve::{runtime, DatabaseArgs, ServingFlags, Settings};
use super::user::attribution;
use crate::output::write_atomically;

/// What to do with the project register.
#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Load a register (TOML or XLSX): add its departments and projects, replace changed ones.
    Load(LoadArgs),
    /// Print the registered projects.
    Show(ShowArgs),
    /// Write the register to a file: .xlsx (the sheets a city edits) or .toml.
    Export(ExportArgs),
}

/// Arguments of `minxin register load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The register file: TOML, or an XLSX workbook (recognised by its content).
    pub file: PathBuf,
    /// District list (TOML) replacing Shanghai's 16 districts, for another city.
    #[arg(long, value_name = "FILE")]
    pub districts: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Arguments of `minxin register show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// text (a table) or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// How `minxin register show` prints the register.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    /// A table, one project per line.
    Text,
    /// The whole register as JSON.
    Json,
}

/// Arguments of `minxin register export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: its extension (.xlsx or .toml) says the format.
    pub file: PathBuf,
    /// District list (TOML) replacing Shanghai's 16 districts, for another city.
    #[arg(long, value_name = "FILE")]
    pub districts: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// The city's districts: Shanghai's, or those of the file given.
fn configuration(districts: &Option<PathBuf>) -> Result<Configuration> {
    crate::configuration::ConfigArgs {
        districts: districts.clone(),
        ..Default::default()
    }
    .load()
}

/// Reads and checks the register in `path` against the city's districts and the departments
/// already known; every problem listed at once.
fn read_register(path: &Path, context: RegisterContext<'_>) -> Result<Register> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the register {}", path.display()))?;
    let read = match InputFormat::sniff(&bytes) {
        InputFormat::Xlsx => {
            let sheets = read_sheets(bytes)
                .with_context(|| format!("cannot read the workbook {}", path.display()))?;
            register_from_sheets(&sheets, context)
        }
        InputFormat::Csv => {
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
            Register::from_toml(&text, context)
        }
    };
    read.map_err(|problems| {
        let listed: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {}", p.field, p.zh))
            .collect();
        anyhow::anyhow!(
            "the register {} has {} problem(s); nothing was stored:\n{}",
            path.display(),
            problems.len(),
            listed.join("\n")
        )
    })
}

/// Runs `minxin register ...`.
pub fn run(command: RegisterCommand) -> Result<()> {
    runtime()?.block_on(async {
        let database = match &command {
            RegisterCommand::Load(args) => &args.database,
            RegisterCommand::Show(args) => &args.database,
            RegisterCommand::Export(args) => &args.database,
        };
        let store = Settings::resolve(database, &ServingFlags::default())?
            .open()
            .await?;
        match command {
            RegisterCommand::Load(args) => {
                let configuration = configuration(&args.districts)?;
                let organisation = store
                    .organisation()
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let departments: Vec<String> = organisation
                    .units
                    .iter()
                    .filter(|u| u.kind == UnitKind::Department)
                    .map(|u| u.code.clone())
                    .collect();
                let register = read_register(
                    &args.file,
                    RegisterContext {
                        districts: configuration.districts.entries(),
                        departments: &departments,
                    },
                )?;
                let load = store
                    .load_register(&register, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "register loaded: {} added, {} changed, {} unchanged",
                    load.added.len(),
                    load.changed.len(),
                    load.unchanged.len()
                );
                if !load.kept.is_empty() {
                    println!(
                        "kept, not in the file (a project leaves through its stage): {}",
                        load.kept.join(", ")
                    );
                }
            }
            RegisterCommand::Show(args) => {
                let register = store.register().await.map_err(|e| anyhow::anyhow!("{e}"))?;
                match args.format {
                    ShowFormat::Json => println!("{}", serde_json::to_string_pretty(&register)?),
                    ShowFormat::Text => {
                        if register.projects.is_empty() {
                            println!("the register is empty (minxin register load FILE)");
                        }
                        for project in &register.projects {
                            let lead = register
                                .department(&project.lead_department)
                                .map_or(project.lead_department.as_str(), |d| d.zh.as_str());
                            println!(
                                "{:<16} {:<20} 牵头：{lead}  配合：{}  {}个区  {}年起",
                                project.code,
                                project.name_zh,
                                project.participants.len(),
                                project.districts.len(),
                                project.start_year
                            );
                        }
                    }
                }
            }
            RegisterCommand::Export(args) => {
                let configuration = configuration(&args.districts)?;
                let register = store.register().await.map_err(|e| anyhow::anyhow!("{e}"))?;
                let extension = args
                    .file
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let bytes = match extension.as_str() {
                    "xlsx" => write_sheets(&register_to_sheets(
                        &register,
                        RegisterContext {
                            districts: configuration.districts.entries(),
                            departments: &[],
                        },
                    ))?,
                    "toml" => register.to_toml().into_bytes(),
                    other => bail!(
                        "{}: .{other} is neither .xlsx nor .toml",
                        args.file.display()
                    ),
                };
                write_atomically(&args.file, &bytes)?;
                println!(
                    "{} projects written to {}",
                    register.projects.len(),
                    args.file.display()
                );
            }
        }
        Ok(())
    })
}
