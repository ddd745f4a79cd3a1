//! Who may do what with which grade of information: the roles of the platform's users, the
//! information grades of records and exports, and the one permission matrix that decides, for
//! each role, action and grade, whether it is allowed. Every page and API endpoint is to ask
//! [`permits`]; scopes (a department's projects, a district) narrow it further.
//!
//! Decisions (the paper asks for graded information with usage permissions per grade):
//! - Restricted data (respondent-level microdata, personal data, unpublished figures) are read
//!   and exported only by the coordination office, third-party evaluators (they analyse the
//!   microdata; no citizen identity is ever stored) and auditors. The administrator manages
//!   accounts and waves without seeing microdata.
//! - Only the coordination office publishes. Auditors and evaluators change nothing.
//! - The public and respondents read public information only; respondents also answer their own
//!   questionnaire.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A user's role; every role but the public is held within a scope (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, organisation and waves.
    Administrator,
    /// The city's coordination office (市级协调办): everything across projects.
    CoordinationOffice,
    /// The lead department of a project (牵头部门).
    LeadDepartment,
    /// A department taking part in a project (配合部门).
    ParticipatingDepartment,
    /// An officer of one district, for that district only.
    DistrictOfficer,
    /// A third-party evaluator: evaluation data and analysis, never identities.
    Evaluator,
    /// A supervisor or auditor: reads everything including the audit trail, changes nothing.
    Auditor,
    /// Anyone: published pages only.
    Public,
    /// A citizen answering the questionnaire: their own answers only.
    Respondent,
}

impl Role {
    /// Every role, in the order of the matrix.
    pub const ALL: [Role; 9] = [
        Role::Administrator,
        Role::CoordinationOffice,
        Role::LeadDepartment,
        Role::ParticipatingDepartment,
        Role::DistrictOfficer,
        Role::Evaluator,
        Role::Auditor,
        Role::Public,
        Role::Respondent,
    ];

    /// Its name in Chinese, as pages show it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Administrator => "系统管理员",
            Role::CoordinationOffice => "市级协调办",
            Role::LeadDepartment => "牵头部门",
            Role::ParticipatingDepartment => "配合部门",
            Role::DistrictOfficer => "区级联络员",
            Role::Evaluator => "第三方评估机构",
            Role::Auditor => "监督审计",
            Role::Public => "公众",
            Role::Respondent => "受访市民",
        }
    }

    /// Its name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::CoordinationOffice => "Coordination office",
            Role::LeadDepartment => "Lead department",
            Role::ParticipatingDepartment => "Participating department",
            Role::DistrictOfficer => "District officer",
            Role::Evaluator => "Third-party evaluator",
            Role::Auditor => "Auditor",
            Role::Public => "Public",
            Role::Respondent => "Respondent",
        }
    }
}

/// How sensitive a piece of information is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 公开: may be shown to anyone.
    Public,
    /// 内部: for the people working on the projects.
    Internal,
    /// 受限: respondent-level microdata, personal data, unpublished figures.
    Restricted,
}

impl Grade {
    /// Every grade, least sensitive first.
    pub const ALL: [Grade; 3] = [Grade::Public, Grade::Internal, Grade::Restricted];
}

/// What a user wants to do with information of some grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See it.
    Read,
    /// Create, change or withdraw it.
    Change,
    /// Download it as a file.
    Export,
    /// Make it public.
    Publish,
    /// Answer a questionnaire (their own answers).
    Respond,
    /// Read or export the records that hold the platform to account (the audit trail, the
    /// accounts and who holds which role): for those who oversee, not for everyone who reads
    /// data of the same grade (a third-party evaluator reads microdata, not the audit trail).
    Oversee,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 6] = [
        Action::Read,
        Action::Change,
        Action::Export,
        Action::Publish,
        Action::Respond,
        Action::Oversee,
    ];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = serde_json::to_value(self).expect("a unit variant");
        f.write_str(name.as_str().unwrap_or("role"))
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    /// Reads a role from its code (`coordination_office`, `lead_department`, ...).
    fn from_str(code: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.to_string() == code)
            .ok_or_else(|| {
                let known: Vec<String> = Role::ALL.iter().map(Role::to_string).collect();
                format!("unknown role {code:?}; the roles are {}", known.join(", "))
            })
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grade::Public => "public",
            Grade::Internal => "internal",
            Grade::Restricted => "restricted",
        })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Read => "read",
            Action::Change => "change",
            Action::Export => "export",
            Action::Publish => "publish",
            Action::Respond => "respond",
            Action::Oversee => "oversee",
        })
    }
}

