//! The home page: every wave the visitor may read, with links to its results and survey.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Query, State};
use axum::response::Html;
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::Lang;

use crate::app::guard::{may_read, GradeOf};
use crate::app::live::LiveWave;
use crate::app::navigation::account_links;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::format::wave_status;
use crate::ui::html::escape;
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

pub(super) async fn home<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(query): Query<LangQuery>,
) -> Html<String> {
    let lang = lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut body = format!(
        "<nav>{}{}</nav><h1>{}</h1><p>{}</p>",
        language_switch("/", lang).into_string(),
        account_links(&state, &visitor, lang).into_string(),
        t("民心工程评价平台", "Minxin evaluation platform"),
        t("市民对民心工程的评价:认可度、满意度与四象限分析,按波次跟踪。", "Citizens rate the city's livelihood projects: recognition, satisfaction and quadrants, wave after wave.")
    );
    let _ = write!(
        body,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("波次", "Wave"),
        t("状态", "Status"),
        t("答卷", "Responses"),
        t("链接", "Links")
    );
    // Each visitor sees the waves they may read: the public, open and published ones.
    for wave in state.waves() {
        if !may_read(
            &state,
            &visitor,
            GradeOf::WaveRecord,
            wave.id(),
            &Target::City,
        ) {
            continue;
        }
        let record = wave.record();
        let responses = wave.with_live(|live| live.responses);
        let suffix = lang_suffix(lang);
        let published = state.is_published(record.id);
        let dashboard = if may_read(
            &state,
            &visitor,
            GradeOf::WaveResults,
            record.id,
            &Target::City,
        ) {
            format!(
                "<a class=\"dashboard\" href=\"/waves/{}{suffix}\">{}</a>",
                record.id,
                if published {
                    t("结果看板", "Dashboard")
                } else {
                    t("结果看板(未发布)", "Dashboard (unpublished)")
                }
            )
        } else {
            t("结果尚未发布", "Results not yet published").to_string()
        };
        let survey = if record.status == WaveStatus::Open {
            format!(
                " · <a href=\"/waves/{}/survey{suffix}\">{}</a>",
                record.id,
                t("填写问卷", "Answer the survey")
            )
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{name}</th><td>{status}{published}</td><td class=\"num\">{responses}</td><td>{dashboard}{survey}{own}</td></tr>",
            own = own_links(&state, &visitor, &wave, lang),
            name = escape(&record.name),
            status = wave_status(record.status, lang),
            published = if published { t(" · 已发布", " · published") } else { "" },
        );
    }
    body.push_str("</tbody></table></div>");
    // The audit trail's anchor, for anyone to record (see `/api/v1/audit/head`).
    if let Ok(Some(head)) = state.store.audit_head().await {
        let _ = write!(
            body,
            "<p class=\"muted\"><small>{} <code>{}</code></small></p>",
            t("审计日志锚点:", "Audit trail anchor:"),
            head.anchor()
        );
    }
    page(
        t("民心工程评价平台", "Minxin evaluation platform"),
        lang,
        PreEscaped(body),
    )
}

/// Links for a signed-in department or district officer to the pages of their own projects or
/// district in wave `id` (they cannot reach them from a dashboard before publication).
pub(super) fn own_links<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave: &LiveWave,
    lang: Lang,
) -> String {
    use minxin_domain::access::Role;
    use minxin_domain::organisation::{ProjectPart, Scope};
    if visitor.assignments().is_empty() {
        return String::new();
    }
    let organisation = state.organisation();
    let catalogue = &wave.model.configuration.catalogue;
    let districts = &wave.model.configuration.districts;
    let mut links = Vec::new();
    for assignment in visitor.assignments() {
        let Scope::Unit(unit) = &assignment.scope else {
            continue;
        };
        let wanted = match assignment.role {
            Role::LeadDepartment => Some(ProjectPart::Lead),
            Role::ParticipatingDepartment => Some(ProjectPart::Participating),
            _ => None,
        };
        if let Some(part) = wanted {
            for (code, _) in organisation
                .projects_of(unit)
                .into_iter()
                .filter(|(_, p)| *p == part)
            {
                let Some(project) = catalogue.projects.iter().find(|p| p.code == code) else {
                    continue;
                };
                links.push(format!(
                    "<a href=\"/waves/{}/projects/{}{}\">{}</a>",
                    wave.id(),
                    escape(&code),
                    lang_suffix(lang),
                    escape(lang.pick(&project.zh, &project.en))
                ));
            }
        }
        if assignment.role == Role::DistrictOfficer {
            let district = organisation
                .unit(unit)
                .and_then(|u| u.parent.clone())
                .unwrap_or_else(|| unit.clone());
            if let Some(entry) = districts.entries().iter().find(|d| d.code == district) {
                links.push(format!(
                    "<a href=\"/waves/{}/districts/{}{}\">{}</a>",
                    wave.id(),
                    escape(&district),
                    lang_suffix(lang),
                    escape(lang.pick(&entry.zh, &entry.en))
                ));
            }
        }
    }
    if links.is_empty() {
        String::new()
    } else {
        format!(" · {}", links.join(" · "))
    }
}
