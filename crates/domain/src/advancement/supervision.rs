//! The items under supervision as storage keeps them: each target part and milestone of a
//! letter with what its latest report says, so the board, a district's page and a
//! department's view read one row per item instead of every report on it.
//!
//! Storage writes a letter's items when it is issued and keeps their latest state up to date
//! as reports arrive (the parts a new report speaks of, [`parts_of`], replace older states; a
//! returned report's parts are worked out again from the letter's reports by
//! [`latest_parts`]). Today's light is computed from the row ([`CommitmentState::light`]),
//! never by scanning reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::letter::LetterStatus;
use super::lights::{milestone_light, target_light, Light, LightSettings, TargetState};
use super::progress::{MilestoneStatus, Month, ProgressReport, ReportStatus};
use crate::calendar::{CalendarError, Day, WorkingDays};
use crate::organisation::ProjectPart;

/// What an item under supervision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A quantified target of the task book, or a district's share of one.
    Target,
    /// A milestone of the timetable.
    Milestone,
    /// An action item of a joint meeting, owned by a department and due on a date; done
    /// when the department reports it done (its status then reads `met`).
    Action,
}

impl ItemKind {
    /// Its stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Target => "target",
            ItemKind::Milestone => "milestone",
            ItemKind::Action => "action",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<ItemKind> {
        [ItemKind::Target, ItemKind::Milestone, ItemKind::Action]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// What the latest report says of one part: a row of the latest-state table.
#[derive(Debug, Clone, PartialEq)]
pub struct PartState {
    /// A target or a milestone.
    pub kind: ItemKind,
    /// Its code in the letter.
    pub item: String,
    /// The district whose share of a target this is.
    pub district: Option<String>,
    /// The cumulative figure (targets).
    pub achieved: Option<f64>,
    /// The status as reviewed (milestones).
    pub milestone_status: Option<MilestoneStatus>,
    /// The month of the report it comes from.
    pub month: String,
    /// The report it comes from.
    pub report: i64,
}

impl PartState {
    /// Whether this state is newer than `other`: a later month, or a later report of the same.
    pub fn is_newer_than(&self, other: &PartState) -> bool {
        (self.month.as_str(), self.report) > (other.month.as_str(), other.report)
    }
}

/// The parts `report` speaks of: nothing when it was returned or is for a month after its
/// letter's year (neither counts).
pub fn parts_of(report: &ProgressReport) -> Vec<PartState> {
    let through = Month {
        year: report.year,
        month: 12,
    };
    let counts = report.status != ReportStatus::Returned
        && Month::parse(&report.month).is_some_and(|month| month <= through);
    if !counts {
        return Vec::new();
    }
    let targets = report.content.targets.iter().map(|part| PartState {
        kind: ItemKind::Target,
        item: part.target.clone(),
        district: part.district.clone(),
        achieved: Some(part.achieved),
        milestone_status: None,
        month: report.month.clone(),
        report: report.id,
    });
    let milestones = report.content.milestones.iter().map(|part| PartState {
        kind: ItemKind::Milestone,
        item: part.milestone.clone(),
        district: None,
        achieved: None,
        milestone_status: Some(part.status),
        month: report.month.clone(),
        report: report.id,
    });
    targets.chain(milestones).collect()
}

/// The latest state of every part of a letter from all of its reports: the table's rows for
/// the letter worked out again (after a report is returned).
pub fn latest_parts(reports: &[ProgressReport]) -> Vec<PartState> {
    let mut latest: BTreeMap<(ItemKind, String, Option<String>), PartState> = BTreeMap::new();
    for part in reports.iter().flat_map(parts_of) {
        let key = (part.kind, part.item.clone(), part.district.clone());
        if latest
            .get(&key)
            .is_none_or(|known| part.is_newer_than(known))
        {
            latest.insert(key, part);
        }
    }
    latest.into_values().collect()
}

/// Which items to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemQuery {
    /// One project's items only.
    pub project: Option<String>,
    /// Only the items this unit owns (a district for its shares and milestones).
    pub owner: Option<String>,
    /// Only the items of signed letters (the board); otherwise issued ones too.
    pub signed_only: bool,
    /// Only the items not yet done (a target short of its quantity, a milestone not met).
    pub open_only: bool,
    /// Only the items of the projects this department leads or takes part in.
    pub department: Option<String>,
    /// With [`ItemQuery::department`]: only the projects it has this part in (as a role held
    /// for the department sees them).
    pub department_part: Option<ProjectPart>,
}

/// Today and the last day of the blue window, as a store needs them to light items itself:
/// an item due on or before `blue_until` (and not before today) is due soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightClock {
    /// Today.
    pub today: Day,
    /// The last day whose deadline is within the window's working days (today counted when
    /// it is one): the day before the next working day beyond the window.
    pub blue_until: Day,
}

