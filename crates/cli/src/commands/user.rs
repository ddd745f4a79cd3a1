//! `minxin user add|disable|reset|grant|revoke|hash-password`: accounts of the platform and
//! their roles, managed from the server's own machine. A new or reset password is generated and
//! printed once; only its argon2id hash is stored. Every change is recorded in the audit trail,
//! attributed to the operating-system user who ran the command (`cli:NAME`).
//!
//! A running server reads the organisation and roles at each request, so grants take effect on
//! the next request; sessions of a disabled account end at once.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use minxin_domain::access::Role;
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{
    check_account_name, Account, AccountStore, Attribution, OrganisationStore,
};
use minxin_storage::AnyStore;
use minxin_web::app::accounts::{generate_password, hash_password};
use minxin_web::app::clock::now_ms;

use super::serve::{runtime, DatabaseArgs, ServingFlags, Settings};

/// What to do with an account.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account and print its one-time password.
    Add(AddArgs),
    /// Disable an account: it can no longer sign in (it is never deleted).
    Disable(NameArgs),
    /// Give an account a new password, print it once, and enable the account again.
    Reset(NameArgs),
    /// Give an account a role, for the whole city or within a unit (`--scope CODE`).
    Grant(RoleArgs),
    /// Take a role back.
    Revoke(RoleArgs),
    /// Read a password from standard input and print its argon2id hash, for the configured
    /// first administrator (`first_admin_password_hash`).
    HashPassword,
}

