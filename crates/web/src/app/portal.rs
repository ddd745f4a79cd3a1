//! Citizen tokens signed by the city's portals and apps, so that only a person a portal handed
//! over can add a response, and a person handed over twice still has one.
//!
//! A token reads `v1.{wave}.{subject}.{expires}.{signature}`:
//! - `wave`: the wave's number, in decimal without leading zeros;
//! - `subject`: the portal's stable pseudonymous identifier of the person (letters, digits, `-`
//!   and `_`, 1 to 64 characters; never a name or an ID-card number);
//! - `expires`: Unix seconds after which the token is refused;
//! - `signature`: the unpadded base64url HMAC-SHA256, under the channel's key, of the text
//!   before it (`v1.{wave}.{subject}.{expires}`).
//!
//! Each channel (`portal`, `app`, …) has its own 32-byte key, from the configuration's
//! `[portal_keys]` table or `MINXIN_PORTAL_KEYS`; a token is accepted when one configured key
//! verifies it, and the response is recorded under that key's channel. Keys never appear in a
//! log or a debug print.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The version prefix of the token format.
const VERSION: &str = "v1";

/// The longest subject a token may carry.
pub const MAX_SUBJECT_LEN: usize = 64;

/// The channel the demo's documented key signs for.
pub const DEMO_CHANNEL: &str = "app";

/// The demo's portal key, in hex (the ASCII text "minxin demo portal key, public!!"): public on
/// purpose, so that anyone can make demo tokens. Never configure it on a real deployment.
pub const DEMO_PORTAL_KEY_HEX: &str =
    "6d696e78696e2064656d6f20706f7274616c206b65792c207075626c69632121";

/// Why a portal key from the configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortalKeyError {
    /// The key is not 64 hex digits (32 bytes).
    #[error("the portal key of channel {channel:?} must be 64 hex digits (32 bytes)")]
    NotHex {
        /// The channel whose key it is.
        channel: String,
    },
    /// The channel code is empty or not letters, digits, `-` and `_`.
    #[error("{channel:?} is not a channel code (letters, digits, - and _)")]
    BadChannel {
        /// The code given.
        channel: String,
    },
    /// An entry of `MINXIN_PORTAL_KEYS` is not `channel=hex`.
    #[error("portal keys are listed as channel=hex, separated by commas; got {entry:?}")]
    BadEntry {
        /// The entry (without its key).
        entry: String,
    },
}

/// Why a citizen token was refused (each answered 403 with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not `v1.{wave}.{subject}.{expires}.{signature}`.
    #[error("the citizen token is malformed: {0}")]
    Malformed(&'static str),
    /// Issued for another wave.
    #[error("the citizen token is for wave {token_wave}, not wave {wave}")]
    OtherWave {
        /// The wave it names.
        token_wave: i64,
        /// The wave it was sent to.
        wave: i64,
    },
    /// Past its expiry.
    #[error("the citizen token expired; please start again from the portal or app")]
    Expired,
    /// No configured key signed it.
    #[error("the citizen token is not signed by any portal this platform knows")]
    UnknownSignature,
    /// The platform has no portal key, so it takes no tokens.
    #[error("this platform takes no citizen tokens (no portal key is configured)")]
    NoKeys,
}

/// What a verified token says: who the portal handed over, and through which channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The channel whose key signed it.
    pub channel: String,
    /// The portal's pseudonymous identifier of the person.
    pub subject: String,
}

/// The portal keys, one per channel.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PortalKeys(BTreeMap<String, [u8; 32]>);

