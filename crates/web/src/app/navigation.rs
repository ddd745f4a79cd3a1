//! The navigation every page shares: who is signed in, the sign-out button, and the pages
//! the visitor's roles open.

use std::fmt::Write;

use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;
use minxin_report::Lang;

use crate::app::guard::city_allows;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::html::escape;
use crate::ui::i18n::lang_suffix;

/// The navigation's account part: who is signed in and the sign-out button, or the sign-in
/// link; and the pages of oversight their roles open.
pub fn account_links<S: Store>(state: &AppState<S>, visitor: &Visitor, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    match &visitor.signed_in {
        None => format!(
            "<a href=\"/sign-in{}\">{}</a>",
            lang_suffix(lang),
            t("工作人员登录", "Staff sign-in")
        ),
        Some(user) => {
            let may = |action, grade| city_allows(state, visitor, action, grade);
            let mut links = String::new();
            if may(Action::Read, Grade::Internal) {
                let _ = write!(
                    links,
                    "<a href=\"/organisation{}\">{}</a>",
                    lang_suffix(lang),
                    t("组织与账户", "Organisation and accounts")
                );
            }
            if may(Action::Read, Grade::Restricted) {
                let _ = write!(
                    links,
                    "<a href=\"/audit{}\">{}</a>",
                    lang_suffix(lang),
                    t("审计日志", "Audit trail")
                );
            }
            let roles: Vec<String> = user
                .assignments
                .iter()
                .map(|a| match &a.scope {
                    minxin_domain::organisation::Scope::City => a.role.to_string(),
                    minxin_domain::organisation::Scope::Unit(unit) => format!("{}@{unit}", a.role),
                })
                .collect();
            format!(
                "{links}<span>{who}: {name} ({roles})</span><form method=\"post\" action=\"/sign-out\" class=\"inline\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\" class=\"link\">{out}</button></form>",
                who = t("已登录", "Signed in"),
                name = escape(&user.display_name),
                roles = escape(&roles.join(", ")),
                csrf = visitor.csrf_token(),
                out = t("退出登录", "Sign out"),
            )
        }
    }
}
