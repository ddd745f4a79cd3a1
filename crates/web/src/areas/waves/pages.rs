//! The home page: for signed-in staff first their workbench (what each of their roles may
//! open: their projects, their district with its quota progress, the analysis pages, the
//! oversight pages), then every wave the visitor may read, with links to its results and
//! survey. Every link is one the visitor may follow.

use axum::extract::State;
use axum::response::Html;
use maud::{html, Markup};
use minxin_domain::access::{Action, Grade, Role};
use minxin_domain::organisation::{Assignment, ProjectPart, Scope, Target};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::Lang;

use crate::app::guard::{city_allows, may_read, GradeOf};
use crate::app::live::LiveWave;
use crate::app::navigation::{account_links, role_name};
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::format::wave_status;
use crate::ui::i18n::{lang_suffix, language_switch};
use crate::ui::layout::page;

pub(super) async fn home<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
) -> Html<String> {
    let lang = context.lang;
    let visitor = &context.visitor;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    // Each visitor sees the waves they may read: the public, open and published ones.
    let waves: Vec<_> = state
        .waves()
        .into_iter()
        .filter(|wave| {
            may_read(
                &state,
                visitor,
                GradeOf::WaveRecord,
                wave.id(),
                &Target::City,
            )
        })
        .collect();
    let anchor = state
        .store
        .audit_head()
        .await
        .ok()
        .flatten()
        .map(|head| head.anchor());
    let title = t("民心工程评价平台", "Minxin evaluation platform");
    let may_manage = city_allows(&state, visitor, Action::Change, Grade::Internal);
    let body = html! {
        nav {
            (language_switch("/", lang))
            a href={ "/projects" (suffix) } { (t("项目库", "Projects")) }
            (account_links(&state, visitor, lang))
        }
        h1 { (title) }
        p { (t(
            "市民对民心工程的评价：认可度、满意度与四象限分析，一轮一轮跟踪改进。",
            "Citizens rate the city's livelihood projects: recognition, satisfaction and quadrants, wave after wave."
        )) }
        (workbench(&state, visitor, waves.first().map(|w| w.as_ref()), lang))
        h2 { (t("各轮评价", "Waves")) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("评价", "Wave")) }
                th scope="col" { (t("状态", "Status")) }
                th.num scope="col" { (t("答卷", "Responses")) }
                th scope="col" { (t("可查看", "Open")) }
            } }
            tbody {
                @for wave in &waves {
                    @let id = wave.id();
                    @let published = state.is_published(id);
                    tr {
                        th scope="row" { (wave.name()) }
                        td {
                            (wave_status(wave.status(), lang))
                            @if published { (t("，结果已发布", ", results published")) }
                        }
                        td.num { (wave.with_live(|live| live.responses)) }
                        td {
                            @if may_read(&state, visitor, GradeOf::WaveResults, id, &Target::City) {
                                a.dashboard href={ "/waves/" (id) (suffix) } {
                                    @if published { (t("结果看板", "Dashboard")) }
                                    @else { (t("结果看板（未发布）", "Dashboard (unpublished)")) }
                                }
                            } @else {
                                (t("结果尚未发布", "Results not yet published"))
                            }
                            @if wave.status() == WaveStatus::Open {
                                " · "
                                a href={ "/waves/" (id) "/survey" (suffix) } { (t("填写问卷", "Answer the survey")) }
                            }
                            @if may_manage {
                                " · "
                                a.manage href={ "/waves/" (id) "/manage" (suffix) } { (t("管理", "Manage")) }
                            }
                        }
                    }
                }
            }
        } }
        // The audit trail's anchor, for anyone to record (see `/api/v1/audit/head`).
        @if let Some(anchor) = anchor {
            p.muted.anchor {
                small { (t("审计日志锚点：", "Audit trail anchor: ")) code { (anchor) } }
            }
        }
    };
    page(title, lang, body)
}

/// What the signed-in visitor's roles open, role by role, in the newest wave they may read
/// (`latest`): nothing for a visitor who is not signed in.
fn workbench<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    latest: Option<&LiveWave>,
    lang: Lang,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    if visitor.assignments().is_empty() {
        return html! {};
    }
    let city_may = |action, grade| city_allows(state, visitor, action, grade);
    html! {
        section.workbench aria-labelledby="workbench" {
            h2 #workbench { (t("我的工作台", "My workbench")) }
            ul {
                @for assignment in visitor.assignments() {
                    li {
                        strong { (role_name(state, assignment, lang)) }
                        (t("：", ": "))
                        (role_links(state, visitor, assignment, latest, lang))
                    }
                }
            }
            p {
                @if city_may(Action::Change, Grade::Internal) {
                    a href={ "/waves/new" (suffix) } { (t("新建一轮评价", "New wave")) } " "
                }
                @if city_may(Action::Oversee, Grade::Internal) {
                    a href={ "/organisation" (suffix) } { (t("组织与账户", "Organisation and accounts")) } " "
                }
                @if city_may(Action::Oversee, Grade::Restricted) {
                    a href={ "/audit" (suffix) } { (t("审计日志", "Audit trail")) } " "
                }
            }
        }
    }
}