/// The highest grade a role may read (and export).
fn readable(role: Role) -> Grade {
    match role {
        Role::CoordinationOffice | Role::Evaluator | Role::Auditor => Grade::Restricted,
        Role::Administrator
        | Role::LeadDepartment
        | Role::ParticipatingDepartment
        | Role::DistrictOfficer => Grade::Internal,
        Role::Public | Role::Respondent => Grade::Public,
    }
}

/// The permission matrix: whether `role` may do `action` with information of `grade`.
pub fn permits(role: Role, action: Action, grade: Grade) -> bool {
    match action {
        Action::Read | Action::Export => grade <= readable(role),
        Action::Change => match role {
            Role::Administrator
            | Role::LeadDepartment
            | Role::ParticipatingDepartment
            | Role::DistrictOfficer => grade == Grade::Internal,
            Role::CoordinationOffice => grade <= Grade::Internal,
            Role::Evaluator | Role::Auditor | Role::Public | Role::Respondent => false,
        },
        Action::Publish => role == Role::CoordinationOffice && grade <= Grade::Internal,
        Action::Respond => {
            matches!(role, Role::Respondent | Role::Public) && grade == Grade::Public
        }
        Action::Oversee => {
            matches!(
                role,
                Role::Administrator | Role::CoordinationOffice | Role::Auditor
            ) && grade <= readable(role)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_reads_and_exports_public_information_only() {
        for role in [Role::Public, Role::Respondent] {
            for grade in Grade::ALL {
                assert_eq!(permits(role, Action::Read, grade), grade == Grade::Public);
                assert_eq!(permits(role, Action::Export, grade), grade == Grade::Public);
                assert!(!permits(role, Action::Change, grade));
                assert!(!permits(role, Action::Publish, grade));
            }
        }
    }

    #[test]
    fn restricted_data_go_to_the_office_evaluators_and_auditors_only() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|role| permits(*role, Action::Read, Grade::Restricted))
            .collect();
        assert_eq!(
            allowed,
            [Role::CoordinationOffice, Role::Evaluator, Role::Auditor]
        );
        for role in Role::ALL {
            assert_eq!(
                permits(role, Action::Export, Grade::Restricted),
                permits(role, Action::Read, Grade::Restricted),
                "{role}: exporting follows reading"
            );
            assert!(
                !permits(role, Action::Change, Grade::Restricted),
                "{role}: nobody edits microdata through the platform"
            );
        }
    }

    #[test]
    fn only_the_administrator_the_office_and_auditors_oversee() {
        let overseeing = |grade| -> Vec<Role> {
            Role::ALL
                .into_iter()
                .filter(|role| permits(*role, Action::Oversee, grade))
                .collect()
        };
        assert_eq!(
            overseeing(Grade::Internal),
            [Role::Administrator, Role::CoordinationOffice, Role::Auditor],
            "the accounts and their roles"
        );
        assert_eq!(
            overseeing(Grade::Restricted),
            [Role::CoordinationOffice, Role::Auditor],
            "the audit trail"
        );
        assert!(permits(Role::Evaluator, Action::Read, Grade::Restricted));
        assert!(!permits(Role::Evaluator, Action::Oversee, Grade::Internal));
    }

    #[test]
    fn auditors_and_evaluators_change_nothing_and_only_the_office_publishes() {
        for grade in Grade::ALL {
            for role in [Role::Auditor, Role::Evaluator] {
                assert!(!permits(role, Action::Change, grade));
                assert!(!permits(role, Action::Publish, grade));
            }
            for role in Role::ALL {
                if permits(role, Action::Publish, grade) {
                    assert_eq!(role, Role::CoordinationOffice);
                }
            }
        }
        assert!(permits(
            Role::CoordinationOffice,
            Action::Publish,
            Grade::Internal
        ));
        assert!(!permits(
            Role::CoordinationOffice,
            Action::Publish,
            Grade::Restricted
        ));
    }

    #[test]
    fn every_role_can_read_what_it_may_change() {
        for role in Role::ALL {
            for grade in Grade::ALL {
                if permits(role, Action::Change, grade) {
                    assert!(permits(role, Action::Read, grade), "{role} {grade:?}");
                }
            }
        }
    }
}
