//! What the public sees of a project's delivery once the coordination office has published it
//! (a decision about the project): its stage and planned period, the commitments of its latest
//! signed letter with their status, and its progress. Only reports the office accepted count:
//! a report still in review, or returned, tells the public nothing. Nothing internal is
//! carried: no notes, no reasons for a return, no evidence, no accounts, no responsible
//! person's name (the responsible unit is public).

use serde::Serialize;

use super::letter::{Letter, LetterStatus};
use super::progress::{
    latest_achieved, project_progress, MilestoneStatus, Month, ProgressReport, ReportStatus,
};
use super::stage::{PaperStage, ProjectStanding, ProjectStatus};

/// A milestone as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicMilestone {
    /// Its code in the letter.
    pub id: String,
    /// What is to happen, in Chinese.
    pub title_zh: String,
    /// What is to happen, in English.
    pub title_en: String,
    /// Its OC4IDS `milestoneType`.
    pub kind: String,
    /// When it is due (ISO date).
    pub due: String,
    /// The responsible unit, by code.
    pub unit: String,
    /// Its status in the latest accepted report (`scheduled` when none has reported on it).
    pub status: MilestoneStatus,
    /// The month of that report, when there is one.
    pub status_month: Option<String>,
}

/// One district's share of a target as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicShare {
    /// The district, by code.
    pub district: String,
    /// Its share of the quantity.
    pub quantity: f64,
    /// What the district has achieved in its latest accepted report; `None` when it has none.
    pub achieved: Option<f64>,
}

/// A target as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicTarget {
    /// Its code in the letter.
    pub id: String,
    /// What is to be delivered, in Chinese.
    pub title_zh: String,
    /// What is to be delivered, in English.
    pub title_en: String,
    /// The unit of measure, in Chinese.
    pub measure_zh: String,
    /// The unit of measure, in English.
    pub measure_en: String,
    /// The quantity committed.
    pub quantity: f64,
    /// When it is due (ISO date).
    pub due: String,
    /// The responsible unit, by code.
    pub unit: String,
    /// The quantity achieved, when every part (each district's share) has an accepted report;
    /// missing is missing, never 0.
    pub achieved: Option<f64>,
    /// The districts' shares (empty for a target delivered whole).
    pub shares: Vec<PublicShare>,
}

/// A percentage with the month it was reported for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    /// The month (`2021-06`).
    pub month: String,
    /// The percentage, 0 to 100.
    pub percent: f64,
}

/// A project's delivery as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicDelivery {
    /// The project.
    pub project: String,
    /// Its status (OC4IDS `projectStatus`, or `suspended`).
    pub status: ProjectStatus,
    /// The paper's stage it is in.
    pub stage: PaperStage,
    /// The planned period now (ISO dates).
    pub period_start: Option<String>,
    /// The last day of the planned period now.
    pub period_end: Option<String>,
    /// The period as frozen when implementation began, when it differs from today's.
    pub baseline_period: Option<(Option<String>, Option<String>)>,
    /// The year of the letter shown (the latest signed one), if any.
    pub year: Option<i32>,
    /// Its milestones.
    pub milestones: Vec<PublicMilestone>,
    /// Its targets.
    pub targets: Vec<PublicTarget>,
    /// The share of the targets achieved, 0 to 1, by the declared weights, when every part
    /// has an accepted report.
    pub progress: Option<f64>,
    /// The latest physical progress accepted.
    pub physical: Option<Reported>,
    /// The latest financial progress accepted.
    pub financial: Option<Reported>,
}

/// The reports that count for the public: those the office accepted.
pub fn accepted_reports(reports: &[ProgressReport]) -> Vec<ProgressReport> {
    reports
        .iter()
        .filter(|report| report.status == ReportStatus::Accepted)
        .cloned()
        .collect()
}

/// The latest signed letter of a project among `letters`.
pub fn latest_signed(letters: &[Letter]) -> Option<&Letter> {
    letters
        .iter()
        .filter(|letter| letter.status == LetterStatus::Accepted)
        .max_by_key(|letter| letter.year)
}

