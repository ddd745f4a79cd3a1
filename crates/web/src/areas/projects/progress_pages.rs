//! A letter's progress page: how far the project has got (weighted, and missing where a part
//! is not reported), each target by district planned against achieved, the reports owed and
//! not made, every report with its step, and for each unit the visitor reports for the form of
//! a month's report (phone first: one field per line). The lead department reviews or returns
//! a report there, the office accepts or returns it.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use minxin_domain::advancement::letter::trimmed;
use minxin_domain::advancement::progress::{
    duties_of, months_due, share_done, MilestoneReport, MilestoneStatus, ReportContent,
    ReportStatus, RollUp, TargetReport,
};
use minxin_domain::platform::Store;
use minxin_domain::Problem;

use super::letters::LetterNames;
use super::progress::{self, LetterProgress, Step};
use super::stage::rights;
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::format::minute;
use crate::ui::layout::page;

/// A share as a percentage.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A roll-up in words: complete, or missing with what was reported.
fn rollup_text(rollup: &RollUp, context: &PageContext) -> String {
    match (rollup.value, rollup.reported) {
        (Some(value), _) => percent(value),
        (None, Some(reported)) => format!(
            "{}{}{}{}{}",
            context.pick(
                "缺报（已报部分完成",
                "missing reports (the parts reported: "
            ),
            percent(reported),
            context.pick("，占权重", ", weighing "),
            percent(rollup.reported_weight),
            context.pick("）", ")")
        ),
        (None, None) => context.pick("未报", "not reported").to_string(),
    }
}

/// The form of one unit's report for a month.
fn report_form(
    data: &LetterProgress,
    lead: &str,
    unit: &str,
    names: &LetterNames,
    csrf: &str,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let letter = &data.letter;
    let duties = duties_of(letter, lead, unit);
    let months = months_due(letter.year, progress::through(letter));
    let action = format!(
        "/projects/{}/letters/{}/progress{}",
        letter.project,
        letter.year,
        context.suffix()
    );
    html! {
        form.stacked method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="unit" value=(unit);
            h3 { (names.name(unit)) (t("：报送进展", ": report progress")) }
            p { label for={ "month-" (unit) } { (t("月份", "Month")) }
                select id={ "month-" (unit) } name="month" {
                    @for (index, month) in months.iter().enumerate().rev() {
                        option value=(month.to_string()) selected[index + 1 == months.len()] { (month.to_string()) }
                    }
                } }
            @for (target, district) in &duties.targets {
                @if let Some(commitment) = letter.commitments.targets.iter().find(|c| &c.id == target) {
                    @let field = match district { Some(d) => format!("t.{target}.{d}"), None => format!("t.{target}") };
                    @let planned = district.as_ref()
                        .and_then(|d| commitment.shares.iter().find(|s| &s.district == d))
                        .map_or(commitment.quantity, |s| s.quantity);
                    p { label for=(field) {
                            (context.pick(&commitment.title_zh, &commitment.title_en))
                            (t("：累计完成（", ": achieved so far ("))
                            (context.pick(&commitment.measure_zh, &commitment.measure_en))
                            (t("，目标", ", of "))
                            (trimmed(planned)) (t("）", ")"))
                        }
                        input type="text" inputmode="decimal" id=(field) name=(field); }
                }
            }
            @for milestone in &duties.milestones {
                @if let Some(commitment) = letter.commitments.milestones.iter().find(|m| &m.id == milestone) {
                    @let field = format!("m.{milestone}");
                    p { label for=(field) {
                            (context.pick(&commitment.title_zh, &commitment.title_en))
                            (t("（时限", " (due ")) (commitment.due) (t("）", ")"))
                        }
                        select id=(field) name=(field) {
                            option value="" { (t("不报", "Not reported")) }
                            @for status in [MilestoneStatus::Scheduled, MilestoneStatus::Met, MilestoneStatus::PartiallyMet, MilestoneStatus::NotMet] {
                                option value=(status.code()) { (context.pick(status.names().0, status.names().1)) }
                            }
                        } }
                }
            }
            @if duties.metrics {
                p { label for="physical" { (t("形象进度（%）", "Physical progress (%)")) }
                    input type="text" inputmode="decimal" id="physical" name="physical"; }
                p { label for="financial" { (t("资金支付进度（%）", "Financial progress (%)")) }
                    input type="text" inputmode="decimal" id="financial" name="financial"; }
            }
            p { label for={ "note-" (unit) } { (t("情况说明", "Notes")) }
                textarea id={ "note-" (unit) } name="note" rows="3" {} }
            p { label for={ "link-" (unit) } { (t("佐证链接（可不填）", "Evidence link (optional)")) }
                input type="url" id={ "link-" (unit) } name="link"; }
            button type="submit" { (t("报送", "Submit")) }
        }
    }
}

