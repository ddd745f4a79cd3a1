//! `minxin serve` and `minxin migrate`: the web platform over SQLite (default) or PostgreSQL.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use minxin_storage::{AnyStore, StoreUrl};
use minxin_web::identity::RespondentSecret;
use minxin_web::AppState;

/// Where the data live; shared by `serve` and `migrate`.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database: a SQLite file path, or a postgres:// URL (default: minxin.db in the data folder).
    #[arg(long, env = "MINXIN_DB", value_name = "URL")]
    pub db: Option<String>,
    /// Folder of the embedded database and the respondent secret.
    #[arg(
        long,
        env = "MINXIN_DATA_DIR",
        value_name = "DIR",
        default_value = "minxin-data"
    )]
    pub data_dir: PathBuf,
}

impl DatabaseArgs {
    fn url(&self) -> StoreUrl {
        match &self.db {
            Some(url) => StoreUrl::parse(url),
            None => StoreUrl::Sqlite(self.data_dir.join("minxin.db").display().to_string()),
        }
    }

    async fn open(&self) -> Result<AnyStore> {
        let url = self.url();
        AnyStore::open(&url)
            .await
            .with_context(|| format!("cannot open the database {url}"))
    }
}

/// Arguments of `minxin serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(
        long,
        env = "MINXIN_BIND",
        value_name = "ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub bind: String,
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
    runtime()?.block_on(async {
        args.database.open().await?;
        eprintln!("database {} is up to date", args.database.url());
        Ok(())
    })
}

/// Runs `minxin serve`.
pub fn serve(args: ServeArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let secret = respondent_secret(&args.database.data_dir)?;
        let state = AppState::start(store, secret)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if args.demo
            && minxin_web::demo::load_demo(&state, 2021)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            eprintln!("loaded the synthetic demo data");
        }
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        eprintln!(
            "Minxin is serving http://{} (database {})",
            listener.local_addr()?,
            args.database.url()
        );
        axum::serve(listener, minxin_web::app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server failed")
    })
}