impl LightClock {
    /// The clock for `today`; an error when the window reaches a year without a notice.
    pub fn new(
        today: Day,
        calendar: &WorkingDays,
        settings: LightSettings,
    ) -> Result<LightClock, CalendarError> {
        let mut counted = 0;
        let mut current = today;
        loop {
            if calendar.is_working_day(current)? {
                counted += 1;
                if counted > settings.blue_within_working_days {
                    return Ok(LightClock {
                        today,
                        blue_until: current.previous(),
                    });
                }
            }
            current = current.next();
        }
    }
}

/// How many items show each light.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LightCounts {
    /// Overdue.
    pub red: usize,
    /// Behind or returned.
    pub yellow: usize,
    /// Due soon.
    pub blue: usize,
    /// On track.
    pub on_track: usize,
}

impl LightCounts {
    /// Counts one more item with `light`.
    pub fn add(&mut self, light: Option<Light>) {
        match light {
            Some(Light::Red) => self.red += 1,
            Some(Light::Yellow) => self.yellow += 1,
            Some(Light::Blue) => self.blue += 1,
            None => self.on_track += 1,
        }
    }

    /// All the items counted.
    pub fn total(&self) -> usize {
        self.red + self.yellow + self.blue + self.on_track
    }
}

/// A part of the board a store lights itself: the open items of signed letters `items`
/// selects, of projects led by `lead` and with the light `light` (`Some(None)`: on track),
/// worst first, `limit` of them from `offset` on.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardQuery {
    /// Which items (the store reads signed letters' open items whatever this says).
    pub items: ItemQuery,
    /// Only projects this department leads.
    pub lead: Option<String>,
    /// Only items with this light.
    pub light: Option<Option<Light>>,
    /// Today and the blue window.
    pub clock: LightClock,
    /// How many of the sorted items to skip.
    pub offset: usize,
    /// How many to return at most.
    pub limit: usize,
}

/// What a store returns for a [`BoardQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct BoardSlice {
    /// The lights of every item matching (not only those returned).
    pub counts: LightCounts,
    /// The items asked for, worst light first, then by due date and project, with their light.
    pub items: Vec<(CommitmentState, Option<Light>)>,
}

/// The rank a store sorts a light by: 3 red, 2 yellow, 1 blue, 0 on track.
pub fn light_rank(light: Option<Light>) -> i64 {
    match light {
        Some(Light::Red) => 3,
        Some(Light::Yellow) => 2,
        Some(Light::Blue) => 1,
        None => 0,
    }
}

/// The light of rank `rank` (see [`light_rank`]).
pub fn light_of_rank(rank: i64) -> Option<Light> {
    match rank {
        3 => Some(Light::Red),
        2 => Some(Light::Yellow),
        1 => Some(Light::Blue),
        _ => None,
    }
}

/// One item of a letter with its latest state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentState {
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// Where the letter stands.
    pub letter_status: LetterStatus,
    /// A target or a milestone.
    pub kind: ItemKind,
    /// Its code in the letter.
    pub item: String,
    /// The district whose share of a target this is.
    pub district: Option<String>,
    /// The unit that owns it (the district for a share).
    pub owner: String,
    /// The project's lead department.
    pub lead: String,
    /// Its title in Chinese.
    pub title_zh: String,
    /// Its title in English.
    pub title_en: String,
    /// A target's unit of measure, in Chinese; empty for a milestone.
    pub measure_zh: String,
    /// A milestone's OC4IDS `milestoneType`; empty for a target.
    pub milestone_type: String,
    /// A milestone's responsible person; empty for a target.
    pub person: String,
    /// When it is due (`YYYY-MM-DD`).
    pub due: String,
    /// What is planned (targets).
    pub planned: Option<f64>,
    /// The latest cumulative figure reported (targets; `None` when nothing is reported).
    pub achieved: Option<f64>,
    /// The latest status reviewed (milestones; `None` when never reported).
    pub milestone_status: Option<MilestoneStatus>,
    /// The owner's latest report was returned.
    pub returned: bool,
}

impl CommitmentState {
    /// Whether it is done: a target reaching its quantity, a milestone met (and not since
    /// returned).
    pub fn done(&self) -> bool {
        match self.kind {
            ItemKind::Target => self
                .achieved
                .zip(self.planned)
                .is_some_and(|(achieved, planned)| achieved >= planned),
            ItemKind::Milestone => {
                self.milestone_status == Some(MilestoneStatus::Met) && !self.returned
            }
            ItemKind::Action => self.milestone_status == Some(MilestoneStatus::Met),
        }
    }

