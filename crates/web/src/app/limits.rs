//! Limits against abuse of anonymous submissions and of the sign-in form.
//!
//! A submission with a citizen token counts once per person and wave whatever happens (a
//! second one replaces the first), so only submissions *without* a token can stuff a wave.
//! Those are limited per client address with a token bucket (the `governor` crate's GCRA):
//! at most `per_hour` in a burst, refilled evenly over the hour. Zero refuses anonymous
//! submissions altogether, for waves that must be answered through the portal or app.
//!
//! The client address is the connection's peer, or, behind a reverse proxy the operator
//! trusts, the address that proxy appended last to `X-Forwarded-For`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::app::error::ApiError;

/// Anonymous submissions per client address and hour, unless configured.
pub const DEFAULT_ANONYMOUS_PER_HOUR: u32 = 60;

/// Sign-in attempts per client address and minute (a burst of this many, refilled evenly);
/// lockout after repeated failures protects each account besides (see `session`).
pub const SIGN_INS_PER_MINUTE: u32 = 10;

/// Checks between two prunings of the addresses that have refilled their bucket.
const PRUNE_EVERY: u64 = 10_000;

/// How anonymous submissions are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSettings {
    /// Anonymous submissions per client address and hour; 0 refuses them.
    pub anonymous_per_hour: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            anonymous_per_hour: DEFAULT_ANONYMOUS_PER_HOUR,
            trust_forwarded_for: false,
        }
    }
}

/// The limiter shared by every handler.
pub struct AbuseLimits {
    settings: LimitSettings,
    anonymous: Option<DefaultKeyedRateLimiter<IpAddr>>,
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl std::fmt::Debug for AbuseLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AbuseLimits")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AbuseLimits {
    /// A limiter with `settings`.
    pub fn new(settings: LimitSettings) -> Self {
        let anonymous = NonZeroU32::new(settings.anonymous_per_hour)
            .map(|per_hour| RateLimiter::keyed(Quota::per_hour(per_hour)));
        let per_minute = NonZeroU32::new(SIGN_INS_PER_MINUTE).expect("a positive constant");
        Self {
            settings,
            anonymous,
            sign_ins: RateLimiter::keyed(Quota::per_minute(per_minute)),
            checks: AtomicU64::new(0),
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> LimitSettings {
        self.settings
    }

    /// Takes one anonymous submission from `client`'s allowance, or says when to come back.
    pub fn allow_anonymous(&self, client: IpAddr) -> Result<(), ApiError> {
        let Some(limiter) = &self.anonymous else {
            return Err(ApiError::forbidden(
                "本平台只接受经“一网通办”或“随申办”进入填写的问卷。",
                "this platform accepts responses only with a citizen token from the portal or app",
            ));
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            limiter.retain_recent();
        }
        limiter
            .check_key(&allowance_of(client))
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                ApiError::TooManyRequests {
                    retry_after_secs: wait.as_secs().max(1),
                }
            })
    }
}

/// Whose allowance a client address draws on: an IPv4 address its own, an IPv6 address its
/// /64 network (one subscriber's line gets a whole /64, so single addresses are free to
/// take), an IPv4 address written as IPv6 the IPv4 address.
pub fn allowance_of(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

impl AbuseLimits {
    /// Takes one sign-in attempt from `client`'s allowance, or says when to come back.
    pub fn allow_sign_in(&self, client: IpAddr) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.sign_ins.retain_recent();
        }
        self.sign_ins.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManySignIns {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

/// The largest body a public form (the questionnaire, signing in) may send: the longest
/// questionnaire (every project, every item) is a few KiB.
pub const PUBLIC_FORM_BYTES: usize = 64 << 10;

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn each_address_has_its_own_allowance() {
        let limits = AbuseLimits::new(LimitSettings {
            anonymous_per_hour: 2,
            trust_forwarded_for: false,
        });
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(limits.allow_anonymous(a).is_ok());
        assert!(limits.allow_anonymous(a).is_ok());
        match limits.allow_anonymous(a) {
            Err(ApiError::TooManyRequests { retry_after_secs }) => {
                assert!((1..=1800).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(limits.allow_anonymous(b).is_ok());
    }

    #[test]
    fn an_ipv6_network_shares_one_allowance() {
        let limits = AbuseLimits::new(LimitSettings {
            anonymous_per_hour: 2,
            ..LimitSettings::default()
        });
        let address = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limits.allow_anonymous(address("2001:db8:1:2::1")).is_ok());
        assert!(limits
            .allow_anonymous(address("2001:db8:1:2:ffff:1:2:3"))
            .is_ok());
        assert!(
            limits.allow_anonymous(address("2001:db8:1:2::99")).is_err(),
            "a third address of the same /64 draws on the same allowance"
        );
        assert!(limits.allow_anonymous(address("2001:db8:1:3::1")).is_ok());
        assert_eq!(
            allowance_of(address("::ffff:192.0.2.7")),
            address("192.0.2.7")
        );
    }

    #[test]
    fn zero_refuses_anonymous_submissions() {
        let limits = AbuseLimits::new(LimitSettings {
            anonymous_per_hour: 0,
            trust_forwarded_for: false,
        });
        assert!(matches!(
            limits.allow_anonymous(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Err(ApiError::Forbidden(_))
        ));
    }
}
