//! The supervision board (督查督办): every open target part and milestone of the signed
//! letters with its light today, worst first, filtered by department, district, project and
//! light. The office, evaluators and auditors see the whole city; a department sees its
//! projects; a district's officer sees what the district owns.
//!
//! Today's lights are computed from each item's latest state, which storage keeps up to date
//! as reports arrive; no report is read to draw the board. For the city and for a department
//! the store lights, counts and pages the items itself, so a page reads a hundred rows.

use axum::extract::{Query, State};
use axum::response::Html;
use axum::Json;
use maud::html;
use minxin_domain::access::{Action, Grade, Role};
use minxin_domain::advancement::letter::trimmed;
use minxin_domain::advancement::lights::{Light, LightSettings};
use minxin_domain::advancement::meeting::item_page;
use minxin_domain::advancement::supervision::{
    BoardQuery, CommitmentState, ItemQuery, LightClock, LightCounts,
};
use minxin_domain::calendar::WorkingDays;
use minxin_domain::organisation::{allows, Assignment, Organisation, ProjectPart, Scope, Target};
use minxin_domain::platform::Store;
use serde::{Deserialize, Serialize};

use super::progress::today;
use crate::app::error::{ApiError, PageError};
use crate::app::page_context::PageContext;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::html::url_encode;
use crate::ui::layout::page;

/// One open item of the board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardItem {
    /// The project.
    pub project: String,
    /// The letter's year.
    pub year: i32,
    /// `target` or `milestone`.
    pub kind: &'static str,
    /// Its code in the letter.
    pub id: String,
    /// Its title, in Chinese.
    pub title_zh: String,
    /// The unit that owns it (a district for a share).
    pub owner: String,
    /// The project's lead department.
    pub lead: String,
    /// When it is due.
    pub due: String,
    /// What is planned (targets).
    pub planned: Option<f64>,
    /// What is achieved so far (targets; `None` when not reported).
    pub achieved: Option<f64>,
    /// Its light today; `None` when on track.
    pub light: Option<Light>,
    /// The light cannot be worked out: the deadline lies in a year without a holiday notice.
    pub calendar_unknown: bool,
}

/// The board's filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoardFilter {
    /// The lead department's code.
    #[serde(default)]
    pub department: Option<String>,
    /// The owning district's code.
    #[serde(default)]
    pub district: Option<String>,
    /// The project's code.
    #[serde(default)]
    pub project: Option<String>,
    /// `red`, `yellow`, `blue` or `none` (on track).
    #[serde(default)]
    pub light: Option<String>,
    /// The page's language.
    #[serde(default)]
    pub lang: Option<String>,
    /// Which page of the board's table to show (from 1; the API returns every item).
    #[serde(default)]
    pub page: Option<usize>,
}

/// Rows of the board's table on one page.
pub const BOARD_PAGE_ROWS: usize = 100;

impl BoardFilter {
    /// The board's address with these filters on page `page`.
    fn page_link(&self, page: usize) -> String {
        self.link("/supervision", vec![format!("page={page}")])
    }

    /// The board's file (`xlsx` or `csv`) with these filters.
    fn file_link(&self, extension: &str) -> String {
        self.link(&format!("/supervision.{extension}"), Vec::new())
    }

    /// `path` with these filters and `pairs` as its query.
    fn link(&self, path: &str, mut pairs: Vec<String>) -> String {
        for (name, value) in [
            ("project", &self.project),
            ("department", &self.department),
            ("district", &self.district),
            ("light", &self.light),
            ("lang", &self.lang),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push(format!("{name}={}", url_encode(value)));
            }
        }
        if pairs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    }
}

/// What part of the board a visitor sees, worked out once per request: the whole city for
/// city roles, a department its projects, a district's officer what the district owns.
pub struct Viewer {
    /// The organisation as the request found it.
    organisation: Organisation,
    /// The visitor's roles.
    assignments: Vec<Assignment>,
    /// The visitor reads the whole city's internal information.
    city: bool,
}

impl Viewer {
    /// The part `visitor` sees.
    pub fn of<S: Store>(state: &AppState<S>, visitor: &Visitor) -> Viewer {
        let organisation = state.organisation().clone();
        let city = allows(
            &organisation,
            visitor.assignments(),
            Action::Read,
            Grade::Internal,
            &Target::City,
        );
        Viewer {
            organisation,
            assignments: visitor.assignments().to_vec(),
            city,
        }
    }

