//! The joint meetings' pages: the list with the office's form to convene one, and each
//! meeting's record (attendees, agenda, minutes, decisions with what superseded them, action
//! items with their lights) with the office's form for the minutes and each owning
//! department's form to report an item done. Forms work without JavaScript; a fixed number of
//! blank rows is offered (the API takes any number).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use minxin_domain::advancement::meeting::{
    AgendaItem, Attendee, DecisionRef, Meeting, MeetingCall, MeetingMinutes, NewActionItem,
    NewMeetingDecision,
};
use minxin_domain::organisation::UnitKind;
use minxin_domain::platform::Store;

use super::meetings::{self, action_light, acts_for, is_office, minuted, open_actions};
use super::progress::today;
use super::progress_pages::field;
use super::project_items::light_class;
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::format::minute;
use crate::ui::layout::page;

/// Blank agenda rows offered by the form to convene.
const AGENDA_ROWS: usize = 6;
/// Blank decision rows offered by the minutes form.
const DECISION_ROWS: usize = 6;
/// Blank action-item rows offered by the minutes form.
const ACTION_ROWS: usize = 10;

/// Names of units and projects as the visitor reads them.
pub(super) struct Names<'a> {
    /// The request's context.
    context: &'a PageContext,
    /// The organisation.
    organisation: minxin_domain::organisation::Organisation,
    /// The register.
    register: std::sync::Arc<minxin_domain::advancement::register::Register>,
}

impl<'a> Names<'a> {
    /// The names of `state`'s units and projects, for `context`.
    pub(super) fn of<S: Store>(state: &AppState<S>, context: &'a PageContext) -> Names<'a> {
        Names {
            context,
            organisation: state.organisation().clone(),
            register: state.register(),
        }
    }

    /// A unit's name (its code when unknown).
    pub(super) fn unit(&self, code: &str) -> String {
        self.organisation.unit(code).map_or(code.to_string(), |u| {
            self.context.pick(&u.name_zh, &u.name_en).to_string()
        })
    }

    /// A project's name (its code when unknown).
    pub(super) fn project(&self, code: &str) -> String {
        self.register.project(code).map_or(code.to_string(), |p| {
            self.context.pick(&p.name_zh, &p.name_en).to_string()
        })
    }

    /// The departments and districts, in the organisation's order.
    fn member_units(&self) -> Vec<(String, String)> {
        self.organisation
            .units
            .iter()
            .filter(|u| u.kind != UnitKind::Street)
            .map(|u| (u.code.clone(), self.unit(&u.code)))
            .collect()
    }

    /// The register's projects, in order.
    fn projects(&self) -> Vec<(String, String)> {
        self.register
            .projects
            .iter()
            .map(|p| (p.code.clone(), self.project(&p.code)))
            .collect()
    }
}

/// A choice of project, blank for none.
fn project_select(name: &str, names: &Names, required: bool) -> Markup {
    html! {
        select name=(name) id=(name) required[required] {
            option value="" { (names.context.pick("（不涉及具体项目）", "(no project)")) }
            @for (code, shown) in names.projects() { option value=(code) { (shown) } }
        }
    }
}

pub(super) async fn meetings_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let list = state
        .store
        .meetings()
        .await
        .map_err(|e| context.error()(e.into()))?;
    let names = Names::of(&state, &context);
    let suffix = context.suffix();
    let title = t("联席会议", "Joint meetings");
    let body = html! {
        nav.no-print { a href={ "/" (suffix) } { (t("首页", "Home")) } a href={ "/supervision" (suffix) } { (t("督查督办", "Supervision")) } }
        h1 { (title) }
        p.lead { (t("市协调办召集的民心工程联席会议：参会单位、议题、纪要、决定和督办事项。督办事项列入督查督办台账，按期亮灯。", "The joint meetings the coordination office convenes: attendees, agenda, minutes, decisions and action items; action items are tracked and lit on the supervision board.")) }
        @if list.is_empty() { p { (t("尚无联席会议。", "No joint meeting yet.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("会议", "Meeting")) }
                    th scope="col" { (t("日期", "Date")) }
                    th scope="col" { (t("状态", "Status")) }
                    th scope="col" { (t("决定", "Decisions")) }
                    th scope="col" { (t("未完成督办事项", "Open action items")) }
                } }
                tbody { @for meeting in list.iter().rev() {
                    tr {
                        th scope="row" { a href={ "/meetings/" (meeting.id) (suffix) } { (meeting.call.title) } }
                        td { (meeting.call.held_on) }
                        td { (context.pick(meeting.status.names().0, meeting.status.names().1)) }
                        td { (meeting.decisions.len()) }
                        td { (open_actions(meeting)) }
                    }
                } }
            } }
        }
        @if is_office(&context.visitor) { (convene_form(&names)) }
    };
    Ok(page(title, context.lang, body))
}

