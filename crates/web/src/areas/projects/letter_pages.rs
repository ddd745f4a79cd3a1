//! Responsibility letters' pages: the list on the project page, and each letter as a document
//! to read and print (its timetable, task book with the districts' shares, and roadmap, with
//! who issued and who signed it), with the forms of the step it is at: the office starts,
//! issues or takes back a letter; the office or the lead department uploads its commitments
//! as a workbook while it is a draft; the lead department signs it.

use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use minxin_domain::advancement::letter::{milestone_type_names, trimmed, Letter, LetterStatus};
use minxin_domain::platform::Store;
use minxin_domain::Problem;
use serde::Deserialize;

use super::letters::{self, LetterNames};
use super::stage::{rights, StageRights};
use crate::app::attachment::{file_response, XLSX};
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::format::minute;
use crate::ui::layout::page;

/// The letters' part of the project page.
pub fn letters_section(
    code: &str,
    letters: &[Letter],
    rights: StageRights,
    csrf: &str,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let next_year = letters.iter().map(|l| l.year + 1).max().unwrap_or(2021);
    html! {
        section #letters {
            h2 { (t("责任书", "Responsibility letters")) }
            @if letters.is_empty() {
                p { (t("尚无责任书。", "No letter yet.")) }
            } @else {
                ul { @for letter in letters {
                    li {
                        a href={ "/projects/" (code) "/letters/" (letter.year) (context.suffix()) } {
                            (letter.year) (t("年度责任书", " letter"))
                        }
                        (t("：", ": ")) (context.pick(letter.status.names().0, letter.status.names().1))
                        (t("（", " (")) (letter.commitments.milestones.len()) (t("个节点、", " milestones, "))
                        (letter.commitments.targets.len()) (t("项任务）", " targets)"))
                    }
                } }
            }
            @if rights.decide {
                form.stacked.no-print method="post" action={ "/projects/" (code) "/letters" (context.suffix()) } {
                    input type="hidden" name="csrf" value=(csrf);
                    p { label for="year" { (t("起草责任书：年度", "Start a letter for the year")) }
                        input type="number" id="year" name="year" min="2000" max="2100" value=(next_year) required; }
                    button type="submit" { (t("起草", "Start")) }
                }
            }
        }
    }
}

/// The letter's commitments as tables.
fn commitments_tables(letter: &Letter, names: &LetterNames, context: &PageContext) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let commitments = &letter.commitments;
    let title_of = |id: &str| {
        commitments
            .milestones
            .iter()
            .find(|m| m.id == id)
            .map_or(id.to_string(), |m| {
                context.pick(&m.title_zh, &m.title_en).to_string()
            })
    };
    html! {
        h2 { (t("时间表", "Timetable")) }
        @if commitments.milestones.is_empty() { p { (t("尚无节点。", "No milestone yet.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("节点", "Milestone")) }
                    th scope="col" { (t("类型", "Type")) }
                    th scope="col" { (t("完成时限", "Due")) }
                    th scope="col" { (t("责任单位", "Responsible unit")) }
                    th scope="col" { (t("责任人", "Person")) }
                } }
                tbody { @for m in &commitments.milestones {
                    tr {
                        th scope="row" { (context.pick(&m.title_zh, &m.title_en)) }
                        td { (milestone_type_names(&m.kind).map_or(m.kind.clone(), |(zh, en)| context.pick(zh, en).to_string())) }
                        td { (m.due) }
                        td { (names.name(&m.unit)) }
                        td { (m.person) }
                    }
                } }
            } }
        }
        h2 { (t("任务书", "Task book")) }
        @if commitments.targets.is_empty() { p { (t("尚无量化任务。", "No target yet.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("任务", "Target")) }
                    th scope="col" { (t("目标", "Quantity")) }
                    th scope="col" { (t("完成时限", "Due")) }
                    th scope="col" { (t("责任单位", "Responsible unit")) }
                    th scope="col" { (t("分区任务", "By district")) }
                } }
                tbody { @for target in &commitments.targets {
                    tr {
                        th scope="row" { (context.pick(&target.title_zh, &target.title_en)) }
                        td { (trimmed(target.quantity)) " " (context.pick(&target.measure_zh, &target.measure_en)) }
                        td { (target.due) }
                        td { (names.name(&target.unit)) }
                        td {
                            @for (index, share) in target.shares.iter().enumerate() {
                                @if index > 0 { (t("；", "; ")) }
                                (names.name(&share.district)) " " (trimmed(share.quantity))
                            }
                        }
                    }
                } }
            } }
        }
        @if !commitments.phases.is_empty() {
            h2 { (t("路线图", "Roadmap")) }
            ol { @for phase in &commitments.phases {
                li {
                    strong { (context.pick(&phase.title_zh, &phase.title_en)) }
                    @if !phase.milestones.is_empty() {
                        (t("：", ": "))
                        @for (index, id) in phase.milestones.iter().enumerate() {
                            @if index > 0 { (t("、", ", ")) }
                            (title_of(id))
                        }
                    }
                }
            } }
        }
    }
}