impl std::fmt::Debug for PortalKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The channels, never the keys.
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl PortalKeys {
    /// No keys: tokens are refused.
    pub fn none() -> PortalKeys {
        PortalKeys::default()
    }

    /// The demo's documented key for the [`DEMO_CHANNEL`].
    pub fn demo() -> PortalKeys {
        let mut keys = PortalKeys::none();
        keys.insert(DEMO_CHANNEL, DEMO_PORTAL_KEY_HEX)
            .expect("the demo key is valid");
        keys
    }

    /// Adds (or replaces) `channel`'s key, given as 64 hex digits.
    pub fn insert(&mut self, channel: &str, hex: &str) -> Result<(), PortalKeyError> {
        if !is_code(channel, 64) {
            return Err(PortalKeyError::BadChannel {
                channel: channel.into(),
            });
        }
        let key = decode_key(hex.trim()).ok_or_else(|| PortalKeyError::NotHex {
            channel: channel.into(),
        })?;
        self.0.insert(channel.to_string(), key);
        Ok(())
    }

    /// Keys from `channel=hex,channel=hex` (the form of `MINXIN_PORTAL_KEYS`).
    pub fn parse_list(list: &str) -> Result<PortalKeys, PortalKeyError> {
        let mut keys = PortalKeys::none();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (channel, hex) = entry
                .split_once('=')
                .ok_or_else(|| PortalKeyError::BadEntry {
                    entry: entry.chars().take(20).collect(),
                })?;
            keys.insert(channel.trim(), hex)?;
        }
        Ok(keys)
    }

    /// Whether no key is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `channel` has a key.
    pub fn has(&self, channel: &str) -> bool {
        self.0.contains_key(channel)
    }

    /// The channels with a key.
    pub fn channels(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// A token for `subject` in `wave`, signed with `channel`'s key, valid until `expires`
    /// (Unix seconds): what a portal does, for demos and tests.
    pub fn sign(
        &self,
        channel: &str,
        wave: i64,
        subject: &str,
        expires: i64,
    ) -> Result<String, String> {
        let key = self
            .0
            .get(channel)
            .ok_or_else(|| format!("no portal key is configured for channel {channel:?}"))?;
        if !is_code(subject, MAX_SUBJECT_LEN) {
            return Err(format!(
                "a subject is 1 to {MAX_SUBJECT_LEN} letters, digits, - or _"
            ));
        }
        let signed = format!("{VERSION}.{wave}.{subject}.{expires}");
        let signature = URL_SAFE_NO_PAD.encode(mac(key, &signed).finalize().into_bytes());
        Ok(format!("{signed}.{signature}"))
    }

    /// Verifies `token` for `wave` at `now` (Unix seconds): who it hands over, or why it is
    /// refused.
    pub fn verify(&self, token: &str, wave: i64, now: i64) -> Result<VerifiedToken, TokenError> {
        if self.is_empty() {
            return Err(TokenError::NoKeys);
        }
        let (signed, signature) = token
            .rsplit_once('.')
            .ok_or(TokenError::Malformed("it has no signature"))?;
        let parts: Vec<&str> = signed.split('.').collect();
        let [version, wave_text, subject, expires_text] = parts[..] else {
            return Err(TokenError::Malformed(
                "it must read v1.{wave}.{subject}.{expires}.{signature}",
            ));
        };
        if version != VERSION {
            return Err(TokenError::Malformed("its version is not v1"));
        }
        let token_wave = canonical_number(wave_text)
            .ok_or(TokenError::Malformed("its wave is not a wave number"))?;
        if !is_code(subject, MAX_SUBJECT_LEN) {
            return Err(TokenError::Malformed(
                "its subject must be 1 to 64 letters, digits, - or _",
            ));
        }
        let expires = canonical_number(expires_text)
            .ok_or(TokenError::Malformed("its expiry is not Unix seconds"))?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or(TokenError::Malformed(
                "its signature is not unpadded base64url of 32 bytes",
            ))?;
        // The signature first: what an unsigned token says is not worth an answer.
        let channel = self
            .0
            .iter()
            .find(|(_, key)| mac(key, signed).verify_slice(&signature).is_ok())
            .map(|(channel, _)| channel.clone())
            .ok_or(TokenError::UnknownSignature)?;
        if token_wave != wave {
            return Err(TokenError::OtherWave { token_wave, wave });
        }
        if expires < now {
            return Err(TokenError::Expired);
        }
        Ok(VerifiedToken {
            channel,
            subject: subject.to_string(),
        })
    }
}

fn mac(key: &[u8; 32], text: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(text.as_bytes());
    mac
}

