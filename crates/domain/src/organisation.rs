//! The organisation the platform serves and what each user's roles cover: departments (委办局),
//! districts and their streets, which departments lead or take part in which projects, and
//! the role assignments of accounts, each held within a scope.
//!
//! Decisions:
//! - The administrator, the coordination office, evaluators and auditors hold their roles for
//!   the whole city; a department role is held for one department and covers the projects that
//!   department leads (lead department) or takes part in (participating department); a district
//!   officer's role is held for a district, or for one of its streets: the survey's finest
//!   geography is the district, so a street's officer reads their district's figures.
//! - Membership is the assignment: a user belongs to the units their roles are held for.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::access::{permits, Action, Grade, Role};

/// What kind of unit of the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A municipal department (委办局).
    Department,
    /// A district (区).
    District,
    /// A street or town (街镇), within a district.
    Street,
}

impl UnitKind {
    /// Its name in Chinese and in English, as pages show it.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            UnitKind::Department => ("市级部门", "Municipal department"),
            UnitKind::District => ("区", "District"),
            UnitKind::Street => ("街道（镇）", "Street or town"),
        }
    }

    /// The code stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Department => "department",
            UnitKind::District => "district",
            UnitKind::Street => "street",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<UnitKind> {
        match code {
            "department" => Some(UnitKind::Department),
            "district" => Some(UnitKind::District),
            "street" => Some(UnitKind::Street),
            _ => None,
        }
    }
}

/// One unit of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// A short code, unique across units (a district's code is its statistical code).
    pub code: String,
    /// Department, district or street.
    pub kind: UnitKind,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name.
    pub name_en: String,
    /// The district a street belongs to; `None` for departments and districts.
    pub parent: Option<String>,
}

/// How a department takes part in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectPart {
    /// The lead department (牵头部门).
    Lead,
    /// A participating department (配合部门).
    Participating,
}

impl ProjectPart {
    /// Its name in Chinese and in English, as pages show it.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ProjectPart::Lead => ("牵头", "lead"),
            ProjectPart::Participating => ("配合", "participating"),
        }
    }

    /// The code stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            ProjectPart::Lead => "lead",
            ProjectPart::Participating => "participating",
        }
    }

    /// The part with this code.
    pub fn from_code(code: &str) -> Option<ProjectPart> {
        match code {
            "lead" => Some(ProjectPart::Lead),
            "participating" => Some(ProjectPart::Participating),
            _ => None,
        }
    }
}

/// A department's part in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDepartment {
    /// The department's unit code.
    pub department: String,
    /// The project's code in the catalogue.
    pub project: String,
    /// Lead or participating.
    pub part: ProjectPart,
}

/// The whole organisation: its units, the departments' parts in projects, and the districts
/// each project is delivered in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Every unit.
    pub units: Vec<OrgUnit>,
    /// Every department's part in a project.
    pub project_departments: Vec<ProjectDepartment>,
    /// `(project, district)` for every district a registered project is delivered in.
    #[serde(default)]
    pub project_districts: Vec<(String, String)>,
}

/// Where a role is held: the whole city, or one unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The whole city.
    City,
    /// One unit, by code.
    Unit(String),
}

impl Scope {
    /// The code stored: empty for the city, else the unit's code.
    pub fn code(&self) -> &str {
        match self {
            Scope::City => "",
            Scope::Unit(code) => code,
        }
    }

    /// The scope stored as `code`.
    pub fn from_code(code: &str) -> Scope {
        if code.is_empty() {
            Scope::City
        } else {
            Scope::Unit(code.to_string())
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::City => f.write_str("city"),
            Scope::Unit(code) => f.write_str(code),
        }
    }
}

/// A role held by an account within a scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    /// The role.
    pub role: Role,
    /// Where it is held.
    pub scope: Scope,
}

/// What a piece of information is about, for deciding whether a scope covers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// The city as a whole (a wave, rankings across projects, accounts, the audit trail).
    City,
    /// One project (by catalogue code).
    Project(String),
    /// One district (by code).
    District(String),
    /// The delivery of one project (its stage, letters and progress): its departments, and
    /// the officers of the districts it is delivered in (who report their shares).
    Delivery(String),
    /// A list each visitor sees their own part of (the supervision board): every role held
    /// covers it, and the handler shows each visitor only what their scope covers.
    OwnPart,
}