/// Project `code`'s letter for `year` as a page, with `problems` of a form just posted.
async fn render_letter<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    year: i32,
    problems: &[Problem],
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let letter = letters::letter(state, code, year)
        .await
        .map_err(context.error())?;
    let names = LetterNames::of(state, code)
        .await
        .map_err(context.error())?;
    let register = state.register();
    let project_name = register.project(code).map_or(code.to_string(), |p| {
        context.pick(&p.name_zh, &p.name_en).to_string()
    });
    let lead = register
        .project(code)
        .map_or(String::new(), |p| names.name(&p.lead_department));
    let may = rights(state, &context.visitor, code);
    let csrf = context.visitor.csrf_token();
    let base = format!("/projects/{code}/letters/{year}");
    let suffix = context.suffix();
    let title = format!(
        "{year}{}{project_name}{}",
        t("年度", " "),
        t("责任书", " responsibility letter")
    );
    let body = html! {
        nav.no-print {
            a href={ "/projects/" (code) (suffix) } { (project_name) }
        }
        h1 { (title) }
        @if !problems.is_empty() {
            div.error role="alert" {
                p { (t("未能保存，请修改以下内容：", "Not saved; please correct the following:")) }
                ul { @for problem in problems {
                    li { @if !problem.field.is_empty() { (problem.field) (t("：", ": ")) } (context.pick(&problem.zh, &problem.en)) }
                } }
            }
        }
        dl.facts {
            dt { (t("下达单位", "Issued by")) } dd { (t("市级协调办", "The coordination office")) }
            dt { (t("责任单位", "Responsible department")) } dd { (lead) }
            dt { (t("状态", "Status")) } dd { (context.pick(letter.status.names().0, letter.status.names().1)) }
            @if let Some(at) = letter.issued_at_ms {
                dt { (t("下达时间", "Issued")) } dd { (minute(at, context.lang)) }
            }
            @if let (Some(name), Some(at)) = (&letter.accepted_by_name, letter.accepted_at_ms) {
                dt { (t("签收", "Signed")) } dd { (name) (t("，", ", ")) (minute(at, context.lang)) }
            }
        }
        (commitments_tables(&letter, &names, context))
        @if letter.status == LetterStatus::Accepted {
            p.no-print { a href={ (base) "/progress" (suffix) } { (t("查看和报送进展", "Progress: see and report")) } }
        }
        div.no-print {
            p { a href={ (base) "/workbook" } download {
                @if letter.commitments.is_empty() { (t("下载填写模板（XLSX）", "Download the template (XLSX)")) }
                @else { (t("下载责任书内容（XLSX）", "Download the commitments (XLSX)")) }
            } }
            @if letter.status == LetterStatus::Draft && may.plan {
                h2 { (t("上传责任书内容", "Upload the commitments")) }
                form.stacked method="post" enctype="multipart/form-data" action={ (base) "/workbook" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    p { label for="file" { (t("按模板填写的工作簿（XLSX），上传后整体替换现有内容；有误则不作任何更改", "The workbook filled in from the template (XLSX); it replaces the commitments whole, and nothing changes when it has problems")) }
                        input type="file" id="file" name="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; }
                    button type="submit" { (t("上传", "Upload")) }
                }
            }
            @if letter.status == LetterStatus::Draft && may.decide {
                form.stacked method="post" action={ (base) "/issue" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="action" value="issue";
                    button type="submit" { (t("下达责任书", "Issue the letter")) }
                }
            }
            @if letter.status == LetterStatus::Issued && may.decide {
                form.stacked method="post" action={ (base) "/issue" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="action" value="return";
                    p { label for="reason" { (t("退回修改的理由", "Why it is taken back")) }
                        input type="text" id="reason" name="reason" required; }
                    button.secondary type="submit" { (t("退回修改", "Take back to draft")) }
                }
            }
            @if letter.status == LetterStatus::Issued && may.lead {
                form.stacked method="post" action={ (base) "/accept" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    p { (t("签收即表示本部门承诺按时完成上述节点和任务。", "Signing commits the department to the milestones and targets above.")) }
                    button type="submit" { (t("签收责任书", "Sign the letter")) }
                }
            }
        }
    };
    Ok(page(&title, context.lang, body))
}

