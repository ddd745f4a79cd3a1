//! Supervision lights (督查督办): the colour an open commitment shows today, as Chinese
//! supervision practice lights items:
//! - red (红灯): overdue, not done after its due date;
//! - yellow (黄灯): behind the pro-rata schedule (achieved below the planned share for today)
//!   or returned for poor quality;
//! - blue (蓝灯): due within a configurable number of working days;
//! - none: on track, or done.
//!
//! Red outranks yellow, yellow outranks blue. Working days follow the State Council's
//! notices ([`WorkingDays`]); a deadline in a year without a notice is an error, never a guess.

use serde::{Deserialize, Serialize};

use super::progress::MilestoneStatus;
use crate::calendar::{CalendarError, Day, WorkingDays};

/// The colour of an open commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Due soon.
    Blue,
    /// Behind schedule, or returned for poor quality.
    Yellow,
    /// Overdue.
    Red,
}

impl Light {
    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Light::Blue => ("蓝灯：临近期限", "Blue: due soon"),
            Light::Yellow => (
                "黄灯：进度滞后或质量不达标",
                "Yellow: behind schedule or poor quality",
            ),
            Light::Red => ("红灯：已逾期", "Red: overdue"),
        }
    }
}

/// How the lights are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightSettings {
    /// Blue within this many working days of the due date (the due day itself counted).
    pub blue_within_working_days: u32,
}

impl Default for LightSettings {
    fn default() -> Self {
        LightSettings {
            blue_within_working_days: 5,
        }
    }
}

/// Where a quantified target (or a district's share) stands today.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetState {
    /// When the work began (the letter's first day, or the plan's start).
    pub start: Day,
    /// When it is due.
    pub due: Day,
    /// How much is planned.
    pub planned: f64,
    /// The latest cumulative figure reported; `None` when nothing is reported (counted as
    /// nothing achieved for the schedule: a missing report does not keep an item on track).
    pub achieved: Option<f64>,
    /// The latest report on it was returned for poor quality.
    pub returned: bool,
}

/// The share of the work planned for `today`: the days elapsed since `start` over the days
/// from `start` to `due`, between 0 and 1.
pub fn planned_share(start: Day, due: Day, today: Day) -> f64 {
    let span = start.days_until(due);
    if span <= 0 {
        return if today >= due { 1.0 } else { 0.0 };
    }
    (start.days_until(today) as f64 / span as f64).clamp(0.0, 1.0)
}

/// Whether `achieved` is below the share of `planned` due by `today` on the schedule from
/// `start` to `due` (today not after due). Written as `achieved × span < planned × elapsed`,
/// the very products storage compares when it lights items itself, so both agree to the bit.
fn behind_schedule(achieved: f64, planned: f64, start: Day, due: Day, today: Day) -> bool {
    let span = start.days_until(due);
    if span <= 0 {
        return today >= due && achieved < planned;
    }
    let elapsed = start.days_until(today).clamp(0, span);
    achieved * (span as f64) < planned * (elapsed as f64)
}

/// Whether `today` is within the blue window before `due`: `due` is no more than the window's
/// working days away (today counted when it is a working day). Counts day by day from today
/// and stops once the window is passed, so a far deadline costs no more than a near one.
fn due_soon(
    due: Day,
    today: Day,
    calendar: &WorkingDays,
    settings: LightSettings,
) -> Result<bool, CalendarError> {
    if today > due {
        return Ok(false);
    }
    let mut counted = 0;
    let mut current = today;
    loop {
        if calendar.is_working_day(current)? {
            counted += 1;
        }
        if counted > settings.blue_within_working_days {
            return Ok(false);
        }
        if current >= due {
            return Ok(true);
        }
        current = current.next();
    }
}

/// The light of a target today; `None` when it is done or on track.
pub fn target_light(
    state: TargetState,
    today: Day,
    calendar: &WorkingDays,
    settings: LightSettings,
) -> Result<Option<Light>, CalendarError> {
    let achieved = state.achieved.unwrap_or(0.0);
    if achieved >= state.planned {
        return Ok(None);
    }
    if today > state.due {
        return Ok(Some(Light::Red));
    }
    let behind = behind_schedule(achieved, state.planned, state.start, state.due, today);
    if state.returned || behind {
        return Ok(Some(Light::Yellow));
    }
    Ok(due_soon(state.due, today, calendar, settings)?.then_some(Light::Blue))
}

