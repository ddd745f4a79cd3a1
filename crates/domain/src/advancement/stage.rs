//! A project's stage and its plan: where in its life a project is (OC4IDS `projectStatus`, plus
//! `suspended`), which of the paper's four stages that is (准备 / 落实 / 总结 / 退出), which moves
//! are allowed, and the plan (period, budget, scope) that is frozen as the baseline once
//! implementation begins, changed afterwards only by an approved modification (OC4IDS
//! `modificationType`: duration, value, scope).
//!
//! Decisions:
//! - A registered project without a stage decision is in `identification`: registering it is
//!   the decision to develop it.
//! - Moves follow the life of a project: forward one stage at a time, `implementation` may be
//!   suspended and resumed, and a project may be cancelled at any time after identification and
//!   before maintenance (as the OC4IDS codelist says). Every move is a signed decision.
//! - Implementation needs a plan with its period and budget: that plan becomes the baseline.

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::problem::Problem;

/// Where in its life a project is: the OC4IDS `projectStatus` codes, and `suspended`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProjectStatus {
    /// The decision to develop the project (立项).
    Identification,
    /// Feasibility, scoping and planning.
    Preparation,
    /// The works and services are delivered.
    Implementation,
    /// Implementation paused (not an OC4IDS code; published as `implementation`).
    Suspended,
    /// Handover and close-out.
    Completion,
    /// Running and maintaining what was delivered.
    Maintenance,
    /// Disposing of the assets at the end of their life.
    Decommissioning,
    /// Decommissioning is complete.
    Decommissioned,
    /// Cancelled before close-out.
    Cancelled,
}

/// The paper's four stages of a livelihood project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaperStage {
    /// 准备: identification and preparation.
    Preparing,
    /// 落实: implementation (and a suspension of it).
    Delivering,
    /// 总结: completion and maintenance.
    Reviewing,
    /// 退出: decommissioning, decommissioned, or cancelled.
    Exiting,
}

impl PaperStage {
    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            PaperStage::Preparing => ("准备", "Preparing"),
            PaperStage::Delivering => ("落实", "Delivering"),
            PaperStage::Reviewing => ("总结", "Reviewing"),
            PaperStage::Exiting => ("退出", "Exiting"),
        }
    }
}

impl ProjectStatus {
    /// Every status, in the order of a project's life.
    pub const ALL: [ProjectStatus; 9] = [
        ProjectStatus::Identification,
        ProjectStatus::Preparation,
        ProjectStatus::Implementation,
        ProjectStatus::Suspended,
        ProjectStatus::Completion,
        ProjectStatus::Maintenance,
        ProjectStatus::Decommissioning,
        ProjectStatus::Decommissioned,
        ProjectStatus::Cancelled,
    ];

    /// The code stored (the OC4IDS code, or `suspended`).
    pub fn code(self) -> &'static str {
        match self {
            ProjectStatus::Identification => "identification",
            ProjectStatus::Preparation => "preparation",
            ProjectStatus::Implementation => "implementation",
            ProjectStatus::Suspended => "suspended",
            ProjectStatus::Completion => "completion",
            ProjectStatus::Maintenance => "maintenance",
            ProjectStatus::Decommissioning => "decommissioning",
            ProjectStatus::Decommissioned => "decommissioned",
            ProjectStatus::Cancelled => "cancelled",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<ProjectStatus> {
        ProjectStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The code OC4IDS publishes (its codelist is closed: a suspension is `implementation`).
    pub fn oc4ids_code(self) -> &'static str {
        match self {
            ProjectStatus::Suspended => ProjectStatus::Implementation.code(),
            other => other.code(),
        }
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ProjectStatus::Identification => ("立项", "Identification"),
            ProjectStatus::Preparation => ("前期准备", "Preparation"),
            ProjectStatus::Implementation => ("实施", "Implementation"),
            ProjectStatus::Suspended => ("暂停实施", "Suspended"),
            ProjectStatus::Completion => ("完工验收", "Completion"),
            ProjectStatus::Maintenance => ("运行维护", "Maintenance"),
            ProjectStatus::Decommissioning => ("退出处置", "Decommissioning"),
            ProjectStatus::Decommissioned => ("已退出", "Decommissioned"),
            ProjectStatus::Cancelled => ("已撤销", "Cancelled"),
        }
    }

