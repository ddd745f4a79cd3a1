//! Passwords of accounts: argon2id hashes in PHC string form (the salt and parameters travel
//! with the hash), checked in constant time by the `argon2` crate, and generated passwords for
//! new accounts and resets. The identity step is kept apart here so that single sign-on can
//! replace it later.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use minxin_domain::access::Role;
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{check_account_name, Account, Attribution, Store, StoreError};
use rand::RngCore;

/// Passwords shorter than this are refused.
pub const MINIMUM_PASSWORD_LENGTH: usize = 12;

/// Hashes `password` with argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane, as OWASP
/// recommends) and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    if password.chars().count() < MINIMUM_PASSWORD_LENGTH {
        return Err(format!(
            "a password needs at least {MINIMUM_PASSWORD_LENGTH} characters"
        ));
    }
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// True when `password` matches `hash` (false for a malformed hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A random password of 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// The name of the administrator created on first start, unless configured.
pub const FIRST_ADMINISTRATOR: &str = "admin";

/// An administrator given by the configuration: a name and an argon2id hash made beforehand
/// (`minxin user hash-password`), so that no password is ever written in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredAdministrator {
    /// The account name.
    pub name: String,
    /// The password's argon2id hash in PHC form.
    pub password_hash: String,
}

/// How the first administrator came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAdministrator {
    /// Accounts existed already: nothing was done.
    Existing,
    /// Created from the configuration.
    Configured(String),
    /// Created as `admin` with this generated one-time password, to be shown once.
    Generated(String),
}

/// On a database without accounts, creates the first administrator: from `configured` when
/// given (its hash checked), else `admin` with a generated password; grants it the
/// administrator role for the city. Both are recorded in the audit trail (actor
/// `system:first-start`).
pub async fn ensure_first_administrator<S: Store>(
    store: &S,
    configured: Option<&ConfiguredAdministrator>,
) -> Result<FirstAdministrator, StoreError> {
    if store.count_accounts().await? > 0 {
        return Ok(FirstAdministrator::Existing);
    }
    let now_ms = crate::app::clock::now_ms();
    let (name, password_hash, outcome) = match configured {
        Some(admin) => {
            check_account_name(&admin.name)
                .map_err(|e| StoreError::Refused(format!("the configured administrator: {e}")))?;
            if PasswordHash::new(&admin.password_hash).is_err() {
                return Err(StoreError::Refused(
                    "the configured administrator's password hash is not an argon2id PHC string \
                     (make one with `minxin user hash-password`)"
                        .into(),
                ));
            }
            (
                admin.name.clone(),
                admin.password_hash.clone(),
                FirstAdministrator::Configured(admin.name.clone()),
            )
        }
        None => {
            let password = generate_password();
            (
                FIRST_ADMINISTRATOR.to_string(),
                hash_password(&password).map_err(StoreError::Database)?,
                FirstAdministrator::Generated(password),
            )
        }
    };
    let account = Account {
        name,
        display_name: "Administrator".into(),
        password_hash,
        disabled: false,
        created_at_ms: now_ms,
        failed_sign_ins: 0,
        locked_until_ms: 0,
    };
    let by = Attribution {
        actor: "system:first-start".into(),
        at_ms: now_ms,
    };
    store.create_account(&account, &by).await?;
    let administrator = Assignment {
        role: Role::Administrator,
        scope: Scope::City,
    };
    store.grant(&account.name, &administrator, &by).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let password = generate_password();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains(&password));
        assert!(verify_password(&hash, &password));
        assert!(!verify_password(&hash, "another password"));
        assert!(!verify_password("not a hash", &password));
        assert_ne!(
            hash,
            hash_password(&password).unwrap(),
            "a fresh salt each time"
        );
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(hash_password("short")
            .unwrap_err()
            .contains("12 characters"));
        assert_eq!(generate_password().len(), 20);
    }
}
