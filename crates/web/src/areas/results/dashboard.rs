//! A wave's dashboard: the summary first (key figures as cards), its status and publication,
//! links to each project's and district's page, the results, intake against quotas, and the
//! downloads.

use axum::extract::{Path, State};
use axum::response::Html;
use maud::{html, Markup, PreEscaped};
use minxin_domain::access::{Action, Grade};
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::Evaluation;
use minxin_report::{render_report_body, Lang};

use super::analysis::for_visitor;
use super::summary::{render, scores, summarise, Summary};
use crate::app::error::PageError;
use crate::app::guard::{city_allows, may_read, GradeOf};
use crate::app::live::LiveWave;
use crate::app::navigation::account_links;
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::format::wave_status;
use crate::ui::i18n::{lang_suffix, language_switch};
use crate::ui::layout::page;

/// When live figures were last updated, or that none have come in yet.
pub(super) fn figures_as_of(ms: i64, lang: Lang) -> String {
    if ms == 0 {
        lang.pick("尚无答卷", "no responses yet").to_string()
    } else {
        crate::ui::format::second(ms, lang)
    }
}

/// Intake against the quotas, district by district, and responses by channel.
pub(super) fn intake_section(wave: &LiveWave, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let record = wave.record();
    let (responses, updated_at_ms, profile) = wave.with_live(|live| {
        (
            live.responses,
            live.updated_at_ms,
            live.tallies.profile.clone(),
        )
    });
    let configuration = &wave.model.configuration;
    let channels = configuration.profile.channels.entries();
    html! {
        h2 { (t("答卷进度", "Intake")) }
        p {
            (t("答卷 ", "Responses ")) strong { (responses) }
            " · " (t("数据截至：", "as of ")) (figures_as_of(updated_at_ms, lang))
        }
        div.scroll { table {
            caption.muted { (t("各区答卷与配额", "Responses by district against quotas")) }
            thead { tr {
                th scope="col" { (t("区", "District")) }
                th.num scope="col" { (t("答卷", "Responses")) }
                th.num scope="col" { (t("配额", "Quota")) }
                th scope="col" { (t("完成度", "Progress")) }
            } }
            tbody {
                @for (k, district) in configuration.districts.entries().iter().enumerate() {
                    @let count = profile.district[k + 1];
                    @let quota = record.quotas.get(&district.code).copied();
                    tr {
                        th scope="row" { (lang.pick(&district.zh, &district.en)) }
                        td.num { (count) }
                        td.num { @if let Some(quota) = quota { (quota) } @else { "—" } }
                        td {
                            @if let Some(quota) = quota.filter(|q| *q > 0) {
                                @let share = (count as f64 / quota as f64).min(1.0) * 100.0;
                                div.bar role="img" aria-label=(format!("{share:.0}%")) {
                                    span style=(format!("width:{share:.0}%")) {}
                                }
                            }
                        }
                    }
                }
            }
        } }
        div.scroll { table {
            caption.muted { (t("各渠道答卷", "Responses by channel")) }
            thead { tr {
                th scope="col" { (t("渠道", "Channel")) }
                th.num scope="col" { (t("答卷", "Responses")) }
            } }
            tbody {
                @for (k, count) in profile.channel.iter().enumerate().filter(|(_, count)| **count > 0) {
                    tr {
                        th scope="row" {
                            @if k == 0 {
                                (t("未填写", "Not stated"))
                            } @else {
                                (lang.pick(&channels[k - 1].zh, &channels[k - 1].en))
                            }
                        }
                        td.num { (count) }
                    }
                }
            }
        } }
    }
}

/// The key figures of `wave` as `visitor` may see them: responses against quota, the city's
/// indices with their change since the newest older wave the visitor may read, the projects
/// needing attention.
pub(super) fn summary_of<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave: &LiveWave,
    evaluation: &Evaluation,
) -> Summary {
    let id = wave.id();
    let previous = state
        .waves()
        .into_iter()
        .filter(|other| other.id() < id && other.status() != WaveStatus::Draft)
        .find(|other| {
            may_read(
                state,
                visitor,
                GradeOf::WaveResults,
                other.id(),
                &Target::City,
            )
        })
        .map(|other| {
            let (earlier, _) = other.evaluation(&other.options());
            (other.name(), for_visitor(state, visitor, earlier))
        });
    let responses = wave.with_live(|live| live.responses);
    let quota: u64 = wave.record().quotas.values().sum();
    let now = scores(evaluation);
    let earlier = previous.as_ref().map(|(name, e)| (name.clone(), scores(e)));
    summarise(
        &now,
        responses,
        Some(quota),
        earlier
            .as_ref()
            .map(|(name, s)| (name.clone(), s.as_slice())),
    )
}

