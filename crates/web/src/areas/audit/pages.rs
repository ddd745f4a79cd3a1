//! The audit trail's page, filtered, with the chain's verification.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Query, State};
use axum::response::Html;
use minxin_domain::audit::AuditAction;
use minxin_domain::platform::Store;
use minxin_report::svg::escape;
use minxin_report::Lang;

use super::api::{verified_trail, AuditFilter};
use crate::app::error::ApiError;
use crate::app::state::AppState;
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
    let mut body = format!(
        "<nav><a href=\"/\">{home}</a><a href=\"/api/v1/audit.csv\">{export}</a></nav><h1>{title}</h1>",
        home = t("首页", "Home"),
        export = t("导出 CSV(将记入日志)", "Export as CSV (recorded)"),
        title = t("审计日志", "Audit trail"),
    );
    let _ = if verdict["intact"] == true {
        write!(
            body,
            "<p>{} {}</p><p>{} <code>{}</code></p>",
            t("哈希链完整,条目数:", "The hash chain is intact; entries:"),
            entries.len(),
            t(
                "当前锚点(请另行记录,日后可用 minxin audit verify --anchor 核验):",
                "Current anchor (record it elsewhere; minxin audit verify --anchor checks it later):"
            ),
            entries.last().map_or_else(|| "0:".to_string() + &"0".repeat(64), |e| e.head().anchor())
        )
    } else {
        write!(
            body,
            "<p class=\"error\" role=\"alert\">{} {}</p>",
            t("哈希链已损坏:", "The hash chain is broken:"),
            escape(verdict["problem"].as_str().unwrap_or(""))
        )
    };
    let field = |name: &str, label: &str, value: &Option<String>| {
        format!(
            "<label>{label} <input type=\"text\" name=\"{name}\" value=\"{}\"></label> ",
            escape(value.as_deref().unwrap_or(""))
        )
    };
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/audit\">{}{}{}{}<button type=\"submit\">{}</button></form>",
        if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        },
        field("actor", t("操作人", "Who"), &filter.actor),
        field("action", t("操作", "Action"), &filter.action),
        field("subject", t("对象", "Subject"), &filter.subject),
        t("筛选", "Filter"),
    );
    let _ = write!(
        body,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("时间", "When"),
        t("操作人", "Who"),
        t("操作", "Action"),
        t("对象", "Subject"),
        t("变更前", "Before"),
        t("变更后", "After"),
    );
    for entry in entries
        .iter()
        .rev()
        .filter(|e| filter.keeps(e))
        .take(AUDIT_PAGE_ENTRIES)
    {
        let _ = write!(
            body,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            entry.sequence,
            crate::ui::format::minute(entry.change.at_ms, lang),
            escape(&entry.change.actor),
            action_name(&entry.change.action, lang),
            escape(&entry.change.subject),
            escape(entry.change.before.as_deref().unwrap_or("")),
            escape(entry.change.after.as_deref().unwrap_or("")),
        );
    }
    body.push_str("</tbody></table></div>");
    Ok(page(t("审计日志", "Audit trail"), lang, PreEscaped(body)))
}

/// An action as the audit page shows it: its name in the page's language, the stored code
/// as its tooltip (a code this version does not know is shown as it is).
fn action_name(code: &str, lang: Lang) -> String {
    match AuditAction::from_code(code) {
        Some(action) => format!(
            "<span title=\"{}\">{}</span>",
            escape(code),
            match lang {
                Lang::Zh => action.name_zh(),
                Lang::En => action.name_en(),
            }
        ),
        None => escape(code),
    }
}