/// The progress page of project `code`'s letter for `year`, with `problems` of a form.
async fn render<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    year: i32,
    problems: &[Problem],
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let pair = |(zh, en): (&'static str, &'static str)| context.pick(zh, en);
    let data = progress::letter_progress(state, code, year)
        .await
        .map_err(context.error())?;
    let names = LetterNames::of(state, code)
        .await
        .map_err(context.error())?;
    let register = state.register();
    let project = register.project(code);
    let project_name = project.map_or(code.to_string(), |p| {
        context.pick(&p.name_zh, &p.name_en).to_string()
    });
    let lead = project.map_or(String::new(), |p| p.lead_department.clone());
    let may = rights(state, &context.visitor, code);
    let units = progress::units_of(&context.visitor, &data.letter, &lead);
    let csrf = context.visitor.csrf_token();
    let suffix = context.suffix();
    let title = format!(
        "{year}{}{project_name}{}",
        t("年度", " "),
        t("进展", " progress")
    );
    let target_title = |id: &str| {
        data.letter
            .commitments
            .targets
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| {
                context.pick(&c.title_zh, &c.title_en).to_string()
            })
    };
    let body = html! {
        nav.no-print {
            a href={ "/projects/" (code) (suffix) } { (project_name) }
            a href={ "/projects/" (code) "/letters/" (year) (suffix) } { (year) (t("年度责任书", " letter")) }
        }
        h1 { (title) }
        p.hint { (t("截至", "Through ")) (data.through) (t("，各项任务取最近一次报送的累计数（不超过目标），按声明的权重汇总；未报送的部分显示为未报，不计为0。", "; each target takes its latest cumulative figure (capped at the target), weighed by the declared weights; a part not reported shows as missing, never as 0.")) }
        @if !problems.is_empty() {
            div.error role="alert" {
                p { (t("未能报送，请修改以下内容：", "Not saved; please correct the following:")) }
                ul { @for problem in problems { li { @if !problem.field.is_empty() { (problem.field) (t("：", ": ")) } (context.pick(&problem.zh, &problem.en)) } } }
            }
        }
        div.cards {
            div.card { span.label { (t("项目总体完成", "Project as a whole")) }
                strong { (data.project.as_ref().map_or("—".to_string(), |r| rollup_text(r, context))) } }
            div.card { span.label { (t("缺报", "Reports missing")) } strong { (data.missing.len()) } }
        }
        h2 { (t("各项任务", "Targets")) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("任务", "Target")) }
                th scope="col" { (t("区", "District")) }
                th scope="col" { (t("目标", "Planned")) }
                th scope="col" { (t("累计完成", "Achieved")) }
                th scope="col" { (t("完成率", "Share")) }
            } }
            tbody { @for part in &data.parts {
                tr {
                    th scope="row" { (target_title(&part.target)) }
                    td { (part.district.as_deref().map_or(t("全部", "All").to_string(), |d| names.name(d))) }
                    td { (trimmed(part.planned)) }
                    @match part.achieved {
                        Some(achieved) => {
                            td { (trimmed(achieved)) }
                            td { (percent(share_done(achieved, part.planned))) }
                        }
                        None => { td.error { (t("未报", "Missing")) } td { "—" } }
                    }
                }
            } }
        } }
        @if !data.districts.is_empty() {
            h2 { (t("各区完成情况", "By district")) }
            div.scroll { table {
                thead { tr { th scope="col" { (t("区", "District")) } th scope="col" { (t("完成", "Done")) } } }
                tbody { @for (district, rollup) in &data.districts {
                    tr { th scope="row" { (names.name(district)) } td { (rollup_text(rollup, context)) } }
                } }
            } }
        }
        @if !data.missing.is_empty() {
            h2 { (t("缺报", "Reports missing")) }
            div.scroll { table {
                thead { tr { th scope="col" { (t("月份", "Month")) } th scope="col" { (t("报送单位", "Unit")) } } }
                tbody { @for (month, unit) in &data.missing {
                    tr { td { (month) } td { (names.name(unit)) } }
                } }
            } }
        }
        h2 { (t("进展报告", "Reports")) }
        @if data.reports.is_empty() { p { (t("尚无报告。", "No report yet.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("月份", "Month")) }
                    th scope="col" { (t("报送单位", "Unit")) }
                    th scope="col" { (t("报送时间", "Submitted")) }
                    th scope="col" { (t("状态", "Status")) }
                    th scope="col" { (t("说明", "Notes")) }
                } }
                tbody { @for report in data.reports.iter().rev() {
                    tr {
                        td { (report.month) }
                        td { (names.name(&report.unit)) }
                        td { (minute(report.submitted_at_ms, context.lang)) }
                        td {
                            (pair(report.status.names()))
                            @if report.status == ReportStatus::Returned { (t("：", ": ")) (report.return_reason) }
                            @let can_review = report.status == ReportStatus::Submitted && may.lead;
                            @let can_decide = matches!(report.status, ReportStatus::Submitted | ReportStatus::Reviewed) && may.decide;
                            @if can_review || can_decide {
                                form.stacked.no-print method="post" action={ "/projects/" (code) "/progress/" (report.id) (suffix) } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    p { label for={ "reason-" (report.id) } { (t("退回理由（退回时填写）", "Reason (when returning)")) }
                                        input type="text" id={ "reason-" (report.id) } name="reason"; }
                                    @if can_review {
                                        button type="submit" name="step" value="review" { (t("审核通过", "Reviewed")) } " "
                                        button.secondary type="submit" name="step" value="return_to_unit" { (t("退回", "Return")) }
                                    } @else {
                                        @if report.status == ReportStatus::Reviewed {
                                            button type="submit" name="step" value="accept" { (t("确认", "Accept")) } " "
                                        }
                                        button.secondary type="submit" name="step" value="return" { (t("退回", "Return")) }
                                    }
                                }
                            }
                        }
                        td { (report.content.note) }
                    }
                } }
            } }
        }
        @if !units.is_empty() && data.letter.status == minxin_domain::advancement::letter::LetterStatus::Accepted {
            section.no-print #report {
                h2 { (t("报送本月进展", "Report this month's progress")) }
                @for unit in &units { (report_form(&data, &lead, unit, &names, csrf, context)) }
            }
        }
    };
    Ok(page(&title, context.lang, body))
}

