//! Survey waves: a named period of intake with the configuration it runs with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::config::{ConfigError, ConfigOverrides, ConfigText, Configuration};

/// Where a wave is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveStatus {
    /// Prepared, not yet taking responses.
    Draft,
    /// Taking responses.
    Open,
    /// Finished; results are final.
    Closed,
}

impl WaveStatus {
    /// The code stored and shown in the API.
    pub fn code(self) -> &'static str {
        match self {
            WaveStatus::Draft => "draft",
            WaveStatus::Open => "open",
            WaveStatus::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<WaveStatus> {
        match code {
            "draft" => Some(WaveStatus::Draft),
            "open" => Some(WaveStatus::Open),
            "closed" => Some(WaveStatus::Closed),
            _ => None,
        }
    }
}

/// The configuration files a wave runs with, as text (TOML), stored with the wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveConfigTexts {
    /// The instrument.
    pub instrument: String,
    /// The project catalogue (only the wave's projects).
    pub catalogue: String,
    /// The districts.
    pub districts: String,
    /// The profile codes.
    pub profile: String,
}

impl WaveConfigTexts {
    /// The built-in configuration's texts.
    pub fn defaults() -> WaveConfigTexts {
        let defaults = crate::config::default_texts();
        WaveConfigTexts {
            instrument: defaults[0].to_string(),
            catalogue: defaults[1].to_string(),
            districts: defaults[2].to_string(),
            profile: defaults[3].to_string(),
        }
    }

    /// Parses and validates the texts.
    pub fn configuration(&self) -> Result<Configuration, ConfigError> {
        Configuration::load(ConfigOverrides {
            instrument: Some(ConfigText {
                source_name: "wave instrument",
                text: &self.instrument,
            }),
            catalogue: Some(ConfigText {
                source_name: "wave catalogue",
                text: &self.catalogue,
            }),
            districts: Some(ConfigText {
                source_name: "wave districts",
                text: &self.districts,
            }),
            profile: Some(ConfigText {
                source_name: "wave profile codes",
                text: &self.profile,
            }),
        })
    }
}

/// What is needed to create a wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWave {
    /// A short name, unique among waves ("2026 spring").
    pub name: String,
    /// First day of intake (ISO date), if set.
    pub period_start: Option<String>,
    /// Last day of intake (ISO date), if set.
    pub period_end: Option<String>,
    /// Target respondents per district code.
    pub quotas: BTreeMap<String, u64>,
    /// The configuration the wave runs with.
    pub config: WaveConfigTexts,
    /// Responses only with a citizen token signed by a portal (none anonymous).
    #[serde(default)]
    pub tokens_required: bool,
    /// How the wave's quadrants are cut, as a [`CutPointRule`] code (`median` by default).
    ///
    /// [`CutPointRule`]: crate::evaluation::CutPointRule
    #[serde(default = "median")]
    pub cut_points: String,
}

fn median() -> String {
    "median".into()
}

/// A stored wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveRecord {
    /// Identifier.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Draft, open or closed.
    pub status: WaveStatus,
    /// First day of intake.
    pub period_start: Option<String>,
    /// Last day of intake.
    pub period_end: Option<String>,
    /// Target respondents per district code.
    pub quotas: BTreeMap<String, u64>,
    /// The configuration it runs with.
    pub config: WaveConfigTexts,
    /// Responses only with a citizen token signed by a portal (none anonymous).
    #[serde(default)]
    pub tokens_required: bool,
    /// How the wave's quadrants are cut (a [`CutPointRule`] code).
    ///
    /// [`CutPointRule`]: crate::evaluation::CutPointRule
    #[serde(default = "median")]
    pub cut_points: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

/// The problems of a wave's period, each named by its field: each day given must be an ISO
/// date (`2026-03-01`) that exists, and the first day may not come after the last.
pub fn check_period(start: Option<&str>, end: Option<&str>) -> Vec<crate::Problem> {
    let mut problems = Vec::new();
    let mut day = |field: &str, text: Option<&str>| -> Option<Day> {
        let text = text?;
        let parsed = iso_date(text);
        if parsed.is_none() {
            let which = if field == "period_start" {
                "开始"
            } else {
                "结束"
            };
            problems.push(crate::Problem::new(
                field,
                format!("{which}日期“{text}”不是有效的日期，请按 2026-03-01 的格式填写。"),
                format!("{text:?} is not a date of the form 2026-03-01"),
            ));
        }
        parsed
    };
    let first = day("period_start", start);
    let last = day("period_end", end);
    if let (Some(first), Some(last)) = (first, last) {
        if first > last {
            problems.push(crate::Problem::new(
                "period_end",
                "结束日期早于开始日期。",
                "the last day comes before the first",
            ));
        }
    }
    problems
}

/// The day `YYYY-MM-DD` names, if it exists in the Gregorian calendar and is not before 1900.
fn iso_date(text: &str) -> Option<Day> {
    Day::parse(text).filter(|day| day.year() >= 1900)
}

#[cfg(test)]
mod period_tests {
    use super::check_period;

    #[test]
    fn periods_are_iso_dates_in_order() {
        assert!(check_period(None, None).is_empty());
        assert!(check_period(Some("2026-03-01"), Some("2026-03-31")).is_empty());
        assert!(check_period(Some("2024-02-29"), Some("2024-02-29")).is_empty());
        let fields = |start, end| -> Vec<String> {
            check_period(start, end)
                .into_iter()
                .map(|problem| problem.field)
                .collect()
        };
        assert_eq!(fields(Some("next spring"), None), ["period_start"]);
        assert_eq!(fields(None, Some("2026-3-1")), ["period_end"]);
        assert_eq!(fields(Some("2025-02-29"), None), ["period_start"]);
        assert_eq!(fields(Some("2026-13-01"), None), ["period_start"]);
        assert_eq!(fields(Some("2026-04-31"), None), ["period_start"]);
        assert_eq!(fields(Some("+026-04-01"), None), ["period_start"]);
        assert_eq!(
            fields(Some("2026-04-02"), Some("2026-04-01")),
            ["period_end"]
        );
    }
}
