//! The sign-in page and form, and the sign-out button's form.

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use minxin_domain::platform::Store;
use minxin_report::Lang;
use serde::Deserialize;

use crate::app::client::ClientAddress;
use crate::app::error::ApiError;
use crate::app::session::{
    cookie_header, sign_in, sign_out, NewSession, SignInError, Visitor, SESSION_COOKIE,
    SESSION_HOURS,
};
use crate::app::state::AppState;
use crate::ui::layout::page;

/// The query of the sign-in page.
#[derive(Debug, Deserialize, Default)]
pub struct SignInQuery {
    /// Language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// Where to go once signed in (a path of this site).
    #[serde(default)]
    pub next: Option<String>,
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    /// Account name.
    #[serde(default)]
    pub name: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Where to go once signed in.
    #[serde(default)]
    pub next: String,
    /// Language code.
    #[serde(default)]
    pub lang: String,
}

/// A path of this site to go to after signing in: a plain local path (`/` then visible ASCII,
/// no backslash), never `//host` and no control character or space, which browsers strip
/// (`/\t/evil.example` would become `//evil.example`); anything else goes home.
pub(super) fn local_path(next: &str) -> &str {
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if plain {
        next
    } else {
        "/"
    }
}

pub(super) fn form_page(
    visitor: &Visitor,
    lang: Lang,
    next: &str,
    error: Option<&str>,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let title = t("工作人员登录", "Staff sign-in");
    let body = html! {
        nav { a href="/" { (t("首页", "Home")) } }
        h1 { (title) }
        @if let Some(error) = error {
            p.error role="alert" { (error) }
        }
        form.stacked method="post" action="/sign-in" {
            input type="hidden" name="csrf" value=(visitor.csrf_token());
            input type="hidden" name="next" value=(local_path(next));
            input type="hidden" name="lang" value=(lang.tag());
            p {
                label for="name" { (t("账户名", "Account name")) }
                input #name name="name" autocomplete="username" required;
            }
            p {
                label for="password" { (t("密码", "Password")) }
                input #password name="password" type="password" autocomplete="current-password" required;
            }
            button type="submit" { (t("登录", "Sign in")) }
        }
        p {
            (t(
                "市民填写问卷无需登录。连续 5 次密码错误将锁定账户 15 分钟。",
                "Citizens answer the survey without signing in. Five wrong passwords in a row lock the account for 15 minutes."
            ))
        }
    };
    page(title, lang, body)
}

pub(super) async fn sign_in_page(
    visitor: Visitor,
    Query(query): Query<SignInQuery>,
) -> Html<String> {
    let lang = crate::ui::i18n::lang_of(query.lang.as_deref());
    form_page(&visitor, lang, query.next.as_deref().unwrap_or("/"), None)
}

pub(super) async fn sign_in_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    ClientAddress(client): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang: Lang = form.lang.parse().unwrap_or_default();
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let again = |status: StatusCode, message: &str| {
        (status, form_page(&visitor, lang, &form.next, Some(message))).into_response()
    };
    if visitor.check_form(&form.csrf).is_err() {
        return again(
            StatusCode::FORBIDDEN,
            t(
                "表单已过期，请重新登录。",
                "The form has expired; please sign in again.",
            ),
        );
    }
    if state.limits().allow_sign_in(client).is_err() {
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            t(
                "登录尝试过多，请稍后再试。",
                "Too many sign-in attempts; please try again later.",
            ),
        );
    }
    match sign_in(&state.store, form.name.trim(), &form.password).await {
        Ok(NewSession { token, .. }) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            let headers = response.headers_mut();
            headers.insert(
                LOCATION,
                HeaderValue::from_str(local_path(&form.next))
                    .unwrap_or(HeaderValue::from_static("/")),
            );
            headers.append(
                SET_COOKIE,
                cookie_header(SESSION_COOKIE, &token, SESSION_HOURS * 3600),
            );
            response
        }
        Err(SignInError::WrongCredentials) => again(
            StatusCode::UNAUTHORIZED,
            t(
                "账户名或密码不正确。多次失败后，请稍候再试。",
                "The name or the password is wrong. After repeated failures, wait a moment before trying again.",
            ),
        ),
        Err(SignInError::Store(error)) => ApiError::from(error).into_response(),
    }
}

/// The sign-out form's fields.
#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
}

pub(super) async fn sign_out_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Form(form): Form<SignOutForm>,
) -> Result<Response, ApiError> {
    visitor.check_form(&form.csrf)?;
    sign_out(&state.store, &visitor).await?;
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, cookie_header(SESSION_COOKIE, "", 0));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_plain_local_paths_are_followed() {
        for local in [
            "/",
            "/waves/2?lang=en",
            "/waves/2/projects/parking#top",
            "/%2F",
        ] {
            assert_eq!(local_path(local), local);
        }
        for foreign in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "",
            "/\u{a0}/evil.example",
            "/\u{7f}/evil.example",
        ] {
            assert_eq!(local_path(foreign), "/", "{foreign:?}");
        }
    }
}
