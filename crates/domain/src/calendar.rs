//! Working days in China: Monday to Friday, except the days the State Council's annual holiday
//! notice gives off, plus the weekend days it makes working days (调休). Deadlines count
//! working days; a date in a year whose notice has not come out yet cannot be placed, and is
//! refused rather than guessed from plain weekends. The notices ship as data
//! (`defaults/holiday-cn/`, one JSON file a year); a year's file may also hold dates of its
//! neighbours, so every file is read before any date is answered. Dates are calendar days in
//! Beijing (Asia/Shanghai).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::time::civil_from_days;

/// The notices that ship with the platform, by year (a year with no notice yet has an empty
/// list of days).
const SHIPPED: [&str; 10] = [
    include_str!("../defaults/holiday-cn/2018.json"),
    include_str!("../defaults/holiday-cn/2019.json"),
    include_str!("../defaults/holiday-cn/2020.json"),
    include_str!("../defaults/holiday-cn/2021.json"),
    include_str!("../defaults/holiday-cn/2022.json"),
    include_str!("../defaults/holiday-cn/2023.json"),
    include_str!("../defaults/holiday-cn/2024.json"),
    include_str!("../defaults/holiday-cn/2025.json"),
    include_str!("../defaults/holiday-cn/2026.json"),
    include_str!("../defaults/holiday-cn/2027.json"),
];

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Days since 1970-01-01.
    days: i64,
}