    /// Its light `today` (a target's schedule runs from the first day of its letter's year);
    /// `None` when done or on track; an error when the calendar cannot tell (no holiday notice
    /// for a year the count reaches) or the due date is unreadable.
    pub fn light(
        &self,
        today: Day,
        calendar: &WorkingDays,
        settings: LightSettings,
    ) -> Result<Option<Light>, CalendarError> {
        let due =
            Day::parse(&self.due).ok_or_else(|| CalendarError::UnreadableDate(self.due.clone()))?;
        match self.kind {
            ItemKind::Target => {
                let first = format!("{}-01-01", self.year);
                let start = Day::parse(&first).ok_or(CalendarError::UnreadableDate(first))?;
                target_light(
                    TargetState {
                        start,
                        due,
                        planned: self.planned.unwrap_or(0.0),
                        achieved: self.achieved,
                        returned: self.returned,
                    },
                    today,
                    calendar,
                    settings,
                )
            }
            ItemKind::Milestone | ItemKind::Action => milestone_light(
                due,
                self.milestone_status,
                self.returned,
                today,
                calendar,
                settings,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advancement::progress::{MilestoneReport, ReportContent, TargetReport};

    fn report(id: i64, month: &str, status: ReportStatus, achieved: f64) -> ProgressReport {
        ProgressReport {
            id,
            project: "elevators".into(),
            year: 2021,
            month: month.into(),
            unit: "310104".into(),
            status,
            content: ReportContent {
                targets: vec![TargetReport {
                    target: "T1".into(),
                    district: Some("310104".into()),
                    achieved,
                }],
                milestones: vec![MilestoneReport {
                    milestone: "M1".into(),
                    status: MilestoneStatus::PartiallyMet,
                }],
                ..ReportContent::default()
            },
            submitted_by: "a".into(),
            submitted_at_ms: 0,
            reviewed_by: None,
            reviewed_at_ms: None,
            decided_by: None,
            decided_at_ms: None,
            return_reason: String::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn the_latest_counting_report_sets_each_part_and_a_returned_one_is_skipped() {
        let reports = [
            report(1, "2021-03", ReportStatus::Accepted, 5.0),
            report(4, "2021-05", ReportStatus::Returned, 9.0),
            report(3, "2021-04", ReportStatus::Submitted, 7.0),
            report(2, "2021-03", ReportStatus::Reviewed, 6.0),
            report(5, "2022-01", ReportStatus::Submitted, 11.0),
        ];
        let latest = latest_parts(&reports);
        assert_eq!(latest.len(), 2, "one target share and one milestone");
        let target = latest.iter().find(|p| p.kind == ItemKind::Target).unwrap();
        assert_eq!((target.achieved, target.report), (Some(7.0), 3));
        assert_eq!(target.district.as_deref(), Some("310104"));
        assert!(parts_of(&reports[1]).is_empty(), "returned");
        assert!(parts_of(&reports[4]).is_empty(), "after the letter's year");
        assert!(parts_of(&reports[0])[0].is_newer_than(&PartState {
            month: "2021-02".into(),
            report: 9,
            ..parts_of(&reports[0])[0].clone()
        }));
    }

    #[test]
    fn an_item_is_done_when_reached_or_met_and_not_returned() {
        let mut item = CommitmentState {
            project: "elevators".into(),
            year: 2021,
            letter_status: LetterStatus::Accepted,
            kind: ItemKind::Target,
            item: "T1".into(),
            district: None,
            owner: "housing".into(),
            lead: "housing".into(),
            title_zh: "加装电梯".into(),
            title_en: "Elevators".into(),
            measure_zh: "台".into(),
            milestone_type: String::new(),
            person: String::new(),
            due: "2021-12-31".into(),
            planned: Some(10.0),
            achieved: None,
            milestone_status: None,
            returned: false,
        };
        let calendar = WorkingDays::shipped();
        let settings = LightSettings::default();
        let today = Day::parse("2021-07-01").unwrap();
        assert!(!item.done());
        assert_eq!(
            item.light(today, &calendar, settings).unwrap(),
            Some(Light::Yellow),
            "nothing reported at mid-year is behind"
        );
        item.achieved = Some(10.0);
        assert!(item.done());
        assert_eq!(item.light(today, &calendar, settings).unwrap(), None);
        item.kind = ItemKind::Milestone;
        item.milestone_status = Some(MilestoneStatus::Met);
        assert!(item.done());
        item.returned = true;
        assert!(!item.done(), "met, but its latest report was returned");
        assert_eq!(
            item.light(today, &calendar, settings).unwrap(),
            Some(Light::Yellow)
        );
        item.due = "2021-13-01".into();
        assert!(item.light(today, &calendar, settings).is_err());
    }
}
