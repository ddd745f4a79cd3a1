//! Joint meetings (联席会议): convened by the coordination office with the units and people
//! attending and an agenda whose items name the projects they are about; once held, its
//! minutes are recorded and signed with the meeting's decisions and action items, and never
//! edited. A decision is only ever superseded, by a decision of a later meeting that names it.
//! Each action item has an owning department and a due date and is tracked on the supervision
//! board like a commitment; after the meeting each department gets its follow-up list.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::problem::Problem;

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Convened: the call (date, attendees, agenda) is out, the minutes are not yet recorded.
    Convened,
    /// Held: the minutes, decisions and action items are recorded and signed.
    Minuted,
}

impl MeetingStatus {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            MeetingStatus::Convened => "convened",
            MeetingStatus::Minuted => "minuted",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<MeetingStatus> {
        [MeetingStatus::Convened, MeetingStatus::Minuted]
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            MeetingStatus::Convened => ("已通知召开，待录入纪要", "Convened, minutes to come"),
            MeetingStatus::Minuted => ("纪要已签发", "Minutes signed"),
        }
    }
}

/// A unit attending, with the person who attends for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    /// The unit's code (a department or a district).
    pub unit: String,
    /// The person attending for it.
    pub person: String,
}

/// An item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// The project it is about, by code (none for a general item).
    #[serde(default)]
    pub project: Option<String>,
    /// What is to be discussed.
    pub topic: String,
}

/// The office's call to a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingCall {
    /// Its title (`2021年第三次民心工程联席会议`).
    pub title: String,
    /// The day it is held (ISO date).
    pub held_on: String,
    /// Where.
    #[serde(default)]
    pub venue: String,
    /// Who chairs it.
    pub chair: String,
    /// The units and people attending.
    pub attendees: Vec<Attendee>,
    /// The agenda, in order.
    pub agenda: Vec<AgendaItem>,
}

/// A decision to record with the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeetingDecision {
    /// The project it is about (none for a general decision).
    #[serde(default)]
    pub project: Option<String>,
    /// What was decided.
    pub text: String,
    /// The earlier decision it replaces (a decision of an earlier meeting, still in force).
    #[serde(default)]
    pub supersedes: Option<DecisionRef>,
}

/// A meeting's decision named by its meeting and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRef {
    /// The meeting's number.
    pub meeting: i64,
    /// The decision's number in its meeting, from 1.
    pub number: i64,
}

/// An action item to record with the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewActionItem {
    /// The project it advances.
    pub project: String,
    /// The department that owns it.
    pub department: String,
    /// What must be done.
    pub title: String,
    /// By when (ISO date).
    pub due: String,
}

/// What is recorded once the meeting is held: the minutes with the decisions and the action
/// items, signed by the responsible person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingMinutes {
    /// The minutes (纪要), as text.
    pub minutes: String,
    /// The decisions, in order.
    #[serde(default)]
    pub decisions: Vec<NewMeetingDecision>,
    /// The action items, in order.
    #[serde(default)]
    pub actions: Vec<NewActionItem>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDecision {
    /// Its number in the meeting, from 1.
    pub number: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub decision: NewMeetingDecision,
    /// The later decision that replaces it, if any.
    pub superseded_by: Option<DecisionRef>,
}

/// How an action item was completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The account that reported it done.
    pub by: String,
    /// When.
    pub at_ms: i64,
    /// What was done.
    pub note: String,
}

/// A recorded action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    /// Its number in the meeting, from 1.
    pub number: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub action: NewActionItem,
    /// Its code on the supervision board ([`action_code`]).
    pub code: String,
    /// Its completion, once the owning department reports it done.
    pub completed: Option<Completion>,
}

/// A joint meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its number.
    pub id: i64,
    /// The call.
    #[serde(flatten)]
    pub call: MeetingCall,
    /// Where it stands.
    pub status: MeetingStatus,
    /// The account that convened it.
    pub convened_by: String,
    /// When.
    pub convened_at_ms: i64,
    /// The minutes (empty until recorded).
    pub minutes: String,
    /// The account that signed the minutes.
    pub signed_by: Option<String>,
    /// Their name as shown.
    pub signed_by_name: Option<String>,
    /// When.
    pub signed_at_ms: Option<i64>,
    /// Its decisions.
    pub decisions: Vec<MeetingDecision>,
    /// Its action items.
    pub actions: Vec<ActionItem>,
}

impl Meeting {
    /// The action items each department owns, by department and then by due date: the
    /// follow-up lists sent after the meeting.
    pub fn follow_up(&self) -> BTreeMap<&str, Vec<&ActionItem>> {
        let mut lists: BTreeMap<&str, Vec<&ActionItem>> = BTreeMap::new();
        for action in &self.actions {
            lists
                .entry(action.action.department.as_str())
                .or_default()
                .push(action);
        }
        for list in lists.values_mut() {
            list.sort_by(|a, b| (&a.action.due, a.number).cmp(&(&b.action.due, b.number)));
        }
        lists
    }
}