impl Day {
    /// The day an ISO date (`2026-10-08`) names, if it exists.
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day < 1 {
            return None;
        }
        let found = Day::from_civil(year, month, day);
        (found.civil() == (year, month, day)).then_some(found)
    }

    /// The days from this day to `to` (negative when `to` is earlier).
    pub fn days_until(self, to: Day) -> i64 {
        to.days - self.days
    }

    /// The day in Beijing at the moment `ms` milliseconds after the Unix epoch.
    pub fn in_beijing(ms: i64) -> Day {
        Day {
            days: (ms + crate::time::BEIJING_OFFSET_MS).div_euclid(86_400_000),
        }
    }

    /// The day of (year, month, day), counted proleptically (Howard Hinnant's algorithm).
    fn from_civil(year: i64, month: i64, day: i64) -> Day {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day {
            days: era * 146_097 + doe - 719_468,
        }
    }

    /// (year, month, day).
    pub fn civil(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }

    /// The year.
    pub fn year(self) -> i64 {
        self.civil().0
    }

    /// Its number: days since 1970-01-01 (how storage compares and subtracts days).
    pub fn number(self) -> i64 {
        self.days
    }

    /// The day before.
    pub fn previous(self) -> Day {
        Day {
            days: self.days - 1,
        }
    }

    /// The next day.
    pub fn next(self) -> Day {
        Day {
            days: self.days + 1,
        }
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        // 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0.
        (self.days + 3).rem_euclid(7) >= 5
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// Why a date cannot be placed, or a notice read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The year's holiday notice is not in the calendar (not issued yet, or not loaded).
    #[error("no holiday notice for {0} is known yet: working days in {0} cannot be counted (add the State Council's notice for {0})")]
    UnknownYear(i64),
    /// A date to count from or to is not `YYYY-MM-DD`.
    #[error("not a date (YYYY-MM-DD): {0}")]
    UnreadableDate(String),
    /// A notice file is not what the format says.
    #[error("holiday notice {file}: {message}")]
    BadNotice {
        /// Which file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// One notice file: `{"year", "papers", "days": [{"name", "date", "isOffDay"}]}`.
#[derive(Debug, Deserialize)]
struct NoticeFile {
    year: i64,
    days: Vec<NoticeDay>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NoticeDay {
    date: String,
    is_off_day: bool,
}

/// The working-day calendar of the years whose notices it holds.
#[derive(Debug, Clone)]
pub struct WorkingDays {
    /// Years whose notice is known.
    known: BTreeSet<i64>,
    /// Dates that differ from the weekday rule: true a day off, false a working day.
    exceptions: BTreeMap<Day, bool>,
}

impl WorkingDays {
    /// The calendar of the notices that ship with the platform (2018 to 2026 at present).
    /// Read once per process, then copied.
    pub fn shipped() -> WorkingDays {
        static SHIPPED_CALENDAR: std::sync::LazyLock<WorkingDays> =
            std::sync::LazyLock::new(|| {
                let files: Vec<(String, &str)> = SHIPPED
                    .iter()
                    .enumerate()
                    .map(|(k, text)| (format!("{}.json", 2018 + k), *text))
                    .collect();
                WorkingDays::from_notices(&files).expect("the shipped notices are well formed")
            });
        SHIPPED_CALENDAR.clone()
    }

    /// The calendar of `notices` (file name, text). A notice with no day is a year whose
    /// arrangement is not known yet.
    pub fn from_notices(notices: &[(String, &str)]) -> Result<WorkingDays, CalendarError> {
        let mut known = BTreeSet::new();
        let mut exceptions = BTreeMap::new();
        for (file, text) in notices {
            let bad = |message: String| CalendarError::BadNotice {
                file: file.clone(),
                message,
            };
            let notice: NoticeFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
            if notice.days.is_empty() {
                continue;
            }
            known.insert(notice.year);
            for day in notice.days {
                let date = Day::parse(&day.date)
                    .ok_or_else(|| bad(format!("{:?} is not a date", day.date)))?;
                exceptions.insert(date, day.is_off_day);
            }
        }
        Ok(WorkingDays { known, exceptions })
    }

    /// The years whose notices the calendar holds.
    pub fn known_years(&self) -> impl Iterator<Item = i64> + '_ {
        self.known.iter().copied()
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: Day) -> Result<bool, CalendarError> {
        let year = day.year();
        if !self.known.contains(&year) {
            return Err(CalendarError::UnknownYear(year));
        }
        Ok(match self.exceptions.get(&day) {
            Some(off) => !off,
            None => !day.is_weekend(),
        })
    }

    /// The day `n` working days after `day` (`day` itself not counted; 0 is `day`).
    pub fn working_days_after(&self, day: Day, n: u32) -> Result<Day, CalendarError> {
        let mut current = day;
        let mut left = n;
        while left > 0 {
            current = current.next();
            if self.is_working_day(current)? {
                left -= 1;
            }
        }
        Ok(current)
    }

    /// How many working days come after `from` up to and including `to` (0 when `to` is
    /// not after `from`).
    pub fn working_days_between(&self, from: Day, to: Day) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut current = from;
        while current < to {
            current = current.next();
            if self.is_working_day(current)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn dates_are_read_strictly_and_weekdays_are_right() {
        assert_eq!(day("2026-10-08").to_string(), "2026-10-08");
        assert!(Day::parse("2026-02-29").is_none());
        assert!(Day::parse("2024-02-29").is_some());
        assert!(Day::parse("2026-13-01").is_none() && Day::parse("26-1-1").is_none());
        assert!(day("2026-12-05").is_weekend(), "a Saturday");
        assert!(!day("2026-12-07").is_weekend(), "a Monday");
        assert_eq!(day("1970-01-01").next(), day("1970-01-02"));
    }

    #[test]
    fn the_day_is_beijings() {
        // 2021-06-30 16:00 UTC is 2021-07-01 00:00 in Beijing.
        let ms = 1_625_068_800_000;
        assert_eq!(Day::in_beijing(ms), day("2021-07-01"));
        assert_eq!(Day::in_beijing(ms - 1), day("2021-06-30"));
    }

    #[test]
    fn holidays_and_make_up_days_follow_the_notices() {
        let calendar = WorkingDays::shipped();
        // National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
        assert!(!calendar.is_working_day(day("2024-10-01")).unwrap());
        assert!(calendar.is_working_day(day("2024-09-29")).unwrap());
        assert!(calendar.is_working_day(day("2024-10-12")).unwrap());
        // An ordinary week.
        assert!(calendar.is_working_day(day("2024-11-06")).unwrap());
        assert!(!calendar.is_working_day(day("2024-11-09")).unwrap());
    }

    #[test]
    fn deadlines_count_working_days_and_refuse_an_unknown_year() {
        let calendar = WorkingDays::shipped();
        // From Friday 27 September 2024: Sunday 29 September is worked, then the holiday.
        assert_eq!(
            calendar.working_days_after(day("2024-09-27"), 1).unwrap(),
            day("2024-09-29")
        );
        assert_eq!(
            calendar.working_days_after(day("2024-09-27"), 2).unwrap(),
            day("2024-09-30")
        );
        assert_eq!(
            calendar.working_days_after(day("2024-09-27"), 3).unwrap(),
            day("2024-10-08")
        );
        assert_eq!(
            calendar.working_days_after(day("2024-11-06"), 0).unwrap(),
            day("2024-11-06")
        );
        assert_eq!(
            calendar
                .working_days_between(day("2024-09-27"), day("2024-10-08"))
                .unwrap(),
            3
        );
        // 2027's notice has not come out: a deadline reaching into it is refused.
        assert_eq!(
            calendar.working_days_after(day("2026-12-28"), 10),
            Err(CalendarError::UnknownYear(2027))
        );
        assert!(!calendar.known_years().any(|year| year == 2027));
    }

    #[test]
    fn a_bad_notice_is_named() {
        let error = WorkingDays::from_notices(&[(
            "2030.json".into(),
            r#"{"year": 2030, "days": [{"name": "x", "date": "2030-02-30", "isOffDay": true}]}"#,
        )])
        .unwrap_err();
        assert!(error.to_string().contains("2030.json"), "{error}");
    }
}
