//! Result pages beyond the dashboard: a project page, the comparison of two waves, and a
//! printable report.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Extension;
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::svg::escape;
use minxin_report::svg::figure2;
use minxin_report::{
    render_comparison_body, render_project_body, render_report_body, render_weighted_section, Lang,
    TrendPoint,
};
use serde::Deserialize;

use super::analysis::{
    comparison, district_view, for_visitor, project_view, robustness_view, weighted_comparison,
    DEFAULT_REPLICATES,
};
use super::dashboard::figures_as_of;
use crate::app::error::PageError;
use crate::app::guard::{may_read, ComparedWaves, GradeOf};
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

/// `/waves/{id}/projects/{code}`: one project in one wave.
pub(super) async fn project_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path((id, code)): Path<(i64, String)>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let view = project_view(&state, &visitor, id, &code).map_err(|e| PageError(e, lang))?;
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    let trend: Vec<TrendPoint<'_>> = view
        .trend
        .iter()
        .map(|entry| TrendPoint {
            wave: &entry.wave,
            project: &entry.project,
        })
        .collect();
    let name = lang.pick(&view.project.name_zh, &view.project.name_en);
    let title = format!("{name} · {}", view.wave);
    let body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a><a href=\"/waves/{id}{suffix}\">{dashboard}</a>{switch}</nav>\
         <h1>{title}</h1><p class=\"muted\">{as_of} {time}</p>{content}",
        suffix = lang_suffix(lang),
        home = lang.pick("全部波次", "All waves"),
        dashboard = lang.pick("结果看板", "Dashboard"),
        switch = language_switch(&format!("/waves/{id}/projects/{code}"), lang),
        title = escape(&title),
        as_of = lang.pick("数据截至", "Data as of"),
        time = figures_as_of(view.as_of_ms, lang),
        content = render_project_body(
            &view.project,
            &wave.model.configuration.instrument,
            &view.districts,
            view.minimum_cell,
            &trend,
            lang
        ),
    );
    Ok(page(&title, lang, PreEscaped(body)))
}

/// `/waves/{id}/districts/{district}`: one district in one wave, project by project.
pub(super) async fn district_page<S: Store>(
    State(state): State<AppState<S>>,
    Path((id, district)): Path<(i64, String)>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let view = district_view(&state, id, &district).map_err(|e| PageError(e, lang))?;
    let title = format!("{} · {}", lang.pick(&view.zh, &view.en), view.wave);
    let score = |value: Option<f64>| value.map_or("—".to_string(), |v| format!("{v:.1}"));
    let mut rows = String::new();
    for project in &view.projects {
        let cell = &project.cell;
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{name}</th><td class=\"num\">{n}</td><td class=\"num\">{recognition}</td><td class=\"num\">{satisfaction}</td></tr>",
            name = escape(lang.pick(&project.name_zh, &project.name_en)),
            n = if cell.suppressed {
                t("不足公布", "too few").to_string()
            } else {
                cell.n.unwrap_or(0).to_string()
            },
            recognition = score(cell.recognition),
            satisfaction = score(cell.satisfaction),
        );
    }
    let body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a>{switch}</nav><h1>{title}</h1><p class=\"muted\">{as_of} {time}</p>\
         <p>{explain}</p><div class=\"scroll\"><table><thead><tr><th scope=\"col\">{project}</th><th scope=\"col\" class=\"num\">{respondents}</th>\
         <th scope=\"col\" class=\"num\">{recognition}</th><th scope=\"col\" class=\"num\">{satisfaction}</th></tr></thead><tbody>{rows}</tbody></table></div>",
        suffix = lang_suffix(lang),
        home = t("全部波次", "All waves"),
        switch = language_switch(&format!("/waves/{id}/districts/{district}"), lang),
        title = escape(&title),
        as_of = t("数据截至", "Data as of"),
        time = figures_as_of(view.as_of_ms, lang),
        explain = escape(&match lang {
            Lang::Zh => format!("本区受访者对各项工程的认可度与满意度(0–100)。少于 {} 人的单元格不公布。", view.minimum_cell),
            Lang::En => format!("Recognition and satisfaction (0–100) among the district's respondents. Cells under {} respondents are not shown.", view.minimum_cell),
        }),
        project = t("工程", "Project"),
        respondents = t("受访者", "Respondents"),
        recognition = t("认可度", "Recognition"),
        satisfaction = t("满意度", "Satisfaction"),
    );
    Ok(page(&title, lang, PreEscaped(body)))
}

/// The language of the comparison page and whether to weight (the waves, `before` and
/// `after`, are read by the guard: [`ComparedWaves`]).
#[derive(Debug, Deserialize, Default)]
pub struct CompareQuery {
    /// Language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// Weight both waves to the census.
    #[serde(default)]
    pub weighted: Option<String>,
}

