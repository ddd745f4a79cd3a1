//! The project register: the canonical list of the city's livelihood projects. For each, its
//! names and what it does, the city leader responsible for it and the leading group (领导小组)
//! or task force (工作专班) that steers it, the lead department and the participating
//! departments with their duties, the districts it is delivered in and the year it began.
//!
//! Decisions:
//! - A register file declares the departments it names (code and names), so that another city
//!   loads its whole programme from one file; loading adds or renames those departments.
//! - Survey catalogues are made from the register ([`Register::catalogue_text`]); a wave keeps
//!   the catalogue text it ran with, so a later change of the register never rewrites a
//!   finished survey. A wave's catalogue may only name projects of the register.
//! - A project is never deleted: one missing from a newly loaded file stays as it was (a
//!   project leaves the programme through its stage, a decision).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::config::{Catalogue, LabelledCode, Project};
use crate::problem::Problem;

/// Who steers a project under its responsible city leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Steering {
    /// A leading group (领导小组).
    LeadingGroup,
    /// A task force (工作专班).
    TaskForce,
}

impl Steering {
    /// The code stored and written in files.
    pub fn code(self) -> &'static str {
        match self {
            Steering::LeadingGroup => "leading_group",
            Steering::TaskForce => "task_force",
        }
    }

    /// The kind with this code, or with its Chinese name (a spreadsheet may hold either).
    pub fn from_code(code: &str) -> Option<Steering> {
        match code.trim() {
            "leading_group" | "领导小组" => Some(Steering::LeadingGroup),
            "task_force" | "工作专班" => Some(Steering::TaskForce),
            _ => None,
        }
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Steering::LeadingGroup => ("领导小组", "Leading group"),
            Steering::TaskForce => ("工作专班", "Task force"),
        }
    }
}

/// A department taking part in a project, with what it is to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// The department's unit code.
    pub department: String,
    /// Its duty, in Chinese.
    #[serde(default)]
    pub duty_zh: String,
    /// Its duty, in English.
    #[serde(default)]
    pub duty_en: String,
}

/// One project of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredProject {
    /// The stable code (in survey catalogues, URLs and open data).
    pub code: String,
    /// The Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// One line a citizen understands, in Chinese (the questionnaire shows it).
    #[serde(default)]
    pub summary_zh: String,
    /// One line, in English.
    #[serde(default)]
    pub summary_en: String,
    /// What the project is to achieve, in Chinese.
    #[serde(default)]
    pub description_zh: String,
    /// What the project is to achieve, in English.
    #[serde(default)]
    pub description_en: String,
    /// The responsible city leader (责任市领导), in Chinese.
    pub leader_zh: String,
    /// The responsible city leader, in English.
    #[serde(default)]
    pub leader_en: String,
    /// A leading group or a task force.
    pub steering: Steering,
    /// The steering body's name, in Chinese.
    pub steering_zh: String,
    /// The steering body's name, in English.
    #[serde(default)]
    pub steering_en: String,
    /// The lead department's unit code.
    pub lead_department: String,
    /// The participating departments, with their duties.
    #[serde(default, rename = "participant")]
    pub participants: Vec<Participant>,
    /// The districts the project is delivered in, by code (a file may write `all`).
    #[serde(default)]
    pub districts: Vec<String>,
    /// The year the project began.
    pub start_year: i32,
}

/// A department a register file names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDepartment {
    /// Its unit code.
    pub code: String,
    /// Its Chinese name.
    pub zh: String,
    /// Its English name.
    pub en: String,
}

/// A register as a city writes it: the departments it names and its projects in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The departments the projects name.
    #[serde(default, rename = "department")]
    pub departments: Vec<RegisterDepartment>,
    /// The projects, in the order the city lists them.
    #[serde(default, rename = "project")]
    pub projects: Vec<RegisteredProject>,
}

/// What a loaded register changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterLoad {
    /// Projects that were not registered before.
    pub added: Vec<String>,
    /// Projects whose entry changed.
    pub changed: Vec<String>,
    /// Projects loaded as they were.
    pub unchanged: Vec<String>,
    /// Registered projects the file does not list (kept as they were).
    pub kept: Vec<String>,
}

/// The register shipped for the demo: Shanghai's 16 projects, with illustrative departments,
/// leaders and duties (the paper names none).
pub const SHANGHAI_REGISTER: &str = include_str!("../../defaults/register.toml");

/// Most projects a register holds (a survey catalogue holds at most as many).
pub const MAX_REGISTERED: usize = crate::config::MAX_PROJECTS;

/// The first year a project may begin in.
pub const FIRST_YEAR: i32 = 1949;

/// The first and last year a project may begin in.
const YEARS: std::ops::RangeInclusive<i32> = FIRST_YEAR..=2100;

