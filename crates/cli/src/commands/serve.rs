//! `minxin serve` and `minxin migrate`: the web platform over SQLite (default) or PostgreSQL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;
use minxin_storage::{AnyStore, StoreUrl};
use minxin_web::app::accounts::{
    ensure_first_administrator, ConfiguredAdministrator, FirstAdministrator,
};
use minxin_web::app::identity::RespondentSecret;
use minxin_web::app::limits::{LimitSettings, DEFAULT_ANONYMOUS_PER_HOUR};
use minxin_web::app::portal::PortalKeys;
use minxin_web::app::server::{
    ServerLimits, DEFAULT_HEADER_READ_TIMEOUT_SECS, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_REQUEST_TIMEOUT_SECS,
};
use minxin_web::AppState;

/// Where the data live; shared by `serve` and `migrate`. Each setting comes from the flag,
/// else the `MINXIN_*` variable, else the configuration file, else the default.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Configuration file (TOML; the keys are listed in the README: db, data_dir, bind, demo,
    /// anonymous_per_hour, trust_forwarded_for, first_admin, first_admin_password_hash,
    /// header_read_timeout_secs, request_timeout_secs, max_connections and [portal_keys]).
    #[arg(long, env = "MINXIN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database: a SQLite file path, or a postgres:// URL (default: minxin.db in the data folder).
    #[arg(long, env = "MINXIN_DB", value_name = "URL")]
    pub db: Option<String>,
    /// Folder of the embedded database and the respondent secret (default: minxin-data).
    #[arg(long, env = "MINXIN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// The configuration file's settings; every key is optional, unknown keys are refused.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    db: Option<String>,
    data_dir: Option<PathBuf>,
    bind: Option<String>,
    demo: Option<bool>,
    anonymous_per_hour: Option<u32>,
    trust_forwarded_for: Option<bool>,
    first_admin: Option<String>,
    first_admin_password_hash: Option<String>,
    /// Channel code → 64 hex digits: the keys that sign citizen tokens.
    portal_keys: Option<std::collections::BTreeMap<String, String>>,
    header_read_timeout_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
}

impl ConfigFile {
    fn read(path: Option<&Path>) -> Result<ConfigFile> {
        let Some(path) = path else {
            return Ok(ConfigFile::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("invalid configuration file {}", path.display()))
    }
}

/// The settings in force after flags, environment, file and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The database.
    pub db: StoreUrl,
    /// The data folder.
    pub data_dir: PathBuf,
    /// The listening address.
    pub bind: String,
    /// Load the demo into an empty database.
    pub demo: bool,
    /// Limits on anonymous submissions.
    pub limits: LimitSettings,
    /// The first administrator from the configuration (else `admin` with a printed password).
    pub first_admin: Option<ConfiguredAdministrator>,
    /// The keys that sign citizen tokens, per channel (with the demo: the demo's public key
    /// for the `app` channel unless one is configured).
    pub portal_keys: PortalKeys,
    /// Timeouts and the connection limit.
    pub server: ServerLimits,
}

