//! Responsibility letters (责任书): what a project's lead department promises the city for a
//! year, issued by the coordination office and accepted (signed) by the department. A letter
//! holds structured commitments:
//! - milestones (the timetable, 时间表): a title, an OC4IDS `milestoneType`, a due date, the
//!   responsible unit and person;
//! - quantified targets (the task book, 任务书): a quantity with its unit of measure and due
//!   date, broken down by district where districts deliver it, each district's share owned by
//!   that district;
//! - the roadmap (路线图): ordered phases, each holding some of the milestones.
//!
//! Decisions:
//! - A letter is drafted (by the office or the lead department), issued by the office, and
//!   accepted by the lead department; the office may take an issued letter back to draft
//!   before acceptance. Commitments change only in a draft; an accepted letter is the record.
//! - A target broken down by district has shares for districts the project is delivered in,
//!   each district once, summing to the target's quantity.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::problem::Problem;

/// The OC4IDS `milestoneType` codes.
pub const MILESTONE_TYPES: [(&str, &str, &str); 10] = [
    ("preProcurement", "前期工作", "Pre-procurement"),
    ("approval", "审批", "Approval"),
    ("engagement", "公众参与", "Engagement"),
    ("assessment", "评审", "Assessment"),
    ("delivery", "交付", "Delivery"),
    ("reporting", "报告", "Reporting"),
    ("financing", "资金", "Financing"),
    ("payment", "支付", "Payment"),
    ("procurement", "采购", "Procurement"),
    ("contractClose", "合同完结", "Contract close"),
];

/// The names of a milestone type, by its OC4IDS code.
pub fn milestone_type_names(code: &str) -> Option<(&'static str, &'static str)> {
    MILESTONE_TYPES
        .iter()
        .find(|(known, _, _)| *known == code)
        .map(|(_, zh, en)| (*zh, *en))
}

/// A milestone of the timetable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneCommitment {
    /// Its code within the letter (`m1`).
    pub id: String,
    /// What is to happen, in Chinese.
    pub title_zh: String,
    /// What is to happen, in English.
    #[serde(default)]
    pub title_en: String,
    /// Its OC4IDS `milestoneType`.
    pub kind: String,
    /// When it is due (ISO date).
    pub due: String,
    /// The responsible unit (a department or a district), by code.
    pub unit: String,
    /// The responsible person, by name.
    pub person: String,
}

/// One district's share of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictShare {
    /// The district's code.
    pub district: String,
    /// Its share of the quantity.
    pub quantity: f64,
}

/// A quantified target of the task book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetCommitment {
    /// Its code within the letter (`t1`).
    pub id: String,
    /// What is to be achieved, in Chinese.
    pub title_zh: String,
    /// What is to be achieved, in English.
    #[serde(default)]
    pub title_en: String,
    /// The unit of measure, in Chinese (部, 个, 公里).
    pub measure_zh: String,
    /// The unit of measure, in English.
    #[serde(default)]
    pub measure_en: String,
    /// How much, in all.
    pub quantity: f64,
    /// When it is due (ISO date).
    pub due: String,
    /// The unit that owns the target as a whole (the lead department), by code.
    pub unit: String,
    /// Its breakdown by district (empty when the department delivers it alone).
    #[serde(default)]
    pub shares: Vec<DistrictShare>,
    /// Its weight in the project's progress: declared for every target of the letter, summing
    /// to 1, or for none (then the targets weigh the same).
    #[serde(default)]
    pub weight: Option<f64>,
}

/// A phase of the roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Its title, in Chinese.
    pub title_zh: String,
    /// Its title, in English.
    #[serde(default)]
    pub title_en: String,
    /// The milestones it holds, by code, in order.
    #[serde(default)]
    pub milestones: Vec<String>,
}

/// What a letter commits to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitments {
    /// The timetable.
    #[serde(default)]
    pub milestones: Vec<MilestoneCommitment>,
    /// The task book.
    #[serde(default)]
    pub targets: Vec<TargetCommitment>,
    /// The roadmap, in order.
    #[serde(default)]
    pub phases: Vec<Phase>,
}

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterStatus {
    /// Being drafted: its commitments may change.
    Draft,
    /// Issued by the office, awaiting the lead department's signature.
    Issued,
    /// Accepted (signed) by the lead department.
    Accepted,
}