pub(super) async fn letter_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Html<String>, PageError> {
    render_letter(&state, &context, &code, year, &[]).await
}

/// After a form: to `to`, or the letter page again with what is wrong.
async fn done<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    year: i32,
    outcome: Result<String, ApiError>,
) -> Result<Response, PageError> {
    let problems = match outcome {
        Ok(to) => return Ok(Redirect::to(&format!("{to}{}", context.suffix())).into_response()),
        Err(error) => super::form_problems(error, context.lang)?,
    };
    Ok(render_letter(state, context, code, year, &problems)
        .await?
        .into_response())
}

/// The form that starts a letter.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
}

pub(super) async fn create_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let year: i32 = form.year.trim().parse().map_err(|_| {
        context.error()(ApiError::invalid(
            "year",
            "请填写年份。",
            "the year is a number",
        ))
    })?;
    match letters::create(&state, &context.visitor, &code, year).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/projects/{code}/letters/{year}{}",
            context.suffix()
        ))
        .into_response()),
        Err(error) => {
            let problems = super::form_problems(error, context.lang)?;
            Ok(super::pages::render_project(
                &state,
                &context,
                &code,
                super::pages::Posted::Stage(&problems),
            )
            .await?
            .into_response())
        }
    }
}

pub(super) async fn upload_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let malformed = |message: String| {
        context.error()(ApiError::invalid(
            "file",
            "上传的文件未能完整接收，请重新上传。",
            message,
        ))
    };
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| malformed(e.to_string()))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|e| malformed(e.to_string()))?,
            Some("file") => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| malformed(e.to_string()))?
                        .to_vec(),
                )
            }
            _ => {}
        }
    }
    context.visitor.check_form(&csrf).map_err(context.error())?;
    let outcome = match file {
        Some(bytes) => letters::write_workbook(&state, &context.visitor, &code, year, bytes)
            .await
            .map(|_| format!("/projects/{code}/letters/{year}")),
        None => Err(ApiError::invalid(
            "file",
            "请选择要上传的工作簿。",
            "no file was sent",
        )),
    };
    done(&state, &context, &code, year, outcome).await
}

/// The form that issues a letter or takes it back.
#[derive(Debug, Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn issue_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let issue = form.action != "return";
    let outcome = letters::issue(&state, &context.visitor, &code, year, issue, &form.reason)
        .await
        .map(|_| format!("/projects/{code}/letters/{year}"));
    done(&state, &context, &code, year, outcome).await
}

/// The form that signs a letter.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn accept_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = letters::accept(&state, &context.visitor, &code, year)
        .await
        .map(|_| format!("/projects/{code}/letters/{year}"));
    done(&state, &context, &code, year, outcome).await
}

pub(super) async fn workbook_download<S: Store>(
    State(state): State<AppState<S>>,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Response, ApiError> {
    let letter = letters::letter(&state, &code, year).await?;
    let bytes = letters::workbook(&state, &code, &letter).await?;
    Ok(file_response(
        bytes,
        &format!("minxin-letter-{code}-{year}.xlsx"),
        XLSX,
    ))
}
