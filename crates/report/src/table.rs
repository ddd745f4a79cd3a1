//! The terminal table: a summary a person can read at a glance.

use std::fmt::Write;

use minxin_domain::evaluation::{Evaluation, ProjectEvaluation, Quadrant};
use unicode_width::UnicodeWidthStr;

use crate::{member_names, score, Lang};

/// Columns aligned by display width (Chinese characters take two cells).
pub(crate) struct TextTable {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) right_aligned: Vec<bool>,
}

impl TextTable {
    pub(crate) fn render(&self, out: &mut String) {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|c| {
                std::iter::once(&self.header[c])
                    .chain(self.rows.iter().map(|row| &row[c]))
                    .map(|cell| cell.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |out: &mut String, cells: &[String]| {
            let mut text = String::new();
            for (c, cell) in cells.iter().enumerate() {
                let padding = " ".repeat(widths[c] - cell.width());
                if c > 0 {
                    text.push_str("  ");
                }
                if self.right_aligned[c] {
                    text.push_str(&padding);
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    text.push_str(&padding);
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(out, &self.header);
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        line(out, &rule);
        for row in &self.rows {
            line(out, row);
        }
    }
}

/// Projects ordered as in Figure 1: reliable ones by recognition, highest first, then the rest.
pub(crate) fn figure_order(evaluation: &Evaluation) -> Vec<&ProjectEvaluation> {
    let mut projects: Vec<&ProjectEvaluation> = evaluation.projects.iter().collect();
    projects.sort_by(|a, b| {
        b.reliable.cmp(&a.reliable).then(
            b.recognition
                .unwrap_or(f64::MIN)
                .total_cmp(&a.recognition.unwrap_or(f64::MIN)),
        )
    });
    projects
}

fn interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("[{low:.1}, {high:.1}]"),
        _ => "—".into(),
    }
}

/// The evaluation as a plain-text report for a terminal.
pub fn render_table(evaluation: &Evaluation, lang: Lang) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let mut out = String::new();
    let wave = evaluation.wave.as_deref().unwrap_or("—");
    let _ = writeln!(
        out,
        "{} {wave}",
        t("民心工程评价 · 轮次", "Minxin evaluation · wave")
    );
    if evaluation.synthetic {
        let _ = writeln!(
            out,
            "{}",
            t(
                "【合成数据】本数据为演示用合成数据，按论文公布的汇总结果校准，并非真实调查数据。",
                "[SYNTHETIC DATA] Generated for demonstration, calibrated to the paper's published aggregate findings; not real survey data."
            )
        );
    }
    let rows = &evaluation.rows;
    let _ = writeln!(
        out,
        "{} {} · {} {} · {} {} · {} {}",
        t("受访者", "Respondents"),
        evaluation.profile.respondents,
        t("计入的行", "rows used"),
        rows.used,
        t("未通过检查的行", "rejected"),
        rows.rejected,
        t("其他轮次", "other waves"),
        rows.other_waves
    );
    let heading = match lang {
        Lang::Zh => format!(
            "截点（规则：{}）：认可度",
            evaluation.settings.cut_points.describe_zh()
        ),
        Lang::En => format!(
            "Cut points (rule: {}): recognition",
            evaluation.settings.cut_points.describe_en()
        ),
    };
    let _ = writeln!(
        out,
        "{heading} {} · {} {}\n",
        score(evaluation.cut_points.recognition),
        t("满意度", "satisfaction"),
        score(evaluation.cut_points.satisfaction)
    );
    let header = [
        t("项目", "Project"),
        "n",
        t("认可度", "Recognition"),
        "#",
        t("满意度", "Satisfaction"),
        "#",
        t("象限", "Quadrant"),
        t("差距 认可−满意 [95% CI]", "Gap rec−sat [95% CI]"),
    ];
    let table = TextTable {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: figure_order(evaluation)
            .into_iter()
            .map(|p| {
                let reliable_mark = if p.reliable {
                    ""
                } else {
                    t("（样本不足）", " (too few)")
                };
                let gap_mark = if p.gap.notable {
                    t(" 显著", " notable")
                } else {
                    ""
                };
                vec![
                    format!("{}{reliable_mark}", lang.project_name(p)),
                    p.n.to_string(),
                    score(p.recognition),
                    p.rank_recognition.map_or("—".into(), |r| r.to_string()),
                    score(p.satisfaction),
                    p.rank_satisfaction.map_or("—".into(), |r| r.to_string()),
                    p.quadrant.map_or("—", Quadrant::code).to_string(),
                    format!(
                        "{} {}{gap_mark}",
                        score(p.gap.mean),
                        interval(p.gap.ci_low, p.gap.ci_high)
                    ),
                ]
            })
            .collect(),
        right_aligned: vec![false, true, true, true, true, true, false, false],
    };
    table.render(&mut out);
    let _ = writeln!(out, "\n{}", t("象限与策略", "Quadrants and strategies"));
    for group in &evaluation.quadrants {
        let names = member_names(evaluation, group, lang);
        let separator = t("、", ", ");
        let _ = writeln!(
            out,
            "  {} {}: {}\n     {}",
            group.quadrant.code(),
            lang.quadrant_name(group.quadrant),
            if names.is_empty() {
                "—".to_string()
            } else {
                names.join(separator)
            },
            lang.strategy(group.quadrant)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width() {
        let table = TextTable {
            header: vec!["项目".into(), "n".into()],
            rows: vec![
                vec!["早餐工程".into(), "5".into()],
                vec!["ab".into(), "123".into()],
            ],
            right_aligned: vec![false, true],
        };
        let mut out = String::new();
        table.render(&mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "项目        n");
        assert_eq!(lines[2], "早餐工程    5");
        assert_eq!(lines[3], "ab        123");
    }
}
