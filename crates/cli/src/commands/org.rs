//! `minxin org unit|project|show`: the organisation the platform serves, managed from the
//! server's own machine: departments, districts and streets, and which departments lead or
//! take part in which projects. Every change is recorded in the audit trail (`cli:NAME`).

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use minxin_domain::organisation::{OrgUnit, ProjectDepartment, ProjectPart, UnitKind};
use minxin_domain::platform::{OrganisationStore, RegisterStore};

use super::serve::{runtime, DatabaseArgs, ServingFlags, Settings};
use super::user::attribution;

/// What to do with the organisation.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add a unit (department, district or street), or rename one.
    Unit(UnitArgs),
    /// Set a department's part in a project (lead or participating).
    Project(ProjectArgs),
    /// Print the organisation and who holds which role.
    Show(ShowArgs),
}

/// Arguments of `minxin org unit`.
#[derive(Debug, Args)]
pub struct UnitArgs {
    /// The unit's code (a-z, 0-9, '-', '_'; a district's statistical code).
    pub code: String,
    /// department, district or street.
    #[arg(long)]
    pub kind: String,
    /// The Chinese name.
    #[arg(long)]
    pub zh: String,
    /// The English name.
    #[arg(long)]
    pub en: String,
    /// A street's district.
    #[arg(long, value_name = "DISTRICT")]
    pub parent: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Arguments of `minxin org project`.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The department's code.
    pub department: String,
    /// The project's code in the catalogue.
    pub project: String,
    /// lead or participating.
    #[arg(long, default_value = "lead")]
    pub part: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Arguments of `minxin org show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Runs `minxin org ...`.
pub fn run(command: OrgCommand) -> Result<()> {
    runtime()?.block_on(async {
        let database = match &command {
            OrgCommand::Unit(args) => &args.database,
            OrgCommand::Project(args) => &args.database,
            OrgCommand::Show(args) => &args.database,
        };
        let store = Settings::resolve(database, &ServingFlags::default())?
            .open()
            .await?;
        let organisation = store
            .organisation()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        match command {
            OrgCommand::Unit(args) => {
                let kind = UnitKind::from_code(&args.kind).with_context(|| {
                    format!(
                        "--kind {:?}: one of department, district, street",
                        args.kind
                    )
                })?;
                let unit = OrgUnit {
                    code: args.code.clone(),
                    kind,
                    name_zh: args.zh.trim().to_string(),
                    name_en: args.en.trim().to_string(),
                    parent: args.parent.clone(),
                };
                if let Some(existing) = organisation.unit(&unit.code) {
                    anyhow::ensure!(
                        existing.kind == unit.kind && existing.parent == unit.parent,
                        "unit {} exists as a {}; only its names can change",
                        unit.code,
                        existing.kind.code()
                    );
                } else {
                    organisation.check_unit(&unit)?;
                }
                store
                    .put_unit(&unit, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("unit {} ({}) stored", unit.code, unit.kind.code());
            }
            OrgCommand::Project(args) => {
                let part = ProjectPart::from_code(&args.part)
                    .with_context(|| format!("--part {:?}: lead or participating", args.part))?;
                let department = organisation
                    .unit(&args.department)
                    .with_context(|| format!("no unit with code {:?}", args.department))?;
                anyhow::ensure!(
                    department.kind == UnitKind::Department,
                    "{} is a {}, not a department",
                    args.department,
                    department.kind.code()
                );
                let register = store.register().await.map_err(|e| anyhow::anyhow!("{e}"))?;
                let known = if register.projects.is_empty() {
                    minxin_domain::Configuration::defaults()
                        .catalogue
                        .projects
                        .iter()
                        .any(|p| p.code == args.project)
                } else {
                    register.project(&args.project).is_some()
                };
                anyhow::ensure!(
                    known,
                    "the project register has no project {:?}",
                    args.project
                );
                let link = ProjectDepartment {
                    department: args.department.clone(),
                    project: args.project.clone(),
                    part,
                };
                store
                    .set_project_department(&link, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "{} is now the {} department of {}",
                    args.department,
                    part.code(),
                    args.project
                );
            }
            OrgCommand::Show(_) => {
                for unit in &organisation.units {
                    let projects: Vec<String> = organisation
                        .projects_of(&unit.code)
                        .into_iter()
                        .map(|(project, part)| format!("{project} ({})", part.code()))
                        .collect();
                    println!(
                        "{:<10} {:<28} {} {}",
                        unit.kind.code(),
                        unit.code,
                        unit.name_zh,
                        unit.parent.clone().unwrap_or_else(|| projects.join(", "))
                    );
                }
                for (account, assignment) in store
                    .assignments()
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                {
                    println!(
                        "role       {account:<28} {} ({})",
                        assignment.role, assignment.scope
                    );
                }
            }
        }
        Ok(())
    })
}
