//! Progress reports (进展报告): each month, every unit that owns part of a letter reports on
//! it: for each target it owns the cumulative quantity achieved (a district its share, the
//! lead department a target it delivers alone), for each milestone it owns its status as
//! reviewed (OC4IDS `milestoneStatus`), and the lead department the project's physical and
//! financial progress in percent (OC4IDS metrics `physicalProgress`, `financialProgress`).
//! Reports are submitted by the unit, reviewed by the lead department, and accepted or returned
//! with a reason by the office. Roll-ups weigh the parts by declared weights that sum to 1, and
//! a part nobody has reported on is missing, never 0.
//!
//! Decisions:
//! - A returned report does not count; the unit submits the month again.
//! - A target's progress is its latest cumulative figure reported for a month up to the one
//!   asked about, capped at the target (achieving more does not make up for another target).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::letter::{trimmed, Letter, MAX_QUANTITY};
use crate::calendar::Day;
use crate::problem::Problem;

/// A calendar month (`2021-06`), the period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
}

impl Month {
    /// Reads `2021-06`.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let month: u8 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Month {
            year: year.parse().ok()?,
            month,
        })
    }

    /// The month `day` falls in.
    pub fn of(day: Day) -> Month {
        let (year, month, _) = day.civil();
        Month {
            // A day's year fits: days are read from four-digit years.
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: month as u8,
        }
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A milestone's status as last reviewed (OC4IDS `milestoneStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MilestoneStatus {
    /// Scheduled; not yet evaluated.
    Scheduled,
    /// Achieved.
    Met,
    /// Not met as of the review.
    NotMet,
    /// Partly met as of the review.
    PartiallyMet,
}

impl MilestoneStatus {
    /// The OC4IDS code.
    pub fn code(self) -> &'static str {
        match self {
            MilestoneStatus::Scheduled => "scheduled",
            MilestoneStatus::Met => "met",
            MilestoneStatus::NotMet => "notMet",
            MilestoneStatus::PartiallyMet => "partiallyMet",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<MilestoneStatus> {
        [
            MilestoneStatus::Scheduled,
            MilestoneStatus::Met,
            MilestoneStatus::NotMet,
            MilestoneStatus::PartiallyMet,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            MilestoneStatus::Scheduled => ("按计划推进", "Scheduled"),
            MilestoneStatus::Met => ("已完成", "Met"),
            MilestoneStatus::NotMet => ("未完成", "Not met"),
            MilestoneStatus::PartiallyMet => ("部分完成", "Partially met"),
        }
    }
}

/// The cumulative quantity achieved of a target (of one district's share, when `district`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetReport {
    /// The target's code in the letter.
    pub target: String,
    /// The district whose share this is; `None` for a target delivered whole.
    #[serde(default)]
    pub district: Option<String>,
    /// Achieved so far, in the target's unit of measure.
    pub achieved: f64,
}

/// A milestone's status as reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneReport {
    /// The milestone's code in the letter.
    pub milestone: String,
    /// Its status.
    pub status: MilestoneStatus,
}

/// What a report says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportContent {
    /// The targets reported on.
    #[serde(default)]
    pub targets: Vec<TargetReport>,
    /// The milestones reported on.
    #[serde(default)]
    pub milestones: Vec<MilestoneReport>,
    /// Physical progress, percent (the lead department's, for the project).
    #[serde(default)]
    pub physical_percent: Option<f64>,
    /// Financial progress, percent of the budget spent (the lead department's).
    #[serde(default)]
    pub financial_percent: Option<f64>,
    /// What the unit adds in words.
    #[serde(default)]
    pub note: String,
    /// Links to evidence published elsewhere.
    #[serde(default)]
    pub links: Vec<String>,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Submitted by the unit.
    Submitted,
    /// Reviewed by the lead department.
    Reviewed,
    /// Accepted by the office.
    Accepted,
    /// Returned with a reason (it does not count).
    Returned,
}

impl ReportStatus {
    /// The code stored.
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Reviewed => "reviewed",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Returned => "returned",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<ReportStatus> {
        [
            ReportStatus::Submitted,
            ReportStatus::Reviewed,
            ReportStatus::Accepted,
            ReportStatus::Returned,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ReportStatus::Submitted => ("已报送", "Submitted"),
            ReportStatus::Reviewed => ("牵头部门已审核", "Reviewed"),
            ReportStatus::Accepted => ("市协调办已确认", "Accepted"),
            ReportStatus::Returned => ("已退回", "Returned"),
        }
    }
}

