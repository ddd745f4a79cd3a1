//! Joint meetings: one row per meeting (its attendees and agenda as JSON, as called), its
//! decisions and action items in tables of their own. The minutes are written once, in the
//! transaction that also writes the decisions, the action items and their rows on the
//! supervision board (kind `action`, lit like a milestone by its due date); a department's
//! report that an item is done takes the row off the board in the same transaction.

use minxin_domain::advancement::meeting::{
    action_code, ActionItem, AgendaItem, Attendee, Completion, DecisionRef, Meeting, MeetingCall,
    MeetingDecision, MeetingMinutes, MeetingStatus, NewActionItem, NewMeetingDecision,
};
use minxin_domain::advancement::supervision::ItemKind;
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::calendar::Day;
use minxin_domain::platform::{Attribution, MeetingStore, StoreError};
use minxin_domain::problem::Problem;
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, Backend};
use crate::{database_error, plain_text};

/// A backend's connection, a transaction's or one taken from the reader.
type Connection<B> = <<B as Backend>::Db as sqlx::Database>::Connection;

/// A row of `meetings`.
#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    title: String,
    held_on: String,
    venue: String,
    chair: String,
    attendees: String,
    agenda: String,
    status: String,
    convened_by: String,
    convened_at_ms: i64,
    minutes: String,
    signed_by: Option<String>,
    signed_by_name: Option<String>,
    signed_at_ms: Option<i64>,
}

impl MeetingRow {
    /// The meeting without its decisions and action items; `None` for a row this version
    /// cannot read.
    fn into_meeting(self) -> Option<Meeting> {
        let attendees: Vec<Attendee> = serde_json::from_str(&self.attendees).ok()?;
        let agenda: Vec<AgendaItem> = serde_json::from_str(&self.agenda).ok()?;
        Some(Meeting {
            id: self.id,
            call: MeetingCall {
                title: self.title,
                held_on: self.held_on,
                venue: self.venue,
                chair: self.chair,
                attendees,
                agenda,
            },
            status: MeetingStatus::from_code(&self.status)?,
            convened_by: self.convened_by,
            convened_at_ms: self.convened_at_ms,
            minutes: self.minutes,
            signed_by: self.signed_by,
            signed_by_name: self.signed_by_name,
            signed_at_ms: self.signed_at_ms,
            decisions: Vec::new(),
            actions: Vec::new(),
        })
    }
}

/// A row of `meeting_decisions`, with the decision that supersedes it.
#[derive(sqlx::FromRow)]
struct DecisionRow {
    meeting: i64,
    number: i64,
    project: Option<String>,
    text: String,
    supersedes_meeting: Option<i64>,
    supersedes_number: Option<i64>,
    superseding_meeting: Option<i64>,
    superseding_number: Option<i64>,
}

/// A row of `meeting_actions`.
#[derive(sqlx::FromRow)]
struct ActionRow {
    meeting: i64,
    number: i64,
    project: String,
    department: String,
    title: String,
    due: String,
    completed_by: Option<String>,
    completed_at_ms: Option<i64>,
    completion_note: String,
}

/// The reference a pair of nullable columns makes.
fn reference(meeting: Option<i64>, number: Option<i64>) -> Option<DecisionRef> {
    Some(DecisionRef {
        meeting: meeting?,
        number: number?,
    })
}

/// A refusal explained in both languages.
fn declined(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Declined(Problem::new("meeting", zh, en))
}

/// The meeting as the audit trail records a step.
fn recorded(meeting: &Meeting) -> String {
    serde_json::to_string(meeting).expect("a meeting serialises")
}

/// The condition choosing one meeting (`$1`) or all (`only` 0, `$1` then compared with
/// itself): two statements, each planned for what it asks (one meeting is read by its key).
fn one_or_all(only: i64, column: &str) -> String {
    if only == 0 {
        "$1 = $1".to_string()
    } else {
        format!("{column} = $1")
    }
}