/// Why an assignment or a unit is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrganisationError {
    /// The scope names no unit.
    #[error("no unit with code {0:?}")]
    NoSuchUnit(String),
    /// The role is held for the whole city only.
    #[error("the role {role} is held for the whole city, not for a unit ({unit})")]
    CityRole {
        /// The role.
        role: Role,
        /// The unit that was given.
        unit: String,
    },
    /// The role needs a unit of a given kind.
    #[error("the role {role} is held for {expected}, and {unit:?} is not one")]
    WrongUnit {
        /// The role.
        role: Role,
        /// What kind of unit it needs.
        expected: &'static str,
        /// The unit that was given.
        unit: String,
    },
    /// The public and respondents are not roles one assigns.
    #[error("the role {0} is everyone's and is not assigned")]
    NotAssignable(Role),
    /// A unit's code is empty, too long or not plain.
    #[error("a unit code has 1 to 32 characters from a-z, 0-9, '-' and '_'; got {0:?}")]
    BadCode(String),
    /// A street without a district, or a department or district with a parent.
    #[error("unit {code:?}: {problem}")]
    BadParent {
        /// The unit.
        code: String,
        /// What is wrong.
        problem: String,
    },
}

impl Organisation {
    /// The unit with `code`.
    pub fn unit(&self, code: &str) -> Option<&OrgUnit> {
        self.units.iter().find(|unit| unit.code == code)
    }

    /// Checks a new unit against the organisation: a plain unique-enough code, and a street's
    /// district.
    pub fn check_unit(&self, unit: &OrgUnit) -> Result<(), OrganisationError> {
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if unit.code.is_empty() || unit.code.len() > 32 || !unit.code.chars().all(plain) {
            return Err(OrganisationError::BadCode(unit.code.clone()));
        }
        match (unit.kind, &unit.parent) {
            (UnitKind::Street, None) => Err(OrganisationError::BadParent {
                code: unit.code.clone(),
                problem: "a street belongs to a district".into(),
            }),
            (UnitKind::Street, Some(parent)) => match self.unit(parent) {
                Some(p) if p.kind == UnitKind::District => Ok(()),
                _ => Err(OrganisationError::BadParent {
                    code: unit.code.clone(),
                    problem: format!("{parent:?} is not a district"),
                }),
            },
            (_, Some(_)) => Err(OrganisationError::BadParent {
                code: unit.code.clone(),
                problem: "only streets have a parent".into(),
            }),
            (_, None) => Ok(()),
        }
    }

    /// Whether a visitor holding `own` may give or take back `assignment` from the web: never a
    /// role that reads restricted data or runs the platform (those are given on the server's
    /// command line only), and otherwise only through an assignment of the visitor's whose
    /// role permits everything the given role permits and whose scope contains its scope. So
    /// nobody can raise anybody's access, their own by way of a second account included,
    /// above what they hold themselves.
    pub fn check_delegation(
        &self,
        own: &[Assignment],
        assignment: &Assignment,
    ) -> Result<(), DelegationRefused> {
        let role = assignment.role;
        if given_on_the_server_only(role) {
            return Err(DelegationRefused::ServerOnly(role));
        }
        let within = own.iter().any(|held| {
            permissions_within(role, held.role) && self.scope_within(&assignment.scope, &held.scope)
        });
        if within {
            Ok(())
        } else {
            Err(DelegationRefused::BeyondOwn {
                role,
                scope: assignment.scope.to_string(),
            })
        }
    }

    /// Whether `inner` lies within `outer`: the city contains every scope, a unit itself and
    /// (a district) its streets.
    fn scope_within(&self, inner: &Scope, outer: &Scope) -> bool {
        match (outer, inner) {
            (Scope::City, _) => true,
            (Scope::Unit(_), Scope::City) => false,
            (Scope::Unit(outer), Scope::Unit(inner)) => self.lies_in(inner, outer),
        }
    }

    /// Whether unit `unit` is `area` itself or one of its streets.
    pub fn lies_in(&self, unit: &str, area: &str) -> bool {
        unit == area
            || self
                .unit(unit)
                .is_some_and(|u| u.parent.as_deref() == Some(area))
    }