impl LetterStatus {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            LetterStatus::Draft => "draft",
            LetterStatus::Issued => "issued",
            LetterStatus::Accepted => "accepted",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<LetterStatus> {
        match code {
            "draft" => Some(LetterStatus::Draft),
            "issued" => Some(LetterStatus::Issued),
            "accepted" => Some(LetterStatus::Accepted),
            _ => None,
        }
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            LetterStatus::Draft => ("起草中", "Draft"),
            LetterStatus::Issued => ("已下达，待签收", "Issued, awaiting signature"),
            LetterStatus::Accepted => ("已签收", "Accepted"),
        }
    }
}

/// A responsibility letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Letter {
    /// The project.
    pub project: String,
    /// The year it covers.
    pub year: i32,
    /// Where it stands.
    pub status: LetterStatus,
    /// What it commits to.
    pub commitments: Commitments,
    /// Who issued it (account), once issued.
    pub issued_by: Option<String>,
    /// When it was issued.
    pub issued_at_ms: Option<i64>,
    /// Who signed it for the lead department (account), once accepted.
    pub accepted_by: Option<String>,
    /// Their name as signed.
    pub accepted_by_name: Option<String>,
    /// When it was accepted.
    pub accepted_at_ms: Option<i64>,
}

/// What commitments are checked against: the units of the organisation and the districts the
/// project is delivered in.
#[derive(Debug, Clone, Copy)]
pub struct LetterContext<'a> {
    /// Every unit's code (departments, districts, streets).
    pub units: &'a [String],
    /// The districts the project is delivered in.
    pub districts: &'a [String],
}

/// How far two quantities may differ and still be the same (shares summing to a target).
const SAME_QUANTITY: f64 = 1e-6;

/// The most a target's quantity may be.
pub const MAX_QUANTITY: f64 = 1e12;

