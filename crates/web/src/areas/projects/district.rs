//! A district's commitments: every share of a target and every milestone it owns in the
//! city's signed and issued letters (and the joint meetings' action items it owns), with the latest figure it reported, so that a district
//! officer sees on one page what the district must deliver by when (JSON and a page). A
//! target the district delivers whole counts as its share of the whole quantity.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::Json;
use maud::html;
use minxin_domain::advancement::letter::{milestone_type_names, trimmed};
use minxin_domain::advancement::supervision::{ItemKind, ItemQuery};
use minxin_domain::platform::Store;
use minxin_domain::Configuration;
use serde::Serialize;

use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::state::AppState;
use crate::ui::layout::page;

/// A share of a target a district owns.
#[derive(Debug, Clone, Serialize)]
pub struct OwnedShare {
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// The target's code.
    pub target: String,
    /// The target's title, in Chinese.
    pub title_zh: String,
    /// Its unit of measure, in Chinese.
    pub measure_zh: String,
    /// The district's share.
    pub quantity: f64,
    /// When it is due.
    pub due: String,
    /// The latest cumulative figure the district reported (in a report that counts).
    pub achieved: Option<f64>,
}

/// A milestone a district owns.
#[derive(Debug, Clone, Serialize)]
pub struct OwnedMilestone {
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// The milestone's code.
    pub milestone: String,
    /// Its title, in Chinese.
    pub title_zh: String,
    /// Its OC4IDS type.
    pub kind: String,
    /// When it is due.
    pub due: String,
    /// The responsible person.
    pub person: String,
    /// An action item of a joint meeting rather than a milestone of a letter.
    pub from_meeting: bool,
}

/// Everything a district owns.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictCommitments {
    /// The district's code.
    pub district: String,
    /// Its shares of targets.
    pub shares: Vec<OwnedShare>,
    /// Its milestones.
    pub milestones: Vec<OwnedMilestone>,
}

/// What `district` owns in the letters issued or signed, read from the items' latest states.
pub async fn commitments<S: Store>(
    state: &AppState<S>,
    district: &str,
) -> Result<DistrictCommitments, ApiError> {
    let mut owned = DistrictCommitments {
        district: district.to_string(),
        shares: Vec::new(),
        milestones: Vec::new(),
    };
    let query = ItemQuery {
        owner: Some(district.to_string()),
        ..ItemQuery::default()
    };
    for item in state.store.commitment_states(&query).await? {
        match item.kind {
            ItemKind::Target => owned.shares.push(OwnedShare {
                project: item.project,
                year: item.year,
                target: item.item,
                title_zh: item.title_zh,
                measure_zh: item.measure_zh,
                quantity: item.planned.unwrap_or(0.0),
                due: item.due,
                achieved: item.achieved,
            }),
            ItemKind::Milestone | ItemKind::Action => owned.milestones.push(OwnedMilestone {
                from_meeting: item.kind == ItemKind::Action,
                project: item.project,
                year: item.year,
                milestone: item.item,
                title_zh: item.title_zh,
                kind: item.milestone_type,
                due: item.due,
                person: item.person,
            }),
        }
    }
    Ok(owned)
}

pub(super) async fn commitments_api<S: Store>(
    State(state): State<AppState<S>>,
    Path(district): Path<String>,
) -> Result<Json<DistrictCommitments>, ApiError> {
    Ok(Json(commitments(&state, &district).await?))
}

pub(super) async fn commitments_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Path(district): Path<String>,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let configuration = Configuration::defaults();
    let Some(named) = configuration
        .districts
        .entries()
        .iter()
        .find(|d| d.code == district)
    else {
        return Err(context.error()(ApiError::not_found(
            "没有这个区。",
            format!("no district {district:?}"),
        )));
    };
    let owned = commitments(&state, &district)
        .await
        .map_err(context.error())?;
    let register = state.register();
    let project_name = |code: &str| {
        register.project(code).map_or(code.to_string(), |p| {
            context.pick(&p.name_zh, &p.name_en).to_string()
        })
    };
    let suffix = context.suffix();
    let name = context.pick(&named.zh, &named.en);
    let title = format!("{name}{}", t("承担的任务", ": commitments"));
    let body = html! {
        nav.no-print { a href={ "/projects" (suffix) } { (t("项目库", "Projects")) } }
        h1 { (title) }
        p.lead { (t("本区在各项民心工程责任书中承担的分区任务和节点，以及本区最近一次报送的累计完成数。", "The district's shares of targets and its milestones in the projects' letters, with the latest figures it reported.")) }
        h2 { (t("分区任务", "Shares of targets")) }
        @if owned.shares.is_empty() { p { (t("没有分区任务。", "No share of any target.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("项目", "Project")) }
                    th scope="col" { (t("任务", "Target")) }
                    th scope="col" { (t("本区任务", "Share")) }
                    th scope="col" { (t("累计完成", "Achieved")) }
                    th scope="col" { (t("完成时限", "Due")) }
                } }
                tbody { @for share in &owned.shares {
                    tr {
                        th scope="row" { a href={ "/projects/" (share.project) "/letters/" (share.year) "/progress" (suffix) } { (project_name(&share.project)) } }
                        td { (share.title_zh) }
                        td { (trimmed(share.quantity)) " " (share.measure_zh) }
                        @match share.achieved {
                            Some(achieved) => td { (trimmed(achieved)) },
                            None => td.error { (t("未报", "Missing")) },
                        }
                        td { (share.due) }
                    }
                } }
            } }
        }
        h2 { (t("负责的节点", "Milestones")) }
        @if owned.milestones.is_empty() { p { (t("没有由本区负责的节点。", "No milestone is the district's.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("项目", "Project")) }
                    th scope="col" { (t("节点", "Milestone")) }
                    th scope="col" { (t("类型", "Type")) }
                    th scope="col" { (t("完成时限", "Due")) }
                    th scope="col" { (t("责任人", "Person")) }
                } }
                tbody { @for milestone in &owned.milestones {
                    tr {
                        th scope="row" { (project_name(&milestone.project)) }
                        td { (milestone.title_zh) }
                        @if milestone.from_meeting {
                            td { (t("联席会议督办事项", "Joint meeting's action item")) }
                        } @else {
                            td { (milestone_type_names(&milestone.kind).map_or(milestone.kind.clone(), |(zh, en)| context.pick(zh, en).to_string())) }
                        }
                        td { (milestone.due) }
                        td { (milestone.person) }
                    }
                } }
            } }
        }
    };
    Ok(page(&title, context.lang, body))
}