/// The office's form to convene a meeting.
fn convene_form(names: &Names) -> Markup {
    let context = names.context;
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    html! {
        h2 #convene { (t("召集联席会议", "Convene a joint meeting")) }
        form.stacked.no-print method="post" action={ "/meetings" (context.suffix()) } {
            input type="hidden" name="csrf" value=(context.visitor.csrf_token());
            p { label for="title" { (t("会议名称", "Title")) } input type="text" id="title" name="title" required; }
            p { label for="held_on" { (t("会议日期", "Date")) } input type="date" id="held_on" name="held_on" required; }
            p { label for="venue" { (t("地点", "Venue")) } input type="text" id="venue" name="venue"; }
            p { label for="chair" { (t("主持人", "Chair")) } input type="text" id="chair" name="chair" required; }
            fieldset {
                legend { (t("参会单位及参会人（勾选单位，填写参会人）", "Attending units and people (tick the unit, name the person)")) }
                @for (code, shown) in names.member_units() {
                    p.choice {
                        label { input type="checkbox" name="attend" value=(code); span { (shown) } }
                        input type="text" name={ "person." (code) } aria-label={ (shown) (t("参会人", ": attending")) };
                    }
                }
            }
            fieldset {
                legend { (t("议题（空行不计）", "Agenda (blank rows are skipped)")) }
                @for row in 1..=AGENDA_ROWS {
                    p {
                        label for={ "agenda_topic." (row) } { (t("议题", "Item")) " " (row) }
                        input type="text" id={ "agenda_topic." (row) } name={ "agenda_topic." (row) };
                        (project_select(&format!("agenda_project.{row}"), names, false))
                    }
                }
            }
            button type="submit" { (t("发出会议通知", "Convene")) }
        }
    }
}

/// The call a form posted.
fn posted_call(fields: &[(String, String)]) -> MeetingCall {
    let attendees = fields
        .iter()
        .filter(|(name, _)| name == "attend")
        .map(|(_, unit)| Attendee {
            unit: unit.clone(),
            person: field(fields, &format!("person.{unit}")).trim().to_string(),
        })
        .collect();
    let agenda = (1..=AGENDA_ROWS)
        .filter_map(|row| {
            let topic = field(fields, &format!("agenda_topic.{row}")).trim();
            let project = field(fields, &format!("agenda_project.{row}")).trim();
            (!topic.is_empty()).then(|| AgendaItem {
                project: (!project.is_empty()).then(|| project.to_string()),
                topic: topic.to_string(),
            })
        })
        .collect();
    MeetingCall {
        title: field(fields, "title").trim().to_string(),
        held_on: field(fields, "held_on").trim().to_string(),
        venue: field(fields, "venue").trim().to_string(),
        chair: field(fields, "chair").trim().to_string(),
        attendees,
        agenda,
    }
}