/// Letters, digits, `-` and `_`, 1 to `max` characters.
fn is_code(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A non-negative decimal number as written by `i64::to_string` (no sign, no leading zero).
fn canonical_number(text: &str) -> Option<i64> {
    let number: i64 = text.parse().ok()?;
    (number >= 0 && number.to_string() == text).then_some(number)
}

fn decode_key(hex: &str) -> Option<[u8; 32]> {
    minxin_domain::hex::decode(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> PortalKeys {
        let mut keys = PortalKeys::demo();
        keys.insert("portal", &"ab".repeat(32)).unwrap();
        keys
    }

    #[test]
    fn a_signed_token_verifies_for_its_wave_until_it_expires() {
        let keys = keys();
        let token = keys.sign("app", 3, "p-123_x", 2_000).unwrap();
        assert!(token.starts_with("v1.3.p-123_x.2000."));
        let verified = keys.verify(&token, 3, 1_999).unwrap();
        assert_eq!(verified.channel, "app");
        assert_eq!(verified.subject, "p-123_x");
        assert_eq!(keys.verify(&token, 3, 2_000).unwrap().channel, "app");
        assert_eq!(keys.verify(&token, 3, 2_001), Err(TokenError::Expired));
        assert_eq!(
            keys.verify(&token, 4, 1_000),
            Err(TokenError::OtherWave {
                token_wave: 3,
                wave: 4
            })
        );
        let portal = keys.sign("portal", 3, "p-123_x", 2_000).unwrap();
        assert_eq!(keys.verify(&portal, 3, 1_000).unwrap().channel, "portal");
    }

    /// The signature as a portal's integrator computes it from the format's description
    /// alone: HMAC-SHA256 of the text, base64url without padding (checked independently with
    /// Python's `hmac` and `base64` modules:
    /// `base64.urlsafe_b64encode(hmac.new(key, b"v1.1.citizen-1.1700000000", "sha256").digest()).rstrip(b"=")`).
    #[test]
    fn the_signature_is_the_documented_hmac() {
        let token = PortalKeys::demo()
            .sign("app", 1, "citizen-1", 1_700_000_000)
            .unwrap();
        assert_eq!(
            token,
            "v1.1.citizen-1.1700000000.Fm5-dcpd5CI6F2FQPUdZ8VcAAgC9GjuddiCCSOaMCyk"
        );
    }

    #[test]
    fn tampered_and_malformed_tokens_are_refused() {
        let keys = keys();
        let token = keys.sign("app", 3, "someone", 2_000).unwrap();
        let refused = |token: &str| keys.verify(token, 3, 1_000).unwrap_err();
        assert_eq!(
            refused(&token.replace("someone", "someone2")),
            TokenError::UnknownSignature
        );
        assert_eq!(
            refused(&token.replace(".2000.", ".9000.")),
            TokenError::UnknownSignature
        );
        assert_eq!(
            refused(
                &PortalKeys::parse_list(&format!("app={}", "cd".repeat(32)))
                    .unwrap()
                    .sign("app", 3, "someone", 2_000)
                    .unwrap()
            ),
            TokenError::UnknownSignature
        );
        for malformed in [
            "",
            "citizen-123",
            "v1.3.someone.2000",
            "v2.3.someone.2000.AAAA",
            "v1.03.someone.2000.AAAA",
            "v1.+3.someone.2000.AAAA",
            "v1.3.some one.2000.AAAA",
            "v1.3..2000.AAAA",
            "v1.3.someone.-5.AAAA",
            "v1.3.someone.2000.not base64",
            "v1.3.a.b.2000.AAAA",
        ] {
            assert!(
                matches!(refused(malformed), TokenError::Malformed(_)),
                "{malformed:?}: {:?}",
                refused(malformed)
            );
        }
        let long = "x".repeat(65);
        assert!(keys.sign("app", 3, &long, 2_000).is_err());
        assert!(matches!(
            refused(&format!("v1.3.{long}.2000.AAAA")),
            TokenError::Malformed(_)
        ));
        assert_eq!(
            PortalKeys::none().verify(&token, 3, 1_000),
            Err(TokenError::NoKeys)
        );
    }

    #[test]
    fn keys_are_checked_and_never_printed() {
        assert!(PortalKeys::parse_list("app=1234").is_err());
        assert!(PortalKeys::parse_list(&format!("app {}", "ab".repeat(32))).is_err());
        assert!(PortalKeys::parse_list(&format!("a b={}", "ab".repeat(32))).is_err());
        assert!(PortalKeys::parse_list(&format!("app={}", "zz".repeat(32))).is_err());
        // A sign is not a hexadecimal digit (`u8::from_str_radix` would read "+f" as 15).
        assert!(PortalKeys::parse_list(&format!("app={}", "+f".repeat(32))).is_err());
        let keys = PortalKeys::parse_list(&format!(
            "app={}, portal={}",
            "ab".repeat(32),
            "CD".repeat(32)
        ))
        .unwrap();
        assert_eq!(keys.channels().collect::<Vec<_>>(), ["app", "portal"]);
        let printed = format!("{keys:?}");
        assert!(
            !printed.contains("abab") && !printed.contains("cdcd") && !printed.contains("CDCD")
        );
        let error = PortalKeys::parse_list(&format!("app={}", "zz".repeat(32))).unwrap_err();
        assert!(!error.to_string().contains("zz"));
    }
}