    /// The one department, and its part, whose projects are all the visitor sees, if that is
    /// so (the store then reads those projects' items alone): every role held is the same
    /// department role for the same department.
    pub fn only_department(&self) -> Option<(String, ProjectPart)> {
        if self.city {
            return None;
        }
        let mut held = self.assignments.iter().map(|a| match (&a.role, &a.scope) {
            (Role::LeadDepartment, Scope::Unit(unit)) => Some((unit.clone(), ProjectPart::Lead)),
            (Role::ParticipatingDepartment, Scope::Unit(unit)) => {
                Some((unit.clone(), ProjectPart::Participating))
            }
            _ => None,
        });
        let first = held.next().flatten()?;
        held.all(|other| other.as_ref() == Some(&first))
            .then_some(first)
    }

    /// Whether the visitor sees an item of `project` owned by `owner`.
    pub fn sees(&self, project: &str, owner: &str) -> bool {
        self.city
            || self.assignments.iter().any(|a| match (&a.role, &a.scope) {
                (Role::LeadDepartment | Role::ParticipatingDepartment, Scope::Unit(_)) => self
                    .organisation
                    .covers(a, &Target::Delivery(project.to_string())),
                (Role::DistrictOfficer, Scope::Unit(unit)) => {
                    self.organisation.lies_in(unit, owner)
                }
                _ => false,
            })
    }
}

/// The part of the board shown: how many matching items show each light, and one page of
/// them, worst first.
pub struct BoardView {
    /// The lights of every matching item.
    pub counts: LightCounts,
    /// The page's items.
    pub items: Vec<BoardItem>,
}

/// The light `filter` asks for: `None` for any, `Some(None)` for on track; `Err` for a code
/// that is no light (nothing matches it).
fn wanted_light(filter: &BoardFilter) -> Result<Option<Option<Light>>, ()> {
    match filter.light.as_deref().unwrap_or("") {
        "" => Ok(None),
        "red" => Ok(Some(Some(Light::Red))),
        "yellow" => Ok(Some(Some(Light::Yellow))),
        "blue" => Ok(Some(Some(Light::Blue))),
        "none" => Ok(Some(None)),
        _ => Err(()),
    }
}

/// The open items of the signed letters `visitor` sees with today's light, worst first, then
/// by due date and project: `limit` of them from `offset` on, with the counts of all. The
/// store lights and pages them for the whole city and for one department's projects; for
/// other visitors (a district's officer, several roles) and on days whose blue window reaches
/// a year without a holiday notice, the items are lit here, one row per item all the same.
pub async fn board_view<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    filter: &BoardFilter,
    offset: usize,
    limit: usize,
) -> Result<BoardView, ApiError> {
    let calendar = WorkingDays::shipped();
    let settings = LightSettings::default();
    let today = today();
    let chosen = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let Ok(light) = wanted_light(filter) else {
        return Ok(BoardView {
            counts: LightCounts::default(),
            items: Vec::new(),
        });
    };
    let department = chosen(&filter.department);
    let viewer = Viewer::of(state, visitor);
    let only = viewer.only_department();
    let items = ItemQuery {
        project: chosen(&filter.project),
        owner: chosen(&filter.district),
        signed_only: true,
        open_only: true,
        department: only
            .as_ref()
            .map(|(unit, _)| unit.clone())
            .or_else(|| department.clone()),
        department_part: only.as_ref().map(|(_, part)| *part),
    };
    let clock = LightClock::new(today, &calendar, settings);
    if let (Ok(clock), true) = (clock, viewer.city || only.is_some()) {
        let slice = state
            .store
            .board_slice(&BoardQuery {
                items,
                lead: department,
                light,
                clock,
                offset,
                limit,
            })
            .await?;
        return Ok(BoardView {
            counts: slice.counts,
            items: slice
                .items
                .into_iter()
                .map(|(item, light)| board_item(item, Ok(light)))
                .collect(),
        });
    }
    let mut lit = Vec::new();
    let mut counts = LightCounts::default();
    for item in state.store.commitment_states(&items).await? {
        if department.as_ref().is_some_and(|d| &item.lead != d)
            || !viewer.sees(&item.project, &item.owner)
        {
            continue;
        }
        let found = item.light(today, &calendar, settings);
        let shown = found.as_ref().ok().copied().flatten();
        if light.is_some_and(|wanted| wanted != shown) {
            continue;
        }
        counts.add(shown);
        lit.push(board_item(item, found.map_err(|_| ())));
    }
    lit.sort_by(|a, b| {
        b.light
            .cmp(&a.light)
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.project.cmp(&b.project))
    });
    Ok(BoardView {
        counts,
        items: lit.into_iter().skip(offset).take(limit).collect(),
    })
}

