//! The navigation every page shares: who is signed in (their name and roles by name), the
//! sign-out button, and the pages the visitor's roles open.

use maud::{html, Markup};
use minxin_domain::access::{Action, Grade};
use minxin_domain::organisation::{Assignment, Organisation, Scope};
use minxin_domain::platform::Store;
use minxin_report::Lang;

use crate::app::guard::city_allows;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::lang_suffix;

/// The navigation's account part: who is signed in and the sign-out button, or the sign-in
/// link; and the pages of oversight their roles open.
pub fn account_links<S: Store>(state: &AppState<S>, visitor: &Visitor, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    let Some(user) = &visitor.signed_in else {
        return html! {
            a href={ "/sign-in" (suffix) } { (t("工作人员登录", "Staff sign-in")) }
        };
    };
    let may = |action, grade| city_allows(state, visitor, action, grade);
    let roles: Vec<String> = user
        .assignments
        .iter()
        .map(|assignment| role_name(state, assignment, lang))
        .collect();
    let separator = lang.pick("、", ", ");
    html! {
        @if may(Action::Oversee, Grade::Internal) {
            a href={ "/organisation" (suffix) } { (t("组织与账户", "Organisation and accounts")) }
        }
        @if may(Action::Oversee, Grade::Restricted) {
            a href={ "/audit" (suffix) } { (t("审计日志", "Audit trail")) }
        }
        span {
            (t("已登录：", "Signed in: ")) (user.display_name)
            @if !roles.is_empty() {
                (t("（", " (")) (roles.join(separator)) (t("）", ")"))
            }
        }
        form.inline method="post" action="/sign-out" {
            input type="hidden" name="csrf" value=(visitor.csrf_token());
            button.link type="submit" { (t("退出登录", "Sign out")) }
        }
    }
}

/// A role held as pages name it: the role's name, and the unit's name for a role held in one
/// unit (`牵头部门 · 市商务委`).
pub fn role_name<S: Store>(state: &AppState<S>, assignment: &Assignment, lang: Lang) -> String {
    let role = lang.pick(assignment.role.name_zh(), assignment.role.name_en());
    match &assignment.scope {
        Scope::City => role.to_string(),
        Scope::Unit(code) => format!("{role} · {}", unit_name(&state.organisation(), code, lang)),
    }
}

/// A unit as pages name it: its name in `lang`, or its code when the organisation has no
/// such unit.
pub fn unit_name(organisation: &Organisation, code: &str, lang: Lang) -> String {
    organisation.unit(code).map_or(code.to_string(), |unit| {
        lang.pick(&unit.name_zh, &unit.name_en).to_string()
    })
}