pub(super) async fn progress_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Html<String>, PageError> {
    render(&state, &context, &code, year, &[]).await
}

/// The report a posted form describes, or its numbers' problems.
fn posted_content(fields: &[(String, String)]) -> Result<ReportContent, Vec<Problem>> {
    let mut content = ReportContent::default();
    let mut problems = Vec::new();
    let number = |field: &str, text: &str, problems: &mut Vec<Problem>| -> Option<f64> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.replace(',', "").parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                problems.push(Problem::new(
                    field,
                    format!("“{text}”不是数字。"),
                    format!("{text:?} is not a number"),
                ));
                None
            }
        }
    };
    for (name, value) in fields {
        if let Some(rest) = name.strip_prefix("t.") {
            let (target, district) = match rest.split_once('.') {
                Some((target, district)) => (target, Some(district.to_string())),
                None => (rest, None),
            };
            if let Some(achieved) = number(name, value, &mut problems) {
                content.targets.push(TargetReport {
                    target: target.to_string(),
                    district,
                    achieved,
                });
            }
        } else if let Some(milestone) = name.strip_prefix("m.") {
            if let Some(status) = MilestoneStatus::from_code(value.trim()) {
                content.milestones.push(MilestoneReport {
                    milestone: milestone.to_string(),
                    status,
                });
            }
        } else {
            match name.as_str() {
                "physical" => content.physical_percent = number(name, value, &mut problems),
                "financial" => content.financial_percent = number(name, value, &mut problems),
                "note" => content.note = value.trim().to_string(),
                "link" if !value.trim().is_empty() => content.links.push(value.trim().to_string()),
                _ => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(problems)
    }
}

/// After a form: back to the progress page, or the page again with what is wrong.
async fn done<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    year: i32,
    outcome: Result<(), ApiError>,
) -> Result<Response, PageError> {
    let problems = match outcome {
        Ok(()) => {
            let to = format!(
                "/projects/{code}/letters/{year}/progress{}",
                context.suffix()
            );
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error) => super::form_problems(error, context.lang)?,
    };
    Ok(render(state, context, code, year, &problems)
        .await?
        .into_response())
}

