//! The storage port's SQL, one file per aggregate (waves and responses, accounts and sessions,
//! organisation and roles, decisions, audit), each next to the trait it implements in
//! `minxin_domain::platform`.
//!
//! The SQL is standard enough to serve SQLite and PostgreSQL alike (`$n` placeholders,
//! `RETURNING`, `ON CONFLICT`), so each method is written once: [`port!`] compiles its body for
//! both backends and makes [`AnyStore`](crate::AnyStore) hand each call to the backend it
//! holds. Adding a method touches the port's trait, its file here and its contract test.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod decisions;
pub(crate) mod letters;
pub(crate) mod meetings;
pub(crate) mod notices;
pub(crate) mod organisation;
pub(crate) mod progress;
pub(crate) mod register;
pub(crate) mod stage;
pub(crate) mod supervision_items;
pub(crate) mod waves;

/// What the shared SQL needs to know of a backend: its sqlx database, to name its
/// transactions in helpers that run inside one.
pub(crate) trait Backend {
    /// The backend's sqlx database.
    type Db: sqlx::Database;
}

impl Backend for crate::SqliteStore {
    type Db = sqlx::Sqlite;
}

impl Backend for crate::PostgresStore {
    type Db = sqlx::Postgres;
}

/// A transaction of the backend `B`, begun on its writer.
pub(crate) type WriteTransaction<B> = sqlx::Transaction<'static, <B as Backend>::Db>;

/// Implements the port trait `$port` for both backends (each method body compiled once per
/// backend: `self.reader` and `self.writer` are its pools) and for
/// [`AnyStore`](crate::AnyStore), which hands each call to the backend it holds.
macro_rules! port {
    ($port:ident {
        $(
            async fn $name:ident(&$self:ident $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty $body:block
        )*
    }) => {
        impl $port for $crate::SqliteStore {
            $( async fn $name(&$self $(, $arg: $ty)*) -> $ret $body )*
        }
        impl $port for $crate::PostgresStore {
            $( async fn $name(&$self $(, $arg: $ty)*) -> $ret $body )*
        }
        impl $port for $crate::AnyStore {
            $(
                async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match self {
                        $crate::AnyStore::Sqlite(store) => {
                            <$crate::SqliteStore as $port>::$name(store $(, $arg)*).await
                        }
                        $crate::AnyStore::Postgres(store) => {
                            <$crate::PostgresStore as $port>::$name(store $(, $arg)*).await
                        }
                    }
                }
            )*
        }
    };
}

/// Defines the same inherent methods on both backends: helpers that run inside a transaction
/// a port method began (their transaction is a [`WriteTransaction<Self>`]).
macro_rules! on_each_backend {
    ($($item:item)*) => {
        impl $crate::SqliteStore {
            $($item)*
        }
        impl $crate::PostgresStore {
            $($item)*
        }
    };
}

pub(crate) use on_each_backend;
pub(crate) use port;