    /// Which of the paper's stages it belongs to.
    pub fn paper_stage(self) -> PaperStage {
        match self {
            ProjectStatus::Identification | ProjectStatus::Preparation => PaperStage::Preparing,
            ProjectStatus::Implementation | ProjectStatus::Suspended => PaperStage::Delivering,
            ProjectStatus::Completion | ProjectStatus::Maintenance => PaperStage::Reviewing,
            ProjectStatus::Decommissioning
            | ProjectStatus::Decommissioned
            | ProjectStatus::Cancelled => PaperStage::Exiting,
        }
    }

    /// The statuses a project in this one may move to.
    pub fn next(self) -> &'static [ProjectStatus] {
        use ProjectStatus::*;
        match self {
            Identification => &[Preparation, Cancelled],
            Preparation => &[Implementation, Cancelled],
            Implementation => &[Completion, Suspended, Cancelled],
            Suspended => &[Implementation, Cancelled],
            Completion => &[Maintenance, Cancelled],
            Maintenance => &[Decommissioning],
            Decommissioning => &[Decommissioned],
            Decommissioned | Cancelled => &[],
        }
    }

    /// Whether the plan is the baseline, frozen, in this status (implementation has begun).
    pub fn baseline_frozen(self) -> bool {
        !matches!(
            self,
            ProjectStatus::Identification | ProjectStatus::Preparation
        )
    }
}

impl Serialize for ProjectStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ProjectStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        ProjectStatus::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("{code:?} is not a project status")))
    }
}

/// Whether a project may move from `from` to `to`; the problem, in both languages, when not.
pub fn check_move(from: ProjectStatus, to: ProjectStatus) -> Result<(), Problem> {
    if from.next().contains(&to) {
        return Ok(());
    }
    let allowed_zh: Vec<&str> = from.next().iter().map(|s| s.names().0).collect();
    let allowed_en: Vec<&str> = from.next().iter().map(|s| s.code()).collect();
    Err(Problem::new(
        "to",
        if allowed_zh.is_empty() {
            format!("项目已处于“{}”阶段，不能再调整。", from.names().0)
        } else {
            format!(
                "项目处于“{}”阶段，只能调整为：{}。",
                from.names().0,
                allowed_zh.join("、")
            )
        },
        format!(
            "a project in {} may move to {}, not to {}",
            from.code(),
            if allowed_en.is_empty() {
                "nothing".to_string()
            } else {
                allowed_en.join(", ")
            },
            to.code()
        ),
    ))
}

/// What a project is planned to take and to deliver: its period, its budget and its scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectPlan {
    /// The first day of the planned period (ISO date).
    #[serde(default)]
    pub period_start: Option<String>,
    /// The last day of the planned period (ISO date).
    #[serde(default)]
    pub period_end: Option<String>,
    /// The budget, in yuan (元).
    #[serde(default)]
    pub budget_yuan: Option<i64>,
    /// What is to be delivered, in Chinese.
    #[serde(default)]
    pub scope_zh: String,
    /// What is to be delivered, in English.
    #[serde(default)]
    pub scope_en: String,
}

/// The most a budget may be, in yuan (a trillion yuan; a typo, not a project, beyond).
pub const MAX_BUDGET_YUAN: i64 = 1_000_000_000_000;

