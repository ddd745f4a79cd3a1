//! The dashboard's publication section, and the page where the coordination office decides:
//! what will become public, which projects have too few respondents to show their indices
//! (with a warning to acknowledge), and the form that records the decision.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use minxin_domain::decision::DecisionKind;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::Lang;
use serde::Deserialize;

use super::api::decide_publication;
use crate::app::error::{ApiError, PageError};
use crate::app::live::LiveWave;
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

/// The dashboard's publication section: the decision in force with the responsible person,
/// and for the coordination office the way to the page that publishes or withdraws.
pub fn publication_section<S: Store>(
    state: &AppState<S>,
    id: i64,
    lang: Lang,
    may_publish: bool,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let published = state.is_published(id);
    let closed = state
        .wave(id)
        .is_ok_and(|wave| wave.status() == WaveStatus::Closed);
    html! {
        section aria-labelledby="publication" {
            h2 #publication { (t("结果发布", "Publication")) }
            (decision_in_force(state, id, lang))
            @if may_publish && (published || closed) {
                p { a href={ "/waves/" (id) "/publication" (lang_suffix(lang)) } {
                    @if published { (t("撤回发布……", "Withdraw the results…")) }
                    @else { (t("发布结果……", "Publish the results…")) }
                } }
            }
        }
    }
}

/// The decision in force about wave `id`'s results, with who took it and when.
fn decision_in_force<S: Store>(state: &AppState<S>, id: i64, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    match state.publication(id) {
        Some(decision) => {
            let decision = &decision.decision;
            let what = match decision.kind {
                DecisionKind::PublishResults => t("结果已发布", "Results published"),
                DecisionKind::WithdrawResults => t("结果已撤回", "Results withdrawn"),
                // A wave's publication is never a stage decision.
                DecisionKind::MoveStage(_) => t("其他决定", "Another decision"),
            };
            html! {
                p {
                    strong { (what) } (t("：", ": "))
                    (decision.decided_by_name) (t("，", ", "))
                    (crate::ui::format::minute(decision.decided_at_ms, lang)) (t("。", ". "))
                    (decision.statement)
                }
            }
        }
        None => html! {
            p { (t("结果尚未发布，仅限授权人员查看。", "Not published: for authorised staff only.")) }
        },
    }
}

/// The projects of `wave` with too few respondents for their indices to be shown, by name
/// with their count, and the minimum.
fn thin_projects(wave: &LiveWave, lang: Lang) -> (Vec<(String, u64)>, u64, usize) {
    let (evaluation, _) = wave.evaluation(&wave.options());
    let minimum = evaluation.settings.minimum_respondents;
    let thin = evaluation
        .projects
        .iter()
        .filter(|project| !project.reliable)
        .map(|project| {
            let name = wave
                .model
                .configuration
                .catalogue
                .projects
                .iter()
                .find(|p| p.code == project.code)
                .map_or(project.code.clone(), |p| {
                    lang.pick(&p.zh, &p.en).to_string()
                });
            (name, project.n)
        })
        .collect();
    (thin, minimum, evaluation.projects.len())
}

