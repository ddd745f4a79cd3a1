//! The self-contained HTML report: one file with inline CSS and SVG, no scripts, printable.

use std::fmt::Write;

use minxin_domain::config::Instrument;
use minxin_domain::evaluation::{CategoryCount, Evaluation};

use crate::svg::{escape, figure1, figure2};
use crate::table::figure_order;
use crate::{member_names, score, Lang};

/// The report's style sheet: inline in a report file, and the base of the web platform's.
pub const REPORT_STYLE: &str = "
body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',system-ui,sans-serif;margin:0;color:#111;background:#fff;line-height:1.5}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #1f5fa8}
.banner{background:#fff3cd;border:2px solid #8a6100;color:#3d2b00;padding:.75rem 1rem;font-weight:bold}
.scroll{overflow-x:auto}.scroll tr>:first-child{position:sticky;left:0;background:#fff}.scroll thead tr>:first-child{background:#eef3fa}table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#eef3fa}.muted{color:#555}.notable{font-weight:bold;color:#8a1c15}
figure{margin:1rem 0;overflow-x:auto}figcaption{font-size:.9rem;color:#333}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:bold}
@media print{.scroll,figure{overflow:visible}details{display:block}a{color:#111}}
";

pub(crate) fn table_start(out: &mut String, caption: &str, headers: &[(&str, bool)]) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><caption class=\"muted\">{}</caption><thead><tr>",
        escape(caption)
    );
    for (header, numeric) in headers {
        let class = if *numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape(header));
    }
    out.push_str("</tr></thead><tbody>");
}

pub(crate) fn table_end(out: &mut String) {
    out.push_str("</tbody></table></div>");
}

pub(crate) fn cells(out: &mut String, cells: &[(String, bool)]) {
    row_with_class(out, None, cells);
}

/// A table row whose first cell is the row header; `class` styles the whole row.
pub(crate) fn row_with_class(out: &mut String, class: Option<&str>, cells: &[(String, bool)]) {
    match class {
        Some(class) => {
            let _ = write!(out, "<tr class=\"{class}\">");
        }
        None => out.push_str("<tr>"),
    }
    for (i, (text, numeric)) in cells.iter().enumerate() {
        let class = if *numeric { " class=\"num\"" } else { "" };
        if i == 0 {
            let _ = write!(out, "<th scope=\"row\"{class}>{}</th>", escape(text));
        } else {
            let _ = write!(out, "<td{class}>{}</td>", escape(text));
        }
    }
    out.push_str("</tr>");
}

pub(crate) fn interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{low:.1} – {high:.1}"),
        _ => "—".into(),
    }
}

fn category_table(
    out: &mut String,
    lang: Lang,
    caption: &str,
    categories: &[CategoryCount],
    total: u64,
) {
    let t = |zh, en| lang.pick(zh, en);
    table_start(
        out,
        caption,
        &[
            (t("类别", "Category"), false),
            (t("人数", "Respondents"), true),
            ("%", true),
        ],
    );
    for category in categories {
        let (count, share) = match category.count {
            Some(count) if total > 0 => (
                count.to_string(),
                format!("{:.1}", 100.0 * count as f64 / total as f64),
            ),
            Some(count) => (count.to_string(), "0.0".to_string()),
            // Withheld from a published output: too few respondents to show.
            None => (t("不足 30", "fewer than 30").to_string(), "—".to_string()),
        };
        cells(
            out,
            &[
                (lang.category(category).to_string(), false),
                (count, true),
                (share, true),
            ],
        );
    }
    table_end(out);
}

/// An HTML document with the report's style sheet around `body` (the content of `<main>`).
pub fn html_document(title: &str, lang: Lang, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{REPORT_STYLE}</style></head><body><main>{body}</main></body></html>",
        lang.tag(),
        escape(title)
    )
}

/// The title of a report of `evaluation`.
fn report_title(evaluation: &Evaluation, lang: Lang) -> String {
    let wave = evaluation.wave.as_deref().unwrap_or("—");
    format!(
        "{} · {}",
        lang.pick("民心工程认可度与满意度评价报告", "Minxin evaluation report"),
        wave
    )
}