/// Arguments of `minxin user grant|revoke`.
#[derive(Debug, Args)]
pub struct RoleArgs {
    /// The account's name.
    pub name: String,
    /// The role: administrator, coordination_office, lead_department, participating_department,
    /// district_officer, evaluator, auditor.
    pub role: String,
    /// The unit the role is held in (a department's code, a district's or street's code);
    /// none for the whole city.
    #[arg(long, value_name = "CODE")]
    pub scope: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Arguments of `minxin user add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The name to sign in with (lower-case letters, digits, '.', '_', '-').
    pub name: String,
    /// The person's name, as the audit trail shows it.
    #[arg(long)]
    pub display_name: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Arguments naming an existing account.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The account's name.
    pub name: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Who ran the command, for the audit trail: the operating system's account of the process's
/// real user, found by its user id (never `$USER`, which anyone can set), as
/// `cli:NAME (uid N)`.
fn operator() -> String {
    match real_uid() {
        Some(uid) => match account_name(uid) {
            Some(name) => format!("cli:{name} (uid {uid})"),
            None => format!("cli:uid {uid}"),
        },
        None => "cli:unknown".into(),
    }
}

/// The real user id of this process (Linux: from `/proc/self/status`).
fn real_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_real_uid(&status)
}

/// The real user id on the `Uid:` line of a `/proc/PID/status` text.
fn parse_real_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The name of user `uid` in `/etc/passwd`.
fn account_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    name_in_passwd(&passwd, uid)
}

/// The name of user `uid` in a passwd text (`name:x:uid:gid:...`).
fn name_in_passwd(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id: u32 = fields.nth(1)?.parse().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

async fn open(database: &DatabaseArgs) -> Result<AnyStore> {
    Settings::resolve(database, &ServingFlags::default())?
        .open()
        .await
}

/// Runs `minxin user ...`.
pub fn run(command: UserCommand) -> Result<()> {
    runtime()?.block_on(async {
        match command {
            UserCommand::Add(args) => {
                check_account_name(&args.name)
                    .with_context(|| format!("account {:?}", args.name))?;
                if args.display_name.trim().is_empty() {
                    bail!("--display-name must not be empty");
                }
                let store = open(&args.database).await?;
                let password = generate_password();
                let account = Account {
                    name: args.name.clone(),
                    display_name: args.display_name.trim().to_string(),
                    password_hash: hash_password(&password).map_err(anyhow::Error::msg)?,
                    disabled: false,
                    created_at_ms: now_ms(),
                    failed_sign_ins: 0,
                    locked_until_ms: 0,
                };
                store
                    .create_account(&account, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "account {} created; its one-time password (shown once): {password}",
                    account.name
                );
            }
            UserCommand::Disable(args) => {
                let store = open(&args.database).await?;
                let before = existing(&store, &args.name).await?;
                let after = Account {
                    disabled: true,
                    ..before.clone()
                };
                store
                    .update_account(&after.name, &after.password_hash, true, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("account {} disabled", after.name);
            }
            UserCommand::Reset(args) => {
                let store = open(&args.database).await?;
                let before = existing(&store, &args.name).await?;
                let password = generate_password();
                let after = Account {
                    password_hash: hash_password(&password).map_err(anyhow::Error::msg)?,
                    disabled: false,
                    ..before.clone()
                };
                store
                    .update_account(&after.name, &after.password_hash, false, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "account {} has a new one-time password (shown once): {password}",
                    after.name
                );
            }
            UserCommand::Grant(args) => {
                let (store, assignment) = role_change(&args).await?;
                existing(&store, &args.name).await?;
                store
                    .organisation()
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                    .check_assignment(&assignment)
                    .with_context(|| format!("cannot grant {} to {}", args.role, args.name))?;
                store
                    .grant(&args.name, &assignment, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "{} now holds {} ({})",
                    args.name, assignment.role, assignment.scope
                );
            }
            UserCommand::Revoke(args) => {
                let (store, assignment) = role_change(&args).await?;
                let removed = store
                    .revoke(&args.name, &assignment, &attribution())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                if !removed {
                    bail!(
                        "{} does not hold {} ({})",
                        args.name,
                        assignment.role,
                        assignment.scope
                    );
                }
                println!(
                    "{} no longer holds {} ({})",
                    args.name, assignment.role, assignment.scope
                );
            }
            UserCommand::HashPassword => {
                let mut password = String::new();
                std::io::stdin()
                    .read_line(&mut password)
                    .context("cannot read the password from standard input")?;
                let password = password.trim_end_matches(['\r', '\n']);
                println!("{}", hash_password(password).map_err(anyhow::Error::msg)?);
            }
        }
        Ok(())
    })
}

/// The attribution of a change made from the command line.
pub fn attribution() -> Attribution {
    Attribution {
        actor: operator(),
        at_ms: now_ms(),
    }
}

async fn role_change(args: &RoleArgs) -> Result<(AnyStore, Assignment)> {
    let role: Role = args.role.parse().map_err(anyhow::Error::msg)?;
    let assignment = Assignment {
        role,
        scope: args
            .scope
            .as_deref()
            .map_or(Scope::City, |code| Scope::Unit(code.to_string())),
    };
    Ok((open(&args.database).await?, assignment))
}

async fn existing(store: &AnyStore, name: &str) -> Result<Account> {
    store
        .account(name)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_context(|| format!("no account named {name:?}"))
}

#[cfg(test)]
mod operator_tests {
    use super::*;

    #[test]
    fn the_real_user_is_found_by_id_not_by_environment() {
        let status = "Name:\tminxin\nUid:\t1000\t0\t0\t0\nGid:\t1000\t0\t0\t0\n";
        assert_eq!(
            parse_real_uid(status),
            Some(1000),
            "the real id, not the effective one"
        );
        let passwd = "root:x:0:0:root:/root:/bin/bash\nzhang:x:1000:1000::/home/zhang:/bin/sh\n";
        assert_eq!(name_in_passwd(passwd, 1000).as_deref(), Some("zhang"));
        assert_eq!(name_in_passwd(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_in_passwd(passwd, 7), None);
        // Whatever $USER says, the operator is the process's own user.
        std::env::set_var("USER", "someone-else");
        let operator = operator();
        assert!(!operator.contains("someone-else"), "{operator}");
        if let Some(uid) = real_uid() {
            assert!(operator.contains(&format!("uid {uid}")), "{operator}");
        }
    }
}