    /// Checks that `assignment` may be held: city roles for the city, department roles for a
    /// department, district officers for a district or street.
    pub fn check_assignment(&self, assignment: &Assignment) -> Result<(), OrganisationError> {
        let role = assignment.role;
        let expected = match role {
            Role::Public | Role::Respondent => return Err(OrganisationError::NotAssignable(role)),
            Role::Administrator | Role::CoordinationOffice | Role::Evaluator | Role::Auditor => {
                return match &assignment.scope {
                    Scope::City => Ok(()),
                    Scope::Unit(unit) => Err(OrganisationError::CityRole {
                        role,
                        unit: unit.clone(),
                    }),
                };
            }
            Role::LeadDepartment | Role::ParticipatingDepartment => "a department",
            Role::DistrictOfficer => "a district or a street",
        };
        let Scope::Unit(code) = &assignment.scope else {
            return Err(OrganisationError::WrongUnit {
                role,
                expected,
                unit: "city".into(),
            });
        };
        let unit = self
            .unit(code)
            .ok_or_else(|| OrganisationError::NoSuchUnit(code.clone()))?;
        let fits = match role {
            Role::LeadDepartment | Role::ParticipatingDepartment => {
                unit.kind == UnitKind::Department
            }
            _ => matches!(unit.kind, UnitKind::District | UnitKind::Street),
        };
        if fits {
            Ok(())
        } else {
            Err(OrganisationError::WrongUnit {
                role,
                expected,
                unit: code.clone(),
            })
        }
    }

    /// Whether `assignment`'s scope covers `target`.
    pub fn covers(&self, assignment: &Assignment, target: &Target) -> bool {
        let unit = match &assignment.scope {
            // A city-wide role covers one project's or one district's figures only when it
            // reads the city's unpublished figures: the administrator runs the platform and
            // could otherwise rebuild the unpublished ranking from the project pages.
            Scope::City => {
                return matches!(target, Target::City | Target::OwnPart)
                    || permits(assignment.role, Action::Read, Grade::Restricted)
            }
            Scope::Unit(unit) => unit,
        };
        match (assignment.role, target) {
            (Role::LeadDepartment, Target::Project(project)) => {
                self.takes_part(unit, project, ProjectPart::Lead)
            }
            (Role::ParticipatingDepartment, Target::Project(project)) => {
                self.takes_part(unit, project, ProjectPart::Participating)
            }
            // A street's officer reads the figures of its district.
            (Role::DistrictOfficer, Target::District(district)) => self.lies_in(unit, district),
            (Role::LeadDepartment, Target::Delivery(project)) => {
                self.takes_part(unit, project, ProjectPart::Lead)
            }
            (Role::ParticipatingDepartment, Target::Delivery(project)) => {
                self.takes_part(unit, project, ProjectPart::Participating)
            }
            (_, Target::OwnPart) => true,
            (Role::DistrictOfficer, Target::Delivery(project)) => self
                .project_districts
                .iter()
                .any(|(p, district)| p == project && self.lies_in(unit, district)),
            _ => false,
        }
    }

    fn takes_part(&self, department: &str, project: &str, part: ProjectPart) -> bool {
        self.project_departments
            .iter()
            .any(|p| p.department == department && p.project == project && p.part == part)
    }

    /// The projects a department leads or takes part in, with its part.
    pub fn projects_of(&self, department: &str) -> Vec<(String, ProjectPart)> {
        self.project_departments
            .iter()
            .filter(|p| p.department == department)
            .map(|p| (p.project.clone(), p.part))
            .collect()
    }
}

/// The roles given and taken back on the server's command line only: those that read
/// restricted data (the coordination office, evaluators, auditors) and the administrator, who
/// runs the platform and its accounts.
pub fn given_on_the_server_only(role: Role) -> bool {
    matches!(
        role,
        Role::Administrator | Role::CoordinationOffice | Role::Evaluator | Role::Auditor
    )
}

/// Whether everything `role` is permitted is also permitted to `holder`, action by action
/// and grade by grade in the permission matrix.
pub fn permissions_within(role: Role, holder: Role) -> bool {
    Action::ALL.into_iter().all(|action| {
        Grade::ALL
            .into_iter()
            .all(|grade| !permits(role, action, grade) || permits(holder, action, grade))
    })
}

/// Why a role may not be given or taken back from the web.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DelegationRefused {
    /// The role reads restricted data or runs the platform.
    #[error("the role {0} is given and taken back only on the server's command line (minxin user grant|revoke)")]
    ServerOnly(Role),
    /// The role or scope goes beyond the visitor's own.
    #[error("you may give or take back only roles within your own, in your own scope; {role} for {scope} is not")]
    BeyondOwn {
        /// The role asked for.
        role: Role,
        /// Its scope.
        scope: String,
    },
}