impl Settings {
    /// Resolves the settings; the rest come from `serve`'s own flags.
    pub fn resolve(database: &DatabaseArgs, serving: &ServingFlags) -> Result<Settings> {
        let file = ConfigFile::read(database.config.as_deref())?;
        let data_dir = database
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("minxin-data"));
        let db = match database.db.clone().or(file.db) {
            Some(url) => StoreUrl::parse(&url),
            None => StoreUrl::Sqlite(data_dir.join("minxin.db").display().to_string()),
        };
        let demo = serving.demo || file.demo.unwrap_or(false);
        let portal_keys = portal_keys(file.portal_keys.as_ref(), demo)?;
        Ok(Settings {
            db,
            data_dir,
            bind: serving
                .bind
                .clone()
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            demo,
            portal_keys,
            server: ServerLimits {
                header_read_timeout: Duration::from_secs(
                    serving
                        .header_read_timeout_secs
                        .or(file.header_read_timeout_secs)
                        .unwrap_or(DEFAULT_HEADER_READ_TIMEOUT_SECS)
                        .max(1),
                ),
                request_timeout: Duration::from_secs(
                    serving
                        .request_timeout_secs
                        .or(file.request_timeout_secs)
                        .unwrap_or(DEFAULT_REQUEST_TIMEOUT_SECS)
                        .max(1),
                ),
                max_connections: serving
                    .max_connections
                    .or(file.max_connections)
                    .unwrap_or(DEFAULT_MAX_CONNECTIONS)
                    .max(1),
            },
            limits: LimitSettings {
                anonymous_per_hour: serving
                    .anonymous_per_hour
                    .or(file.anonymous_per_hour)
                    .unwrap_or(DEFAULT_ANONYMOUS_PER_HOUR),
                trust_forwarded_for: serving.trust_forwarded_for
                    || file.trust_forwarded_for.unwrap_or(false),
            },
            first_admin: match (
                serving.first_admin.clone().or(file.first_admin),
                serving
                    .first_admin_password_hash
                    .clone()
                    .or(file.first_admin_password_hash),
            ) {
                (Some(name), Some(password_hash)) => Some(ConfiguredAdministrator {
                    name,
                    password_hash,
                }),
                (None, None) => None,
                _ => bail!(
                    "the first administrator needs both first_admin and first_admin_password_hash \
                     (flags --first-admin and --first-admin-password-hash, or the configuration file)"
                ),
            },
        })
    }

    /// Opens (creating and migrating as needed) the chosen database.
    pub async fn open(&self) -> Result<AnyStore> {
        AnyStore::open(&self.db)
            .await
            .with_context(|| format!("cannot open the database {}", self.db))
    }
}

/// The portal keys: `MINXIN_PORTAL_KEYS` (`channel=hex,…`) when set, else the file's
/// `[portal_keys]` table; with the demo, its public key for the demo channel unless that
/// channel has one. Keys are never printed, not even in errors.
fn portal_keys(
    file: Option<&std::collections::BTreeMap<String, String>>,
    demo: bool,
) -> Result<PortalKeys> {
    let mut keys = match std::env::var("MINXIN_PORTAL_KEYS") {
        Ok(list) => PortalKeys::parse_list(&list).context("invalid MINXIN_PORTAL_KEYS")?,
        Err(_) => {
            let mut keys = PortalKeys::none();
            for (channel, hex) in file.into_iter().flatten() {
                keys.insert(channel, hex)
                    .context("invalid [portal_keys] in the configuration file")?;
            }
            keys
        }
    };
    if demo && !keys.has(minxin_web::app::portal::DEMO_CHANNEL) {
        keys.insert(
            minxin_web::app::portal::DEMO_CHANNEL,
            minxin_web::app::portal::DEMO_PORTAL_KEY_HEX,
        )
        .expect("the demo key is valid");
    }
    // A key of a channel the survey does not know would make every one of its tokens fail.
    let channels = minxin_domain::Configuration::defaults().profile.channels;
    if let Some(unknown) = keys
        .channels()
        .find(|channel| channels.position(channel.as_bytes()).is_none())
    {
        bail!(
            "a portal key is configured for channel {unknown:?}, which is not a channel code \
             (the channels are {})",
            channels.codes_for_message()
        );
    }
    Ok(keys)
}

/// The flags of `minxin serve` beyond the database.
#[derive(Debug, Clone, Default, Args)]
pub struct ServingFlags {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "MINXIN_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// On an empty database, load the synthetic demo: a closed wave and an open one.
    #[arg(long, env = "MINXIN_DEMO")]
    pub demo: bool,
    /// Anonymous submissions (without a citizen token) accepted per client address and hour
    /// (default 60); 0 accepts only submissions with a token.
    #[arg(long, env = "MINXIN_ANONYMOUS_PER_HOUR", value_name = "N")]
    pub anonymous_per_hour: Option<u32>,
    /// Take the client address from X-Forwarded-For; only behind a reverse proxy you trust.
    #[arg(long, env = "MINXIN_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// On a database without accounts, create this administrator (with
    /// --first-admin-password-hash) instead of `admin` with a printed password.
    #[arg(long, env = "MINXIN_FIRST_ADMIN", value_name = "NAME")]
    pub first_admin: Option<String>,
    /// The first administrator's argon2id password hash (`minxin user hash-password`).
    #[arg(long, env = "MINXIN_FIRST_ADMIN_PASSWORD_HASH", value_name = "HASH")]
    pub first_admin_password_hash: Option<String>,
    /// Seconds a client has to send a request's headers; also how long an idle kept-alive
    /// connection is kept (default 15).
    #[arg(long, env = "MINXIN_HEADER_READ_TIMEOUT_SECS", value_name = "S")]
    pub header_read_timeout_secs: Option<u64>,
    /// Seconds a whole request may take, uploads included (default 300).
    #[arg(long, env = "MINXIN_REQUEST_TIMEOUT_SECS", value_name = "S")]
    pub request_timeout_secs: Option<u64>,
    /// Connections open at once; further clients wait (default 1024).
    #[arg(long, env = "MINXIN_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
}

