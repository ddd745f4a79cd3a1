//! The project register's pages: the list of the city's projects with who leads them, and a
//! project's page (what it does, its city leader and steering body, the lead and participating
//! departments with their duties, the districts it is delivered in, and what its citizens
//! thought of it in each wave the reader may see). Public: the city announces its programme.

use axum::extract::{Path, State};
use axum::response::{Html, Response};
use maud::{html, Markup};
use minxin_domain::access::{Action, Grade};
use minxin_domain::advancement::progress::Month;
use minxin_domain::advancement::register::RegisterContext;
use minxin_domain::advancement::register_sheets::register_to_sheets;
use minxin_domain::organisation::{allows, Target};
use minxin_domain::platform::Store;
use minxin_domain::subject::Subject;
use minxin_domain::{Configuration, Problem};
use minxin_report::Lang;

use super::api::{entries, project_detail, ProjectEntry};
use super::letter_pages::letters_section;
use super::progress::{through, today};
use super::stage::rights;
use super::stage_pages::stage_section;
use crate::app::attachment::{csv_response, file_response, XLSX};
use crate::app::error::{ApiError, PageError};
use crate::app::guard::city_allows;
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::layout::page;

/// How a list of districts reads: every district of the city is “全市”.
fn districts_text(entry: &ProjectEntry, lang: Lang, all: usize) -> String {
    if entry.districts_named.len() == all && all > 0 {
        return lang.pick("全市", "City-wide").to_string();
    }
    let names: Vec<&str> = entry
        .districts_named
        .iter()
        .map(|d| lang.pick(&d.name_zh, &d.name_en))
        .collect();
    names.join(lang.pick("、", ", "))
}

pub(super) async fn projects_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let register = state.register();
    let listed = entries(&register);
    let all = Configuration::defaults().districts.len();
    let suffix = context.suffix();
    let may_load = city_allows(&state, &context.visitor, Action::Change, Grade::Internal);
    // A district officer's district (a street's officer: the street's district).
    let own_districts: Vec<String> = {
        let organisation = state.organisation();
        context
            .visitor
            .assignments()
            .iter()
            .filter(|a| a.role == minxin_domain::access::Role::DistrictOfficer)
            .filter_map(|a| match &a.scope {
                minxin_domain::organisation::Scope::Unit(unit) => Some(
                    organisation
                        .unit(unit)
                        .and_then(|u| u.parent.clone())
                        .unwrap_or_else(|| unit.clone()),
                ),
                _ => None,
            })
            .collect()
    };
    let body = html! {
        nav.no-print { a href={ "/" (suffix) } { (t("首页", "Home")) } }
        h1 { (t("民心工程项目库", "The livelihood projects")) }
        p.lead { (t(
            "本市民心工程的统一名录：每个项目由哪位市领导负责、由哪个部门牵头、哪些部门配合、在哪些区实施。",
            "The city's one list of its livelihood projects: the city leader responsible for each, the department that leads it, those that take part, and the districts it is delivered in."
        )) }
        @if listed.is_empty() {
            p { (t("项目库尚未载入。", "The register has not been loaded yet.")) }
        } @else {
            div.scroll { table {
                caption { (t("项目一览（共", "All projects (")) (listed.len()) (t("项）", ")")) }
                thead { tr {
                    th scope="col" { (t("项目", "Project")) }
                    th scope="col" { (t("牵头部门", "Lead department")) }
                    th scope="col" { (t("配合部门", "Participating departments")) }
                    th scope="col" { (t("实施区", "Districts")) }
                    th scope="col" { (t("启动年份", "Since")) }
                } }
                tbody {
                    @for entry in &listed {
                        tr {
                            th scope="row" {
                                a href={ "/projects/" (entry.project.code) (suffix) } {
                                    (context.pick(&entry.project.name_zh, &entry.project.name_en))
                                }
                            }
                            td { (context.pick(&entry.lead.name_zh, &entry.lead.name_en)) }
                            td {
                                @for (index, department) in entry.participating.iter().enumerate() {
                                    @if index > 0 { (t("、", ", ")) }
                                    (context.pick(&department.name_zh, &department.name_en))
                                }
                            }
                            td { (districts_text(entry, context.lang, all)) }
                            td { (entry.project.start_year) }
                        }
                    }
                }
            } }
            p.no-print {
                a href="/projects.xlsx" download { (t("下载项目库（XLSX）", "Download the register (XLSX)")) }
                " · "
                a href="/projects.csv" download { (t("下载（CSV）", "Download (CSV)")) }
                " · "
                a href="/api/v1/projects" { (t("数据接口（JSON）", "Data (JSON)")) }
            }
        }
        @if context.visitor.signed_in.is_some() {
            p.no-print { a href={ "/supervision" (suffix) } { (t("督查督办", "Supervision board")) } }
        }
        @for district in &own_districts {
            p.no-print { a href={ "/districts/" (district) "/commitments" (suffix) } {
                (t("本区承担的任务", "The district's commitments"))
            } }
        }
        @if may_load {
            p.hint.no-print { (t(
                "市协调办可在服务器上用命令 ",
                "The coordination office loads a new register on the server with "
            )) code { "minxin register load FILE" } (t(" 或通过接口 ", " or through "))
            code { "PUT /api/v1/register" } (t(
                " 载入新的项目库（TOML 或 XLSX 文件，有误则整份不载入）。",
                " (a TOML or XLSX file; a file with any problem is not loaded at all)."
            )) }
        }
    };
    Ok(page(
        t("民心工程项目库", "The livelihood projects"),
        context.lang,
        body,
    ))
}

