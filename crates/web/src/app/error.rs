//! The HTTP error type: a status, a message the client may see, and the whole chain logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use minxin_domain::platform::{StoreError, SubmissionError};
use minxin_report::Lang;
use serde_json::json;

use crate::ui::html::escape;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The wave, or another resource, does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed or invalid; `problems` names each field.
    #[error("invalid request")]
    Invalid {
        /// (field, message) pairs.
        problems: Vec<(String, String)>,
    },
    /// An import had bad rows and stored nothing.
    #[error("{rejected} rows were rejected; nothing was imported")]
    Rejected {
        /// How many rows were rejected.
        rejected: usize,
        /// The first of them: `{row, column, reason}`.
        listed: Vec<serde_json::Value>,
    },
    /// The request conflicts with the current state (a closed wave, a duplicate name).
    #[error("{0}")]
    Conflict(String),
    /// The request is understood but not allowed (anonymous answers where a token is required).
    #[error("{0}")]
    Forbidden(String),
    /// Too many requests from one client; it may try again after the given seconds.
    #[error("too many anonymous submissions from this address; try again in {retry_after_secs} s")]
    TooManyRequests {
        /// Seconds until the next request would be accepted.
        retry_after_secs: u64,
    },
    /// A form without the right CSRF token (expired, or posted from another site).
    #[error("{0}")]
    StaleForm(String),
    /// The request's body is larger than the route accepts.
    #[error("{0}")]
    TooLarge(String),
    /// Too many sign-in attempts from one client address.
    #[error("too many sign-in attempts from this address; try again in {retry_after_secs} s")]
    TooManySignIns {
        /// Seconds until the next attempt would be accepted.
        retry_after_secs: u64,
    },
    /// The request needs a signed-in user.
    #[error("{0}")]
    Unauthenticated(String),
    /// The request took longer than the server allows.
    #[error("{0}")]
    Timeout(String),
    /// Something failed inside; the client sees no detail.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<&StoreError> for ApiError {
    fn from(error: &StoreError) -> Self {
        match error {
            StoreError::NoSuchWave(id) => ApiError::NotFound(format!("no wave with id {id}")),
            StoreError::DuplicateWaveName(name) => {
                ApiError::Conflict(format!("a wave named {name:?} exists already"))
            }
            StoreError::WaveNotOpen { id, status } => {
                ApiError::Conflict(format!("wave {id} is {}, not open", status.code()))
            }
            StoreError::DuplicateAccount(_) => ApiError::Conflict(error.to_string()),
            StoreError::NoSuchAccount(_) => ApiError::NotFound(error.to_string()),
            StoreError::Refused(message) => ApiError::Conflict(message.clone()),
            StoreError::InvalidText(field) => ApiError::Invalid {
                problems: vec![(field.clone(), "may not contain a NUL character".into())],
            },
            StoreError::Database(message) => ApiError::Internal(message.clone()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::from(&error)
    }
}

impl From<SubmissionError> for ApiError {
    fn from(error: SubmissionError) -> Self {
        ApiError::Invalid {
            problems: error.problems,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, json!({"error": message})),
            ApiError::Invalid { problems } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "error": "invalid request",
                    "problems": problems.iter().map(|(field, message)| json!({"field": field, "message": message})).collect::<Vec<_>>(),
                }),
            ),
            ApiError::Rejected { rejected, listed } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "error": format!("{rejected} rows were rejected; nothing was imported (add keep_valid=true to store the valid rows)"),
                    "rejected": rejected,
                    "rejections": listed,
                }),
            ),
            ApiError::Conflict(message) => (StatusCode::CONFLICT, json!({"error": message})),
            ApiError::Forbidden(message) | ApiError::StaleForm(message) => {
                (StatusCode::FORBIDDEN, json!({"error": message}))
            }
            ApiError::TooLarge(message) => {
                (StatusCode::PAYLOAD_TOO_LARGE, json!({"error": message}))
            }
            ApiError::Timeout(message) => (StatusCode::REQUEST_TIMEOUT, json!({"error": message})),
            ApiError::Unauthenticated(message) => {
                (StatusCode::UNAUTHORIZED, json!({"error": message}))
            }
            ApiError::TooManyRequests { retry_after_secs }
            | ApiError::TooManySignIns { retry_after_secs } => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(json!({"error": self.to_string(), "retry_after_secs": retry_after_secs})),
                )
                    .into_response();
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(*retry_after_secs),
                );
                return response;
            }
            ApiError::Internal(message) => {
                eprintln!("internal error: {message}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "internal error"}),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// An error shown as a page.
pub struct PageError(pub ApiError, pub Lang);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(error, lang) = self;
        let (status, message) = match &error {
            ApiError::NotFound(_) => (
                StatusCode::NOT_FOUND,
                lang.pick("找不到该页面。", "This page does not exist."),
            ),
            ApiError::Conflict(_) => (
                StatusCode::CONFLICT,
                lang.pick(
                    "该波次目前不接受答卷。",
                    "This wave is not taking responses.",
                ),
            ),
            ApiError::StaleForm(_) => (
                StatusCode::FORBIDDEN,
                lang.pick(
                    "表单已过期,请刷新页面后重试。",
                    "This form has expired; reload the page and try again.",
                ),
            ),
            ApiError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                lang.pick(
                    "本次调查须通过“一网通办”或“随申办”进入填写。",
                    "This survey must be answered through the city's portal or app.",
                ),
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                lang.pick(
                    "同一网络提交的匿名问卷过多,请稍后再试。",
                    "Too many anonymous responses from this network; please try again later.",
                ),
            ),
            ApiError::TooManySignIns { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                lang.pick(
                    "登录尝试过多,请稍后再试。",
                    "Too many sign-in attempts; please try again later.",
                ),
            ),
            ApiError::Unauthenticated(_) => (
                StatusCode::UNAUTHORIZED,
                lang.pick("请先登录。", "Please sign in first."),
            ),
            ApiError::TooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                lang.pick("提交的内容过大。", "The request is too large."),
            ),
            ApiError::Timeout(_) => (
                StatusCode::REQUEST_TIMEOUT,
                lang.pick(
                    "请求超时,请重试。",
                    "The request took too long; please try again.",
                ),
            ),
            ApiError::Invalid { .. } | ApiError::Rejected { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.pick("提交的内容有误。", "The request is not valid."),
            ),
            ApiError::Internal(detail) => {
                eprintln!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    lang.pick(
                        "服务器出错,请稍后再试。",
                        "Something went wrong; please try again later.",
                    ),
                )
            }
        };
        let body = format!(
            "<h1>{}</h1><p><a href=\"/{}\">{}</a></p>",
            escape(message),
            lang_suffix(lang),
            lang.pick("返回首页", "Home")
        );
        (status, page(message, lang, &body)).into_response()
    }
}
