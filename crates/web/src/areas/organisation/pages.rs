//! The organisation page and its role form: units, projects, roles and scopes by name (the
//! form chooses a role and a unit from lists, nobody types a code).

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use minxin_domain::access::Role;
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use serde::Deserialize;

use super::api::{change_role, RoleChange};
use crate::app::error::ApiError;
use crate::app::guard::city_allows;
use crate::app::navigation::{role_name, unit_name};
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

pub(super) async fn organisation_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(query): Query<crate::ui::i18n::LangQuery>,
) -> Result<Html<String>, ApiError> {
    let lang = crate::ui::i18n::lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let name = |(zh, en): (&'static str, &'static str)| lang.pick(zh, en);
    let organisation = state.store.organisation().await?;
    let assignments = state.store.assignments().await?;
    let catalogue = minxin_domain::Configuration::defaults().catalogue;
    let project_name = |code: &str| {
        catalogue
            .projects
            .iter()
            .find(|project| project.code == code)
            .map_or(code.to_string(), |project| {
                lang.pick(&project.zh, &project.en).to_string()
            })
    };
    let unit_name = |code: &str| unit_name(&organisation, code, lang);
    let may_change = city_allows(&state, &visitor, Action::Change, Grade::Internal);
    let body = html! {
        nav { a href={ "/" (lang_suffix(lang)) } { (t("首页", "Home")) } }
        h1 { (t("组织与账户", "Organisation and accounts")) }
        h2 { (t("单位", "Units")) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("名称", "Name")) }
                th scope="col" { (t("类型", "Kind")) }
                th scope="col" { (t("承担的民心工程 / 所属区", "Projects / district")) }
            } }
            tbody {
                @for unit in &organisation.units {
                    tr {
                        td title=(unit.code) { (lang.pick(&unit.name_zh, &unit.name_en)) }
                        td { (name(unit.kind.names())) }
                        td {
                            @if let Some(parent) = &unit.parent {
                                (unit_name(parent))
                            } @else {
                                @for (index, (project, part)) in organisation.projects_of(&unit.code).into_iter().enumerate() {
                                    @if index > 0 { (t("；", "; ")) }
                                    (project_name(&project)) (t("（", " (")) (name(part.names())) (t("）", ")"))
                                }
                            }
                        }
                    }
                }
            }
        } }
        h2 { (t("账户与角色", "Accounts and roles")) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t("账户", "Account")) }
                th scope="col" { (t("角色", "Role")) }
            } }
            tbody {
                @for (account, assignment) in &assignments {
                    tr {
                        td { (account) }
                        td { (role_name(&state, assignment, lang)) }
                    }
                }
            }
        } }
        @if may_change {
            h2 { (t("授予或收回角色", "Give or take back a role")) }
            form.stacked method="post" action="/organisation/roles" {
                input type="hidden" name="csrf" value=(visitor.csrf_token());
                p {
                    label for="account" { (t("账户名", "Account name")) }
                    input type="text" #account name="account" required;
                }
                p {
                    label for="role" { (t("角色", "Role")) }
                    select #role name="role" {
                        // Roles that read restricted data or run the platform are given on
                        // the server's command line only.
                        @for role in [Role::LeadDepartment, Role::ParticipatingDepartment, Role::DistrictOfficer] {
                            option value=(role) { (lang.pick(role.name_zh(), role.name_en())) }
                        }
                    }
                }
                p {
                    label for="scope" { (t("范围", "Scope")) }
                    select #scope name="scope" {
                        option value="" { (t("全市", "The whole city")) }
                        @for unit in &organisation.units {
                            option value=(unit.code) {
                                (lang.pick(&unit.name_zh, &unit.name_en)) (t("（", " (")) (name(unit.kind.names())) (t("）", ")"))
                            }
                        }
                    }
                }
                p {
                    label { input type="radio" name="action" value="grant" checked; " " (t("授予", "Give")) }
                    label { input type="radio" name="action" value="revoke"; " " (t("收回", "Take back")) }
                }
                button type="submit" { (t("提交", "Submit")) }
            }
            p { (t(
                "每次变更都记入审计日志。任何人不能更改自己的角色。",
                "Every change is recorded in the audit trail. Nobody changes their own roles."
            )) }
        }
    };
    Ok(page(
        t("组织与账户", "Organisation and accounts"),
        lang,
        body,
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
