//! `minxin portal-token`: a citizen token as a portal signs it, for demos and tests (a real
//! portal signs its own; the format is in the README and `minxin_web::app::portal`).

use anyhow::{bail, Result};
use clap::Args;

use super::serve::{DatabaseArgs, ServingFlags, Settings};

/// Arguments of `minxin portal-token`.
#[derive(Debug, Args)]
pub struct PortalTokenArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The wave the token is for.
    #[arg(long, value_name = "ID")]
    pub wave: i64,
    /// The portal's pseudonymous identifier of the person (letters, digits, - and _, at most 64).
    #[arg(long, value_name = "S")]
    pub subject: String,
    /// The channel whose key signs it (default: the only configured channel, else `app`).
    #[arg(long, value_name = "C")]
    pub channel: Option<String>,
    /// Hours until the token expires (default 24).
    #[arg(long, value_name = "H", default_value_t = 24)]
    pub valid_for: u32,
    /// Sign with the demo's public key, as `serve --demo` accepts it.
    #[arg(long, env = "MINXIN_DEMO")]
    pub demo: bool,
}

/// Prints one token.
pub fn run(args: PortalTokenArgs) -> Result<()> {
    let flags = ServingFlags {
        demo: args.demo,
        ..ServingFlags::default()
    };
    let keys = Settings::resolve(&args.database, &flags)?.portal_keys;
    if keys.is_empty() {
        bail!(
            "no portal key is configured: set MINXIN_PORTAL_KEYS or [portal_keys] in the \
             configuration file, or pass --demo for the demo's key"
        );
    }
    let channels: Vec<&str> = keys.channels().collect();
    let channel = match (&args.channel, channels.as_slice()) {
        (Some(channel), _) => channel.as_str(),
        (None, [only]) => only,
        (None, _) => minxin_web::app::portal::DEMO_CHANNEL,
    };
    let expires = minxin_web::app::clock::now_ms() / 1000 + i64::from(args.valid_for) * 3600;
    let token = keys
        .sign(channel, args.wave, &args.subject, expires)
        .map_err(anyhow::Error::msg)?;
    println!("{token}");
    Ok(())
}