/// The whole report as one HTML document in `lang`.
pub fn render_html(evaluation: &Evaluation, instrument: &Instrument, lang: Lang) -> String {
    render_html_with_weighted(evaluation, instrument, None, lang)
}

/// The report with, when given, the weighted evaluation as a last section.
pub fn render_html_with_weighted(
    evaluation: &Evaluation,
    instrument: &Instrument,
    weighted: Option<&minxin_domain::evaluation::WeightedEvaluation>,
    lang: Lang,
) -> String {
    let title = report_title(evaluation, lang);
    let mut body = format!(
        "<h1>{}</h1>{}",
        escape(&title),
        render_report_body(evaluation, instrument, lang)
    );
    if let Some(weighted) = weighted {
        body.push_str(&crate::render_weighted_section(
            evaluation, weighted, instrument, lang,
        ));
    }
    html_document(&title, lang, &body)
}

/// The report's sections (everything below the title), for embedding in another page; each
/// project's item table folded, to be opened on screen.
pub fn render_report_body(evaluation: &Evaluation, instrument: &Instrument, lang: Lang) -> String {
    report_body(evaluation, instrument, lang, false)
}

/// The report's sections for printing: every table open (a folded table prints closed).
pub fn render_printable_report_body(
    evaluation: &Evaluation,
    instrument: &Instrument,
    lang: Lang,
) -> String {
    report_body(evaluation, instrument, lang, true)
}