/// `/compare?before=&after=`: a form to pick two waves, and their comparison. Without a
/// choice, the two newest waves that are not drafts are compared.
pub(super) async fn compare_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Extension(chosen): Extension<ComparedWaves>,
    Query(query): Query<CompareQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    // The choice offers the waves whose results the visitor may read.
    let waves: Vec<_> = state
        .waves()
        .into_iter()
        .filter(|w| {
            w.status() != WaveStatus::Draft
                && may_read(
                    &state,
                    &visitor,
                    GradeOf::WaveResults,
                    w.id(),
                    &Target::City,
                )
        })
        .collect();
    let weighted = query
        .weighted
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0");
    let before = chosen.before.or_else(|| waves.get(1).map(|w| w.id()));
    let after = chosen.after.or_else(|| waves.first().map(|w| w.id()));
    let select = |name: &str, label: &str, chosen: Option<i64>| {
        let mut out = format!(
            "<label for=\"{name}\">{}</label> <select id=\"{name}\" name=\"{name}\">",
            escape(label)
        );
        for wave in &waves {
            let selected = if Some(wave.id()) == chosen {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<option value=\"{}\"{selected}>{}</option>",
                wave.id(),
                escape(&wave.name())
            );
        }
        out.push_str("</select>");
        out
    };
    let language = match lang {
        Lang::Zh => String::new(),
        Lang::En => "<input type=\"hidden\" name=\"lang\" value=\"en\">".into(),
    };
    let mut body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a>{switch}</nav><h1>{title}</h1>\
         <form method=\"get\" action=\"/compare\">{language}{first} {second} \
         <label><input type=\"checkbox\" name=\"weighted\" value=\"1\"{checked}> {weighted_label}</label> \
         <button type=\"submit\">{go}</button></form>",
        suffix = lang_suffix(lang),
        home = t("全部波次", "All waves"),
        switch = language_switch("/compare", lang),
        title = t("波次对比", "Compare two waves"),
        first = select("before", t("前一波次", "Earlier wave"), before),
        second = select("after", t("后一波次", "Later wave"), after),
        go = t("对比", "Compare"),
        checked = if weighted { " checked" } else { "" },
        weighted_label = t(
            "按人口普查加权(自助法标准误)",
            "Weighted to the census (bootstrap standard errors)"
        ),
    );
    match (before, after) {
        (Some(before), Some(after)) => {
            let result = if weighted {
                weighted_comparison(&state, &visitor, before, after, DEFAULT_REPLICATES).await
            } else {
                comparison(&state, &visitor, before, after)
            }
            .map_err(|e| PageError(e, lang))?;
            body.push_str(&render_comparison_body(&result, lang));
        }
        _ => {
            let _ = write!(
                body,
                "<p>{}</p>",
                t(
                    "至少需要两个已开放的波次才能对比。",
                    "Comparing needs at least two waves that have been opened."
                )
            );
        }
    }
    Ok(page(
        t("波次对比", "Compare two waves"),
        lang,
        PreEscaped(body),
    ))
}

/// `/waves/{id}/report`: the whole report of a wave as one printable document.
pub(super) async fn report_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    let record = wave.record();
    let (evaluation, as_of) = wave.evaluation(&wave.options());
    let evaluation = for_visitor(&state, &visitor, evaluation);
    let title = format!(
        "{} · {}",
        lang.pick("民心工程认可度与满意度评价报告", "Minxin evaluation report"),
        record.name
    );
    let period = match (&record.period_start, &record.period_end) {
        (Some(start), Some(end)) => format!("{start} – {end}"),
        (Some(start), None) => format!("{start} –"),
        (None, Some(end)) => format!("– {end}"),
        (None, None) => "—".into(),
    };
    let body = format!(
        "<p class=\"no-print\"><a href=\"/waves/{id}{suffix}\">{back}</a> · {hint}</p>\
         <h1>{title}</h1><p>{period_label} {period} · {as_of_label} {as_of}</p>{report}",
        suffix = lang_suffix(lang),
        back = lang.pick("返回看板", "Back to the dashboard"),
        hint = lang.pick(
            "用浏览器的“打印”可得到纸质版或 PDF。",
            "Use the browser's Print command for paper or PDF."
        ),
        title = escape(&title),
        period_label = lang.pick("调查期", "Survey period"),
        period = escape(&period),
        as_of_label = lang.pick("数据截至", "data as of"),
        as_of = figures_as_of(as_of, lang),
        report = render_report_body(&evaluation, &wave.model.configuration.instrument, lang),
    );
    Ok(page(&title, lang, PreEscaped(body)))
}

/// Query of the robustness page.
#[derive(Debug, Deserialize)]
pub(super) struct RobustnessPageQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    replicates: Option<usize>,
    #[serde(default)]
    seed: Option<u64>,
}

/// `/waves/{id}/robustness`: the weighted evaluation with quadrant probabilities and rank
/// intervals, and the weighted quadrant chart.
pub(super) async fn robustness_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<RobustnessPageQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    let (evaluation, weighted) = robustness_view(
        &state,
        &visitor,
        id,
        query.replicates.unwrap_or(DEFAULT_REPLICATES),
        query.seed.unwrap_or(1),
    )
    .await
    .map_err(|e| PageError(e, lang))?;
    let title = format!(
        "{} · {}",
        lang.pick("加权评价与稳健性", "Weighted evaluation and robustness"),
        wave.name()
    );
    let weighted_view = weighted.applied_to(&evaluation);
    let body = format!(
        "<nav><a href=\"/waves/{id}{suffix}\">{back}</a>{switch}</nav><h1>{title}</h1>\
         <p>{explain}</p>{section}<h2>{figure_heading}</h2><figure>{figure}</figure>",
        suffix = lang_suffix(lang),
        back = lang.pick("返回看板", "Back to the dashboard"),
        switch = language_switch(&format!("/waves/{id}/robustness"), lang),
        title = escape(&title),
        explain = escape(lang.pick(
            "按 2020 年人口普查的区与性别结构对受访者加权;以自助法重抽样估计标准误、各项目落入各象限的概率(每次重抽样都重新估计中位数截点)与名次区间。",
            "Respondents are weighted to the 2020 census by district and sex; the bootstrap gives standard errors, each project's probability of lying in each quadrant (the median cut points re-estimated in every replicate) and rank intervals."
        )),
        section = render_weighted_section(&evaluation, &weighted, lang),
        figure_heading = escape(lang.pick("加权四象限分布", "Weighted quadrants")),
        figure = figure2(&weighted_view, lang),
    );
    Ok(page(&title, lang, PreEscaped(body)))
}
