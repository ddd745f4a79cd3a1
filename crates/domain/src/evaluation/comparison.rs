//! The change between two waves: per project, the change of each index with its interval,
//! and the move between quadrants.
//!
//! Two waves are independent samples (a respondent's keyed identity differs between waves by
//! design), so the standard error of a change is `sqrt(se₁² + se₂²)`. The interval uses
//! Student's t on the Welch–Satterthwaite degrees of freedom, rounded down, each wave's
//! index carrying `n − 1` of its own.

use serde::Serialize;

use minxin_survey_stats::student_t;

use super::{Evaluation, IndexInterval, ProjectEvaluation, Quadrant};

/// The change of one index of one project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexChange {
    /// The index in the earlier wave.
    pub before: f64,
    /// The index in the later wave.
    pub after: f64,
    /// `after − before`, in points.
    pub change: f64,
    /// Standard error of the change; `null` when a wave has fewer than 2 respondents.
    pub se: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// The interval excludes 0.
    pub significant: bool,
}

/// One project in both waves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectChange {
    /// Project code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Respondents in the earlier wave.
    pub n_before: u64,
    /// Respondents in the later wave.
    pub n_after: u64,
    /// Change of the recognition index, when both waves scored it.
    pub recognition: Option<IndexChange>,
    /// Change of the satisfaction index.
    pub satisfaction: Option<IndexChange>,
    /// Quadrant in the earlier wave.
    pub quadrant_before: Option<Quadrant>,
    /// Quadrant in the later wave.
    pub quadrant_after: Option<Quadrant>,
    /// Both quadrants known and different.
    pub moved: bool,
}

/// Two waves side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveComparison {
    /// The earlier wave.
    pub before: Option<String>,
    /// The later wave.
    pub after: Option<String>,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Projects evaluated in both waves, in the later wave's order.
    pub projects: Vec<ProjectChange>,
    /// Codes of projects evaluated in only one of the two waves.
    pub unmatched: Vec<String>,
}

/// Compares `before` with `after`, matching projects by code. The intervals use `after`'s
/// confidence level.
pub fn compare_waves(before: &Evaluation, after: &Evaluation) -> WaveComparison {
    let confidence = after.settings.confidence;
    let earlier = |code: &str| before.projects.iter().find(|p| p.code == code);
    let projects: Vec<ProjectChange> = after
        .projects
        .iter()
        .filter_map(|later| {
            let earlier = earlier(&later.code)?;
            let change = |pick: fn(&ProjectEvaluation) -> (Option<f64>, Option<IndexInterval>)| {
                let (b, b_interval) = pick(earlier);
                let (a, a_interval) = pick(later);
                index_change(
                    (b?, b_interval.and_then(|i| i.se), earlier.n),
                    (a?, a_interval.and_then(|i| i.se), later.n),
                    confidence,
                )
            };
            Some(ProjectChange {
                code: later.code.clone(),
                name_zh: later.name_zh.clone(),
                name_en: later.name_en.clone(),
                n_before: earlier.n,
                n_after: later.n,
                recognition: change(|p| (p.recognition, p.recognition_interval)),
                satisfaction: change(|p| (p.satisfaction, p.satisfaction_interval)),
                quadrant_before: earlier.quadrant,
                quadrant_after: later.quadrant,
                moved: matches!((earlier.quadrant, later.quadrant), (Some(b), Some(a)) if a != b),
            })
        })
        .collect();
    let matched = |code: &String| projects.iter().any(|p| &p.code == code);
    let mut unmatched: Vec<String> = before
        .projects
        .iter()
        .chain(&after.projects)
        .map(|p| p.code.clone())
        .filter(|code| !matched(code))
        .collect();
    unmatched.sort();
    unmatched.dedup();
    WaveComparison {
        before: before.wave.clone(),
        after: after.wave.clone(),
        confidence,
        projects,
        unmatched,
    }
}

/// The change from `(value, se, n)` before to after.
fn index_change(
    before: (f64, Option<f64>, u64),
    after: (f64, Option<f64>, u64),
    confidence: f64,
) -> Option<IndexChange> {
    let (value_before, se_before, n_before) = before;
    let (value_after, se_after, n_after) = after;
    let change = value_after - value_before;
    let (se, half_width) = match (se_before, se_after) {
        (Some(sb), Some(sa)) => {
            let (vb, va) = (sb * sb, sa * sa);
            let se = (vb + va).sqrt();
            let df = welch_degrees_of_freedom(vb, n_before, va, n_after);
            let critical =
                student_t::two_sided_critical_value(confidence, df).expect("validated confidence");
            (Some(se), critical.map(|t| t * se))
        }
        _ => (None, None),
    };
    let ci_low = half_width.map(|h| change - h);
    let ci_high = half_width.map(|h| change + h);
    Some(IndexChange {
        before: value_before,
        after: value_after,
        change,
        se,
        ci_low,
        ci_high,
        significant: matches!((ci_low, ci_high), (Some(l), Some(h)) if l > 0.0 || h < 0.0),
    })
}

/// `(v₁ + v₂)² / (v₁² / (n₁ − 1) + v₂² / (n₂ − 1))`, rounded down; when both variances are
/// zero, `n₁ + n₂ − 2`.
fn welch_degrees_of_freedom(v1: f64, n1: u64, v2: f64, n2: u64) -> u64 {
    let (d1, d2) = (n1.saturating_sub(1) as f64, n2.saturating_sub(1) as f64);
    let denominator = v1 * v1 / d1 + v2 * v2 / d2;
    if denominator.is_nan() || denominator <= 0.0 || denominator.is_infinite() {
        return (n1 + n2).saturating_sub(2);
    }
    ((v1 + v2).powi(2) / denominator).floor() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_degrees_of_freedom_match_the_textbook_case() {
        // Equal variances and sizes: 2 (n - 1).
        assert_eq!(welch_degrees_of_freedom(4.0, 31, 4.0, 31), 60);
        // One dominant variance: close to that wave's n - 1.
        assert_eq!(welch_degrees_of_freedom(100.0, 11, 0.0001, 1000), 10);
    }

    #[test]
    fn a_change_whose_interval_excludes_zero_is_significant() {
        let change = index_change((60.0, Some(1.0), 500), (66.0, Some(1.0), 500), 0.95).unwrap();
        assert_eq!(change.change, 6.0);
        let se = 2.0_f64.sqrt();
        assert!((change.se.unwrap() - se).abs() < 1e-12);
        assert!(change.significant);
        let small = index_change((60.0, Some(1.0), 500), (61.0, Some(1.0), 500), 0.95).unwrap();
        assert!(!small.significant);
    }

    #[test]
    fn without_spread_there_is_no_interval() {
        let change = index_change((60.0, None, 1), (70.0, Some(1.0), 50), 0.95).unwrap();
        assert_eq!(change.se, None);
        assert!(!change.significant);
    }
}
