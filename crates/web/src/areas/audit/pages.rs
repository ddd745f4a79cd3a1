//! The audit trail's page, filtered, with the chain's verification. Actions and subjects are
//! shown by name (a wave by its name, a unit by its name), their stored codes in tooltips.

use axum::extract::{Query, State};
use axum::response::Html;
use maud::{html, Markup};
use minxin_domain::access::Role;
use minxin_domain::audit::{AuditAction, AuditEntry};
use minxin_domain::decision::DecisionKind;
use minxin_domain::organisation::ProjectPart;
use minxin_domain::platform::Store;
use minxin_domain::platform::WaveStatus;
use minxin_domain::subject::Subject;
use minxin_domain::Configuration;
use minxin_report::Lang;

use super::api::{verified_trail, AuditFilter};
use super::recorded::recorded;
use crate::app::error::ApiError;
use crate::app::navigation::unit_name;
use crate::app::state::AppState;
use crate::ui::format::wave_status;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

/// Audit entries shown on the audit page, newest first.
pub(super) const AUDIT_PAGE_ENTRIES: usize = 500;

pub(super) async fn audit_page<S: Store>(
    State(state): State<AppState<S>>,
    Query(filter): Query<AuditFilter>,
) -> Result<Html<String>, ApiError> {
    let lang = crate::ui::i18n::lang_of(filter.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let (entries, verdict) = verified_trail(&state).await?;
    let anchor = entries.last().map_or_else(
        || format!("0:{}", "0".repeat(64)),
        |entry| entry.head().anchor(),
    );
    let shown: Vec<&AuditEntry> = entries
        .iter()
        .rev()
        .filter(|entry| filter.keeps(entry))
        .take(AUDIT_PAGE_ENTRIES)
        .collect();
    let chosen_action = filter.action.as_deref().unwrap_or("");
    let namer = |key: &str, value: &serde_json::Value| recorded_name(&state, key, value, lang);
    let body = html! {
        nav {
            a href={ "/" (lang_suffix(lang)) } { (t("首页", "Home")) }
            a href="/api/v1/audit.csv" { (t("导出 CSV（导出本身也记入日志）", "Export as CSV (the export is recorded)")) }
        }
        h1 { (t("审计日志", "Audit trail")) }
        @if verdict["intact"] == true {
            p { (t("哈希链完整，条目数：", "The hash chain is intact; entries: ")) (entries.len()) }
            p {
                (t(
                    "当前锚点（请另行记录，日后可用 minxin audit verify --anchor 核验）：",
                    "Current anchor (record it elsewhere; minxin audit verify --anchor checks it later): "
                ))
                code { (anchor) }
            }
        } @else {
            p.error role="alert" {
                (t("哈希链已损坏：", "The hash chain is broken: "))
                (verdict["problem"].as_str().unwrap_or(""))
            }
        }
        form method="get" action="/audit" {
            @if lang == Lang::En {
                input type="hidden" name="lang" value="en";
            }
            label {
                (t("操作人", "Who")) " "
                input type="text" name="actor" value=(filter.actor.as_deref().unwrap_or(""));
            }
            label {
                (t("操作", "Action")) " "
                select name="action" {
                    option value="" { (t("全部", "All")) }
                    @for action in AuditAction::ALL {
                        option value=(action.code()) selected[chosen_action == action.code()] {
                            (action_label(*action, lang))
                        }
                    }
                }
            }
            label {
                (t("对象", "Subject")) " "
                input type="text" name="subject" value=(filter.subject.as_deref().unwrap_or(""));
            }
            button type="submit" { (t("筛选", "Filter")) }
        }
        div.scroll {
            table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (t("时间（北京时间）", "When (Beijing time)")) }
                    th scope="col" { (t("操作人", "Who")) }
                    th scope="col" { (t("操作", "Action")) }
                    th scope="col" { (t("对象", "Subject")) }
                    th scope="col" { (t("变更前", "Before")) }
                    th scope="col" { (t("变更后", "After")) }
                } }
                tbody {
                    @for entry in &shown {
                        tr {
                            td.num { (entry.sequence) }
                            td { (crate::ui::format::minute(entry.change.at_ms, lang)) }
                            td { (entry.change.actor) }
                            td { (action_cell(&entry.change.action, lang)) }
                            td { (subject_cell(&state, &entry.change.subject, lang)) }
                            td { (recorded(entry.change.before.as_deref(), lang, &namer)) }
                            td { (recorded(entry.change.after.as_deref(), lang, &namer)) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(t("审计日志", "Audit trail"), lang, body))
}

/// An action's name in `lang`.
fn action_label(action: AuditAction, lang: Lang) -> &'static str {
    lang.pick(action.name_zh(), action.name_en())
}

/// An action as the audit page shows it: its name, the stored code as its tooltip (a code
/// this version does not know is shown as it is).
fn action_cell(code: &str, lang: Lang) -> Markup {
    match AuditAction::from_code(code) {
        Some(action) => html! { span title=(code) { (action_label(action, lang)) } },
        None => html! { (code) },
    }
}

/// A subject as the audit page shows it: what it is and its name where the platform knows
/// one, the stored subject as its tooltip.
fn subject_cell<S: Store>(state: &AppState<S>, text: &str, lang: Lang) -> Markup {
    html! { span title=(text) { (subject_text(state, text, lang)) } }
}

/// A recorded value by the name the platform knows it by: a subject, a decision's kind, a
/// wave's status, a role, a department's part, a project, a district; `None` for the rest.
fn recorded_name<S: Store>(
    state: &AppState<S>,
    key: &str,
    value: &serde_json::Value,
    lang: Lang,
) -> Option<String> {
    if key == "decided_at_ms" {
        return value.as_i64().map(|ms| crate::ui::format::minute(ms, lang));
    }
    let code = value.as_str()?;
    let pair = |(zh, en): (&str, &str)| lang.pick(zh, en).to_string();
    match key {
        "scope" if code.is_empty() => Some(lang.pick("全市", "the city").to_string()),
        "scope" => Some(unit_name(&state.organisation(), code, lang)),
        "subject" => Some(subject_text(state, code, lang)),
        "kind" => DecisionKind::from_code(code).map(|kind| {
            lang.pick(
                AuditAction::decided(kind).name_zh(),
                AuditAction::decided(kind).name_en(),
            )
            .to_string()
        }),
        "status" => WaveStatus::from_code(code).map(|s| wave_status(s, lang).to_string()),
        "role" | "roles" => code
            .parse::<Role>()
            .ok()
            .map(|role| lang.pick(role.name_zh(), role.name_en()).to_string()),
        "part" => ProjectPart::from_code(code).map(|part| pair(part.names())),
        "projects" => Some(project_name(state, code, lang)),
        "quotas" => Configuration::defaults()
            .districts
            .entries()
            .iter()
            .find(|d| d.code == code)
            .map(|d| lang.pick(&d.zh, &d.en).to_string()),
        _ => None,
    }
}

/// A project by its name in the newest wave that has it, else in the built-in catalogue.
fn project_name<S: Store>(state: &AppState<S>, code: &str, lang: Lang) -> String {
    let from = |catalogue: &minxin_domain::config::Catalogue| {
        catalogue
            .projects
            .iter()
            .find(|p| p.code == code)
            .map(|p| lang.pick(&p.zh, &p.en).to_string())
    };
    state
        .waves()
        .iter()
        .find_map(|wave| from(&wave.model.configuration.catalogue))
        .or_else(|| from(&Configuration::defaults().catalogue))
        .unwrap_or_else(|| code.to_string())
}

/// A subject in words.
fn subject_text<S: Store>(state: &AppState<S>, text: &str, lang: Lang) -> String {
    let Ok(subject) = text.parse::<Subject>() else {
        return text.to_string();
    };
    let unit_name = |code: &str| unit_name(&state.organisation(), code, lang);
    let project_name = |code: &str| project_name(state, code, lang);
    let named = match &subject {
        Subject::Wave(id) => match state.wave(*id) {
            Ok(wave) => format!("{}{}", lang.pick("评价：", "Wave: "), wave.name()),
            Err(_) => format!("{}{id}", lang.pick("评价 #", "Wave #")),
        },
        Subject::Account(name) => format!("{}{name}", lang.pick("账户：", "Account: ")),
        Subject::Unit(code) => format!("{}{}", lang.pick("单位：", "Unit: "), unit_name(code)),
        Subject::Project(code) => {
            format!("{}{}", lang.pick("工程：", "Project: "), project_name(code))
        }
        Subject::ProjectStage(code) => format!(
            "{}{}{}",
            lang.pick("工程：", "Project: "),
            project_name(code),
            lang.pick("的阶段", " (its stage)")
        ),
        Subject::Letter { project, year } => format!(
            "{}{}{}{year}{}",
            lang.pick("工程：", "Project: "),
            project_name(project),
            lang.pick("，", ", letter for "),
            lang.pick("年责任书", "")
        ),
        Subject::Report(id) => format!("{}{id}", lang.pick("进展报告 #", "Progress report #")),
        Subject::Notice(id) => format!("{}{id}", lang.pick("督办单 #", "Supervision notice #")),
        Subject::Meeting(id) => format!("{}{id}", lang.pick("联席会议 #", "Joint meeting #")),
        Subject::ProjectDepartment {
            project,
            department,
        } => format!(
            "{}{} · {}",
            lang.pick("工程：", "Project: "),
            project_name(project),
            unit_name(department)
        ),
        Subject::AuditTrail => lang.pick("审计日志", "The audit trail").to_string(),
    };
    named
}