/// The sections of a body the report crate rendered, in order, as (anchor, heading text):
/// the contents of a printed report.
pub fn report_sections(body: &str) -> Vec<(String, String)> {
    let mut sections = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("<h2 id=\"") {
        rest = &rest[start + "<h2 id=\"".len()..];
        let Some(id_end) = rest.find('"') else { break };
        let id = rest[..id_end].to_string();
        let Some(text_start) = rest.find('>') else {
            break;
        };
        let Some(text_end) = rest.find("</h2>") else {
            break;
        };
        let heading = rest[text_start + 1..text_end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        sections.push((id, heading));
        rest = &rest[text_end..];
    }
    sections
}

fn report_body(evaluation: &Evaluation, instrument: &Instrument, lang: Lang, open: bool) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();

    if evaluation.synthetic {
        let _ = write!(
            out,
            "<p class=\"banner\" role=\"note\">{}</p>",
            escape(t(
                "合成数据：本报告所用数据为演示用合成数据，按论文公布的汇总结果校准，并非真实调查数据。",
                "Synthetic data: this report uses generated demonstration data, calibrated to the paper's published aggregate findings. It is not real survey data."
            ))
        );
    }
    let rows = &evaluation.rows;
    let settings = &evaluation.settings;
    let _ = write!(
        out,
        "<p>{} <strong>{}</strong> · {} {} · {} {} · {} {}</p>\
         <p>{} <strong>{}</strong> · {} <strong>{}</strong> <span class=\"muted\">{}</span></p>",
        escape(t("受访者", "Respondents")),
        evaluation.profile.respondents,
        escape(t("计入的行", "rows used")),
        rows.used,
        escape(t("未通过检查的行", "rows rejected")),
        rows.rejected,
        escape(t("属于其他轮评价的行", "rows of other waves")),
        rows.other_waves,
        escape(t("认可度截点", "Recognition cut point")),
        score(evaluation.cut_points.recognition),
        escape(t("满意度截点", "Satisfaction cut point")),
        score(evaluation.cut_points.satisfaction),
        escape(&match lang {
            Lang::Zh => format!(
                "（切分规则：{}；可靠项目：受访者不少于 {} 人）",
                settings.cut_points.describe_zh(),
                settings.minimum_respondents
            ),
            Lang::En => format!(
                "(cut-point rule: {}; reliable projects: those with at least {} respondents)",
                settings.cut_points.describe_en(),
                settings.minimum_respondents
            ),
        }),
    );

    let _ = write!(
        out,
        "<h2 id=\"scores\">{}</h2><figure>{}</figure>",
        escape(t("得分分布", "Scores")),
        figure1(evaluation, lang)
    );
    let _ = write!(out, "<figure>{}</figure>", figure2(evaluation, lang));

    let _ = write!(
        out,
        "<h2 id=\"projects\">{}</h2>",
        escape(t("各项工程结果", "Results by project"))
    );
    let confidence = format!("{:.0}%", settings.confidence * 100.0);
    let gap_header = match lang {
        Lang::Zh => format!("差距（认可−满意）{confidence} 置信区间"),
        Lang::En => format!("Gap (rec − sat), {confidence} interval"),
    };
    table_start(
        &mut out,
        t(
            "按认可度排序；差距显著者加粗",
            "Ordered by recognition; notable gaps in bold",
        ),
        &[
            (t("项目", "Project"), false),
            ("n", true),
            (t("认可度", "Recognition"), true),
            (t("排名", "Rank"), true),
            (t("满意度", "Satisfaction"), true),
            (t("排名", "Rank"), true),
            (t("象限", "Quadrant"), false),
            (t("差距", "Gap"), true),
            (&gap_header, false),
        ],
    );
    for project in figure_order(evaluation) {
        let name = if project.reliable {
            lang.project_name(project).to_string()
        } else {
            format!(
                "{} {}",
                lang.project_name(project),
                t(
                    "（样本不足，不参与象限）",
                    "(too few respondents: no quadrant)"
                )
            )
        };
        let gap = if project.gap.notable {
            format!("{} {}", score(project.gap.mean), t("显著", "notable"))
        } else {
            score(project.gap.mean)
        };
        let row = [
            (name, false),
            (project.n.to_string(), true),
            (score(project.recognition), true),
            (
                project
                    .rank_recognition
                    .map_or("—".into(), |r| r.to_string()),
                true,
            ),
            (score(project.satisfaction), true),
            (
                project
                    .rank_satisfaction
                    .map_or("—".into(), |r| r.to_string()),
                true,
            ),
            (
                project.quadrant.map_or("—".to_string(), |q| {
                    format!("{} {}", q.code(), lang.quadrant_name(q))
                }),
                false,
            ),
            (gap, true),
            (interval(project.gap.ci_low, project.gap.ci_high), false),
        ];
        let class = project.gap.notable.then_some("notable");
        row_with_class(&mut out, class, &row);
    }
    table_end(&mut out);

    let _ = write!(
        out,
        "<h2 id=\"quadrants\">{}</h2>",
        escape(t("象限与推进策略", "Quadrants and strategies"))
    );
    table_start(
        &mut out,
        "",
        &[
            (t("象限", "Quadrant"), false),
            (t("项目", "Projects"), false),
            (t("策略", "Strategy"), false),
        ],
    );
    for group in &evaluation.quadrants {
        let names = member_names(evaluation, group, lang);
        cells(
            &mut out,
            &[
                (
                    format!(
                        "{} {}",
                        group.quadrant.code(),
                        lang.quadrant_name(group.quadrant)
                    ),
                    false,
                ),
                (
                    if names.is_empty() {
                        "—".into()
                    } else {
                        names.join(t("、", ", "))
                    },
                    false,
                ),
                (lang.strategy(group.quadrant).to_string(), false),
            ],
        );
    }
    table_end(&mut out);

    let _ = write!(
        out,
        "<h2 id=\"dimensions\">{}</h2>",
        escape(t("维度得分", "Dimension scores"))
    );
    let mut headers: Vec<(&str, bool)> = vec![(t("项目", "Project"), false)];
    headers.extend(
        instrument
            .dimensions
            .iter()
            .map(|d| (lang.pick(&d.zh, &d.en), true)),
    );
    table_start(
        &mut out,
        t(
            "0–100 分；维度得分为其题项均值的平均",
            "0–100; a dimension's score is the mean of its items' means",
        ),
        &headers,
    );
    for project in figure_order(evaluation) {
        let mut row = vec![(lang.project_name(project).to_string(), false)];
        row.extend(instrument.dimensions.iter().map(|d| {
            (
                score(project.dimensions.get(&d.code).copied().flatten()),
                true,
            )
        }));
        cells(&mut out, &row);
    }
    table_end(&mut out);

    let _ = write!(
        out,
        "<h2 id=\"items\">{}</h2>",
        escape(t("题项统计", "Item statistics"))
    );
    for project in figure_order(evaluation) {
        let _ = write!(
            out,
            "<details{}><summary>{} (n = {})</summary>",
            if open { " open" } else { "" },
            escape(lang.project_name(project)),
            project.n
        );
        table_start(
            &mut out,
            "",
            &[
                (t("题项", "Item"), false),
                ("n", true),
                (t("不知道", "Don't know"), true),
                (t("均值", "Mean"), true),
                (t("标准差", "SD"), true),
                (t("标准误", "SE"), true),
                (t("置信区间", "Interval"), false),
            ],
        );
        for item in instrument.items() {
            if let Some(stats) = project.items.get(&item.item.code) {
                cells(
                    &mut out,
                    &[
                        (lang.pick(&item.item.zh, &item.item.en).to_string(), false),
                        (stats.n.to_string(), true),
                        (stats.dont_know.to_string(), true),
                        (score(stats.mean), true),
                        (score(stats.sd), true),
                        (stats.se.map_or("—".into(), |v| format!("{v:.2}")), true),
                        (interval(stats.ci_low, stats.ci_high), false),
                    ],
                );
            }
        }
        table_end(&mut out);
        out.push_str("</details>");
    }

    let profile = &evaluation.profile;
    let total = profile.respondents;
    let _ = write!(
        out,
        "<h2 id=\"sample\">{}</h2>",
        escape(t("样本构成", "Sample profile"))
    );
    let age = &profile.age;
    let _ = write!(
        out,
        "<p>{} {} · {} {} · {} {} – {} · {} {}</p>",
        escape(t("受访者", "Respondents")),
        total,
        escape(t("平均年龄", "mean age")),
        age.mean.map_or("—".into(), |m| format!("{m:.1}")),
        escape(t("年龄范围", "ages")),
        age.min.map_or("—".into(), |m| m.to_string()),
        age.max.map_or("—".into(), |m| m.to_string()),
        escape(t("未填年龄", "age not stated")),
        age.not_stated
    );
    category_table(
        &mut out,
        lang,
        t("区", "District"),
        &profile.district,
        total,
    );
    category_table(&mut out, lang, t("性别", "Gender"), &profile.gender, total);
    category_table(
        &mut out,
        lang,
        t("受教育程度", "Education"),
        &profile.education,
        total,
    );
    category_table(
        &mut out,
        lang,
        t("职业", "Occupation"),
        &profile.occupation,
        total,
    );
    category_table(
        &mut out,
        lang,
        t("渠道", "Channel"),
        &profile.channel,
        total,
    );

    let _ = write!(
        out,
        "<h2 id=\"method\">{}</h2><p class=\"muted\">{}</p>",
        escape(t("方法说明", "Method")),
        escape(t(
            "题项得分 =（答案 − 1）× 25（五级量表，0–100 分）；“不知道”不计入。每个项目每个题项取作答者的均值，附标准差、标准误与 t 分布置信区间。维度得分为其题项均值的平均；认可度为知晓度、生活相关度、需求符合度三个维度得分的平均；满意度为感知质量、感知价值、公众满意度、公众信任四个维度得分的平均。截点为可靠项目两项指数得分的中位数，得分不低于截点即为“高”。差距为每位受访者认可度题项均分减满意度题项均分的平均；区间不含 0 且绝对值不小于阈值时视为显著。",
            "Item score = (answer − 1) × 25 on the five-point scale (0–100); \"don't know\" is left out. Per project and item: the mean over those who answered, with SD, SE and a Student-t interval. A dimension's score is the mean of its items' means; recognition is the mean of awareness, life relevance and need fit; satisfaction the mean of perceived quality, perceived value, public satisfaction and public trust. The cut points are the medians of the reliable projects' index scores; a score at or above the cut point is high. The gap is the mean over respondents of their mean recognition item score minus their mean satisfaction item score; it is notable when its interval excludes 0 and its size reaches the threshold."
        ))
    );
    out.push_str(&crate::render_drivers_section(evaluation, instrument, lang));
    out.push_str(&crate::render_reliability_section(
        evaluation, instrument, lang,
    ));
    out
}