/// The code an action item carries on the supervision board (`J3-2`: meeting 3, item 2),
/// unique among the items of its project and year.
pub fn action_code(meeting: i64, number: i64) -> String {
    format!("J{meeting}-{number}")
}

/// The meeting and number an action item's board code names (the inverse of
/// [`action_code`]).
pub fn action_of_code(code: &str) -> Option<(i64, i64)> {
    let (meeting, number) = code.strip_prefix('J')?.split_once('-')?;
    Some((meeting.parse().ok()?, number.parse().ok()?))
}

/// Where an item of the board is kept: a meeting's record for an action item, its letter's
/// progress page otherwise.
pub fn item_page(kind: &str, project: &str, year: i32, item: &str) -> String {
    match action_of_code(item).filter(|_| kind == "action") {
        Some((meeting, _)) => format!("/meetings/{meeting}"),
        None => format!("/projects/{project}/letters/{year}/progress"),
    }
}

/// What the checks of a call or minutes need to know of the city.
pub struct Known<'a> {
    /// The codes of the projects in the register.
    pub projects: &'a HashSet<String>,
    /// The codes of the units of the organisation.
    pub units: &'a HashSet<String>,
}

/// A problem with a field.
fn problem(field: String, zh: String, en: String) -> Problem {
    Problem::new(field, zh, en)
}

/// The problems of a call: a title, a chair, a date, at least one attendee and one agenda
/// item, and every unit and project known.
pub fn call_problems(call: &MeetingCall, known: &Known) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, value, zh) in [
        ("title", &call.title, "请填写会议名称。"),
        ("chair", &call.chair, "请填写会议主持人。"),
    ] {
        if value.trim().is_empty() {
            problems.push(problem(
                field.into(),
                zh.into(),
                format!("{field} is empty"),
            ));
        }
    }
    if Day::parse(call.held_on.trim()).is_none() {
        problems.push(problem(
            "held_on".into(),
            format!("“{}”不是日期（例如 2021-06-18）。", call.held_on),
            format!("{:?} is not a date such as 2021-06-18", call.held_on),
        ));
    }
    if call.attendees.is_empty() {
        problems.push(problem(
            "attendees".into(),
            "请列出参会单位。".into(),
            "a meeting has attendees".into(),
        ));
    }
    for (row, attendee) in call.attendees.iter().enumerate() {
        if !known.units.contains(attendee.unit.trim()) {
            problems.push(problem(
                format!("attendees[{}].unit", row + 1),
                format!(
                    "第{}位参会者的单位“{}”不在组织架构中。",
                    row + 1,
                    attendee.unit
                ),
                format!("attendee {}: no unit {:?}", row + 1, attendee.unit),
            ));
        }
    }
    if call.agenda.is_empty() {
        problems.push(problem(
            "agenda".into(),
            "请列出会议议题。".into(),
            "a meeting has an agenda".into(),
        ));
    }
    for (row, item) in call.agenda.iter().enumerate() {
        let field = format!("agenda[{}]", row + 1);
        if item.topic.trim().is_empty() {
            problems.push(problem(
                format!("{field}.topic"),
                format!("第{}项议题没有内容。", row + 1),
                format!("agenda item {} has no topic", row + 1),
            ));
        }
        project_problem(&mut problems, &field, item.project.as_deref(), known, row);
    }
    problems
}

/// The problem of naming a project not in the register, if it is one.
fn project_problem(
    problems: &mut Vec<Problem>,
    field: &str,
    project: Option<&str>,
    known: &Known,
    row: usize,
) {
    if let Some(code) = project.filter(|code| !known.projects.contains(code.trim())) {
        problems.push(problem(
            format!("{field}.project"),
            format!("第{}行的项目“{code}”不在项目库中。", row + 1),
            format!("row {}: no project {code:?} in the register", row + 1),
        ));
    }
}

