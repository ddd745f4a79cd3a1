//! Staff accounts, sign-in attempts and sessions. Every change to an account is audited in
//! its own transaction; a disabled or reset account, or one that loses a role, keeps no
//! session.

use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{
    sign_in_delay_ms, Account, AccountStore, Attribution, Session, StoreError, SIGN_IN_DELAY_AFTER,
};
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, holds_nul, plain_text};

/// How long sessions are kept after they expire: 90 days.
const SESSIONS_KEPT_MS: i64 = 90 * 24 * 3_600_000;

/// The columns of `accounts` in the order both backends select them.
const ACCOUNT_COLUMNS: &str =
    "name, display_name, password_hash, disabled, created_at_ms, failed_sign_ins, locked_until_ms";

/// A row of `accounts`.
#[derive(sqlx::FromRow)]
struct AccountRow {
    name: String,
    display_name: String,
    password_hash: String,
    disabled: bool,
    created_at_ms: i64,
    failed_sign_ins: i32,
    locked_until_ms: i64,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Account {
        Account {
            name: row.name,
            display_name: row.display_name,
            password_hash: row.password_hash,
            disabled: row.disabled,
            created_at_ms: row.created_at_ms,
            failed_sign_ins: u32::try_from(row.failed_sign_ins).unwrap_or(0),
            locked_until_ms: row.locked_until_ms,
        }
    }
}

/// A row of the session query: the session, its account, and one role it holds (both `None`
/// for an account without roles).
#[derive(sqlx::FromRow)]
struct SessionRow {
    session_created_at_ms: i64,
    session_expires_at_ms: i64,
    #[sqlx(flatten)]
    account: AccountRow,
    role: Option<String>,
    scope: Option<String>,
}

/// A stored role assignment; `None` for a role this version does not know (never written by
/// it, so skipped rather than failing every sign-in).
pub(crate) fn assignment_from_row(role: &str, scope: &str) -> Option<Assignment> {
    Some(Assignment {
        role: role.parse().ok()?,
        scope: Scope::from_code(scope),
    })
}

on_each_backend! {
    /// Refuses (and so rolls back) a change that would leave the city without an enabled
    /// account holding the administrator's role.
    pub(crate) async fn keep_an_administrator(
        transaction: &mut WriteTransaction<Self>,
    ) -> Result<(), StoreError> {
        let (left,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM role_assignments r JOIN accounts a ON a.name = r.account \
             WHERE r.role = 'administrator' AND a.disabled = FALSE",
        )
        .fetch_one(&mut **transaction)
        .await
        .map_err(database_error)?;
        if left == 0 {
            return Err(StoreError::Refused(
                "this would leave the city without an administrator; make another one first".into(),
            ));
        }
        Ok(())
    }

    /// Ends every open session of `account` at `at_ms`, inside `transaction`.
    pub(crate) async fn end_sessions_in(
        transaction: &mut WriteTransaction<Self>,
        account: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET ended_at_ms = $1 WHERE account = $2 AND ended_at_ms IS NULL")
            .bind(at_ms)
            .bind(account)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        Ok(())
    }
}

