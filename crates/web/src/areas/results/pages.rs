//! Result pages beyond the dashboard: a project page, a district page, the comparison of two
//! waves, the weighted evaluation with its robustness, and a printable report. The report
//! crate's renderers (tables and charts, escaped as they are made) are placed as they come.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Extension;
use maud::{html, PreEscaped};
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::svg::figure2;
use minxin_report::{
    render_comparison_body, render_printable_report_body, render_project_body,
    render_weighted_section, report_sections, Lang, TrendPoint,
};
use serde::Deserialize;

use super::analysis::{
    comparison, district_view, for_visitor, project_view, robustness_view, weighted_comparison,
    DEFAULT_REPLICATES,
};
use super::dashboard::{figures_as_of, summary_of};
use super::summary::render;
use crate::app::error::PageError;
use crate::app::guard::{may_read, ComparedWaves, GradeOf};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::i18n::language_switch;
use crate::ui::layout::page;

/// The navigation of a result page: home, the wave's dashboard when there is one, and the
/// same page in the other language.
fn result_nav(page: &PageContext, dashboard: Option<i64>, path: &str) -> maud::Markup {
    html! {
        nav {
            a href={ "/" (page.suffix()) } { (page.pick("首页", "Home")) }
            @if let Some(id) = dashboard {
                a href={ "/waves/" (id) (page.suffix()) } { (page.pick("结果看板", "Dashboard")) }
            }
            (language_switch(path, page.lang))
        }
    }
}

/// Wave `id`, when the visitor may open its dashboard (a department reads its own project's
/// page before the wave's results are published, not the dashboard).
fn dashboard_for<S: Store>(state: &AppState<S>, context: &PageContext, id: i64) -> Option<i64> {
    may_read(
        state,
        &context.visitor,
        GradeOf::WaveResults,
        id,
        &Target::City,
    )
    .then_some(id)
}

/// `/waves/{id}/projects/{code}`: one project in one wave.
pub(super) async fn project_page<S: Store>(
    State(state): State<AppState<S>>,
    page_context: PageContext,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Html<String>, PageError> {
    let context = &page_context;
    let lang = context.lang;
    let view = project_view(&state, &context.visitor, id, &code).map_err(context.error())?;
    let wave = state.wave(id).map_err(context.error())?;
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
    let body = html! {
        (result_nav(context, dashboard_for(&state, context, id), &format!("/waves/{id}/projects/{code}")))
        h1 { (title) }
        p.muted { (context.pick("数据截至：", "Data as of ")) (figures_as_of(view.as_of_ms, lang)) }
        (PreEscaped(render_project_body(
            &view.project,
            &wave.model.configuration.instrument,
            &view.districts,
            view.minimum_cell,
            &trend,
            lang
        )))
    };
    Ok(page(&title, lang, body))
}

/// `/waves/{id}/districts/{district}`: one district in one wave, project by project.
pub(super) async fn district_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((id, district)): Path<(i64, String)>,
) -> Result<Html<String>, PageError> {
    let lang = context.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let view = district_view(&state, id, &district).map_err(context.error())?;
    let title = format!("{} · {}", lang.pick(&view.zh, &view.en), view.wave);
    let score = |value: Option<f64>| value.map_or("—".to_string(), |v| format!("{v:.1}"));
    let explain = match lang {
        Lang::Zh => format!(
            "本区受访者对各项工程的认可度与满意度（0–100）。少于 {} 人的单元格不公布。",
            view.minimum_cell
        ),
        Lang::En => format!(
            "Recognition and satisfaction (0–100) among the district's respondents. Cells under {} respondents are not shown.",
            view.minimum_cell
        ),
    };
    let body = html! {
        (result_nav(&context, dashboard_for(&state, &context, id), &format!("/waves/{id}/districts/{district}")))
        h1 { (title) }
        p.muted { (t("数据截至：", "Data as of ")) (figures_as_of(view.as_of_ms, lang)) }
        p { (explain) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("工程", "Project")) }
                th.num scope="col" { (t("受访者", "Respondents")) }
                th.num scope="col" { (t("认可度", "Recognition")) }
                th.num scope="col" { (t("满意度", "Satisfaction")) }
            } }
            tbody {
                @for project in &view.projects {
                    tr {
                        th scope="row" { (lang.pick(&project.name_zh, &project.name_en)) }
                        td.num {
                            @if project.cell.suppressed {
                                (t("不足公布", "too few"))
                            } @else {
                                (project.cell.n.unwrap_or(0))
                            }
                        }
                        td.num { (score(project.cell.recognition)) }
                        td.num { (score(project.cell.satisfaction)) }
                    }
                }
            }
        } }
    };
    Ok(page(&title, lang, body))
}

