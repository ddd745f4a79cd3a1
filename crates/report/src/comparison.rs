//! The sections of a comparison of two waves: the change chart, the table of changes with
//! intervals, and the quadrant moves.

use std::fmt::Write;

use minxin_domain::evaluation::{IndexChange, WaveComparison, DEFAULT_MINIMUM_CELL};

use crate::charts::change_chart;
use crate::html::{row_with_class, table_end, table_start};
use crate::svg::escape;
use crate::Lang;

fn change_text(change: &Option<IndexChange>, lang: Lang) -> String {
    let Some(change) = change else {
        return "—".into();
    };
    let interval = match (change.ci_low, change.ci_high) {
        (Some(low), Some(high)) => format!(" ({low:+.1} – {high:+.1})"),
        _ => String::new(),
    };
    let mark = if change.significant {
        lang.pick(" 显著", " significant")
    } else {
        ""
    };
    format!(
        "{:.1} → {:.1}: {:+.1}{interval}{mark}",
        change.before, change.after, change.change
    )
}

/// Everything below the comparison's title.
pub fn render_comparison_body(comparison: &WaveComparison, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let _ = write!(out, "<figure>{}</figure>", change_chart(comparison, lang));
    let confidence = format!("{:.0}%", comparison.confidence * 100.0);
    let caption = match lang {
        Lang::Zh => format!("前值 → 后值：变化（{confidence} 置信区间）；区间不含 0 者为显著，整行加粗"),
        Lang::En => format!("Before → after: change ({confidence} interval); significant when the interval excludes 0, shown in bold"),
    };
    table_start(
        &mut out,
        &caption,
        &[
            (t("项目", "Project"), false),
            (t("n（前/后）", "n (before/after)"), true),
            (t("认可度", "Recognition"), false),
            (t("满意度", "Satisfaction"), false),
            (t("象限变化", "Quadrant"), false),
        ],
    );
    for project in &comparison.projects {
        let quadrant =
            |q: Option<minxin_domain::evaluation::Quadrant>| q.map_or("—", |q| q.code());
        let moved = match (project.quadrant_before, project.quadrant_after) {
            (None, None) => "—".to_string(),
            (Some(before), Some(after)) if before == after => {
                format!("{} {}", after.code(), t("（未变）", "(unchanged)"))
            }
            (before, after) => format!("{} → {}", quadrant(before), quadrant(after)),
        };
        // A change computed from a handful of respondents is shown with a caveat and never
        // as a finding.
        let thin = project.n_before.min(project.n_after) < DEFAULT_MINIMUM_CELL;
        let significant = !thin
            && project
                .recognition
                .iter()
                .chain(project.satisfaction.iter())
                .any(|c| c.significant);
        let name = lang.pick(&project.name_zh, &project.name_en);
        let name = if thin {
            match lang {
                Lang::Zh => format!("{name}（答卷不足 {DEFAULT_MINIMUM_CELL} 份，变化仅供参考）"),
                Lang::En => format!(
                    "{name} (fewer than {DEFAULT_MINIMUM_CELL} respondents: indicative only)"
                ),
            }
        } else {
            name.to_string()
        };
        row_with_class(
            &mut out,
            significant.then_some("notable"),
            &[
                (name, false),
                (format!("{}/{}", project.n_before, project.n_after), true),
                (change_text(&project.recognition, lang), false),
                (change_text(&project.satisfaction, lang), false),
                (moved, false),
            ],
        );
    }
    table_end(&mut out);
    if !comparison.unmatched.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">{}: {}</p>",
            escape(t(
                "只在其中一轮评价的项目",
                "Projects evaluated in only one wave"
            )),
            escape(&comparison.unmatched.join(", "))
        );
    }
    out
}

/// The comparison as a terminal table: each project's change of both indices with its
/// interval, and its quadrant before and after.
pub fn render_comparison_table(comparison: &WaveComparison, lang: Lang) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let mut out = format!(
        "{} {} → {} ({} {:.0}%)\n",
        t("两轮评价对比", "Comparison of waves"),
        comparison.before.as_deref().unwrap_or("—"),
        comparison.after.as_deref().unwrap_or("—"),
        t("置信水平", "confidence"),
        comparison.confidence * 100.0
    );
    let quadrant = |q: Option<minxin_domain::evaluation::Quadrant>| q.map_or("—", |q| q.code());
    let table = crate::table::TextTable {
        header: [
            t("项目", "Project"),
            t(
                "认可度 前 → 后：变化（区间）",
                "Recognition before → after: change (interval)",
            ),
            t(
                "满意度 前 → 后：变化（区间）",
                "Satisfaction before → after: change (interval)",
            ),
            t("象限", "Quadrant"),
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: comparison
            .projects
            .iter()
            .map(|p| {
                vec![
                    lang.pick(&p.name_zh, &p.name_en).to_string(),
                    change_text(&p.recognition, lang),
                    change_text(&p.satisfaction, lang),
                    format!(
                        "{} → {}",
                        quadrant(p.quadrant_before),
                        quadrant(p.quadrant_after)
                    ),
                ]
            })
            .collect(),
        right_aligned: vec![false, false, false, false],
    };
    table.render(&mut out);
    if !comparison.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "{} {}",
            t("只在其中一轮评价的项目：", "Projects in only one wave:"),
            comparison.unmatched.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use minxin_domain::evaluation::ProjectChange;

    fn change(n: u64) -> ProjectChange {
        ProjectChange {
            code: "parking".into(),
            name_zh: "停车难综合治理".into(),
            name_en: "Parking".into(),
            n_before: n,
            n_after: 200,
            recognition: Some(IndexChange {
                before: 60.0,
                after: 75.0,
                change: 15.0,
                se: Some(2.5),
                ci_low: Some(10.0),
                ci_high: Some(20.0),
                significant: true,
            }),
            satisfaction: None,
            quadrant_before: None,
            quadrant_after: None,
            moved: false,
        }
    }

    #[test]
    fn a_change_from_a_handful_of_respondents_is_a_caveat_not_a_finding() {
        for (n, thin) in [(3, true), (200, false)] {
            let comparison = WaveComparison {
                before: Some("2025".into()),
                after: Some("2026".into()),
                confidence: 0.95,
                projects: vec![change(n)],
                unmatched: Vec::new(),
            };
            let body = render_comparison_body(&comparison, Lang::Zh);
            assert_eq!(body.contains("仅供参考"), thin, "{n}");
            assert_eq!(body.contains("<tr class=\"notable\">"), !thin, "{n}");
        }
    }
}
