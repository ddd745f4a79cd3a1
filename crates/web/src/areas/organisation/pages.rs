//! The organisation page and its role form.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minxin_domain::access::Role;
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use minxin_report::svg::escape;
use serde::Deserialize;

use super::api::{change_role, RoleChange};
use crate::app::error::ApiError;
use crate::app::guard::city_allows;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::layout::page;

pub(super) async fn organisation_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(query): Query<crate::ui::i18n::LangQuery>,
) -> Result<Html<String>, ApiError> {
    let lang = crate::ui::i18n::lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let organisation = state.store.organisation().await?;
    let assignments = state.store.assignments().await?;
    let mut body = format!(
        "<nav><a href=\"/\">{}</a></nav><h1>{}</h1><h2>{}</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("首页", "Home"),
        t("组织与账户", "Organisation and accounts"),
        t("单位", "Units"),
        t("代码", "Code"),
        t("类型", "Kind"),
        t("名称", "Name"),
        t("工程 / 上级", "Projects / parent"),
    );
    for unit in &organisation.units {
        let projects: Vec<String> = organisation
            .projects_of(&unit.code)
            .into_iter()
            .map(|(project, part)| format!("{project} ({})", part.code()))
            .collect();
        let related = unit.parent.clone().unwrap_or_else(|| projects.join(", "));
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&unit.code),
            unit.kind.code(),
            escape(lang.pick(&unit.name_zh, &unit.name_en)),
            escape(&related)
        );
    }
    let _ = write!(
        body,
        "</tbody></table></div><h2>{}</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("账户与角色", "Accounts and roles"),
        t("账户", "Account"),
        t("角色", "Role"),
        t("范围", "Scope"),
    );
    for (account, assignment) in &assignments {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(account),
            assignment.role,
            escape(&assignment.scope.to_string())
        );
    }
    body.push_str("</tbody></table></div>");
    let may_change = city_allows(&state, &visitor, Action::Change, Grade::Internal);
    if may_change {
        let _ = write!(
            body,
            "<h2>{title}</h2><form method=\"post\" action=\"/organisation/roles\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <p><label for=\"account\">{account}</label> <input type=\"text\" id=\"account\" name=\"account\" required></p>\
             <p><label for=\"role\">{role}</label> <select id=\"role\" name=\"role\">{roles}</select></p>\
             <p><label for=\"scope\">{scope}</label> <input type=\"text\" id=\"scope\" name=\"scope\"></p>\
             <p><label><input type=\"radio\" name=\"action\" value=\"grant\" checked> {grant}</label>\
             <label><input type=\"radio\" name=\"action\" value=\"revoke\"> {revoke}</label></p>\
             <button type=\"submit\">{go}</button></form><p>{note}</p>",
            title = t("授予或收回角色", "Give or take back a role"),
            csrf = visitor.csrf_token(),
            account = t("账户", "Account"),
            role = t("角色", "Role"),
            roles = Role::ALL
                .iter()
                .filter(|r| !matches!(r, Role::Public | Role::Respondent))
                .map(|r| format!("<option value=\"{r}\">{r}</option>"))
                .collect::<String>(),
            scope = t("范围(单位代码;全市留空)", "Scope (a unit's code; empty for the city)"),
            grant = t("授予", "Give"),
            revoke = t("收回", "Take back"),
            go = t("提交", "Submit"),
            note = t(
                "每次变更都记入审计日志。任何人不能更改自己的角色。",
                "Every change is recorded in the audit trail. Nobody changes their own roles."
            ),
        );
    }
    Ok(page(
        t("组织与账户", "Organisation and accounts"),
        lang,
        PreEscaped(body),
    ))
}

/// The role form's fields.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// The account.
    #[serde(default)]
    pub account: String,
    /// The role's code.
    #[serde(default)]
    pub role: String,
    /// The unit's code, empty for the city.
    #[serde(default)]
    pub scope: String,
    /// `grant` or `revoke`.
    #[serde(default)]
    pub action: String,
}

pub(super) async fn role_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Form(form): Form<RoleForm>,
) -> Result<Response, ApiError> {
    visitor.check_form(&form.csrf)?;
    let change = RoleChange {
        account: form.account.trim().to_string(),
        role: form.role.trim().to_string(),
        scope: form.scope,
        grant: form.action != "revoke",
    };
    change_role(&state, &visitor, &change).await?;
    Ok(Redirect::to("/organisation").into_response())
}