/// The page that decides publication, with `problem` from the last attempt.
fn decision_page<S: Store>(
    state: &AppState<S>,
    wave: &LiveWave,
    visitor: &Visitor,
    lang: Lang,
    problem: Option<&str>,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let id = wave.id();
    let suffix = lang_suffix(lang);
    let published = state.is_published(id);
    let closed = wave.status() == WaveStatus::Closed;
    let responses = wave.with_live(|live| live.responses);
    let (thin, minimum, included) = thin_projects(wave, lang);
    let title = if published {
        t("撤回发布", "Withdraw the results")
    } else {
        t("发布评价结果", "Publish the results")
    };
    let body = html! {
        nav { a href={ "/waves/" (id) "/manage" (suffix) } { (t("返回", "Back")) } }
        h1 { (title) }
        p.lead { (wave.name()) }
        (decision_in_force(state, id, lang))
        @if !published && !closed {
            p.error role="alert" { (t(
                "只有已结束收集答卷的评价才能发布结果，请先结束收集答卷。",
                "Only a closed wave's results are published; close the wave first."
            )) }
        } @else {
            @if published {
                p { (t(
                    "撤回后，看板、分区与分项结果、汇总下载和打印版报告不再对公众开放，只有授权人员可以查看；撤回的决定和理由本身将公开。",
                    "Once withdrawn, the dashboard, the district and project pages, the downloads and the printable report are no longer public, only for authorised staff; the decision and its reasons stay public."
                )) }
            } @else {
                h2 { (t("发布后向公众公开的内容", "What becomes public")) }
                ul {
                    li { (t("结果看板：各工程的认可度和满意度指数、排名、四象限图和各表；", "The dashboard: each project's recognition and satisfaction indices, ranks, the quadrant chart and its tables;")) }
                    li { (t("各工程和各区的分项结果（答卷太少的格子不显示）；", "Each project's and each district's figures (cells with too few respondents are not shown);")) }
                    li { (t("汇总数据下载（CSV、Excel、JSON）和打印版报告。", "The aggregate downloads (CSV, Excel, JSON) and the printable report.")) }
                }
                p.hint { (t("原始答卷和答卷人的任何信息都不会公开。", "No single response and nothing about a respondent becomes public.")) }
                h2 { (t("答卷情况", "Responses")) }
                p { (match lang {
                    Lang::Zh => format!("共收到 {responses} 份答卷；纳入评价的 {included} 项工程中，{} 项答卷不足 {minimum} 份。", thin.len()),
                    Lang::En => format!("{responses} responses; of the {included} projects, {} have fewer than {minimum} respondents.", thin.len()),
                }) }
                @if !thin.is_empty() {
                    div.error role="alert" {
                        p { @if thin.len() == included {
                            (t(
                                "所有工程的答卷都不足，发布后看板上不会有任何指数、排名或四象限图。建议先补充调查。",
                                "Every project has too few respondents: the published dashboard will show no index, rank or quadrant. Consider surveying more first."
                            ))
                        } @else {
                            (t(
                                "以下工程答卷不足，发布后只显示答卷份数，不显示指数和排名：",
                                "These projects have too few respondents; only their counts will be shown, no index or rank:"
                            ))
                        } }
                        ul { @for (name, n) in &thin {
                            li { (name) (match lang { Lang::Zh => format!("（{n} 份）"), Lang::En => format!(" ({n})") }) }
                        } }
                    }
                }
            }
            @if let Some(problem) = problem { p.error role="alert" { (problem) } }
            form.stacked method="post" action={ "/waves/" (id) "/publication" (suffix) } {
                input type="hidden" name="csrf" value=(visitor.csrf_token());
                input type="hidden" name="action" value=(if published { "withdraw" } else { "publish" });
                p {
                    label for="statement" { (t("决定说明（将与决定一起公开）", "Reasons (made public with the decision)")) }
                    input type="text" id="statement" name="statement" required maxlength="500";
                }
                @if !published && !thin.is_empty() {
                    p { label {
                        input type="checkbox" name="acknowledged" value="yes" required;
                        (t("我已知晓上述工程答卷不足，仍决定发布。", "I know these projects have too few respondents and publish nonetheless."))
                    } }
                }
                p.hint { (t(
                    "决定将以您的姓名记录，不可修改，只能由新的决定取代。",
                    "The decision is recorded under your name and cannot be edited, only superseded."
                )) }
                div.steps { button type="submit" { (title) } }
            }
        }
    };
    page(title, lang, body)
}

/// `GET /waves/{id}/publication`: the page that decides.
pub(super) async fn decision_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let wave = state.wave(id).map_err(context.error())?;
    Ok(decision_page(
        &state,
        &wave,
        &context.visitor,
        context.lang,
        None,
    ))
}

/// The publication form's fields.
#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `publish` or `withdraw`.
    #[serde(default)]
    pub action: String,
    /// The reasons.
    #[serde(default)]
    pub statement: String,
    /// Ticked when the office publishes although projects have too few respondents.
    #[serde(default)]
    pub acknowledged: Option<String>,
}

/// `POST /waves/{id}/publication`: records the decision and shows the dashboard; publishing
/// a wave whose projects have too few respondents needs the warning acknowledged.
pub(super) async fn publication_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(form): Form<PublicationForm>,
) -> Result<Response, PageError> {
    let visitor = &context.visitor;
    let lang = context.lang;
    visitor.check_form(&form.csrf).map_err(context.error())?;
    let wave = state.wave(id).map_err(context.error())?;
    let publish = form.action == "publish";
    let unacknowledged =
        publish && form.acknowledged.is_none() && !thin_projects(&wave, lang).0.is_empty();
    let outcome = if unacknowledged {
        Err(ApiError::invalid(
            "acknowledged",
            "有工程答卷不足：请勾选确认后再发布。",
            "some projects have too few respondents: tick the acknowledgement to publish",
        ))
    } else {
        decide_publication(&state, visitor, id, publish, &form.statement)
            .await
            .map(|_| ())
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/waves/{id}{}", context.suffix())).into_response()),
        Err(ApiError::Invalid { problems }) => {
            let problem = problems
                .first()
                .map(|p| lang.pick(&p.zh, &p.en).to_string());
            Ok(decision_page(&state, &wave, visitor, lang, problem.as_deref()).into_response())
        }
        Err(error) => Err(PageError(error, lang)),
    }
}
