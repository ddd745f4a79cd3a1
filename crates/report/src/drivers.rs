//! The satisfaction-index model in reports: the drivers of satisfaction as a bar chart and a
//! table, with the paths and R² of the model.

use std::fmt::Write;

use minxin_domain::config::Instrument;
use minxin_domain::evaluation::{DriverAnalysis, Evaluation};

use crate::html::{cells, table_end, table_start};
use crate::svg::{chart_title, escape, open_svg, text_width};
use crate::Lang;

/// A construct's name: the dimension's name when the construct is a dimension, else its code.
pub(crate) fn construct_name<'a>(instrument: &'a Instrument, code: &'a str, lang: Lang) -> &'a str {
    instrument
        .dimensions
        .iter()
        .find(|d| d.code == code)
        .map_or(code, |d| lang.pick(&d.zh, &d.en))
}

/// Horizontal bars of each driver's total effect on the outcome.
pub fn drivers_chart(model: &DriverAnalysis, instrument: &Instrument, lang: Lang) -> String {
    let label_width = model
        .drivers
        .iter()
        .map(|d| text_width(construct_name(instrument, &d.construct, lang), 13.0))
        .fold(60.0, f64::max)
        + 24.0;
    let (bar_width, row, top) = (360.0, 26.0, 44.0);
    let largest = model
        .drivers
        .iter()
        .map(|d| d.total_effect.abs())
        .fold(0.0, f64::max)
        .max(1e-9);
    let width = label_width + bar_width + 70.0;
    let height = top + row * model.drivers.len() as f64 + 12.0;
    let title = lang.pick(
        "满意度的驱动因素（总效应）",
        "Drivers of satisfaction (total effects)",
    );
    let mut out = String::new();
    open_svg(
        &mut out,
        width,
        height,
        "drivers",
        title,
        lang.pick(
            "每个维度一行，条长为其对满意度的标准化总效应。",
            "One row per dimension; the bar is its standardised total effect on satisfaction.",
        ),
    );
    chart_title(&mut out, title);
    for (i, driver) in model.drivers.iter().enumerate() {
        let y = top + row * i as f64;
        let length = driver.total_effect.abs() / largest * bar_width;
        let colour = if driver.total_effect >= 0.0 {
            "#1f5fa8"
        } else {
            "#b3261e"
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_width:.1}\" y=\"{:.1}\" width=\"{length:.1}\" height=\"18\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{:.2}</text>",
            label_width - 8.0,
            y + 14.0,
            escape(construct_name(instrument, &driver.construct, lang)),
            y + 1.0,
            label_width + length + 6.0,
            y + 14.0,
            driver.total_effect
        );
    }
    out.push_str("</svg>");
    out
}

/// The model as a section of the HTML report.
pub fn render_drivers_section(
    evaluation: &Evaluation,
    instrument: &Instrument,
    lang: Lang,
) -> String {
    let Some(model) = &evaluation.satisfaction_model else {
        return String::new();
    };
    let t = |zh, en| lang.pick(zh, en);
    let mut out = format!(
        "<section aria-labelledby=\"drivers-heading\"><h2 id=\"drivers-heading\">{}</h2><p>{}</p><figure>{}<figcaption>{}</figcaption></figure>",
        escape(t("满意度结构模型与驱动因素", "Satisfaction model and drivers")),
        escape(&format!(
            "{} {} · {} {}",
            t("偏最小二乘路径模型（模式 A，路径加权），评价项目的评分数", "PLS path model (mode A, path scheme), ratings of the reliable projects"),
            model.n,
            t("迭代次数", "iterations"),
            model.iterations
        )),
        drivers_chart(model, instrument, lang),
        escape(t(
            "总效应 = 直接效应 + 经由其他维度的间接效应；数值越大，提升该维度对满意度的带动越大。",
            "Total effect = direct effect + indirect effects through other dimensions; the larger it is, the more improving that dimension lifts satisfaction."
        ))
    );
    table_start(
        &mut out,
        t("路径系数与 R²", "Path coefficients and R²"),
        &[
            (t("从", "From"), false),
            (t("到", "To"), false),
            (t("系数", "Coefficient"), true),
            (t("目标 R²", "R² of target"), true),
        ],
    );
    for path in &model.paths {
        cells(
            &mut out,
            &[
                (
                    construct_name(instrument, &path.from, lang).to_string(),
                    false,
                ),
                (
                    construct_name(instrument, &path.to, lang).to_string(),
                    false,
                ),
                (format!("{:.3}", path.coefficient), true),
                (
                    model
                        .r_squared
                        .get(&path.to)
                        .map_or("—".into(), |r2| format!("{r2:.3}")),
                    true,
                ),
            ],
        );
    }
    table_end(&mut out);
    out.push_str("</section>");
    out
}

