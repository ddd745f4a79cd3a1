//! The weighted evaluation in reports: how respondents were weighted (margins, design effect,
//! effective sample size), each project's weighted indices with bootstrap intervals, rank
//! intervals, and a chart of each project's quadrant probabilities with the uncertain ones
//! marked.

use std::fmt::Write;

use minxin_domain::evaluation::{
    Evaluation, Quadrant, RankInterval, WeightedEvaluation, WeightedIndex, WeightedProject,
    CENSUS_SOURCE,
};

use crate::html::{cells, table_end, table_start};
use crate::svg::{chart_title, escape, open_svg, quadrant_colour, text_width};
use crate::table::TextTable;
use crate::Lang;

fn index_text(index: Option<WeightedIndex>) -> String {
    match index {
        None => "—".into(),
        Some(index) => match (index.ci_low, index.ci_high) {
            (Some(low), Some(high)) => format!("{:.1} [{low:.1}, {high:.1}]", index.score),
            _ => format!("{:.1}", index.score),
        },
    }
}

fn rank_text(rank: Option<RankInterval>) -> String {
    match rank {
        None => "—".into(),
        Some(rank) => match (rank.best, rank.worst) {
            (Some(best), Some(worst)) => format!("{} ({best}–{worst})", rank.rank),
            _ => rank.rank.to_string(),
        },
    }
}

