//! The HTTP error type: a status, a message the client may see, and the whole chain logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use minxin_domain::platform::{StoreError, SubmissionError};
use serde_json::json;

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