/// The drivers as lines of the terminal report.
pub fn render_drivers_text(evaluation: &Evaluation, instrument: &Instrument, lang: Lang) -> String {
    let Some(model) = &evaluation.satisfaction_model else {
        return String::new();
    };
    let mut out = format!(
        "\n{}\n",
        lang.pick(
            "满意度的驱动因素（总效应）",
            "Drivers of satisfaction (total effects)"
        )
    );
    for driver in &model.drivers {
        let bar = "█".repeat((driver.total_effect.abs() * 40.0).round() as usize);
        let _ = writeln!(
            out,
            "  {:<24} {:>6.3} {bar}",
            construct_name(instrument, &driver.construct, lang),
            driver.total_effect
        );
    }
    out
}

fn scale_name<'a>(instrument: &'a Instrument, scale: &'a str, lang: Lang) -> &'a str {
    match scale {
        "recognition" => lang.pick("认可度（全部题项）", "Recognition (all items)"),
        "satisfaction" => lang.pick("满意度（全部题项）", "Satisfaction (all items)"),
        code => construct_name(instrument, code, lang),
    }
}

fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// The reliability of the scales as a section of the HTML report.
pub fn render_reliability_section(
    evaluation: &Evaluation,
    instrument: &Instrument,
    lang: Lang,
) -> String {
    let Some(reliability) = &evaluation.reliability else {
        return String::new();
    };
    let t = |zh, en| lang.pick(zh, en);
    let mut out =
        format!(
        "<section aria-labelledby=\"reliability-heading\"><h2 id=\"reliability-heading\">{}</h2>",
        escape(t("量表信度与区分效度", "Reliability and discriminant validity"))
    );
    table_start(
        &mut out,
        t(
            "Cronbach α（成对缺失处理）；组合信度与 AVE 取自结构模型的载荷",
            "Cronbach's α (pairwise missing answers); composite reliability and AVE from the structural model's loadings",
        ),
        &[
            (t("量表", "Scale"), false),
            (t("题项数", "Items"), true),
            (t("α（原始）", "α (raw)"), true),
            (t("α（标准化）", "α (standardised)"), true),
            (t("平均相关", "Mean r"), true),
            (t("组合信度", "Composite reliability"), true),
            ("AVE", true),
        ],
    );
    for scale in &reliability.scales {
        cells(
            &mut out,
            &[
                (
                    scale_name(instrument, &scale.scale, lang).to_string(),
                    false,
                ),
                (scale.items.len().to_string(), true),
                (format!("{:.3}", scale.raw_alpha), true),
                (format!("{:.3}", scale.std_alpha), true),
                (format!("{:.3}", scale.average_r), true),
                (optional(scale.composite_reliability), true),
                (optional(scale.average_variance_extracted), true),
            ],
        );
    }
    table_end(&mut out);
    if let Some(htmt) = reliability.htmt_recognition_satisfaction {
        let _ = write!(
            out,
            "<p>{} {htmt:.3} {}</p>",
            escape(t(
                "认可度与满意度题项的 HTMT:",
                "HTMT of the recognition and satisfaction items:"
            )),
            escape(if htmt < 0.85 {
                t(
                    "（低于 0.85：两项指数测量的是不同的概念）",
                    "(below 0.85: the two indices measure distinct concepts)",
                )
            } else {
                t(
                    "（不低于 0.85：两项指数区分不足）",
                    "(0.85 or more: the two indices are not well distinguished)",
                )
            })
        );
    }
    out.push_str("</section>");
    out
}

/// The reliability as lines of the terminal report.
pub fn render_reliability_text(
    evaluation: &Evaluation,
    instrument: &Instrument,
    lang: Lang,
) -> String {
    let Some(reliability) = &evaluation.reliability else {
        return String::new();
    };
    let mut out = format!(
        "\n{}\n",
        lang.pick("量表信度（Cronbach α）", "Scale reliability (Cronbach's α)")
    );
    for scale in &reliability.scales {
        let _ = writeln!(
            out,
            "  {:<28} α {:.3} · {} {:.3}",
            scale_name(instrument, &scale.scale, lang),
            scale.raw_alpha,
            lang.pick("标准化", "standardised"),
            scale.std_alpha
        );
    }
    if let Some(htmt) = reliability.htmt_recognition_satisfaction {
        let _ = writeln!(
            out,
            "  HTMT {} {htmt:.3}",
            lang.pick("认可度—满意度", "recognition–satisfaction")
        );
    }
    out
}