fn probabilities_text(project: &WeightedProject) -> String {
    match project.quadrant_probabilities {
        None => "—".into(),
        Some(p) => Quadrant::ALL
            .iter()
            .zip(p)
            .map(|(q, p)| format!("{} {:.0}%", q.code(), p * 100.0))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn quadrant_text(project: &WeightedProject, lang: Lang) -> String {
    let Some(quadrant) = project.quadrant else {
        return "—".into();
    };
    match project.uncertain {
        Some(true) => format!(
            "{}{}",
            quadrant.code(),
            lang.pick("（不确定）", " (uncertain)")
        ),
        _ => quadrant.code().to_string(),
    }
}

fn name<'e>(evaluation: &'e Evaluation, code: &'e str, lang: Lang) -> &'e str {
    evaluation
        .projects
        .iter()
        .find(|p| p.code == code)
        .map_or(code, |p| lang.project_name(p))
}

/// One line on the weighting: margins, respondents, design effect and effective sample size.
fn weighting_line(weighted: &WeightedEvaluation, lang: Lang) -> String {
    let w = &weighted.weighting;
    let margins = match w.margins.as_deref() {
        None => lang.pick("无（等权）", "none (equal weights)").to_string(),
        // The built-in margins, named in the reader's language; a file keeps its own name.
        Some(CENSUS_SOURCE) => lang
            .pick("上海市 2020 年人口普查（区、性别）", CENSUS_SOURCE)
            .to_string(),
        Some(other) => other.to_string(),
    };
    let trimming = w.trimming.as_ref().map_or_else(String::new, |t| {
        format!(
            " · {} {:.2}–{:.2} ({} {})",
            lang.pick("截尾至", "trimmed to"),
            t.lower,
            t.upper,
            t.cells_at_bounds,
            lang.pick("个单元在边界", "cells at a bound")
        )
    });
    format!(
        "{} {margins} · {} {} · {} {} · {} {:.2} · {} {:.0}{trimming}",
        lang.pick("加权边际", "Weighting margins"),
        lang.pick("加权受访者", "respondents weighted"),
        w.respondents,
        lang.pick("未能加权（变量未填）", "left out (variable not stated)"),
        w.left_out,
        lang.pick("设计效应（Kish）", "design effect (Kish)"),
        w.design_effect,
        lang.pick("有效样本量", "effective sample size"),
        w.effective_n,
    )
}

fn replicates_line(weighted: &WeightedEvaluation, lang: Lang) -> String {
    if weighted.replicates == 0 {
        return lang
            .pick("未做自助法重抽样。", "No bootstrap replicates were drawn.")
            .to_string();
    }
    format!(
        "{} {} · {} {} · {} {} · {} {:.0}% · {} {:.0}%",
        lang.pick("自助法重复", "Bootstrap replicates"),
        weighted.replicates,
        lang.pick("随机种子", "seed"),
        weighted.seed,
        lang.pick("重抽样组数", "groups resampled"),
        weighted.groups,
        lang.pick("区间置信水平", "interval level"),
        weighted.confidence * 100.0,
        lang.pick("象限确定阈值", "quadrant certainty threshold"),
        weighted.certainty * 100.0,
    )
}

/// The weighted evaluation as a terminal table.
pub fn render_weighted_table(
    evaluation: &Evaluation,
    weighted: &WeightedEvaluation,
    lang: Lang,
) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let mut out = format!(
        "\n{}\n{}\n{}\n",
        t("加权评价与稳健性", "Weighted evaluation and robustness"),
        weighting_line(weighted, lang),
        replicates_line(weighted, lang)
    );
    let table = TextTable {
        header: [
            t("项目", "Project"),
            t("认可度 [区间]", "Recognition [interval]"),
            t("名次（区间）", "Rank (interval)"),
            t("满意度 [区间]", "Satisfaction [interval]"),
            t("名次（区间）", "Rank (interval)"),
            t("象限", "Quadrant"),
            t("象限概率", "Quadrant probabilities"),
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: weighted
            .projects
            .iter()
            .map(|p| {
                vec![
                    name(evaluation, &p.code, lang).to_string(),
                    index_text(p.recognition),
                    rank_text(p.rank_recognition),
                    index_text(p.satisfaction),
                    rank_text(p.rank_satisfaction),
                    quadrant_text(p, lang),
                    probabilities_text(p),
                ]
            })
            .collect(),
        right_aligned: vec![false, true, true, true, true, false, false],
    };
    table.render(&mut out);
    if let Some(model) = &weighted.model {
        out.push_str(t(
            "\n加权结构模型：对满意度的总效应（自助法区间）\n",
            "\nWeighted structural model: total effects on satisfaction (bootstrap intervals)\n",
        ));
        for driver in &model.drivers {
            out.push_str(&format!(
                "  {:<16} {:>6.3}  {}\n",
                driver.name,
                driver.estimate,
                match (driver.ci_low, driver.ci_high) {
                    (Some(low), Some(high)) => format!("[{low:.3}, {high:.3}]"),
                    _ => String::new(),
                }
            ));
        }
    }
    out
}

/// The weighted evaluation as a section of the HTML report.
pub fn render_weighted_section(
    evaluation: &Evaluation,
    weighted: &WeightedEvaluation,
    instrument: &minxin_domain::config::Instrument,
    lang: Lang,
) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let mut out = format!(
        "<section aria-labelledby=\"weighted-heading\"><h2 id=\"weighted-heading\">{}</h2>\
         <p>{}</p><p class=\"muted\">{}</p>",
        escape(t("加权评价与稳健性", "Weighted evaluation and robustness")),
        escape(&weighting_line(weighted, lang)),
        escape(&replicates_line(weighted, lang)),
    );
    if weighted.replicates > 0 {
        out.push_str("<figure>");
        out.push_str(&quadrant_probability_chart(evaluation, weighted, lang));
        let _ = write!(
            out,
            "<figcaption>{}</figcaption></figure>",
            escape(t(
                "各项目落入四个象限的概率（每次重抽样都重新估计中位数截点）；未有任一象限达到确定阈值的项目标为“不确定”。",
                "Each project's probability of lying in each quadrant (the median cut points re-estimated in every replicate); projects where no quadrant reaches the certainty threshold are marked uncertain."
            ))
        );
    }
    table_start(
        &mut out,
        t(
            "加权指数、百分位区间与名次区间",
            "Weighted indices with percentile intervals, and rank intervals",
        ),
        &[
            (t("项目", "Project"), false),
            (t("认可度 [区间]", "Recognition [interval]"), true),
            (t("标准误", "SE"), true),
            (t("名次（区间）", "Rank (interval)"), true),
            (t("满意度 [区间]", "Satisfaction [interval]"), true),
            (t("标准误", "SE"), true),
            (t("名次（区间）", "Rank (interval)"), true),
            (t("象限", "Quadrant"), false),
            (t("象限概率", "Quadrant probabilities"), false),
        ],
    );
    let se = |index: Option<WeightedIndex>| {
        index
            .and_then(|i| i.se)
            .map_or_else(|| "—".to_string(), |se| format!("{se:.2}"))
    };
    for p in &weighted.projects {
        cells(
            &mut out,
            &[
                (name(evaluation, &p.code, lang).to_string(), false),
                (index_text(p.recognition), true),
                (se(p.recognition), true),
                (rank_text(p.rank_recognition), true),
                (index_text(p.satisfaction), true),
                (se(p.satisfaction), true),
                (rank_text(p.rank_satisfaction), true),
                (quadrant_text(p, lang), false),
                (probabilities_text(p), false),
            ],
        );
    }
    table_end(&mut out);
    if let Some(model) = &weighted.model {
        table_start(
            &mut out,
            &match lang {
                Lang::Zh => format!(
                    "加权结构模型：对满意度的总效应（驱动因素）与路径系数，附自助法区间（{} 次重抽样）",
                    model.replicates
                ),
                Lang::En => format!(
                    "Weighted structural model: total effects on satisfaction (drivers) and path coefficients, with bootstrap intervals ({} replicates)",
                    model.replicates
                ),
            },
            &[
                (t("驱动因素 / 路径", "Driver / path"), false),
                (t("估计", "Estimate"), true),
                (t("标准误", "SE"), true),
                (t("区间", "Interval"), true),
            ],
        );
        for estimate in model.drivers.iter().chain(&model.paths) {
            cells(
                &mut out,
                &[
                    // A driver (`need_fit`) or a path (`relevance → need_fit`), by name.
                    (
                        estimate
                            .name
                            .split(" → ")
                            .map(|code| crate::drivers::construct_name(instrument, code, lang))
                            .collect::<Vec<_>>()
                            .join(" → "),
                        false,
                    ),
                    (format!("{:.3}", estimate.estimate), true),
                    (
                        estimate
                            .se
                            .map_or_else(|| "—".to_string(), |se| format!("{se:.3}")),
                        true,
                    ),
                    (
                        match (estimate.ci_low, estimate.ci_high) {
                            (Some(low), Some(high)) => format!("{low:.3} – {high:.3}"),
                            _ => "—".into(),
                        },
                        true,
                    ),
                ],
            );
        }
        table_end(&mut out);
    }
    out.push_str("</section>");
    out
}

/// A stacked bar per reliable project: the share of replicates in each quadrant.
pub fn quadrant_probability_chart(
    evaluation: &Evaluation,
    weighted: &WeightedEvaluation,
    lang: Lang,
) -> String {
    let projects: Vec<&WeightedProject> = weighted
        .projects
        .iter()
        .filter(|p| p.quadrant_probabilities.is_some())
        .collect();
    let label_width = projects
        .iter()
        .map(|p| text_width(name(evaluation, &p.code, lang), 13.0))
        .fold(60.0, f64::max)
        + 24.0;
    let (bar_left, bar_width, row) = (label_width, 420.0, 24.0);
    let top = 70.0;
    let width = bar_left + bar_width + 110.0;
    let height = top + row * projects.len() as f64 + 20.0;
    let mut out = String::new();
    let title = lang.pick("象限概率", "Quadrant probabilities");
    open_svg(
        &mut out,
        width,
        height,
        "quadrant-probabilities",
        title,
        lang.pick(
            "每个项目一行，四段分别为落入 HH、HL、LH、LL 象限的重抽样比例。",
            "One row per project; the four segments are the shares of replicates in HH, HL, LH and LL.",
        ),
    );
    chart_title(&mut out, title);
    for (k, quadrant) in Quadrant::ALL.iter().enumerate() {
        let x = bar_left + k as f64 * 90.0;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"34\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"45\">{}</text>",
            quadrant_colour(Some(*quadrant)),
            x + 16.0,
            quadrant.code()
        );
    }
    for (i, project) in projects.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            bar_left - 8.0,
            y + 15.0,
            escape(name(evaluation, &project.code, lang))
        );
        let probabilities = project.quadrant_probabilities.unwrap_or_default();
        let mut x = bar_left;
        for (quadrant, p) in Quadrant::ALL.iter().zip(probabilities) {
            let w = p * bar_width;
            if w > 0.0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\">\
                     <title>{} {:.0}%</title></rect>",
                    y + 2.0,
                    quadrant_colour(Some(*quadrant)),
                    quadrant.code(),
                    p * 100.0
                );
            }
            x += w;
        }
        if project.uncertain == Some(true) {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#8a1c15\" font-weight=\"bold\">{}</text>",
                bar_left + bar_width + 8.0,
                y + 15.0,
                escape(lang.pick("不确定", "uncertain"))
            );
        }
    }
    out.push_str("</svg>");
    out
}