/// The minutes a form posted (a decision row without text, an action row without a title, are
/// blank and skipped; a superseded decision is written `meeting-number`).
fn posted_minutes(fields: &[(String, String)]) -> MeetingMinutes {
    let decisions = (1..=DECISION_ROWS)
        .filter_map(|row| {
            let text = field(fields, &format!("decision_text.{row}")).trim();
            let project = field(fields, &format!("decision_project.{row}")).trim();
            let supersedes = field(fields, &format!("decision_supersedes.{row}"))
                .split_once('-')
                .and_then(|(meeting, number)| {
                    Some(DecisionRef {
                        meeting: meeting.trim().parse().ok()?,
                        number: number.trim().parse().ok()?,
                    })
                });
            (!text.is_empty()).then(|| NewMeetingDecision {
                project: (!project.is_empty()).then(|| project.to_string()),
                text: text.to_string(),
                supersedes,
            })
        })
        .collect();
    let actions = (1..=ACTION_ROWS)
        .filter_map(|row| {
            let title = field(fields, &format!("action_title.{row}")).trim();
            (!title.is_empty()).then(|| NewActionItem {
                project: field(fields, &format!("action_project.{row}"))
                    .trim()
                    .to_string(),
                department: field(fields, &format!("action_department.{row}"))
                    .trim()
                    .to_string(),
                title: title.to_string(),
                due: field(fields, &format!("action_due.{row}"))
                    .trim()
                    .to_string(),
            })
        })
        .collect();
    MeetingMinutes {
        minutes: field(fields, "minutes").trim().to_string(),
        decisions,
        actions,
    }
}

/// To the meeting's page, or the error's page.
fn to_meeting(
    context: &PageContext,
    outcome: Result<Meeting, ApiError>,
) -> Result<Response, PageError> {
    let meeting = outcome.map_err(context.error())?;
    Ok(Redirect::to(&format!("/meetings/{}{}", meeting.id, context.suffix())).into_response())
}

pub(super) async fn convene_form_post<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(field(&fields, "csrf"))
        .map_err(context.error())?;
    let outcome = meetings::convene(&state, &context.visitor, &posted_call(&fields)).await;
    to_meeting(&context, outcome)
}

pub(super) async fn minutes_form_post<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(field(&fields, "csrf"))
        .map_err(context.error())?;
    let outcome =
        meetings::record_minutes(&state, &context.visitor, id, &posted_minutes(&fields)).await;
    to_meeting(&context, outcome)
}

pub(super) async fn complete_form_post<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path((id, number)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(field(&fields, "csrf"))
        .map_err(context.error())?;
    let outcome =
        meetings::complete(&state, &context.visitor, id, number, field(&fields, "note")).await;
    to_meeting(&context, outcome)
}