/// The citizens' evaluation of a project, one row per wave.
fn evaluation_section(detail: &super::api::ProjectDetail, context: &PageContext) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let index = |value: Option<f64>| value.map_or("—".to_string(), |v| format!("{v:.1}"));
    html! {
        h2 { (t("市民评价", "What citizens think")) }
        @if detail.evaluation.is_empty() {
            p { (t("尚无可查看的评价结果。", "No evaluation results to show yet.")) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("评价", "Wave")) }
                    th scope="col" { (t("受访人数", "Respondents")) }
                    th scope="col" { (t("认知度指数", "Recognition index")) }
                    th scope="col" { (t("满意度指数", "Satisfaction index")) }
                    th scope="col" { (t("象限", "Quadrant")) }
                } }
                tbody {
                    @for entry in &detail.evaluation {
                        tr {
                            th scope="row" {
                                a href={ "/waves/" (entry.wave_id) "/projects/" (detail.entry.project.code) (context.suffix()) } { (entry.wave) }
                            }
                            td { (entry.project.n) }
                            td { (index(entry.project.recognition)) }
                            td { (index(entry.project.satisfaction)) }
                            td {
                                @match entry.project.quadrant {
                                    Some(quadrant) => (context.pick(quadrant.name_zh(), quadrant.name_en())),
                                    None => "—",
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

pub(super) async fn project_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
) -> Result<Html<String>, PageError> {
    render_project(&state, &context, &code, Posted::Nothing).await
}

/// The problems of a form just posted on the project page, with the section they belong to.
#[derive(Debug, Clone, Copy)]
pub enum Posted<'a> {
    /// No form was posted (or it went through).
    Nothing,
    /// A form of the stage and plan section, or a letter to start.
    Stage(&'a [Problem]),
    /// The publication form.
    Publication(&'a [Problem]),
}

/// Project `code`'s page, with the problems of a form just `posted` shown in its section.
pub async fn render_project<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    posted: Posted<'_>,
) -> Result<Html<String>, PageError> {
    let (problems, publication_problems): (&[Problem], &[Problem]) = match posted {
        Posted::Nothing => (&[], &[]),
        Posted::Stage(problems) => (problems, &[]),
        Posted::Publication(problems) => (&[], problems),
    };
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let detail = project_detail(state, &context.visitor, code)
        .await
        .map_err(context.error())?;
    // Those who follow the project see its stage and plan (internal until published).
    let follows = allows(
        &state.organisation(),
        context.visitor.assignments(),
        Action::Read,
        Grade::Internal,
        &Target::Delivery(code.to_string()),
    );
    let commitments = if follows {
        Some(
            super::project_items::items_section(state, code, context)
                .await
                .map_err(context.error())?,
        )
    } else {
        None
    };
    let letters = if follows {
        let listed = state
            .store
            .letters(Some(code))
            .await
            .map_err(|e| context.error()(e.into()))?;
        Some(letters_section(
            code,
            &listed,
            rights(state, &context.visitor, code),
            context.visitor.csrf_token(),
            context,
        ))
    } else {
        None
    };
    let stage = if follows {
        let standing = state
            .store
            .standing(code)
            .await
            .map_err(|e| context.error()(e.into()))?;
        let decision = state.decision_in_force(&Subject::ProjectStage(code.to_string()));
        // People by name, not by account.
        let mut names = std::collections::BTreeMap::new();
        for modification in &standing.modifications {
            for account in
                std::iter::once(&modification.proposed_by).chain(modification.decided_by.iter())
            {
                if !names.contains_key(account) {
                    let shown = match state.store.account(account).await {
                        Ok(Some(found)) => found.display_name,
                        _ => account.clone(),
                    };
                    names.insert(account.clone(), shown);
                }
            }
        }
        Some(stage_section(
            &standing,
            &names,
            decision.as_ref(),
            rights(state, &context.visitor, code),
            problems,
            context.visitor.csrf_token(),
            context,
        ))
    } else {
        None
    };
    // Those who follow the project see whether it is public (the office decides); everyone
    // else sees what is public once it is.
    let publication = if follows {
        Some(super::public_pages::publication_section(
            state,
            code,
            rights(state, &context.visitor, code).decide,
            publication_problems,
            context.visitor.csrf_token(),
            context,
        ))
    } else if super::publication::is_public(state, code) {
        let (view, curves) = super::publication::delivery_of(state, code)
            .await
            .map_err(context.error())?;
        let shown_through = curves
            .as_ref()
            .map_or(Month::of(today()), |(letter, _)| through(letter));
        Some(super::public_pages::public_section(
            &view,
            curves.as_ref(),
            &state.organisation(),
            shown_through,
            context,
        ))
    } else {
        None
    };
    let entry = &detail.entry;
    let project = &entry.project;
    let all = Configuration::defaults().districts.len();
    let suffix = context.suffix();
    let name = context.pick(&project.name_zh, &project.name_en);
    let (steering_zh, steering_en) = project.steering.names();
    let body = html! {
        nav.no-print {
            a href={ "/" (suffix) } { (t("首页", "Home")) }
            a href={ "/projects" (suffix) } { (t("项目库", "Projects")) }
        }
        h1 { (name) }
        @let summary = context.pick(&project.summary_zh, &project.summary_en);
        @if !summary.is_empty() { p.lead { (summary) } }
        @let description = context.pick(&project.description_zh, &project.description_en);
        @if !description.is_empty() && description != summary { p { (description) } }
        dl.facts {
            dt { (t("责任市领导", "Responsible city leader")) }
            dd { (context.pick(&project.leader_zh, &project.leader_en)) }
            dt { (context.pick(steering_zh, steering_en)) }
            dd { (context.pick(&project.steering_zh, &project.steering_en)) }
            dt { (t("牵头部门", "Lead department")) }
            dd { (context.pick(&entry.lead.name_zh, &entry.lead.name_en)) }
            dt { (t("实施区", "Districts")) }
            dd { (districts_text(entry, context.lang, all)) }
            dt { (t("启动年份", "Since")) }
            dd { (project.start_year) (t("年", "")) }
        }
        h2 { (t("配合部门及职责", "Participating departments and their duties")) }
        @if entry.participating.is_empty() {
            p { (t("没有配合部门。", "No participating department.")) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("部门", "Department")) }
                    th scope="col" { (t("职责", "Duty")) }
                } }
                tbody {
                    @for department in &entry.participating {
                        tr {
                            th scope="row" { (context.pick(&department.name_zh, &department.name_en)) }
                            td { (context.pick(&department.duty_zh, &department.duty_en)) }
                        }
                    }
                }
            } }
        }
        @if let Some(stage) = stage { (stage) }
        @if let Some(letters) = letters { (letters) }
        @if let Some(commitments) = commitments { (commitments) }
        @if let Some(publication) = publication { (publication) }
        (evaluation_section(&detail, context))
    };
    Ok(page(name, context.lang, body))
}

