//! The summary at the top of a dashboard: key figures as cards. Respondents against the
//! quotas, the average recognition and satisfaction of the projects with enough respondents
//! (the paper's 整体认可度/满意度平均分) with their change since the previous wave, and the
//! projects needing attention (low on both indices). An average or a change resting on no
//! project with enough respondents is not shown as a finding.

use maud::{html, Markup};
use minxin_domain::evaluation::{Evaluation, ProjectEvaluation, Quadrant};
use minxin_report::Lang;

/// The figures of a wave's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Responses received.
    pub responses: u64,
    /// The sum of the district quotas (none when no quota was set).
    pub quota: Option<u64>,
    /// The averages of this wave.
    pub averages: Option<Averages>,
    /// The previous wave's name and averages, when it has any.
    pub previous: Option<(String, Averages)>,
    /// The projects in the low–low quadrant, by name.
    pub attention: Vec<(String, String)>,
    /// How many projects have too few respondents to be evaluated.
    pub too_few: usize,
}

/// What the summary reads of one project's evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectScore<'a> {
    /// Its name in Chinese.
    pub name_zh: &'a str,
    /// Its name in English.
    pub name_en: &'a str,
    /// Whether it has enough respondents to be evaluated.
    pub reliable: bool,
    /// Its recognition index.
    pub recognition: Option<f64>,
    /// Its satisfaction index.
    pub satisfaction: Option<f64>,
    /// Its quadrant.
    pub quadrant: Option<Quadrant>,
}

impl<'a> From<&'a ProjectEvaluation> for ProjectScore<'a> {
    fn from(project: &'a ProjectEvaluation) -> ProjectScore<'a> {
        ProjectScore {
            name_zh: &project.name_zh,
            name_en: &project.name_en,
            reliable: project.reliable,
            recognition: project.recognition,
            satisfaction: project.satisfaction,
            quadrant: project.quadrant,
        }
    }
}

/// The scores of every project of `evaluation`.
pub fn scores(evaluation: &Evaluation) -> Vec<ProjectScore<'_>> {
    evaluation.projects.iter().map(ProjectScore::from).collect()
}

/// The average indices over the projects with enough respondents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Averages {
    /// Average recognition, 0–100.
    pub recognition: f64,
    /// Average satisfaction, 0–100.
    pub satisfaction: f64,
    /// Over how many projects.
    pub projects: usize,
}