port!(AccountStore {
    async fn create_account(&self, account: &Account, by: &Attribution) -> Result<(), StoreError> {
        plain_text(&[("name", &account.name), ("display_name", &account.display_name)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let result = sqlx::query(
            "INSERT INTO accounts (name, display_name, password_hash, disabled, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&account.name)
        .bind(&account.display_name)
        .bind(&account.password_hash)
        .bind(account.disabled)
        .bind(account.created_at_ms)
        .execute(&mut *transaction)
        .await;
        match result {
            Ok(_) => {}
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(StoreError::DuplicateAccount(account.name.clone()))
            }
            Err(error) => return Err(database_error(error)),
        }
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::AccountCreate,
                &Subject::Account(account.name.clone()),
                None,
                Some(account.audit_summary()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)
    }

    async fn count_accounts(&self) -> Result<u64, StoreError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.writer)
            .await
            .map_err(database_error)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        if holds_nul(name) {
            return Ok(None);
        }
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = $1"
        ))
        .bind(name)
        .fetch_optional(&self.writer)
        .await
        .map_err(database_error)?;
        Ok(row.map(Account::from))
    }

    async fn update_account(
        &self,
        name: &str,
        password_hash: &str,
        disabled: bool,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        plain_text(&[("name", name)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = $1"
        ))
        .bind(name)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        let Some(before) = before.map(Account::from) else {
            return Err(StoreError::NoSuchAccount(name.to_string()));
        };
        sqlx::query("UPDATE accounts SET password_hash = $1, disabled = $2 WHERE name = $3")
            .bind(password_hash)
            .bind(disabled)
            .bind(name)
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        if disabled && !before.disabled {
            let (administrator,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM role_assignments WHERE account = $1 AND role = 'administrator'",
            )
            .bind(name)
            .fetch_one(&mut *transaction)
            .await
            .map_err(database_error)?;
            if administrator > 0 {
                Self::keep_an_administrator(&mut transaction).await?;
            }
        }
        if disabled || before.password_hash != password_hash {
            // A disabled or reset account keeps no session: a stolen token dies with it.
            Self::end_sessions_in(&mut transaction, name, by.at_ms).await?;
        }
        let after = Account {
            password_hash: password_hash.to_string(),
            disabled,
            ..before.clone()
        };
        let action = if disabled {
            AuditAction::AccountDisable
        } else if before.password_hash != password_hash {
            AuditAction::AccountReset
        } else {
            AuditAction::AccountEnable
        };
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                action,
                &Subject::Account(name.to_string()),
                Some(before.audit_summary()),
                Some(after.audit_summary()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)
    }

    async fn record_sign_in(
        &self,
        name: &str,
        failed_sign_ins: u32,
        locked_until_ms: i64,
    ) -> Result<(), StoreError> {
        if holds_nul(name) {
            return Ok(());
        }
        sqlx::query("UPDATE accounts SET failed_sign_ins = $1, locked_until_ms = $2 WHERE name = $3")
            .bind(i64::from(failed_sign_ins))
            .bind(locked_until_ms)
            .bind(name)
            .execute(&self.writer)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn record_failed_sign_in(
        &self,
        name: &str,
        now_ms: i64,
    ) -> Result<Option<(u32, i64)>, StoreError> {
        if holds_nul(name) {
            return Ok(None);
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let counted: Option<(i64,)> = sqlx::query_as(
            "UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE name = $1 \
             RETURNING CAST(failed_sign_ins AS BIGINT)",
        )
        .bind(name)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        let Some((failures,)) = counted else {
            return Ok(None);
        };
        let failures = u32::try_from(failures).unwrap_or(u32::MAX);
        let delay = sign_in_delay_ms(failures);
        let until = if delay > 0 { now_ms + delay } else { 0 };
        // A wait in force is never shortened by a parallel failure counted earlier.
        let (until,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET locked_until_ms = \
             CASE WHEN locked_until_ms > $1 THEN locked_until_ms ELSE $1 END \
             WHERE name = $2 RETURNING locked_until_ms",
        )
        .bind(until)
        .bind(name)
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        if failures == SIGN_IN_DELAY_AFTER {
            Self::append_audit_in(
                &mut transaction,
                NewAuditEntry {
                    at_ms: now_ms,
                    actor: "system:sign-in".into(),
                    action: AuditAction::AccountLock.code().into(),
                    subject: Subject::Account(name.to_string()).to_string(),
                    before: None,
                    after: Some(
                        serde_json::json!({"locked_until_ms": until, "failed_sign_ins": failures})
                            .to_string(),
                    ),
                },
            )
            .await?;
        }
        transaction.commit().await.map_err(database_error)?;
        Ok(Some((failures, until)))
    }

    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account, created_at_ms, expires_at_ms) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&session.token_hash)
        .bind(&session.account)
        .bind(session.created_at_ms)
        .bind(session.expires_at_ms)
        .execute(&self.writer)
        .await
        .map_err(database_error)?;
        // Sessions are kept a while after they end, as a record of who was signed in when;
        // beyond that they are dropped as new ones begin.
        sqlx::query("DELETE FROM sessions WHERE expires_at_ms < $1")
            .bind(session.created_at_ms - SESSIONS_KEPT_MS)
            .execute(&self.writer)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<(Session, Account, Vec<Assignment>)>, StoreError> {
        // One query (a request of a signed-in user waits for it): the session, its account
        // and one row per role held (none: a row with NULL role).
        let rows: Vec<SessionRow> = sqlx::query_as(
            "SELECT s.created_at_ms AS session_created_at_ms, \
             s.expires_at_ms AS session_expires_at_ms, a.name, a.display_name, a.password_hash, \
             a.disabled, a.created_at_ms, a.failed_sign_ins, a.locked_until_ms, r.role, r.scope \
             FROM sessions s JOIN accounts a ON a.name = s.account \
             LEFT JOIN role_assignments r ON r.account = a.name \
             WHERE s.token_hash = $1 AND s.ended_at_ms IS NULL AND s.expires_at_ms > $2 \
             AND a.disabled = $3 ORDER BY r.role, r.scope",
        )
        .bind(token_hash)
        .bind(now_ms)
        .bind(false)
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let assignments = rows
            .iter()
            .filter_map(|row| match (&row.role, &row.scope) {
                (Some(role), Some(scope)) => assignment_from_row(role, scope),
                _ => None,
            })
            .collect();
        let Some(first) = rows.into_iter().next() else {
            return Ok(None);
        };
        let account = Account::from(first.account);
        Ok(Some((
            Session {
                token_hash: token_hash.to_vec(),
                account: account.name.clone(),
                created_at_ms: first.session_created_at_ms,
                expires_at_ms: first.session_expires_at_ms,
            },
            account,
            assignments,
        )))
    }

    async fn end_session(&self, token_hash: &[u8], at_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET ended_at_ms = $1 WHERE token_hash = $2 AND ended_at_ms IS NULL")
            .bind(at_ms)
            .bind(token_hash)
            .execute(&self.writer)
            .await
            .map_err(database_error)?;
        Ok(())
    }
});