/// The register's sheets, as the workbook and the CSV file export them.
async fn register_sheets<S: Store>(
    state: &AppState<S>,
) -> Result<Vec<minxin_domain::tabular::Sheet>, ApiError> {
    let register = state.register();
    let configuration = Configuration::defaults();
    Ok(register_to_sheets(
        &register,
        RegisterContext {
            districts: configuration.districts.entries(),
            departments: &[],
        },
    ))
}

pub(super) async fn register_workbook<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Response, ApiError> {
    let bytes = minxin_interchange::write_sheets(&register_sheets(&state).await?)
        .map_err(|e| ApiError::Internal(format!("cannot write the register: {e}")))?;
    Ok(file_response(bytes, "minxin-register.xlsx", XLSX))
}

/// The projects' sheet as CSV (one row per project; the departments' duties are in the
/// workbook).
pub(super) async fn register_csv<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Response, ApiError> {
    let sheets = register_sheets(&state).await?;
    let projects = &sheets[1];
    let mut out = "\u{feff}".as_bytes().to_vec();
    minxin_interchange::write_csv_table(
        &mut out,
        &projects.header,
        projects.rows.iter().map(|row| row.cells.clone()),
    )
    .map_err(|e| ApiError::Internal(format!("cannot write the CSV file: {e}")))?;
    Ok(csv_response(out, "minxin-register.csv"))
}
