//! `minxin serve` and `minxin migrate`: the web platform over SQLite (default) or PostgreSQL.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use minxin_storage::{AnyStore, StoreUrl};
use minxin_web::identity::RespondentSecret;
use minxin_web::AppState;

/// Where the data live; shared by `serve` and `migrate`. Each setting comes from the flag,
/// else the `MINXIN_*` variable, else the configuration file, else the default.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Configuration file (TOML with keys db, data_dir, bind, demo).
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
}

impl Settings {
    /// Resolves the settings; `bind` and `demo` come from `serve`'s own flags.
    pub fn resolve(database: &DatabaseArgs, bind: Option<&str>, demo: bool) -> Result<Settings> {
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
        Ok(Settings {
            db,
            data_dir,
            bind: bind
                .map(str::to_string)
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            demo: demo || file.demo.unwrap_or(false),
        })
    }

    async fn open(&self) -> Result<AnyStore> {
        AnyStore::open(&self.db)
            .await
            .with_context(|| format!("cannot open the database {}", self.db))
    }
}

/// Arguments of `minxin serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "MINXIN_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// On an empty database, load the synthetic demo: a closed wave and an open one.
    #[arg(long, env = "MINXIN_DEMO")]
    pub demo: bool,
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

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Runs `minxin migrate`.
pub fn migrate(args: MigrateArgs) -> Result<()> {
    let settings = Settings::resolve(&args.database, None, false)?;
    runtime()?.block_on(async {
        settings.open().await?;
        eprintln!("database {} is up to date", settings.db);
        Ok(())
    })
}

/// Runs `minxin serve`.
pub fn serve(args: ServeArgs) -> Result<()> {
    let settings = Settings::resolve(&args.database, args.bind.as_deref(), args.demo)?;
    runtime()?.block_on(async {
        let store = settings.open().await?;
        let secret = respondent_secret(&settings.data_dir)?;
        let state = AppState::start(store, secret)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
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
        axum::serve(listener, minxin_web::app(state))
            .with_graceful_shutdown(async {
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
            "db = \"postgres://u@h/db\"\nbind = \"0.0.0.0:9000\"\ndemo = true\n",
        )
        .unwrap();
        let from_file =
            Settings::resolve(&database(Some(path.clone()), None), None, false).unwrap();
        assert_eq!(from_file.db, StoreUrl::parse("postgres://u@h/db"));
        assert_eq!(
            (from_file.bind.as_str(), from_file.demo),
            ("0.0.0.0:9000", true)
        );
        let flags = Settings::resolve(
            &database(Some(path), Some("x.db")),
            Some("127.0.0.1:1"),
            false,
        )
        .unwrap();
        assert_eq!(
            (flags.db, flags.bind.as_str()),
            (StoreUrl::Sqlite("x.db".into()), "127.0.0.1:1")
        );
        let defaults = Settings::resolve(&database(None, None), None, false).unwrap();
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
        let error = Settings::resolve(&database(Some(path), None), None, false).unwrap_err();
        assert!(format!("{error:#}").contains("bnd"), "{error:#}");
    }
}
