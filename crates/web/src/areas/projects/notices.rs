//! Supervision notices through the web: the office sends one on a red item of the board, the
//! responsible department (the item's owner, or the project's lead department) answers with
//! its reasons and recovery date, and the office closes it. The board page lists the notices
//! each visitor may see with the forms of their step; the API does the same.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use maud::{html, Markup};
use minxin_domain::advancement::lights::Light;
use minxin_domain::advancement::meeting::item_page;
use minxin_domain::advancement::notice::{answer_problems, Notice, NoticeItem, NoticeStatus};
use minxin_domain::platform::Store;
use serde::Deserialize;

use super::progress::today;
use super::stage::rights;
use super::supervision::{board, BoardFilter, Viewer};
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::format::minute;

/// Whether `visitor` answers for the item's owner: its own unit, or the project's lead
/// department.
fn answers_for<S: Store>(state: &AppState<S>, visitor: &Visitor, about: &NoticeItem) -> bool {
    rights(state, visitor, &about.project).lead || super::meetings::acts_for(visitor, &about.owner)
}

/// Sends a notice on `about`, as the office; only an item red on the board today.
pub async fn issue<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    about: &NoticeItem,
    instructions: &str,
) -> Result<Notice, ApiError> {
    if !rights(state, visitor, &about.project).decide {
        return Err(ApiError::forbidden(
            "督办单由市协调办发出。",
            "the coordination office sends supervision notices",
        ));
    }
    if instructions.trim().is_empty() {
        return Err(ApiError::invalid(
            "instructions",
            "请写明督办要求。",
            "a notice states what is required",
        ));
    }
    let filter = BoardFilter {
        project: Some(about.project.clone()),
        ..BoardFilter::default()
    };
    let red = board(state, visitor, &filter)
        .await?
        .into_iter()
        .any(|item| {
            item.year == about.year
                && item.kind == about.kind
                && item.id == about.item
                && item.owner == about.owner
                && item.light == Some(Light::Red)
        });
    if !red {
        return Err(ApiError::conflict(
            "只能对亮红灯（已逾期）的事项发督办单。",
            "a notice is sent on a red (overdue) item",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.issue_notice(about, instructions, &by).await?)
}

/// The notice `id`, or not found.
async fn notice<S: Store>(state: &AppState<S>, id: i64) -> Result<Notice, ApiError> {
    state
        .store
        .notices()
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or_else(|| {
            ApiError::not_found("没有这份督办单。", format!("no supervision notice {id}"))
        })
}

/// Answers notice `id`, as the responsible department.
pub async fn answer<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    reasons: &str,
    recovery_date: &str,
) -> Result<Notice, ApiError> {
    let found = notice(state, id).await?;
    if !answers_for(state, visitor, &found.about) {
        return Err(ApiError::forbidden(
            "督办单由责任单位或牵头部门答复。",
            "the responsible unit or the lead department answers a notice",
        ));
    }
    let problems = answer_problems(reasons, recovery_date, today());
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let by = visitor.require_attribution()?;
    Ok(state
        .store
        .answer_notice(id, reasons, recovery_date, &by)
        .await?)
}

/// Closes notice `id`, as the office.
pub async fn close<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    note: &str,
) -> Result<Notice, ApiError> {
    let found = notice(state, id).await?;
    if !rights(state, visitor, &found.about.project).decide {
        return Err(ApiError::forbidden(
            "督办单由市协调办办结。",
            "the coordination office closes notices",
        ));
    }
    let by = visitor.require_attribution()?;
    Ok(state.store.close_notice(id, note, &by).await?)
}

/// The notices `visitor` sees.
pub async fn visible<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
) -> Result<Vec<Notice>, ApiError> {
    let viewer = Viewer::of(state, visitor);
    Ok(state
        .store
        .notices()
        .await?
        .into_iter()
        .filter(|n| viewer.sees(&n.about.project, &n.about.owner))
        .collect())
}

