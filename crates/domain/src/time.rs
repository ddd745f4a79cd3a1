//! Time as the platform's readers know it: a moment as a date and time in Beijing time (UTC+8,
//! the one time zone of China, without daylight saving), and the calendar arithmetic behind it.
//! Pure: reading the clock is the caller's business.

/// Beijing time's offset from UTC, in milliseconds.
pub const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;

/// A moment as Beijing's wall clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeijingTime {
    /// The year.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: i64,
    /// The day of the month, 1 to 31.
    pub day: i64,
    /// The hour, 0 to 23.
    pub hour: i64,
    /// The minute, 0 to 59.
    pub minute: i64,
    /// The second, 0 to 59.
    pub second: i64,
}

impl BeijingTime {
    /// The moment `ms` milliseconds after the Unix epoch, in Beijing time.
    pub fn from_ms(ms: i64) -> BeijingTime {
        let seconds = (ms + BEIJING_OFFSET_MS).div_euclid(1000);
        let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        BeijingTime {
            year,
            month,
            day,
            hour: rest / 3600,
            minute: rest / 60 % 60,
            second: rest % 60,
        }
    }
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_is_eight_in_the_morning_in_beijing() {
        let time = BeijingTime::from_ms(0);
        assert_eq!((time.year, time.month, time.day), (1970, 1, 1));
        assert_eq!((time.hour, time.minute, time.second), (8, 0, 0));
    }

    #[test]
    fn new_year_in_beijing_is_four_in_the_afternoon_utc() {
        // 2025-12-31 16:00:00 UTC is 2026-01-01 00:00:00 in Beijing.
        let time = BeijingTime::from_ms(1_767_196_800_000);
        assert_eq!(
            (time.year, time.month, time.day, time.hour),
            (2026, 1, 1, 0)
        );
        let before = BeijingTime::from_ms(1_767_196_800_000 - 1000);
        assert_eq!((before.year, before.month, before.day), (2025, 12, 31));
        assert_eq!((before.hour, before.minute, before.second), (23, 59, 59));
    }

    #[test]
    fn leap_days_are_counted() {
        // 2024-02-29 12:00 UTC.
        let time = BeijingTime::from_ms(1_709_208_000_000);
        assert_eq!(
            (time.year, time.month, time.day, time.hour),
            (2024, 2, 29, 20)
        );
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