port!(MeetingStore {
    async fn meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        let mut connection = self.reader.acquire().await.map_err(database_error)?;
        Self::meetings_in(&mut connection, 0).await
    }

    async fn meeting(&self, id: i64) -> Result<Meeting, StoreError> {
        let mut connection = self.reader.acquire().await.map_err(database_error)?;
        Self::meeting_in(&mut connection, id).await
    }

    async fn convene_meeting(&self, call: &MeetingCall, by: &Attribution) -> Result<Meeting, StoreError> {
        let attendees = serde_json::to_string(&call.attendees).expect("attendees serialise");
        let agenda = serde_json::to_string(&call.agenda).expect("an agenda serialises");
        plain_text(&[
            ("title", &call.title),
            ("held_on", &call.held_on),
            ("venue", &call.venue),
            ("chair", &call.chair),
            ("attendees", &attendees),
            ("agenda", &agenda),
        ])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO meetings (title, held_on, venue, chair, attendees, agenda, status, convened_by, convened_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(call.title.trim())
        .bind(call.held_on.trim())
        .bind(call.venue.trim())
        .bind(call.chair.trim())
        .bind(&attendees)
        .bind(&agenda)
        .bind(MeetingStatus::Convened.code())
        .bind(&by.actor)
        .bind(by.at_ms)
        .fetch_one(&mut *transaction)
        .await
        .map_err(database_error)?;
        let meeting = Self::meeting_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::MeetingConvene, &Subject::Meeting(id), None, Some(recorded(&meeting))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(meeting)
    }

    async fn record_minutes(
        &self,
        id: i64,
        minutes: &MeetingMinutes,
        signer_name: &str,
        by: &Attribution,
    ) -> Result<Meeting, StoreError> {
        plain_text(&[("minutes", &minutes.minutes), ("signer_name", signer_name)])?;
        for decision in &minutes.decisions {
            plain_text(&[("decisions.text", &decision.text), ("decisions.project", decision.project.as_deref().unwrap_or(""))])?;
        }
        for action in &minutes.actions {
            plain_text(&[("actions.title", &action.title), ("actions.project", &action.project), ("actions.department", &action.department), ("actions.due", &action.due)])?;
        }
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::meeting_in(&mut transaction, id).await?;
        if before.status != MeetingStatus::Convened {
            return Err(declined(
                "这次会议的纪要已签发，不能修改；如需改变决定，请在以后的会议上作出新决定替代。",
                format!("meeting {id} is minuted already; a later meeting's decision supersedes one of its decisions"),
            ));
        }
        for (number, decision) in (1..).zip(&minutes.decisions) {
            if let Some(replaced) = decision.supersedes {
                Self::check_in_force(&mut transaction, id, replaced).await?;
            }
            Self::insert_decision_in(&mut transaction, id, number, decision).await?;
        }
        let held_on = Day::parse(&before.call.held_on)
            .ok_or_else(|| declined("会议日期无法识别。", format!("meeting {id}'s date is unreadable")))?;
        for (number, action) in (1..).zip(&minutes.actions) {
            Self::insert_action_in(&mut transaction, id, number, action, held_on).await?;
        }
        sqlx::query(
            "UPDATE meetings SET status = $1, minutes = $2, signed_by = $3, signed_by_name = $4, signed_at_ms = $5 WHERE id = $6",
        )
        .bind(MeetingStatus::Minuted.code())
        .bind(minutes.minutes.trim())
        .bind(&by.actor)
        .bind(signer_name)
        .bind(by.at_ms)
        .bind(id)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        let meeting = Self::meeting_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::MeetingMinutes, &Subject::Meeting(id), Some(recorded(&before)), Some(recorded(&meeting))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(meeting)
    }

    async fn complete_action(&self, id: i64, number: i64, note: &str, by: &Attribution) -> Result<Meeting, StoreError> {
        plain_text(&[("note", note)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before = Self::meeting_in(&mut transaction, id).await?;
        let Some(action) = before.actions.iter().find(|a| a.number == number) else {
            return Err(declined(
                format!("这次会议没有第{number}项督办事项。"),
                format!("meeting {id} has no action item {number}"),
            ));
        };
        if action.completed.is_some() {
            return Err(declined("这一督办事项已报告完成。", "the action item is done already"));
        }
        sqlx::query(
            "UPDATE meeting_actions SET completed_by = $1, completed_at_ms = $2, completion_note = $3 \
             WHERE meeting = $4 AND number = $5",
        )
        .bind(&by.actor)
        .bind(by.at_ms)
        .bind(note.trim())
        .bind(id)
        .bind(number)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        sqlx::query(
            "UPDATE supervision_items SET milestone_status = 'met', open = 0 \
             WHERE project = $1 AND kind = $2 AND item = $3 AND district = ''",
        )
        .bind(&action.action.project)
        .bind(ItemKind::Action.code())
        .bind(&action.code)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        let meeting = Self::meeting_in(&mut transaction, id).await?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(by, AuditAction::ActionComplete, &Subject::Meeting(id), Some(recorded(&before)), Some(recorded(&meeting))),
        )
        .await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(meeting)
    }
});

on_each_backend! {
    /// Meeting `id` with its decisions and action items, read on `connection`, or why there
    /// is none.
    async fn meeting_in(connection: &mut Connection<Self>, id: i64) -> Result<Meeting, StoreError> {
        if id == 0 {
            return Err(declined("没有编号为0的会议。", "no meeting 0"));
        }
        Self::meetings_in(connection, id).await?.pop().ok_or_else(|| {
            declined(format!("没有编号为{id}的联席会议。"), format!("no joint meeting {id}"))
        })
    }

    /// Meeting `only` (every meeting for 0), oldest first, with their decisions and action
    /// items, read on `connection`.
    async fn meetings_in(connection: &mut Connection<Self>, only: i64) -> Result<Vec<Meeting>, StoreError> {
        let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
            "SELECT id, title, held_on, venue, chair, attendees, agenda, status, convened_by, convened_at_ms, \
                    minutes, signed_by, signed_by_name, signed_at_ms \
             FROM meetings WHERE {} ORDER BY id",
            one_or_all(only, "id")
        ))
        .bind(only)
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?;
        let mut meetings: Vec<Meeting> = rows.into_iter().filter_map(MeetingRow::into_meeting).collect();
        let decisions: Vec<DecisionRow> = sqlx::query_as(&format!(
            "SELECT d.meeting, d.number, d.project, d.text, d.supersedes_meeting, d.supersedes_number, \
                    later.meeting AS superseding_meeting, later.number AS superseding_number \
             FROM meeting_decisions d LEFT JOIN meeting_decisions later \
                ON later.supersedes_meeting = d.meeting AND later.supersedes_number = d.number \
             WHERE {} ORDER BY d.meeting, d.number",
            one_or_all(only, "d.meeting")
        ))
        .bind(only)
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?;
        let actions: Vec<ActionRow> = sqlx::query_as(&format!(
            "SELECT meeting, number, project, department, title, due, completed_by, completed_at_ms, completion_note \
             FROM meeting_actions WHERE {} ORDER BY meeting, number",
            one_or_all(only, "meeting")
        ))
        .bind(only)
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?;
        let position = |meetings: &[Meeting], id: i64| meetings.binary_search_by_key(&id, |m| m.id).ok();
        for row in decisions {
            if let Some(at) = position(&meetings, row.meeting) {
                meetings[at].decisions.push(MeetingDecision {
                    number: row.number,
                    decision: NewMeetingDecision {
                        project: row.project,
                        text: row.text,
                        supersedes: reference(row.supersedes_meeting, row.supersedes_number),
                    },
                    superseded_by: reference(row.superseding_meeting, row.superseding_number),
                });
            }
        }
        for row in actions {
            if let Some(at) = position(&meetings, row.meeting) {
                let completed = row.completed_by.zip(row.completed_at_ms).map(|(by, at_ms)| Completion {
                    by,
                    at_ms,
                    note: row.completion_note,
                });
                meetings[at].actions.push(ActionItem {
                    number: row.number,
                    code: action_code(row.meeting, row.number),
                    action: NewActionItem {
                        project: row.project,
                        department: row.department,
                        title: row.title,
                        due: row.due,
                    },
                    completed,
                });
            }
        }
        Ok(meetings)
    }

    /// Declined unless `replaced` is a decision of a meeting before `meeting` that no other
    /// decision supersedes yet.
    async fn check_in_force(connection: &mut Connection<Self>, meeting: i64, replaced: DecisionRef) -> Result<(), StoreError> {
        let DecisionRef { meeting: of, number } = replaced;
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT COUNT(later.number) FROM meeting_decisions d LEFT JOIN meeting_decisions later \
                ON later.supersedes_meeting = d.meeting AND later.supersedes_number = d.number \
             WHERE d.meeting = $1 AND d.number = $2 GROUP BY d.meeting, d.number",
        )
        .bind(of)
        .bind(number)
        .fetch_optional(&mut *connection)
        .await
        .map_err(database_error)?;
        match found {
            _ if of >= meeting => Err(declined(
                "只能替代以前会议的决定。",
                "a decision supersedes a decision of an earlier meeting",
            )),
            None => Err(declined(
                format!("第{of}次会议没有第{number}项决定。"),
                format!("meeting {of} has no decision {number}"),
            )),
            Some((superseded,)) if superseded > 0 => Err(declined(
                format!("第{of}次会议的第{number}项决定已被替代，请替代现行的决定。"),
                format!("decision {number} of meeting {of} is superseded already"),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Writes decision `number` of meeting `meeting`.
    async fn insert_decision_in(connection: &mut Connection<Self>, meeting: i64, number: i64, decision: &NewMeetingDecision) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meeting_decisions (meeting, number, project, text, supersedes_meeting, supersedes_number) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meeting)
        .bind(number)
        .bind(decision.project.as_deref().map(str::trim))
        .bind(decision.text.trim())
        .bind(decision.supersedes.map(|r| r.meeting))
        .bind(decision.supersedes.map(|r| r.number))
        .execute(&mut *connection)
        .await
        .map_err(database_error)?;
        Ok(())
    }

    /// Writes action item `number` of the meeting held on `held_on`, and its row on the
    /// supervision board (open, of a signed record, its schedule running from the meeting).
    async fn insert_action_in(connection: &mut Connection<Self>, meeting: i64, number: i64, action: &NewActionItem, held_on: Day) -> Result<(), StoreError> {
        let due = action.due.trim();
        let due_day = Day::parse(due).ok_or_else(|| {
            declined(format!("第{number}项督办事项的完成时限不是日期。"), format!("action item {number}: {due:?} is not a date"))
        })?;
        sqlx::query(
            "INSERT INTO meeting_actions (meeting, number, project, department, title, due) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meeting)
        .bind(number)
        .bind(action.project.trim())
        .bind(action.department.trim())
        .bind(action.title.trim())
        .bind(due)
        .execute(&mut *connection)
        .await
        .map_err(database_error)?;
        sqlx::query(
            "INSERT INTO supervision_items (project, year, kind, item, district, owner, position, title_zh, title_en, \
                measure_zh, milestone_type, person, due, start_day, due_day, planned, signed, open) \
             VALUES ($1, $2, $3, $4, '', $5, $6, $7, $7, '', '', '', $8, $9, $10, NULL, 1, 1)",
        )
        .bind(action.project.trim())
        .bind(held_on.year())
        .bind(ItemKind::Action.code())
        .bind(action_code(meeting, number))
        .bind(action.department.trim())
        .bind(meeting * 1000 + number)
        .bind(action.title.trim())
        .bind(due)
        .bind(held_on.number())
        .bind(due_day.number())
        .execute(&mut *connection)
        .await
        .map_err(database_error)?;
        Ok(())
    }
}