/// A progress report as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// Its number.
    pub id: i64,
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// The month reported (`2021-06`).
    pub month: String,
    /// The reporting unit.
    pub unit: String,
    /// What it says.
    pub content: ReportContent,
    /// Where it stands.
    pub status: ReportStatus,
    /// Who submitted it, and when.
    pub submitted_by: String,
    /// When it was submitted.
    pub submitted_at_ms: i64,
    /// Who reviewed it for the lead department.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at_ms: Option<i64>,
    /// Who accepted or returned it for the office (or returned it for the lead department).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at_ms: Option<i64>,
    /// Why it was returned.
    pub return_reason: String,
    /// The files attached as evidence.
    pub evidence: Vec<EvidenceFile>,
}

/// A file attached to a report as evidence: stored once by its SHA-256, served only to those
/// who may read the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// The file's name as uploaded.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, in hexadecimal.
    pub sha256: String,
}

/// The largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of evidence file accepted: media type and the file name's ending.
pub const EVIDENCE_TYPES: [(&str, &str); 5] = [
    ("application/pdf", ".pdf"),
    ("image/jpeg", ".jpg"),
    ("image/png", ".png"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
];

/// The media type of an evidence file named `name` holding `bytes`, judged by its content
/// (a PDF, JPEG or PNG signature, or a zip archive named .xlsx or .docx), or why it is refused.
pub fn evidence_type(name: &str, bytes: &[u8]) -> Result<&'static str, Problem> {
    let field = "file";
    if bytes.is_empty() || bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(Problem::new(
            field,
            format!(
                "佐证文件须为1字节至{}兆字节。",
                MAX_EVIDENCE_BYTES / (1024 * 1024)
            ),
            format!("an evidence file is 1 byte to {MAX_EVIDENCE_BYTES} bytes"),
        ));
    }
    if name.trim().is_empty()
        || name.len() > 200
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        return Err(Problem::new(
            field,
            "佐证文件的名称无效。",
            "the evidence file's name is not a plain file name",
        ));
    }
    let lower = name.to_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let found = if bytes.starts_with(b"%PDF-") {
        Some(EVIDENCE_TYPES[0].0)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(EVIDENCE_TYPES[1].0)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(EVIDENCE_TYPES[2].0)
    } else if zip && lower.ends_with(".xlsx") {
        Some(EVIDENCE_TYPES[3].0)
    } else if zip && lower.ends_with(".docx") {
        Some(EVIDENCE_TYPES[4].0)
    } else {
        None
    };
    found.ok_or_else(|| {
        Problem::new(
            field,
            "佐证文件须为 PDF、JPEG、PNG、XLSX 或 DOCX 文件。",
            "an evidence file is a PDF, JPEG, PNG, XLSX or DOCX file",
        )
    })
}

/// What one unit reports on in a letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duties {
    /// Targets (and the district's share, for a shared target).
    pub targets: Vec<(String, Option<String>)>,
    /// Milestones.
    pub milestones: Vec<String>,
    /// The project's physical and financial progress (the lead department).
    pub metrics: bool,
}

impl Duties {
    /// Whether the unit reports on nothing.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.milestones.is_empty() && !self.metrics
    }
}

/// What `unit` reports on in `letter`, whose project `lead` leads.
pub fn duties_of(letter: &Letter, lead: &str, unit: &str) -> Duties {
    let mut duties = Duties {
        metrics: unit == lead,
        ..Duties::default()
    };
    for target in &letter.commitments.targets {
        if target.shares.is_empty() {
            if target.unit == unit {
                duties.targets.push((target.id.clone(), None));
            }
        } else if target.shares.iter().any(|s| s.district == unit) {
            duties
                .targets
                .push((target.id.clone(), Some(unit.to_string())));
        }
    }
    for milestone in &letter.commitments.milestones {
        if milestone.unit == unit {
            duties.milestones.push(milestone.id.clone());
        }
    }
    duties
}