impl Commitments {
    /// Everything wrong with the commitments, each problem naming its field
    /// (`targets[1].shares[0].district`).
    pub fn problems(&self, context: LetterContext<'_>) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let mut check_id = |problems: &mut Vec<Problem>, field: String, id: &str| {
            let fits = !id.is_empty()
                && id.len() <= 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !fits {
                problems.push(Problem::new(
                    field,
                    format!("编号“{id}”须为1至32个字母、数字、连字符或下划线。"),
                    format!("the code {id:?} must be 1 to 32 letters, digits, '-' or '_'"),
                ));
            } else if !ids.insert(id.to_string()) {
                problems.push(Problem::new(
                    field,
                    format!("编号“{id}”在责任书中重复。"),
                    format!("the code {id:?} appears twice in the letter"),
                ));
            }
        };
        let unit_known = |code: &str| context.units.iter().any(|u| u == code);
        for (index, milestone) in self.milestones.iter().enumerate() {
            let field = |key: &str| format!("milestones[{index}].{key}");
            check_id(&mut problems, field("id"), &milestone.id);
            required(
                &mut problems,
                field("title_zh"),
                &milestone.title_zh,
                "节点名称",
            );
            required(&mut problems, field("person"), &milestone.person, "责任人");
            if milestone_type_names(&milestone.kind).is_none() {
                problems.push(Problem::new(
                    field("kind"),
                    format!("节点类型“{}”不是规定的类型。", milestone.kind),
                    format!("{:?} is not an OC4IDS milestoneType", milestone.kind),
                ));
            }
            date(&mut problems, field("due"), &milestone.due);
            if !unit_known(&milestone.unit) {
                problems.push(Problem::new(
                    field("unit"),
                    format!("责任单位“{}”不在组织名单中。", milestone.unit),
                    format!("the unit {:?} is not in the organisation", milestone.unit),
                ));
            }
        }
        for (index, target) in self.targets.iter().enumerate() {
            let field = |key: &str| format!("targets[{index}].{key}");
            check_id(&mut problems, field("id"), &target.id);
            required(
                &mut problems,
                field("title_zh"),
                &target.title_zh,
                "任务名称",
            );
            required(
                &mut problems,
                field("measure_zh"),
                &target.measure_zh,
                "计量单位",
            );
            date(&mut problems, field("due"), &target.due);
            if !(target.quantity.is_finite()
                && target.quantity > 0.0
                && target.quantity <= MAX_QUANTITY)
            {
                problems.push(Problem::new(
                    field("quantity"),
                    "目标数量须为正数。",
                    "the quantity must be a positive number",
                ));
            }
            if !unit_known(&target.unit) {
                problems.push(Problem::new(
                    field("unit"),
                    format!("责任单位“{}”不在组织名单中。", target.unit),
                    format!("the unit {:?} is not in the organisation", target.unit),
                ));
            }
            let mut seen = BTreeSet::new();
            for (position, share) in target.shares.iter().enumerate() {
                let share_field = format!("targets[{index}].shares[{position}]");
                if !context.districts.contains(&share.district) {
                    problems.push(Problem::new(
                        format!("{share_field}.district"),
                        format!("区“{}”不是本项目的实施区。", share.district),
                        format!(
                            "{:?} is not a district the project is delivered in",
                            share.district
                        ),
                    ));
                } else if !seen.insert(share.district.as_str()) {
                    problems.push(Problem::new(
                        format!("{share_field}.district"),
                        format!("区“{}”分解了两次。", share.district),
                        format!("district {:?} has two shares", share.district),
                    ));
                }
                if !(share.quantity.is_finite() && share.quantity >= 0.0) {
                    problems.push(Problem::new(
                        format!("{share_field}.quantity"),
                        "分解数量不能为负数。",
                        "a share may not be negative",
                    ));
                }
            }
            if !target.shares.is_empty() {
                let sum: f64 = target.shares.iter().map(|s| s.quantity).sum();
                if (sum - target.quantity).abs() > SAME_QUANTITY * target.quantity.max(1.0) {
                    problems.push(Problem::new(
                        field("shares"),
                        format!(
                            "各区分解数之和为{}，与目标数量{}不符。",
                            trimmed(sum),
                            trimmed(target.quantity)
                        ),
                        format!(
                            "the districts' shares sum to {}, not to the quantity {}",
                            trimmed(sum),
                            trimmed(target.quantity)
                        ),
                    ));
                }
            }
        }
        let declared = self.targets.iter().filter(|t| t.weight.is_some()).count();
        if declared > 0 {
            for (index, target) in self.targets.iter().enumerate() {
                match target.weight {
                    None => problems.push(Problem::new(
                        format!("targets[{index}].weight"),
                        "一项任务声明了权重，其余任务也须声明。",
                        "when one target declares a weight, every target does",
                    )),
                    Some(weight) if !(weight.is_finite() && weight > 0.0 && weight <= 1.0) => {
                        problems.push(Problem::new(
                            format!("targets[{index}].weight"),
                            "权重须大于0且不超过1。",
                            "a weight is more than 0 and at most 1",
                        ))
                    }
                    Some(_) => {}
                }
            }
            let sum: f64 = self.targets.iter().filter_map(|t| t.weight).sum();
            if declared == self.targets.len() && (sum - 1.0).abs() > SAME_QUANTITY {
                problems.push(Problem::new(
                    "targets",
                    format!("各项任务的权重之和为{}，应为1。", trimmed(sum)),
                    format!("the targets' weights sum to {}, not to 1", trimmed(sum)),
                ));
            }
        }
        let known: BTreeSet<&str> = self.milestones.iter().map(|m| m.id.as_str()).collect();
        let mut placed = BTreeSet::new();
        for (index, phase) in self.phases.iter().enumerate() {
            required(
                &mut problems,
                format!("phases[{index}].title_zh"),
                &phase.title_zh,
                "阶段名称",
            );
            for (position, id) in phase.milestones.iter().enumerate() {
                let field = format!("phases[{index}].milestones[{position}]");
                if !known.contains(id.as_str()) {
                    problems.push(Problem::new(
                        field,
                        format!("路线图引用的节点“{id}”不在时间表中。"),
                        format!("the roadmap names {id:?}, which is no milestone of the letter"),
                    ));
                } else if !placed.insert(id.as_str()) {
                    problems.push(Problem::new(
                        field,
                        format!("节点“{id}”在路线图中出现两次。"),
                        format!("milestone {id:?} is in two places of the roadmap"),
                    ));
                }
            }
        }
        problems
    }

    /// Whether the letter commits to nothing yet.
    pub fn is_empty(&self) -> bool {
        self.milestones.is_empty() && self.targets.is_empty()
    }
}