/// The board page's list of notices, with the forms of each one's step.
pub fn notices_section<S: Store>(
    state: &AppState<S>,
    notices: &[Notice],
    unit_name: &dyn Fn(&str) -> String,
    context: &PageContext,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let csrf = context.visitor.csrf_token();
    let suffix = context.suffix();
    let register = state.register();
    html! {
        h2 #notices { (t("督办单", "Supervision notices")) }
        @if notices.is_empty() { p { (t("没有督办单。", "No notice.")) } }
        @for notice in notices.iter().rev() {
            article.card {
                strong { (t("督办单 #", "Notice #")) (notice.id) (t("：", ": ")) (context.pick(notice.status.names().0, notice.status.names().1)) }
                span {
                    (unit_name(&notice.about.owner)) (t("，", ", "))
                    (register.project(&notice.about.project).map_or(notice.about.project.as_str(), |p| context.pick(&p.name_zh, &p.name_en)))
                    " " a href={ (item_page(&notice.about.kind, &notice.about.project, notice.about.year, &notice.about.item)) (suffix) } { (notice.about.year) (t("年度 ", " ")) (notice.about.item) }
                }
                span { (t("要求：", "Required: ")) (notice.instructions) (t("（", " (")) (minute(notice.issued_at_ms, context.lang)) (t("）", ")")) }
                @if let Some(date) = &notice.recovery_date {
                    span { (t("答复：", "Answer: ")) (notice.reasons) (t("；整改完成日期：", "; recovery by ")) (date) }
                }
                @if notice.status == NoticeStatus::Closed { span { (t("办结意见：", "Closing note: ")) (notice.close_note) } }
                @if notice.status == NoticeStatus::Open && answers_for(state, &context.visitor, &notice.about) {
                    form.stacked.no-print method="post" action={ "/supervision/notices/" (notice.id) "/answer" (suffix) } {
                        input type="hidden" name="csrf" value=(csrf);
                        p { label for={ "reasons-" (notice.id) } { (t("原因", "Reasons")) }
                            textarea id={ "reasons-" (notice.id) } name="reasons" rows="2" required {} }
                        p { label for={ "recovery-" (notice.id) } { (t("整改完成日期", "Recovery date")) }
                            input type="date" id={ "recovery-" (notice.id) } name="recovery_date" required; }
                        button type="submit" { (t("答复", "Answer")) }
                    }
                }
                @if notice.status == NoticeStatus::Answered && rights(state, &context.visitor, &notice.about.project).decide {
                    form.stacked.no-print method="post" action={ "/supervision/notices/" (notice.id) "/close" (suffix) } {
                        input type="hidden" name="csrf" value=(csrf);
                        p { label for={ "note-" (notice.id) } { (t("办结意见", "Closing note")) }
                            input type="text" id={ "note-" (notice.id) } name="note"; }
                        button type="submit" { (t("办结", "Close")) }
                    }
                }
            }
        }
    }
}

/// The form fields of the notice forms.
#[derive(Debug, Deserialize, Default)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    recovery_date: String,
    #[serde(default)]
    note: String,
}

/// Back to the board's notices, or the error's page.
fn done(context: &PageContext, outcome: Result<Notice, ApiError>) -> Result<Response, PageError> {
    outcome.map_err(context.error())?;
    Ok(Redirect::to(&format!("/supervision{}#notices", context.suffix())).into_response())
}

pub(super) async fn issue_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let about = NoticeItem {
        project: form.project.clone(),
        year: form.year.trim().parse().unwrap_or(0),
        kind: form.kind.clone(),
        item: form.item.clone(),
        owner: form.owner.clone(),
    };
    let outcome = issue(&state, &context.visitor, &about, &form.instructions).await;
    done(&context, outcome)
}

pub(super) async fn answer_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = answer(
        &state,
        &context.visitor,
        id,
        &form.reasons,
        &form.recovery_date,
    )
    .await;
    done(&context, outcome)
}

pub(super) async fn close_form<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    context
        .visitor
        .check_form(&form.csrf)
        .map_err(context.error())?;
    let outcome = close(&state, &context.visitor, id, &form.note).await;
    done(&context, outcome)
}

pub(super) async fn notices_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Result<Json<Vec<Notice>>, ApiError> {
    Ok(Json(visible(&state, &visitor).await?))
}

/// The body of `POST /api/v1/notices`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNotice {
    /// The item.
    pub about: NoticeItem,
    /// What the office requires.
    pub instructions: String,
}

pub(super) async fn issue_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(body): Json<NewNotice>,
) -> Result<(StatusCode, Json<Notice>), ApiError> {
    let sent = issue(&state, &visitor, &body.about, &body.instructions).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// The body of `POST /api/v1/notices/{id}/answer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeAnswer {
    /// Why the item is late.
    pub reasons: String,
    /// When it will be done (ISO date).
    pub recovery_date: String,
}

pub(super) async fn answer_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(body): Json<NoticeAnswer>,
) -> Result<Json<Notice>, ApiError> {
    Ok(Json(
        answer(&state, &visitor, id, &body.reasons, &body.recovery_date).await?,
    ))
}

/// The body of `POST /api/v1/notices/{id}/close`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeClosing {
    /// The office's note.
    #[serde(default)]
    pub note: String,
}

pub(super) async fn close_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(body): Json<NoticeClosing>,
) -> Result<Json<Notice>, ApiError> {
    Ok(Json(close(&state, &visitor, id, &body.note).await?))
}