pub(super) async fn dashboard<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let lang = context.lang;
    let visitor = &context.visitor;
    let suffix = lang_suffix(lang);
    let wave = state.wave(id).map_err(context.error())?;
    let record = wave.record();
    let city_may = |action, grade| city_allows(&state, visitor, action, grade);
    let (evaluation, _) = wave.evaluation(&wave.options());
    let evaluation = for_visitor(&state, visitor, evaluation);
    let summary = summary_of(&state, visitor, &wave, &evaluation);
    let title = format!("{} · {}", lang.pick("结果看板", "Dashboard"), record.name);
    let body = html! {
        nav {
            a href={ "/" (suffix) } { (lang.pick("首页", "Home")) }
            @if record.status == WaveStatus::Open {
                a href={ "/waves/" (id) "/survey" (suffix) } { (lang.pick("填写问卷", "Answer the survey")) }
            }
            a href={ "/waves/" (id) "/report" (suffix) } { (lang.pick("打印版报告", "Printable report")) }
            a href={ "/waves/" (id) "/robustness" (suffix) } { (lang.pick("加权与稳健性", "Weighting and robustness")) }
            @if record.status == WaveStatus::Open && city_may(Action::Change, Grade::Internal) {
                a href={ "/waves/" (id) "/import" (suffix) } { (lang.pick("导入答卷文件", "Import a file")) }
            }
            a href={ "/compare" (suffix) } { (lang.pick("两轮评价对比", "Compare waves")) }
            (language_switch(&format!("/waves/{id}"), lang))
            (account_links(&state, visitor, lang))
        }
        h1 { (title) }
        p { (wave_status(record.status, lang)) }
        (render(&summary, lang))
        (crate::areas::publication::pages::publication_section(
            &state,
            id,
            lang,
            city_may(Action::Publish, Grade::Internal)
        ))
        (project_links(&wave, lang))
        (district_links(&wave, lang))
        (PreEscaped(render_report_body(&evaluation, &wave.model.configuration.instrument, lang)))
        (intake_section(&wave, lang))
        (download_links(id, lang, city_may(Action::Export, Grade::Restricted)))
    };
    Ok(page(&title, lang, body))
}

/// Links to the page of each district of the wave.
pub(super) fn district_links(wave: &LiveWave, lang: Lang) -> Markup {
    let suffix = lang_suffix(lang);
    html! {
        h2 { (lang.pick("各区结果", "District pages")) }
        p {
            @for (index, district) in wave.model.configuration.districts.entries().iter().enumerate() {
                @if index > 0 { " · " }
                a href={ "/waves/" (wave.id()) "/districts/" (district.code) (suffix) } {
                    (lang.pick(&district.zh, &district.en))
                }
            }
        }
    }
}

/// Links to the page of each project of the wave.
pub(super) fn project_links(wave: &LiveWave, lang: Lang) -> Markup {
    let suffix = lang_suffix(lang);
    html! {
        h2 { (lang.pick("各项工程详情", "Project pages")) }
        p {
            @for (index, project) in wave.model.configuration.catalogue.projects.iter().enumerate() {
                @if index > 0 { " · " }
                a href={ "/waves/" (wave.id()) "/projects/" (project.code) (suffix) } {
                    (lang.pick(&project.zh, &project.en))
                }
            }
        }
    }
}

/// Links to the downloads of a wave's aggregates, and of its microdata for those who may
/// export restricted data.
pub(super) fn download_links(id: i64, lang: Lang, microdata: bool) -> Markup {
    html! {
        h2 { (lang.pick("下载", "Downloads")) }
        p {
            (lang.pick("汇总数据：", "The aggregates: "))
            a href={ "/api/v1/waves/" (id) "/aggregates.csv" } { "CSV" } " · "
            a href={ "/api/v1/waves/" (id) "/aggregates.xlsx" } { "XLSX" } " · "
            a href={ "/api/v1/waves/" (id) "/aggregates.json" } { "JSON" }
        }
        @if microdata {
            p {
                (lang.pick("答卷明细（受限）：", "The responses (restricted): "))
                a href={ "/api/v1/waves/" (id) "/responses.csv" } { "CSV" }
                (lang.pick("（下载将记入审计日志）", " (each download is recorded in the audit trail)"))
            }
        }
    }
}