/// The averages over the reliable projects of `projects`; `None` when none is reliable.
pub fn averages(projects: &[ProjectScore<'_>]) -> Option<Averages> {
    let scored: Vec<(f64, f64)> = projects
        .iter()
        .filter(|project| project.reliable)
        .filter_map(|project| Some((project.recognition?, project.satisfaction?)))
        .collect();
    if scored.is_empty() {
        return None;
    }
    let count = scored.len() as f64;
    Some(Averages {
        recognition: scored.iter().map(|(r, _)| r).sum::<f64>() / count,
        satisfaction: scored.iter().map(|(_, s)| s).sum::<f64>() / count,
        projects: scored.len(),
    })
}

/// The summary of a wave's `projects`, given its responses and quotas and the previous
/// wave's name and projects.
pub fn summarise(
    projects: &[ProjectScore<'_>],
    responses: u64,
    quota: Option<u64>,
    previous: Option<(String, &[ProjectScore<'_>])>,
) -> Summary {
    Summary {
        responses,
        quota,
        averages: averages(projects),
        previous: previous.and_then(|(name, earlier)| Some((name, averages(earlier)?))),
        attention: projects
            .iter()
            .filter(|project| project.reliable && project.quadrant == Some(Quadrant::LL))
            .map(|project| (project.name_zh.to_string(), project.name_en.to_string()))
            .collect(),
        too_few: projects.iter().filter(|project| !project.reliable).count(),
    }
}

/// The summary as cards.
pub fn render(summary: &Summary, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let change = |now: f64, before: f64| {
        let delta = now - before;
        format!("{}{delta:+.1}", t("较上一轮 ", "vs previous: "))
    };
    html! {
        section.cards aria-label=(t("概览", "Summary")) {
            div.card {
                span.label { (t("答卷", "Responses")) }
                strong { (summary.responses) }
                @if let Some(quota) = summary.quota.filter(|q| *q > 0) {
                    span {
                        (t("配额 ", "quota ")) (quota)
                        (t("，完成 ", ", ")) (format!("{:.0}%", 100.0 * summary.responses as f64 / quota as f64))
                        (t("", " reached"))
                    }
                }
            }
            @for (label, pick) in [
                (t("认可度平均分", "Average recognition"), 0),
                (t("满意度平均分", "Average satisfaction"), 1),
            ] {
                div.card {
                    span.label { (label) }
                    @if let Some(averages) = &summary.averages {
                        @let value = if pick == 0 { averages.recognition } else { averages.satisfaction };
                        strong { (format!("{value:.1}")) }
                        span {
                            @if let Some((name, before)) = &summary.previous {
                                @let earlier = if pick == 0 { before.recognition } else { before.satisfaction };
                                span title=(name) { (change(value, earlier)) }
                            }
                            (t("（", " (")) (averages.projects) (t(" 项工程）", " projects)"))
                        }
                    } @else {
                        strong { "—" }
                        span { (t("受访者不足，暂不计算", "too few respondents so far")) }
                    }
                }
            }
            div.card {
                span.label { (t("需重点关注", "Needing attention")) }
                @if summary.attention.is_empty() {
                    strong { (t("暂无", "None")) }
                } @else {
                    strong { (summary.attention.len()) (t(" 项", "")) }
                    span {
                        @for (index, (zh, en)) in summary.attention.iter().enumerate() {
                            @if index > 0 { (t("、", ", ")) }
                            (lang.pick(zh, en))
                        }
                    }
                }
                @if summary.too_few > 0 {
                    span.muted { (summary.too_few) (t(" 项工程受访者不足", " projects with too few respondents")) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(
        name_zh: &'static str,
        reliable: bool,
        (recognition, satisfaction): (f64, f64),
        quadrant: Quadrant,
    ) -> ProjectScore<'static> {
        ProjectScore {
            name_zh,
            name_en: name_zh,
            reliable,
            recognition: Some(recognition),
            satisfaction: Some(satisfaction),
            quadrant: Some(quadrant),
        }
    }

    #[test]
    fn averages_count_only_projects_with_enough_respondents() {
        let now = [
            project("甲工程", true, (80.0, 70.0), Quadrant::HH),
            project("乙工程", true, (60.0, 50.0), Quadrant::LL),
            project("丙工程", false, (10.0, 10.0), Quadrant::LL),
        ];
        let earlier = [project("甲工程", true, (66.0, 66.0), Quadrant::HH)];
        let summary = summarise(&now, 90, Some(120), Some(("2020".into(), &earlier)));
        assert_eq!(
            summary.averages,
            Some(Averages {
                recognition: 70.0,
                satisfaction: 60.0,
                projects: 2
            })
        );
        assert_eq!(
            summary.attention,
            [("乙工程".to_string(), "乙工程".to_string())]
        );
        assert_eq!(summary.too_few, 1);
        let cards = render(&summary, Lang::Zh).into_string();
        assert!(cards.contains("较上一轮 +4.0"), "{cards}");
        assert!(cards.contains("较上一轮 -6.0"), "{cards}");
        assert!(cards.contains("完成 75%"), "{cards}");
        assert!(
            !cards.contains("丙工程"),
            "a project with too few respondents is no finding"
        );
    }

    #[test]
    fn no_average_nor_change_without_a_project_with_enough_respondents() {
        let now = [project("丙工程", false, (10.0, 10.0), Quadrant::LL)];
        let summary = summarise(&now, 3, None, Some(("2020".into(), &now)));
        assert_eq!((summary.averages, summary.previous.clone()), (None, None));
        let cards = render(&summary, Lang::Zh).into_string();
        assert!(cards.contains("受访者不足，暂不计算") && !cards.contains("较上一轮"));
    }
}
