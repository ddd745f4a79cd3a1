//! The follow-up lists of a joint meeting: for each department, what it must do by when, one
//! printed page each (or one department's alone, `?unit=`), so the office can send every unit
//! its own list after the meeting.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use maud::html;
use minxin_domain::platform::Store;
use serde::Deserialize;

use super::meeting_pages::Names;
use super::meetings;
use crate::app::error::PageError;
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::format::minute;
use crate::ui::layout::page;

/// Which department's list to show.
#[derive(Debug, Deserialize, Default)]
pub struct FollowUpQuery {
    /// One department's code; every department's list when absent.
    #[serde(default)]
    pub unit: Option<String>,
}

pub(super) async fn follow_up_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<FollowUpQuery>,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let meeting = meetings::find(&state, id).await.map_err(context.error())?;
    let names = Names::of(&state, &context);
    let lists = meeting.follow_up();
    let shown: Vec<_> = lists
        .iter()
        .filter(|(unit, _)| query.unit.as_deref().is_none_or(|wanted| wanted == **unit))
        .collect();
    let printed = minute(crate::app::clock::now_ms(), context.lang);
    let title = format!(
        "{}{}",
        meeting.call.title,
        t("：督办事项清单", ": follow-up lists")
    );
    let body = html! {
        nav.no-print { a href={ "/meetings/" (meeting.id) (context.suffix()) } { (meeting.call.title) } }
        @if shown.is_empty() { h1 { (title) } p { (t("没有督办事项。", "No action item.")) } }
        @for (unit, items) in &shown {
            section.sheet {
                h1 { (names.unit(unit)) (t("督办事项清单", ": follow-up list")) }
                p { (meeting.call.title) (t("（", " (")) (meeting.call.held_on) (t("）", ")")) }
                table {
                    thead { tr {
                        th scope="col" { (t("编号", "No.")) }
                        th scope="col" { (t("事项", "Action")) }
                        th scope="col" { (t("项目", "Project")) }
                        th scope="col" { (t("完成时限", "Due")) }
                        th scope="col" { (t("状态", "Status")) }
                    } }
                    tbody { @for action in items.iter() {
                        tr {
                            td { (action.code) }
                            th scope="row" { (action.action.title) }
                            td { (names.project(&action.action.project)) }
                            td { (action.action.due) }
                            td { @if action.completed.is_some() { (t("已完成", "Done")) } @else { (t("待完成", "To do")) } }
                        }
                    } }
                }
                p.hint { (t("请在完成时限前在平台上报告完成情况；逾期事项亮红灯，列入督办。", "Report each item done on the platform by its due date; an overdue item turns red and is supervised.")) }
                p.hint { (t("打印时间：", "Printed: ")) (printed) }
            }
        }
    };
    Ok(page(&title, context.lang, body))
}
