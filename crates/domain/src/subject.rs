//! Subjects: what a change, a decision or a record is about, named the same way in the audit
//! trail, in decisions and in the guard (`wave/3`, `account/li.wei`, `unit/commerce`,
//! `project/parking`, `project/parking/department/commerce`, `audit`).

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// What a change or a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A survey wave, by id.
    Wave(i64),
    /// A staff account, by name.
    Account(String),
    /// A unit of the organisation (department, district, street), by code.
    Unit(String),
    /// A livelihood project, by code.
    Project(String),
    /// A project's stage, which stage decisions are about (`project/parking/stage`).
    ProjectStage(String),
    /// A project's responsibility letter for a year (`project/parking/letter/2021`).
    Letter {
        /// The project's code.
        project: String,
        /// The year.
        year: i32,
    },
    /// A progress report, by number (`report/12`).
    Report(i64),
    /// A supervision notice, by number (`notice/3`).
    Notice(i64),
    /// A joint meeting, by number (`meeting/2`).
    Meeting(i64),
    /// A department's part in a project.
    ProjectDepartment {
        /// The project's code.
        project: String,
        /// The department's code.
        department: String,
    },
    /// The audit trail itself (its export).
    AuditTrail,
}

/// The kinds of subject a path parameter can name, for rules that read a subject from a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    /// `wave/{id}`.
    Wave,
    /// `project/{code}`.
    Project,
    /// `unit/{code}`.
    Unit,
    /// `account/{name}`.
    Account,
}

impl SubjectKind {
    /// The subject of this kind that `value` names (a wave's id must be a number; no value
    /// holds a `/`).
    pub fn subject(self, value: &str) -> Option<Subject> {
        if value.is_empty() || value.contains('/') {
            return None;
        }
        Some(match self {
            SubjectKind::Wave => Subject::Wave(value.parse().ok()?),
            SubjectKind::Project => Subject::Project(value.to_string()),
            SubjectKind::Unit => Subject::Unit(value.to_string()),
            SubjectKind::Account => Subject::Account(value.to_string()),
        })
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Wave(id) => write!(f, "wave/{id}"),
            Subject::Account(name) => write!(f, "account/{name}"),
            Subject::Unit(code) => write!(f, "unit/{code}"),
            Subject::Project(code) => write!(f, "project/{code}"),
            Subject::ProjectStage(code) => write!(f, "project/{code}/stage"),
            Subject::Letter { project, year } => write!(f, "project/{project}/letter/{year}"),
            Subject::Report(id) => write!(f, "report/{id}"),
            Subject::Notice(id) => write!(f, "notice/{id}"),
            Subject::Meeting(id) => write!(f, "meeting/{id}"),
            Subject::ProjectDepartment {
                project,
                department,
            } => write!(f, "project/{project}/department/{department}"),
            Subject::AuditTrail => f.write_str("audit"),
        }
    }
}

/// Written and read as its text (`"wave/3"`), in JSON as in the database.
impl serde::Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Subject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Subject, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A text that names no subject.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} names no subject (such as wave/3 or project/parking)")]
pub struct UnknownSubject(pub String);

impl FromStr for Subject {
    type Err = UnknownSubject;

    fn from_str(text: &str) -> Result<Subject, UnknownSubject> {
        let unknown = || UnknownSubject(text.to_string());
        if text == "audit" {
            return Ok(Subject::AuditTrail);
        }
        let (kind, rest) = text.split_once('/').ok_or_else(unknown)?;
        match (kind, rest.split_once("/department/")) {
            ("project", Some((project, department)))
                if !project.is_empty() && !department.is_empty() =>
            {
                Some(Subject::ProjectDepartment {
                    project: project.to_string(),
                    department: department.to_string(),
                })
            }
            ("project", None) if rest.contains("/letter/") => {
                rest.split_once("/letter/").and_then(|(project, year)| {
                    (!project.is_empty() && !project.contains('/')).then_some(())?;
                    Some(Subject::Letter {
                        project: project.to_string(),
                        year: year.parse().ok()?,
                    })
                })
            }
            ("project", None) if rest.ends_with("/stage") => rest
                .strip_suffix("/stage")
                .filter(|code| !code.is_empty() && !code.contains('/'))
                .map(|code| Subject::ProjectStage(code.to_string())),
            ("report", _) => rest.parse().ok().map(Subject::Report),
            ("notice", _) => rest.parse().ok().map(Subject::Notice),
            ("meeting", _) => rest.parse().ok().map(Subject::Meeting),
            ("wave", _) => SubjectKind::Wave.subject(rest),
            ("project", _) => SubjectKind::Project.subject(rest),
            ("unit", _) => SubjectKind::Unit.subject(rest),
            ("account", _) => SubjectKind::Account.subject(rest),
            _ => None,
        }
        .ok_or_else(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subject_reads_back_as_written() {
        let subjects = [
            Subject::Wave(3),
            Subject::Account("li.wei".into()),
            Subject::Unit("310101-nanjing-east".into()),
            Subject::Project("parking".into()),
            Subject::ProjectStage("parking".into()),
            Subject::Letter {
                project: "parking".into(),
                year: 2021,
            },
            Subject::Report(12),
            Subject::Notice(3),
            Subject::Meeting(2),
            Subject::ProjectDepartment {
                project: "breakfast".into(),
                department: "commerce".into(),
            },
            Subject::AuditTrail,
        ];
        let written: Vec<String> = subjects.iter().map(Subject::to_string).collect();
        assert_eq!(
            written,
            [
                "wave/3",
                "account/li.wei",
                "unit/310101-nanjing-east",
                "project/parking",
                "project/parking/stage",
                "project/parking/letter/2021",
                "report/12",
                "notice/3",
                "meeting/2",
                "project/breakfast/department/commerce",
                "audit"
            ]
        );
        for (subject, text) in subjects.iter().zip(&written) {
            assert_eq!(&text.parse::<Subject>().unwrap(), subject);
        }
    }

    #[test]
    fn texts_that_name_no_subject_are_refused() {
        for text in [
            "",
            "wave",
            "wave/",
            "wave/three",
            "plan/1",
            "project/",
            "audit/1",
            "project/parking/department/",
            "project/parking/letter/next",
            "report/twelve",
            "project//stage",
        ] {
            assert_eq!(
                text.parse::<Subject>(),
                Err(UnknownSubject(text.to_string())),
                "{text:?}"
            );
        }
        assert_eq!(SubjectKind::Wave.subject("12"), Some(Subject::Wave(12)));
        assert_eq!(SubjectKind::Wave.subject("-"), None);
    }
}