/// The value of the field `name`.
pub(super) fn field<'f>(fields: &'f [(String, String)], name: &str) -> &'f str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(super) async fn submit_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, year)): Path<(String, i32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(field(&fields, "csrf"))
        .map_err(context.error())?;
    let outcome = match posted_content(&fields) {
        Ok(content) => progress::submit(
            &state,
            &context.visitor,
            &code,
            year,
            field(&fields, "month"),
            field(&fields, "unit"),
            &content,
        )
        .await
        .map(|_| ()),
        Err(problems) => Err(ApiError::Invalid { problems }),
    };
    done(&state, &context, &code, year, outcome).await
}

pub(super) async fn step_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(field(&fields, "csrf"))
        .map_err(context.error())?;
    let step = match field(&fields, "step") {
        "review" => Step::Review,
        "return_to_unit" => Step::ReturnToUnit,
        "accept" => Step::Accept,
        _ => Step::Return,
    };
    let reason = field(&fields, "reason");
    let outcome = progress::advance(&state, &context.visitor, &code, id, step, reason).await;
    let year = match &outcome {
        Ok(report) => report.year,
        Err(_) => match state.store.report(id).await {
            Ok(Some(report)) => report.year,
            _ => {
                return Err(PageError(
                    outcome
                        .err()
                        .unwrap_or_else(|| ApiError::Internal("no report".into())),
                    context.lang,
                ))
            }
        },
    };
    done(&state, &context, &code, year, outcome.map(|_| ())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_report_reads_its_numbers_and_names_a_bad_one() {
        let fields: Vec<(String, String)> = [
            ("t.t1.310101", "1,200"),
            ("t.t2", ""),
            ("m.m1", "partiallyMet"),
            ("m.m2", ""),
            ("physical", "40"),
            ("note", " 顺利 "),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let content = posted_content(&fields).unwrap();
        assert_eq!(content.targets.len(), 1, "an empty field reports nothing");
        assert_eq!(content.targets[0].district.as_deref(), Some("310101"));
        assert_eq!(content.targets[0].achieved, 1200.0);
        assert_eq!(content.milestones.len(), 1);
        assert_eq!(content.physical_percent, Some(40.0));
        assert_eq!(content.note, "顺利");
        let bad = vec![("t.t1".to_string(), "很多".to_string())];
        assert_eq!(posted_content(&bad).unwrap_err()[0].field, "t.t1");
    }
}
