//! Identity without storing identity: the portal or app hands a respondent over with an opaque
//! token, and only an HMAC-SHA256 of it, keyed with the server's secret and the wave, is kept.
//! The same person therefore has one response per wave, and their keys in two waves cannot be
//! linked without the secret.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The server's secret key for respondent hashes.
#[derive(Clone)]
pub struct RespondentSecret(Vec<u8>);

impl std::fmt::Debug for RespondentSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RespondentSecret(***)")
    }
}

impl RespondentSecret {
    /// A secret from bytes (at least 32).
    pub fn new(bytes: Vec<u8>) -> Result<RespondentSecret, String> {
        if bytes.len() < 32 {
            return Err(format!(
                "the respondent secret needs at least 32 bytes, got {}",
                bytes.len()
            ));
        }
        Ok(RespondentSecret(bytes))
    }

    /// A fresh random secret.
    pub fn generate() -> RespondentSecret {
        use rand::RngCore;
        let mut bytes = vec![0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        RespondentSecret(bytes)
    }

    /// The secret's bytes, to save it.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The respondent key of `token` in `wave`.
    pub fn respondent_key(&self, wave: i64, token: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(&wave.to_be_bytes());
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The key of an anonymous submission sent with an idempotency key: the same for every
    /// retry of it, so a retry is recognised, and never the key of a respondent known by name
    /// (the byte 0xFF, which no UTF-8 text holds, separates the two).
    pub fn anonymous_retry_key(&self, wave: i64, idempotency_key: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(&wave.to_be_bytes());
        mac.update(&[0xFF]);
        mac.update(idempotency_key.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// A key for a submission without a token: random, so it never replaces another.
    pub fn anonymous_key() -> Vec<u8> {
        use rand::RngCore;
        let mut bytes = vec![0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_per_wave_and_unlinkable_across_waves() {
        let secret = RespondentSecret::new(vec![7; 32]).unwrap();
        let key = secret.respondent_key(1, "citizen-123");
        assert_eq!(key.len(), 32);
        assert_eq!(key, secret.respondent_key(1, "citizen-123"));
        assert_ne!(key, secret.respondent_key(2, "citizen-123"));
        assert_ne!(
            key,
            RespondentSecret::new(vec![8; 32])
                .unwrap()
                .respondent_key(1, "citizen-123")
        );
        assert!(
            !key.windows(7).any(|w| w == b"citizen"),
            "the token is not in the key"
        );
        assert!(RespondentSecret::new(vec![1; 8]).is_err());
        assert_eq!(format!("{secret:?}"), "RespondentSecret(***)");
    }
}