/// Every open item `visitor` sees, worst first (the API's board).
pub async fn board<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    filter: &BoardFilter,
) -> Result<Vec<BoardItem>, ApiError> {
    Ok(board_view(state, visitor, filter, 0, usize::MAX)
        .await?
        .items)
}

/// An item as the board shows it, with its light (`Err`: the calendar cannot tell).
fn board_item(item: CommitmentState, light: Result<Option<Light>, ()>) -> BoardItem {
    BoardItem {
        kind: item.kind.code(),
        planned: item.planned,
        achieved: item.achieved,
        calendar_unknown: light.is_err(),
        light: light.ok().flatten(),
        project: item.project,
        year: item.year,
        id: item.item,
        title_zh: item.title_zh,
        owner: item.owner,
        lead: item.lead,
        due: item.due,
    }
}

pub(super) async fn board_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(filter): Query<BoardFilter>,
) -> Result<Json<Vec<BoardItem>>, ApiError> {
    Ok(Json(board(&state, &visitor, &filter).await?))
}

pub(super) async fn board_page<S: Store>(
    State(state): State<AppState<S>>,
    context: PageContext,
    Query(filter): Query<BoardFilter>,
) -> Result<Html<String>, PageError> {
    let t = |zh: &'static str, en: &'static str| context.pick(zh, en);
    let requested = filter.page.unwrap_or(1).max(1);
    let mut view = board_view(
        &state,
        &context.visitor,
        &filter,
        (requested - 1) * BOARD_PAGE_ROWS,
        BOARD_PAGE_ROWS,
    )
    .await
    .map_err(context.error())?;
    let matching = view.counts.total();
    let pages = matching.div_ceil(BOARD_PAGE_ROWS).max(1);
    let on_page = requested.min(pages);
    if on_page < requested {
        view = board_view(
            &state,
            &context.visitor,
            &filter,
            (on_page - 1) * BOARD_PAGE_ROWS,
            BOARD_PAGE_ROWS,
        )
        .await
        .map_err(context.error())?;
    }
    let register = state.register();
    let organisation = state.organisation().clone();
    let unit_name = |code: &str| {
        organisation.unit(code).map_or(code.to_string(), |u| {
            context.pick(&u.name_zh, &u.name_en).to_string()
        })
    };
    let project_name = |code: &str| {
        register.project(code).map_or(code.to_string(), |p| {
            context.pick(&p.name_zh, &p.name_en).to_string()
        })
    };
    let notices = super::notices::visible(&state, &context.visitor)
        .await
        .map_err(context.error())?;
    let may_send =
        crate::app::guard::city_allows(&state, &context.visitor, Action::Publish, Grade::Internal);
    let noticed = |item: &BoardItem| {
        notices.iter().any(|n| {
            n.status != minxin_domain::advancement::notice::NoticeStatus::Closed
                && n.about.project == item.project
                && n.about.year == item.year
                && n.about.kind == item.kind
                && n.about.item == item.id
                && n.about.owner == item.owner
        })
    };
    let chosen = |value: &Option<String>, code: &str| value.as_deref() == Some(code);
    let shown = &view.items;
    let body = html! {
        nav.no-print { a href={ "/" (context.suffix()) } { (t("首页", "Home")) } a href={ "/projects" (context.suffix()) } { (t("项目库", "Projects")) } a href={ "/meetings" (context.suffix()) } { (t("联席会议", "Joint meetings")) } }
        h1 { (t("督查督办", "Supervision board")) }
        p.hint { (t("红灯：已逾期；黄灯：低于按时间进度应完成的量，或报告被退回；蓝灯：5个工作日内到期（按国务院放假安排计算）。", "Red: overdue; yellow: below the share due by today, or a report returned; blue: due within 5 working days (under the State Council's holiday notices).")) }
        div.cards {
            div.card { span.label { (pair_name(Light::Red, &context)) } strong { (view.counts.red) } }
            div.card { span.label { (pair_name(Light::Yellow, &context)) } strong { (view.counts.yellow) } }
            div.card { span.label { (pair_name(Light::Blue, &context)) } strong { (view.counts.blue) } }
        }
        form.stacked.no-print method="get" action="/supervision" {
            @if context.lang == minxin_report::Lang::En { input type="hidden" name="lang" value="en"; }
            p { label for="project" { (t("项目", "Project")) }
                select id="project" name="project" {
                    option value="" { (t("全部", "All")) }
                    @for p in &register.projects { option value=(p.code) selected[chosen(&filter.project, &p.code)] { (context.pick(&p.name_zh, &p.name_en)) } }
                } }
            p { label for="department" { (t("牵头部门", "Lead department")) }
                select id="department" name="department" {
                    option value="" { (t("全部", "All")) }
                    @for d in &register.departments { option value=(d.code) selected[chosen(&filter.department, &d.code)] { (context.pick(&d.zh, &d.en)) } }
                } }
            p { label for="district" { (t("区", "District")) }
                select id="district" name="district" {
                    option value="" { (t("全部", "All")) }
                    @for d in minxin_domain::Configuration::defaults().districts.entries() { option value=(d.code) selected[chosen(&filter.district, &d.code)] { (context.pick(&d.zh, &d.en)) } }
                } }
            p { label for="light" { (t("灯色", "Light")) }
                select id="light" name="light" {
                    option value="" { (t("全部", "All")) }
                    @for (code, zh, en) in [("red", "红灯", "Red"), ("yellow", "黄灯", "Yellow"), ("blue", "蓝灯", "Blue"), ("none", "正常推进", "On track")] {
                        option value=(code) selected[chosen(&filter.light, code)] { (context.pick(zh, en)) }
                    }
                } }
            button type="submit" { (t("筛选", "Filter")) }
        }
        p.no-print { (t("下载：", "Download: ")) a href=(filter.file_link("xlsx")) { "XLSX" } " · " a href=(filter.file_link("csv")) { "CSV" } }
        @if shown.is_empty() { p { (t("没有符合条件的事项。", "No item matches.")) } } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t("事项", "Item")) }
                    th scope="col" { (t("灯色", "Light")) }
                    th scope="col" { (t("项目", "Project")) }
                    th scope="col" { (t("责任单位", "Responsible")) }
                    th scope="col" { (t("时限", "Due")) }
                    th scope="col" { (t("进度", "Progress")) }
                } }
                tbody { @for item in shown {
                    tr {
                        th scope="row" { a href={ (item_page(item.kind, &item.project, item.year, &item.id)) (context.suffix()) } { (item.title_zh) } }
                        td {
                            @match item.light {
                                Some(light) => span class={ "light " (match light { Light::Red => "red", Light::Yellow => "yellow", Light::Blue => "blue" }) } { (pair_name(light, &context)) },
                                None if item.calendar_unknown => (t("待定（该年放假安排尚未公布）", "Unknown (no holiday notice for that year yet)")),
                                None => (t("正常推进", "On track")),
                            }
                        }
                        td { (project_name(&item.project)) }
                        td { (unit_name(&item.owner)) }
                        td { (item.due) }
                        td {
                            @match (item.planned, item.achieved) {
                                (Some(planned), Some(achieved)) => { (trimmed(achieved)) " / " (trimmed(planned)) }
                                (Some(planned), None) => { (t("未报", "Missing")) " / " (trimmed(planned)) }
                                _ => "—",
                            }
                            @if item.light == Some(Light::Red) && may_send && !noticed(item) {
                                form.stacked.no-print method="post" action={ "/supervision/notices" (context.suffix()) } {
                                    input type="hidden" name="csrf" value=(context.visitor.csrf_token());
                                    input type="hidden" name="project" value=(item.project);
                                    input type="hidden" name="year" value=(item.year);
                                    input type="hidden" name="kind" value=(item.kind);
                                    input type="hidden" name="item" value=(item.id);
                                    input type="hidden" name="owner" value=(item.owner);
                                    p { label for={ "instructions-" (item.project) "-" (item.id) "-" (item.owner) } { (t("督办要求", "What is required")) }
                                        input type="text" id={ "instructions-" (item.project) "-" (item.id) "-" (item.owner) } name="instructions" required; }
                                    button.secondary type="submit" { (t("发督办单", "Send a notice")) }
                                }
                            }
                        }
                    }
                } }
            } }
        }
        @if pages > 1 {
            nav.pages.no-print aria-label=(t("分页", "Pages")) {
                p { (context.pick(&format!("共{matching}项，第{on_page}页，共{pages}页。"), &format!("{matching} items; page {on_page} of {pages}."))) }
                @if on_page > 1 { a href=(filter.page_link(on_page - 1)) { (t("上一页", "Previous")) } " " }
                @if on_page < pages { a href=(filter.page_link(on_page + 1)) { (t("下一页", "Next")) } }
            }
        }
        (super::notices::notices_section(&state, &notices, &unit_name, &context))
    };
    Ok(page(t("督查督办", "Supervision board"), context.lang, body))
}

/// A light's short name.
fn pair_name(light: Light, context: &PageContext) -> String {
    match light {
        Light::Red => context.pick("红灯", "Red"),
        Light::Yellow => context.pick("黄灯", "Yellow"),
        Light::Blue => context.pick("蓝灯", "Blue"),
    }
    .to_string()
}