/// Whether someone holding `assignments` (everyone also holds the public role) may do `action`
/// with information of `grade` about `target`: the permission matrix, narrowed by scope.
/// Public information needs no scope.
pub fn allows(
    organisation: &Organisation,
    assignments: &[Assignment],
    action: Action,
    grade: Grade,
    target: &Target,
) -> bool {
    if permits(Role::Public, action, grade) {
        return true;
    }
    assignments.iter().any(|assignment| {
        permits(assignment.role, action, grade)
            && (grade == Grade::Public || organisation.covers(assignment, target))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organisation() -> Organisation {
        let unit = |code: &str, kind, parent: Option<&str>| OrgUnit {
            code: code.into(),
            kind,
            name_zh: code.into(),
            name_en: code.into(),
            parent: parent.map(String::from),
        };
        Organisation {
            units: vec![
                unit("commerce", UnitKind::Department, None),
                unit("transport", UnitKind::Department, None),
                unit("310101", UnitKind::District, None),
                unit("310104", UnitKind::District, None),
                unit("310101-nanjing-east", UnitKind::Street, Some("310101")),
            ],
            project_departments: vec![
                ProjectDepartment {
                    department: "commerce".into(),
                    project: "breakfast".into(),
                    part: ProjectPart::Lead,
                },
                ProjectDepartment {
                    department: "transport".into(),
                    project: "breakfast".into(),
                    part: ProjectPart::Participating,
                },
            ],
            project_districts: vec![("breakfast".into(), "310101".into())],
        }
    }

    #[test]
    fn a_projects_delivery_is_followed_by_its_departments_and_its_districts() {
        let org = organisation();
        let breakfast = Target::Delivery("breakfast".into());
        assert!(org.covers(&held(Role::LeadDepartment, "commerce"), &breakfast));
        assert!(org.covers(
            &held(Role::ParticipatingDepartment, "transport"),
            &breakfast
        ));
        assert!(org.covers(&held(Role::DistrictOfficer, "310101"), &breakfast));
        assert!(
            org.covers(
                &held(Role::DistrictOfficer, "310101-nanjing-east"),
                &breakfast
            ),
            "a street's officer follows its district's share"
        );
        assert!(!org.covers(&held(Role::DistrictOfficer, "310104"), &breakfast));
        assert!(
            !org.covers(
                &held(Role::DistrictOfficer, "310101"),
                &Target::Project("breakfast".into())
            ),
            "a district follows a project's delivery, not its unpublished figures"
        );
        assert!(org.covers(&held(Role::CoordinationOffice, ""), &breakfast));
        assert!(!org.covers(&held(Role::Administrator, ""), &breakfast));
    }

    #[test]
    fn every_role_covers_its_own_part_of_a_list() {
        let org = organisation();
        for assignment in [
            held(Role::DistrictOfficer, "310104"),
            held(Role::LeadDepartment, "transport"),
            held(Role::Administrator, ""),
        ] {
            assert!(org.covers(&assignment, &Target::OwnPart));
        }
        assert!(
            !allows(&org, &[], Action::Read, Grade::Internal, &Target::OwnPart),
            "the public holds no part of an internal list"
        );
    }

    fn held(role: Role, scope: &str) -> Assignment {
        Assignment {
            role,
            scope: Scope::from_code(scope),
        }
    }

    #[test]
    fn a_department_role_covers_its_own_projects_only() {
        let org = organisation();
        let breakfast = Target::Project("breakfast".into());
        let parking = Target::Project("parking".into());
        assert!(org.covers(&held(Role::LeadDepartment, "commerce"), &breakfast));
        assert!(!org.covers(&held(Role::LeadDepartment, "commerce"), &parking));
        assert!(!org.covers(&held(Role::LeadDepartment, "transport"), &breakfast));
        assert!(org.covers(
            &held(Role::ParticipatingDepartment, "transport"),
            &breakfast
        ));
        assert!(!org.covers(&held(Role::LeadDepartment, "commerce"), &Target::City));
        let internal = |assignments: &[Assignment], target: &Target| {
            allows(&org, assignments, Action::Read, Grade::Internal, target)
        };
        assert!(internal(
            &[held(Role::LeadDepartment, "commerce")],
            &breakfast
        ));
        assert!(!internal(
            &[held(Role::LeadDepartment, "commerce")],
            &parking
        ));
        assert!(internal(&[held(Role::CoordinationOffice, "")], &parking));
        assert!(!internal(&[], &parking));
        assert!(allows(&org, &[], Action::Read, Grade::Public, &parking));
    }

    #[test]
    fn a_district_officer_covers_their_district_and_a_street_its_district() {
        let org = organisation();
        let huangpu = Target::District("310101".into());
        let xuhui = Target::District("310104".into());
        assert!(org.covers(&held(Role::DistrictOfficer, "310101"), &huangpu));
        assert!(!org.covers(&held(Role::DistrictOfficer, "310101"), &xuhui));
        assert!(org.covers(
            &held(Role::DistrictOfficer, "310101-nanjing-east"),
            &huangpu
        ));
        assert!(!org.covers(&held(Role::DistrictOfficer, "310101-nanjing-east"), &xuhui));
    }

    #[test]
    fn assignments_are_checked_against_the_kind_of_unit() {
        let org = organisation();
        assert_eq!(
            org.check_assignment(&held(Role::CoordinationOffice, "")),
            Ok(())
        );
        assert!(matches!(
            org.check_assignment(&held(Role::Auditor, "commerce")),
            Err(OrganisationError::CityRole { .. })
        ));
        assert_eq!(
            org.check_assignment(&held(Role::LeadDepartment, "commerce")),
            Ok(())
        );
        assert!(matches!(
            org.check_assignment(&held(Role::LeadDepartment, "310101")),
            Err(OrganisationError::WrongUnit { .. })
        ));
        assert!(matches!(
            org.check_assignment(&held(Role::LeadDepartment, "")),
            Err(OrganisationError::WrongUnit { .. })
        ));
        assert_eq!(
            org.check_assignment(&held(Role::DistrictOfficer, "nowhere")),
            Err(OrganisationError::NoSuchUnit("nowhere".into()))
        );
        assert_eq!(
            org.check_assignment(&held(Role::Public, "")),
            Err(OrganisationError::NotAssignable(Role::Public))
        );
    }

    #[test]
    fn streets_need_a_district_and_codes_are_plain() {
        let org = organisation();
        let street = |parent: Option<&str>| OrgUnit {
            code: "s1".into(),
            kind: UnitKind::Street,
            name_zh: "s".into(),
            name_en: "s".into(),
            parent: parent.map(String::from),
        };
        assert_eq!(org.check_unit(&street(Some("310101"))), Ok(()));
        assert!(org.check_unit(&street(None)).is_err());
        assert!(org.check_unit(&street(Some("commerce"))).is_err());
        let mut bad = street(Some("310101"));
        bad.code = "Bad Code".into();
        assert_eq!(
            org.check_unit(&bad),
            Err(OrganisationError::BadCode("Bad Code".into()))
        );
    }

    #[test]
    fn roles_that_read_restricted_data_are_never_given_from_the_web() {
        let organisation = organisation();
        let everything: Vec<Assignment> = [
            Role::Administrator,
            Role::CoordinationOffice,
            Role::Evaluator,
            Role::Auditor,
        ]
        .into_iter()
        .map(|role| held(role, ""))
        .collect();
        for role in [
            Role::Administrator,
            Role::CoordinationOffice,
            Role::Evaluator,
            Role::Auditor,
        ] {
            assert_eq!(
                organisation.check_delegation(&everything, &held(role, "")),
                Err(DelegationRefused::ServerOnly(role))
            );
        }
        // Every role that reads restricted data is among them.
        for role in Role::ALL {
            if permits(role, Action::Read, Grade::Restricted) {
                assert!(given_on_the_server_only(role), "{role}");
            }
        }
    }

    #[test]
    fn only_roles_within_ones_own_in_ones_own_scope() {
        let organisation = organisation();
        let admin = [held(Role::Administrator, "")];
        let lead = [held(Role::LeadDepartment, "commerce")];
        let district = [held(Role::DistrictOfficer, "310101")];
        let ok = |own: &[Assignment], role, scope| {
            organisation
                .check_delegation(own, &held(role, scope))
                .is_ok()
        };
        assert!(ok(&admin, Role::LeadDepartment, "commerce"));
        assert!(ok(&admin, Role::DistrictOfficer, "310104"));
        assert!(ok(&lead, Role::LeadDepartment, "commerce"));
        assert!(ok(&lead, Role::ParticipatingDepartment, "commerce"));
        assert!(
            !ok(&lead, Role::LeadDepartment, "transport"),
            "another department"
        );
        assert!(ok(&district, Role::DistrictOfficer, "310101-nanjing-east"));
        assert!(
            !ok(&district, Role::DistrictOfficer, "310104"),
            "another district"
        );
        assert!(
            !ok(
                &[held(Role::Evaluator, "")],
                Role::LeadDepartment,
                "commerce"
            ),
            "an evaluator changes nothing, so may give no role that changes"
        );
        assert!(permissions_within(
            Role::LeadDepartment,
            Role::CoordinationOffice
        ));
        assert!(!permissions_within(Role::Auditor, Role::Administrator));
        assert!(!permissions_within(
            Role::CoordinationOffice,
            Role::Administrator
        ));
    }
}
