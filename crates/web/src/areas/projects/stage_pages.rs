//! The project page's section on its stage and plan (for those who follow the project), and
//! the forms behind it: the office moves the stage and decides modifications; the office or
//! the lead department sets the plan before implementation and proposes modifications after.
//! A form with problems shows the project page again with them; a change done returns to it.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use minxin_domain::advancement::stage::{
    ModificationKind, ModificationStatus, PaperStage, ProjectPlan, ProjectStanding,
};
use minxin_domain::decision::Decision;
use minxin_domain::platform::Store;
use minxin_domain::Problem;
use serde::Deserialize;

use super::stage::{self, StageRights};
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::format::minute;

/// A budget in yuan as officials write it: in 万元 (ten thousand yuan).
pub fn wan(yuan: Option<i64>, context: &PageContext) -> String {
    match yuan {
        None => "—".to_string(),
        Some(yuan) if yuan % 10_000 == 0 => format!(
            "{}{}",
            yuan / 10_000,
            context.pick("万元", " × 10,000 yuan")
        ),
        Some(yuan) => format!(
            "{:.2}{}",
            yuan as f64 / 10_000.0,
            context.pick("万元", " × 10,000 yuan")
        ),
    }
}

/// A budget typed in 万元 (`1200`, `1200.5`) as yuan; `None` for an empty field, and an error
/// naming the field for anything else.
fn yuan_of(text: &str) -> Result<Option<i64>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(wan) if wan.is_finite() && (0.0..=1e8).contains(&wan) => {
            Ok(Some((wan * 10_000.0).round() as i64))
        }
        _ => Err(Problem::new(
            "budget_wan",
            format!("预算“{text}”不是0至1亿万元之间的数。"),
            format!("the budget {text:?} is not a number of 10,000 yuan between 0 and 100,000,000"),
        )),
    }
}

/// The rows of plan and baseline, side by side.
fn plan_table(standing: &ProjectStanding, context: &PageContext) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let date = |text: &Option<String>| text.clone().unwrap_or_else(|| "—".to_string());
    let rows = |plan: &ProjectPlan| {
        [
            date(&plan.period_start),
            date(&plan.period_end),
            wan(plan.budget_yuan, context),
            context.pick(&plan.scope_zh, &plan.scope_en).to_string(),
        ]
    };
    let current = rows(&standing.plan);
    let baseline = standing.baseline.as_ref().map(rows);
    let labels = [
        t("计划开始", "Planned start"),
        t("计划完成", "Planned end"),
        t("预算", "Budget"),
        t("建设内容", "Scope"),
    ];
    html! {
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("项目", "Item")) }
                @if baseline.is_some() { th scope="col" { (t("基线（实施开始时冻结）", "Baseline (frozen when implementation began)")) } }
                th scope="col" { (t("现行计划", "Current plan")) }
            } }
            tbody {
                @for (index, label) in labels.iter().enumerate() {
                    tr {
                        th scope="row" { (label) }
                        @if let Some(baseline) = &baseline { td { (baseline[index]) } }
                        td { (current[index]) }
                    }
                }
            }
        } }
    }
}

/// The plan's fields in a form, filled with `plan`.
fn plan_fields(plan: &ProjectPlan, context: &PageContext) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let budget = plan
        .budget_yuan
        .map(|yuan| format!("{}", yuan as f64 / 10_000.0))
        .unwrap_or_default();
    html! {
        p { label for="period_start" { (t("计划开始日期", "Planned start")) }
            input type="date" id="period_start" name="period_start" value=(plan.period_start.as_deref().unwrap_or("")); }
        p { label for="period_end" { (t("计划完成日期", "Planned end")) }
            input type="date" id="period_end" name="period_end" value=(plan.period_end.as_deref().unwrap_or("")); }
        p { label for="budget_wan" { (t("预算（万元）", "Budget (10,000 yuan)")) }
            input type="text" inputmode="decimal" id="budget_wan" name="budget_wan" value=(budget); }
        p { label for="scope_zh" { (t("建设内容", "Scope, in Chinese")) }
            textarea id="scope_zh" name="scope_zh" rows="3" { (plan.scope_zh) } }
        p { label for="scope_en" { (t("建设内容（英文）", "Scope, in English")) }
            textarea id="scope_en" name="scope_en" rows="2" { (plan.scope_en) } }
    }
}