/// Written in a file's `districts` for a project delivered in every district.
pub const ALL_DISTRICTS: &str = "all";

/// What a register is checked against: the districts of the city and the departments known
/// besides those the file declares.
#[derive(Debug, Clone, Copy)]
pub struct RegisterContext<'a> {
    /// The city's districts.
    pub districts: &'a [LabelledCode],
    /// Departments already in the organisation, by code.
    pub departments: &'a [String],
}

impl Register {
    /// Reads a register from TOML text; every problem of the file at once (by field), or the
    /// file's syntax error.
    pub fn from_toml(text: &str, context: RegisterContext<'_>) -> Result<Register, Vec<Problem>> {
        let mut register: Register = toml::from_str(text).map_err(|error| {
            vec![Problem::new(
                "register",
                format!("项目库文件无法读取：{}", error.message()),
                format!("the register file cannot be read: {error}"),
            )]
        })?;
        register.complete(context)?;
        Ok(register)
    }

    /// The register shipped for the demo, checked against the default districts.
    pub fn shanghai() -> Register {
        let configuration = crate::Configuration::defaults();
        Register::from_toml(
            SHANGHAI_REGISTER,
            RegisterContext {
                districts: configuration.districts.entries(),
                departments: &[],
            },
        )
        .expect("the shipped register is valid (checked by tests)")
    }