/// The public view of a project from its `standing`, its latest signed `letter` and that
/// letter's `reports` (all of them: only the accepted ones are read), through the month
/// `through`.
pub fn public_delivery(
    standing: &ProjectStanding,
    letter: Option<&Letter>,
    reports: &[ProgressReport],
    through: Month,
) -> PublicDelivery {
    let accepted = accepted_reports(reports);
    let counted: Vec<&ProgressReport> = accepted
        .iter()
        .filter(|report| Month::parse(&report.month).is_some_and(|m| m <= through))
        .collect();
    let newest_first = {
        let mut sorted = counted.clone();
        sorted.sort_by(|a, b| (&b.month, b.id).cmp(&(&a.month, a.id)));
        sorted
    };
    let achieved = latest_achieved(&accepted, through);
    let milestones = letter
        .map(|letter| {
            letter
                .commitments
                .milestones
                .iter()
                .map(|milestone| {
                    let latest = newest_first.iter().find_map(|report| {
                        report
                            .content
                            .milestones
                            .iter()
                            .find(|m| m.milestone == milestone.id)
                            .map(|m| (m.status, report.month.clone()))
                    });
                    PublicMilestone {
                        id: milestone.id.clone(),
                        title_zh: milestone.title_zh.clone(),
                        title_en: milestone.title_en.clone(),
                        kind: milestone.kind.clone(),
                        due: milestone.due.clone(),
                        unit: milestone.unit.clone(),
                        status: latest
                            .as_ref()
                            .map_or(MilestoneStatus::Scheduled, |(status, _)| *status),
                        status_month: latest.map(|(_, month)| month),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let targets = letter
        .map(|letter| {
            letter
                .commitments
                .targets
                .iter()
                .map(|target| {
                    let shares: Vec<PublicShare> = target
                        .shares
                        .iter()
                        .map(|share| PublicShare {
                            district: share.district.clone(),
                            quantity: share.quantity,
                            achieved: achieved
                                .get(&(target.id.clone(), Some(share.district.clone())))
                                .copied(),
                        })
                        .collect();
                    let whole = if shares.is_empty() {
                        achieved.get(&(target.id.clone(), None)).copied()
                    } else {
                        shares.iter().map(|share| share.achieved).sum()
                    };
                    PublicTarget {
                        id: target.id.clone(),
                        title_zh: target.title_zh.clone(),
                        title_en: target.title_en.clone(),
                        measure_zh: target.measure_zh.clone(),
                        measure_en: target.measure_en.clone(),
                        quantity: target.quantity,
                        due: target.due.clone(),
                        unit: target.unit.clone(),
                        achieved: whole,
                        shares,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let latest_percent = |pick: fn(&ProgressReport) -> Option<f64>| {
        newest_first.iter().find_map(|report| {
            pick(report).map(|percent| Reported {
                month: report.month.clone(),
                percent,
            })
        })
    };
    let period =
        |plan: &super::stage::ProjectPlan| (plan.period_start.clone(), plan.period_end.clone());
    let baseline_period = standing
        .baseline
        .as_ref()
        .map(period)
        .filter(|baseline| *baseline != period(&standing.plan));
    PublicDelivery {
        project: standing.project.clone(),
        status: standing.status,
        stage: standing.status.paper_stage(),
        period_start: standing.plan.period_start.clone(),
        period_end: standing.plan.period_end.clone(),
        baseline_period,
        year: letter.map(|letter| letter.year),
        milestones,
        targets,
        progress: letter
            .and_then(|letter| project_progress(letter, &accepted, through))
            .and_then(|roll_up| roll_up.value),
        physical: latest_percent(|report| report.content.physical_percent),
        financial: latest_percent(|report| report.content.financial_percent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advancement::letter::{
        Commitments, DistrictShare, MilestoneCommitment, TargetCommitment,
    };
    use crate::advancement::progress::{MilestoneReport, ReportContent, TargetReport};
    use crate::advancement::stage::ProjectPlan;

    fn letter() -> Letter {
        Letter {
            project: "elevators".into(),
            year: 2021,
            status: LetterStatus::Accepted,
            commitments: Commitments {
                milestones: vec![MilestoneCommitment {
                    id: "m1".into(),
                    title_zh: "完成选址".into(),
                    title_en: String::new(),
                    kind: "preProcurement".into(),
                    due: "2021-06-30".into(),
                    unit: "housing".into(),
                    person: "张三".into(),
                }],
                targets: vec![TargetCommitment {
                    id: "t1".into(),
                    title_zh: "加装电梯".into(),
                    title_en: String::new(),
                    measure_zh: "台".into(),
                    measure_en: String::new(),
                    quantity: 300.0,
                    due: "2021-12-31".into(),
                    unit: "housing".into(),
                    shares: vec![
                        DistrictShare {
                            district: "310101".into(),
                            quantity: 100.0,
                        },
                        DistrictShare {
                            district: "310104".into(),
                            quantity: 200.0,
                        },
                    ],
                    weight: None,
                }],
                phases: Vec::new(),
            },
            issued_by: Some("office".into()),
            issued_at_ms: Some(0),
            accepted_by: Some("housing.head".into()),
            accepted_by_name: Some("李四".into()),
            accepted_at_ms: Some(0),
        }
    }

    fn report(id: i64, month: &str, unit: &str, status: ReportStatus) -> ProgressReport {
        ProgressReport {
            id,
            project: "elevators".into(),
            year: 2021,
            month: month.into(),
            unit: unit.into(),
            content: ReportContent {
                note: "内部说明".into(),
                ..ReportContent::default()
            },
            status,
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

    fn share(mut report: ProgressReport, district: &str, achieved: f64) -> ProgressReport {
        report.content.targets.push(TargetReport {
            target: "t1".into(),
            district: Some(district.into()),
            achieved,
        });
        report
    }

    fn standing() -> ProjectStanding {
        let plan = ProjectPlan {
            period_start: Some("2021-01-01".into()),
            period_end: Some("2021-12-31".into()),
            budget_yuan: Some(1_000),
            ..ProjectPlan::default()
        };
        ProjectStanding {
            project: "elevators".into(),
            status: ProjectStatus::Implementation,
            stage_decision: None,
            baseline: Some(ProjectPlan {
                period_end: Some("2021-10-31".into()),
                ..plan.clone()
            }),
            plan,
            baseline_at_ms: Some(0),
            modifications: Vec::new(),
        }
    }

    const JUNE: Month = Month {
        year: 2021,
        month: 6,
    };

    #[test]
    fn only_accepted_reports_reach_the_public_and_missing_stays_missing() {
        let letter = letter();
        let mut lead = report(1, "2021-05", "housing", ReportStatus::Accepted);
        lead.content.milestones.push(MilestoneReport {
            milestone: "m1".into(),
            status: MilestoneStatus::PartiallyMet,
        });
        lead.content.physical_percent = Some(40.0);
        let mut later = report(2, "2021-06", "housing", ReportStatus::Submitted);
        later.content.milestones.push(MilestoneReport {
            milestone: "m1".into(),
            status: MilestoneStatus::Met,
        });
        later.content.physical_percent = Some(55.0);
        let reports = vec![
            lead,
            later,
            share(
                report(3, "2021-05", "310101", ReportStatus::Accepted),
                "310101",
                30.0,
            ),
            share(
                report(4, "2021-06", "310101", ReportStatus::Returned),
                "310101",
                90.0,
            ),
            share(
                report(5, "2021-06", "310104", ReportStatus::Reviewed),
                "310104",
                80.0,
            ),
        ];
        let view = public_delivery(&standing(), Some(&letter), &reports, JUNE);
        assert_eq!(view.milestones[0].status, MilestoneStatus::PartiallyMet);
        assert_eq!(view.milestones[0].status_month.as_deref(), Some("2021-05"));
        assert_eq!(view.physical.as_ref().map(|p| p.percent), Some(40.0));
        let target = &view.targets[0];
        assert_eq!(
            target.shares[0].achieved,
            Some(30.0),
            "the returned report does not count"
        );
        assert_eq!(
            target.shares[1].achieved, None,
            "a report in review is not public"
        );
        assert_eq!(target.achieved, None, "one district has no accepted report");
        assert_eq!(view.progress, None);
        let text = serde_json::to_string(&view).unwrap();
        assert!(!text.contains("内部说明") && !text.contains("张三") && !text.contains("someone"));
        assert_eq!(
            view.baseline_period,
            Some((Some("2021-01-01".into()), Some("2021-10-31".into())))
        );
        assert_eq!(view.stage, PaperStage::Delivering);
    }

    #[test]
    fn the_targets_add_up_once_every_district_has_an_accepted_report() {
        let letter = letter();
        let reports = vec![
            share(
                report(1, "2021-05", "310101", ReportStatus::Accepted),
                "310101",
                30.0,
            ),
            share(
                report(2, "2021-06", "310104", ReportStatus::Accepted),
                "310104",
                100.0,
            ),
            share(
                report(3, "2021-07", "310104", ReportStatus::Accepted),
                "310104",
                150.0,
            ),
        ];
        let view = public_delivery(&standing(), Some(&letter), &reports, JUNE);
        assert_eq!(
            view.targets[0].achieved,
            Some(130.0),
            "July is after the month shown"
        );
        let expected = (1.0 / 3.0) * 0.3 + (2.0 / 3.0) * 0.5;
        assert!((view.progress.unwrap() - expected).abs() < 1e-9);
        assert_eq!(view.milestones[0].status, MilestoneStatus::Scheduled);
        assert_eq!(view.milestones[0].status_month, None);
        let none = public_delivery(&standing(), None, &reports, JUNE);
        assert!(none.targets.is_empty() && none.year.is_none() && none.progress.is_none());
    }

    #[test]
    fn the_latest_signed_letter_is_shown() {
        let mut draft = letter();
        draft.year = 2022;
        draft.status = LetterStatus::Issued;
        let letters = [letter(), draft];
        assert_eq!(latest_signed(&letters).map(|l| l.year), Some(2021));
    }
}
