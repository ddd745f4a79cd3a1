//! Sessions for API clients: a bearer token, who is signed in, signing out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use minxin_domain::platform::Store;
use serde::Deserialize;
use serde_json::json;

use crate::app::client::ClientAddress;
use crate::app::error::ApiError;
use crate::app::session::{sign_in, sign_out, NewSession, SignInError, Visitor};
use crate::app::state::AppState;

/// The body of `POST /api/v1/sessions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Account name.
    pub name: String,
    /// Password.
    pub password: String,
}

pub(super) async fn create_session<S: Store>(
    State(state): State<AppState<S>>,
    ClientAddress(client): ClientAddress,
    Json(credentials): Json<Credentials>,
) -> Result<Response, ApiError> {
    state.limits().allow_sign_in(client)?;
    match sign_in(&state.store, credentials.name.trim(), &credentials.password).await {
        Ok(NewSession { token, session }) => Ok((
            StatusCode::CREATED,
            Json(json!({
                "token": token,
                "account": session.account,
                "expires_at_ms": session.expires_at_ms,
            })),
        )
            .into_response()),
        Err(SignInError::WrongCredentials) => Err(ApiError::unauthenticated(
            "账号或密码不正确。",
            SignInError::WrongCredentials.to_string(),
        )),
        Err(SignInError::Store(error)) => Err(error.into()),
    }
}

pub(super) async fn current_session(visitor: Visitor) -> Result<Json<serde_json::Value>, ApiError> {
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::unauthenticated("尚未登录。", "not signed in"))?;
    Ok(Json(json!({
        "account": user.account,
        "display_name": user.display_name,
        "roles": user.assignments.iter().map(|a| json!({"role": a.role, "scope": a.scope.to_string()})).collect::<Vec<_>>(),
        "csrf_token": visitor.csrf_token(),
    })))
}

pub(super) async fn end_current_session<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Result<StatusCode, ApiError> {
    if visitor.signed_in.is_none() {
        return Err(ApiError::unauthenticated("尚未登录。", "not signed in"));
    }
    sign_out(&state.store, &visitor).await?;
    Ok(StatusCode::NO_CONTENT)
}