    /// Expands `all` in each project's districts and checks the whole register; every
    /// problem found, each naming its project and field.
    pub fn complete(&mut self, context: RegisterContext<'_>) -> Result<(), Vec<Problem>> {
        for project in &mut self.projects {
            if project.districts.iter().any(|d| d.trim() == ALL_DISTRICTS) {
                project.districts = context.districts.iter().map(|d| d.code.clone()).collect();
            }
        }
        let problems = self.problems(context);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Everything wrong with the register (empty when nothing is).
    pub fn problems(&self, context: RegisterContext<'_>) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.projects.is_empty() {
            problems.push(Problem::new(
                "project",
                "项目库中没有项目。",
                "the register lists no project",
            ));
        }
        if self.projects.len() > MAX_REGISTERED {
            problems.push(Problem::new(
                "project",
                format!("项目库最多容纳{MAX_REGISTERED}个项目。"),
                format!("a register holds at most {MAX_REGISTERED} projects"),
            ));
        }
        let mut departments: BTreeSet<&str> =
            context.departments.iter().map(String::as_str).collect();
        for (index, department) in self.departments.iter().enumerate() {
            let field = format!("department[{index}]");
            check_code(&mut problems, &format!("{field}.code"), &department.code);
            if department.zh.trim().is_empty() || department.en.trim().is_empty() {
                problems.push(Problem::new(
                    format!("{field}.zh"),
                    format!("部门“{}”须有中文和英文名称。", department.code),
                    format!("department {:?} needs a zh and an en name", department.code),
                ));
            }
            if !departments.insert(department.code.as_str())
                && !context.departments.contains(&department.code)
            {
                problems.push(Problem::new(
                    format!("{field}.code"),
                    format!("部门代码“{}”重复。", department.code),
                    format!("department code {:?} appears twice", department.code),
                ));
            }
        }
        let districts: BTreeSet<&str> = context.districts.iter().map(|d| d.code.as_str()).collect();
        let mut codes = BTreeSet::new();
        for (index, project) in self.projects.iter().enumerate() {
            let field = format!("project[{index}]");
            let name = if project.name_zh.trim().is_empty() {
                project.code.clone()
            } else {
                project.name_zh.clone()
            };
            check_code(&mut problems, &format!("{field}.code"), &project.code);
            if !codes.insert(project.code.as_str()) {
                problems.push(Problem::new(
                    format!("{field}.code"),
                    format!("项目代码“{}”重复。", project.code),
                    format!("project code {:?} appears twice", project.code),
                ));
            }
            for (key, value, zh) in [
                ("name_zh", &project.name_zh, "中文名称"),
                ("name_en", &project.name_en, "英文名称"),
                ("leader_zh", &project.leader_zh, "责任市领导"),
                (
                    "steering_zh",
                    &project.steering_zh,
                    "领导小组或工作专班的名称",
                ),
            ] {
                if value.trim().is_empty() {
                    problems.push(Problem::new(
                        format!("{field}.{key}"),
                        format!("项目“{name}”缺少{zh}。"),
                        format!("project {:?} needs its {key}", project.code),
                    ));
                }
            }
            if !departments.contains(project.lead_department.as_str()) {
                problems.push(Problem::new(
                    format!("{field}.lead_department"),
                    format!(
                        "项目“{name}”的牵头部门“{}”不在部门名单中。",
                        project.lead_department
                    ),
                    format!(
                        "project {:?}: the lead department {:?} is not a known department",
                        project.code, project.lead_department
                    ),
                ));
            }
            let mut taking_part = BTreeSet::from([project.lead_department.as_str()]);
            for (position, participant) in project.participants.iter().enumerate() {
                let participant_field = format!("{field}.participant[{position}].department");
                if !departments.contains(participant.department.as_str()) {
                    problems.push(Problem::new(
                        participant_field,
                        format!(
                            "项目“{name}”的配合部门“{}”不在部门名单中。",
                            participant.department
                        ),
                        format!(
                            "project {:?}: the participating department {:?} is not a known department",
                            project.code, participant.department
                        ),
                    ));
                } else if !taking_part.insert(participant.department.as_str()) {
                    problems.push(Problem::new(
                        participant_field,
                        format!(
                            "项目“{name}”的部门“{}”列了两次（牵头部门不再列为配合部门）。",
                            participant.department
                        ),
                        format!(
                            "project {:?}: the department {:?} takes part twice (the lead is not also a participant)",
                            project.code, participant.department
                        ),
                    ));
                }
            }
            let mut seen = BTreeSet::new();
            for (position, district) in project.districts.iter().enumerate() {
                let district_field = format!("{field}.districts[{position}]");
                if !districts.contains(district.as_str()) {
                    problems.push(Problem::new(
                        district_field,
                        format!("项目“{name}”所列的区“{district}”不是本市的区。"),
                        format!(
                            "project {:?}: {district:?} is not a district of the city",
                            project.code
                        ),
                    ));
                } else if !seen.insert(district.as_str()) {
                    problems.push(Problem::new(
                        district_field,
                        format!("项目“{name}”的区“{district}”列了两次。"),
                        format!("project {:?}: district {district:?} twice", project.code),
                    ));
                }
            }
            if !YEARS.contains(&project.start_year) {
                problems.push(Problem::new(
                    format!("{field}.start_year"),
                    format!(
                        "项目“{name}”的启动年份{}不在{}年至{}年之间。",
                        project.start_year,
                        YEARS.start(),
                        YEARS.end()
                    ),
                    format!(
                        "project {:?}: start year {} is not between {} and {}",
                        project.code,
                        project.start_year,
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
        }
        problems
    }

    /// The project with this code.
    pub fn project(&self, code: &str) -> Option<&RegisteredProject> {
        self.projects.iter().find(|p| p.code == code)
    }

    /// A department's names, by code (`None` when the register does not name it).
    pub fn department(&self, code: &str) -> Option<&RegisterDepartment> {
        self.departments.iter().find(|d| d.code == code)
    }

    /// The register as TOML text, as [`Register::from_toml`] reads it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a register serialises")
    }

    /// A survey catalogue of the register's projects, in its order: codes, names, the lead
    /// department's names and the one-line summaries.
    pub fn catalogue(&self) -> Vec<Project> {
        self.projects
            .iter()
            .map(|project| {
                let lead = self.department(&project.lead_department);
                let nonempty = |text: &str| (!text.trim().is_empty()).then(|| text.to_string());
                Project {
                    code: project.code.clone(),
                    zh: project.name_zh.clone(),
                    en: project.name_en.clone(),
                    lead_department_zh: lead.map(|d| d.zh.clone()),
                    lead_department_en: lead.map(|d| d.en.clone()),
                    summary_zh: nonempty(&project.summary_zh),
                    summary_en: nonempty(&project.summary_en),
                }
            })
            .collect()
    }

    /// The catalogue of [`Register::catalogue`] as the TOML text a wave's configuration holds.
    pub fn catalogue_text(&self) -> String {
        #[derive(Serialize)]
        struct CatalogueFile {
            project: Vec<Project>,
        }
        let header = "# 由项目库生成的调查项目清单（调查开始后保持不变）。\n# The survey catalogue made from the project register (frozen once the survey runs).\n\n";
        let body = toml::to_string(&CatalogueFile {
            project: self.catalogue(),
        })
        .expect("a catalogue serialises");
        format!("{header}{body}")
    }

    /// The codes of `catalogue` the register does not hold, as problems of the field `config`
    /// (a survey may only evaluate registered projects). An empty register refuses nothing:
    /// a platform used for evaluation alone keeps its catalogues as they are.
    pub fn unregistered(&self, catalogue: &Catalogue) -> Vec<Problem> {
        if self.projects.is_empty() {
            return Vec::new();
        }
        catalogue
            .projects
            .iter()
            .filter(|p| self.project(&p.code).is_none())
            .map(|p| {
                Problem::new(
                    "config",
                    format!("调查项目“{}”（{}）不在项目库中。", p.zh, p.code),
                    format!(
                        "the catalogue's project {:?} is not in the register",
                        p.code
                    ),
                )
            })
            .collect()
    }
}

/// Adds a problem when `code` is not a code (1 to 64 characters of letters, digits, `-` and `_`).
fn check_code(problems: &mut Vec<Problem>, field: &str, code: &str) {
    let fits = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !fits {
        problems.push(Problem::new(
            field,
            format!("代码“{code}”须为1至64个字母、数字、连字符或下划线。"),
            format!("the code {code:?} must be 1 to 64 letters, digits, '-' or '_'"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Configuration;

    fn districts() -> Vec<LabelledCode> {
        Configuration::defaults().districts.entries().to_vec()
    }

    fn read(text: &str) -> Result<Register, Vec<Problem>> {
        let districts = districts();
        Register::from_toml(
            text,
            RegisterContext {
                districts: &districts,
                departments: &[],
            },
        )
    }

    #[test]
    fn the_shipped_register_holds_the_catalogues_sixteen_projects() {
        let register = Register::shanghai();
        assert_eq!(register.projects.len(), 16);
        let catalogue = Configuration::defaults().catalogue;
        let codes: Vec<&str> = catalogue.projects.iter().map(|p| p.code.as_str()).collect();
        let registered: Vec<&str> = register.projects.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, registered, "the same projects in the same order");
        assert!(register.unregistered(&catalogue).is_empty());
        assert_eq!(
            register.catalogue(),
            catalogue.projects,
            "the register makes the shipped catalogue, names and lead departments alike"
        );
        let elevators = register.project("elevators").unwrap();
        assert_eq!(elevators.districts.len(), 16, "`all` means every district");
    }

    #[test]
    fn a_catalogue_made_from_the_register_is_a_valid_catalogue() {
        let register = Register::shanghai();
        let text = register.catalogue_text();
        let configuration = Configuration::load(crate::config::ConfigOverrides {
            catalogue: Some(crate::config::ConfigText {
                source_name: "made",
                text: &text,
            }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(configuration.catalogue.projects, register.catalogue());
    }

    #[test]
    fn a_register_round_trips_through_toml() {
        let register = Register::shanghai();
        assert_eq!(read(&register.to_toml()).unwrap(), register);
    }

    #[test]
    fn every_problem_names_its_project_and_field() {
        let text = r#"
[[department]]
code = "commerce"
zh = "市商务委"
en = "Commerce"

[[project]]
code = "breakfast"
name_zh = "早餐工程"
name_en = "Breakfast"
leader_zh = "副市长"
steering = "task_force"
steering_zh = "早餐工程专班"
lead_department = "transport"
districts = ["310101", "999999", "310101"]
start_year = 1900

[[project.participant]]
department = "commerce"

[[project]]
code = "breakfast"
name_zh = ""
name_en = "Again"
leader_zh = "副市长"
steering = "leading_group"
steering_zh = "小组"
lead_department = "commerce"
start_year = 2020

[[project.participant]]
department = "commerce"
"#;
        let problems = read(text).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "project[0].lead_department",
                "project[0].districts[1]",
                "project[0].districts[2]",
                "project[0].start_year",
                "project[1].code",
                "project[1].name_zh",
                "project[1].participant[0].department",
            ]
        );
        assert!(problems[0].zh.contains("早餐工程") && problems[0].zh.contains("transport"));
        assert!(problems[1].zh.contains("999999"));
    }

    #[test]
    fn a_known_department_need_not_be_declared_again() {
        let text = r#"
[[project]]
code = "breakfast"
name_zh = "早餐工程"
name_en = "Breakfast"
leader_zh = "副市长"
steering = "task_force"
steering_zh = "专班"
lead_department = "commerce"
start_year = 2020
"#;
        assert!(read(text).is_err());
        let districts = districts();
        let known = ["commerce".to_string()];
        let register = Register::from_toml(
            text,
            RegisterContext {
                districts: &districts,
                departments: &known,
            },
        )
        .unwrap();
        assert_eq!(register.projects[0].lead_department, "commerce");
    }

    #[test]
    fn a_syntax_error_is_one_problem_of_the_file() {
        let problems = read("[[project]\ncode = ").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "register");
        assert!(problems[0].zh.starts_with("项目库文件无法读取"));
    }

    #[test]
    fn an_empty_register_refuses_no_catalogue_and_a_full_one_refuses_strangers() {
        let catalogue = Configuration::defaults().catalogue;
        assert!(Register::default().unregistered(&catalogue).is_empty());
        let mut register = Register::shanghai();
        register.projects.retain(|p| p.code != "parking");
        let problems = register.unregistered(&catalogue);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("停车难综合治理"));
    }
}