impl ProjectPlan {
    /// Everything wrong with the plan: dates that are not dates, a period that ends before it
    /// starts, a budget that is negative or beyond [`MAX_BUDGET_YUAN`].
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut day = |field: &str, text: &Option<String>| -> Option<Day> {
            let text = text.as_deref()?;
            let parsed = Day::parse(text);
            if parsed.is_none() {
                problems.push(Problem::new(
                    field,
                    format!("“{text}”不是日期（例如 2021-12-31）。"),
                    format!("{text:?} is not a date such as 2021-12-31"),
                ));
            }
            parsed
        };
        let start = day("period_start", &self.period_start);
        let end = day("period_end", &self.period_end);
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                problems.push(Problem::new(
                    "period_end",
                    "计划结束日期早于开始日期。",
                    "the planned period ends before it starts",
                ));
            }
        }
        if let Some(budget) = self.budget_yuan {
            if !(0..=MAX_BUDGET_YUAN).contains(&budget) {
                problems.push(Problem::new(
                    "budget_yuan",
                    "预算须为0至1万亿元之间的整数（单位：元）。",
                    format!("the budget must be 0 to {MAX_BUDGET_YUAN} yuan"),
                ));
            }
        }
        problems
    }

    /// What the plan lacks to become a baseline: a period and a budget.
    pub fn baseline_problems(&self) -> Vec<Problem> {
        let mut problems = self.problems();
        for (field, missing, zh) in [
            ("period_start", self.period_start.is_none(), "计划开始日期"),
            ("period_end", self.period_end.is_none(), "计划结束日期"),
            ("budget_yuan", self.budget_yuan.is_none(), "预算"),
        ] {
            if missing {
                problems.push(Problem::new(
                    field,
                    format!("进入实施阶段前须填写{zh}：它将作为基线冻结。"),
                    format!(
                        "implementation needs the plan's {field}: it becomes the frozen baseline"
                    ),
                ));
            }
        }
        problems
    }
}

/// What a modification changes (OC4IDS `modificationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModificationKind {
    /// The period (工期).
    Duration,
    /// The budget (投资额).
    Value,
    /// What is delivered (建设内容).
    Scope,
}

impl ModificationKind {
    /// The code stored (the OC4IDS code).
    pub fn code(self) -> &'static str {
        match self {
            ModificationKind::Duration => "duration",
            ModificationKind::Value => "value",
            ModificationKind::Scope => "scope",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<ModificationKind> {
        [
            ModificationKind::Duration,
            ModificationKind::Value,
            ModificationKind::Scope,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ModificationKind::Duration => ("工期调整", "Duration"),
            ModificationKind::Value => ("投资调整", "Value"),
            ModificationKind::Scope => ("内容调整", "Scope"),
        }
    }

    /// The plan `current` with this kind's part taken from `proposed` (the rest unchanged).
    pub fn apply(self, current: &ProjectPlan, proposed: &ProjectPlan) -> ProjectPlan {
        let mut changed = current.clone();
        match self {
            ModificationKind::Duration => {
                changed.period_start = proposed.period_start.clone();
                changed.period_end = proposed.period_end.clone();
            }
            ModificationKind::Value => changed.budget_yuan = proposed.budget_yuan,
            ModificationKind::Scope => {
                changed.scope_zh = proposed.scope_zh.clone();
                changed.scope_en = proposed.scope_en.clone();
            }
        }
        changed
    }
}

/// Where a proposed modification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModificationStatus {
    /// Waiting for the office.
    Proposed,
    /// Approved by the office: the current plan follows it.
    Approved,
    /// Not approved, with the office's reason.
    Rejected,
}

impl ModificationStatus {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            ModificationStatus::Proposed => "proposed",
            ModificationStatus::Approved => "approved",
            ModificationStatus::Rejected => "rejected",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<ModificationStatus> {
        match code {
            "proposed" => Some(ModificationStatus::Proposed),
            "approved" => Some(ModificationStatus::Approved),
            "rejected" => Some(ModificationStatus::Rejected),
            _ => None,
        }
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ModificationStatus::Proposed => ("待审批", "Awaiting approval"),
            ModificationStatus::Approved => ("已批准", "Approved"),
            ModificationStatus::Rejected => ("未批准", "Not approved"),
        }
    }
}

/// A change of a frozen plan, proposed with its reason and decided by the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modification {
    /// Its number.
    pub id: i64,
    /// The project.
    pub project: String,
    /// What it changes.
    pub kind: ModificationKind,
    /// Why, as proposed.
    pub reason: String,
    /// The plan as it was when proposed.
    pub before: ProjectPlan,
    /// The plan as it would be.
    pub after: ProjectPlan,
    /// Who proposed it (account).
    pub proposed_by: String,
    /// When, milliseconds since the Unix epoch.
    pub proposed_at_ms: i64,
    /// Where it stands.
    pub status: ModificationStatus,
    /// Who decided it (account), once decided.
    pub decided_by: Option<String>,
    /// When it was decided.
    pub decided_at_ms: Option<i64>,
    /// The office's note (its reason when not approved).
    pub decision_note: String,
}

