//! Major decisions (publishing a wave's results, moving a project to another stage, and in
//! later work accepting completed work): each carries the name of the responsible person, is never edited
//! afterwards, and is only superseded by a new decision that names the one it replaces.

use serde::{Deserialize, Serialize};

use crate::advancement::stage::ProjectStatus;
use crate::subject::Subject;

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionKind {
    /// A wave's results are made public.
    PublishResults,
    /// Published results are withdrawn (they are internal again).
    WithdrawResults,
    /// A project moves to this stage (its subject is the project's stage).
    MoveStage(ProjectStatus),
}

impl DecisionKind {
    /// The code stored and shown (`publish_results`, `stage.implementation`).
    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::PublishResults => "publish_results",
            DecisionKind::WithdrawResults => "withdraw_results",
            DecisionKind::MoveStage(status) => match status {
                ProjectStatus::Identification => "stage.identification",
                ProjectStatus::Preparation => "stage.preparation",
                ProjectStatus::Implementation => "stage.implementation",
                ProjectStatus::Suspended => "stage.suspended",
                ProjectStatus::Completion => "stage.completion",
                ProjectStatus::Maintenance => "stage.maintenance",
                ProjectStatus::Decommissioning => "stage.decommissioning",
                ProjectStatus::Decommissioned => "stage.decommissioned",
                ProjectStatus::Cancelled => "stage.cancelled",
            },
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<DecisionKind> {
        match code {
            "publish_results" => Some(DecisionKind::PublishResults),
            "withdraw_results" => Some(DecisionKind::WithdrawResults),
            _ => code
                .strip_prefix("stage.")
                .and_then(ProjectStatus::from_code)
                .map(DecisionKind::MoveStage),
        }
    }
}

/// Written and read as its code, in JSON as in the database.
impl Serialize for DecisionKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for DecisionKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        DecisionKind::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("{code:?} is no kind of decision")))
    }
}

/// A decision's number: its own type, so that it is never taken for the id of the wave it
/// is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DecisionId(pub i64);

impl std::fmt::Display for DecisionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A decision to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDecision {
    /// What was decided.
    pub kind: DecisionKind,
    /// What it is about (`wave/3`).
    pub subject: Subject,
    /// The account of the responsible person.
    pub decided_by: String,
    /// Their name as shown.
    pub decided_by_name: String,
    /// When, milliseconds since the Unix epoch.
    pub decided_at_ms: i64,
    /// The reasons given.
    pub statement: String,
    /// The decision this one replaces: it must be the subject's current decision.
    pub supersedes: Option<DecisionId>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Its number.
    pub id: DecisionId,
    /// What was recorded.
    #[serde(flatten)]
    pub decision: NewDecision,
}

/// The decision in force about a subject: the one that no other supersedes (decisions are
/// given in the order they were recorded).
pub fn in_force<'d>(decisions: &'d [Decision], subject: &Subject) -> Option<&'d Decision> {
    let about: Vec<&Decision> = decisions
        .iter()
        .filter(|d| &d.decision.subject == subject)
        .collect();
    about.iter().copied().rev().find(|d| {
        !about
            .iter()
            .any(|later| later.decision.supersedes == Some(d.id))
    })
}

/// Whether a subject's results are published by the decision in force.
pub fn published(decisions: &[Decision], subject: &Subject) -> bool {
    in_force(decisions, subject).is_some_and(|d| d.decision.kind == DecisionKind::PublishResults)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(id: i64, kind: DecisionKind, supersedes: Option<i64>) -> Decision {
        Decision {
            id: DecisionId(id),
            decision: NewDecision {
                kind,
                subject: Subject::Wave(1),
                decided_by: "office".into(),
                decided_by_name: "Office".into(),
                decided_at_ms: id,
                statement: String::new(),
                supersedes: supersedes.map(DecisionId),
            },
        }
    }

    #[test]
    fn the_latest_unsuperseded_decision_is_in_force() {
        assert!(!published(&[], &Subject::Wave(1)));
        let first = decision(1, DecisionKind::PublishResults, None);
        assert!(published(std::slice::from_ref(&first), &Subject::Wave(1)));
        assert!(!published(std::slice::from_ref(&first), &Subject::Wave(2)));
        let withdrawn = [
            first.clone(),
            decision(2, DecisionKind::WithdrawResults, Some(1)),
        ];
        assert!(!published(&withdrawn, &Subject::Wave(1)));
        assert_eq!(
            in_force(&withdrawn, &Subject::Wave(1)).map(|d| d.id),
            Some(DecisionId(2))
        );
        let again = [
            first,
            decision(2, DecisionKind::WithdrawResults, Some(1)),
            decision(3, DecisionKind::PublishResults, Some(2)),
        ];
        assert!(published(&again, &Subject::Wave(1)));
    }
}
