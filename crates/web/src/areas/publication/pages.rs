//! The publication section of a dashboard and its form.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minxin_domain::decision::DecisionKind;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::svg::escape;
use minxin_report::Lang;
use serde::Deserialize;

use super::api::decide_publication;
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// The dashboard's publication section: the decision in force with the responsible person,
/// and for the coordination office the form to publish or withdraw.
pub fn publication_section<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    lang: Lang,
    may_publish: bool,
) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let current = state.publication(id);
    let mut out = String::from("<section aria-labelledby=\"publication\">");
    let _ = write!(
        out,
        "<h2 id=\"publication\">{}</h2>",
        t("结果发布", "Publication")
    );
    match &current {
        Some(decision) => {
            let what = match decision.decision.kind {
                DecisionKind::PublishResults => t("结果已发布", "Results published"),
                DecisionKind::WithdrawResults => t("结果已撤回", "Results withdrawn"),
            };
            let _ = write!(
                out,
                "<p>{what}: {} ({}), {}. {}</p>",
                escape(&decision.decision.decided_by_name),
                escape(&decision.decision.decided_by),
                crate::ui::format::minute(decision.decision.decided_at_ms, lang),
                escape(&decision.decision.statement)
            );
        }
        None => {
            let _ = write!(
                out,
                "<p>{}</p>",
                t(
                    "结果尚未发布:仅限授权人员查看。",
                    "Not published: for authorised staff only."
                )
            );
        }
    }
    let published = current
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    let closed = state
        .wave(id)
        .is_ok_and(|wave| wave.status() == WaveStatus::Closed);
    if may_publish && (published || closed) {
        let (action, label) = if published {
            ("withdraw", t("撤回发布", "Withdraw the results"))
        } else {
            ("publish", t("发布结果", "Publish the results"))
        };
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/waves/{id}/publication\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             <p><label for=\"statement\">{reason}</label> <input type=\"text\" id=\"statement\" name=\"statement\" required maxlength=\"500\"></p>\
             <button type=\"submit\">{label}</button> <span>{note}</span></form>",
            csrf = visitor.csrf_token(),
            reason = t("决定说明", "Reasons"),
            note = t(
                "决定将以您的姓名记录,不可修改,只能由新的决定取代。",
                "The decision is recorded under your name and cannot be edited, only superseded."
            ),
        );
    }
    out.push_str("</section>");
    out
}

/// The publication form's fields.
#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `publish` or `withdraw`.
    #[serde(default)]
    pub action: String,
    /// The reasons.
    #[serde(default)]
    pub statement: String,
}

pub(super) async fn publication_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<PublicationForm>,
) -> Result<Response, ApiError> {
    visitor.check_form(&form.csrf)?;
    decide_publication(
        &state,
        &visitor,
        id,
        form.action == "publish",
        &form.statement,
    )
    .await?;
    Ok(Redirect::to(&format!("/waves/{id}")).into_response())
}