/// Whether the comparison page weights (the waves, `before` and
/// `after`, are read by the guard: [`ComparedWaves`]).
#[derive(Debug, Deserialize, Default)]
pub struct CompareQuery {
    /// Weight both waves to the census.
    #[serde(default)]
    pub weighted: Option<String>,
}

/// `/compare?before=&after=`: a form to pick two waves, and their comparison. Without a
/// choice, the two newest waves that are not drafts are compared.
pub(super) async fn compare_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Extension(chosen): Extension<ComparedWaves>,
    Query(query): Query<CompareQuery>,
) -> Result<Html<String>, PageError> {
    let lang = context.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    // The choice offers the waves whose results the visitor may read.
    let waves: Vec<_> = state
        .waves()
        .into_iter()
        .filter(|w| {
            w.status() != WaveStatus::Draft
                && may_read(
                    &state,
                    &context.visitor,
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
    let result = match (before, after) {
        (Some(before), Some(after)) => Some(
            if weighted {
                weighted_comparison(&state, &context.visitor, before, after, DEFAULT_REPLICATES)
                    .await
            } else {
                comparison(&state, &context.visitor, before, after)
            }
            .map_err(context.error())?,
        ),
        _ => None,
    };
    let select = |name: &str, label: &str, chosen: Option<i64>| {
        html! {
            label for=(name) { (label) } " "
            select id=(name) name=(name) {
                @for wave in &waves {
                    option value=(wave.id()) selected[Some(wave.id()) == chosen] { (wave.name()) }
                }
            }
        }
    };
    let title = t("两轮评价对比", "Compare two waves");
    let body = html! {
        (result_nav(&context, None, "/compare"))
        h1 { (title) }
        form method="get" action="/compare" {
            @if lang == Lang::En {
                input type="hidden" name="lang" value="en";
            }
            (select("before", t("前一轮", "Earlier wave"), before)) " "
            (select("after", t("后一轮", "Later wave"), after)) " "
            label {
                input type="checkbox" name="weighted" value="1" checked[weighted];
                " " (t("按人口普查结构加权（自助法标准误）", "Weighted to the census (bootstrap standard errors)"))
            }
            " "
            button type="submit" { (t("对比", "Compare")) }
        }
        @match &result {
            Some(result) => (PreEscaped(render_comparison_body(result, lang))),
            None => p { (t(
                "至少需要两轮已开始收集答卷的评价才能对比。",
                "Comparing needs at least two waves that have been opened."
            )) },
        }
    };
    Ok(page(title, lang, body))
}

/// `/waves/{id}/report`: the whole report of a wave as one printable document.
pub(super) async fn report_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let lang = context.lang;
    let wave = state.wave(id).map_err(context.error())?;
    let record = wave.record();
    let (evaluation, as_of) = wave.evaluation(&wave.options());
    let evaluation = for_visitor(&state, &context.visitor, evaluation);
    let report_title = lang.pick("民心工程认可度与满意度评价报告", "Minxin evaluation report");
    let title = format!("{report_title}{}{}", lang.pick("：", ": "), record.name);
    let period = match (&record.period_start, &record.period_end) {
        (Some(start), Some(end)) => format!("{start} {} {end}", lang.pick("至", "to")),
        (Some(start), None) => format!("{start} {}", lang.pick("起", "onwards")),
        (None, Some(end)) => format!("{} {end}", lang.pick("截至", "until")),
        (None, None) => lang.pick("未定", "not set").to_string(),
    };
    let summary = summary_of(&state, &context.visitor, &wave, &evaluation);
    let rendered_report =
        render_printable_report_body(&evaluation, &wave.model.configuration.instrument, lang);
    let sections = report_sections(&rendered_report);
    let published = state.is_published(id);
    let body = html! {
        p.no-print {
            a href={ "/waves/" (id) (context.suffix()) } { (lang.pick("返回看板", "Back to the dashboard")) }
            " · "
            (lang.pick("用浏览器的“打印”可得到纸质版或 PDF（A4）。", "Use the browser's Print command for paper or PDF (A4)."))
        }
        // The title page: what, which wave, by whom, when; the contents follow on it.
        section.title-page aria-labelledby="report-title" {
            p.muted { (lang.pick("市民心工程协调办公室", "The city's livelihood projects coordination office")) }
            h1 #report-title { (report_title) }
            p.lead { (record.name) }
            dl.facts {
                dt { (lang.pick("调查时间", "Survey period")) } dd { (period) }
                dt { (lang.pick("数据截至", "Data as of")) } dd { (figures_as_of(as_of, lang)) }
                dt { (lang.pick("报告生成", "Report made")) } dd { (crate::ui::format::minute(crate::app::clock::now_ms(), lang)) }
                dt { (lang.pick("发布状态", "Publication")) } dd {
                    (if published { lang.pick("结果已发布", "Results published") } else { lang.pick("结果未发布，仅限授权人员", "Not published: for authorised staff only") })
                }
            }
            nav.contents aria-labelledby="contents" {
                h2 #contents { (lang.pick("目录", "Contents")) }
                ol {
                    li { a href="#summary" { (lang.pick("摘要", "Summary")) } }
                    @for (anchor, heading) in &sections {
                        li { a href={ "#" (anchor) } { (heading) } }
                    }
                }
            }
        }
        section aria-labelledby="summary" {
            h2 #summary { (lang.pick("摘要", "Summary")) }
            (render(&summary, lang))
        }
        (PreEscaped(rendered_report))
    };
    Ok(page(&title, lang, body))
}

/// Query of the robustness page.
#[derive(Debug, Deserialize)]
pub(super) struct RobustnessPageQuery {
    #[serde(default)]
    replicates: Option<usize>,
    #[serde(default)]
    seed: Option<u64>,
}

/// `/waves/{id}/robustness`: the weighted evaluation with quadrant probabilities and rank
/// intervals, and the weighted quadrant chart.
pub(super) async fn robustness_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<RobustnessPageQuery>,
) -> Result<Html<String>, PageError> {
    let lang = context.lang;
    let wave = state.wave(id).map_err(context.error())?;
    let (evaluation, weighted) = robustness_view(
        &state,
        &context.visitor,
        id,
        query.replicates.unwrap_or(DEFAULT_REPLICATES),
        query.seed.unwrap_or(1),
    )
    .await
    .map_err(context.error())?;
    let title = format!(
        "{} · {}",
        lang.pick("加权评价与稳健性", "Weighted evaluation and robustness"),
        wave.name()
    );
    let weighted_view = weighted.applied_to(&evaluation);
    let body = html! {
        nav {
            a href={ "/waves/" (id) (context.suffix()) } { (lang.pick("返回看板", "Back to the dashboard")) }
            (language_switch(&format!("/waves/{id}/robustness"), lang))
        }
        h1 { (title) }
        p { (lang.pick(
            "按 2020 年人口普查的区与性别结构对受访者加权；以自助法重抽样估计标准误、各项目落入各象限的概率（每次重抽样都重新估计中位数截点）与名次区间。",
            "Respondents are weighted to the 2020 census by district and sex; the bootstrap gives standard errors, each project's probability of lying in each quadrant (the median cut points re-estimated in every replicate) and rank intervals."
        )) }
        (PreEscaped(render_weighted_section(&evaluation, &weighted, &wave.model.configuration.instrument, lang)))
        h2 { (lang.pick("加权四象限分布", "Weighted quadrants")) }
        figure { (PreEscaped(figure2(&weighted_view, lang))) }
    };
    Ok(page(&title, lang, body))
}
