//! The project page's publication. Those who follow the project see whether its delivery is
//! public (the decision in force, who took it and why) and the coordination office the form
//! that publishes or withdraws it; everyone else sees, once it is published, what is public:
//! the stage and period, the latest signed letter's commitments with their status as the
//! office accepted them, the progress, and the curves (planned against achieved, in all and
//! district by district). Nothing internal is shown: no notes, no reasons for a return, no
//! evidence.

use maud::{html, Markup, PreEscaped};
use minxin_domain::advancement::curve::{district_curve, target_curve};
use minxin_domain::advancement::letter::{milestone_type_names, trimmed, Letter, TargetCommitment};
use minxin_domain::advancement::progress::{Month, ProgressReport};
use minxin_domain::advancement::public_view::PublicDelivery;
use minxin_domain::decision::DecisionKind;
use minxin_domain::organisation::Organisation;
use minxin_domain::platform::Store;
use minxin_domain::subject::Subject;
use minxin_domain::Problem;
use minxin_report::progress_chart::progress_chart;

use crate::app::page_context::PageContext;
use crate::app::state::AppState;

/// A unit's name by its code (the code itself for a unit the organisation does not know).
fn unit_name(organisation: &Organisation, code: &str, context: &PageContext) -> String {
    organisation.unit(code).map_or(code.to_string(), |unit| {
        context.pick(&unit.name_zh, &unit.name_en).to_string()
    })
}

/// A title in the page's language, the Chinese one when there is no English.
fn title<'a>(context: &PageContext, zh: &'a str, en: &'a str) -> &'a str {
    context.pick(zh, if en.is_empty() { zh } else { en })
}

/// For those who follow project `code`: whether its delivery is public, and for the office
/// (`may_decide`) the form that publishes or withdraws it, with `problems` of a form just
/// posted.
pub fn publication_section<S: Store>(
    state: &AppState<S>,
    code: &str,
    may_decide: bool,
    problems: &[Problem],
    csrf: &str,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let in_force = state.decision_in_force(&Subject::Project(code.to_string()));
    let public = in_force
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    html! {
        section #publication {
            h2 { (t("推进情况公开", "Publication of the delivery")) }
            @match &in_force {
                Some(decision) => p {
                    strong { @if public { (t("已向社会公开", "Public")) } @else { (t("已撤回公开", "Withdrawn")) } }
                    (t("：", ": ")) (decision.decision.decided_by_name) (t("，", ", "))
                    (crate::ui::format::minute(decision.decision.decided_at_ms, context.lang)) (t("。", ". "))
                    (decision.decision.statement)
                },
                None => p { (t("尚未公开：阶段、责任书事项和进度仅内部可见。", "Not public: the stage, the commitments and the progress are internal.")) },
            }
            p.hint { (t(
                "公开后，公众可看到项目阶段、已签收责任书的事项及其状态、经市协调办确认的进度和曲线；内部说明、退回理由和佐证材料始终仅内部可见。",
                "Once public, everyone sees the stage, the signed letter's commitments and their status, and the progress and curves the office accepted; internal notes, reasons for returns and evidence stay internal."
            )) }
            @if may_decide {
                @for problem in problems {
                    p.error role="alert" { (context.pick(&problem.zh, &problem.en)) }
                }
                form.stacked method="post" action={ "/projects/" (code) "/publication" (context.suffix()) } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="action" value=(if public { "withdraw" } else { "publish" });
                    p {
                        label for="publication-statement" { (t("决定说明（将与决定一起公开）", "Reasons (made public with the decision)")) }
                        input type="text" id="publication-statement" name="statement" required maxlength="500";
                    }
                    p.hint { (t("决定将以您的姓名记录，不可修改，只能由新的决定取代。", "The decision is recorded under your name and cannot be edited, only superseded.")) }
                    div.steps { button type="submit" {
                        @if public { (t("撤回公开", "Withdraw")) } @else { (t("向社会公开", "Make public")) }
                    } }
                }
            }
        }
    }
}