/// The light of a milestone today, from its latest reviewed status (`None`: never reviewed)
/// and whether the latest report on it was returned; `None` when it is met or on track.
pub fn milestone_light(
    due: Day,
    status: Option<MilestoneStatus>,
    returned: bool,
    today: Day,
    calendar: &WorkingDays,
    settings: LightSettings,
) -> Result<Option<Light>, CalendarError> {
    if status == Some(MilestoneStatus::Met) && !returned {
        return Ok(None);
    }
    if today > due {
        return Ok(Some(Light::Red));
    }
    let behind = matches!(
        status,
        Some(MilestoneStatus::NotMet | MilestoneStatus::PartiallyMet)
    );
    if returned || behind {
        return Ok(Some(Light::Yellow));
    }
    Ok(due_soon(due, today, calendar, settings)?.then_some(Light::Blue))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn target(achieved: Option<f64>) -> TargetState {
        TargetState {
            start: day("2021-01-01"),
            due: day("2021-12-31"),
            planned: 365.0,
            achieved,
            returned: false,
        }
    }

    #[test]
    fn a_target_turns_red_the_day_after_it_is_due_not_on_the_day() {
        let calendar = WorkingDays::shipped();
        let settings = LightSettings::default();
        let light = |today: &str, achieved| {
            target_light(target(achieved), day(today), &calendar, settings).unwrap()
        };
        assert_eq!(
            light("2021-12-31", Some(364.0)),
            Some(Light::Yellow),
            "due today: behind"
        );
        assert_eq!(light("2022-01-01", Some(364.0)), Some(Light::Red));
        assert_eq!(light("2022-01-01", Some(365.0)), None, "done is done");
        assert_eq!(light("2022-06-01", Some(400.0)), None);
    }

    #[test]
    fn yellow_is_below_the_pro_rata_share_and_equal_is_on_track() {
        let calendar = WorkingDays::shipped();
        let settings = LightSettings::default();
        // 2021-07-02 is 182 days after 1 January, of 364: half the year, half the work.
        assert!(
            (planned_share(day("2021-01-01"), day("2021-12-31"), day("2021-07-02")) - 0.5).abs()
                < 1e-12
        );
        let light = |achieved| {
            target_light(target(achieved), day("2021-07-02"), &calendar, settings).unwrap()
        };
        assert_eq!(light(Some(182.5)), None, "exactly on schedule");
        assert_eq!(light(Some(182.4)), Some(Light::Yellow));
        assert_eq!(
            light(None),
            Some(Light::Yellow),
            "nothing reported is nothing done"
        );
        let returned = TargetState {
            returned: true,
            ..target(Some(300.0))
        };
        assert_eq!(
            target_light(returned, day("2021-07-02"), &calendar, settings).unwrap(),
            Some(Light::Yellow),
            "returned for poor quality"
        );
    }

    #[test]
    fn blue_counts_working_days_under_the_holiday_notice() {
        let calendar = WorkingDays::shipped();
        let settings = LightSettings {
            blue_within_working_days: 3,
        };
        // Due Friday 8 October 2021, after the National Day week (1–7 October off; Saturday
        // 9 October worked). On Thursday 30 September the working days left are 30 September
        // and 8 October: two, within three.
        let due = day("2021-10-08");
        let on_track = TargetState {
            start: day("2021-01-01"),
            due,
            planned: 10.0,
            achieved: Some(9.99),
            returned: false,
        };
        let light = |today: &str| target_light(on_track, day(today), &calendar, settings).unwrap();
        assert_eq!(light("2021-09-30"), Some(Light::Blue));
        // Monday 27 September: 27, 28, 29, 30 September and 8 October are five.
        assert_eq!(light("2021-09-27"), None);
        // Wednesday 29 September: 29, 30 and 8 October, exactly three.
        assert_eq!(light("2021-09-29"), Some(Light::Blue));
        assert_eq!(light("2021-09-28"), None, "four left");
    }

    #[test]
    fn a_deadline_in_a_year_without_a_notice_is_refused() {
        let calendar = WorkingDays::shipped();
        let far = TargetState {
            start: day("2026-01-01"),
            due: day("2027-03-31"),
            planned: 10.0,
            achieved: Some(10.0 * 0.99),
            returned: false,
        };
        assert!(target_light(far, day("2026-12-31"), &calendar, LightSettings::default()).is_err());
    }

    #[test]
    fn a_milestone_is_red_when_overdue_yellow_when_reviewed_short_and_clear_when_met() {
        let calendar = WorkingDays::shipped();
        let settings = LightSettings::default();
        let due = day("2021-06-30");
        let light = |status, returned, today: &str| {
            milestone_light(due, status, returned, day(today), &calendar, settings).unwrap()
        };
        assert_eq!(light(Some(MilestoneStatus::Met), false, "2021-07-15"), None);
        assert_eq!(
            light(Some(MilestoneStatus::Met), true, "2021-06-01"),
            Some(Light::Yellow)
        );
        assert_eq!(light(None, false, "2021-07-01"), Some(Light::Red));
        assert_eq!(
            light(Some(MilestoneStatus::PartiallyMet), false, "2021-05-10"),
            Some(Light::Yellow)
        );
        assert_eq!(
            light(Some(MilestoneStatus::Scheduled), false, "2021-05-10"),
            None
        );
        assert_eq!(
            light(Some(MilestoneStatus::Scheduled), false, "2021-06-28"),
            Some(Light::Blue)
        );
        assert!(Light::Red > Light::Yellow && Light::Yellow > Light::Blue);
    }
}
