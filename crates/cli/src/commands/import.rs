//! `minxin import`: sends a response file (CSV or XLSX) to a running platform's import API,
//! signed in as a user whose roles allow importing (the administrator or the coordination
//! office): the password comes from `MINXIN_PASSWORD` or, when that is not set, from the first
//! line of standard input. The session ends when the import does.
//!
//! The import goes through the server rather than into the database directly, because the
//! server keeps each wave's tallies in memory and is the database's only writer (see
//! ARCHITECTURE.md): a file written behind its back would not show on the dashboards.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::ProgressBar;
use serde_json::Value;

/// Arguments of `minxin import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The response file, in the interchange format (CSV or XLSX).
    pub file: PathBuf,
    /// The wave to import into (its number, as in /waves/{id}); it must be open.
    #[arg(long)]
    pub wave: i64,
    /// Store the valid rows even when some rows are rejected (default: all or nothing).
    #[arg(long)]
    pub keep_valid: bool,
    /// The running platform.
    #[arg(
        long,
        env = "MINXIN_SERVER",
        default_value = "http://127.0.0.1:8080",
        value_name = "URL"
    )]
    pub server: String,
    /// The account to sign in with.
    #[arg(long, env = "MINXIN_USER", value_name = "NAME")]
    pub user: String,
}

/// Rejections printed, at most; the server's answer counts all of them.
const PRINTED_REJECTIONS: usize = 100;

/// Runs `minxin import`.
pub fn run(args: ImportArgs) -> Result<()> {
    let file = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let url = format!(
        "{}/api/v1/waves/{}/import?keep_valid={}",
        args.server.trim_end_matches('/'),
        args.wave,
        args.keep_valid
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(3600)))
        .build()
        .into();
    let server = args.server.trim_end_matches('/');
    let token = sign_in(&agent, server, &args.user)?;
    let outcome = import(&agent, &args, &url, &file, &token);
    // The session ends whatever the import did; failing to end it changes nothing stored.
    let _ = agent
        .delete(&format!("{server}/api/v1/sessions/current"))
        .header("authorization", &format!("Bearer {token}"))
        .call();
    outcome
}

/// Signs in and returns the session's bearer token.
fn sign_in(agent: &ureq::Agent, server: &str, user: &str) -> Result<String> {
    let password = match std::env::var("MINXIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("password for {user} (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let mut response = agent
        .post(&format!("{server}/api/v1/sessions"))
        .header("content-type", "application/json")
        .send(serde_json::json!({"name": user, "password": password}).to_string())
        .with_context(|| format!("cannot reach the platform at {server}"))?;
    let status = response.status();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !status.is_success() {
        bail!(
            "cannot sign in as {user}: {} (HTTP {status})",
            body["error"].as_str().unwrap_or(&text)
        );
    }
    body["token"]
        .as_str()
        .map(String::from)
        .context("the platform answered the sign-in without a token")
}

fn import(
    agent: &ureq::Agent,
    args: &ImportArgs,
    url: &str,
    file: &[u8],
    token: &str,
) -> Result<()> {
    let spinner = ProgressBar::new_spinner().with_message(format!(
        "importing {} ({:.1} MB) into wave {}",
        args.file.display(),
        file.len() as f64 / 1e6,
        args.wave
    ));
    spinner.enable_steady_tick(Duration::from_millis(120));
    let mut response = agent
        .post(url)
        .header("content-type", "application/octet-stream")
        .header("authorization", &format!("Bearer {token}"))
        .send(file)
        .with_context(|| format!("cannot reach the platform at {}", args.server))?;
    spinner.finish_and_clear();
    let status = response.status();
    let text = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .with_context(|| format!("the platform answered {status} without a readable body"))?;
    let body: Value = serde_json::from_str(&text)
        .with_context(|| format!("the platform answered {status} with: {text}"))?;
    print_rejections(&body);
    if status.is_success() {
        println!(
            "imported {}: {} rows, {} respondents ({} new, {} replaced, {} already stored), {} rows rejected",
            args.file.display(),
            body["rows_used"],
            body["respondents"],
            body["created"],
            body["replaced"],
            body["already_stored"],
            body["rejected"]
        );
        return Ok(());
    }
    let message = body["error"].as_str().unwrap_or("the import failed");
    let problems: Vec<String> = body["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            format!(
                "{}: {}",
                p["field"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    if problems.is_empty() {
        bail!("{message} (HTTP {status})");
    }
    bail!("{message} (HTTP {status}): {}", problems.join("; "))
}

fn print_rejections(body: &Value) {
    let Some(rejections) = body["rejections"].as_array() else {
        return;
    };
    for rejection in rejections.iter().take(PRINTED_REJECTIONS) {
        let column = rejection["column"]
            .as_str()
            .map(|c| format!(", column {c}"))
            .unwrap_or_default();
        eprintln!(
            "row {}{column}: {}",
            rejection["row"],
            rejection["reason"].as_str().unwrap_or("")
        );
    }
    let total = body["rejected"].as_u64().unwrap_or(rejections.len() as u64);
    if total as usize > PRINTED_REJECTIONS {
        eprintln!(
            "… and {} more rejected rows",
            total as usize - PRINTED_REJECTIONS
        );
    }
}