/// Arguments of `minxin serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub serving: ServingFlags,
}

/// Arguments of `minxin migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// The respondent secret: `data_dir/secret.key`, created (readable by the owner only) on first start.
fn respondent_secret(data_dir: &Path) -> Result<RespondentSecret> {
    let path = data_dir.join("secret.key");
    if path.exists() {
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        return RespondentSecret::new(bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let secret = RespondentSecret::generate();
    let mut file = tempfile::NamedTempFile::new_in(data_dir)?;
    std::io::Write::write_all(&mut file, secret.bytes())?;
    file.as_file().sync_all()?;
    file.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(secret)
}

/// The Tokio runtime the database and server commands run on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Runs `minxin migrate`.
pub fn migrate(args: MigrateArgs) -> Result<()> {
    let settings = Settings::resolve(&args.database, &ServingFlags::default())?;
    runtime()?.block_on(async {
        settings.open().await?;
        eprintln!("database {} is up to date", settings.db);
        Ok(())
    })
}

/// Arguments of `minxin audit verify`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// A head recorded earlier (`minxin audit head`, `/api/v1/audit/head`) that must still be
    /// part of the trail; may be given several times.
    #[arg(long, value_name = "COUNT:HASH")]
    pub anchor: Vec<String>,
}

/// Arguments of `minxin audit head`.
#[derive(Debug, Args)]
pub struct AuditHeadArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Runs `minxin audit head`: prints the trail's head as an anchor.
pub fn audit_head(args: AuditHeadArgs) -> Result<()> {
    use minxin_domain::platform::AuditStore;
    let settings = Settings::resolve(&args.database, &ServingFlags::default())?;
    runtime()?.block_on(async {
        let store = settings.open().await?;
        let head = store
            .audit_head()
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the audit trail's head: {e}"))?
            .unwrap_or(minxin_domain::audit::AuditHead {
                count: 0,
                hash: [0; 32],
            });
        println!("{}", head.anchor());
        Ok(())
    })
}

/// Runs `minxin audit verify`: checks the hash chain of the audit trail against itself and its
/// recorded head; fails naming the first bad entry.
pub fn audit_verify(args: AuditArgs) -> Result<()> {
    use minxin_domain::platform::AuditStore;
    let settings = Settings::resolve(&args.database, &ServingFlags::default())?;
    runtime()?.block_on(async {
        let store = settings.open().await?;
        let (entries, head) = store
            .audit_log()
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the audit trail: {e}"))?;
        let anchors = args
            .anchor
            .iter()
            .map(|text| minxin_domain::audit::AuditHead::from_anchor(text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(anyhow::Error::msg)?;
        for anchor in &anchors {
            if let Err(problem) = minxin_domain::audit::verify_anchor(&entries, anchor) {
                anyhow::bail!("the audit trail of {} is broken: {problem}", settings.db);
            }
        }
        match minxin_domain::audit::verify(&entries, head) {
            Ok(count) => {
                println!(
                    "the audit trail of {} is intact: {count} entries",
                    settings.db
                );
                Ok(())
            }
            Err(problem) => {
                anyhow::bail!("the audit trail of {} is broken: {problem}", settings.db)
            }
        }
    })
}

/// The server's log level: `MINXIN_LOG` (error, warn, info, debug, trace), info by default.
fn log_level() -> Result<tracing::Level> {
    match std::env::var("MINXIN_LOG") {
        Ok(level) => level.parse().map_err(|_| {
            anyhow::anyhow!("MINXIN_LOG={level:?}: use one of error, warn, info, debug, trace")
        }),
        Err(_) => Ok(tracing::Level::INFO),
    }
}

/// Runs `minxin serve`.
pub fn serve(args: ServeArgs) -> Result<()> {
    let settings = Settings::resolve(&args.database, &args.serving)?;
    // The platform's log (internal errors with their request, and each answer at debug level)
    // goes to standard error.
    tracing_subscriber::fmt()
        .with_max_level(log_level()?)
        .with_writer(std::io::stderr)
        .init();
    runtime()?.block_on(async {
        let store = settings.open().await?;
        let first = ensure_first_administrator(&store, settings.first_admin.as_ref())
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the first administrator: {e}"))?;
        match first {
            FirstAdministrator::Generated(password) => eprintln!(
                "first start: administrator account \"{}\" created; its one-time password (shown once): {password}",
                minxin_web::app::accounts::FIRST_ADMINISTRATOR
            ),
            FirstAdministrator::Configured(name) => eprintln!(
                "first start: administrator account \"{name}\" created from the configuration"
            ),
            FirstAdministrator::Existing => {}
        }
        let secret = respondent_secret(&settings.data_dir)?;
        let state = AppState::start(store, secret)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .with_limits(settings.limits)
            .with_portal_keys(settings.portal_keys.clone());
        if settings.portal_keys.is_empty() {
            eprintln!("no portal key is configured: citizen tokens are refused, responses are anonymous");
        } else {
            let channels: Vec<&str> = settings.portal_keys.channels().collect();
            eprintln!("citizen tokens are accepted from the channels {}", channels.join(", "));
        }
        if settings.demo
            && minxin_web::demo::load_demo(&state, 2021)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            eprintln!("loaded the synthetic demo data");
        }
        let listener = tokio::net::TcpListener::bind(&settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        eprintln!(
            "Minxin is serving http://{} (database {})",
            listener.local_addr()?,
            settings.db
        );
        minxin_web::app::server::serve(listener, minxin_web::application(state), settings.server, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server failed")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(config: Option<PathBuf>, db: Option<&str>) -> DatabaseArgs {
        DatabaseArgs {
            config,
            db: db.map(String::from),
            data_dir: None,
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("minxin.toml");
        std::fs::write(
            &path,
            "db = \"postgres://u@h/db\"\nbind = \"0.0.0.0:9000\"\ndemo = true\nanonymous_per_hour = 5\n",
        )
        .unwrap();
        let from_file = Settings::resolve(
            &database(Some(path.clone()), None),
            &ServingFlags::default(),
        )
        .unwrap();
        assert_eq!(from_file.db, StoreUrl::parse("postgres://u@h/db"));
        assert_eq!(
            (from_file.bind.as_str(), from_file.demo),
            ("0.0.0.0:9000", true)
        );
        assert_eq!(from_file.limits.anonymous_per_hour, 5);
        let flags = Settings::resolve(
            &database(Some(path), Some("x.db")),
            &ServingFlags {
                bind: Some("127.0.0.1:1".into()),
                anonymous_per_hour: Some(0),
                trust_forwarded_for: true,
                ..ServingFlags::default()
            },
        )
        .unwrap();
        assert_eq!(
            flags.limits,
            LimitSettings {
                anonymous_per_hour: 0,
                trust_forwarded_for: true
            }
        );
        assert_eq!(
            (flags.db, flags.bind.as_str()),
            (StoreUrl::Sqlite("x.db".into()), "127.0.0.1:1")
        );
        let defaults = Settings::resolve(&database(None, None), &ServingFlags::default()).unwrap();
        assert_eq!(defaults.limits, LimitSettings::default());
        assert_eq!(
            defaults.db,
            StoreUrl::Sqlite("minxin-data/minxin.db".into())
        );
        assert_eq!(defaults.bind, "127.0.0.1:8080");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("minxin.toml");
        std::fs::write(&path, "bnd = \"x\"\n").unwrap();
        let error =
            Settings::resolve(&database(Some(path), None), &ServingFlags::default()).unwrap_err();
        assert!(format!("{error:#}").contains("bnd"), "{error:#}");
    }
}