/// The pages one role opens in the wave `latest`.
fn role_links<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    assignment: &Assignment,
    latest: Option<&LiveWave>,
    lang: Lang,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    let Some(wave) = latest else {
        return html! { (t("暂无评价", "no wave yet")) };
    };
    let id = wave.id();
    let configuration = &wave.model.configuration;
    let part = match assignment.role {
        Role::LeadDepartment => Some(ProjectPart::Lead),
        Role::ParticipatingDepartment => Some(ProjectPart::Participating),
        _ => None,
    };
    let unit = match &assignment.scope {
        Scope::Unit(unit) => Some(unit.as_str()),
        Scope::City => None,
    };
    if let (Some(part), Some(unit)) = (part, unit) {
        let projects: Vec<_> = state
            .organisation()
            .projects_of(unit)
            .into_iter()
            .filter(|(_, p)| *p == part)
            .filter_map(|(code, _)| {
                configuration
                    .catalogue
                    .projects
                    .iter()
                    .find(|p| p.code == code)
            })
            .filter(|project| {
                may_read(
                    state,
                    visitor,
                    GradeOf::ScopedResults,
                    id,
                    &Target::Project(project.code.clone()),
                )
            })
            .cloned()
            .collect();
        return html! {
            @if projects.is_empty() {
                (t("本轮评价没有本单位承担的工程", "no project of this unit in the latest wave"))
            }
            @for (index, project) in projects.iter().enumerate() {
                @if index > 0 { (t("、", ", ")) }
                a href={ "/waves/" (id) "/projects/" (project.code) (suffix) } { (lang.pick(&project.zh, &project.en)) }
            }
        };
    }
    if assignment.role == Role::DistrictOfficer {
        if let Some(unit) = unit {
            let district = state
                .organisation()
                .unit(unit)
                .and_then(|u| u.parent.clone())
                .unwrap_or_else(|| unit.to_string());
            let entries = configuration.districts.entries();
            if let Some(k) = entries.iter().position(|d| d.code == district) {
                let entry = &entries[k];
                let count = wave.with_live(|live| live.tallies.profile.district[k + 1]);
                let quota = wave.record().quotas.get(&district).copied();
                let readable = may_read(
                    state,
                    visitor,
                    GradeOf::ScopedResults,
                    id,
                    &Target::District(district.clone()),
                );
                return html! {
                    @if readable {
                        a href={ "/waves/" (id) "/districts/" (district) (suffix) } { (lang.pick(&entry.zh, &entry.en)) }
                    } @else {
                        (lang.pick(&entry.zh, &entry.en))
                    }
                    (t("，答卷 ", ": ")) (count)
                    @if let Some(quota) = quota.filter(|q| *q > 0) {
                        (t(" / 配额 ", " of a quota of ")) (quota)
                        (t("（完成 ", " (")) (format!("{:.0}%", 100.0 * count as f64 / quota as f64)) (t("）", ")"))
                    }
                };
            }
        }
        return html! { (t("所属区不在本轮评价中", "the district is not in the latest wave")) };
    }
    // Roles across the city: the analysis pages of the latest wave they may read.
    let results = may_read(state, visitor, GradeOf::WaveResults, id, &Target::City);
    html! {
        @if results {
            a href={ "/waves/" (id) (suffix) } { (t("结果看板", "Dashboard")) } (t("、", ", "))
            a href={ "/waves/" (id) "/robustness" (suffix) } { (t("加权与稳健性", "Weighting and robustness")) } (t("、", ", "))
            a href={ "/compare" (suffix) } { (t("两轮评价对比", "Compare waves")) } (t("、", ", "))
            a href={ "/waves/" (id) "/report" (suffix) } { (t("打印版报告", "Printable report")) }
        } @else {
            (t("本轮结果尚未发布", "the latest results are not yet published"))
        }
        @if wave.status() == WaveStatus::Open && city_allows(state, visitor, Action::Change, Grade::Internal) {
            (t("、", ", "))
            a href={ "/waves/" (id) "/import" (suffix) } { (t("导入答卷文件", "Import a file")) }
        }
    }
}
