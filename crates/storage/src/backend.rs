//! The one place that chooses the backend: a database location parsed from a URL, and
//! [`AnyStore`], either backend behind one type (it implements every port by handing each
//! call to the backend it holds; see [`crate::ports`]).

use std::fmt;

use minxin_domain::platform::StoreError;

use crate::{PostgresStore, SqliteStore};

/// A database location: an embedded SQLite file, or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// A SQLite file path (from `sqlite://PATH`, `sqlite:PATH`, or a bare path).
    Sqlite(String),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl StoreUrl {
    /// Interprets a `--db` value.
    pub fn parse(text: &str) -> StoreUrl {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreUrl::Postgres(text.to_string())
        } else {
            let path = text
                .strip_prefix("sqlite://")
                .or_else(|| text.strip_prefix("sqlite:"))
                .unwrap_or(text);
            StoreUrl::Sqlite(path.to_string())
        }
    }
}

/// Shows the URL without its password.
impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{path}"),
            StoreUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub(crate) fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Either backend, chosen at run time from the URL.
#[derive(Clone)]
pub enum AnyStore {
    /// Embedded SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl fmt::Debug for AnyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyStore::Sqlite(_) => f.write_str("AnyStore::Sqlite"),
            AnyStore::Postgres(_) => f.write_str("AnyStore::Postgres"),
        }
    }
}

impl AnyStore {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &StoreUrl) -> Result<AnyStore, StoreError> {
        Ok(match url {
            StoreUrl::Sqlite(path) => {
                AnyStore::Sqlite(SqliteStore::open(std::path::Path::new(path)).await?)
            }
            StoreUrl::Postgres(url) => AnyStore::Postgres(PostgresStore::open(url).await?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            StoreUrl::parse("data/minxin.db"),
            StoreUrl::Sqlite("data/minxin.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite://x.db"),
            StoreUrl::Sqlite("x.db".into())
        );
        assert!(matches!(
            StoreUrl::parse("postgres://u@h/db"),
            StoreUrl::Postgres(_)
        ));
    }

    #[test]
    fn passwords_never_print() {
        let url = StoreUrl::parse("postgres://minxin:s3cret@db.example:5432/minxin");
        assert_eq!(
            format!("{url:?}"),
            "postgres://minxin:***@db.example:5432/minxin"
        );
        assert!(!url.to_string().contains("s3cret"));
    }
}