/// A project's stage and plans, as pages and the API show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectStanding {
    /// The project.
    pub project: String,
    /// Its status.
    pub status: ProjectStatus,
    /// The stage decision in force (none while the project is in identification by default);
    /// the next move supersedes it.
    pub stage_decision: Option<crate::decision::DecisionId>,
    /// The plan now (after approved modifications).
    pub plan: ProjectPlan,
    /// The plan frozen when implementation began; `None` before.
    pub baseline: Option<ProjectPlan>,
    /// When the baseline was frozen.
    pub baseline_at_ms: Option<i64>,
    /// Every modification proposed, oldest first.
    pub modifications: Vec<Modification>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_belongs_to_one_of_the_papers_stages_and_reads_back() {
        for status in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::from_code(status.code()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(
                serde_json::from_str::<ProjectStatus>(&json).unwrap(),
                status
            );
        }
        assert_eq!(
            ProjectStatus::Suspended.paper_stage(),
            PaperStage::Delivering
        );
        assert_eq!(ProjectStatus::Suspended.oc4ids_code(), "implementation");
        assert_eq!(ProjectStatus::Cancelled.paper_stage(), PaperStage::Exiting);
        assert_eq!(
            ProjectStatus::Maintenance.paper_stage(),
            PaperStage::Reviewing
        );
    }

    #[test]
    fn a_project_moves_forward_may_pause_and_may_be_cancelled_before_maintenance() {
        use ProjectStatus::*;
        assert!(check_move(Identification, Preparation).is_ok());
        assert!(check_move(Implementation, Suspended).is_ok());
        assert!(check_move(Suspended, Implementation).is_ok());
        let skipped = check_move(Identification, Implementation).unwrap_err();
        assert_eq!(skipped.field, "to");
        assert!(skipped.zh.contains("前期准备、已撤销"), "{}", skipped.zh);
        assert!(check_move(Maintenance, Cancelled).is_err());
        assert!(check_move(Completion, Cancelled).is_ok());
        let ended = check_move(Cancelled, Preparation).unwrap_err();
        assert!(ended.zh.contains("不能再调整"));
        for status in ProjectStatus::ALL {
            assert!(check_move(status, status).is_err(), "{status:?} to itself");
            assert!(
                check_move(status, Identification).is_err(),
                "nothing returns to identification"
            );
        }
    }

    #[test]
    fn a_plan_needs_its_period_and_budget_to_become_a_baseline() {
        let plan = ProjectPlan {
            period_start: Some("2021-01-01".into()),
            period_end: Some("2020-12-31".into()),
            budget_yuan: Some(-1),
            ..ProjectPlan::default()
        };
        let fields: Vec<String> = plan.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["period_end", "budget_yuan"]);
        let empty = ProjectPlan::default();
        assert!(empty.problems().is_empty());
        let fields: Vec<String> = empty
            .baseline_problems()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["period_start", "period_end", "budget_yuan"]);
        let bad_date = ProjectPlan {
            period_start: Some("2021-02-30".into()),
            ..ProjectPlan::default()
        };
        assert!(bad_date.problems()[0].zh.contains("2021-02-30"));
    }

    #[test]
    fn a_modification_changes_its_own_part_of_the_plan_only() {
        let current = ProjectPlan {
            period_start: Some("2021-01-01".into()),
            period_end: Some("2021-12-31".into()),
            budget_yuan: Some(100),
            scope_zh: "新建100个网点".into(),
            scope_en: String::new(),
        };
        let proposed = ProjectPlan {
            period_start: Some("2021-01-01".into()),
            period_end: Some("2022-06-30".into()),
            budget_yuan: Some(999),
            scope_zh: "另一回事".into(),
            scope_en: String::new(),
        };
        let longer = ModificationKind::Duration.apply(&current, &proposed);
        assert_eq!(longer.period_end.as_deref(), Some("2022-06-30"));
        assert_eq!(longer.budget_yuan, Some(100));
        assert_eq!(longer.scope_zh, "新建100个网点");
        let dearer = ModificationKind::Value.apply(&current, &proposed);
        assert_eq!(
            (dearer.budget_yuan, dearer.period_end),
            (Some(999), current.period_end.clone())
        );
    }
}
