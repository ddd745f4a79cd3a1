//! Passwords of accounts: argon2id hashes in PHC string form (the salt and parameters travel
//! with the hash), checked in constant time by the `argon2` crate, and generated passwords for
//! new accounts and resets. The identity step is kept apart here so that single sign-on can
//! replace it later.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use minxin_domain::audit::NewAuditEntry;
use minxin_domain::platform::{Account, Store, StoreError};
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

/// The name of the administrator created on first start.
pub const FIRST_ADMINISTRATOR: &str = "admin";

/// On a database without accounts, creates the administrator account `admin` with a generated
/// password, records it in the audit trail (actor `system:first-start`), and returns the
/// password, to be shown once; `None` when accounts exist already.
pub async fn ensure_first_administrator<S: Store>(store: &S) -> Result<Option<String>, StoreError> {
    if store.count_accounts().await? > 0 {
        return Ok(None);
    }
    let password = generate_password();
    let now_ms = crate::api::now_ms();
    let account = Account {
        name: FIRST_ADMINISTRATOR.into(),
        display_name: "Administrator".into(),
        password_hash: hash_password(&password).map_err(StoreError::Database)?,
        disabled: false,
        created_at_ms: now_ms,
    };
    store.create_account(&account).await?;
    store
        .append_audit(NewAuditEntry {
            at_ms: now_ms,
            actor: "system:first-start".into(),
            action: "account.create".into(),
            subject: format!("account/{}", account.name),
            before: None,
            after: Some(account_summary(&account)),
        })
        .await?;
    Ok(Some(password))
}

/// An account as the audit trail records it: never its password hash.
pub fn account_summary(account: &Account) -> String {
    serde_json::json!({
        "name": account.name,
        "display_name": account.display_name,
        "disabled": account.disabled,
    })
    .to_string()
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
