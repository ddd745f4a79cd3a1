//! The platform's clock: now, in milliseconds since the Unix epoch. What a moment is in
//! Beijing time is [`minxin_domain::time`]'s business.

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