/// A quantity as people write it: no trailing zeros (`12`, `2.5`).
pub fn trimmed(quantity: f64) -> String {
    let text = format!("{quantity:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Adds a problem when `text` is empty.
fn required(problems: &mut Vec<Problem>, field: String, text: &str, zh: &str) {
    if text.trim().is_empty() {
        problems.push(Problem::new(
            field.clone(),
            format!("请填写{zh}。"),
            format!("{field} is required"),
        ));
    }
}

/// Adds a problem when `text` is not an ISO date.
fn date(problems: &mut Vec<Problem>, field: String, text: &str) {
    if Day::parse(text).is_none() {
        problems.push(Problem::new(
            field,
            format!("“{text}”不是日期（例如 2021-06-30）。"),
            format!("{text:?} is not a date such as 2021-06-30"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context_units() -> Vec<String> {
        ["housing-administration", "310101", "310104"]
            .map(String::from)
            .to_vec()
    }

    fn elevators() -> Commitments {
        Commitments {
            milestones: vec![
                MilestoneCommitment {
                    id: "m1".into(),
                    title_zh: "完成居民意见征询".into(),
                    title_en: String::new(),
                    kind: "engagement".into(),
                    due: "2021-03-31".into(),
                    unit: "310101".into(),
                    person: "张三".into(),
                },
                MilestoneCommitment {
                    id: "m2".into(),
                    title_zh: "开工".into(),
                    title_en: String::new(),
                    kind: "delivery".into(),
                    due: "2021-06-30".into(),
                    unit: "housing-administration".into(),
                    person: "李四".into(),
                },
            ],
            targets: vec![TargetCommitment {
                id: "t1".into(),
                title_zh: "加装电梯".into(),
                title_en: String::new(),
                measure_zh: "台".into(),
                measure_en: "elevators".into(),
                quantity: 1000.0,
                due: "2021-12-31".into(),
                unit: "housing-administration".into(),
                shares: vec![
                    DistrictShare {
                        district: "310101".into(),
                        quantity: 400.0,
                    },
                    DistrictShare {
                        district: "310104".into(),
                        quantity: 600.0,
                    },
                ],
                weight: None,
            }],
            phases: vec![Phase {
                title_zh: "前期".into(),
                title_en: String::new(),
                milestones: vec!["m1".into(), "m2".into()],
            }],
        }
    }

    #[test]
    fn a_complete_letter_has_no_problem() {
        let units = context_units();
        let districts = ["310101".to_string(), "310104".to_string()];
        let context = LetterContext {
            units: &units,
            districts: &districts,
        };
        assert_eq!(elevators().problems(context), []);
        assert!(!elevators().is_empty());
        assert!(Commitments::default().is_empty());
    }

    #[test]
    fn every_problem_names_its_field() {
        let units = context_units();
        let districts = ["310101".to_string(), "310104".to_string()];
        let context = LetterContext {
            units: &units,
            districts: &districts,
        };
        let mut letter = elevators();
        letter.targets[0].id = "m2".into();
        letter.milestones[1].kind = "groundbreaking".into();
        letter.milestones[0].due = "2021-02-30".into();
        letter.targets[0].shares[1].quantity = 500.0;
        letter.targets[0].shares.push(DistrictShare {
            district: "310115".into(),
            quantity: 0.0,
        });
        letter.phases[0].milestones.push("m9".into());
        let fields: Vec<String> = letter
            .problems(context)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "milestones[0].due",
                "milestones[1].kind",
                "targets[0].id",
                "targets[0].shares[2].district",
                "targets[0].shares",
                "phases[0].milestones[2]",
            ]
        );
        let sum = &letter.problems(context)[4];
        assert!(
            sum.zh.contains("900") && sum.zh.contains("1000"),
            "{}",
            sum.zh
        );
    }

    #[test]
    fn declared_weights_sum_to_one() {
        let units = context_units();
        let districts = ["310101".to_string(), "310104".to_string()];
        let context = LetterContext {
            units: &units,
            districts: &districts,
        };
        let mut letter = elevators();
        let mut second = letter.targets[0].clone();
        second.id = "t2".into();
        letter.targets.push(second);
        letter.targets[0].weight = Some(0.7);
        let fields: Vec<String> = letter
            .problems(context)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["targets[1].weight"]);
        letter.targets[1].weight = Some(0.2);
        let problems = letter.problems(context);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("0.9"), "{}", problems[0].zh);
        letter.targets[1].weight = Some(0.3);
        assert!(letter.problems(context).is_empty());
    }

    #[test]
    fn quantities_read_as_people_write_them() {
        assert_eq!(trimmed(12.0), "12");
        assert_eq!(trimmed(2.5), "2.5");
        assert_eq!(trimmed(0.125), "0.125");
    }
}