pub(super) async fn meeting_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let meeting = meetings::find(&state, id).await.map_err(context.error())?;
    let earlier = if minuted(&meeting) {
        Vec::new()
    } else {
        state
            .store
            .meetings()
            .await
            .map_err(|e| context.error()(e.into()))?
    };
    let names = Names::of(&state, &context);
    let suffix = context.suffix();
    let today = today();
    let body = html! {
        nav.no-print { a href={ "/meetings" (suffix) } { (t("联席会议", "Joint meetings")) } a href={ "/supervision" (suffix) } { (t("督查督办", "Supervision")) } }
        h1 { (meeting.call.title) }
        dl.facts {
            dt { (t("日期", "Date")) } dd { (meeting.call.held_on) }
            @if !meeting.call.venue.is_empty() { dt { (t("地点", "Venue")) } dd { (meeting.call.venue) } }
            dt { (t("主持人", "Chair")) } dd { (meeting.call.chair) }
            dt { (t("状态", "Status")) } dd { (context.pick(meeting.status.names().0, meeting.status.names().1)) }
            @if let (Some(name), Some(at)) = (&meeting.signed_by_name, meeting.signed_at_ms) {
                dt { (t("纪要签发", "Minutes signed")) } dd { (name) (t("，", ", ")) (minute(at, context.lang)) }
            }
        }
        h2 { (t("参会单位", "Attendees")) }
        ul { @for attendee in &meeting.call.attendees { li { (names.unit(&attendee.unit)) @if !attendee.person.is_empty() { (t("：", ": ")) (attendee.person) } } } }
        h2 { (t("议题", "Agenda")) }
        ol { @for item in &meeting.call.agenda { li { (item.topic) @if let Some(project) = &item.project { (t("（", " (")) a href={ "/projects/" (project) (suffix) } { (names.project(project)) } (t("）", ")")) } } } }
        @if minuted(&meeting) {
            h2 { (t("会议纪要", "Minutes")) }
            @for paragraph in meeting.minutes.lines().filter(|l| !l.trim().is_empty()) { p { (paragraph) } }
            (decisions_section(&meeting, &names))
            (actions_section(&meeting, &names, today))
            p.no-print { a href={ "/meetings/" (meeting.id) "/follow-up" (suffix) } { (t("各单位督办事项清单（可打印）", "Follow-up lists by department (printable)")) } }
        } @else if is_office(&context.visitor) {
            (minutes_form(&meeting, &earlier, &names))
        } @else {
            p { (t("会议纪要尚未签发。", "The minutes are not signed yet.")) }
        }
    };
    Ok(page(&meeting.call.title, context.lang, body))
}

/// The decisions of a minuted meeting, each with what it superseded and what supersedes it.
fn decisions_section(meeting: &Meeting, names: &Names) -> Markup {
    let context = names.context;
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let suffix = context.suffix();
    html! {
        h2 #decisions { (t("会议决定", "Decisions")) }
        @if meeting.decisions.is_empty() { p { (t("本次会议没有作出决定。", "The meeting made no decision.")) } }
        ol { @for decision in &meeting.decisions {
            li id={ "decision-" (decision.number) } {
                @if let Some(project) = &decision.decision.project { strong { (names.project(project)) (t("：", ": ")) } }
                (decision.decision.text)
                @if let Some(replaced) = decision.decision.supersedes {
                    span.hint { (t("（替代", " (supersedes ")) a href={ "/meetings/" (replaced.meeting) (suffix) "#decision-" (replaced.number) } { (t("第", "meeting ")) (replaced.meeting) (t("次会议第", ", decision ")) (replaced.number) (t("项决定", "")) } (t("）", ")")) }
                }
                @if let Some(by) = decision.superseded_by {
                    span.error { (t("（已被", " (superseded by ")) a href={ "/meetings/" (by.meeting) (suffix) "#decision-" (by.number) } { (t("第", "meeting ")) (by.meeting) (t("次会议第", ", decision ")) (by.number) (t("项决定", "")) } (t("替代）", ")")) }
                }
            }
        } }
    }
}

/// The action items of a minuted meeting with their lights and, for the owning department,
/// the form to report one done.
fn actions_section(
    meeting: &Meeting,
    names: &Names,
    today: minxin_domain::calendar::Day,
) -> Markup {
    let context = names.context;
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    html! {
        h2 #actions { (t("督办事项", "Action items")) }
        @if meeting.actions.is_empty() { p { (t("本次会议没有督办事项。", "The meeting set no action item.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("编号", "No.")) }
                    th scope="col" { (t("事项", "Action")) }
                    th scope="col" { (t("项目", "Project")) }
                    th scope="col" { (t("责任单位", "Owner")) }
                    th scope="col" { (t("完成时限", "Due")) }
                    th scope="col" { (t("灯色", "Light")) }
                } }
                tbody { @for action in &meeting.actions {
                    tr {
                        td { (action.number) }
                        th scope="row" { (action.action.title)
                            @if let Some(done) = &action.completed { br; span.hint { (t("完成情况：", "Done: ")) (done.note) (t("（", " (")) (minute(done.at_ms, context.lang)) (t("）", ")")) } }
                            @if action.completed.is_none() && acts_for(&context.visitor, &action.action.department) {
                                form.stacked.no-print method="post" action={ "/meetings/" (meeting.id) "/actions/" (action.number) "/complete" (context.suffix()) } {
                                    input type="hidden" name="csrf" value=(context.visitor.csrf_token());
                                    p { label for={ "note-" (action.number) } { (t("完成情况", "What was done")) } input type="text" id={ "note-" (action.number) } name="note" required; }
                                    button type="submit" { (t("报告完成", "Report done")) }
                                }
                            }
                        }
                        td { (names.project(&action.action.project)) }
                        td { (names.unit(&action.action.department)) }
                        td { (action.action.due) }
                        td { @if action.completed.is_some() { (t("已完成", "Done")) } @else {
                            @match action_light(action, today) {
                                Some(light) => span class={ "light " (light_class(light)) } { (context.pick(light.names().0, light.names().1)) },
                                None => (t("正常推进", "On track")),
                            }
                        } }
                    }
                } }
            } }
        }
    }
}

