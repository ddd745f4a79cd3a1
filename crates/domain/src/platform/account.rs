//! Accounts of the platform's users: a name to sign in with, a display name for the audit
//! trail, a password hash (never the password), and whether the account is disabled.

use thiserror::Error;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The name to sign in with (lower-case letters, digits, `.`, `_`, `-`).
    pub name: String,
    /// The person's name as the audit trail shows it.
    pub display_name: String,
    /// The password's hash in PHC string form (argon2id).
    pub password_hash: String,
    /// A disabled account cannot sign in; it is never deleted, so the trail keeps its name.
    pub disabled: bool,
    /// When it was created, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    /// Failed sign-ins since the last successful one (or the last lockout).
    pub failed_sign_ins: u32,
    /// Until when signing in is refused after too many failures (0: not locked).
    pub locked_until_ms: i64,
}

impl Account {
    /// The account as the audit trail records it: never its password hash.
    pub fn audit_summary(&self) -> String {
        serde_json::json!({
            "name": self.name,
            "display_name": self.display_name,
            "disabled": self.disabled,
        })
        .to_string()
    }
}

/// A signed-in session, known to storage only by the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the token held by the browser's cookie or the API client.
    pub token_hash: Vec<u8>,
    /// The account signed in.
    pub account: String,
    /// When it began, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    /// When it ends at the latest.
    pub expires_at_ms: i64,
}

/// Who makes a change, and when: every change through the platform carries one, and storage
/// records it in the audit trail in the same transaction as the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The account (or `system:...`, `cli:...` for changes not made by a signed-in person).
    pub actor: String,
    /// When, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// Why an account name is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountNameError {
    /// Empty or longer than 64 characters.
    #[error("an account name has 1 to 64 characters, got {0}")]
    Length(usize),
    /// A character outside lower-case letters, digits, `.`, `_` and `-`.
    #[error("an account name may hold lower-case letters, digits, '.', '_' and '-', not {0:?}")]
    Character(char),
}

/// Checks an account name.
pub fn check_account_name(name: &str) -> Result<(), AccountNameError> {
    let length = name.chars().count();
    if length == 0 || length > 64 {
        return Err(AccountNameError::Length(length));
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        Some(c) => Err(AccountNameError::Character(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_short_plain_and_lower_case() {
        assert!(check_account_name("li.wei-2").is_ok());
        assert_eq!(check_account_name(""), Err(AccountNameError::Length(0)));
        assert_eq!(
            check_account_name("Li"),
            Err(AccountNameError::Character('L'))
        );
        assert_eq!(
            check_account_name("li wei"),
            Err(AccountNameError::Character(' '))
        );
        assert!(check_account_name(&"a".repeat(65)).is_err());
    }
}

/// Failed sign-ins in a row after which an account waits before its next attempt.
pub const SIGN_IN_DELAY_AFTER: u32 = 5;

/// The longest wait between two sign-in attempts of one account.
pub const MAX_SIGN_IN_DELAY_MS: i64 = 15 * 60_000;

/// How long an account waits after `failures` failed sign-ins in a row: nothing for the
/// first four, then one second, doubling with each further failure up to fifteen minutes. A
/// growing delay rather than a hard lock: nobody can shut a colleague (or `admin`) out for
/// long with a few wrong passwords, and guessing stays slow.
pub fn sign_in_delay_ms(failures: u32) -> i64 {
    if failures < SIGN_IN_DELAY_AFTER {
        return 0;
    }
    let doublings = (failures - SIGN_IN_DELAY_AFTER).min(20);
    (1_000i64 << doublings).min(MAX_SIGN_IN_DELAY_MS)
}

#[cfg(test)]
mod delay_tests {
    use super::*;

    #[test]
    fn delays_grow_from_the_fifth_failure_and_stop_at_fifteen_minutes() {
        let delays: Vec<i64> = (0..=16).map(sign_in_delay_ms).collect();
        assert_eq!(&delays[..5], [0; 5]);
        assert_eq!(&delays[5..9], [1_000, 2_000, 4_000, 8_000]);
        assert_eq!(delays[14], 512_000);
        assert_eq!(delays[15], MAX_SIGN_IN_DELAY_MS);
        assert_eq!(sign_in_delay_ms(u32::MAX), MAX_SIGN_IN_DELAY_MS);
    }
}