/// The stage decision in force, in words.
fn decision_line(decision: Option<&Decision>, context: &PageContext) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    match decision {
        None => {
            html! { p.hint { (t("登记入库即为立项，尚未作出阶段调整决定。", "Registering the project identified it; no stage decision has been taken yet.")) } }
        }
        Some(decision) => {
            let decision = &decision.decision;
            html! { p {
                (t("决定：", "Decided by ")) (decision.decided_by_name) (t("，", ", "))
                (minute(decision.decided_at_ms, context.lang)) (t("。理由：", ". Reasons: "))
                (decision.statement)
            } }
        }
    }
}

/// The section on a project's stage and plan, with the forms `rights` allow (`names`: the
/// people's names by account).
pub fn stage_section(
    standing: &ProjectStanding,
    names: &std::collections::BTreeMap<String, String>,
    decision: Option<&Decision>,
    rights: StageRights,
    problems: &[Problem],
    csrf: &str,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let pair = |(zh, en): (&'static str, &'static str)| context.pick(zh, en);
    let status = standing.status;
    let base = format!("/projects/{}", standing.project);
    let suffix = context.suffix();
    let ended = status.paper_stage() == PaperStage::Exiting;
    html! {
        section #stage {
            h2 { (t("项目阶段与计划", "Stage and plan")) }
            @if !problems.is_empty() {
                div.error role="alert" {
                    p { (t("未能保存，请修改以下内容：", "Not saved; please correct the following:")) }
                    ul { @for problem in problems { li { (context.pick(&problem.zh, &problem.en)) } } }
                }
            }
            p.lead {
                (t("当前阶段：", "Stage: ")) strong { (pair(status.paper_stage().names())) }
                (t("（", " (")) (pair(status.names())) (t("）", ")"))
            }
            (decision_line(decision, context))
            (plan_table(standing, context))
            @if !standing.modifications.is_empty() {
                h3 { (t("计划变更", "Changes of the plan")) }
                div.scroll { table {
                    thead { tr {
                        th scope="col" { (t("类型", "Kind")) }
                        th scope="col" { (t("理由", "Reason")) }
                        th scope="col" { (t("提出", "Proposed")) }
                        th scope="col" { (t("状态", "Status")) }
                        th scope="col" { (t("审批意见", "Decision")) }
                    } }
                    tbody { @for modification in &standing.modifications {
                        tr {
                            th scope="row" { (pair(modification.kind.names())) }
                            td { (modification.reason) }
                            td {
                                (names.get(&modification.proposed_by).unwrap_or(&modification.proposed_by))
                                (t("，", ", ")) (minute(modification.proposed_at_ms, context.lang))
                            }
                            td { (pair(modification.status.names())) }
                            td {
                                @if modification.status == ModificationStatus::Proposed && rights.decide {
                                    form.stacked method="post" action={ (base) "/modifications/" (modification.id) (suffix) } {
                                        input type="hidden" name="csrf" value=(csrf);
                                        p { label for={ "note-" (modification.id) } { (t("审批意见（不批准时必填）", "Note (required when not approving)")) }
                                            input type="text" id={ "note-" (modification.id) } name="note"; }
                                        button type="submit" name="decision" value="approve" { (t("批准", "Approve")) } " "
                                        button.secondary type="submit" name="decision" value="reject" { (t("不批准", "Do not approve")) }
                                    }
                                } @else {
                                    (modification.decision_note)
                                }
                            }
                        }
                    } }
                } }
            }
            @if rights.decide && !status.next().is_empty() {
                h3 { (t("调整项目阶段（重大决定）", "Move the stage (a major decision)")) }
                form.stacked method="post" action={ (base) "/stage" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    p { label for="to" { (t("调整为", "Move to")) }
                        select id="to" name="to" { @for next in status.next() {
                            option value=(next.code()) { (pair(next.names())) }
                        } } }
                    p { label for="statement" { (t("理由（决定一经作出不可修改，只能由新的决定取代）", "Reasons (a decision is never edited, only superseded)")) }
                        textarea id="statement" name="statement" rows="3" required {} }
                    button type="submit" { (t("签署决定", "Sign the decision")) }
                }
            }
            @if rights.plan && standing.baseline.is_none() && !ended {
                h3 { (t("填报项目计划", "Set the plan")) }
                p.hint { (t("进入实施阶段时，计划将冻结为基线，此后只能提出变更。", "When implementation begins the plan is frozen as the baseline; after that it changes only by a modification.")) }
                form.stacked method="post" action={ (base) "/plan" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    (plan_fields(&standing.plan, context))
                    button type="submit" { (t("保存计划", "Save the plan")) }
                }
            }
            @if rights.plan && standing.baseline.is_some() && !ended {
                h3 { (t("提出计划变更", "Propose a change of the plan")) }
                form.stacked method="post" action={ (base) "/modifications" (suffix) } {
                    input type="hidden" name="csrf" value=(csrf);
                    p { label for="kind" { (t("变更类型", "Kind")) }
                        select id="kind" name="kind" {
                            @for kind in [ModificationKind::Duration, ModificationKind::Value, ModificationKind::Scope] {
                                option value=(kind.code()) { (pair(kind.names())) }
                            }
                        } }
                    (plan_fields(&standing.plan, context))
                    p { label for="reason" { (t("变更理由", "Reason")) }
                        textarea id="reason" name="reason" rows="3" required {} }
                    button type="submit" { (t("报市协调办审批", "Submit to the office")) }
                }
            }
        }
    }
}