/// The office's form to record and sign the minutes.
fn minutes_form(meeting: &Meeting, all: &[Meeting], names: &Names) -> Markup {
    let context = names.context;
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let in_force: Vec<(String, String)> = all
        .iter()
        .filter(|m| m.id < meeting.id)
        .flat_map(|m| {
            m.decisions
                .iter()
                .filter(|d| d.superseded_by.is_none())
                .map(move |d| {
                    (
                        format!("{}-{}", m.id, d.number),
                        format!("{} {}. {}", m.call.title, d.number, d.decision.text),
                    )
                })
        })
        .collect();
    let units = names.member_units();
    html! {
        h2 #minutes { (t("录入并签发会议纪要", "Record and sign the minutes")) }
        p.hint { (t("纪要签发后不能修改；决定只能由以后会议的新决定替代。", "Signed minutes are never edited; a decision is only superseded by a later meeting's decision.")) }
        form.stacked.no-print method="post" action={ "/meetings/" (meeting.id) "/minutes" (context.suffix()) } {
            input type="hidden" name="csrf" value=(context.visitor.csrf_token());
            p { label for="minutes-text" { (t("会议纪要", "Minutes")) } textarea id="minutes-text" name="minutes" rows="6" required {} }
            fieldset {
                legend { (t("会议决定（空行不计）", "Decisions (blank rows are skipped)")) }
                @for row in 1..=DECISION_ROWS {
                    p {
                        label for={ "decision_text." (row) } { (t("决定", "Decision")) " " (row) }
                        input type="text" id={ "decision_text." (row) } name={ "decision_text." (row) };
                        (project_select(&format!("decision_project.{row}"), names, false))
                        @if !in_force.is_empty() {
                            select name={ "decision_supersedes." (row) } aria-label=(t("替代以前的决定", "Supersedes")) {
                                option value="" { (t("（不替代以前的决定）", "(supersedes none)")) }
                                @for (code, shown) in &in_force { option value=(code) { (shown) } }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { (t("督办事项（空行不计）", "Action items (blank rows are skipped)")) }
                @for row in 1..=ACTION_ROWS {
                    p {
                        label for={ "action_title." (row) } { (t("督办事项", "Action")) " " (row) }
                        input type="text" id={ "action_title." (row) } name={ "action_title." (row) };
                        (project_select(&format!("action_project.{row}"), names, false))
                        select name={ "action_department." (row) } aria-label=(t("责任单位", "Owner")) {
                            option value="" { (t("（责任单位）", "(owner)")) }
                            @for (code, shown) in &units { option value=(code) { (shown) } }
                        }
                        input type="date" name={ "action_due." (row) } aria-label=(t("完成时限", "Due"));
                    }
                }
            }
            button type="submit" { (t("签发纪要", "Sign the minutes")) }
        }
    }
}