/// What the public sees of a project: `view`, with the curves drawn from the latest signed
/// letter's accepted reports (`curves`).
pub fn public_section(
    view: &PublicDelivery,
    curves: Option<&(Letter, Vec<ProgressReport>)>,
    organisation: &Organisation,
    through: Month,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let pair = |names: (&'static str, &'static str)| context.pick(names.0, names.1);
    let percent = |value: f64| format!("{}%", trimmed((value * 10.0).round() / 10.0));
    html! {
        section #delivery {
            h2 { (t("推进情况", "Delivery")) }
            dl.facts {
                dt { (t("当前阶段", "Stage")) }
                dd { (pair(view.stage.names())) (t("（", " (")) (pair(view.status.names())) (t("）", ")")) }
                @if let (Some(start), Some(end)) = (&view.period_start, &view.period_end) {
                    dt { (t("计划周期", "Planned period")) }
                    dd {
                        (start) (t(" 至 ", " to ")) (end)
                        @if let Some((Some(from), Some(to))) = &view.baseline_period {
                            (t("（原计划 ", " (baseline ")) (from) (t(" 至 ", " to ")) (to) (t("）", ")"))
                        }
                    }
                }
                @if let Some(progress) = view.progress {
                    dt { (t("任务完成率", "Targets achieved")) }
                    dd { (percent(progress * 100.0)) }
                }
                @if let Some(physical) = &view.physical {
                    dt { (t("形象进度", "Physical progress")) }
                    dd { (percent(physical.percent)) (t("（", " (")) (physical.month) (t("）", ")")) }
                }
                @if let Some(financial) = &view.financial {
                    dt { (t("资金支出进度", "Financial progress")) }
                    dd { (percent(financial.percent)) (t("（", " (")) (financial.month) (t("）", ")")) }
                }
            }
            @match view.year {
                None => p { (t("尚无签收的责任书。", "No letter has been signed yet.")) },
                Some(year) => {
                    h3 { (year) (t("年度时间表", ": timetable")) }
                    div.scroll { table {
                        thead { tr {
                            th scope="col" { (t("节点", "Milestone")) }
                            th scope="col" { (t("类型", "Type")) }
                            th scope="col" { (t("责任单位", "Responsible")) }
                            th scope="col" { (t("时限", "Due")) }
                            th scope="col" { (t("状态", "Status")) }
                        } }
                        tbody { @for milestone in &view.milestones {
                            tr {
                                th scope="row" { (title(context, &milestone.title_zh, &milestone.title_en)) }
                                td { (milestone_type_names(&milestone.kind).map_or(milestone.kind.as_str(), pair)) }
                                td { (unit_name(organisation, &milestone.unit, context)) }
                                td { (milestone.due) }
                                td {
                                    (pair(milestone.status.names()))
                                    @if let Some(month) = &milestone.status_month { (t("（", " (")) (month) (t("）", ")")) }
                                }
                            }
                        } }
                    } }
                    h3 { (year) (t("年度任务书", ": task book")) }
                    div.scroll { table {
                        thead { tr {
                            th scope="col" { (t("任务", "Target")) }
                            th scope="col" { (t("责任单位", "Responsible")) }
                            th scope="col" { (t("时限", "Due")) }
                            th scope="col" { (t("完成 / 目标", "Achieved / target")) }
                        } }
                        tbody { @for target in &view.targets {
                            @let measure = title(context, &target.measure_zh, &target.measure_en);
                            tr {
                                th scope="row" { (title(context, &target.title_zh, &target.title_en)) }
                                td { (unit_name(organisation, &target.unit, context)) }
                                td { (target.due) }
                                td { (target.achieved.map_or_else(|| t("未齐", "Incomplete").to_string(), trimmed)) " / " (trimmed(target.quantity)) " " (measure) }
                            }
                            @for share in &target.shares {
                                tr.part {
                                    td { "　" (t("其中", "of which")) }
                                    td { (unit_name(organisation, &share.district, context)) }
                                    td { (target.due) }
                                    td { (share.achieved.map_or_else(|| t("未报", "Missing").to_string(), trimmed)) " / " (trimmed(share.quantity)) " " (measure) }
                                }
                            }
                        } }
                    } }
                    p.hint { (t("只计经市协调办确认的月度报告；某区尚无确认的报告时记为“未报”，不记为0。", "Only reports the office accepted count; a district without one is shown as missing, never as 0.")) }
                    @if let Some((letter, reports)) = curves {
                        @for target in &letter.commitments.targets {
                            (curve_figures(target, letter.year, reports, through, organisation, context))
                        }
                    }
                }
            }
        }
    }
}

/// A target's progress curve in all and, for a target shared among districts, district by
/// district (folded, so that sixteen small charts do not swamp the page).
pub fn curve_figures(
    target: &TargetCommitment,
    year: i32,
    reports: &[ProgressReport],
    through: Month,
    organisation: &Organisation,
    context: &PageContext,
) -> Markup {
    let name = title(context, &target.title_zh, &target.title_en);
    let measure = title(context, &target.measure_zh, &target.measure_en);
    let rendered_whole = progress_chart(
        &format!("curve-{}", target.id),
        name,
        measure,
        &target_curve(target, year, reports, through),
        context.lang,
    );
    html! {
        figure.chart { (PreEscaped(rendered_whole)) }
        @if !target.shares.is_empty() {
            details.by-district {
                summary { (context.pick("按区查看进度曲线", "Curves by district")) }
                @for share in &target.shares {
                    @let district = unit_name(organisation, &share.district, context);
                    @let rendered_chart = progress_chart(
                        &format!("curve-{}-{}", target.id, share.district),
                        &format!("{name}{}{district}", context.pick("·", ": ")),
                        measure,
                        &district_curve(target, &share.district, year, reports, through),
                        context.lang,
                    );
                    figure.chart { (PreEscaped(rendered_chart)) }
                }
            }
        }
    }
}