/// The plan's fields as a form posts them.
#[derive(Debug, Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    budget_wan: String,
    #[serde(default)]
    scope_zh: String,
    #[serde(default)]
    scope_en: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

impl PlanForm {
    /// The plan the fields describe, or the budget's problem.
    fn plan(&self) -> Result<ProjectPlan, ApiError> {
        let optional = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_string());
        let budget_yuan = yuan_of(&self.budget_wan).map_err(|problem| ApiError::Invalid {
            problems: vec![problem],
        })?;
        Ok(ProjectPlan {
            period_start: optional(&self.period_start),
            period_end: optional(&self.period_end),
            budget_yuan,
            scope_zh: self.scope_zh.trim().to_string(),
            scope_en: self.scope_en.trim().to_string(),
        })
    }
}

/// After a form: back to the project's section, or the page again with what is wrong.
async fn done<S: Store>(
    state: &AppState<S>,
    context: &PageContext,
    code: &str,
    outcome: Result<(), ApiError>,
) -> Result<Response, PageError> {
    let problems = match outcome {
        Ok(()) => {
            let to = format!("/projects/{code}{}#stage", context.suffix());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error) => super::form_problems(error, context.lang)?,
    };
    let page: Html<String> =
        super::pages::render_project(state, context, code, super::pages::Posted::Stage(&problems))
            .await?;
    Ok(page.into_response())
}

pub(super) async fn plan_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = match form.plan() {
        Ok(plan) => stage::set_plan(&state, &context.visitor, &code, &plan).await,
        Err(error) => Err(error),
    };
    done(&state, &context, &code, outcome).await
}

/// The stage form's fields.
#[derive(Debug, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    statement: String,
}

pub(super) async fn stage_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
    Form(form): Form<StageForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = stage::move_stage(&state, &context.visitor, &code, &form.to, &form.statement)
        .await
        .map(|_| ());
    done(&state, &context, &code, outcome).await
}

pub(super) async fn propose_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(code): Path<String>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = match form.plan() {
        Ok(plan) => stage::propose(
            &state,
            &context.visitor,
            &code,
            &form.kind,
            &form.reason,
            &plan,
        )
        .await
        .map(|_| ()),
        Err(error) => Err(error),
    };
    done(&state, &context, &code, outcome).await
}

/// The modification decision form's fields.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn decide_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((code, id)): Path<(String, i64)>,
    Form(form): Form<DecideForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let approve = form.decision == "approve";
    let outcome = stage::decide(&state, &context.visitor, &code, id, approve, &form.note)
        .await
        .map(|_| ());
    done(&state, &context, &code, outcome).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_typed_in_ten_thousands_of_yuan() {
        assert_eq!(yuan_of(""), Ok(None));
        assert_eq!(yuan_of(" 1200 "), Ok(Some(12_000_000)));
        assert_eq!(yuan_of("0.5"), Ok(Some(5_000)));
        assert_eq!(yuan_of("-1").unwrap_err().field, "budget_wan");
        assert!(yuan_of("一千").unwrap_err().zh.contains("一千"));
    }
}
