//! The joint meetings of `minxin bench advancement`: meetings of fifty action items each,
//! spread over the current year and the projects, written through the store as the office
//! writes them (convened, minutes signed, audited); one item in five reported done, the rest
//! open on the board, some overdue and some not yet due.

use anyhow::{anyhow, Result};
use indicatif::ProgressBar;
use minxin_domain::advancement::meeting::{
    AgendaItem, Attendee, MeetingCall, MeetingMinutes, NewActionItem, NewMeetingDecision,
};
use minxin_domain::platform::{Attribution, MeetingStore};
use minxin_storage::AnyStore;

/// Action items set by each generated meeting.
pub const ACTIONS_PER_MEETING: usize = 50;

/// Writes meetings holding `action_items` action items in all (in meetings of
/// [`ACTIONS_PER_MEETING`]) on the `projects` generated projects, in `year`, each owned by its
/// project's lead department (`lead_of`); returns how many meetings were written.
pub async fn build_meetings(
    store: &AnyStore,
    projects: usize,
    action_items: usize,
    year: i32,
    lead_of: impl Fn(usize) -> String,
    by: impl Fn() -> Attribution,
    progress: &ProgressBar,
) -> Result<usize> {
    let meetings = action_items.div_ceil(ACTIONS_PER_MEETING);
    let projects = projects.max(1);
    for m in 0..meetings {
        // Held on the 10th of a month from January to June; due within the year.
        let month = m % 6 + 1;
        let held_on = format!("{year}-{month:02}-10");
        let first = m * ACTIONS_PER_MEETING;
        let count = ACTIONS_PER_MEETING.min(action_items - first);
        let project_of = |k: usize| (first + k) % projects;
        let call = MeetingCall {
            title: format!("{year}年第{}次联席会议（示例）", m + 1),
            held_on: held_on.clone(),
            venue: String::new(),
            chair: "副秘书长（示例）".into(),
            attendees: (0..4)
                .map(|k| Attendee {
                    unit: lead_of(project_of(k)),
                    person: "处长（示例）".into(),
                })
                .collect(),
            agenda: vec![AgendaItem {
                project: Some(format!("bench-{:04}", project_of(0))),
                topic: "推进情况".into(),
            }],
        };
        let meeting = store
            .convene_meeting(&call, &by())
            .await
            .map_err(|e| anyhow!("convening meeting {}: {e}", m + 1))?;
        let actions = (0..count)
            .map(|k| {
                let due_month = (month + 1 + k % 6).min(12);
                NewActionItem {
                    project: format!("bench-{:04}", project_of(k)),
                    department: lead_of(project_of(k)),
                    title: format!("督办事项{}（示例）", k + 1),
                    due: format!("{year}-{due_month:02}-{:02}", 1 + k % 28),
                }
            })
            .collect();
        let minutes = MeetingMinutes {
            minutes: "会议听取了推进情况汇报（示例）。".into(),
            decisions: vec![NewMeetingDecision {
                project: None,
                text: "按期完成督办事项（示例）。".into(),
                supersedes: None,
            }],
            actions,
        };
        store
            .record_minutes(meeting.id, &minutes, "主任（示例）", &by())
            .await
            .map_err(|e| anyhow!("the minutes of meeting {}: {e}", m + 1))?;
        for number in (1..=count).step_by(5) {
            store
                .complete_action(meeting.id, number as i64, "已完成（示例）。", &by())
                .await
                .map_err(|e| anyhow!("action item {number} of meeting {}: {e}", m + 1))?;
        }
        progress.inc(count as u64);
    }
    progress.finish();
    Ok(meetings)
}