/// The problems of the minutes of the meeting held on `held_on`: minutes written, each
/// decision and action item complete, each action item owned by a known unit and due on
/// a day after the meeting.
pub fn minutes_problems(minutes: &MeetingMinutes, held_on: Day, known: &Known) -> Vec<Problem> {
    let mut problems = Vec::new();
    if minutes.minutes.trim().is_empty() {
        problems.push(problem(
            "minutes".into(),
            "请填写会议纪要。".into(),
            "the minutes are empty".into(),
        ));
    }
    for (row, decision) in minutes.decisions.iter().enumerate() {
        let field = format!("decisions[{}]", row + 1);
        if decision.text.trim().is_empty() {
            problems.push(problem(
                format!("{field}.text"),
                format!("第{}项决定没有内容。", row + 1),
                format!("decision {} has no text", row + 1),
            ));
        }
        project_problem(
            &mut problems,
            &field,
            decision.project.as_deref(),
            known,
            row,
        );
    }
    for (row, action) in minutes.actions.iter().enumerate() {
        let field = format!("actions[{}]", row + 1);
        if action.title.trim().is_empty() {
            problems.push(problem(
                format!("{field}.title"),
                format!("第{}项督办事项没有内容。", row + 1),
                format!("action item {} has no title", row + 1),
            ));
        }
        project_problem(
            &mut problems,
            &field,
            Some(action.project.as_str()),
            known,
            row,
        );
        if !known.units.contains(action.department.trim()) {
            problems.push(problem(
                format!("{field}.department"),
                format!(
                    "第{}项督办事项的责任单位“{}”不在组织架构中。",
                    row + 1,
                    action.department
                ),
                format!("action item {}: no unit {:?}", row + 1, action.department),
            ));
        }
        match Day::parse(action.due.trim()) {
            None => problems.push(problem(
                format!("{field}.due"),
                format!(
                    "第{}项督办事项的完成时限“{}”不是日期。",
                    row + 1,
                    action.due
                ),
                format!("action item {}: {:?} is not a date", row + 1, action.due),
            )),
            Some(due) if due <= held_on => problems.push(problem(
                format!("{field}.due"),
                format!("第{}项督办事项的完成时限应在会议之后。", row + 1),
                format!("action item {} is due after the meeting", row + 1),
            )),
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> (HashSet<String>, HashSet<String>) {
        (
            ["elevators".to_string()].into(),
            ["housing".to_string(), "310104".to_string()].into(),
        )
    }

    fn call() -> MeetingCall {
        MeetingCall {
            title: "第三次联席会议".into(),
            held_on: "2021-06-18".into(),
            venue: String::new(),
            chair: "王主任".into(),
            attendees: vec![Attendee {
                unit: "housing".into(),
                person: "李处长".into(),
            }],
            agenda: vec![AgendaItem {
                project: Some("elevators".into()),
                topic: "加装电梯进度".into(),
            }],
        }
    }

    fn action(department: &str, due: &str) -> NewActionItem {
        NewActionItem {
            project: "elevators".into(),
            department: department.into(),
            title: "完成审批".into(),
            due: due.into(),
        }
    }

    #[test]
    fn a_call_names_known_units_and_projects() {
        let (projects, units) = known();
        let known = Known {
            projects: &projects,
            units: &units,
        };
        assert!(call_problems(&call(), &known).is_empty());
        let mut wrong = call();
        wrong.held_on = "六月".into();
        wrong.attendees[0].unit = "nowhere".into();
        wrong.agenda[0].project = Some("parks".into());
        let fields: Vec<String> = call_problems(&wrong, &known)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            ["held_on", "attendees[1].unit", "agenda[1].project"]
        );
    }

    #[test]
    fn action_items_are_owned_and_due_after_the_meeting() {
        let (projects, units) = known();
        let known = Known {
            projects: &projects,
            units: &units,
        };
        let held_on = Day::parse("2021-06-18").unwrap();
        let good = MeetingMinutes {
            minutes: "会议听取了进展汇报。".into(),
            decisions: vec![],
            actions: vec![action("housing", "2021-06-19")],
        };
        assert!(minutes_problems(&good, held_on, &known).is_empty());
        let bad = MeetingMinutes {
            minutes: " ".into(),
            decisions: vec![NewMeetingDecision {
                project: None,
                text: String::new(),
                supersedes: None,
            }],
            actions: vec![action("nobody", "2021-06-18"), action("housing", "下周")],
        };
        let fields: Vec<String> = minutes_problems(&bad, held_on, &known)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "minutes",
                "decisions[1].text",
                "actions[1].department",
                "actions[1].due",
                "actions[2].due"
            ]
        );
    }

    #[test]
    fn the_follow_up_lists_group_by_department_in_due_order() {
        let item = |number: i64, department: &str, due: &str| ActionItem {
            number,
            action: action(department, due),
            code: action_code(4, number),
            completed: None,
        };
        let meeting = Meeting {
            id: 4,
            call: call(),
            status: MeetingStatus::Minuted,
            convened_by: "office".into(),
            convened_at_ms: 0,
            minutes: String::new(),
            signed_by: None,
            signed_by_name: None,
            signed_at_ms: None,
            decisions: vec![],
            actions: vec![
                item(1, "housing", "2021-09-30"),
                item(2, "310104", "2021-07-31"),
                item(3, "housing", "2021-07-15"),
            ],
        };
        let lists = meeting.follow_up();
        let numbers: Vec<(&str, Vec<i64>)> = lists
            .iter()
            .map(|(unit, items)| (*unit, items.iter().map(|a| a.number).collect()))
            .collect();
        assert_eq!(numbers, [("310104", vec![2]), ("housing", vec![3, 1])]);
        assert_eq!(meeting.actions[1].code, "J4-2");
        assert_eq!(action_of_code("J4-2"), Some((4, 2)));
        assert_eq!(action_of_code("t1"), None);
        assert_eq!(
            item_page("action", "elevators", 2021, "J4-2"),
            "/meetings/4"
        );
        assert_eq!(
            item_page("milestone", "elevators", 2021, "J4-2"),
            "/projects/elevators/letters/2021/progress"
        );
        for status in [MeetingStatus::Convened, MeetingStatus::Minuted] {
            assert_eq!(MeetingStatus::from_code(status.code()), Some(status));
        }
    }
}