/// Every unit that reports on `letter`: the lead department, and each unit owning a target,
/// a district's share or a milestone.
pub fn reporting_units(letter: &Letter, lead: &str) -> BTreeSet<String> {
    let mut units = BTreeSet::from([lead.to_string()]);
    for target in &letter.commitments.targets {
        if target.shares.is_empty() {
            units.insert(target.unit.clone());
        }
        units.extend(target.shares.iter().map(|s| s.district.clone()));
    }
    units.extend(letter.commitments.milestones.iter().map(|m| m.unit.clone()));
    units
}

impl ReportContent {
    /// Everything wrong with `unit`'s report on `letter` for `month` (submitted on `today`),
    /// each problem naming its field.
    pub fn problems(
        &self,
        letter: &Letter,
        lead: &str,
        unit: &str,
        month: Month,
        today: Day,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        if month.year != letter.year {
            problems.push(Problem::new(
                "month",
                format!("{month}不在责任书的年度（{}年）内。", letter.year),
                format!("{month} is not in the letter's year {}", letter.year),
            ));
        }
        if month > Month::of(today) {
            problems.push(Problem::new(
                "month",
                format!("{month}尚未到来，不能报送。"),
                format!("{month} has not begun"),
            ));
        }
        let duties = duties_of(letter, lead, unit);
        let mut seen = BTreeSet::new();
        for (index, report) in self.targets.iter().enumerate() {
            let key = (report.target.clone(), report.district.clone());
            if !duties.targets.contains(&key) {
                problems.push(Problem::new(
                    format!("targets[{index}].target"),
                    format!("任务“{}”（或其分区部分）不由本单位报送。", report.target),
                    format!(
                        "the target {:?} (or that share of it) is not this unit's to report",
                        report.target
                    ),
                ));
            } else if !seen.insert(key) {
                problems.push(Problem::new(
                    format!("targets[{index}].target"),
                    format!("任务“{}”报了两次。", report.target),
                    format!("the target {:?} is reported twice", report.target),
                ));
            }
            if !(report.achieved.is_finite() && (0.0..=MAX_QUANTITY).contains(&report.achieved)) {
                problems.push(Problem::new(
                    format!("targets[{index}].achieved"),
                    "累计完成数量须为不小于0的数。",
                    "the quantity achieved is a number of at least 0",
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (index, report) in self.milestones.iter().enumerate() {
            if !duties.milestones.contains(&report.milestone) {
                problems.push(Problem::new(
                    format!("milestones[{index}].milestone"),
                    format!("节点“{}”不由本单位报送。", report.milestone),
                    format!(
                        "the milestone {:?} is not this unit's to report",
                        report.milestone
                    ),
                ));
            } else if !seen.insert(report.milestone.as_str()) {
                problems.push(Problem::new(
                    format!("milestones[{index}].milestone"),
                    format!("节点“{}”报了两次。", report.milestone),
                    format!("the milestone {:?} is reported twice", report.milestone),
                ));
            }
        }
        for (field, value) in [
            ("physical_percent", self.physical_percent),
            ("financial_percent", self.financial_percent),
        ] {
            let Some(value) = value else { continue };
            if !duties.metrics {
                problems.push(Problem::new(
                    field,
                    "项目的形象进度和资金进度由牵头部门报送。",
                    "the project's physical and financial progress is the lead department's to report",
                ));
            } else if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
                problems.push(Problem::new(
                    field,
                    "进度百分比须在0至100之间。",
                    "a percentage is 0 to 100",
                ));
            }
        }
        for (index, link) in self.links.iter().enumerate() {
            let web = link.starts_with("https://") || link.starts_with("http://");
            if !web || link.len() > 2000 || link.chars().any(char::is_whitespace) {
                problems.push(Problem::new(
                    format!("links[{index}]"),
                    "佐证链接须为以 http:// 或 https:// 开头的网址。",
                    "an evidence link is an http:// or https:// address",
                ));
            }
        }
        if self.targets.is_empty()
            && self.milestones.is_empty()
            && self.physical_percent.is_none()
            && self.financial_percent.is_none()
            && self.note.trim().is_empty()
        {
            problems.push(Problem::new(
                "report",
                "报告没有任何内容。",
                "the report says nothing",
            ));
        }
        problems
    }
}

/// The months a unit owes a report for: every month of the letter's year up to `through`.
pub fn months_due(year: i32, through: Month) -> Vec<Month> {
    let mut months = Vec::new();
    let mut month = Month { year, month: 1 };
    while month.year == year && month <= through {
        months.push(month);
        month = month.next();
    }
    months
}

/// The reports owed and not made: `(month, unit)` for every reporting unit and every month due
/// through `through`, without a report that counts (a returned one does not).
pub fn missing_reports(
    letter: &Letter,
    lead: &str,
    reports: &[ProgressReport],
    through: Month,
) -> Vec<(Month, String)> {
    let made: BTreeSet<(String, String)> = reports
        .iter()
        .filter(|r| r.status != ReportStatus::Returned)
        .map(|r| (r.month.clone(), r.unit.clone()))
        .collect();
    let units = reporting_units(letter, lead);
    months_due(letter.year, through)
        .into_iter()
        .flat_map(|month| units.iter().map(move |unit| (month, unit.clone())))
        .filter(|(month, unit)| !made.contains(&(month.to_string(), unit.clone())))
        .collect()
}

/// The latest cumulative figure of each target part, `(target, district)`, reported for a
/// month up to `through` in a report that counts.
pub fn latest_achieved(
    reports: &[ProgressReport],
    through: Month,
) -> BTreeMap<(String, Option<String>), f64> {
    let mut latest: BTreeMap<(String, Option<String>), (String, i64, f64)> = BTreeMap::new();
    for report in reports {
        let counts = report.status != ReportStatus::Returned
            && Month::parse(&report.month).is_some_and(|m| m <= through);
        if !counts {
            continue;
        }
        for part in &report.content.targets {
            let key = (part.target.clone(), part.district.clone());
            let newer = latest
                .get(&key)
                .is_none_or(|(month, id, _)| (&report.month, report.id) > (month, *id));
            if newer {
                latest.insert(key, (report.month.clone(), report.id, part.achieved));
            }
        }
    }
    latest
        .into_iter()
        .map(|(key, (_, _, achieved))| (key, achieved))
        .collect()
}

/// A weighted roll-up of progress: complete only when every part is reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollUp {
    /// The share achieved, 0 to 1, when every part is reported; `None` while any is missing.
    pub value: Option<f64>,
    /// The share achieved among the parts reported, weighted among themselves.
    pub reported: Option<f64>,
    /// The weight of the parts reported, 0 to 1.
    pub reported_weight: f64,
    /// The parts not reported (targets, projects or districts, by code).
    pub missing: Vec<String>,
}

impl RollUp {
    /// A roll-up of `(weight, share achieved or None when missing, code)` parts, whose weights
    /// must sum to 1.
    pub fn of(parts: &[(f64, Option<f64>, String)]) -> Result<RollUp, Problem> {
        let total: f64 = parts.iter().map(|(w, _, _)| w).sum();
        if parts.is_empty() || (total - 1.0).abs() > 1e-6 || parts.iter().any(|(w, _, _)| *w < 0.0)
        {
            return Err(Problem::new(
                "weights",
                format!("汇总的权重之和为{}，应为1。", trimmed(total)),
                format!("the roll-up's weights sum to {}, not to 1", trimmed(total)),
            ));
        }
        let reported_weight: f64 = parts.iter().filter(|p| p.1.is_some()).map(|p| p.0).sum();
        let achieved: f64 = parts.iter().filter_map(|(w, v, _)| v.map(|v| w * v)).sum();
        let missing: Vec<String> = parts
            .iter()
            .filter(|p| p.1.is_none())
            .map(|p| p.2.clone())
            .collect();
        Ok(RollUp {
            value: missing.is_empty().then_some(achieved),
            reported: (reported_weight > 0.0).then(|| achieved / reported_weight),
            reported_weight,
            missing,
        })
    }
}

/// The share of `planned` that `achieved` makes, capped at all of it (a part planned at 0
/// is all done).
pub fn share_done(achieved: f64, planned: f64) -> f64 {
    if planned > 0.0 {
        (achieved / planned).min(1.0)
    } else {
        1.0
    }
}

/// The targets' weights: those declared, or equal ones.
fn weights(letter: &Letter) -> Vec<f64> {
    let targets = &letter.commitments.targets;
    if targets.iter().all(|t| t.weight.is_some()) && !targets.is_empty() {
        targets.iter().map(|t| t.weight.unwrap_or(0.0)).collect()
    } else {
        vec![1.0 / targets.len().max(1) as f64; targets.len()]
    }
}

/// The project's progress through `through`: each target's share achieved, a target shared
/// among districts counted district by district (each share capped at 1, weighing the target's
/// weight times its part of the target, so that one district's surplus does not make up for
/// another's shortfall), weighted by the declared weights. `None` for a letter without targets.
pub fn project_progress(
    letter: &Letter,
    reports: &[ProgressReport],
    through: Month,
) -> Option<RollUp> {
    let achieved = latest_achieved(reports, through);
    let mut parts: Vec<(f64, Option<f64>, String)> = Vec::new();
    for (target, weight) in letter.commitments.targets.iter().zip(weights(letter)) {
        if target.shares.is_empty() {
            let done = achieved
                .get(&(target.id.clone(), None))
                .map(|a| share_done(*a, target.quantity));
            parts.push((weight, done, target.id.clone()));
            continue;
        }
        let shared: f64 = target.shares.iter().map(|s| s.quantity).sum();
        for share in &target.shares {
            let done = achieved
                .get(&(target.id.clone(), Some(share.district.clone())))
                .map(|a| share_done(*a, share.quantity));
            let part = if shared > 0.0 {
                share.quantity / shared
            } else {
                1.0 / target.shares.len() as f64
            };
            parts.push((
                weight * part,
                done,
                format!("{}:{}", target.id, share.district),
            ));
        }
    }
    RollUp::of(&parts).ok()
}

/// One district's progress on `letter` through `through`: each of its shares achieved (capped
/// at 1), weighted by the target's weight times the share's part of the target, normalised
/// over the district's shares. `None` when the district has no share.
pub fn district_progress(
    letter: &Letter,
    reports: &[ProgressReport],
    district: &str,
    through: Month,
) -> Option<RollUp> {
    let achieved = latest_achieved(reports, through);
    let mut parts: Vec<(f64, Option<f64>, String)> = Vec::new();
    for (target, weight) in letter.commitments.targets.iter().zip(weights(letter)) {
        for share in target.shares.iter().filter(|s| s.district == district) {
            let done = achieved
                .get(&(target.id.clone(), Some(district.to_string())))
                .map(|a| share_done(*a, share.quantity));
            parts.push((
                weight * share.quantity / target.quantity,
                done,
                target.id.clone(),
            ));
        }
    }
    let total: f64 = parts.iter().map(|p| p.0).sum();
    if parts.is_empty() || total <= 0.0 {
        return None;
    }
    for part in &mut parts {
        part.0 /= total;
    }
    RollUp::of(&parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advancement::letter::{
        Commitments, DistrictShare, LetterStatus, MilestoneCommitment, TargetCommitment,
    };

    fn letter() -> Letter {
        Letter {
            project: "elevators".into(),
            year: 2021,
            status: LetterStatus::Accepted,
            commitments: Commitments {
                milestones: vec![MilestoneCommitment {
                    id: "m1".into(),
                    title_zh: "开工".into(),
                    title_en: String::new(),
                    kind: "delivery".into(),
                    due: "2021-06-30".into(),
                    unit: "310101".into(),
                    person: "张三".into(),
                }],
                targets: vec![
                    TargetCommitment {
                        id: "t1".into(),
                        title_zh: "加装电梯".into(),
                        title_en: String::new(),
                        measure_zh: "台".into(),
                        measure_en: String::new(),
                        quantity: 100.0,
                        due: "2021-12-31".into(),
                        unit: "housing".into(),
                        shares: vec![
                            DistrictShare {
                                district: "310101".into(),
                                quantity: 40.0,
                            },
                            DistrictShare {
                                district: "310104".into(),
                                quantity: 60.0,
                            },
                        ],
                        weight: Some(0.75),
                    },
                    TargetCommitment {
                        id: "t2".into(),
                        title_zh: "培训维保人员".into(),
                        title_en: String::new(),
                        measure_zh: "人".into(),
                        measure_en: String::new(),
                        quantity: 10.0,
                        due: "2021-12-31".into(),
                        unit: "housing".into(),
                        shares: Vec::new(),
                        weight: Some(0.25),
                    },
                ],
                phases: Vec::new(),
            },
            issued_by: None,
            issued_at_ms: None,
            accepted_by: None,
            accepted_by_name: None,
            accepted_at_ms: None,
        }
    }

    fn report(
        id: i64,
        month: &str,
        unit: &str,
        targets: &[(&str, Option<&str>, f64)],
    ) -> ProgressReport {
        ProgressReport {
            id,
            project: "elevators".into(),
            year: 2021,
            month: month.into(),
            unit: unit.into(),
            content: ReportContent {
                targets: targets
                    .iter()
                    .map(|(t, d, a)| TargetReport {
                        target: t.to_string(),
                        district: d.map(String::from),
                        achieved: *a,
                    })
                    .collect(),
                ..ReportContent::default()
            },
            status: ReportStatus::Submitted,
            submitted_by: "someone".into(),
            submitted_at_ms: 0,
            reviewed_by: None,
            reviewed_at_ms: None,
            decided_by: None,
            decided_at_ms: None,
            return_reason: String::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn evidence_is_judged_by_its_content() {
        assert_eq!(
            evidence_type("验收单.pdf", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert_eq!(
            evidence_type("照片.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok("image/jpeg")
        );
        assert!(evidence_type("台账.xlsx", b"PK\x03\x04rest")
            .unwrap()
            .contains("spreadsheet"));
        assert!(evidence_type("程序.exe", b"MZ\x90\x00").is_err());
        assert!(
            evidence_type("伪装.pdf", b"MZ\x90\x00").is_err(),
            "the name does not decide"
        );
        assert!(evidence_type("压缩包.zip", b"PK\x03\x04").is_err());
        assert!(evidence_type("../secret.pdf", b"%PDF-").is_err());
        assert!(evidence_type("empty.pdf", b"").is_err());
    }

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn months_read_and_follow_each_other() {
        assert_eq!(Month::parse("2021-06").unwrap().to_string(), "2021-06");
        assert_eq!(
            Month::parse("2021-12").unwrap().next().to_string(),
            "2022-01"
        );
        for bad in ["2021-13", "2021-6", "21-06", "2021/06", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(Month::of(day("2021-03-31")).to_string(), "2021-03");
        assert_eq!(months_due(2021, Month::parse("2021-03").unwrap()).len(), 3);
        assert_eq!(months_due(2021, Month::parse("2022-05").unwrap()).len(), 12);
        assert!(months_due(2021, Month::parse("2020-12").unwrap()).is_empty());
    }

    #[test]
    fn each_unit_reports_on_what_it_owns_and_nothing_else() {
        let letter = letter();
        let district = duties_of(&letter, "housing", "310101");
        assert_eq!(
            district.targets,
            [("t1".to_string(), Some("310101".to_string()))]
        );
        assert_eq!(district.milestones, ["m1"]);
        assert!(!district.metrics);
        let lead = duties_of(&letter, "housing", "housing");
        assert_eq!(lead.targets, [("t2".to_string(), None)]);
        assert!(lead.metrics);
        assert!(duties_of(&letter, "housing", "310115").is_empty());
        let units: Vec<String> = reporting_units(&letter, "housing").into_iter().collect();
        assert_eq!(units, ["310101", "310104", "housing"]);

        let june = Month::parse("2021-06").unwrap();
        let overreach = ReportContent {
            targets: vec![
                TargetReport {
                    target: "t1".into(),
                    district: Some("310104".into()),
                    achieved: 5.0,
                },
                TargetReport {
                    target: "t1".into(),
                    district: Some("310101".into()),
                    achieved: -1.0,
                },
            ],
            physical_percent: Some(50.0),
            links: vec!["ftp://example.org/a".into()],
            ..ReportContent::default()
        };
        let fields: Vec<String> = overreach
            .problems(&letter, "housing", "310101", june, day("2021-07-05"))
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "targets[0].target",
                "targets[1].achieved",
                "physical_percent",
                "links[0]"
            ]
        );
        let future = ReportContent {
            note: "进展顺利".into(),
            ..ReportContent::default()
        };
        let problems = future.problems(&letter, "housing", "310101", june, day("2021-05-31"));
        assert_eq!(problems[0].field, "month");
        assert!(ReportContent::default()
            .problems(&letter, "housing", "310101", june, day("2021-07-01"))
            .iter()
            .any(|p| p.field == "report"));
    }

    #[test]
    fn a_missing_report_is_missing_and_a_returned_one_does_not_count() {
        let letter = letter();
        let mut returned = report(3, "2021-01", "310104", &[("t1", Some("310104"), 1.0)]);
        returned.status = ReportStatus::Returned;
        let reports = vec![
            report(1, "2021-01", "housing", &[("t2", None, 1.0)]),
            report(2, "2021-01", "310101", &[("t1", Some("310101"), 1.0)]),
            returned,
        ];
        let missing = missing_reports(
            &letter,
            "housing",
            &reports,
            Month::parse("2021-02").unwrap(),
        );
        let listed: Vec<String> = missing.iter().map(|(m, u)| format!("{m} {u}")).collect();
        assert_eq!(
            listed,
            [
                "2021-01 310104",
                "2021-02 310101",
                "2021-02 310104",
                "2021-02 housing"
            ]
        );
    }

    #[test]
    fn the_project_rolls_up_by_declared_weights_and_waits_for_every_part() {
        let letter = letter();
        let june = Month::parse("2021-06").unwrap();
        let mut reports = vec![
            report(1, "2021-05", "310101", &[("t1", Some("310101"), 20.0)]),
            report(2, "2021-06", "housing", &[("t2", None, 5.0)]),
        ];
        let partial = project_progress(&letter, &reports, june).unwrap();
        assert_eq!(
            partial.value, None,
            "310104 has not reported: missing, not 0"
        );
        assert_eq!(partial.missing, ["t1:310104"]);
        // Reported: Huangpu's share (0.75 × 40/100, half done) and t2 (0.25, half done).
        assert!((partial.reported_weight - 0.55).abs() < 1e-12);
        assert!((partial.reported.unwrap() - 0.5).abs() < 1e-12);
        reports.push(report(
            3,
            "2021-06",
            "310104",
            &[("t1", Some("310104"), 90.0)],
        ));
        reports.push(report(
            4,
            "2021-07",
            "310101",
            &[("t1", Some("310101"), 40.0)],
        ));
        let june_progress = project_progress(&letter, &reports, june).unwrap();
        // t1 by district: Huangpu 20 of 40 (weight 0.3), Xuhui 90 of 60 capped at all of it
        // (weight 0.45); t2: 5 of 10 (weight 0.25).
        assert!((june_progress.value.unwrap() - (0.15 + 0.45 + 0.125)).abs() < 1e-12);
        let may = project_progress(&letter, &reports, Month::parse("2021-05").unwrap()).unwrap();
        assert_eq!(
            may.value, None,
            "a later report does not count for an earlier month"
        );

        let huangpu = district_progress(&letter, &reports, "310101", june).unwrap();
        assert!((huangpu.value.unwrap() - 0.5).abs() < 1e-12, "20 of its 40");
        let xuhui = district_progress(&letter, &reports, "310104", june).unwrap();
        assert_eq!(xuhui.value, Some(1.0), "90 of 60 is capped at all of it");
        assert!(district_progress(&letter, &reports, "310115", june).is_none());
    }

    #[test]
    fn a_share_done_is_capped_and_a_part_planned_at_nothing_is_done() {
        assert_eq!(share_done(20.0, 40.0), 0.5);
        assert_eq!(share_done(90.0, 60.0), 1.0);
        assert_eq!(share_done(0.0, 0.0), 1.0);
    }

    #[test]
    fn a_roll_ups_weights_must_sum_to_one() {
        let parts = [
            (0.5, Some(1.0), "a".to_string()),
            (0.4, Some(0.0), "b".to_string()),
        ];
        let refused = RollUp::of(&parts).unwrap_err();
        assert!(refused.zh.contains("0.9"), "{}", refused.zh);
        let parts = [
            (0.5, Some(1.0), "a".to_string()),
            (0.5, None, "b".to_string()),
        ];
        let rolled = RollUp::of(&parts).unwrap();
        assert_eq!(
            (rolled.value, rolled.missing.clone()),
            (None, vec!["b".to_string()])
        );
        assert_eq!(rolled.reported, Some(1.0));
        assert!(RollUp::of(&[]).is_err());
    }
}
