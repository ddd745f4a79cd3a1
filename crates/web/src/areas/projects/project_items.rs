//! The project page's commitments: every target part and milestone of the project's issued
//! and signed letters with its latest state and today's light, the newest letter first, read
//! from the items under supervision (one row each, no report read); and the progress curves
//! of the latest signed letter's targets, planned against achieved, in all and district by
//! district (from that letter's reports alone).

use maud::{html, Markup};
use minxin_domain::advancement::letter::trimmed;
use minxin_domain::advancement::lights::{Light, LightSettings};
use minxin_domain::advancement::meeting::item_page;
use minxin_domain::advancement::public_view::latest_signed;
use minxin_domain::advancement::supervision::{CommitmentState, ItemKind, ItemQuery};
use minxin_domain::calendar::WorkingDays;
use minxin_domain::platform::Store;

use super::progress::{through, today};
use super::public_pages::curve_figures;
use crate::app::error::ApiError;
use crate::app::page_context::PageContext;
use crate::app::state::AppState;

/// The section of project `code`'s commitments with their lights.
pub async fn items_section<S: Store>(
    state: &AppState<S>,
    code: &str,
    context: &PageContext,
) -> Result<Markup, ApiError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let query = ItemQuery {
        project: Some(code.to_string()),
        ..ItemQuery::default()
    };
    let mut items = state.store.commitment_states(&query).await?;
    // The newest letter first, each in its own order.
    items.sort_by_key(|item| std::cmp::Reverse(item.year));
    let calendar = WorkingDays::shipped();
    let settings = LightSettings::default();
    let today = today();
    let organisation = state.organisation().clone();
    let unit_name = |code: &str| {
        organisation.unit(code).map_or(code.to_string(), |u| {
            context.pick(&u.name_zh, &u.name_en).to_string()
        })
    };
    let progress = |item: &CommitmentState| match item.kind {
        ItemKind::Target => match (item.achieved, item.planned) {
            (Some(achieved), Some(planned)) => {
                format!(
                    "{} / {} {}",
                    trimmed(achieved),
                    trimmed(planned),
                    item.measure_zh
                )
            }
            (None, Some(planned)) => format!(
                "{} / {} {}",
                t("未报", "Missing"),
                trimmed(planned),
                item.measure_zh
            ),
            _ => String::new(),
        },
        ItemKind::Action => match item.milestone_status {
            Some(_) => t("已完成", "Done").to_string(),
            None => t("待完成", "To do").to_string(),
        },
        ItemKind::Milestone => item.milestone_status.map_or_else(
            || t("未报", "Missing").to_string(),
            |status| {
                let (zh, en) = status.names();
                context.pick(zh, en).to_string()
            },
        ),
    };
    let curves = curves_of(state, code, context).await?;
    Ok(html! {
        section #commitments {
            h2 { (t("责任书事项及灯色", "Commitments and their lights")) }
            @if items.is_empty() {
                p { (t("尚无下达的责任书。", "No letter has been issued yet.")) }
            } @else {
                div.scroll { table {
                    thead { tr {
                        th scope="col" { (t("年度", "Year")) }
                        th scope="col" { (t("事项", "Item")) }
                        th scope="col" { (t("责任单位", "Responsible")) }
                        th scope="col" { (t("时限", "Due")) }
                        th scope="col" { (t("进度", "Progress")) }
                        th scope="col" { (t("灯色", "Light")) }
                    } }
                    tbody { @for item in &items {
                        tr {
                            td { (item.year) }
                            th scope="row" { a href={ (item_page(item.kind.code(), &item.project, item.year, &item.item)) (context.suffix()) } { (context.pick(&item.title_zh, if item.title_en.is_empty() { &item.title_zh } else { &item.title_en })) } }
                            td { (unit_name(&item.owner)) }
                            td { (item.due) }
                            td { (progress(item)) }
                            td {
                                @if item.done() {
                                    (t("已完成", "Done"))
                                } @else {
                                    @match item.light(today, &calendar, settings) {
                                        Ok(Some(light)) => span class={ "light " (light_class(light)) } { (context.pick(light.names().0, light.names().1)) },
                                        Ok(None) => (t("正常推进", "On track")),
                                        Err(_) => (t("待定（该年放假安排尚未公布）", "Unknown (no holiday notice for that year yet)")),
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
            @if let Some((year, charts)) = curves {
                h3 { (year) (t("年度任务进度曲线", ": progress of the targets")) }
                p.hint { (t("虚线为按时序应完成的累计数，实线为各责任单位报送的累计完成数；有单位未报的月份不画点。", "Dashed: the cumulative quantity due pro rata; solid: the cumulative quantity reported; a month in which some unit has not reported is left blank.")) }
                @for figures in charts { (figures) }
            }
        }
    })
}

/// The progress curves of the targets of project `code`'s latest signed letter, through this
/// month (or December of a past year), in all and by district, with the letter's year.
async fn curves_of<S: Store>(
    state: &AppState<S>,
    code: &str,
    context: &PageContext,
) -> Result<Option<(i32, Vec<Markup>)>, ApiError> {
    let letters = state.store.letters(Some(code)).await?;
    let Some(letter) = latest_signed(&letters) else {
        return Ok(None);
    };
    if letter.commitments.targets.is_empty() {
        return Ok(None);
    }
    let reports = state.store.reports(code, letter.year).await?;
    let organisation = state.organisation();
    let charts = letter
        .commitments
        .targets
        .iter()
        .map(|target| {
            curve_figures(
                target,
                letter.year,
                &reports,
                through(letter),
                &organisation,
                context,
            )
        })
        .collect();
    Ok(Some((letter.year, charts)))
}

/// The style class of a light.
pub(super) fn light_class(light: Light) -> &'static str {
    match light {
        Light::Red => "red",
        Light::Yellow => "yellow",
        Light::Blue => "blue",
    }
}
