//! Supervision notices (督办单): the office sends one on a red item (an overdue target part or
//! milestone); the responsible department answers with its reasons and the date by which it
//! will recover; the notice stays open until the office closes it. Each step keeps its time.

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::problem::Problem;

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Sent, awaiting the department's answer.
    Open,
    /// Answered, awaiting the office.
    Answered,
    /// Closed by the office.
    Closed,
}

impl NoticeStatus {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            NoticeStatus::Open => "open",
            NoticeStatus::Answered => "answered",
            NoticeStatus::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<NoticeStatus> {
        match code {
            "open" => Some(NoticeStatus::Open),
            "answered" => Some(NoticeStatus::Answered),
            "closed" => Some(NoticeStatus::Closed),
            _ => None,
        }
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            NoticeStatus::Open => ("待答复", "Awaiting the answer"),
            NoticeStatus::Answered => ("已答复，待办结", "Answered, awaiting closure"),
            NoticeStatus::Closed => ("已办结", "Closed"),
        }
    }
}

/// What a notice is about: one item of a letter (a target part or a milestone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeItem {
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// `target` or `milestone`.
    pub kind: String,
    /// The item's code in the letter.
    pub item: String,
    /// The unit that owns it (a district, for a share).
    pub owner: String,
}

/// A supervision notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Its number.
    pub id: i64,
    /// What it is about.
    pub about: NoticeItem,
    /// What the office requires.
    pub instructions: String,
    /// Where it stands.
    pub status: NoticeStatus,
    /// Who sent it, and when.
    pub issued_by: String,
    /// When it was sent.
    pub issued_at_ms: i64,
    /// The department's reasons.
    pub reasons: String,
    /// The date by which the department will recover (ISO date).
    pub recovery_date: Option<String>,
    /// Who answered, and when.
    pub answered_by: Option<String>,
    /// When it was answered.
    pub answered_at_ms: Option<i64>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When it was closed.
    pub closed_at_ms: Option<i64>,
    /// The office's note on closing.
    pub close_note: String,
}

/// The problems of an answer given on `today`: reasons are required, and the recovery date is
/// a date from today on.
pub fn answer_problems(reasons: &str, recovery_date: &str, today: Day) -> Vec<Problem> {
    let mut problems = Vec::new();
    if reasons.trim().is_empty() {
        problems.push(Problem::new(
            "reasons",
            "请写明未按期完成的原因。",
            "the answer states the reasons",
        ));
    }
    match Day::parse(recovery_date.trim()) {
        None => problems.push(Problem::new(
            "recovery_date",
            format!("“{recovery_date}”不是日期（例如 2021-12-31）。"),
            format!("{recovery_date:?} is not a date such as 2021-12-31"),
        )),
        Some(day) if day < today => problems.push(Problem::new(
            "recovery_date",
            "整改完成日期不能早于今天。",
            "the recovery date is not in the past",
        )),
        Some(_) => {}
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_reasons_and_a_date_from_today_on() {
        let today = Day::parse("2021-07-01").unwrap();
        assert!(answer_problems("拆迁滞后", "2021-07-01", today).is_empty());
        let fields: Vec<String> = answer_problems(" ", "2021-06-30", today)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["reasons", "recovery_date"]);
        assert!(answer_problems("原因", "下个月", today)[0]
            .zh
            .contains("下个月"));
        for status in [
            NoticeStatus::Open,
            NoticeStatus::Answered,
            NoticeStatus::Closed,
        ] {
            assert_eq!(NoticeStatus::from_code(status.code()), Some(status));
        }
    }
}
