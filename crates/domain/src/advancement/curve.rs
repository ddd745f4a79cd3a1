//! A target's progress curve (in all, or one district's share): month by month, the cumulative quantity planned by the month's
//! last day (pro rata from the letter's first day to the due date, as the lights count it)
//! against the quantity the reports say was achieved by then. A month in which some part
//! (a district's share) has not reported yet has no achieved figure: missing is missing,
//! never 0.

use super::letter::TargetCommitment;
use super::lights::planned_share;
use super::progress::{latest_achieved, Month, ProgressReport};
use crate::calendar::Day;

/// One month of a curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// The month.
    pub month: Month,
    /// The quantity planned by its last day.
    pub planned: f64,
    /// The quantity achieved by then, when every part has reported.
    pub achieved: Option<f64>,
}

/// The last day of `month`.
fn last_day(month: Month) -> Option<Day> {
    let next = if month.month == 12 {
        Day::parse(&format!("{}-01-01", month.year + 1))
    } else {
        Day::parse(&format!("{}-{:02}-01", month.year, month.month + 1))
    };
    next.map(Day::previous)
}

/// The curve of `target` in its letter for `year`, from January through `through` (at most
/// December), from the letter's `reports`.
pub fn target_curve(
    target: &TargetCommitment,
    year: i32,
    reports: &[ProgressReport],
    through: Month,
) -> Vec<CurvePoint> {
    let parts: Vec<Option<String>> = if target.shares.is_empty() {
        vec![None]
    } else {
        target
            .shares
            .iter()
            .map(|share| Some(share.district.clone()))
            .collect()
    };
    curve_of(target, target.quantity, &parts, year, reports, through)
}

/// The curve of one district's share of `target` (empty when the district has none).
pub fn district_curve(
    target: &TargetCommitment,
    district: &str,
    year: i32,
    reports: &[ProgressReport],
    through: Month,
) -> Vec<CurvePoint> {
    let Some(share) = target.shares.iter().find(|s| s.district == district) else {
        return Vec::new();
    };
    curve_of(
        target,
        share.quantity,
        &[Some(district.to_string())],
        year,
        reports,
        through,
    )
}

/// The curve of `quantity` of `target`, achieved as the sum of `parts` (each a district's
/// share, or `None` for the target delivered whole).
fn curve_of(
    target: &TargetCommitment,
    quantity: f64,
    parts: &[Option<String>],
    year: i32,
    reports: &[ProgressReport],
    through: Month,
) -> Vec<CurvePoint> {
    let (Some(start), Some(due)) = (
        Day::parse(&format!("{year}-01-01")),
        Day::parse(&target.due),
    ) else {
        return Vec::new();
    };
    (1..=12)
        .map(|m| Month { year, month: m })
        .filter(|month| *month <= through)
        .filter_map(|month| {
            let day = last_day(month)?;
            let planned = quantity * planned_share(start, due, day);
            let latest = latest_achieved(reports, month);
            let achieved = parts
                .iter()
                .map(|part| latest.get(&(target.id.clone(), part.clone())).copied())
                .sum::<Option<f64>>();
            Some(CurvePoint {
                month,
                planned,
                achieved,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advancement::letter::DistrictShare;
    use crate::advancement::progress::{ReportContent, ReportStatus, TargetReport};

    fn report(id: i64, month: &str, district: &str, achieved: f64) -> ProgressReport {
        ProgressReport {
            id,
            project: "elevators".into(),
            year: 2021,
            month: month.into(),
            unit: district.into(),
            status: ReportStatus::Accepted,
            content: ReportContent {
                targets: vec![TargetReport {
                    target: "t1".into(),
                    district: Some(district.into()),
                    achieved,
                }],
                ..ReportContent::default()
            },
            submitted_by: "a".into(),
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
    fn the_curve_plans_pro_rata_and_sums_the_districts_once_all_have_reported() {
        let target = TargetCommitment {
            id: "t1".into(),
            title_zh: "加装电梯".into(),
            title_en: String::new(),
            measure_zh: "台".into(),
            measure_en: String::new(),
            quantity: 364.0,
            due: "2021-12-31".into(),
            unit: "housing".into(),
            shares: vec![
                DistrictShare {
                    district: "310101".into(),
                    quantity: 164.0,
                },
                DistrictShare {
                    district: "310104".into(),
                    quantity: 200.0,
                },
            ],
            weight: None,
        };
        let reports = [
            report(1, "2021-01", "310101", 10.0),
            report(2, "2021-02", "310101", 20.0),
            report(3, "2021-02", "310104", 30.0),
            report(4, "2021-03", "310104", 45.0),
        ];
        let curve = target_curve(
            &target,
            2021,
            &reports,
            Month {
                year: 2021,
                month: 4,
            },
        );
        assert_eq!(curve.len(), 4, "January through April");
        assert!(
            (curve[0].planned - 30.0).abs() < 1e-9,
            "30 of 364 days by 31 January: {}",
            curve[0].planned
        );
        assert_eq!(curve[0].achieved, None, "one district had not reported");
        assert_eq!(curve[1].achieved, Some(50.0));
        assert_eq!(
            curve[2].achieved,
            Some(65.0),
            "February's figure stands until the next report"
        );
        assert_eq!(curve[3].achieved, Some(65.0));
        let whole = target_curve(
            &target,
            2021,
            &reports,
            Month {
                year: 2022,
                month: 1,
            },
        );
        assert_eq!(whole.len(), 12);
        assert!((whole[11].planned - 364.0).abs() < 1e-9);
        let huangpu = district_curve(&target, "310101", 2021, &reports, whole[11].month);
        assert_eq!(
            huangpu[0].achieved,
            Some(10.0),
            "one district's curve waits for no other"
        );
        assert!(
            (huangpu[11].planned - 164.0).abs() < 1e-9,
            "its own share is planned"
        );
        assert_eq!(huangpu[11].achieved, Some(20.0));
        assert!(district_curve(&target, "310115", 2021, &reports, whole[11].month).is_empty());
    }
}
